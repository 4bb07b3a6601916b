//! Evaluation of constant expressions during instantiation.

use crate::Error;
use crate::store::StoreInner;
use alloc::vec::Vec;
use mote_environ::{ConstExpr, ConstOp};

/// Evaluates `expr` with the instance's functions and globals so far,
/// returning raw cells (two for `v128`).
pub(crate) fn eval(store: &StoreInner, funcs: &[u32], globals: &[u32], expr: &ConstExpr) -> Result<[u64; 2], Error> {
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
            ConstOp::StructNew(_)
            | ConstOp::StructNewDefault(_)
            | ConstOp::ArrayNew(_)
            | ConstOp::ArrayNewDefault(_)
            | ConstOp::ArrayNewFixed(..) => {
                return Err(Error::msg("GC allocation in constant expressions is not supported yet"));
            }
        };
        stack.push(value);
    }
    let v = pop(&mut stack);
    Ok([v as u64, (v >> 64) as u64])
}
