//! `base + (i << k)` (an `i32.add` of a shift by a constant) runs as one
//! instruction, as compilers compute array element addresses. It must wrap
//! at 32 bits, take the shift count modulo 32, work with the shift on
//! either side, pass its result on to a load or a local, and leave the
//! load's trap where it was; with and without fuel.

use mote::{Config, Engine, Instance, Linker, Module, Store, TrapCode};

const MODULE: &str = r#"(module
    (memory (export "mem") 1)
    (func (export "right") (param $base i32) (param $i i32) (result i32)
        (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2))))
    (func (export "left") (param $base i32) (param $i i32) (result i32)
        (i32.add (i32.shl (local.get $i) (i32.const 3)) (local.get $base)))
    ;; a count of 33 shifts by 1
    (func (export "wide") (param $base i32) (param $i i32) (result i32)
        (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 33))))
    ;; two shifts: the second joins the addition, the first is its base
    (func (export "both") (param $i i32) (param $j i32) (result i32)
        (i32.add (i32.shl (local.get $i) (i32.const 2)) (i32.shl (local.get $j) (i32.const 4))))
    ;; into a local, then read twice
    (func (export "local") (param $base i32) (param $i i32) (result i32) (local $a i32)
        (local.set $a (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 1))))
        (i32.sub (local.get $a) (i32.shl (local.get $a) (i32.const 1))))
    ;; an array element: a[i] of the array at $base
    (func (export "element") (param $base i32) (param $i i32) (result i32)
        (i32.load (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2))))))"#;

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

const VALUES: [i32; 7] = [0, 1, -1, 3, 0x4000_0001, i32::MAX, i32::MIN];

fn addresses_wrap_like_shift_then_add(fuel: bool) {
    let (mut store, instance) = setup(fuel);
    let f = |store: &Store<()>, name| instance.get_typed_func::<(i32, i32), i32>(store, name).unwrap();
    let (right, left, wide, both, local) = (
        f(&store, "right"),
        f(&store, "left"),
        f(&store, "wide"),
        f(&store, "both"),
        f(&store, "local"),
    );
    for a in VALUES {
        for b in VALUES {
            let at = |k: u32| a.wrapping_add(b.wrapping_shl(k));
            assert_eq!(right.call(&mut store, (a, b)).unwrap(), at(2), "right {a} {b}");
            assert_eq!(left.call(&mut store, (a, b)).unwrap(), at(3), "left {a} {b}");
            assert_eq!(wide.call(&mut store, (a, b)).unwrap(), at(1), "wide {a} {b}");
            let sum = a.wrapping_shl(2).wrapping_add(b.wrapping_shl(4));
            assert_eq!(both.call(&mut store, (a, b)).unwrap(), sum, "both {a} {b}");
            let x = at(1);
            assert_eq!(
                local.call(&mut store, (a, b)).unwrap(),
                x.wrapping_sub(x.wrapping_shl(1)),
                "local {a} {b}"
            );
        }
    }
}

#[test]
fn addresses_wrap_like_shift_then_add_without_fuel() {
    addresses_wrap_like_shift_then_add(false);
}

#[test]
fn addresses_wrap_like_shift_then_add_with_fuel() {
    addresses_wrap_like_shift_then_add(true);
}

fn elements_load_or_trap_where_they_did(fuel: bool) {
    let (mut store, instance) = setup(fuel);
    let mem = instance.get_memory(&store, "mem").unwrap();
    mem.write(&mut store, 108, &77i32.to_le_bytes()).unwrap();
    mem.write(&mut store, 65532, &(-9i32).to_le_bytes()).unwrap();
    let element = instance.get_typed_func::<(i32, i32), i32>(&store, "element").unwrap();
    assert_eq!(element.call(&mut store, (100, 2)).unwrap(), 77);
    assert_eq!(element.call(&mut store, (116, -2)).unwrap(), 77, "negative index");
    assert_eq!(element.call(&mut store, (65528, 1)).unwrap(), -9, "last word");
    // 108 + (2^30 << 2) wraps to 108.
    assert_eq!(element.call(&mut store, (108, 0x4000_0000)).unwrap(), 77, "wrapped");
    for (base, i) in [(65532, 1), (0, 0x3fff_ffff), (-8, 1)] {
        let trap = element.call(&mut store, (base, i)).unwrap_err();
        assert_eq!(trap.trap_code(), Some(TrapCode::MemoryOutOfBounds), "{base} {i}");
    }
}

#[test]
fn elements_load_or_trap_where_they_did_without_fuel() {
    elements_load_or_trap_where_they_did(false);
}

#[test]
fn elements_load_or_trap_where_they_did_with_fuel() {
    elements_load_or_trap_where_they_did(true);
}
