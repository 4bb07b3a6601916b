//! `Linker<T>`: a name → entity map for resolving imports by name.

use crate::Error;
use crate::extern_::Extern;
use crate::func::{Func, IntoFunc};
use crate::instance::Instance;
use crate::module::Module;
use crate::store::{AsContext, AsContextMut};
use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::marker::PhantomData;
use mote_environ::FuncType;

/// A host function kept by a linker until a store instantiates it.
struct HostDef {
    ty: FuncType,
    callback: Arc<crate::func::HostCallback>,
}

enum Definition {
    Extern(Extern),
    Host(HostDef),
}

/// Resolves imports by `module` and `name`.
pub struct Linker<T> {
    engine: crate::Engine,
    defs: BTreeMap<(String, String), Definition>,
    _marker: PhantomData<fn(T)>,
}

impl<T: 'static> Linker<T> {
    /// An empty linker.
    pub fn new(engine: &crate::Engine) -> Linker<T> {
        Linker {
            engine: engine.clone(),
            defs: BTreeMap::new(),
            _marker: PhantomData,
        }
    }

    /// The engine.
    pub fn engine(&self) -> &crate::Engine {
        &self.engine
    }

    fn insert(&mut self, module: &str, name: &str, def: Definition) -> Result<&mut Self, Error> {
        let key = (module.to_string(), name.to_string());
        if self.defs.contains_key(&key) {
            return Err(Error::link(alloc::format!("`{module}::{name}` is already defined")));
        }
        self.defs.insert(key, def);
        Ok(self)
    }

    /// Defines `module::name` as `item`.
    ///
    /// # Errors
    /// If the name is already defined.
    pub fn define(
        &mut self,
        store: impl AsContext<Data = T>,
        module: &str,
        name: &str,
        item: impl Into<Extern>,
    ) -> Result<&mut Self, Error> {
        let _ = store;
        self.insert(module, name, Definition::Extern(item.into()))
    }

    /// Defines `module::name` as a host function made from a closure; it
    /// becomes a `Func` in each store that instantiates through the linker.
    ///
    /// # Errors
    /// If the name is already defined.
    pub fn func_wrap<Params, Results>(
        &mut self,
        module: &str,
        name: &str,
        func: impl IntoFunc<T, Params, Results>,
    ) -> Result<&mut Self, Error> {
        let (ty, callback) = func.into_func();
        self.insert(module, name, Definition::Host(HostDef { ty, callback }))
    }

    /// Defines `module::name` as a host function with a dynamic signature.
    ///
    /// # Errors
    /// If the name is already defined.
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        func: impl Fn(crate::Caller<'_, T>, &[crate::Val], &mut [crate::Val]) -> Result<(), Error> + Send + Sync + 'static,
    ) -> Result<&mut Self, Error> {
        // Build the erased callback through a throwaway store-free path.
        let callback = crate::func::dynamic_callback::<T>(ty.clone(), func);
        self.insert(module, name, Definition::Host(HostDef { ty, callback }))
    }

    /// Defines every export of `instance` under `module_name`.
    ///
    /// # Errors
    /// If a name is already defined.
    pub fn instance(
        &mut self,
        store: impl AsContextMut<Data = T>,
        module_name: &str,
        instance: Instance,
    ) -> Result<&mut Self, Error> {
        for (name, ext) in instance.exports(&store) {
            self.insert(module_name, &name, Definition::Extern(ext))?;
        }
        Ok(self)
    }

    /// The definition of `module::name`, as an entity of `store`.
    pub fn get(&self, mut store: impl AsContextMut<Data = T>, module: &str, name: &str) -> Option<Extern> {
        let def = self.defs.get(&(module.to_string(), name.to_string()))?;
        Some(match def {
            Definition::Extern(e) => *e,
            Definition::Host(h) => Extern::Func(Func::from_host(
                store.as_context_mut().inner,
                h.ty.clone(),
                h.callback.clone(),
            )),
        })
    }

    /// Instantiates `module`, resolving its imports by name.
    ///
    /// # Errors
    /// An unknown import, an incompatible one, or a trap during instantiation.
    pub fn instantiate(&self, mut store: impl AsContextMut<Data = T>, module: &Module) -> Result<Instance, Error> {
        let mut imports = Vec::with_capacity(module.imports().len());
        for import in module.imports() {
            let ext = self.get(&mut store, import.module, import.name).ok_or_else(|| {
                Error::link(alloc::format!(
                    "unknown import: `{}::{}` has not been defined",
                    import.module,
                    import.name
                ))
            })?;
            imports.push(ext);
        }
        Instance::new(store, module, &imports)
    }
}
