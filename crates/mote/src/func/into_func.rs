//! `IntoFunc`: turns Rust closures into host functions, with or without a
//! leading `Caller<'_, T>` parameter.

use super::HostCallback;
use super::typed::{WasmRet, WasmTy};
use crate::store::{Caller, StoreInner};
use alloc::sync::Arc;
use core::any::Any;
use mote_environ::FuncType;

/// A closure usable as a host function of a `Store<T>`.
pub trait IntoFunc<T, Params, Results>: Send + Sync + 'static {
    /// Its wasm type and erased callback.
    #[doc(hidden)]
    fn into_func(self) -> (FuncType, Arc<HostCallback>);
}

macro_rules! into_func {
    ($(($($p:ident $i:tt),*);)*) => {$(
        impl<T: 'static, Func, R, $($p: WasmTy),*> IntoFunc<T, ($($p,)*), R> for Func
        where
            Func: Fn($($p),*) -> R + Send + Sync + 'static,
            R: WasmRet,
        {
            #[allow(unused_variables, reason = "closures without parameters read no cells")]
            fn into_func(self) -> (FuncType, Arc<HostCallback>) {
                let ty = FuncType::new([$($p::valtype()),*], R::valtypes());
                let callback = move |_: &mut StoreInner, _: &mut dyn Any, _: Option<u32>, cells: &mut [u64]| {
                    let result = (self)($($p::from_cell(cells[$i])),*);
                    result.write_cells(cells)
                };
                (ty, Arc::new(callback))
            }
        }

        impl<T: 'static, Func, R, $($p: WasmTy),*> IntoFunc<T, (Caller<'_, T>, $($p,)*), R> for Func
        where
            Func: Fn(Caller<'_, T>, $($p),*) -> R + Send + Sync + 'static,
            R: WasmRet,
        {
            #[allow(unused_variables, reason = "closures without parameters read no cells")]
            fn into_func(self) -> (FuncType, Arc<HostCallback>) {
                let ty = FuncType::new([$($p::valtype()),*], R::valtypes());
                let callback = move |inner: &mut StoreInner, data: &mut dyn Any, instance: Option<u32>, cells: &mut [u64]| {
                    let data = data.downcast_mut::<T>().expect("store data type");
                    let caller = Caller { inner, data, instance };
                    let result = (self)(caller, $($p::from_cell(cells[$i])),*);
                    result.write_cells(cells)
                };
                (ty, Arc::new(callback))
            }
        }
    )*};
}

into_func! {
    ();
    (A 0);
    (A 0, B 1);
    (A 0, B 1, C 2);
    (A 0, B 1, C 2, D 3);
    (A 0, B 1, C 2, D 3, E 4);
    (A 0, B 1, C 2, D 3, E 4, F 5);
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6);
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);
}
