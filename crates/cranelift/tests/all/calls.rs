//! Direct calls, host imports, call_indirect (incl. type mismatch) and
//! deep recursion.

use crate::harness::{HostFn, Val, instantiate, instantiate_with, options};
use mote_core::TrapCode;

const MODULE: &str = r#"
(module
  (type $binop (func (param i32 i32) (result i32)))
  (type $unop (func (param i32) (result i32)))
  (import "host" "add3" (func $add3 (param i32 i32 i32) (result i32)))
  (import "host" "fail" (func $fail (param i32)))
  (import "host" "pair" (func $pair (param i64) (result i64 f64)))
  (table 5 funcref)
  (elem (i32.const 0) $add $sub $neg $add3)
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func $neg (type $unop) (i32.sub (i32.const 0) (local.get 0)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $divmod (param i32 i32) (result i32 i32)
    (i32.div_u (local.get 0) (local.get 1)) (i32.rem_u (local.get 0) (local.get 1)))
  (func (export "divmod_sum") (param i32 i32) (result i32)
    (call $divmod (local.get 0) (local.get 1)) (i32.mul (i32.const 1000)) (i32.add))
  (func (export "many") (param i32 i64 f32 f64 i32 i64 f32 f64 i32 i64) (result f64)
    (f64.add
      (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
      (f64.add
        (f64.add (f64.promote_f32 (local.get 2)) (local.get 3))
        (f64.add
          (f64.add (f64.convert_i32_s (local.get 4)) (f64.convert_i64_s (local.get 5)))
          (f64.add
            (f64.add (f64.promote_f32 (local.get 6)) (local.get 7))
            (f64.add (f64.convert_i32_s (local.get 8)) (f64.convert_i64_s (local.get 9))))))))
  (func (export "call_host") (param i32) (result i32)
    (call $add3 (local.get 0) (i32.const 10) (i32.const 100)))
  (func (export "host_pair") (param i64) (result i64 f64) (call $pair (local.get 0)))
  (func (export "host_trap") (result i32)
    (call $fail (i32.const 1))
    (i32.const 99))
  (func (export "dispatch") (param i32 i32 i32) (result i32)
    (call_indirect (type $binop) (local.get 1) (local.get 2) (local.get 0)))
  (func (export "dispatch_host") (param i32) (result i32)
    (call_indirect (param i32 i32 i32) (result i32) (local.get 0) (i32.const 2) (i32.const 3) (i32.const 3)))
  (func $recurse (export "recurse") (param i32) (result i32)
    (i32.add (i32.const 1) (call $recurse (i32.add (local.get 0) (i32.const 1)))))
  (func $mutual_a (param i64) (result i64) (call $mutual_b (i64.add (local.get 0) (i64.const 1))))
  (func $mutual_b (param i64) (result i64) (call $mutual_a (i64.mul (local.get 0) (i64.const 3))))
  (func (export "mutual") (result i64) (call $mutual_a (i64.const 0)))
)"#;

fn imports() -> Vec<HostFn> {
    vec![
        Box::new(|cells: &mut [u64]| {
            cells[0] = (cells[0] as u32)
                .wrapping_add(cells[1] as u32)
                .wrapping_add(cells[2] as u32) as u64;
            Ok(())
        }),
        Box::new(|cells: &mut [u64]| {
            if cells[0] == 1 {
                Err(TrapCode::HostError)
            } else {
                Ok(())
            }
        }),
        Box::new(|cells: &mut [u64]| {
            let x = cells[0] as i64;
            cells[0] = (x * 2) as u64;
            cells[1] = (x as f64 / 4.0).to_bits();
            Ok(())
        }),
    ]
}

#[test]
fn direct_calls_and_multi_value_returns() {
    let mut m = instantiate_with(MODULE, options(), imports());
    assert_eq!(m.call("fib", &[Val::I32(20)]), Ok(vec![Val::I32(6765)]));
    assert_eq!(
        m.call("divmod_sum", &[Val::I32(47), Val::I32(10)]),
        Ok(vec![Val::I32(7004)])
    );
    let args = [
        Val::I32(1),
        Val::I64(2),
        Val::F32(3.0f32.to_bits()),
        Val::F64(4.0f64.to_bits()),
        Val::I32(5),
        Val::I64(6),
        Val::F32(7.0f32.to_bits()),
        Val::F64(8.0f64.to_bits()),
        Val::I32(9),
        Val::I64(10),
    ];
    assert_eq!(m.call("many", &args), Ok(vec![Val::F64(55.0f64.to_bits())]));
}

#[test]
fn host_functions_return_values_and_traps() {
    let mut m = instantiate_with(MODULE, options(), imports());
    assert_eq!(m.call("call_host", &[Val::I32(1)]), Ok(vec![Val::I32(111)]));
    assert_eq!(
        m.call("host_pair", &[Val::I64(6)]),
        Ok(vec![Val::I64(12), Val::F64(1.5f64.to_bits())])
    );
    assert_eq!(m.call("host_trap", &[]), Err(TrapCode::HostError));
    // The trap cell is cleared on the next entry.
    assert_eq!(m.call("call_host", &[Val::I32(2)]), Ok(vec![Val::I32(112)]));
}

#[test]
fn call_indirect_checks_bounds_null_and_type() {
    let mut m = instantiate_with(MODULE, options(), imports());
    let call = |m: &mut crate::harness::Instance, i| m.call("dispatch", &[Val::I32(i), Val::I32(7), Val::I32(3)]);
    assert_eq!(call(&mut m, 0), Ok(vec![Val::I32(10)]));
    assert_eq!(call(&mut m, 1), Ok(vec![Val::I32(4)]));
    assert_eq!(call(&mut m, 2), Err(TrapCode::BadSignature));
    assert_eq!(call(&mut m, 3), Err(TrapCode::BadSignature));
    assert_eq!(call(&mut m, 4), Err(TrapCode::IndirectCallToNull));
    assert_eq!(call(&mut m, 5), Err(TrapCode::TableOutOfBounds));
    assert_eq!(call(&mut m, -1), Err(TrapCode::TableOutOfBounds));
    // A host function reached through the table goes through its array entry.
    assert_eq!(m.call("dispatch_host", &[Val::I32(1)]), Ok(vec![Val::I32(6)]));
}

#[test]
fn deep_recursion_traps_instead_of_crashing() {
    let mut m = instantiate_with(MODULE, options(), imports());
    assert_eq!(m.call("recurse", &[Val::I32(0)]), Err(TrapCode::StackOverflow));
    assert_eq!(m.call("mutual", &[]), Err(TrapCode::StackOverflow));
    // The instance is still usable after the overflow.
    assert_eq!(m.call("fib", &[Val::I32(10)]), Ok(vec![Val::I32(55)]));
}

#[test]
fn start_function_runs_at_instantiation() {
    let m = instantiate(
        r#"(module (global (export "g") (mut i32) (i32.const 1))
             (func $start (global.set 0 (i32.const 42)))
             (start $start))"#,
    );
    assert_eq!(m.global(0), 42);
}

const TAIL: &str = r#"
(module
  (type $t (func (param i64 i64) (result i64)))
  (elem declare func $sum)
  (func $sum (type $t)
    (if (result i64) (i64.eqz (local.get 0))
      (then (local.get 1))
      (else (return_call $sum (i64.sub (local.get 0) (i64.const 1))
                              (i64.add (local.get 1) (local.get 0))))))
  (func (export "sum") (param i64) (result i64) (call $sum (local.get 0) (i64.const 0)))
  (func (export "sum_ref") (param i64) (result i64)
    (return_call_ref $t (local.get 0) (i64.const 0) (ref.func $sum)))
  (func (export "null_ref") (result i64)
    (call_ref $t (i64.const 1) (i64.const 2) (ref.null $t)))
  (func $countdown (param i32 i32) (result i32 i32)
    (if (result i32 i32) (i32.eqz (local.get 0))
      (then (local.get 1) (i32.const -1))
      (else (return_call $countdown (i32.sub (local.get 0) (i32.const 1))
                                    (i32.add (local.get 1) (i32.const 2))))))
  (func (export "countdown") (param i32) (result i32 i32) (call $countdown (local.get 0) (i32.const 0)))
  (func (export "is_null") (param funcref) (result i32)
    (block $null
      (br_on_null $null (local.get 0))
      (drop)
      (return (i32.const 0)))
    (i32.const 1))
)"#;

#[test]
fn tail_calls_run_in_constant_stack() {
    let mut m = instantiate(TAIL);
    // A million frames would need far more than the 1 MiB of stack allowed.
    assert_eq!(
        m.call("sum", &[Val::I64(1_000_000)]),
        Ok(vec![Val::I64(500_000_500_000)])
    );
    assert_eq!(
        m.call("sum_ref", &[Val::I64(100_000)]),
        Ok(vec![Val::I64(5_000_050_000)])
    );
    assert_eq!(
        m.call("countdown", &[Val::I32(300_000)]),
        Ok(vec![Val::I32(600_000), Val::I32(-1)])
    );
}

#[test]
fn typed_function_references() {
    let mut m = instantiate(TAIL);
    assert_eq!(m.call("null_ref", &[]), Err(TrapCode::NullReference));
    assert_eq!(m.call("is_null", &[Val::Ref(0)]), Ok(vec![Val::I32(1)]));
    assert_eq!(m.call("is_null", &[Val::Ref(1)]), Ok(vec![Val::I32(0)]));
}

#[test]
fn call_indirect_accepts_declared_subtypes() {
    let mut m = instantiate(
        r#"(module
          (type $super (sub (func (result i32))))
          (type $sub (sub $super (func (result i32))))
          (type $other (func (result i32)))
          (table funcref (elem $f $g))
          (func $f (type $sub) (i32.const 11))
          (func $g (type $other) (i32.const 12))
          (func (export "run") (param i32) (result i32) (call_indirect (type $super) (local.get 0))))"#,
    );
    assert_eq!(m.call("run", &[Val::I32(0)]), Ok(vec![Val::I32(11)]));
    assert_eq!(m.call("run", &[Val::I32(1)]), Err(TrapCode::BadSignature));
}
