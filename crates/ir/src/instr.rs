//! The interpreter's instruction set.
//!
//! Operands live in *slots*: 64-bit cells of the current frame, addressed by
//! a `u16` index relative to the frame base. A frame is laid out as
//! `[params | locals | operand temporaries]`; a `v128` takes two adjacent
//! cells. Calls pass arguments by placing them in consecutive slots at the
//! top of the caller's frame, which become the callee's first slots
//! (overlapping frames), and results come back in the same place.
//!
//! Naming: each variant says its operation; fields say the role of each slot
//! (`dst` is written, everything else is read). Branch `offset`s are relative
//! to the branch instruction itself. The categories in [`define_instrs!`]
//! generate the enum and [`Instr::result_slot_mut`], which lets the
//! translator retarget the result of the last instruction (so
//! `local.set` after an operation costs nothing).

use crate::reg_pass::{RegClass, input_class, result_class};
use mote_core::simd::{
    V128Binary, V128ExtractLane, V128LoadExtend, V128ReplaceLane, V128Shift, V128Splat, V128Ternary, V128Test,
    V128Unary,
};

/// A frame-relative cell index.
pub type Slot = u16;

macro_rules! define_instrs {
    (
        binary: [$($bin:ident),* $(,)?],
        unary: [$($un:ident),* $(,)?],
        binary_imm: [$($bimm:ident),* $(,)?],
        branch_cmp: [$($bcmp:ident),* $(,)?],
        branch_cmp_imm: [$($bcmpi:ident),* $(,)?],
        step_branch_cmp: [$($sbc:ident),* $(,)?],
        step_branch_cmp_imm: [$($sbci:ident),* $(,)?],
        add_branch_cmp: [$($abc:ident),* $(,)?],
        load_branch_cmp: [$($lbc:ident),* $(,)?],
        binary_load: [$($bld:ident),* $(,)?],
        binary_load_at: [$($bldat:ident),* $(,)?],
        load: [$($load:ident),* $(,)?],
        store: [$($store:ident),* $(,)?],
        load_at: [$($loadat:ident),* $(,)?],
        store_at: [$($storeat:ident),* $(,)?],
        load_idx: [$($loadidx:ident),* $(,)?],
        store_idx: [$($storeidx:ident),* $(,)?],
        producing: { $($(#[$pmeta:meta])* $pname:ident { $($pfield:ident : $pty:ty),* $(,)? }),* $(,)? },
        other: { $($(#[$ometa:meta])* $oname:ident { $($ofield:ident : $oty:ty),* $(,)? }),* $(,)? } $(,)?
    ) => {
        /// One interpreter instruction. See the module documentation.
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub enum Instr {
            $(
                #[doc = concat!("`", stringify!($bin), "`: `dst = lhs op rhs`")]
                $bin { dst: Slot, lhs: Slot, rhs: Slot },
            )*
            $(
                #[doc = concat!("`", stringify!($un), "`: `dst = op src`")]
                $un { dst: Slot, src: Slot },
            )*
            $(
                #[doc = concat!("`", stringify!($bimm), "`: `dst = lhs op imm` (an `i64` op sign-extends `imm`)")]
                $bimm { dst: Slot, lhs: Slot, imm: i32 },
            )*
            $(
                #[doc = concat!("`", stringify!($bcmp), "`: branch by `offset` if `lhs cmp rhs`")]
                $bcmp { lhs: Slot, rhs: Slot, offset: i32 },
            )*
            $(
                #[doc = concat!("`", stringify!($bcmpi), "`: branch by `offset` if `lhs cmp imm`")]
                $bcmpi { lhs: Slot, imm: i32, offset: i32 },
            )*
            $(
                #[doc = concat!("`", stringify!($sbc), "`: `slot += step`, then branch by `offset` if `slot cmp limit` (a loop latch)")]
                $sbc { slot: Slot, limit: Slot, step: i32, offset: i32 },
            )*
            $(
                #[doc = concat!("`", stringify!($sbci), "`: `slot += step`, then branch by `offset` if `slot cmp limit` (a loop latch)")]
                $sbci { slot: Slot, step: i32, limit: i32, offset: i32 },
            )*
            $(
                #[doc = concat!("`", stringify!($abc), "`: `slot += step` (a slot), then branch by `offset` if `slot cmp limit` (a loop latch)")]
                $abc { slot: Slot, step: Slot, limit: Slot, offset: i32 },
            )*
            $(
                #[doc = concat!("`", stringify!($lbc), "`: `dst = memory[0][addr + disp]` (32 bits; memory 0 is a 32-bit memory), then branch by `offset` if `dst cmp rhs`")]
                $lbc { dst: Slot, addr: Slot, rhs: Slot, disp: u32, offset: i32 },
            )*
            $(
                #[doc = concat!("`", stringify!($bld), "`: `dst = lhs op memory[0][addr + offset]`")]
                $bld { dst: Slot, lhs: Slot, addr: Slot, offset: u32 },
            )*
            $(
                #[doc = concat!("`", stringify!($bldat), "`: `dst = lhs op memory[0][(addr + imm) mod 2^32 + offset]`")]
                $bldat { dst: Slot, lhs: Slot, addr: Slot, imm: i32, offset: u32 },
            )*
            $(
                #[doc = concat!("`", stringify!($load), "`: `dst = memory[mem][addr + offset]`")]
                $load { dst: Slot, addr: Slot, mem: u16, offset: u32 },
            )*
            $(
                #[doc = concat!("`", stringify!($store), "`: `memory[mem][addr + offset] = value`")]
                $store { addr: Slot, value: Slot, mem: u16, offset: u32 },
            )*
            $(
                #[doc = concat!("`", stringify!($loadat), "`: `dst = memory[0][(addr + imm) mod 2^32 + offset]`")]
                $loadat { dst: Slot, addr: Slot, imm: i32, offset: u32 },
            )*
            $(
                #[doc = concat!("`", stringify!($storeat), "`: `memory[0][(addr + imm) mod 2^32 + offset] = value`")]
                $storeat { addr: Slot, value: Slot, imm: i32, offset: u32 },
            )*
            $(
                #[doc = concat!("`", stringify!($loadidx), "`: `dst = memory[0][(base + index) mod 2^32 + offset]`")]
                $loadidx { dst: Slot, base: Slot, index: Slot, offset: u32 },
            )*
            $(
                #[doc = concat!("`", stringify!($storeidx), "`: `memory[0][(base + index) mod 2^32 + offset] = value`")]
                $storeidx { base: Slot, index: Slot, value: Slot, offset: u32 },
            )*
            $(
                #[doc = concat!("`", stringify!($pname), "`: writes `dst`.")]
                $(#[$pmeta])*
                $pname { dst: Slot, $($pfield: $pty),* },
            )*
            $(
                $(#[$ometa])*
                $oname { $($ofield: $oty),* },
            )*
        }

        impl Instr {
            /// The offset of a branch instruction, for patching.
            pub fn branch_offset_mut(&mut self) -> Option<&mut i32> {
                match self {
                    $(Instr::$bcmp { offset, .. } => Some(offset),)*
                    $(Instr::$bcmpi { offset, .. } => Some(offset),)*
                    $(Instr::$sbc { offset, .. } => Some(offset),)*
                    $(Instr::$sbci { offset, .. } => Some(offset),)*
                    $(Instr::$abc { offset, .. } => Some(offset),)*
                    $(Instr::$lbc { offset, .. } => Some(offset),)*
                    Instr::Br { offset }
                    | Instr::I32StepBrNez { offset, .. }
                    | Instr::I32StepBrEqz { offset, .. }
                    | Instr::BrIfNez { offset, .. }
                    | Instr::BrIfEqz { offset, .. }
                    | Instr::BrOnNull { offset, .. }
                    | Instr::BrOnNonNull { offset, .. }
                    | Instr::BrOnCast { offset, .. } => Some(offset),
                    _ => None,
                }
            }

            /// The memory a plain load or store accesses.
            pub fn memory(&self) -> Option<u16> {
                match *self {
                    $(Instr::$load { mem, .. } => Some(mem),)*
                    $(Instr::$store { mem, .. } => Some(mem),)*
                    _ => None,
                }
            }

            /// The result the interpreter passes to the next instruction in
            /// a register as well as in its slot, and that register's class
            /// (see [`crate::reg_pass`]).
            #[inline(always)]
            pub fn reg_result(&self) -> Option<(Slot, RegClass)> {
                match *self {
                    $(Instr::$bin { dst, .. } => Some((dst, const { result_class(stringify!($bin)) })),)*
                    $(Instr::$un { dst, .. } => Some((dst, const { result_class(stringify!($un)) })),)*
                    $(Instr::$bimm { dst, .. } => Some((dst, RegClass::Int)),)*
                    $(Instr::$load { dst, .. } => Some((dst, const { result_class(stringify!($load)) })),)*
                    $(Instr::$bld { dst, .. } => Some((dst, const { result_class(stringify!($bld)) })),)*
                    $(Instr::$bldat { dst, .. } => Some((dst, const { result_class(stringify!($bldat)) })),)*
                    $(Instr::$loadat { dst, .. } => Some((dst, const { result_class(stringify!($loadat)) })),)*
                    $(Instr::$loadidx { dst, .. } => Some((dst, const { result_class(stringify!($loadidx)) })),)*
                    Instr::Select { dst, .. } | Instr::GlobalGet { dst, .. } | Instr::I32AddShlImm { dst, .. } => {
                        Some((dst, RegClass::Int))
                    }
                    _ => None,
                }
            }

            /// The first and second inputs that the interpreter may take from
            /// the register the previous instruction passed its result in,
            /// with the class each is read as (see [`crate::reg_pass`]).
            #[inline(always)]
            pub fn reg_inputs(&self) -> [Option<(Slot, RegClass)>; 2] {
                use RegClass::Int;
                match *self {
                    $(Instr::$bin { lhs, rhs, .. } => {
                        let class = const { input_class(stringify!($bin)) };
                        [Some((lhs, class)), Some((rhs, class))]
                    })*
                    $(Instr::$un { src, .. } => [Some((src, const { input_class(stringify!($un)) })), None],)*
                    $(Instr::$bimm { lhs, .. } => [Some((lhs, Int)), None],)*
                    $(Instr::$bcmp { lhs, rhs, .. } => [Some((lhs, Int)), Some((rhs, Int))],)*
                    $(Instr::$bcmpi { lhs, .. } => [Some((lhs, Int)), None],)*
                    $(Instr::$load { addr, .. } => [Some((addr, Int)), None],)*
                    $(Instr::$bld { lhs, addr, .. } => [Some((lhs, const { input_class(stringify!($bld)) })), Some((addr, Int))],)*
                    $(Instr::$bldat { lhs, addr, .. } => {
                        [Some((lhs, const { input_class(stringify!($bldat)) })), Some((addr, Int))]
                    })*
                    $(Instr::$store { addr, value, .. } => {
                        [Some((addr, Int)), Some((value, const { input_class(stringify!($store)) }))]
                    })*
                    $(Instr::$loadat { addr, .. } => [Some((addr, Int)), None],)*
                    $(Instr::$storeat { addr, value, .. } => {
                        [Some((addr, Int)), Some((value, const { input_class(stringify!($storeat)) }))]
                    })*
                    $(Instr::$loadidx { base, index, .. } => [Some((base, Int)), Some((index, Int))],)*
                    $(Instr::$storeidx { index, value, .. } => {
                        [Some((index, Int)), Some((value, const { input_class(stringify!($storeidx)) }))]
                    })*
                    Instr::BrIfNez { cond, .. } | Instr::BrIfEqz { cond, .. } | Instr::Select { cond, .. } => {
                        [Some((cond, Int)), None]
                    }
                    Instr::ReturnSlot { src } | Instr::GlobalSet { src, .. } => [Some((src, Int)), None],
                    Instr::I32AddShlImm { base, index, .. } => [Some((base, Int)), Some((index, Int))],
                    _ => [None, None],
                }
            }

            /// The slots a straight-line instruction reads (up to four, with
            /// repeats), or `None` for the others: control flow, calls, and
            /// everything this list does not know, which a caller must
            /// assume reads anything.
            pub fn slot_reads(&self) -> Option<([Slot; 4], usize)> {
                Some(match *self {
                    $(Instr::$bin { lhs, rhs, .. } => ([lhs, rhs, 0, 0], 2),)*
                    $(Instr::$un { src, .. } => ([src, 0, 0, 0], 1),)*
                    $(Instr::$bimm { lhs, .. } => ([lhs, 0, 0, 0], 1),)*
                    $(Instr::$load { addr, .. } => ([addr, 0, 0, 0], 1),)*
                    $(Instr::$bld { lhs, addr, .. } => ([lhs, addr, 0, 0], 2),)*
                    $(Instr::$bldat { lhs, addr, .. } => ([lhs, addr, 0, 0], 2),)*
                    // A `v128` store reads two cells from `value`.
                    $(Instr::$store { addr, value, .. } if !matches!(self, Instr::V128Store { .. }) => {
                        ([addr, value, 0, 0], 2)
                    })*
                    $(Instr::$loadat { addr, .. } => ([addr, 0, 0, 0], 1),)*
                    $(Instr::$storeat { addr, value, .. } => ([addr, value, 0, 0], 2),)*
                    $(Instr::$loadidx { base, index, .. } => ([base, index, 0, 0], 2),)*
                    $(Instr::$storeidx { base, index, value, .. } => ([base, index, value, 0], 3),)*
                    Instr::Const32 { .. } | Instr::Const64 { .. } | Instr::GlobalGet { .. } => ([0; 4], 0),
                    Instr::ConsumeFuel { .. } => ([0; 4], 0),
                    Instr::Select { cond, a, b, .. } => ([cond, a, b, 0], 3),
                    Instr::GlobalSet { src, .. } => ([src, 0, 0, 0], 1),
                    Instr::Copy2 { src0, src1, dst0, .. } => ([src0, src1, dst0, 0], 3),
                    Instr::I32AddImm2 { a, b, .. } => ([a, b, 0, 0], 2),
                    Instr::I32AddImmTee { lhs, .. } => ([lhs, 0, 0, 0], 1),
                    Instr::I32AddShlImm { base, index, .. } => ([base, index, 0, 0], 2),
                    _ => return None,
                })
            }

            /// The slot this instruction writes its single result to, if it
            /// writes exactly one value into `dst`.
            pub fn result_slot_mut(&mut self) -> Option<&mut Slot> {
                match self {
                    $(Instr::$bin { dst, .. } => Some(dst),)*
                    $(Instr::$un { dst, .. } => Some(dst),)*
                    $(Instr::$bimm { dst, .. } => Some(dst),)*
                    $(Instr::$load { dst, .. } => Some(dst),)*
                    $(Instr::$bld { dst, .. } => Some(dst),)*
                    $(Instr::$bldat { dst, .. } => Some(dst),)*
                    $(Instr::$loadat { dst, .. } => Some(dst),)*
                    $(Instr::$loadidx { dst, .. } => Some(dst),)*
                    $(Instr::$pname { dst, .. } => Some(dst),)*
                    _ => None,
                }
            }
        }
    };
}

define_instrs! {
    binary: [
        I32Eq, I32Ne, I32LtS, I32LtU, I32GtS, I32GtU, I32LeS, I32LeU, I32GeS, I32GeU,
        I64Eq, I64Ne, I64LtS, I64LtU, I64GtS, I64GtU, I64LeS, I64LeU, I64GeS, I64GeU,
        F32Eq, F32Ne, F32Lt, F32Gt, F32Le, F32Ge,
        F64Eq, F64Ne, F64Lt, F64Gt, F64Le, F64Ge,
        I32Add, I32Sub, I32Mul, I32DivS, I32DivU, I32RemS, I32RemU,
        I32And, I32Or, I32Xor, I32Shl, I32ShrS, I32ShrU, I32Rotl, I32Rotr,
        I64Add, I64Sub, I64Mul, I64DivS, I64DivU, I64RemS, I64RemU,
        I64And, I64Or, I64Xor, I64Shl, I64ShrS, I64ShrU, I64Rotl, I64Rotr,
        F32Add, F32Sub, F32Mul, F32Div, F32Min, F32Max, F32Copysign,
        F64Add, F64Sub, F64Mul, F64Div, F64Min, F64Max, F64Copysign,
        RefEq,
    ],
    unary: [
        I32Eqz, I64Eqz, I32Clz, I32Ctz, I32Popcnt, I64Clz, I64Ctz, I64Popcnt,
        F32Abs, F32Neg, F32Ceil, F32Floor, F32Trunc, F32Nearest, F32Sqrt,
        F64Abs, F64Neg, F64Ceil, F64Floor, F64Trunc, F64Nearest, F64Sqrt,
        I32WrapI64, I64ExtendI32S, I64ExtendI32U,
        I32TruncF32S, I32TruncF32U, I32TruncF64S, I32TruncF64U,
        I64TruncF32S, I64TruncF32U, I64TruncF64S, I64TruncF64U,
        F32ConvertI32S, F32ConvertI32U, F32ConvertI64S, F32ConvertI64U, F32DemoteF64,
        F64ConvertI32S, F64ConvertI32U, F64ConvertI64S, F64ConvertI64U, F64PromoteF32,
        I32Extend8S, I32Extend16S, I64Extend8S, I64Extend16S, I64Extend32S,
        I32TruncSatF32S, I32TruncSatF32U, I32TruncSatF64S, I32TruncSatF64U,
        I64TruncSatF32S, I64TruncSatF32U, I64TruncSatF64S, I64TruncSatF64U,
        Copy, RefIsNull, RefAsNonNull,
    ],
    binary_imm: [
        I32AddImm, I32MulImm, I32AndImm, I32OrImm, I32XorImm, I32ShlImm, I32ShrSImm, I32ShrUImm, I32RotlImm,
        I32EqImm, I32NeImm, I32LtSImm, I32LtUImm, I32GtSImm, I32GtUImm, I32LeSImm, I32LeUImm, I32GeSImm, I32GeUImm,
        I64AddImm, I64MulImm, I64AndImm, I64OrImm, I64XorImm, I64ShlImm, I64ShrSImm, I64ShrUImm, I64RotlImm,
        I64EqImm, I64NeImm, I64LtSImm, I64LtUImm, I64GtSImm, I64GtUImm, I64LeSImm, I64LeUImm, I64GeSImm, I64GeUImm,
    ],
    branch_cmp: [
        BrI32Eq, BrI32Ne, BrI32LtS, BrI32LtU, BrI32GtS, BrI32GtU, BrI32LeS, BrI32LeU, BrI32GeS, BrI32GeU,
        BrI64Eq, BrI64Ne, BrI64LtS, BrI64LtU, BrI64GtS, BrI64GtU, BrI64LeS, BrI64LeU, BrI64GeS, BrI64GeU,
    ],
    branch_cmp_imm: [
        BrI32EqImm, BrI32NeImm, BrI32LtSImm, BrI32LtUImm, BrI32GtSImm, BrI32GtUImm, BrI32LeSImm, BrI32LeUImm,
        BrI32GeSImm, BrI32GeUImm,
        BrI64EqImm, BrI64NeImm, BrI64LtSImm, BrI64LtUImm, BrI64GtSImm, BrI64GtUImm, BrI64LeSImm, BrI64LeUImm,
        BrI64GeSImm, BrI64GeUImm,
    ],
    step_branch_cmp: [
        I32StepBrEq, I32StepBrNe, I32StepBrLtS, I32StepBrLtU, I32StepBrGtS, I32StepBrGtU, I32StepBrLeS,
        I32StepBrLeU, I32StepBrGeS, I32StepBrGeU,
    ],
    step_branch_cmp_imm: [
        I32StepBrEqImm, I32StepBrNeImm, I32StepBrLtSImm, I32StepBrLtUImm, I32StepBrGtSImm, I32StepBrGtUImm,
        I32StepBrLeSImm, I32StepBrLeUImm, I32StepBrGeSImm, I32StepBrGeUImm,
    ],
    add_branch_cmp: [
        I32AddBrEq, I32AddBrNe, I32AddBrLtS, I32AddBrLtU, I32AddBrGtS, I32AddBrGtU, I32AddBrLeS, I32AddBrLeU,
        I32AddBrGeS, I32AddBrGeU,
    ],
    load_branch_cmp: [
        I32LoadBrEq, I32LoadBrNe, I32LoadBrLtS, I32LoadBrLtU, I32LoadBrGtS, I32LoadBrGtU, I32LoadBrLeS,
        I32LoadBrLeU, I32LoadBrGeS, I32LoadBrGeU,
    ],
    binary_load: [F32AddLoad, F32SubLoad, F32MulLoad, F64AddLoad, F64SubLoad, F64MulLoad],
    binary_load_at: [F32AddLoadAt, F32SubLoadAt, F32MulLoadAt, F64AddLoadAt, F64SubLoadAt, F64MulLoadAt],
    load: [
        I32Load, I64Load, F32Load, F64Load,
        I32Load8S, I32Load8U, I32Load16S, I32Load16U,
        I64Load8S, I64Load8U, I64Load16S, I64Load16U, I64Load32S, I64Load32U,
    ],
    store: [I32Store, I64Store, F32Store, F64Store, I32Store8, I32Store16, I64Store8, I64Store16, I64Store32, V128Store],
    load_at: [
        I32LoadAt, I64LoadAt, F32LoadAt, F64LoadAt, I32Load8SAt, I32Load8UAt, I32Load16SAt, I32Load16UAt,
        I64Load8SAt, I64Load8UAt, I64Load16SAt, I64Load16UAt, I64Load32SAt, I64Load32UAt,
    ],
    store_at: [I32StoreAt, I64StoreAt, F32StoreAt, F64StoreAt, I32Store8At, I32Store16At, I64Store8At, I64Store16At, I64Store32At],
    load_idx: [
        I32LoadIdx, I64LoadIdx, F32LoadIdx, F64LoadIdx, I32Load8SIdx, I32Load8UIdx, I32Load16SIdx, I32Load16UIdx,
        I64Load8SIdx, I64Load8UIdx, I64Load16SIdx, I64Load16UIdx, I64Load32SIdx, I64Load32UIdx,
    ],
    store_idx: [I32StoreIdx, I64StoreIdx, F32StoreIdx, F64StoreIdx, I32Store8Idx, I32Store16Idx, I64Store8Idx, I64Store16Idx, I64Store32Idx],
    producing: {
        Const32 { val: u32 },
        Const64 { lo: u32, hi: u32 },
        Select { cond: Slot, a: Slot, b: Slot },
        /// `dst = base + (index << imm)` (32-bit, wrapping): an array
        /// element's address.
        I32AddShlImm { base: Slot, index: Slot, imm: i32 },
        GlobalGet { global: u32 },
        RefFunc { func: u32 },
        TableGet { index: Slot, table: u32 },
        TableSize { table: u32 },
        TableGrow { init: Slot, delta: Slot, table: u32 },
        MemorySize { mem: u32 },
        MemoryGrow { delta: Slot, mem: u32 },
        /// `dst = src + offset`, trapping on overflow: folds a 64-bit
        /// memarg offset that does not fit the access instructions.
        AddrOffset { src: Slot, lo: u32, hi: u32 },
    },
    other: {
        /// Copies a two-cell (`v128`) value.
        Copy128 { dst: Slot, src: Slot },
        /// Two in-place additions in a row (`a += imm_a`, then `b +=
        /// imm_b`, 32-bit), as loops step two induction variables.
        I32AddImm2 { a: Slot, b: Slot, imm_a: i32, imm_b: i32 },
        /// `dst = tee = lhs + imm` (32-bit): one sum written to two locals,
        /// as `i32.add; local.tee tee; local.set dst` leaves it (compilers
        /// emit that for `x = t = x - 1`).
        I32AddImmTee { dst: Slot, lhs: Slot, imm: i32, tee: Slot },
        /// Two copies in a row (`dst0 = src0`, then `dst1 = src1`), as
        /// compilers shuffle locals at loop edges.
        Copy2 { dst0: Slot, src0: Slot, dst1: Slot, src1: Slot },
        /// Selects a two-cell value.
        Select128 { dst: Slot, cond: Slot, a: Slot, b: Slot },
        /// Loads a `v128` constant from the function's pool.
        ConstV128 { dst: Slot, index: u32 },
        /// Unconditional branch.
        Br { offset: i32 },
        /// Branch if `cond != 0`.
        BrIfNez { cond: Slot, offset: i32 },
        /// `slot += step`, then branch by `offset` if `slot != 0` (a
        /// counting-down loop latch).
        I32StepBrNez { slot: Slot, step: i32, offset: i32 },
        /// `slot += step`, then branch by `offset` if `slot == 0`.
        I32StepBrEqz { slot: Slot, step: i32, offset: i32 },
        /// Branch if `cond == 0`.
        BrIfEqz { cond: Slot, offset: i32 },
        /// Branch if the reference is null.
        BrOnNull { src: Slot, offset: i32 },
        /// Branch if the reference is not null.
        BrOnNonNull { src: Slot, offset: i32 },
        /// Jumps to the `min(index, len)`-th of the `len + 1` `Br`s that follow.
        BrTable { index: Slot, len: u32 },
        /// Returns; results are already in slots `0..`.
        Return {},
        /// Copies the one-cell result from `src` to slot 0 and returns.
        ReturnSlot { src: Slot },
        /// Traps with `unreachable`.
        Unreachable {},
        /// Charges fuel for the basic block it starts.
        ConsumeFuel { amount: u32 },
        /// Charges the length-dependent fuel of the bulk operation that
        /// follows: `len >> shift` units, `len` read as a 64-bit cell
        /// (`mote_environ::fuel`).
        ConsumeFuelLen { len: Slot, shift: u8 },
        /// Writes the function's `consts` to the `count` slots from `start`.
        ConstInit { start: Slot, count: u32 },
        /// Calls function `func` of the instance; arguments start at `base`.
        Call { func: u32, base: Slot },
        /// Calls through a table, checking the type `ty` (module type index).
        CallIndirect { ty: u32, table: u32, index: Slot, base: Slot },
        /// Calls a function reference held in `callee`.
        CallRef { callee: Slot, base: Slot },
        /// Tail call: arguments at `base` move to the current frame's start.
        ReturnCall { func: u32, base: Slot },
        /// Tail call through a table.
        ReturnCallIndirect { ty: u32, table: u32, index: Slot, base: Slot },
        /// Tail call of a function reference.
        ReturnCallRef { callee: Slot, base: Slot },
        /// Throws a new exception with tag `tag`, payload at `base`.
        Throw { tag: u32, base: Slot },
        /// Rethrows the exception referenced by `src`.
        ThrowRef { src: Slot },
        /// Writes a global.
        GlobalSet { src: Slot, global: u32 },
        /// Reads a `v128` global.
        GlobalGetV128 { dst: Slot, global: u32 },
        /// Writes a `v128` global.
        GlobalSetV128 { src: Slot, global: u32 },
        /// Writes a table element.
        TableSet { index: Slot, value: Slot, table: u32 },
        /// `table.fill`
        TableFill { dst: Slot, value: Slot, len: Slot, table: u32 },
        /// `table.copy`
        TableCopy { dst: Slot, src: Slot, len: Slot, dst_table: u16, src_table: u16 },
        /// `table.init`
        TableInit { dst: Slot, src: Slot, len: Slot, table: u16, elem: u32 },
        /// `elem.drop`
        ElemDrop { elem: u32 },
        /// `memory.fill`
        MemoryFill { dst: Slot, value: Slot, len: Slot, mem: u32 },
        /// `memory.copy`
        MemoryCopy { dst: Slot, src: Slot, len: Slot, dst_mem: u16, src_mem: u16 },
        /// `memory.init`
        MemoryInit { dst: Slot, src: Slot, len: Slot, mem: u16, data: u32 },
        /// `data.drop`
        DataDrop { data: u32 },
        /// Loads a `v128`.
        V128Load { dst: Slot, addr: Slot, mem: u16, offset: u32 },
        /// Loads 8 bytes and extends lanes.
        V128LoadExtend { dst: Slot, addr: Slot, mem: u16, offset: u32, op: V128LoadExtend },
        /// Loads `1 << width_log2` bytes and splats them.
        V128LoadSplat { dst: Slot, addr: Slot, mem: u16, offset: u32, width_log2: u8 },
        /// Loads `1 << width_log2` bytes into lane 0, zeroing the rest.
        V128LoadZero { dst: Slot, addr: Slot, mem: u16, offset: u32, width_log2: u8 },
        /// Loads one lane into a copy of `vec`.
        V128LoadLane { dst: Slot, addr: Slot, vec: Slot, mem: u16, offset: u32, width_log2: u8, lane: u8 },
        /// Stores one lane of `vec`.
        V128StoreLane { addr: Slot, vec: Slot, mem: u16, offset: u32, width_log2: u8, lane: u8 },
        /// Lane-wise unary operation.
        V128Unary { dst: Slot, src: Slot, op: V128Unary },
        /// Lane-wise binary operation.
        V128Binary { dst: Slot, lhs: Slot, rhs: Slot, op: V128Binary },
        /// Lane-wise ternary operation.
        V128Ternary { dst: Slot, a: Slot, b: Slot, c: Slot, op: V128Ternary },
        /// Shift by a scalar.
        V128Shift { dst: Slot, src: Slot, count: Slot, op: V128Shift },
        /// Reduces a vector to an `i32`.
        V128Test { dst: Slot, src: Slot, op: V128Test },
        /// Splats a scalar.
        V128Splat { dst: Slot, src: Slot, op: V128Splat },
        /// Extracts a lane into a scalar.
        V128ExtractLane { dst: Slot, src: Slot, op: V128ExtractLane, lane: u8 },
        /// Replaces a lane.
        V128ReplaceLane { dst: Slot, src: Slot, value: Slot, op: V128ReplaceLane, lane: u8 },
        /// `ref.i31`
        RefI31 { dst: Slot, src: Slot },
        /// `i31.get_s` / `i31.get_u`
        I31Get { dst: Slot, src: Slot, signed: bool },
        /// `struct.new`: fields in consecutive cells from `base`.
        StructNew { dst: Slot, base: Slot, ty: u32 },
        /// `struct.new_default`
        StructNewDefault { dst: Slot, ty: u32 },
        /// Reads a struct field; `kind` is a [`FieldKind`](crate::FieldKind) byte.
        StructGet { dst: Slot, obj: Slot, field: u32, kind: u8 },
        /// Writes a struct field.
        StructSet { obj: Slot, value: Slot, field: u32, kind: u8 },
        /// `array.new`
        ArrayNew { dst: Slot, init: Slot, len: Slot, ty: u32 },
        /// `array.new_default`
        ArrayNewDefault { dst: Slot, len: Slot, ty: u32 },
        /// `array.new_fixed`: elements in consecutive cells from `base`.
        ArrayNewFixed { dst: Slot, base: Slot, ty: u32, len: u32 },
        /// `array.new_data`
        ArrayNewData { dst: Slot, offset: Slot, len: Slot, ty: u32, data: u32 },
        /// `array.new_elem`
        ArrayNewElem { dst: Slot, offset: Slot, len: Slot, ty: u32, elem: u32 },
        /// Reads an element; `kind` is a [`FieldKind`](crate::FieldKind) byte.
        ArrayGet { dst: Slot, arr: Slot, index: Slot, kind: u8 },
        /// Writes an element.
        ArraySet { arr: Slot, index: Slot, value: Slot, kind: u8 },
        /// `array.len`
        ArrayLen { dst: Slot, arr: Slot },
        /// `array.fill`
        ArrayFill { arr: Slot, offset: Slot, value: Slot, len: Slot, kind: u8 },
        /// `array.copy`
        ArrayCopy { dst: Slot, dst_offset: Slot, src: Slot, src_offset: Slot, len: Slot },
        /// `array.init_data`
        ArrayInitData { arr: Slot, dst: Slot, src: Slot, len: Slot, data: u32 },
        /// `array.init_elem`
        ArrayInitElem { arr: Slot, dst: Slot, src: Slot, len: Slot, elem: u32 },
        /// `ref.test`: `target` indexes the function's reference-type pool.
        RefTest { dst: Slot, src: Slot, target: u32 },
        /// `ref.cast`: traps unless the reference matches `target`.
        RefCast { dst: Slot, src: Slot, target: u32 },
        /// `br_on_cast` (or `br_on_cast_fail` when `fail`).
        BrOnCast { src: Slot, target: u32, offset: i32, fail: bool },
        /// Shuffles with lane indices from the function's pool.
        I8x16Shuffle { dst: Slot, a: Slot, b: Slot, lanes: u32 },
    },
}

const _: () = assert!(core::mem::size_of::<Instr>() <= 16);
