//! Every fixed-width (128-bit) SIMD and relaxed-SIMD operation of WebAssembly
//! as a pure function on `u128` values.
//!
//! A v128 is a `u128` whose little-endian bytes are the wasm lanes: lane 0
//! occupies the least significant bits. Keeping the operations pure and
//! grouped by arity lets the interpreter dispatch a whole category through one
//! IR instruction carrying the enum, and lets constant folding and tests use
//! the very same code.
//!
//! Relaxed-SIMD operations implement the spec's deterministic profile (the
//! first of the allowed results), so a program computes the same values on
//! every host.

mod binary;
mod lane;
mod lanes;
mod memory;
mod reduce;
mod reshape;
mod shift;
mod ternary;
mod unary;

#[cfg(test)]
mod tests;

pub use binary::V128Binary;
pub use lane::{V128ExtractLane, V128ReplaceLane, V128Splat, i8x16_shuffle};
pub use memory::V128LoadExtend;
pub use reduce::V128Test;
pub use shift::V128Shift;
pub use ternary::V128Ternary;
pub use unary::V128Unary;
