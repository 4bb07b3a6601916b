//! The native ABI of compiled wasm functions, in Cranelift's `tail`
//! calling convention (the host C convention's registers, plus guaranteed
//! tail calls for `return_call`):
//!
//! `fn(callee_vmctx: *mut VMContext, caller_vmctx: *mut VMContext,
//!     params..., [results: *mut u64]) -> [result]`
//!
//! A function with zero or one result returns it in a register; one with
//! more writes them to the `results` area that the caller passes last,
//! because Cranelift returns only as many values as fit in registers.
//! `i32`/`i64`/`f32`/`f64` map to the same Cranelift types, `v128` to
//! `i8x16` (SIMD operators view it in their lane type) and every reference
//! to `i64` (the runtime's raw cell).
//!
//! Results areas and the array ABI lay values out in 8-byte cells, a
//! `v128` taking two (low half first), as the runtime's value cells do.

use cranelift_codegen::ir::{AbiParam, MemFlagsData, Signature, TrapCode, Type, types};
use cranelift_codegen::isa::CallConv;
use mote_environ::{FuncType, ValType};

/// The Cranelift type of a wasm value type. `None` is reserved for types
/// a future proposal adds without a compiled form.
pub fn clif_type(ty: ValType) -> Option<Type> {
    match ty {
        ValType::I32 => Some(types::I32),
        ValType::I64 | ValType::Ref(_) => Some(types::I64),
        ValType::F32 => Some(types::F32),
        ValType::F64 => Some(types::F64),
        ValType::V128 => Some(types::I8X16),
    }
}

/// Byte offsets of `types` laid out in consecutive 8-byte cells.
pub fn cell_offsets(types: &[ValType]) -> Vec<i32> {
    let mut at = 0;
    types
        .iter()
        .map(|t| {
            let offset = at;
            at += i32::from(t.cells()) * 8;
            offset
        })
        .collect()
}

/// Flags for a value cell access: never trapping, and not assumed
/// naturally aligned (a `v128` cell is only 8-aligned).
pub fn cell_flags() -> MemFlagsData {
    MemFlagsData::new().with_notrap()
}

/// Whether results come back through a results area.
pub fn uses_results_area(ty: &FuncType) -> bool {
    ty.results().len() > 1
}

/// The calling convention of compiled wasm functions.
pub const WASM_CALL_CONV: CallConv = CallConv::Tail;

/// The native wasm signature of `ty`.
pub fn wasm_signature(ty: &FuncType) -> Option<Signature> {
    let mut sig = Signature::new(WASM_CALL_CONV);
    sig.params.push(AbiParam::new(types::I64));
    sig.params.push(AbiParam::new(types::I64));
    for &p in ty.params() {
        sig.params.push(AbiParam::new(clif_type(p)?));
    }
    if uses_results_area(ty) {
        for &r in ty.results() {
            clif_type(r)?;
        }
        sig.params.push(AbiParam::new(types::I64));
    } else {
        for &r in ty.results() {
            sig.returns.push(AbiParam::new(clif_type(r)?));
        }
    }
    Some(sig)
}

/// The signature of [`crate::vmctx::VMArrayCallFn`] in the host convention.
pub fn array_call_signature(call_conv: CallConv) -> Signature {
    let mut sig = Signature::new(call_conv);
    for _ in 0..4 {
        sig.params.push(AbiParam::new(types::I64));
    }
    sig
}

/// The Cranelift type of a `wasmparser` value type (locals and block
/// types).
pub(crate) fn clif_type_of(ty: wasmparser::ValType) -> Option<Type> {
    match ty {
        wasmparser::ValType::I32 => Some(types::I32),
        wasmparser::ValType::I64 | wasmparser::ValType::Ref(_) => Some(types::I64),
        wasmparser::ValType::F32 => Some(types::F32),
        wasmparser::ValType::F64 => Some(types::F64),
        wasmparser::ValType::V128 => Some(types::I8X16),
    }
}

/// The trap instruction that follows a call of the `raise` libcall, which
/// never returns: it only tells Cranelift the block ends there.
pub(crate) fn after_raise() -> TrapCode {
    TrapCode::user(mote_core::TrapCode::Unreachable as u8).expect("trap codes are nonzero")
}
