//! Functions: the `Func` handle, wasm and host function entities, and calls
//! from the host.
//!
//! Every call between the host and wasm goes through one array ABI: a
//! slice of raw 64-bit cells holding the parameters on entry and the results
//! on return (`v128` takes two cells).

mod into_func;
mod typed;

use crate::Error;
use crate::store::{AsContext, AsContextMut, Caller, StoreInner, Stored};
use crate::value::Val;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use core::any::Any;
use mote_environ::{FuncIndex, FuncType, SharedTypeId};

pub use into_func::IntoFunc;
pub use typed::{TypedFunc, WasmParams, WasmResults, WasmRet, WasmTy};

/// A function: defined by a wasm instance or by the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Func(pub(crate) Stored);

/// The erased form of every host function: store, embedder data (a `T`),
/// calling instance, and the cells of the array ABI.
pub(crate) type HostCallback =
    dyn Fn(&mut StoreInner, &mut dyn Any, Option<u32>, &mut [u64]) -> Result<(), Error> + Send + Sync;

/// A host function.
pub(crate) struct HostFunc {
    pub(crate) ty: FuncType,
    pub(crate) callback: Arc<HostCallback>,
}

/// What a store keeps for a function.
pub(crate) struct FuncEntity {
    /// Canonical type id, and its supertypes (for `call_indirect` checks).
    pub(crate) type_id: SharedTypeId,
    pub(crate) supers: Arc<[SharedTypeId]>,
    pub(crate) kind: FuncKind,
}

pub(crate) enum FuncKind {
    /// Function `index` (in the module's index space) of `instance`.
    /// `code` caches its translated code once the first call has
    /// translated it (null before), sparing calls the module lookup.
    Wasm {
        instance: u32,
        index: FuncIndex,
        code: *const crate::exec::dispatch::Code,
    },
    /// A host function.
    Host(HostFunc),
}

// SAFETY: `code` points into a module the store keeps alive; the entity
// moves between threads only with its store.
unsafe impl Send for FuncKind {}
// SAFETY: shared references never write through `code`.
unsafe impl Sync for FuncKind {}

impl FuncEntity {
    /// Whether this function's type matches (is a subtype of) `expected`.
    #[inline]
    pub(crate) fn matches(&self, expected: SharedTypeId) -> bool {
        self.type_id == expected || self.supers.contains(&expected)
    }
}

impl Func {
    /// Defines a host function with a dynamic signature.
    pub fn new<T: 'static>(
        mut store: impl AsContextMut<Data = T>,
        ty: FuncType,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync + 'static,
    ) -> Func {
        let callback = dynamic_callback(ty.clone(), func);
        Func::from_host(store.as_context_mut().inner, ty, callback)
    }

    /// Defines a host function from a Rust closure; parameter and result
    /// types come from the closure's signature. The closure may take a
    /// `Caller<'_, T>` first.
    pub fn wrap<T: 'static, Params, Results>(
        mut store: impl AsContextMut<Data = T>,
        func: impl IntoFunc<T, Params, Results>,
    ) -> Func {
        let (ty, callback) = func.into_func();
        Func::from_host(store.as_context_mut().inner, ty, callback)
    }

    pub(crate) fn from_host(store: &mut StoreInner, ty: FuncType, callback: Arc<HostCallback>) -> Func {
        let (type_id, supers) = store.engine.register_func_type(&ty);
        store.funcs.push(FuncEntity {
            type_id,
            supers,
            kind: FuncKind::Host(HostFunc { ty, callback }),
        });
        Func(store.stored(store.funcs.len() - 1))
    }

    /// The function's type.
    pub fn ty(&self, store: impl AsContext) -> FuncType {
        let inner = store.as_context().inner;
        func_type(inner, self.0.index_in(inner)).clone()
    }

    /// Calls the function with `params`, writing `results`.
    ///
    /// # Errors
    /// A trap, a host error, or arguments of the wrong number or types.
    pub fn call(&self, mut store: impl AsContextMut, params: &[Val], results: &mut [Val]) -> Result<(), Error> {
        let ctx = store.as_context_mut();
        let inner = ctx.inner;
        let index = self.0.index_in(inner);
        let ty = func_type(inner, index).clone();
        if params.len() != ty.params().len() || results.len() != ty.results().len() {
            return Err(Error::msg(alloc::format!(
                "wrong number of arguments or results: expected {} and {}, got {} and {}",
                ty.params().len(),
                ty.results().len(),
                params.len(),
                results.len()
            )));
        }
        let mut cells = vec![0u64; (ty.param_cells().max(ty.result_cells()) as usize).max(1)];
        let mut at = 0;
        for (p, &pty) in params.iter().zip(ty.params()) {
            crate::global::check_val(inner, p, pty)?;
            p.write_raw(inner, &mut cells[at..]);
            at += pty.cells() as usize;
        }
        crate::exec::invoke(inner, ctx.data, index as u32, &mut cells)?;
        let mut at = 0;
        for (r, &rty) in results.iter_mut().zip(ty.results()) {
            *r = Val::read_raw(inner, rty, &cells[at..]);
            at += rty.cells() as usize;
        }
        Ok(())
    }

    /// A statically typed view of this function.
    ///
    /// # Errors
    /// If the function's type is not `Params -> Results`.
    pub fn typed<Params: WasmParams, Results: WasmResults>(
        &self,
        store: impl AsContext,
    ) -> Result<TypedFunc<Params, Results>, Error> {
        TypedFunc::new(*self, store.as_context().inner)
    }
}

/// Wraps a closure over `Val`s in the array ABI.
pub(crate) fn dynamic_callback<T: 'static>(
    ty: FuncType,
    func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync + 'static,
) -> Arc<HostCallback> {
    Arc::new(
        move |inner: &mut StoreInner, data: &mut dyn Any, instance: Option<u32>, cells: &mut [u64]| {
            let mut params = Vec::with_capacity(ty.params().len());
            let mut at = 0;
            for &p in ty.params() {
                params.push(Val::read_raw(inner, p, &cells[at..]));
                at += p.cells() as usize;
            }
            let mut results: Vec<Val> = ty.results().iter().map(|&r| Val::default_for(r)).collect();
            let data = data.downcast_mut::<T>().expect("store data type");
            func(Caller { inner, data, instance }, &params, &mut results)?;
            let mut at = 0;
            for (r, &rty) in results.iter().zip(ty.results()) {
                crate::global::check_val(inner, r, rty)?;
                r.write_raw(inner, &mut cells[at..]);
                at += rty.cells() as usize;
            }
            Ok(())
        },
    )
}

/// The type of function `index` of a store.
pub(crate) fn func_type(store: &StoreInner, index: usize) -> &FuncType {
    match &store.funcs[index].kind {
        FuncKind::Host(h) => &h.ty,
        FuncKind::Wasm { instance, index, .. } => {
            store.instances[*instance as usize].module.info().func_type_of(*index)
        }
    }
}
