//! Kassa's developer commands (`cargo xtask <command>`):
//!
//! - `run [proxy flags]`: install what is missing, build the app, start the proxy with the
//!   embedded sandbox, print the URL to open.
//! - `test`: install what is missing (browser, Mollie's official clients, openapi-core and
//!   Schemathesis too), then every check: formatting, clippy, host tests, contract tests
//!   (Mollie's Python and Node clients against the sandbox; the sandbox's Klarna side against
//!   Klarna's own OpenAPI files, a scenario validated by openapi-core and Schemathesis fuzzing;
//!   the Mollie side fuzzed against Mollie's OpenAPI file and the proxy's API against its own
//!   OpenAPI document, with Schemathesis),
//!   browser tests in headless Chromium, the app's release build, and the end-to-end WebDriver
//!   tests.
//! - `build [--dist DIR]`: install what is missing, then build the app into `dist/` (or `DIR`),
//!   split by route, and precompress it (what `run` and `test` do before they start anything):
//!   what the end-to-end tests and the first-load bench (`cargo bench -p kassa-e2e --bench
//!   first_load`) load, and what `scripts/wasm-size.sh` measures.
//! - `compress <dir>`: write `.br` and `.gz` beside every file of a built app in `<dir>` and
//!   print the sizes (`scripts/wasm-size.sh` uses it on its own builds).
//! - `chaos`: the chaos suite's full run (1,000 intents through two proxies on one throwaway
//!   PostgreSQL under provider faults, a killed proxy and a webhook storm; `cargo bench -p
//!   kassa-proxy --bench chaos`), printing its figures. The test command runs a small one.
//! - `fuzz`: the fuzzers' long run: Schemathesis against the proxy's own OpenAPI document and
//!   the sandbox against Mollie's at 100 random cases per operation (the test command runs 5),
//!   and against Klarna's at its usual 15.
//! - `setup`: only the installs.
//!
//! Installs are idempotent: each tool is checked first and installed only if missing or at
//! the wrong version.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

mod compress;
mod sandbox;
mod split;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("build") => build(&args[1..]),
        Some("compress") => match args.get(1) {
            Some(dir) => compress_dir(Path::new(dir)).map(drop),
            None => Err("usage: cargo xtask compress <dir>".into()),
        },
        Some("chaos") => chaos(),
        Some("fuzz") => fuzz(),
        Some("setup") => {
            tools::ensure(&root(), true).and_then(|()| tools::contract_clients(&root()).map(drop))
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <run [kassa flags] | test | build [--dist DIR] | compress <dir> | chaos | fuzz | setup>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `cargo xtask build [--dist DIR]`.
fn build(args: &[String]) -> Result<(), String> {
    let root = root();
    let dist = match args {
        [] => root.join("dist"),
        // Relative to where the command was typed; Trunk runs from the workspace root.
        [flag, dir] if flag == "--dist" => std::env::current_dir()
            .map_err(|e| format!("the current directory: {e}"))?
            .join(dir),
        _ => return Err("usage: cargo xtask build [--dist DIR]".into()),
    };
    tools::ensure(&root, false)?;
    build_app(&root, &dist)
}

fn run(extra: &[String]) -> Result<(), String> {
    let root = root();
    tools::ensure(&root, false)?;
    let dist = root.join("dist");
    build_app(&root, &dist)?;
    step(
        "start the proxy",
        cargo(&root)
            .args([
                "run",
                "--quiet",
                "-p",
                "kassa-proxy",
                "--bin",
                "kassa",
                "--",
            ])
            .arg("--dist")
            .arg(&dist)
            .args(extra),
    )
}

/// `cargo xtask chaos`: the full chaos run on a throwaway PostgreSQL of its own.
fn chaos() -> Result<(), String> {
    let root = root();
    tools::ensure(&root, true)?;
    step(
        "the chaos suite (1,000 intents)",
        cargo(&root).args(["bench", "-p", "kassa-proxy", "--bench", "chaos"]),
    )
}

/// `cargo xtask fuzz`: the contract step's fuzzing, longer.
fn fuzz() -> Result<(), String> {
    let root = root();
    tools::ensure(&root, false)?;
    let contract_python = tools::contract_clients(&root)?;
    step(
        "fuzzing: the proxy's API and the sandbox's Mollie at 100 cases per operation, Klarna's",
        cargo(&root)
            .args([
                "test",
                "--test",
                "sandbox",
                "--test",
                "proxy",
                "--",
                "--ignored",
                "--nocapture",
                "schemathesis_finds_nothing",
            ])
            .env("KASSA_CONTRACT_PYTHON", &contract_python)
            .env("KASSA_FUZZ_EXAMPLES", "100")
            .env("KASSA_FUZZ_SECONDS", "900"),
    )
}

fn test() -> Result<(), String> {
    let root = root();
    tools::ensure(&root, true)?;
    let chromedriver = tools::chromedriver()?;
    let contract_python = tools::contract_clients(&root)?;
    let wasm = "wasm32-unknown-unknown";
    step(
        "formatting",
        cargo(&root).args(["fmt", "--all", "--", "--check"]),
    )?;
    step(
        "clippy (native crates)",
        cargo(&root).args(["clippy", "--all-targets", "--", "-D", "warnings"]),
    )?;
    // Both ways the app is built for the browser: unsplit, as the browser tests and plain
    // `trunk build` compile it, and with the `split` feature, whose split points are what the
    // release build compiles (the host clippy above sees the pages as plain `async fn`s).
    step(
        "clippy (app, wasm32)",
        cargo(&root).args([
            "clippy",
            "-p",
            "kassa-app",
            "--target",
            wasm,
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    step(
        "clippy (app, wasm32, split by route)",
        cargo(&root).args([
            "clippy",
            "-p",
            "kassa-app",
            "--target",
            wasm,
            "--features",
            "split",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    let mut tally = Tally::default();
    tally.step(
        "host tests (app logic, model, sandbox, proxy)",
        cargo(&root).arg("test"),
    )?;
    // The proxy's database tests again, each on a fresh database of one throwaway PostgreSQL
    // (see crates/proxy/tests/common: `KASSA_TEST_POSTGRES`); the proxy's one test binary,
    // chosen by target like the contract tests below so nothing is compiled again, and in it
    // these modules by name. Left out: `delivery` and `embedded_sandbox`, which test the app's
    // files and the embedded sandbox, not the data; `chaos`, on PostgreSQL in the host tests
    // already; the OpenAPI document's walks and fuzzing (`openapi`, `security`,
    // `contract_fuzz`). A filter matches anywhere in a test's name, so `api::` would take
    // `openapi::` too: hence the `--skip`.
    let postgres = throwaway_pg::Cluster::start()?;
    let server = postgres.url("postgres");
    tally.step(
        "proxy tests on PostgreSQL (a throwaway cluster)",
        cargo(&root)
            .args(["test", "--test", "proxy", "--"])
            .args(PROXY_DATABASE_TESTS.map(|module| format!("{module}::")))
            .args(["--skip", "openapi::"])
            .env("KASSA_TEST_POSTGRES", &server),
    )?;
    tally.step(
        "the search on PostgreSQL",
        cargo(&root)
            .args(["test", "--lib", "--", "search::tests::both_search_plans"])
            .env("KASSA_TEST_POSTGRES", &server),
    )?;
    drop(postgres);
    tally.step(
        "contract tests (the sandbox with Mollie's Python and Node clients; against Klarna's \
         OpenAPI files with openapi-core and Schemathesis, and Mollie's with Schemathesis; the \
         proxy against its own OpenAPI document with Schemathesis)",
        // Chosen by test target across the workspace, not with `-p`: the workspace's feature
        // set is the host tests', so nothing is compiled again. The sandbox's and the proxy's
        // tests are one binary each; the contract tests are their `#[ignore]`d ones in these
        // modules (the proxy's fuzzing is its `contract_fuzz` module).
        cargo(&root)
            .args([
                "test",
                "--test",
                "sandbox",
                "--test",
                "proxy",
                "--",
                "--ignored",
                "contract_clients::",
                "contract_klarna::",
                "contract_mollie::",
                "contract_fuzz::",
            ])
            .env("KASSA_CONTRACT_PYTHON", &contract_python),
    )?;
    // Exactly the README's command, so it keeps working for anyone who types it, plus the
    // sandbox the Klarna step's tests talk to (without it they skip; here they never do).
    let sandbox = sandbox::Sandbox::start(&root)?;
    println!("\n(a sandbox for the browser tests at {})", sandbox.url);
    // `cargo test` for wasm32 runs each test wasm through `wasm-bindgen-test-runner`
    // (.cargo/config.toml), which drives headless Chromium through `CHROMEDRIVER`: what
    // `wasm-pack test --headless --chrome` does, without installing wasm-pack.
    tally.step(
        "browser tests (app, wasm-bindgen-test in headless Chromium)",
        cargo(&root)
            .args(["test", "--target", wasm])
            .env("PATH", tools::path_with_cargo_bin())
            .env("CHROMEDRIVER", &chromedriver)
            .env("WASM_BINDGEN_TEST_ONLY_WEB", "1")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "180")
            .env("KASSA_TEST_SANDBOX_URL", &sandbox.url),
    )?;
    drop(sandbox);
    build_app(&root, &root.join("dist"))?;
    tally.step(
        "end-to-end tests (WebDriver)",
        cargo(&root)
            // Chosen by test target across the workspace rather than with `-p kassa-e2e`, which
            // would resolve features anew and compile the dependencies a second time. Every
            // file of crates/e2e/tests is a module of this one binary (its tests/main.rs).
            .args([
                "test",
                "--test",
                "e2e",
                "--",
                "--ignored",
                "--test-threads=1",
            ])
            .env("CHROMEDRIVER", &chromedriver)
            .env("KASSA_E2E_DIST", root.join("dist")),
    )?;
    println!("\nxtask test: every step passed");
    println!("{} passed, {} failed", tally.passed, tally.failed);
    Ok(())
}

/// The proxy's test modules (files of crates/proxy/tests) that exercise its database, run a
/// second time on PostgreSQL.
const PROXY_DATABASE_TESTS: [&str; 8] = [
    "actions",
    "api",
    "console_extras",
    "hardening",
    "klarna",
    "klarna_checkout",
    "refresh_schedule",
    "several_proxies",
];

/// Test counts summed over the test steps, from the runners' `test result:` lines.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    /// Like [`step`], but reads the test runner's output (echoing it) to count tests.
    fn step(&mut self, name: &str, cmd: &mut Command) -> Result<(), String> {
        use std::io::{BufRead, BufReader};
        println!("\n==> {name}");
        let started = std::time::Instant::now();
        let mut child = cmd
            .stdout(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("{name}: cannot start {:?}: {e}", cmd.get_program()))?;
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                println!("{line}");
                if let Some(counts) = line.trim().strip_prefix("test result: ") {
                    self.passed += count(counts, " passed");
                    self.failed += count(counts, " failed");
                }
            }
        }
        let status = child.wait().map_err(|e| format!("{name}: {e}"))?;
        took(started);
        if status.success() {
            Ok(())
        } else {
            Err(format!("{name} failed ({status})"))
        }
    }
}

/// How long a step took, so a slow CI run says where its time went.
fn took(started: std::time::Instant) {
    let secs = started.elapsed().as_secs();
    println!("<== {}m {:02}s", secs / 60, secs % 60);
}

/// The number before `label` in `ok. 5 passed; 0 failed; ...`.
fn count(line: &str, label: &str) -> u64 {
    line.split(';')
        .find_map(|part| part.trim().strip_suffix(label.trim()).map(str::trim))
        .and_then(|n| n.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The app into `dist/`, split by route. Trunk builds index.html, the CSS and the examples, and
/// has cargo build the wasm with the `split` feature and index.html's release profile; it runs
/// as a dev build (no `--release`) only so that it skips its own wasm-opt pass over the whole
/// wasm, which the split step replaces anyway (Trunk minifies nothing in either mode). Then
/// [`split`] replaces Trunk's wasm and JS with the main module and one chunk per page, each
/// through wasm-bindgen and wasm-opt as index.html asks; then every file is precompressed
/// beside itself (`.br`, `.gz`) for the proxy to serve.
fn build_app(root: &Path, dist: &Path) -> Result<(), String> {
    let link = split::RustLink::read(&root.join("index.html"))?;
    step(
        "build the app (trunk, with the split feature)",
        Command::new(tools::bin("trunk"))
            .args([
                "build",
                "--cargo-profile",
                &link.profile,
                "--features",
                "split",
            ])
            .arg("--dist")
            .arg(dist)
            .current_dir(root)
            .env("PATH", tools::path_with_cargo_bin()),
    )?;
    println!("\n==> split the wasm by route (wasm-split, wasm-bindgen, wasm-opt)");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let wasm = target
        .join("wasm32-unknown-unknown")
        .join(&link.profile)
        .join("kassa-app.wasm");
    let split = split::split_into_dist(&wasm, &link, dist, &target.join("kassa-split"))?;
    for f in &split.files {
        println!("  {:<44} {}", f.name, f.role);
    }
    println!("\n==> precompress dist/ (brotli 11, gzip 9)");
    let sizes = compress_dir(dist)?;
    println!("\n==> what a cold load of each page fetches (index.html, CSS, icon, main JS and wasm, split loader, the page's chunks)");
    let size_of = |name: &str| sizes.iter().find(|s| s.path == name);
    // What index.html links besides the app's code (the examples/ folder is not loaded).
    let linked: Vec<String> = sizes
        .iter()
        .filter(|s| !s.path.contains('/') && (s.path.ends_with(".css") || s.path.ends_with(".svg")))
        .map(|s| s.path.clone())
        .collect();
    let mut shell: Vec<String> = vec!["index.html".into()];
    shell.extend(linked);
    shell.extend(split.shell.iter().cloned());
    let total = |files: &[String]| {
        files
            .iter()
            .filter_map(|f| size_of(f))
            .fold((0, 0, 0), |(r, g, b), s| {
                (r + s.raw, g + s.gzip, b + s.brotli)
            })
    };
    let (r, g, b) = total(&shell);
    println!(
        "  {:<12} {:>9} B raw  {:>8} B gzip  {:>8} B brotli",
        "shell", r, g, b
    );
    for (page, chunks) in &split.pages {
        let (cr, cg, cb) = total(chunks);
        println!(
            "  {page:<12} {:>9} B raw  {:>8} B gzip  {:>8} B brotli  (chunks {cr} raw, {cg} gzip, {cb} brotli: {})",
            r + cr,
            g + cg,
            b + cb,
            chunks.join(" ")
        );
    }
    Ok(())
}

/// Precompresses a built app's directory (see [`compress`]) and prints each file's sizes.
fn compress_dir(dir: &Path) -> Result<Vec<compress::Sizes>, String> {
    let sizes = compress::precompress(dir)?;
    for s in &sizes {
        println!(
            "  {:<44} {:>9} B raw  {:>8} B gzip  {:>8} B brotli",
            s.path, s.raw, s.gzip, s.brotli
        );
    }
    Ok(sizes)
}

fn cargo(root: &Path) -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root)
        .env("PATH", tools::path_with_cargo_bin());
    c
}

/// Runs one step, echoing it; a failing step fails the command.
fn step(name: &str, cmd: &mut Command) -> Result<(), String> {
    println!("\n==> {name}");
    let started = std::time::Instant::now();
    let status = cmd
        .status()
        .map_err(|e| format!("{name}: cannot start {:?}: {e}", cmd.get_program()))?;
    took(started);
    if status.success() {
        Ok(())
    } else {
        Err(format!("{name} failed ({status})"))
    }
}
