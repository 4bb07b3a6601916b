//! Helpers shared by the benchmarks: instantiate a module from text with
//! the default engine, and fetch typed exports.

#![allow(dead_code, reason = "each benchmark binary uses only some helpers")]

use mote::{Engine, Instance, Linker, Module, Store, TypedFunc, WasmParams, WasmResults};

/// Compiles `wat` with the default engine (lazy translation) and instantiates
/// it through `linker`, or through an empty linker when `None`.
pub fn instantiate(wat: &str, linker: Option<&Linker<()>>) -> (Store<()>, Instance) {
    let engine = linker.map_or_else(Engine::default, |l| l.engine().clone());
    let module = Module::new(&engine, wat).expect("benchmark module compiles");
    let mut store = Store::new(&engine, ());
    let instance = match linker {
        Some(linker) => linker.instantiate(&mut store, &module),
        None => Linker::new(&engine).instantiate(&mut store, &module),
    }
    .expect("benchmark module instantiates");
    (store, instance)
}

/// The export `name` as a typed function.
pub fn typed<P: WasmParams, R: WasmResults>(store: &Store<()>, instance: &Instance, name: &str) -> TypedFunc<P, R> {
    instance
        .get_typed_func::<P, R>(store, name)
        .unwrap_or_else(|e| panic!("export {name}: {e}"))
}
