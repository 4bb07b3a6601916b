//! An owned, correctly aligned `VMContext` buffer with typed setters, so a
//! runtime fills in a context without computing offsets by hand.

use super::{
    VMContext, VMContextHeader, VMFuncRef, VMGlobal, VMLibcalls, VMMemoryDefinition, VMOffsets, VMStoreContext,
    VMTableDefinition,
};

/// A `VMContext` laid out by [`VMOffsets`], every pointer null until set.
///
/// The buffer never moves once created (it is boxed), so
/// [`OwnedVMContext::as_ptr`] stays valid for the value's lifetime.
pub struct OwnedVMContext {
    cells: Box<[u64]>,
    offsets: VMOffsets,
}

// SAFETY: the buffer holds only raw pointers that the runtime guards with
// its store; moving the buffer between threads moves no shared state.
unsafe impl Send for OwnedVMContext {}

impl OwnedVMContext {
    /// A zeroed context for a module with these offsets.
    pub fn new(offsets: VMOffsets) -> OwnedVMContext {
        let cells = vec![0u64; offsets.size().div_ceil(8) as usize].into_boxed_slice();
        OwnedVMContext { cells, offsets }
    }

    /// The layout.
    pub fn offsets(&self) -> &VMOffsets {
        &self.offsets
    }

    /// The pointer compiled code receives.
    pub fn as_ptr(&mut self) -> *mut VMContext {
        self.cells.as_mut_ptr().cast()
    }

    fn write<T: Copy>(&mut self, offset: u32, value: T) {
        assert!(offset as usize + size_of::<T>() <= self.cells.len() * 8);
        // SAFETY: in bounds (checked above); every offset `VMOffsets` hands
        // out is aligned to 8 and the buffer is `u64`-aligned.
        unsafe {
            self.cells
                .as_mut_ptr()
                .cast::<u8>()
                .add(offset as usize)
                .cast::<T>()
                .write(value)
        }
    }

    /// Sets the header.
    pub fn set_header(&mut self, header: VMContextHeader) {
        self.write(0, header);
    }

    /// Sets only the store pointer.
    pub fn set_store(&mut self, store: *mut VMStoreContext) {
        self.write(super::header_offsets::STORE as u32, store);
    }

    /// Sets only the libcall table.
    pub fn set_libcalls(&mut self, libcalls: *const VMLibcalls) {
        self.write(super::header_offsets::LIBCALLS as u32, libcalls);
    }

    /// Points memory `index` at its definition.
    ///
    /// # Panics
    /// If `index` is out of range.
    pub fn set_memory(&mut self, index: u32, def: *mut VMMemoryDefinition) {
        assert!(index < self.offsets.num_memories);
        self.write(self.offsets.memory(index), def);
    }

    /// Points table `index` at its definition.
    ///
    /// # Panics
    /// If `index` is out of range.
    pub fn set_table(&mut self, index: u32, def: *mut VMTableDefinition) {
        assert!(index < self.offsets.num_tables);
        self.write(self.offsets.table(index), def);
    }

    /// Points global `index` at its storage.
    ///
    /// # Panics
    /// If `index` is out of range.
    pub fn set_global(&mut self, index: u32, global: *mut VMGlobal) {
        assert!(index < self.offsets.num_globals);
        self.write(self.offsets.global(index), global);
    }

    /// Sets imported function `index`.
    ///
    /// # Panics
    /// If `index` is out of range.
    pub fn set_imported_func(&mut self, index: u32, func: VMFuncRef) {
        assert!(index < self.offsets.num_imported_funcs);
        self.write(self.offsets.imported_func(index), func);
    }
}
