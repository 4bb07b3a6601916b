//! Guard-page traps: a fault of compiled code at one of its trap sites
//! becomes the wasm trap the site stands for (an out-of-bounds access, or
//! one of the checks compiled as a conditional trap instruction).
//!
//! In guard-page mode (`Config::guard_pages`) the compiler leaves 32-bit
//! memory accesses unchecked: every such memory lives at the start of a
//! reservation large enough for any 32-bit index plus offset, inaccessible
//! beyond its current length (see `crate::memory`), so an out-of-bounds
//! access faults instead of touching other memory. This module turns that
//! fault back into a trap:
//!
//! - [`register`] records each module's code range and trap sites (the
//!   faulting instructions the compiler reported) in a process-wide table,
//!   and installs the signal handler the first time.
//! - [`call`] enters compiled code through a small assembly stub that saves
//!   the callee-saved registers and remembers its stack pointer in a
//!   per-thread activation record.
//! - The handler checks that the thread is inside such a call and that the
//!   faulting pc is a registered trap site; if so it rewrites the signal
//!   context so that, when the handler returns, execution resumes in the
//!   stub's landing with the saved stack pointer, which restores the
//!   registers and returns "trapped" to [`call`]. Compiled frames hold
//!   nothing to clean up, and no host frame lies between the fault and the
//!   innermost entry (a host function that re-enters wasm makes its own
//!   activation), so skipping them is sound.
//! - [`raise`] resumes the same landing without a fault: guard-page code
//!   calls it (through the `raise` libcall) for every trap it writes into
//!   the trap cell, so it never returns with the cell set. An exception
//!   resumes the handler of the nearest call inside a `try_table` instead,
//!   if a frame below the entry has one (the modules' handler sites).
//! - Any other fault goes to the handler that was installed before ours
//!   (for example the standard library's stack-overflow reporter), or to
//!   the default action, so a genuine crash still crashes.
//!
//! Only x86-64 Linux has the handler so far ([`SUPPORTED`]); elsewhere the
//! engine compiles explicit bounds checks and guard-page code is refused.

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
mod linux_x86_64;
mod registry;

use crate::Error;
use mote_cranelift::vmctx::{TrampolineFn, VMContext};
use mote_cranelift::{HandlerSite, LoadedModule, TrapSite};

/// Whether this host can catch guard-page faults of compiled code.
pub(crate) const SUPPORTED: bool = cfg!(all(target_os = "linux", target_arch = "x86_64"));

/// A module's code range in the trap-site table, removed when dropped.
/// Must be dropped before the code is unmapped, so that a later mapping at
/// the same address is never mistaken for it.
pub(crate) struct Registration {
    start: usize,
}

impl Drop for Registration {
    fn drop(&mut self) {
        registry::remove(self.start);
    }
}

/// Records `code`'s trap sites, so that faults there become traps, and
/// its handler sites, for [`raise`]; `None` if it has neither (explicitly
/// checked code needs no handler).
///
/// # Errors
/// If `sites` or `handlers` is not empty and this host has no handler, or
/// installing it failed.
pub(crate) fn register(
    code: &LoadedModule,
    sites: &[TrapSite],
    handlers: &[HandlerSite],
) -> Result<Option<Registration>, Error> {
    if sites.is_empty() && handlers.is_empty() {
        return Ok(None);
    }
    if !SUPPORTED {
        return Err(Error::msg(
            "code compiled for guard pages needs a signal handler, which this host lacks",
        ));
    }
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    linux_x86_64::install()
        .map_err(|e| Error::msg(alloc::format!("cannot install the guard-page signal handler: {e}")))?;
    let start = code.code().as_ptr() as usize;
    let sites = sites.iter().map(|s| (s.offset, s.code as u32)).collect();
    let handlers = handlers.iter().map(|h| (h.ret, h.handler, h.frame_offset)).collect();
    registry::insert(start, code.code().len(), sites, handlers);
    Ok(Some(Registration { start }))
}

/// Leaves the compiled frames of this thread's innermost [`call`]: how
/// code compiled to raise traps (guard-page code) leaves on a trap or an
/// uncaught exception. For an exception (`from` is the raising function's
/// frame pointer), the frames from there up are searched for a call with
/// a handler, which then resumes in its frame; otherwise, or if none has
/// one, [`call`] returns `code`.
///
/// # Safety
/// Only from the `raise` libcall of compiled code running inside [`call`];
/// `from`, if given, is the frame pointer of the compiled function that
/// called it.
pub(crate) unsafe fn raise(code: u32, from: Option<usize>) -> ! {
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    // SAFETY: forwarded from the caller.
    unsafe {
        linux_x86_64::raise(code, from)
    }
    #[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
    {
        // Code that raises traps relies on guard pages, which an engine
        // here never compiles nor loads.
        let _ = (code, from);
        std::process::abort()
    }
}

/// Calls `code` through `trampoline` (the arguments of a [`TrampolineFn`]);
/// returns the trap code of the trap site it faulted at, in which case the
/// compiled frames were abandoned and the caller must report that trap
/// (their return addresses, for its backtrace, are then in `trace`), the
/// code [`raise`]d (then `trace` stays empty), or 0 if it returned
/// normally.
///
/// # Safety
/// As for calling `trampoline` directly.
pub(crate) unsafe fn call(
    trampoline: TrampolineFn,
    code: *const u8,
    callee: *mut VMContext,
    caller: *mut VMContext,
    values: *mut u64,
    trace: &mut alloc::vec::Vec<usize>,
) -> u32 {
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    // SAFETY: forwarded from the caller.
    return unsafe { linux_x86_64::call(trampoline, code, callee, caller, values, trace) };
    #[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
    {
        let _ = trace;
        // SAFETY: forwarded from the caller.
        unsafe { trampoline(code, callee, caller, values) };
        0
    }
}
