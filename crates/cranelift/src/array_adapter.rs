//! Array-call adapters: one function per function type that has the
//! native wasm signature but calls a host function through its array
//! entry, so that a call through a [`crate::vmctx::VMFuncRef`] needs no
//! branch between a native and an array call.
//!
//! The call site picks its target with two `select`s: the `VMFuncRef`'s
//! native code and `VMContext` if it has native code, else this adapter
//! with the `VMFuncRef` itself in the callee-`VMContext` position. The
//! adapter stores the parameters into 64-bit cells, calls the array entry
//! and returns the results read back from the cells. Keeping the array
//! path out of the caller saves it three blocks and a join per call, which
//! is what the register allocator pays for. A trap or error of the host
//! function shows in the store's trap cell: in code that raises traps
//! the adapter tests it and raises, elsewhere the caller tests it after
//! the call as before.
//!
//! The callee's address is taken with `func_addr`, a PC-relative
//! relocation the blob linker resolves on x86-64 only; other targets keep
//! the branch ([`supported`]).

use crate::vmctx::{func_ref_offsets, header_offsets, store_offsets};
use crate::{Libcall, abi};
use cranelift_codegen::ir::{
    Function, InstBuilder, MemFlagsData, StackSlotData, StackSlotKind, UserFuncName, Value, types,
};
use cranelift_codegen::isa::{CallConv, TargetFrontendConfig};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use mote_environ::FuncType;
use target_lexicon::{Architecture, Triple};

/// The namespace of the [`cranelift_codegen::ir::UserExternalName`]s that
/// name adapters, by type index.
pub(crate) const ADAPTER_NAMESPACE: u32 = 2;

/// Whether calls through a `VMFuncRef` use adapters on `triple`.
pub(crate) fn supported(triple: &Triple) -> bool {
    matches!(triple.architecture, Architecture::X86_64)
}

/// Builds the CLIF of the adapter for `ty`, or `None` if a type has no
/// compiled form.
pub(crate) fn build(
    ty: &FuncType,
    frontend: TargetFrontendConfig,
    raises_traps: bool,
    name: UserFuncName,
) -> Option<Function> {
    let wasm_sig = abi::wasm_signature(ty)?;
    let mut func = Function::with_name_signature(name, wasm_sig);
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    let p = b.block_params(entry).to_vec();
    let (func_ref, caller_vmctx) = (p[0], p[1]);
    let params = &p[2..2 + ty.params().len()];
    let results_area = abi::uses_results_area(ty).then(|| *p.last().expect("results area parameter"));
    let cells = ty.param_cells().max(ty.result_cells());
    let slot = b.create_sized_stack_slot(StackSlotData::new(
        StackSlotKind::ExplicitSlot,
        (u32::from(cells) * 8).max(8),
        3,
    ));
    let area = b.ins().stack_addr(types::I64, slot, 0);
    let flags = abi::cell_flags();
    for (&v, offset) in params.iter().zip(abi::cell_offsets(ty.params())) {
        let cell = cell_of(&mut b, v);
        b.ins().store(flags, cell, area, offset);
    }
    let vm = MemFlagsData::trusted();
    let array_call = b.ins().load(types::I64, vm, func_ref, func_ref_offsets::ARRAY_CALL);
    let callee_vmctx = b.ins().load(types::I64, vm, func_ref, func_ref_offsets::VMCTX);
    let len = b.ins().iconst(types::I64, i64::from(cells));
    let sig = b.import_signature(abi::array_call_signature(frontend.default_call_conv));
    b.ins()
        .call_indirect(sig, array_call, &[callee_vmctx, caller_vmctx, area, len]);
    if raises_traps {
        raise_if_trapped(&mut b, frontend.default_call_conv, caller_vmctx);
    }
    let offsets = abi::cell_offsets(ty.results());
    let mut results = Vec::with_capacity(offsets.len());
    for (&r, &offset) in ty.results().iter().zip(&offsets) {
        results.push(b.ins().load(abi::clif_type(r)?, flags, area, offset));
    }
    match results_area {
        Some(out) => {
            for (&v, &offset) in results.iter().zip(&offsets) {
                b.ins().store(flags, v, out, offset);
            }
            b.ins().return_(&[]);
        }
        None => {
            b.ins().return_(&results);
        }
    }
    b.seal_all_blocks();
    b.finalize(frontend);
    Some(func)
}

/// Calls the `raise` libcall if the trap cell of the store behind
/// `vmctx` is set.
fn raise_if_trapped(b: &mut FunctionBuilder<'_>, call_conv: CallConv, vmctx: Value) {
    let vm = MemFlagsData::trusted();
    let store = b.ins().load(types::I64, vm, vmctx, header_offsets::STORE);
    let code = b.ins().load(types::I32, vm, store, store_offsets::TRAP_CODE);
    let trapped = b.create_block();
    let cont = b.create_block();
    b.set_cold_block(trapped);
    b.ins().brif(code, trapped, &[], cont, &[]);
    b.switch_to_block(trapped);
    let libcalls = b.ins().load(types::I64, vm, vmctx, header_offsets::LIBCALLS);
    let raise = b.ins().load(types::I64, vm, libcalls, Libcall::Raise.offset());
    let sig = b.import_signature(Libcall::Raise.signature(call_conv));
    b.ins().call_indirect(sig, raise, &[vmctx]);
    b.ins().trap(abi::after_raise());
    b.switch_to_block(cont);
}

/// A value as a raw cell (see `FuncTranslator::cell_of`).
fn cell_of(b: &mut FunctionBuilder<'_>, v: Value) -> Value {
    match b.func.dfg.value_type(v) {
        types::I32 => b.ins().uextend(types::I64, v),
        types::F32 => {
            let bits = b.ins().bitcast(types::I32, MemFlagsData::new(), v);
            b.ins().uextend(types::I64, bits)
        }
        _ => v,
    }
}
