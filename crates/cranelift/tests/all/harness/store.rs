//! The harness store: every function, memory, table and global at a stable
//! address, instances as `VMContext`s pointing at them.

use super::libcalls::{LIBCALLS, host_call};
use super::{HostFn, Val, read_values, trap_from_u32};
use mote_core::TrapCode;
use mote_cranelift::vmctx::{
    OwnedVMContext, VMContextHeader, VMFuncRef, VMGlobal, VMMemoryDefinition, VMStoreContext, VMTableDefinition,
};
use mote_cranelift::{CompiledModule, LoadedModule, VMLibcalls};
use mote_environ::{
    ConstOp, DataMode, ElementItems, ElementMode, EntityKind, FuncIndex, MemoryType, ModuleInfo, TableType, ValType,
};
use std::ptr;

/// Largest memory the harness allocates, in pages (keeps tests small).
const MAX_PAGES: u64 = 1024;

/// An entity of the store, by store index.
#[derive(Debug, Clone, Copy)]
pub enum Extern {
    Func(u32),
    Memory(usize),
    Table(usize),
    Global(usize),
}

pub(super) struct Memory {
    pub(super) def: VMMemoryDefinition,
    pub(super) bytes: Vec<u8>,
    pub(super) max_pages: u64,
    pub(super) page_size: u64,
}

pub(super) struct Table {
    pub(super) def: VMTableDefinition,
    pub(super) elems: Vec<u64>,
    pub(super) max: u64,
}

pub(super) struct Global {
    cells: VMGlobal,
    ty: ValType,
}

/// What a host function's `VMFuncRef::vmctx` points to.
pub(super) struct HostFunc {
    pub(super) func: HostFn,
}

/// One instance: its module, its `VMContext` and the store indices of
/// everything in its index spaces.
pub(super) struct InstanceData {
    pub(super) store: *mut Store,
    pub(super) info: ModuleInfo,
    loaded: LoadedModule,
    vmctx: OwnedVMContext,
    funcs: Vec<u32>,
    pub(super) memories: Vec<usize>,
    pub(super) tables: Vec<usize>,
    globals: Vec<usize>,
    type_ids: Vec<u32>,
    pub(super) datas: Vec<Option<Vec<u8>>>,
    pub(super) elems: Vec<Option<Vec<u64>>>,
}

#[expect(
    clippy::vec_box,
    reason = "compiled code holds pointers to each entry, which must not move when the vector grows"
)]
pub struct Store {
    pub(super) ctx: Box<VMStoreContext>,
    libcalls: Box<VMLibcalls>,
    funcs: Vec<VMFuncRef>,
    host_funcs: Vec<Box<HostFunc>>,
    pub(super) memories: Vec<Box<Memory>>,
    pub(super) tables: Vec<Box<Table>>,
    globals: Vec<Box<Global>>,
    instances: Vec<Box<InstanceData>>,
    pub(super) traps_seen: u32,
    /// Thrown exceptions (raw reference `2 * (index + 1)`): the throwing
    /// instance and its tag index, and the payload cells.
    pub(super) exceptions: Vec<(*const InstanceData, u32, Vec<u64>)>,
}

fn in_bounds(start: u64, len: u64, size: u64) -> bool {
    start.checked_add(len).is_some_and(|end| end <= size)
}

impl Store {
    pub fn new() -> Box<Store> {
        Box::new(Store {
            ctx: Box::new(VMStoreContext {
                trap_code: 0,
                _pad: 0,
                fuel: u64::MAX,
                stack_limit: 0,
                funcs: ptr::null(),
                exception: 0,
                gc_objects: ptr::null(),
            }),
            libcalls: Box::new(LIBCALLS),
            funcs: Vec::new(),
            host_funcs: Vec::new(),
            memories: Vec::new(),
            tables: Vec::new(),
            globals: Vec::new(),
            instances: Vec::new(),
            traps_seen: 0,
            exceptions: Vec::new(),
        })
    }

    fn push_func(&mut self, f: VMFuncRef) -> u32 {
        self.funcs.push(f);
        // The array may have moved: compiled code reads it through here.
        self.ctx.funcs = self.funcs.as_ptr();
        self.funcs.len() as u32 - 1
    }

    /// A host function of engine type `type_id`.
    pub fn host_func(&mut self, type_id: u32, func: HostFn) -> Extern {
        let mut host = Box::new(HostFunc { func });
        let vmctx = (&mut *host as *mut HostFunc).cast();
        self.host_funcs.push(host);
        Extern::Func(self.push_func(VMFuncRef {
            wasm_call: ptr::null(),
            array_call: Some(host_call),
            vmctx,
            type_id,
            _pad: 0,
        }))
    }

    /// A memory of type `ty`, zeroed.
    pub fn memory(&mut self, ty: &MemoryType) -> Extern {
        let mut bytes = vec![0u8; (ty.min * ty.page_size()) as usize];
        self.memories.push(Box::new(Memory {
            def: VMMemoryDefinition {
                base: bytes.as_mut_ptr(),
                length: bytes.len() as u64,
            },
            bytes,
            max_pages: ty.max.unwrap_or(MAX_PAGES).min(MAX_PAGES),
            page_size: ty.page_size(),
        }));
        Extern::Memory(self.memories.len() - 1)
    }

    /// A table of type `ty`, every element `init`.
    pub fn table(&mut self, ty: &TableType, init: u64) -> Extern {
        let mut elems = vec![init; ty.min as usize];
        self.tables.push(Box::new(Table {
            def: VMTableDefinition {
                base: elems.as_mut_ptr(),
                length: elems.len() as u64,
            },
            elems,
            max: ty.max.unwrap_or(100_000),
        }));
        Extern::Table(self.tables.len() - 1)
    }

    /// A global of type `ty` holding `value` (raw cells as one `u128`).
    pub fn global(&mut self, ty: ValType, value: u128) -> Extern {
        self.globals.push(Box::new(Global {
            cells: [value as u64, (value >> 64) as u64],
            ty,
        }));
        Extern::Global(self.globals.len() - 1)
    }

    /// Instantiates a compiled module with `imports` in import order;
    /// returns the instance id.
    pub fn instantiate(
        &mut self,
        info: ModuleInfo,
        compiled: CompiledModule,
        wasm: &[u8],
        imports: Vec<Extern>,
    ) -> Result<usize, TrapCode> {
        assert_eq!(imports.len(), info.imports.len(), "one extern per import");
        let loaded = compiled.load().expect("load");
        let mut data = Box::new(InstanceData {
            store: self,
            vmctx: OwnedVMContext::new(compiled.offsets),
            loaded,
            funcs: Vec::new(),
            memories: Vec::new(),
            tables: Vec::new(),
            globals: Vec::new(),
            type_ids: info.type_ids.iter().map(|t| t.0).collect(),
            datas: info
                .datas
                .iter()
                .map(|d| Some(wasm[d.range.clone()].to_vec()))
                .collect(),
            elems: Vec::new(),
            info,
        });
        for import in imports {
            match import {
                Extern::Func(f) => data.funcs.push(f),
                Extern::Memory(m) => data.memories.push(m),
                Extern::Table(t) => data.tables.push(t),
                Extern::Global(g) => data.globals.push(g),
            }
        }
        let vmctx = data.vmctx.as_ptr();
        let imported_funcs = data.info.num_imported_funcs as usize;
        for defined in 0..data.info.bodies.len() {
            let ty = data.info.funcs[imported_funcs + defined];
            let f = self.push_func(VMFuncRef {
                wasm_call: data.loaded.func_ptr(defined),
                array_call: None,
                vmctx,
                type_id: data.info.type_ids[ty.index()].0,
                _pad: 0,
            });
            data.funcs.push(f);
        }
        for i in data.info.num_imported_memories as usize..data.info.memories.len() {
            let ty = data.info.memories[i];
            let Extern::Memory(m) = self.memory(&ty) else {
                unreachable!()
            };
            data.memories.push(m);
        }
        let globals = data.info.globals[data.info.num_imported_globals as usize..].to_vec();
        for (i, ty) in globals.into_iter().enumerate() {
            let v = self.eval(&data, &data.info.global_inits[i].ops);
            let Extern::Global(g) = self.global(ty.content, v) else {
                unreachable!()
            };
            data.globals.push(g);
        }
        let tables = data.info.tables[data.info.num_imported_tables as usize..].to_vec();
        for (i, ty) in tables.into_iter().enumerate() {
            let init = data.info.table_inits[i]
                .as_ref()
                .map_or(0, |e| self.eval(&data, &e.ops) as u64);
            let Extern::Table(t) = self.table(&ty, init) else {
                unreachable!()
            };
            data.tables.push(t);
        }
        let this: *mut InstanceData = &mut *data;
        data.vmctx.set_header(VMContextHeader {
            store: &mut *self.ctx,
            libcalls: &*self.libcalls,
            type_ids: data.type_ids.as_ptr(),
            func_indices: data.funcs.as_ptr(),
            host_data: this.cast(),
        });
        for i in 0..data.info.num_imported_funcs {
            let f = self.funcs[data.funcs[i as usize] as usize];
            data.vmctx.set_imported_func(i, f);
        }
        for i in 0..data.memories.len() {
            let def: *mut VMMemoryDefinition = &mut self.memories[data.memories[i]].def;
            data.vmctx.set_memory(i as u32, def);
        }
        for i in 0..data.tables.len() {
            let def: *mut VMTableDefinition = &mut self.tables[data.tables[i]].def;
            data.vmctx.set_table(i as u32, def);
        }
        for i in 0..data.globals.len() {
            let g: *mut VMGlobal = &mut self.globals[data.globals[i]].cells;
            data.vmctx.set_global(i as u32, g);
        }
        // The instance stays alive even if a segment traps: its functions
        // may already be in a shared table.
        self.instances.push(data);
        let data: *mut InstanceData = &mut **self.instances.last_mut().expect("just pushed");
        // SAFETY: the instance is boxed in `self.instances`, which only grows;
        // `initialize` reaches it through this pointer alone.
        self.initialize(unsafe { &mut *data })?;
        let id = self.instances.len() - 1;
        if let Some(start) = self.instances[id].info.start {
            self.call_index(id, start, &[])?;
        }
        Ok(id)
    }

    /// Element and data segments, in order, as the spec says.
    fn initialize(&mut self, data: &mut InstanceData) -> Result<(), TrapCode> {
        for seg in data.info.elements.clone() {
            let items: Vec<u64> = match &seg.items {
                ElementItems::Funcs(f) => f.iter().map(|f| u64::from(data.funcs[f.index()]) + 1).collect(),
                ElementItems::Exprs(e) => e.iter().map(|e| self.eval(data, &e.ops) as u64).collect(),
            };
            match &seg.mode {
                ElementMode::Passive => data.elems.push(Some(items)),
                ElementMode::Declared => data.elems.push(None),
                ElementMode::Active { table, offset } => {
                    let at = self.eval(data, &offset.ops) as u64;
                    let t = &mut self.tables[data.tables[table.index()]];
                    if !in_bounds(at, items.len() as u64, t.elems.len() as u64) {
                        return Err(TrapCode::TableOutOfBounds);
                    }
                    t.elems[at as usize..at as usize + items.len()].copy_from_slice(&items);
                    data.elems.push(None);
                }
            }
        }
        for (i, seg) in data.info.datas.clone().iter().enumerate() {
            if let DataMode::Active { memory, offset } = &seg.mode {
                let at = self.eval(data, &offset.ops) as u64;
                let bytes = data.datas[i].take().expect("not dropped");
                let m = &mut self.memories[data.memories[memory.index()]];
                if !in_bounds(at, bytes.len() as u64, m.bytes.len() as u64) {
                    return Err(TrapCode::MemoryOutOfBounds);
                }
                m.bytes[at as usize..at as usize + bytes.len()].copy_from_slice(&bytes);
            }
        }
        Ok(())
    }

    /// Whether every constant expression of `info` uses only what
    /// [`Self::eval`] evaluates: the harness has no object heap, so GC
    /// constants (`struct.new`, `array.new`, ...) are beyond it.
    pub fn evaluates_constants(info: &ModuleInfo) -> bool {
        let plain = |e: &mote_environ::ConstExpr| {
            e.ops.iter().all(|op| {
                matches!(
                    op,
                    ConstOp::V128(_)
                        | ConstOp::I32(_)
                        | ConstOp::I64(_)
                        | ConstOp::F32(_)
                        | ConstOp::F64(_)
                        | ConstOp::RefNull(_)
                        | ConstOp::RefFunc(_)
                        | ConstOp::GlobalGet(_)
                        | ConstOp::I32Add
                        | ConstOp::I32Sub
                        | ConstOp::I32Mul
                        | ConstOp::I64Add
                        | ConstOp::I64Sub
                        | ConstOp::I64Mul
                )
            })
        };
        info.global_inits.iter().all(plain)
            && info.table_inits.iter().flatten().all(plain)
            && info.elements.iter().all(|seg| match &seg.items {
                ElementItems::Exprs(items) => items.iter().all(plain),
                ElementItems::Funcs(_) => true,
            })
    }

    /// Evaluates a constant expression to its raw cells (as one `u128`).
    fn eval(&self, data: &InstanceData, ops: &[ConstOp]) -> u128 {
        let mut stack: Vec<u128> = Vec::new();
        for op in ops {
            let v = match *op {
                ConstOp::V128(v) => v,
                ConstOp::I32(v) => u128::from(v as u32),
                ConstOp::I64(v) => u128::from(v as u64),
                ConstOp::F32(v) => u128::from(v),
                ConstOp::F64(v) => u128::from(v),
                ConstOp::RefNull(_) => 0,
                ConstOp::RefFunc(f) => u128::from(data.funcs[f.index()]) + 1,
                ConstOp::GlobalGet(g) => {
                    let [lo, hi] = self.globals[data.globals[g.index()]].cells;
                    u128::from(lo) | u128::from(hi) << 64
                }
                ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                    let (b, a) = (stack.pop().unwrap() as u32, stack.pop().unwrap() as u32);
                    u128::from(match *op {
                        ConstOp::I32Add => a.wrapping_add(b),
                        ConstOp::I32Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    })
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

    /// The export `name` of instance `id`.
    pub fn export(&self, id: usize, name: &str) -> Option<Extern> {
        let data = &self.instances[id];
        let e = data.info.exports.iter().find(|e| e.name == name)?;
        let i = e.index as usize;
        Some(match e.kind {
            EntityKind::Func => Extern::Func(data.funcs[i]),
            EntityKind::Memory => Extern::Memory(data.memories[i]),
            EntityKind::Table => Extern::Table(data.tables[i]),
            EntityKind::Global => Extern::Global(data.globals[i]),
            EntityKind::Tag => return None,
        })
    }

    /// Calls export `name` of instance `id`.
    pub fn call(&mut self, id: usize, name: &str, args: &[Val]) -> Result<Vec<Val>, TrapCode> {
        let data = &self.instances[id];
        let export = data
            .info
            .exports
            .iter()
            .find(|e| e.name == name && e.kind == EntityKind::Func)
            .unwrap_or_else(|| panic!("no exported function {name}"));
        self.call_index(id, FuncIndex(export.index), args)
    }

    fn call_index(&mut self, id: usize, func: FuncIndex, args: &[Val]) -> Result<Vec<Val>, TrapCode> {
        let data = &self.instances[id];
        let ty_index = data.info.funcs[func.index()];
        let ty = data.info.func_type(ty_index).clone();
        assert_eq!(args.len(), ty.params().len(), "argument count");
        let mut cells = vec![0u64; ty.param_cells().max(ty.result_cells()).max(1) as usize];
        let mut at = 0;
        for (a, t) in args.iter().zip(ty.params()) {
            a.write(&mut cells[at..]);
            at += t.cells() as usize;
        }
        let f = self.funcs[data.funcs[func.index()] as usize];
        if f.wasm_call.is_null() {
            // SAFETY: host functions are `HostFunc`s of this store.
            let host = unsafe { &*f.vmctx.cast::<HostFunc>() };
            (host.func)(&mut cells)?;
            return Ok(read_values(ty.results(), &cells));
        }
        // Wasm may use up to 1 MiB below this frame; test threads have 2 MiB.
        let here = 0u8;
        self.ctx.stack_limit = (&here as *const u8 as usize) - (1 << 20);
        self.ctx.trap_code = 0;
        // SAFETY: `f` has type `ty_index` (its module's trampoline works for
        // any function of that type), its context is complete, and `cells`
        // holds max(params, results) cells.
        unsafe { data.loaded.call(ty_index, f.wasm_call, f.vmctx, &mut cells) };
        match std::mem::take(&mut self.ctx.trap_code) {
            0 => Ok(read_values(ty.results(), &cells)),
            code => Err(trap_from_u32(code)),
        }
    }

    /// The value of exported global `name` of instance `id`.
    pub fn export_global(&self, id: usize, name: &str) -> Option<Val> {
        let Extern::Global(g) = self.export(id, name)? else {
            return None;
        };
        let g = &self.globals[g];
        Some(Val::read(g.ty, &g.cells))
    }

    pub fn set_fuel(&mut self, fuel: u64) {
        self.ctx.fuel = fuel;
    }

    pub fn fuel(&self) -> u64 {
        self.ctx.fuel
    }

    pub fn memory_of(&self, id: usize, index: usize) -> &[u8] {
        &self.memories[self.instances[id].memories[index]].bytes
    }

    pub fn global_of(&self, id: usize, index: usize) -> u64 {
        self.globals[self.instances[id].globals[index]].cells[0]
    }

    pub fn table_of(&self, id: usize, index: usize) -> &[u64] {
        &self.tables[self.instances[id].tables[index]].elems
    }

    pub fn traps_seen(&self) -> u32 {
        self.traps_seen
    }
}
