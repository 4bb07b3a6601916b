//! Conversion of `wasmparser` types into Mote's engine-wide type model.

use crate::SharedTypeId;
use crate::types::{
    CompositeType, FieldType, FuncType, GlobalType, HeapType, MemoryType, RefType, StorageType, SubType, TableType,
    ValType,
};
use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use wasmparser::types::CoreTypeId;
use wasmparser::{AbstractHeapType, UnpackedIndex};

/// Resolves the type references of one module to engine ids.
pub struct TypeResolver {
    /// Engine id of each module type index.
    pub by_index: Vec<SharedTypeId>,
    /// Engine id of each of the module validator's canonical ids.
    pub by_core_id: BTreeMap<CoreTypeId, SharedTypeId>,
    /// Members of the rec group being canonicalized: references to them
    /// become [`HeapType::RecLocal`].
    pub group: Vec<CoreTypeId>,
}

impl TypeResolver {
    fn heap_index(&self, idx: UnpackedIndex) -> HeapType {
        match idx {
            UnpackedIndex::Module(i) => HeapType::Concrete(self.by_index[i as usize]),
            UnpackedIndex::Id(id) => match self.group.iter().position(|&m| m == id) {
                Some(pos) => HeapType::RecLocal(pos as u32),
                None => HeapType::Concrete(self.by_core_id[&id]),
            },
            UnpackedIndex::RecGroup(i) => HeapType::RecLocal(i),
        }
    }

    /// Converts a heap type.
    pub fn heap(&self, h: wasmparser::HeapType) -> HeapType {
        match h {
            wasmparser::HeapType::Concrete(i) | wasmparser::HeapType::Exact(i) => self.heap_index(i),
            wasmparser::HeapType::Abstract { ty, .. } => abstract_heap(ty),
        }
    }

    /// Converts a reference type.
    pub fn ref_type(&self, r: wasmparser::RefType) -> RefType {
        RefType {
            nullable: r.is_nullable(),
            heap: self.heap(r.heap_type()),
        }
    }

    /// Converts a value type.
    pub fn val(&self, v: wasmparser::ValType) -> ValType {
        match v {
            wasmparser::ValType::I32 => ValType::I32,
            wasmparser::ValType::I64 => ValType::I64,
            wasmparser::ValType::F32 => ValType::F32,
            wasmparser::ValType::F64 => ValType::F64,
            wasmparser::ValType::V128 => ValType::V128,
            wasmparser::ValType::Ref(r) => ValType::Ref(self.ref_type(r)),
        }
    }

    /// Converts a function type.
    pub fn func_type(&self, f: &wasmparser::FuncType) -> FuncType {
        FuncType::new(
            f.params().iter().map(|&v| self.val(v)),
            f.results().iter().map(|&v| self.val(v)),
        )
    }

    fn field(&self, f: &wasmparser::FieldType) -> FieldType {
        FieldType {
            mutable: f.mutable,
            storage: match f.element_type {
                wasmparser::StorageType::I8 => StorageType::I8,
                wasmparser::StorageType::I16 => StorageType::I16,
                wasmparser::StorageType::Val(v) => StorageType::Val(self.val(v)),
            },
        }
    }

    /// Converts a sub type (in canonical rec-group form).
    pub fn sub_type(&self, s: &wasmparser::SubType) -> SubType {
        use wasmparser::CompositeInnerType as C;
        SubType {
            is_final: s.is_final,
            supertype: s.supertype_idxs.first().map(|p| self.heap_index(p.unpack())),
            composite: match &s.composite_type.inner {
                C::Func(f) => CompositeType::Func(self.func_type(f)),
                C::Struct(st) => CompositeType::Struct(st.fields.iter().map(|f| self.field(f)).collect()),
                C::Array(a) => CompositeType::Array(self.field(&a.0)),
                // Stack switching is not enabled, so validation rejects these.
                C::Cont(_) => CompositeType::Struct(Default::default()),
            },
        }
    }

    /// Converts a table type.
    pub fn table(&self, t: &wasmparser::TableType) -> TableType {
        TableType {
            element: self.ref_type(t.element_type),
            min: t.initial,
            max: t.maximum,
            table64: t.table64,
        }
    }

    /// Converts a global type.
    pub fn global(&self, g: &wasmparser::GlobalType) -> GlobalType {
        GlobalType {
            content: self.val(g.content_type),
            mutable: g.mutable,
        }
    }
}

/// Converts an abstract heap type.
pub fn abstract_heap(ty: AbstractHeapType) -> HeapType {
    use AbstractHeapType as A;
    match ty {
        A::Func => HeapType::Func,
        A::NoFunc => HeapType::NoFunc,
        A::Extern => HeapType::Extern,
        A::NoExtern => HeapType::NoExtern,
        A::Any => HeapType::Any,
        A::Eq => HeapType::Eq,
        A::I31 => HeapType::I31,
        A::Struct => HeapType::Struct,
        A::Array => HeapType::Array,
        A::None => HeapType::None,
        A::Exn => HeapType::Exn,
        A::NoExn => HeapType::NoExn,
        // Stack switching is not enabled, so validation rejects these.
        A::Cont | A::NoCont => HeapType::None,
    }
}

/// Converts a memory type.
pub fn memory(m: &wasmparser::MemoryType) -> MemoryType {
    MemoryType {
        min: m.initial,
        max: m.maximum,
        memory64: m.memory64,
        shared: m.shared,
        page_size_log2: m.page_size_log2.map_or(16, |p| p as u8),
    }
}
