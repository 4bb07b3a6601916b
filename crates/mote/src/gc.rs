//! GC objects (structs and arrays) and the dynamic type tests of casts.
//!
//! Objects live in the store's object heap and are never freed before the
//! store: there is no collector yet. Compiled code (the JIT) relies on
//! that: it keeps references in registers and stack slots without stack
//! maps, so a collector must first give it stack maps, or collect only
//! while no compiled frame is on the stack. Arrays keep their elements packed
//! (`FieldKind::size()` bytes each, little-endian), structs one raw 128-bit
//! value per field.

use crate::store::StoreInner;
use crate::value::HeapObject;
use alloc::boxed::Box;
use alloc::vec::Vec;
use mote_core::TrapCode;
use mote_environ::{CompositeType, HeapType, ModuleInfo, RefType, SharedTypeId, TypeIndex};
use mote_ir::FieldKind;

/// Largest array, in bytes, a single allocation may create.
const MAX_ARRAY_BYTES: u64 = 1 << 30;

/// What an object costs against `Config::max_gc_heap_bytes` beyond its
/// fields or elements: its slot in the store's object list.
const OBJECT_HEADER_BYTES: u64 = core::mem::size_of::<HeapObject>() as u64;

/// Counts an object with `payload` bytes of fields or elements against
/// the store's bound, before it is built.
///
/// # Errors
/// `AllocationTooLarge` if the store's objects would exceed the bound;
/// nothing is counted then.
pub(crate) fn reserve(store: &mut StoreInner, payload: u64) -> Result<(), TrapCode> {
    let total = store
        .gc_heap_bytes
        .saturating_add(payload)
        .saturating_add(OBJECT_HEADER_BYTES);
    if store.engine.config().max_gc_heap_bytes.is_some_and(|max| total > max) {
        return Err(TrapCode::AllocationTooLarge);
    }
    store.gc_heap_bytes = total;
    Ok(())
}

/// A new exception of `tag` with the raw `payload` cells.
pub(crate) fn new_exception(store: &mut StoreInner, tag: u32, payload: Box<[u64]>) -> Result<u64, TrapCode> {
    reserve(store, 8 * payload.len() as u64)?;
    Ok(HeapObject::Exception { tag, payload }.alloc(store))
}

/// A struct instance.
pub(crate) struct GcStruct {
    pub(crate) ty: SharedTypeId,
    pub(crate) fields: Box<[u128]>,
}

/// An array instance.
pub(crate) struct GcArray {
    pub(crate) ty: SharedTypeId,
    pub(crate) kind: FieldKind,
    pub(crate) data: Vec<u8>,
}

impl GcArray {
    pub(crate) fn len(&self) -> usize {
        self.data.len() / self.kind.size()
    }

    /// Element `i` as a raw value (packed values not extended).
    pub(crate) fn get(&self, i: usize) -> u128 {
        let size = self.kind.size();
        let mut bytes = [0u8; 16];
        bytes[..size].copy_from_slice(&self.data[i * size..(i + 1) * size]);
        u128::from_le_bytes(bytes)
    }

    pub(crate) fn set(&mut self, i: usize, v: u128) {
        let size = self.kind.size();
        self.data[i * size..(i + 1) * size].copy_from_slice(&v.to_le_bytes()[..size]);
    }
}

/// The storage kind of an array type's elements.
pub(crate) fn array_kind(info: &ModuleInfo, ty: TypeIndex) -> FieldKind {
    match &info.type_defs[ty.index()].composite {
        CompositeType::Array(f) => FieldKind::of(f.storage, false),
        _ => FieldKind::W64,
    }
}

/// Allocates an array of `len` elements from `elems`.
pub(crate) fn new_array(
    store: &mut StoreInner,
    info: &ModuleInfo,
    ty: TypeIndex,
    len: u64,
    elems: impl Iterator<Item = u128>,
) -> Result<u64, TrapCode> {
    let kind = array_kind(info, ty);
    let bytes = len.saturating_mul(kind.size() as u64);
    if bytes > MAX_ARRAY_BYTES {
        return Err(TrapCode::AllocationTooLarge);
    }
    reserve(store, bytes)?;
    let mut data = Vec::new();
    data.try_reserve_exact(bytes as usize)
        .map_err(|_| TrapCode::AllocationTooLarge)?;
    for v in elems.take(len as usize) {
        data.extend_from_slice(&v.to_le_bytes()[..kind.size()]);
    }
    data.resize(bytes as usize, 0);
    let array = GcArray {
        ty: info.type_ids[ty.index()],
        kind,
        data,
    };
    Ok(HeapObject::Array(array).alloc(store))
}

/// Allocates a struct with `fields` (raw values, truncated to their storage).
pub(crate) fn new_struct(
    store: &mut StoreInner,
    info: &ModuleInfo,
    ty: TypeIndex,
    fields: Vec<u128>,
) -> Result<u64, TrapCode> {
    reserve(store, 16 * fields.len() as u64)?;
    let kinds = struct_kinds(info, ty);
    let fields = fields
        .into_iter()
        .zip(kinds)
        .map(|(v, k)| v & (u128::MAX >> (128 - 8 * k.size() as u32)))
        .collect();
    Ok(HeapObject::Struct(GcStruct {
        ty: info.type_ids[ty.index()],
        fields,
    })
    .alloc(store))
}

/// The storage kind of each field of a struct type.
pub(crate) fn struct_kinds(info: &ModuleInfo, ty: TypeIndex) -> impl Iterator<Item = FieldKind> + '_ {
    let fields: &[_] = match &info.type_defs[ty.index()].composite {
        CompositeType::Struct(f) => f,
        _ => &[],
    };
    fields.iter().map(|f| FieldKind::of(f.storage, false))
}

/// The object a non-null, non-`i31` reference in the any hierarchy names.
pub(crate) fn object(store: &StoreInner, raw: u64) -> &HeapObject {
    &store.objects[(raw >> 1) as usize - 1]
}

/// Whether a reference value `raw` has type `target` (`ref.test`).
pub(crate) fn ref_test(store: &StoreInner, raw: u64, target: RefType) -> bool {
    if raw == 0 {
        return target.nullable;
    }
    match store.engine.with_types(|t| t.top_of(target.heap)) {
        HeapType::Func => {
            let func = &store.funcs[raw as usize - 1];
            match target.heap {
                HeapType::Func => true,
                HeapType::Concrete(id) => func.matches(id),
                _ => false,
            }
        }
        HeapType::Extern => target.heap == HeapType::Extern,
        HeapType::Exn => target.heap == HeapType::Exn,
        _ => {
            let dynamic = if raw & 1 == 1 {
                HeapType::I31
            } else {
                match object(store, raw) {
                    HeapObject::Struct(s) => HeapType::Concrete(s.ty),
                    HeapObject::Array(a) => HeapType::Concrete(a.ty),
                    HeapObject::Host(_) => return target.heap == HeapType::Any,
                    HeapObject::Exception { .. } => return false,
                }
            };
            store.engine.with_types(|t| t.heap_is_subtype(dynamic, target.heap))
        }
    }
}
