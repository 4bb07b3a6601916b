//! Linear memory: loads and stores with their bounds checks,
//! `memory.size`/`memory.grow`, and bulk memory through libcalls.
//!
//! A memory is reached through the `*mut VMMemoryDefinition` in the
//! `VMContext`; base and length are loaded where used (Cranelift's alias
//! analysis shares them between accesses, as wasm stores are in another
//! alias region), and reloaded after calls, which may grow the memory. A
//! guard-page memory's base never changes, so it is loaded once per
//! function, in the entry block. An access's static offset goes into the
//! load or store instruction's immediate where it fits.

use super::FuncTranslator;
use crate::options::BoundsChecks;
use crate::vmctx::definition_offsets;
use crate::{Error, Libcall};
use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::{
    self, Endianness, InstBuilder, InstructionData, MemFlagsData, Opcode, Type, Value, ValueDef, condcodes::IntCC,
    types,
};
use mote_core::TrapCode;
use mote_environ::fuel::MEMORY_LENGTH_SHIFT;
use wasmparser::{MemArg, Operator as O};

/// How a load widens its result.
#[derive(Clone, Copy)]
enum Ext {
    None,
    S,
    U,
}

impl FuncTranslator<'_, '_> {
    fn memory_def(&mut self, memory: u32) -> Result<Value, Error> {
        if memory as usize >= self.env.info.memories.len() {
            return Err(self.invalid("memory index out of range"));
        }
        let offset = self.env.offsets.memory(memory);
        Ok(self.vmctx_ptr(offset))
    }

    fn is_memory64(&self, memory: u32) -> bool {
        self.env.info.memories.get(memory as usize).is_some_and(|m| m.memory64)
    }

    /// Whether memory `memory` lives in a guard-page reservation: a 32-bit
    /// memory with 64 KiB pages (a custom page size may leave its length
    /// short of a host page, so that the bytes after it do not fault).
    fn guard_paged(&self, memory: u32) -> Option<u64> {
        let ty = self.env.info.memories.get(memory as usize)?;
        match self.env.options.bounds_checks {
            BoundsChecks::GuardPages { reservation } if !ty.memory64 && ty.page_size_log2 == 16 => Some(reservation),
            _ => None,
        }
    }

    fn heap_flags(&self, checked: bool) -> MemFlagsData {
        let flags = MemFlagsData::new()
            .with_endianness(Endianness::Little)
            .with_alias_region(Some(self.heap_region()));
        if checked {
            flags.with_notrap()
        } else {
            flags.with_trap_code(Some(ir::TrapCode::HEAP_OUT_OF_BOUNDS))
        }
    }

    /// Pops an address and returns the native address of the `size`-byte
    /// access at `memarg`, trapping if it is out of bounds, and the flags
    /// the access must use.
    pub(super) fn heap_addr(&mut self, memarg: &MemArg, size: u32) -> Result<(Value, MemFlagsData), Error> {
        let (p, flags, offset) = self.heap_access(memarg, size)?;
        if offset == 0 {
            return Ok((p, flags));
        }
        Ok((self.b.ins().iadd_imm_s(p, i64::from(offset)), flags))
    }

    /// As [`Self::heap_addr`], but leaves the static offset to the access
    /// itself where it fits its 32-bit immediate: the returned address
    /// (memory base plus index) is then shared by the accesses to the
    /// fields of one structure, and the translation makes two instructions
    /// fewer per access.
    fn heap_access(&mut self, memarg: &MemArg, size: u32) -> Result<(Value, MemFlagsData, i32), Error> {
        let wasmparser::MemArgTarget::Memory(memory) = memarg.target else {
            return Err(self.unsupported("a GC array memory access"));
        };
        let addr = self.pop()?;
        if memory as usize >= self.env.info.memories.len() {
            return Err(self.invalid("memory index out of range"));
        }
        let memory64 = self.is_memory64(memory);
        let wasm_addr = addr;
        let addr = self.index_i64(addr);
        let end_offset = memarg.offset.checked_add(u64::from(size));
        let guard_paged = self.guard_paged(memory);
        let guarded =
            guard_paged.is_some_and(|reservation| end_offset.is_some_and(|e| (1u64 << 32) + e <= reservation));
        // A constant address whose access ends within the declared minimum
        // size is always in bounds: memories never shrink, and an imported
        // memory is at least as large as the import declares.
        let ty = self.env.info.memories[memory as usize];
        let static_ok = self
            .const_address(wasm_addr, memory64)
            .zip(end_offset)
            .and_then(|(a, e)| a.checked_add(e))
            .is_some_and(|end| end <= ty.min.saturating_mul(ty.page_size()));
        let base = if guarded || static_ok {
            self.memory_base(memory)?
        } else {
            let def = self.memory_def(memory)?;
            self.bounds_check(def, addr, end_offset, memory64);
            match self.guard_paged(memory) {
                Some(_) => self.guard_base(memory),
                None => self.loaded_base(def),
            }
        };
        let p = self.b.ins().iadd(base, addr);
        let (p, offset) = match i32::try_from(memarg.offset) {
            Ok(offset) => (p, offset),
            Err(_) => {
                let offset = self.b.ins().iconst(types::I64, memarg.offset as i64);
                (self.b.ins().iadd(p, offset), 0)
            }
        };
        // Only guard-page accesses may fault; statically checked ones cannot.
        Ok((p, self.heap_flags(!guarded), offset))
    }

    /// Traps unless the access ending `end_offset` bytes after the
    /// (64-bit) index `addr` lies within the current length of the memory
    /// whose definition is at `def`.
    fn bounds_check(&mut self, def: Value, addr: Value, end_offset: Option<u64>, memory64: bool) {
        let flags = self.vm_flags();
        let len = self
            .b
            .ins()
            .load(types::I64, flags, def, definition_offsets::MEMORY_LENGTH);
        match end_offset {
            // A 32-bit address plus an offset below 2^33 cannot wrap.
            Some(e) if !memory64 => {
                let end = self.b.ins().iadd_imm_s(addr, e as i64);
                let oob = self.b.ins().icmp(IntCC::UnsignedGreaterThan, end, len);
                self.trap_if(oob, TrapCode::MemoryOutOfBounds);
            }
            Some(e) => {
                let e = self.b.ins().iconst(types::I64, e as i64);
                let (end, wrapped) = self.b.ins().uadd_overflow(addr, e);
                let beyond = self.b.ins().icmp(IntCC::UnsignedGreaterThan, end, len);
                let oob = self.b.ins().bor(wrapped, beyond);
                self.trap_if(oob, TrapCode::MemoryOutOfBounds);
            }
            // Offset plus size beyond 2^64: no address is in bounds.
            None => {
                let yes = self.b.ins().iconst(types::I8, 1);
                self.trap_if(yes, TrapCode::MemoryOutOfBounds);
            }
        }
    }

    /// The memory's base address, for an access that needs no check.
    fn memory_base(&mut self, memory: u32) -> Result<Value, Error> {
        if self.guard_paged(memory).is_some() {
            return Ok(self.guard_base(memory));
        }
        let def = self.memory_def(memory)?;
        Ok(self.loaded_base(def))
    }

    /// The base of a memory that may move (on `memory.grow`, so after any
    /// call), loaded here from its definition at `def`; Cranelift's alias
    /// analysis shares the load until a call or store may have changed it.
    fn loaded_base(&mut self, def: Value) -> Value {
        let flags = self.vm_flags();
        self.b
            .ins()
            .load(types::I64, flags, def, definition_offsets::MEMORY_BASE)
    }

    /// The base of a guard-page memory. Such a memory grows in place: its
    /// base never changes, so it is loaded once, in the entry block, and
    /// shared by every access of the function (Cranelift would merge the
    /// loads anyway, but only after building and hashing each of them).
    fn guard_base(&mut self, memory: u32) -> Value {
        if let Some(&(_, base)) = self.guard_bases.iter().find(|&&(m, _)| m == memory) {
            return base;
        }
        let offset = self.env.offsets.memory(memory) as i32;
        let flags = self.readonly_flags();
        let mut pos = FuncCursor::new(self.b.func);
        pos.goto_first_insertion_point(self.entry_block);
        let def = pos.ins().load(types::I64, flags, self.vmctx, offset);
        let base = pos.ins().load(types::I64, flags, def, definition_offsets::MEMORY_BASE);
        self.guard_bases.push((memory, base));
        base
    }

    /// The value of an address operand that is an `iconst`.
    fn const_address(&self, v: Value, memory64: bool) -> Option<u64> {
        let ValueDef::Result(inst, _) = self.b.func.dfg.value_def(v) else {
            return None;
        };
        match self.b.func.dfg.insts[inst] {
            InstructionData::UnaryImm {
                opcode: Opcode::Iconst,
                imm,
            } => {
                let bits = imm.bits() as u64;
                Some(if memory64 { bits } else { bits & 0xffff_ffff })
            }
            _ => None,
        }
    }

    fn load(&mut self, memarg: &MemArg, ty: Type, mem: Type, ext: Ext) -> Result<(), Error> {
        let (p, flags, at) = self.heap_access(memarg, mem.bytes())?;
        let v = match (ext, mem) {
            (Ext::None, _) => self.b.ins().load(ty, flags, p, at),
            (Ext::S, types::I8) => self.b.ins().sload8(ty, flags, p, at),
            (Ext::U, types::I8) => self.b.ins().uload8(ty, flags, p, at),
            (Ext::S, types::I16) => self.b.ins().sload16(ty, flags, p, at),
            (Ext::U, types::I16) => self.b.ins().uload16(ty, flags, p, at),
            (Ext::S, _) => self.b.ins().sload32(flags, p, at),
            (Ext::U, _) => self.b.ins().uload32(flags, p, at),
        };
        self.push(v);
        Ok(())
    }

    fn store(&mut self, memarg: &MemArg, mem: Type) -> Result<(), Error> {
        let v = self.pop()?;
        let (p, flags, at) = self.heap_access(memarg, mem.bytes())?;
        let ty = self.b.func.dfg.value_type(v);
        match mem {
            m if m == ty => self.b.ins().store(flags, v, p, at),
            types::I8 => self.b.ins().istore8(flags, v, p, at),
            types::I16 => self.b.ins().istore16(flags, v, p, at),
            _ => self.b.ins().istore32(flags, v, p, at),
        };
        Ok(())
    }

    /// Translates `op` if it is a memory operator; `Ok(false)` otherwise.
    pub(super) fn memory_op(&mut self, op: &O<'_>) -> Result<bool, Error> {
        use types::{F32, F64, I8, I16, I32, I64};
        match op {
            O::I32Load { memarg } => self.load(memarg, I32, I32, Ext::None)?,
            O::I64Load { memarg } => self.load(memarg, I64, I64, Ext::None)?,
            O::F32Load { memarg } => self.load(memarg, F32, F32, Ext::None)?,
            O::F64Load { memarg } => self.load(memarg, F64, F64, Ext::None)?,
            O::I32Load8S { memarg } => self.load(memarg, I32, I8, Ext::S)?,
            O::I32Load8U { memarg } => self.load(memarg, I32, I8, Ext::U)?,
            O::I32Load16S { memarg } => self.load(memarg, I32, I16, Ext::S)?,
            O::I32Load16U { memarg } => self.load(memarg, I32, I16, Ext::U)?,
            O::I64Load8S { memarg } => self.load(memarg, I64, I8, Ext::S)?,
            O::I64Load8U { memarg } => self.load(memarg, I64, I8, Ext::U)?,
            O::I64Load16S { memarg } => self.load(memarg, I64, I16, Ext::S)?,
            O::I64Load16U { memarg } => self.load(memarg, I64, I16, Ext::U)?,
            O::I64Load32S { memarg } => self.load(memarg, I64, I32, Ext::S)?,
            O::I64Load32U { memarg } => self.load(memarg, I64, I32, Ext::U)?,
            O::I32Store { memarg } => self.store(memarg, I32)?,
            O::I64Store { memarg } => self.store(memarg, I64)?,
            O::F32Store { memarg } => self.store(memarg, F32)?,
            O::F64Store { memarg } => self.store(memarg, F64)?,
            O::I32Store8 { memarg } | O::I64Store8 { memarg } => self.store(memarg, I8)?,
            O::I32Store16 { memarg } | O::I64Store16 { memarg } => self.store(memarg, I16)?,
            O::I64Store32 { memarg } => self.store(memarg, I32)?,
            &O::MemorySize { mem } => {
                let def = self.memory_def(mem)?;
                let flags = self.vm_flags();
                let len = self
                    .b
                    .ins()
                    .load(types::I64, flags, def, definition_offsets::MEMORY_LENGTH);
                let shift = i64::from(self.env.info.memories[mem as usize].page_size_log2);
                let pages = self.b.ins().ushr_imm_s(len, shift);
                let v = self.index_result(pages, self.is_memory64(mem));
                self.push(v);
            }
            &O::MemoryGrow { mem } => {
                self.memory_def(mem)?;
                let delta = self.pop()?;
                let delta = self.index_i64(delta);
                let index = self.b.ins().iconst(I32, i64::from(mem));
                let old = self.libcall(Libcall::MemoryGrow, &[index, delta]).expect("returns");
                let v = self.index_result(old, self.is_memory64(mem));
                self.push(v);
            }
            &O::MemoryFill { mem } => {
                self.memory_def(mem)?;
                let (dst, value, len) = self.pop3()?;
                let (dst, len) = (self.index_i64(dst), self.index_i64(len));
                self.charge_length(len, MEMORY_LENGTH_SHIFT);
                let index = self.b.ins().iconst(I32, i64::from(mem));
                self.libcall(Libcall::MemoryFill, &[index, dst, value, len]);
            }
            &O::MemoryCopy { dst_mem, src_mem } => {
                self.memory_def(dst_mem)?;
                self.memory_def(src_mem)?;
                let (dst, src, len) = self.pop3()?;
                let (dst, src, len) = (self.index_i64(dst), self.index_i64(src), self.index_i64(len));
                self.charge_length(len, MEMORY_LENGTH_SHIFT);
                let d = self.b.ins().iconst(I32, i64::from(dst_mem));
                let s = self.b.ins().iconst(I32, i64::from(src_mem));
                self.libcall(Libcall::MemoryCopy, &[d, s, dst, src, len]);
            }
            &O::MemoryInit { data_index, mem } => {
                self.memory_def(mem)?;
                let (dst, src, len) = self.pop3()?;
                let (dst, src, len) = (self.index_i64(dst), self.index_i64(src), self.index_i64(len));
                self.charge_length(len, MEMORY_LENGTH_SHIFT);
                let m = self.b.ins().iconst(I32, i64::from(mem));
                let d = self.b.ins().iconst(I32, i64::from(data_index));
                self.libcall(Libcall::MemoryInit, &[m, d, dst, src, len]);
            }
            &O::DataDrop { data_index } => {
                let d = self.b.ins().iconst(I32, i64::from(data_index));
                self.libcall(Libcall::DataDrop, &[d]);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}
