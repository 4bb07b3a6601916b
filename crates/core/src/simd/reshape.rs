//! Combinators for the operations whose result lanes have a different width
//! than their operand lanes: extensions, narrowing, pairwise sums, extended
//! multiplication and the conversions that zero or ignore half the lanes.
//!
//! `N` is always the lane count of the operand shape and `M` that of the
//! result shape; the compile-time assertions in `pack`/`unpack` reject any
//! mismatch between the counts and the lane types.

use super::lanes::{Lane, pack, unpack};

/// Which half of the operand lanes a widening operation reads.
#[derive(Clone, Copy)]
pub(crate) enum Half {
    /// Lanes `0..N/2` (`*_low` instructions).
    Low,
    /// Lanes `N/2..N` (`*_high` instructions).
    High,
}

impl Half {
    #[inline]
    fn offset(self, m: usize) -> usize {
        match self {
            Half::Low => 0,
            Half::High => m,
        }
    }
}

/// Maps one half of the `N` narrow lanes of `a` to `M = N / 2` wide lanes.
#[inline]
pub(crate) fn widen<T: Lane, U: Lane, const N: usize, const M: usize>(a: u128, half: Half, f: impl Fn(T) -> U) -> u128 {
    let a = unpack::<T, N>(a);
    let base = half.offset(M);
    pack::<U, M>(core::array::from_fn(|i| f(a[base + i])))
}

/// Combines the same half of the lanes of `a` and `b` into wide lanes
/// (extended multiplication).
#[inline]
pub(crate) fn widen_zip<T: Lane, U: Lane, const N: usize, const M: usize>(
    a: u128,
    b: u128,
    half: Half,
    f: impl Fn(T, T) -> U,
) -> u128 {
    let (a, b) = (unpack::<T, N>(a), unpack::<T, N>(b));
    let base = half.offset(M);
    pack::<U, M>(core::array::from_fn(|i| f(a[base + i], b[base + i])))
}

/// Combines each pair of adjacent lanes `2i`, `2i + 1` of `a` into wide lane
/// `i` (pairwise extended addition).
#[inline]
pub(crate) fn pairwise<T: Lane, U: Lane, const N: usize, const M: usize>(a: u128, f: impl Fn(T, T) -> U) -> u128 {
    let a = unpack::<T, N>(a);
    pack::<U, M>(core::array::from_fn(|i| f(a[2 * i], a[2 * i + 1])))
}

/// Combines adjacent lane pairs of both operands into wide lane `i`:
/// `f(a[2i], b[2i], a[2i + 1], b[2i + 1])` (dot products).
#[inline]
pub(crate) fn pairwise_zip<T: Lane, U: Lane, const N: usize, const M: usize>(
    a: u128,
    b: u128,
    f: impl Fn(T, T, T, T) -> U,
) -> u128 {
    let (a, b) = (unpack::<T, N>(a), unpack::<T, N>(b));
    pack::<U, M>(core::array::from_fn(|i| {
        f(a[2 * i], b[2 * i], a[2 * i + 1], b[2 * i + 1])
    }))
}

/// Maps the `N` wide lanes of `a` then of `b` to the `M = 2N` narrow result
/// lanes, `a`'s first.
#[inline]
pub(crate) fn narrow<T: Lane, U: Lane, const N: usize, const M: usize>(a: u128, b: u128, f: impl Fn(T) -> U) -> u128 {
    let (a, b) = (unpack::<T, N>(a), unpack::<T, N>(b));
    pack::<U, M>(core::array::from_fn(|i| if i < N { f(a[i]) } else { f(b[i - N]) }))
}

/// Maps the two 64-bit lanes of `a` to the two low 32-bit result lanes and
/// zeroes the two high ones (the `*_zero` conversions from `f64x2`).
#[inline]
pub(crate) fn narrow_zero<U: Lane + Default>(a: u128, f: impl Fn(f64) -> U) -> u128 {
    let [x, y] = unpack::<f64, 2>(a);
    pack::<U, 4>([f(x), f(y), U::default(), U::default()])
}
