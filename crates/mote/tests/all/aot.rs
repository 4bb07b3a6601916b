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
