//! The interpreter passes each simple instruction's result to the next one
//! in a register as well as in its slot (`mote_ir::reg_pass`). These
//! sequences pair every kind of producer with every kind of reader, across
//! register classes, and put a branch target right after a producer, where
//! the register must not be used.

use mote::{Engine, Instance, Linker, Module, Store};

const PAIRS: &str = r#"(module
    (memory 1)
    ;; f64 chain, including x * x with both inputs from the register.
    (func (export "dist") (param $x f64) (param $y f64) (result f64)
        (local $dx f64)
        (local.set $dx (f64.sub (local.get $x) (local.get $y)))
        (f64.sqrt (f64.add (f64.mul (local.get $dx) (local.get $dx)) (f64.const 0.25))))
    ;; f32 chain, demoted, promoted and truncated across classes.
    (func (export "mixed") (param $a f32) (param $b f64) (result i32)
        (i32.trunc_f64_s
            (f64.mul
                (f64.promote_f32 (f32.mul (f32.add (local.get $a) (local.get $a)) (f32.demote_f64 (local.get $b))))
                (f64.convert_i32_s (i32.add (i32.trunc_f32_s (local.get $a)) (i32.const 3))))))
    ;; An f64 result stored as its bits, and loaded back into a float chain.
    (func (export "bits") (param $x f64) (result i64)
        (i64.store (i32.const 8) (i64.reinterpret_f64 (f64.neg (local.get $x))))
        (f64.store (i32.const 16) (f64.add (f64.load (i32.const 8)) (f64.const 1.5)))
        (i64.load (i32.const 16)))
    ;; Floats stored and loaded through fused addresses, feeding float chains.
    (func (export "fmem") (param $p i32) (param $i i32) (param $x f64) (param $y f32) (result f64)
        (f64.store (i32.add (local.get $p) (i32.const 16)) (local.get $x))
        (f32.store (i32.add (local.get $p) (local.get $i)) (local.get $y))
        (f64.store offset=24 (local.get $p)
            (f64.add
                (f64.load offset=8 (i32.add (local.get $p) (i32.const 8)))
                (f64.promote_f32 (f32.mul (f32.load (i32.add (local.get $p) (local.get $i))) (f32.const 2)))))
        (f64.load offset=24 (local.get $p)))
    ;; Integer results feeding addresses, indexes, stored values and branches.
    (func (export "ints") (param $p i32) (param $v i32) (result i32)
        (i32.store (i32.add (local.get $p) (i32.const 4)) (i32.mul (local.get $v) (i32.const 3)))
        (i32.store8 (i32.add (local.get $p) (i32.load (i32.add (local.get $p) (i32.const 4)))) (i32.const 9))
        (if (result i32) (i32.lt_u (i32.load8_u (i32.add (local.get $p) (i32.mul (local.get $v) (i32.const 3)))) (i32.const 10))
            (then (i32.sub (i32.const 100) (i32.load8_u (i32.add (local.get $p) (i32.load offset=4 (local.get $p))))))
            (else (i32.const -1))))
    ;; The loop's first instruction reads the slot the instruction before
    ;; the loop wrote, but the back edge arrives with another result in the
    ;; register.
    (func (export "loop") (param $n i32) (result i32)
        (local $acc i32)
        (local.set $acc (i32.add (local.get $n) (i32.const 1)))
        (loop $l
            (local.set $acc (i32.add (local.get $acc) (i32.const 7)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
        (local.get $acc))
    ;; A result passed in the register and read from its slot later: the
    ;; slot must still be written.
    (func (export "reuse") (param $a i32) (param $b i32) (result i32) (local $t i32)
        (local.set $t (i32.add (local.get $a) (local.get $b)))
        (local.set $a (i32.mul (local.get $t) (i32.const 3)))
        (local.set $b (i32.sub (local.get $a) (local.get $t)))
        (i32.add (i32.mul (local.get $b) (local.get $t)) (i32.const 1)))
    ;; Globals read into and written from the register.
    (global $g (mut i32) (i32.const 100))
    (func (export "glob") (param $d i32) (result i32)
        (global.set $g (i32.add (global.get $g) (local.get $d)))
        (i32.mul (global.get $g) (i32.const 2)))
    ;; i64 arithmetic, comparisons and selects.
    (func (export "wide") (param $a i64) (param $b i64) (result i64)
        (select
            (i64.rotl (i64.xor (local.get $a) (local.get $b)) (i64.const 13))
            (i64.shr_u (i64.mul (local.get $a) (local.get $b)) (i64.const 7))
            (i64.lt_s (i64.sub (local.get $a) (local.get $b)) (i64.const 0)))))"#;

fn setup() -> (Store<()>, Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, PAIRS).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    (store, instance)
}

#[test]
fn float_chains_keep_their_values_across_register_classes() {
    let (mut store, instance) = setup();
    let dist = instance.get_typed_func::<(f64, f64), f64>(&store, "dist").unwrap();
    for (x, y) in [(3.0, 1.5), (-2.0, 0.75), (1e10, -1e-3)] {
        let dx: f64 = x - y;
        assert_eq!(dist.call(&mut store, (x, y)).unwrap(), (dx * dx + 0.25).sqrt());
    }
    let mixed = instance.get_typed_func::<(f32, f64), i32>(&store, "mixed").unwrap();
    for (a, b) in [(1.5f32, 2.25f64), (-3.25, 0.5), (7.0, -1.125)] {
        let lhs = ((a + a) * b as f32) as f64;
        let rhs = ((a as i32) + 3) as f64;
        assert_eq!(mixed.call(&mut store, (a, b)).unwrap(), (lhs * rhs) as i32);
    }
    let fmem = instance
        .get_typed_func::<(i32, i32, f64, f32), f64>(&store, "fmem")
        .unwrap();
    for (p, i, x, y) in [(64, 4, 1.25f64, 3.5f32), (1000, 40, -7.0, 0.125)] {
        assert_eq!(fmem.call(&mut store, (p, i, x, y)).unwrap(), x + (y * 2.0) as f64);
    }
    let bits = instance.get_typed_func::<f64, i64>(&store, "bits").unwrap();
    for x in [2.5f64, -0.0, 1e300] {
        assert_eq!(bits.call(&mut store, x).unwrap(), (-x + 1.5).to_bits() as i64);
    }
}

#[test]
fn integer_results_feed_addresses_values_and_branches() {
    let (mut store, instance) = setup();
    let ints = instance.get_typed_func::<(i32, i32), i32>(&store, "ints").unwrap();
    // mem[p+4] = 3v; mem[p + 3v] = 9; 9 < 10, so 100 - 9.
    assert_eq!(ints.call(&mut store, (100, 5)).unwrap(), 91);
    assert_eq!(ints.call(&mut store, (4000, 20)).unwrap(), 91);
    let wide = instance.get_typed_func::<(i64, i64), i64>(&store, "wide").unwrap();
    for (a, b) in [(5i64, 9i64), (9, 5), (-7, 1 << 40)] {
        let expected = if a.wrapping_sub(b) < 0 {
            (a ^ b).rotate_left(13)
        } else {
            ((a.wrapping_mul(b)) as u64 >> 7) as i64
        };
        assert_eq!(wide.call(&mut store, (a, b)).unwrap(), expected);
    }
}

#[test]
fn a_result_read_again_later_is_still_in_its_slot() {
    let (mut store, instance) = setup();
    let reuse = instance.get_typed_func::<(i32, i32), i32>(&store, "reuse").unwrap();
    for (a, b) in [(1, 2), (10, -3), (1000, 7)] {
        let t: i32 = a + b;
        assert_eq!(reuse.call(&mut store, (a, b)).unwrap(), 2 * t * t + 1);
    }
}

#[test]
fn globals_pass_through_the_register() {
    let (mut store, instance) = setup();
    let glob = instance.get_typed_func::<i32, i32>(&store, "glob").unwrap();
    assert_eq!(glob.call(&mut store, 5).unwrap(), 210);
    assert_eq!(glob.call(&mut store, -6).unwrap(), 198);
}

#[test]
fn a_branch_target_after_a_producer_reads_its_slot() {
    let (mut store, instance) = setup();
    let looped = instance.get_typed_func::<i32, i32>(&store, "loop").unwrap();
    for n in [1, 2, 5, 100] {
        assert_eq!(looped.call(&mut store, n).unwrap(), n + 1 + 7 * n);
    }
}
