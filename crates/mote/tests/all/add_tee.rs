//! `x = t = y + imm` (`i32.add; local.tee $t; local.set $x`) runs as one
//! instruction that writes both locals. Both must get the wrapped sum
//! whichever of them the addition reads, a loop stepping a pointer that
//! way must stop where the separate instructions stopped (or trap where
//! they trapped), and a label between the addition and the copy must keep
//! them apart, with and without fuel.

use mote::{Config, Engine, Instance, Linker, Module, Store, TrapCode};

const MODULE: &str = r#"(module
    (memory (export "mem") 1)
    (func $pack (param $hi i32) (param $lo i32) (result i64)
        (i64.or (i64.shl (i64.extend_i32_u (local.get $hi)) (i64.const 32))
                (i64.extend_i32_u (local.get $lo))))
    ;; the addition reads the local it sets: x = t = x - 1
    (func (export "dec") (param $x i32) (result i64) (local $t i32)
        (local.set $x (local.tee $t (i32.add (local.get $x) (i32.const -1))))
        (call $pack (local.get $x) (local.get $t)))
    ;; the addition reads a third local, which keeps its value
    (func (export "other") (param $y i32) (result i64) (local $x i32) (local $t i32)
        (local.set $x (local.tee $t (i32.add (local.get $y) (i32.const 7))))
        (call $pack (i32.sub (local.get $x) (local.get $y)) (local.get $t)))
    ;; the addition reads the tee'd local: x = t = t + 5
    (func (export "from_tee") (param $t i32) (result i64) (local $x i32)
        (local.set $x (local.tee $t (i32.add (local.get $t) (i32.const 5))))
        (call $pack (local.get $x) (local.get $t)))
    ;; scans down from $p while mem[p] > $pivot, as quicksort's partition
    ;; does: p = q = p - 4 after each load; returns q << 32 | p
    (func (export "scan") (param $p i32) (param $pivot i32) (result i64) (local $v i32) (local $q i32)
        (loop $l
            (local.set $v (i32.load (local.get $p)))
            (local.set $p (local.tee $q (i32.add (local.get $p) (i32.const -4))))
            (br_if $l (i32.gt_s (local.get $v) (local.get $pivot))))
        (call $pack (local.get $q) (local.get $p)))
    ;; a branch lands between the addition into $t and the copy into $x:
    ;; with $skip set, $x gets $t's old value
    (func (export "apart") (param $x i32) (param $t i32) (param $skip i32) (result i64)
        (block $b
            (br_if $b (local.get $skip))
            (local.set $t (i32.add (local.get $x) (i32.const 3))))
        (local.set $x (local.get $t))
        (call $pack (local.get $x) (local.get $t))))"#;

fn pack(hi: i32, lo: i32) -> i64 {
    ((hi as u32 as i64) << 32) | lo as u32 as i64
}

fn setup(fuel: bool) -> (Store<()>, Instance) {
    let mut config = Config::new();
    config.consume_fuel(fuel);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, MODULE).unwrap();
    let mut store = Store::new(&engine, ());
    assert_eq!(store.set_fuel(u64::MAX / 2).is_ok(), fuel);
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    (store, instance)
}

/// Memory: words 0..8 hold 0, 10, ..., 70 (at bytes 0, 4, ..., 28).
fn fill(store: &mut Store<()>, instance: &Instance) {
    let mem = instance.get_memory(&*store, "mem").unwrap();
    for i in 0..8 {
        mem.write(&mut *store, i * 4, &(10 * i as i32).to_le_bytes()).unwrap();
    }
}

fn both_locals_get_the_wrapped_sum(fuel: bool) {
    let (mut store, instance) = setup(fuel);
    let dec = instance.get_typed_func::<i32, i64>(&store, "dec").unwrap();
    for x in [5, 0, i32::MIN, i32::MAX, -1] {
        let want = x.wrapping_sub(1);
        assert_eq!(dec.call(&mut store, x).unwrap(), pack(want, want), "dec {x}");
    }
    let other = instance.get_typed_func::<i32, i64>(&store, "other").unwrap();
    for y in [0, -7, i32::MAX, i32::MIN] {
        assert_eq!(
            other.call(&mut store, y).unwrap(),
            pack(7, y.wrapping_add(7)),
            "other {y}"
        );
    }
    let from_tee = instance.get_typed_func::<i32, i64>(&store, "from_tee").unwrap();
    for t in [1, -5, i32::MAX - 2] {
        let want = t.wrapping_add(5);
        assert_eq!(from_tee.call(&mut store, t).unwrap(), pack(want, want), "from_tee {t}");
    }
}

#[test]
fn both_locals_get_the_wrapped_sum_without_fuel() {
    both_locals_get_the_wrapped_sum(false);
}

#[test]
fn both_locals_get_the_wrapped_sum_with_fuel() {
    both_locals_get_the_wrapped_sum(true);
}

fn a_stepping_loop_stops_or_traps_where_it_did(fuel: bool) {
    let (mut store, instance) = setup(fuel);
    fill(&mut store, &instance);
    let scan = instance.get_typed_func::<(i32, i32), i64>(&store, "scan").unwrap();
    // From byte 28 (70) down: stops after loading the first value <= pivot.
    assert_eq!(scan.call(&mut store, (28, 35)).unwrap(), pack(8, 8), "30 at byte 12");
    assert_eq!(
        scan.call(&mut store, (28, 1000)).unwrap(),
        pack(24, 24),
        "stops at once"
    );
    // Every value is above the pivot: p passes 0, wraps to 2^32 - 4 and
    // the load there traps.
    let trap = scan.call(&mut store, (28, -1)).unwrap_err();
    assert_eq!(trap.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    // Below zero from the start: the first load traps.
    let trap = scan.call(&mut store, (-4, 0)).unwrap_err();
    assert_eq!(trap.trap_code(), Some(TrapCode::MemoryOutOfBounds));
}

#[test]
fn a_stepping_loop_stops_or_traps_where_it_did_without_fuel() {
    a_stepping_loop_stops_or_traps_where_it_did(false);
}

#[test]
fn a_stepping_loop_stops_or_traps_where_it_did_with_fuel() {
    a_stepping_loop_stops_or_traps_where_it_did(true);
}

fn a_label_keeps_the_copy_apart(fuel: bool) {
    let (mut store, instance) = setup(fuel);
    let apart = instance
        .get_typed_func::<(i32, i32, i32), i64>(&store, "apart")
        .unwrap();
    assert_eq!(apart.call(&mut store, (10, 99, 0)).unwrap(), pack(13, 13), "no skip");
    assert_eq!(apart.call(&mut store, (10, 99, 1)).unwrap(), pack(99, 99), "skip");
    assert_eq!(
        apart.call(&mut store, (i32::MAX, 0, 0)).unwrap(),
        pack(i32::MIN + 2, i32::MIN + 2)
    );
}

#[test]
fn a_label_keeps_the_copy_apart_without_fuel() {
    a_label_keeps_the_copy_apart(false);
}

#[test]
fn a_label_keeps_the_copy_apart_with_fuel() {
    a_label_keeps_the_copy_apart(true);
}
