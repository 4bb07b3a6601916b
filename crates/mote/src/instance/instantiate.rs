//! Instantiation: import matching, entity creation, segment initialization
//! and the start function, in the order the specification prescribes.

use super::{Instance, InstanceEntity, const_eval};
use crate::Error;
use crate::exec::CallTarget;
use crate::extern_::Extern;
use crate::func::{FuncEntity, FuncKind};
use crate::global::GlobalEntity;
use crate::memory::{MemoryEntity, push_memory};
use crate::module::Module;
use crate::store::StoreInner;
use crate::table::TableEntity;
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::any::Any;
use mote_core::TrapCode;
use mote_environ::{DataMode, ElementItems, ElementMode, FuncIndex, ImportType, MemoryType, ModuleInfo, TableType};

pub(crate) fn instantiate(
    store: &mut StoreInner,
    data: &mut dyn Any,
    module: &Module,
    imports: &[Extern],
) -> Result<Instance, Error> {
    if !crate::Engine::same(module.engine(), &store.engine) {
        return Err(Error::link(
            "module was compiled for a different engine than the store's",
        ));
    }
    let info = module.info();
    if imports.len() != info.imports.len() {
        return Err(Error::link(alloc::format!(
            "expected {} imports, got {}",
            info.imports.len(),
            imports.len()
        )));
    }
    let id = store.instances.len() as u32;
    let mut entity = InstanceEntity {
        module: module.clone(),
        funcs: Vec::with_capacity(info.funcs.len()),
        callees: Vec::new(),
        tables: Vec::with_capacity(info.tables.len()),
        memories: Vec::with_capacity(info.memories.len()),
        globals: Vec::with_capacity(info.globals.len()),
        tags: Vec::with_capacity(info.tags.len()),
        elems: Vec::new(),
        data_dropped: Vec::new(),
        #[cfg(feature = "aot")]
        jit: None,
    };
    for (import, ext) in info.imports.iter().zip(imports) {
        link_import(store, info, &import.ty, ext, &mut entity).map_err(|e| {
            Error::link(alloc::format!(
                "incompatible import type for `{}::{}`: {e}",
                import.module,
                import.name
            ))
        })?;
    }
    for i in info.num_imported_funcs as usize..info.funcs.len() {
        let type_id = info.type_ids[info.funcs[i].index()];
        let supers = store.engine.with_types(|t| t.get(type_id).supers.clone());
        store.funcs.push(FuncEntity {
            type_id,
            supers,
            kind: FuncKind::Wasm {
                instance: id,
                index: FuncIndex(i as u32),
                code: core::ptr::null(),
            },
        });
        entity.funcs.push(store.funcs.len() as u32 - 1);
    }
    entity.callees = entity.funcs.iter().map(|&f| CallTarget::unresolved(f)).collect();
    for (i, init) in info.global_inits.iter().enumerate() {
        let ty = info.globals[info.num_imported_globals as usize + i];
        let value = const_eval::eval(store, info, &entity.funcs, &entity.globals, init)?;
        store.globals.push(Box::new(GlobalEntity { ty, value }));
        entity.globals.push(store.globals.len() as u32 - 1);
    }
    for (i, init) in info.table_inits.iter().enumerate() {
        let ty = info.tables[info.num_imported_tables as usize + i];
        let init = match init {
            Some(e) => const_eval::eval(store, info, &entity.funcs, &entity.globals, e)?[0],
            None => 0,
        };
        store.tables.push(TableEntity::new(ty, init)?);
        entity.tables.push(store.tables.len() as u32 - 1);
    }
    for ty in &info.memories[info.num_imported_memories as usize..] {
        let stored = push_memory(store, MemoryEntity::new(*ty, store.engine.config())?);
        entity.memories.push(stored.index);
    }
    for tag in &info.tags[info.num_imported_tags as usize..] {
        store.tags.push(info.type_ids[tag.index()]);
        entity.tags.push(store.tags.len() as u32 - 1);
    }
    for segment in &info.elements {
        let items: Box<[u64]> = match &segment.items {
            ElementItems::Funcs(funcs) => funcs.iter().map(|f| entity.funcs[f.index()] as u64 + 1).collect(),
            ElementItems::Exprs(exprs) => exprs
                .iter()
                .map(|e| const_eval::eval(store, info, &entity.funcs, &entity.globals, e).map(|v| v[0]))
                .collect::<Result<_, _>>()?,
        };
        entity.elems.push(Some(items));
    }
    entity.data_dropped = alloc::vec![false; info.datas.len()];
    #[cfg(feature = "aot")]
    crate::jit::instance::attach(store, &mut entity, id);
    store.instances.push(entity);
    #[cfg(feature = "aot")]
    crate::jit::instance::link_funcs(store, id);
    initialize_segments(store, id)?;
    let instance = Instance(store.stored(id as usize));
    if let Some(start) = info.start {
        let func = store.instances[id as usize].funcs[start.index()];
        crate::exec::invoke(store, data, func, &mut [0u64; 1])?;
    }
    Ok(instance)
}

/// Copies active element and data segments in, then drops them (and the
/// declarative ones), as `table.init`/`memory.init` followed by a drop.
fn initialize_segments(store: &mut StoreInner, id: u32) -> Result<(), Error> {
    let module = store.instances[id as usize].module.clone();
    let info = module.info();
    for (i, segment) in info.elements.iter().enumerate() {
        match &segment.mode {
            ElementMode::Passive => continue,
            ElementMode::Declared => {}
            ElementMode::Active { table, offset } => {
                let offset = eval_in_instance(store, id, info, offset)?;
                let inst = &store.instances[id as usize];
                let table = inst.tables[table.index()] as usize;
                let items = inst.elems[i].as_deref().unwrap_or_default();
                let elements = &mut store.tables[table].elements;
                let dst = usize::try_from(offset)
                    .ok()
                    .and_then(|o| Some(o..o.checked_add(items.len())?))
                    .and_then(|r| elements.get_mut(r))
                    .ok_or(TrapCode::TableOutOfBounds)?;
                dst.copy_from_slice(items);
            }
        }
        store.instances[id as usize].elems[i] = None;
    }
    for (i, segment) in info.datas.iter().enumerate() {
        if let DataMode::Active { memory, offset } = &segment.mode {
            let offset = eval_in_instance(store, id, info, offset)?;
            let inst = &store.instances[id as usize];
            let memory = inst.memories[memory.index()] as usize;
            let bytes = &module.bytes()[segment.range.clone()];
            let mem = store.memories[memory].bytes_mut();
            let dst = usize::try_from(offset)
                .ok()
                .and_then(|o| Some(o..o.checked_add(bytes.len())?))
                .and_then(|r| mem.get_mut(r))
                .ok_or(TrapCode::MemoryOutOfBounds)?;
            dst.copy_from_slice(bytes);
            store.instances[id as usize].data_dropped[i] = true;
        }
    }
    Ok(())
}

/// Evaluates a segment offset with the entities of instance `id`.
fn eval_in_instance(
    store: &mut StoreInner,
    id: u32,
    info: &ModuleInfo,
    expr: &mote_environ::ConstExpr,
) -> Result<u64, Error> {
    if let Some(v) = expr.as_const_u64() {
        return Ok(v);
    }
    let inst = &store.instances[id as usize];
    let (funcs, globals) = (inst.funcs.clone(), inst.globals.clone());
    Ok(const_eval::eval(store, info, &funcs, &globals, expr)?[0])
}

fn link_import(
    store: &StoreInner,
    info: &ModuleInfo,
    expected: &ImportType,
    provided: &Extern,
    entity: &mut InstanceEntity,
) -> Result<(), &'static str> {
    match (expected, provided) {
        (ImportType::Func(ty), Extern::Func(f)) => {
            let index = f.0.index_in(store);
            if !store.funcs[index].matches(info.type_ids[ty.index()]) {
                return Err("function types incompatible");
            }
            entity.funcs.push(index as u32);
        }
        (ImportType::Table(ty), Extern::Table(t)) => {
            let index = t.0.index_in(store);
            let actual = &store.tables[index];
            if !table_matches(store, &actual.ty, actual.size(), ty) {
                return Err("table types incompatible");
            }
            entity.tables.push(index as u32);
        }
        (ImportType::Memory(ty), Extern::Memory(m)) => {
            let index = m.0.index_in(store);
            let actual = &store.memories[index];
            if !memory_matches(&actual.ty, actual.pages(), ty) {
                return Err("memory types incompatible");
            }
            entity.memories.push(index as u32);
        }
        (ImportType::Global(ty), Extern::Global(g)) => {
            let index = g.0.index_in(store);
            let actual = store.globals[index].ty;
            let ok = actual.mutable == ty.mutable
                && store.engine.with_types(|t| {
                    t.val_is_subtype(actual.content, ty.content)
                        && (!ty.mutable || t.val_is_subtype(ty.content, actual.content))
                });
            if !ok {
                return Err("global types incompatible");
            }
            entity.globals.push(index as u32);
        }
        (ImportType::Tag(ty), Extern::Tag(t)) => {
            let index = t.0.index_in(store);
            if store.tags[index] != info.type_ids[ty.index()] {
                return Err("tag types incompatible");
            }
            entity.tags.push(index as u32);
        }
        _ => return Err("wrong kind of entity"),
    }
    Ok(())
}

fn limits_match(actual_min: u64, actual_max: Option<u64>, min: u64, max: Option<u64>) -> bool {
    actual_min >= min
        && match max {
            None => true,
            Some(max) => actual_max.is_some_and(|a| a <= max),
        }
}

fn table_matches(store: &StoreInner, actual: &TableType, size: u64, expected: &TableType) -> bool {
    actual.table64 == expected.table64
        && limits_match(size, actual.max, expected.min, expected.max)
        && store.engine.with_types(|t| {
            t.ref_is_subtype(actual.element, expected.element) && t.ref_is_subtype(expected.element, actual.element)
        })
}

fn memory_matches(actual: &MemoryType, pages: u64, expected: &MemoryType) -> bool {
    actual.memory64 == expected.memory64
        && actual.shared == expected.shared
        && actual.page_size_log2 == expected.page_size_log2
        && limits_match(pages, actual.max, expected.min, expected.max)
}
