//! Evaluation of constant expressions during instantiation.

use crate::Error;
use crate::store::StoreInner;
use alloc::vec::Vec;
use mote_core::TrapCode;
use mote_environ::{CompositeType, ConstExpr, ConstOp, ModuleInfo, TypeIndex, fuel};

/// Evaluates `expr` with the instance's functions and globals so far,
/// returning raw cells (two for `v128`).
pub(crate) fn eval(
    store: &mut StoreInner,
    info: &ModuleInfo,
    funcs: &[u32],
    globals: &[u32],
    expr: &ConstExpr,
) -> Result<[u64; 2], Error> {
    if let Some(v) = expr.as_const_u64() {
        return Ok([v, 0]);
    }
    let mut stack: Vec<u128> = Vec::new();
    let pop = |stack: &mut Vec<u128>| stack.pop().expect("validated constant expression");
    for op in expr.ops.iter() {
        let value: u128 = match *op {
            ConstOp::I32(v) => v as u32 as u128,
            ConstOp::I64(v) => v as u64 as u128,
            ConstOp::F32(v) => v as u128,
            ConstOp::F64(v) => v as u128,
            ConstOp::V128(v) => v,
            ConstOp::RefNull(_) => 0,
            ConstOp::RefFunc(f) => funcs[f.index()] as u128 + 1,
            ConstOp::GlobalGet(g) => {
                let [lo, hi] = store.globals[globals[g.index()] as usize].value;
                lo as u128 | (hi as u128) << 64
            }
            ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                let b = pop(&mut stack) as u32;
                let a = pop(&mut stack) as u32;
                (match op {
                    ConstOp::I32Add => a.wrapping_add(b),
                    ConstOp::I32Sub => a.wrapping_sub(b),
                    _ => a.wrapping_mul(b),
                }) as u128
            }
            ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => {
                let b = pop(&mut stack) as u64;
                let a = pop(&mut stack) as u64;
                (match op {
                    ConstOp::I64Add => a.wrapping_add(b),
                    ConstOp::I64Sub => a.wrapping_sub(b),
                    _ => a.wrapping_mul(b),
                }) as u128
            }
            ConstOp::RefI31 => {
                let v = pop(&mut stack) as u32;
                (((v & 0x7fff_ffff) as u64) << 1 | 1) as u128
            }
            ConstOp::AnyConvertExtern | ConstOp::ExternConvertAny => pop(&mut stack),
            ConstOp::StructNew(t) | ConstOp::StructNewDefault(t) => {
                let n = crate::gc::struct_kinds(info, t).count();
                let fields = if matches!(op, ConstOp::StructNew(_)) {
                    let at = stack.len() - n;
                    stack.split_off(at)
                } else {
                    alloc::vec![0; n]
                };
                crate::gc::new_struct(store, info, t, fields)? as u128
            }
            ConstOp::ArrayNew(t) | ConstOp::ArrayNewDefault(t) => {
                let len = pop(&mut stack) as u32 as u64;
                charge_array_length(store, info, t, len)?;
                let init = if matches!(op, ConstOp::ArrayNew(_)) {
                    pop(&mut stack)
                } else {
                    0
                };
                crate::gc::new_array(store, info, t, len, core::iter::repeat(init))? as u128
            }
            ConstOp::ArrayNewFixed(t, n) => {
                let at = stack.len() - n as usize;
                let elems = stack.split_off(at);
                crate::gc::new_array(store, info, t, n as u64, elems.into_iter())? as u128
            }
        };
        stack.push(value);
    }
    let v = pop(&mut stack);
    Ok([v as u64, (v >> 64) as u64])
}

/// Charges an initializer's `array.new` or `array.new_default` of `len`
/// elements the length-dependent fuel that the same operator costs in code
/// (`mote_environ::fuel`), so that instantiating a module cannot allocate
/// gigabytes for free. The rest of a constant expression is free.
fn charge_array_length(store: &mut StoreInner, info: &ModuleInfo, ty: TypeIndex, len: u64) -> Result<(), TrapCode> {
    if !store.engine.config().consume_fuel {
        return Ok(());
    }
    let CompositeType::Array(elem) = &info.type_defs[ty.index()].composite else {
        unreachable!("validated: array.new names an array type")
    };
    let cost = fuel::length_cost(len, fuel::array_length_shift(elem.storage));
    match store.fuel.checked_sub(cost) {
        Some(left) => store.fuel = left,
        None => {
            store.fuel = 0;
            return Err(TrapCode::OutOfFuel);
        }
    }
    Ok(())
}
