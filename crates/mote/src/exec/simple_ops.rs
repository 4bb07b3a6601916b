//! Handlers of the simple instructions: arithmetic, comparisons,
//! conversions, lane operations, loads, stores and fused compare-and-branch.
//! Each reads its operand slots, writes its result and jumps to the next
//! instruction; the only way out is a trap.

use super::dispatch::{Ctx, Exit, Handler, Op, dispatch, trap, uses_other_memory};
use super::slots::*;
use mote_core::{TrapCode, num};
use mote_ir::Instr;

handlers! {
    ($ ip, fp, mem_base, mem_len, ctx)
    Instr::Copy { dst, src } => unop!(dst, src, get, set, |v| v),
    Instr::Copy128 { dst, src } => unop!(dst, src, get_v128, set_v128, |v| v),
    Instr::Copy2 { dst0, src0, dst1, src1 } => {
        // SAFETY: slots per the module contract; in order, as two copies.
        unsafe {
            set(fp, dst0, get(fp, src0));
            set(fp, dst1, get(fp, src1));
        }
        next!()
    },
    Instr::I32AddImm2 { a, b, imm_a, imm_b } => {
        // SAFETY: slots per the module contract; in order, as two additions.
        unsafe {
            set_u32(fp, a, get_u32(fp, a).wrapping_add(imm_a as u32));
            set_u32(fp, b, get_u32(fp, b).wrapping_add(imm_b as u32));
        }
        next!()
    },
    Instr::I32AddImmTee { dst, lhs, imm, tee } => {
        // SAFETY: slots per the module contract.
        unsafe {
            let sum = get_u32(fp, lhs).wrapping_add(imm as u32);
            set_u32(fp, dst, sum);
            set_u32(fp, tee, sum);
        }
        next!()
    },
    Instr::RefIsNull { dst, src } => unop!(dst, src, get, set_bool, |r| r == 0),
    Instr::RefEq { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set_bool, |a, b| a == b),
    // Memory 0 at `addr + imm` or `base + index` (wrapping at 32 bits), plus `offset`.
    Instr::I32LoadAt { dst, addr, imm, offset } => {
        load_at!(dst, addr, imm, offset, 4, |b| u32::from_le_bytes(b) as u64)
    },
    Instr::I32LoadIdx { dst, base, index, offset } => {
        load_idx!(dst, base, index, offset, 4, |b| u32::from_le_bytes(b) as u64)
    },
    Instr::I64LoadAt { dst, addr, imm, offset } => {
        load_at!(dst, addr, imm, offset, 8, |b| u64::from_le_bytes(b))
    },
    Instr::I64LoadIdx { dst, base, index, offset } => {
        load_idx!(dst, base, index, offset, 8, |b| u64::from_le_bytes(b))
    },
    Instr::F32LoadAt { dst, addr, imm, offset } => {
        load_at!(dst, addr, imm, offset, 4, |b| u32::from_le_bytes(b) as u64)
    },
    Instr::F32LoadIdx { dst, base, index, offset } => {
        load_idx!(dst, base, index, offset, 4, |b| u32::from_le_bytes(b) as u64)
    },
    Instr::F64LoadAt { dst, addr, imm, offset } => {
        load_at!(dst, addr, imm, offset, 8, |b| u64::from_le_bytes(b))
    },
    Instr::F64LoadIdx { dst, base, index, offset } => {
        load_idx!(dst, base, index, offset, 8, |b| u64::from_le_bytes(b))
    },
    Instr::I32Load8SAt { dst, addr, imm, offset } => {
        load_at!(dst, addr, imm, offset, 1, |b| b[0] as i8 as i32 as u32 as u64)
    },
    Instr::I32Load8SIdx { dst, base, index, offset } => {
        load_idx!(dst, base, index, offset, 1, |b| b[0] as i8 as i32 as u32 as u64)
    },
    Instr::I32Load8UAt { dst, addr, imm, offset } => {
        load_at!(dst, addr, imm, offset, 1, |b| b[0] as u64)
    },
    Instr::I32Load8UIdx { dst, base, index, offset } => {
        load_idx!(dst, base, index, offset, 1, |b| b[0] as u64)
    },
    Instr::I32Load16SAt { dst, addr, imm, offset } => {
        load_at!(dst, addr, imm, offset, 2, |b| i16::from_le_bytes(b) as i32 as u32 as u64)
    },
    Instr::I32Load16SIdx { dst, base, index, offset } => {
        load_idx!(dst, base, index, offset, 2, |b| i16::from_le_bytes(b) as i32 as u32 as u64)
    },
    Instr::I32Load16UAt { dst, addr, imm, offset } => {
        load_at!(dst, addr, imm, offset, 2, |b| u16::from_le_bytes(b) as u64)
    },
    Instr::I32Load16UIdx { dst, base, index, offset } => {
        load_idx!(dst, base, index, offset, 2, |b| u16::from_le_bytes(b) as u64)
    },
    Instr::I64Load8SAt { dst, addr, imm, offset } => {
        load_at!(dst, addr, imm, offset, 1, |b| b[0] as i8 as i64 as u64)
    },
    Instr::I64Load8SIdx { dst, base, index, offset } => {
        load_idx!(dst, base, index, offset, 1, |b| b[0] as i8 as i64 as u64)
    },
    Instr::I64Load8UAt { dst, addr, imm, offset } => {
        load_at!(dst, addr, imm, offset, 1, |b| b[0] as u64)
    },
    Instr::I64Load8UIdx { dst, base, index, offset } => {
        load_idx!(dst, base, index, offset, 1, |b| b[0] as u64)
    },
    Instr::I64Load16SAt { dst, addr, imm, offset } => {
        load_at!(dst, addr, imm, offset, 2, |b| i16::from_le_bytes(b) as i64 as u64)
    },
    Instr::I64Load16SIdx { dst, base, index, offset } => {
        load_idx!(dst, base, index, offset, 2, |b| i16::from_le_bytes(b) as i64 as u64)
    },
    Instr::I64Load16UAt { dst, addr, imm, offset } => {
        load_at!(dst, addr, imm, offset, 2, |b| u16::from_le_bytes(b) as u64)
    },
    Instr::I64Load16UIdx { dst, base, index, offset } => {
        load_idx!(dst, base, index, offset, 2, |b| u16::from_le_bytes(b) as u64)
    },
    Instr::I64Load32SAt { dst, addr, imm, offset } => {
        load_at!(dst, addr, imm, offset, 4, |b| i32::from_le_bytes(b) as i64 as u64)
    },
    Instr::I64Load32SIdx { dst, base, index, offset } => {
        load_idx!(dst, base, index, offset, 4, |b| i32::from_le_bytes(b) as i64 as u64)
    },
    Instr::I64Load32UAt { dst, addr, imm, offset } => {
        load_at!(dst, addr, imm, offset, 4, |b| u32::from_le_bytes(b) as u64)
    },
    Instr::I64Load32UIdx { dst, base, index, offset } => {
        load_idx!(dst, base, index, offset, 4, |b| u32::from_le_bytes(b) as u64)
    },
    Instr::F32AddLoad { dst, lhs, addr, offset } => {
        binop_load!(dst, lhs, addr, offset, 4, get_f32, set_f32, |b| f32::from_bits(u32::from_le_bytes(b)), |x, m| x + m)
    },
    Instr::F32AddLoadAt { dst, lhs, addr, imm, offset } => {
        binop_load_at!(dst, lhs, addr, imm, offset, 4, get_f32, set_f32, |b| f32::from_bits(u32::from_le_bytes(b)), |x, m| x + m)
    },
    Instr::F32SubLoad { dst, lhs, addr, offset } => {
        binop_load!(dst, lhs, addr, offset, 4, get_f32, set_f32, |b| f32::from_bits(u32::from_le_bytes(b)), |x, m| x - m)
    },
    Instr::F32SubLoadAt { dst, lhs, addr, imm, offset } => {
        binop_load_at!(dst, lhs, addr, imm, offset, 4, get_f32, set_f32, |b| f32::from_bits(u32::from_le_bytes(b)), |x, m| x - m)
    },
    Instr::F32MulLoad { dst, lhs, addr, offset } => {
        binop_load!(dst, lhs, addr, offset, 4, get_f32, set_f32, |b| f32::from_bits(u32::from_le_bytes(b)), |x, m| x * m)
    },
    Instr::F32MulLoadAt { dst, lhs, addr, imm, offset } => {
        binop_load_at!(dst, lhs, addr, imm, offset, 4, get_f32, set_f32, |b| f32::from_bits(u32::from_le_bytes(b)), |x, m| x * m)
    },
    Instr::F64AddLoad { dst, lhs, addr, offset } => {
        binop_load!(dst, lhs, addr, offset, 8, get_f64, set_f64, |b| f64::from_bits(u64::from_le_bytes(b)), |x, m| x + m)
    },
    Instr::F64AddLoadAt { dst, lhs, addr, imm, offset } => {
        binop_load_at!(dst, lhs, addr, imm, offset, 8, get_f64, set_f64, |b| f64::from_bits(u64::from_le_bytes(b)), |x, m| x + m)
    },
    Instr::F64SubLoad { dst, lhs, addr, offset } => {
        binop_load!(dst, lhs, addr, offset, 8, get_f64, set_f64, |b| f64::from_bits(u64::from_le_bytes(b)), |x, m| x - m)
    },
    Instr::F64SubLoadAt { dst, lhs, addr, imm, offset } => {
        binop_load_at!(dst, lhs, addr, imm, offset, 8, get_f64, set_f64, |b| f64::from_bits(u64::from_le_bytes(b)), |x, m| x - m)
    },
    Instr::F64MulLoad { dst, lhs, addr, offset } => {
        binop_load!(dst, lhs, addr, offset, 8, get_f64, set_f64, |b| f64::from_bits(u64::from_le_bytes(b)), |x, m| x * m)
    },
    Instr::F64MulLoadAt { dst, lhs, addr, imm, offset } => {
        binop_load_at!(dst, lhs, addr, imm, offset, 8, get_f64, set_f64, |b| f64::from_bits(u64::from_le_bytes(b)), |x, m| x * m)
    },
    Instr::I32StoreAt { addr, value, imm, offset } => {
        store_at!(addr, value, imm, offset, 4, |v| (v as u32).to_le_bytes())
    },
    Instr::I32StoreIdx { base, index, value, offset } => {
        store_idx!(base, index, value, offset, 4, |v| (v as u32).to_le_bytes())
    },
    Instr::I64StoreAt { addr, value, imm, offset } => {
        store_at!(addr, value, imm, offset, 8, |v| v.to_le_bytes())
    },
    Instr::I64StoreIdx { base, index, value, offset } => {
        store_idx!(base, index, value, offset, 8, |v| v.to_le_bytes())
    },
    Instr::F32StoreAt { addr, value, imm, offset } => {
        store_at!(addr, value, imm, offset, 4, |v| (v as u32).to_le_bytes())
    },
    Instr::F32StoreIdx { base, index, value, offset } => {
        store_idx!(base, index, value, offset, 4, |v| (v as u32).to_le_bytes())
    },
    Instr::F64StoreAt { addr, value, imm, offset } => {
        store_at!(addr, value, imm, offset, 8, |v| v.to_le_bytes())
    },
    Instr::F64StoreIdx { base, index, value, offset } => {
        store_idx!(base, index, value, offset, 8, |v| v.to_le_bytes())
    },
    Instr::I32Store8At { addr, value, imm, offset } => {
        store_at!(addr, value, imm, offset, 1, |v| [v as u8])
    },
    Instr::I32Store8Idx { base, index, value, offset } => {
        store_idx!(base, index, value, offset, 1, |v| [v as u8])
    },
    Instr::I32Store16At { addr, value, imm, offset } => {
        store_at!(addr, value, imm, offset, 2, |v| (v as u16).to_le_bytes())
    },
    Instr::I32Store16Idx { base, index, value, offset } => {
        store_idx!(base, index, value, offset, 2, |v| (v as u16).to_le_bytes())
    },
    Instr::I64Store8At { addr, value, imm, offset } => {
        store_at!(addr, value, imm, offset, 1, |v| [v as u8])
    },
    Instr::I64Store8Idx { base, index, value, offset } => {
        store_idx!(base, index, value, offset, 1, |v| [v as u8])
    },
    Instr::I64Store16At { addr, value, imm, offset } => {
        store_at!(addr, value, imm, offset, 2, |v| (v as u16).to_le_bytes())
    },
    Instr::I64Store16Idx { base, index, value, offset } => {
        store_idx!(base, index, value, offset, 2, |v| (v as u16).to_le_bytes())
    },
    Instr::I64Store32At { addr, value, imm, offset } => {
        store_at!(addr, value, imm, offset, 4, |v| (v as u32).to_le_bytes())
    },
    Instr::I64Store32Idx { base, index, value, offset } => {
        store_idx!(base, index, value, offset, 4, |v| (v as u32).to_le_bytes())
    },
    Instr::I32Load { dst, addr, mem, offset } => {
        load!(dst, addr, mem, offset, 4, |b| u32::from_le_bytes(b) as u64)
    },
    Instr::I64Load { dst, addr, mem, offset } => load!(dst, addr, mem, offset, 8, |b| u64::from_le_bytes(b)),
    Instr::F32Load { dst, addr, mem, offset } => {
        load!(dst, addr, mem, offset, 4, |b| u32::from_le_bytes(b) as u64)
    },
    Instr::F64Load { dst, addr, mem, offset } => load!(dst, addr, mem, offset, 8, |b| u64::from_le_bytes(b)),
    Instr::I32Load8S { dst, addr, mem, offset } => {
        load!(dst, addr, mem, offset, 1, |b| b[0] as i8 as i32 as u32 as u64)
    },
    Instr::I32Load8U { dst, addr, mem, offset } => load!(dst, addr, mem, offset, 1, |b| b[0] as u64),
    Instr::I32Load16S { dst, addr, mem, offset } => {
        load!(dst, addr, mem, offset, 2, |b| i16::from_le_bytes(b) as i32 as u32
            as u64)
    },
    Instr::I32Load16U { dst, addr, mem, offset } => {
        load!(dst, addr, mem, offset, 2, |b| u16::from_le_bytes(b) as u64)
    },
    Instr::I64Load8S { dst, addr, mem, offset } => {
        load!(dst, addr, mem, offset, 1, |b| b[0] as i8 as i64 as u64)
    },
    Instr::I64Load8U { dst, addr, mem, offset } => load!(dst, addr, mem, offset, 1, |b| b[0] as u64),
    Instr::I64Load16S { dst, addr, mem, offset } => {
        load!(dst, addr, mem, offset, 2, |b| i16::from_le_bytes(b) as i64 as u64)
    },
    Instr::I64Load16U { dst, addr, mem, offset } => {
        load!(dst, addr, mem, offset, 2, |b| u16::from_le_bytes(b) as u64)
    },
    Instr::I64Load32S { dst, addr, mem, offset } => {
        load!(dst, addr, mem, offset, 4, |b| i32::from_le_bytes(b) as i64 as u64)
    },
    Instr::I64Load32U { dst, addr, mem, offset } => {
        load!(dst, addr, mem, offset, 4, |b| u32::from_le_bytes(b) as u64)
    },
    Instr::I32Store {
        addr,
        value,
        mem,
        offset,
    } => store!(addr, value, mem, offset, 4, |v| (v as u32).to_le_bytes()),
    Instr::I64Store {
        addr,
        value,
        mem,
        offset,
    } => store!(addr, value, mem, offset, 8, |v| v.to_le_bytes()),
    Instr::F32Store {
        addr,
        value,
        mem,
        offset,
    } => store!(addr, value, mem, offset, 4, |v| (v as u32).to_le_bytes()),
    Instr::F64Store {
        addr,
        value,
        mem,
        offset,
    } => store!(addr, value, mem, offset, 8, |v| v.to_le_bytes()),
    Instr::I32Store8 {
        addr,
        value,
        mem,
        offset,
    } => store!(addr, value, mem, offset, 1, |v| [v as u8]),
    Instr::I32Store16 {
        addr,
        value,
        mem,
        offset,
    } => store!(addr, value, mem, offset, 2, |v| (v as u16).to_le_bytes()),
    Instr::I64Store8 {
        addr,
        value,
        mem,
        offset,
    } => store!(addr, value, mem, offset, 1, |v| [v as u8]),
    Instr::I64Store16 {
        addr,
        value,
        mem,
        offset,
    } => store!(addr, value, mem, offset, 2, |v| (v as u16).to_le_bytes()),
    Instr::I64Store32 {
        addr,
        value,
        mem,
        offset,
    } => store!(addr, value, mem, offset, 4, |v| (v as u32).to_le_bytes()),
    Instr::I32Eqz { dst, src } => unop!(dst, src, get_u32, set_bool, |a| a == 0),
    Instr::I32Eq { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_bool, |a, b| a == b),
    Instr::I32Ne { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_bool, |a, b| a != b),
    Instr::I32LtS { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_i32, set_bool, |a, b| a < b),
    Instr::I32LtU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_bool, |a, b| a < b),
    Instr::I32GtS { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_i32, set_bool, |a, b| a > b),
    Instr::I32GtU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_bool, |a, b| a > b),
    Instr::I32LeS { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_i32, set_bool, |a, b| a <= b),
    Instr::I32LeU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_bool, |a, b| a <= b),
    Instr::I32GeS { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_i32, set_bool, |a, b| a >= b),
    Instr::I32GeU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_bool, |a, b| a >= b),
    Instr::I32Clz { dst, src } => unop!(dst, src, get_u32, set_u32, |a| a.leading_zeros()),
    Instr::I32Ctz { dst, src } => unop!(dst, src, get_u32, set_u32, |a| a.trailing_zeros()),
    Instr::I32Popcnt { dst, src } => unop!(dst, src, get_u32, set_u32, |a| a.count_ones()),
    Instr::I32Add { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a.wrapping_add(b)),
    Instr::I32Sub { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a.wrapping_sub(b)),
    Instr::I32Mul { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a.wrapping_mul(b)),
    Instr::I32DivS { dst, lhs, rhs } => binop_trap!(dst, lhs, rhs, get_i32, set_i32, num::i32_div_s),
    Instr::I32DivU { dst, lhs, rhs } => binop_trap!(dst, lhs, rhs, get_u32, set_u32, num::i32_div_u),
    Instr::I32RemS { dst, lhs, rhs } => binop_trap!(dst, lhs, rhs, get_i32, set_i32, num::i32_rem_s),
    Instr::I32RemU { dst, lhs, rhs } => binop_trap!(dst, lhs, rhs, get_u32, set_u32, num::i32_rem_u),
    Instr::I32And { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a & b),
    Instr::I32Or { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a | b),
    Instr::I32Xor { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a ^ b),
    Instr::I32Shl { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a.wrapping_shl(b)),
    Instr::I32ShrS { dst, lhs, rhs } => {
        binop!(dst, lhs, rhs, get_i32, set_i32, |a, b| a.wrapping_shr(b as u32))
    },
    Instr::I32ShrU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a.wrapping_shr(b)),
    Instr::I32Rotl { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a.rotate_left(b)),
    Instr::I32Rotr { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a.rotate_right(b)),
    Instr::I32AddImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_u32, |a| a.wrapping_add(imm as u32)),
    Instr::I32MulImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_u32, |a| a.wrapping_mul(imm as u32)),
    Instr::I32AndImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_u32, |a| a & imm as u32),
    Instr::I32OrImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_u32, |a| a | imm as u32),
    Instr::I32XorImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_u32, |a| a ^ imm as u32),
    Instr::I32AddShlImm { dst, base, index, imm } => {
        let base: u32 = input!(0, base, get_u32);
        let index: u32 = input!(1, index, get_u32);
        let passed = output!(dst, set_u32, base.wrapping_add(index.wrapping_shl(imm as u32)));
        next!(passed)
    },
    Instr::I32ShlImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_u32, |a| a.wrapping_shl(imm as u32)),
    Instr::I32ShrSImm { dst, lhs, imm } => unop!(dst, lhs, get_i32, set_i32, |a| a.wrapping_shr(imm as u32)),
    Instr::I32ShrUImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_u32, |a| a.wrapping_shr(imm as u32)),
    // A right rotation is translated as a left one by the negated amount.
    Instr::I32RotlImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_u32, |a| a.rotate_left(imm as u32)),
    Instr::I32EqImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_bool, |a| a == imm as u32),
    Instr::I32NeImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_bool, |a| a != imm as u32),
    Instr::I32LtSImm { dst, lhs, imm } => unop!(dst, lhs, get_i32, set_bool, |a| a < imm),
    Instr::I32LtUImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_bool, |a| a < imm as u32),
    Instr::I32GtSImm { dst, lhs, imm } => unop!(dst, lhs, get_i32, set_bool, |a| a > imm),
    Instr::I32GtUImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_bool, |a| a > imm as u32),
    Instr::I32LeSImm { dst, lhs, imm } => unop!(dst, lhs, get_i32, set_bool, |a| a <= imm),
    Instr::I32LeUImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_bool, |a| a <= imm as u32),
    Instr::I32GeSImm { dst, lhs, imm } => unop!(dst, lhs, get_i32, set_bool, |a| a >= imm),
    Instr::I32GeUImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_bool, |a| a >= imm as u32),
    Instr::I64AddImm { dst, lhs, imm } => unop!(dst, lhs, get, set, |a| a.wrapping_add(imm as i64 as u64)),
    Instr::I64MulImm { dst, lhs, imm } => unop!(dst, lhs, get, set, |a| a.wrapping_mul(imm as i64 as u64)),
    Instr::I64AndImm { dst, lhs, imm } => unop!(dst, lhs, get, set, |a| a & imm as i64 as u64),
    Instr::I64OrImm { dst, lhs, imm } => unop!(dst, lhs, get, set, |a| a | imm as i64 as u64),
    Instr::I64XorImm { dst, lhs, imm } => unop!(dst, lhs, get, set, |a| a ^ imm as i64 as u64),
    Instr::I64ShlImm { dst, lhs, imm } => unop!(dst, lhs, get, set, |a| a.wrapping_shl(imm as u32)),
    Instr::I64ShrSImm { dst, lhs, imm } => unop!(dst, lhs, get_i64, set_i64, |a| a.wrapping_shr(imm as u32)),
    Instr::I64ShrUImm { dst, lhs, imm } => unop!(dst, lhs, get, set, |a| a.wrapping_shr(imm as u32)),
    Instr::I64RotlImm { dst, lhs, imm } => unop!(dst, lhs, get, set, |a| a.rotate_left(imm as u32)),
    Instr::I64EqImm { dst, lhs, imm } => unop!(dst, lhs, get_i64, set_bool, |a| a == imm as i64),
    Instr::I64NeImm { dst, lhs, imm } => unop!(dst, lhs, get_i64, set_bool, |a| a != imm as i64),
    Instr::I64LtSImm { dst, lhs, imm } => unop!(dst, lhs, get_i64, set_bool, |a| a < imm as i64),
    Instr::I64LtUImm { dst, lhs, imm } => unop!(dst, lhs, get, set_bool, |a| a < imm as i64 as u64),
    Instr::I64GtSImm { dst, lhs, imm } => unop!(dst, lhs, get_i64, set_bool, |a| a > imm as i64),
    Instr::I64GtUImm { dst, lhs, imm } => unop!(dst, lhs, get, set_bool, |a| a > imm as i64 as u64),
    Instr::I64LeSImm { dst, lhs, imm } => unop!(dst, lhs, get_i64, set_bool, |a| a <= imm as i64),
    Instr::I64LeUImm { dst, lhs, imm } => unop!(dst, lhs, get, set_bool, |a| a <= imm as i64 as u64),
    Instr::I64GeSImm { dst, lhs, imm } => unop!(dst, lhs, get_i64, set_bool, |a| a >= imm as i64),
    Instr::I64GeUImm { dst, lhs, imm } => unop!(dst, lhs, get, set_bool, |a| a >= imm as i64 as u64),
    Instr::BrI32Eq { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_u32, |a, b| a == b),
    Instr::BrI32Ne { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_u32, |a, b| a != b),
    Instr::BrI32LtS { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_i32, |a, b| a < b),
    Instr::BrI32LtU { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_u32, |a, b| a < b),
    Instr::BrI32GtS { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_i32, |a, b| a > b),
    Instr::BrI32GtU { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_u32, |a, b| a > b),
    Instr::BrI32LeS { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_i32, |a, b| a <= b),
    Instr::BrI32LeU { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_u32, |a, b| a <= b),
    Instr::BrI32GeS { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_i32, |a, b| a >= b),
    Instr::BrI32GeU { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_u32, |a, b| a >= b),
    Instr::BrI64Eq { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get, |a, b| a == b),
    Instr::BrI64Ne { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get, |a, b| a != b),
    Instr::BrI64LtS { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_i64, |a, b| a < b),
    Instr::BrI64LtU { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get, |a, b| a < b),
    Instr::BrI64GtS { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_i64, |a, b| a > b),
    Instr::BrI64GtU { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get, |a, b| a > b),
    Instr::BrI64LeS { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_i64, |a, b| a <= b),
    Instr::BrI64LeU { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get, |a, b| a <= b),
    Instr::BrI64GeS { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_i64, |a, b| a >= b),
    Instr::BrI64GeU { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get, |a, b| a >= b),
    Instr::BrI32EqImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_u32, |a| a == imm as u32),
    Instr::BrI32NeImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_u32, |a| a != imm as u32),
    Instr::BrI32LtSImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i32, |a| a < imm),
    Instr::BrI32LtUImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_u32, |a| a < imm as u32),
    Instr::BrI32GtSImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i32, |a| a > imm),
    Instr::BrI32GtUImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_u32, |a| a > imm as u32),
    Instr::BrI32LeSImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i32, |a| a <= imm),
    Instr::BrI32LeUImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_u32, |a| a <= imm as u32),
    Instr::BrI32GeSImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i32, |a| a >= imm),
    Instr::BrI32GeUImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_u32, |a| a >= imm as u32),
    Instr::BrI64EqImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i64, |a| a == imm as i64),
    Instr::BrI64NeImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i64, |a| a != imm as i64),
    Instr::BrI64LtSImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i64, |a| a < imm as i64),
    Instr::BrI64LtUImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get, |a| a < imm as i64 as u64),
    Instr::BrI64GtSImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i64, |a| a > imm as i64),
    Instr::BrI64GtUImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get, |a| a > imm as i64 as u64),
    Instr::BrI64LeSImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i64, |a| a <= imm as i64),
    Instr::BrI64LeUImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get, |a| a <= imm as i64 as u64),
    Instr::BrI64GeSImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i64, |a| a >= imm as i64),
    Instr::BrI64GeUImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get, |a| a >= imm as i64 as u64),
    Instr::I64Eqz { dst, src } => unop!(dst, src, get, set_bool, |a| a == 0),
    Instr::I64Eq { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set_bool, |a, b| a == b),
    Instr::I64Ne { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set_bool, |a, b| a != b),
    Instr::I64LtS { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_i64, set_bool, |a, b| a < b),
    Instr::I64LtU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set_bool, |a, b| a < b),
    Instr::I64GtS { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_i64, set_bool, |a, b| a > b),
    Instr::I64GtU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set_bool, |a, b| a > b),
    Instr::I64LeS { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_i64, set_bool, |a, b| a <= b),
    Instr::I64LeU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set_bool, |a, b| a <= b),
    Instr::I64GeS { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_i64, set_bool, |a, b| a >= b),
    Instr::I64GeU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set_bool, |a, b| a >= b),
    Instr::I64Clz { dst, src } => unop!(dst, src, get, set, |a| a.leading_zeros() as u64),
    Instr::I64Ctz { dst, src } => unop!(dst, src, get, set, |a| a.trailing_zeros() as u64),
    Instr::I64Popcnt { dst, src } => unop!(dst, src, get, set, |a| a.count_ones() as u64),
    Instr::I64Add { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a.wrapping_add(b)),
    Instr::I64Sub { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a.wrapping_sub(b)),
    Instr::I64Mul { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a.wrapping_mul(b)),
    Instr::I64DivS { dst, lhs, rhs } => binop_trap!(dst, lhs, rhs, get_i64, set_i64, num::i64_div_s),
    Instr::I64DivU { dst, lhs, rhs } => binop_trap!(dst, lhs, rhs, get, set, num::i64_div_u),
    Instr::I64RemS { dst, lhs, rhs } => binop_trap!(dst, lhs, rhs, get_i64, set_i64, num::i64_rem_s),
    Instr::I64RemU { dst, lhs, rhs } => binop_trap!(dst, lhs, rhs, get, set, num::i64_rem_u),
    Instr::I64And { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a & b),
    Instr::I64Or { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a | b),
    Instr::I64Xor { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a ^ b),
    Instr::I64Shl { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a.wrapping_shl(b as u32)),
    Instr::I64ShrS { dst, lhs, rhs } => {
        binop!(dst, lhs, rhs, get_i64, set_i64, |a, b| a.wrapping_shr(b as u32))
    },
    Instr::I64ShrU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a.wrapping_shr(b as u32)),
    Instr::I64Rotl { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a.rotate_left(b as u32)),
    Instr::I64Rotr { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a.rotate_right(b as u32)),
    Instr::F32Eq { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_bool, |a, b| a == b),
    Instr::F32Ne { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_bool, |a, b| a != b),
    Instr::F32Lt { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_bool, |a, b| a < b),
    Instr::F32Gt { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_bool, |a, b| a > b),
    Instr::F32Le { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_bool, |a, b| a <= b),
    Instr::F32Ge { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_bool, |a, b| a >= b),
    Instr::F32Abs { dst, src } => unop!(dst, src, get_u32, set_u32, |a| a & 0x7fff_ffff),
    Instr::F32Neg { dst, src } => unop!(dst, src, get_u32, set_u32, |a| a ^ 0x8000_0000),
    Instr::F32Ceil { dst, src } => unop!(dst, src, get_f32, set_f32, |a| num::f32_ceil(a)),
    Instr::F32Floor { dst, src } => unop!(dst, src, get_f32, set_f32, |a| num::f32_floor(a)),
    Instr::F32Trunc { dst, src } => unop!(dst, src, get_f32, set_f32, |a| num::f32_trunc(a)),
    Instr::F32Nearest { dst, src } => unop!(dst, src, get_f32, set_f32, |a| num::f32_nearest(a)),
    Instr::F32Sqrt { dst, src } => unop!(dst, src, get_f32, set_f32, |a| num::f32_sqrt(a)),
    Instr::F32Add { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_f32, |a, b| a + b),
    Instr::F32Sub { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_f32, |a, b| a - b),
    Instr::F32Mul { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_f32, |a, b| a * b),
    Instr::F32Div { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_f32, |a, b| a / b),
    Instr::F32Min { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_f32, |a, b| num::f32_min(a, b)),
    Instr::F32Max { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_f32, |a, b| num::f32_max(a, b)),
    Instr::F32Copysign { dst, lhs, rhs } => {
        binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| (a & 0x7fff_ffff)
            | (b & 0x8000_0000))
    },
    Instr::F64Eq { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_bool, |a, b| a == b),
    Instr::F64Ne { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_bool, |a, b| a != b),
    Instr::F64Lt { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_bool, |a, b| a < b),
    Instr::F64Gt { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_bool, |a, b| a > b),
    Instr::F64Le { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_bool, |a, b| a <= b),
    Instr::F64Ge { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_bool, |a, b| a >= b),
    Instr::F64Abs { dst, src } => unop!(dst, src, get, set, |a| a & 0x7fff_ffff_ffff_ffff),
    Instr::F64Neg { dst, src } => unop!(dst, src, get, set, |a| a ^ 0x8000_0000_0000_0000),
    Instr::F64Ceil { dst, src } => unop!(dst, src, get_f64, set_f64, |a| num::f64_ceil(a)),
    Instr::F64Floor { dst, src } => unop!(dst, src, get_f64, set_f64, |a| num::f64_floor(a)),
    Instr::F64Trunc { dst, src } => unop!(dst, src, get_f64, set_f64, |a| num::f64_trunc(a)),
    Instr::F64Nearest { dst, src } => unop!(dst, src, get_f64, set_f64, |a| num::f64_nearest(a)),
    Instr::F64Sqrt { dst, src } => unop!(dst, src, get_f64, set_f64, |a| num::f64_sqrt(a)),
    Instr::F64Add { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_f64, |a, b| a + b),
    Instr::F64Sub { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_f64, |a, b| a - b),
    Instr::F64Mul { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_f64, |a, b| a * b),
    Instr::F64Div { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_f64, |a, b| a / b),
    Instr::F64Min { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_f64, |a, b| num::f64_min(a, b)),
    Instr::F64Max { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_f64, |a, b| num::f64_max(a, b)),
    Instr::F64Copysign { dst, lhs, rhs } => {
        binop!(dst, lhs, rhs, get, set, |a, b| (a & !(1 << 63)) | (b & (1 << 63)))
    },
    Instr::I32WrapI64 { dst, src } => unop!(dst, src, get, set_u32, |a| a as u32),
    Instr::I64ExtendI32S { dst, src } => unop!(dst, src, get_i32, set_i64, |a| a as i64),
    Instr::I64ExtendI32U { dst, src } => unop!(dst, src, get_u32, set, |a| a as u64),
    Instr::I32TruncF32S { dst, src } => unop_trap!(dst, src, get_f32, set_i32, num::i32_trunc_f32_s),
    Instr::I32TruncF32U { dst, src } => unop_trap!(dst, src, get_f32, set_u32, num::i32_trunc_f32_u),
    Instr::I32TruncF64S { dst, src } => unop_trap!(dst, src, get_f64, set_i32, num::i32_trunc_f64_s),
    Instr::I32TruncF64U { dst, src } => unop_trap!(dst, src, get_f64, set_u32, num::i32_trunc_f64_u),
    Instr::I64TruncF32S { dst, src } => unop_trap!(dst, src, get_f32, set_i64, num::i64_trunc_f32_s),
    Instr::I64TruncF32U { dst, src } => unop_trap!(dst, src, get_f32, set, num::i64_trunc_f32_u),
    Instr::I64TruncF64S { dst, src } => unop_trap!(dst, src, get_f64, set_i64, num::i64_trunc_f64_s),
    Instr::I64TruncF64U { dst, src } => unop_trap!(dst, src, get_f64, set, num::i64_trunc_f64_u),
    Instr::I32TruncSatF32S { dst, src } => unop!(dst, src, get_f32, set_i32, |a| a as i32),
    Instr::I32TruncSatF32U { dst, src } => unop!(dst, src, get_f32, set_u32, |a| a as u32),
    Instr::I32TruncSatF64S { dst, src } => unop!(dst, src, get_f64, set_i32, |a| a as i32),
    Instr::I32TruncSatF64U { dst, src } => unop!(dst, src, get_f64, set_u32, |a| a as u32),
    Instr::I64TruncSatF32S { dst, src } => unop!(dst, src, get_f32, set_i64, |a| a as i64),
    Instr::I64TruncSatF32U { dst, src } => unop!(dst, src, get_f32, set, |a| a as u64),
    Instr::I64TruncSatF64S { dst, src } => unop!(dst, src, get_f64, set_i64, |a| a as i64),
    Instr::I64TruncSatF64U { dst, src } => unop!(dst, src, get_f64, set, |a| a as u64),
    Instr::F32ConvertI32S { dst, src } => unop!(dst, src, get_i32, set_f32, |a| a as f32),
    Instr::F32ConvertI32U { dst, src } => unop!(dst, src, get_u32, set_f32, |a| a as f32),
    Instr::F32ConvertI64S { dst, src } => unop!(dst, src, get_i64, set_f32, |a| a as f32),
    Instr::F32ConvertI64U { dst, src } => unop!(dst, src, get, set_f32, |a| a as f32),
    Instr::F32DemoteF64 { dst, src } => unop!(dst, src, get_f64, set_f32, |a| a as f32),
    Instr::F64ConvertI32S { dst, src } => unop!(dst, src, get_i32, set_f64, |a| a as f64),
    Instr::F64ConvertI32U { dst, src } => unop!(dst, src, get_u32, set_f64, |a| a as f64),
    Instr::F64ConvertI64S { dst, src } => unop!(dst, src, get_i64, set_f64, |a| a as f64),
    Instr::F64ConvertI64U { dst, src } => unop!(dst, src, get, set_f64, |a| a as f64),
    Instr::F64PromoteF32 { dst, src } => unop!(dst, src, get_f32, set_f64, |a| a as f64),
    Instr::I32Extend8S { dst, src } => unop!(dst, src, get_u32, set_i32, |a| a as i8 as i32),
    Instr::I32Extend16S { dst, src } => unop!(dst, src, get_u32, set_i32, |a| a as i16 as i32),
    Instr::I64Extend8S { dst, src } => unop!(dst, src, get, set_i64, |a| a as i8 as i64),
    Instr::I64Extend16S { dst, src } => unop!(dst, src, get, set_i64, |a| a as i16 as i64),
    Instr::I64Extend32S { dst, src } => unop!(dst, src, get, set_i64, |a| a as i32 as i64),
    Instr::V128Unary { dst, src, op } => unop!(dst, src, get_v128, set_v128, |a| op.eval(a)),
    Instr::V128Binary { dst, lhs, rhs, op } => binop!(dst, lhs, rhs, get_v128, set_v128, |a, b| op.eval(a, b)),
    Instr::V128Test { dst, src, op } => unop!(dst, src, get_v128, set_u32, |a| op.eval(a)),
    Instr::V128Splat { dst, src, op } => unop!(dst, src, get, set_v128, |a| op.eval(a)),
    Instr::V128ExtractLane { dst, src, op, lane } => unop!(dst, src, get_v128, set, |a| op.eval(a, lane)),
    Instr::RefI31 { dst, src } => unop!(dst, src, get_u32, set, |v| ((v & 0x7fff_ffff) as u64) << 1 | 1),
}
