//! `mote wast PATH...`: run spec scripts and print one line per file, then the totals.

use std::path::PathBuf;

use mote_wast::{Mode, RunOptions, SkipList, collect_wast_files, find_testsuite, run_files};

use crate::Outcome;

/// Arguments of `mote wast`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The back end to run the scripts on.
    #[arg(long, value_enum, default_value_t = ModeArg::Interp)]
    mode: ModeArg,
    /// Show `spectest` print output and every failure of a file, not just the first.
    #[arg(long, short)]
    verbose: bool,
    /// Run everything, ignoring the known-failure list `tests/spec-skips.toml`.
    #[arg(long)]
    no_skips: bool,
    /// `.wast` files, or directories to search recursively.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

/// The command-line spelling of [`Mode`].
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ModeArg {
    /// The interpreter.
    Interp,
    /// Cranelift-compiled machine code.
    Jit,
    /// Each module compiled to an AOT artifact and loaded back from bytes.
    Aot,
}

impl From<ModeArg> for Mode {
    fn from(mode: ModeArg) -> Self {
        match mode {
            ModeArg::Interp => Mode::Interp,
            ModeArg::Jit => Mode::Jit,
            ModeArg::Aot => Mode::Aot,
        }
    }
}

/// Runs the scripts; fails if any directive failed.
///
/// # Errors
///
/// A path does not exist, the skip list is unreadable, or stdout cannot be written.
pub fn run(args: &Args) -> anyhow::Result<Outcome> {
    let files = collect_wast_files(&args.paths)?;
    let skips_path = SkipList::default_path();
    let skips = if args.no_skips || !skips_path.exists() {
        SkipList::default()
    } else {
        SkipList::load(&skips_path, find_testsuite().as_deref())?
    };
    if !cfg!(feature = "jit") && !matches!(args.mode, ModeArg::Interp) {
        anyhow::bail!(
            "--mode {}: this mote was built without the `jit` feature (the compiler)",
            Mode::from(args.mode)
        );
    }
    let opts = RunOptions {
        mode: args.mode.into(),
        verbose: args.verbose,
        skips,
    };
    // Not `stdout().lock()`: the scripts run on their own threads, and `spectest.print*`
    // writes to stdout from there in verbose mode.
    let totals = run_files(&files, &opts, &mut std::io::stdout())?;
    Ok(if totals.failed == 0 {
        Outcome::Passed
    } else {
        Outcome::Failed
    })
}
