//! The app heap: a range of an instance's linear memory that
//! `wasm_runtime_module_malloc` allocates from when the module has no
//! `malloc` and `free` of its own (`host_managed_heap_size` bytes, added at
//! the end of the memory at instantiation).
//!
//! First fit over a map of free blocks, merged with their neighbours when
//! freed. The bookkeeping lives on the host side, never in guest memory,
//! so nothing the guest writes can corrupt it; the guest can of course
//! overwrite the data of blocks it was given, as with any heap.

use std::collections::BTreeMap;

/// Alignment (and granularity) of every block.
const ALIGN: u64 = 8;

/// A heap over the app addresses `[start, start + size)`.
#[derive(Debug)]
pub(crate) struct AppHeap {
    /// Free blocks: start → length.
    free: BTreeMap<u64, u64>,
    /// Allocated blocks: start → length.
    used: BTreeMap<u64, u64>,
}

impl AppHeap {
    /// A heap over `[start, start + size)`, aligned inward. Address 0
    /// means failure in the C API, so a heap at 0 starts one block later.
    pub(crate) fn new(start: u64, size: u64) -> AppHeap {
        let begin = start.max(ALIGN).next_multiple_of(ALIGN);
        let end = start.saturating_add(size) / ALIGN * ALIGN;
        let mut free = BTreeMap::new();
        if end > begin {
            free.insert(begin, end - begin);
        }
        AppHeap {
            free,
            used: BTreeMap::new(),
        }
    }

    /// Allocates `size` bytes (at least one block); the block's address.
    pub(crate) fn alloc(&mut self, size: u64) -> Option<u64> {
        let len = size.max(1).checked_next_multiple_of(ALIGN)?;
        let (&at, &free_len) = self.free.iter().find(|&(_, &l)| l >= len)?;
        self.free.remove(&at);
        if free_len > len {
            self.free.insert(at + len, free_len - len);
        }
        self.used.insert(at, len);
        Some(at)
    }

    /// Frees the block at `at`; false if no block starts there.
    pub(crate) fn free(&mut self, at: u64) -> bool {
        let Some(mut len) = self.used.remove(&at) else {
            return false;
        };
        let mut start = at;
        if let Some((&prev, &prev_len)) = self.free.range(..at).next_back()
            && prev + prev_len == at
        {
            self.free.remove(&prev);
            start = prev;
            len += prev_len;
        }
        if let Some(next_len) = self.free.remove(&(start + len)) {
            len += next_len;
        }
        self.free.insert(start, len);
        true
    }
}

#[cfg(test)]
mod tests;
