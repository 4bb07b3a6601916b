//! The process-wide table of compiled code that may fault on purpose:
//! code start → (length, trap sites sorted by offset, each with its trap
//! code).
//!
//! The signal handler reads it, so reading must not deadlock: writers
//! mark their thread while they hold the lock (a fault inside the write
//! section is then never treated as ours), and the handler only spins on
//! a lock that another thread holds for the few instructions of an insert
//! or removal.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use core::cell::Cell;
use std::sync::RwLock;

struct Code {
    len: usize,
    /// (offset, trap code), sorted by offset.
    sites: Box<[(u32, u32)]>,
    /// (return address, handler, frame offset) of the calls with an
    /// exception handler, sorted by return address.
    handlers: Box<[(u32, u32, u32)]>,
}

static TABLE: RwLock<BTreeMap<usize, Code>> = RwLock::new(BTreeMap::new());

std::thread_local! {
    /// Whether this thread is writing the table.
    static WRITING: Cell<bool> = const { Cell::new(false) };
}

fn write(f: impl FnOnce(&mut BTreeMap<usize, Code>)) {
    WRITING.with(|w| w.set(true));
    let mut table = TABLE.write().unwrap_or_else(|poisoned| poisoned.into_inner());
    f(&mut table);
    drop(table);
    WRITING.with(|w| w.set(false));
}

/// Adds the code at `start..start + len` with its trap `sites`
/// (offset, trap code) and `handlers` (return address, handler, frame
/// offset; offsets from `start`).
pub(super) fn insert(start: usize, len: usize, mut sites: Box<[(u32, u32)]>, mut handlers: Box<[(u32, u32, u32)]>) {
    sites.sort_unstable();
    handlers.sort_unstable();
    write(|t| {
        t.insert(start, Code { len, sites, handlers });
    });
}

/// Removes the code starting at `start`.
pub(super) fn remove(start: usize) {
    write(|t| {
        t.remove(&start);
    });
}

/// The handler of the call whose return address is `ret`, if it is one
/// in registered code: the handler's address and the frame offset of the
/// call. Called by `raise`, never from the signal handler.
pub(super) fn handler_at(ret: usize) -> Option<(usize, usize)> {
    let table = TABLE.read().unwrap_or_else(|poisoned| poisoned.into_inner());
    let (&start, code) = table.range(..=ret).next_back()?;
    let offset = u32::try_from(ret - start).ok().filter(|&o| (o as usize) <= code.len)?;
    let i = code.handlers.binary_search_by_key(&offset, |&(r, _, _)| r).ok()?;
    let (_, handler, frame_offset) = code.handlers[i];
    Some((start + handler as usize, frame_offset as usize))
}

/// The trap code of the trap site at `pc`, if `pc` is one in registered
/// code. Called from the signal handler: it allocates nothing and never
/// waits for its own thread.
#[cfg_attr(
    not(all(target_os = "linux", target_arch = "x86_64")),
    expect(dead_code, reason = "only hosts with a handler look sites up")
)]
pub(super) fn trap_at(pc: usize) -> Option<u32> {
    if WRITING.with(Cell::get) {
        return None;
    }
    let table = loop {
        match TABLE.try_read() {
            Ok(t) => break t,
            Err(std::sync::TryLockError::Poisoned(p)) => break p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => core::hint::spin_loop(),
        }
    };
    let (&start, code) = table.range(..=pc).next_back()?;
    let offset = u32::try_from(pc - start).ok().filter(|&o| (o as usize) < code.len)?;
    let i = code.sites.binary_search_by_key(&offset, |&(o, _)| o).ok()?;
    Some(code.sites[i].1)
}
