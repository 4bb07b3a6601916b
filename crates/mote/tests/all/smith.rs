//! Generated modules in the interpreter and in compiled code (issue 6):
//! a few hundred `wasm-smith` modules from fixed seeds, each instantiated
//! under both strategies (and every tenth also through an AOT artifact),
//! every exported function called with the same arguments and the same
//! fuel, and the outcomes compared value for value and trap for trap
//! (running out of fuel included), along with the fuel left, the exported
//! globals and the memories after each call; `differential.rs` compares
//! fuel in chosen cases too.
//!
//! The modules need no imports and use only proposals both back ends
//! compile (no threads, no wide arithmetic, no relaxed SIMD, whose results
//! the spec leaves to the implementation; GC included, see
//! [`smith_config`]). `wasm-smith` canonicalizes
//! every NaN it computes, so results are deterministic bit for bit; fuel
//! bounds every call and every instantiation (its start function and the
//! arrays its initializers allocate), so endless loops and huge
//! allocations end in `OutOfFuel` on both sides.
//! A call that exhausts the stack ends the comparison of its module: the
//! interpreter and compiled code have different stack budgets.
//!
//! A mismatch names the seed: `SMITH_SEED=N cargo test --release -p mote
//! --features jit --test all smith` runs that one module alone, prints
//! both logs and writes the module to `smith-N.wasm` in cargo's test
//! scratch directory (`target/tmp`).

use crate::back_end::BackEnd;
use arbitrary::Unstructured;
use mote::{Extern, Func, Linker, Store, TrapCode, Val, ValType};

/// How many modules the test generates (seeds `0..MODULES`).
const MODULES: u64 = 300;
/// Fuel for each call: enough for real work, small enough to stay fast.
const FUEL: u64 = 5_000;
/// Bytes of randomness behind each module.
const ENTROPY: usize = 4096;

/// The generator's settings: modules both back ends run, without imports.
fn smith_config() -> wasm_smith::Config {
    wasm_smith::Config {
        max_imports: 0,
        min_funcs: 1,
        max_funcs: 12,
        max_instructions: 200,
        max_memories: 2,
        max_tables: 2,
        // One page: every memory is hashed after every call.
        max_memory32_bytes: 1 << 16,
        max_memory64_bytes: 1 << 16,
        max_table_elements: 1_000,
        export_everything: true,
        canonicalize_nans: true,
        threads_enabled: false,
        shared_everything_threads_enabled: false,
        wide_arithmetic_enabled: false,
        relaxed_simd_enabled: false,
        custom_page_sizes_enabled: false,
        ..wasm_smith::Config::default()
    }
}

/// SplitMix64: the seed's bytes of randomness, the same on every machine.
fn entropy(seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5eed;
    let mut out = Vec::with_capacity(ENTROPY);
    while out.len() < ENTROPY {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out
}

/// The module of `seed`, or `None` if the generator gave up on it.
fn generate(seed: u64) -> Option<Vec<u8>> {
    let bytes = entropy(seed);
    let mut u = Unstructured::new(&bytes);
    wasm_smith::Module::new(smith_config(), &mut u)
        .ok()
        .map(|m| m.to_bytes())
}

/// Argument `i` of a call: a spread of ordinary and edge values, or `None`
/// for a type no host value can stand for (a non-nullable reference).
fn argument(ty: ValType, i: usize) -> Option<Val> {
    const INTS: [i64; 6] = [0, 1, -1, 7, i64::MIN, 0x1234_5678_9abc_def0];
    const FLOATS: [f64; 6] = [0.0, 1.5, -2.25, f64::INFINITY, 1e30, -0.0];
    let int = INTS[i % INTS.len()];
    let float = FLOATS[i % FLOATS.len()];
    Some(match ty {
        ValType::I32 => Val::I32(int as i32),
        ValType::I64 => Val::I64(int),
        ValType::F32 => Val::F32((float as f32).to_bits()),
        ValType::F64 => Val::F64(float.to_bits()),
        ValType::V128 => Val::V128((int as u128) << 64 | float.to_bits() as u128),
        ValType::Ref(r) if r.nullable => Val::null_of(r),
        ValType::Ref(_) => return None,
    })
}

/// A value as text; references only as null or not (their identities are
/// each store's own).
fn show(v: &Val) -> String {
    match v {
        Val::I32(x) => format!("i32:{x}"),
        Val::I64(x) => format!("i64:{x}"),
        Val::F32(x) => format!("f32:{x:#x}"),
        Val::F64(x) => format!("f64:{x:#x}"),
        Val::V128(x) => format!("v128:{x:#x}"),
        Val::FuncRef(r) => format!("funcref:{}", if r.is_some() { "some" } else { "null" }),
        Val::ExternRef(r) => format!("externref:{}", if r.is_some() { "some" } else { "null" }),
        Val::AnyRef(r) => format!("anyref:{}", if r.is_some() { "some" } else { "null" }),
        Val::ExnRef(r) => format!("exnref:{}", if r.is_some() { "some" } else { "null" }),
    }
}

/// A hash of a memory's bytes, so a log line stands for its contents
/// (eight bytes a step: memories of a megabyte are hashed after each call).
fn digest(bytes: &[u8]) -> u64 {
    let word = |c: &[u8]| {
        let mut w = [0u8; 8];
        w[..c.len()].copy_from_slice(c);
        u64::from_le_bytes(w)
    };
    bytes.chunks(8).fold(bytes.len() as u64, |h, c| {
        (h.rotate_left(5) ^ word(c)).wrapping_mul(0x517c_c1b7_2722_0a95)
    })
}

/// What one back end observed running the module, and whether the log
/// ended early at a stack overflow (after which the back ends may differ).
fn run(wasm: &[u8], path: BackEnd) -> (Vec<String>, bool) {
    let engine = path.fuel_engine();
    let mut log = Vec::new();
    let module = match path.load(&engine, wasm) {
        Ok(module) => module,
        Err(e) => {
            log.push(format!("load: {}", failure(&e)));
            return (log, false);
        }
    };
    let mut store = Store::new(&engine, ());
    store.set_fuel(FUEL).unwrap();
    let instance = match Linker::new(&engine).instantiate(&mut store, &module) {
        Ok(instance) => instance,
        Err(e) => {
            log.push(format!("instantiate: {}", failure(&e)));
            return (log, e.trap_code() == Some(TrapCode::StackOverflow));
        }
    };
    let exports = instance.exports(&store);
    let funcs: Vec<(String, Func)> = (exports.iter())
        .filter_map(|(name, e)| match e {
            Extern::Func(f) => Some((name.clone(), *f)),
            _ => None,
        })
        .collect();
    for (name, func) in funcs {
        let ty = func.ty(&store);
        let Some(args) = (ty.params().iter().enumerate())
            .map(|(i, &t)| argument(t, i))
            .collect::<Option<Vec<Val>>>()
        else {
            continue;
        };
        let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
        store.set_fuel(FUEL).unwrap();
        let outcome = func.call(&mut store, &args, &mut results);
        match outcome {
            Ok(()) => {
                let shown: Vec<String> = results.iter().map(show).collect();
                log.push(format!("{name:?}: ok [{}]", shown.join(", ")));
            }
            Err(e) if e.trap_code() == Some(TrapCode::StackOverflow) => {
                log.push(format!("{name:?}: stack overflow"));
                return (log, true);
            }
            Err(e) => log.push(format!("{name:?}: {}", failure(&e))),
        }
        log.push(format!("  fuel left {}", store.get_fuel().unwrap()));
        state(&mut store, &exports, &mut log);
    }
    (log, false)
}

/// A trap by its code; any other error by its message.
fn failure(e: &mote::Error) -> String {
    match e.trap_code() {
        Some(code) => format!("trap {code:?}"),
        None => format!("error {e}"),
    }
}

/// The exported globals' values and each exported memory's size and digest.
fn state(store: &mut Store<()>, exports: &[(String, Extern)], log: &mut Vec<String>) {
    for (name, e) in exports {
        match e {
            Extern::Global(g) => log.push(format!("  global {name:?} = {}", show(&g.get(&*store)))),
            Extern::Memory(m) => {
                let data = m.data(&*store);
                log.push(format!("  memory {name:?}: {} bytes, {:#x}", data.len(), digest(data)));
            }
            _ => {}
        }
    }
}

/// Runs seed `seed` on the interpreter and on compiled code (through an
/// artifact every tenth seed); `Err` describes a mismatch.
fn check(seed: u64) -> Result<Checked, String> {
    let Some(wasm) = generate(seed) else {
        return Ok(Checked::NotGenerated);
    };
    if std::env::var_os("SMITH_SEED").is_some() {
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("smith-{seed}.wasm"));
        std::fs::write(&path, &wasm).unwrap();
        eprintln!("seed {seed}: {}", path.display());
    }
    let compiled = if seed.is_multiple_of(10) {
        BackEnd::Aot
    } else {
        BackEnd::Jit
    };
    let (interp, interp_overflow) = run(&wasm, BackEnd::Interp);
    let (jit, jit_overflow) = run(&wasm, compiled);
    let overflowed = interp_overflow || jit_overflow;
    // Up to the first stack overflow, both must have seen the same.
    let n = if overflowed {
        interp.len().min(jit.len()) - 1
    } else {
        interp.len().max(jit.len())
    };
    let same = interp.len() >= n && jit.len() >= n && interp[..n] == jit[..n];
    if !same {
        let name = if compiled == BackEnd::Aot { "AOT" } else { "JIT" };
        return Err(format!(
            "seed {seed}: interpreter and {name} differ\n--- interpreter\n{}\n--- {name}\n{}",
            interp.join("\n"),
            jit.join("\n")
        ));
    }
    Ok(if overflowed {
        Checked::StackOverflow
    } else {
        Checked::Same(interp.len())
    })
}

enum Checked {
    /// Both logs were equal, with this many lines.
    Same(usize),
    /// Equal up to a stack overflow.
    StackOverflow,
    /// The generator found no module for the seed.
    NotGenerated,
}

#[test]
fn generated_modules_agree_in_the_interpreter_and_compiled_code() {
    let seeds: Vec<u64> = match std::env::var("SMITH_SEED") {
        Ok(seed) => vec![seed.parse().expect("SMITH_SEED is a number")],
        Err(_) => (0..MODULES).collect(),
    };
    let (mut compared, mut calls, mut overflowed) = (0, 0, 0);
    let mut mismatches = Vec::new();
    for &seed in &seeds {
        match check(seed) {
            Ok(Checked::Same(lines)) => {
                compared += 1;
                calls += lines;
            }
            Ok(Checked::StackOverflow) => overflowed += 1,
            Ok(Checked::NotGenerated) => {}
            Err(report) => mismatches.push((seed.to_string(), report)),
        }
    }
    eprintln!(
        "{compared} modules agreed ({calls} log lines), {overflowed} ended at a stack overflow, {} differed",
        mismatches.len()
    );
    let seeds: Vec<&str> = mismatches.iter().map(|(seed, _)| seed.as_str()).collect();
    assert!(
        mismatches.is_empty(),
        "seeds {} differ; the first:\n{}",
        seeds.join(" "),
        mismatches.first().map_or("", |(_, report)| report.as_str())
    );
    if seeds.len() > 1 {
        assert!(
            compared >= seeds.len() * 9 / 10,
            "only {compared} of {} seeds compared",
            seeds.len()
        );
    }
}
