//! Borrowed views of a store (`StoreContext`, `StoreContextMut`, `Caller`)
//! and the `AsContext` traits every API call takes, as in wasmtime.

use super::{Store, StoreInner};
use crate::Error;
use crate::engine::Engine;
use crate::extern_::Extern;

/// Shared access to a store.
pub struct StoreContext<'a, T> {
    pub(crate) inner: &'a StoreInner,
    pub(crate) data: &'a T,
}

/// Exclusive access to a store.
pub struct StoreContextMut<'a, T> {
    pub(crate) inner: &'a mut StoreInner,
    pub(crate) data: &'a mut T,
}

/// What a host function gets: the store, and the instance that called it.
pub struct Caller<'a, T> {
    pub(crate) inner: &'a mut StoreInner,
    pub(crate) data: &'a mut T,
    pub(crate) instance: Option<u32>,
}

/// Anything that gives shared access to a store.
pub trait AsContext {
    /// The embedder's data type.
    type Data: 'static;
    /// Borrows the store.
    fn as_context(&self) -> StoreContext<'_, Self::Data>;
}

/// Anything that gives exclusive access to a store.
pub trait AsContextMut: AsContext {
    /// Borrows the store mutably.
    fn as_context_mut(&mut self) -> StoreContextMut<'_, Self::Data>;
}

impl<T: 'static> AsContext for Store<T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext {
            inner: &self.inner,
            data: &self.data,
        }
    }
}

impl<T: 'static> AsContextMut for Store<T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut {
            inner: &mut self.inner,
            data: &mut self.data,
        }
    }
}

impl<T: 'static> AsContext for StoreContext<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext {
            inner: self.inner,
            data: self.data,
        }
    }
}

impl<T: 'static> AsContext for StoreContextMut<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext {
            inner: self.inner,
            data: self.data,
        }
    }
}

impl<T: 'static> AsContextMut for StoreContextMut<'_, T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut {
            inner: self.inner,
            data: self.data,
        }
    }
}

impl<T: 'static> AsContext for Caller<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext {
            inner: self.inner,
            data: self.data,
        }
    }
}

impl<T: 'static> AsContextMut for Caller<'_, T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut {
            inner: self.inner,
            data: self.data,
        }
    }
}

impl<S: AsContext + ?Sized> AsContext for &S {
    type Data = S::Data;
    fn as_context(&self) -> StoreContext<'_, S::Data> {
        (**self).as_context()
    }
}

impl<S: AsContext + ?Sized> AsContext for &mut S {
    type Data = S::Data;
    fn as_context(&self) -> StoreContext<'_, S::Data> {
        (**self).as_context()
    }
}

impl<S: AsContextMut + ?Sized> AsContextMut for &mut S {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, S::Data> {
        (**self).as_context_mut()
    }
}

impl<T> StoreContext<'_, T> {
    /// The embedder's data.
    pub fn data(&self) -> &T {
        self.data
    }
    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }
    /// Remaining fuel.
    ///
    /// # Errors
    /// When fuel metering is off.
    pub fn get_fuel(&self) -> Result<u64, Error> {
        if !self.inner.engine.config().consume_fuel {
            return Err(Error::msg("fuel metering is not enabled in this engine's Config"));
        }
        Ok(self.inner.fuel)
    }
}

impl<T> StoreContextMut<'_, T> {
    /// The embedder's data.
    pub fn data(&self) -> &T {
        self.data
    }
    /// The embedder's data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        self.data
    }
    /// Sets the remaining fuel.
    ///
    /// # Errors
    /// When fuel metering is off.
    pub fn set_fuel(&mut self, fuel: u64) -> Result<(), Error> {
        if !self.inner.engine.config().consume_fuel {
            return Err(Error::msg("fuel metering is not enabled in this engine's Config"));
        }
        self.inner.fuel = fuel;
        Ok(())
    }
}

impl<T: 'static> Caller<'_, T> {
    /// The embedder's data.
    pub fn data(&self) -> &T {
        self.data
    }
    /// The embedder's data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        self.data
    }
    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }
    /// An export of the calling instance (e.g. its `memory`).
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        let instance = self.instance?;
        crate::instance::export_of(self.inner, instance, name)
    }
    /// Remaining fuel.
    ///
    /// # Errors
    /// When fuel metering is off.
    pub fn get_fuel(&self) -> Result<u64, Error> {
        self.as_context().get_fuel()
    }
    /// Sets the remaining fuel.
    ///
    /// # Errors
    /// When fuel metering is off.
    pub fn set_fuel(&mut self, fuel: u64) -> Result<(), Error> {
        self.as_context_mut().set_fuel(fuel)
    }
}
