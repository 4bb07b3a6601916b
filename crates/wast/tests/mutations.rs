//! Robustness: every module of the spec testsuite, mutated (bit flips,
//! truncation, random bytes; fixed seeds, a bounded count), goes through
//! validation, instantiation and calls of every export under fuel. Nothing
//! may panic or crash; every failure must be a typed `mote::Error`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use mote::{Config, Engine, Extern, Module, Store, Val};
use mote_wast::discover::top_level_wast_files;
use mote_wast::find_testsuite;
use wast::parser::{self, ParseBuffer};
use wast::{Wast, WastDirective};

/// Mutants made of each sampled module.
const MUTANTS_PER_MODULE: u64 = 8;
/// Use every n-th module of the suite, keeping the test to seconds.
const MODULE_STRIDE: usize = 2;
/// Fuel for each call of an export.
const FUEL: u64 = 20_000;

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One mutation of `bytes`, chosen by `rng`.
fn mutate(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    match rng.below(4) {
        0 => {
            for _ in 0..=rng.below(4) {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
        }
        1 => out.truncate(rng.below(out.len())),
        2 => {
            let start = rng.below(out.len());
            let len = rng.below(8) + 1;
            for b in out.iter_mut().skip(start).take(len) {
                *b = rng.next() as u8;
            }
        }
        _ => {
            let at = rng.below(out.len());
            let junk: Vec<u8> = (0..=rng.below(6)).map(|_| rng.next() as u8).collect();
            out.splice(at..at, junk);
        }
    }
    out
}

/// The binary modules of a `.wast` file.
fn modules_of(path: &Path) -> Vec<Vec<u8>> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Ok(buf) = ParseBuffer::new(&text) else {
        return Vec::new();
    };
    let Ok(wast) = parser::parse::<Wast>(&buf) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for directive in wast.directives {
        let mut module = match directive {
            WastDirective::Module(m) | WastDirective::ModuleDefinition(m) => m,
            _ => continue,
        };
        if let Ok(bytes) = module.encode() {
            out.push(bytes);
        }
    }
    out
}

/// Validates, instantiates and calls everything; returns how far it got.
fn exercise(engine: &Engine, bytes: &[u8]) -> &'static str {
    let Ok(module) = Module::new(engine, bytes) else {
        return "rejected";
    };
    let mut store = Store::new(engine, ());
    let mut imports = Vec::new();
    for import in module.imports() {
        // Satisfy function imports with a host function of the right type;
        // other imports make instantiation fail with a link error.
        if let mote::ExternType::Func(ty) = import.ty {
            imports.push(Extern::Func(mote::Func::new(&mut store, ty, |_, _, _| Ok(()))));
        }
    }
    let Ok(instance) = mote::Instance::new(&mut store, &module, &imports) else {
        return "not instantiated";
    };
    for (_, export) in instance.exports(&store) {
        if let Extern::Func(func) = export {
            let ty = func.ty(&store);
            let params: Vec<Val> = ty.params().iter().map(|&t| Val::default_for(t)).collect();
            let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
            store.set_fuel(FUEL).expect("fuel is enabled");
            let _ = func.call(&mut store, &params, &mut results);
        }
    }
    "ran"
}

#[test]
fn mutated_modules_never_panic() {
    let Some(suite) = find_testsuite() else {
        assert!(std::env::var_os("CI").is_none(), "no spec testsuite found");
        return;
    };
    let mut config = Config::new();
    config
        .consume_fuel(true)
        .max_memory_bytes(64 << 20)
        .max_call_depth(2_000);
    let engine = Engine::new(&config);
    let files = top_level_wast_files(&suite).expect("testsuite is readable");
    let mut counts = std::collections::BTreeMap::new();
    let mut index = 0usize;
    for file in &files {
        for bytes in modules_of(file) {
            index += 1;
            if !index.is_multiple_of(MODULE_STRIDE) || bytes.is_empty() {
                continue;
            }
            // Seed 0 runs the module unmutated, so execution paths get exercised too.
            for seed in 0..=MUTANTS_PER_MODULE {
                let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (index as u64) << 8 ^ seed);
                let mutant = if seed == 0 {
                    bytes.clone()
                } else {
                    mutate(&bytes, &mut rng)
                };
                let outcome = catch_unwind(AssertUnwindSafe(|| exercise(&engine, &mutant)));
                match outcome {
                    Ok(stage) => *counts.entry(stage).or_insert(0usize) += 1,
                    Err(_) => panic!(
                        "panic on mutant {seed} of module #{index} of {}; bytes: {:02x?}",
                        file.display(),
                        mutant
                    ),
                }
            }
        }
    }
    eprintln!("mutants by outcome: {counts:?}");
    assert!(
        counts.values().sum::<usize>() > 1000,
        "too few mutants exercised: {counts:?}"
    );
}
