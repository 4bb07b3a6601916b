//! Constant expressions (global initializers, segment offsets, element
//! items), decoded once into a tiny stack program the runtime evaluates at
//! instantiation.

use crate::types::HeapType;
use crate::{FuncIndex, GlobalIndex, TypeIndex};
use alloc::boxed::Box;

/// One instruction of a constant expression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ConstOp {
    /// Push an `i32`.
    I32(i32),
    /// Push an `i64`.
    I64(i64),
    /// Push an `f32` (bits).
    F32(u32),
    /// Push an `f64` (bits).
    F64(u64),
    /// Push a `v128`.
    V128(u128),
    /// Push a null reference of this heap type.
    RefNull(HeapType),
    /// Push a reference to a function.
    RefFunc(FuncIndex),
    /// Push the value of a global.
    GlobalGet(GlobalIndex),
    /// `i32.add`
    I32Add,
    /// `i32.sub`
    I32Sub,
    /// `i32.mul`
    I32Mul,
    /// `i64.add`
    I64Add,
    /// `i64.sub`
    I64Sub,
    /// `i64.mul`
    I64Mul,
    /// `ref.i31`
    RefI31,
    /// `any.convert_extern`
    AnyConvertExtern,
    /// `extern.convert_any`
    ExternConvertAny,
    /// `struct.new $t`
    StructNew(TypeIndex),
    /// `struct.new_default $t`
    StructNewDefault(TypeIndex),
    /// `array.new $t`
    ArrayNew(TypeIndex),
    /// `array.new_default $t`
    ArrayNewDefault(TypeIndex),
    /// `array.new_fixed $t n`
    ArrayNewFixed(TypeIndex, u32),
}

/// A decoded constant expression.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstExpr {
    /// The program, in order.
    pub ops: Box<[ConstOp]>,
}

impl ConstExpr {
    /// The expression's value when it is a single integer constant: the
    /// common case for segment offsets, evaluated without a stack.
    pub fn as_const_u64(&self) -> Option<u64> {
        match *self.ops {
            [ConstOp::I32(v)] => Some(v as u32 as u64),
            [ConstOp::I64(v)] => Some(v as u64),
            _ => None,
        }
    }
}
