//! The module front end: runs `wasmparser`'s validator over the payloads and
//! builds a [`ModuleInfo`]. Function bodies are handed back with their
//! validators so the translator can validate each body in the same pass
//! that translates it.

use crate::const_expr::{ConstExpr, ConstOp};
use crate::convert::{self, TypeResolver};
use crate::error::CompileError;
use crate::module_info::*;
use crate::registry::TypeRegistry;
use crate::{FuncIndex, GlobalIndex, MemoryIndex, TableIndex, TypeIndex};
use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use wasmparser::types::Types;
use wasmparser::{FuncToValidate, Parser, Payload, ValidPayload, Validator, ValidatorResources, WasmFeatures};

/// A defined function waiting to be validated and translated.
pub struct PendingFunc {
    /// Its index in the function index space.
    pub index: FuncIndex,
    /// Its validator, which carries the module's types.
    pub validator: FuncToValidate<ValidatorResources>,
}

/// A parsed and (except for function bodies) validated module.
pub struct ParsedModule {
    /// The metadata.
    pub info: ModuleInfo,
    /// The defined functions, in order.
    pub funcs: Vec<PendingFunc>,
}

type Result<T> = core::result::Result<T, CompileError>;

fn err(e: wasmparser::BinaryReaderError) -> CompileError {
    CompileError::from_wasmparser(e, None)
}

/// Parses and validates `bytes` (all but the function bodies), registering
/// its types in `registry`.
pub fn parse(bytes: &[u8], features: WasmFeatures, registry: &mut TypeRegistry) -> Result<ParsedModule> {
    let mut validator = Validator::new_with_features(features);
    let mut sections = Sections::default();
    let mut funcs = Vec::new();
    let mut types = None;
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(err)?;
        match validator.payload(&payload).map_err(err)? {
            ValidPayload::Func(validator, body) => {
                sections.bodies.push(FuncBody {
                    range: body.range().start as usize..body.range().end as usize,
                });
                funcs.push(PendingFunc {
                    index: FuncIndex(validator.index),
                    validator,
                });
            }
            ValidPayload::End(t) => types = Some(t),
            ValidPayload::Ok | ValidPayload::Parser(_) => {}
        }
        sections.collect(payload)?;
    }
    let types = types.ok_or_else(|| CompileError::unsupported("module has no end", bytes.len() as u64, None))?;
    let info = sections.build(&types, registry)?;
    Ok(ParsedModule { info, funcs })
}

/// Raw section contents, kept until validation ends and canonical types are known.
#[derive(Default)]
struct Sections<'a> {
    imports: Vec<wasmparser::Import<'a>>,
    tables: Vec<wasmparser::Table<'a>>,
    globals: Vec<wasmparser::Global<'a>>,
    exports: Vec<wasmparser::Export<'a>>,
    start: Option<u32>,
    elements: Vec<wasmparser::Element<'a>>,
    datas: Vec<wasmparser::Data<'a>>,
    bodies: Vec<FuncBody>,
    names: BTreeMap<u32, String>,
    module_name: Option<String>,
}

impl<'a> Sections<'a> {
    fn collect(&mut self, payload: Payload<'a>) -> Result<()> {
        match payload {
            Payload::ImportSection(s) => {
                for import in s.into_imports() {
                    self.imports.push(import.map_err(err)?);
                }
            }
            Payload::TableSection(s) => {
                for t in s {
                    self.tables.push(t.map_err(err)?);
                }
            }
            Payload::GlobalSection(s) => {
                for g in s {
                    self.globals.push(g.map_err(err)?);
                }
            }
            Payload::ExportSection(s) => {
                for e in s {
                    self.exports.push(e.map_err(err)?);
                }
            }
            Payload::StartSection { func, .. } => self.start = Some(func),
            Payload::ElementSection(s) => {
                for e in s {
                    self.elements.push(e.map_err(err)?);
                }
            }
            Payload::DataSection(s) => {
                for d in s {
                    self.datas.push(d.map_err(err)?);
                }
            }
            Payload::CustomSection(c) => {
                // A broken name section must not make the module invalid.
                if let wasmparser::KnownCustom::Name(reader) = c.as_known() {
                    self.read_names(reader);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn read_names(&mut self, reader: wasmparser::NameSectionReader<'a>) {
        for name in reader.into_iter().flatten() {
            match name {
                wasmparser::Name::Module { name, .. } => self.module_name = Some(name.to_string()),
                wasmparser::Name::Function(map) => {
                    for naming in map.into_iter().flatten() {
                        self.names.insert(naming.index, naming.name.to_string());
                    }
                }
                _ => {}
            }
        }
    }

    fn build(self, types: &Types, registry: &mut TypeRegistry) -> Result<ModuleInfo> {
        let t = types.as_ref();
        let resolver = register_types(types, registry);
        let mut info = ModuleInfo {
            name: self.module_name,
            type_ids: resolver.by_index.clone(),
            type_defs: resolver
                .by_index
                .iter()
                .map(|&id| registry.get(id).sub.clone())
                .collect(),
            func_names: self.names,
            bodies: self.bodies,
            start: self.start.map(FuncIndex),
            ..ModuleInfo::default()
        };
        for i in 0..t.function_count() {
            let id = t.core_function_at(i);
            let shared = resolver.by_core_id[&id];
            let idx = resolver.by_index.iter().position(|&x| x == shared).unwrap_or(0);
            info.funcs.push(TypeIndex(idx as u32));
        }
        for i in 0..t.table_count() {
            info.tables.push(resolver.table(&t.table_at(i)));
        }
        for i in 0..t.memory_count() {
            info.memories.push(convert::memory(&t.memory_at(i)));
        }
        for i in 0..t.global_count() {
            info.globals.push(resolver.global(&t.global_at(i)));
        }
        for i in 0..t.tag_count() {
            let shared = resolver.by_core_id[&t.tag_at(i)];
            let idx = resolver.by_index.iter().position(|&x| x == shared).unwrap_or(0);
            info.tags.push(TypeIndex(idx as u32));
        }
        for import in &self.imports {
            use wasmparser::TypeRef;
            let ty = match import.ty {
                TypeRef::Func(i) | TypeRef::FuncExact(i) => {
                    info.num_imported_funcs += 1;
                    ImportType::Func(TypeIndex(i))
                }
                TypeRef::Table(tt) => {
                    info.num_imported_tables += 1;
                    ImportType::Table(resolver.table(&tt))
                }
                TypeRef::Memory(m) => {
                    info.num_imported_memories += 1;
                    ImportType::Memory(convert::memory(&m))
                }
                TypeRef::Global(g) => {
                    info.num_imported_globals += 1;
                    ImportType::Global(resolver.global(&g))
                }
                TypeRef::Tag(tag) => {
                    info.num_imported_tags += 1;
                    ImportType::Tag(TypeIndex(tag.func_type_idx))
                }
            };
            info.imports.push(Import {
                module: import.module.to_string(),
                name: import.name.to_string(),
                ty,
            });
        }
        for table in &self.tables {
            info.table_inits.push(match &table.init {
                wasmparser::TableInit::RefNull => None,
                wasmparser::TableInit::Expr(e) => Some(const_expr(e, &resolver)?),
            });
        }
        for global in &self.globals {
            info.global_inits.push(const_expr(&global.init_expr, &resolver)?);
        }
        for export in &self.exports {
            use wasmparser::ExternalKind as K;
            let kind = match export.kind {
                K::Func | K::FuncExact => EntityKind::Func,
                K::Table => EntityKind::Table,
                K::Memory => EntityKind::Memory,
                K::Global => EntityKind::Global,
                K::Tag => EntityKind::Tag,
            };
            if kind == EntityKind::Func {
                info.func_refs.push(FuncIndex(export.index));
            }
            info.exports.push(Export {
                name: export.name.to_string(),
                kind,
                index: export.index,
            });
        }
        for element in &self.elements {
            let segment = element_segment(element, &resolver)?;
            if let ElementItems::Funcs(funcs) = &segment.items {
                info.func_refs.extend(funcs.iter().copied());
            }
            info.elements.push(segment);
        }
        for data in &self.datas {
            let mode = match &data.kind {
                wasmparser::DataKind::Passive => DataMode::Passive,
                wasmparser::DataKind::Active {
                    memory_index,
                    offset_expr,
                } => DataMode::Active {
                    memory: MemoryIndex(*memory_index),
                    offset: const_expr(offset_expr, &resolver)?,
                },
            };
            let end = data.range.end as usize;
            let start = end - data.data.len();
            info.datas.push(DataSegment {
                mode,
                range: start..end,
            });
        }
        Ok(info)
    }
}

/// Registers the module's rec groups in the engine registry, in order.
fn register_types(types: &Types, registry: &mut TypeRegistry) -> TypeResolver {
    let t = types.as_ref();
    let mut resolver = TypeResolver {
        by_index: Vec::new(),
        by_core_id: BTreeMap::new(),
        group: Vec::new(),
    };
    for i in 0..t.core_type_count_in_module() {
        let id = t.core_type_at_in_module(i);
        if !resolver.by_core_id.contains_key(&id) {
            let group = t.rec_group_id_of(id);
            resolver.group = t.rec_group_elements(group).collect();
            let key = resolver.group.iter().map(|&m| resolver.sub_type(&types[m])).collect();
            let members = core::mem::take(&mut resolver.group);
            let base = registry.register_group(key);
            for (j, m) in members.into_iter().enumerate() {
                resolver.by_core_id.insert(m, crate::SharedTypeId(base.0 + j as u32));
            }
        }
        let shared = resolver.by_core_id[&id];
        resolver.by_index.push(shared);
    }
    resolver
}

fn element_segment(e: &wasmparser::Element<'_>, resolver: &TypeResolver) -> Result<ElementSegment> {
    let mode = match &e.kind {
        wasmparser::ElementKind::Passive => ElementMode::Passive,
        wasmparser::ElementKind::Declared => ElementMode::Declared,
        wasmparser::ElementKind::Active {
            table_index,
            offset_expr,
        } => ElementMode::Active {
            table: TableIndex(table_index.unwrap_or(0)),
            offset: const_expr(offset_expr, resolver)?,
        },
    };
    let (ty, items) = match &e.items {
        wasmparser::ElementItems::Functions(r) => {
            let funcs = r
                .clone()
                .into_iter()
                .map(|f| f.map(FuncIndex))
                .collect::<core::result::Result<Vec<_>, _>>()
                .map_err(err)?;
            (
                crate::types::RefType {
                    nullable: false,
                    heap: crate::types::HeapType::Func,
                },
                ElementItems::Funcs(funcs.into()),
            )
        }
        wasmparser::ElementItems::Expressions(ty, r) => {
            let mut exprs = Vec::new();
            for expr in r.clone() {
                exprs.push(const_expr(&expr.map_err(err)?, resolver)?);
            }
            (resolver.ref_type(*ty), ElementItems::Exprs(exprs.into()))
        }
    };
    Ok(ElementSegment { mode, ty, items })
}

/// Decodes a constant expression (already validated).
pub fn const_expr(e: &wasmparser::ConstExpr<'_>, resolver: &TypeResolver) -> Result<ConstExpr> {
    use wasmparser::Operator as O;
    let mut ops = Vec::new();
    let mut reader = e.get_operators_reader();
    while !reader.eof() {
        let offset = reader.original_position();
        let op = reader.read().map_err(err)?;
        ops.push(match op {
            O::I32Const { value } => ConstOp::I32(value),
            O::I64Const { value } => ConstOp::I64(value),
            O::F32Const { value } => ConstOp::F32(value.bits()),
            O::F64Const { value } => ConstOp::F64(value.bits()),
            O::V128Const { value } => ConstOp::V128(value.i128() as u128),
            O::RefNull { hty } => ConstOp::RefNull(resolver.heap(hty)),
            O::RefFunc { function_index } => ConstOp::RefFunc(FuncIndex(function_index)),
            O::GlobalGet { global_index } => ConstOp::GlobalGet(GlobalIndex(global_index)),
            O::I32Add => ConstOp::I32Add,
            O::I32Sub => ConstOp::I32Sub,
            O::I32Mul => ConstOp::I32Mul,
            O::I64Add => ConstOp::I64Add,
            O::I64Sub => ConstOp::I64Sub,
            O::I64Mul => ConstOp::I64Mul,
            O::RefI31 => ConstOp::RefI31,
            O::AnyConvertExtern => ConstOp::AnyConvertExtern,
            O::ExternConvertAny => ConstOp::ExternConvertAny,
            O::StructNew { struct_type_index } => ConstOp::StructNew(TypeIndex(struct_type_index)),
            O::StructNewDefault { struct_type_index } => ConstOp::StructNewDefault(TypeIndex(struct_type_index)),
            O::ArrayNew { array_type_index } => ConstOp::ArrayNew(TypeIndex(array_type_index)),
            O::ArrayNewDefault { array_type_index } => ConstOp::ArrayNewDefault(TypeIndex(array_type_index)),
            O::ArrayNewFixed {
                array_type_index,
                array_size,
            } => ConstOp::ArrayNewFixed(TypeIndex(array_type_index), array_size),
            O::End => break,
            other => {
                return Err(CompileError::unsupported(
                    alloc::format!("unsupported constant instruction {other:?}"),
                    offset,
                    None,
                ));
            }
        });
    }
    Ok(ConstExpr { ops: ops.into() })
}
