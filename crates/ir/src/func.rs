//! A translated function: its code and the frame layout it needs.

use crate::instr::{Instr, Slot};
use alloc::boxed::Box;

/// The interpreter's form of one function.
#[derive(Debug, Clone)]
pub struct CompiledFunc {
    /// The instructions; execution starts at index 0.
    pub code: Box<[Instr]>,
    /// Cells the frame needs: params, locals, temporaries and outgoing call
    /// arguments/results.
    pub frame_cells: u16,
    /// Cells taken by the parameters (slots `0..param_cells`).
    pub param_cells: u16,
    /// End of the locals (slots `param_cells..local_cells` start zeroed).
    pub local_cells: u16,
    /// Constants too wide for an instruction (`v128` values and shuffle masks).
    pub pool: Box<[u128]>,
    /// Constants in slots `local_cells..`, which a `ConstInit` at the entry
    /// writes (see `translate/loop_consts.rs`).
    pub consts: Box<[u64]>,
    /// Exception handlers (`try_table` regions), in order of their start,
    /// so the innermost region around a point is the last that contains it.
    pub handlers: Box<[Handler]>,
    /// Target types of casts and tests.
    pub ref_types: Box<[mote_environ::RefType]>,
}

/// How a struct field or array element is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum FieldKind {
    /// An 8-bit packed value, sign-extended when read.
    I8S,
    /// An 8-bit packed value, zero-extended when read.
    I8U,
    /// A 16-bit packed value, sign-extended when read.
    I16S,
    /// A 16-bit packed value, zero-extended when read.
    I16U,
    /// A 32-bit value (`i32`, `f32`).
    W32,
    /// A 64-bit value (`i64`, `f64`, references).
    W64,
    /// A 128-bit value (`v128`, two cells).
    W128,
}

impl FieldKind {
    /// The kind of a storage type, reading packed values with `signed` extension.
    pub fn of(storage: mote_environ::StorageType, signed: bool) -> FieldKind {
        use mote_environ::{StorageType, ValType};
        match storage {
            StorageType::I8 if signed => FieldKind::I8S,
            StorageType::I8 => FieldKind::I8U,
            StorageType::I16 if signed => FieldKind::I16S,
            StorageType::I16 => FieldKind::I16U,
            StorageType::Val(ValType::I32 | ValType::F32) => FieldKind::W32,
            StorageType::Val(ValType::V128) => FieldKind::W128,
            StorageType::Val(_) => FieldKind::W64,
        }
    }

    /// Decodes the byte stored in an instruction.
    pub fn from_u8(b: u8) -> FieldKind {
        match b {
            0 => FieldKind::I8S,
            1 => FieldKind::I8U,
            2 => FieldKind::I16S,
            3 => FieldKind::I16U,
            4 => FieldKind::W32,
            5 => FieldKind::W64,
            _ => FieldKind::W128,
        }
    }

    /// Bytes one element occupies in an array.
    pub fn size(self) -> usize {
        match self {
            FieldKind::I8S | FieldKind::I8U => 1,
            FieldKind::I16S | FieldKind::I16U => 2,
            FieldKind::W32 => 4,
            FieldKind::W64 => 8,
            FieldKind::W128 => 16,
        }
    }

    /// Cells a value of this kind takes in a frame.
    pub fn cells(self) -> u8 {
        if self == FieldKind::W128 { 2 } else { 1 }
    }

    /// The raw value as read from storage: packed values extended to i32.
    pub fn extend(self, raw: u128) -> u128 {
        match self {
            FieldKind::I8S => raw as u8 as i8 as i32 as u32 as u128,
            FieldKind::I8U => raw as u8 as u128,
            FieldKind::I16S => raw as u16 as i16 as i32 as u32 as u128,
            FieldKind::I16U => raw as u16 as u128,
            FieldKind::W32 => raw as u32 as u128,
            FieldKind::W64 => raw as u64 as u128,
            FieldKind::W128 => raw,
        }
    }
}

/// A `try_table` region and its catch clauses.
#[derive(Debug, Clone)]
pub struct Handler {
    /// First instruction index covered.
    pub start: u32,
    /// One past the last instruction index covered.
    pub end: u32,
    /// The clauses, tried in order.
    pub catches: Box<[Catch]>,
}

/// One catch clause: where a matching exception's values go and where
/// execution continues.
#[derive(Debug, Clone, Copy)]
pub struct Catch {
    /// The tag (module index) it catches, or `None` for `catch_all`.
    pub tag: Option<u32>,
    /// Whether the exception reference is passed after the payload.
    pub with_ref: bool,
    /// First slot of the label's values.
    pub dest: Slot,
    /// Instruction index to continue at.
    pub target: u32,
}
