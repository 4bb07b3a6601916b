//! Structured control flow, branches and calls.
//!
//! Every label has a fixed layout: its values sit in consecutive natural
//! slots starting at the frame's `base`. A branch copies the values it
//! carries there (copies run in ascending slot order, which is safe because
//! a value's source slot is never below its destination), then jumps.

use super::stack::{Src, cells_of};
use super::{Frame, FrameKind, Translator};
use crate::instr::{Instr, Slot};
use alloc::vec::Vec;
use mote_environ::wasmparser::{self, BlockType, Operator as O};
use mote_environ::{CompileError, FuncIndex, TypeIndex};

impl Translator<'_> {
    fn block_type(&self, ty: BlockType) -> (Vec<u8>, Vec<u8>) {
        match ty {
            BlockType::Empty => (Vec::new(), Vec::new()),
            BlockType::Type(t) => (Vec::new(), Vec::from([cells_of(t)])),
            BlockType::FuncType(idx) => {
                let f = self.info.func_type(TypeIndex(idx));
                (
                    f.params().iter().map(|v| v.cells() as u8).collect(),
                    f.results().iter().map(|v| v.cells() as u8).collect(),
                )
            }
        }
    }

    /// Opens a frame: parameters and any deferred locals are written out so
    /// that every path into and out of the block agrees on where values are.
    fn open_frame(&mut self, kind: FrameKind, ty: BlockType) {
        let (params, results) = self.block_type(ty);
        self.materialize_locals();
        let height = self.stack.len() - params.len();
        for i in height..self.stack.len() {
            self.materialize(i);
        }
        let base = self.stack.get(height).map_or_else(|| self.next_slot(), |o| o.slot);
        let end = base as u32 + results.iter().map(|&c| c as u32).sum::<u32>();
        self.reserve(end);
        self.last_result = None;
        if kind == FrameKind::Loop {
            self.label_at = Some(self.code.len());
        }
        self.control.push(Frame {
            kind,
            height,
            base,
            params,
            results,
            start: self.code.len(),
            branches: Vec::new(),
            else_jump: None,
            handler: None,
            catch_patches: Vec::new(),
        });
    }

    /// Resets the stack to the frame's height plus `cells` values as temporaries.
    fn reset_stack(&mut self, height: usize, base: Slot, cells: &[u8]) {
        self.stack.truncate(height);
        let mut slot = base;
        for &c in cells {
            self.push_temp(slot, c);
            slot += c as Slot;
        }
    }

    /// Points the branch at `at` to `target`.
    pub(super) fn patch(&mut self, at: usize, target: usize) {
        if target == self.code.len() {
            self.label_at = Some(target);
        }
        let offset = target as i32 - at as i32;
        match self.code[at].branch_offset_mut() {
            Some(o) => *o = offset,
            None => unreachable!("not a branch: {:?}", self.code[at]),
        }
    }

    pub(super) fn control_op(&mut self, op: &O<'_>) -> Result<(), CompileError> {
        match *op {
            O::Block { blockty } => self.open_frame(FrameKind::Block, blockty),
            O::Loop { blockty } => {
                // The fuel charge is the loop header, so every iteration pays.
                self.charge_before_label();
                self.open_frame(FrameKind::Loop, blockty);
                self.open_fuel_region();
            }
            O::If { blockty } => {
                let (_, on_false) = self.pop_condition();
                self.open_frame(FrameKind::If, blockty);
                let jump = self.emit_conditional(on_false);
                self.control.last_mut().expect("frame").else_jump = Some(jump);
                self.open_fuel_region();
            }
            O::Else => {
                if self.reachable {
                    self.write_results();
                    let jump = self.emit(Instr::Br { offset: 0 });
                    self.control.last_mut().expect("frame").branches.push(jump);
                }
                let frame = self.control.last_mut().expect("frame");
                frame.kind = FrameKind::Else;
                let jump = frame.else_jump.take().expect("if frame");
                let (height, base, params) = (frame.height, frame.base, frame.params.clone());
                let here = self.code.len();
                self.patch(jump, here);
                self.reset_stack(height, base, &params);
                self.reachable = true;
                self.last_result = None;
                self.open_fuel_region();
            }
            O::End => self.end_frame(),
            O::TryTable { ref try_table } => self.try_table(try_table),
            _ => unreachable!(),
        }
        Ok(())
    }

    /// Opens a `try_table`: a block whose code range gets a handler entry.
    fn try_table(&mut self, try_table: &wasmparser::TryTable) {
        self.open_frame(FrameKind::Try, try_table.ty);
        let h = self.handlers.len();
        let mut catches = Vec::with_capacity(try_table.catches.len());
        for (c, catch) in try_table.catches.iter().enumerate() {
            use wasmparser::Catch as C;
            let (tag, label, with_ref) = match *catch {
                C::One { tag, label } => (Some(tag), label, false),
                C::OneRef { tag, label } => (Some(tag), label, true),
                C::All { label } => (None, label, false),
                C::AllRef { label } => (None, label, true),
            };
            // Catch labels are relative to the block around the try_table.
            let index = self.control.len() - 2 - label as usize;
            let frame = &mut self.control[index];
            let (dest, target) = match frame.kind {
                FrameKind::Loop => (frame.base, frame.start as u32),
                FrameKind::Function => {
                    self.return_catches.push((h, c));
                    (0, 0)
                }
                _ => {
                    frame.catch_patches.push((h, c));
                    (frame.base, 0)
                }
            };
            catches.push(crate::func::Catch {
                tag,
                with_ref,
                dest,
                target,
            });
        }
        self.handlers.push(crate::func::Handler {
            start: self.code.len() as u32,
            end: u32::MAX,
            catches: catches.into(),
        });
        self.control.last_mut().expect("frame").handler = Some(h);
    }

    pub(super) fn throw_op(&mut self, op: &O<'_>) -> Result<(), CompileError> {
        match *op {
            O::Throw { tag_index } => {
                let ty = self.info.tags[tag_index as usize];
                let n = self.info.func_type(ty).params().len();
                let base = self.call_args(n);
                self.emit(Instr::Throw { tag: tag_index, base });
            }
            O::ThrowRef => {
                let src = self.pop_slot();
                self.emit(Instr::ThrowRef { src });
            }
            _ => unreachable!(),
        }
        self.reachable = false;
        Ok(())
    }

    /// Writes the values at the top of the stack to the current frame's result slots.
    fn write_results(&mut self) {
        let n = self.control.last().expect("frame").results.len();
        let first = self.stack.len() - n;
        for i in first..self.stack.len() {
            self.materialize(i);
        }
    }

    fn end_frame(&mut self) {
        let frame = self.control.last().expect("frame");
        if frame.kind == FrameKind::Function {
            if self.reachable {
                self.emit_return();
            }
            self.control.pop();
            return;
        }
        if let Some(h) = frame.handler {
            self.handlers[h].end = self.code.len() as u32;
        }
        if self.reachable {
            self.write_results();
        }
        let frame = self.control.pop().expect("frame");
        // A label only fallen into continues the straight line before it,
        // so its code belongs to the fuel region already charged.
        let new_region = frame.else_jump.is_some() || !frame.branches.is_empty() || !frame.catch_patches.is_empty();
        if new_region {
            self.charge_before_label();
        }
        let here = self.code.len();
        self.label_at = Some(here);
        for &(h, c) in &frame.catch_patches {
            self.handlers[h].catches[c].target = here as u32;
        }
        if let Some(jump) = frame.else_jump {
            self.patch(jump, here);
        }
        for &b in &frame.branches {
            self.patch(b, here);
        }
        self.reset_stack(frame.height, frame.base, &frame.results);
        self.reachable = true;
        self.last_result = None;
        if new_region {
            self.open_fuel_region();
        }
    }

    /// Emits the copies that put the branch values (top of stack) into the
    /// label slots of the frame `depth` levels out. Returns whether any
    /// instruction was emitted.
    fn emit_branch_copies(&mut self, depth: u32) -> bool {
        let frame = &self.control[self.control.len() - 1 - depth as usize];
        let mut dst = frame.base;
        let n = frame.label_cells().len();
        let first = self.stack.len() - n;
        let mut emitted = false;
        for i in first..self.stack.len() {
            let op = self.stack[i];
            match op.src {
                Src::Temp if op.slot == dst => {}
                Src::Temp if op.cells == 2 => {
                    self.emit(Instr::Copy128 { dst, src: op.slot });
                    emitted = true;
                }
                Src::Temp => {
                    self.emit(Instr::Copy { dst, src: op.slot });
                    emitted = true;
                }
                src => {
                    self.emit_move(dst, src, op.cells);
                    emitted = true;
                }
            }
            dst += op.cells as Slot;
        }
        emitted
    }

    /// Whether a branch to `depth` needs copies before jumping.
    fn branch_needs_copies(&self, depth: u32) -> bool {
        let frame = &self.control[self.control.len() - 1 - depth as usize];
        let n = frame.label_cells().len();
        let mut dst = frame.base;
        for op in &self.stack[self.stack.len() - n..] {
            if op.src != Src::Temp || op.slot != dst {
                return true;
            }
            dst += op.cells as Slot;
        }
        false
    }

    /// Emits a jump (with offset to patch) to the label at `depth`.
    fn emit_jump(&mut self, depth: u32, instr: Instr) {
        let index = self.control.len() - 1 - depth as usize;
        let at = self.emit_conditional(instr);
        let frame = &mut self.control[index];
        if frame.kind == FrameKind::Loop {
            let start = frame.start;
            self.patch(at, start);
        } else {
            frame.branches.push(at);
        }
    }

    fn is_return_target(&self, depth: u32) -> bool {
        depth as usize == self.control.len() - 1
    }

    /// Unconditional branch: copies, then jump (or return).
    fn branch(&mut self, depth: u32) {
        if self.is_return_target(depth) {
            self.emit_return();
        } else {
            self.emit_branch_copies(depth);
            self.emit_jump(depth, Instr::Br { offset: 0 });
        }
    }

    /// Branch taken when `skip_if` (a jump over the branch, to be patched)
    /// does not jump. Uses one conditional jump when no copies are needed.
    pub(super) fn conditional_branch(&mut self, depth: u32, direct: Instr, skip: Instr) {
        if !self.is_return_target(depth) && !self.branch_needs_copies(depth) {
            self.emit_jump(depth, direct);
        } else {
            let skip_at = self.emit_conditional(skip);
            self.branch(depth);
            let here = self.code.len();
            self.patch(skip_at, here);
        }
    }

    /// Emits the copies of the function's results to slots `0..` and `Return`.
    pub(super) fn emit_return(&mut self) {
        let n = self.control[0].results.len();
        let first = self.stack.len() - n;
        if let [op] = self.stack[first..]
            && op.cells == 1
        {
            let src = match op.src {
                Src::Temp => Some(op.slot),
                Src::Local(s) => Some(s),
                _ => None,
            };
            if let Some(src) = src.filter(|&s| s != 0) {
                self.emit(Instr::ReturnSlot { src });
                return;
            }
        }
        // Results go to slots that may hold locals still read by later copies.
        let clobbers = self.stack[first..]
            .iter()
            .any(|o| matches!(o.src, Src::Local(s) if (s as u32) < self.result_cells));
        if clobbers {
            for i in first..self.stack.len() {
                if matches!(self.stack[i].src, Src::Local(_)) {
                    self.materialize(i);
                }
            }
        }
        let mut dst: Slot = 0;
        for i in first..self.stack.len() {
            let op = self.stack[i];
            match op.src {
                Src::Temp if op.slot == dst => {}
                Src::Temp if op.cells == 2 => {
                    self.emit(Instr::Copy128 { dst, src: op.slot });
                }
                Src::Temp => {
                    self.emit(Instr::Copy { dst, src: op.slot });
                }
                src => self.emit_move(dst, src, op.cells),
            }
            dst += op.cells as Slot;
        }
        self.emit(Instr::Return {});
    }

    pub(super) fn branch_op(&mut self, op: &O<'_>) -> Result<(), CompileError> {
        match op {
            O::Nop => {}
            O::Unreachable => {
                self.emit(Instr::Unreachable {});
                self.reachable = false;
            }
            O::Return => {
                self.emit_return();
                self.reachable = false;
            }
            O::Br { relative_depth } => {
                self.branch(*relative_depth);
                self.reachable = false;
            }
            O::BrIf { relative_depth } => {
                let (on_true, on_false) = self.pop_condition();
                self.conditional_branch(*relative_depth, on_true, on_false);
                self.open_fuel_region();
            }
            O::BrOnNull { relative_depth } => {
                let r = self.pop();
                let src = self.use_operand(r);
                self.conditional_branch(
                    *relative_depth,
                    Instr::BrOnNull { src, offset: 0 },
                    Instr::BrOnNonNull { src, offset: 0 },
                );
                self.push_operand_back(r, src);
                self.open_fuel_region();
            }
            O::BrOnNonNull { relative_depth } => {
                let r = self.pop();
                let src = self.use_operand(r);
                self.push_operand_back(r, src);
                self.conditional_branch(
                    *relative_depth,
                    Instr::BrOnNonNull { src, offset: 0 },
                    Instr::BrOnNull { src, offset: 0 },
                );
                self.pop();
                self.open_fuel_region();
            }
            O::BrTable { targets } => self.br_table(targets)?,
            _ => unreachable!(),
        }
        Ok(())
    }

    /// `br_on_cast` / `br_on_cast_fail`: the reference stays on the stack
    /// and is the last value the branch carries.
    pub(super) fn br_on_cast(&mut self, depth: u32, target: u32, fail: bool) {
        let r = self.pop();
        let src = self.use_operand(r);
        self.push_operand_back(r, src);
        self.conditional_branch(
            depth,
            Instr::BrOnCast {
                src,
                target,
                offset: 0,
                fail,
            },
            Instr::BrOnCast {
                src,
                target,
                offset: 0,
                fail: !fail,
            },
        );
        self.open_fuel_region();
    }

    /// Pushes back a popped reference operand after it was read from `slot`.
    pub(super) fn push_operand_back(&mut self, op: super::stack::Operand, slot: Slot) {
        let src = if slot == op.slot { Src::Temp } else { op.src };
        self.stack.push(super::stack::Operand { src, ..op });
    }

    fn br_table(&mut self, targets: &wasmparser::BrTable<'_>) -> Result<(), CompileError> {
        let func = self.func.0;
        let wrap = |e| CompileError::from_wasmparser(e, Some(func));
        let index = self.pop_slot();
        let mut depths = Vec::with_capacity(targets.len() as usize + 1);
        for t in targets.targets() {
            depths.push(t.map_err(wrap)?);
        }
        depths.push(targets.default());
        self.emit(Instr::BrTable {
            index,
            len: depths.len() as u32 - 1,
        });
        let table_start = self.code.len();
        let mut trampolines = Vec::new();
        for &depth in &depths {
            if !self.is_return_target(depth) && !self.branch_needs_copies(depth) {
                self.emit_jump(depth, Instr::Br { offset: 0 });
            } else {
                trampolines.push((self.emit(Instr::Br { offset: 0 }), depth));
            }
        }
        debug_assert_eq!(self.code.len(), table_start + depths.len());
        for (at, depth) in trampolines {
            let here = self.code.len();
            self.patch(at, here);
            self.branch(depth);
        }
        self.reachable = false;
        Ok(())
    }

    pub(super) fn call_op(&mut self, op: &O<'_>) -> Result<(), CompileError> {
        match *op {
            O::Call { function_index } => {
                let ty = self.info.func_type_of(FuncIndex(function_index)).clone();
                let base = self.call_args(ty.params().len());
                self.emit(Instr::Call {
                    func: function_index,
                    base,
                });
                self.call_results(base, &ty);
            }
            O::ReturnCall { function_index } => {
                let ty = self.info.func_type_of(FuncIndex(function_index)).clone();
                let base = self.call_args(ty.params().len());
                self.emit(Instr::ReturnCall {
                    func: function_index,
                    base,
                });
                self.reachable = false;
            }
            O::CallIndirect {
                type_index,
                table_index,
            }
            | O::ReturnCallIndirect {
                type_index,
                table_index,
            } => {
                let ty = self.info.func_type(TypeIndex(type_index)).clone();
                let index = self.pop_slot();
                let base = self.call_args(ty.params().len());
                if matches!(op, O::CallIndirect { .. }) {
                    self.emit(Instr::CallIndirect {
                        ty: type_index,
                        table: table_index,
                        index,
                        base,
                    });
                    self.call_results(base, &ty);
                } else {
                    self.emit(Instr::ReturnCallIndirect {
                        ty: type_index,
                        table: table_index,
                        index,
                        base,
                    });
                    self.reachable = false;
                }
            }
            O::CallRef { type_index } | O::ReturnCallRef { type_index } => {
                let ty = self.info.func_type(TypeIndex(type_index)).clone();
                let callee = self.pop_slot();
                let base = self.call_args(ty.params().len());
                if matches!(op, O::CallRef { .. }) {
                    self.emit(Instr::CallRef { callee, base });
                    self.call_results(base, &ty);
                } else {
                    self.emit(Instr::ReturnCallRef { callee, base });
                    self.reachable = false;
                }
            }
            _ => unreachable!(),
        }
        Ok(())
    }

    /// Writes the `n` arguments on top of the stack to their natural slots,
    /// pops them, and returns where they start.
    pub(super) fn call_args(&mut self, n: usize) -> Slot {
        let first = self.stack.len() - n;
        for i in first..self.stack.len() {
            self.materialize(i);
        }
        let base = self.stack.get(first).map_or_else(|| self.next_slot(), |o| o.slot);
        self.stack.truncate(first);
        base
    }

    /// Pushes a call's results, which the callee left at `base`.
    fn call_results(&mut self, base: Slot, ty: &mote_environ::FuncType) {
        debug_assert_eq!(base, self.next_slot());
        self.reserve(base as u32 + ty.result_cells() as u32);
        let mut slot = base;
        for r in ty.results() {
            let cells = r.cells() as u8;
            self.push_temp(slot, cells);
            slot += cells as Slot;
        }
    }
}
