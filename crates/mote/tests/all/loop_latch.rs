//! Loop latches: an in-place `i32.add` followed by a conditional branch on
//! the added local runs as one fused instruction. Every comparison, with the
//! counter on either side, a local or constant limit and a local or
//! constant step, must behave as the two instructions did, including at
//! the signed and unsigned wrap-around points; a label between the add and
//! the branch must keep them apart.

use crate::i32_compares::CMPS;
use mote::{Config, Engine, Linker, Module, Store};

/// At most this many iterations per call, so that every loop ends.
const CAP: u32 = 40;

/// A loop `i += step; br_if (cond)` with the iteration cap checked first;
/// returns `count << 32 | i`. `step` and `cond` are wat expressions over
/// the locals `$i`, `$s` and `$n`.
fn latch_module(step: &str, cond: &str) -> String {
    format!(
        r#"(module
        (func (export "run") (param $i i32) (param $s i32) (param $n i32) (result i64)
            (local $count i32)
            (block $exit
                (loop $l
                    (br_if $exit (i32.ge_u (local.get $count) (i32.const {CAP})))
                    (local.set $count (i32.add (local.get $count) (i32.const 1)))
                    (local.set $i (i32.add (local.get $i) {step}))
                    (br_if $l {cond})))
            (i64.or (i64.shl (i64.extend_i32_u (local.get $count)) (i64.const 32))
                    (i64.extend_i32_u (local.get $i)))))"#
    )
}

/// The same loop in Rust: `cond(i)` decides whether to go round again.
fn expected(mut i: i32, step: i32, cond: impl Fn(i32) -> bool) -> i64 {
    let mut count = 0u32;
    loop {
        if count >= CAP {
            break;
        }
        count += 1;
        i = i.wrapping_add(step);
        if !cond(i) {
            break;
        }
    }
    ((count as i64) << 32) | i as u32 as i64
}

const STARTS: [i32; 6] = [0, -3, 5, i32::MAX - 1, -1, i32::MIN];
const STEPS: [i32; 5] = [1, 3, -1, -2, 0x4000_0000];
const LIMITS: [i32; 6] = [10, -10, 0, i32::MAX, 5, i32::MIN];

/// Runs `wat`'s `run` over every start, step and limit (or only the given
/// ones) and compares with `expected`.
fn check(
    (engine, fuel): (&Engine, bool),
    wat: &str,
    steps: &[i32],
    limits: &[i32],
    cond: impl Fn(i32, i32) -> bool,
    what: &str,
) {
    let module = Module::new(engine, wat).unwrap();
    let mut store = Store::new(engine, ());
    // Without metering, setting fuel is an error: this also checks the
    // engine is configured as the caller says.
    assert_eq!(store.set_fuel(u64::MAX / 2).is_ok(), fuel);
    let instance = Linker::new(engine).instantiate(&mut store, &module).unwrap();
    let run = instance.get_typed_func::<(i32, i32, i32), i64>(&store, "run").unwrap();
    for &start in &STARTS {
        for &step in steps {
            for &limit in limits {
                let got = run.call(&mut store, (start, step, limit)).unwrap();
                let want = expected(start, step, |i| cond(i, limit));
                assert_eq!(got, want, "{what}: start {start}, step {step}, limit {limit}");
            }
        }
    }
}

fn every_latch_shape(engine: (&Engine, bool)) {
    for (name, cmp) in CMPS {
        // Limit in a local, counter on the left and on the right; step in a
        // local and a constant.
        let lhs = format!("(i32.{name} (local.get $i) (local.get $n))");
        let rhs = format!("(i32.{name} (local.get $n) (local.get $i))");
        for (cond, swapped) in [(&lhs, false), (&rhs, true)] {
            let cond_fn = |i: i32, n: i32| if swapped { cmp(n, i) } else { cmp(i, n) };
            let wat = latch_module("(local.get $s)", cond);
            check(
                engine,
                &wat,
                &STEPS,
                &LIMITS,
                cond_fn,
                &format!("{name} slot step, {cond}"),
            );
            for step in [1, -2] {
                let wat = latch_module(&format!("(i32.const {step})"), cond);
                check(
                    engine,
                    &wat,
                    &[step],
                    &LIMITS,
                    cond_fn,
                    &format!("{name} step {step}, {cond}"),
                );
            }
        }
        // Constant limits.
        for limit in [7, -5, 0] {
            let cond = format!("(i32.{name} (local.get $i) (i32.const {limit}))");
            for step in [1, -2] {
                let wat = latch_module(&format!("(i32.const {step})"), &cond);
                let what = format!("{name} step {step}, {cond}");
                check(engine, &wat, &[step], &[limit], |i, _| cmp(i, limit), &what);
            }
        }
    }
    // Counting down to zero: `br_if` on the counter itself, and on its `eqz`.
    for (cond, stays) in [("(local.get $i)", true), ("(i32.eqz (local.get $i))", false)] {
        for step in [-1, 2] {
            let wat = latch_module(&format!("(i32.const {step})"), cond);
            let cond_fn = |i: i32, _| (i != 0) == stays;
            check(engine, &wat, &[step], &[0], cond_fn, &format!("step {step}, {cond}"));
        }
    }
}

#[test]
fn latches_compare_like_the_separate_instructions() {
    every_latch_shape((&Engine::default(), false));
}

#[test]
fn latches_compare_like_the_separate_instructions_with_fuel() {
    let mut config = Config::new();
    config.consume_fuel(true);
    every_latch_shape((&Engine::new(&config), true));
}

/// Every other iteration branches past the add, to a label right before
/// the loop's compare-and-branch: fusing the two would run the add on the
/// branch's path too.
#[test]
fn a_label_between_add_and_branch_keeps_them_apart() {
    let wat = r#"(module
        (func (export "count") (param $i i32) (result i32)
            (local $count i32) (local $skip i32)
            (loop $l
                (local.set $count (i32.add (local.get $count) (i32.const 1)))
                (local.set $skip (i32.xor (local.get $skip) (i32.const 1)))
                (block $b
                    (br_if $b (local.get $skip))
                    (local.set $i (i32.add (local.get $i) (i32.const 1))))
                (br_if $l (i32.ne (local.get $i) (i32.const 10))))
            (local.get $count)))"#;
    let engine = Engine::default();
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let count = instance.get_typed_func::<i32, i32>(&store, "count").unwrap();
    // From 0, `i` grows on the 2nd, 4th, ... iteration: 10 after 20.
    assert_eq!(count.call(&mut store, 0).unwrap(), 20);
    assert_eq!(count.call(&mut store, 7).unwrap(), 6);
}

/// Two in-place additions in a row run as one instruction, but not across
/// a label: on odd iterations the branch skips `a += 3` and lands on
/// `b -= 2`, which must still run alone; `a += 5` joins it.
#[test]
fn adjacent_in_place_adds_join_but_not_across_a_label() {
    let wat = r#"(module
        (func (export "steps") (param $a i32) (param $b i32) (param $skip i32) (result i64)
            (local $n i32)
            (loop $l
                (local.set $n (i32.xor (local.get $n) (i32.const 1)))
                (block $x
                    (br_if $x (i32.and (local.get $skip) (local.get $n)))
                    (local.set $a (i32.add (local.get $a) (i32.const 3))))
                (local.set $b (i32.add (local.get $b) (i32.const -2)))
                (local.set $a (i32.add (local.get $a) (i32.const 5)))
                (br_if $l (i32.lt_u (local.get $a) (i32.const 100))))
            (i64.or (i64.shl (i64.extend_i32_u (local.get $a)) (i64.const 32))
                    (i64.extend_i32_u (local.get $b)))))"#;
    let expected = |mut a: i32, mut b: i32, skip: i32| {
        let mut n = 0;
        loop {
            n ^= 1;
            if skip & n == 0 {
                a = a.wrapping_add(3);
            }
            b = b.wrapping_sub(2);
            a = a.wrapping_add(5);
            if (a as u32) >= 100 {
                break;
            }
        }
        ((a as u32 as i64) << 32) | b as u32 as i64
    };
    let engine = Engine::default();
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let steps = instance
        .get_typed_func::<(i32, i32, i32), i64>(&store, "steps")
        .unwrap();
    for (a, b, skip) in [(0, 0, 0), (0, 0, 1), (7, -5, 1), (99, 3, 1), (-20, 0, 0)] {
        assert_eq!(
            steps.call(&mut store, (a, b, skip)).unwrap(),
            expected(a, b, skip),
            "{a} {b} {skip}"
        );
    }
}
