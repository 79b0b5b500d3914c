//! The toolchain Kassa needs beyond cargo, installed only when missing:
//! the wasm32 target, wasm-bindgen-cli at exactly the version in Cargo.lock, trunk 0.21.14,
//! and for tests Chromium + chromedriver (Debian), the contract tests' packages (Mollie's
//! official clients, openapi-core and Schemathesis for Klarna: a Python venv and `npm ci`, see
//! [`contract_clients`]), and binaryen's
//! `wasm-opt` from npm for Trunk's release build (Debian's binaryen 108 breaks what
//! wasm-bindgen 0.2.130 emits; Trunk.toml pins the version).

use std::path::{Path, PathBuf};
use std::process::Command;

const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The contract tests' Python packages, every one pinned with `==`: Mollie's client, and
/// openapi-core and Schemathesis for the Klarna contract and fuzz tests. One venv holds them all.
const PYTHON_REQUIREMENTS: [&str; 2] = [
    "contract/python/requirements.txt",
    "contract/klarna/requirements.txt",
];
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
    // The proxy's tests on PostgreSQL start a throwaway cluster from the server's binaries.
    if browser && !postgres_installed() {
        apt_install(&["postgresql"])?;
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

/// binaryen's `wasm-opt` as installed by [`ensure`], else whatever is on PATH.
pub fn wasm_opt() -> PathBuf {
    let installed = binaryen_bin().join("wasm-opt");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("wasm-opt")
    }
}

/// Where npm puts binaryen's `wasm-opt`: `target/binaryen/node_modules/.bin`.
fn binaryen_bin() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/binaryen/node_modules/.bin")
}

/// The contract tests' packages: a venv at `target/contract-venv` with every pin of
/// [`PYTHON_REQUIREMENTS`] (`mollie-api-python` for `crates/sandbox/tests/contract_clients.rs`,
/// `openapi-core` and `schemathesis` for `contract_klarna.rs`, `schemathesis` for `contract_mollie.rs`
/// and the proxy's `contract_fuzz.rs`; pip runs only when `pip freeze`
/// lacks one of the pins), and `@mollie/api-client` in `contract/node/node_modules` (`npm ci`
/// runs only when the installed package.json is not the pinned version). Returns the venv's
/// Python, for `KASSA_CONTRACT_PYTHON`.
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
    let installed = output(
        &python_arg,
        &["-m", "pip", "freeze", "--disable-pip-version-check"],
    )
    .map(|freeze| pins(&freeze))
    .unwrap_or_default();
    let mut wanted = Vec::new();
    for file in PYTHON_REQUIREMENTS {
        let path = root.join(file);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        wanted.extend(pins(&text));
    }
    wanted.sort();
    wanted.dedup();
    let missing: Vec<String> = wanted
        .iter()
        .filter(|pin| !installed.contains(pin))
        .map(|(name, version)| format!("{name}=={version}"))
        .collect();
    if !missing.is_empty() {
        let shown = missing
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        let more = missing.len().saturating_sub(5);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        println!("==> the contract venv lacks {shown}{more}");
        let files: Vec<String> = PYTHON_REQUIREMENTS
            .iter()
            .map(|file| root.join(file).to_string_lossy().into_owned())
            .collect();
        let mut args = vec![
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ];
        for file in &files {
            args.extend(["-r", file.as_str()]);
        }
        run(&python_arg, &args)?;
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

/// The `name==version` lines of a requirements file or of `pip freeze`, names normalized as
/// pip compares them (lower case, runs of `-`, `_` and `.` as one `-`).
fn pins(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| line.split('#').next()?.trim().split_once("=="))
        .map(|(name, version)| {
            let mut normalized = String::with_capacity(name.len());
            for c in name.trim().chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !normalized.ends_with('-') {
                        normalized.push('-');
                    }
                } else {
                    normalized.push(c.to_ascii_lowercase());
                }
            }
            (normalized, version.trim().to_owned())
        })
        .collect()
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

/// Whether PostgreSQL's server binaries are here (Debian keeps them off `PATH`).
fn postgres_installed() -> bool {
    find_on_path("initdb").is_some()
        || std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .any(|e| e.path().join("bin/initdb").is_file())
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

#[cfg(test)]
mod tests {
    use super::pins;

    #[test]
    fn pins_compare_as_pip_names_them() {
        let file = "# comment\nPyYAML==6.0.4\njsonschema_rs==0.60.3  # why\nrequests>=2\n\n";
        assert_eq!(
            pins(file),
            [
                ("pyyaml".to_owned(), "6.0.4".to_owned()),
                ("jsonschema-rs".to_owned(), "0.60.3".to_owned())
            ]
        );
        assert_eq!(pins("zope.interface==7.0")[0].0, "zope-interface");
    }
}
