//! Constants that loops read, kept in frame slots of their own.
//!
//! Why: a constant operand that cannot become an instruction's immediate
//! (a stored value, an address, a float, the left side of a subtraction) is
//! written to a temporary by a `Const32` or `Const64` wherever it is used,
//! and inside a loop that is one more dispatch per iteration (`a[j] = 1` in
//! a sieve). Instead, a scan before translation lists the constants loops
//! will read from a slot, and the function's entry writes each of them once
//! (`ConstInit`) to a slot after the locals, which neither temporaries nor
//! calls reuse.
//!
//! The scan only predicts: a listed constant that ends up an immediate
//! costs one cell written per call, and one it missed is written where it
//! is used, as before.

use super::numeric::imm_form;
use alloc::vec::Vec;
use mote_environ::wasmparser::{BinaryReader, Operator as O, OperatorsReader};

/// At most this many constants per function get slots: the entry writes
/// them all on every call.
const MAX_LOOP_CONSTS: usize = 16;

/// The cells of the constants that loops in the body at `reader` (after
/// its locals) read from a slot, in order of first use. Malformed code ends
/// the scan: the translation reports it.
pub(super) fn loop_constants(reader: BinaryReader<'_>) -> Vec<u64> {
    let mut consts = Vec::new();
    // Per open block: whether it is a loop.
    let mut blocks: Vec<bool> = Vec::new();
    let mut loops = 0usize;
    let mut ops = OperatorsReader::new(reader);
    let mut next = ops.read().ok();
    while let Some(op) = next.take() {
        next = if ops.eof() { None } else { ops.read().ok() };
        let cell = match op {
            O::Block { .. } | O::If { .. } | O::TryTable { .. } => {
                blocks.push(false);
                continue;
            }
            O::Loop { .. } => {
                blocks.push(true);
                loops += 1;
                continue;
            }
            O::End => {
                if blocks.pop() == Some(true) {
                    loops -= 1;
                }
                continue;
            }
            O::I32Const { value } if loops > 0 => value as u32 as u64,
            O::I64Const { value } if loops > 0 => value as u64,
            O::F32Const { value } if loops > 0 => value.bits() as u64,
            O::F64Const { value } if loops > 0 => value.bits(),
            _ => continue,
        };
        if next.as_ref().is_some_and(writes_constant_elsewhere) || consts.contains(&cell) {
            continue;
        }
        consts.push(cell);
        if consts.len() == MAX_LOOP_CONSTS {
            break;
        }
    }
    consts
}

/// Whether a constant followed by `op` is used without a slot of its own:
/// as an immediate, or written straight to its destination.
fn writes_constant_elsewhere(op: &O<'_>) -> bool {
    matches!(
        op,
        O::LocalSet { .. } | O::LocalTee { .. } | O::GlobalSet { .. } | O::Drop
    ) || imm_form(op).is_some()
}
