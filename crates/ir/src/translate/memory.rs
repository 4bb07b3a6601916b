//! Memory and table operators.

use super::Translator;
use super::stack::Operand;
use crate::instr::{Instr, Slot};
use mote_environ::CompileError;
use mote_environ::wasmparser::{MemArg, MemArgTarget, Operator as O};

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

    fn load(&mut self, memarg: &MemArg, make: impl FnOnce(Slot, Slot, u16, u32) -> Instr) {
        let addr = self.pop();
        let (addr, mem, offset) = self.address(addr, memarg);
        let dst = self.next_slot();
        self.emit_result(make(dst, addr, mem, offset), 1);
    }

    pub(super) fn store(&mut self, memarg: &MemArg, make: impl FnOnce(Slot, Slot, u16, u32) -> Instr) {
        let value = self.pop();
        let addr = self.pop();
        let value = self.use_operand(value);
        let (addr, mem, offset) = self.address(addr, memarg);
        self.emit(make(addr, value, mem, offset));
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
        macro_rules! loads {
            ($($name:ident),*) => {
                match op {
                    $(O::$name { memarg } => {
                        self.load(memarg, |dst, addr, mem, offset| Instr::$name { dst, addr, mem, offset });
                        return Ok(true);
                    })*
                    _ => {}
                }
            };
        }
        macro_rules! stores {
            ($($name:ident),*) => {
                match op {
                    $(O::$name { memarg } => {
                        self.store(memarg, |addr, value, mem, offset| Instr::$name { addr, value, mem, offset });
                        return Ok(true);
                    })*
                    _ => {}
                }
            };
        }
        loads!(
            I32Load, I64Load, F32Load, F64Load, I32Load8S, I32Load8U, I32Load16S, I32Load16U, I64Load8S, I64Load8U,
            I64Load16S, I64Load16U, I64Load32S, I64Load32U
        );
        stores!(
            I32Store, I64Store, I32Store8, I32Store16, I64Store8, I64Store16, I64Store32
        );
        match *op {
            O::F32Store { ref memarg } => self.store(memarg, |addr, value, mem, offset| Instr::I32Store {
                addr,
                value,
                mem,
                offset,
            }),
            O::F64Store { ref memarg } => self.store(memarg, |addr, value, mem, offset| Instr::I64Store {
                addr,
                value,
                mem,
                offset,
            }),
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
                self.emit(Instr::MemoryFill { dst, value, len, mem });
            }
            O::MemoryCopy { dst_mem, src_mem } => {
                let (dst, src, len) = self.pop3();
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
                self.emit(Instr::TableFill { dst, value, len, table });
            }
            O::TableCopy { dst_table, src_table } => {
                let (dst, src, len) = self.pop3();
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
