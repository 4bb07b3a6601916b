//! Traps in compiled code carry the same wasm backtrace as in the
//! interpreter: raised by a trap block, by a libcall (bulk memory and
//! table operations), by a guard-page fault, through a call from another
//! module, and at stack overflow (the innermost 64 frames); also through
//! a call inside a `try_table`, which does not catch traps (in code that
//! raises traps, a `try_call` whose handler only exceptions resume).

use mote::{Config, Engine, Linker, Module, Store, Strategy};

/// (name, argument, body of the leaf function that traps on it).
const CASES: &[(&str, i32, &str)] = &[
    ("unreachable", 0, "unreachable"),
    ("divide", 0, "(i32.div_s (i32.const 7) (local.get 0))"),
    ("convert", 0, "(i32.trunc_f32_s (f32.const 1e30))"),
    ("load", 65536, "(i32.load (local.get 0))"),
    ("store", -1, "(i32.store8 (local.get 0) (i32.const 1)) (i32.const 0)"),
    (
        "fill",
        65530,
        "(memory.fill (local.get 0) (i32.const 0) (i32.const 16)) (i32.const 0)",
    ),
    (
        "table_copy",
        5,
        "(table.copy (local.get 0) (i32.const 0) (i32.const 1)) (i32.const 0)",
    ),
    (
        "indirect",
        1,
        "(call_indirect (type $void) (local.get 0)) (i32.const 0)",
    ),
    (
        "recurse",
        0,
        "(i32.add (call $leaf_recurse (local.get 0)) (i32.const 1))",
    ),
    ("imported", 0, "(call $other_trap) (i32.const 0)"),
];

/// Each case as `$NAME` (exported) → `$mid_NAME` → `$leaf_NAME`, and as
/// `$NAME_try` → `$mid_try_NAME` (the call inside a `try_table`) →
/// `$leaf_NAME`.
fn main_module() -> String {
    let mut wat = String::from(
        r#"(module $main
            (import "other" "trap" (func $other_trap))
            (type $void (func))
            (memory 1)
            (table 2 funcref)"#,
    );
    for (name, _, body) in CASES {
        wat.push_str(&format!(
            r#"
            (func $leaf_{name} (param i32) (result i32) {body})
            (func $mid_{name} (param i32) (result i32) (i32.add (call $leaf_{name} (local.get 0)) (i32.const 1)))
            (func ${name} (export "{name}") (param i32) (result i32) (call $mid_{name} (local.get 0)))
            (func $mid_try_{name} (param i32) (result i32)
              (block $caught
                (try_table (catch_all $caught)
                  (return (i32.add (call $leaf_{name} (local.get 0)) (i32.const 1)))))
              (i32.const -1))
            (func ${name}_try (export "{name}_try") (param i32) (result i32) (call $mid_try_{name} (local.get 0)))"#
        ));
    }
    wat.push(')');
    wat
}

const OTHER: &str = r#"(module $other
    (func $deep unreachable)
    (func $trap (export "trap") (call $deep)))"#;

/// One frame of a backtrace: (module, function index, function name).
type Frame = (Option<String>, u32, Option<String>);

/// Each case's trap backtrace, then each case's through `try_table`.
fn backtraces(engine: &Engine) -> Vec<Vec<Frame>> {
    let mut store = Store::new(engine, ());
    let mut linker = Linker::new(engine);
    let other = Module::new(engine, OTHER).unwrap();
    let other = linker.instantiate(&mut store, &other).unwrap();
    linker.instance(&mut store, "other", other).unwrap();
    let main = Module::new(engine, main_module()).unwrap();
    let instance = linker.instantiate(&mut store, &main).unwrap();
    let plain = CASES.iter().map(|&(name, arg, _)| (name.to_string(), arg));
    let tried = CASES.iter().map(|&(name, arg, _)| (format!("{name}_try"), arg));
    plain
        .chain(tried)
        .map(|(name, arg)| {
            let func = instance.get_typed_func::<i32, i32>(&store, &name).unwrap();
            let err = func.call(&mut store, arg).unwrap_err();
            let trap = err.as_trap().unwrap_or_else(|| panic!("{name}: not a trap: {err}"));
            trap.backtrace()
                .iter()
                .map(|f| (f.module_name.clone(), f.func_index, f.func_name.clone()))
                .collect()
        })
        .collect()
}

fn engine(strategy: Strategy, guard_pages: bool) -> Engine {
    let mut config = Config::new();
    config.strategy(strategy).guard_pages(guard_pages);
    Engine::new(&config)
}

#[test]
fn compiled_traps_have_the_interpreters_backtraces() {
    let expected = backtraces(&engine(Strategy::Interpreter, false));
    let names = |trace: &[Frame]| -> Vec<String> {
        trace
            .iter()
            .map(|(m, _, f)| format!("{}!{}", m.as_deref().unwrap_or("?"), f.as_deref().unwrap_or("?")))
            .collect()
    };
    assert_eq!(
        names(&expected[0]),
        ["main!leaf_unreachable", "main!mid_unreachable", "main!unreachable"]
    );
    assert_eq!(
        names(&expected[CASES.len() - 1]),
        [
            "other!deep",
            "other!trap",
            "main!leaf_imported",
            "main!mid_imported",
            "main!imported"
        ]
    );
    assert_eq!(
        names(&expected[2 * CASES.len() - 1]),
        [
            "other!deep",
            "other!trap",
            "main!leaf_imported",
            "main!mid_try_imported",
            "main!imported_try"
        ]
    );
    let recursion = &expected[CASES.iter().position(|c| c.0 == "recurse").unwrap()];
    assert_eq!(recursion.len(), 64);
    for guard_pages in [false, true] {
        let compiled = backtraces(&engine(Strategy::Jit, guard_pages));
        assert_eq!(compiled.len(), expected.len());
        let cases = CASES.iter().chain(CASES);
        for (i, (case, (want, got))) in cases.zip(expected.iter().zip(&compiled)).enumerate() {
            let case = format!("{}{}", case.0, if i < CASES.len() { "" } else { "_try" });
            assert_eq!(names(got), names(want), "{case} with guard pages {guard_pages}");
            assert_eq!(got, want, "{case} with guard pages {guard_pages}");
        }
    }
}
