//! `Instance`: a module instantiated in a store, with its imports resolved.

mod const_eval;
mod instantiate;

use crate::Error;
use crate::extern_::{Extern, Tag};
use crate::func::{Func, TypedFunc, WasmParams, WasmResults};
use crate::global::Global;
use crate::memory::Memory;
use crate::module::Module;
use crate::store::{AsContext, AsContextMut, StoreInner, Stored};
use crate::table::Table;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use mote_environ::EntityKind;

/// An instance of a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instance(pub(crate) Stored);

/// What a store keeps for an instance: its module and the store indices of
/// every entity in its index spaces.
pub(crate) struct InstanceEntity {
    pub(crate) module: Module,
    pub(crate) funcs: Vec<u32>,
    /// Direct-call targets, one per function index (see `CallTarget`).
    pub(crate) callees: Vec<crate::exec::CallTarget>,
    pub(crate) tables: Vec<u32>,
    pub(crate) memories: Vec<u32>,
    pub(crate) globals: Vec<u32>,
    pub(crate) tags: Vec<u32>,
    /// Element segments as raw references; `None` once dropped.
    pub(crate) elems: Vec<Option<Box<[u64]>>>,
    /// Whether each data segment was dropped.
    pub(crate) data_dropped: Vec<bool>,
    /// The instance's `VMContext`, in stores of a JIT engine.
    #[cfg(feature = "aot")]
    pub(crate) jit: Option<Box<crate::jit::InstanceJit>>,
}

impl Instance {
    /// Instantiates `module` with `imports` given in the order of its imports.
    ///
    /// # Errors
    /// Unresolvable imports (no trap), or a trap while initializing segments
    /// or running the start function.
    pub fn new(mut store: impl AsContextMut, module: &Module, imports: &[Extern]) -> Result<Instance, Error> {
        let ctx = store.as_context_mut();
        instantiate::instantiate(ctx.inner, ctx.data, module, imports)
    }

    /// The export called `name`.
    pub fn get_export(&self, store: impl AsContext, name: &str) -> Option<Extern> {
        let inner = store.as_context().inner;
        export_of(inner, self.0.index_in(inner) as u32, name)
    }

    /// The exported function called `name`.
    pub fn get_func(&self, store: impl AsContext, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }

    /// The exported function called `name`, with a static type.
    ///
    /// # Errors
    /// If there is no such function or its type differs.
    pub fn get_typed_func<P: WasmParams, R: WasmResults>(
        &self,
        store: impl AsContext,
        name: &str,
    ) -> Result<TypedFunc<P, R>, Error> {
        let ctx = store.as_context();
        let func = self
            .get_func(&ctx, name)
            .ok_or_else(|| Error::msg(alloc::format!("no exported function named `{name}`")))?;
        func.typed(&ctx)
    }

    /// The exported memory called `name`.
    pub fn get_memory(&self, store: impl AsContext, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }

    /// The exported global called `name`.
    pub fn get_global(&self, store: impl AsContext, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }

    /// The exported table called `name`.
    pub fn get_table(&self, store: impl AsContext, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }

    /// All exports, in the module's order.
    pub fn exports(&self, store: impl AsContext) -> Vec<(String, Extern)> {
        let inner = store.as_context().inner;
        let id = self.0.index_in(inner) as u32;
        let entity = &inner.instances[id as usize];
        entity
            .module
            .info()
            .exports
            .iter()
            .map(|e| (e.name.clone(), entity_extern(inner, entity, e.kind, e.index)))
            .collect()
    }

    /// The module this is an instance of.
    pub fn module(&self, store: impl AsContext) -> Module {
        let inner = store.as_context().inner;
        inner.instances[self.0.index_in(inner)].module.clone()
    }
}

/// The export `name` of instance `id`.
pub(crate) fn export_of(store: &StoreInner, id: u32, name: &str) -> Option<Extern> {
    let entity = &store.instances[id as usize];
    let export = entity.module.info().exports.iter().find(|e| e.name == name)?;
    Some(entity_extern(store, entity, export.kind, export.index))
}

fn entity_extern(store: &StoreInner, entity: &InstanceEntity, kind: EntityKind, index: u32) -> Extern {
    let i = index as usize;
    match kind {
        EntityKind::Func => Extern::Func(Func(store.stored(entity.funcs[i] as usize))),
        EntityKind::Table => Extern::Table(Table(store.stored(entity.tables[i] as usize))),
        EntityKind::Memory => Extern::Memory(Memory(store.stored(entity.memories[i] as usize))),
        EntityKind::Global => Extern::Global(Global(store.stored(entity.globals[i] as usize))),
        EntityKind::Tag => Extern::Tag(Tag(store.stored(entity.tags[i] as usize))),
    }
}
