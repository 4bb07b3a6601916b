//! Loads and stores whose address computation the translator fuses into
//! the access (`...At`: `base + imm`, `...Idx`: `base + index`): the same
//! results and traps as the unfused sequence, including 32-bit wrapping.

use mote::{Engine, Instance, Linker, Module, Store, TrapCode};

const ACCESS: &str = r#"(module
    (memory 1)
    (func (export "store_idx_const") (param $base i32) (param $p i32)
        ;; the index is a loaded temporary, the value a constant
        (i32.store8 (i32.add (local.get $base) (i32.load (local.get $p))) (i32.const 7)))
    (func (export "load_idx") (param $base i32) (param $i i32) (result i32)
        (i32.load8_u (i32.add (local.get $base) (local.get $i))))
    (func (export "load_at") (param $p i32) (result i32)
        (i32.load offset=2 (i32.add (local.get $p) (i32.const -4))))
    (func (export "store_at") (param $p i32) (param $v i64)
        (i64.store offset=1 (i32.add (local.get $p) (i32.const -8)) (local.get $v)))
    (func (export "load64") (param $p i32) (result i64) (i64.load (local.get $p)))
    (func (export "store_idx_local") (param $base i32) (param $i i32) (param $v i32)
        (i32.store16 (i32.add (local.get $base) (local.get $i)) (local.get $v))))"#;

fn setup() -> (Store<()>, Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, ACCESS).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    (store, instance)
}

#[test]
fn a_constant_stored_at_base_plus_a_computed_index_lands_there() {
    let (mut store, instance) = setup();
    let store_idx = instance
        .get_typed_func::<(i32, i32), ()>(&store, "store_idx_const")
        .unwrap();
    let load_idx = instance.get_typed_func::<(i32, i32), i32>(&store, "load_idx").unwrap();
    let store_at = instance.get_typed_func::<(i32, i64), ()>(&store, "store_at").unwrap();
    // mem[100..108] = 5 (little-endian): the i64 store at 107 - 8 + 1.
    store_at.call(&mut store, (107, 5)).unwrap();
    store_idx.call(&mut store, (1000, 100)).unwrap();
    assert_eq!(load_idx.call(&mut store, (1000, 5)).unwrap(), 7);
    assert_eq!(load_idx.call(&mut store, (1005, 0)).unwrap(), 7);
    assert_eq!(load_idx.call(&mut store, (1000, 4)).unwrap(), 0);
}

#[test]
fn fused_addresses_wrap_at_32_bits_and_then_add_the_offset() {
    let (mut store, instance) = setup();
    let load_at = instance.get_typed_func::<i32, i32>(&store, "load_at").unwrap();
    let load_idx = instance.get_typed_func::<(i32, i32), i32>(&store, "load_idx").unwrap();
    let store_at = instance.get_typed_func::<(i32, i64), ()>(&store, "store_at").unwrap();
    let load64 = instance.get_typed_func::<i32, i64>(&store, "load64").unwrap();
    store_at.call(&mut store, (8, 0x0102_0304_0506_0708)).unwrap();
    assert_eq!(load64.call(&mut store, 1).unwrap(), 0x0102_0304_0506_0708);
    // 6 - 4 + 2 = 4: the upper half of the value stored at 1.
    assert_eq!(load_at.call(&mut store, 6).unwrap(), 0x0203_0405);
    // 2 - 4 wraps to 0xffff_fffe; plus the offset it is out of bounds
    // (a 33-bit effective address), not address 0.
    let err = load_at.call(&mut store, 2).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    // base + index wraps too: 0xffff_ffff + 2 = 1.
    assert_eq!(load_idx.call(&mut store, (-1, 2)).unwrap(), 0x08);
    let err = store_at.call(&mut store, (65536 + 8, 1)).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds));
}

#[test]
fn a_local_stored_at_base_plus_index_is_stored() {
    let (mut store, instance) = setup();
    let store_idx = instance
        .get_typed_func::<(i32, i32, i32), ()>(&store, "store_idx_local")
        .unwrap();
    let load_idx = instance.get_typed_func::<(i32, i32), i32>(&store, "load_idx").unwrap();
    store_idx.call(&mut store, (200, 10, 0x1234)).unwrap();
    assert_eq!(load_idx.call(&mut store, (210, 0)).unwrap(), 0x34);
    assert_eq!(load_idx.call(&mut store, (211, 0)).unwrap(), 0x12);
    let err = store_idx.call(&mut store, (65535, 0, 1)).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds));
}
