//! Mote's own type model. Concrete heap types name engine-wide canonical
//! types ([`SharedTypeId`]) so values and imports can be compared across
//! modules without consulting the module that declared them.

use crate::SharedTypeId;
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;

/// A WebAssembly value type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ValType {
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// 32-bit float.
    F32,
    /// 64-bit float.
    F64,
    /// 128-bit vector.
    V128,
    /// A reference.
    Ref(RefType),
}

impl ValType {
    /// `funcref`
    pub const FUNCREF: ValType = ValType::Ref(RefType::FUNCREF);
    /// `externref`
    pub const EXTERNREF: ValType = ValType::Ref(RefType::EXTERNREF);

    /// Number of 64-bit value cells a value of this type occupies.
    #[inline]
    pub fn cells(self) -> u16 {
        match self {
            ValType::V128 => 2,
            _ => 1,
        }
    }

    /// Whether a default (zero / null) value exists for this type.
    pub fn is_defaultable(self) -> bool {
        match self {
            ValType::Ref(r) => r.nullable,
            _ => true,
        }
    }
}

/// A reference type: a heap type, nullable or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RefType {
    /// Whether `null` is a value of this type.
    pub nullable: bool,
    /// What it refers to.
    pub heap: HeapType,
}

impl RefType {
    /// `funcref` = `(ref null func)`
    pub const FUNCREF: RefType = RefType {
        nullable: true,
        heap: HeapType::Func,
    };
    /// `externref` = `(ref null extern)`
    pub const EXTERNREF: RefType = RefType {
        nullable: true,
        heap: HeapType::Extern,
    };
}

/// A heap type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HeapType {
    /// Any function.
    Func,
    /// The bottom of the function hierarchy.
    NoFunc,
    /// Any host reference.
    Extern,
    /// The bottom of the extern hierarchy.
    NoExtern,
    /// Any internal (GC) reference.
    Any,
    /// Comparable references.
    Eq,
    /// Unboxed 31-bit integers.
    I31,
    /// Any struct.
    Struct,
    /// Any array.
    Array,
    /// The bottom of the any hierarchy.
    None,
    /// Exception references.
    Exn,
    /// The bottom of the exception hierarchy.
    NoExn,
    /// A defined type, by its engine-wide canonical id.
    Concrete(SharedTypeId),
    /// A type of the rec group being canonicalized, by position. Exists only
    /// inside registry keys, never at run time.
    RecLocal(u32),
}

/// The type of a function.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FuncType {
    params: Box<[ValType]>,
    results: Box<[ValType]>,
}

impl FuncType {
    /// A function type with these parameters and results.
    pub fn new(params: impl IntoIterator<Item = ValType>, results: impl IntoIterator<Item = ValType>) -> Self {
        FuncType {
            params: params.into_iter().collect::<Vec<_>>().into(),
            results: results.into_iter().collect::<Vec<_>>().into(),
        }
    }
    /// Parameter types.
    pub fn params(&self) -> &[ValType] {
        &self.params
    }
    /// Result types.
    pub fn results(&self) -> &[ValType] {
        &self.results
    }
    /// Total value cells of the parameters.
    pub fn param_cells(&self) -> u16 {
        self.params.iter().map(|t| t.cells()).sum()
    }
    /// Total value cells of the results.
    pub fn result_cells(&self) -> u16 {
        self.results.iter().map(|t| t.cells()).sum()
    }
}

/// Storage of a struct field or array element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StorageType {
    /// Packed 8-bit integer.
    I8,
    /// Packed 16-bit integer.
    I16,
    /// A full value.
    Val(ValType),
}

/// A struct field or array element type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldType {
    /// How the value is stored.
    pub storage: StorageType,
    /// Whether it can be written after creation.
    pub mutable: bool,
}

/// The structure of a defined type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CompositeType {
    /// A function type.
    Func(FuncType),
    /// A struct type.
    Struct(Box<[FieldType]>),
    /// An array type.
    Array(FieldType),
}

/// A defined type with its place in the subtyping hierarchy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SubType {
    /// Final types have no subtypes.
    pub is_final: bool,
    /// Declared direct supertype.
    pub supertype: Option<HeapType>,
    /// The structure.
    pub composite: CompositeType,
}

/// Limits of a memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryType {
    /// Minimum size in pages.
    pub min: u64,
    /// Maximum size in pages, if any.
    pub max: Option<u64>,
    /// Whether addresses are 64-bit.
    pub memory64: bool,
    /// Whether the memory is shared between threads.
    pub shared: bool,
    /// log2 of the page size (16 for 64 KiB pages).
    pub page_size_log2: u8,
}

/// A table's element type and limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableType {
    /// Element type.
    pub element: RefType,
    /// Minimum size in elements.
    pub min: u64,
    /// Maximum size, if any.
    pub max: Option<u64>,
    /// Whether indices are 64-bit.
    pub table64: bool,
}

/// A global's value type and mutability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GlobalType {
    /// Value type.
    pub content: ValType,
    /// Whether `global.set` may change it.
    pub mutable: bool,
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValType::I32 => f.write_str("i32"),
            ValType::I64 => f.write_str("i64"),
            ValType::F32 => f.write_str("f32"),
            ValType::F64 => f.write_str("f64"),
            ValType::V128 => f.write_str("v128"),
            ValType::Ref(r) => write!(f, "{r}"),
        }
    }
}

impl fmt::Display for RefType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let null = if self.nullable { "null " } else { "" };
        write!(f, "(ref {null}{:?})", self.heap)
    }
}

/// Whether a global can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mutability {
    /// Immutable.
    Const,
    /// Mutable.
    Var,
}

impl GlobalType {
    /// A global type.
    pub fn new(content: ValType, mutability: Mutability) -> Self {
        GlobalType {
            content,
            mutable: mutability == Mutability::Var,
        }
    }
}

impl MemoryType {
    /// A 32-bit memory of `min` to `max` 64 KiB pages.
    pub fn new(min: u32, max: Option<u32>) -> Self {
        MemoryType {
            min: min as u64,
            max: max.map(u64::from),
            memory64: false,
            shared: false,
            page_size_log2: 16,
        }
    }

    /// A 64-bit memory of `min` to `max` 64 KiB pages.
    pub fn new64(min: u64, max: Option<u64>) -> Self {
        MemoryType {
            memory64: true,
            ..MemoryType::new(0, None).with_limits(min, max)
        }
    }

    fn with_limits(self, min: u64, max: Option<u64>) -> Self {
        MemoryType { min, max, ..self }
    }

    /// Bytes in one page.
    pub fn page_size(&self) -> u64 {
        1 << self.page_size_log2
    }
}

impl TableType {
    /// A 32-bit table of `element`s.
    pub fn new(element: RefType, min: u32, max: Option<u32>) -> Self {
        TableType {
            element,
            min: min as u64,
            max: max.map(u64::from),
            table64: false,
        }
    }

    /// A 64-bit table of `element`s.
    pub fn new64(element: RefType, min: u64, max: Option<u64>) -> Self {
        TableType {
            element,
            min,
            max,
            table64: true,
        }
    }
}

impl RefType {
    /// A reference type.
    pub const fn new(nullable: bool, heap: HeapType) -> Self {
        RefType { nullable, heap }
    }
    /// Whether null is a value of this type.
    pub fn is_nullable(&self) -> bool {
        self.nullable
    }
    /// The heap type.
    pub fn heap_type(&self) -> HeapType {
        self.heap
    }
}
