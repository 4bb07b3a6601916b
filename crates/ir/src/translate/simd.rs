//! SIMD operators. Lane semantics live in `mote_core::simd`; the
//! classification of operators in [`crate::simd_class`].

use super::Translator;
use crate::instr::Instr;
use crate::simd_class::{SimdClass, classify};
use mote_core::simd::V128LoadExtend;
use mote_environ::CompileError;
use mote_environ::wasmparser::{MemArg, Operator as O};

impl Translator<'_> {
    fn simd_load(&mut self, memarg: &MemArg, make: impl FnOnce(u16, u16, u16, u32) -> Instr) {
        let addr = self.pop();
        let (addr, mem, offset) = self.address(addr, memarg);
        let dst = self.next_slot();
        self.emit(make(dst, addr, mem, offset));
        self.push_temp(dst, 2);
    }

    fn load_lane(&mut self, memarg: &MemArg, width_log2: u8, lane: u8) {
        let vec = self.pop();
        let addr = self.pop();
        let vec = self.use_operand(vec);
        let (addr, mem, offset) = self.address(addr, memarg);
        let dst = self.next_slot();
        self.emit(Instr::V128LoadLane {
            dst,
            addr,
            vec,
            mem,
            offset,
            width_log2,
            lane,
        });
        self.push_temp(dst, 2);
    }

    fn store_lane(&mut self, memarg: &MemArg, width_log2: u8, lane: u8) {
        self.store(memarg, |addr, vec, mem, offset| Instr::V128StoreLane {
            addr,
            vec,
            mem,
            offset,
            width_log2,
            lane,
        });
    }

    /// SIMD operators. Returns `false` for other operators.
    pub(super) fn simd_op(&mut self, op: &O<'_>) -> Result<bool, CompileError> {
        if let Some(class) = classify(op) {
            self.simd_class(class);
            return Ok(true);
        }
        let extend = |e: V128LoadExtend| {
            move |dst, addr, mem, offset| Instr::V128LoadExtend {
                dst,
                addr,
                mem,
                offset,
                op: e,
            }
        };
        let splat = |width_log2: u8| {
            move |dst, addr, mem, offset| Instr::V128LoadSplat {
                dst,
                addr,
                mem,
                offset,
                width_log2,
            }
        };
        let zero = |width_log2: u8| {
            move |dst, addr, mem, offset| Instr::V128LoadZero {
                dst,
                addr,
                mem,
                offset,
                width_log2,
            }
        };
        match op {
            O::V128Load { memarg } => self.simd_load(memarg, |dst, addr, mem, offset| Instr::V128Load {
                dst,
                addr,
                mem,
                offset,
            }),
            O::V128Store { memarg } => self.store(memarg, |addr, value, mem, offset| Instr::V128Store {
                addr,
                value,
                mem,
                offset,
            }),
            O::V128Load8x8S { memarg } => self.simd_load(memarg, extend(V128LoadExtend::V128Load8x8S)),
            O::V128Load8x8U { memarg } => self.simd_load(memarg, extend(V128LoadExtend::V128Load8x8U)),
            O::V128Load16x4S { memarg } => self.simd_load(memarg, extend(V128LoadExtend::V128Load16x4S)),
            O::V128Load16x4U { memarg } => self.simd_load(memarg, extend(V128LoadExtend::V128Load16x4U)),
            O::V128Load32x2S { memarg } => self.simd_load(memarg, extend(V128LoadExtend::V128Load32x2S)),
            O::V128Load32x2U { memarg } => self.simd_load(memarg, extend(V128LoadExtend::V128Load32x2U)),
            O::V128Load8Splat { memarg } => self.simd_load(memarg, splat(0)),
            O::V128Load16Splat { memarg } => self.simd_load(memarg, splat(1)),
            O::V128Load32Splat { memarg } => self.simd_load(memarg, splat(2)),
            O::V128Load64Splat { memarg } => self.simd_load(memarg, splat(3)),
            O::V128Load32Zero { memarg } => self.simd_load(memarg, zero(2)),
            O::V128Load64Zero { memarg } => self.simd_load(memarg, zero(3)),
            O::V128Load8Lane { memarg, lane } => self.load_lane(memarg, 0, *lane),
            O::V128Load16Lane { memarg, lane } => self.load_lane(memarg, 1, *lane),
            O::V128Load32Lane { memarg, lane } => self.load_lane(memarg, 2, *lane),
            O::V128Load64Lane { memarg, lane } => self.load_lane(memarg, 3, *lane),
            O::V128Store8Lane { memarg, lane } => self.store_lane(memarg, 0, *lane),
            O::V128Store16Lane { memarg, lane } => self.store_lane(memarg, 1, *lane),
            O::V128Store32Lane { memarg, lane } => self.store_lane(memarg, 2, *lane),
            O::V128Store64Lane { memarg, lane } => self.store_lane(memarg, 3, *lane),
            O::I8x16Shuffle { lanes } => {
                let index = self.pool.len() as u32;
                self.pool.push(u128::from_le_bytes(*lanes));
                let b = self.pop();
                let a = self.pop();
                let b = self.use_operand(b);
                let a = self.use_operand(a);
                let dst = self.next_slot();
                self.emit(Instr::I8x16Shuffle {
                    dst,
                    a,
                    b,
                    lanes: index,
                });
                self.push_temp(dst, 2);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn simd_class(&mut self, class: SimdClass) {
        let dst_cells = match class {
            SimdClass::Test(_) | SimdClass::ExtractLane(..) => 1,
            _ => 2,
        };
        let instr = |t: &mut Self| -> Instr {
            match class {
                SimdClass::Unary(op) => {
                    let src = t.pop_slot();
                    Instr::V128Unary {
                        dst: t.next_slot(),
                        src,
                        op,
                    }
                }
                SimdClass::Binary(op) => {
                    let rhs = t.pop();
                    let lhs = t.pop();
                    let rhs = t.use_operand(rhs);
                    let lhs = t.use_operand(lhs);
                    Instr::V128Binary {
                        dst: t.next_slot(),
                        lhs,
                        rhs,
                        op,
                    }
                }
                SimdClass::Ternary(op) => {
                    let c = t.pop();
                    let b = t.pop();
                    let a = t.pop();
                    let c = t.use_operand(c);
                    let b = t.use_operand(b);
                    let a = t.use_operand(a);
                    Instr::V128Ternary {
                        dst: t.next_slot(),
                        a,
                        b,
                        c,
                        op,
                    }
                }
                SimdClass::Shift(op) => {
                    let count = t.pop();
                    let src = t.pop();
                    let count = t.use_operand(count);
                    let src = t.use_operand(src);
                    Instr::V128Shift {
                        dst: t.next_slot(),
                        src,
                        count,
                        op,
                    }
                }
                SimdClass::Test(op) => {
                    let src = t.pop_slot();
                    Instr::V128Test {
                        dst: t.next_slot(),
                        src,
                        op,
                    }
                }
                SimdClass::Splat(op) => {
                    let src = t.pop_slot();
                    Instr::V128Splat {
                        dst: t.next_slot(),
                        src,
                        op,
                    }
                }
                SimdClass::ExtractLane(op, lane) => {
                    let src = t.pop_slot();
                    Instr::V128ExtractLane {
                        dst: t.next_slot(),
                        src,
                        op,
                        lane,
                    }
                }
                SimdClass::ReplaceLane(op, lane) => {
                    let value = t.pop();
                    let src = t.pop();
                    let value = t.use_operand(value);
                    let src = t.use_operand(src);
                    Instr::V128ReplaceLane {
                        dst: t.next_slot(),
                        src,
                        value,
                        op,
                        lane,
                    }
                }
            }
        };
        let i = instr(self);
        let dst = self.next_slot();
        self.emit(i);
        self.push_temp(dst, dst_cells);
    }
}
