//! The `gc` libcall: GC and exception operations of compiled code
//! (`mote_cranelift::vmctx::GcOp`), with the interpreter's semantics — each
//! is the interpreter's own operation (`exec::gc_ops`, `gc::ref_test`) on
//! the store's object heap, so objects made by either back end are the
//! same objects.
//!
//! The heap never frees an object while the store lives (see `crate::gc`),
//! which is what lets compiled frames keep references in registers without
//! stack maps. Compiled code reads and writes fields and elements itself,
//! through the store's object table ([`sync_objects`]).

use crate::exec::gc_ops;
use crate::gc;
use crate::store::StoreInner;
use crate::value::HeapObject;
use core::ptr;
use mote_core::TrapCode;
use mote_cranelift::vmctx::gc::decode_heap;
use mote_cranelift::vmctx::{GcOp, VMGcObject};
use mote_environ::{CompositeType, RefType, TypeIndex};
use mote_ir::FieldKind;

/// A value of `kind` from the cells at `at` (two for a `v128`).
fn wide(cells: &[u64], at: usize, kind: FieldKind) -> u128 {
    if kind == FieldKind::W128 {
        u128::from(cells[at]) | u128::from(cells[at + 1]) << 64
    } else {
        u128::from(cells[at])
    }
}

/// An `i32` operand, zero-extended into its cell by compiled code.
fn u32_at(cells: &[u64], at: usize) -> u32 {
    cells[at] as u32
}

/// How an element of array type `ty` of instance `inst`'s module is stored.
fn element_kind(store: &StoreInner, inst: u32, ty: u32) -> FieldKind {
    let info = store.instances[inst as usize].module.info();
    match &info.type_defs[TypeIndex(ty).index()].composite {
        CompositeType::Array(elem) => FieldKind::of(elem.storage, false),
        _ => unreachable!("the compiler names an array type"),
    }
}

/// Appends an object-table entry (`VMGcObject`) for every heap object
/// created since the last call and points the store context at the
/// table. Runs before compiled code can see a new reference: on entry and
/// after host calls (through `sync_funcs`) and after the allocating
/// operations of the `gc` libcall.
pub(super) fn sync_objects(store: &mut StoreInner) {
    let Some(jit) = store.jit.as_mut() else {
        return;
    };
    let known = jit.objects.len();
    for object in &mut store.objects[known..] {
        // The storage is a boxed slice or a vector that never grows: it
        // stays where it is when the object moves within the heap.
        let entry = match object {
            HeapObject::Struct(s) => VMGcObject {
                data: s.fields.as_mut_ptr().cast(),
                len: s.fields.len() as u64,
            },
            HeapObject::Array(a) => VMGcObject {
                len: a.len() as u64,
                data: a.data.as_mut_ptr(),
            },
            HeapObject::Host(_) | HeapObject::Exception { .. } => VMGcObject {
                data: ptr::null_mut(),
                len: 0,
            },
        };
        jit.objects.push(entry);
    }
    jit.ctx.vm.gc_objects = jit.objects.as_ptr();
}

/// Runs operation `op` (immediates `a`, `b`) of instance `inst` on `cells`.
pub(super) fn run(
    store: &mut StoreInner,
    inst: u32,
    op: u32,
    a: u32,
    b: u32,
    cells: &mut [u64],
) -> Result<u64, TrapCode> {
    // Compiled code passes only codes it knows; anything else is a
    // runtime/compiler mismatch, reported rather than guessed at.
    let op = GcOp::from_code(op).ok_or(TrapCode::HostError)?;
    Ok(match op {
        GcOp::StructNew => gc_ops::struct_new(store, inst, a, Some(cells))?,
        GcOp::StructNewDefault => gc_ops::struct_new(store, inst, a, None)?,
        GcOp::ArrayNew => {
            let kind = element_kind(store, inst, a);
            gc_ops::array_new(store, inst, a, wide(cells, 1, kind), u64::from(u32_at(cells, 0)))?
        }
        GcOp::ArrayNewDefault => gc_ops::array_new(store, inst, a, 0, u64::from(u32_at(cells, 0)))?,
        GcOp::ArrayNewFixed => gc_ops::array_new_fixed(store, inst, a, cells, b)?,
        GcOp::ArrayNewData => gc_ops::array_new_data(store, inst, a, b, u32_at(cells, 0), u32_at(cells, 1))?,
        GcOp::ArrayNewElem => gc_ops::array_new_elem(store, inst, a, b, u32_at(cells, 0), u32_at(cells, 1))?,
        GcOp::ArrayFill => {
            let kind = element_kind(store, inst, a);
            let (offset, len) = (u32_at(cells, 1), u32_at(cells, 2));
            gc_ops::array_fill(store, cells[0], offset, wide(cells, 3, kind), len)?;
            0
        }
        GcOp::ArrayCopy => {
            let (doff, soff, len) = (u32_at(cells, 1), u32_at(cells, 3), u32_at(cells, 4));
            gc_ops::array_copy(store, cells[0], doff, cells[2], soff, len)?;
            0
        }
        GcOp::ArrayInitData | GcOp::ArrayInitElem => {
            let (dst, src, len) = (u32_at(cells, 1), u32_at(cells, 2), u32_at(cells, 3));
            if op == GcOp::ArrayInitData {
                gc_ops::array_init_data(store, inst, cells[0], dst, src, len, b)?;
            } else {
                gc_ops::array_init_elem(store, inst, cells[0], dst, src, len, b)?;
            }
            0
        }
        GcOp::RefTest => {
            let info = store.instances[inst as usize].module.info();
            let heap = decode_heap(a, &info.type_ids).ok_or(TrapCode::HostError)?;
            u64::from(gc::ref_test(store, cells[0], RefType::new(b != 0, heap)))
        }
        GcOp::Throw => {
            let instance = &store.instances[inst as usize];
            let info = instance.module.info();
            let n = usize::from(info.func_type(info.tags[a as usize]).param_cells());
            let tag = instance.tags[a as usize];
            gc::new_exception(store, tag, cells[..n].into())?
        }
        GcOp::Catch => {
            let tag = store.instances[inst as usize].tags[a as usize];
            match gc::object(store, cells[0]) {
                HeapObject::Exception { tag: t, payload } if *t == tag => {
                    cells[..payload.len()].copy_from_slice(payload);
                    1
                }
                _ => 0,
            }
        }
    })
}
