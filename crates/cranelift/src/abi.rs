//! The native ABI of compiled wasm functions, in Cranelift's `tail`
//! calling convention (the host C convention's registers, plus guaranteed
//! tail calls for `return_call`):
//!
//! `fn(callee_vmctx: *mut VMContext, caller_vmctx: *mut VMContext,
//!     params..., [results: *mut u64]) -> [result]`
//!
//! A function with zero or one result returns it in a register; one with
//! more writes them to the `results` area (one 8-byte cell each) that the
//! caller passes last, because Cranelift returns only as many values as
//! fit in registers. `i32`/`i64`/`f32`/`f64` map to the same Cranelift
//! types and every reference to `i64` (the runtime's raw cell).

use cranelift_codegen::ir::{AbiParam, Signature, Type, types};
use cranelift_codegen::isa::CallConv;
use mote_environ::{FuncType, ValType};

/// The Cranelift type of a wasm value type, or `None` for `v128` (SIMD is
/// not compiled yet).
pub fn clif_type(ty: ValType) -> Option<Type> {
    match ty {
        ValType::I32 => Some(types::I32),
        ValType::I64 | ValType::Ref(_) => Some(types::I64),
        ValType::F32 => Some(types::F32),
        ValType::F64 => Some(types::F64),
        ValType::V128 => None,
    }
}

/// Whether results come back through a results area.
pub fn uses_results_area(ty: &FuncType) -> bool {
    ty.results().len() > 1
}

/// The calling convention of compiled wasm functions.
pub const WASM_CALL_CONV: CallConv = CallConv::Tail;

/// The native wasm signature of `ty`, or `None` if it uses `v128`.
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
/// types), or `None` for `v128`.
pub(crate) fn clif_type_of(ty: wasmparser::ValType) -> Option<Type> {
    match ty {
        wasmparser::ValType::I32 => Some(types::I32),
        wasmparser::ValType::I64 | wasmparser::ValType::Ref(_) => Some(types::I64),
        wasmparser::ValType::F32 => Some(types::F32),
        wasmparser::ValType::F64 => Some(types::F64),
        wasmparser::ValType::V128 => None,
    }
}
