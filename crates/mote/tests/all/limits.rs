//! Fuel metering, traps with backtraces, and configured limits.

use mote::{Config, Engine, Linker, Module, Store, TrapCode};

const LOOP: &str = r#"(module
    (func (export "spin") (loop $l (br $l)))
    (func (export "count") (param i32) (result i32) (local $i i32)
        (block $done (loop $l
            (br_if $done (i32.ge_u (local.get $i) (local.get 0)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
        local.get $i))"#;

#[test]
fn fuel_stops_an_infinite_loop_and_is_accounted() {
    let mut config = Config::new();
    config.consume_fuel(true);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, LOOP).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    store.set_fuel(10_000).unwrap();
    let spin = instance.get_typed_func::<(), ()>(&store, "spin").unwrap();
    let err = spin.call(&mut store, ()).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::OutOfFuel));
    assert_eq!(store.get_fuel().unwrap(), 0);

    store.set_fuel(1_000_000).unwrap();
    let count = instance.get_typed_func::<i32, i32>(&store, "count").unwrap();
    assert_eq!(count.call(&mut store, 1000).unwrap(), 1000);
    let used = 1_000_000 - store.get_fuel().unwrap();
    assert!((1000..20_000).contains(&used), "fuel used: {used}");
}

#[test]
fn fuel_is_an_error_when_not_enabled() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    assert!(store.set_fuel(1).is_err());
    assert!(store.get_fuel().is_err());
}

#[test]
fn traps_carry_code_and_named_backtrace() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (func $inner (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
            (func $outer (export "outer") (param i32) (result i32) (call $inner (local.get 0))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let outer = instance.get_typed_func::<i32, i32>(&store, "outer").unwrap();
    let err = outer.call(&mut store, 0).unwrap_err();
    let trap = err.as_trap().expect("a trap");
    assert_eq!(trap.code(), Some(TrapCode::IntegerDivisionByZero));
    let names: Vec<_> = trap.backtrace().iter().map(|f| f.func_name.as_deref()).collect();
    assert_eq!(names, [Some("inner"), Some("outer")]);
    assert!(err.to_string().contains("integer divide by zero"));
    // The store stays usable after a trap.
    assert_eq!(outer.call(&mut store, 1).unwrap(), 1);
}

#[test]
fn small_call_depth_limit_traps_deep_recursion() {
    let mut config = Config::new();
    config.max_call_depth(100);
    let engine = Engine::new(&config);
    let module = Module::new(
        &engine,
        r#"(module (func $down (export "down") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let down = instance.get_typed_func::<i32, i32>(&store, "down").unwrap();
    assert_eq!(down.call(&mut store, 50).unwrap(), 50);
    let err = down.call(&mut store, 500).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow));
}

#[test]
fn invalid_module_error_names_offset_and_function() {
    let engine = Engine::default();
    let err = Module::new(&engine, r#"(module (func) (func (result i32)))"#).unwrap_err();
    let compile = err.as_compile_error().expect("a compile error");
    assert_eq!(compile.func_index, Some(1));
    assert!(compile.offset > 0);
}
