//! Typed access to frame slots and bounds-checked access to linear memory.
//!
//! Every function here is `unsafe` with one contract: the slot indices come
//! from validated, translated code, which keeps them below the frame's
//! `frame_cells`, and the executor checked on frame entry that the frame
//! fits the value stack.

use mote_ir::{RegClass, Slot};

macro_rules! slot_accessors {
    ($($get:ident / $set:ident: $t:ty, |$g:ident| $from:expr, |$s:ident| $to:expr;)*) => {$(
        #[inline(always)]
        pub(crate) unsafe fn $get(fp: *mut u64, slot: Slot) -> $t {
            // SAFETY: the slot is inside the current frame (module contract).
            let $g = unsafe { *fp.add(slot as usize) };
            $from
        }
        #[inline(always)]
        pub(crate) unsafe fn $set(fp: *mut u64, slot: Slot, value: $t) {
            let $s = value;
            // SAFETY: the slot is inside the current frame (module contract).
            unsafe { *fp.add(slot as usize) = $to }
        }
    )*};
}

slot_accessors! {
    get / set: u64, |c| c, |v| v;
    get_i32 / set_i32: i32, |c| c as i32, |v| v as u32 as u64;
    get_u32 / set_u32: u32, |c| c as u32, |v| v as u64;
    get_i64 / set_i64: i64, |c| c as i64, |v| v as u64;
    get_f32 / set_f32: f32, |c| f32::from_bits(c as u32), |v| v.to_bits() as u64;
    get_f64 / set_f64: f64, |c| f64::from_bits(c), |v| v.to_bits();
    get_bool / set_bool: bool, |c| c != 0, |v| v as u64;
}

/// A value a handler reads or writes, and its bit-exact conversions to and
/// from the registers that pass a result to the next instruction
/// (`mote_ir::reg_pass`). The class picks the register; the conversions
/// make any pairing correct, and the class rules make the common ones free.
pub(crate) trait RegVal: Copy {
    fn from_cell(cell: u64) -> Self;
    fn to_cell(self) -> u64;
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        Self::from_cell(v.to_bits())
    }
    #[inline(always)]
    fn from_f32(v: f32) -> Self {
        Self::from_cell(v.to_bits() as u64)
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        f64::from_bits(self.to_cell())
    }
    #[inline(always)]
    fn to_f32(self) -> f32 {
        f32::from_bits(self.to_cell() as u32)
    }
}

macro_rules! reg_val_via_cell {
    ($($t:ty: |$c:ident| $from:expr, |$v:ident| $to:expr;)*) => {$(
        impl RegVal for $t {
            #[inline(always)]
            fn from_cell($c: u64) -> Self {
                $from
            }
            #[inline(always)]
            fn to_cell(self) -> u64 {
                let $v = self;
                $to
            }
        }
    )*};
}

reg_val_via_cell! {
    u64: |c| c, |v| v;
    i32: |c| c as i32, |v| v as u32 as u64;
    u32: |c| c as u32, |v| v as u64;
    i64: |c| c as i64, |v| v as u64;
    bool: |c| c != 0, |v| v as u64;
    u128: |c| c as u128, |v| v as u64;
}

impl RegVal for f64 {
    #[inline(always)]
    fn from_cell(cell: u64) -> Self {
        f64::from_bits(cell)
    }
    #[inline(always)]
    fn to_cell(self) -> u64 {
        self.to_bits()
    }
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
}

impl RegVal for f32 {
    #[inline(always)]
    fn from_cell(cell: u64) -> Self {
        f32::from_bits(cell as u32)
    }
    #[inline(always)]
    fn to_cell(self) -> u64 {
        self.to_bits() as u64
    }
    #[inline(always)]
    fn from_f32(v: f32) -> Self {
        v
    }
    #[inline(always)]
    fn to_f32(self) -> f32 {
        self
    }
}

/// The three result registers a handler receives and passes on.
#[derive(Clone, Copy)]
pub(crate) struct Regs {
    pub(crate) int: u64,
    pub(crate) f64: f64,
    pub(crate) f32: f32,
}

impl Regs {
    pub(crate) const ZERO: Regs = Regs {
        int: 0,
        f64: 0.0,
        f32: 0.0,
    };

    /// The value in the register of `class`.
    #[inline(always)]
    pub(crate) fn get<T: RegVal>(self, class: RegClass) -> T {
        match class {
            RegClass::Int => T::from_cell(self.int),
            RegClass::F64 => T::from_f64(self.f64),
            RegClass::F32 => T::from_f32(self.f32),
        }
    }

    /// These registers with `v` in the register of `class`.
    #[inline(always)]
    pub(crate) fn with<T: RegVal>(self, class: RegClass, v: T) -> Regs {
        match class {
            RegClass::Int => Regs {
                int: v.to_cell(),
                ..self
            },
            RegClass::F64 => Regs {
                f64: v.to_f64(),
                ..self
            },
            RegClass::F32 => Regs {
                f32: v.to_f32(),
                ..self
            },
        }
    }
}

/// Reads a two-cell `v128`.
#[inline(always)]
pub(crate) unsafe fn get_v128(fp: *mut u64, slot: Slot) -> u128 {
    // SAFETY: both cells are inside the frame (module contract).
    unsafe { *fp.add(slot as usize) as u128 | (*fp.add(slot as usize + 1) as u128) << 64 }
}

/// Writes a two-cell `v128`.
#[inline(always)]
pub(crate) unsafe fn set_v128(fp: *mut u64, slot: Slot, v: u128) {
    // SAFETY: both cells are inside the frame (module contract).
    unsafe {
        *fp.add(slot as usize) = v as u64;
        *fp.add(slot as usize + 1) = (v >> 64) as u64;
    }
}

/// Base and length of a linear memory, as the executor caches them.
#[derive(Clone, Copy)]
pub(crate) struct MemView {
    pub(crate) base: *mut u8,
    pub(crate) len: u64,
}

impl MemView {
    pub(crate) const EMPTY: MemView = MemView {
        base: core::ptr::null_mut(),
        len: 0,
    };

    /// The host address of `addr + offset` if `N` bytes there are in bounds.
    ///
    /// One addition with carry and one comparison: `offset + N` cannot
    /// overflow a `u64`, so only `addr + (offset + N)` needs the carry
    /// (a 64-bit address near `u64::MAX`), and the access's first byte is
    /// then `end - N`, which the load folds into its addressing.
    #[inline(always)]
    pub(crate) fn at<const N: usize>(self, addr: u64, offset: u32) -> Option<*mut u8> {
        let (end, carry) = addr.overflowing_add(offset as u64 + N as u64);
        if !carry && end <= self.len {
            // SAFETY: end <= len, so the N bytes before `end` are inside the memory.
            Some(unsafe { self.base.add(end as usize).sub(N) })
        } else {
            None
        }
    }

    /// [`MemView::at`] for an address known to fit 32 bits (the fused
    /// memory-0 forms), where `addr + offset + N` cannot overflow, so the
    /// check is one comparison against `len`.
    #[inline(always)]
    pub(crate) fn at32<const N: usize>(self, addr: u32, offset: u32) -> Option<*mut u8> {
        let ea = addr as u64 + offset as u64;
        if ea + N as u64 <= self.len {
            // SAFETY: ea + N <= len, so the pointer stays inside the memory.
            Some(unsafe { self.base.add(ea as usize) })
        } else {
            None
        }
    }

    /// Reads `N` little-endian bytes at a 32-bit address (see [`MemView::at32`]).
    #[inline(always)]
    pub(crate) fn load32<const N: usize>(self, addr: u32, offset: u32) -> Option<[u8; N]> {
        let p = self.at32::<N>(addr, offset)?;
        // SAFETY: `at32` checked that N bytes at p are inside the memory.
        Some(unsafe { p.cast::<[u8; N]>().read_unaligned() })
    }

    /// Writes `N` bytes at a 32-bit address (see [`MemView::at32`]).
    #[inline(always)]
    pub(crate) fn store32<const N: usize>(self, addr: u32, offset: u32, bytes: [u8; N]) -> Option<()> {
        let p = self.at32::<N>(addr, offset)?;
        // SAFETY: `at32` checked that N bytes at p are inside the memory.
        unsafe { p.cast::<[u8; N]>().write_unaligned(bytes) };
        Some(())
    }

    /// Reads `N` little-endian bytes.
    #[inline(always)]
    pub(crate) fn load<const N: usize>(self, addr: u64, offset: u32) -> Option<[u8; N]> {
        let p = self.at::<N>(addr, offset)?;
        // SAFETY: `at` checked that N bytes at p are inside the memory.
        Some(unsafe { p.cast::<[u8; N]>().read_unaligned() })
    }

    /// Writes `N` bytes.
    #[inline(always)]
    pub(crate) fn store<const N: usize>(self, addr: u64, offset: u32, bytes: [u8; N]) -> Option<()> {
        let p = self.at::<N>(addr, offset)?;
        // SAFETY: `at` checked that N bytes at p are inside the memory.
        unsafe { p.cast::<[u8; N]>().write_unaligned(bytes) };
        Some(())
    }
}

/// Memory `mem` of instance `inst`, or an empty view if there is none.
#[inline]
pub(crate) fn mem_view(store: &crate::store::StoreInner, inst: u32, mem: u32) -> MemView {
    match store.instances[inst as usize].memories.get(mem as usize) {
        Some(&m) => {
            let m = &store.memories[m as usize];
            MemView {
                base: m.base(),
                len: m.len(),
            }
        }
        None => MemView::EMPTY,
    }
}

/// Reads a value of a GC field kind (`FieldKind` byte): two cells for `v128`.
#[inline(always)]
pub(crate) unsafe fn get_wide(fp: *mut u64, slot: Slot, kind: u8) -> u128 {
    if kind == mote_ir::FieldKind::W128 as u8 {
        // SAFETY: forwarded contract.
        unsafe { get_v128(fp, slot) }
    } else {
        // SAFETY: forwarded contract.
        unsafe { get(fp, slot) as u128 }
    }
}

/// Writes a value of a GC field kind.
#[inline(always)]
pub(crate) unsafe fn set_wide(fp: *mut u64, slot: Slot, kind: u8, v: u128) {
    if kind == mote_ir::FieldKind::W128 as u8 {
        // SAFETY: forwarded contract.
        unsafe { set_v128(fp, slot, v) }
    } else {
        // SAFETY: forwarded contract.
        unsafe { set(fp, slot, v as u64) }
    }
}
