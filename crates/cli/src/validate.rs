//! `mote validate FILE`: decode and validate one module, binary or text.

use std::path::PathBuf;

use anyhow::Context as _;

use crate::Outcome;

/// Arguments of `mote validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The module: a `.wasm` binary or `.wat` text.
    file: PathBuf,
}

/// Prints `valid`, or the error with its byte offset (and function index, inside a body).
///
/// # Errors
///
/// The file cannot be read.
pub fn run(args: &Args) -> anyhow::Result<Outcome> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let binary = match wat::parse_bytes(&bytes) {
        Ok(binary) => binary,
        Err(mut err) => {
            err.set_path(&args.file);
            println!("{err}");
            return Ok(Outcome::Failed);
        }
    };
    let engine = mote::Engine::default();
    match mote::Module::validate(&engine, &binary) {
        Ok(()) => {
            println!("valid");
            Ok(Outcome::Passed)
        }
        Err(err) => {
            println!("{}: {err}", args.file.display());
            Ok(Outcome::Failed)
        }
    }
}
