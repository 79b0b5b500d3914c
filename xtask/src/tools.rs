//! The toolchain Kassa needs beyond cargo, installed only when missing:
//! the wasm32 target, wasm-bindgen-cli at exactly the version in Cargo.lock, trunk 0.21.14,
//! and for tests Chromium + chromedriver (Debian) and Mollie's official clients for the
//! contract tests (a Python venv and `npm ci`, see [`contract_clients`]), and binaryen's
//! `wasm-opt` from npm for Trunk's release build (Debian's binaryen 108 breaks what
//! wasm-bindgen 0.2.130 emits; Trunk.toml pins the version).

use std::path::{Path, PathBuf};
use std::process::Command;

const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Must match `contract/python/requirements.txt`.
const MOLLIE_PYTHON_VERSION: &str = "4.0.0";
/// Must match `contract/node/package.json` (and its package-lock.json).
const MOLLIE_NODE_VERSION: &str = "4.6.0";
/// Must match `[tools] wasm_opt` in Trunk.toml (`version_132`).
const BINARYEN_VERSION: &str = "132.0.0";

pub fn ensure(root: &Path, browser: bool) -> Result<(), String> {
    if !output("rustup", &["target", "list", "--installed"])
        .is_some_and(|o| o.lines().any(|l| l.trim() == WASM_TARGET))
    {
        run("rustup", &["target", "add", WASM_TARGET])?;
    }
    let bindgen = locked_version(root, "wasm-bindgen")?;
    if !version_is(&bin("wasm-bindgen"), &format!("wasm-bindgen {bindgen}")) {
        // Without --locked: its lockfile pins a crate version the registry here lacks.
        run(
            "cargo",
            &["install", "wasm-bindgen-cli", "--version", &bindgen],
        )?;
    }
    if !version_is(&bin("trunk"), &format!("trunk {TRUNK_VERSION}")) {
        run(
            "cargo",
            &["install", "trunk", "--version", TRUNK_VERSION, "--locked"],
        )?;
    }
    if browser && (find_on_path("chromium").is_none() || find_on_path("chromedriver").is_none()) {
        apt_install(&["chromium", "chromium-driver"])?;
    }
    let wasm_opt = binaryen_bin().join("wasm-opt");
    let major = BINARYEN_VERSION.split('.').next().unwrap_or_default();
    if !version_is(
        &wasm_opt,
        &format!("wasm-opt version {major} (version_{major})"),
    ) {
        if find_on_path("npm").is_none() {
            apt_install(&["nodejs", "npm"])?;
        }
        let prefix = binaryen_bin().join("../..");
        run(
            "npm",
            &[
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                &prefix.to_string_lossy(),
                &format!("binaryen@{BINARYEN_VERSION}"),
            ],
        )?;
    }
    Ok(())
}

/// Where npm puts binaryen's `wasm-opt`: `target/binaryen/node_modules/.bin`.
fn binaryen_bin() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/binaryen/node_modules/.bin")
}

/// Mollie's official clients for the contract tests (`crates/sandbox/tests/contract_clients.rs`):
/// a venv at `target/contract-venv` with `mollie-api-python` (pip runs only when
/// `pip show` does not report the pinned version), and `@mollie/api-client` in
/// `contract/node/node_modules` (`npm ci` runs only when the installed package.json is not the
/// pinned version). Returns the venv's Python, for `KASSA_CONTRACT_PYTHON`.
pub fn contract_clients(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join("target").join("contract-venv");
    let python = venv.join("bin").join("python");
    if !python.is_file() {
        let venv_arg = venv.to_string_lossy().into_owned();
        let made = run("python3", &["-m", "venv", "--clear", &venv_arg]);
        if made.is_err() {
            // Debian's python3 ships venv (and ensurepip) separately.
            apt_install(&["python3", "python3-venv"])?;
            run("python3", &["-m", "venv", "--clear", &venv_arg])?;
        }
    }
    let python_arg = python.to_string_lossy().into_owned();
    let installed = output(&python_arg, &["-m", "pip", "show", "mollie-api-python"]);
    let expected = format!("Version: {MOLLIE_PYTHON_VERSION}");
    if !installed.is_some_and(|o| o.lines().any(|l| l.trim() == expected)) {
        let requirements = root.join("contract/python/requirements.txt");
        run(
            &python_arg,
            &[
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
                &requirements.to_string_lossy(),
            ],
        )?;
    }

    if find_on_path("node").is_none() || find_on_path("npm").is_none() {
        apt_install(&["nodejs", "npm"])?;
    }
    let node_dir = root.join("contract").join("node");
    let manifest = node_dir.join("node_modules/@mollie/api-client/package.json");
    let pinned = format!("\"version\": \"{MOLLIE_NODE_VERSION}\"");
    if !std::fs::read_to_string(&manifest).is_ok_and(|m| m.contains(&pinned)) {
        println!("==> npm ci (in {})", node_dir.display());
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&node_dir)
            .status()
            .map_err(|e| format!("cannot start npm: {e}"))?;
        if !status.success() {
            return Err(format!(
                "npm ci in {} failed ({status})",
                node_dir.display()
            ));
        }
    }
    Ok(python)
}

pub fn chromedriver() -> Result<PathBuf, String> {
    find_on_path("chromedriver").ok_or_else(|| "chromedriver is not installed".to_owned())
}

/// A cargo-installed binary: `$CARGO_HOME/bin/<name>` if present, else whatever is on PATH.
pub fn bin(name: &str) -> PathBuf {
    let candidate = cargo_bin().join(name);
    if candidate.exists() {
        candidate
    } else {
        PathBuf::from(name)
    }
}

/// PATH with `$CARGO_HOME/bin` in front, so trunk and the test runner find wasm-bindgen.
pub fn path_with_cargo_bin() -> std::ffi::OsString {
    let mut paths = vec![cargo_bin(), binaryen_bin()];
    if let Some(p) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(paths).unwrap_or_default()
}

fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default()
        .join("bin")
}

/// The version of `package` that Cargo.lock resolved.
fn locked_version(root: &Path, package: &str) -> Result<String, String> {
    let lock =
        std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .ok_or_else(|| format!("{package} is not in Cargo.lock"))?
        + needle.len();
    let end = lock[start..].find('"').ok_or("Cargo.lock is malformed")?;
    Ok(lock[start..start + end].to_owned())
}

fn version_is(program: &Path, expected: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .ok()
        .is_some_and(|o| String::from_utf8_lossy(&o.stdout).trim() == expected)
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    println!("==> installing Debian packages: {}", packages.join(" "));
    let is_root = output("id", &["-u"]).is_some_and(|o| o.trim() == "0");
    let sudo: &[&str] = if is_root { &[] } else { &["sudo"] };
    let apt = |args: &[&str]| {
        let mut all: Vec<&str> = sudo.to_vec();
        all.push("apt-get");
        all.extend_from_slice(args);
        run(all[0], &all[1..])
    };
    apt(&["update", "-q"])?;
    let mut args = vec!["install", "-y", "-q", "--no-install-recommends"];
    args.extend_from_slice(packages);
    apt(&args)
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .chain([PathBuf::from("/usr/bin")])
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let o = Command::new(program).args(args).output().ok()?;
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).into_owned())
}

fn run(program: &str, args: &[&str]) -> Result<(), String> {
    println!("==> {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("{program} {} failed ({status})", args.join(" ")))
}
