//! Entry trampolines: one host-callable function per function type, so the
//! runtime calls any compiled function through the array ABI without
//! knowing its native signature.
//!
//! `extern "C" fn(code, callee_vmctx, caller_vmctx, values)`: loads the
//! parameters from the 64-bit `values` cells, calls `code` with the native
//! wasm ABI, and stores the results back into `values` (which must hold
//! the larger of the parameters' and results' cells). A trap shows in the
//! store's trap cell,
//! not in the return value.

use crate::abi;
use cranelift_codegen::ir::{
    AbiParam, Function, InstBuilder, MemFlagsData, Signature, StackSlotData, StackSlotKind, UserFuncName, types,
};
use cranelift_codegen::isa::TargetFrontendConfig;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use mote_environ::FuncType;

/// Builds the CLIF of the trampoline for `ty`, or `None` if a type has no
/// compiled form.
pub(crate) fn build(ty: &FuncType, frontend: TargetFrontendConfig, name: UserFuncName) -> Option<Function> {
    let call_conv = frontend.default_call_conv;
    let wasm_sig = abi::wasm_signature(ty)?;
    let mut sig = Signature::new(call_conv);
    for _ in 0..4 {
        sig.params.push(AbiParam::new(types::I64));
    }
    let mut func = Function::with_name_signature(name, sig);
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    let p = b.block_params(entry).to_vec();
    let (code, callee_vmctx, caller_vmctx, values) = (p[0], p[1], p[2], p[3]);
    let flags = abi::cell_flags();
    let mut args = vec![callee_vmctx, caller_vmctx];
    for (&t, offset) in ty.params().iter().zip(abi::cell_offsets(ty.params())) {
        let t = abi::clif_type(t)?;
        args.push(b.ins().load(t, flags, values, offset));
    }
    let result_offsets = abi::cell_offsets(ty.results());
    let area = abi::uses_results_area(ty).then(|| {
        let slot = b.create_sized_stack_slot(StackSlotData::new(
            StackSlotKind::ExplicitSlot,
            u32::from(ty.result_cells()) * 8,
            4,
        ));
        b.ins().stack_addr(types::I64, slot, 0)
    });
    args.extend(area);
    let sig_ref = b.import_signature(wasm_sig);
    let call = b.ins().call_indirect(sig_ref, code, &args);
    let results = match area {
        Some(area) => {
            let mut out = Vec::new();
            for (&t, &offset) in ty.results().iter().zip(&result_offsets) {
                out.push(b.ins().load(abi::clif_type(t)?, flags, area, offset));
            }
            out
        }
        None => b.inst_results(call).to_vec(),
    };
    for (v, offset) in results.into_iter().zip(result_offsets) {
        let cell = match b.func.dfg.value_type(v) {
            types::I32 => b.ins().uextend(types::I64, v),
            types::F32 => {
                let bits = b.ins().bitcast(types::I32, MemFlagsData::new(), v);
                b.ins().uextend(types::I64, bits)
            }
            _ => v,
        };
        b.ins().store(flags, cell, values, offset);
    }
    b.ins().return_(&[]);
    b.seal_all_blocks();
    b.finalize(frontend);
    Some(func)
}
