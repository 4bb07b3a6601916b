//! Bulk memory and table instructions: rare enough to live outside the
//! dispatch loop. Each checks its whole range before touching anything, as
//! the specification requires.

use crate::store::StoreInner;
use mote_core::TrapCode;

/// `start..start + len` if it lies within `size`.
fn range(start: u64, len: u64, size: u64) -> Result<core::ops::Range<usize>, TrapCode> {
    let end = start
        .checked_add(len)
        .filter(|&e| e <= size)
        .ok_or(TrapCode::MemoryOutOfBounds)?;
    Ok(start as usize..end as usize)
}

fn memory_index(store: &StoreInner, inst: u32, mem: u32) -> usize {
    store.instances[inst as usize].memories[mem as usize] as usize
}

fn table_index(store: &StoreInner, inst: u32, table: u32) -> usize {
    store.instances[inst as usize].tables[table as usize] as usize
}

pub(crate) fn memory_fill(
    store: &mut StoreInner,
    inst: u32,
    mem: u32,
    dst: u64,
    value: u8,
    len: u64,
) -> Result<(), TrapCode> {
    let m = memory_index(store, inst, mem);
    let bytes = store.memories[m].bytes_mut();
    let r = range(dst, len, bytes.len() as u64)?;
    bytes[r].fill(value);
    Ok(())
}

pub(crate) fn memory_copy(
    store: &mut StoreInner,
    inst: u32,
    dst_mem: u32,
    src_mem: u32,
    dst: u64,
    src: u64,
    len: u64,
) -> Result<(), TrapCode> {
    let d = memory_index(store, inst, dst_mem);
    let s = memory_index(store, inst, src_mem);
    if d == s {
        let bytes = store.memories[d].bytes_mut();
        let size = bytes.len() as u64;
        let sr = range(src, len, size)?;
        let dr = range(dst, len, size)?;
        bytes.copy_within(sr, dr.start);
    } else {
        let src_len = store.memories[s].len();
        let sr = range(src, len, src_len)?;
        let dst_len = store.memories[d].len();
        let dr = range(dst, len, dst_len)?;
        let (a, b) = if d < s {
            let (lo, hi) = store.memories.split_at_mut(s);
            (&mut lo[d], &hi[0])
        } else {
            let (lo, hi) = store.memories.split_at_mut(d);
            (&mut hi[0], &lo[s])
        };
        a.bytes_mut()[dr].copy_from_slice(&b.bytes()[sr]);
    }
    Ok(())
}

pub(crate) fn memory_init(
    store: &mut StoreInner,
    inst: u32,
    mem: u32,
    data: u32,
    dst: u64,
    src: u32,
    len: u32,
) -> Result<(), TrapCode> {
    let instance = &store.instances[inst as usize];
    let module = instance.module.clone();
    let segment = &module.info().datas[data as usize];
    let bytes: &[u8] = if instance.data_dropped[data as usize] {
        &[]
    } else {
        &module.bytes()[segment.range.clone()]
    };
    let sr = range(src as u64, len as u64, bytes.len() as u64)?;
    let m = memory_index(store, inst, mem);
    let mem_bytes = store.memories[m].bytes_mut();
    let dr = range(dst, len as u64, mem_bytes.len() as u64)?;
    mem_bytes[dr].copy_from_slice(&bytes[sr]);
    Ok(())
}

fn table_range(start: u64, len: u64, size: u64) -> Result<core::ops::Range<usize>, TrapCode> {
    range(start, len, size).map_err(|_| TrapCode::TableOutOfBounds)
}

pub(crate) fn table_fill(
    store: &mut StoreInner,
    inst: u32,
    table: u32,
    dst: u64,
    value: u64,
    len: u64,
) -> Result<(), TrapCode> {
    let t = table_index(store, inst, table);
    let elements = &mut store.tables[t].elements;
    let r = table_range(dst, len, elements.len() as u64)?;
    elements[r].fill(value);
    Ok(())
}

pub(crate) fn table_copy(
    store: &mut StoreInner,
    inst: u32,
    dst_table: u32,
    src_table: u32,
    dst: u64,
    src: u64,
    len: u64,
) -> Result<(), TrapCode> {
    let d = table_index(store, inst, dst_table);
    let s = table_index(store, inst, src_table);
    let sr = table_range(src, len, store.tables[s].size())?;
    let dr = table_range(dst, len, store.tables[d].size())?;
    if d == s {
        store.tables[d].elements.copy_within(sr, dr.start);
    } else {
        let (a, b) = if d < s {
            let (lo, hi) = store.tables.split_at_mut(s);
            (&mut lo[d], &hi[0])
        } else {
            let (lo, hi) = store.tables.split_at_mut(d);
            (&mut hi[0], &lo[s])
        };
        a.elements[dr].copy_from_slice(&b.elements[sr]);
    }
    Ok(())
}

pub(crate) fn table_init(
    store: &mut StoreInner,
    inst: u32,
    table: u32,
    elem: u32,
    dst: u64,
    src: u32,
    len: u32,
) -> Result<(), TrapCode> {
    let t = table_index(store, inst, table);
    let (instances, tables) = (&store.instances, &mut store.tables);
    let items = instances[inst as usize].elems[elem as usize]
        .as_deref()
        .unwrap_or_default();
    let sr = table_range(src as u64, len as u64, items.len() as u64)?;
    let elements = &mut tables[t].elements;
    let dr = table_range(dst, len as u64, elements.len() as u64)?;
    elements[dr].copy_from_slice(&items[sr]);
    Ok(())
}
