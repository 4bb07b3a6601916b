//! The memory and table definitions compiled code reads (`base` and
//! `length`), one per store entity at an address that never changes:
//! the store keeps its entities in vectors that move when they grow, so
//! each entity boxes its definition and updates it whenever its storage
//! changes size or place. A `VMContext` points at the box.

use alloc::boxed::Box;
use mote_cranelift::vmctx::{VMMemoryDefinition, VMTableDefinition};

/// A boxed definition: a stable address compiled code may hold.
pub(crate) struct DefBox<T>(Box<T>);

// SAFETY: the definition only mirrors where its entity's storage is; it
// moves between threads with the entity's store and is only written
// through the store.
unsafe impl<T> Send for DefBox<T> {}
// SAFETY: shared references only read the mirrored values.
unsafe impl<T> Sync for DefBox<T> {}

impl<T> DefBox<T> {
    /// The address compiled code reads the definition at.
    pub(crate) fn as_ptr(&mut self) -> *mut T {
        &mut *self.0
    }
}

impl DefBox<VMMemoryDefinition> {
    /// A memory definition for storage at `base` of `length` bytes.
    pub(crate) fn memory(base: *mut u8, length: u64) -> Self {
        DefBox(Box::new(VMMemoryDefinition { base, length }))
    }

    /// Records where the memory's bytes are now.
    pub(crate) fn set_memory(&mut self, base: *mut u8, length: u64) {
        *self.0 = VMMemoryDefinition { base, length };
    }
}

impl DefBox<VMTableDefinition> {
    /// A table definition for `elements`.
    pub(crate) fn table(elements: &mut [u64]) -> Self {
        DefBox(Box::new(VMTableDefinition {
            base: elements.as_mut_ptr(),
            length: elements.len() as u64,
        }))
    }

    /// Records where the table's elements are now.
    pub(crate) fn set_table(&mut self, elements: &mut [u64]) {
        *self.0 = VMTableDefinition {
            base: elements.as_mut_ptr(),
            length: elements.len() as u64,
        };
    }
}
