#!/usr/bin/env bash
# How big is the app on the wire? Builds it with `trunk build --release` into a temporary
# directory, shrinks the wasm again with binaryen's `wasm-opt -Oz` when a working one is at
# hand, and prints the `gzip -9` and brotli sizes of the wasm, JS, CSS and page (index.html),
# apart and in total (target ≤ 150 KB). Brotli is what the proxy sends browsers: its sizes are
# those of the `.br` files `cargo xtask compress` writes into the temporary copy (quality 11,
# window 22: exactly the app build's precompression), or of a `brotli` command's output if
# that fails. With Chromium installed it then loads the optimised build headless and checks
# the login page renders, since a broken wasm-opt (Debian's binaryen 108) yields a wasm that
# fails at start ("WebAssembly.Table.set(): Argument 1 is invalid").
#
# This is the unsplit app, as plain `trunk build` makes it; what each page loads from the build
# `cargo xtask` ships (split by route) is printed by `cargo xtask build` (docs/performance.md).
#
#   scripts/wasm-size.sh            build, optimise, measure, check
#   DIST=path scripts/wasm-size.sh  measure an existing `trunk build` output instead
#
# wasm-opt: $WASM_OPT if set; else npm's `binaryen` package (a newer binaryen than Debian's,
# with the reference-types and bulk-memory support wasm-bindgen 0.2.130 needs), installed
# on first use into $BINARYEN_DIR (default ~/.cache/kassa/binaryen-$BINARYEN_VERSION).
# Nothing in the repository changes: the optimised copy and the compressed files live in the
# temporary directory.
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

gz() { gzip -9 -c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%7.1f KB", b / 1024 }'; }
# Brotli: the `.br` beside the file when it is not older (see `compressed`), else a `brotli`
# command's if there is one; 0 when neither is at hand (printed as "n/a").
br() {
    if [ -f "$1.br" ] && ! [ "$1" -nt "$1.br" ]; then
        wc -c <"$1.br"
    elif command -v brotli >/dev/null; then
        brotli -q 11 -w 22 -c "$1" | wc -c
    else
        echo 0
    fi
}
brkb() { if [ "$1" -gt 0 ]; then kb "$1"; else printf '%10s' n/a; fi; }
# Writes `.br` and `.gz` beside every file of the build in $1 with the app's own
# precompression (`cargo xtask compress`, built on first use).
compressed() {
    (cd "$root" && cargo xtask compress "$1" >"$work/compress.log" 2>&1) || {
        tail -5 "$work/compress.log" >&2
        echo "cargo xtask compress failed: brotli sizes from a brotli command, if any" >&2
    }
}

if [ -n "${DIST:-}" ]; then
    cp -r "$DIST" "$work/dist"
else
    echo "building the app: trunk build --release (with the wasm-opt pass index.html asks for) ..."
    (cd "$root" && trunk build --release --offline --dist "$work/dist" >"$work/trunk.log" 2>&1) || {
        grep -E "^(error|warning: unused)" -A8 "$work/trunk.log" | head -40 || true
        tail -5 "$work/trunk.log"
        echo "trunk build failed" >&2
        exit 1
    }
fi
dist=$work/dist
wasm=$(ls "$dist"/*_bg.wasm)
js=$(ls "$dist"/*.js | head -1)
css=$(ls "$dist"/*.css | head -1)

report() { # title dir
    local f g b kind
    printf '%s\n' "$1"
    total_gz=0
    total_br=0
    for kind in wasm js css page; do
        case $kind in
            wasm) f=$(ls "$2"/*_bg.wasm) ;;
            js) f=$2/$(basename "$js") ;;
            css) f=$2/$(basename "$css") ;;
            page) f=$2/index.html ;;
        esac
        g=$(gz "$f")
        b=$(br "$f")
        total_gz=$((total_gz + g))
        if [ "$b" -gt 0 ] && [ "$total_br" -ge 0 ]; then total_br=$((total_br + b)); else total_br=-1; fi
        printf '  %-5s %10s bytes raw   gzip -9 %s   brotli %s\n' "$kind" "$(wc -c <"$f")" \
            "$(kb "$g")" "$(brkb "$b")"
    done
    printf '  total gzip -9 %s (target ≤ 150 KB: %s)\n' "$(kb "$total_gz")" \
        "$([ "$total_gz" -le $((150 * 1024)) ] && echo met || echo missed)"
    if [ "$total_br" -gt 0 ]; then
        printf '  total brotli  %s (target ≤ 150 KB: %s)\n' "$(kb "$total_br")" \
            "$([ "$total_br" -le $((150 * 1024)) ] && echo met || echo missed)"
    else
        printf '  total brotli     n/a (neither cargo xtask compress nor a brotli command worked)\n'
    fi
}
compressed "$dist"
report "as trunk build --release writes it (with index.html's wasm-opt pass if Trunk found wasm-opt):" "$dist"

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
    echo "no usable wasm-opt (set WASM_OPT, or install npm): sizes above are unoptimised"
    exit 0
fi
version=$("$wasm_opt" --version)
if [ "$version" = "wasm-opt version 108" ]; then
    echo "refusing $wasm_opt ($version): it breaks wasm-bindgen's externref table"
    exit 1
fi

opt=$work/opt
cp -r "$dist" "$opt"
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
report "after wasm-opt -Oz ($version):" "$opt"

if [ ! -x "$CHROMIUM" ]; then
    echo "no Chromium at $CHROMIUM: the optimised wasm was not tried"
    exit 0
fi
# Serve the optimised copy as the proxy would (any unknown path gets index.html) on a free
# loopback port, and see whether the app draws its login page.
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
python3 "$work/serve.py" "$opt" >"$work/port" &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --virtual-time-budget=15000 \
    --enable-logging=stderr --user-data-dir="$work/chromium" --dump-dom "http://127.0.0.1:$port/login" \
    >"$work/dom.html" 2>"$work/chromium.log" || true
if grep -q "Log in to Kassa" "$work/dom.html"; then
    echo "headless Chromium: the optimised app starts and renders the login page"
else
    echo "headless Chromium: the login page did NOT render with the optimised wasm" >&2
    grep -E "CONSOLE|Uncaught|WebAssembly" "$work/chromium.log" | head -5 >&2 || true
    exit 1
fi
