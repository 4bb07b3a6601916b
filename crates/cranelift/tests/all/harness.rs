//! A minimal runtime for the tests, playing the role the `mote` runtime
//! will play with the same `VMContext` ABI: a [`Store`] owns functions,
//! memories, tables and globals at stable addresses, instances point at
//! them (an import is the exporter's pointer), and host functions are
//! closures behind the array ABI. [`Instance`] is the one-module shorthand
//! most tests use.

mod libcalls;
mod store;

pub use store::{Extern, Store};

use mote_core::TrapCode;
use mote_cranelift::{CompileOptions, CompiledModule, Compiler, Target};
use mote_environ::{ModuleInfo, TypeRegistry, ValType};

/// A value passed to or returned from wasm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    V128(u128),
    Ref(u64),
}

impl Val {
    /// Writes the value into its cells (a `v128` takes two, low first).
    fn write(self, cells: &mut [u64]) {
        cells[0] = match self {
            Val::I32(v) => v as u32 as u64,
            Val::I64(v) => v as u64,
            Val::F32(v) => v as u64,
            Val::F64(v) | Val::Ref(v) => v,
            Val::V128(v) => {
                cells[1] = (v >> 64) as u64;
                v as u64
            }
        };
    }

    fn read(ty: ValType, cells: &[u64]) -> Val {
        let cell = cells[0];
        match ty {
            ValType::I32 => Val::I32(cell as u32 as i32),
            ValType::I64 => Val::I64(cell as i64),
            ValType::F32 => Val::F32(cell as u32),
            ValType::F64 => Val::F64(cell),
            ValType::V128 => Val::V128(u128::from(cell) | u128::from(cells[1]) << 64),
            _ => Val::Ref(cell),
        }
    }
}

/// Reads values of `types` from consecutive cells.
fn read_values(types: &[ValType], cells: &[u64]) -> Vec<Val> {
    let mut at = 0;
    types
        .iter()
        .map(|&t| {
            let v = Val::read(t, &cells[at..]);
            at += t.cells() as usize;
            v
        })
        .collect()
}

/// A host function: the array-ABI cells, or a trap.
pub type HostFn = Box<dyn Fn(&mut [u64]) -> Result<(), TrapCode>>;

pub fn options() -> CompileOptions {
    CompileOptions::default()
}

thread_local! {
    /// The engine's type registry: one per test thread, so modules compiled
    /// on a thread share canonical type ids, as in one engine.
    static REGISTRY: std::cell::RefCell<TypeRegistry> = std::cell::RefCell::default();
}

/// Parses, validates and compiles `wat` for the host.
pub fn compile(wat: &str, options: CompileOptions) -> Result<(ModuleInfo, CompiledModule, Vec<u8>), String> {
    compile_for(wat, options, &Target::Host)
}

pub fn compile_for(
    wat: &str,
    options: CompileOptions,
    target: &Target,
) -> Result<(ModuleInfo, CompiledModule, Vec<u8>), String> {
    let wasm = wat::parse_str(wat).map_err(|e| e.to_string())?;
    compile_binary(wasm, options, target)
}

/// Validates and compiles a binary module.
pub fn compile_binary(
    wasm: Vec<u8>,
    options: CompileOptions,
    target: &Target,
) -> Result<(ModuleInfo, CompiledModule, Vec<u8>), String> {
    let parsed = REGISTRY
        .with_borrow_mut(|registry| mote_environ::parse(&wasm, wasmparser::WasmFeatures::default(), registry))
        .map_err(|e| format!("{e:?}"))?;
    for (pending, body) in parsed.funcs.into_iter().zip(&parsed.info.bodies) {
        let mut v = pending.validator.into_validator(Default::default());
        let reader = wasmparser::BinaryReader::new(&wasm[body.range.clone()], body.range.start as u64);
        v.validate(&wasmparser::FunctionBody::new(reader))
            .map_err(|e| e.to_string())?;
    }
    let compiler = Compiler::new(target, options).map_err(|e| e.to_string())?;
    let compiled = compiler
        .compile_module(&parsed.info, &wasm)
        .map_err(|e| e.to_string())?;
    Ok((parsed.info, compiled, wasm))
}

/// One module instantiated in a store of its own.
pub struct Instance {
    store: Box<Store>,
    id: usize,
}

/// Compiles and instantiates `wat` in a new store, with host functions
/// for its imports (in import order).
pub fn instantiate_with(wat: &str, options: CompileOptions, imports: Vec<HostFn>) -> Instance {
    let (info, compiled, wasm) = compile(wat, options).unwrap_or_else(|e| panic!("compile: {e}"));
    let mut store = Store::new();
    let imports = imports
        .into_iter()
        .zip(&info.imports)
        .map(|(f, import)| {
            let mote_environ::ImportType::Func(ty) = import.ty else {
                panic!("only function imports here")
            };
            store.host_func(info.type_ids[ty.index()].0, f)
        })
        .collect();
    let id = store
        .instantiate(info, compiled, &wasm, imports)
        .unwrap_or_else(|t| panic!("instantiation trapped: {t:?}"));
    Instance { store, id }
}

pub fn instantiate(wat: &str) -> Instance {
    instantiate_with(wat, options(), Vec::new())
}

impl Instance {
    /// Calls export `name`.
    pub fn call(&mut self, name: &str, args: &[Val]) -> Result<Vec<Val>, TrapCode> {
        self.store.call(self.id, name, args)
    }

    pub fn set_fuel(&mut self, fuel: u64) {
        self.store.set_fuel(fuel);
    }

    pub fn fuel(&self) -> u64 {
        self.store.fuel()
    }

    /// The bytes of the instance's memory `index`.
    pub fn memory(&self, index: usize) -> &[u8] {
        self.store.memory_of(self.id, index)
    }

    /// The first cell of the instance's global `index`.
    pub fn global(&self, index: usize) -> u64 {
        self.store.global_of(self.id, index)
    }

    /// The elements of the instance's table `index`.
    pub fn table(&self, index: usize) -> &[u64] {
        self.store.table_of(self.id, index)
    }

    /// Traps reported through the `trap` libcall.
    pub fn traps_seen(&self) -> u32 {
        self.store.traps_seen()
    }
}

pub fn trap_from_u32(code: u32) -> TrapCode {
    TrapCode::from_code(code).unwrap_or_else(|| panic!("unknown trap code {code}"))
}
