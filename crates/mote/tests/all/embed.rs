//! Embedding the way a WAMR user does: load bytes, instantiate, look up a
//! function, call it; and host functions that call back into the guest.

use mote::{Caller, Engine, Linker, Module, Store, Val};

#[test]
fn load_instantiate_call_add() {
    let engine = Engine::default();
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/add.wat")).unwrap();
    let module = Module::new(&engine, &bytes).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let add = instance.get_func(&store, "add").expect("add is exported");
    let mut results = [Val::I32(0)];
    add.call(&mut store, &[Val::I32(5), Val::I32(3)], &mut results).unwrap();
    assert_eq!(results[0], Val::I32(8));
    let fac = instance.get_typed_func::<i64, i64>(&store, "fac").unwrap();
    assert_eq!(fac.call(&mut store, 20).unwrap(), 2_432_902_008_176_640_000);
}

#[test]
fn host_function_calls_back_into_guest() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (import "host" "twice" (func $twice (param i32) (result i32)))
            (func (export "double") (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
            (func (export "run") (param i32) (result i32) local.get 0 call $twice))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, 0u32);
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "host",
            "twice",
            |mut caller: Caller<'_, u32>, x: i32| -> Result<i32, mote::Error> {
                *caller.data_mut() += 1;
                let double = caller.get_export("double").and_then(|e| e.into_func()).unwrap();
                let mut out = [Val::I32(0)];
                double.call(&mut caller, &[Val::I32(x)], &mut out)?;
                double.call(&mut caller, &[out[0]], &mut out)?;
                Ok(out[0].i32().unwrap())
            },
        )
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, 5).unwrap(), 20);
    assert_eq!(*store.data(), 1);
}

#[test]
fn unbounded_recursion_traps() {
    let engine = Engine::default();
    let module = Module::new(&engine, r#"(module (func $f (export "f") call $f))"#).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let f = instance.get_typed_func::<(), ()>(&store, "f").unwrap();
    let err = f.call(&mut store, ()).unwrap_err();
    assert_eq!(err.trap_code(), Some(mote::TrapCode::StackOverflow));
}

#[test]
fn host_reads_guest_memory_while_updating_its_state() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (import "host" "log" (func $log (param i32 i32)))
            (memory (export "memory") 1)
            (data (i32.const 16) "hello")
            (func (export "run") (call $log (i32.const 16) (i32.const 5))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, Vec::<String>::new());
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "host",
            "log",
            |mut caller: Caller<'_, Vec<String>>, ptr: i32, len: i32| {
                let memory = caller.get_export("memory").and_then(|e| e.into_memory()).unwrap();
                let (bytes, log) = memory.data_and_store_mut(&mut caller);
                let text = &bytes[ptr as usize..(ptr + len) as usize];
                log.push(String::from_utf8_lossy(text).into_owned());
            },
        )
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    instance
        .get_typed_func::<(), ()>(&store, "run")
        .unwrap()
        .call(&mut store, ())
        .unwrap();
    assert_eq!(store.data(), &["hello".to_string()]);
}

#[test]
fn nulls_of_concrete_types_pass_as_arguments_of_either_hierarchy() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (type $s (struct (field i32)))
            (type $f (func))
            (func (export "is_null_struct") (param (ref null $s)) (result i32) (ref.is_null (local.get 0)))
            (func (export "is_null_func") (param (ref null $f)) (result i32) (ref.is_null (local.get 0))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    for name in ["is_null_struct", "is_null_func"] {
        let func = instance.get_func(&store, name).unwrap();
        let param = func.ty(&store).params()[0];
        for null in [Val::default_for(param), Val::FuncRef(None), Val::AnyRef(None)] {
            let mut result = [Val::I32(0)];
            func.call(&mut store, &[null], &mut result)
                .unwrap_or_else(|e| panic!("{name}({null:?}): {e}"));
            assert_eq!(result[0], Val::I32(1), "{name}({null:?})");
        }
        let mut result = [Val::I32(0)];
        assert!(
            func.call(&mut store, &[Val::ExternRef(None)], &mut result).is_err(),
            "{name}: an externref is not of a concrete type"
        );
    }
}
