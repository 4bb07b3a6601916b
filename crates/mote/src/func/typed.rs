//! Statically typed calls: `TypedFunc<Params, Results>` and the traits that
//! map Rust types to wasm value types.

use super::Func;
use crate::Error;
use crate::store::{AsContextMut, StoreInner};
use alloc::vec::Vec;
use core::marker::PhantomData;
use mote_environ::ValType;

/// A Rust type that is a wasm value type.
pub trait WasmTy: Sized + Send + 'static {
    /// Its wasm type.
    fn valtype() -> ValType;
    /// Reads it from a raw cell.
    fn from_cell(cell: u64) -> Self;
    /// Writes it to a raw cell.
    fn into_cell(self) -> u64;
}

macro_rules! wasm_ty {
    ($($t:ty => $vt:ident, |$c:ident| $from:expr, |$v:ident| $into:expr;)*) => {$(
        impl WasmTy for $t {
            fn valtype() -> ValType { ValType::$vt }
            #[inline]
            fn from_cell($c: u64) -> Self { $from }
            #[inline]
            fn into_cell(self) -> u64 { let $v = self; $into }
        }
    )*};
}

wasm_ty! {
    i32 => I32, |c| c as i32, |v| v as u32 as u64;
    u32 => I32, |c| c as u32, |v| v as u64;
    i64 => I64, |c| c as i64, |v| v as u64;
    u64 => I64, |c| c, |v| v;
    f32 => F32, |c| f32::from_bits(c as u32), |v| v.to_bits() as u64;
    f64 => F64, |c| f64::from_bits(c), |v| v.to_bits();
}

/// Parameters of a typed call: `()`, a `WasmTy`, or a tuple of them.
pub trait WasmParams: Send {
    /// Their wasm types.
    fn valtypes() -> Vec<ValType>;
    /// Writes them into cells.
    fn write_cells(self, cells: &mut [u64]);
}

/// Results of a typed call: `()`, a `WasmTy`, or a tuple of them.
pub trait WasmResults: Sized {
    /// Their wasm types.
    fn valtypes() -> Vec<ValType>;
    /// Reads them from cells.
    fn read_cells(cells: &[u64]) -> Self;
}

/// What a host closure may return: results, or `Result<results, Error>`.
pub trait WasmRet {
    /// The wasm result types.
    fn valtypes() -> Vec<ValType>;
    /// Writes the results into cells, or passes on the error.
    fn write_cells(self, cells: &mut [u64]) -> Result<(), Error>;
}

impl<T: WasmTy> WasmParams for T {
    fn valtypes() -> Vec<ValType> {
        Vec::from([T::valtype()])
    }
    fn write_cells(self, cells: &mut [u64]) {
        cells[0] = self.into_cell();
    }
}

impl<T: WasmTy> WasmResults for T {
    fn valtypes() -> Vec<ValType> {
        Vec::from([T::valtype()])
    }
    fn read_cells(cells: &[u64]) -> Self {
        T::from_cell(cells[0])
    }
}

macro_rules! tuples {
    ($($n:literal: ($($t:ident $i:tt),*);)*) => {$(
        impl<$($t: WasmTy),*> WasmParams for ($($t,)*) {
            fn valtypes() -> Vec<ValType> { Vec::from([$($t::valtype()),*]) }
            #[allow(unused_variables, reason = "the empty tuple writes nothing")]
            fn write_cells(self, cells: &mut [u64]) { $(cells[$i] = self.$i.into_cell();)* }
        }
        impl<$($t: WasmTy),*> WasmResults for ($($t,)*) {
            fn valtypes() -> Vec<ValType> { Vec::from([$($t::valtype()),*]) }
            #[allow(unused_variables, clippy::unused_unit, reason = "the empty tuple reads nothing")]
            fn read_cells(cells: &[u64]) -> Self { ($($t::from_cell(cells[$i]),)*) }
        }
        impl<$($t: WasmTy),*> WasmRet for ($($t,)*) {
            fn valtypes() -> Vec<ValType> { Vec::from([$($t::valtype()),*]) }
            #[allow(unused_variables, reason = "the empty tuple writes nothing")]
            fn write_cells(self, cells: &mut [u64]) -> Result<(), Error> {
                $(cells[$i] = self.$i.into_cell();)*
                Ok(())
            }
        }
    )*};
}

tuples! {
    0: ();
    2: (A 0, B 1);
    3: (A 0, B 1, C 2);
    4: (A 0, B 1, C 2, D 3);
    5: (A 0, B 1, C 2, D 3, E 4);
    6: (A 0, B 1, C 2, D 3, E 4, F 5);
}

impl<A: WasmTy> WasmParams for (A,) {
    fn valtypes() -> Vec<ValType> {
        Vec::from([A::valtype()])
    }
    fn write_cells(self, cells: &mut [u64]) {
        cells[0] = self.0.into_cell();
    }
}

impl<T: WasmTy> WasmRet for T {
    fn valtypes() -> Vec<ValType> {
        Vec::from([T::valtype()])
    }
    fn write_cells(self, cells: &mut [u64]) -> Result<(), Error> {
        cells[0] = self.into_cell();
        Ok(())
    }
}

impl<R: WasmRet> WasmRet for Result<R, Error> {
    fn valtypes() -> Vec<ValType> {
        R::valtypes()
    }
    fn write_cells(self, cells: &mut [u64]) -> Result<(), Error> {
        self?.write_cells(cells)
    }
}

/// A function with a statically known type.
pub struct TypedFunc<Params, Results> {
    func: Func,
    cells: usize,
    _marker: PhantomData<fn(Params) -> Results>,
}

impl<P, R> Clone for TypedFunc<P, R> {
    fn clone(&self) -> Self {
        TypedFunc {
            func: self.func,
            cells: self.cells,
            _marker: PhantomData,
        }
    }
}

impl<P: WasmParams, R: WasmResults> TypedFunc<P, R> {
    pub(crate) fn new(func: Func, store: &StoreInner) -> Result<Self, Error> {
        let ty = super::func_type(store, func.0.index_in(store));
        if ty.params() != P::valtypes().as_slice() || ty.results() != R::valtypes().as_slice() {
            return Err(Error::msg(alloc::format!(
                "function has type {:?} -> {:?}, not the requested {:?} -> {:?}",
                ty.params(),
                ty.results(),
                P::valtypes(),
                R::valtypes()
            )));
        }
        Ok(TypedFunc {
            func,
            cells: (ty.param_cells().max(ty.result_cells()) as usize).max(1),
            _marker: PhantomData,
        })
    }

    /// Calls the function.
    ///
    /// # Errors
    /// A trap or a host error.
    pub fn call(&self, mut store: impl AsContextMut, params: P) -> Result<R, Error> {
        let ctx = store.as_context_mut();
        let mut buf = [0u64; 16];
        let mut heap = Vec::new();
        let cells: &mut [u64] = if self.cells <= buf.len() {
            &mut buf[..self.cells]
        } else {
            heap.resize(self.cells, 0);
            &mut heap
        };
        params.write_cells(cells);
        let index = self.func.0.index_in(ctx.inner) as u32;
        crate::exec::invoke(ctx.inner, ctx.data, index, cells)?;
        Ok(R::read_cells(cells))
    }

    /// The untyped function.
    pub fn func(&self) -> Func {
        self.func
    }
}
