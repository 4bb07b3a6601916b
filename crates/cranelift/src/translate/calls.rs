//! Calls: direct calls to functions of the same module (a relocated
//! `call` within the code blob), calls to imported functions and
//! `call_indirect` through a [`crate::vmctx::VMFuncRef`].
//!
//! A `VMFuncRef` with native code is called directly with the native wasm
//! ABI; one without (a host function) through its array entry, with the
//! arguments spilled to a stack slot of 64-bit cells. After every call the
//! store's trap cell is tested, and a set cell makes this function return
//! at once: that is how a trap unwinds without signals or unwinding
//! tables.

use super::FuncTranslator;
use crate::vmctx::{func_ref_offsets, header_offsets, store_offsets};
use crate::{Error, abi};
use cranelift_codegen::ir::{
    self, BlockArg, ExtFuncData, ExternalName, InstBuilder, MemFlagsData, SigRef, StackSlotData, StackSlotKind,
    UserExternalName, Value, condcodes::IntCC, types,
};
use mote_core::TrapCode;
use mote_environ::{FuncIndex, TypeIndex};
use wasmparser::Operator as O;

/// The namespace of [`UserExternalName`]s that name defined functions by
/// their index in the module's function index space.
pub(crate) const FUNC_NAMESPACE: u32 = 0;

impl FuncTranslator<'_, '_> {
    fn wasm_sig(&mut self, ty: TypeIndex) -> Result<SigRef, Error> {
        if let Some(&s) = self.wasm_sigs.get(&ty) {
            return Ok(s);
        }
        let ft = self.env.info.func_type(ty);
        let sig = abi::wasm_signature(ft, self.env.call_conv)
            .ok_or_else(|| self.unsupported("a call with a v128 parameter or result"))?;
        let s = self.b.import_signature(sig);
        self.wasm_sigs.insert(ty, s);
        Ok(s)
    }

    fn array_sig(&mut self) -> SigRef {
        if let Some(s) = self.array_sig {
            return s;
        }
        let s = self.b.import_signature(abi::array_call_signature(self.env.call_conv));
        self.array_sig = Some(s);
        s
    }

    /// A stack slot of `bytes` bytes, 8-aligned.
    fn cells_slot(&mut self, bytes: u32) -> Value {
        let slot = self
            .b
            .create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, bytes.max(8), 3));
        self.b.ins().stack_addr(types::I64, slot, 0)
    }

    /// Loads results of `ty` from consecutive cells at `area`.
    fn load_cells(&mut self, ty: TypeIndex, area: Value) -> Result<Vec<Value>, Error> {
        let results = self.env.info.func_type(ty).results().to_vec();
        let mut out = Vec::with_capacity(results.len());
        for (i, r) in results.into_iter().enumerate() {
            let t = self.clif_type(r)?;
            out.push(self.b.ins().load(t, MemFlagsData::trusted(), area, (i * 8) as i32));
        }
        Ok(out)
    }

    /// Emits a native call with `args` (after the two context pointers)
    /// and returns its results.
    fn native_call(
        &mut self,
        ty: TypeIndex,
        callee: Result<ir::FuncRef, Value>,
        callee_vmctx: Value,
        params: &[Value],
    ) -> Result<Vec<Value>, Error> {
        let sig = self.wasm_sig(ty)?;
        let n_results = self.env.info.func_type(ty).results().len();
        let mut args = vec![callee_vmctx, self.vmctx];
        args.extend_from_slice(params);
        let area = abi::uses_results_area(self.env.info.func_type(ty)).then(|| self.cells_slot(n_results as u32 * 8));
        args.extend(area);
        let inst = match callee {
            Ok(f) => self.b.ins().call(f, &args),
            Err(ptr) => self.b.ins().call_indirect(sig, ptr, &args),
        };
        match area {
            Some(area) => self.load_cells(ty, area),
            None => Ok(self.b.inst_results(inst).to_vec()),
        }
    }

    /// Calls the function described by the `VMFuncRef` at `func_ref`, with
    /// the parameters of `ty` popped from the stack; pushes its results.
    fn call_func_ref(&mut self, func_ref: Value, ty: TypeIndex) -> Result<(), Error> {
        let ft = self.env.info.func_type(ty).clone();
        let params = self.pop_n(ft.params().len())?;
        let flags = self.vm_flags();
        let code = self
            .b
            .ins()
            .load(types::I64, flags, func_ref, func_ref_offsets::WASM_CALL);
        let callee_vmctx = self.b.ins().load(types::I64, flags, func_ref, func_ref_offsets::VMCTX);
        let native = self.b.create_block();
        let array = self.b.create_block();
        let join = self.b.create_block();
        for &r in ft.results() {
            let t = self.clif_type(r)?;
            self.b.append_block_param(join, t);
        }
        self.b.ins().brif(code, native, &[], array, &[]);

        self.b.switch_to_block(native);
        let results = self.native_call(ty, Err(code), callee_vmctx, &params)?;
        let args: Vec<BlockArg> = results.iter().map(|&v| BlockArg::Value(v)).collect();
        self.b.ins().jump(join, &args);

        self.b.switch_to_block(array);
        let cells = ft.params().len().max(ft.results().len());
        let area = self.cells_slot(cells as u32 * 8);
        for (i, &p) in params.iter().enumerate() {
            let cell = self.cell_of(p);
            self.b.ins().store(MemFlagsData::trusted(), cell, area, (i * 8) as i32);
        }
        let entry = self
            .b
            .ins()
            .load(types::I64, flags, func_ref, func_ref_offsets::ARRAY_CALL);
        let len = self.b.ins().iconst(types::I64, cells as i64);
        let sig = self.array_sig();
        self.b
            .ins()
            .call_indirect(sig, entry, &[callee_vmctx, self.vmctx, area, len]);
        let results = self.load_cells(ty, area)?;
        let args: Vec<BlockArg> = results.iter().map(|&v| BlockArg::Value(v)).collect();
        self.b.ins().jump(join, &args);

        self.b.switch_to_block(join);
        self.check_trap_cell();
        let results = self.b.block_params(join).to_vec();
        self.stack.extend(results);
        Ok(())
    }

    fn direct_callee(&mut self, func: FuncIndex, ty: TypeIndex) -> Result<ir::FuncRef, Error> {
        if let Some(&f) = self.direct_callees.get(&func.0) {
            return Ok(f);
        }
        let signature = self.wasm_sig(ty)?;
        let name = self
            .b
            .func
            .declare_imported_user_function(UserExternalName::new(FUNC_NAMESPACE, func.0));
        let f = self.b.import_function(ExtFuncData {
            name: ExternalName::user(name),
            signature,
            colocated: true,
            patchable: false,
        });
        self.direct_callees.insert(func.0, f);
        Ok(f)
    }

    pub(super) fn call_op(&mut self, op: &O<'_>) -> Result<(), Error> {
        match *op {
            O::Call { function_index } => {
                let func = FuncIndex(function_index);
                let ty = *self
                    .env
                    .info
                    .funcs
                    .get(func.index())
                    .ok_or_else(|| self.invalid("function index out of range"))?;
                if self.env.info.is_imported_func(func) {
                    let offset = self.env.offsets.imported_func(function_index);
                    let func_ref = self.b.ins().iadd_imm_s(self.vmctx, i64::from(offset));
                    return self.call_func_ref(func_ref, ty);
                }
                let callee = self.direct_callee(func, ty)?;
                let n = self.env.info.func_type(ty).params().len();
                let params = self.pop_n(n)?;
                let results = self.native_call(ty, Ok(callee), self.vmctx, &params)?;
                self.check_trap_cell();
                self.stack.extend(results);
            }
            O::CallIndirect {
                type_index,
                table_index,
            } => {
                let ty = TypeIndex(type_index);
                let index = self.pop()?;
                let addr = self.table_elem_addr(table_index, index)?;
                let flags = self.table_flags();
                let raw = self.b.ins().load(types::I64, flags, addr, 0);
                let null = self.b.ins().icmp_imm_s(IntCC::Equal, raw, 0);
                self.trap_if(null, TrapCode::IndirectCallToNull);
                let vm = self.vm_flags();
                let funcs = self.b.ins().load(types::I64, vm, self.store, store_offsets::FUNCS);
                let scaled = self.b.ins().imul_imm_s(raw, func_ref_offsets::SIZE);
                let func_ref = self.b.ins().iadd(funcs, scaled);
                let func_ref = self.b.ins().iadd_imm_s(func_ref, -func_ref_offsets::SIZE);
                let actual = self.b.ins().load(types::I32, vm, func_ref, func_ref_offsets::TYPE_ID);
                let type_ids = self.vmctx_ptr(header_offsets::TYPE_IDS as u32);
                let ro = self.readonly_flags();
                let expected = self.b.ins().load(types::I32, ro, type_ids, (type_index * 4) as i32);
                let mismatch = self.b.ins().icmp(IntCC::NotEqual, actual, expected);
                self.trap_if(mismatch, TrapCode::BadSignature);
                self.call_func_ref(func_ref, ty)?;
            }
            _ => return Err(self.unsupported(format!("operator {op:?}"))),
        }
        Ok(())
    }
}
