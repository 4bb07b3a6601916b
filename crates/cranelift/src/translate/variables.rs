//! Locals (Cranelift variables, so the frontend builds SSA form) and
//! globals (cells the runtime owns, reached through the `VMContext`).

use super::FuncTranslator;
use crate::Error;
use cranelift_codegen::ir::{InstBuilder, MemFlagsData, Value, types};
use mote_environ::GlobalIndex;
use wasmparser::Operator;

impl FuncTranslator<'_, '_> {
    fn local(&self, index: u32) -> Result<cranelift_frontend::Variable, Error> {
        self.locals
            .get(index as usize)
            .map(|&(v, _)| v)
            .ok_or_else(|| self.invalid("local index out of range"))
    }

    /// Address of global `index`'s cells.
    fn global_addr(&mut self, index: u32) -> Result<Value, Error> {
        if index as usize >= self.env.info.globals.len() {
            return Err(self.invalid("global index out of range"));
        }
        let offset = self.env.offsets.global(index);
        Ok(self.vmctx_ptr(offset))
    }

    pub(super) fn variable_op(&mut self, op: &Operator<'_>) -> Result<(), Error> {
        match *op {
            Operator::LocalGet { local_index } => {
                let var = self.local(local_index)?;
                let v = self.b.use_var(var);
                self.push(v);
            }
            Operator::LocalSet { local_index } => {
                let var = self.local(local_index)?;
                let v = self.pop()?;
                self.b.def_var(var, v);
            }
            Operator::LocalTee { local_index } => {
                let var = self.local(local_index)?;
                let v = *self
                    .stack
                    .last()
                    .ok_or_else(|| self.invalid("operand stack underflow"))?;
                self.b.def_var(var, v);
            }
            Operator::GlobalGet { global_index } => {
                let ty = self.env.info.global_type(GlobalIndex(global_index)).content;
                let t = self.clif_type(ty)?;
                let addr = self.global_addr(global_index)?;
                let mut flags = self.global_flags(t.is_vector());
                if !self.env.info.global_type(GlobalIndex(global_index)).mutable {
                    flags = flags.with_readonly().with_can_move();
                }
                let v = self.b.ins().load(t, flags, addr, 0);
                self.push(v);
            }
            Operator::GlobalSet { global_index } => {
                let v = self.pop()?;
                let addr = self.global_addr(global_index)?;
                let cell = self.cell_of(v);
                let flags = self.global_flags(self.b.func.dfg.value_type(v).is_vector());
                self.b.ins().store(flags, cell, addr, 0);
            }
            _ => return Err(self.unsupported(format!("operator {op:?}"))),
        }
        Ok(())
    }

    /// A value as raw cells: `i32` and `f32` zero-extended to 64 bits, the
    /// encoding the runtime's globals and the array ABI use (a `v128` is
    /// stored as is, over two cells).
    pub(crate) fn cell_of(&mut self, v: Value) -> Value {
        match self.b.func.dfg.value_type(v) {
            types::I32 => self.b.ins().uextend(types::I64, v),
            types::F32 => {
                let bits = self.b.ins().bitcast(types::I32, MemFlagsData::new(), v);
                self.b.ins().uextend(types::I64, bits)
            }
            _ => v,
        }
    }
}
