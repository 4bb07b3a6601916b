//! Tables of references: the `Table` handle and the store's `TableEntity`.

use crate::Error;
use crate::store::{AsContext, AsContextMut, StoreInner, Stored};
use crate::value::{Ref, Val};
use alloc::vec::Vec;
use mote_environ::TableType;

/// A table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table(pub(crate) Stored);

/// Elements are raw reference cells (see [`crate::value`]).
pub(crate) struct TableEntity {
    pub(crate) ty: TableType,
    pub(crate) elements: Vec<u64>,
    max: u64,
    /// Where compiled code finds the elements; updated on every grow.
    #[cfg(feature = "aot")]
    pub(crate) def: crate::jit::defs::DefBox<mote_cranelift::vmctx::VMTableDefinition>,
}

/// Largest number of elements a table may have, whatever its type says.
const MAX_TABLE_ELEMENTS: u64 = 10_000_000;

impl TableEntity {
    pub(crate) fn new(ty: TableType, init: u64) -> Result<TableEntity, Error> {
        let max = ty.max.unwrap_or(u64::MAX).min(MAX_TABLE_ELEMENTS);
        if ty.min > max {
            return Err(Error::msg("table's minimum size exceeds the implementation limit"));
        }
        let mut elements = Vec::new();
        elements
            .try_reserve_exact(ty.min as usize)
            .map_err(|_| Error::msg("failed to allocate table"))?;
        elements.resize(ty.min as usize, init);
        Ok(TableEntity {
            ty,
            #[cfg(feature = "aot")]
            def: crate::jit::defs::DefBox::table(&mut elements),
            elements,
            max,
        })
    }

    pub(crate) fn size(&self) -> u64 {
        self.elements.len() as u64
    }

    /// Grows by `delta` elements set to `init`; returns the old size.
    pub(crate) fn grow(&mut self, delta: u64, init: u64) -> Option<u64> {
        let old = self.size();
        let new = old.checked_add(delta).filter(|&n| n <= self.max)?;
        self.elements.try_reserve_exact(delta as usize).ok()?;
        self.elements.resize(new as usize, init);
        #[cfg(feature = "aot")]
        self.def.set_table(&mut self.elements);
        Some(old)
    }
}

impl Table {
    /// Creates a table of type `ty` with every element `init`.
    ///
    /// # Errors
    /// If the size is invalid or `init` does not match the element type.
    pub fn new(mut store: impl AsContextMut, ty: TableType, init: Ref) -> Result<Table, Error> {
        let ctx = store.as_context_mut();
        let raw = ref_to_raw(ctx.inner, init);
        let entity = TableEntity::new(ty, raw)?;
        ctx.inner.tables.push(entity);
        Ok(Table(ctx.inner.stored(ctx.inner.tables.len() - 1)))
    }

    fn entity<'a>(&self, store: &'a StoreInner) -> &'a TableEntity {
        &store.tables[self.0.index_in(store)]
    }

    /// The table's type, with its current size as minimum.
    pub fn ty(&self, store: impl AsContext) -> TableType {
        let e = self.entity(store.as_context().inner);
        TableType { min: e.size(), ..e.ty }
    }

    /// Number of elements.
    pub fn size(&self, store: impl AsContext) -> u64 {
        self.entity(store.as_context().inner).size()
    }

    /// The element at `index`.
    pub fn get(&self, store: impl AsContext, index: u64) -> Option<Ref> {
        let inner = store.as_context().inner;
        let e = self.entity(inner);
        let raw = *e.elements.get(usize::try_from(index).ok()?)?;
        Val::ref_from_raw(inner, e.ty.element, raw).as_ref()
    }

    /// Sets the element at `index`.
    ///
    /// # Errors
    /// If `index` is out of bounds.
    pub fn set(&self, mut store: impl AsContextMut, index: u64, value: Ref) -> Result<(), Error> {
        let ctx = store.as_context_mut();
        let raw = ref_to_raw(ctx.inner, value);
        let i = self.0.index_in(ctx.inner);
        let slot = usize::try_from(index)
            .ok()
            .and_then(|index| ctx.inner.tables[i].elements.get_mut(index))
            .ok_or_else(|| Error::msg("table index out of bounds"))?;
        *slot = raw;
        Ok(())
    }

    /// Grows by `delta` elements set to `init`, returning the old size.
    ///
    /// # Errors
    /// If the table cannot grow that much.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u64, init: Ref) -> Result<u64, Error> {
        let ctx = store.as_context_mut();
        let raw = ref_to_raw(ctx.inner, init);
        let i = self.0.index_in(ctx.inner);
        ctx.inner.tables[i]
            .grow(delta, raw)
            .ok_or_else(|| Error::msg("failed to grow table"))
    }
}

pub(crate) fn ref_to_raw(store: &StoreInner, r: Ref) -> u64 {
    let mut cell = [0u64; 2];
    Val::from(r).write_raw(store, &mut cell);
    cell[0]
}
