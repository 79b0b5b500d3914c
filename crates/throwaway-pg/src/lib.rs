//! A throwaway PostgreSQL cluster for tests and benches.
//!
//! [`Cluster::start`] runs `initdb` in a new temporary directory and starts `postgres` on a
//! free port of 127.0.0.1 (and nowhere else), trusting local connections of the user `kassa`;
//! dropping the [`Cluster`] stops the server and removes the directory. PostgreSQL refuses to
//! run as root, so under root (CI) it runs as `nobody`. The binaries come from `PATH` or
//! Debian's `/usr/lib/postgresql/<version>/bin` (package `postgresql`).
//!
//! Settings are for throwaway data: no fsync, no synchronous commit.
#![cfg(unix)]

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::fs::chown;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The role tests connect as (a superuser of the cluster).
pub const USER: &str = "kassa";

/// A running cluster; stopped and removed on drop.
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    /// `Some((uid, gid))` when the server runs as another user than ours.
    run_as: Option<(u32, u32)>,
    server: Child,
}

impl Cluster {
    /// Starts a new cluster, ready for connections.
    pub fn start() -> Result<Self, String> {
        let bin = binaries()?;
        let run_as = unprivileged_user()?;
        let dir =
            std::env::temp_dir().join(format!("kassa-pg-{}-{}", std::process::id(), rand_seed()));
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if let Some((uid, gid)) = run_as {
            chown(&dir, Some(uid), Some(gid))
                .map_err(|e| format!("chown {}: {e}", dir.display()))?;
        }
        let data = dir.join("data");
        let initdb = command(&bin, "initdb", run_as)
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ])
            .stdout(Stdio::null())
            .output()
            .map_err(|e| format!("initdb: {e}"))?;
        if !initdb.status.success() {
            let _ = fs::remove_dir_all(&dir);
            return Err(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&initdb.stderr)
            ));
        }
        let port = free_port()?;
        let log = fs::File::create(dir.join("server.log")).map_err(|e| e.to_string())?;
        if let Some((uid, gid)) = run_as {
            chown(dir.join("server.log"), Some(uid), Some(gid)).map_err(|e| e.to_string())?;
        }
        let server = command(&bin, "postgres", run_as)
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string()])
            .args(["-c", "listen_addresses=127.0.0.1"])
            .arg("-c")
            .arg(format!("unix_socket_directories={}", dir.display()))
            .args(["-c", "fsync=off", "-c", "synchronous_commit=off"])
            .args(["-c", "full_page_writes=off", "-c", "max_connections=200"])
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("postgres: {e}"))?;
        let cluster = Self {
            dir,
            bin,
            port,
            run_as,
            server,
        };
        cluster.wait_ready()?;
        Ok(cluster)
    }

    /// The URL of database `name` (`postgres` always exists).
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{name}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Creates an empty database; returns its URL.
    pub fn create_database(&self, name: &str) -> Result<String, String> {
        let out = Command::new(self.bin.join("createdb"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                USER,
                name,
            ])
            .output()
            .map_err(|e| format!("createdb: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "createdb {name}: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(self.url(name))
    }

    /// Waits until the server accepts queries (`pg_isready`), at most a minute.
    fn wait_ready(&self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let reachable = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_ok();
            if reachable {
                let ready = Command::new(self.bin.join("pg_isready"))
                    .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                    .status()
                    .is_ok_and(|s| s.success());
                if ready {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                let log = fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
                return Err(format!("PostgreSQL did not start within a minute:\n{log}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // `immediate`: the data is thrown away, there is nothing to shut down cleanly for.
        let _ = command(&self.bin, "pg_ctl", self.run_as)
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if matches!(self.server.try_wait(), Ok(None)) {
            let _ = self.server.kill();
        }
        let _ = self.server.wait();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// `program` from the binaries' directory, run as `run_as` when given.
fn command(bin: &Path, program: impl AsRef<OsStr>, run_as: Option<(u32, u32)>) -> Command {
    let mut c = Command::new(bin.join(program.as_ref()));
    if let Some((uid, gid)) = run_as {
        c.uid(uid).gid(gid);
        // `initdb` looks around the working directory; root's home is not ours to read.
        c.current_dir("/");
    }
    c
}

/// The directory holding `initdb`, `postgres`, `pg_ctl`, `pg_isready` and `createdb`.
fn binaries() -> Result<PathBuf, String> {
    let needed = ["initdb", "postgres", "pg_ctl", "pg_isready", "createdb"];
    let has_all = |dir: &Path| needed.iter().all(|b| dir.join(b).is_file());
    // Debian's own directory first: /usr/bin has only wrappers of some of them.
    let mut debian: Vec<PathBuf> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin"))
        .collect();
    debian.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    let path = std::env::var_os("PATH").unwrap_or_default();
    debian
        .into_iter()
        .rev()
        .chain(std::env::split_paths(&path))
        .find(|dir| has_all(dir))
        .ok_or_else(|| {
            "PostgreSQL's server binaries (initdb, postgres, pg_ctl) were not found: install \
             Debian's `postgresql` package (`cargo xtask test` does)"
                .to_owned()
        })
}

/// Under root, `nobody`'s ids (PostgreSQL will not run as root); else `None`.
fn unprivileged_user() -> Result<Option<(u32, u32)>, String> {
    let out = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|e| format!("id: {e}"))?;
    if String::from_utf8_lossy(&out.stdout).trim() != "0" {
        return Ok(None);
    }
    let id = |flag: &str| -> Result<u32, String> {
        let out = Command::new("id")
            .args([flag, "nobody"])
            .output()
            .map_err(|e| format!("id: {e}"))?;
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .map_err(|_| "no user `nobody` to run PostgreSQL as".to_owned())
    };
    Ok(Some((id("-u")?, id("-g")?)))
}

fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e: io::Error| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// Distinct per call within a process, for directory names.
fn rand_seed() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    t ^ N
        .fetch_add(1, Ordering::Relaxed)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_starts_takes_a_database_and_is_gone_after() {
        let cluster = Cluster::start().expect("cluster");
        let url = cluster.create_database("scratch").expect("database");
        assert!(url.ends_with("/scratch"), "{url}");
        let dir = cluster.dir.clone();
        let port = cluster.port();
        assert!(TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok());
        drop(cluster);
        assert!(!dir.exists(), "the cluster's directory is removed");
        assert!(
            TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err(),
            "the server is stopped"
        );
    }
}
