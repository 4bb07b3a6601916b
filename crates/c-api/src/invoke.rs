//! Calling a C function whose signature is known only at run time.
//!
//! WAMR does this with a hand-written assembly routine per architecture
//! (`invokeNative`). Mote does the same in Rust, relying on how the
//! supported C calling conventions pass arguments:
//!
//! - x86-64 System V: the first six integer or pointer arguments go in
//!   integer registers, the first eight `float`/`double` ones in vector
//!   registers (a `float` in the low 32 bits), and the rest on the stack in
//!   order, one 8-byte slot each.
//! - AArch64 (AAPCS64): the same with eight integer registers. Apple's
//!   variant packs stack arguments tightly, so there only register
//!   arguments are supported.
//!
//! The two classes fill their registers independently. So any signature
//! can be called through one "wide" function type, with every integer
//! register, every vector register and a fixed number of stack slots as
//! parameters: each argument is placed in the next free register of its
//! class, or the next stack slot, and unused ones are zero. A callee that
//! declares fewer parameters ignores the extra ones, which its caller (this
//! code) pushes and pops. Results come back in the integer or the vector
//! return register, read as 64 bits and narrowed by the caller.
//!
//! Other targets support only raw natives
//! (`wasm_runtime_register_natives_raw`).

use crate::signature::Param;
use std::ffi::c_void;

/// One argument as the callee receives it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Arg {
    /// An integer or a pointer, widened to 64 bits.
    Int(u64),
    /// A `float`, by its bits.
    F32(u32),
    /// A `double`, by its bits.
    F64(u64),
}

/// Vector registers for arguments, on every supported target.
const FLOAT_REGS: usize = 8;
/// Stack slots the wide function type has.
const STACK_SLOTS: usize = 8;

#[cfg(all(target_arch = "x86_64", not(windows)))]
mod abi {
    use std::ffi::c_void;

    pub(super) const INT_REGS: usize = 6;
    pub(super) const USABLE_STACK_SLOTS: usize = super::STACK_SLOTS;

    type Wide<R> = unsafe extern "C" fn(
        u64,
        u64,
        u64,
        u64,
        u64,
        u64,
        f64,
        f64,
        f64,
        f64,
        f64,
        f64,
        f64,
        f64,
        u64,
        u64,
        u64,
        u64,
        u64,
        u64,
        u64,
        u64,
    ) -> R;

    /// # Safety
    /// As [`super::call`], with the arguments already placed.
    #[rustfmt::skip]
    pub(super) unsafe fn call<R>(func: *const c_void, frame: &super::Frame) -> R {
        // SAFETY: `func` is a C function; calling it through the wide type
        // passes its parameters where it reads them (see the module docs).
        let f = unsafe { std::mem::transmute::<*const c_void, Wide<R>>(func) };
        let [i0, i1, i2, i3, i4, i5] = frame.ints;
        let [f0, f1, f2, f3, f4, f5, f6, f7] = frame.floats;
        let [s0, s1, s2, s3, s4, s5, s6, s7] = frame.stack;
        // SAFETY: as above.
        unsafe { f(i0, i1, i2, i3, i4, i5, f0, f1, f2, f3, f4, f5, f6, f7, s0, s1, s2, s3, s4, s5, s6, s7) }
    }
}

#[cfg(target_arch = "aarch64")]
mod abi {
    use std::ffi::c_void;

    pub(super) const INT_REGS: usize = 8;
    pub(super) const USABLE_STACK_SLOTS: usize = if cfg!(target_vendor = "apple") {
        0
    } else {
        super::STACK_SLOTS
    };

    type Wide<R> = unsafe extern "C" fn(
        u64,
        u64,
        u64,
        u64,
        u64,
        u64,
        u64,
        u64,
        f64,
        f64,
        f64,
        f64,
        f64,
        f64,
        f64,
        f64,
        u64,
        u64,
        u64,
        u64,
        u64,
        u64,
        u64,
        u64,
    ) -> R;

    /// # Safety
    /// As [`super::call`], with the arguments already placed.
    #[rustfmt::skip]
    pub(super) unsafe fn call<R>(func: *const c_void, frame: &super::Frame) -> R {
        // SAFETY: `func` is a C function; calling it through the wide type
        // passes its parameters where it reads them (see the module docs).
        let f = unsafe { std::mem::transmute::<*const c_void, Wide<R>>(func) };
        let [i0, i1, i2, i3, i4, i5, i6, i7] = frame.ints;
        let [f0, f1, f2, f3, f4, f5, f6, f7] = frame.floats;
        let [s0, s1, s2, s3, s4, s5, s6, s7] = frame.stack;
        // SAFETY: as above.
        unsafe { f(i0, i1, i2, i3, i4, i5, i6, i7, f0, f1, f2, f3, f4, f5, f6, f7, s0, s1, s2, s3, s4, s5, s6, s7) }
    }
}

#[cfg(not(any(all(target_arch = "x86_64", not(windows)), target_arch = "aarch64")))]
mod abi {
    pub(super) const INT_REGS: usize = 0;
    pub(super) const USABLE_STACK_SLOTS: usize = 0;
}

/// The arguments of one call, placed in registers and stack slots.
struct Frame {
    ints: [u64; abi::INT_REGS],
    floats: [f64; FLOAT_REGS],
    stack: [u64; STACK_SLOTS],
}

impl Frame {
    /// Places `args`; `None` if they do not fit.
    fn new(args: &[Arg]) -> Option<Self> {
        let mut frame = Frame {
            ints: [0; abi::INT_REGS],
            floats: [0.0; FLOAT_REGS],
            stack: [0; STACK_SLOTS],
        };
        let (mut ints, mut floats, mut stack) = (0, 0, 0);
        for &arg in args {
            let (bits, is_float) = match arg {
                Arg::Int(v) => (v, false),
                Arg::F32(v) => (u64::from(v), true),
                Arg::F64(v) => (v, true),
            };
            if !is_float && ints < abi::INT_REGS {
                frame.ints[ints] = bits;
                ints += 1;
            } else if is_float && floats < FLOAT_REGS {
                frame.floats[floats] = f64::from_bits(bits);
                floats += 1;
            } else if stack < abi::USABLE_STACK_SLOTS {
                frame.stack[stack] = bits;
                stack += 1;
            } else {
                return None;
            }
        }
        Some(frame)
    }
}

/// Whether a native taking the exec env and then `params` can be called on
/// this target.
pub(crate) fn supports(params: &[Param]) -> bool {
    let floats = params.iter().filter(|p| matches!(p, Param::F32 | Param::F64)).count();
    let ints = params.len() - floats + 1;
    ints.saturating_sub(abi::INT_REGS) + floats.saturating_sub(FLOAT_REGS) <= abi::USABLE_STACK_SLOTS
        && abi::INT_REGS > 0
}

/// Calls `func` with `args` and returns the raw bits of its result: the
/// integer return register, or the vector one when `float_result` (a
/// `float` in the low 32 bits). `None` if the arguments do not fit, which
/// [`supports`] rules out at registration.
///
/// # Safety
/// `func` is a C function taking exactly the parameters `args` describes,
/// in order (integers and pointers as [`Arg::Int`], `float` as
/// [`Arg::F32`], `double` as [`Arg::F64`]), and returning an integer, a
/// pointer or nothing, or when `float_result` a `float` or `double`.
#[cfg(any(all(target_arch = "x86_64", not(windows)), target_arch = "aarch64"))]
pub(crate) unsafe fn call(func: *const c_void, args: &[Arg], float_result: bool) -> Option<u64> {
    let frame = Frame::new(args)?;
    // SAFETY: forwarded contract; `frame` holds `args` as the ABI places them.
    Some(unsafe {
        if float_result {
            abi::call::<f64>(func, &frame).to_bits()
        } else {
            abi::call::<u64>(func, &frame)
        }
    })
}

/// No typed native calls on this target.
///
/// # Safety
/// None needed; it calls nothing.
#[cfg(not(any(all(target_arch = "x86_64", not(windows)), target_arch = "aarch64")))]
pub(crate) unsafe fn call(_func: *const c_void, args: &[Arg], _float_result: bool) -> Option<u64> {
    Frame::new(args).map(|_| 0)
}

/// Calls a raw native, `void f(wasm_exec_env_t exec_env, uint64_t *args)`.
///
/// # Safety
/// `func` has that type, and `args` holds what it reads and writes.
pub(crate) unsafe fn call_raw(func: *const c_void, exec_env: *mut c_void, args: *mut u64) {
    // SAFETY: `func` has exactly this type, per the contract.
    let f = unsafe { std::mem::transmute::<*const c_void, unsafe extern "C" fn(*mut c_void, *mut u64)>(func) };
    // SAFETY: as above.
    unsafe { f(exec_env, args) }
}
