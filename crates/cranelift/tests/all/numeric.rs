//! Arithmetic of every type, with NaN and edge cases.

use crate::harness::{Val, instantiate};
use mote_core::TrapCode;

const MODULE: &str = r#"
(module
  (func (export "i32.add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "i32.sub") (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
  (func (export "i32.mul") (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1)))
  (func (export "i32.div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "i32.div_u") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func (export "i32.rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
  (func (export "i32.rem_u") (param i32 i32) (result i32) (i32.rem_u (local.get 0) (local.get 1)))
  (func (export "i32.shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
  (func (export "i32.shr_s") (param i32 i32) (result i32) (i32.shr_s (local.get 0) (local.get 1)))
  (func (export "i32.shr_u") (param i32 i32) (result i32) (i32.shr_u (local.get 0) (local.get 1)))
  (func (export "i32.rotl") (param i32 i32) (result i32) (i32.rotl (local.get 0) (local.get 1)))
  (func (export "i32.rotr") (param i32 i32) (result i32) (i32.rotr (local.get 0) (local.get 1)))
  (func (export "i32.clz") (param i32) (result i32) (i32.clz (local.get 0)))
  (func (export "i32.ctz") (param i32) (result i32) (i32.ctz (local.get 0)))
  (func (export "i32.popcnt") (param i32) (result i32) (i32.popcnt (local.get 0)))
  (func (export "i32.eqz") (param i32) (result i32) (i32.eqz (local.get 0)))
  (func (export "i32.lt_s") (param i32 i32) (result i32) (i32.lt_s (local.get 0) (local.get 1)))
  (func (export "i32.lt_u") (param i32 i32) (result i32) (i32.lt_u (local.get 0) (local.get 1)))
  (func (export "i32.ge_s") (param i32 i32) (result i32) (i32.ge_s (local.get 0) (local.get 1)))
  (func (export "i32.extend8_s") (param i32) (result i32) (i32.extend8_s (local.get 0)))
  (func (export "i32.extend16_s") (param i32) (result i32) (i32.extend16_s (local.get 0)))
  (func (export "i64.add") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "i64.mul") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
  (func (export "i64.div_s") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
  (func (export "i64.div_u") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
  (func (export "i64.rem_s") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
  (func (export "i64.rem_u") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
  (func (export "i64.shr_s") (param i64 i64) (result i64) (i64.shr_s (local.get 0) (local.get 1)))
  (func (export "i64.rotl") (param i64 i64) (result i64) (i64.rotl (local.get 0) (local.get 1)))
  (func (export "i64.clz") (param i64) (result i64) (i64.clz (local.get 0)))
  (func (export "i64.ctz") (param i64) (result i64) (i64.ctz (local.get 0)))
  (func (export "i64.popcnt") (param i64) (result i64) (i64.popcnt (local.get 0)))
  (func (export "i64.eqz") (param i64) (result i32) (i64.eqz (local.get 0)))
  (func (export "i64.gt_u") (param i64 i64) (result i32) (i64.gt_u (local.get 0) (local.get 1)))
  (func (export "i64.le_s") (param i64 i64) (result i32) (i64.le_s (local.get 0) (local.get 1)))
  (func (export "i64.extend8_s") (param i64) (result i64) (i64.extend8_s (local.get 0)))
  (func (export "i64.extend16_s") (param i64) (result i64) (i64.extend16_s (local.get 0)))
  (func (export "i64.extend32_s") (param i64) (result i64) (i64.extend32_s (local.get 0)))
  (func (export "i64.extend_i32_s") (param i32) (result i64) (i64.extend_i32_s (local.get 0)))
  (func (export "i64.extend_i32_u") (param i32) (result i64) (i64.extend_i32_u (local.get 0)))
  (func (export "i32.wrap_i64") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
  (func (export "f32.add") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
  (func (export "f32.div") (param f32 f32) (result f32) (f32.div (local.get 0) (local.get 1)))
  (func (export "f32.min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
  (func (export "f32.max") (param f32 f32) (result f32) (f32.max (local.get 0) (local.get 1)))
  (func (export "f32.nearest") (param f32) (result f32) (f32.nearest (local.get 0)))
  (func (export "f32.copysign") (param f32 f32) (result f32) (f32.copysign (local.get 0) (local.get 1)))
  (func (export "f32.neg") (param f32) (result f32) (f32.neg (local.get 0)))
  (func (export "f32.sqrt") (param f32) (result f32) (f32.sqrt (local.get 0)))
  (func (export "f32.lt") (param f32 f32) (result i32) (f32.lt (local.get 0) (local.get 1)))
  (func (export "f32.ne") (param f32 f32) (result i32) (f32.ne (local.get 0) (local.get 1)))
  (func (export "f64.sub") (param f64 f64) (result f64) (f64.sub (local.get 0) (local.get 1)))
  (func (export "f64.mul") (param f64 f64) (result f64) (f64.mul (local.get 0) (local.get 1)))
  (func (export "f64.min") (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
  (func (export "f64.max") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
  (func (export "f64.floor") (param f64) (result f64) (f64.floor (local.get 0)))
  (func (export "f64.ceil") (param f64) (result f64) (f64.ceil (local.get 0)))
  (func (export "f64.trunc") (param f64) (result f64) (f64.trunc (local.get 0)))
  (func (export "f64.nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
  (func (export "f64.abs") (param f64) (result f64) (f64.abs (local.get 0)))
  (func (export "f64.eq") (param f64 f64) (result i32) (f64.eq (local.get 0) (local.get 1)))
  (func (export "f64.ge") (param f64 f64) (result i32) (f64.ge (local.get 0) (local.get 1)))
  (func (export "i32.trunc_f32_s") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
  (func (export "i32.trunc_f64_u") (param f64) (result i32) (i32.trunc_f64_u (local.get 0)))
  (func (export "i64.trunc_f64_s") (param f64) (result i64) (i64.trunc_f64_s (local.get 0)))
  (func (export "i64.trunc_f32_u") (param f32) (result i64) (i64.trunc_f32_u (local.get 0)))
  (func (export "i32.trunc_sat_f32_s") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
  (func (export "i32.trunc_sat_f64_u") (param f64) (result i32) (i32.trunc_sat_f64_u (local.get 0)))
  (func (export "i64.trunc_sat_f64_s") (param f64) (result i64) (i64.trunc_sat_f64_s (local.get 0)))
  (func (export "i64.trunc_sat_f32_u") (param f32) (result i64) (i64.trunc_sat_f32_u (local.get 0)))
  (func (export "f32.convert_i32_u") (param i32) (result f32) (f32.convert_i32_u (local.get 0)))
  (func (export "f64.convert_i64_s") (param i64) (result f64) (f64.convert_i64_s (local.get 0)))
  (func (export "f64.convert_i64_u") (param i64) (result f64) (f64.convert_i64_u (local.get 0)))
  (func (export "f32.demote_f64") (param f64) (result f32) (f32.demote_f64 (local.get 0)))
  (func (export "f64.promote_f32") (param f32) (result f64) (f64.promote_f32 (local.get 0)))
  (func (export "i32.reinterpret_f32") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
  (func (export "f64.reinterpret_i64") (param i64) (result f64) (f64.reinterpret_i64 (local.get 0)))
)"#;

fn f32v(x: f32) -> Val {
    Val::F32(x.to_bits())
}
fn f64v(x: f64) -> Val {
    Val::F64(x.to_bits())
}

fn one(inst: &mut crate::harness::Instance, name: &str, args: &[Val]) -> Result<Val, TrapCode> {
    inst.call(name, args).map(|r| r[0])
}

#[test]
fn i32_arithmetic_and_edges() {
    let mut m = instantiate(MODULE);
    let i = Val::I32;
    let cases: &[(&str, &[Val], Val)] = &[
        ("i32.add", &[i(i32::MAX), i(1)], i(i32::MIN)),
        ("i32.sub", &[i(i32::MIN), i(1)], i(i32::MAX)),
        ("i32.mul", &[i(0x10000), i(0x10000)], i(0)),
        ("i32.div_s", &[i(-7), i(2)], i(-3)),
        ("i32.div_u", &[i(-1), i(2)], i(0x7fff_ffff)),
        ("i32.rem_s", &[i(-7), i(2)], i(-1)),
        ("i32.rem_s", &[i(i32::MIN), i(-1)], i(0)),
        ("i32.rem_u", &[i(-1), i(10)], i(5)),
        ("i32.shl", &[i(1), i(33)], i(2)),
        ("i32.shr_s", &[i(-8), i(1)], i(-4)),
        ("i32.shr_u", &[i(-8), i(1)], i(0x7fff_fffc)),
        ("i32.rotl", &[i(0x8000_0001u32 as i32), i(1)], i(3)),
        ("i32.rotr", &[i(1), i(1)], i(i32::MIN)),
        ("i32.clz", &[i(0)], i(32)),
        ("i32.clz", &[i(1)], i(31)),
        ("i32.ctz", &[i(0)], i(32)),
        ("i32.popcnt", &[i(-1)], i(32)),
        ("i32.eqz", &[i(0)], i(1)),
        ("i32.eqz", &[i(5)], i(0)),
        ("i32.lt_s", &[i(-1), i(0)], i(1)),
        ("i32.lt_u", &[i(-1), i(0)], i(0)),
        ("i32.ge_s", &[i(3), i(3)], i(1)),
        ("i32.extend8_s", &[i(0x80)], i(-128)),
        ("i32.extend16_s", &[i(0x7fff)], i(0x7fff)),
        ("i32.extend16_s", &[i(0x18000)], i(-32768)),
    ];
    for (name, args, want) in cases {
        assert_eq!(one(&mut m, name, args), Ok(*want), "{name} {args:?}");
    }
}

#[test]
fn i64_arithmetic_and_edges() {
    let mut m = instantiate(MODULE);
    let l = Val::I64;
    let cases: &[(&str, &[Val], Val)] = &[
        ("i64.add", &[l(i64::MAX), l(1)], l(i64::MIN)),
        ("i64.mul", &[l(0x1_0000_0000), l(0x1_0000_0000)], l(0)),
        ("i64.div_s", &[l(i64::MIN), l(2)], l(i64::MIN / 2)),
        ("i64.div_u", &[l(-1), l(2)], l(i64::MAX)),
        ("i64.rem_s", &[l(i64::MIN), l(-1)], l(0)),
        ("i64.rem_u", &[l(-1), l(10)], l(5)),
        ("i64.shr_s", &[l(-1), l(63)], l(-1)),
        ("i64.rotl", &[l(i64::MIN), l(65)], l(1)),
        ("i64.clz", &[l(1)], l(63)),
        ("i64.ctz", &[l(0)], l(64)),
        ("i64.popcnt", &[l(0x00ff_00ff_00ff_00ff)], l(32)),
        ("i64.eqz", &[l(0)], Val::I32(1)),
        ("i64.gt_u", &[l(-1), l(1)], Val::I32(1)),
        ("i64.le_s", &[l(-1), l(1)], Val::I32(1)),
        ("i64.extend8_s", &[l(0xff)], l(-1)),
        ("i64.extend16_s", &[l(0x8000)], l(-32768)),
        ("i64.extend32_s", &[l(0x8000_0000)], l(-2147483648)),
        ("i64.extend_i32_s", &[Val::I32(-1)], l(-1)),
        ("i64.extend_i32_u", &[Val::I32(-1)], l(0xffff_ffff)),
        ("i32.wrap_i64", &[l(0x1_2345_6789)], Val::I32(0x2345_6789)),
    ];
    for (name, args, want) in cases {
        assert_eq!(one(&mut m, name, args), Ok(*want), "{name} {args:?}");
    }
}

#[test]
fn floats_follow_wasm_rules() {
    let mut m = instantiate(MODULE);
    let cases: &[(&str, &[Val], Val)] = &[
        ("f32.add", &[f32v(1.5), f32v(2.25)], f32v(3.75)),
        ("f32.div", &[f32v(1.0), f32v(0.0)], f32v(f32::INFINITY)),
        ("f32.min", &[f32v(0.0), f32v(-0.0)], f32v(-0.0)),
        ("f32.max", &[f32v(-0.0), f32v(0.0)], f32v(0.0)),
        ("f32.nearest", &[f32v(2.5)], f32v(2.0)),
        ("f32.nearest", &[f32v(-3.5)], f32v(-4.0)),
        ("f32.copysign", &[f32v(3.0), f32v(-0.0)], f32v(-3.0)),
        ("f32.neg", &[f32v(0.0)], f32v(-0.0)),
        ("f32.sqrt", &[f32v(16.0)], f32v(4.0)),
        ("f32.lt", &[f32v(f32::NAN), f32v(1.0)], Val::I32(0)),
        ("f32.ne", &[f32v(f32::NAN), f32v(f32::NAN)], Val::I32(1)),
        ("f64.sub", &[f64v(0.1), f64v(0.1)], f64v(0.0)),
        ("f64.mul", &[f64v(-2.0), f64v(0.5)], f64v(-1.0)),
        ("f64.min", &[f64v(-0.0), f64v(0.0)], f64v(-0.0)),
        ("f64.max", &[f64v(1.0), f64v(2.0)], f64v(2.0)),
        ("f64.floor", &[f64v(-1.5)], f64v(-2.0)),
        ("f64.ceil", &[f64v(-1.5)], f64v(-1.0)),
        ("f64.trunc", &[f64v(-1.7)], f64v(-1.0)),
        ("f64.nearest", &[f64v(0.5)], f64v(0.0)),
        ("f64.nearest", &[f64v(1.5)], f64v(2.0)),
        ("f64.abs", &[f64v(-0.0)], f64v(0.0)),
        ("f64.eq", &[f64v(f64::NAN), f64v(f64::NAN)], Val::I32(0)),
        ("f64.ge", &[f64v(2.0), f64v(2.0)], Val::I32(1)),
    ];
    for (name, args, want) in cases {
        assert_eq!(one(&mut m, name, args), Ok(*want), "{name} {args:?}");
    }
    // NaN in, NaN out for min/max whatever the other operand.
    for name in ["f32.min", "f32.max"] {
        let Ok(Val::F32(bits)) = one(&mut m, name, &[f32v(f32::NAN), f32v(1.0)]) else {
            panic!()
        };
        assert!(f32::from_bits(bits).is_nan(), "{name}");
    }
    for name in ["f64.min", "f64.max"] {
        let Ok(Val::F64(bits)) = one(&mut m, name, &[f64v(1.0), f64v(f64::NAN)]) else {
            panic!()
        };
        assert!(f64::from_bits(bits).is_nan(), "{name}");
    }
}

#[test]
fn conversions_trap_saturate_and_round() {
    let mut m = instantiate(MODULE);
    let ok: &[(&str, &[Val], Val)] = &[
        ("i32.trunc_f32_s", &[f32v(-2147483648.0)], Val::I32(i32::MIN)),
        ("i32.trunc_f32_s", &[f32v(-1.9)], Val::I32(-1)),
        ("i32.trunc_f64_u", &[f64v(4294967295.9)], Val::I32(-1)),
        ("i32.trunc_f64_u", &[f64v(-0.9)], Val::I32(0)),
        (
            "i64.trunc_f64_s",
            &[f64v(-9.2e18)],
            Val::I64(-9_200_000_000_000_000_000),
        ),
        ("i64.trunc_f32_u", &[f32v(1.8446743e19)], Val::I64(-1099511627776)),
        ("i32.trunc_sat_f32_s", &[f32v(f32::NAN)], Val::I32(0)),
        ("i32.trunc_sat_f32_s", &[f32v(3e9)], Val::I32(i32::MAX)),
        ("i32.trunc_sat_f32_s", &[f32v(-3e9)], Val::I32(i32::MIN)),
        ("i32.trunc_sat_f64_u", &[f64v(-5.0)], Val::I32(0)),
        ("i32.trunc_sat_f64_u", &[f64v(1e10)], Val::I32(-1)),
        ("i64.trunc_sat_f64_s", &[f64v(f64::INFINITY)], Val::I64(i64::MAX)),
        ("i64.trunc_sat_f32_u", &[f32v(f32::NEG_INFINITY)], Val::I64(0)),
        ("f32.convert_i32_u", &[Val::I32(-1)], f32v(4294967296.0)),
        ("f64.convert_i64_s", &[Val::I64(-3)], f64v(-3.0)),
        ("f64.convert_i64_u", &[Val::I64(-1)], f64v(18446744073709551616.0)),
        ("f32.demote_f64", &[f64v(1e300)], f32v(f32::INFINITY)),
        ("f64.promote_f32", &[f32v(1.5)], f64v(1.5)),
        ("i32.reinterpret_f32", &[f32v(-0.0)], Val::I32(i32::MIN)),
        ("f64.reinterpret_i64", &[Val::I64(0x3ff0_0000_0000_0000)], f64v(1.0)),
    ];
    for (name, args, want) in ok {
        assert_eq!(one(&mut m, name, args), Ok(*want), "{name} {args:?}");
    }
    let traps: &[(&str, Val, TrapCode)] = &[
        ("i32.trunc_f32_s", f32v(f32::NAN), TrapCode::BadConversionToInteger),
        ("i32.trunc_f32_s", f32v(2147483648.0), TrapCode::IntegerOverflow),
        ("i32.trunc_f32_s", f32v(-2147483904.0), TrapCode::IntegerOverflow),
        ("i32.trunc_f64_u", f64v(4294967296.0), TrapCode::IntegerOverflow),
        ("i32.trunc_f64_u", f64v(-1.0), TrapCode::IntegerOverflow),
        (
            "i64.trunc_f64_s",
            f64v(9223372036854775808.0),
            TrapCode::IntegerOverflow,
        ),
        ("i64.trunc_f64_s", f64v(f64::NAN), TrapCode::BadConversionToInteger),
        ("i64.trunc_f32_u", f32v(-1.0), TrapCode::IntegerOverflow),
        ("i64.trunc_f32_u", f32v(f32::INFINITY), TrapCode::IntegerOverflow),
    ];
    for (name, arg, want) in traps {
        assert_eq!(one(&mut m, name, &[*arg]), Err(*want), "{name} {arg:?}");
    }
}
