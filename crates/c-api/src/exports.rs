//! A module's imports and exports as `wasm_import_t`/`wasm_export_t`, and
//! the accessors of their types (`wasm_func_type_t` and friends).
//!
//! The descriptions are made once at load; their strings and type handles
//! live as long as the module. Exception tags have no WAMR kind and are
//! left out.

use crate::ffi::{guard, write_out};
use crate::handles::{self, Handle, Kind};
use crate::module::LoadedModule;
use crate::natives;
use crate::types::{KIND_FUNC, KIND_GLOBAL, KIND_MEMORY, KIND_TABLE, WasmExport, WasmImport};
use crate::values::valkind;
use crate::wasi;
use mote::{ExternType, Module, ValType};
use std::ffi::{CString, c_void};

/// The type of an import or export (`wasm_func_type_t`,
/// `wasm_table_type_t`, `wasm_memory_type_t` or `wasm_global_type_t`).
pub enum ExternTypeDesc {
    Func { params: Vec<u8>, results: Vec<u8> },
    Table { elem: u8, min: u32, max: u32 },
    Memory { min: u32, max: u32, shared: bool },
    Global { kind: u8, mutable: bool },
}

impl Handle for ExternTypeDesc {
    const KIND: Kind = Kind::ExternType;
}

/// One import or export, ready to hand to C.
pub(crate) struct ExternDesc {
    module: CString,
    name: CString,
    kind: u32,
    ty: *mut ExternTypeDesc,
}

impl Drop for ExternDesc {
    fn drop(&mut self) {
        drop(handles::release(self.ty));
    }
}

/// A C string of a wasm name (which may, rarely, contain NUL: dropped).
fn c_string(name: &str) -> CString {
    CString::new(name.replace('\0', "")).unwrap_or_default()
}

/// Clamps a 64-bit count to the 32 bits WAMR's types have.
fn clamp(n: u64) -> u32 {
    n.min(u64::from(u32::MAX)) as u32
}

fn describe(module: &str, name: &str, ty: &ExternType) -> Option<ExternDesc> {
    let kinds = |types: &[ValType]| types.iter().map(|&t| valkind(t)).collect();
    let (kind, desc) = match ty {
        ExternType::Func(f) => (
            KIND_FUNC,
            ExternTypeDesc::Func {
                params: kinds(f.params()),
                results: kinds(f.results()),
            },
        ),
        ExternType::Table(t) => (
            KIND_TABLE,
            ExternTypeDesc::Table {
                elem: valkind(ValType::Ref(t.element)),
                min: clamp(t.min),
                max: clamp(t.max.unwrap_or(u64::from(u32::MAX))),
            },
        ),
        ExternType::Memory(m) => (
            KIND_MEMORY,
            ExternTypeDesc::Memory {
                min: clamp(m.min),
                max: clamp(m.max.unwrap_or(65536)),
                shared: m.shared,
            },
        ),
        ExternType::Global(g) => (
            KIND_GLOBAL,
            ExternTypeDesc::Global {
                kind: valkind(g.content),
                mutable: g.mutable,
            },
        ),
        ExternType::Tag(_) => return None,
    };
    Some(ExternDesc {
        module: c_string(module),
        name: c_string(name),
        kind,
        ty: handles::register(desc),
    })
}

pub(crate) fn describe_imports(module: &Module) -> Vec<ExternDesc> {
    module
        .imports()
        .filter_map(|i| describe(i.module, i.name, &i.ty))
        .collect()
}

pub(crate) fn describe_exports(module: &Module) -> Vec<ExternDesc> {
    module.exports().filter_map(|e| describe("", e.name, &e.ty)).collect()
}

fn count(module: *const LoadedModule, list: impl Fn(&LoadedModule) -> usize) -> i32 {
    guard(-1, || handles::get(module).map_or(-1, |m| list(m) as i32))
}

/// `wasm_runtime_get_import_count`: -1 for an invalid module.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_import_count(module: *const LoadedModule) -> i32 {
    count(module, |m| m.imports.len())
}

/// `wasm_runtime_get_export_count`: -1 for an invalid module.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_export_count(module: *const LoadedModule) -> i32 {
    count(module, |m| m.exports.len())
}

/// `wasm_runtime_get_import_type`: describes import `import_index`;
/// `linked` tells whether a registered native (or WASI) provides it.
/// Leaves `import_type` untouched for an invalid module or index.
///
/// # Safety
/// `import_type` is NULL or valid for writing a `wasm_import_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_import_type(
    module: *const LoadedModule,
    import_index: i32,
    import_type: *mut WasmImport,
) {
    guard((), || {
        let Some(module) = handles::get(module) else { return };
        let Some(desc) = usize::try_from(import_index).ok().and_then(|i| module.imports.get(i)) else {
            return;
        };
        let linked = desc.kind == KIND_FUNC && {
            let (m, n) = (desc.module.to_string_lossy(), desc.name.to_string_lossy());
            m == wasi::MODULE || natives::find(&m, &n).is_some()
        };
        let import = WasmImport {
            module_name: desc.module.as_ptr(),
            name: desc.name.as_ptr(),
            kind: desc.kind,
            linked,
            ty: desc.ty.cast::<c_void>(),
        };
        // SAFETY: NULL or writable, per the contract.
        unsafe { write_out(import_type, import) };
    })
}

/// `wasm_runtime_get_export_type`: describes export `export_index`. Leaves
/// `export_type` untouched for an invalid module or index.
///
/// # Safety
/// `export_type` is NULL or valid for writing a `wasm_export_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_export_type(
    module: *const LoadedModule,
    export_index: i32,
    export_type: *mut WasmExport,
) {
    guard((), || {
        let Some(module) = handles::get(module) else { return };
        let Some(desc) = usize::try_from(export_index).ok().and_then(|i| module.exports.get(i)) else {
            return;
        };
        let export = WasmExport {
            name: desc.name.as_ptr(),
            kind: desc.kind,
            ty: desc.ty.cast::<c_void>(),
        };
        // SAFETY: NULL or writable, per the contract.
        unsafe { write_out(export_type, export) };
    })
}

/// Reads a type handle, or `fail`.
fn with_type<R>(ty: *const ExternTypeDesc, fail: R, read: impl FnOnce(&ExternTypeDesc) -> Option<R>) -> R {
    guard(None, || handles::get(ty).and_then(read)).unwrap_or(fail)
}

/// `wasm_func_type_get_param_count`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_type_get_param_count(ty: *const ExternTypeDesc) -> u32 {
    with_type(ty, 0, |t| match t {
        ExternTypeDesc::Func { params, .. } => Some(params.len() as u32),
        _ => None,
    })
}

/// `wasm_func_type_get_param_valkind`: `(wasm_valkind_t)-1` when invalid.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_type_get_param_valkind(ty: *const ExternTypeDesc, param_index: u32) -> u8 {
    with_type(ty, u8::MAX, |t| match t {
        ExternTypeDesc::Func { params, .. } => params.get(param_index as usize).copied(),
        _ => None,
    })
}

/// `wasm_func_type_get_result_count`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_type_get_result_count(ty: *const ExternTypeDesc) -> u32 {
    with_type(ty, 0, |t| match t {
        ExternTypeDesc::Func { results, .. } => Some(results.len() as u32),
        _ => None,
    })
}

/// `wasm_func_type_get_result_valkind`: `(wasm_valkind_t)-1` when invalid.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_type_get_result_valkind(ty: *const ExternTypeDesc, result_index: u32) -> u8 {
    with_type(ty, u8::MAX, |t| match t {
        ExternTypeDesc::Func { results, .. } => results.get(result_index as usize).copied(),
        _ => None,
    })
}

/// `wasm_global_type_get_valkind`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_global_type_get_valkind(ty: *const ExternTypeDesc) -> u8 {
    with_type(ty, u8::MAX, |t| match *t {
        ExternTypeDesc::Global { kind, .. } => Some(kind),
        _ => None,
    })
}

/// `wasm_global_type_get_mutable`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_global_type_get_mutable(ty: *const ExternTypeDesc) -> bool {
    with_type(ty, false, |t| match *t {
        ExternTypeDesc::Global { mutable, .. } => Some(mutable),
        _ => None,
    })
}

/// `wasm_memory_type_get_shared`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_type_get_shared(ty: *const ExternTypeDesc) -> bool {
    with_type(ty, false, |t| match *t {
        ExternTypeDesc::Memory { shared, .. } => Some(shared),
        _ => None,
    })
}

/// `wasm_memory_type_get_init_page_count`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_type_get_init_page_count(ty: *const ExternTypeDesc) -> u32 {
    with_type(ty, 0, |t| match *t {
        ExternTypeDesc::Memory { min, .. } => Some(min),
        _ => None,
    })
}

/// `wasm_memory_type_get_max_page_count`: 65536 when the memory declares
/// no maximum.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_type_get_max_page_count(ty: *const ExternTypeDesc) -> u32 {
    with_type(ty, 0, |t| match *t {
        ExternTypeDesc::Memory { max, .. } => Some(max),
        _ => None,
    })
}

/// `wasm_table_type_get_elem_kind`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_table_type_get_elem_kind(ty: *const ExternTypeDesc) -> u8 {
    with_type(ty, u8::MAX, |t| match *t {
        ExternTypeDesc::Table { elem, .. } => Some(elem),
        _ => None,
    })
}

/// `wasm_table_type_get_shared`: tables are never shared.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_table_type_get_shared(_ty: *const ExternTypeDesc) -> bool {
    false
}

/// `wasm_table_type_get_init_size`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_table_type_get_init_size(ty: *const ExternTypeDesc) -> u32 {
    with_type(ty, 0, |t| match *t {
        ExternTypeDesc::Table { min, .. } => Some(min),
        _ => None,
    })
}

/// `wasm_table_type_get_max_size`: `UINT32_MAX` when the table declares no
/// maximum.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_table_type_get_max_size(ty: *const ExternTypeDesc) -> u32 {
    with_type(ty, 0, |t| match *t {
        ExternTypeDesc::Table { max, .. } => Some(max),
        _ => None,
    })
}
