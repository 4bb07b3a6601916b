//! Running one script: read, honour the skip list, parse with the `wast` crate, then run every
//! directive on a [`WastRunner`], counting each one as passed, failed or skipped.
//!
//! Each file runs on its own thread with a large stack, and each directive under
//! `catch_unwind`: a deep recursion or a panic in the runtime becomes a failure of that
//! directive (or file), not the end of the whole run.

use std::any::Any;
use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::thread;

use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::token::Span;
use wast::{Wast, WastDirective};

use crate::RunOptions;
use crate::report::FileReport;
use crate::runner::{Verdict, WastRunner};

/// Native stack for a script's thread: generous, so that the runtime's own depth limits (not
/// the host's stack) decide when a recursion is exhausted.
const SCRIPT_STACK_BYTES: usize = 256 << 20;

/// Runs the script at `path`. A file that cannot be read or parsed is one failure; a file on
/// the skip list is not run and all its directives count as skipped.
pub fn run_file(path: &Path, opts: &RunOptions) -> FileReport {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => return FileReport::broken(path, None, format!("cannot read file: {err}")),
    };
    if let Some(reason) = opts.skips.file_reason(path, opts.mode) {
        return FileReport::skipped_file(path, count_directives(&text), reason);
    }
    let (owned_path, owned_opts) = (path.to_path_buf(), opts.clone());
    let spawned = thread::Builder::new()
        .name(format!("wast {}", path.display()))
        .stack_size(SCRIPT_STACK_BYTES)
        .spawn(move || run_script(&owned_path, &text, &owned_opts));
    match spawned.map(thread::JoinHandle::join) {
        Ok(Ok(report)) => report,
        Ok(Err(panic)) => FileReport::broken(path, None, panic_text(&*panic)),
        Err(err) => FileReport::broken(path, None, format!("cannot start a thread: {err}")),
    }
}

/// Runs the script `text`, named `path` in the report and for line skips, on this thread.
pub fn run_script(path: &Path, text: &str, opts: &RunOptions) -> FileReport {
    let buf = match parse_buffer(text) {
        Ok(buf) => buf,
        Err(err) => return parse_failure(path, text, &err),
    };
    let wast = match parser::parse::<Wast<'_>>(&buf) {
        Ok(wast) => wast,
        Err(err) => return parse_failure(path, text, &err),
    };
    let mut runner = match WastRunner::new(opts) {
        Ok(runner) => runner,
        Err(err) => {
            return FileReport::broken(path, None, format!("cannot define spectest: {err}"));
        }
    };
    let mut report = FileReport::new(path);
    for directive in wast.directives {
        let line = line_of(directive.span(), text);
        if opts.skips.line_reason(path, line, opts.mode).is_some() {
            report.skipped += 1;
            continue;
        }
        match run_guarded(&mut runner, directive) {
            Ok(Verdict::Passed) => report.passed += 1,
            Ok(Verdict::Skipped) => report.skipped += 1,
            Err(message) => report.fail(Some(line), message),
        }
    }
    report
}

fn run_guarded(runner: &mut WastRunner, directive: WastDirective<'_>) -> Result<Verdict, String> {
    panic::catch_unwind(AssertUnwindSafe(|| runner.run(directive))).unwrap_or_else(|panic| Err(panic_text(&*panic)))
}

fn panic_text(panic: &(dyn Any + Send)) -> String {
    let message = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    format!("runtime panicked: {message}")
}

/// A parse buffer that accepts the "confusing" Unicode characters `names.wast` uses on purpose.
fn parse_buffer(text: &str) -> Result<ParseBuffer<'_>, wast::Error> {
    let mut lexer = Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    ParseBuffer::new_with_lexer(lexer)
}

fn parse_failure(path: &Path, text: &str, err: &wast::Error) -> FileReport {
    let line = line_of(err.span(), text);
    FileReport::broken(path, Some(line), format!("cannot parse script: {}", err.message()))
}

/// The number of directives in `text`, or 1 if it does not parse.
fn count_directives(text: &str) -> usize {
    parse_buffer(text)
        .and_then(|buf| parser::parse::<Wast<'_>>(&buf).map(|wast| wast.directives.len()))
        .unwrap_or(1)
}

/// The 1-based line of `span`.
fn line_of(span: Span, text: &str) -> usize {
    span.linecol_in(text).0 + 1
}

#[cfg(test)]
mod tests;
