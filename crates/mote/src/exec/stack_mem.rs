//! The value stack's memory: one zeroed allocation that never moves, so the
//! executor can hold raw frame pointers across host calls.

use alloc::alloc::{Layout, alloc_zeroed, dealloc, handle_alloc_error};
use core::ptr::NonNull;

pub(crate) struct StackMem {
    ptr: NonNull<u64>,
    len: usize,
}

impl StackMem {
    pub(crate) fn new(len: usize) -> StackMem {
        let layout = Layout::array::<u64>(len.max(1)).expect("value stack size");
        // SAFETY: the layout has a non-zero size.
        let ptr = unsafe { alloc_zeroed(layout) }.cast::<u64>();
        let ptr = NonNull::new(ptr).unwrap_or_else(|| handle_alloc_error(layout));
        StackMem { ptr, len: len.max(1) }
    }

    /// Number of cells.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Pointer to the first cell.
    pub(crate) fn as_ptr(&self) -> *mut u64 {
        self.ptr.as_ptr()
    }

    /// The cells `start..start + n`.
    ///
    /// # Safety
    /// `start + n <= len`, and no other reference to those cells is live.
    pub(crate) unsafe fn cells_mut(&mut self, start: usize, n: usize) -> &mut [u64] {
        debug_assert!(start + n <= self.len);
        // SAFETY: in bounds per the caller's contract, exclusive per the caller.
        unsafe { core::slice::from_raw_parts_mut(self.ptr.as_ptr().add(start), n) }
    }
}

impl Drop for StackMem {
    fn drop(&mut self) {
        let layout = Layout::array::<u64>(self.len).expect("value stack size");
        // SAFETY: allocated in `new` with this layout.
        unsafe { dealloc(self.ptr.as_ptr().cast(), layout) }
    }
}
