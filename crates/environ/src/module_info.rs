//! `ModuleInfo`: everything the runtime and the translators need to know
//! about a validated module, with types resolved to engine-wide ids.

use crate::const_expr::ConstExpr;
use crate::types::{FuncType, GlobalType, MemoryType, RefType, SubType, TableType};
use crate::{FuncIndex, GlobalIndex, MemoryIndex, SharedTypeId, TableIndex, TypeIndex};
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

/// What kind of entity an import or export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityKind {
    /// A function.
    Func,
    /// A table.
    Table,
    /// A memory.
    Memory,
    /// A global.
    Global,
    /// An exception tag.
    Tag,
}

/// The declared type of an import.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportType {
    /// A function of this type.
    Func(TypeIndex),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
    /// A tag whose parameters are those of this function type.
    Tag(TypeIndex),
}

/// One import.
#[derive(Debug, Clone)]
pub struct Import {
    /// Module name.
    pub module: String,
    /// Field name.
    pub name: String,
    /// Expected type.
    pub ty: ImportType,
}

/// One export.
#[derive(Debug, Clone)]
pub struct Export {
    /// Export name.
    pub name: String,
    /// Which index space.
    pub kind: EntityKind,
    /// Index in that space.
    pub index: u32,
}

/// How an element segment is used.
#[derive(Debug, Clone)]
pub enum ElementMode {
    /// Copied in by `table.init`.
    Passive,
    /// Only declares functions for `ref.func`; dropped at instantiation.
    Declared,
    /// Written into a table at instantiation.
    Active {
        /// The table.
        table: TableIndex,
        /// Where in the table.
        offset: ConstExpr,
    },
}

/// The items of an element segment.
#[derive(Debug, Clone)]
pub enum ElementItems {
    /// Function references by index.
    Funcs(Box<[FuncIndex]>),
    /// Arbitrary constant expressions.
    Exprs(Box<[ConstExpr]>),
}

impl ElementItems {
    /// Number of items.
    pub fn len(&self) -> usize {
        match self {
            ElementItems::Funcs(f) => f.len(),
            ElementItems::Exprs(e) => e.len(),
        }
    }
    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An element segment.
#[derive(Debug, Clone)]
pub struct ElementSegment {
    /// How it is used.
    pub mode: ElementMode,
    /// Type of its items.
    pub ty: RefType,
    /// The items.
    pub items: ElementItems,
}

/// How a data segment is used.
#[derive(Debug, Clone)]
pub enum DataMode {
    /// Copied in by `memory.init`.
    Passive,
    /// Written into a memory at instantiation.
    Active {
        /// The memory.
        memory: MemoryIndex,
        /// Where in the memory.
        offset: ConstExpr,
    },
}

/// A data segment; its bytes stay in the module binary.
#[derive(Debug, Clone)]
pub struct DataSegment {
    /// How it is used.
    pub mode: DataMode,
    /// Byte range of the contents in the module binary.
    pub range: Range<usize>,
}

/// A defined function's body in the module binary.
#[derive(Debug, Clone)]
pub struct FuncBody {
    /// Byte range of the body (locals and code) in the module binary.
    pub range: Range<usize>,
}

/// Everything known about a validated module.
#[derive(Debug, Clone, Default)]
pub struct ModuleInfo {
    /// The module's name from the `name` section.
    pub name: Option<String>,
    /// Engine-wide id of each type-section entry.
    pub type_ids: Vec<SharedTypeId>,
    /// Each type-section entry, references resolved to engine ids.
    pub type_defs: Vec<SubType>,
    /// Type of every function, imports first.
    pub funcs: Vec<TypeIndex>,
    /// Every table, imports first.
    pub tables: Vec<TableType>,
    /// Every memory, imports first.
    pub memories: Vec<MemoryType>,
    /// Every global, imports first.
    pub globals: Vec<GlobalType>,
    /// Every tag (as a function type index), imports first.
    pub tags: Vec<TypeIndex>,
    /// Imports in order.
    pub imports: Vec<Import>,
    /// Number of imported functions.
    pub num_imported_funcs: u32,
    /// Number of imported tables.
    pub num_imported_tables: u32,
    /// Number of imported memories.
    pub num_imported_memories: u32,
    /// Number of imported globals.
    pub num_imported_globals: u32,
    /// Number of imported tags.
    pub num_imported_tags: u32,
    /// Initializers of defined tables (`None`: null).
    pub table_inits: Vec<Option<ConstExpr>>,
    /// Initializers of defined globals.
    pub global_inits: Vec<ConstExpr>,
    /// Exports in order.
    pub exports: Vec<Export>,
    /// The start function.
    pub start: Option<FuncIndex>,
    /// Element segments.
    pub elements: Vec<ElementSegment>,
    /// Data segments.
    pub datas: Vec<DataSegment>,
    /// Bodies of the defined functions.
    pub bodies: Vec<FuncBody>,
    /// Function names from the `name` section.
    pub func_names: BTreeMap<u32, String>,
    /// Functions that may be referenced by `ref.func` (declared in elements, exports or globals).
    pub func_refs: Vec<FuncIndex>,
}

impl ModuleInfo {
    /// The function type of a type-section entry.
    ///
    /// # Panics
    /// If the entry is not a function type (validation rules that out
    /// wherever a function type is required).
    pub fn func_type(&self, ty: TypeIndex) -> &FuncType {
        match &self.type_defs[ty.index()].composite {
            crate::types::CompositeType::Func(f) => f,
            other => panic!("type {} is not a function type: {other:?}", ty.0),
        }
    }

    /// The type of function `func`.
    pub fn func_type_of(&self, func: FuncIndex) -> &FuncType {
        self.func_type(self.funcs[func.index()])
    }

    /// Whether `func` is imported.
    pub fn is_imported_func(&self, func: FuncIndex) -> bool {
        func.0 < self.num_imported_funcs
    }

    /// The global index space entry's type.
    pub fn global_type(&self, global: GlobalIndex) -> GlobalType {
        self.globals[global.index()]
    }

    /// The name of a function for backtraces, if the module gave one.
    pub fn func_name(&self, func: FuncIndex) -> Option<&str> {
        self.func_names.get(&func.0).map(String::as_str)
    }
}
