//! The engine-wide type registry: canonicalizes recursion groups so that
//! structurally identical (iso-recursive) types from different modules get
//! the same [`SharedTypeId`], and answers subtyping questions.
//!
//! Each module is validated by its own `wasmparser` validator; its rec
//! groups are then re-expressed with references inside the group written as
//! [`HeapType::RecLocal`] and references outside as already-registered ids.
//! That form is the key: equal keys are equal types.

use crate::SharedTypeId;
use crate::types::{CompositeType, FieldType, FuncType, HeapType, RefType, StorageType, SubType, ValType};
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;

/// A registered type, with references resolved to engine ids.
#[derive(Debug, Clone)]
pub struct RegisteredType {
    /// The type itself.
    pub sub: SubType,
    /// This type followed by all its declared supertypes, nearest first.
    pub supers: Arc<[SharedTypeId]>,
}

/// Canonical types of one engine.
#[derive(Debug, Default)]
pub struct TypeRegistry {
    entries: Vec<RegisteredType>,
    groups: BTreeMap<Vec<SubType>, SharedTypeId>,
}

impl TypeRegistry {
    /// Registers a rec group given in key form (`RecLocal` for in-group
    /// references) and returns the id of its first member; members get
    /// consecutive ids.
    pub fn register_group(&mut self, group: Vec<SubType>) -> SharedTypeId {
        if let Some(&base) = self.groups.get(&group) {
            return base;
        }
        let base = SharedTypeId(self.entries.len() as u32);
        let resolve = |h: HeapType| match h {
            HeapType::RecLocal(i) => HeapType::Concrete(SharedTypeId(base.0 + i)),
            other => other,
        };
        for (i, sub) in group.iter().enumerate() {
            let resolved = map_sub_type(sub, &resolve);
            let mut supers = Vec::from([SharedTypeId(base.0 + i as u32)]);
            if let Some(HeapType::Concrete(parent)) = resolved.supertype {
                supers.extend(self.chain(parent).iter().copied());
            }
            self.entries.push(RegisteredType {
                sub: resolved,
                supers: supers.into(),
            });
        }
        self.groups.insert(group, base);
        base
    }

    /// Registers a lone final function type (the type of a host function).
    pub fn register_func_type(&mut self, ty: &FuncType) -> SharedTypeId {
        self.register_group(Vec::from([SubType {
            is_final: true,
            supertype: None,
            composite: CompositeType::Func(ty.clone()),
        }]))
    }

    /// The registered type of `id`.
    ///
    /// # Panics
    /// If `id` was not produced by this registry.
    pub fn get(&self, id: SharedTypeId) -> &RegisteredType {
        &self.entries[id.index()]
    }

    /// The function type of `id`, if it is one.
    pub fn func_type(&self, id: SharedTypeId) -> Option<&FuncType> {
        match &self.get(id).sub.composite {
            CompositeType::Func(f) => Some(f),
            _ => None,
        }
    }

    fn chain(&self, id: SharedTypeId) -> &Arc<[SharedTypeId]> {
        &self.entries[id.index()].supers
    }

    /// Whether `a` is `b` or declared (transitively) as its subtype.
    pub fn id_is_subtype(&self, a: SharedTypeId, b: SharedTypeId) -> bool {
        a == b || self.chain(a).contains(&b)
    }

    /// Heap-type subtyping.
    pub fn heap_is_subtype(&self, a: HeapType, b: HeapType) -> bool {
        use HeapType::*;
        if a == b {
            return true;
        }
        let kind_of = |id: SharedTypeId| match &self.get(id).sub.composite {
            CompositeType::Func(_) => Func,
            CompositeType::Struct(_) => Struct,
            CompositeType::Array(_) => Array,
        };
        match (a, b) {
            (Concrete(x), Concrete(y)) => self.id_is_subtype(x, y),
            (Concrete(x), abs) => self.heap_is_subtype(kind_of(x), abs),
            (NoFunc, Func) => true,
            (NoFunc, Concrete(y)) => kind_of(y) == Func,
            (NoExtern, Extern) | (NoExn, Exn) => true,
            (None, Concrete(y)) => kind_of(y) != Func,
            (None, Any | Eq | I31 | Struct | Array) => true,
            (I31 | Struct | Array, Eq | Any) => true,
            (Eq, Any) => true,
            _ => false,
        }
    }

    /// Reference-type subtyping.
    pub fn ref_is_subtype(&self, a: RefType, b: RefType) -> bool {
        (!a.nullable || b.nullable) && self.heap_is_subtype(a.heap, b.heap)
    }

    /// Value-type subtyping.
    pub fn val_is_subtype(&self, a: ValType, b: ValType) -> bool {
        match (a, b) {
            (ValType::Ref(a), ValType::Ref(b)) => self.ref_is_subtype(a, b),
            _ => a == b,
        }
    }

    /// The top of the hierarchy `heap` belongs to (func, extern, any or exn).
    pub fn top_of(&self, heap: HeapType) -> HeapType {
        use HeapType::*;
        match heap {
            Func | NoFunc => Func,
            Extern | NoExtern => Extern,
            Exn | NoExn => Exn,
            Concrete(id) => match self.get(id).sub.composite {
                CompositeType::Func(_) => Func,
                _ => Any,
            },
            _ => Any,
        }
    }
}

/// Rewrites every heap type inside `sub` with `f`.
pub fn map_sub_type(sub: &SubType, f: &impl Fn(HeapType) -> HeapType) -> SubType {
    let val = |v: &ValType| match *v {
        ValType::Ref(r) => ValType::Ref(RefType {
            nullable: r.nullable,
            heap: f(r.heap),
        }),
        other => other,
    };
    let field = |t: &FieldType| FieldType {
        mutable: t.mutable,
        storage: match &t.storage {
            StorageType::Val(v) => StorageType::Val(val(v)),
            other => *other,
        },
    };
    SubType {
        is_final: sub.is_final,
        supertype: sub.supertype.map(f),
        composite: match &sub.composite {
            CompositeType::Func(ft) => {
                CompositeType::Func(FuncType::new(ft.params().iter().map(val), ft.results().iter().map(val)))
            }
            CompositeType::Struct(fields) => CompositeType::Struct(fields.iter().map(field).collect()),
            CompositeType::Array(t) => CompositeType::Array(field(t)),
        },
    }
}
