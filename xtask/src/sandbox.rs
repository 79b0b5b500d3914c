//! A standalone `kassa-sandbox` for the browser tests: the Klarna step's tests
//! (tests/web/klarna_step.rs) load the sandbox's stand-in of Klarna's library and open
//! sessions through its test controls, so they need one running. It listens on a free
//! loopback port; its URL reaches the tests at compile time as `KASSA_TEST_SANDBOX_URL`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};

/// What the sandbox prints first: `Kassa sandbox listening on http://127.0.0.1:PORT`.
const LISTENING: &str = "Kassa sandbox listening on ";

/// A running sandbox; stopped when dropped (also when a later step fails).
pub struct Sandbox {
    child: Child,
    pub url: String,
}

impl Sandbox {
    /// Builds the sandbox if needed (selected by binary name, like the tests, so the host
    /// tests' build is reused) and starts it on port 0: the system picks a free port, and the
    /// sandbox says which.
    pub fn start(root: &Path) -> Result<Self, String> {
        let mut child = super::cargo(root)
            .args(["run", "--quiet", "--bin", "kassa-sandbox", "--"])
            .args(["--listen", "127.0.0.1:0"])
            .env("RUST_LOG", "kassa_sandbox=warn")
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the sandbox: {e}"))?;
        let Some(out) = child.stdout.take() else {
            let _ = child.kill();
            return Err("the sandbox's output cannot be read".into());
        };
        let mut lines = BufReader::new(out).lines();
        let url = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|line| line.strip_prefix(LISTENING).map(str::to_owned));
        // The rest of its output is read and dropped, so it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        match url {
            Some(url) => Ok(Self { child, url }),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                Err("the sandbox stopped before it said where it listens".into())
            }
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
