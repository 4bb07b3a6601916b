//! The wasm → CLIF translator for one function body: a single pass over
//! the operators with an operand stack of SSA values and a control stack
//! of Cranelift blocks, built with `cranelift-frontend`.
//!
//! Operators are split by category into the submodules; this file owns the
//! translator state, the function's entry and exit, the trap paths and the
//! operator dispatch. Bodies must already be validated (the runtime does
//! that with `wasmparser` before compiling); a malformed body still ends in
//! [`Error::InvalidBody`], never a panic.

mod calls;
mod control;
mod exceptions;
mod fuel;
mod gc;
mod memory;
mod numeric;
mod simd;
mod tables;
mod variables;

use crate::abi;
use crate::options::{BoundsChecks, CompileOptions};
use crate::vmctx::{VMOffsets, header_offsets, store_offsets};
use crate::{Error, Libcall};
use cranelift_codegen::entity::packed_option::ReservedValue;
use cranelift_codegen::ir::{
    self, AliasRegion, AliasRegionData, Block, InstBuilder, MemFlagsData, SigRef, Type, Value, condcodes::IntCC, types,
};
use cranelift_codegen::isa::{CallConv, TargetFrontendConfig};
use cranelift_frontend::{FunctionBuilder, Variable};
use mote_core::TrapCode;
use mote_environ::{FuncIndex, ModuleInfo, TypeIndex};
use std::collections::HashMap;
use wasmparser::{BinaryReader, FunctionBody, Operator};

pub(crate) use control::Frame;

/// What every function of a module is translated against.
pub(crate) struct ModuleEnv<'a> {
    pub info: &'a ModuleInfo,
    pub offsets: VMOffsets,
    pub options: &'a CompileOptions,
    /// The host C convention, for libcalls and array calls.
    pub call_conv: CallConv,
    pub frontend_config: TargetFrontendConfig,
    /// Whether traps and exceptions leave compiled code through the
    /// runtime's `raise` libcall ([`CompileOptions::raises_traps`]).
    pub raises_traps: bool,
    /// Whether calls through a `VMFuncRef` reach host functions through
    /// [`crate::array_adapter`]s.
    pub array_adapters: bool,
}

/// Alias regions, so Cranelift knows wasm memory stores cannot change the
/// runtime's definitions or globals, and redundant loads of a memory's
/// base and length can be shared.
struct Regions {
    heap: AliasRegion,
    vm: AliasRegion,
    table: AliasRegion,
    global: AliasRegion,
}

/// Per-region fuel bookkeeping (see [`fuel`]).
#[derive(Default)]
struct Fuel {
    /// A region was opened and has not charged yet.
    pending: bool,
    /// The charge instruction of the current region, patched with its count.
    charge: Option<ir::Inst>,
    count: u32,
}

/// How the entry checks the stack limit.
#[derive(Clone, Copy)]
enum StackCheck {
    /// A branch to the trap block, and the block it continues in.
    Branch(ir::Inst, Block),
    /// A conditional trap instruction (where traps may fault).
    Trap(ir::Inst),
}

/// The state of one function's translation.
pub(crate) struct FuncTranslator<'a, 'b> {
    pub(crate) b: FunctionBuilder<'b>,
    pub(crate) env: &'a ModuleEnv<'a>,
    pub(crate) func: FuncIndex,
    /// Byte offset of the operator being translated, for errors.
    pub(crate) offset: usize,
    pub(crate) stack: Vec<Value>,
    pub(crate) control: Vec<Frame>,
    /// Whether the current position can be reached.
    pub(crate) reachable: bool,
    /// Blocks opened inside unreachable code, skipped until their `end`.
    pub(crate) dead_depth: u32,
    pub(crate) locals: Vec<(Variable, Type)>,
    pub(crate) vmctx: Value,
    pub(crate) caller_vmctx: Value,
    pub(crate) store: Value,
    /// The function's first block, where loads of values that never change
    /// are placed to be shared by the whole body.
    entry_block: Block,
    /// The bases of the guard-page memories used so far, loaded in the
    /// entry block, by memory index.
    guard_bases: Vec<(u32, Value)>,
    pub(crate) results_area: Option<Value>,
    pub(crate) result_types: Vec<Type>,
    trap_exit: Option<Block>,
    trap_blocks: HashMap<u8, Block>,
    /// The entry's stack-limit check.
    stack_check: Option<StackCheck>,
    /// Whether the body calls a wasm or host function.
    pub(crate) makes_calls: bool,
    fuel: Fuel,
    regions: Regions,
    pub(crate) direct_callees: HashMap<u32, ir::FuncRef>,
    pub(crate) adapters: HashMap<TypeIndex, ir::FuncRef>,
    pub(crate) wasm_sigs: HashMap<TypeIndex, SigRef>,
    pub(crate) array_sig: Option<SigRef>,
    pub(crate) libcall_sigs: HashMap<i32, SigRef>,
    /// The open `try_table`s, outermost first.
    pub(crate) handlers: Vec<exceptions::HandlerScope>,
    gc_scratch: gc::GcScratch,
}

/// Translates the body of defined function `func` into `b`'s function,
/// whose signature must already be set.
pub(crate) fn translate_body(
    env: &ModuleEnv<'_>,
    func: FuncIndex,
    body: &[u8],
    body_offset: usize,
    b: FunctionBuilder<'_>,
) -> Result<(), Error> {
    let reader = BinaryReader::new(body, body_offset as u64);
    let body = FunctionBody::new(reader);
    let mut t = FuncTranslator::new(env, func, b);
    t.offset = body_offset;
    t.entry(&body)?;
    let mut ops = body.get_operators_reader().map_err(|e| t.invalid(e))?;
    while !ops.eof() {
        t.offset = ops.original_position() as usize;
        let op = ops.read().map_err(|e| t.invalid(e))?;
        t.operator(&op)?;
        if matches!(op, Operator::End) {
            t.close_handlers();
        }
    }
    if !t.control.is_empty() {
        return Err(t.invalid("body ends inside a block"));
    }
    t.close_fuel_region();
    t.drop_leaf_stack_check();
    t.finish_traps();
    t.finish_gc_scratch();
    t.b.seal_all_blocks();
    t.b.finalize(env.frontend_config);
    Ok(())
}

impl<'a, 'b> FuncTranslator<'a, 'b> {
    fn new(env: &'a ModuleEnv<'a>, func: FuncIndex, b: FunctionBuilder<'b>) -> Self {
        let mut region = |id: u32, name: &'static str| {
            b.func.dfg.alias_regions.insert(AliasRegionData {
                user_id: id,
                description: name.into(),
            })
        };
        let regions = Regions {
            heap: region(0, "heap"),
            vm: region(1, "vm"),
            table: region(2, "table"),
            global: region(3, "global"),
        };
        FuncTranslator {
            b,
            env,
            func,
            offset: 0,
            stack: Vec::new(),
            control: Vec::new(),
            reachable: true,
            dead_depth: 0,
            locals: Vec::new(),
            vmctx: Value::reserved_value(),
            caller_vmctx: Value::reserved_value(),
            store: Value::reserved_value(),
            entry_block: Block::reserved_value(),
            guard_bases: Vec::new(),
            results_area: None,
            result_types: Vec::new(),
            trap_exit: None,
            trap_blocks: HashMap::new(),
            stack_check: None,
            makes_calls: false,
            fuel: Fuel::default(),
            regions,
            direct_callees: HashMap::new(),
            adapters: HashMap::new(),
            wasm_sigs: HashMap::new(),
            array_sig: None,
            libcall_sigs: HashMap::new(),
            handlers: Vec::new(),
            gc_scratch: gc::GcScratch::default(),
        }
    }

    /// An [`Error::InvalidBody`] at the current operator.
    pub(crate) fn invalid(&self, message: impl ToString) -> Error {
        Error::InvalidBody {
            func: self.func.0,
            offset: self.offset,
            message: message.to_string(),
        }
    }

    /// An [`Error::Unsupported`] at the current operator.
    pub(crate) fn unsupported(&self, what: impl Into<String>) -> Error {
        Error::unsupported(self.func.0, self.offset, what)
    }

    /// The Cranelift type of a wasm value type, or an unsupported error.
    pub(crate) fn clif_type(&self, ty: mote_environ::ValType) -> Result<Type, Error> {
        abi::clif_type(ty).ok_or_else(|| self.unsupported(format!("value type {ty}")))
    }

    pub(crate) fn pop(&mut self) -> Result<Value, Error> {
        self.stack.pop().ok_or_else(|| self.invalid("operand stack underflow"))
    }

    pub(crate) fn pop2(&mut self) -> Result<(Value, Value), Error> {
        let y = self.pop()?;
        let x = self.pop()?;
        Ok((x, y))
    }

    pub(crate) fn pop3(&mut self) -> Result<(Value, Value, Value), Error> {
        let z = self.pop()?;
        let (x, y) = self.pop2()?;
        Ok((x, y, z))
    }

    /// The top `n` values, removed, bottom first.
    pub(crate) fn pop_n(&mut self, n: usize) -> Result<Vec<Value>, Error> {
        let at = self
            .stack
            .len()
            .checked_sub(n)
            .ok_or_else(|| self.invalid("operand stack underflow"))?;
        Ok(self.stack.split_off(at))
    }

    /// The top `n` values, left in place, bottom first.
    pub(crate) fn peek_n(&self, n: usize) -> Result<&[Value], Error> {
        let at = self
            .stack
            .len()
            .checked_sub(n)
            .ok_or_else(|| self.invalid("operand stack underflow"))?;
        Ok(&self.stack[at..])
    }

    pub(crate) fn push(&mut self, v: Value) {
        self.stack.push(v);
    }

    /// Flags for loads of the runtime's own structures (the `VMContext`,
    /// definitions, the store context): never trapping, not wasm memory.
    pub(crate) fn vm_flags(&self) -> MemFlagsData {
        MemFlagsData::trusted().with_alias_region(Some(self.regions.vm))
    }

    /// Flags for loads of fields that never change while the instance lives.
    pub(crate) fn readonly_flags(&self) -> MemFlagsData {
        self.vm_flags().with_readonly().with_can_move()
    }

    pub(crate) fn heap_region(&self) -> AliasRegion {
        self.regions.heap
    }

    pub(crate) fn table_flags(&self) -> MemFlagsData {
        MemFlagsData::trusted().with_alias_region(Some(self.regions.table))
    }

    /// Flags for a global's cells; a `v128` global is only 8-aligned.
    pub(crate) fn global_flags(&self, vector: bool) -> MemFlagsData {
        let flags = if vector {
            abi::cell_flags()
        } else {
            MemFlagsData::trusted()
        };
        flags.with_alias_region(Some(self.regions.global))
    }

    /// Loads a pointer stored at `offset` in the `VMContext` (fixed for
    /// the instance's lifetime).
    pub(crate) fn vmctx_ptr(&mut self, offset: u32) -> Value {
        let flags = self.readonly_flags();
        self.b.ins().load(types::I64, flags, self.vmctx, offset as i32)
    }

    /// The function's entry: parameters into locals, declared locals
    /// zeroed, the stack-limit check and the first fuel region.
    fn entry(&mut self, body: &FunctionBody<'_>) -> Result<(), Error> {
        let ty = self.env.info.func_type_of(self.func).clone();
        let entry = self.b.create_block();
        self.b.append_block_params_for_function_params(entry);
        self.enter_sealed(entry);
        self.entry_block = entry;
        let params = self.b.block_params(entry).to_vec();
        self.vmctx = params[0];
        self.caller_vmctx = params[1];
        if abi::uses_results_area(&ty) {
            self.results_area = Some(*params.last().expect("results area parameter"));
        }
        for &r in ty.results() {
            let t = self.clif_type(r)?;
            self.result_types.push(t);
        }
        for (i, &p) in ty.params().iter().enumerate() {
            let t = self.clif_type(p)?;
            let var = self.b.declare_var(t);
            self.b.def_var(var, params[2 + i]);
            self.locals.push((var, t));
        }
        let mut locals = body.get_locals_reader().map_err(|e| self.invalid(e))?;
        for _ in 0..locals.get_count() {
            self.offset = locals.original_position() as usize;
            let (count, ty) = locals.read().map_err(|e| self.invalid(e))?;
            let t = abi::clif_type_of(ty).ok_or_else(|| self.unsupported(format!("local type {ty:?}")))?;
            if self.locals.len() + count as usize > 50_000 {
                return Err(self.unsupported("more than 50000 locals"));
            }
            let zero = self.zero(t);
            for _ in 0..count {
                let var = self.b.declare_var(t);
                self.b.def_var(var, zero);
                self.locals.push((var, t));
            }
        }
        let flags = self.readonly_flags();
        self.store = self.b.ins().load(types::I64, flags, self.vmctx, header_offsets::STORE);
        self.stack_check();
        let exit = self.b.create_block();
        for &t in &self.result_types.clone() {
            self.b.append_block_param(exit, t);
        }
        self.control.push(Frame::function(exit, self.result_types.clone()));
        self.open_fuel_region();
        Ok(())
    }

    /// Compares the stack pointer with the store's limit, so runaway
    /// recursion traps instead of overflowing the host stack. A function
    /// that turns out to call nothing loses the check again
    /// ([`Self::drop_leaf_stack_check`]): it cannot recurse, and its one
    /// frame fits in the margin below the limit.
    fn stack_check(&mut self) {
        // Read-only while wasm runs: only the outermost entry from the host
        // sets the limit. That also lets Cranelift drop the load in leaf
        // functions, whose check is removed.
        let flags = self.readonly_flags();
        let limit = self
            .b
            .ins()
            .load(types::I64, flags, self.store, store_offsets::STACK_LIMIT);
        let sp = self.b.ins().get_stack_pointer(types::I64);
        let low = self.b.ins().icmp(IntCC::UnsignedLessThan, sp, limit);
        if let Some(code) = self.fault_trap(TrapCode::StackOverflow) {
            let trap = self.b.ins().trapnz(low, code);
            self.stack_check = Some(StackCheck::Trap(trap));
            return;
        }
        let trap = self.trap_block(TrapCode::StackOverflow);
        let cont = self.b.create_block();
        let branch = self.b.ins().brif(low, trap, &[], cont, &[]);
        self.stack_check = Some(StackCheck::Branch(branch, cont));
        self.enter_sealed(cont);
    }

    /// Removes the stack check of a function without calls (a branch
    /// becomes a plain jump); the unused loads are removed by Cranelift.
    fn drop_leaf_stack_check(&mut self) {
        if self.makes_calls {
            return;
        }
        match self.stack_check {
            Some(StackCheck::Branch(branch, cont)) => {
                self.b.func.replace(branch).jump(cont, &[]);
                self.trap_blocks.remove(&(TrapCode::StackOverflow as u8));
            }
            Some(StackCheck::Trap(trap)) => self.b.func.layout.remove_inst(trap),
            None => {}
        }
    }

    /// The zero of a type.
    pub(crate) fn zero(&mut self, t: Type) -> Value {
        match t {
            types::F32 => self.b.ins().f32const(0.0),
            types::F64 => self.b.ins().f64const(0.0),
            t if t.is_vector() => {
                let zero = self.b.func.dfg.constants.insert(vec![0u8; 16].into());
                self.b.ins().vconst(t, zero)
            }
            _ => self.b.ins().iconst(t, 0),
        }
    }

    /// Emits the function's return of `values`.
    pub(crate) fn emit_return(&mut self, values: &[Value]) {
        match self.results_area {
            Some(area) => {
                let offsets = abi::cell_offsets(self.env.info.func_type_of(self.func).results());
                for (&v, offset) in values.iter().zip(offsets) {
                    self.b.ins().store(abi::cell_flags(), v, area, offset);
                }
                self.b.ins().return_(&[]);
            }
            None => {
                self.b.ins().return_(values);
            }
        }
    }

    /// The block that leaves the function after a trap: the trap code is
    /// already in the store context, results are zeros nobody reads. Its
    /// code is emitted by [`Self::finish_traps`].
    fn trap_exit(&mut self) -> Block {
        if let Some(b) = self.trap_exit {
            return b;
        }
        let block = self.b.create_block();
        self.b.set_cold_block(block);
        self.trap_exit = Some(block);
        block
    }

    /// The block that records trap `code` and leaves the function (emitted
    /// by [`Self::finish_traps`]).
    fn trap_block(&mut self, code: TrapCode) -> Block {
        if let Some(&b) = self.trap_blocks.get(&(code as u8)) {
            return b;
        }
        let block = self.b.create_block();
        self.b.set_cold_block(block);
        self.trap_blocks.insert(code as u8, block);
        block
    }

    /// Emits the trap blocks and the trap exit once the body is done, so
    /// translation never leaves a half-built block to fill them.
    fn finish_traps(&mut self) {
        let mut traps: Vec<(u8, Block)> = self.trap_blocks.iter().map(|(&c, &b)| (c, b)).collect();
        traps.sort_unstable();
        if !traps.is_empty() {
            self.trap_exit();
        }
        for (code, block) in traps {
            self.b.switch_to_block(block);
            let flags = self.vm_flags();
            if code == TrapCode::OutOfFuel as u8 {
                let zero = self.b.ins().iconst(types::I64, 0);
                self.b.ins().store(flags, zero, self.store, store_offsets::FUEL);
            }
            let c = self.b.ins().iconst(types::I32, i64::from(code));
            self.b.ins().store(flags, c, self.store, store_offsets::TRAP_CODE);
            self.libcall(Libcall::Trap, &[c]);
            let exit = self.trap_exit();
            self.b.ins().jump(exit, &[]);
        }
        if let Some(exit) = self.trap_exit {
            self.b.switch_to_block(exit);
            if self.env.raises_traps {
                self.libcall(Libcall::Raise, &[]);
                self.b.ins().trap(abi::after_raise());
            } else if self.results_area.is_some() {
                self.b.ins().return_(&[]);
            } else {
                let zeros: Vec<Value> = self.result_types.clone().into_iter().map(|t| self.zero(t)).collect();
                self.b.ins().return_(&zeros);
            }
        }
    }

    /// Switches to `block`, whose predecessors are all known: sealing it
    /// at once lets the SSA builder resolve variables without placeholder
    /// block parameters, which keeps compilation fast. Blocks whose
    /// predecessors come later (trap blocks) are sealed when the body ends.
    pub(crate) fn enter_sealed(&mut self, block: Block) {
        self.b.switch_to_block(block);
        self.b.seal_block(block);
    }

    /// Traps with `code` when `cond` is nonzero; continues in a new block.
    pub(crate) fn trap_if(&mut self, cond: Value, code: TrapCode) {
        if let Some(t) = self.fault_trap(code) {
            self.b.ins().trapnz(cond, t);
            return;
        }
        let trap = self.trap_block(code);
        let cont = self.b.create_block();
        self.b.ins().brif(cond, trap, &[], cont, &[]);
        self.enter_sealed(cont);
    }

    /// Traps with `code` when `cond` is zero.
    pub(crate) fn trap_unless(&mut self, cond: Value, code: TrapCode) {
        if let Some(t) = self.fault_trap(code) {
            self.b.ins().trapz(cond, t);
            return;
        }
        let trap = self.trap_block(code);
        let cont = self.b.create_block();
        self.b.ins().brif(cond, cont, &[], trap, &[]);
        self.enter_sealed(cont);
    }

    /// Traps unconditionally; the position becomes unreachable.
    pub(crate) fn trap(&mut self, code: TrapCode) {
        if let Some(t) = self.fault_trap(code) {
            self.b.ins().trap(t);
        } else {
            let trap = self.trap_block(code);
            self.b.ins().jump(trap, &[]);
        }
        self.reachable = false;
    }

    /// The Cranelift trap that stands for `code` where traps may fault:
    /// in guard-page mode the runtime's signal handler already maps each
    /// faulting instruction of [`crate::CompiledModule::trap_sites`] to its
    /// trap, so a check becomes one conditional trap instead of a branch
    /// to a block of its own (fewer blocks compile faster). `None` where
    /// the trap goes through the trap cell: with explicit bounds checks,
    /// and for running out of fuel, which must also empty the fuel.
    fn fault_trap(&self, code: TrapCode) -> Option<ir::TrapCode> {
        match self.env.options.bounds_checks {
            BoundsChecks::GuardPages { .. } if code != TrapCode::OutOfFuel => ir::TrapCode::user(code as u8),
            _ => None,
        }
    }

    /// After a call or libcall that may trap: leaves the function if the
    /// store's trap cell is set.
    pub(crate) fn check_trap_cell(&mut self) {
        let flags = self.vm_flags();
        let code = self
            .b
            .ins()
            .load(types::I32, flags, self.store, store_offsets::TRAP_CODE);
        let exit = self.trap_exit();
        let cont = self.b.create_block();
        self.b.ins().brif(code, exit, &[], cont, &[]);
        self.enter_sealed(cont);
    }

    /// Calls a libcall through the runtime's table.
    pub(crate) fn libcall(&mut self, call: Libcall, args: &[Value]) -> Option<Value> {
        let sig = match self.libcall_sigs.get(&call.offset()) {
            Some(&s) => s,
            None => {
                let s = self.b.import_signature(call.signature(self.env.call_conv));
                self.libcall_sigs.insert(call.offset(), s);
                s
            }
        };
        let table = self.vmctx_ptr(header_offsets::LIBCALLS as u32);
        let flags = self.readonly_flags();
        let f = self.b.ins().load(types::I64, flags, table, call.offset());
        let mut all = vec![self.vmctx];
        all.extend_from_slice(args);
        let inst = self.b.ins().call_indirect(sig, f, &all);
        let result = self.b.inst_results(inst).first().copied();
        if call.can_trap() {
            self.check_trap_cell();
        }
        result
    }

    /// Translates one operator.
    fn operator(&mut self, op: &Operator<'_>) -> Result<(), Error> {
        if !self.reachable {
            return self.dead_operator(op);
        }
        self.count_fuel(op);
        use Operator as O;
        match op {
            O::Unreachable
            | O::Nop
            | O::Block { .. }
            | O::Loop { .. }
            | O::If { .. }
            | O::Else
            | O::End
            | O::Br { .. }
            | O::BrIf { .. }
            | O::BrTable { .. }
            | O::Return
            | O::Drop
            | O::Select
            | O::TypedSelect { .. }
            | O::BrOnNull { .. }
            | O::BrOnNonNull { .. } => self.control_op(op),
            O::Call { .. }
            | O::CallIndirect { .. }
            | O::CallRef { .. }
            | O::ReturnCall { .. }
            | O::ReturnCallIndirect { .. }
            | O::ReturnCallRef { .. } => self.call_op(op),
            O::LocalGet { .. }
            | O::LocalSet { .. }
            | O::LocalTee { .. }
            | O::GlobalGet { .. }
            | O::GlobalSet { .. } => self.variable_op(op),
            O::RefNull { .. }
            | O::RefIsNull
            | O::RefFunc { .. }
            | O::RefAsNonNull
            | O::TableGet { .. }
            | O::TableSet { .. }
            | O::TableSize { .. }
            | O::TableGrow { .. }
            | O::TableFill { .. }
            | O::TableCopy { .. }
            | O::TableInit { .. }
            | O::ElemDrop { .. } => self.table_op(op),
            _ => {
                if self.memory_op(op)?
                    || self.numeric_op(op)?
                    || self.simd_op(op)?
                    || self.simd_memory_op(op)?
                    || self.gc_op(op)?
                    || self.exception_op(op)?
                {
                    Ok(())
                } else {
                    Err(self.unsupported(format!("operator {op:?}")))
                }
            }
        }
    }
}
