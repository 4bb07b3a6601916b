//! `Store<T>`: owns every runtime entity (functions, instances, memories,
//! tables, globals, host objects) plus the embedder's data `T`.
//!
//! Handles (`Func`, `Memory`, ...) are indices into a store's vectors
//! tagged with the store's id; entities are never removed, so a handle stays
//! valid for the store's lifetime and the executor can keep raw pointers to
//! code and memory while it runs.

mod context;

use crate::engine::Engine;
use crate::func::FuncEntity;
use crate::global::GlobalEntity;
use crate::instance::InstanceEntity;
use crate::memory::MemoryEntity;
use crate::table::TableEntity;
use crate::value::HeapObject;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};

pub use context::{AsContext, AsContextMut, Caller, StoreContext, StoreContextMut};

/// Identifies a store, so a handle used with the wrong store is caught.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StoreId(u32);

impl StoreId {
    fn fresh() -> StoreId {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        StoreId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// A handle to an entity of a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stored {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl Stored {
    /// The entity's index, after checking that it belongs to `store`.
    ///
    /// # Panics
    /// When the handle belongs to another store: that is a bug in the
    /// embedder, like indexing the wrong vector.
    #[inline]
    pub(crate) fn index_in(self, store: &StoreInner) -> usize {
        assert!(self.store == store.id, "handle used with a store it does not belong to");
        self.index as usize
    }
}

/// The entity state of a store, independent of the embedder's data type.
pub struct StoreInner {
    pub(crate) id: StoreId,
    pub(crate) engine: Engine,
    pub(crate) funcs: Vec<FuncEntity>,
    pub(crate) instances: Vec<InstanceEntity>,
    pub(crate) memories: Vec<MemoryEntity>,
    pub(crate) tables: Vec<TableEntity>,
    /// Boxed: compiled code keeps the address of each global's value.
    #[expect(clippy::vec_box, reason = "each global must stay in place when the vector grows")]
    pub(crate) globals: Vec<alloc::boxed::Box<GlobalEntity>>,
    pub(crate) objects: Vec<HeapObject>,
    /// The bytes of the objects wasm code created, against
    /// `Config::max_gc_heap_bytes` (see `crate::gc::reserve`).
    pub(crate) gc_heap_bytes: u64,
    pub(crate) tags: Vec<mote_environ::SharedTypeId>,
    pub(crate) fuel: u64,
    pub(crate) exec: crate::exec::ExecState,
    /// The JIT's per-store state, for stores of a `Strategy::Jit` engine.
    #[cfg(feature = "aot")]
    pub(crate) jit: Option<alloc::boxed::Box<crate::jit::StoreJit>>,
}

impl StoreInner {
    pub(crate) fn stored(&self, index: usize) -> Stored {
        Stored {
            store: self.id,
            index: index as u32,
        }
    }
}

/// Owns all WebAssembly state and the embedder's data `T`.
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    pub(crate) data: T,
}

impl<T: 'static> Store<T> {
    /// A new, empty store.
    pub fn new(engine: &Engine, data: T) -> Store<T> {
        Store {
            inner: StoreInner {
                id: StoreId::fresh(),
                engine: engine.clone(),
                funcs: Vec::new(),
                instances: Vec::new(),
                memories: Vec::new(),
                tables: Vec::new(),
                globals: Vec::new(),
                objects: Vec::new(),
                gc_heap_bytes: 0,
                tags: Vec::new(),
                fuel: 0,
                exec: crate::exec::ExecState::new(engine.config()),
                #[cfg(feature = "aot")]
                jit: crate::jit::StoreJit::for_engine(engine),
            },
            data,
        }
    }

    /// The engine this store uses.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The embedder's data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The embedder's data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }

    /// Consumes the store, returning the embedder's data.
    pub fn into_data(self) -> T {
        self.data
    }

    /// Sets the remaining fuel.
    ///
    /// # Errors
    /// When fuel metering is not enabled in the engine's `Config`.
    pub fn set_fuel(&mut self, fuel: u64) -> Result<(), crate::Error> {
        self.as_context_mut().set_fuel(fuel)
    }

    /// The remaining fuel.
    ///
    /// # Errors
    /// When fuel metering is not enabled in the engine's `Config`.
    pub fn get_fuel(&self) -> Result<u64, crate::Error> {
        self.as_context().get_fuel()
    }
}
