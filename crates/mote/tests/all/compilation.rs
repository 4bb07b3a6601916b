//! Compilation modes: when bodies are validated and translated, and that
//! every mode reports an invalid body, at load or at its first call.

use mote::{CompilationMode, Config, Engine, Linker, Module, Store};

/// Function 1 is invalid: it returns an `i64` where an `i32` is due.
const ONE_INVALID_BODY: &str = r#"(module
    (func (export "good") (result i32) (i32.const 7))
    (func (export "bad") (result i32) (i64.const 0)))"#;

fn engine(mode: CompilationMode) -> Engine {
    let mut config = Config::new();
    config.compilation_mode(mode);
    Engine::new(&config)
}

#[test]
fn lazy_and_eager_modes_reject_an_invalid_body_at_load() {
    for mode in [CompilationMode::Lazy, CompilationMode::Eager] {
        let err = Module::new(&engine(mode), ONE_INVALID_BODY).unwrap_err();
        assert!(err.to_string().contains("type mismatch"), "{mode:?}: {err}");
    }
}

#[test]
fn lazy_validation_reports_an_invalid_body_when_it_is_first_called() {
    let engine = engine(CompilationMode::LazyValidation);
    let module = Module::new(&engine, ONE_INVALID_BODY).expect("bodies are checked later");
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let good = instance.get_typed_func::<(), i32>(&store, "good").unwrap();
    assert_eq!(good.call(&mut store, ()).unwrap(), 7);
    let bad = instance.get_typed_func::<(), i32>(&store, "bad").unwrap();
    for _ in 0..2 {
        let err = bad.call(&mut store, ()).unwrap_err();
        assert!(err.to_string().contains("type mismatch"), "{err}");
        assert!(err.trap_code().is_none(), "a validation error, not a trap: {err}");
    }
    assert_eq!(good.call(&mut store, ()).unwrap(), 7);
}

#[test]
fn module_validate_checks_every_body_in_any_mode() {
    let bytes = wat::parse_str(ONE_INVALID_BODY).unwrap();
    assert!(Module::validate(&engine(CompilationMode::LazyValidation), &bytes).is_err());
}

#[test]
fn an_invalid_body_in_a_large_module_is_found_by_parallel_validation() {
    // Enough code to validate on several threads, with the invalid body
    // near the end; the error names it.
    let mut wat = String::from("(module\n");
    for i in 0..8000 {
        wat.push_str(&format!(
            "(func (param i32) (result i32) (local.get 0) (i32.const {i}) (i32.add) (i32.const 3) (i32.mul) \
             (i32.const 5) (i32.xor) (i32.const 7) (i32.sub) (i32.const 9) (i32.and))\n"
        ));
    }
    wat.push_str("(func (result i32) (i64.const 0)))");
    let bytes = wat::parse_str(&wat).unwrap();
    assert!(bytes.len() > 128 * 1024, "large enough: {} bytes", bytes.len());
    let err = Module::new(&engine(CompilationMode::Lazy), &bytes).unwrap_err();
    assert!(err.to_string().contains("type mismatch"), "{err}");
    assert!(err.to_string().contains("8000"), "names function 8000: {err}");
}
