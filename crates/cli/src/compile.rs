//! `mote compile FILE -o OUT`: compile a module ahead of time into an
//! artifact that `mote run OUT` loads without compiling again.

use std::path::PathBuf;

use anyhow::{Context as _, anyhow};

use crate::Outcome;

/// Arguments of `mote compile`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The module: a `.wasm` binary or `.wat` text.
    file: PathBuf,
    /// Where to write the artifact.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: PathBuf,
    /// Compile with fuel metering, for `mote run --fuel N OUT` (an
    /// artifact runs only with the fuel setting it was compiled with).
    #[arg(long)]
    fuel_metering: bool,
}

/// Compiles and writes the artifact; an invalid module fails with its error.
///
/// # Errors
///
/// The file cannot be read or the artifact cannot be written.
pub fn run(args: &Args) -> anyhow::Result<Outcome> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let mut config = mote::Config::new();
    config.strategy(mote::Strategy::Jit).consume_fuel(args.fuel_metering);
    let engine = mote::Engine::new(&config);
    let module = match mote::Module::new(&engine, &bytes) {
        Ok(module) => module,
        Err(err) => {
            eprintln!("Error: {}: {err}", args.file.display());
            return Ok(Outcome::Failed);
        }
    };
    let artifact = module
        .serialize()
        .map_err(|e| anyhow!("{}: {e}", args.file.display()))?;
    std::fs::write(&args.output, artifact).with_context(|| format!("cannot write {}", args.output.display()))?;
    Ok(Outcome::Passed)
}
