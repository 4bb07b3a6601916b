//! GC operators. Field and element access is inline, through the store's
//! table of object storage ([`crate::vmctx::VMGcObject`]); the rest of what
//! touches the runtime's object heap (allocation, bulk array operations,
//! dynamic type tests) is one call of the `gc` libcall each
//! ([`crate::vmctx::gc`]), with operands in a scratch area of cells
//! shared by the whole function. `i31` references, `ref.eq` and the
//! conversions between the `any` and `extern` hierarchies are inline too,
//! because the raw encoding makes them arithmetic (`i31`: `value << 1 |
//! 1`; conversions: the identity).

use super::FuncTranslator;
use crate::vmctx::gc::{STRUCT_FIELD_SIZE, encode_heap, object_offsets};
use crate::vmctx::{GcOp, store_offsets};
use crate::{Error, Libcall, abi};
use cranelift_codegen::ir::{
    BlockArg, InstBuilder, MemFlagsData, StackSlot, StackSlotData, StackSlotKind, Type, Value, condcodes::IntCC, types,
};
use mote_core::TrapCode;
use mote_environ::{CompositeType, StorageType};
use wasmparser::Operator as O;

/// The function's scratch area for `gc` libcall operands: one stack slot,
/// grown to the largest need once the body is translated.
#[derive(Default)]
pub(crate) struct GcScratch {
    slot: Option<StackSlot>,
    cells: u32,
}

impl FuncTranslator<'_, '_> {
    /// The address of the scratch area, which must hold at least `cells` cells.
    fn gc_cells(&mut self, cells: u32) -> Value {
        let slot = match self.gc_scratch.slot {
            Some(s) => s,
            None => {
                let s = self
                    .b
                    .create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 4));
                self.gc_scratch.slot = Some(s);
                s
            }
        };
        self.gc_scratch.cells = self.gc_scratch.cells.max(cells);
        self.b.ins().stack_addr(types::I64, slot, 0)
    }

    /// Sizes the scratch area for its largest use (see [`Self::gc_cells`]).
    pub(super) fn finish_gc_scratch(&mut self) {
        if let Some(slot) = self.gc_scratch.slot {
            self.b.func.sized_stack_slots[slot].size = (self.gc_scratch.cells * 8).max(16);
        }
    }

    /// Stores `v` in the cell(s) at `addr + offset`, zero-extending 32-bit
    /// values so a cell never holds stale upper bits.
    pub(super) fn store_cell(&mut self, v: Value, addr: Value, offset: i32) {
        let v = match self.b.func.dfg.value_type(v) {
            types::F32 => {
                let bits = self.b.ins().bitcast(types::I32, MemFlagsData::new(), v);
                self.b.ins().uextend(types::I64, bits)
            }
            types::I32 => self.b.ins().uextend(types::I64, v),
            _ => v,
        };
        self.b.ins().store(abi::cell_flags(), v, addr, offset);
    }

    /// Cells a value of CLIF type `t` takes.
    fn cells_of(t: Type) -> u32 {
        if t.is_vector() { 2 } else { 1 }
    }

    /// Calls the `gc` libcall with `inputs` in the scratch area (which
    /// must also hold `out_cells` cells of results), testing the trap cell
    /// after operations that can trap. Returns its result and the area.
    pub(super) fn gc_call(&mut self, op: GcOp, a: u32, b: u32, inputs: &[Value], out_cells: u32) -> (Value, Value) {
        let in_cells: u32 = inputs
            .iter()
            .map(|&v| Self::cells_of(self.b.func.dfg.value_type(v)))
            .sum();
        let len = in_cells.max(out_cells);
        let addr = self.gc_cells(len);
        let mut at = 0;
        for &v in inputs {
            self.store_cell(v, addr, at * 8);
            at += Self::cells_of(self.b.func.dfg.value_type(v)) as i32;
        }
        let args = [
            self.b.ins().iconst(types::I32, i64::from(op as u32)),
            self.b.ins().iconst(types::I32, i64::from(a)),
            self.b.ins().iconst(types::I32, i64::from(b)),
            addr,
            self.b.ins().iconst(types::I64, i64::from(len)),
        ];
        let result = self.libcall(Libcall::Gc, &args).expect("returns");
        if op.can_trap() {
            self.check_trap_cell();
        }
        (result, addr)
    }

    /// The storage of field `field` of struct type `ty`, or of the
    /// elements of array type `ty` (`field` is `None`).
    fn field_storage(&self, ty: u32, field: Option<u32>) -> Result<StorageType, Error> {
        let def = self
            .env
            .info
            .type_defs
            .get(ty as usize)
            .ok_or_else(|| self.invalid("type index out of range"))?;
        let storage = match (&def.composite, field) {
            (CompositeType::Struct(fields), Some(f)) => fields.get(f as usize).map(|f| f.storage),
            (CompositeType::Array(elem), None) => Some(elem.storage),
            _ => None,
        };
        storage.ok_or_else(|| self.invalid("not a field of a struct or array type"))
    }

    /// Charges an array operation's length `len`, in elements of array
    /// type `ty` (`mote_environ::fuel`).
    fn charge_array_length(&mut self, ty: u32, len: Value) -> Result<(), Error> {
        let shift = mote_environ::fuel::array_length_shift(self.field_storage(ty, None)?);
        self.charge_length(len, shift);
        Ok(())
    }

    /// Charges an array operation whose length is its last operand.
    fn charge_array_length_on_top(&mut self, ty: u32) -> Result<(), Error> {
        let len = *self.peek_n(1)?.first().expect("one value");
        self.charge_array_length(ty, len)
    }

    fn struct_field_count(&self, ty: u32) -> Result<usize, Error> {
        match self.env.info.type_defs.get(ty as usize).map(|d| &d.composite) {
            Some(CompositeType::Struct(fields)) => Ok(fields.len()),
            _ => Err(self.invalid("not a struct type")),
        }
    }

    /// Calls `op` with `n` operands popped from the stack, pushing its
    /// result (a reference) if `push`.
    fn gc_popping(&mut self, op: GcOp, a: u32, b: u32, n: usize, push: bool) -> Result<(), Error> {
        let inputs = self.pop_n(n)?;
        let (result, _) = self.gc_call(op, a, b, &inputs, 0);
        if push {
            self.push(result);
        }
        Ok(())
    }

    /// The storage address and length of the object `r` names (see
    /// [`crate::vmctx::VMGcObject`]), trapping with `NullReference` on null.
    fn gc_object(&mut self, r: Value) -> (Value, Value) {
        let null = self.b.ins().icmp_imm_s(IntCC::Equal, r, 0);
        self.trap_if(null, TrapCode::NullReference);
        let flags = self.vm_flags();
        let table = self
            .b
            .ins()
            .load(types::I64, flags, self.store, store_offsets::GC_OBJECTS);
        let index = self.b.ins().ushr_imm_s(r, 1);
        let scaled = self.b.ins().imul_imm_s(index, object_offsets::SIZE);
        let entry = self.b.ins().iadd(table, scaled);
        let entry = self.b.ins().iadd_imm_s(entry, -object_offsets::SIZE);
        let data = self.b.ins().load(types::I64, flags, entry, object_offsets::DATA);
        let len = self.b.ins().load(types::I64, flags, entry, object_offsets::LEN);
        (data, len)
    }

    /// Reads a value of `storage` at `addr`, extending packed values as
    /// `signed` says.
    fn load_storage(&mut self, storage: StorageType, signed: bool, addr: Value) -> Result<Value, Error> {
        let flags = abi::cell_flags();
        Ok(match (storage, signed) {
            (StorageType::I8, true) => self.b.ins().sload8(types::I32, flags, addr, 0),
            (StorageType::I8, false) => self.b.ins().uload8(types::I32, flags, addr, 0),
            (StorageType::I16, true) => self.b.ins().sload16(types::I32, flags, addr, 0),
            (StorageType::I16, false) => self.b.ins().uload16(types::I32, flags, addr, 0),
            (StorageType::Val(v), _) => {
                let t = self.clif_type(v)?;
                self.b.ins().load(t, flags, addr, 0)
            }
        })
    }

    /// Bytes an array element of `storage` takes.
    fn element_size(storage: StorageType) -> i64 {
        use mote_environ::ValType;
        match storage {
            StorageType::I8 => 1,
            StorageType::I16 => 2,
            StorageType::Val(ValType::I32 | ValType::F32) => 4,
            StorageType::Val(ValType::V128) => 16,
            StorageType::Val(_) => 8,
        }
    }

    /// Writes `v` as an array element of `storage` at `addr` (exactly its size).
    fn store_element(&mut self, storage: StorageType, v: Value, addr: Value) {
        let flags = abi::cell_flags();
        match storage {
            StorageType::I8 => self.b.ins().istore8(flags, v, addr, 0),
            StorageType::I16 => self.b.ins().istore16(flags, v, addr, 0),
            StorageType::Val(_) => self.b.ins().store(flags, v, addr, 0),
        };
    }

    /// Writes `v` as a struct field of `storage` at `addr`: its value
    /// zero-extended to the field's 16 bytes.
    fn store_field(&mut self, storage: StorageType, v: Value, addr: Value) {
        let flags = abi::cell_flags();
        if self.b.func.dfg.value_type(v).is_vector() {
            self.b.ins().store(flags, v, addr, 0);
            return;
        }
        let v = match storage {
            StorageType::I8 => self.b.ins().band_imm_s(v, 0xff),
            StorageType::I16 => self.b.ins().band_imm_s(v, 0xffff),
            StorageType::Val(_) => v,
        };
        let low = match self.b.func.dfg.value_type(v) {
            types::F32 => {
                let bits = self.b.ins().bitcast(types::I32, MemFlagsData::new(), v);
                self.b.ins().uextend(types::I64, bits)
            }
            types::F64 => self.b.ins().bitcast(types::I64, MemFlagsData::new(), v),
            types::I32 => self.b.ins().uextend(types::I64, v),
            _ => v,
        };
        let zero = self.b.ins().iconst(types::I64, 0);
        self.b.ins().store(flags, low, addr, 0);
        self.b.ins().store(flags, zero, addr, 8);
    }

    /// The address of element `index` (an `i32`) of array `arr`, trapping
    /// with `NullReference` or `ArrayOutOfBounds`.
    fn element_addr(&mut self, arr: Value, index: Value, storage: StorageType) -> Value {
        let (data, len) = self.gc_object(arr);
        let index = self.b.ins().uextend(types::I64, index);
        let oob = self.b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, index, len);
        self.trap_if(oob, TrapCode::ArrayOutOfBounds);
        let offset = self.b.ins().imul_imm_s(index, Self::element_size(storage));
        self.b.ins().iadd(data, offset)
    }

    /// The address of field `field` of struct `r`, trapping on null.
    fn field_addr(&mut self, r: Value, field: u32) -> Value {
        let (data, _) = self.gc_object(r);
        self.b.ins().iadd_imm_s(data, i64::from(field) * STRUCT_FIELD_SIZE)
    }

    /// The code of a heap type named in the body ([`encode_heap`]).
    fn heap_code(&self, heap: wasmparser::HeapType) -> Result<u32, Error> {
        use wasmparser::{HeapType as H, UnpackedIndex};
        let code = match heap {
            H::Abstract { ty, .. } => encode_heap(Ok(mote_environ::convert::abstract_heap(ty))),
            H::Concrete(UnpackedIndex::Module(i)) | H::Exact(UnpackedIndex::Module(i)) => encode_heap(Err(i)),
            H::Concrete(_) | H::Exact(_) => None,
        };
        code.ok_or_else(|| self.invalid(format!("heap type {heap:?} in a function body")))
    }

    /// `ref.test` of `r` against (`nullable`, `heap`): an `i32` 0 or 1.
    fn ref_test(&mut self, r: Value, nullable: bool, heap: wasmparser::HeapType) -> Result<Value, Error> {
        let code = self.heap_code(heap)?;
        let (result, _) = self.gc_call(GcOp::RefTest, code, u32::from(nullable), &[r], 0);
        Ok(self.b.ins().ireduce(types::I32, result))
    }

    /// `br_on_cast` (`fail`: `br_on_cast_fail`): the reference stays on
    /// the stack and is the last value the branch carries.
    fn br_on_cast(&mut self, depth: u32, to: wasmparser::RefType, fail: bool) -> Result<(), Error> {
        let r = *self.peek_n(1)?.first().expect("one value");
        let ok = self.ref_test(r, to.is_nullable(), to.heap_type())?;
        let (target, n) = self.branch_dest(depth)?;
        let args: Vec<BlockArg> = self.peek_n(n)?.iter().map(|&v| BlockArg::Value(v)).collect();
        let cont = self.b.create_block();
        if fail {
            self.b.ins().brif(ok, cont, &[], target, &args);
        } else {
            self.b.ins().brif(ok, target, &args, cont, &[]);
        }
        self.enter_sealed(cont);
        self.open_fuel_region();
        Ok(())
    }

    /// Translates a GC operator; `false` for other operators.
    pub(super) fn gc_op(&mut self, op: &O<'_>) -> Result<bool, Error> {
        const REF: bool = true;
        const NONE: bool = false;
        match *op {
            O::RefI31 => {
                let v = self.pop()?;
                let wide = self.b.ins().uextend(types::I64, v);
                let shifted = self.b.ins().ishl_imm_s(wide, 1);
                let masked = self.b.ins().band_imm_s(shifted, 0xffff_fffe);
                let r = self.b.ins().bor_imm_s(masked, 1);
                self.push(r);
            }
            O::I31GetS | O::I31GetU => {
                let r = self.pop()?;
                let null = self.b.ins().icmp_imm_s(IntCC::Equal, r, 0);
                self.trap_if(null, TrapCode::NullReference);
                let low = self.b.ins().ireduce(types::I32, r);
                let v = if matches!(op, O::I31GetS) {
                    self.b.ins().sshr_imm_s(low, 1)
                } else {
                    self.b.ins().ushr_imm_s(low, 1)
                };
                self.push(v);
            }
            // Both hierarchies share one raw encoding.
            O::AnyConvertExtern | O::ExternConvertAny => {}
            O::RefEq => {
                let (x, y) = self.pop2()?;
                let eq = self.b.ins().icmp(IntCC::Equal, x, y);
                let v = self.b.ins().uextend(types::I32, eq);
                self.push(v);
            }
            O::StructNew { struct_type_index: ty } => {
                let n = self.struct_field_count(ty)?;
                self.gc_popping(GcOp::StructNew, ty, 0, n, REF)?;
            }
            O::StructNewDefault { struct_type_index: ty } => {
                self.gc_popping(GcOp::StructNewDefault, ty, 0, 0, REF)?;
            }
            O::StructGet {
                struct_type_index: ty,
                field_index: f,
            }
            | O::StructGetS {
                struct_type_index: ty,
                field_index: f,
            }
            | O::StructGetU {
                struct_type_index: ty,
                field_index: f,
            } => {
                let storage = self.field_storage(ty, Some(f))?;
                let r = self.pop()?;
                let addr = self.field_addr(r, f);
                let v = self.load_storage(storage, matches!(op, O::StructGetS { .. }), addr)?;
                self.push(v);
            }
            O::StructSet {
                struct_type_index: ty,
                field_index: f,
            } => {
                let storage = self.field_storage(ty, Some(f))?;
                let (r, v) = self.pop2()?;
                let addr = self.field_addr(r, f);
                self.store_field(storage, v, addr);
            }
            O::ArrayNew { array_type_index: ty } => {
                let (init, len) = self.pop2()?;
                self.charge_array_length(ty, len)?;
                let (r, _) = self.gc_call(GcOp::ArrayNew, ty, 0, &[len, init], 0);
                self.push(r);
            }
            O::ArrayNewDefault { array_type_index: ty } => {
                self.charge_array_length_on_top(ty)?;
                self.gc_popping(GcOp::ArrayNewDefault, ty, 0, 1, REF)?;
            }
            O::ArrayNewFixed {
                array_type_index: ty,
                array_size,
            } => {
                self.gc_popping(GcOp::ArrayNewFixed, ty, array_size, array_size as usize, REF)?;
            }
            O::ArrayNewData {
                array_type_index: ty,
                array_data_index: data,
            } => {
                self.charge_array_length_on_top(ty)?;
                self.gc_popping(GcOp::ArrayNewData, ty, data, 2, REF)?;
            }
            O::ArrayNewElem {
                array_type_index: ty,
                array_elem_index: elem,
            } => {
                self.charge_array_length_on_top(ty)?;
                self.gc_popping(GcOp::ArrayNewElem, ty, elem, 2, REF)?;
            }
            O::ArrayGet { array_type_index: ty }
            | O::ArrayGetS { array_type_index: ty }
            | O::ArrayGetU { array_type_index: ty } => {
                let storage = self.field_storage(ty, None)?;
                let (arr, index) = self.pop2()?;
                let addr = self.element_addr(arr, index, storage);
                let v = self.load_storage(storage, matches!(op, O::ArrayGetS { .. }), addr)?;
                self.push(v);
            }
            O::ArraySet { array_type_index: ty } => {
                let storage = self.field_storage(ty, None)?;
                let (arr, index, v) = self.pop3()?;
                let addr = self.element_addr(arr, index, storage);
                self.store_element(storage, v, addr);
            }
            O::ArrayLen => {
                let arr = self.pop()?;
                let (_, len) = self.gc_object(arr);
                let v = self.b.ins().ireduce(types::I32, len);
                self.push(v);
            }
            O::ArrayFill { array_type_index: ty } => {
                let len = self.pop()?;
                self.charge_array_length(ty, len)?;
                let (arr, offset, value) = self.pop3()?;
                self.gc_call(GcOp::ArrayFill, ty, 0, &[arr, offset, len, value], 0);
            }
            O::ArrayCopy {
                array_type_index_dst: ty,
                ..
            } => {
                self.charge_array_length_on_top(ty)?;
                self.gc_popping(GcOp::ArrayCopy, 0, 0, 5, NONE)?;
            }
            O::ArrayInitData {
                array_type_index: ty,
                array_data_index: data,
            } => {
                self.charge_array_length_on_top(ty)?;
                self.gc_popping(GcOp::ArrayInitData, ty, data, 4, NONE)?;
            }
            O::ArrayInitElem {
                array_type_index: ty,
                array_elem_index: elem,
            } => {
                self.charge_array_length_on_top(ty)?;
                self.gc_popping(GcOp::ArrayInitElem, ty, elem, 4, NONE)?;
            }
            O::RefTestNonNull { hty } | O::RefTestNullable { hty } => {
                let r = self.pop()?;
                let v = self.ref_test(r, matches!(op, O::RefTestNullable { .. }), hty)?;
                self.push(v);
            }
            O::RefCastNonNull { hty } | O::RefCastNullable { hty } => {
                let r = *self.peek_n(1)?.first().expect("one value");
                let ok = self.ref_test(r, matches!(op, O::RefCastNullable { .. }), hty)?;
                self.trap_unless(ok, TrapCode::CastFailure);
            }
            O::BrOnCast {
                relative_depth,
                to_ref_type,
                ..
            } => self.br_on_cast(relative_depth, to_ref_type, false)?,
            O::BrOnCastFail {
                relative_depth,
                to_ref_type,
                ..
            } => self.br_on_cast(relative_depth, to_ref_type, true)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}
