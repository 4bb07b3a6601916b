//! Wasm backtraces of traps raised in compiled code.
//!
//! Compiled code keeps frame pointers (`preserve_frame_pointers`), so the
//! wasm frames of a trap are a chain of (saved frame pointer, return
//! address) pairs on the native stack. They can only be read while those
//! frames are there: where the trap is raised (the `trap` libcall of a
//! trap block, a libcall reporting one, the guard-page signal handler),
//! not once the trapping code has returned. What is recorded then is raw,
//! the return addresses up the chain below the entry's frame; the entry
//! maps them to functions when it turns the trap cell into a [`Trap`],
//! keeping the frames up to the first address outside any wasm function
//! (the entry trampoline's).
//!
//! [`Trap`]: crate::Trap

use crate::error::FrameInfo;
use crate::store::StoreInner;
use alloc::string::String;
use alloc::vec::Vec;

/// As many frames as the interpreter's backtraces hold.
pub(crate) const MAX_FRAMES: usize = 64;

/// Where compiled code called into the runtime: its frame pointer and the
/// call's return address. Zero when unknown (hosts without the recording
/// libcall entries of `super::recording`).
#[derive(Debug, Clone, Copy, Default)]
#[repr(C)]
pub(crate) struct CallSite {
    pub(crate) fp: usize,
    pub(crate) pc: usize,
}

/// Passes `site.pc`, then the return address of each frame up the chain of
/// saved frame pointers from `site.fp`, to `push`, until `push` returns
/// false, [`MAX_FRAMES`] addresses were passed or the chain stops going
/// up the stack below `stack_top`. Allocates nothing, for the signal
/// handler.
///
/// # Safety
/// `site.fp` must be zero or a frame pointer of this thread's stack below
/// `stack_top`, and every word between them readable (the live stack of
/// this thread between a compiled frame and the entry's frame is). The
/// chain may lead into host frames without frame pointers: their words
/// are read only while they point strictly upwards below `stack_top`, so
/// every read stays in that range.
pub(crate) unsafe fn walk(site: CallSite, stack_top: usize, mut push: impl FnMut(usize) -> bool) {
    if site.pc == 0 || !push(site.pc) {
        return;
    }
    let mut fp = site.fp;
    for _ in 1..MAX_FRAMES {
        if fp == 0 || !fp.is_multiple_of(8) || fp.saturating_add(16) > stack_top {
            return;
        }
        // SAFETY: `fp..fp + 16` lies in the readable range of the
        // contract: at or above the first frame pointer (the chain only
        // goes up) and below `stack_top` (checked above).
        let (next, ret) = unsafe { (*(fp as *const usize), *((fp + 8) as *const usize)) };
        if !push(ret) || next <= fp {
            return;
        }
        fp = next;
    }
}

/// The wasm frames of the recorded addresses `pcs`, innermost first, up to
/// the first address that is in no compiled wasm function of `store`.
pub(crate) fn frames(store: &StoreInner, pcs: &[usize]) -> Vec<FrameInfo> {
    pcs.iter().map_while(|&pc| locate(store, pc)).collect()
}

/// The function whose code holds the instruction before `pc` (a return
/// address follows its call instruction, which may end the function).
fn locate(store: &StoreInner, pc: usize) -> Option<FrameInfo> {
    let pc = pc.checked_sub(1)?;
    store.instances.iter().find_map(|instance| {
        let module = &instance.module;
        let defined = module.jit_code()?.loaded.func_at(pc)?;
        let index = defined as u32 + module.info().num_imported_funcs;
        Some(FrameInfo {
            func_index: index,
            func_name: module.func_name(index),
            module_name: module.name().map(String::from),
        })
    })
}
