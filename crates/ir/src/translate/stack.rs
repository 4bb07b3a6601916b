//! The simulated operand stack, and the operators that only move values:
//! constants, locals, globals, `drop` and `select`.

use super::Translator;
use crate::instr::{Instr, Slot};
use mote_environ::wasmparser::{self, Operator as O};
use mote_environ::{CompileError, GlobalIndex, ValType};

/// Where an operand's value currently is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Src {
    /// In its natural slot.
    Temp,
    /// Still in this local's slot.
    Local(Slot),
    /// A scalar constant not yet written.
    Const(u64),
    /// A `v128` constant (index into the pool) not yet written.
    ConstV128(u32),
}

/// One entry of the simulated operand stack.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operand {
    pub src: Src,
    /// Natural slot: where the value lives when written out.
    pub slot: Slot,
    /// 1, or 2 for `v128`.
    pub cells: u8,
}

/// Cells a `wasmparser` value type occupies.
pub(crate) fn cells_of(ty: wasmparser::ValType) -> u8 {
    match ty {
        wasmparser::ValType::V128 => 2,
        _ => 1,
    }
}

impl Translator<'_> {
    /// The natural slot of the next value pushed.
    pub(super) fn next_slot(&self) -> Slot {
        match self.stack.last() {
            Some(top) => top.slot + top.cells as Slot,
            None => self.control[0].base,
        }
    }

    fn push(&mut self, src: Src, cells: u8) {
        let slot = self.next_slot();
        let end = slot as u32 + cells as u32;
        self.max_cells = self.max_cells.max(end);
        self.stack.push(Operand { src, slot, cells });
    }

    pub(super) fn push_temp(&mut self, slot: Slot, cells: u8) {
        debug_assert_eq!(slot, self.next_slot());
        self.push(Src::Temp, cells);
    }

    /// Reserves frame cells up to `end` (for call arguments and results).
    pub(super) fn reserve(&mut self, end: u32) {
        self.max_cells = self.max_cells.max(end);
    }

    pub(super) fn pop(&mut self) -> Operand {
        self.stack.pop().expect("validated: operand stack underflow")
    }

    /// Emits the instruction that writes `src` into `dst`.
    pub(super) fn emit_move(&mut self, dst: Slot, src: Src, cells: u8) {
        let instr = match src {
            Src::Temp => unreachable!("a Temp is already in place"),
            Src::Local(s) if cells == 2 => Instr::Copy128 { dst, src: s },
            Src::Local(s) => Instr::Copy { dst, src: s },
            Src::Const(v) if v <= u32::MAX as u64 => Instr::Const32 { dst, val: v as u32 },
            Src::Const(v) => Instr::Const64 {
                dst,
                lo: v as u32,
                hi: (v >> 32) as u32,
            },
            Src::ConstV128(index) => Instr::ConstV128 { dst, index },
        };
        self.emit(instr);
    }

    /// Writes the stack entry at `index` to its natural slot.
    pub(super) fn materialize(&mut self, index: usize) {
        let op = self.stack[index];
        if op.src != Src::Temp {
            self.emit_move(op.slot, op.src, op.cells);
            self.stack[index].src = Src::Temp;
        }
    }

    /// Writes every entry that still lives in a local to its natural slot.
    pub(super) fn materialize_locals(&mut self) {
        for i in 0..self.stack.len() {
            if matches!(self.stack[i].src, Src::Local(_)) {
                self.materialize(i);
            }
        }
    }

    /// The slot an instruction reads a popped operand from.
    pub(super) fn use_operand(&mut self, op: Operand) -> Slot {
        match op.src {
            Src::Temp => op.slot,
            Src::Local(s) => s,
            Src::Const(v) if let Some(i) = self.consts.iter().position(|&c| c == v) => {
                self.locals_end as Slot + i as Slot
            }
            Src::Const(_) | Src::ConstV128(_) => {
                self.emit_move(op.slot, op.src, op.cells);
                op.slot
            }
        }
    }

    /// Pops an operand and returns the slot to read it from.
    pub(super) fn pop_slot(&mut self) -> Slot {
        let op = self.pop();
        self.use_operand(op)
    }

    fn local(&self, index: u32) -> (Slot, u8) {
        self.locals[index as usize]
    }

    /// Makes the last instruction write `to` instead of `from` when it is
    /// the one that produced the value at `from` and nothing came after it.
    fn retarget_last(&mut self, from: Slot, to: Slot) -> bool {
        let Some(at) = self.last_result.filter(|&at| at + 1 == self.code.len()) else {
            return false;
        };
        match self.code[at].result_slot_mut() {
            Some(dst) if *dst == from => {
                *dst = to;
                self.last_result = None;
                self.join_in_place_adds(at);
                true
            }
            _ => false,
        }
    }

    /// `local.set`: writes the popped value into the local, retargeting the
    /// instruction that produced it when that is safe.
    fn set_local(&mut self, index: u32) {
        let (slot, cells) = self.local(index);
        let value = self.pop();
        if let Some(zeroed) = &mut self.zeroed_locals {
            // Compilers zero locals explicitly at function entry; the frame
            // already did.
            if zeroed[index as usize] && value.src == Src::Const(0) {
                return;
            }
            zeroed[index as usize] = false;
        }
        let aliased = self.stack.iter().any(|o| o.src == Src::Local(slot));
        if value.src == Src::Temp && !aliased && self.retarget_last(value.slot, slot) {
            return;
        }
        if let Src::Local(tee) = value.src
            && tee != slot
            && !aliased
            && self.add_also_to(tee, slot)
        {
            return;
        }
        if aliased {
            for i in 0..self.stack.len() {
                if self.stack[i].src == Src::Local(slot) {
                    self.materialize(i);
                }
            }
        }
        match value.src {
            Src::Local(s) if s == slot => {}
            Src::Temp if cells == 2 => {
                self.emit(Instr::Copy128 {
                    dst: slot,
                    src: value.slot,
                });
            }
            Src::Temp => {
                self.emit(Instr::Copy {
                    dst: slot,
                    src: value.slot,
                });
            }
            src => self.emit_move(slot, src, cells),
        }
    }

    /// Operators that move values. Returns `false` for other operators.
    pub(super) fn variable_op(&mut self, op: &O<'_>) -> Result<bool, CompileError> {
        match *op {
            O::I32Const { value } => self.push(Src::Const(value as u32 as u64), 1),
            O::I64Const { value } => self.push(Src::Const(value as u64), 1),
            O::F32Const { value } => self.push(Src::Const(value.bits() as u64), 1),
            O::F64Const { value } => self.push(Src::Const(value.bits()), 1),
            O::V128Const { value } => {
                let index = self.pool.len() as u32;
                self.pool.push(value.i128() as u128);
                self.push(Src::ConstV128(index), 2);
            }
            O::RefNull { .. } => self.push(Src::Const(0), 1),
            O::LocalGet { local_index } => {
                let (slot, cells) = self.local(local_index);
                self.push(Src::Local(slot), cells);
            }
            O::LocalSet { local_index } => self.set_local(local_index),
            O::LocalTee { local_index } => {
                self.set_local(local_index);
                let (slot, cells) = self.local(local_index);
                self.push(Src::Local(slot), cells);
            }
            O::GlobalGet { global_index } => {
                let ty = self.info.global_type(GlobalIndex(global_index)).content;
                let dst = self.next_slot();
                if ty == ValType::V128 {
                    self.emit(Instr::GlobalGetV128 {
                        dst,
                        global: global_index,
                    });
                    self.push_temp(dst, 2);
                } else {
                    self.emit_result(
                        Instr::GlobalGet {
                            dst,
                            global: global_index,
                        },
                        1,
                    );
                }
            }
            O::GlobalSet { global_index } => {
                let value = self.pop();
                let src = self.use_operand(value);
                self.emit(if value.cells == 2 {
                    Instr::GlobalSetV128 {
                        src,
                        global: global_index,
                    }
                } else {
                    Instr::GlobalSet {
                        src,
                        global: global_index,
                    }
                });
            }
            O::Drop => {
                self.pop();
            }
            O::Select | O::TypedSelect { .. } | O::TypedSelectMulti { .. } => {
                let cond = self.pop_slot();
                let b = self.pop();
                let a = self.pop();
                let b = self.use_operand(b);
                let cells = a.cells;
                let a = self.use_operand(a);
                let dst = self.next_slot();
                if cells == 2 {
                    self.emit(Instr::Select128 { dst, cond, a, b });
                    self.push_temp(dst, 2);
                } else {
                    self.emit_result(Instr::Select { dst, cond, a, b }, 1);
                }
            }
            O::RefFunc { function_index } => {
                let dst = self.next_slot();
                self.emit_result(
                    Instr::RefFunc {
                        dst,
                        func: function_index,
                    },
                    1,
                );
            }
            O::RefIsNull => self.unary(|dst, src| Instr::RefIsNull { dst, src }),
            O::RefAsNonNull => self.unary(|dst, src| Instr::RefAsNonNull { dst, src }),
            O::RefEq => self.binary(|dst, lhs, rhs| Instr::RefEq { dst, lhs, rhs }),
            O::I32ReinterpretF32 | O::F32ReinterpretI32 | O::I64ReinterpretF64 | O::F64ReinterpretI64 => {
                // Values are stored as raw bits, so reinterpretation is free.
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Emits `dst = f(src)` for a one-cell unary operator.
    pub(super) fn unary(&mut self, f: impl FnOnce(Slot, Slot) -> Instr) {
        let src = self.pop_slot();
        let dst = self.next_slot();
        self.emit_result(f(dst, src), 1);
    }

    /// Emits `dst = f(lhs, rhs)` for a one-cell binary operator.
    pub(super) fn binary(&mut self, f: impl FnOnce(Slot, Slot, Slot) -> Instr) {
        let last = self.last_result;
        let rhs_op = self.pop();
        let lhs_op = self.pop();
        let rhs = self.use_operand(rhs_op);
        let lhs = self.use_operand(lhs_op);
        let dst = self.next_slot();
        let instr = f(dst, lhs, rhs);
        let instr = self
            .fuse_load_operand(last, instr, (lhs_op, lhs), (rhs_op, rhs))
            .or_else(|| self.fuse_shifted_index(last, instr, (lhs_op, lhs), (rhs_op, rhs)))
            .unwrap_or(instr);
        self.emit_result(instr, 1);
    }
}
