//! Exceptions and traps that travel through frames of modules without
//! handlers, into a `try_table` further up: the same outcomes in the
//! interpreter and in compiled code (JIT and AOT artifacts), with guard
//! pages (where compiled code raises traps and exceptions, and the runtime
//! resumes the handler of a call inside a `try_table`) and without (where
//! every frame returns).

use crate::back_end::BackEnd;
use mote::{Config, Engine, Linker, Store, Strategy, Val};

/// Throws `$e` with its argument when it is odd, traps when it is
/// negative, and returns it doubled otherwise.
const THROWER: &str = r#"(module $thrower
    (tag $e (export "e") (param i32))
    (func (export "maybe_throw") (param i32) (result i32)
      (if (i32.lt_s (local.get 0) (i32.const 0)) (then unreachable))
      (if (i32.and (local.get 0) (i32.const 1)) (then (throw $e (local.get 0))))
      (i32.mul (local.get 0) (i32.const 2))))"#;

/// No handlers: passes calls on directly, through `call_indirect` and
/// through `call_ref`, adding 1000 after each (which an exception skips).
const MIDDLE: &str = r#"(module $middle
    (import "thrower" "maybe_throw" (func $throw (param i32) (result i32)))
    (type $t (func (param i32) (result i32)))
    (table 1 funcref)
    (elem (i32.const 0) $throw)
    (elem declare func $throw)
    (func $direct (param i32) (result i32) (i32.add (call $throw (local.get 0)) (i32.const 1000)))
    (func (export "pass") (param i32) (result i32)
      (i32.add (call $direct (local.get 0)) (i32.const 1000)))
    (func (export "pass_indirect") (param i32) (result i32)
      (i32.add (call_indirect (type $t) (local.get 0) (i32.const 0)) (i32.const 1000)))
    (func (export "pass_ref") (param i32) (result i32)
      (i32.add (call_ref $t (local.get 0) (ref.func $throw)) (i32.const 1000))))"#;

/// Catches `$e` (returning its payload negated) around each way through
/// the middle module; other exceptions and traps pass.
const CATCHER: &str = r#"(module $catcher
    (import "thrower" "e" (tag $e (param i32)))
    (import "middle" "pass" (func $pass (param i32) (result i32)))
    (import "middle" "pass_indirect" (func $pass_indirect (param i32) (result i32)))
    (import "middle" "pass_ref" (func $pass_ref (param i32) (result i32)))
    (func $local (param i32) (result i32) (call $pass (local.get 0)))
    (func (export "catch_pass") (param i32) (result i32)
      (i32.mul
        (block $h (result i32)
          (try_table (catch $e $h) (return (call $local (local.get 0))))
          unreachable)
        (i32.const -1)))
    (func (export "catch_indirect") (param i32) (result i32)
      (i32.mul
        (block $h (result i32)
          (try_table (catch $e $h) (return (call $pass_indirect (local.get 0))))
          unreachable)
        (i32.const -1)))
    (func (export "catch_ref") (param i32) (result i32)
      (i32.mul
        (block $h (result i32)
          (try_table (catch $e $h) (return (call $pass_ref (local.get 0))))
          unreachable)
        (i32.const -1))))"#;

fn engine(strategy: Strategy, guard_pages: bool) -> Engine {
    let mut config = Config::new();
    config.strategy(strategy).guard_pages(guard_pages);
    Engine::new(&config)
}

/// Every export of the catcher on several arguments, the modules loaded by
/// `back_end`: its result, or the error's trap code.
fn outcomes(back_end: BackEnd, engine: &Engine) -> Vec<String> {
    let mut store = Store::new(engine, ());
    let mut linker = Linker::new(engine);
    for (name, text) in [("thrower", THROWER), ("middle", MIDDLE)] {
        let module = back_end.load(engine, text).unwrap();
        let instance = linker.instantiate(&mut store, &module).unwrap();
        linker.instance(&mut store, name, instance).unwrap();
    }
    let catcher = back_end.load(engine, CATCHER).unwrap();
    let catcher = linker.instantiate(&mut store, &catcher).unwrap();
    let mut out = Vec::new();
    for name in ["catch_pass", "catch_indirect", "catch_ref"] {
        let func = catcher.get_func(&store, name).unwrap();
        for arg in [4, 7, -2, 11] {
            let mut result = [Val::I32(0)];
            let outcome = match func.call(&mut store, &[Val::I32(arg)], &mut result) {
                Ok(()) => format!("{result:?}"),
                Err(e) => format!("error: {:?}", e.trap_code()),
            };
            out.push(format!("{name}({arg}) = {outcome}"));
        }
    }
    out
}

#[test]
fn exceptions_cross_frames_without_handlers_alike_in_every_mode() {
    let expected = outcomes(BackEnd::Interp, &engine(Strategy::Interpreter, false));
    assert_eq!(expected[0], "catch_pass(4) = [I32(2008)]");
    assert_eq!(expected[1], "catch_pass(7) = [I32(-7)]");
    assert!(expected[2].starts_with("catch_pass(-2) = error: "), "{}", expected[2]);
    assert_eq!(expected[2], expected[6].replace("catch_indirect", "catch_pass"));
    for back_end in [BackEnd::Jit, BackEnd::Aot] {
        for guard_pages in [false, true] {
            assert_eq!(
                outcomes(back_end, &engine(Strategy::Jit, guard_pages)),
                expected,
                "{back_end:?}, guard pages {guard_pages}"
            );
        }
    }
}
