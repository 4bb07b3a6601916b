//! Compiles a module and reports compile speed, for comparing with
//! `wasmtime compile`:
//!
//! ```sh
//! cargo run --release -p mote-cranelift --example compile -- app.wasm [--target TRIPLE] [--threads] [--guard-pages] [--no-opt]
//! ```

use mote_cranelift::{BoundsChecks, CompileOptions, Compiler, OptLevel, Target};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .ok_or("usage: compile FILE.wasm [--target TRIPLE] [--threads] [--guard-pages] [--no-opt]")?;
    let target = match args.iter().position(|a| a == "--target") {
        Some(i) => Target::Triple(args.get(i + 1).ok_or("--target needs a triple")?.clone()),
        None => Target::Host,
    };
    let bounds_checks = if args.iter().any(|a| a == "--guard-pages") {
        BoundsChecks::GuardPages { reservation: 8 << 30 }
    } else {
        BoundsChecks::Explicit
    };
    let opt_level = if args.iter().any(|a| a == "--no-opt") {
        OptLevel::None
    } else {
        OptLevel::Speed
    };
    let options = CompileOptions {
        parallel: args.iter().any(|a| a == "--threads"),
        opt_level,
        bounds_checks,
        ..CompileOptions::default()
    };
    let wasm = std::fs::read(path)?;
    let start = Instant::now();
    let mut registry = mote_environ::TypeRegistry::default();
    let parsed =
        mote_environ::parse(&wasm, wasmparser::WasmFeatures::default(), &mut registry).map_err(|e| format!("{e:?}"))?;
    for (pending, body) in parsed.funcs.into_iter().zip(&parsed.info.bodies) {
        let mut v = pending.validator.into_validator(Default::default());
        let reader = wasmparser::BinaryReader::new(&wasm[body.range.clone()], body.range.start as u64);
        v.validate(&wasmparser::FunctionBody::new(reader))?;
    }
    let validated = start.elapsed();
    let compiler = Compiler::new(&target, options)?;
    let compiled = compiler.compile_module(&parsed.info, &wasm)?;
    let total = start.elapsed();
    let mb = wasm.len() as f64 / 1e6;
    println!(
        "{path}: {:.2} MB wasm -> {:.2} MB code ({} functions) for {}; validate {:.1} ms, compile {:.1} ms, {:.2} MB/s",
        mb,
        compiled.code.len() as f64 / 1e6,
        compiled.funcs.len(),
        compiled.triple,
        validated.as_secs_f64() * 1e3,
        (total - validated).as_secs_f64() * 1e3,
        mb / total.as_secs_f64()
    );
    Ok(())
}
