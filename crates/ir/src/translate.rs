//! The translator: one pass over a function body that validates each
//! operator with `wasmparser` and emits slot-addressed [`Instr`]s.
//!
//! The operand stack is simulated at translation time. Each entry has a
//! *natural slot* (its position in the frame if the wasm stack were laid out
//! in memory) and a source: already there (`Temp`), still in a local
//! (`Local`), or a constant not yet written (`Const`). Deferring locals and
//! constants lets `local.get a; local.get b; i32.add` read `a` and `b` in
//! place. Whatever is deferred is written to its natural slot where paths
//! merge (block boundaries, branches, calls), so every label has one fixed
//! layout for its values.

mod control;
mod fuse;
mod gc;
mod loop_consts;
mod memory;
mod numeric;
mod simd;
mod stack;

use crate::func::CompiledFunc;
use crate::instr::{Instr, Slot};
use alloc::vec::Vec;
use mote_environ::wasmparser::{
    self, FuncToValidate, FuncValidator, FuncValidatorAllocations, FunctionBody, OperatorsReader, ValidatorResources,
};
use mote_environ::{CompileError, FuncIndex, ModuleInfo};
use stack::Operand;

/// Options that change the code the translator emits.
#[derive(Debug, Clone, Copy, Default)]
pub struct TranslateConfig {
    /// Emit fuel accounting.
    pub fuel: bool,
}

/// Validates and translates one function body.
///
/// `bytes` is the whole module binary; `body` the range of this function.
///
/// # Errors
/// Validation failures, and functions whose frames exceed the 65,535 cells
/// slot indices can address.
pub fn translate(
    info: &ModuleInfo,
    bytes: &[u8],
    func: FuncIndex,
    validator: FuncToValidate<ValidatorResources>,
    config: TranslateConfig,
) -> Result<CompiledFunc, CompileError> {
    let body_range = info.bodies[(func.0 - info.num_imported_funcs) as usize].range.clone();
    let body = FunctionBody::new(wasmparser::BinaryReader::new(
        &bytes[body_range.clone()],
        body_range.start as u64,
    ));
    let features = validator.features;
    let mut validator = validator.into_validator(FuncValidatorAllocations::default());
    let wrap = |e| CompileError::from_wasmparser(e, Some(func.0));
    let mut reader = body.get_binary_reader();
    validator.read_locals(&mut reader).map_err(wrap)?;
    reader.set_features(features);
    let consts = loop_consts::loop_constants(reader.clone());
    let mut t = Translator::new(info, func, &validator, consts)?;
    t.fuel_enabled = config.fuel;
    if !t.consts.is_empty() {
        // Before any label: no branch re-runs it.
        t.code.push(Instr::ConstInit {
            start: t.locals_end as Slot,
            count: t.consts.len() as u32,
        });
    }
    t.open_fuel_region();
    let mut ops = OperatorsReader::new(reader);
    while !ops.eof() {
        let offset = ops.original_position();
        let op = ops.read().map_err(wrap)?;
        validator.op(offset, &op).map_err(wrap)?;
        t.offset = offset;
        t.operator(&op)?;
    }
    ops.finish().map_err(wrap)?;
    t.finish()
}

/// What kind of construct a control frame is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FrameKind {
    Function,
    Block,
    Loop,
    If,
    Else,
    Try,
}

/// A control frame of the translation.
#[derive(Debug)]
struct Frame {
    kind: FrameKind,
    /// Stack length below the frame's parameters.
    height: usize,
    /// Natural slot at `height`.
    base: Slot,
    /// Cells of each parameter.
    params: Vec<u8>,
    /// Cells of each result.
    results: Vec<u8>,
    /// Loop header (the target of branches to a loop).
    start: usize,
    /// Branches to patch with the frame's end.
    branches: Vec<usize>,
    /// The `if`'s conditional jump to patch with the start of `else` (or the end).
    else_jump: Option<usize>,
    /// The `try_table`'s handler.
    handler: Option<usize>,
    /// Catch clauses (handler, clause) that target this frame's end.
    catch_patches: Vec<(usize, usize)>,
}

impl Frame {
    /// Cells of the values a branch to this frame carries.
    fn label_cells(&self) -> &[u8] {
        if self.kind == FrameKind::Loop {
            &self.params
        } else {
            &self.results
        }
    }
}

pub(crate) struct Translator<'a> {
    info: &'a ModuleInfo,
    func: FuncIndex,
    offset: u64,
    code: Vec<Instr>,
    stack: Vec<Operand>,
    control: Vec<Frame>,
    /// Slot and cell count of each local (parameters first).
    locals: Vec<(Slot, u8)>,
    locals_end: u32,
    param_cells: u32,
    result_cells: u32,
    max_cells: u32,
    pool: Vec<u128>,
    /// Constants in slots of their own from `locals_end` (see `loop_consts`).
    consts: Vec<u64>,
    /// Code index of the instruction that produced the top `Temp`, while
    /// nothing has been emitted or bound after it.
    last_result: Option<usize>,
    /// The code index of the latest label bound at the end of the code
    /// (a branch target or handler), which no fusion may move.
    label_at: Option<usize>,
    /// Whether the code being translated can execute.
    reachable: bool,
    /// Depth of blocks opened inside unreachable code.
    dead_depth: u32,
    /// Fuel: the current region's `ConsumeFuel` (once emitted) and its operator count.
    fuel: Option<(Option<usize>, u32)>,
    fuel_enabled: bool,
    handlers: Vec<crate::func::Handler>,
    /// Catch clauses that return from the function; they jump to a
    /// `Return` appended at the end.
    return_catches: Vec<(usize, usize)>,
    ref_types: Vec<mote_environ::RefType>,
    /// Per local, whether it still holds its initial zero: true for the
    /// declared locals until written. Only tracked along the straight line
    /// from the function entry (`None` from the first operator after which
    /// paths can merge: loop, if, else, end), so that setting such a local
    /// to zero can be left out.
    zeroed_locals: Option<Vec<bool>>,
    /// Index of the last instruction when it is a `Copy` that a next `Copy`
    /// may join (no label bound since).
    joinable_copy: Option<usize>,
}

impl<'a> Translator<'a> {
    fn new(
        info: &'a ModuleInfo,
        func: FuncIndex,
        validator: &FuncValidator<ValidatorResources>,
        consts: Vec<u64>,
    ) -> Result<Self, CompileError> {
        let ty = info.func_type_of(func);
        let mut locals = Vec::new();
        let mut next = 0u32;
        for i in 0..validator.len_locals() {
            let cells = validator.get_local_type(i).map_or(1, stack::cells_of);
            locals.push((next as Slot, cells));
            next += cells as u32;
            if next > u16::MAX as u32 {
                return Err(CompileError::unsupported(
                    "function has too many locals for the interpreter",
                    0,
                    Some(func.0),
                ));
            }
        }
        let param_cells = ty.param_cells() as u32;
        let result_cells = ty.result_cells() as u32;
        let temps = next + consts.len() as u32;
        if temps > u16::MAX as u32 {
            return Err(CompileError::unsupported(
                "function has too many locals for the interpreter",
                0,
                Some(func.0),
            ));
        }
        let mut t = Translator {
            info,
            func,
            offset: 0,
            code: Vec::new(),
            stack: Vec::new(),
            control: Vec::new(),
            locals,
            locals_end: next,
            param_cells,
            result_cells,
            max_cells: temps.max(result_cells),
            pool: Vec::new(),
            consts,
            last_result: None,
            label_at: None,
            reachable: true,
            dead_depth: 0,
            fuel: None,
            fuel_enabled: false,
            handlers: Vec::new(),
            return_catches: Vec::new(),
            ref_types: Vec::new(),
            zeroed_locals: None,
            joinable_copy: None,
        };
        t.zeroed_locals = Some(t.locals.iter().map(|&(slot, _)| slot as u32 >= param_cells).collect());
        t.control.push(Frame {
            kind: FrameKind::Function,
            height: 0,
            base: temps as Slot,
            params: Vec::new(),
            results: ty.results().iter().map(|v| v.cells() as u8).collect(),
            start: 0,
            branches: Vec::new(),
            else_jump: None,
            handler: None,
            catch_patches: Vec::new(),
        });
        Ok(t)
    }

    fn finish(mut self) -> Result<CompiledFunc, CompileError> {
        self.close_fuel_region();
        if !self.return_catches.is_empty() {
            let at = self.code.len() as u32;
            self.code.push(Instr::Return {});
            for &(h, c) in &self.return_catches {
                self.handlers[h].catches[c].target = at;
            }
        }
        if self.max_cells > u16::MAX as u32 {
            return Err(CompileError::unsupported(
                "function needs too many value cells for the interpreter",
                self.offset,
                Some(self.func.0),
            ));
        }
        Ok(CompiledFunc {
            code: self.code.into(),
            frame_cells: self.max_cells as u16,
            param_cells: self.param_cells as u16,
            local_cells: self.locals_end as u16,
            pool: self.pool.into(),
            consts: self.consts.into(),
            handlers: self.handlers.into(),
            ref_types: self.ref_types.into(),
        })
    }

    fn unsupported(&self, what: &str) -> CompileError {
        CompileError::unsupported(
            alloc::format!("{what} is not supported by the interpreter yet"),
            self.offset,
            Some(self.func.0),
        )
    }

    /// Emits an instruction, preceded by the fuel charge of its region if
    /// it is the region's first.
    fn emit(&mut self, instr: Instr) -> usize {
        self.last_result = None;
        if let Some((at @ None, _)) = &mut self.fuel {
            *at = Some(self.code.len());
            self.code.push(Instr::ConsumeFuel { amount: 0 });
        }
        if let Instr::Copy { dst: dst1, src: src1 } = instr {
            if let Some(at) = self.joinable_copy.take().filter(|&at| at + 1 == self.code.len())
                && let Instr::Copy { dst: dst0, src: src0 } = self.code[at]
            {
                self.code[at] = Instr::Copy2 { dst0, src0, dst1, src1 };
                return at;
            }
            self.code.push(instr);
            self.joinable_copy = Some(self.code.len() - 1);
            return self.code.len() - 1;
        }
        self.joinable_copy = None;
        self.code.push(instr);
        self.code.len() - 1
    }

    /// Emits an instruction producing the new top of the stack at its natural slot.
    fn emit_result(&mut self, instr: Instr, cells: u8) {
        let slot = self.next_slot();
        let at = self.emit(instr);
        self.push_temp(slot, cells);
        self.last_result = Some(at);
    }

    /// Starts a new fuel region, charged once when control enters it. Its
    /// `ConsumeFuel` is emitted with the region's first instruction, so a
    /// label bound here lands on the charge, and a region that emits
    /// nothing costs nothing.
    fn open_fuel_region(&mut self) {
        if !self.fuel_enabled {
            return;
        }
        self.close_fuel_region();
        self.fuel = Some((None, 0));
    }

    /// Emits the current region's charge now if the region has counted
    /// operators but emitted no instruction yet (only `try_table`s, say, or
    /// a constant that was dropped), because a label bound next starts a
    /// new region and those operators would otherwise go uncharged.
    /// Compiled code charges a region at its first counted operator, so
    /// this keeps both back ends' fuel equal.
    fn charge_before_label(&mut self) {
        if self.reachable
            && let Some((at @ None, count)) = &mut self.fuel
            && *count > 0
        {
            *at = Some(self.code.len());
            self.code.push(Instr::ConsumeFuel { amount: 0 });
        }
    }

    /// Charges the length-dependent fuel of the bulk operation about to be
    /// emitted, whose length is in `len` (`mote_environ::fuel`); nothing
    /// when fuel is not metered.
    fn charge_length(&mut self, len: Slot, shift: u8) {
        if self.fuel_enabled {
            self.emit(Instr::ConsumeFuelLen { len, shift });
        }
    }

    fn close_fuel_region(&mut self) {
        if let Some((Some(at), count)) = self.fuel.take() {
            self.code[at] = Instr::ConsumeFuel { amount: count };
        }
    }

    /// Charges one unit for `op`; structure and `nop`/`drop` are free, as
    /// in wasmtime.
    fn count_fuel(&mut self, op: &wasmparser::Operator<'_>) {
        use wasmparser::Operator as O;
        if matches!(
            op,
            O::Block { .. } | O::Loop { .. } | O::End | O::Else | O::Nop | O::Drop
        ) {
            return;
        }
        if let Some((_, count)) = &mut self.fuel {
            *count += 1;
        }
    }

    /// Translates one operator.
    fn operator(&mut self, op: &wasmparser::Operator<'_>) -> Result<(), CompileError> {
        use wasmparser::Operator as O;
        if !self.reachable {
            return self.dead_operator(op);
        }
        self.count_fuel(op);
        match op {
            O::Block { .. } | O::Loop { .. } | O::If { .. } | O::Else | O::End | O::TryTable { .. } => {
                // Entering a block keeps the straight line from the entry;
                // every other control operator can merge paths.
                if !matches!(op, O::Block { .. }) {
                    self.zeroed_locals = None;
                }
                let result = self.control_op(op);
                // A label may have been bound at the end of the code.
                self.joinable_copy = None;
                result
            }
            O::Throw { .. } | O::ThrowRef => self.throw_op(op),
            O::Br { .. }
            | O::BrIf { .. }
            | O::BrTable { .. }
            | O::Return
            | O::Unreachable
            | O::Nop
            | O::BrOnNull { .. }
            | O::BrOnNonNull { .. } => {
                let result = self.branch_op(op);
                // `br_table` binds labels for its out-of-line moves.
                self.joinable_copy = None;
                result
            }
            O::Call { .. }
            | O::CallIndirect { .. }
            | O::CallRef { .. }
            | O::ReturnCall { .. }
            | O::ReturnCallIndirect { .. }
            | O::ReturnCallRef { .. } => self.call_op(op),
            _ => {
                if self.variable_op(op)?
                    || self.numeric_op(op)?
                    || self.memory_op(op)?
                    || self.simd_op(op)?
                    || self.gc_op(op)?
                {
                    Ok(())
                } else {
                    Err(self.unsupported(&alloc::format!("{op:?}")))
                }
            }
        }
    }

    /// Follows block structure through unreachable code without emitting.
    fn dead_operator(&mut self, op: &wasmparser::Operator<'_>) -> Result<(), CompileError> {
        use wasmparser::Operator as O;
        match op {
            O::Block { .. } | O::Loop { .. } | O::If { .. } | O::TryTable { .. } => {
                self.dead_depth += 1;
                Ok(())
            }
            O::Else if self.dead_depth == 0 => self.control_op(op),
            O::End if self.dead_depth > 0 => {
                self.dead_depth -= 1;
                Ok(())
            }
            O::End => self.control_op(op),
            _ => Ok(()),
        }
    }
}
