//! `mote-wast`: runs WebAssembly `.wast` spec scripts against Mote.
//!
//! This crate sits at the tool end of the pipeline (see `docs/architecture.md`): it drives the
//! public `mote` API exactly as an embedder would, so every back end is tested through the same
//! door. It is used by `mote wast` and by this crate's `spec` cargo test.
//!
//! - [`discover`]: finding the testsuite and the `.wast` files under a path;
//! - [`skips`]: the known-failure list (`tests/spec-skips.toml`);
//! - [`runner`]: one script's state (store, linker, named modules) and every directive;
//! - [`report`]: per-file results and the one-line-per-file summary printer.
//!
//! ```no_run
//! use mote_wast::{RunOptions, run_file};
//! let report = run_file("i32.wast".as_ref(), &RunOptions::default());
//! assert!(report.failures.is_empty());
//! ```

#![deny(missing_docs)]

pub mod discover;
mod messages;
pub mod report;
pub mod runner;
mod script;
pub mod skips;
mod spectest;
mod values;

use std::fmt;
use std::str::FromStr;

pub use discover::{collect_wast_files, find_testsuite, repo_root};
pub use report::{Failure, FileReport, Totals, run_files};
pub use runner::WastRunner;
pub use script::{run_file, run_script};
pub use skips::{SkipEntry, SkipList};

/// Which execution back end runs the scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Mode {
    /// Mote's interpreter.
    #[default]
    Interp,
    /// Machine code compiled with Cranelift at load (`Strategy::Jit`).
    Jit,
    /// Like `Jit`, but each module is written as an AOT artifact and
    /// loaded back from its bytes before it runs.
    Aot,
}

impl Mode {
    /// Every back end, in the order the spec harness runs them.
    pub const ALL: &'static [Mode] = &[Mode::Interp, Mode::Jit, Mode::Aot];

    /// The short name used on the command line and in test names.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Interp => "interp",
            Mode::Jit => "jit",
            Mode::Aot => "aot",
        }
    }

    /// The engine configuration that selects this back end.
    fn config(self) -> mote::Config {
        match self {
            Mode::Interp => mote::Config::default(),
            Mode::Jit | Mode::Aot => {
                let mut config = mote::Config::default();
                config.strategy(mote::Strategy::Jit);
                config
            }
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Mode {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Mode::ALL
            .iter()
            .copied()
            .find(|mode| mode.name() == s)
            .ok_or_else(|| Error::UnknownMode(s.to_owned()))
    }
}

/// How scripts are run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The back end to run on.
    pub mode: Mode,
    /// Print `spectest.print*` output, and every failure of a file rather than the first.
    pub verbose: bool,
    /// Known failures: whole files or single directives that are not run.
    pub skips: SkipList,
}

/// Errors of the harness itself (not of the scripts it runs, which end up in a [`FileReport`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A path given to the runner does not exist.
    #[error("no such file or directory: {}", .0.display())]
    NotFound(std::path::PathBuf),
    /// A file or directory could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The path that could not be read.
        path: std::path::PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The skip list is not valid TOML or lacks a required key.
    #[error("{}: {message}", path.display())]
    BadSkipList {
        /// The skip list's path.
        path: std::path::PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The name is not one of [`Mode::ALL`].
    #[error("unknown mode `{0}` (expected one of: {names})", names = mode_names())]
    UnknownMode(String),
}

/// The names of [`Mode::ALL`], comma-separated.
fn mode_names() -> String {
    Mode::ALL.iter().map(|mode| mode.name()).collect::<Vec<_>>().join(", ")
}
