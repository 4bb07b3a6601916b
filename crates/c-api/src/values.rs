//! Values between C and wasm: `wasm_valkind_t` codes, the 32-bit cells of
//! `wasm_runtime_call_wasm`, `wasm_val_t`, and [`mote::Val`].
//!
//! An `externref` crosses as a `uintptr_t`: 0 is null, any other number is
//! wrapped in a new reference on its way in and read back on its way out
//! (a reference the host did not make reads as 0).

use crate::signature::is_externref;
use crate::types::{WasmVal, WasmValOf};
use mote::{AsContext, ExternRef, HeapType, StoreContextMut, Val, ValType};

/// `wasm_valkind_t` codes.
pub(crate) const I32: u8 = 0;
pub(crate) const I64: u8 = 1;
pub(crate) const F32: u8 = 2;
pub(crate) const F64: u8 = 3;
pub(crate) const V128: u8 = 4;
pub(crate) const EXTERNREF: u8 = 128;
pub(crate) const FUNCREF: u8 = 129;

/// The `wasm_valkind_t` of a type. References other than `externref` are
/// reported by their hierarchy: functions as `WASM_FUNCREF`, the rest as
/// `WASM_EXTERNREF`.
pub(crate) fn valkind(ty: ValType) -> u8 {
    match ty {
        ValType::I32 => I32,
        ValType::I64 => I64,
        ValType::F32 => F32,
        ValType::F64 => F64,
        ValType::V128 => V128,
        ValType::Ref(r) if matches!(r.heap, HeapType::Func | HeapType::NoFunc | HeapType::Concrete(_)) => FUNCREF,
        ValType::Ref(_) => EXTERNREF,
    }
}

/// A value the C API can pass: a number, or an `externref` as a host word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Scalar {
    I32(i32),
    I64(i64),
    /// By its bits.
    F32(u32),
    /// By its bits.
    F64(u64),
    ExternRef(usize),
}

/// Cells a value of `ty` takes in `wasm_runtime_call_wasm`'s `argv`, or
/// `None` for types the C API cannot pass.
pub(crate) fn cells(ty: ValType) -> Option<usize> {
    match ty {
        ValType::I32 | ValType::F32 => Some(1),
        ValType::I64 | ValType::F64 => Some(2),
        t if is_externref(t) => Some(1),
        _ => None,
    }
}

/// Reads a value of `ty` from the front of `argv`.
pub(crate) fn from_cells(ty: ValType, argv: &[u32]) -> Scalar {
    let wide = || u64::from(argv[0]) | (u64::from(argv[1]) << 32);
    match ty {
        ValType::I32 => Scalar::I32(argv[0] as i32),
        ValType::F32 => Scalar::F32(argv[0]),
        ValType::I64 => Scalar::I64(wide() as i64),
        ValType::F64 => Scalar::F64(wide()),
        _ => Scalar::ExternRef(argv[0] as usize),
    }
}

/// Writes `value` to the front of `argv` (an `externref` as 32 bits).
pub(crate) fn to_cells(value: Scalar, argv: &mut [u32]) {
    let mut wide = |bits: u64| {
        argv[0] = bits as u32;
        argv[1] = (bits >> 32) as u32;
    };
    match value {
        Scalar::I64(v) => wide(v as u64),
        Scalar::F64(v) => wide(v),
        Scalar::I32(v) => argv[0] = v as u32,
        Scalar::F32(v) => argv[0] = v,
        Scalar::ExternRef(v) => argv[0] = v as u32,
    }
}

/// Reads a `wasm_val_t` meant as a value of `ty`; `None` if its kind
/// differs.
pub(crate) fn from_wasm_val(ty: ValType, val: &WasmVal) -> Option<Scalar> {
    if val.kind != valkind(ty) || cells(ty).is_none() {
        return None;
    }
    // SAFETY: reading the union arm `kind` names, which C filled in; every
    // arm is plain data, so any bits are a valid value.
    Some(unsafe {
        match ty {
            ValType::I32 => Scalar::I32(val.of.i32),
            ValType::I64 => Scalar::I64(val.of.i64),
            ValType::F32 => Scalar::F32(val.of.f32.to_bits()),
            ValType::F64 => Scalar::F64(val.of.f64.to_bits()),
            _ => Scalar::ExternRef(val.of.foreign),
        }
    })
}

/// A `wasm_val_t` holding `value`.
pub(crate) fn to_wasm_val(value: Scalar) -> WasmVal {
    // Zeroed first, so the bytes a narrower arm leaves are defined.
    let mut of = WasmValOf { i64: 0 };
    let kind = match value {
        Scalar::I32(v) => {
            of.i32 = v;
            I32
        }
        Scalar::I64(v) => {
            of.i64 = v;
            I64
        }
        Scalar::F32(v) => {
            of.f32 = f32::from_bits(v);
            F32
        }
        Scalar::F64(v) => {
            of.f64 = f64::from_bits(v);
            F64
        }
        Scalar::ExternRef(v) => {
            of.foreign = v;
            EXTERNREF
        }
    };
    WasmVal {
        kind,
        paddings: [0; 7],
        of,
    }
}

/// The wasm value for `value`, allocating an `externref` in the store.
pub(crate) fn to_val<T: 'static>(ctx: &mut StoreContextMut<'_, T>, value: Scalar) -> Val {
    match value {
        Scalar::I32(v) => Val::I32(v),
        Scalar::I64(v) => Val::I64(v),
        Scalar::F32(v) => Val::F32(v),
        Scalar::F64(v) => Val::F64(v),
        Scalar::ExternRef(0) => Val::ExternRef(None),
        Scalar::ExternRef(v) => Val::ExternRef(Some(ExternRef::new(ctx, v))),
    }
}

/// The C form of a wasm value; `None` for values the C API cannot pass.
pub(crate) fn from_val<T: 'static>(ctx: &StoreContextMut<'_, T>, val: Val) -> Option<Scalar> {
    Some(match val {
        Val::I32(v) => Scalar::I32(v),
        Val::I64(v) => Scalar::I64(v),
        Val::F32(v) => Scalar::F32(v),
        Val::F64(v) => Scalar::F64(v),
        Val::ExternRef(None) => Scalar::ExternRef(0),
        Val::ExternRef(Some(r)) => Scalar::ExternRef(
            r.data(ctx.as_context())
                .and_then(|d| d.downcast_ref::<usize>())
                .copied()
                .unwrap_or(0),
        ),
        _ => return None,
    })
}
