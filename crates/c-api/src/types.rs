//! `#[repr(C)]` mirrors of the structs `wasm_export.h` and `lib_export.h`
//! declare, field for field. C enums are read as plain integers and
//! checked, never transmuted.

use std::ffi::{c_char, c_int, c_void};

/// `NativeSymbol`: one native function to register.
#[repr(C)]
pub struct NativeSymbol {
    pub symbol: *const c_char,
    pub func_ptr: *mut c_void,
    pub signature: *const c_char,
    pub attachment: *mut c_void,
}

/// `mem_alloc_type_t` values.
pub const ALLOC_WITH_POOL: u32 = 0;
/// A user-supplied malloc, realloc and free.
pub const ALLOC_WITH_ALLOCATOR: u32 = 1;
/// The system allocator.
pub const ALLOC_WITH_SYSTEM_ALLOCATOR: u32 = 2;

/// The `pool` arm of `MemAllocOption`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct PoolOption {
    pub heap_buf: *mut c_void,
    pub heap_size: u32,
}

/// The `allocator` arm of `MemAllocOption`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct AllocatorOption {
    pub malloc_func: *mut c_void,
    pub realloc_func: *mut c_void,
    pub free_func: *mut c_void,
    pub user_data: *mut c_void,
}

/// `MemAllocOption`.
#[repr(C)]
pub union MemAllocOption {
    pub pool: PoolOption,
    pub allocator: AllocatorOption,
}

/// `RunningMode`: the interpreter, the only mode Mote has.
pub const MODE_INTERP: u32 = 1;

/// `RuntimeInitArgs`.
#[repr(C)]
pub struct RuntimeInitArgs {
    pub mem_alloc_type: u32,
    pub mem_alloc_option: MemAllocOption,
    pub native_module_name: *const c_char,
    pub native_symbols: *mut NativeSymbol,
    pub n_native_symbols: u32,
    pub max_thread_num: u32,
    pub ip_addr: [c_char; 128],
    pub unused: c_int,
    pub instance_port: c_int,
    pub fast_jit_code_cache_size: u32,
    pub gc_heap_size: u32,
    pub running_mode: u32,
    pub llvm_jit_opt_level: u32,
    pub llvm_jit_size_level: u32,
    pub segue_flags: u32,
    pub enable_linux_perf: bool,
}

/// `InstantiationArgs`.
#[repr(C)]
pub struct InstantiationArgs {
    pub default_stack_size: u32,
    pub host_managed_heap_size: u32,
    pub max_memory_pages: u32,
}

/// The payload of a `wasm_val_t`.
#[repr(C)]
#[derive(Clone, Copy)]
pub union WasmValOf {
    pub i32: i32,
    pub i64: i64,
    pub f32: f32,
    pub f64: f64,
    pub foreign: usize,
    pub reference: *mut c_void,
}

/// `wasm_val_t`: a kind (`wasm_valkind_t`) and a value.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct WasmVal {
    pub kind: u8,
    pub paddings: [u8; 7],
    pub of: WasmValOf,
}

/// `wasm_import_export_kind_t` values.
pub const KIND_FUNC: u32 = 0;
/// A table.
pub const KIND_TABLE: u32 = 1;
/// A memory.
pub const KIND_MEMORY: u32 = 2;
/// A global.
pub const KIND_GLOBAL: u32 = 3;

/// `wasm_import_t`.
#[repr(C)]
pub struct WasmImport {
    pub module_name: *const c_char,
    pub name: *const c_char,
    pub kind: u32,
    pub linked: bool,
    pub ty: *mut c_void,
}

/// `wasm_export_t`.
#[repr(C)]
pub struct WasmExport {
    pub name: *const c_char,
    pub kind: u32,
    pub ty: *mut c_void,
}
