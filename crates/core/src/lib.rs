//! `mote-core`: the vocabulary every other Mote crate shares.
//!
//! It owns the trap codes, and the exact numeric semantics of WebAssembly
//! (float min/max/nearest, trapping and saturating conversions, NaN rules, and
//! every SIMD lane operation) in one place, so the interpreter, constant
//! evaluation and compiled-code libcalls cannot disagree.
#![no_std]

pub mod num;
pub mod simd;
pub mod trap;

pub use trap::TrapCode;
