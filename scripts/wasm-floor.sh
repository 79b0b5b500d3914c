#!/usr/bin/env bash
# What does the stack alone weigh? Builds two tiny Leptos apps with exactly the app's toolchain
# (its Cargo.lock, the `wasm-release` profile, the `erase_components` cfg, Trunk with the same
# wasm-opt pass as index.html) and prints their `gzip -9` size, the way scripts/wasm-size.sh
# measures the real app:
#
#   leptos         one page: a counter button and a list fetched with gloo-net and serde_json
#                  inside a <Transition>
#   leptos+router  the same page plus a second one, behind leptos_router's <Router>/<Routes>
#                  and an <A> link
#
# The difference to the real app is what Kassa's own views cost; the second number is the
# least any Leptos 0.8 app with routing can ship (README "Performance").
#
#   scripts/wasm-floor.sh
#
# Needs what `cargo xtask test` installs (wasm32 target, trunk, wasm-bindgen-cli, binaryen in
# target/binaryen). Nothing in the repository changes: it builds in a temporary directory,
# with its own target directory there.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d -t kassa-wasm-floor.XXXXXX)
trap 'rm -rf "$work"' EXIT
export PATH="$root/target/binaryen/node_modules/.bin:$HOME/.cargo/bin:$PATH"
wasm_bindgen=$(grep -A1 '^name = "wasm-bindgen"$' "$root/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')

mkdir -p "$work/src" "$work/.cargo" "$work/style"
cp "$root/Cargo.lock" "$work/"
cp "$root/Trunk.toml" "$work/"
cp "$root/.cargo/config.toml" "$work/.cargo/"
: >"$work/style/main.css"
cat >"$work/Cargo.toml" <<EOF
[package]
name = "floor"
version = "0.0.0"
edition = "2021"
publish = false

[features]
router = ["dep:leptos_router"]

[dependencies]
leptos = { version = "0.8", features = ["csr"] }
leptos_router = { version = "0.8", optional = true }
gloo-net = { version = "0.6", default-features = false, features = ["http", "json"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
wasm-bindgen = "=$wasm_bindgen"

$(sed -n '/^\[profile.release\]/,/^$/p; /^\[profile.wasm-release\]/,/^$/p' "$root/Cargo.toml")
EOF
# The app's own index.html, minus the examples it copies, building this crate instead.
sed -e 's/data-bin="kassa-app"/data-bin="floor"/' -e '/rel="copy-dir"/d' \
    "$root/index.html" >"$work/index.html"
cat >"$work/src/main.rs" <<'EOF'
use leptos::prelude::*;

#[derive(serde::Deserialize, Clone)]
struct Item {
    name: String,
    count: u32,
}

async fn load() -> Result<Vec<Item>, String> {
    let response = gloo_net::http::Request::get("/items")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let body = response.text().await.map_err(|e| e.to_string())?;
    serde_json::from_str(&body).map_err(|e| e.to_string())
}

#[component]
fn Home() -> impl IntoView {
    let (clicks, set_clicks) = signal(0);
    let items = LocalResource::new(load);
    view! {
        <button on:click=move |_| set_clicks.update(|n| *n += 1)>{clicks}</button>
        <Transition fallback=|| "Loading">
            {move || items.get().map(|items| match items {
                Ok(items) => items
                    .into_iter()
                    .map(|item| view! { <li>{item.name}" "{item.count}</li> })
                    .collect_view()
                    .into_any(),
                Err(error) => error.into_any(),
            })}
        </Transition>
    }
}

#[cfg(feature = "router")]
fn main() {
    use leptos_router::components::{Route, Router, Routes, A};
    use leptos_router::path;
    mount_to_body(|| view! {
        <Router>
            <A href="/other">"Other"</A>
            <Routes fallback=|| "Not found">
                <Route path=path!("/") view=Home/>
                <Route path=path!("/other") view=|| view! { <p>"Other"</p> }/>
            </Routes>
        </Router>
    })
}

#[cfg(not(feature = "router"))]
fn main() {
    mount_to_body(Home)
}
EOF

gz() { gzip -9 -c "$1" | wc -c; }
for variant in leptos leptos+router; do
    features=()
    [ "$variant" = leptos+router ] && features=(--features router)
    (cd "$work" && CARGO_TARGET_DIR="$work/target" trunk build --release --offline \
        --dist "$work/dist-$variant" "${features[@]}" >"$work/trunk-$variant.log" 2>&1) || {
        tail -20 "$work/trunk-$variant.log"
        echo "trunk build of the $variant floor failed" >&2
        exit 1
    }
    dist=$work/dist-$variant
    total=$(($(gz "$dist"/*_bg.wasm) + $(gz "$(ls "$dist"/*.js | head -1)")))
    awk -v v="$variant" -v b="$total" 'BEGIN { printf "%-14s wasm + js, gzip -9: %6.1f KB\n", v, b / 1024 }'
done
