#!/usr/bin/env bash
# How big is the app on the wire? Prints the gzip and brotli sizes (what the proxy sends:
# brotli 11 / window 22 and gzip 9, the `.br`/`.gz` files `cargo xtask` writes) of every file
# the browser loads, and the totals against issue 12's targets (cold login and shop ≤ 150 KB
# brotli; the orders list after logging in ≤ 100 KB more).
#
#   scripts/wasm-size.sh               the app as it ships: `cargo xtask build --dist <tmp>`
#                                      (split by route), then every chunk, the shell, the
#                                      totals, and what a cold load of each page fetches
#   DIST=path scripts/wasm-size.sh     measure an existing build instead (split or not)
#   UNSPLIT=1 scripts/wasm-size.sh     the app in one wasm, as `trunk build --release` makes it,
#                                      before and after one more binaryen `wasm-opt -Oz`
#
# With Chromium installed it then loads the measured build (for UNSPLIT, the re-optimised one)
# headless and checks the login page renders: a broken wasm-opt (Debian's binaryen 108) yields
# a wasm that fails at start ("WebAssembly.Table.set(): Argument 1 is invalid"), and a split
# build whose chunks do not load shows an error instead of the form.
#
# Sizes: of the `.br`/`.gz` beside each file when they are not older than it, else written
# here by `cargo xtask compress` (the same compression), else a `brotli`/`gzip -9 -n` command;
# "n/a" when no brotli is at hand. A split build's per-page lists come from its chunk loader
# (`kassa-app-split-*.js`, which names each page's chunks), read with python3.
#
# wasm-opt (UNSPLIT only; the split build runs it on every file itself): $WASM_OPT if set; else
# npm's `binaryen` package (a newer binaryen than Debian's, with the reference-types and
# bulk-memory support wasm-bindgen 0.2.130 needs), installed on first use into $BINARYEN_DIR
# (default ~/.cache/kassa/binaryen-$BINARYEN_VERSION). Nothing in the repository changes but
# cargo's build cache: builds, copies and compressed files live in a temporary directory.
set -euo pipefail

BINARYEN_VERSION=${BINARYEN_VERSION:-132.0.0}
BINARYEN_DIR=${BINARYEN_DIR:-$HOME/.cache/kassa/binaryen-$BINARYEN_VERSION}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d -t kassa-wasm-size.XXXXXX)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The precompressed file beside $1 when it is not older than $1.
fresh() { [ -f "$1" ] && ! [ "$2" -nt "$1" ]; }
gz() {
    if fresh "$1.gz" "$1"; then wc -c <"$1.gz"; else gzip -9 -n -c "$1" | wc -c; fi
}
# 0 when no brotli is at hand (printed as "n/a").
br() {
    if fresh "$1.br" "$1"; then
        wc -c <"$1.br"
    elif command -v brotli >/dev/null; then
        brotli -q 11 -w 22 -c "$1" | wc -c
    else
        echo 0
    fi
}
kb() { awk -v b="$1" 'BEGIN { printf "%8.1f KB", b / 1024 }'; }
brkb() { if [ "$1" -gt 0 ]; then kb "$1"; else printf '%11s' n/a; fi; }
# Writes `.br` and `.gz` beside every file of the build in $1 with the app's own
# precompression (`cargo xtask compress`, built on first use).
compressed() {
    (cd "$root" && cargo xtask compress "$1" >"$work/compress.log" 2>&1) || {
        tail -5 "$work/compress.log" >&2
        echo "cargo xtask compress failed: sizes from brotli / gzip commands, if any" >&2
    }
}
target() { # bytes limit → "met" / "missed by N KB"
    if [ "$1" -le "$2" ]; then
        echo met
    else
        awk -v d=$(($1 - $2)) 'BEGIN { printf "missed by %.1f KB", d / 1024 }'
    fi
}

# Sums of a list of files: sets raw, g, b (b = -1 when a brotli size is missing).
sum() {
    raw=0 g=0 b=0
    local f s
    for f in "$@"; do
        raw=$((raw + $(wc -c <"$f")))
        g=$((g + $(gz "$f")))
        s=$(br "$f")
        if [ "$s" -gt 0 ] && [ "$b" -ge 0 ]; then b=$((b + s)); else b=-1; fi
    done
}
# One line: label, file count, raw, gzip, brotli, then anything else.
line() { # label count raw gzip brotli [note]
    printf '  %-34s %3s  %10s B raw  gzip %s  brotli %s%s\n' "$1" "$2" "$3" "$(kb "$4")" \
        "$(if [ "$5" -ge 0 ]; then brkb "$5"; else printf '%11s' n/a; fi)" "${6:+  $6}"
}

# The pages of a split build and their chunks, from its loader: "page NAME FILE..." (the page's
# own chunk first) and "chunk FILE PAGES" (the pages that load a shared chunk).
pages_of() {
    python3 - "$1" <<'PY'
import re, sys
js = open(sys.argv[1], encoding="utf-8").read()
loads = re.finditer(
    r'(?:/\* (?P<pages>[^*]*) \*/\s*)?(?:export )?const (?P<name>__chunk_\d+|__wasm_split_load_(?P<page>\w+))'
    r' = (?:wrapAsyncCb\()?makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\./(?P<file>[^"]+)"'
    r'[^\[]*\[(?P<deps>[^\]]*)\]', js)
files, pages = {}, []
for m in loads:
    files[m["name"]] = m["file"]
    if m["page"]:
        deps = [d.strip() for d in m["deps"].split(",") if d.strip()]
        pages.append((m["page"], m["file"], deps))
    else:
        print("chunk", m["file"], (m["pages"] or "").replace(" ", ""))
if not pages:
    sys.exit(f"{sys.argv[1]}: no page loaders found (has the loader's format changed?)")
# In the order a visitor meets them; pages the build gained since come last.
known = ["login", "orders", "new_order", "order", "shop", "pay", "return_page"]
pages.sort(key=lambda p: known.index(p[0]) if p[0] in known else len(known))
for page, file, deps in pages:
    print("page", page, file, *(files[d] for d in deps if d in files))
PY
}

route() {
    case $1 in
        login) echo /login ;; orders) echo "/ (orders list)" ;; order) echo /orders/:id ;;
        new_order) echo /orders/new ;; shop) echo /shop ;; pay) echo /pay/:reference ;;
        return_page) echo /return/:ref ;;
        *) echo "$1" ;;
    esac
}

split_report() { # dir
    local dir=$1 loader main_js main_wasm f name page
    loader=$(ls "$dir"/kassa-app-split-*.js)
    main_js=$(ls "$dir"/kassa-app-*.js | grep -v /kassa-app-split-)
    main_wasm=$(ls "$dir"/kassa-app-*_bg.wasm)
    pages_of "$loader" >"$work/pages"
    local -a shell=("$dir/index.html")
    for f in "$dir"/*.css "$dir"/*.svg; do [ -f "$f" ] && shell+=("$f"); done
    shell+=("$main_js" "$main_wasm" "$loader")

    echo "split by route ($(grep -c '^page' "$work/pages") pages): every file, as the proxy sends it"
    echo " the shell (every page loads it first):"
    for f in "${shell[@]}"; do
        sum "$f"
        case $f in
            "$loader") name="split loader (JS)" ;; "$main_js") name="main JS" ;;
            "$main_wasm") name="main wasm" ;; *.css) name="CSS" ;; *.svg) name="icon" ;;
            *) name="page (index.html)" ;;
        esac
        line "$name" 1 "$raw" "$g" "$b" "$(basename "$f")"
    done
    sum "${shell[@]}"
    line "shell" "${#shell[@]}" "$raw" "$g" "$b"
    shell_raw=$raw shell_g=$g shell_b=$b

    echo " each page's own chunk:"
    local -a own=() shared=()
    while read -r _ page f _; do
        sum "$dir/$f"
        line "$(route "$page")" 1 "$raw" "$g" "$b" "$f"
        own+=("$dir/$f")
    done < <(grep '^page' "$work/pages")
    echo " chunks shared by pages (loaded with the first page that needs them):"
    while read -r _ f for; do
        sum "$dir/$f"
        line "${f%-*}" 1 "$raw" "$g" "$b" "for ${for//,/, }"
        shared+=("$dir/$f")
    done < <(grep '^chunk' "$work/pages" | sort -t_ -k2 -n)
    echo " totals:"
    line "shell" "${#shell[@]}" "$shell_raw" "$shell_g" "$shell_b"
    sum "${own[@]}"
    line "pages' own chunks" "${#own[@]}" "$raw" "$g" "$b"
    sum "${shared[@]}"
    line "shared chunks" "${#shared[@]}" "$raw" "$g" "$b"
    sum "${shell[@]}" "${own[@]}" "${shared[@]}"
    line "the whole app" $((${#shell[@]} + ${#own[@]} + ${#shared[@]})) "$raw" "$g" "$b" \
        "(every page visited once)"

    echo " a cold load of each page (the shell and the page's chunks; API answers not counted):"
    local -a files login_files=()
    while read -r _ page rest; do
        files=()
        for f in $rest; do files+=("$dir/$f"); done
        [ "$page" = login ] && login_files=("${files[@]}")
        sum "${shell[@]}" "${files[@]}"
        case $page in
            login | shop) line "$(route "$page")" $((${#shell[@]} + ${#files[@]})) "$raw" "$g" "$b" \
                "target ≤ 150 KB brotli: $(target "$b" $((150 * 1024)))" ;;
            *) line "$(route "$page")" $((${#shell[@]} + ${#files[@]})) "$raw" "$g" "$b" ;;
        esac
    done < <(grep '^page' "$work/pages")
    if [ "${#login_files[@]}" -gt 0 ]; then
        echo " after the login page (what a page adds once the login page's chunks are loaded):"
        while read -r _ page rest; do
            [ "$page" = login ] && continue
            files=()
            for f in $rest; do
                case " ${login_files[*]} " in *" $dir/$f "*) ;; *) files+=("$dir/$f") ;; esac
            done
            sum "${files[@]}"
            if [ "$page" = orders ]; then
                line "+ $(route "$page")" "${#files[@]}" "$raw" "$g" "$b" \
                    "target ≤ 100 KB brotli: $(target "$b" $((100 * 1024)))"
            else
                line "+ $(route "$page")" "${#files[@]}" "$raw" "$g" "$b"
            fi
        done < <(grep '^page' "$work/pages")
    fi
}

unsplit_report() { # title dir
    local f kind
    printf '%s\n' "$1"
    local -a all=()
    for kind in wasm js css icon page; do
        case $kind in
            wasm) f=$(ls "$2"/*_bg.wasm) ;;
            js) f=$(ls "$2"/*.js | head -1) ;;
            css) f=$(ls "$2"/*.css | head -1) ;;
            icon) f=$(ls "$2"/*.svg 2>/dev/null | head -1) ;;
            page) f=$2/index.html ;;
        esac
        [ -n "$f" ] || continue
        sum "$f"
        line "$kind" 1 "$raw" "$g" "$b" "$(basename "$f")"
        all+=("$f")
    done
    sum "${all[@]}"
    line "total (any page, cold)" "${#all[@]}" "$raw" "$g" "$b" \
        "target ≤ 150 KB brotli: $(if [ "$b" -ge 0 ]; then target "$b" $((150 * 1024)); else echo n/a; fi)"
}

# Serves $1 as the proxy would (any unknown path gets index.html) on a free loopback port and
# sees whether the app draws its login page in headless Chromium.
check_renders() { # dir what
    if [ ! -x "$CHROMIUM" ]; then
        echo "no Chromium at $CHROMIUM: $2 was not tried"
        return 0
    fi
    cat >"$work/serve.py" <<'PY'
import http.server, os, sys
root = sys.argv[1]
class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript"}
    def __init__(self, *a, **k):
        super().__init__(*a, directory=root, **k)
    def send_head(self):
        path = self.translate_path(self.path)
        if not os.path.isfile(path):
            if self.path.startswith("/api/"):
                self.send_error(404)
                return None
            self.path = "/index.html"
        return super().send_head()
    def log_message(self, *a):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
PY
    python3 "$work/serve.py" "$1" >"$work/port" &
    server_pid=$!
    for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
    local port
    port=$(cat "$work/port")
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --virtual-time-budget=15000 \
        --enable-logging=stderr --user-data-dir="$work/chromium" --dump-dom "http://127.0.0.1:$port/login" \
        >"$work/dom.html" 2>"$work/chromium.log" || true
    kill "$server_pid" 2>/dev/null || true
    server_pid=
    if grep -q "Log in to Kassa" "$work/dom.html"; then
        echo "headless Chromium: $2 starts and renders the login page"
    else
        echo "headless Chromium: the login page did NOT render with $2" >&2
        grep -E "CONSOLE|Uncaught|WebAssembly" "$work/chromium.log" | head -5 >&2 || true
        exit 1
    fi
}

if [ -n "${DIST:-}" ]; then
    cp -r "$DIST" "$work/dist"
    compressed "$work/dist"
elif [ -n "${UNSPLIT:-}" ]; then
    echo "building the app unsplit: trunk build --release (with the wasm-opt pass index.html asks for) ..."
    (cd "$root" && trunk build --release --offline --dist "$work/dist" >"$work/trunk.log" 2>&1) || {
        grep -E "^(error|warning: unused)" -A8 "$work/trunk.log" | head -40 || true
        tail -5 "$work/trunk.log"
        echo "trunk build failed" >&2
        exit 1
    }
    compressed "$work/dist"
else
    echo "building the app as it ships: cargo xtask build --dist (split by route, precompressed) ..."
    (cd "$root" && cargo xtask build --dist "$work/dist" >"$work/build.log" 2>&1) || {
        grep -E "^(error|xtask:)" -A8 "$work/build.log" | head -40 || true
        tail -5 "$work/build.log"
        echo "cargo xtask build failed" >&2
        exit 1
    }
fi
dist=$work/dist

if ls "$dist"/kassa-app-split-*.js >/dev/null 2>&1; then
    split_report "$dist"
    check_renders "$dist" "the split build"
    exit 0
fi

unsplit_report "in one wasm, as built (with index.html's wasm-opt pass if Trunk found wasm-opt):" "$dist"

# A wasm-opt that understands what wasm-bindgen emits.
wasm_opt=${WASM_OPT:-}
if [ -z "$wasm_opt" ]; then
    if [ ! -x "$BINARYEN_DIR/node_modules/.bin/wasm-opt" ] && command -v npm >/dev/null; then
        echo "installing binaryen@$BINARYEN_VERSION from npm into $BINARYEN_DIR ..."
        npm install --silent --no-audit --no-fund --prefix "$BINARYEN_DIR" "binaryen@$BINARYEN_VERSION" >/dev/null 2>&1 || true
    fi
    if [ -x "$BINARYEN_DIR/node_modules/.bin/wasm-opt" ]; then
        wasm_opt=$BINARYEN_DIR/node_modules/.bin/wasm-opt
    fi
fi
if [ -z "$wasm_opt" ]; then
    echo "no usable wasm-opt (set WASM_OPT, or install npm): sizes above are as built"
    check_renders "$dist" "the build"
    exit 0
fi
version=$("$wasm_opt" --version)
if [ "$version" = "wasm-opt version 108" ]; then
    echo "refusing $wasm_opt ($version): it breaks wasm-bindgen's externref table"
    exit 1
fi

opt=$work/opt
cp -r "$dist" "$opt"
wasm=$(ls "$dist"/*_bg.wasm)
echo "optimising with $version: wasm-opt -Oz ..."
start=$(date +%s)
"$wasm_opt" -Oz \
    --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-multivalue \
    "$wasm" -o "$opt/$(basename "$wasm")"
echo "  ($(($(date +%s) - start)) s)"
# The page pins each file's hash (SRI); the optimised wasm has another, so drop the pins in
# this copy.
sed -i -E 's/ integrity="[^"]*"//g' "$opt/index.html"
compressed "$opt"
unsplit_report "after wasm-opt -Oz ($version):" "$opt"
check_renders "$opt" "the re-optimised wasm"
