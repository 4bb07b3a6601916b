//! Values: the typed `Val` of the API, host references, and the raw 64-bit
//! cell encoding the executor uses.
//!
//! Raw reference encoding (one cell): `0` is null in every hierarchy. A
//! function reference is `func index + 1`. In the any/extern hierarchies,
//! odd values are unboxed `i31` (`value << 1 | 1`) and even values are
//! `(object index + 1) << 1`, an object of the store's heap (host data
//! today; GC structs, arrays and exceptions share that space), so
//! `any.convert_extern` and `extern.convert_any` are free.

use crate::func::Func;
use crate::store::{AsContext, AsContextMut, StoreInner, Stored};
use alloc::boxed::Box;
use core::any::Any;
use mote_environ::{HeapType, RefType, ValType};

/// An object of a store's heap.
pub(crate) enum HeapObject {
    /// Data supplied by the host behind an `externref`.
    Host(Box<dyn Any + Send + Sync>),
    /// A GC struct.
    Struct(crate::gc::GcStruct),
    /// A GC array.
    Array(crate::gc::GcArray),
    /// A thrown exception: its tag (store index) and payload cells.
    Exception { tag: u32, payload: Box<[u64]> },
}

impl HeapObject {
    /// Allocates `self` in `store`, returning its raw reference.
    pub(crate) fn alloc(self, store: &mut StoreInner) -> u64 {
        store.objects.push(self);
        (store.objects.len() as u64) << 1
    }
}

/// A reference in the `extern` hierarchy: host data, or an internal
/// reference converted by `extern.convert_any`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExternRef {
    pub(crate) store: crate::store::StoreId,
    pub(crate) raw: u64,
}

/// A reference in the `any` hierarchy (`i31`, or an object).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnyRef {
    pub(crate) store: crate::store::StoreId,
    pub(crate) raw: u64,
}

/// An exception reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExnRef(pub(crate) Stored);

impl ExternRef {
    /// Wraps host data in a new `externref`.
    pub fn new(mut store: impl AsContextMut, value: impl Any + Send + Sync + 'static) -> ExternRef {
        let inner = store.as_context_mut().inner;
        let raw = HeapObject::Host(Box::new(value)).alloc(inner);
        ExternRef { store: inner.id, raw }
    }

    /// The `anyref` that `any.convert_extern` makes of this reference.
    pub fn to_any(self) -> AnyRef {
        AnyRef {
            store: self.store,
            raw: self.raw,
        }
    }

    /// The host data, if this reference wraps host data.
    pub fn data<'a, T: 'a>(
        &self,
        store: impl Into<crate::store::StoreContext<'a, T>>,
    ) -> Option<&'a (dyn Any + Send + Sync)> {
        let ctx = store.into();
        self.to_any().object(ctx.inner).and_then(|o| match o {
            HeapObject::Host(b) => Some(&**b),
            _ => None,
        })
    }

    pub(crate) fn to_raw(self, store: &StoreInner) -> u64 {
        assert!(
            self.store == store.id,
            "reference used with a store it does not belong to"
        );
        self.raw
    }
}

impl<'a, T: 'static> From<&'a crate::Store<T>> for crate::store::StoreContext<'a, T> {
    fn from(s: &'a crate::Store<T>) -> Self {
        s.as_context()
    }
}

impl<'a, T> From<&'a mut crate::Store<T>> for crate::store::StoreContext<'a, T> {
    fn from(s: &'a mut crate::Store<T>) -> Self {
        crate::store::StoreContext {
            inner: &s.inner,
            data: &s.data,
        }
    }
}

/// A reference value of any kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ref {
    /// A function reference.
    Func(Option<Func>),
    /// A host reference.
    Extern(Option<ExternRef>),
    /// An internal reference.
    Any(Option<AnyRef>),
}

/// A WebAssembly value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val {
    /// `i32`
    I32(i32),
    /// `i64`
    I64(i64),
    /// `f32`, as its bit pattern.
    F32(u32),
    /// `f64`, as its bit pattern.
    F64(u64),
    /// `v128`
    V128(u128),
    /// A function reference.
    FuncRef(Option<Func>),
    /// A host reference.
    ExternRef(Option<ExternRef>),
    /// An internal reference.
    AnyRef(Option<AnyRef>),
    /// An exception reference.
    ExnRef(Option<ExnRef>),
}

impl Val {
    /// The default (zero or null) value of `ty`.
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::V128 => Val::V128(0),
            ValType::Ref(r) => Val::null_of(r),
        }
    }

    /// The null reference of `ty`'s hierarchy. A concrete type's hierarchy
    /// needs the engine's types to tell; its null is a null `funcref`
    /// here, which calls and globals accept for a concrete struct or array
    /// type as well.
    pub fn null_of(ty: RefType) -> Val {
        match ty.heap {
            HeapType::Func | HeapType::NoFunc => Val::FuncRef(None),
            HeapType::Extern | HeapType::NoExtern => Val::ExternRef(None),
            HeapType::Exn | HeapType::NoExn => Val::ExnRef(None),
            HeapType::Concrete(_) | HeapType::RecLocal(_) => Val::FuncRef(None),
            _ => Val::AnyRef(None),
        }
    }

    /// The `i32`, if this is one.
    pub fn i32(&self) -> Option<i32> {
        match *self {
            Val::I32(v) => Some(v),
            _ => None,
        }
    }
    /// The `i64`, if this is one.
    pub fn i64(&self) -> Option<i64> {
        match *self {
            Val::I64(v) => Some(v),
            _ => None,
        }
    }
    /// The `f32`, if this is one.
    pub fn f32(&self) -> Option<f32> {
        match *self {
            Val::F32(v) => Some(f32::from_bits(v)),
            _ => None,
        }
    }
    /// The `f64`, if this is one.
    pub fn f64(&self) -> Option<f64> {
        match *self {
            Val::F64(v) => Some(f64::from_bits(v)),
            _ => None,
        }
    }

    /// Writes the value into raw cells (`v128` takes two).
    pub(crate) fn write_raw(&self, store: &StoreInner, out: &mut [u64]) {
        out[0] = match *self {
            Val::I32(v) => v as u32 as u64,
            Val::I64(v) => v as u64,
            Val::F32(v) => v as u64,
            Val::F64(v) => v,
            Val::V128(v) => {
                out[1] = (v >> 64) as u64;
                v as u64
            }
            Val::FuncRef(f) => f.map_or(0, |f| f.0.index_in(store) as u64 + 1),
            Val::ExternRef(e) => e.map_or(0, |e| e.to_raw(store)),
            Val::AnyRef(a) => a.map_or(0, |a| {
                assert!(a.store == store.id, "reference used with a store it does not belong to");
                a.raw
            }),
            Val::ExnRef(e) => e.map_or(0, |e| ((e.0.index_in(store) as u64) + 1) << 1),
        };
    }

    /// Reads a value of type `ty` from raw cells.
    pub(crate) fn read_raw(store: &StoreInner, ty: ValType, cells: &[u64]) -> Val {
        let raw = cells[0];
        match ty {
            ValType::I32 => Val::I32(raw as i32),
            ValType::I64 => Val::I64(raw as i64),
            ValType::F32 => Val::F32(raw as u32),
            ValType::F64 => Val::F64(raw),
            ValType::V128 => Val::V128(raw as u128 | (cells[1] as u128) << 64),
            ValType::Ref(r) => Val::ref_from_raw(store, r, raw),
        }
    }

    pub(crate) fn ref_from_raw(store: &StoreInner, ty: RefType, raw: u64) -> Val {
        let ty = RefType::new(ty.nullable, store.engine.with_types(|t| t.top_of(ty.heap)));
        match Val::null_of(ty) {
            Val::FuncRef(_) => Val::FuncRef((raw != 0).then(|| Func(store.stored(raw as usize - 1)))),
            Val::ExternRef(_) => Val::ExternRef((raw != 0).then_some(ExternRef { store: store.id, raw })),
            Val::ExnRef(_) => Val::ExnRef((raw != 0).then(|| ExnRef(store.stored((raw >> 1) as usize - 1)))),
            _ => Val::AnyRef((raw != 0).then_some(AnyRef { store: store.id, raw })),
        }
    }

    /// The reference, if this value is one.
    pub fn as_ref(&self) -> Option<Ref> {
        match *self {
            Val::FuncRef(f) => Some(Ref::Func(f)),
            Val::ExternRef(e) => Some(Ref::Extern(e)),
            Val::AnyRef(a) => Some(Ref::Any(a)),
            _ => None,
        }
    }
}

impl From<Ref> for Val {
    fn from(r: Ref) -> Val {
        match r {
            Ref::Func(f) => Val::FuncRef(f),
            Ref::Extern(e) => Val::ExternRef(e),
            Ref::Any(a) => Val::AnyRef(a),
        }
    }
}

impl From<i32> for Val {
    fn from(v: i32) -> Val {
        Val::I32(v)
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::I64(v)
    }
}
impl From<f32> for Val {
    fn from(v: f32) -> Val {
        Val::F32(v.to_bits())
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::F64(v.to_bits())
    }
}

impl AnyRef {
    /// The `externref` that `extern.convert_any` makes of this reference.
    pub fn to_extern(self) -> ExternRef {
        ExternRef {
            store: self.store,
            raw: self.raw,
        }
    }

    /// The value, if this is an unboxed `i31`.
    pub fn i31(&self) -> Option<i32> {
        (self.raw & 1 == 1).then_some((self.raw as u32 as i32) >> 1)
    }

    fn object<'a>(&self, store: &'a StoreInner) -> Option<&'a HeapObject> {
        assert!(
            self.store == store.id,
            "reference used with a store it does not belong to"
        );
        (self.raw & 1 == 0).then(|| &store.objects[(self.raw >> 1) as usize - 1])
    }

    /// The canonical type of the struct or array this refers to.
    pub fn type_id(&self, store: impl AsContext) -> Option<mote_environ::SharedTypeId> {
        match self.object(store.as_context().inner)? {
            HeapObject::Struct(s) => Some(s.ty),
            HeapObject::Array(a) => Some(a.ty),
            _ => None,
        }
    }

    /// Whether this refers to a GC struct.
    pub fn is_struct(&self, store: impl AsContext) -> bool {
        matches!(self.object(store.as_context().inner), Some(HeapObject::Struct(_)))
    }

    /// The number of fields of a struct, or elements of an array.
    pub fn len(&self, store: impl AsContext) -> Option<usize> {
        match self.object(store.as_context().inner)? {
            HeapObject::Struct(s) => Some(s.fields.len()),
            HeapObject::Array(a) => Some(a.len()),
            _ => None,
        }
    }

    /// Whether this refers to a GC array.
    pub fn is_array(&self, store: impl AsContext) -> bool {
        matches!(self.object(store.as_context().inner), Some(HeapObject::Array(_)))
    }
}
