//! Fuel metering in compiled code, with the interpreter's accounting: every
//! operator except structure (`block`, `loop`, `end`, `else`), `nop` and
//! `drop` costs one unit, and a straight-line region pays for all of its
//! operators when control enters it. Regions start at the function entry,
//! at loop headers, in each arm of an `if`, after `br_if`, and at a block's
//! end when something branches there (a catch clause counts as a branch);
//! code after a block's end that nothing reaches still belongs to the
//! region before it, as in the interpreter.
//!
//! The charge is emitted before the region's first counted operator with
//! a placeholder amount, and patched with the region's count when the next
//! region opens (or the function ends), so one pass suffices. The fuel
//! lives in the store context, not in a register, so host calls and the
//! interpreter see the same number.

use super::FuncTranslator;
use crate::vmctx::store_offsets;
use cranelift_codegen::ir::{InstBuilder, Value, condcodes::IntCC, types};
use mote_core::TrapCode;
use wasmparser::Operator;

impl FuncTranslator<'_, '_> {
    /// Ends the current region and starts a new one.
    pub(super) fn open_fuel_region(&mut self) {
        if !self.env.options.consume_fuel {
            return;
        }
        self.close_fuel_region();
        self.fuel.pending = true;
    }

    /// Patches the current region's charge with its final count.
    pub(crate) fn close_fuel_region(&mut self) {
        if let Some(inst) = self.fuel.charge.take() {
            let count = i64::from(self.fuel.count);
            self.b.func.replace(inst).iconst(types::I64, count);
        }
        self.fuel.count = 0;
        self.fuel.pending = false;
    }

    /// Counts `op` in the current region, emitting the region's charge
    /// first if `op` is its first counted operator.
    pub(super) fn count_fuel(&mut self, op: &Operator<'_>) {
        if !self.env.options.consume_fuel
            || matches!(
                op,
                Operator::Block { .. }
                    | Operator::Loop { .. }
                    | Operator::End
                    | Operator::Else
                    | Operator::Nop
                    | Operator::Drop
            )
        {
            return;
        }
        if self.fuel.pending {
            self.fuel.pending = false;
            self.emit_fuel_charge();
        }
        self.fuel.count += 1;
    }

    /// Charges the length-dependent fuel of a bulk operation before its
    /// libcall, as the interpreter's `ConsumeFuelLen` does: `len >> shift`
    /// units (`mote_environ::fuel`), `len` an `i32` or `i64`. Nothing is
    /// emitted when fuel is not metered.
    pub(super) fn charge_length(&mut self, len: Value, shift: u8) {
        if !self.env.options.consume_fuel {
            return;
        }
        let len = if self.b.func.dfg.value_type(len) == types::I64 {
            len
        } else {
            self.b.ins().uextend(types::I64, len)
        };
        let amount = self.b.ins().ushr_imm_s(len, i64::from(shift));
        let flags = self.vm_flags();
        let fuel = self.b.ins().load(types::I64, flags, self.store, store_offsets::FUEL);
        let short = self.b.ins().icmp(IntCC::UnsignedLessThan, fuel, amount);
        self.trap_if(short, TrapCode::OutOfFuel);
        let left = self.b.ins().isub(fuel, amount);
        self.b.ins().store(flags, left, self.store, store_offsets::FUEL);
    }

    fn emit_fuel_charge(&mut self) {
        let flags = self.vm_flags();
        let fuel = self.b.ins().load(types::I64, flags, self.store, store_offsets::FUEL);
        let amount = self.b.ins().iconst(types::I64, 0);
        let inst = self.b.func.dfg.value_def(amount).unwrap_inst();
        self.fuel.charge = Some(inst);
        let short = self.b.ins().icmp(IntCC::UnsignedLessThan, fuel, amount);
        self.trap_if(short, TrapCode::OutOfFuel);
        let left = self.b.ins().isub(fuel, amount);
        self.b.ins().store(flags, left, self.store, store_offsets::FUEL);
    }
}
