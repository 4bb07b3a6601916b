//! AOT artifacts through the API: `Module::serialize` and the checks of
//! `Module::deserialize`.

use mote::{Config, Engine, Linker, Module, Store, Strategy};

fn jit_engine(fuel: bool) -> Engine {
    let mut config = Config::new();
    config.strategy(Strategy::Jit).consume_fuel(fuel);
    Engine::new(&config)
}

const WAT: &str = r#"(module (func (export "fac") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
        (then (i64.const 1))
        (else (i64.mul (local.get 0) (call 0 (i64.sub (local.get 0) (i64.const 1))))))))"#;

#[test]
fn an_artifact_runs_like_the_module() {
    let engine = jit_engine(false);
    let bytes = Module::new(&engine, WAT).unwrap().serialize().unwrap();
    assert!(Module::is_artifact(&bytes));
    // SAFETY: the artifact was just written by this process.
    let module = unsafe { Module::deserialize(&engine, &bytes) }.unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let fac = instance.get_typed_func::<i64, i64>(&store, "fac").unwrap();
    assert_eq!(fac.call(&mut store, 20).unwrap(), 2_432_902_008_176_640_000);
}

#[test]
fn bad_artifacts_are_refused_with_a_reason() {
    let engine = jit_engine(false);
    let bytes = Module::new(&engine, WAT).unwrap().serialize().unwrap();
    let refused = |bytes: &[u8], engine: &Engine| {
        // SAFETY: every case is refused before any code is mapped.
        let err = unsafe { Module::deserialize(engine, bytes) }.unwrap_err();
        err.to_string()
    };
    assert!(refused(&bytes[..bytes.len() - 3], &engine).contains("corrupted"));
    let mut flipped = bytes.clone();
    let i = flipped.len() / 2;
    flipped[i] ^= 0x10;
    assert!(refused(&flipped, &engine).contains("corrupted"));
    assert!(refused(b"\0asm\x01\0\0\0", &engine).contains("magic"));
    assert!(refused(&bytes, &jit_engine(true)).contains("consume_fuel"));
    assert!(refused(&bytes, &Engine::default()).contains("Strategy::Jit"));
    // The interpreter's modules have no machine code to write.
    assert!(Module::new(&Engine::default(), WAT).unwrap().serialize().is_err());
}

/// The architecture this test does not run on, and this one's, as triples.
fn foreign_and_host_triples() -> (&'static str, &'static str) {
    if cfg!(target_arch = "aarch64") {
        ("x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu")
    } else {
        ("aarch64-unknown-linux-gnu", "x86_64-unknown-linux-gnu")
    }
}

#[test]
fn an_artifact_for_another_triple_is_written_and_refused_here() {
    let engine = jit_engine(false);
    let (foreign, host) = foreign_and_host_triples();
    let bytes = Module::precompile(&engine, WAT, Some(foreign)).unwrap();
    // The header: magic, format version, then the triple (length-prefixed).
    assert!(Module::is_artifact(&bytes));
    let len = u64::from_le_bytes(bytes[12..20].try_into().unwrap()) as usize;
    assert_eq!(&bytes[20..20 + len], foreign.as_bytes());
    // SAFETY: refused before any code is mapped.
    let err = unsafe { Module::deserialize(&engine, &bytes) }.unwrap_err().to_string();
    assert!(err.contains(foreign) && err.contains(host), "{err}");
}

#[cfg(target_os = "linux")]
#[test]
fn an_artifact_for_the_hosts_triple_runs_with_baseline_features() {
    let engine = jit_engine(false);
    let (_, host) = foreign_and_host_triples();
    let bytes = Module::precompile(&engine, WAT, Some(host)).unwrap();
    // SAFETY: the artifact was just written by this process.
    let module = unsafe { Module::deserialize(&engine, &bytes) }.unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let fac = instance.get_typed_func::<i64, i64>(&store, "fac").unwrap();
    assert_eq!(fac.call(&mut store, 10).unwrap(), 3_628_800);
}

#[test]
fn precompile_refuses_unknown_targets_and_invalid_modules() {
    let engine = jit_engine(false);
    let err = Module::precompile(&engine, WAT, Some("no-such-triple")).unwrap_err();
    assert!(err.to_string().contains("no-such-triple"), "{err}");
    let err = Module::precompile(&engine, "(module (func (result i32)))", None).unwrap_err();
    assert!(matches!(err.kind(), mote::ErrorKind::Compile(_)), "{err}");
}
