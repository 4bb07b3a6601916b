//! GC instructions: allocation, field and element access, bulk array
//! operations. Out of the dispatch loop, like `bulk.rs`.

use crate::gc::{self, GcArray};
use crate::store::StoreInner;
use crate::value::HeapObject;
use alloc::vec::Vec;
use mote_core::TrapCode;
use mote_environ::TypeIndex;
use mote_ir::FieldKind;

/// Reads `kinds`' values from consecutive cells.
fn read_fields(cells: &[u64], kinds: impl Iterator<Item = FieldKind>) -> Vec<u128> {
    let mut at = 0;
    kinds
        .map(|k| {
            let v = if k == FieldKind::W128 {
                cells[at] as u128 | (cells[at + 1] as u128) << 64
            } else {
                cells[at] as u128
            };
            at += k.cells() as usize;
            v
        })
        .collect()
}

/// Number of cells the fields of struct type `ty` of instance `inst` take.
pub(crate) fn struct_cells(store: &StoreInner, inst: u32, ty: u32) -> usize {
    let module = &store.instances[inst as usize].module;
    gc::struct_kinds(module.info(), TypeIndex(ty))
        .map(|k| k.cells() as usize)
        .sum()
}

pub(crate) fn struct_new(store: &mut StoreInner, inst: u32, ty: u32, cells: Option<&[u64]>) -> Result<u64, TrapCode> {
    let module = store.instances[inst as usize].module.clone();
    let info = module.info();
    let fields = match cells {
        Some(cells) => read_fields(cells, gc::struct_kinds(info, TypeIndex(ty))),
        None => alloc::vec![0; gc::struct_kinds(info, TypeIndex(ty)).count()],
    };
    gc::new_struct(store, info, TypeIndex(ty), fields)
}

fn struct_mut(store: &mut StoreInner, raw: u64) -> Result<&mut gc::GcStruct, TrapCode> {
    if raw == 0 {
        return Err(TrapCode::NullReference);
    }
    match &mut store.objects[(raw >> 1) as usize - 1] {
        HeapObject::Struct(s) => Ok(s),
        _ => unreachable!("validated: a struct reference"),
    }
}

fn array_mut(store: &mut StoreInner, raw: u64) -> Result<&mut GcArray, TrapCode> {
    if raw == 0 {
        return Err(TrapCode::NullReference);
    }
    match &mut store.objects[(raw >> 1) as usize - 1] {
        HeapObject::Array(a) => Ok(a),
        _ => unreachable!("validated: an array reference"),
    }
}

pub(crate) fn struct_get(store: &mut StoreInner, raw: u64, field: u32, kind: u8) -> Result<u128, TrapCode> {
    let s = struct_mut(store, raw)?;
    Ok(FieldKind::from_u8(kind).extend(s.fields[field as usize]))
}

pub(crate) fn struct_set(store: &mut StoreInner, raw: u64, field: u32, kind: u8, v: u128) -> Result<(), TrapCode> {
    let size = FieldKind::from_u8(kind).size() as u32;
    struct_mut(store, raw)?.fields[field as usize] = v & (u128::MAX >> (128 - 8 * size));
    Ok(())
}

pub(crate) fn array_new(store: &mut StoreInner, inst: u32, ty: u32, init: u128, len: u64) -> Result<u64, TrapCode> {
    let module = store.instances[inst as usize].module.clone();
    gc::new_array(store, module.info(), TypeIndex(ty), len, core::iter::repeat(init))
}

pub(crate) fn array_new_fixed(
    store: &mut StoreInner,
    inst: u32,
    ty: u32,
    cells: &[u64],
    len: u32,
) -> Result<u64, TrapCode> {
    let module = store.instances[inst as usize].module.clone();
    let kind = gc::array_kind(module.info(), TypeIndex(ty));
    let elems = read_fields(cells, core::iter::repeat_n(kind, len as usize));
    gc::new_array(store, module.info(), TypeIndex(ty), len as u64, elems.into_iter())
}

/// `offset..offset + len` within `size`, or `trap`.
fn span(offset: u64, len: u64, size: usize, trap: TrapCode) -> Result<core::ops::Range<usize>, TrapCode> {
    let end = offset.checked_add(len).filter(|&e| e <= size as u64).ok_or(trap)?;
    Ok(offset as usize..end as usize)
}

/// The bytes of data segment `data` of instance `inst` (empty once dropped).
fn segment_bytes(store: &StoreInner, inst: u32, data: u32) -> &[u8] {
    let instance = &store.instances[inst as usize];
    if instance.data_dropped[data as usize] {
        return &[];
    }
    &instance.module.bytes()[instance.module.info().datas[data as usize].range.clone()]
}

/// Elements of `kind` decoded from `len` elements of a data segment at `offset`.
fn data_elems(
    store: &StoreInner,
    inst: u32,
    data: u32,
    kind: FieldKind,
    offset: u32,
    len: u32,
) -> Result<Vec<u128>, TrapCode> {
    let bytes = segment_bytes(store, inst, data);
    let size = kind.size() as u64;
    let r = span(
        offset as u64,
        len as u64 * size,
        bytes.len(),
        TrapCode::MemoryOutOfBounds,
    )?;
    Ok(bytes[r]
        .chunks(size as usize)
        .map(|c| {
            let mut b = [0u8; 16];
            b[..c.len()].copy_from_slice(c);
            u128::from_le_bytes(b)
        })
        .collect())
}

/// `len` items of element segment `elem` of instance `inst` from `offset`.
fn elem_items(store: &StoreInner, inst: u32, elem: u32, offset: u32, len: u32) -> Result<Vec<u128>, TrapCode> {
    let items = store.instances[inst as usize].elems[elem as usize]
        .as_deref()
        .unwrap_or_default();
    let r = span(offset as u64, len as u64, items.len(), TrapCode::TableOutOfBounds)?;
    Ok(items[r].iter().map(|&v| v as u128).collect())
}

pub(crate) fn array_new_data(
    store: &mut StoreInner,
    inst: u32,
    ty: u32,
    data: u32,
    offset: u32,
    len: u32,
) -> Result<u64, TrapCode> {
    let module = store.instances[inst as usize].module.clone();
    let kind = gc::array_kind(module.info(), TypeIndex(ty));
    let elems = data_elems(store, inst, data, kind, offset, len)?;
    gc::new_array(store, module.info(), TypeIndex(ty), len as u64, elems.into_iter())
}

pub(crate) fn array_new_elem(
    store: &mut StoreInner,
    inst: u32,
    ty: u32,
    elem: u32,
    offset: u32,
    len: u32,
) -> Result<u64, TrapCode> {
    let module = store.instances[inst as usize].module.clone();
    let elems = elem_items(store, inst, elem, offset, len)?;
    gc::new_array(store, module.info(), TypeIndex(ty), len as u64, elems.into_iter())
}

pub(crate) fn array_get(store: &mut StoreInner, raw: u64, index: u32, kind: u8) -> Result<u128, TrapCode> {
    let a = array_mut(store, raw)?;
    if index as usize >= a.len() {
        return Err(TrapCode::ArrayOutOfBounds);
    }
    Ok(FieldKind::from_u8(kind).extend(a.get(index as usize)))
}

pub(crate) fn array_set(store: &mut StoreInner, raw: u64, index: u32, v: u128) -> Result<(), TrapCode> {
    let a = array_mut(store, raw)?;
    if index as usize >= a.len() {
        return Err(TrapCode::ArrayOutOfBounds);
    }
    a.set(index as usize, v);
    Ok(())
}

pub(crate) fn array_len(store: &mut StoreInner, raw: u64) -> Result<u32, TrapCode> {
    Ok(array_mut(store, raw)?.len() as u32)
}

pub(crate) fn array_fill(store: &mut StoreInner, raw: u64, offset: u32, v: u128, len: u32) -> Result<(), TrapCode> {
    let a = array_mut(store, raw)?;
    let r = span(offset as u64, len as u64, a.len(), TrapCode::ArrayOutOfBounds)?;
    for i in r {
        a.set(i, v);
    }
    Ok(())
}

pub(crate) fn array_copy(
    store: &mut StoreInner,
    dst: u64,
    dst_offset: u32,
    src: u64,
    src_offset: u32,
    len: u32,
) -> Result<(), TrapCode> {
    array_mut(store, dst)?;
    let src_array = array_mut(store, src)?;
    let sr = span(
        src_offset as u64,
        len as u64,
        src_array.len(),
        TrapCode::ArrayOutOfBounds,
    )?;
    let size = src_array.kind.size();
    let bytes = src_array.data[sr.start * size..sr.end * size].to_vec();
    let d = array_mut(store, dst)?;
    let dr = span(dst_offset as u64, len as u64, d.len(), TrapCode::ArrayOutOfBounds)?;
    d.data[dr.start * size..dr.end * size].copy_from_slice(&bytes);
    Ok(())
}

pub(crate) fn array_init_data(
    store: &mut StoreInner,
    inst: u32,
    raw: u64,
    dst: u32,
    src: u32,
    len: u32,
    data: u32,
) -> Result<(), TrapCode> {
    let kind = array_mut(store, raw)?.kind;
    let dlen = array_mut(store, raw)?.len();
    span(dst as u64, len as u64, dlen, TrapCode::ArrayOutOfBounds)?;
    let elems = data_elems(store, inst, data, kind, src, len)?;
    let a = array_mut(store, raw)?;
    for (i, v) in elems.into_iter().enumerate() {
        a.set(dst as usize + i, v);
    }
    Ok(())
}

pub(crate) fn array_init_elem(
    store: &mut StoreInner,
    inst: u32,
    raw: u64,
    dst: u32,
    src: u32,
    len: u32,
    elem: u32,
) -> Result<(), TrapCode> {
    let dlen = array_mut(store, raw)?.len();
    span(dst as u64, len as u64, dlen, TrapCode::ArrayOutOfBounds)?;
    let items = elem_items(store, inst, elem, src, len)?;
    let a = array_mut(store, raw)?;
    for (i, v) in items.into_iter().enumerate() {
        a.set(dst as usize + i, v);
    }
    Ok(())
}
