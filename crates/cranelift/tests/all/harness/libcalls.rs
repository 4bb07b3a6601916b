//! The harness's libcalls and host-call shim: the runtime side of the
//! `VMLibcalls` table, with the spec's semantics for each operation.

use super::REGISTRY;
use super::store::{HostFunc, InstanceData, Store};
use mote_core::TrapCode;
use mote_cranelift::VMLibcalls;
use mote_cranelift::vmctx::{GcOp, VMContext, VMContextHeader, VMMemoryDefinition, VMTableDefinition};

pub(super) const LIBCALLS: VMLibcalls = VMLibcalls {
    memory_grow,
    memory_fill,
    memory_copy,
    memory_init,
    data_drop,
    table_grow,
    table_fill,
    table_copy,
    table_init,
    elem_drop,
    func_subtype,
    trap,
    gc,
    raise: raise_entry,
};

/// The instance behind a `VMContext` and its store.
///
/// # Safety
/// `vmctx` must be an instance's context made by the harness store, which
/// must be alive; the harness is single-threaded, so nothing else touches
/// the store while a libcall runs.
unsafe fn parts<'a>(vmctx: *mut VMContext) -> (&'a mut InstanceData, &'a mut Store) {
    // SAFETY: `host_data` is the boxed instance (see `Store::instantiate`),
    // which points back at its boxed store.
    unsafe {
        let inst = &mut *(*vmctx.cast::<VMContextHeader>()).host_data.cast::<InstanceData>();
        let store = &mut *inst.store;
        (inst, store)
    }
}

/// The harness runs code that raises traps (guard-page code) only where it
/// does not trap: it has no entry to jump back to.
unsafe extern "C" fn raise_entry(_vmctx: *mut VMContext) -> ! {
    std::process::abort()
}

fn in_bounds(start: u64, len: u64, size: u64) -> bool {
    start.checked_add(len).is_some_and(|end| end <= size)
}

fn raise(store: &mut Store, code: TrapCode) {
    store.ctx.trap_code = code as u32;
}

pub(super) unsafe extern "C" fn host_call(
    callee: *mut VMContext,
    caller: *mut VMContext,
    values: *mut u64,
    len: usize,
) {
    // SAFETY: `callee` is a boxed `HostFunc` of the store, `values` holds
    // `len` cells, `caller` is an instance's context.
    unsafe {
        let host = &*callee.cast::<HostFunc>();
        let cells = std::slice::from_raw_parts_mut(values, len);
        if let Err(code) = (host.func)(cells) {
            raise(parts(caller).1, code);
        }
    }
}

unsafe extern "C" fn func_subtype(_vmctx: *mut VMContext, actual: u32, expected: u32) -> u64 {
    let (a, e) = (mote_environ::SharedTypeId(actual), mote_environ::SharedTypeId(expected));
    u64::from(REGISTRY.with_borrow(|r| r.id_is_subtype(a, e)))
}

/// Exceptions only: the harness has no object heap, so a GC operation
/// traps with `HostError` (GC in compiled code is tested through the
/// `mote` runtime, which has one). A tag is identified by the instance
/// that defines it and its index there (the harness links no tags).
unsafe extern "C" fn gc(vmctx: *mut VMContext, op: u32, a: u32, _b: u32, cells: *mut u64, len: usize) -> u64 {
    // SAFETY: called by compiled code with its own context and its
    // scratch area of `len` cells.
    let ((inst, store), cells) = unsafe { (parts(vmctx), std::slice::from_raw_parts_mut(cells, len)) };
    let thrower: *const InstanceData = inst;
    match GcOp::from_code(op) {
        Some(GcOp::Throw) => {
            let n = usize::from(inst.info.func_type(inst.info.tags[a as usize]).param_cells());
            store.exceptions.push((thrower, a, cells[..n].to_vec()));
            (store.exceptions.len() as u64) << 1
        }
        Some(GcOp::Catch) => {
            let (by, tag, payload) = &store.exceptions[(cells[0] >> 1) as usize - 1];
            if (*by, *tag) != (thrower, a) {
                return 0;
            }
            cells[..payload.len()].copy_from_slice(payload);
            1
        }
        _ => {
            raise(store, TrapCode::HostError);
            0
        }
    }
}

/// Counts traps, so tests can see the hook runs once per trap.
unsafe extern "C" fn trap(vmctx: *mut VMContext, code: u32) {
    // SAFETY: called by compiled code with its own context.
    let (_, store) = unsafe { parts(vmctx) };
    assert_eq!(store.ctx.trap_code, code, "the code is stored before the hook runs");
    store.traps_seen += 1;
}

unsafe extern "C" fn memory_grow(vmctx: *mut VMContext, memory: u32, delta: u64) -> u64 {
    // SAFETY: called by compiled code with its own context.
    let (inst, store) = unsafe { parts(vmctx) };
    let m = &mut store.memories[inst.memories[memory as usize]];
    let old = m.bytes.len() as u64 / m.page_size;
    match old.checked_add(delta).filter(|&n| n <= m.max_pages) {
        Some(new) => {
            m.bytes.resize((new * m.page_size) as usize, 0);
            m.def = VMMemoryDefinition {
                base: m.bytes.as_mut_ptr(),
                length: m.bytes.len() as u64,
            };
            old
        }
        None => u64::MAX,
    }
}

unsafe extern "C" fn memory_fill(vmctx: *mut VMContext, memory: u32, dst: u64, value: u32, len: u64) {
    // SAFETY: called by compiled code with its own context.
    let (inst, store) = unsafe { parts(vmctx) };
    let m = &mut store.memories[inst.memories[memory as usize]];
    if !in_bounds(dst, len, m.bytes.len() as u64) {
        return raise(store, TrapCode::MemoryOutOfBounds);
    }
    m.bytes[dst as usize..(dst + len) as usize].fill(value as u8);
}

unsafe extern "C" fn memory_copy(vmctx: *mut VMContext, dst_mem: u32, src_mem: u32, dst: u64, src: u64, len: u64) {
    // SAFETY: called by compiled code with its own context.
    let (inst, store) = unsafe { parts(vmctx) };
    let (d, s) = (inst.memories[dst_mem as usize], inst.memories[src_mem as usize]);
    let (dl, sl) = (
        store.memories[d].bytes.len() as u64,
        store.memories[s].bytes.len() as u64,
    );
    if !in_bounds(dst, len, dl) || !in_bounds(src, len, sl) {
        return raise(store, TrapCode::MemoryOutOfBounds);
    }
    let bytes = store.memories[s].bytes[src as usize..(src + len) as usize].to_vec();
    store.memories[d].bytes[dst as usize..(dst + len) as usize].copy_from_slice(&bytes);
}

unsafe extern "C" fn memory_init(vmctx: *mut VMContext, memory: u32, data: u32, dst: u64, src: u64, len: u64) {
    // SAFETY: called by compiled code with its own context.
    let (inst, store) = unsafe { parts(vmctx) };
    let seg = inst.datas[data as usize].clone().unwrap_or_default();
    let m = &mut store.memories[inst.memories[memory as usize]];
    if !in_bounds(src, len, seg.len() as u64) || !in_bounds(dst, len, m.bytes.len() as u64) {
        return raise(store, TrapCode::MemoryOutOfBounds);
    }
    m.bytes[dst as usize..(dst + len) as usize].copy_from_slice(&seg[src as usize..(src + len) as usize]);
}

unsafe extern "C" fn data_drop(vmctx: *mut VMContext, data: u32) {
    // SAFETY: called by compiled code with its own context.
    unsafe { parts(vmctx) }.0.datas[data as usize] = None;
}

unsafe extern "C" fn table_grow(vmctx: *mut VMContext, table: u32, init: u64, delta: u64) -> u64 {
    // SAFETY: called by compiled code with its own context.
    let (inst, store) = unsafe { parts(vmctx) };
    let t = &mut store.tables[inst.tables[table as usize]];
    let old = t.elems.len() as u64;
    match old.checked_add(delta).filter(|&n| n <= t.max) {
        Some(new) => {
            t.elems.resize(new as usize, init);
            t.def = VMTableDefinition {
                base: t.elems.as_mut_ptr(),
                length: new,
            };
            old
        }
        None => u64::MAX,
    }
}

unsafe extern "C" fn table_fill(vmctx: *mut VMContext, table: u32, dst: u64, value: u64, len: u64) {
    // SAFETY: called by compiled code with its own context.
    let (inst, store) = unsafe { parts(vmctx) };
    let t = &mut store.tables[inst.tables[table as usize]];
    if !in_bounds(dst, len, t.elems.len() as u64) {
        return raise(store, TrapCode::TableOutOfBounds);
    }
    t.elems[dst as usize..(dst + len) as usize].fill(value);
}

unsafe extern "C" fn table_copy(vmctx: *mut VMContext, dst_t: u32, src_t: u32, dst: u64, src: u64, len: u64) {
    // SAFETY: called by compiled code with its own context.
    let (inst, store) = unsafe { parts(vmctx) };
    let (d, s) = (inst.tables[dst_t as usize], inst.tables[src_t as usize]);
    let (dl, sl) = (store.tables[d].elems.len() as u64, store.tables[s].elems.len() as u64);
    if !in_bounds(dst, len, dl) || !in_bounds(src, len, sl) {
        return raise(store, TrapCode::TableOutOfBounds);
    }
    let items = store.tables[s].elems[src as usize..(src + len) as usize].to_vec();
    store.tables[d].elems[dst as usize..(dst + len) as usize].copy_from_slice(&items);
}

unsafe extern "C" fn table_init(vmctx: *mut VMContext, table: u32, elem: u32, dst: u64, src: u64, len: u64) {
    // SAFETY: called by compiled code with its own context.
    let (inst, store) = unsafe { parts(vmctx) };
    let seg = inst.elems[elem as usize].clone().unwrap_or_default();
    let t = &mut store.tables[inst.tables[table as usize]];
    if !in_bounds(src, len, seg.len() as u64) || !in_bounds(dst, len, t.elems.len() as u64) {
        return raise(store, TrapCode::TableOutOfBounds);
    }
    t.elems[dst as usize..(dst + len) as usize].copy_from_slice(&seg[src as usize..(src + len) as usize]);
}

unsafe extern "C" fn elem_drop(vmctx: *mut VMContext, elem: u32) {
    // SAFETY: called by compiled code with its own context.
    unsafe { parts(vmctx) }.0.elems[elem as usize] = None;
}
