//! Results: what happened in one file ([`FileReport`]), the running [`Totals`], and the
//! printer behind `mote wast` — one line per file, then `N passed, N failed, N skipped`.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::{RunOptions, run_file};

/// A directive that failed, or a file that could not be run at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The 1-based line where the directive starts; `None` for a file that could not be read.
    pub line: Option<usize>,
    /// What went wrong, on one line.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// What happened when one script ran. Every directive counts once: passed, failed or skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// The script's path, as given.
    pub path: PathBuf,
    /// Directives that ran and held.
    pub passed: usize,
    /// Directives that were not run (skip list, threads, custom-section checks).
    pub skipped: usize,
    /// Failed directives in file order; a file that could not be read or parsed has one.
    pub failures: Vec<Failure>,
    /// Why the whole file was skipped, if it was.
    pub skip_reason: Option<String>,
}

impl FileReport {
    pub(crate) fn new(path: &Path) -> Self {
        FileReport {
            path: path.to_path_buf(),
            passed: 0,
            skipped: 0,
            failures: Vec::new(),
            skip_reason: None,
        }
    }

    /// A file that could not be run: one failure.
    pub(crate) fn broken(path: &Path, line: Option<usize>, message: String) -> Self {
        let mut report = FileReport::new(path);
        report.fail(line, message);
        report
    }

    /// A file on the skip list, with `directives` directives.
    pub(crate) fn skipped_file(path: &Path, directives: usize, reason: &str) -> Self {
        FileReport {
            skipped: directives,
            skip_reason: Some(reason.to_owned()),
            ..FileReport::new(path)
        }
    }

    pub(crate) fn fail(&mut self, line: Option<usize>, message: String) {
        let message = message.lines().map(str::trim).collect::<Vec<_>>().join(" ");
        self.failures.push(Failure { line, message });
    }

    /// The number of failed directives.
    pub fn failed(&self) -> usize {
        self.failures.len()
    }

    /// The first failure, the one the summary line shows.
    pub fn first_failure(&self) -> Option<&Failure> {
        self.failures.first()
    }
}

/// The summary line: `PASS path (N)`, `FAIL path: line L: message` or `SKIP path: reason`.
impl fmt::Display for FileReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match (self.first_failure(), &self.skip_reason) {
            (Some(failure), _) => write!(f, "FAIL {path}: {failure}"),
            (None, Some(reason)) => write!(f, "SKIP {path}: {reason}"),
            (None, None) => write!(f, "PASS {path} ({})", self.passed),
        }
    }
}

/// Directive counts over several files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Directives that passed.
    pub passed: usize,
    /// Directives that failed (and files that could not be run).
    pub failed: usize,
    /// Directives that were skipped.
    pub skipped: usize,
}

impl Totals {
    /// Adds one file's counts.
    pub fn add(&mut self, report: &FileReport) {
        self.passed += report.passed;
        self.failed += report.failed();
        self.skipped += report.skipped;
    }
}

/// `N passed, N failed, N skipped`.
impl fmt::Display for Totals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }
}

/// Runs `files` in order, writing one summary line per file to `out` as it finishes (with
/// every failure when `opts.verbose`), then the totals line.
///
/// # Errors
///
/// An error writing to `out`.
pub fn run_files(files: &[PathBuf], opts: &RunOptions, out: &mut dyn Write) -> io::Result<Totals> {
    let mut totals = Totals::default();
    for file in files {
        let report = run_file(file, opts);
        writeln!(out, "{report}")?;
        if opts.verbose {
            for failure in report.failures.iter().skip(1) {
                writeln!(out, "    {failure}")?;
            }
        }
        out.flush()?;
        totals.add(&report);
    }
    writeln!(out, "{totals}")?;
    Ok(totals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lines() {
        let mut report = FileReport::new(Path::new("a.wast"));
        report.passed = 3;
        assert_eq!(report.to_string(), "PASS a.wast (3)");
        report.fail(Some(7), "expected i32 1,\n  got i32 2".to_owned());
        assert_eq!(report.to_string(), "FAIL a.wast: line 7: expected i32 1, got i32 2");
        let skipped = FileReport::skipped_file(Path::new("b.wast"), 4, "not yet");
        assert_eq!(skipped.to_string(), "SKIP b.wast: not yet");

        let mut totals = Totals::default();
        totals.add(&report);
        totals.add(&skipped);
        assert_eq!(totals.to_string(), "3 passed, 1 failed, 4 skipped");
    }
}
