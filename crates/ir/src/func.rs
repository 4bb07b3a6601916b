//! A translated function: its code and the frame layout it needs.

use crate::instr::Instr;
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
}
