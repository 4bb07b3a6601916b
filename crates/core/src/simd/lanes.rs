//! Splitting a `u128` into lanes and back, and the lane-wise combinators the
//! operation tables are written with.
//!
//! Lanes are extracted with shifts rather than by reinterpreting memory, so
//! the code is free of `unsafe` and independent of the host's endianness; the
//! compiler turns the constant shifts into plain register moves.

/// A scalar that can occupy one lane of a v128.
pub(crate) trait Lane: Copy {
    /// Width of the lane in bits.
    const BITS: u32;
    /// Takes the low `BITS` bits of `v`.
    fn from_v128(v: u128) -> Self;
    /// The lane's bits, zero-extended.
    fn to_v128(self) -> u128;
}

macro_rules! int_lane {
    ($($ty:ty => $unsigned:ty),*) => {$(
        impl Lane for $ty {
            const BITS: u32 = <$ty>::BITS;
            #[inline]
            fn from_v128(v: u128) -> Self {
                v as $ty
            }
            #[inline]
            fn to_v128(self) -> u128 {
                self as $unsigned as u128
            }
        }
    )*};
}

int_lane!(u8 => u8, i8 => u8, u16 => u16, i16 => u16, u32 => u32, i32 => u32, u64 => u64, i64 => u64);

macro_rules! float_lane {
    ($($ty:ty => $bits:ty),*) => {$(
        impl Lane for $ty {
            const BITS: u32 = <$bits>::BITS;
            #[inline]
            fn from_v128(v: u128) -> Self {
                <$ty>::from_bits(v as $bits)
            }
            #[inline]
            fn to_v128(self) -> u128 {
                self.to_bits() as u128
            }
        }
    )*};
}

float_lane!(f32 => u32, f64 => u64);

/// Splits `v` into its `N` lanes, lane 0 first.
#[inline]
pub(crate) fn unpack<T: Lane, const N: usize>(v: u128) -> [T; N] {
    const { assert!(N as u32 * T::BITS == 128) };
    core::array::from_fn(|i| T::from_v128(v >> (i as u32 * T::BITS)))
}

/// Joins `N` lanes, lane 0 first, into a v128.
#[inline]
pub(crate) fn pack<T: Lane, const N: usize>(lanes: [T; N]) -> u128 {
    const { assert!(N as u32 * T::BITS == 128) };
    lanes
        .iter()
        .enumerate()
        .fold(0, |acc, (i, lane)| acc | lane.to_v128() << (i as u32 * T::BITS))
}

/// Applies `f` to every lane. `T` and `U` must have the same width.
#[inline]
pub(crate) fn map<T: Lane, U: Lane, const N: usize>(a: u128, f: impl Fn(T) -> U) -> u128 {
    pack::<U, N>(unpack::<T, N>(a).map(f))
}

/// Applies `f` to every pair of corresponding lanes.
#[inline]
pub(crate) fn zip<T: Lane, const N: usize>(a: u128, b: u128, f: impl Fn(T, T) -> T) -> u128 {
    let (a, b) = (unpack::<T, N>(a), unpack::<T, N>(b));
    pack::<T, N>(core::array::from_fn(|i| f(a[i], b[i])))
}

/// Applies `f` to every triple of corresponding lanes.
#[inline]
pub(crate) fn zip3<T: Lane, const N: usize>(a: u128, b: u128, c: u128, f: impl Fn(T, T, T) -> T) -> u128 {
    let (a, b, c) = (unpack::<T, N>(a), unpack::<T, N>(b), unpack::<T, N>(c));
    pack::<T, N>(core::array::from_fn(|i| f(a[i], b[i], c[i])))
}

/// Lane-wise comparison: each result lane is all ones where `f` holds and
/// all zeroes elsewhere, the boolean encoding every SIMD comparison uses.
#[inline]
pub(crate) fn compare<T: Lane, const N: usize>(a: u128, b: u128, f: impl Fn(T, T) -> bool) -> u128 {
    let (a, b) = (unpack::<T, N>(a), unpack::<T, N>(b));
    let ones = u128::MAX >> (128 - T::BITS);
    (0..N)
        .filter(|&i| f(a[i], b[i]))
        .fold(0, |acc, i| acc | ones << (i as u32 * T::BITS))
}
