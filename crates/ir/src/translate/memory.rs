//! Memory and table operators.

use super::Translator;
use super::stack::{Operand, Src};
use crate::instr::{Instr, Slot};
use mote_environ::CompileError;
use mote_environ::fuel::{MEMORY_LENGTH_SHIFT, TABLE_LENGTH_SHIFT};
use mote_environ::wasmparser::{MemArg, MemArgTarget, Operator as O};

/// How a fused address is computed.
enum FusedAddr {
    /// `base + imm`.
    Imm(Slot, i32),
    /// `base + index`.
    Idx(Slot, Slot),
}

/// The three forms of a load or store, each taking two slots, a third
/// operand and the offset: plain (the memory), at an immediate from a slot
/// (the immediate), at the sum of two slots (a load's index, a store's value).
struct AccessForms {
    plain: fn(Slot, Slot, u16, u32) -> Instr,
    at: fn(Slot, Slot, i32, u32) -> Instr,
    idx: fn(Slot, Slot, Slot, u32) -> Instr,
}

impl Translator<'_> {
    /// Resolves a popped address operand and a memarg to the slot and the
    /// 32-bit offset an access instruction takes. Offsets beyond 32 bits
    /// (memory64 only) are added first by a trapping `AddrOffset`.
    pub(super) fn address(&mut self, addr: Operand, memarg: &MemArg) -> (Slot, u16, u32) {
        let slot = self.use_operand(addr);
        let mem = match memarg.target {
            MemArgTarget::Memory(m) => m as u16,
            // Array targets come with a GC proposal that is not enabled.
            MemArgTarget::Array(_) => 0,
        };
        match u32::try_from(memarg.offset) {
            Ok(offset) => (slot, mem, offset),
            Err(_) => {
                self.emit(Instr::AddrOffset {
                    dst: addr.slot,
                    src: slot,
                    lo: memarg.offset as u32,
                    hi: (memarg.offset >> 32) as u32,
                });
                (addr.slot, mem, 0)
            }
        }
    }

    /// When `addr` was computed into a temporary by the last instruction,
    /// as `base + imm` or `base + index`, and the access is to memory 0
    /// with a 32-bit offset: removes the addition, for an access
    /// instruction that adds itself (`...At`, `...Idx`). Compilers emit
    /// such additions for array indexing and for negative offsets, which a
    /// memarg cannot express.
    ///
    /// `clobbered` is a slot written before the access (a store's constant
    /// value), which the fused address must not read.
    fn fused_address(&mut self, addr: Operand, memarg: &MemArg, clobbered: Option<Slot>) -> Option<(FusedAddr, u32)> {
        if addr.src != Src::Temp || memarg.target != MemArgTarget::Memory(0) {
            return None;
        }
        let offset = u32::try_from(memarg.offset).ok()?;
        let at = self.last_result.filter(|&at| at + 1 == self.code.len())?;
        let reads = |s: Slot| Some(s) == clobbered;
        let fused = match self.code[at] {
            Instr::I32AddImm { dst, lhs, imm } if dst == addr.slot && !reads(lhs) => FusedAddr::Imm(lhs, imm),
            Instr::I32Add { dst, lhs, rhs } if dst == addr.slot && !reads(lhs) && !reads(rhs) => {
                FusedAddr::Idx(lhs, rhs)
            }
            _ => return None,
        };
        self.code.pop();
        self.last_result = None;
        Some((fused, offset))
    }

    fn load(&mut self, memarg: &MemArg, forms: AccessForms) {
        let addr = self.pop();
        let dst = self.next_slot();
        let instr = match self.fused_address(addr, memarg, None) {
            Some((FusedAddr::Imm(base, imm), offset)) => (forms.at)(dst, base, imm, offset),
            Some((FusedAddr::Idx(base, index), offset)) => (forms.idx)(dst, base, index, offset),
            None => {
                let (addr, mem, offset) = self.address(addr, memarg);
                (forms.plain)(dst, addr, mem, offset)
            }
        };
        self.emit_result(instr, 1);
    }

    pub(super) fn store(&mut self, memarg: &MemArg, make: impl FnOnce(Slot, Slot, u16, u32) -> Instr) {
        let value = self.pop();
        let addr = self.pop();
        let value = self.use_operand(value);
        let (addr, mem, offset) = self.address(addr, memarg);
        self.emit(make(addr, value, mem, offset));
    }

    /// A store whose address may fuse with its computation (see [`Self::fused_address`]).
    fn store_fused(&mut self, memarg: &MemArg, forms: AccessForms) {
        let value = self.pop();
        let addr = self.pop();
        // A computed value comes after the address's addition.
        let fused = match value.src {
            Src::Temp => None,
            Src::Local(_) => self.fused_address(addr, memarg, None),
            Src::Const(_) | Src::ConstV128(_) => self.fused_address(addr, memarg, Some(value.slot)),
        };
        let value = self.use_operand(value);
        let instr = match fused {
            Some((FusedAddr::Imm(base, imm), offset)) => (forms.at)(base, value, imm, offset),
            Some((FusedAddr::Idx(base, index), offset)) => (forms.idx)(base, index, value, offset),
            None => {
                let (addr, mem, offset) = self.address(addr, memarg);
                (forms.plain)(addr, value, mem, offset)
            }
        };
        self.emit(instr);
    }

    /// Pops three operands (bulk operations) and returns their slots in push order.
    fn pop3(&mut self) -> (Slot, Slot, Slot) {
        let c = self.pop();
        let b = self.pop();
        let a = self.pop();
        let c = self.use_operand(c);
        let b = self.use_operand(b);
        let a = self.use_operand(a);
        (a, b, c)
    }

    /// Memory and table operators. Returns `false` for other operators.
    pub(super) fn memory_op(&mut self, op: &O<'_>) -> Result<bool, CompileError> {
        if self.access_op(op) {
            return Ok(true);
        }
        self.memory_admin_op(op)
    }

    /// Loads and stores. Returns `false` for other operators.
    fn access_op(&mut self, op: &O<'_>) -> bool {
        macro_rules! accesses {
            ($($name:ident / $at:ident / $idx:ident),* ;
             $($sop:ident => $sname:ident / $sat:ident / $sidx:ident),* $(,)?) => {
                match op {
                    $(O::$name { memarg } => self.load(memarg, AccessForms {
                        plain: |dst, addr, mem, offset| Instr::$name { dst, addr, mem, offset },
                        at: |dst, addr, imm, offset| Instr::$at { dst, addr, imm, offset },
                        idx: |dst, base, index, offset| Instr::$idx { dst, base, index, offset },
                    }),)*
                    $(O::$sop { memarg } => self.store_fused(memarg, AccessForms {
                        plain: |addr, value, mem, offset| Instr::$sname { addr, value, mem, offset },
                        at: |addr, value, imm, offset| Instr::$sat { addr, value, imm, offset },
                        idx: |base, index, value, offset| Instr::$sidx { base, index, value, offset },
                    }),)*
                    _ => return false,
                }
            };
        }
        // Floats have forms of their own, though they move bits like the
        // integers, so that their values can pass in float registers.
        accesses!(
            I32Load / I32LoadAt / I32LoadIdx, I64Load / I64LoadAt / I64LoadIdx,
            F32Load / F32LoadAt / F32LoadIdx, F64Load / F64LoadAt / F64LoadIdx,
            I32Load8S / I32Load8SAt / I32Load8SIdx, I32Load8U / I32Load8UAt / I32Load8UIdx,
            I32Load16S / I32Load16SAt / I32Load16SIdx, I32Load16U / I32Load16UAt / I32Load16UIdx,
            I64Load8S / I64Load8SAt / I64Load8SIdx, I64Load8U / I64Load8UAt / I64Load8UIdx,
            I64Load16S / I64Load16SAt / I64Load16SIdx, I64Load16U / I64Load16UAt / I64Load16UIdx,
            I64Load32S / I64Load32SAt / I64Load32SIdx, I64Load32U / I64Load32UAt / I64Load32UIdx;
            I32Store => I32Store / I32StoreAt / I32StoreIdx, I64Store => I64Store / I64StoreAt / I64StoreIdx,
            F32Store => F32Store / F32StoreAt / F32StoreIdx, F64Store => F64Store / F64StoreAt / F64StoreIdx,
            I32Store8 => I32Store8 / I32Store8At / I32Store8Idx, I32Store16 => I32Store16 / I32Store16At / I32Store16Idx,
            I64Store8 => I64Store8 / I64Store8At / I64Store8Idx, I64Store16 => I64Store16 / I64Store16At / I64Store16Idx,
            I64Store32 => I64Store32 / I64Store32At / I64Store32Idx,
        );
        true
    }

    /// Memory-management and table operators. Returns `false` for others.
    fn memory_admin_op(&mut self, op: &O<'_>) -> Result<bool, CompileError> {
        match *op {
            O::MemorySize { mem } => {
                let dst = self.next_slot();
                self.emit_result(Instr::MemorySize { dst, mem }, 1);
            }
            O::MemoryGrow { mem } => {
                let delta = self.pop_slot();
                let dst = self.next_slot();
                self.emit_result(Instr::MemoryGrow { dst, delta, mem }, 1);
            }
            O::MemoryFill { mem } => {
                let (dst, value, len) = self.pop3();
                self.charge_length(len, MEMORY_LENGTH_SHIFT);
                self.emit(Instr::MemoryFill { dst, value, len, mem });
            }
            O::MemoryCopy { dst_mem, src_mem } => {
                let (dst, src, len) = self.pop3();
                self.charge_length(len, MEMORY_LENGTH_SHIFT);
                self.emit(Instr::MemoryCopy {
                    dst,
                    src,
                    len,
                    dst_mem: dst_mem as u16,
                    src_mem: src_mem as u16,
                });
            }
            O::MemoryInit { data_index, mem } => {
                let (dst, src, len) = self.pop3();
                self.charge_length(len, MEMORY_LENGTH_SHIFT);
                self.emit(Instr::MemoryInit {
                    dst,
                    src,
                    len,
                    mem: mem as u16,
                    data: data_index,
                });
            }
            O::DataDrop { data_index } => {
                self.emit(Instr::DataDrop { data: data_index });
            }
            O::TableGet { table } => {
                let index = self.pop_slot();
                let dst = self.next_slot();
                self.emit_result(Instr::TableGet { dst, index, table }, 1);
            }
            O::TableSet { table } => {
                let value = self.pop();
                let index = self.pop();
                let value = self.use_operand(value);
                let index = self.use_operand(index);
                self.emit(Instr::TableSet { index, value, table });
            }
            O::TableSize { table } => {
                let dst = self.next_slot();
                self.emit_result(Instr::TableSize { dst, table }, 1);
            }
            O::TableGrow { table } => {
                let delta = self.pop();
                let init = self.pop();
                let delta = self.use_operand(delta);
                let init = self.use_operand(init);
                let dst = self.next_slot();
                self.emit_result(
                    Instr::TableGrow {
                        dst,
                        init,
                        delta,
                        table,
                    },
                    1,
                );
            }
            O::TableFill { table } => {
                let (dst, value, len) = self.pop3();
                self.charge_length(len, TABLE_LENGTH_SHIFT);
                self.emit(Instr::TableFill { dst, value, len, table });
            }
            O::TableCopy { dst_table, src_table } => {
                let (dst, src, len) = self.pop3();
                self.charge_length(len, TABLE_LENGTH_SHIFT);
                self.emit(Instr::TableCopy {
                    dst,
                    src,
                    len,
                    dst_table: dst_table as u16,
                    src_table: src_table as u16,
                });
            }
            O::TableInit { elem_index, table } => {
                let (dst, src, len) = self.pop3();
                self.charge_length(len, TABLE_LENGTH_SHIFT);
                self.emit(Instr::TableInit {
                    dst,
                    src,
                    len,
                    table: table as u16,
                    elem: elem_index,
                });
            }
            O::ElemDrop { elem_index } => {
                self.emit(Instr::ElemDrop { elem: elem_index });
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}
