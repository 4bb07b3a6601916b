//! Helpers of the interpreter loop that need no access to its registers:
//! exception-handler lookup, sub-word SIMD memory access, `call_indirect`
//! resolution and trap backtraces.

use super::slots::{MemView, get};
use crate::error::FrameInfo;
use crate::func::FuncKind;
use crate::store::StoreInner;
use alloc::vec::Vec;
use mote_core::TrapCode;
use mote_ir::{Catch, Handler};

/// The first catch clause of the innermost handler around `pc` that
/// catches exceptions with store tag `tag`.
pub(super) fn find_catch(store: &StoreInner, inst: u32, handlers: &[Handler], pc: u32, tag: u32) -> Option<Catch> {
    let tags = &store.instances[inst as usize].tags;
    handlers
        .iter()
        .rev()
        .filter(|h| h.start <= pc && pc < h.end)
        .flat_map(|h| h.catches.iter())
        .find(|c| c.tag.is_none_or(|t| tags[t as usize] == tag))
        .copied()
}

/// Reads a `1 << width_log2`-byte little-endian scalar.
#[inline]
pub(super) fn load_scalar(mem: MemView, addr: u64, offset: u32, width_log2: u8) -> Result<u64, TrapCode> {
    let v = match width_log2 {
        0 => mem.load::<1>(addr, offset).map(|b| b[0] as u64),
        1 => mem.load::<2>(addr, offset).map(|b| u16::from_le_bytes(b) as u64),
        2 => mem.load::<4>(addr, offset).map(|b| u32::from_le_bytes(b) as u64),
        _ => mem.load::<8>(addr, offset).map(u64::from_le_bytes),
    };
    v.ok_or(TrapCode::MemoryOutOfBounds)
}

/// Writes the low `1 << width_log2` bytes of `v`, little-endian.
#[inline]
pub(super) fn store_scalar(mem: MemView, addr: u64, offset: u32, width_log2: u8, v: u64) -> Result<(), TrapCode> {
    let r = match width_log2 {
        0 => mem.store::<1>(addr, offset, [v as u8]),
        1 => mem.store::<2>(addr, offset, (v as u16).to_le_bytes()),
        2 => mem.store::<4>(addr, offset, (v as u32).to_le_bytes()),
        _ => mem.store::<8>(addr, offset, v.to_le_bytes()),
    };
    r.ok_or(TrapCode::MemoryOutOfBounds)
}

/// Resolves a `call_indirect` to a store function, checking bounds, null and type.
#[inline]
pub(super) fn indirect_callee(
    store: &StoreInner,
    inst: u32,
    ty: u32,
    table: u32,
    fp: *mut u64,
    index: mote_ir::Slot,
) -> Result<u32, TrapCode> {
    let instance = &store.instances[inst as usize];
    let t = instance.tables[table as usize] as usize;
    // SAFETY: slots per the module contract.
    let i = unsafe { get(fp, index) };
    let raw = *usize::try_from(i)
        .ok()
        .and_then(|i| store.tables[t].elements.get(i))
        .ok_or(TrapCode::TableOutOfBounds)?;
    if raw == 0 {
        return Err(TrapCode::IndirectCallToNull);
    }
    let callee = (raw - 1) as u32;
    let expected = instance.module.info().type_ids[ty as usize];
    if !store.funcs[callee as usize].matches(expected) {
        return Err(TrapCode::BadSignature);
    }
    Ok(callee)
}

/// The wasm frames from the innermost (`cur_func`) out to the entry frame.
pub(super) fn backtrace(store: &StoreInner, cur_func: u32, entry_depth: usize) -> Vec<FrameInfo> {
    let frames = &store.exec.frames[entry_depth..];
    core::iter::once(cur_func)
        .chain(frames.iter().rev().map(|f| f.func))
        .take(64)
        .map(|f| frame_info(store, f))
        .collect()
}

pub(super) fn frame_info(store: &StoreInner, func: u32) -> FrameInfo {
    match &store.funcs[func as usize].kind {
        FuncKind::Wasm { instance, index, .. } => {
            let module = &store.instances[*instance as usize].module;
            FrameInfo {
                func_index: index.0,
                func_name: module.func_name(index.0),
                module_name: module.name().map(alloc::string::String::from),
            }
        }
        FuncKind::Host(_) => FrameInfo {
            func_index: func,
            func_name: Some("<host function>".into()),
            module_name: None,
        },
    }
}
