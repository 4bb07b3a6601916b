//! The process-wide table of compiled code that may fault on purpose:
//! code start → (length, sorted trap-site offsets).
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
    sites: Box<[u32]>,
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

/// Adds the code at `start..start + len` with trap sites at `offsets`.
pub(super) fn insert(start: usize, len: usize, mut offsets: Box<[u32]>) {
    offsets.sort_unstable();
    write(|t| {
        t.insert(start, Code { len, sites: offsets });
    });
}

/// Removes the code starting at `start`.
pub(super) fn remove(start: usize) {
    write(|t| {
        t.remove(&start);
    });
}

/// Whether `pc` is a trap site of registered code. Called from the signal
/// handler: it allocates nothing and never waits for its own thread.
#[cfg_attr(
    not(all(target_os = "linux", target_arch = "x86_64")),
    expect(dead_code, reason = "only hosts with a handler look sites up")
)]
pub(super) fn is_trap_site(pc: usize) -> bool {
    if WRITING.with(Cell::get) {
        return false;
    }
    let table = loop {
        match TABLE.try_read() {
            Ok(t) => break t,
            Err(std::sync::TryLockError::Poisoned(p)) => break p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => core::hint::spin_loop(),
        }
    };
    let Some((&start, code)) = table.range(..=pc).next_back() else {
        return false;
    };
    let offset = pc - start;
    offset < code.len && u32::try_from(offset).is_ok_and(|o| code.sites.binary_search(&o).is_ok())
}
