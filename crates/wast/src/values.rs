//! Script values: `wast` constants turned into [`Val`]s for calls, and results checked against
//! `assert_return` expectations (exact float bits, NaN patterns per lane, reference kinds).

use mote::{ExternRef, Store, Val};
use wast::WastArg;
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::token::{F32, F64};

/// Converts a call argument into a value; `ref.extern N` becomes an externref holding `N`.
///
/// # Errors
///
/// A message for an argument the runtime API cannot express.
pub(crate) fn to_val(store: &mut Store<()>, arg: &WastArg<'_>) -> Result<Val, String> {
    let WastArg::Core(arg) = arg else {
        return Err("component-model arguments are not supported".to_owned());
    };
    Ok(match arg {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::V128(v) => Val::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(heap) => null_of(heap),
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(ExternRef::new(&mut *store, *n))),
        WastArgCore::RefHost(n) => Val::AnyRef(Some(ExternRef::new(&mut *store, *n).to_any())),
    })
}

/// The null reference of `heap`'s hierarchy. A concrete type index is taken as a function
/// type, the only kind of concrete type that exists without the GC proposal.
fn null_of(heap: &HeapType<'_>) -> Val {
    let HeapType::Abstract { ty, .. } = heap else {
        return Val::FuncRef(None);
    };
    match ty {
        AbstractHeapType::Func | AbstractHeapType::NoFunc => Val::FuncRef(None),
        AbstractHeapType::Extern | AbstractHeapType::NoExtern => Val::ExternRef(None),
        AbstractHeapType::Exn | AbstractHeapType::NoExn => Val::ExnRef(None),
        _ => Val::AnyRef(None),
    }
}

/// Checks one result against its expectation.
///
/// # Errors
///
/// A message saying what was expected and what came back.
pub(crate) fn check(store: &Store<()>, actual: &Val, expected: &WastRetCore<'_>) -> Result<(), String> {
    if matches(store, actual, expected) {
        Ok(())
    } else {
        Err(format!(
            "expected {}, got {}",
            describe_expected(expected),
            describe(store, actual, expected)
        ))
    }
}

fn matches(store: &Store<()>, actual: &Val, expected: &WastRetCore<'_>) -> bool {
    match (expected, actual) {
        (WastRetCore::I32(e), Val::I32(a)) => e == a,
        (WastRetCore::I64(e), Val::I64(a)) => e == a,
        (WastRetCore::F32(e), Val::F32(a)) => f32_matches(e, *a),
        (WastRetCore::F64(e), Val::F64(a)) => f64_matches(e, *a),
        (WastRetCore::V128(e), Val::V128(a)) => v128_matches(e, *a),
        (WastRetCore::RefNull(heap), a) => is_null_of(heap.as_ref(), a),
        (WastRetCore::RefExtern(n), Val::ExternRef(Some(r))) => match n {
            None => true,
            Some(n) => r
                .data(store)
                .and_then(|data| data.downcast_ref::<u32>())
                .is_some_and(|data| data == n),
        },
        // Which function a funcref names cannot be checked from outside; any non-null one
        // passes, as in other runners.
        (WastRetCore::RefFunc(_), Val::FuncRef(r)) => r.is_some(),
        (WastRetCore::RefAny, Val::AnyRef(r)) => r.is_some(),
        (WastRetCore::RefEq, Val::AnyRef(Some(r))) => r.i31().is_some() || r.is_struct(store) || r.is_array(store),
        (WastRetCore::RefArray, Val::AnyRef(Some(r))) => r.is_array(store),
        (WastRetCore::RefStruct, Val::AnyRef(Some(r))) => r.is_struct(store),
        (WastRetCore::RefI31 | WastRetCore::RefI31Shared, Val::AnyRef(Some(r))) => r.i31().is_some(),
        (WastRetCore::RefHost(n), Val::AnyRef(Some(r))) => r
            .to_extern()
            .data(store)
            .and_then(|data| data.downcast_ref::<u32>())
            .is_some_and(|data| data == n),
        (WastRetCore::Either(options), a) => options.iter().any(|e| matches(store, a, e)),
        _ => false,
    }
}

/// Whether `actual` is a null reference of `heap`'s hierarchy (any null if no type is given
/// or the type is concrete).
fn is_null_of(heap: Option<&HeapType<'_>>, actual: &Val) -> bool {
    let is_null = match actual {
        Val::FuncRef(r) => r.is_none(),
        Val::ExternRef(r) => r.is_none(),
        Val::AnyRef(r) => r.is_none(),
        Val::ExnRef(r) => r.is_none(),
        _ => false,
    };
    match heap {
        Some(heap @ HeapType::Abstract { .. }) => {
            is_null && std::mem::discriminant(&null_of(heap)) == std::mem::discriminant(actual)
        }
        _ => is_null,
    }
}

fn f32_matches(expected: &NanPattern<F32>, bits: u32) -> bool {
    match expected {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn f64_matches(expected: &NanPattern<F64>, bits: u64) -> bool {
    match expected {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn v128_matches(expected: &V128Pattern, actual: u128) -> bool {
    let lanes = Lanes(actual.to_le_bytes());
    match expected {
        V128Pattern::I8x16(e) => e.iter().enumerate().all(|(i, e)| lanes.i8(i) == *e),
        V128Pattern::I16x8(e) => e.iter().enumerate().all(|(i, e)| lanes.i16(i) == *e),
        V128Pattern::I32x4(e) => e.iter().enumerate().all(|(i, e)| lanes.u32(i) as i32 == *e),
        V128Pattern::I64x2(e) => e.iter().enumerate().all(|(i, e)| lanes.u64(i) as i64 == *e),
        V128Pattern::F32x4(e) => e.iter().enumerate().all(|(i, e)| f32_matches(e, lanes.u32(i))),
        V128Pattern::F64x2(e) => e.iter().enumerate().all(|(i, e)| f64_matches(e, lanes.u64(i))),
    }
}

/// A v128 value's bytes, read as little-endian lanes.
struct Lanes([u8; 16]);

impl Lanes {
    fn bytes<const N: usize>(&self, lane: usize) -> [u8; N] {
        let mut out = [0; N];
        out.copy_from_slice(&self.0[lane * N..(lane + 1) * N]);
        out
    }

    fn i8(&self, lane: usize) -> i8 {
        i8::from_le_bytes(self.bytes(lane))
    }

    fn i16(&self, lane: usize) -> i16 {
        i16::from_le_bytes(self.bytes(lane))
    }

    fn u32(&self, lane: usize) -> u32 {
        u32::from_le_bytes(self.bytes(lane))
    }

    fn u64(&self, lane: usize) -> u64 {
        u64::from_le_bytes(self.bytes(lane))
    }
}

fn describe_f32(p: &NanPattern<F32>) -> String {
    match p {
        NanPattern::CanonicalNan => "nan:canonical".to_owned(),
        NanPattern::ArithmeticNan => "nan:arithmetic".to_owned(),
        NanPattern::Value(v) => f32_text(v.bits),
    }
}

fn describe_f64(p: &NanPattern<F64>) -> String {
    match p {
        NanPattern::CanonicalNan => "nan:canonical".to_owned(),
        NanPattern::ArithmeticNan => "nan:arithmetic".to_owned(),
        NanPattern::Value(v) => f64_text(v.bits),
    }
}

fn f32_text(bits: u32) -> String {
    format!("{} (0x{bits:08x})", f32::from_bits(bits))
}

fn f64_text(bits: u64) -> String {
    format!("{} (0x{bits:016x})", f64::from_bits(bits))
}

fn list<T>(items: impl IntoIterator<Item = T>, show: impl Fn(T) -> String) -> String {
    items.into_iter().map(show).collect::<Vec<_>>().join(" ")
}

fn describe_expected(expected: &WastRetCore<'_>) -> String {
    match expected {
        WastRetCore::I32(v) => format!("i32 {v}"),
        WastRetCore::I64(v) => format!("i64 {v}"),
        WastRetCore::F32(p) => format!("f32 {}", describe_f32(p)),
        WastRetCore::F64(p) => format!("f64 {}", describe_f64(p)),
        WastRetCore::V128(p) => match p {
            V128Pattern::I8x16(e) => format!("i8x16 {}", list(e, i8::to_string)),
            V128Pattern::I16x8(e) => format!("i16x8 {}", list(e, i16::to_string)),
            V128Pattern::I32x4(e) => format!("i32x4 {}", list(e, i32::to_string)),
            V128Pattern::I64x2(e) => format!("i64x2 {}", list(e, i64::to_string)),
            V128Pattern::F32x4(e) => format!("f32x4 {}", list(e, describe_f32)),
            V128Pattern::F64x2(e) => format!("f64x2 {}", list(e, describe_f64)),
        },
        WastRetCore::RefNull(None) => "a null reference".to_owned(),
        WastRetCore::RefNull(Some(heap)) => format!("ref.null {heap:?}"),
        WastRetCore::RefExtern(None) => "a non-null externref".to_owned(),
        WastRetCore::RefExtern(Some(n)) => format!("ref.extern {n}"),
        WastRetCore::RefHost(n) => format!("ref.host {n}"),
        WastRetCore::RefFunc(_) => "a non-null funcref".to_owned(),
        WastRetCore::RefAny => "a non-null anyref".to_owned(),
        WastRetCore::RefEq => "a non-null eqref".to_owned(),
        WastRetCore::RefArray => "a non-null arrayref".to_owned(),
        WastRetCore::RefStruct => "a non-null structref".to_owned(),
        WastRetCore::RefI31 | WastRetCore::RefI31Shared => "a non-null i31ref".to_owned(),
        WastRetCore::Either(options) => format!(
            "either of [{}]",
            options.iter().map(describe_expected).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Describes `actual`; a v128 is shown in the lane shape of the expectation it failed.
fn describe(store: &Store<()>, actual: &Val, expected: &WastRetCore<'_>) -> String {
    match actual {
        Val::I32(v) => format!("i32 {v}"),
        Val::I64(v) => format!("i64 {v}"),
        Val::F32(bits) => format!("f32 {}", f32_text(*bits)),
        Val::F64(bits) => format!("f64 {}", f64_text(*bits)),
        Val::V128(v) => {
            let lanes = Lanes(v.to_le_bytes());
            match expected {
                WastRetCore::V128(V128Pattern::I8x16(_)) => {
                    format!("i8x16 {}", list(0..16, |i| lanes.i8(i).to_string()))
                }
                WastRetCore::V128(V128Pattern::I16x8(_)) => {
                    format!("i16x8 {}", list(0..8, |i| lanes.i16(i).to_string()))
                }
                WastRetCore::V128(V128Pattern::I32x4(_)) => {
                    format!("i32x4 {}", list(0..4, |i| (lanes.u32(i) as i32).to_string()))
                }
                WastRetCore::V128(V128Pattern::I64x2(_)) => {
                    format!("i64x2 {}", list(0..2, |i| (lanes.u64(i) as i64).to_string()))
                }
                WastRetCore::V128(V128Pattern::F32x4(_)) => {
                    format!("f32x4 {}", list(0..4, |i| f32_text(lanes.u32(i))))
                }
                WastRetCore::V128(V128Pattern::F64x2(_)) => {
                    format!("f64x2 {}", list(0..2, |i| f64_text(lanes.u64(i))))
                }
                _ => format!("v128 0x{v:032x}"),
            }
        }
        Val::FuncRef(r) => null_or("funcref", r.is_none()),
        Val::ExternRef(None) => "ref.null extern".to_owned(),
        Val::ExternRef(Some(r)) => match r.data(store).and_then(|d| d.downcast_ref::<u32>()) {
            Some(n) => format!("ref.extern {n}"),
            None => "a non-null externref".to_owned(),
        },
        Val::AnyRef(r) => null_or("anyref", r.is_none()),
        Val::ExnRef(r) => null_or("exnref", r.is_none()),
    }
}

fn null_or(kind: &str, is_null: bool) -> String {
    if is_null {
        format!("a null {kind}")
    } else {
        format!("a non-null {kind}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_patterns() {
        let canonical = NanPattern::<F32>::CanonicalNan;
        let arithmetic = NanPattern::<F32>::ArithmeticNan;
        assert!(f32_matches(&canonical, 0x7fc0_0000));
        assert!(f32_matches(&canonical, 0xffc0_0000));
        assert!(!f32_matches(&canonical, 0x7fc0_0001));
        assert!(f32_matches(&arithmetic, 0x7fc0_0001));
        assert!(!f32_matches(&arithmetic, 0x7f80_0001));
        assert!(f64_matches(&NanPattern::CanonicalNan, 0xfff8_0000_0000_0000));
        assert!(!f64_matches(&NanPattern::ArithmeticNan, 0x7ff0_0000_0000_0001));
    }

    #[test]
    fn v128_lanes_are_little_endian() {
        let v = u128::from_le_bytes([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
        assert!(v128_matches(&V128Pattern::I32x4([1, 2, 3, -1]), v));
        assert!(!v128_matches(&V128Pattern::I32x4([1, 2, 3, 4]), v));
        assert!(v128_matches(&V128Pattern::I16x8([1, 0, 2, 0, 3, 0, -1, -1]), v));
    }
}
