//! The libcalls compiled code calls (`mote_cranelift::VMLibcalls`), with
//! the interpreter's semantics: the bulk operations are the interpreter's
//! own (`exec::bulk`), and growing goes through the entities, which keep
//! their definitions current.
//!
//! Each receives the calling instance's `VMContext`; its header leads to
//! the store (through the store context) and to the instance (through
//! `host_data`). A failure writes its trap code into the trap cell.

use super::backtrace;
use super::gc_libcall;
use super::instance::InstanceJit;
use super::recording::recording_entry;
use super::store_ctx::StoreCtx;
use crate::exec::bulk;
use crate::store::StoreInner;
use mote_core::TrapCode;
use mote_cranelift::VMLibcalls;
use mote_cranelift::vmctx::{VMContext, VMContextHeader};
use mote_environ::SharedTypeId;

/// The table every `VMContext` of this runtime points to.
/// The libcalls that may raise a trap are entered through
/// [`recording_entry`]s, for the trap's backtrace.
pub(crate) static LIBCALLS: VMLibcalls = VMLibcalls {
    memory_grow,
    memory_fill: memory_fill_entry,
    memory_copy: memory_copy_entry,
    memory_init: memory_init_entry,
    data_drop,
    table_grow,
    table_fill: table_fill_entry,
    table_copy: table_copy_entry,
    table_init: table_init_entry,
    elem_drop,
    func_subtype,
    trap: trap_entry,
    gc: gc_entry,
    raise: raise_entry,
};

recording_entry!(memory_fill_entry => memory_fill(vmctx: *mut VMContext, memory: u32, dst: u64, value: u32, len: u64));
recording_entry!(memory_copy_entry => memory_copy(
    vmctx: *mut VMContext, dst_memory: u32, src_memory: u32, dst: u64, src: u64, len: u64
));
recording_entry!(memory_init_entry => memory_init(
    vmctx: *mut VMContext, memory: u32, data: u32, dst: u64, src: u64, len: u64
));
recording_entry!(table_fill_entry => table_fill(vmctx: *mut VMContext, table: u32, dst: u64, value: u64, len: u64));
recording_entry!(table_copy_entry => table_copy(
    vmctx: *mut VMContext, dst_table: u32, src_table: u32, dst: u64, src: u64, len: u64
));
recording_entry!(table_init_entry => table_init(
    vmctx: *mut VMContext, table: u32, elem: u32, dst: u64, src: u64, len: u64
));
recording_entry!(trap_entry => trap(vmctx: *mut VMContext, code: u32));
recording_entry!(raise_entry => raise(vmctx: *mut VMContext) -> !);
recording_entry!(gc_entry => gc(vmctx: *mut VMContext, op: u32, a: u32, b: u32, cells: *mut u64, len: usize) -> u64);

/// The store, the calling instance's index and the store context behind
/// `vmctx`.
///
/// # Safety
/// `vmctx` must be a `VMContext` built by [`super::instance::attach`]
/// whose store is running wasm (so `StoreCtx::inner` is set), and the
/// caller must not keep another reference to that store alive.
unsafe fn context<'a>(vmctx: *mut VMContext) -> (&'a mut StoreInner, u32, *mut StoreCtx) {
    // SAFETY: per the contract, the header is initialized, its `store`
    // is the `vm` field at the start of a `StoreCtx` (`repr(C)`), and its
    // `host_data` is the instance's boxed `InstanceJit`.
    unsafe {
        let header = vmctx.cast::<VMContextHeader>().read();
        let ctx = header.store.cast::<StoreCtx>();
        let id = (*header.host_data.cast::<InstanceJit>()).id;
        (&mut *(*ctx).inner, id, ctx)
    }
}

/// Reports `result`'s trap, if any, through the trap cell, with the
/// compiled frames it was raised in.
///
/// # Safety
/// `ctx` must be the running store's context, called from a libcall
/// entered through its [`recording_entry`].
unsafe fn report(ctx: *mut StoreCtx, result: Result<(), TrapCode>) {
    if let Err(code) = result {
        // SAFETY: per the contract; nothing else borrows the cell now.
        unsafe {
            (*ctx).vm.trap_code = code as u32;
            record_frames(ctx);
        }
    }
}

/// Records the return addresses of the compiled frames above the call
/// site the libcall's entry noted, for the entry to map to a backtrace.
///
/// # Safety
/// As for [`report`].
unsafe fn record_frames(ctx: *mut StoreCtx) {
    // SAFETY: per the contract, `ctx` is the running store's context and
    // nothing else borrows it.
    let ctx = unsafe { &mut *ctx };
    let site = core::mem::take(&mut ctx.call_site);
    let pcs = &mut ctx.trap_pcs;
    pcs.clear();
    // SAFETY: the call site is the calling compiled function's frame, on
    // this thread's stack below the running entry's frame (`entry_sp`).
    unsafe {
        backtrace::walk(site, ctx.entry_sp, |pc| {
            pcs.push(pc);
            true
        });
    }
}

unsafe extern "C" fn memory_grow(vmctx: *mut VMContext, memory: u32, delta: u64) -> u64 {
    // SAFETY: compiled code passes its own, complete `VMContext`.
    let (store, inst, _) = unsafe { context(vmctx) };
    let m = store.instances[inst as usize].memories[memory as usize] as usize;
    store.memories[m].grow(delta).unwrap_or(u64::MAX)
}

unsafe extern "C" fn memory_fill(vmctx: *mut VMContext, memory: u32, dst: u64, value: u32, len: u64) {
    // SAFETY: as in `memory_grow`.
    let (store, inst, ctx) = unsafe { context(vmctx) };
    let result = bulk::memory_fill(store, inst, memory, dst, value as u8, len);
    // SAFETY: `ctx` is this store's context.
    unsafe { report(ctx, result) }
}

unsafe extern "C" fn memory_copy(
    vmctx: *mut VMContext,
    dst_memory: u32,
    src_memory: u32,
    dst: u64,
    src: u64,
    len: u64,
) {
    // SAFETY: as in `memory_grow`.
    let (store, inst, ctx) = unsafe { context(vmctx) };
    let result = bulk::memory_copy(store, inst, dst_memory, src_memory, dst, src, len);
    // SAFETY: `ctx` is this store's context.
    unsafe { report(ctx, result) }
}

/// A segment offset or length: wasm passes an `i32`, zero-extended.
fn segment_u32(v: u64, code: TrapCode) -> Result<u32, TrapCode> {
    u32::try_from(v).map_err(|_| code)
}

unsafe extern "C" fn memory_init(vmctx: *mut VMContext, memory: u32, data: u32, dst: u64, src: u64, len: u64) {
    // SAFETY: as in `memory_grow`.
    let (store, inst, ctx) = unsafe { context(vmctx) };
    let oob = TrapCode::MemoryOutOfBounds;
    let result = segment_u32(src, oob)
        .and_then(|src| Ok((src, segment_u32(len, oob)?)))
        .and_then(|(src, len)| bulk::memory_init(store, inst, memory, data, dst, src, len));
    // SAFETY: `ctx` is this store's context.
    unsafe { report(ctx, result) }
}

unsafe extern "C" fn data_drop(vmctx: *mut VMContext, data: u32) {
    // SAFETY: as in `memory_grow`.
    let (store, inst, _) = unsafe { context(vmctx) };
    store.instances[inst as usize].data_dropped[data as usize] = true;
}

unsafe extern "C" fn table_grow(vmctx: *mut VMContext, table: u32, init: u64, delta: u64) -> u64 {
    // SAFETY: as in `memory_grow`.
    let (store, inst, _) = unsafe { context(vmctx) };
    let t = store.instances[inst as usize].tables[table as usize] as usize;
    store.tables[t].grow(delta, init).unwrap_or(u64::MAX)
}

unsafe extern "C" fn table_fill(vmctx: *mut VMContext, table: u32, dst: u64, value: u64, len: u64) {
    // SAFETY: as in `memory_grow`.
    let (store, inst, ctx) = unsafe { context(vmctx) };
    let result = bulk::table_fill(store, inst, table, dst, value, len);
    // SAFETY: `ctx` is this store's context.
    unsafe { report(ctx, result) }
}

unsafe extern "C" fn table_copy(vmctx: *mut VMContext, dst_table: u32, src_table: u32, dst: u64, src: u64, len: u64) {
    // SAFETY: as in `memory_grow`.
    let (store, inst, ctx) = unsafe { context(vmctx) };
    let result = bulk::table_copy(store, inst, dst_table, src_table, dst, src, len);
    // SAFETY: `ctx` is this store's context.
    unsafe { report(ctx, result) }
}

unsafe extern "C" fn table_init(vmctx: *mut VMContext, table: u32, elem: u32, dst: u64, src: u64, len: u64) {
    // SAFETY: as in `memory_grow`.
    let (store, inst, ctx) = unsafe { context(vmctx) };
    let oob = TrapCode::TableOutOfBounds;
    let result = segment_u32(src, oob)
        .and_then(|src| Ok((src, segment_u32(len, oob)?)))
        .and_then(|(src, len)| bulk::table_init(store, inst, table, elem, dst, src, len));
    // SAFETY: `ctx` is this store's context.
    unsafe { report(ctx, result) }
}

unsafe extern "C" fn elem_drop(vmctx: *mut VMContext, elem: u32) {
    // SAFETY: as in `memory_grow`.
    let (store, inst, _) = unsafe { context(vmctx) };
    store.instances[inst as usize].elems[elem as usize] = None;
}

unsafe extern "C" fn func_subtype(vmctx: *mut VMContext, actual: u32, expected: u32) -> u64 {
    // SAFETY: as in `memory_grow`.
    let (store, _, _) = unsafe { context(vmctx) };
    let (actual, expected) = (SharedTypeId(actual), SharedTypeId(expected));
    let is_sub = actual == expected || store.engine.with_types(|t| t.get(actual).supers.contains(&expected));
    u64::from(is_sub)
}

/// Called by a trap block after it wrote its trap code: records the
/// backtrace.
unsafe extern "C" fn trap(vmctx: *mut VMContext, _code: u32) {
    // SAFETY: as in `memory_grow`; entered through `trap_entry`.
    unsafe {
        let (_, _, ctx) = context(vmctx);
        record_frames(ctx);
    }
}

/// Leaves compiled code with the trap in the trap cell (see
/// `VMLibcalls::raise`); entered through `raise_entry`, which noted the
/// raising function's frame, where the search for a handler starts.
unsafe extern "C" fn raise(vmctx: *mut VMContext) -> ! {
    // SAFETY: compiled code passes its own, complete `VMContext`, whose
    // header leads to the running store's context (`vm` first); it calls
    // `raise` only while running inside an entry.
    unsafe {
        let ctx = vmctx.cast::<VMContextHeader>().read().store.cast::<StoreCtx>();
        let code = (*ctx).vm.trap_code;
        let site = core::mem::take(&mut (*ctx).call_site);
        let from = (code == TrapCode::UncaughtException as u32).then_some(site.fp);
        super::signals::raise(code, from)
    }
}

unsafe extern "C" fn gc(vmctx: *mut VMContext, op: u32, a: u32, b: u32, cells: *mut u64, len: usize) -> u64 {
    // SAFETY: as in `memory_grow`.
    let (store, inst, ctx) = unsafe { context(vmctx) };
    // SAFETY: compiled code passes its scratch area of `len` cells.
    let cells = unsafe { core::slice::from_raw_parts_mut(cells, len) };
    let result = gc_libcall::run(store, inst, op, a, b, cells);
    // A new object must be in the table before compiled code uses it.
    gc_libcall::sync_objects(store);
    // SAFETY: `ctx` is this store's context.
    unsafe { report(ctx, result.map(|_| ())) };
    result.unwrap_or(0)
}
