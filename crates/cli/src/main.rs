//! `mote`: the command-line front end of the Mote WebAssembly runtime.
//!
//! Exit codes: 0 success; 1 the input is at fault (an invalid module, a failing spec
//! script); 2 the command itself could not run (bad arguments, a missing file).

mod validate;
mod wast;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Validates WebAssembly modules and runs `.wast` spec scripts.
#[derive(Debug, Parser)]
#[command(name = "mote", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
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
    let cli = match Cli::try_parse() {
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

/// Clap's error without its usage block, on one line.
fn one_line(rendered: &str) -> String {
    rendered
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}
