//! `mote`: the command-line front end of the Mote WebAssembly runtime.
//!
//! Exit codes: 0 success; 1 the input is at fault (an invalid module, a failing spec
//! script); 2 the command itself could not run (bad arguments, a missing file).

mod cache;
mod compile;
mod run;
mod validate;
mod wast;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Runs WebAssembly programs, validates modules and runs `.wast` spec scripts.
#[derive(Debug, Parser)]
#[command(name = "mote", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a WebAssembly program (WASI command), or one export with `--invoke`.
    Run(run::Args),
    /// Compile a module ahead of time into an artifact for `mote run`.
    Compile(compile::Args),
    /// Check that a module (binary or text) is valid WebAssembly.
    Validate(validate::Args),
    /// Run `.wast` spec scripts: files, or directories searched recursively.
    Wast(wast::Args),
}

/// What a command reports when it ran: whether its input passed.
enum Outcome {
    Passed,
    Failed,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse_from(with_run_shorthand(std::env::args_os().collect())) {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => {
            // --help and --version.
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("{}", one_line(&err.to_string()));
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Run(args) => return run::main(&args),
        Command::Compile(args) => compile::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Wast(args) => wast::run(&args),
    };
    match result {
        Ok(Outcome::Passed) => ExitCode::SUCCESS,
        Ok(Outcome::Failed) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// `mote [OPTIONS] FILE ARGS...` means `mote run [OPTIONS] FILE ARGS...`,
/// as with wasmtime: anything but a subcommand or a top-level flag starts a run.
fn with_run_shorthand(mut argv: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    const COMMANDS: &[&str] = &[
        "run",
        "compile",
        "validate",
        "wast",
        "help",
        "--help",
        "-h",
        "--version",
        "-V",
    ];
    if let Some(first) = argv.get(1)
        && !first.to_str().is_some_and(|f| COMMANDS.contains(&f))
    {
        argv.insert(1, "run".into());
    }
    argv
}

/// Clap's error without its usage block, on one line.
fn one_line(rendered: &str) -> String {
    rendered
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}
