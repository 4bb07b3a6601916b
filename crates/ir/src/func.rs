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
    /// Exception handlers (`try_table` regions), in order of their start,
    /// so the innermost region around a point is the last that contains it.
    pub handlers: Box<[Handler]>,
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
