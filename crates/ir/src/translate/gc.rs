//! GC operators: structs, arrays, `i31`, casts and `br_on_cast`.

use super::Translator;
use crate::func::FieldKind;
use crate::instr::{Instr, Slot};
use mote_environ::wasmparser::{self, Operator as O};
use mote_environ::{CompileError, CompositeType, HeapType, RefType, StorageType, TypeIndex};

impl Translator<'_> {
    /// Converts a heap type named in a function body.
    fn heap_type(&self, h: wasmparser::HeapType) -> HeapType {
        match h {
            wasmparser::HeapType::Concrete(i) | wasmparser::HeapType::Exact(i) => match i {
                wasmparser::UnpackedIndex::Module(i) => HeapType::Concrete(self.info.type_ids[i as usize]),
                wasmparser::UnpackedIndex::Id(_) | wasmparser::UnpackedIndex::RecGroup(_) => {
                    unreachable!("function bodies name types by module index")
                }
            },
            wasmparser::HeapType::Abstract { ty, .. } => mote_environ::convert::abstract_heap(ty),
        }
    }

    /// Adds a cast target to the pool.
    fn ref_type_index(&mut self, nullable: bool, heap: wasmparser::HeapType) -> u32 {
        let ty = RefType::new(nullable, self.heap_type(heap));
        self.ref_types.push(ty);
        self.ref_types.len() as u32 - 1
    }

    fn field_storage(&self, ty: u32, field: Option<u32>) -> StorageType {
        match &self.info.type_defs[TypeIndex(ty).index()].composite {
            CompositeType::Struct(fields) => fields[field.unwrap_or(0) as usize].storage,
            CompositeType::Array(elem) => elem.storage,
            CompositeType::Func(_) => unreachable!("validated: not a function type"),
        }
    }

    fn kind(&self, ty: u32, field: Option<u32>, signed: bool) -> FieldKind {
        FieldKind::of(self.field_storage(ty, field), signed)
    }

    /// Charges an array operation's length in elements of array type `ty`.
    fn charge_array_length(&mut self, ty: u32, len: Slot) {
        let shift = mote_environ::fuel::array_length_shift(self.field_storage(ty, None));
        self.charge_length(len, shift);
    }

    fn struct_len(&self, ty: u32) -> usize {
        match &self.info.type_defs[ty as usize].composite {
            CompositeType::Struct(fields) => fields.len(),
            _ => 0,
        }
    }

    /// Emits an instruction whose result (of `cells` cells) is the new top.
    fn push_result(&mut self, instr: Instr, cells: u8) {
        let dst = self.next_slot();
        debug_assert!(matches!(instr, Instr::Unreachable {}) || cells > 0);
        self.emit(instr);
        self.push_temp(dst, cells);
    }

    /// Pops `n` operands and returns their slots in push order.
    fn pop_n<const N: usize>(&mut self) -> [Slot; N] {
        let mut ops = [self.stack[0]; N];
        for i in (0..N).rev() {
            ops[i] = self.pop();
        }
        let mut slots = [0; N];
        for i in (0..N).rev() {
            slots[i] = self.use_operand(ops[i]);
        }
        slots
    }

    /// GC operators. Returns `false` for other operators.
    pub(super) fn gc_op(&mut self, op: &O<'_>) -> Result<bool, CompileError> {
        match *op {
            O::RefI31 => {
                let [src] = self.pop_n();
                let dst = self.next_slot();
                self.push_result(Instr::RefI31 { dst, src }, 1);
            }
            O::I31GetS | O::I31GetU => {
                let [src] = self.pop_n();
                let dst = self.next_slot();
                let signed = matches!(op, O::I31GetS);
                self.push_result(Instr::I31Get { dst, src, signed }, 1);
            }
            O::AnyConvertExtern | O::ExternConvertAny => {
                // Both hierarchies share one raw encoding.
            }
            O::StructNew { struct_type_index } => {
                let n = self.struct_len(struct_type_index);
                let base = self.call_args(n);
                self.push_result(
                    Instr::StructNew {
                        dst: base,
                        base,
                        ty: struct_type_index,
                    },
                    1,
                );
            }
            O::StructNewDefault { struct_type_index } => {
                let dst = self.next_slot();
                self.push_result(
                    Instr::StructNewDefault {
                        dst,
                        ty: struct_type_index,
                    },
                    1,
                );
            }
            O::StructGet {
                struct_type_index,
                field_index,
            }
            | O::StructGetS {
                struct_type_index,
                field_index,
            }
            | O::StructGetU {
                struct_type_index,
                field_index,
            } => {
                let kind = self.kind(struct_type_index, Some(field_index), matches!(op, O::StructGetS { .. }));
                let [obj] = self.pop_n();
                let dst = self.next_slot();
                self.reserve(dst as u32 + 2);
                let instr = Instr::StructGet {
                    dst,
                    obj,
                    field: field_index,
                    kind: kind as u8,
                };
                self.push_result(instr, kind.cells());
            }
            O::StructSet {
                struct_type_index,
                field_index,
            } => {
                let kind = self.kind(struct_type_index, Some(field_index), false);
                let [obj, value] = self.pop_n();
                self.emit(Instr::StructSet {
                    obj,
                    value,
                    field: field_index,
                    kind: kind as u8,
                });
            }
            O::ArrayNew { array_type_index } => {
                let [init, len] = self.pop_n();
                self.charge_array_length(array_type_index, len);
                let dst = self.next_slot();
                self.push_result(
                    Instr::ArrayNew {
                        dst,
                        init,
                        len,
                        ty: array_type_index,
                    },
                    1,
                );
            }
            O::ArrayNewDefault { array_type_index } => {
                let [len] = self.pop_n();
                self.charge_array_length(array_type_index, len);
                let dst = self.next_slot();
                self.push_result(
                    Instr::ArrayNewDefault {
                        dst,
                        len,
                        ty: array_type_index,
                    },
                    1,
                );
            }
            O::ArrayNewFixed {
                array_type_index,
                array_size,
            } => {
                let base = self.call_args(array_size as usize);
                self.reserve(base as u32 + 1);
                self.push_result(
                    Instr::ArrayNewFixed {
                        dst: base,
                        base,
                        ty: array_type_index,
                        len: array_size,
                    },
                    1,
                );
            }
            O::ArrayNewData {
                array_type_index,
                array_data_index,
            } => {
                let [offset, len] = self.pop_n();
                self.charge_array_length(array_type_index, len);
                let dst = self.next_slot();
                self.push_result(
                    Instr::ArrayNewData {
                        dst,
                        offset,
                        len,
                        ty: array_type_index,
                        data: array_data_index,
                    },
                    1,
                );
            }
            O::ArrayNewElem {
                array_type_index,
                array_elem_index,
            } => {
                let [offset, len] = self.pop_n();
                self.charge_array_length(array_type_index, len);
                let dst = self.next_slot();
                self.push_result(
                    Instr::ArrayNewElem {
                        dst,
                        offset,
                        len,
                        ty: array_type_index,
                        elem: array_elem_index,
                    },
                    1,
                );
            }
            O::ArrayGet { array_type_index }
            | O::ArrayGetS { array_type_index }
            | O::ArrayGetU { array_type_index } => {
                let kind = self.kind(array_type_index, None, matches!(op, O::ArrayGetS { .. }));
                let [arr, index] = self.pop_n();
                let dst = self.next_slot();
                self.reserve(dst as u32 + 2);
                let instr = Instr::ArrayGet {
                    dst,
                    arr,
                    index,
                    kind: kind as u8,
                };
                self.push_result(instr, kind.cells());
            }
            O::ArraySet { array_type_index } => {
                let kind = self.kind(array_type_index, None, false);
                let [arr, index, value] = self.pop_n();
                self.emit(Instr::ArraySet {
                    arr,
                    index,
                    value,
                    kind: kind as u8,
                });
            }
            O::ArrayLen => {
                let [arr] = self.pop_n();
                let dst = self.next_slot();
                self.push_result(Instr::ArrayLen { dst, arr }, 1);
            }
            O::ArrayFill { array_type_index } => {
                let kind = self.kind(array_type_index, None, false);
                let [arr, offset, value, len] = self.pop_n();
                self.charge_array_length(array_type_index, len);
                self.emit(Instr::ArrayFill {
                    arr,
                    offset,
                    value,
                    len,
                    kind: kind as u8,
                });
            }
            O::ArrayCopy {
                array_type_index_dst, ..
            } => {
                let [dst, dst_offset, src, src_offset, len] = self.pop_n();
                self.charge_array_length(array_type_index_dst, len);
                self.emit(Instr::ArrayCopy {
                    dst,
                    dst_offset,
                    src,
                    src_offset,
                    len,
                });
            }
            O::ArrayInitData {
                array_type_index,
                array_data_index,
            } => {
                let [arr, dst, src, len] = self.pop_n();
                self.charge_array_length(array_type_index, len);
                self.emit(Instr::ArrayInitData {
                    arr,
                    dst,
                    src,
                    len,
                    data: array_data_index,
                });
            }
            O::ArrayInitElem {
                array_type_index,
                array_elem_index,
            } => {
                let [arr, dst, src, len] = self.pop_n();
                self.charge_array_length(array_type_index, len);
                self.emit(Instr::ArrayInitElem {
                    arr,
                    dst,
                    src,
                    len,
                    elem: array_elem_index,
                });
            }
            O::RefTestNonNull { hty } | O::RefTestNullable { hty } => {
                let target = self.ref_type_index(matches!(op, O::RefTestNullable { .. }), hty);
                let [src] = self.pop_n();
                let dst = self.next_slot();
                self.push_result(Instr::RefTest { dst, src, target }, 1);
            }
            O::RefCastNonNull { hty } | O::RefCastNullable { hty } => {
                let target = self.ref_type_index(matches!(op, O::RefCastNullable { .. }), hty);
                let [src] = self.pop_n();
                let dst = self.next_slot();
                self.push_result(Instr::RefCast { dst, src, target }, 1);
            }
            O::BrOnCast {
                relative_depth,
                to_ref_type,
                ..
            }
            | O::BrOnCastFail {
                relative_depth,
                to_ref_type,
                ..
            } => {
                let target = self.ref_type_index(to_ref_type.is_nullable(), to_ref_type.heap_type());
                let fail = matches!(op, O::BrOnCastFail { .. });
                self.br_on_cast(relative_depth, target, fail);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}
