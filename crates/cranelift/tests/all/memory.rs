//! Loads, stores, bounds at the edge, memory.grow/size, bulk memory, and
//! the guard-page mode.

use crate::harness::{Val, instantiate, instantiate_with, options};
use mote_core::TrapCode;
use mote_cranelift::BoundsChecks;

const MODULE: &str = r#"
(module
  (memory (export "mem") 1 3)
  (data (i32.const 16) "\01\02\03\04\05\06\07\08")
  (data $passive "hello")
  (func (export "load8_s") (param i32) (result i32) (i32.load8_s (local.get 0)))
  (func (export "load8_u") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load16_s") (param i32) (result i32) (i32.load16_s (local.get 0)))
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load32_off") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "load64_32s") (param i32) (result i64) (i64.load32_s (local.get 0)))
  (func (export "loadf64") (param i32) (result f64) (f64.load (local.get 0)))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "store16") (param i32 i64) (i64.store16 (local.get 0) (local.get 1)))
  (func (export "store64") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "storef32") (param i32 f32) (f32.store offset=8 (local.get 0) (local.get 1)))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32) (memory.init $passive (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (data.drop $passive))
)"#;

#[test]
fn loads_and_stores_of_every_width() {
    let mut m = instantiate(MODULE);
    assert_eq!(m.call("load32", &[Val::I32(16)]), Ok(vec![Val::I32(0x0403_0201)]));
    assert_eq!(m.call("load32_off", &[Val::I32(16)]), Ok(vec![Val::I32(0x0807_0605)]));
    assert_eq!(
        m.call("load64", &[Val::I32(16)]),
        Ok(vec![Val::I64(0x0807_0605_0403_0201)])
    );
    m.call("store8", &[Val::I32(0), Val::I32(0x1ff)]).unwrap();
    assert_eq!(m.call("load8_s", &[Val::I32(0)]), Ok(vec![Val::I32(-1)]));
    assert_eq!(m.call("load8_u", &[Val::I32(0)]), Ok(vec![Val::I32(255)]));
    m.call("store16", &[Val::I32(2), Val::I64(0x1_8001)]).unwrap();
    assert_eq!(m.call("load16_s", &[Val::I32(2)]), Ok(vec![Val::I32(-32767)]));
    m.call("store64", &[Val::I32(32), Val::I64(-2)]).unwrap();
    assert_eq!(m.call("load64_32s", &[Val::I32(32)]), Ok(vec![Val::I64(-2)]));
    m.call("storef32", &[Val::I32(40), Val::F32(1.5f32.to_bits())]).unwrap();
    assert_eq!(&m.memory(0)[48..52], &1.5f32.to_le_bytes());
    m.call("store64", &[Val::I32(56), Val::I64(2.5f64.to_bits() as i64)])
        .unwrap();
    assert_eq!(m.call("loadf64", &[Val::I32(56)]), Ok(vec![Val::F64(2.5f64.to_bits())]));
}

#[test]
fn accesses_at_the_edge_of_memory() {
    let mut m = instantiate(MODULE);
    let last = 65536;
    assert_eq!(m.call("load32", &[Val::I32(last - 4)]), Ok(vec![Val::I32(0)]));
    assert_eq!(
        m.call("load32", &[Val::I32(last - 3)]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(m.call("load8_u", &[Val::I32(last - 1)]), Ok(vec![Val::I32(0)]));
    assert_eq!(m.call("load8_u", &[Val::I32(last)]), Err(TrapCode::MemoryOutOfBounds));
    assert_eq!(m.call("load32_off", &[Val::I32(last - 8)]), Ok(vec![Val::I32(0)]));
    assert_eq!(
        m.call("load32_off", &[Val::I32(last - 7)]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(m.call("load64", &[Val::I32(-1)]), Err(TrapCode::MemoryOutOfBounds));
    assert_eq!(m.call("load32_off", &[Val::I32(-4)]), Err(TrapCode::MemoryOutOfBounds));
    assert_eq!(
        m.call("store64", &[Val::I32(last - 7), Val::I64(1)]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(
        m.memory(0)[(last - 7) as usize..].iter().copied().max(),
        Some(0),
        "no partial write"
    );
}

#[test]
fn memory_grow_moves_the_edge() {
    let mut m = instantiate(MODULE);
    assert_eq!(m.call("size", &[]), Ok(vec![Val::I32(1)]));
    assert_eq!(m.call("load8_u", &[Val::I32(65536)]), Err(TrapCode::MemoryOutOfBounds));
    assert_eq!(m.call("grow", &[Val::I32(1)]), Ok(vec![Val::I32(1)]));
    assert_eq!(m.call("size", &[]), Ok(vec![Val::I32(2)]));
    assert_eq!(m.call("load8_u", &[Val::I32(65536)]), Ok(vec![Val::I32(0)]));
    assert_eq!(
        m.call("load32", &[Val::I32(16)]),
        Ok(vec![Val::I32(0x0403_0201)]),
        "contents kept"
    );
    assert_eq!(
        m.call("grow", &[Val::I32(2)]),
        Ok(vec![Val::I32(-1)]),
        "beyond the maximum"
    );
    assert_eq!(m.call("grow", &[Val::I32(0)]), Ok(vec![Val::I32(2)]));
    assert_eq!(m.call("grow", &[Val::I32(1)]), Ok(vec![Val::I32(2)]));
    assert_eq!(m.call("load32", &[Val::I32(3 * 65536 - 4)]), Ok(vec![Val::I32(0)]));
}

#[test]
fn bulk_memory_operations() {
    let mut m = instantiate(MODULE);
    m.call("fill", &[Val::I32(100), Val::I32(0xab), Val::I32(4)]).unwrap();
    assert_eq!(&m.memory(0)[99..105], &[0, 0xab, 0xab, 0xab, 0xab, 0]);
    m.call("copy", &[Val::I32(101), Val::I32(16), Val::I32(3)]).unwrap();
    assert_eq!(&m.memory(0)[100..105], &[0xab, 1, 2, 3, 0]);
    m.call("init", &[Val::I32(200), Val::I32(1), Val::I32(4)]).unwrap();
    assert_eq!(&m.memory(0)[200..204], b"ello");
    assert_eq!(
        m.call("init", &[Val::I32(200), Val::I32(2), Val::I32(4)]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(
        m.call("fill", &[Val::I32(65535), Val::I32(0), Val::I32(2)]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(
        m.call("copy", &[Val::I32(0), Val::I32(65000), Val::I32(1000)]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    m.call("drop", &[]).unwrap();
    assert_eq!(
        m.call("init", &[Val::I32(0), Val::I32(0), Val::I32(1)]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    m.call("init", &[Val::I32(0), Val::I32(0), Val::I32(0)]).unwrap();
}

#[test]
fn guard_page_mode_elides_checks_but_keeps_results() {
    let guard = mote_cranelift::CompileOptions {
        bounds_checks: BoundsChecks::GuardPages { reservation: 8 << 30 },
        ..options()
    };
    let (_, explicit, _) = crate::harness::compile(MODULE, options()).unwrap();
    let (_, guarded, _) = crate::harness::compile(MODULE, guard.clone()).unwrap();
    assert!(explicit.trap_sites.is_empty());
    assert!(
        !guarded.trap_sites.is_empty(),
        "unchecked accesses are recorded as trap sites"
    );
    assert!(guarded.code.len() < explicit.code.len());
    let mut m = instantiate_with(MODULE, guard, Vec::new());
    assert_eq!(
        m.call("load64", &[Val::I32(16)]),
        Ok(vec![Val::I64(0x0807_0605_0403_0201)])
    );
    m.call("store8", &[Val::I32(65535), Val::I32(7)]).unwrap();
    assert_eq!(m.call("load8_u", &[Val::I32(65535)]), Ok(vec![Val::I32(7)]));
    // A reservation too small for the whole index space keeps the checks
    // (as conditional traps, which are trap sites too in this mode).
    let small = mote_cranelift::CompileOptions {
        bounds_checks: BoundsChecks::GuardPages { reservation: 1 << 32 },
        ..options()
    };
    let (_, checked, _) = crate::harness::compile(MODULE, small).unwrap();
    assert!(checked.code.len() > guarded.code.len(), "the checks are back");
}

#[test]
fn constant_addresses_within_the_minimum_need_no_check() {
    let wat = r#"(module
      (memory 1 2)
      (func (export "last") (result i32) (i32.load offset=4 (i32.const 65528)))
      (func (export "past") (result i32) (i32.load offset=4 (i32.const 65529)))
      (func (export "high") (result i32) (i32.load (i32.const -4)))
      (func (export "grow") (result i32) (memory.grow (i32.const 1))))"#;
    let mut m = instantiate(wat);
    assert_eq!(m.call("last", &[]), Ok(vec![Val::I32(0)]));
    assert_eq!(m.call("past", &[]), Err(TrapCode::MemoryOutOfBounds));
    assert_eq!(m.call("high", &[]), Err(TrapCode::MemoryOutOfBounds));
    assert_eq!(m.call("grow", &[]), Ok(vec![Val::I32(1)]));
    assert_eq!(
        m.call("past", &[]),
        Ok(vec![Val::I32(0)]),
        "checked against the grown length"
    );
    let (_, compiled, _) = crate::harness::compile(wat, options()).unwrap();
    assert!(
        compiled.funcs[0].len < compiled.funcs[1].len,
        "the in-bounds constant access has no check"
    );
}
