//! A minimal runtime for the tests: one instance per module, memories and
//! tables as owned buffers, globals boxed, host functions as closures,
//! and the libcalls the compiled code needs. It plays the role the `mote`
//! runtime will play, with the same `VMContext` ABI.

use mote_core::TrapCode;
use mote_cranelift::vmctx::{
    OwnedVMContext, VMContext, VMContextHeader, VMFuncRef, VMGlobal, VMMemoryDefinition, VMStoreContext,
    VMTableDefinition,
};
use mote_cranelift::{CompileOptions, CompiledModule, Compiler, LoadedModule, Target, VMLibcalls};
use mote_environ::{
    ConstOp, DataMode, ElementItems, ElementMode, EntityKind, FuncIndex, ModuleInfo, TypeIndex, TypeRegistry, ValType,
};
use std::ptr;

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

struct Memory {
    def: VMMemoryDefinition,
    bytes: Vec<u8>,
    max_pages: u64,
}

struct Table {
    def: VMTableDefinition,
    elems: Vec<u64>,
    max: u64,
}

/// What an instance imports, in import order per kind. Imported memories
/// and tables are created by the instance from their declared types.
#[derive(Default)]
pub struct Imports {
    pub funcs: Vec<HostFn>,
    /// Raw values of the imported globals.
    pub globals: Vec<u64>,
}

/// What a host function's `VMFuncRef::vmctx` points to.
struct HostFunc {
    func: HostFn,
}

/// Largest memory the harness allocates, in pages (keeps tests small).
const MAX_PAGES: u64 = 1024;

#[expect(
    clippy::vec_box,
    reason = "compiled code holds pointers to each entry, which must not move when the vector grows"
)]
pub struct Instance {
    pub info: ModuleInfo,
    loaded: LoadedModule,
    store: Box<VMStoreContext>,
    vmctx: OwnedVMContext,
    libcalls: Box<VMLibcalls>,
    memories: Vec<Box<Memory>>,
    tables: Vec<Box<Table>>,
    globals: Vec<Box<VMGlobal>>,
    funcs: Vec<VMFuncRef>,
    func_indices: Vec<u32>,
    type_ids: Vec<u32>,
    datas: Vec<Option<Vec<u8>>>,
    elems: Vec<Option<Vec<u64>>>,
    host_funcs: Vec<Box<HostFunc>>,
    /// Traps reported through the `trap` libcall.
    pub traps_seen: u32,
}

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

/// Compiles and instantiates `wat` with host functions for its imports
/// (in import order).
/// The instance is boxed: its `VMContext` points back into it.
pub fn instantiate_with(wat: &str, options: CompileOptions, imports: Vec<HostFn>) -> Box<Instance> {
    let (info, compiled, wasm) = compile(wat, options).unwrap_or_else(|e| panic!("compile: {e}"));
    let imports = Imports {
        funcs: imports,
        globals: Vec::new(),
    };
    Instance::new(info, compiled, &wasm, imports).unwrap_or_else(|t| panic!("instantiation trapped: {t:?}"))
}

pub fn instantiate(wat: &str) -> Box<Instance> {
    instantiate_with(wat, options(), Vec::new())
}

/// The harness `Instance` behind a `VMContext`.
///
/// # Safety
/// `vmctx` must be an instance's context made by this harness.
unsafe fn instance<'a>(vmctx: *mut VMContext) -> &'a mut Instance {
    // SAFETY: `host_data` is the boxed instance (see `Instance::new`).
    unsafe { &mut *(*vmctx.cast::<VMContextHeader>()).host_data.cast::<Instance>() }
}

fn in_bounds(start: u64, len: u64, size: u64) -> bool {
    start.checked_add(len).is_some_and(|end| end <= size)
}

impl Instance {
    pub fn new(
        info: ModuleInfo,
        compiled: CompiledModule,
        wasm: &[u8],
        imports: Imports,
    ) -> Result<Box<Instance>, TrapCode> {
        assert_eq!(
            imports.funcs.len(),
            info.num_imported_funcs as usize,
            "one host function per import"
        );
        assert_eq!(
            imports.globals.len(),
            info.num_imported_globals as usize,
            "one value per global import"
        );
        let loaded = compiled.load().expect("load");
        let memories = info
            .memories
            .iter()
            .map(|m| {
                let mut bytes = vec![0u8; (m.min * m.page_size()) as usize];
                Box::new(Memory {
                    def: VMMemoryDefinition {
                        base: bytes.as_mut_ptr(),
                        length: bytes.len() as u64,
                    },
                    bytes,
                    max_pages: m.max.unwrap_or(MAX_PAGES).min(MAX_PAGES),
                })
            })
            .collect();
        let tables = info
            .tables
            .iter()
            .map(|t| {
                let mut elems = vec![0u64; t.min as usize];
                Box::new(Table {
                    def: VMTableDefinition {
                        base: elems.as_mut_ptr(),
                        length: elems.len() as u64,
                    },
                    elems,
                    max: t.max.unwrap_or(100_000),
                })
            })
            .collect();
        let mut inst = Box::new(Instance {
            vmctx: OwnedVMContext::new(compiled.offsets),
            store: Box::new(VMStoreContext {
                trap_code: 0,
                _pad: 0,
                fuel: u64::MAX,
                stack_limit: 0,
                funcs: ptr::null(),
            }),
            libcalls: Box::new(LIBCALLS),
            memories,
            tables,
            globals: Vec::new(),
            funcs: Vec::new(),
            func_indices: (0..info.funcs.len() as u32).collect(),
            type_ids: info.type_ids.iter().map(|t| t.0).collect(),
            datas: info
                .datas
                .iter()
                .map(|d| Some(wasm[d.range.clone()].to_vec()))
                .collect(),
            elems: Vec::new(),
            host_funcs: imports
                .funcs
                .into_iter()
                .map(|func| Box::new(HostFunc { func }))
                .collect(),
            traps_seen: 0,
            info,
            loaded,
        });
        let this: *mut Instance = &mut *inst;
        let vmctx = inst.vmctx.as_ptr();
        inst.vmctx.set_header(VMContextHeader {
            store: &mut *inst.store,
            libcalls: &*inst.libcalls,
            type_ids: inst.type_ids.as_ptr(),
            func_indices: inst.func_indices.as_ptr(),
            host_data: this.cast(),
        });
        for i in 0..inst.info.funcs.len() {
            let type_id = inst.info.type_ids[inst.info.funcs[i].index()].0;
            let f = if i < inst.info.num_imported_funcs as usize {
                VMFuncRef {
                    wasm_call: ptr::null(),
                    array_call: Some(host_call),
                    vmctx: (&mut *inst.host_funcs[i] as *mut HostFunc).cast(),
                    type_id,
                    _pad: 0,
                }
            } else {
                VMFuncRef {
                    wasm_call: inst.loaded.func_ptr(i - inst.info.num_imported_funcs as usize),
                    array_call: None,
                    vmctx,
                    type_id,
                    _pad: 0,
                }
            };
            inst.funcs.push(f);
        }
        inst.store.funcs = inst.funcs.as_ptr();
        for i in 0..inst.info.num_imported_funcs {
            let f = inst.funcs[i as usize];
            inst.vmctx.set_imported_func(i, f);
        }
        for i in 0..inst.memories.len() {
            let def: *mut VMMemoryDefinition = &mut inst.memories[i].def;
            inst.vmctx.set_memory(i as u32, def);
        }
        for i in 0..inst.tables.len() {
            let def: *mut VMTableDefinition = &mut inst.tables[i].def;
            inst.vmctx.set_table(i as u32, def);
        }
        for v in imports.globals {
            inst.globals.push(Box::new([v, 0]));
        }
        for init in inst.info.global_inits.clone() {
            let v = inst.eval(&init.ops);
            inst.globals.push(Box::new([v as u64, (v >> 64) as u64]));
        }
        for i in 0..inst.globals.len() {
            let g: *mut VMGlobal = &mut *inst.globals[i];
            inst.vmctx.set_global(i as u32, g);
        }
        for (i, init) in inst.info.table_inits.clone().iter().enumerate() {
            if let Some(e) = init {
                let v = inst.eval(&e.ops) as u64;
                inst.tables[i].elems.fill(v);
            }
        }
        for seg in inst.info.elements.clone() {
            let items: Vec<u64> = match &seg.items {
                ElementItems::Funcs(f) => f.iter().map(|f| u64::from(f.0) + 1).collect(),
                ElementItems::Exprs(e) => e.iter().map(|e| inst.eval(&e.ops) as u64).collect(),
            };
            match &seg.mode {
                ElementMode::Passive => inst.elems.push(Some(items)),
                ElementMode::Declared => inst.elems.push(None),
                ElementMode::Active { table, offset } => {
                    let at = inst.eval(&offset.ops) as usize;
                    let t = &mut inst.tables[table.index()];
                    if !in_bounds(at as u64, items.len() as u64, t.elems.len() as u64) {
                        return Err(TrapCode::TableOutOfBounds);
                    }
                    t.elems[at..at + items.len()].copy_from_slice(&items);
                    inst.elems.push(None);
                }
            }
        }
        for (i, seg) in inst.info.datas.clone().iter().enumerate() {
            if let DataMode::Active { memory, offset } = &seg.mode {
                let at = inst.eval(&offset.ops) as usize;
                let bytes = inst.datas[i].take().expect("not dropped");
                let m = &mut inst.memories[memory.index()];
                if !in_bounds(at as u64, bytes.len() as u64, m.bytes.len() as u64) {
                    return Err(TrapCode::MemoryOutOfBounds);
                }
                m.bytes[at..at + bytes.len()].copy_from_slice(&bytes);
            }
        }
        if let Some(start) = inst.info.start {
            inst.call_index(start, &[])?;
        }
        Ok(inst)
    }

    /// Evaluates a constant expression to its raw cells (as one `u128`).
    fn eval(&self, ops: &[ConstOp]) -> u128 {
        let mut stack = Vec::new();
        for op in ops {
            let v: u128 = match *op {
                ConstOp::V128(v) => v,
                ConstOp::I32(v) => u128::from(v as u32),
                ConstOp::I64(v) => u128::from(v as u64),
                ConstOp::F32(v) => u128::from(v),
                ConstOp::F64(v) => u128::from(v),
                ConstOp::RefNull(_) => 0,
                ConstOp::RefFunc(f) => u128::from(f.0) + 1,
                ConstOp::GlobalGet(g) => {
                    let [lo, hi] = *self.globals[g.index()];
                    u128::from(lo) | u128::from(hi) << 64
                }
                ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                    let (b, a) = (stack.pop().unwrap() as u32, stack.pop().unwrap() as u32);
                    let r = match *op {
                        ConstOp::I32Add => a.wrapping_add(b),
                        ConstOp::I32Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    };
                    u128::from(r)
                }
                ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => {
                    let (b, a) = (stack.pop().unwrap() as u64, stack.pop().unwrap() as u64);
                    u128::from(match *op {
                        ConstOp::I64Add => a.wrapping_add(b),
                        ConstOp::I64Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    })
                }
                ref other => panic!("constant {other:?} not supported by the harness"),
            };
            stack.push(v);
        }
        stack.pop().expect("a value")
    }

    /// Calls export `name`.
    pub fn call(&mut self, name: &str, args: &[Val]) -> Result<Vec<Val>, TrapCode> {
        let export = self
            .info
            .exports
            .iter()
            .find(|e| e.name == name && e.kind == EntityKind::Func)
            .unwrap_or_else(|| panic!("no exported function {name}"));
        self.call_index(FuncIndex(export.index), args)
    }

    fn call_index(&mut self, func: FuncIndex, args: &[Val]) -> Result<Vec<Val>, TrapCode> {
        let ty_index: TypeIndex = self.info.funcs[func.index()];
        let ty = self.info.func_type(ty_index).clone();
        assert_eq!(args.len(), ty.params().len(), "argument count");
        let mut cells = vec![0u64; ty.param_cells().max(ty.result_cells()).max(1) as usize];
        let mut at = 0;
        for (a, t) in args.iter().zip(ty.params()) {
            a.write(&mut cells[at..]);
            at += t.cells() as usize;
        }
        if let Some(host) = self.host_funcs.get(func.index()) {
            (host.func)(&mut cells)?;
            return Ok(read_values(ty.results(), &cells));
        }
        let defined = func.index() - self.info.num_imported_funcs as usize;
        let code = self.loaded.func_ptr(defined);
        // Wasm may use up to 1 MiB below this frame; test threads have 2 MiB.
        let here = 0u8;
        self.store.stack_limit = (&here as *const u8 as usize) - (1 << 20);
        self.store.trap_code = 0;
        let vmctx = self.vmctx.as_ptr();
        // SAFETY: `code` has type `ty_index`, the context is complete, and
        // `cells` holds max(params, results) cells.
        unsafe { self.loaded.call(ty_index, code, vmctx, &mut cells) };
        match self.store.trap_code {
            0 => Ok(read_values(ty.results(), &cells)),
            code => Err(trap_from_u32(code)),
        }
    }

    /// The value of exported global `name`.
    pub fn export_global(&self, name: &str) -> Option<Val> {
        let export = self
            .info
            .exports
            .iter()
            .find(|e| e.name == name && e.kind == EntityKind::Global)?;
        let ty = self.info.globals[export.index as usize].content;
        Some(Val::read(ty, &self.globals[export.index as usize][..]))
    }

    pub fn set_fuel(&mut self, fuel: u64) {
        self.store.fuel = fuel;
    }

    pub fn fuel(&self) -> u64 {
        self.store.fuel
    }

    pub fn memory(&self, index: usize) -> &[u8] {
        &self.memories[index].bytes
    }

    pub fn global(&self, index: usize) -> u64 {
        self.globals[index][0]
    }

    pub fn table(&self, index: usize) -> &[u64] {
        &self.tables[index].elems
    }

    fn trap(&mut self, code: TrapCode) {
        self.store.trap_code = code as u32;
    }
}

pub fn trap_from_u32(code: u32) -> TrapCode {
    use TrapCode::*;
    [
        Unreachable,
        MemoryOutOfBounds,
        TableOutOfBounds,
        IndirectCallToNull,
        BadSignature,
        IntegerDivisionByZero,
        IntegerOverflow,
        BadConversionToInteger,
        StackOverflow,
        OutOfFuel,
        NullReference,
        OutOfBoundsSegment,
        CastFailure,
        ArrayOutOfBounds,
        AllocationTooLarge,
        UncaughtException,
        HostError,
    ]
    .into_iter()
    .find(|&c| c as u32 == code)
    .unwrap_or_else(|| panic!("unknown trap code {code}"))
}

unsafe extern "C" fn host_call(callee: *mut VMContext, caller: *mut VMContext, values: *mut u64, len: usize) {
    // SAFETY: `callee` is the boxed `HostFunc` this harness registered,
    // `values` holds `len` cells, `caller` is a harness instance.
    unsafe {
        let host = &*callee.cast::<HostFunc>();
        let cells = std::slice::from_raw_parts_mut(values, len);
        if let Err(code) = (host.func)(cells) {
            instance(caller).trap(code);
        }
    }
}

const LIBCALLS: VMLibcalls = VMLibcalls {
    memory_grow,
    memory_fill,
    memory_copy,
    memory_init,
    data_drop,
    table_grow,
    table_fill,
    table_copy,
    table_init,
    elem_drop,
    func_subtype,
    trap,
};

unsafe extern "C" fn func_subtype(_vmctx: *mut VMContext, actual: u32, expected: u32) -> u64 {
    let (a, e) = (mote_environ::SharedTypeId(actual), mote_environ::SharedTypeId(expected));
    u64::from(REGISTRY.with_borrow(|r| r.id_is_subtype(a, e)))
}

/// Counts traps, so tests can see the hook runs once per trap.
unsafe extern "C" fn trap(vmctx: *mut VMContext, code: u32) {
    // SAFETY: called by compiled code with its own context.
    let inst = unsafe { instance(vmctx) };
    assert_eq!(inst.store.trap_code, code, "the code is stored before the hook runs");
    inst.traps_seen += 1;
}

unsafe extern "C" fn memory_grow(vmctx: *mut VMContext, memory: u32, delta: u64) -> u64 {
    // SAFETY: called by compiled code with its own context.
    let inst = unsafe { instance(vmctx) };
    let page = inst.info.memories[memory as usize].page_size();
    let m = &mut inst.memories[memory as usize];
    let old = m.bytes.len() as u64 / page;
    match old.checked_add(delta).filter(|&n| n <= m.max_pages) {
        Some(new) => {
            m.bytes.resize((new * page) as usize, 0);
            m.def = VMMemoryDefinition {
                base: m.bytes.as_mut_ptr(),
                length: m.bytes.len() as u64,
            };
            old
        }
        None => u64::MAX,
    }
}

unsafe extern "C" fn memory_fill(vmctx: *mut VMContext, memory: u32, dst: u64, value: u32, len: u64) {
    // SAFETY: called by compiled code with its own context.
    let inst = unsafe { instance(vmctx) };
    let m = &mut inst.memories[memory as usize];
    if !in_bounds(dst, len, m.bytes.len() as u64) {
        return inst.trap(TrapCode::MemoryOutOfBounds);
    }
    m.bytes[dst as usize..(dst + len) as usize].fill(value as u8);
}

unsafe extern "C" fn memory_copy(vmctx: *mut VMContext, dst_mem: u32, src_mem: u32, dst: u64, src: u64, len: u64) {
    // SAFETY: called by compiled code with its own context.
    let inst = unsafe { instance(vmctx) };
    let (dl, sl) = (
        inst.memories[dst_mem as usize].bytes.len() as u64,
        inst.memories[src_mem as usize].bytes.len() as u64,
    );
    if !in_bounds(dst, len, dl) || !in_bounds(src, len, sl) {
        return inst.trap(TrapCode::MemoryOutOfBounds);
    }
    let bytes = inst.memories[src_mem as usize].bytes[src as usize..(src + len) as usize].to_vec();
    inst.memories[dst_mem as usize].bytes[dst as usize..(dst + len) as usize].copy_from_slice(&bytes);
}

unsafe extern "C" fn memory_init(vmctx: *mut VMContext, memory: u32, data: u32, dst: u64, src: u64, len: u64) {
    // SAFETY: called by compiled code with its own context.
    let inst = unsafe { instance(vmctx) };
    let seg = inst.datas[data as usize].clone().unwrap_or_default();
    let m = &mut inst.memories[memory as usize];
    if !in_bounds(src, len, seg.len() as u64) || !in_bounds(dst, len, m.bytes.len() as u64) {
        return inst.trap(TrapCode::MemoryOutOfBounds);
    }
    m.bytes[dst as usize..(dst + len) as usize].copy_from_slice(&seg[src as usize..(src + len) as usize]);
}

unsafe extern "C" fn data_drop(vmctx: *mut VMContext, data: u32) {
    // SAFETY: called by compiled code with its own context.
    unsafe { instance(vmctx) }.datas[data as usize] = None;
}

unsafe extern "C" fn table_grow(vmctx: *mut VMContext, table: u32, init: u64, delta: u64) -> u64 {
    // SAFETY: called by compiled code with its own context.
    let inst = unsafe { instance(vmctx) };
    let t = &mut inst.tables[table as usize];
    let old = t.elems.len() as u64;
    match old.checked_add(delta).filter(|&n| n <= t.max) {
        Some(new) => {
            t.elems.resize(new as usize, init);
            t.def = VMTableDefinition {
                base: t.elems.as_mut_ptr(),
                length: new,
            };
            old
        }
        None => u64::MAX,
    }
}

unsafe extern "C" fn table_fill(vmctx: *mut VMContext, table: u32, dst: u64, value: u64, len: u64) {
    // SAFETY: called by compiled code with its own context.
    let inst = unsafe { instance(vmctx) };
    let t = &mut inst.tables[table as usize];
    if !in_bounds(dst, len, t.elems.len() as u64) {
        return inst.trap(TrapCode::TableOutOfBounds);
    }
    t.elems[dst as usize..(dst + len) as usize].fill(value);
}

unsafe extern "C" fn table_copy(vmctx: *mut VMContext, dst_t: u32, src_t: u32, dst: u64, src: u64, len: u64) {
    // SAFETY: called by compiled code with its own context.
    let inst = unsafe { instance(vmctx) };
    let (dl, sl) = (
        inst.tables[dst_t as usize].elems.len() as u64,
        inst.tables[src_t as usize].elems.len() as u64,
    );
    if !in_bounds(dst, len, dl) || !in_bounds(src, len, sl) {
        return inst.trap(TrapCode::TableOutOfBounds);
    }
    let items = inst.tables[src_t as usize].elems[src as usize..(src + len) as usize].to_vec();
    inst.tables[dst_t as usize].elems[dst as usize..(dst + len) as usize].copy_from_slice(&items);
}

unsafe extern "C" fn table_init(vmctx: *mut VMContext, table: u32, elem: u32, dst: u64, src: u64, len: u64) {
    // SAFETY: called by compiled code with its own context.
    let inst = unsafe { instance(vmctx) };
    let seg = inst.elems[elem as usize].clone().unwrap_or_default();
    let t = &mut inst.tables[table as usize];
    if !in_bounds(src, len, seg.len() as u64) || !in_bounds(dst, len, t.elems.len() as u64) {
        return inst.trap(TrapCode::TableOutOfBounds);
    }
    t.elems[dst as usize..(dst + len) as usize].copy_from_slice(&seg[src as usize..(src + len) as usize]);
}

unsafe extern "C" fn elem_drop(vmctx: *mut VMContext, elem: u32) {
    // SAFETY: called by compiled code with its own context.
    unsafe { instance(vmctx) }.elems[elem as usize] = None;
}
