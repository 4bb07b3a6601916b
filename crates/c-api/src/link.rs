//! Resolving a module's imports for a new instance: WASI from `mote-wasi`,
//! function imports from the registered natives, and a stub for each
//! function import nothing provides.
//!
//! As in WAMR, an unresolved function import does not stop instantiation:
//! calling it raises `"failed to call unlinked import function (m, f)"`.
//! Neither does a native whose signature disagrees with the import's type;
//! it stays unlinked. Other imports (memories, tables, globals) have no
//! provider, so a module that needs one fails to instantiate.

use crate::instance::{HostState, ModuleInstance};
use crate::module::LoadedModule;
use crate::native_call::Callable;
use crate::natives;
use crate::wasi;
use mote::{ExternType, FuncType, Linker};
use std::collections::HashSet;

/// A linker that resolves every function import of `module`.
pub(crate) fn linker(module: &LoadedModule) -> Result<Linker<HostState>, String> {
    let mut linker = Linker::new(module.module.engine());
    if module.imports_wasi {
        mote_wasi::add_to_linker(&mut linker, |state: &mut HostState| &mut state.wasi).map_err(|e| e.to_string())?;
    }
    let mut defined = HashSet::new();
    for import in module.module.imports() {
        let ExternType::Func(ty) = import.ty else { continue };
        let provided_by_wasi = module.imports_wasi && import.module == wasi::MODULE;
        if provided_by_wasi || !defined.insert((import.module, import.name)) {
            continue;
        }
        let callable = natives::find(import.module, import.name).and_then(|native| Callable::new(native, &ty));
        match callable {
            Some(callable) => callable.define(&mut linker, import.module, import.name, ty),
            None => define_unlinked(&mut linker, import.module, import.name, ty),
        }
        .map_err(|e| e.to_string())?;
    }
    Ok(linker)
}

/// Defines `module::name` as a function that raises WAMR's exception for
/// an unlinked import.
fn define_unlinked(linker: &mut Linker<HostState>, module: &str, name: &str, ty: FuncType) -> Result<(), mote::Error> {
    let message = format!("failed to call unlinked import function ({module}, {name})");
    linker.func_new(module, name, ty, move |caller, _, _| {
        ModuleInstance::of_caller(&caller).exception.set(message.as_bytes());
        Err(mote::Error::msg(&message))
    })?;
    Ok(())
}
