//! The GC and exception-handling half of the libcall ABI: the operations
//! compiled code hands to [`super::VMLibcalls::gc`], and how it names heap
//! types in them.
//!
//! Reading and writing fields and elements is inline: the store context
//! points at one [`VMGcObject`] per heap object, which gives the object's
//! storage. Everything else that touches the heap (allocation, bulk array
//! operations, exception objects, dynamic type tests) goes through that
//! one libcall: these operations are rarer, and one entry with an
//! operation code keeps the ABI small. Operands and wide results travel in
//! a buffer of 64-bit cells laid out like the array ABI's (a value per
//! cell, a `v128` over two, low half first); the layout of each operation
//! is documented on its variant.
//!
//! References are the runtime's raw cells, as everywhere in compiled code.
//! The runtime's heap never frees an object while its store lives, so
//! compiled frames may hold references in registers and stack slots
//! without telling the runtime (no stack maps): a future collector would
//! have to add them, or run only when no compiled frame is on the stack.

use mote_environ::{HeapType, SharedTypeId};

/// An operation of the `gc` libcall. `a` and `b` are its immediates (type,
/// field, segment or tag indices of the calling module); "cells" is the
/// operand buffer; "returns" is the libcall's `u64` result. Every
/// allocation traps `AllocationTooLarge` beyond the store's bound on GC
/// objects.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GcOp {
    /// `struct.new a`: cells hold the fields; returns the struct.
    StructNew,
    /// `struct.new_default a`; returns the struct.
    StructNewDefault,
    /// `array.new a`: cells\[0\] the length, cells\[1..\] the initial
    /// value; returns the array. Traps `AllocationTooLarge`.
    ArrayNew,
    /// `array.new_default a`: cells\[0\] the length; returns the array.
    ArrayNewDefault,
    /// `array.new_fixed a b`: cells hold the `b` elements; returns the array.
    ArrayNewFixed,
    /// `array.new_data a b`: cells\[0\] the segment offset, cells\[1\] the
    /// length; returns the array. Traps `MemoryOutOfBounds`.
    ArrayNewData,
    /// `array.new_elem a b`: as [`GcOp::ArrayNewData`], trapping
    /// `TableOutOfBounds`.
    ArrayNewElem,
    /// `array.fill a`: cells\[0\] the array, cells\[1\] the offset,
    /// cells\[2\] the length, cells\[3..\] the value.
    ArrayFill,
    /// `array.copy`: cells hold the destination array and offset, the
    /// source array and offset, and the length.
    ArrayCopy,
    /// `array.init_data a b`: cells hold the array, the destination and
    /// source offsets and the length.
    ArrayInitData,
    /// `array.init_elem a b`, as [`GcOp::ArrayInitData`].
    ArrayInitElem,
    /// `ref.test`: cells\[0\] the reference, `a` the target heap type
    /// ([`encode_heap`]), `b` nonzero if it is nullable; returns 1 if the
    /// reference has the type, else 0.
    RefTest,
    /// `throw a`: cells hold the tag's parameters; returns the new
    /// exception reference (the caller then looks for a handler).
    Throw,
    /// Whether the exception cells\[0\] has tag `a`: returns 1 and writes
    /// its payload to cells\[0..\], or returns 0.
    Catch,
}

impl GcOp {
    /// Every operation, in code order.
    pub const ALL: [GcOp; 14] = [
        GcOp::StructNew,
        GcOp::StructNewDefault,
        GcOp::ArrayNew,
        GcOp::ArrayNewDefault,
        GcOp::ArrayNewFixed,
        GcOp::ArrayNewData,
        GcOp::ArrayNewElem,
        GcOp::ArrayFill,
        GcOp::ArrayCopy,
        GcOp::ArrayInitData,
        GcOp::ArrayInitElem,
        GcOp::RefTest,
        GcOp::Throw,
        GcOp::Catch,
    ];

    /// The operation with code `code`, if any.
    pub fn from_code(code: u32) -> Option<GcOp> {
        GcOp::ALL.get(code as usize).copied()
    }

    /// Whether it can trap, so compiled code must test the trap cell after it.
    pub fn can_trap(self) -> bool {
        !matches!(self, GcOp::RefTest | GcOp::Catch)
    }
}

/// Where compiled code finds one object of the heap: the
/// [`super::VMStoreContext::gc_objects`] table holds one per object, by
/// object index (a raw reference `r` names entry `(r >> 1) - 1`). The
/// storage must stay at `data` for the store's lifetime.
///
/// - A struct: `len` fields of 16 bytes each; a field's value sits in its
///   low bytes, zero-extended to all 16 (a `v128` fills them).
/// - An array: `len` elements of the element type's size (1, 2, 4, 8 or
///   16 bytes), packed, little-endian, not necessarily aligned.
/// - Anything else (host data, exceptions): null, 0.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct VMGcObject {
    /// The fields or elements.
    pub data: *mut u8,
    /// The number of fields or elements.
    pub len: u64,
}

/// Field offsets of [`VMGcObject`].
pub mod object_offsets {
    use super::VMGcObject;
    use core::mem::offset_of;
    /// `data`
    pub const DATA: i32 = offset_of!(VMGcObject, data) as i32;
    /// `len`
    pub const LEN: i32 = offset_of!(VMGcObject, len) as i32;
    /// Size of one entry.
    pub const SIZE: i64 = size_of::<VMGcObject>() as i64;
}

/// Bytes a struct field takes in a [`VMGcObject`]'s storage.
pub const STRUCT_FIELD_SIZE: i64 = 16;

/// Codes of the abstract heap types start here; lower codes are module
/// type indices (a module has far fewer types).
const ABSTRACT_BASE: u32 = 0xffff_ff00;

/// The abstract heap types in code order.
const ABSTRACT: [HeapType; 12] = [
    HeapType::Func,
    HeapType::NoFunc,
    HeapType::Extern,
    HeapType::NoExtern,
    HeapType::Any,
    HeapType::Eq,
    HeapType::I31,
    HeapType::Struct,
    HeapType::Array,
    HeapType::None,
    HeapType::Exn,
    HeapType::NoExn,
];

/// The code of an abstract heap type, or of the module's type `index`
/// (`Err`). Module indices rather than engine-wide ids, because an AOT
/// artifact may run on another engine; `None` for a type outside both.
pub fn encode_heap(heap: Result<HeapType, u32>) -> Option<u32> {
    match heap {
        Ok(h) => ABSTRACT.iter().position(|&a| a == h).map(|i| ABSTRACT_BASE + i as u32),
        Err(index) => (index < ABSTRACT_BASE).then_some(index),
    }
}

/// The heap type [`encode_heap`] encoded as `code`, resolving module type
/// indices through `type_ids` (the module's `ModuleInfo::type_ids`).
pub fn decode_heap(code: u32, type_ids: &[SharedTypeId]) -> Option<HeapType> {
    match code.checked_sub(ABSTRACT_BASE) {
        Some(i) => ABSTRACT.get(i as usize).copied(),
        None => type_ids.get(code as usize).map(|&id| HeapType::Concrete(id)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_codes_round_trip() {
        for op in GcOp::ALL {
            assert_eq!(GcOp::from_code(op as u32), Some(op));
        }
        assert_eq!(GcOp::from_code(GcOp::ALL.len() as u32), None);
    }

    #[test]
    fn heap_types_round_trip() {
        let ids = [SharedTypeId(7), SharedTypeId(9)];
        for h in ABSTRACT {
            let code = encode_heap(Ok(h)).expect("abstract");
            assert_eq!(decode_heap(code, &ids), Some(h));
        }
        let code = encode_heap(Err(1)).expect("index");
        assert_eq!(decode_heap(code, &ids), Some(HeapType::Concrete(SharedTypeId(9))));
        assert_eq!(decode_heap(2, &ids), None);
        assert_eq!(encode_heap(Ok(HeapType::RecLocal(0))), None);
    }
}
