//! `v128` values crossing every boundary: parameters and results (in
//! registers and through the results area), globals, host calls through
//! the array ABI, and memory.

use crate::harness::{HostFn, Val, instantiate_with, options};

const MODULE: &str = r#"
(module
  (import "host" "flip" (func $flip (param v128 i32) (result v128 i32)))
  (memory 1)
  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
  (func $split (param v128) (result v128 i32 v128)
    (local.get 0)
    (i32x4.extract_lane 3 (local.get 0))
    (i32x4.add (local.get 0) (local.get 0)))
  (func (export "split") (param v128) (result v128 i32 v128) (call $split (local.get 0)))
  (func (export "global") (param v128) (result v128)
    (global.get $g)
    (global.set $g (local.get 0)))
  (func (export "host") (param v128) (result v128 i32) (call $flip (local.get 0) (i32.const 7)))
  (func (export "memory") (param v128) (result v128)
    (v128.store offset=3 (i32.const 0) (local.get 0))
    (v128.load offset=3 (i32.const 0)))
  (func (export "dot") (param v128 v128) (result i32)
    (i32x4.extract_lane 0 (i32x4.dot_i16x8_s (local.get 0) (local.get 1))))
)"#;

fn lanes(l: [u32; 4]) -> Val {
    Val::V128(l.iter().rev().fold(0u128, |acc, &x| acc << 32 | u128::from(x)))
}

#[test]
fn v128_crosses_every_boundary() {
    let flip: Vec<HostFn> = vec![Box::new(|cells: &mut [u64]| {
        cells.swap(0, 1);
        cells[2] += 1;
        Ok(())
    })];
    let mut m = instantiate_with(MODULE, options(), flip);
    let v = lanes([1, 2, 3, 0xdead]);
    assert_eq!(
        m.call("split", &[v]),
        Ok(vec![v, Val::I32(0xdead), lanes([2, 4, 6, 0x1bd5a])])
    );
    assert_eq!(m.call("global", &[v]), Ok(vec![lanes([1, 2, 3, 4])]));
    assert_eq!(m.call("global", &[lanes([0; 4])]), Ok(vec![v]));
    let swapped = lanes([3, 0xdead, 1, 2]);
    assert_eq!(m.call("host", &[v]), Ok(vec![swapped, Val::I32(8)]));
    assert_eq!(m.call("memory", &[v]), Ok(vec![v]));
    assert_eq!(&m.memory(0)[3..7], &1u32.to_le_bytes());
    // (1 * 5 + 0 * 6) with i16 lanes [1, 0, ...] and [5, 6, ...].
    let a = Val::V128(1);
    let b = Val::V128(5 | 6 << 16);
    assert_eq!(m.call("dot", &[a, b]), Ok(vec![Val::I32(5)]));
}
