//! The AOT-only runtime (`--no-default-features --features aot`: no
//! compiler linked) runs artifacts that a full build wrote.
//!
//! This build cannot compile, so the artifacts come from a `mote` CLI
//! built with the compiler, named by `MOTE_COMPILER` (`.ci/run` builds it
//! first):
//!
//! ```sh
//! cargo build --release -p mote-cli && cp target/release/mote target/mote-full
//! MOTE_COMPILER=target/mote-full cargo test --release -p mote --no-default-features --features aot --test aot_only
//! ```
//!
//! In builds with the compiler (`jit`) this file is empty: `tests/all`
//! covers artifacts there.
#![cfg(not(feature = "jit"))]

use std::path::PathBuf;
use std::process::Command;

use mote::{Caller, Config, Engine, Linker, Module, Store, Strategy, TrapCode};

/// Calls a host function, grows memory (a libcall), recurses and traps.
const APP: &str = r#"(module
  (import "host" "twice" (func $twice (param i32) (result i32)))
  (memory 1)
  (func $fac (export "fac") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
  (func (export "twice_plus_one") (param i32) (result i32)
    (i32.add (call $twice (local.get 0)) (i32.const 1)))
  (func (export "grow") (result i32)
    (drop (memory.grow (i32.const 2)))
    (i32.store (i32.const 131072) (i32.const 7))
    (i32.add (memory.size) (i32.load (i32.const 131072))))
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func (export "spin") (loop (br 0))))"#;

/// Compiles `APP` with the full CLI, passing `extra` to `mote compile`.
fn artifact(name: &str, extra: &[&str]) -> Vec<u8> {
    let compiler = std::env::var_os("MOTE_COMPILER").unwrap_or_else(|| {
        panic!("MOTE_COMPILER must name a `mote` CLI built with the compiler (see this file's header)")
    });
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let wat = dir.join("aot_only_app.wat");
    std::fs::write(&wat, APP).unwrap();
    let out = dir.join(format!("aot_only_{name}.aot"));
    let status = Command::new(&compiler)
        .arg("compile")
        .arg(&wat)
        .arg("-o")
        .arg(&out)
        .args(extra)
        .status()
        .expect("MOTE_COMPILER runs");
    assert!(status.success(), "mote compile {extra:?}");
    std::fs::read(&out).unwrap()
}

fn engine(fuel: bool) -> Engine {
    let mut config = Config::new();
    config.strategy(Strategy::Jit).consume_fuel(fuel);
    Engine::new(&config)
}

fn instantiate(engine: &Engine, bytes: &[u8]) -> (Store<u32>, mote::Instance) {
    // SAFETY: the artifact was just written by the trusted compiler.
    let module = unsafe { Module::deserialize(engine, bytes) }.unwrap();
    let mut store = Store::new(engine, 0u32);
    let mut linker = Linker::new(engine);
    linker
        .func_wrap("host", "twice", |mut caller: Caller<'_, u32>, x: i32| {
            *caller.data_mut() += 1;
            x * 2
        })
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    (store, instance)
}

#[test]
fn a_host_artifact_runs_without_the_compiler() {
    let engine = engine(false);
    let (mut store, instance) = instantiate(&engine, &artifact("host", &[]));
    let fac = instance.get_typed_func::<i64, i64>(&store, "fac").unwrap();
    assert_eq!(fac.call(&mut store, 20).unwrap(), 2_432_902_008_176_640_000);
    let host = instance.get_typed_func::<i32, i32>(&store, "twice_plus_one").unwrap();
    assert_eq!(host.call(&mut store, 20).unwrap(), 41);
    assert_eq!(*store.data(), 1, "the host function ran once");
    let grow = instance.get_typed_func::<(), i32>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, ()).unwrap(), 3 + 7);
    let div = instance.get_typed_func::<(i32, i32), i32>(&store, "div").unwrap();
    let err = div.call(&mut store, (1, 0)).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::IntegerDivisionByZero));
    // The interpreter-free store still takes calls after a trap.
    assert_eq!(div.call(&mut store, (-9, 3)).unwrap(), -3);
}

#[test]
fn fuel_is_metered_and_must_match_the_artifact() {
    let bytes = artifact("fuel", &["--fuel-metering"]);
    let (mut store, instance) = instantiate(&engine(true), &bytes);
    store.set_fuel(10_000).unwrap();
    let spin = instance.get_typed_func::<(), ()>(&store, "spin").unwrap();
    let err = spin.call(&mut store, ()).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::OutOfFuel));
    // SAFETY: refused before any code is mapped.
    let err = unsafe { Module::deserialize(&engine(false), &bytes) }.unwrap_err();
    assert!(err.to_string().contains("consume_fuel"), "{err}");
}

#[test]
fn an_artifact_for_another_triple_is_refused_naming_both() {
    let (foreign, host) = if cfg!(target_arch = "aarch64") {
        ("x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu")
    } else {
        ("aarch64-unknown-linux-gnu", "x86_64-unknown-linux-gnu")
    };
    let bytes = artifact("foreign", &["--target", foreign]);
    // SAFETY: refused before any code is mapped.
    let err = unsafe { Module::deserialize(&engine(false), &bytes) }
        .unwrap_err()
        .to_string();
    assert!(err.contains(foreign) && err.contains(host), "{err}");
}

#[test]
fn modules_are_not_compiled_without_the_compiler() {
    let err = Module::new(&engine(false), b"\0asm\x01\0\0\0").unwrap_err();
    assert!(err.to_string().contains("`jit` cargo feature"), "{err}");
}
