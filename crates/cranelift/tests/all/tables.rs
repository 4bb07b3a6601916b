//! Reference types and table operators.

use crate::harness::{Val, instantiate};
use mote_core::TrapCode;

const MODULE: &str = r#"
(module
  (table $t 2 10 funcref)
  (table $e 3 externref)
  (elem $seg func $f $g)
  (elem declare func $h)
  (func $f (result i32) (i32.const 1))
  (func $g (result i32) (i32.const 2))
  (func $h (result i32) (i32.const 3))
  (func (export "size") (result i32) (table.size $t))
  (func (export "grow") (param i32) (result i32) (table.grow $t (ref.func $h) (local.get 0)))
  (func (export "get_is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "set_h") (param i32) (table.set $t (local.get 0) (ref.func $h)))
  (func (export "set_null") (param i32) (table.set $t (local.get 0) (ref.null func)))
  (func (export "call") (param i32) (result i32) (call_indirect $t (result i32) (local.get 0)))
  (func (export "init") (param i32 i32 i32) (table.init $t $seg (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (elem.drop $seg))
  (func (export "copy") (param i32 i32 i32) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fill") (param i32 i32) (table.fill $t (local.get 0) (ref.func $g) (local.get 1)))
  (func (export "ext_set") (param i32 externref) (table.set $e (local.get 0) (local.get 1)))
  (func (export "ext_get") (param i32) (result externref) (table.get $e (local.get 0)))
  (func (export "func_ref") (result funcref) (ref.func $g))
)"#;

#[test]
fn table_get_set_size_and_grow() {
    let mut m = instantiate(MODULE);
    assert_eq!(m.call("size", &[]), Ok(vec![Val::I32(2)]));
    assert_eq!(m.call("get_is_null", &[Val::I32(0)]), Ok(vec![Val::I32(1)]));
    m.call("set_h", &[Val::I32(1)]).unwrap();
    assert_eq!(m.call("get_is_null", &[Val::I32(1)]), Ok(vec![Val::I32(0)]));
    assert_eq!(m.call("call", &[Val::I32(1)]), Ok(vec![Val::I32(3)]));
    m.call("set_null", &[Val::I32(1)]).unwrap();
    assert_eq!(m.call("call", &[Val::I32(1)]), Err(TrapCode::IndirectCallToNull));
    assert_eq!(m.call("get_is_null", &[Val::I32(2)]), Err(TrapCode::TableOutOfBounds));
    assert_eq!(m.call("set_h", &[Val::I32(2)]), Err(TrapCode::TableOutOfBounds));
    assert_eq!(m.call("grow", &[Val::I32(3)]), Ok(vec![Val::I32(2)]));
    assert_eq!(m.call("size", &[]), Ok(vec![Val::I32(5)]));
    assert_eq!(m.call("call", &[Val::I32(4)]), Ok(vec![Val::I32(3)]));
    assert_eq!(m.call("grow", &[Val::I32(6)]), Ok(vec![Val::I32(-1)]));
    // ref.func yields the raw reference `store index + 1`.
    assert_eq!(m.call("func_ref", &[]), Ok(vec![Val::Ref(2)]));
    m.call("ext_set", &[Val::I32(2), Val::Ref(0x1234)]).unwrap();
    assert_eq!(m.call("ext_get", &[Val::I32(2)]), Ok(vec![Val::Ref(0x1234)]));
    assert_eq!(m.table(1)[2], 0x1234);
}

#[test]
fn table_init_copy_fill_and_drop() {
    let mut m = instantiate(MODULE);
    m.call("init", &[Val::I32(0), Val::I32(0), Val::I32(2)]).unwrap();
    assert_eq!(m.call("call", &[Val::I32(0)]), Ok(vec![Val::I32(1)]));
    assert_eq!(m.call("call", &[Val::I32(1)]), Ok(vec![Val::I32(2)]));
    m.call("copy", &[Val::I32(0), Val::I32(1), Val::I32(1)]).unwrap();
    assert_eq!(m.call("call", &[Val::I32(0)]), Ok(vec![Val::I32(2)]));
    assert_eq!(
        m.call("copy", &[Val::I32(1), Val::I32(0), Val::I32(2)]),
        Err(TrapCode::TableOutOfBounds)
    );
    m.call("set_null", &[Val::I32(0)]).unwrap();
    m.call("fill", &[Val::I32(0), Val::I32(1)]).unwrap();
    assert_eq!(m.call("call", &[Val::I32(0)]), Ok(vec![Val::I32(2)]));
    assert_eq!(
        m.call("fill", &[Val::I32(1), Val::I32(2)]),
        Err(TrapCode::TableOutOfBounds)
    );
    m.call("drop", &[]).unwrap();
    assert_eq!(
        m.call("init", &[Val::I32(0), Val::I32(0), Val::I32(1)]),
        Err(TrapCode::TableOutOfBounds)
    );
}
