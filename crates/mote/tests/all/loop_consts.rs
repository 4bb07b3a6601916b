//! Constants that loops read live in frame slots the function's entry
//! writes (`ConstInit`). Calls inside the loop, recursion and re-entry must
//! all leave them intact.

use mote::{Engine, Linker, Module, Store};

const LOOPS: &str = r#"(module
    (memory 1)
    ;; Clobbers as many cells of its own frame as it can, with other constants.
    (func $noise (param $k i32) (result i32)
        (local $a i64) (local $b f64)
        (local.set $a (i64.const 0x5555555555555555))
        (local.set $b (f64.const -99.5))
        (i32.add (local.get $k) (i32.wrap_i64 (i64.trunc_f64_s (local.get $b)))))
    ;; Sums 1000 - i, 0.25 and noise(i) over the loop, and recurses once.
    (func $sum (export "sum") (param $n i32) (param $deep i32) (result f64)
        (local $i i32) (local $acc f64)
        (loop $l
            (local.set $acc (f64.add (local.get $acc)
                (f64.convert_i32_s (i32.sub (i32.const 1000) (local.get $i)))))
            (local.set $acc (f64.add (local.get $acc) (f64.const 0.25)))
            (local.set $acc (f64.add (local.get $acc) (f64.convert_i32_s (call $noise (local.get $i)))))
            (if (local.get $deep)
                (then (local.set $acc (f64.add (local.get $acc)
                    (call $sum (i32.const 3) (i32.const 0))))))
            (i32.store (i32.const 64) (i32.const 1000))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_s (local.get $i) (local.get $n))))
        (f64.add (local.get $acc) (f64.convert_i32_s (i32.load (i32.const 64))))))"#;

/// The same sum, computed in Rust.
fn expected(n: i32, deep: bool) -> f64 {
    let mut acc = 0.0;
    for i in 0..n.max(1) {
        acc += (1000 - i) as f64;
        acc += 0.25;
        acc += (i - 99) as f64;
        if deep {
            acc += expected(3, false);
        }
    }
    acc + 1000.0
}

#[test]
fn loop_constants_survive_calls_and_recursion() {
    let engine = Engine::default();
    let module = Module::new(&engine, LOOPS).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let sum = instance.get_typed_func::<(i32, i32), f64>(&store, "sum").unwrap();
    for (n, deep) in [(1, 0), (10, 0), (10, 1), (200, 1)] {
        assert_eq!(
            sum.call(&mut store, (n, deep)).unwrap(),
            expected(n, deep != 0),
            "n={n} deep={deep}"
        );
    }
}
