//! The 32-bit comparisons of wasm with their meaning, for the tests of
//! fused compare-and-branch instructions.

/// A comparison's meaning.
pub type Compare = fn(i32, i32) -> bool;

/// Each comparison's name (as in `i32.lt_s`) and meaning.
pub const CMPS: [(&str, Compare); 10] = [
    ("eq", |a, b| a == b),
    ("ne", |a, b| a != b),
    ("lt_s", |a, b| a < b),
    ("lt_u", |a, b| (a as u32) < (b as u32)),
    ("gt_s", |a, b| a > b),
    ("gt_u", |a, b| (a as u32) > (b as u32)),
    ("le_s", |a, b| a <= b),
    ("le_u", |a, b| (a as u32) <= (b as u32)),
    ("ge_s", |a, b| a >= b),
    ("ge_u", |a, b| (a as u32) >= (b as u32)),
];
