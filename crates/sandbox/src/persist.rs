//! The optional data file: with `--data-file`, the sandbox's orders and clock survive a
//! restart. The whole state is rewritten (to a temporary file, then renamed, so a crash never
//! leaves half a file) after every change; it is a tester's convenience, not a database.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::mollie::order::OrderRecord;
use crate::State;

#[derive(Serialize, Deserialize)]
struct Snapshot {
    /// How far the tester had moved the clock.
    clock_offset_seconds: i64,
    /// Mollie's orders, oldest first.
    orders: Vec<OrderRecord>,
    /// Klarna's sessions, authorizations and orders (absent in files written before Klarna).
    #[serde(default)]
    klarna: crate::klarna::store::Store,
}

/// The same, borrowed, for writing without copying the state.
#[derive(Serialize)]
struct SnapshotRef<'a> {
    clock_offset_seconds: i64,
    orders: Vec<&'a OrderRecord>,
    klarna: &'a crate::klarna::store::Store,
}

#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a sandbox data file: {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{path}: the clock offset is out of range: {source}")]
    Clock {
        path: PathBuf,
        source: crate::ClockError,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Loads the state and the clock; a missing file is an empty sandbox.
pub fn load(path: &Path) -> Result<(State, Clock), PersistError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((State::default(), Clock::default()))
        }
        Err(source) => {
            return Err(PersistError::Read {
                path: path.into(),
                source,
            })
        }
    };
    let snapshot: Snapshot = serde_json::from_str(&text).map_err(|source| PersistError::Parse {
        path: path.into(),
        source,
    })?;
    // A hand-edited file must not smuggle in an offset the clock would refuse.
    let clock = Clock::with_offset(snapshot.clock_offset_seconds).map_err(|source| {
        PersistError::Clock {
            path: path.into(),
            source,
        }
    })?;
    let state = State {
        mollie: crate::mollie::store::Store::from_orders(snapshot.orders),
        klarna: snapshot.klarna,
    };
    Ok((state, clock))
}

pub fn save(path: &Path, state: &State, clock_offset_seconds: i64) -> Result<(), PersistError> {
    let snapshot = SnapshotRef {
        clock_offset_seconds,
        orders: state.mollie.orders().collect(),
        klarna: &state.klarna,
    };
    let write = |source| PersistError::Write {
        path: path.into(),
        source,
    };
    let bytes = serde_json::to_vec(&snapshot).map_err(|e| write(std::io::Error::other(e)))?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(write)?;
    std::fs::rename(&tmp, path).map_err(write)
}
