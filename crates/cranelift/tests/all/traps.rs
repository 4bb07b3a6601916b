//! Every trap kind, raised in a callee and seen by the host, with no side
//! effect of the caller after the trapping call.

use crate::harness::{HostFn, Val, instantiate_with, options};
use mote_core::TrapCode;

const MODULE: &str = r#"
(module
  (type $v (func))
  (import "host" "boom" (func $boom))
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $ok)
  (global $after (mut i32) (i32.const 0))
  (func $ok (param i32))
  (func $run (param i32)
    (block $b7 (block $b6 (block $b5 (block $b4 (block $b3 (block $b2 (block $b1 (block $b0
      (br_table $b0 $b1 $b2 $b3 $b4 $b5 $b6 $b7 (local.get 0)))
      (unreachable))
      (drop (i32.load (i32.const 65536))))
      (drop (i32.div_s (i32.const 1) (i32.const 0))))
      (drop (i32.div_s (i32.const 0x80000000) (i32.const -1))))
      (drop (i32.trunc_f32_u (f32.const nan))))
      (call_indirect (type $v) (i32.const 0)))
      (call_indirect (type $v) (i32.const 1)))
    (if (i32.eq (local.get 0) (i32.const 7)) (then (call $boom)))
    (if (i32.eq (local.get 0) (i32.const 8)) (then (table.set (i32.const 5) (ref.null func)))))
  (func (export "run") (param i32)
    (call $run (local.get 0))
    (global.set $after (i32.const 1)))
  (func (export "after") (result i32) (global.get $after))
)"#;

#[test]
fn every_trap_kind_stops_the_caller() {
    let boom: Vec<HostFn> = vec![Box::new(|_: &mut [u64]| Err(TrapCode::HostError))];
    let mut m = instantiate_with(MODULE, options(), boom);
    let expected = [
        TrapCode::Unreachable,
        TrapCode::MemoryOutOfBounds,
        TrapCode::IntegerDivisionByZero,
        TrapCode::IntegerOverflow,
        TrapCode::BadConversionToInteger,
        TrapCode::BadSignature,
        TrapCode::IndirectCallToNull,
        TrapCode::HostError,
        TrapCode::TableOutOfBounds,
    ];
    for (i, want) in expected.into_iter().enumerate() {
        assert_eq!(m.call("run", &[Val::I32(i as i32)]), Err(want), "case {i}");
        assert_eq!(
            m.call("after", &[]),
            Ok(vec![Val::I32(0)]),
            "caller stopped after case {i}"
        );
    }
    // Every trap raised in compiled code went through the hook; the host
    // function's error did not (the host reported it itself).
    assert_eq!(m.traps_seen(), expected.len() as u32 - 1);
    assert_eq!(m.call("run", &[Val::I32(9)]), Ok(vec![]));
    assert_eq!(m.call("after", &[]), Ok(vec![Val::I32(1)]));
}
