//! `mote compile FILE -o OUT [--target TRIPLE]`: compile a module ahead of
//! time into an artifact that `mote run OUT` loads without compiling
//! again, on this host or (with `--target`) on a machine of that triple.
//! Needs the `jit` feature (the compiler).

use std::path::PathBuf;

use crate::Outcome;

/// Arguments of `mote compile`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The module: a `.wasm` binary or `.wat` text.
    file: PathBuf,
    /// Where to write the artifact.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: PathBuf,
    /// Compile for this target triple (`x86_64-unknown-linux-gnu`,
    /// `aarch64-unknown-linux-gnu`) with its baseline CPU features, instead
    /// of for this host and every feature its CPU has.
    #[arg(long, value_name = "TRIPLE")]
    target: Option<String>,
    /// Compile with fuel metering, for `mote run --fuel N OUT` (an
    /// artifact runs only with the fuel setting it was compiled with).
    #[arg(long)]
    fuel_metering: bool,
}

/// Compiles and writes the artifact; an invalid module fails with its error.
///
/// # Errors
///
/// The file cannot be read, the target is unknown, or the artifact cannot
/// be written.
#[cfg(feature = "jit")]
pub fn run(args: &Args) -> anyhow::Result<Outcome> {
    use anyhow::{Context as _, anyhow};
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let mut config = mote::Config::new();
    config.strategy(mote::Strategy::Jit).consume_fuel(args.fuel_metering);
    let engine = mote::Engine::new(&config);
    let artifact = match mote::Module::precompile(&engine, &bytes, args.target.as_deref()) {
        Ok(artifact) => artifact,
        Err(err) if matches!(err.kind(), mote::ErrorKind::Compile(_)) => {
            eprintln!("Error: {}: {err}", args.file.display());
            return Ok(Outcome::Failed);
        }
        Err(err) => return Err(anyhow!("{}: {err}", args.file.display())),
    };
    std::fs::write(&args.output, artifact).with_context(|| format!("cannot write {}", args.output.display()))?;
    Ok(Outcome::Passed)
}

/// Without the compiler there is nothing to compile with.
///
/// # Errors
///
/// Always: this build lacks the `jit` feature.
#[cfg(not(feature = "jit"))]
pub fn run(args: &Args) -> anyhow::Result<Outcome> {
    anyhow::bail!(
        "cannot compile {}: this mote was built without the `jit` feature (the compiler); build mote-cli with `--features jit`",
        args.file.display()
    )
}
