//! `Config::max_gc_heap_bytes`: structs, arrays and exceptions count
//! against the bound, and the allocation that would pass it traps with
//! `AllocationTooLarge` at the same point in the interpreter, the JIT and
//! an AOT artifact; initializers count too.

use crate::back_end::BackEnd;
use mote::{Config, Engine, Linker, Store, Strategy, TrapCode, Val};

const ALLOCATOR: &str = r#"(module
    (type $pair (struct (field i64) (field i64)))
    (type $bytes (array (mut i8)))
    (tag $e (param i64))
    (global $made (export "made") (mut i32) (i32.const 0))
    (func $count (global.set $made (i32.add (global.get $made) (i32.const 1))))
    (func (export "structs") (param $n i32)
      (loop $l
        (drop (struct.new $pair (i64.const 1) (i64.const 2)))
        (call $count)
        (br_if $l (i32.lt_u (global.get $made) (local.get $n)))))
    (func (export "arrays") (param $n i32) (param $len i32)
      (loop $l
        (drop (array.new_default $bytes (local.get $len)))
        (call $count)
        (br_if $l (i32.lt_u (global.get $made) (local.get $n)))))
    (func (export "throws") (param $n i32)
      (loop $l
        (drop
          (block $h (result i64)
            (try_table (catch $e $h) (throw $e (i64.const 5)))
            unreachable))
        (call $count)
        (br_if $l (i32.lt_u (global.get $made) (local.get $n))))))"#;

const BIG_INITIALIZER: &str = r#"(module
    (type $bytes (array (mut i8)))
    (global (ref $bytes) (array.new_default $bytes (i32.const 100000))))"#;

const BOUND: u64 = 64 << 10;

fn engine(back_end: BackEnd, bound: Option<u64>) -> Engine {
    let mut config = Config::new();
    let strategy = if back_end == BackEnd::Interp {
        Strategy::Interpreter
    } else {
        Strategy::Jit
    };
    config.strategy(strategy);
    if let Some(bytes) = bound {
        config.max_gc_heap_bytes(bytes);
    }
    Engine::new(&config)
}

/// Calls `func` of a fresh allocator instance with `args`: the trap code
/// (if it trapped) and how many objects it made before.
fn run(back_end: BackEnd, bound: Option<u64>, func: &str, args: &[Val]) -> (Option<TrapCode>, i32) {
    let engine = engine(back_end, bound);
    let module = back_end.load(&engine, ALLOCATOR).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let f = instance.get_func(&store, func).unwrap();
    let trap = f.call(&mut store, args, &mut []).err().map(|e| {
        e.trap_code()
            .unwrap_or_else(|| panic!("{back_end:?} {func}: not a trap: {e}"))
    });
    let made = instance.get_global(&store, "made").unwrap().get(&store);
    let Val::I32(made) = made else { panic!("made is an i32") };
    (trap, made)
}

#[test]
fn allocations_beyond_the_bound_trap_at_the_same_object_in_every_back_end() {
    let calls: [(&str, Vec<Val>); 3] = [
        ("structs", vec![Val::I32(100_000)]),
        ("arrays", vec![Val::I32(100_000), Val::I32(1000)]),
        ("throws", vec![Val::I32(100_000)]),
    ];
    for (func, args) in &calls {
        let (trap, made) = run(BackEnd::Interp, Some(BOUND), func, args);
        assert_eq!(trap, Some(TrapCode::AllocationTooLarge), "{func}");
        assert!(made > 0 && made < 100_000, "{func}: {made} objects within the bound");
        for back_end in [BackEnd::Jit, BackEnd::Aot] {
            assert_eq!(
                run(back_end, Some(BOUND), func, args),
                (trap, made),
                "{back_end:?} {func}"
            );
        }
        for back_end in [BackEnd::Interp, BackEnd::Jit] {
            assert_eq!(
                run(back_end, None, func, args),
                (None, 100_000),
                "{back_end:?} {func} unbounded"
            );
        }
    }
    // 1000-byte arrays: the bound holds about 64 of them.
    let (_, arrays) = run(BackEnd::Interp, Some(BOUND), "arrays", &calls[1].1);
    assert!((60..=65).contains(&arrays), "{arrays} arrays of 1000 bytes in 64 KiB");
}

#[test]
fn initializers_count_against_the_bound() {
    for back_end in [BackEnd::Interp, BackEnd::Jit, BackEnd::Aot] {
        let bounded = engine(back_end, Some(BOUND));
        let module = back_end.load(&bounded, BIG_INITIALIZER).unwrap();
        let mut store = Store::new(&bounded, ());
        let err = Linker::new(&bounded).instantiate(&mut store, &module).unwrap_err();
        assert_eq!(
            err.trap_code(),
            Some(TrapCode::AllocationTooLarge),
            "{back_end:?}: {err}"
        );
        let unbounded = engine(back_end, None);
        let module = back_end.load(&unbounded, BIG_INITIALIZER).unwrap();
        let mut store = Store::new(&unbounded, ());
        Linker::new(&unbounded).instantiate(&mut store, &module).unwrap();
    }
}
