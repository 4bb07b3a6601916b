//! The spec harness: one trial per top-level `.wast` file of the testsuite and per back end,
//! named `spec::<mode>::<file>` so that `cargo test -p mote-wast -- simd` filters.
//!
//! Files on the skip list are ignored trials; `-- --ignored` runs them anyway (with line skips
//! off too). Without a testsuite the harness passes with no trials, unless `CI` is set.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use libtest_mimic::{Arguments, Failed, Trial};
use mote_wast::discover::{TESTSUITE_ENV, top_level_wast_files};
use mote_wast::{Mode, RunOptions, SkipList, find_testsuite, run_file};

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let trials = match trials() {
        Ok(trials) => trials,
        Err(problem) if std::env::var_os("CI").is_some() => {
            vec![Trial::test("spec::testsuite", move || Err(problem.into()))]
        }
        Err(problem) => {
            eprintln!("note: {problem}; no spec trials run");
            Vec::new()
        }
    };
    libtest_mimic::run(&args, trials).exit_code()
}

/// The trials, or why there are none.
fn trials() -> Result<Vec<Trial>, String> {
    let suite = find_testsuite()
        .ok_or_else(|| format!("no spec testsuite found (set {TESTSUITE_ENV} or add tests/testsuite)"))?;
    let files = top_level_wast_files(&suite).map_err(|err| err.to_string())?;
    if files.is_empty() {
        return Err(format!("no .wast files in {}", suite.display()));
    }
    let skips = SkipList::load(&SkipList::default_path(), Some(&suite)).map_err(|e| e.to_string())?;
    let mut trials = Vec::new();
    for &mode in Mode::ALL {
        for file in &files {
            trials.push(trial(mode, file, &skips));
        }
    }
    Ok(trials)
}

fn trial(mode: Mode, file: &Path, skips: &SkipList) -> Trial {
    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
    let name = format!("spec::{mode}::{stem}");
    let skipped = skips.file_reason(file, mode).is_some();
    let opts = RunOptions {
        mode,
        verbose: false,
        skips: if skipped { SkipList::default() } else { skips.clone() },
    };
    let file: PathBuf = file.to_path_buf();
    Trial::test(name, move || check(&file, &opts)).with_ignored_flag(skipped)
}

fn check(file: &Path, opts: &RunOptions) -> Result<(), Failed> {
    let report = run_file(file, opts);
    match report.first_failure() {
        None => Ok(()),
        Some(first) => Err(format!(
            "{} of {} directive(s) failed; first at {first}",
            report.failed(),
            report.failed() + report.passed
        )
        .into()),
    }
}
