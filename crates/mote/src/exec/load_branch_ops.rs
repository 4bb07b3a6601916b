//! Handlers of the load-and-branch instructions: a 32-bit load from memory
//! 0 into `dst`, then a compare-and-branch of `dst` with `rhs`, in one
//! dispatch (see `mote_ir`'s `fuse.rs`). They neither take nor pass a
//! result register, so the registers flow through unchanged.

use super::dispatch::{Ctx, Exit, Handler, Op, dispatch, trap, uses_other_memory};
use super::slots::*;
use mote_core::TrapCode;
use mote_ir::Instr;

/// Loads `dst` as the plain `I32Load` does (trapping out of bounds), then
/// branches by `offset` if `dst`, as `$t`, compares `$op` to `rhs` (read
/// after the load writes `dst`, as the separate compare read it). The
/// translator fuses these only when memory 0 is a 32-bit memory, so the
/// address is 32 bits and the bounds check one comparison.
macro_rules! load_branch {
    ($fp:ident, $base:ident, $len:ident; $dst:ident = [$addr:ident + $disp:ident]; $op:tt $rhs:ident as $t:tt; $offset:ident) => {{
        // SAFETY: slots per the module contract.
        let a = unsafe { get_u32($fp, $addr) };
        let Some(bytes) = (MemView { base: $base, len: $len }).load32::<4>(a, $disp) else {
            trap!(TrapCode::MemoryOutOfBounds)
        };
        let v = u32::from_le_bytes(bytes);
        // SAFETY: as above.
        unsafe { set_u32($fp, $dst, v) };
        // SAFETY: as above.
        let r = unsafe { get_u32($fp, $rhs) };
        if (v as $t) $op (r as $t) {
            branch!($offset)
        }
        next!()
    }};
}

handlers! {
    ($ ip, fp, mem_base, mem_len, ctx)
    Instr::I32LoadBrEq { dst, addr, rhs, disp, offset } => {
        load_branch!(fp, mem_base, mem_len; dst = [addr + disp]; == rhs as u32; offset)
    },
    Instr::I32LoadBrNe { dst, addr, rhs, disp, offset } => {
        load_branch!(fp, mem_base, mem_len; dst = [addr + disp]; != rhs as u32; offset)
    },
    Instr::I32LoadBrLtS { dst, addr, rhs, disp, offset } => {
        load_branch!(fp, mem_base, mem_len; dst = [addr + disp]; < rhs as i32; offset)
    },
    Instr::I32LoadBrLtU { dst, addr, rhs, disp, offset } => {
        load_branch!(fp, mem_base, mem_len; dst = [addr + disp]; < rhs as u32; offset)
    },
    Instr::I32LoadBrGtS { dst, addr, rhs, disp, offset } => {
        load_branch!(fp, mem_base, mem_len; dst = [addr + disp]; > rhs as i32; offset)
    },
    Instr::I32LoadBrGtU { dst, addr, rhs, disp, offset } => {
        load_branch!(fp, mem_base, mem_len; dst = [addr + disp]; > rhs as u32; offset)
    },
    Instr::I32LoadBrLeS { dst, addr, rhs, disp, offset } => {
        load_branch!(fp, mem_base, mem_len; dst = [addr + disp]; <= rhs as i32; offset)
    },
    Instr::I32LoadBrLeU { dst, addr, rhs, disp, offset } => {
        load_branch!(fp, mem_base, mem_len; dst = [addr + disp]; <= rhs as u32; offset)
    },
    Instr::I32LoadBrGeS { dst, addr, rhs, disp, offset } => {
        load_branch!(fp, mem_base, mem_len; dst = [addr + disp]; >= rhs as i32; offset)
    },
    Instr::I32LoadBrGeU { dst, addr, rhs, disp, offset } => {
        load_branch!(fp, mem_base, mem_len; dst = [addr + disp]; >= rhs as u32; offset)
    },
}
