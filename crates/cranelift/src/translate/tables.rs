//! References and tables: `ref.null`/`ref.is_null`/`ref.func`/
//! `ref.as_non_null`, inline
//! `table.get`/`table.set`/`table.size` with bounds checks, and the rest of
//! the table operators through libcalls.
//!
//! A reference is the runtime's raw 64-bit cell: `0` is null, a function
//! is its store index + 1, host and GC references are whatever the
//! runtime encodes; compiled code only moves and compares them.

use super::FuncTranslator;
use crate::vmctx::{definition_offsets, header_offsets};
use crate::{Error, Libcall};
use cranelift_codegen::ir::{InstBuilder, Value, condcodes::IntCC, types};
use mote_core::TrapCode;
use mote_environ::fuel::TABLE_LENGTH_SHIFT;
use wasmparser::Operator as O;

impl FuncTranslator<'_, '_> {
    /// The `*mut VMTableDefinition` of table `table`.
    pub(crate) fn table_def(&mut self, table: u32) -> Result<Value, Error> {
        if table as usize >= self.env.info.tables.len() {
            return Err(self.invalid("table index out of range"));
        }
        let offset = self.env.offsets.table(table);
        Ok(self.vmctx_ptr(offset))
    }

    /// The address of element `index` (the table's index type) of `table`, trapping with
    /// `TableOutOfBounds` past its end.
    pub(crate) fn table_elem_addr(&mut self, table: u32, index: Value) -> Result<Value, Error> {
        let def = self.table_def(table)?;
        let index = self.index_i64(index);
        let flags = self.vm_flags();
        let len = self
            .b
            .ins()
            .load(types::I64, flags, def, definition_offsets::TABLE_LENGTH);
        let oob = self.b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, index, len);
        self.trap_if(oob, TrapCode::TableOutOfBounds);
        let base = self
            .b
            .ins()
            .load(types::I64, flags, def, definition_offsets::TABLE_BASE);
        let scaled = self.b.ins().ishl_imm_s(index, 3);
        Ok(self.b.ins().iadd(base, scaled))
    }

    fn is_table64(&self, table: u32) -> bool {
        self.env.info.tables.get(table as usize).is_some_and(|t| t.table64)
    }

    /// An address, index or length operand as `i64` (32-bit ones are
    /// zero-extended, 64-bit ones are already).
    pub(crate) fn index_i64(&mut self, v: Value) -> Value {
        if self.b.func.dfg.value_type(v) == types::I64 {
            v
        } else {
            self.b.ins().uextend(types::I64, v)
        }
    }

    /// A size or old size as the index type: `i64` for 64-bit memories
    /// and tables, else `i32` (`u64::MAX` becomes `-1` either way).
    pub(crate) fn index_result(&mut self, v: Value, is64: bool) -> Value {
        if is64 { v } else { self.b.ins().ireduce(types::I32, v) }
    }

    fn const_i32(&mut self, v: u32) -> Value {
        self.b.ins().iconst(types::I32, i64::from(v))
    }

    pub(super) fn table_op(&mut self, op: &O<'_>) -> Result<(), Error> {
        match *op {
            O::RefNull { .. } => {
                let v = self.b.ins().iconst(types::I64, 0);
                self.push(v);
            }
            O::RefIsNull => {
                let r = self.pop()?;
                let c = self.b.ins().icmp_imm_s(IntCC::Equal, r, 0);
                let v = self.b.ins().uextend(types::I32, c);
                self.push(v);
            }
            O::RefAsNonNull => {
                let r = *self
                    .stack
                    .last()
                    .ok_or_else(|| self.invalid("operand stack underflow"))?;
                let null = self.b.ins().icmp_imm_s(IntCC::Equal, r, 0);
                self.trap_if(null, TrapCode::NullReference);
            }
            O::RefFunc { function_index } => {
                if function_index as usize >= self.env.info.funcs.len() {
                    return Err(self.invalid("function index out of range"));
                }
                let indices = self.vmctx_ptr(header_offsets::FUNC_INDICES as u32);
                let flags = self.readonly_flags();
                let index = self
                    .b
                    .ins()
                    .load(types::I32, flags, indices, (function_index * 4) as i32);
                let index = self.b.ins().uextend(types::I64, index);
                let v = self.b.ins().iadd_imm_s(index, 1);
                self.push(v);
            }
            O::TableGet { table } => {
                let index = self.pop()?;
                let addr = self.table_elem_addr(table, index)?;
                let flags = self.table_flags();
                let v = self.b.ins().load(types::I64, flags, addr, 0);
                self.push(v);
            }
            O::TableSet { table } => {
                let (index, value) = self.pop2()?;
                let addr = self.table_elem_addr(table, index)?;
                let flags = self.table_flags();
                self.b.ins().store(flags, value, addr, 0);
            }
            O::TableSize { table } => {
                let def = self.table_def(table)?;
                let flags = self.vm_flags();
                let len = self
                    .b
                    .ins()
                    .load(types::I64, flags, def, definition_offsets::TABLE_LENGTH);
                let v = self.index_result(len, self.is_table64(table));
                self.push(v);
            }
            O::TableGrow { table } => {
                self.table_def(table)?;
                let (init, delta) = self.pop2()?;
                let delta = self.index_i64(delta);
                let t = self.const_i32(table);
                let old = self.libcall(Libcall::TableGrow, &[t, init, delta]).expect("returns");
                let v = self.index_result(old, self.is_table64(table));
                self.push(v);
            }
            O::TableFill { table } => {
                self.table_def(table)?;
                let (dst, value, len) = self.pop3()?;
                let dst = self.index_i64(dst);
                let len = self.index_i64(len);
                self.charge_length(len, TABLE_LENGTH_SHIFT);
                let t = self.const_i32(table);
                self.libcall(Libcall::TableFill, &[t, dst, value, len]);
            }
            O::TableCopy { dst_table, src_table } => {
                self.table_def(dst_table)?;
                self.table_def(src_table)?;
                let (dst, src, len) = self.pop3()?;
                let args = [dst, src, len].map(|v| self.index_i64(v));
                self.charge_length(args[2], TABLE_LENGTH_SHIFT);
                let (d, s) = (self.const_i32(dst_table), self.const_i32(src_table));
                self.libcall(Libcall::TableCopy, &[d, s, args[0], args[1], args[2]]);
            }
            O::TableInit { elem_index, table } => {
                self.table_def(table)?;
                let (dst, src, len) = self.pop3()?;
                let args = [dst, src, len].map(|v| self.index_i64(v));
                self.charge_length(args[2], TABLE_LENGTH_SHIFT);
                let (t, e) = (self.const_i32(table), self.const_i32(elem_index));
                self.libcall(Libcall::TableInit, &[t, e, args[0], args[1], args[2]]);
            }
            O::ElemDrop { elem_index } => {
                let e = self.const_i32(elem_index);
                self.libcall(Libcall::ElemDrop, &[e]);
            }
            _ => return Err(self.unsupported(format!("operator {op:?}"))),
        }
        Ok(())
    }
}
