//! Globals: the `Global` handle and the store's `GlobalEntity`.

use crate::Error;
use crate::store::{AsContext, AsContextMut, StoreInner, Stored};
use crate::value::Val;
use mote_environ::GlobalType;

/// A global variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Global(pub(crate) Stored);

/// Boxed in the store (`StoreInner::globals`) so that `value` stays at one
/// address, which compiled code holds.
pub(crate) struct GlobalEntity {
    pub(crate) ty: GlobalType,
    /// Raw cells; a `v128` uses both.
    pub(crate) value: [u64; 2],
}

impl Global {
    /// Creates a global of type `ty` holding `value`.
    ///
    /// # Errors
    /// If `value` does not have the global's type.
    pub fn new(mut store: impl AsContextMut, ty: GlobalType, value: Val) -> Result<Global, Error> {
        let ctx = store.as_context_mut();
        check_val(ctx.inner, &value, ty.content)?;
        let mut cells = [0; 2];
        value.write_raw(ctx.inner, &mut cells);
        ctx.inner
            .globals
            .push(alloc::boxed::Box::new(GlobalEntity { ty, value: cells }));
        Ok(Global(ctx.inner.stored(ctx.inner.globals.len() - 1)))
    }

    fn entity<'a>(&self, store: &'a StoreInner) -> &'a GlobalEntity {
        &store.globals[self.0.index_in(store)]
    }

    /// The global's type.
    pub fn ty(&self, store: impl AsContext) -> GlobalType {
        self.entity(store.as_context().inner).ty
    }

    /// The current value.
    pub fn get(&self, store: impl AsContext) -> Val {
        let inner = store.as_context().inner;
        let e = self.entity(inner);
        Val::read_raw(inner, e.ty.content, &e.value)
    }

    /// Sets the value.
    ///
    /// # Errors
    /// If the global is immutable or `value` has the wrong type.
    pub fn set(&self, mut store: impl AsContextMut, value: Val) -> Result<(), Error> {
        let ctx = store.as_context_mut();
        let i = self.0.index_in(ctx.inner);
        let ty = ctx.inner.globals[i].ty;
        if !ty.mutable {
            return Err(Error::msg("cannot set an immutable global"));
        }
        check_val(ctx.inner, &value, ty.content)?;
        let mut cells = [0; 2];
        value.write_raw(ctx.inner, &mut cells);
        ctx.inner.globals[i].value = cells;
        Ok(())
    }
}

/// Checks that `value` is of type `ty` (by kind; reference subtyping of
/// concrete types is checked where it matters, at link time).
pub(crate) fn check_val(store: &StoreInner, value: &Val, ty: mote_environ::ValType) -> Result<(), Error> {
    // A concrete type's values are those of its hierarchy's top.
    let top = match ty {
        mote_environ::ValType::Ref(r) => mote_environ::ValType::Ref(mote_environ::RefType::new(
            r.nullable,
            store.engine.with_types(|t| t.top_of(r.heap)),
        )),
        other => other,
    };
    // `Val::null_of` cannot tell a concrete type's hierarchy without the
    // store's types, and makes a null `funcref` of every one: a null of
    // either hierarchy a concrete type can be in is its null.
    let concrete_null = matches!(
        (value, ty),
        (Val::FuncRef(None) | Val::AnyRef(None), mote_environ::ValType::Ref(r))
            if r.nullable && matches!(r.heap, mote_environ::HeapType::Concrete(_))
    );
    let ok = concrete_null
        || matches!(
            (value, Val::default_for(top)),
            (Val::I32(_), Val::I32(_))
                | (Val::I64(_), Val::I64(_))
                | (Val::F32(_), Val::F32(_))
                | (Val::F64(_), Val::F64(_))
                | (Val::V128(_), Val::V128(_))
                | (Val::FuncRef(_), Val::FuncRef(_))
                | (Val::ExternRef(_), Val::ExternRef(_))
                | (Val::AnyRef(_), Val::AnyRef(_))
                | (Val::ExnRef(_), Val::ExnRef(_))
        );
    let null_ok = match (value, ty) {
        (v, mote_environ::ValType::Ref(r)) if !r.nullable => v.as_ref().is_some_and(|r| !is_null(r)),
        _ => true,
    };
    if ok && null_ok {
        Ok(())
    } else {
        Err(Error::msg(alloc::format!("value {value:?} does not have type {ty}")))
    }
}

fn is_null(r: crate::value::Ref) -> bool {
    matches!(
        r,
        crate::value::Ref::Func(None) | crate::value::Ref::Extern(None) | crate::value::Ref::Any(None)
    )
}
