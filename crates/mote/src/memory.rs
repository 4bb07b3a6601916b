//! Linear memories: the `Memory` handle and the store's `MemoryEntity`.
//!
//! Every access the interpreter makes is checked explicitly against the
//! current length. On 64-bit Unix hosts the bytes also live in a reserved
//! address range followed by inaccessible guard pages (see
//! [`storage`]), so even a bug in a check cannot reach other host memory,
//! and growing never moves the memory.

mod storage;

use crate::Error;
use crate::store::{AsContext, AsContextMut, StoreInner, Stored};
use mote_environ::MemoryType;
use storage::Storage;

/// Address space a guard-page memory reserves (see `Config::guard_pages`):
/// 4 GiB of 32-bit index space, then a 2 GiB guard region, so compiled
/// code may leave any access with an offset up to 2 GiB unchecked.
#[cfg(feature = "aot")]
pub(crate) const GUARDED_RESERVATION: u64 = (1 << 32) + (2 << 30);

/// A linear memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Memory(pub(crate) Stored);

/// An out-of-bounds access through the host API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryAccessError;

impl core::fmt::Display for MemoryAccessError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("out of bounds memory access")
    }
}

impl core::error::Error for MemoryAccessError {}

pub(crate) struct MemoryEntity {
    pub(crate) ty: MemoryType,
    storage: Storage,
    /// Largest size in bytes this memory may reach.
    max_bytes: u64,
    /// Where compiled code finds the bytes; updated on every grow.
    #[cfg(feature = "aot")]
    pub(crate) def: crate::jit::defs::DefBox<mote_cranelift::vmctx::VMMemoryDefinition>,
}

impl MemoryEntity {
    /// A memory of type `ty` under `config`'s size limit; with the guard
    /// region its engine's compiled code relies on, if any.
    pub(crate) fn new(ty: MemoryType, config: &crate::Config) -> Result<MemoryEntity, Error> {
        let limit = config.max_memory_bytes;
        let page = ty.page_size();
        let index_limit = if ty.memory64 { u64::MAX } else { 1u64 << 32 };
        let declared = ty.max.map_or(u64::MAX, |m| m.saturating_mul(page));
        let max_bytes = declared.min(index_limit).min(limit.unwrap_or(u64::MAX));
        let initial = ty
            .min
            .checked_mul(page)
            .filter(|&b| b <= max_bytes)
            .ok_or_else(|| Error::msg("memory's minimum size exceeds its maximum or the configured limit"))?;
        // Compiled code checks 64-bit memories and those whose custom page
        // size may leave the length short of a host page explicitly.
        let guard = config
            .guard_reservation()
            .filter(|_| !ty.memory64 && ty.page_size_log2 == 16);
        let storage = match guard {
            Some(reservation) => Storage::guarded(initial, reservation).ok_or_else(|| {
                Error::msg(alloc::format!(
                    "cannot reserve {} GiB of address space for a memory with guard pages \
                     (Config::guard_pages(false) checks bounds explicitly instead)",
                    reservation >> 30
                ))
            })?,
            None => Storage::new(initial, max_bytes).ok_or_else(|| Error::msg("failed to allocate memory"))?,
        };
        Ok(MemoryEntity {
            ty,
            #[cfg(feature = "aot")]
            def: crate::jit::defs::DefBox::memory(storage.base(), storage.len()),
            storage,
            max_bytes,
        })
    }

    /// Current size in bytes.
    #[inline]
    pub(crate) fn len(&self) -> u64 {
        self.storage.len()
    }

    /// Start of the bytes; valid for `len()` bytes until the next grow.
    #[inline]
    pub(crate) fn base(&self) -> *mut u8 {
        self.storage.base()
    }

    /// Current size in pages.
    pub(crate) fn pages(&self) -> u64 {
        self.len() >> self.ty.page_size_log2
    }

    /// Grows by `delta` pages; returns the old size in pages, or `None` if
    /// the memory cannot grow that much.
    pub(crate) fn grow(&mut self, delta: u64) -> Option<u64> {
        let old = self.pages();
        let new_bytes = old
            .checked_add(delta)?
            .checked_mul(self.ty.page_size())
            .filter(|&b| b <= self.max_bytes)?;
        if delta != 0 {
            self.storage.grow_to(new_bytes)?;
            #[cfg(feature = "aot")]
            self.def.set_memory(self.storage.base(), self.storage.len());
        }
        Some(old)
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        self.storage.as_slice()
    }

    pub(crate) fn bytes_mut(&mut self) -> &mut [u8] {
        self.storage.as_mut_slice()
    }
}

impl Memory {
    /// Creates a memory of type `ty`.
    ///
    /// # Errors
    /// If the size is invalid or cannot be allocated.
    pub fn new(mut store: impl AsContextMut, ty: MemoryType) -> Result<Memory, Error> {
        let ctx = store.as_context_mut();
        let entity = MemoryEntity::new(ty, ctx.inner.engine.config())?;
        Ok(Memory(push_memory(ctx.inner, entity)))
    }

    fn entity<'a>(&self, store: &'a StoreInner) -> &'a MemoryEntity {
        &store.memories[self.0.index_in(store)]
    }

    /// The memory's type, with its current size as minimum.
    pub fn ty(&self, store: impl AsContext) -> MemoryType {
        let e = self.entity(store.as_context().inner);
        MemoryType { min: e.pages(), ..e.ty }
    }

    /// The contents.
    pub fn data<'a, T: 'a>(&self, store: impl Into<crate::store::StoreContext<'a, T>>) -> &'a [u8] {
        let ctx = store.into();
        self.entity(ctx.inner).bytes()
    }

    /// The contents, mutably.
    pub fn data_mut<'a, T: 'a>(&self, store: impl Into<crate::store::StoreContextMut<'a, T>>) -> &'a mut [u8] {
        let ctx = store.into();
        let index = self.0.index_in(ctx.inner);
        ctx.inner.memories[index].bytes_mut()
    }

    /// The contents and the embedder's data together, so a host function
    /// can read guest memory while updating its own state.
    pub fn data_and_store_mut<'a, T: 'a>(
        &self,
        store: impl Into<crate::store::StoreContextMut<'a, T>>,
    ) -> (&'a mut [u8], &'a mut T) {
        let ctx = store.into();
        let index = self.0.index_in(ctx.inner);
        (ctx.inner.memories[index].bytes_mut(), ctx.data)
    }

    /// Size in pages.
    pub fn size(&self, store: impl AsContext) -> u64 {
        self.entity(store.as_context().inner).pages()
    }

    /// Size in bytes.
    pub fn data_size(&self, store: impl AsContext) -> usize {
        self.entity(store.as_context().inner).len() as usize
    }

    /// Grows by `delta` pages, returning the previous size in pages.
    ///
    /// # Errors
    /// If the memory would exceed its maximum or cannot be allocated.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u64) -> Result<u64, Error> {
        let ctx = store.as_context_mut();
        let index = self.0.index_in(ctx.inner);
        ctx.inner.memories[index]
            .grow(delta)
            .ok_or_else(|| Error::msg("failed to grow memory"))
    }

    /// Copies bytes out of the memory.
    ///
    /// # Errors
    /// If the range is out of bounds.
    pub fn read(&self, store: impl AsContext, offset: usize, buf: &mut [u8]) -> Result<(), MemoryAccessError> {
        let bytes = self.entity(store.as_context().inner).bytes();
        let src = offset
            .checked_add(buf.len())
            .and_then(|end| bytes.get(offset..end))
            .ok_or(MemoryAccessError)?;
        buf.copy_from_slice(src);
        Ok(())
    }

    /// Copies bytes into the memory.
    ///
    /// # Errors
    /// If the range is out of bounds.
    pub fn write(&self, mut store: impl AsContextMut, offset: usize, buf: &[u8]) -> Result<(), MemoryAccessError> {
        let ctx = store.as_context_mut();
        let index = self.0.index_in(ctx.inner);
        let bytes = ctx.inner.memories[index].bytes_mut();
        let dst = offset
            .checked_add(buf.len())
            .and_then(|end| bytes.get_mut(offset..end))
            .ok_or(MemoryAccessError)?;
        dst.copy_from_slice(buf);
        Ok(())
    }
}

pub(crate) fn push_memory(store: &mut StoreInner, entity: MemoryEntity) -> Stored {
    store.memories.push(entity);
    store.stored(store.memories.len() - 1)
}

impl<'a, T> From<&'a mut crate::Store<T>> for crate::store::StoreContextMut<'a, T> {
    fn from(s: &'a mut crate::Store<T>) -> Self {
        crate::store::StoreContextMut {
            inner: &mut s.inner,
            data: &mut s.data,
        }
    }
}

impl<'a, T> From<&'a mut crate::store::Caller<'_, T>> for crate::store::StoreContextMut<'a, T> {
    fn from(c: &'a mut crate::store::Caller<'_, T>) -> Self {
        crate::store::StoreContextMut {
            inner: c.inner,
            data: c.data,
        }
    }
}

impl<'a, T> From<&'a crate::store::Caller<'_, T>> for crate::store::StoreContext<'a, T> {
    fn from(c: &'a crate::store::Caller<'_, T>) -> Self {
        crate::store::StoreContext {
            inner: c.inner,
            data: c.data,
        }
    }
}
