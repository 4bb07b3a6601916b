//! The global registry of native functions, filled by
//! `wasm_runtime_register_natives(_raw)` and read when a module is
//! instantiated (see `link`).
//!
//! WAMR keeps pointers into the caller's array; Mote copies each entry, so
//! the array may be freed after registration. Later registrations take
//! precedence over earlier ones of the same name.

use crate::ffi::{c_str, guard, slice};
use crate::invoke;
use crate::signature::Signature;
use crate::types::NativeSymbol;
use std::ffi::{c_char, c_void};
use std::sync::Mutex;

/// A registered native function.
#[derive(Debug, Clone)]
pub(crate) struct Native {
    pub(crate) name: String,
    /// The C function's address.
    pub(crate) func: usize,
    /// `None` when registered without a signature: the import's own types
    /// are then passed, unchecked.
    pub(crate) signature: Option<Signature>,
    pub(crate) attachment: usize,
    /// Registered with `wasm_runtime_register_natives_raw`.
    pub(crate) raw: bool,
}

impl Native {
    pub(crate) fn func_ptr(&self) -> *const c_void {
        self.func as *const c_void
    }

    pub(crate) fn attachment(&self) -> *mut c_void {
        self.attachment as *mut c_void
    }
}

struct Group {
    module: String,
    natives: Vec<Native>,
}

static REGISTRY: Mutex<Vec<Group>> = Mutex::new(Vec::new());

fn registry() -> std::sync::MutexGuard<'static, Vec<Group>> {
    REGISTRY.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The native registered last as `module::name`.
pub(crate) fn find(module: &str, name: &str) -> Option<Native> {
    registry()
        .iter()
        .rev()
        .filter(|g| g.module == module)
        .find_map(|g| g.natives.iter().rev().find(|n| n.name == name).cloned())
}

/// Forgets every registered native.
pub(crate) fn clear() {
    registry().clear();
}

/// Reads one C entry; `None` if it lacks a name or function, or its
/// signature is malformed or cannot be called on this target.
///
/// # Safety
/// The entry's strings are NULL or NUL-terminated.
unsafe fn read(symbol: &NativeSymbol, raw: bool) -> Option<Native> {
    // SAFETY: forwarded contract.
    let name = unsafe { c_str(symbol.symbol) }?.to_string();
    if symbol.func_ptr.is_null() {
        return None;
    }
    let signature = if symbol.signature.is_null() {
        None
    } else {
        // SAFETY: forwarded contract.
        Some(Signature::parse(unsafe { c_str(symbol.signature) }?).ok()?)
    };
    if !raw && signature.as_ref().is_some_and(|s| !invoke::supports(&s.params)) {
        return None;
    }
    Some(Native {
        name,
        func: symbol.func_ptr as usize,
        signature,
        attachment: symbol.attachment as usize,
        raw,
    })
}

/// Registers `count` entries of `symbols` under `module`; all or nothing.
///
/// # Safety
/// `symbols` is NULL or holds `count` entries whose strings are NULL or
/// NUL-terminated.
pub(crate) unsafe fn register(module: &str, symbols: *const NativeSymbol, count: u32, raw: bool) -> bool {
    // SAFETY: forwarded contract.
    let Some(entries) = (unsafe { slice(symbols, count as usize) }) else {
        return false;
    };
    // SAFETY: forwarded contract.
    let Some(natives) = entries
        .iter()
        .map(|s| unsafe { read(s, raw) })
        .collect::<Option<Vec<_>>>()
    else {
        return false;
    };
    registry().push(Group {
        module: module.to_string(),
        natives,
    });
    true
}

/// `wasm_runtime_register_natives`: registers natives for modules
/// instantiated afterwards. False (registering none) when the module name
/// or the array is NULL, or an entry has no name, no function, a malformed
/// signature or one this target cannot call.
///
/// # Safety
/// `module_name` is NULL or a C string; `native_symbols` is NULL or holds
/// `n_native_symbols` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_register_natives(
    module_name: *const c_char,
    native_symbols: *mut NativeSymbol,
    n_native_symbols: u32,
) -> bool {
    guard(false, || {
        // SAFETY: forwarded contract.
        unsafe { c_str(module_name).is_some_and(|m| register(m, native_symbols, n_native_symbols, false)) }
    })
}

/// `wasm_runtime_register_natives_raw`: as `wasm_runtime_register_natives`
/// for natives of the form `void f(wasm_exec_env_t, uint64_t *args)`.
///
/// # Safety
/// As `wasm_runtime_register_natives`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_register_natives_raw(
    module_name: *const c_char,
    native_symbols: *mut NativeSymbol,
    n_native_symbols: u32,
) -> bool {
    guard(false, || {
        // SAFETY: forwarded contract.
        unsafe { c_str(module_name).is_some_and(|m| register(m, native_symbols, n_native_symbols, true)) }
    })
}
