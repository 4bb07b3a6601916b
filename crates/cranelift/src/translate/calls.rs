//! Calls: direct calls to functions of the same module (a relocated
//! `call` within the code blob), calls to imported functions, and
//! `call_indirect` and `call_ref` through a [`crate::vmctx::VMFuncRef`];
//! and their `return_call` forms, real tail calls between wasm functions.
//!
//! A `VMFuncRef` with native code is called directly with the native wasm
//! ABI; one without (a host function) through its array entry, with the
//! arguments spilled to a stack slot of 64-bit cells: on x86-64 by an
//! adapter function the call site selects instead of the native code
//! ([`crate::array_adapter`]), elsewhere on a branch of its own.
//!
//! How a trap below a call comes back depends on
//! [`crate::CompileOptions::raises_traps`]:
//!
//! - Where traps are raised, nothing comes back: the trap jumps to the
//!   host's entry, and calls are not followed by any test. Only a call
//!   inside a `try_table` must see the exceptions raised below it: it is
//!   a `try_call`, whose handler the runtime resumes (see
//!   [`super::exceptions`]).
//! - Otherwise the store's trap cell is tested after every call, and a set
//!   cell makes this function return at once: that is how a trap unwinds
//!   without signals or unwinding tables. A call inside a `try_table`
//!   also claims a thrown exception there.

use super::FuncTranslator;
use crate::array_adapter::ADAPTER_NAMESPACE;
use crate::vmctx::{func_ref_offsets, header_offsets, store_offsets};
use crate::{Error, Libcall, abi};
use cranelift_codegen::ir::{
    self, BlockArg, BlockCall, ExceptionTableData, ExceptionTableItem, ExtFuncData, ExternalName, InstBuilder, SigRef,
    StackSlotData, StackSlotKind, Type, UserExternalName, Value, condcodes::IntCC, types,
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
        let sig = abi::wasm_signature(ft).ok_or_else(|| self.unsupported("a call with a v128 parameter or result"))?;
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
        for (r, offset) in results.iter().zip(abi::cell_offsets(&results)) {
            let t = self.clif_type(*r)?;
            out.push(self.b.ins().load(t, abi::cell_flags(), area, offset));
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
        let (sig, args, area) = self.native_args(ty, callee_vmctx, params)?;
        let inst = match callee {
            Ok(f) => self.b.ins().call(f, &args),
            Err(ptr) => self.b.ins().call_indirect(sig, ptr, &args),
        };
        match area {
            Some(area) => self.load_cells(ty, area),
            None => Ok(self.b.inst_results(inst).to_vec()),
        }
    }

    /// The signature and arguments of a native call of type `ty`, with
    /// the results area they include if the results go through memory.
    fn native_args(
        &mut self,
        ty: TypeIndex,
        callee_vmctx: Value,
        params: &[Value],
    ) -> Result<(SigRef, Vec<Value>, Option<Value>), Error> {
        let sig = self.wasm_sig(ty)?;
        let result_cells = self.env.info.func_type(ty).result_cells();
        let mut args = vec![callee_vmctx, self.vmctx];
        args.extend_from_slice(params);
        let area =
            abi::uses_results_area(self.env.info.func_type(ty)).then(|| self.cells_slot(u32::from(result_cells) * 8));
        args.extend(area);
        Ok((sig, args, area))
    }

    /// A native call inside a `try_table` where traps are raised: a
    /// `try_call` whose handler the runtime resumes, with every register
    /// clobbered, when an exception is raised below it (see
    /// [`crate::HandlerSite`]; traps go past it to the entry); the handler
    /// claims the exception or raises it further
    /// ([`Self::claim_or_leave`]).
    fn try_native_call(
        &mut self,
        ty: TypeIndex,
        callee: Result<ir::FuncRef, Value>,
        callee_vmctx: Value,
        params: &[Value],
    ) -> Result<Vec<Value>, Error> {
        let (sig, args, area) = self.native_args(ty, callee_vmctx, params)?;
        let returns: Vec<Type> = self.b.func.dfg.signatures[sig]
            .returns
            .iter()
            .map(|r| r.value_type)
            .collect();
        let normal = self.b.create_block();
        for &t in &returns {
            self.b.append_block_param(normal, t);
        }
        let rets = (0..returns.len() as u32).map(BlockArg::TryCallRet);
        let normal_call = BlockCall::new(normal, rets, &mut self.b.func.dfg.value_lists);
        let handler = self.b.create_block();
        self.b.set_cold_block(handler);
        let handler_call = BlockCall::new(handler, [], &mut self.b.func.dfg.value_lists);
        let table = ExceptionTableData::new(sig, normal_call, [ExceptionTableItem::Default(handler_call)]);
        let table = self.b.func.dfg.exception_tables.push(table);
        match callee {
            Ok(f) => self.b.ins().try_call(f, &args, table),
            Err(ptr) => self.b.ins().try_call_indirect(ptr, &args, table),
        };
        self.enter_sealed(handler);
        let flags = self.vm_flags();
        let code = self
            .b
            .ins()
            .load(types::I32, flags, self.store, store_offsets::TRAP_CODE);
        self.claim_or_leave(code)?;
        self.enter_sealed(normal);
        self.reachable = true;
        match area {
            Some(area) => self.load_cells(ty, area),
            None => Ok(self.b.block_params(normal).to_vec()),
        }
    }

    /// Calls the host function of the `VMFuncRef` at `func_ref` through its
    /// array entry, returning its results.
    fn array_call(
        &mut self,
        func_ref: Value,
        callee_vmctx: Value,
        ty: TypeIndex,
        params: &[Value],
    ) -> Result<Vec<Value>, Error> {
        let ft = self.env.info.func_type(ty);
        let cells = ft.param_cells().max(ft.result_cells());
        let offsets = abi::cell_offsets(ft.params());
        let area = self.cells_slot(u32::from(cells) * 8);
        for (&p, offset) in params.iter().zip(offsets) {
            let cell = self.cell_of(p);
            self.b.ins().store(abi::cell_flags(), cell, area, offset);
        }
        let flags = self.vm_flags();
        let entry = self
            .b
            .ins()
            .load(types::I64, flags, func_ref, func_ref_offsets::ARRAY_CALL);
        let len = self.b.ins().iconst(types::I64, i64::from(cells));
        let sig = self.array_sig();
        self.b
            .ins()
            .call_indirect(sig, entry, &[callee_vmctx, self.vmctx, area, len]);
        self.load_cells(ty, area)
    }

    /// Whether a call made here must be able to see what is raised below
    /// it: where traps are raised, inside a `try_table`.
    fn catches_here(&self) -> bool {
        self.env.raises_traps && !self.handlers.is_empty()
    }

    /// Calls (or, with `tail`, tail-calls) the function described by the
    /// `VMFuncRef` at `func_ref`, with the parameters of `ty` popped from
    /// the stack; pushes its results. A host function cannot be
    /// tail-called: it is called, and its results returned.
    fn call_func_ref(&mut self, func_ref: Value, ty: TypeIndex, tail: bool) -> Result<(), Error> {
        let ft = self.env.info.func_type(ty).clone();
        let params = self.pop_n(ft.params().len())?;
        let flags = self.vm_flags();
        let code = self
            .b
            .ins()
            .load(types::I64, flags, func_ref, func_ref_offsets::WASM_CALL);
        let callee_vmctx = self.b.ins().load(types::I64, flags, func_ref, func_ref_offsets::VMCTX);
        if self.env.array_adapters {
            // No native code: the adapter, given the `VMFuncRef` itself.
            let adapter = self.adapter(ty)?;
            let adapter = self.b.ins().func_addr(types::I64, adapter);
            let target = self.b.ins().select(code, code, adapter);
            let target_vmctx = self.b.ins().select(code, callee_vmctx, func_ref);
            if tail {
                return self.tail_call(ty, Err(target), target_vmctx, &params);
            }
            let results = if self.catches_here() {
                self.try_native_call(ty, Err(target), target_vmctx, &params)?
            } else {
                let results = self.native_call(ty, Err(target), target_vmctx, &params)?;
                if !self.env.raises_traps {
                    self.check_call_result()?;
                }
                results
            };
            self.stack.extend(results);
            return Ok(());
        }
        if self.env.raises_traps {
            return Err(self.unsupported("raising traps without array-call adapters"));
        }
        let native = self.b.create_block();
        let array = self.b.create_block();
        self.b.ins().brif(code, native, &[], array, &[]);

        self.enter_sealed(native);
        if tail {
            self.tail_call(ty, Err(code), callee_vmctx, &params)?;
            self.enter_sealed(array);
            let results = self.array_call(func_ref, callee_vmctx, ty, &params)?;
            self.check_trap_cell();
            self.emit_return(&results);
            self.reachable = false;
            return Ok(());
        }
        let join = self.b.create_block();
        for &r in ft.results() {
            let t = self.clif_type(r)?;
            self.b.append_block_param(join, t);
        }
        let results = self.native_call(ty, Err(code), callee_vmctx, &params)?;
        let args: Vec<BlockArg> = results.iter().map(|&v| BlockArg::Value(v)).collect();
        self.b.ins().jump(join, &args);

        self.enter_sealed(array);
        let results = self.array_call(func_ref, callee_vmctx, ty, &params)?;
        let args: Vec<BlockArg> = results.iter().map(|&v| BlockArg::Value(v)).collect();
        self.b.ins().jump(join, &args);

        self.enter_sealed(join);
        self.check_call_result()?;
        let results = self.b.block_params(join).to_vec();
        self.stack.extend(results);
        Ok(())
    }

    /// Emits a tail call; the callee writes any results area this
    /// function was given (validation guarantees equal result types).
    fn tail_call(
        &mut self,
        ty: TypeIndex,
        callee: Result<ir::FuncRef, Value>,
        callee_vmctx: Value,
        params: &[Value],
    ) -> Result<(), Error> {
        let sig = self.wasm_sig(ty)?;
        let mut args = vec![callee_vmctx, self.vmctx];
        args.extend_from_slice(params);
        args.extend(self.results_area);
        match callee {
            Ok(f) => self.b.ins().return_call(f, &args),
            Err(ptr) => self.b.ins().return_call_indirect(sig, ptr, &args),
        };
        self.reachable = false;
        Ok(())
    }

    /// The `VMFuncRef` of `call_indirect`'s table element `index`, after
    /// the bounds, null and type checks.
    fn indirect_func_ref(&mut self, ty: TypeIndex, table: u32, index: Value) -> Result<Value, Error> {
        let addr = self.table_elem_addr(table, index)?;
        let flags = self.table_flags();
        let raw = self.b.ins().load(types::I64, flags, addr, 0);
        let null = self.b.ins().icmp_imm_s(IntCC::Equal, raw, 0);
        self.trap_if(null, TrapCode::IndirectCallToNull);
        let func_ref = self.store_func_ref(raw);
        let vm = self.vm_flags();
        let actual = self.b.ins().load(types::I32, vm, func_ref, func_ref_offsets::TYPE_ID);
        let type_ids = self.vmctx_ptr(header_offsets::TYPE_IDS as u32);
        let ro = self.readonly_flags();
        let expected = self.b.ins().load(types::I32, ro, type_ids, (ty.0 * 4) as i32);
        let mismatch = self.b.ins().icmp(IntCC::NotEqual, actual, expected);
        if self.env.info.type_defs[ty.index()].is_final {
            // A final type has no subtypes: only equal ids match.
            self.trap_if(mismatch, TrapCode::BadSignature);
            return Ok(func_ref);
        }
        let slow = self.b.create_block();
        let ok = self.b.create_block();
        self.b.set_cold_block(slow);
        self.b.ins().brif(mismatch, slow, &[], ok, &[]);
        self.enter_sealed(slow);
        let is_subtype = self
            .libcall(Libcall::FuncSubtype, &[actual, expected])
            .expect("returns");
        self.trap_unless(is_subtype, TrapCode::BadSignature);
        self.b.ins().jump(ok, &[]);
        self.enter_sealed(ok);
        Ok(func_ref)
    }

    /// The `VMFuncRef` of a `call_ref` operand, after the null check.
    fn ref_func_ref(&mut self) -> Result<Value, Error> {
        let raw = self.pop()?;
        let null = self.b.ins().icmp_imm_s(IntCC::Equal, raw, 0);
        self.trap_if(null, TrapCode::NullReference);
        Ok(self.store_func_ref(raw))
    }

    /// The address of the store's `VMFuncRef` for a non-null raw function
    /// reference (`store index + 1`).
    fn store_func_ref(&mut self, raw: Value) -> Value {
        let vm = self.vm_flags();
        let funcs = self.b.ins().load(types::I64, vm, self.store, store_offsets::FUNCS);
        let scaled = self.b.ins().imul_imm_s(raw, func_ref_offsets::SIZE);
        let func_ref = self.b.ins().iadd(funcs, scaled);
        self.b.ins().iadd_imm_s(func_ref, -func_ref_offsets::SIZE)
    }

    fn direct_callee(&mut self, func: FuncIndex, ty: TypeIndex) -> Result<ir::FuncRef, Error> {
        if let Some(&f) = self.direct_callees.get(&func.0) {
            return Ok(f);
        }
        let f = self.import_colocated(FUNC_NAMESPACE, func.0, ty)?;
        self.direct_callees.insert(func.0, f);
        Ok(f)
    }

    /// The array-call adapter for `ty` (see [`crate::array_adapter`]).
    fn adapter(&mut self, ty: TypeIndex) -> Result<ir::FuncRef, Error> {
        if let Some(&f) = self.adapters.get(&ty) {
            return Ok(f);
        }
        let f = self.import_colocated(ADAPTER_NAMESPACE, ty.0, ty)?;
        self.adapters.insert(ty, f);
        Ok(f)
    }

    /// Declares the function `index` of `namespace`, of wasm type `ty`,
    /// compiled into the same blob (so called directly).
    fn import_colocated(&mut self, namespace: u32, index: u32, ty: TypeIndex) -> Result<ir::FuncRef, Error> {
        let signature = self.wasm_sig(ty)?;
        let name = self
            .b
            .func
            .declare_imported_user_function(UserExternalName::new(namespace, index));
        Ok(self.b.import_function(ExtFuncData {
            name: ExternalName::user(name),
            signature,
            colocated: true,
            patchable: false,
        }))
    }

    fn func_type_index(&self, func: u32) -> Result<TypeIndex, Error> {
        self.env
            .info
            .funcs
            .get(func as usize)
            .copied()
            .ok_or_else(|| self.invalid("function index out of range"))
    }

    pub(super) fn call_op(&mut self, op: &O<'_>) -> Result<(), Error> {
        self.makes_calls = true;
        let tail = matches!(
            op,
            O::ReturnCall { .. } | O::ReturnCallIndirect { .. } | O::ReturnCallRef { .. }
        );
        match *op {
            O::Call { function_index } | O::ReturnCall { function_index } => {
                let func = FuncIndex(function_index);
                let ty = self.func_type_index(function_index)?;
                if self.env.info.is_imported_func(func) {
                    let offset = self.env.offsets.imported_func(function_index);
                    let func_ref = self.b.ins().iadd_imm_s(self.vmctx, i64::from(offset));
                    return self.call_func_ref(func_ref, ty, tail);
                }
                let callee = self.direct_callee(func, ty)?;
                let n = self.env.info.func_type(ty).params().len();
                let params = self.pop_n(n)?;
                if tail {
                    return self.tail_call(ty, Ok(callee), self.vmctx, &params);
                }
                let results = if self.catches_here() {
                    self.try_native_call(ty, Ok(callee), self.vmctx, &params)?
                } else {
                    let results = self.native_call(ty, Ok(callee), self.vmctx, &params)?;
                    if !self.env.raises_traps {
                        self.check_call_result()?;
                    }
                    results
                };
                self.stack.extend(results);
            }
            O::CallRef { type_index } | O::ReturnCallRef { type_index } => {
                // The reference's static type is the callee's: only null
                // needs a check.
                let func_ref = self.ref_func_ref()?;
                self.call_func_ref(func_ref, TypeIndex(type_index), tail)?;
            }
            O::CallIndirect {
                type_index,
                table_index,
            }
            | O::ReturnCallIndirect {
                type_index,
                table_index,
            } => {
                let index = self.pop()?;
                let func_ref = self.indirect_func_ref(TypeIndex(type_index), table_index, index)?;
                self.call_func_ref(func_ref, TypeIndex(type_index), tail)?;
            }
            _ => return Err(self.unsupported(format!("operator {op:?}"))),
        }
        Ok(())
    }
}
