//! With the `split` feature on wasm32, the app's wasm keeps its relocations
//! (`--emit-relocs`): the split step (xtask/src/split.rs) reads them to move each page's code
//! into its own chunk. Set here rather than in RUSTFLAGS, which would replace the
//! `erase_components` cfg of `.cargo/config.toml` and rebuild every dependency.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let split = std::env::var_os("CARGO_FEATURE_SPLIT").is_some();
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    if split && wasm {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
