//! Translation speed: `Module::new` on binary modules, with
//! `CompilationMode::Eager` (validate and translate every body) and, for
//! comparison, `Lazy` (validate only; bodies are translated on first call).
//!
//! Inputs: a generated module of 2000 functions mixing arithmetic, locals,
//! blocks, loops, `if`, `br_table`, memory access and calls; plus each
//! `*.wasm` in `$MOTE_BENCH_WASM_DIR`, or else in the shared benchmark
//! programs beside the repository (`../shared/bench/wasm`), when present.
//! Throughput is in input bytes (MB/s).
//!
//! Run: `cargo bench -p mote --bench translate`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mote::{CompilationMode, Config, Engine, Linker, Module, Store};
use std::hint::black_box;
use std::path::PathBuf;

const FUNCS: usize = 2000;

/// One function `$f{k}: (i32, i32) -> i32`, its shape chosen by `k % 6`.
fn function(k: usize) -> String {
    let c = (k as i32).wrapping_mul(2_654_435_761_u32 as i32) >> 8;
    let body = match k % 6 {
        // A chain of i32 arithmetic.
        0 => format!(
            "(local.set $x (i32.add (local.get $a) (i32.const {c})))
             (local.set $x (i32.xor (i32.mul (local.get $x) (local.get $b)) (i32.shr_u (local.get $x) (i32.const 7))))
             (local.set $x (i32.sub (i32.rotl (local.get $x) (i32.const 5)) (i32.and (local.get $b) (i32.const 255))))
             (i32.add (local.get $x) (i32.popcnt (local.get $a)))"
        ),
        // Nested if/else with comparisons.
        1 => format!(
            "(if (result i32) (i32.gt_s (local.get $a) (local.get $b))
               (then (if (result i32) (i32.eqz (i32.and (local.get $a) (i32.const 1)))
                       (then (i32.add (local.get $a) (i32.const {c})))
                       (else (i32.mul (local.get $b) (i32.const 3)))))
               (else (select (local.get $a) (local.get $b) (i32.lt_u (local.get $b) (i32.const {c})))))"
        ),
        // A counted loop (1..=16 iterations) with a block exit.
        2 => format!(
            "(local.set $x (i32.add (i32.and (local.get $a) (i32.const 15)) (i32.const 1)))
             (block $out
               (loop $top
                 (local.set $b (i32.add (i32.mul (local.get $b) (i32.const 5)) (local.get $x)))
                 (br_if $out (i32.eq (local.get $b) (i32.const {c})))
                 (local.set $x (i32.sub (local.get $x) (i32.const 1)))
                 (br_if $top (local.get $x))))
             (local.get $b)"
        ),
        // A 4-way br_table.
        3 => format!(
            "(block $d (block $c2 (block $c1 (block $c0
               (br_table $c0 $c1 $c2 $d (i32.and (local.get $a) (i32.const 3))))
               (return (i32.add (local.get $b) (i32.const {c}))))
               (return (i32.sub (local.get $b) (local.get $a))))
               (return (i32.shl (local.get $b) (i32.const 2))))
             (i32.const {c})"
        ),
        // Memory and i64 arithmetic.
        4 => format!(
            "(local.set $y (i64.mul (i64.extend_i32_u (local.get $a)) (i64.const {c})))
             (i64.store offset=8 (i32.and (local.get $b) (i32.const 0xfff8)) (local.get $y))
             (local.set $y (i64.add (local.get $y) (i64.load (i32.and (local.get $a) (i32.const 0xfff8)))))
             (i32.store8 (i32.const {m}) (local.get $a))
             (i32.add (i32.wrap_i64 (i64.shr_u (local.get $y) (i64.const 17))) (i32.load8_u (i32.const {m})))",
            m = k % 4096
        ),
        // Calls to earlier functions, and f64 conversions.
        _ => format!(
            "(local.set $f (f64.mul (f64.convert_i32_s (local.get $a)) (f64.const 1.5)))
             (local.set $x (call $f{p} (local.get $b) (i32.trunc_sat_f64_s (local.get $f))))
             (i32.add (local.get $x) (call $f{q} (local.get $a) (i32.const {c})))",
            p = k - 1,
            q = k - 5
        ),
    };
    format!(
        "  (func $f{k} (export \"f{k}\") (param $a i32) (param $b i32) (result i32)
    (local $x i32) (local $y i64) (local $f f64)
    {body})\n"
    )
}

fn generated_module() -> Vec<u8> {
    let mut wat = String::from("(module\n  (memory 1)\n");
    for k in 0..FUNCS {
        wat.push_str(&function(k));
    }
    wat.push(')');
    wat::parse_str(&wat).expect("generated module is valid text")
}

fn engine(mode: CompilationMode) -> Engine {
    let mut config = Config::new();
    config.compilation_mode(mode);
    Engine::new(&config)
}

/// Calls every export of the generated module with fixed arguments; returns
/// the wrapping sum of the results.
fn checksum(engine: &Engine, bytes: &[u8]) -> i32 {
    let module = Module::new(engine, bytes).unwrap();
    assert_eq!(module.exports().len(), FUNCS);
    let mut store = Store::new(engine, ());
    let instance = Linker::new(engine).instantiate(&mut store, &module).unwrap();
    (0..FUNCS).fold(0i32, |sum, k| {
        let f = instance
            .get_typed_func::<(i32, i32), i32>(&store, &format!("f{k}"))
            .unwrap();
        sum.wrapping_add(f.call(&mut store, (k as i32, 3)).unwrap())
    })
}

/// The `*.wasm` files to translate besides the generated module, by name.
fn shared_modules() -> Vec<(String, Vec<u8>)> {
    let dir = std::env::var_os("MOTE_BENCH_WASM_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench/wasm")));
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut modules: Vec<(String, Vec<u8>)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
        .filter_map(|p| Some((p.file_name()?.to_string_lossy().into_owned(), std::fs::read(&p).ok()?)))
        .collect();
    modules.sort();
    modules
}

fn translate(c: &mut Criterion) {
    let eager = engine(CompilationMode::Eager);
    let lazy = engine(CompilationMode::Lazy);
    let generated = generated_module();
    // Both modes must compute the same thing, and something nontrivial.
    let sum = checksum(&eager, &generated);
    assert_eq!(sum, checksum(&lazy, &generated));
    assert_ne!(sum, 0);

    let mut inputs = vec![("generated".to_string(), generated)];
    inputs.extend(shared_modules());
    let mut group = c.benchmark_group("translate");
    for (name, bytes) in &inputs {
        Module::new(&eager, bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(format!("eager/{name}"), |b| {
            b.iter(|| Module::new(&eager, black_box(bytes)).unwrap())
        });
        group.bench_function(format!("lazy/{name}"), |b| {
            b.iter(|| Module::new(&lazy, black_box(bytes)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, translate);
criterion_main!(benches);
