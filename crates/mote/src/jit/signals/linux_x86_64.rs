//! The x86-64 Linux half of guard-page traps: the entry stub with its
//! landing, the per-thread activation records and the SIGSEGV/SIGBUS/SIGILL
//! handler (see the parent module for the scheme; SIGILL comes from the
//! `ud2` of a conditional trap).

use super::registry;
use crate::jit::backtrace::{self, CallSite, MAX_FRAMES};
use alloc::vec::Vec;
use core::cell::Cell;
use core::ffi::{c_int, c_void};
use core::ptr;
use mote_cranelift::vmctx::{TrampolineFn, VMContext};
use std::sync::OnceLock;

/// One host → wasm entry on this thread.
struct Activation {
    /// The stub's stack pointer after it saved the registers: where the
    /// landing resumes.
    sp: Cell<usize>,
    /// The trap code of the site that faulted, set by the handler.
    trap: Cell<u32>,
    /// The enclosing entry's record (entries nest through host functions).
    prev: *const Activation,
}

/// The return addresses of the faulting frames, innermost first (the
/// faulting pc itself first), and how many: the handler reads them before
/// it abandons the frames, and may not allocate. One per thread, not per
/// activation: only one trap is in flight on a thread, and [`call`] takes
/// it out as soon as its landing returns.
struct FaultTrace {
    pcs: [Cell<usize>; MAX_FRAMES],
    len: Cell<usize>,
}

std::thread_local! {
    /// The innermost entry of this thread, null outside wasm. Constant
    /// initialization and no destructor: reading it from the signal
    /// handler touches no lazy state.
    static ACTIVE: Cell<*const Activation> = const { Cell::new(ptr::null()) };
    /// The last fault's trace on this thread; as [`ACTIVE`], safe to use
    /// from the handler.
    static FAULT_TRACE: FaultTrace = const {
        FaultTrace {
            pcs: [const { Cell::new(0) }; MAX_FRAMES],
            len: Cell::new(0),
        }
    };
}

/// See [`super::call`].
///
/// # Safety
/// As for calling `trampoline` directly.
pub(super) unsafe fn call(
    trampoline: TrampolineFn,
    code: *const u8,
    callee: *mut VMContext,
    caller: *mut VMContext,
    values: *mut u64,
    trace: &mut Vec<usize>,
) -> u32 {
    let act = Activation {
        sp: Cell::new(0),
        trap: Cell::new(0),
        prev: ACTIVE.with(Cell::get),
    };
    ACTIVE.with(|a| a.set(&act));
    // SAFETY: `guarded_call` calls `trampoline` with the other arguments
    // exactly as a direct call would, after storing its stack pointer in
    // `act.sp`, which outlives the call.
    let trapped = unsafe { guarded_call(act.sp.as_ptr(), trampoline, code, callee, caller, values) };
    ACTIVE.with(|a| a.set(act.prev));
    if trapped == 0 {
        return 0;
    }
    FAULT_TRACE.with(|t| {
        trace.extend(t.pcs[..t.len.get()].iter().map(Cell::get));
        t.len.set(0);
    });
    act.trap.get()
}

/// See [`super::raise`]: resumes the handler of the nearest call with
/// one above frame `from`, or the innermost activation's landing, so that
/// [`call`] returns `code` (nonzero) with no trace of its own (the trap's
/// frames were recorded where it was raised, into the store context).
///
/// # Safety
/// Only from the `raise` libcall, called by compiled code running inside
/// an activation of this thread, with `from` its frame pointer if given:
/// every frame between here and that activation's stub is compiled code,
/// which holds nothing to clean up, or the libcall's own, which holds
/// nothing to drop.
pub(super) unsafe fn raise(code: u32, from: Option<usize>) -> ! {
    let act = ACTIVE.with(Cell::get);
    if act.is_null() {
        // Compiled code runs only inside an activation: nothing to return to.
        std::process::abort();
    }
    // SAFETY: `act` is this thread's innermost live activation (set and
    // reset around each entry by `call`).
    let top = unsafe { (*act).sp.get() };
    if let Some(from) = from {
        // SAFETY: per the contract, `from` is a compiled frame below the
        // activation's stub; `handler_frame` reads only the frame chain
        // between them.
        if let Some((handler, sp, fp)) = unsafe { handler_frame(from, top) } {
            // SAFETY: `fp` is a live compiled frame and `sp` its stack
            // pointer at the call whose handler `handler` is: the handler
            // runs there with every register but these clobbered (a
            // `try_call`'s exception edge), abandoning the frames below.
            unsafe {
                core::arch::asm!(
                    "mov rsp, {sp}",
                    "mov rbp, {fp}",
                    "jmp {handler}",
                    sp = in(reg) sp,
                    fp = in(reg) fp,
                    handler = in(reg) handler,
                    options(noreturn),
                )
            }
        }
    }
    // SAFETY: as above.
    unsafe { (*act).trap.set(code) };
    // SAFETY: `top` is the stack pointer `guarded_call` saved in this
    // activation, whose frame is still live above every frame abandoned
    // here (per the contract); the landing restores its registers from
    // there and returns from it, as after a fault.
    unsafe {
        core::arch::asm!(
            "mov rsp, {sp}",
            "jmp {landing}",
            sp = in(reg) top,
            landing = sym landing,
            options(noreturn),
        )
    }
}

/// The nearest caller of frame `fp`, up the frame-pointer chain below
/// `top`, whose call has an exception handler: (handler address, the
/// caller's stack pointer at the call, its frame pointer).
///
/// # Safety
/// `fp` must be a compiled frame of this thread below `top`, with compiled
/// frames (which keep frame pointers) up to the activation's stub.
unsafe fn handler_frame(mut fp: usize, top: usize) -> Option<(usize, usize, usize)> {
    while fp != 0 && fp.is_multiple_of(8) && fp.saturating_add(16) <= top {
        // SAFETY: `fp..fp + 16` is a frame record below `top` (checked).
        let (caller_fp, ret) = unsafe { (*(fp as *const usize), *((fp + 8) as *const usize)) };
        if let Some((handler, frame_offset)) = registry::handler_at(ret) {
            return Some((handler, caller_fp.checked_sub(frame_offset)?, caller_fp));
        }
        if caller_fp <= fp {
            return None;
        }
        fp = caller_fp;
    }
    None
}

/// Saves the callee-saved registers, stores the stack pointer at
/// `sp_slot`, calls `trampoline(code, callee, caller, values)` and returns
/// 0 through [`restore_and_return`]. The handler may instead resume
/// [`landing`] with that stack pointer, which returns 1 the same way.
#[unsafe(naked)]
unsafe extern "sysv64" fn guarded_call(
    sp_slot: *mut usize,
    trampoline: TrampolineFn,
    code: *const u8,
    callee: *mut VMContext,
    caller: *mut VMContext,
    values: *mut u64,
) -> u32 {
    core::arch::naked_asm!(
        "push rbp",
        "mov rbp, rsp",
        "push rbx",
        "push r12",
        "push r13",
        "push r14",
        "push r15",
        // Six pushes after the return address: 8 more bytes align the
        // stack to 16 for the call.
        "sub rsp, 8",
        "mov [rdi], rsp",
        "mov rax, rsi",
        "mov rdi, rdx",
        "mov rsi, rcx",
        "mov rdx, r8",
        "mov rcx, r9",
        "call rax",
        "xor eax, eax",
        "jmp {epilogue}",
        epilogue = sym restore_and_return,
    )
}

/// Where a trapped call resumes, with the stack pointer [`guarded_call`]
/// saved: returns 1 from it.
#[unsafe(naked)]
unsafe extern "sysv64" fn landing() {
    core::arch::naked_asm!(
        "mov eax, 1",
        "jmp {epilogue}",
        epilogue = sym restore_and_return,
    )
}

/// [`guarded_call`]'s epilogue, jumped to (never called) with its saved
/// stack pointer and the result in eax: restores the registers it saved
/// and returns to its caller.
#[unsafe(naked)]
unsafe extern "sysv64" fn restore_and_return() {
    core::arch::naked_asm!(
        "add rsp, 8",
        "pop r15",
        "pop r14",
        "pop r13",
        "pop r12",
        "pop rbx",
        "pop rbp",
        "ret",
    )
}

/// The dispositions our handler replaced, one per entry of [`SIGNALS`].
struct Previous([libc::sigaction; 3]);

// SAFETY: plain data (handler addresses, masks and flags), written once
// before our handler is installed and only read afterwards.
unsafe impl Sync for Previous {}
// SAFETY: as above.
unsafe impl Send for Previous {}

/// Set before our handler is installed, so the handler always finds it.
static PREVIOUS: OnceLock<Previous> = OnceLock::new();
/// The outcome of installing, once per process.
static INSTALLED: OnceLock<Result<(), i32>> = OnceLock::new();

const SIGNALS: [c_int; 3] = [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL];

/// Installs the handler once per process.
///
/// # Errors
/// The OS error number if `sigaction` failed.
pub(super) fn install() -> Result<(), i32> {
    *INSTALLED.get_or_init(|| {
        let last_error = || std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        // SAFETY: `sigaction` reads and writes plain-data structs; a zeroed
        // `sigaction` is a valid value (no handler, empty mask, no flags).
        let mut previous: [libc::sigaction; 3] = unsafe { core::mem::zeroed() };
        for (sig, prev) in SIGNALS.iter().zip(&mut previous) {
            // SAFETY: only reads the current disposition into `prev`.
            if unsafe { libc::sigaction(*sig, ptr::null(), prev) } != 0 {
                return Err(last_error());
            }
        }
        if PREVIOUS.set(Previous(previous)).is_err() {
            return Err(0);
        }
        // SAFETY: as above.
        let mut ours: libc::sigaction = unsafe { core::mem::zeroed() };
        ours.sa_sigaction = on_fault as *const () as usize;
        ours.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
        // SAFETY: `ours.sa_mask` is a valid signal set to clear.
        unsafe { libc::sigemptyset(&mut ours.sa_mask) };
        for sig in SIGNALS {
            // SAFETY: `on_fault` has the `SA_SIGINFO` handler signature
            // and only does what a handler may (see its comment).
            if unsafe { libc::sigaction(sig, &ours, ptr::null_mut()) } != 0 {
                return Err(last_error());
            }
        }
        Ok(())
    })
}

/// The SIGSEGV/SIGBUS/SIGILL handler. It allocates nothing and takes no lock its
/// own thread could hold (see [`registry::trap_at`]).
extern "C" fn on_fault(sig: c_int, info: *mut libc::siginfo_t, context: *mut c_void) {
    let act = ACTIVE.with(Cell::get);
    if !act.is_null() {
        // SAFETY: the kernel passes a valid `ucontext_t` to an
        // `SA_SIGINFO` handler, ours alone for the handler's duration.
        let regs = unsafe { &mut (*context.cast::<libc::ucontext_t>()).uc_mcontext.gregs };
        let pc = regs[libc::REG_RIP as usize] as usize;
        if let Some(code) = registry::trap_at(pc) {
            let fp = regs[libc::REG_RBP as usize] as usize;
            // SAFETY: `act` is the innermost live activation of this
            // thread (set and reset around each entry by `call`). The
            // faulting code is a compiled function, whose frame pointer
            // is in rbp, on this thread's stack below the stack pointer
            // the entry stub saved.
            let sp = unsafe {
                let act = &*act;
                act.trap.set(code);
                let mut len = 0;
                backtrace::walk(CallSite { fp, pc }, act.sp.get(), |ret| {
                    FAULT_TRACE.with(|t| t.pcs[len].set(ret));
                    len += 1;
                    true
                });
                FAULT_TRACE.with(|t| t.len.set(len));
                act.sp.get()
            };
            regs[libc::REG_RSP as usize] = sp as i64;
            regs[libc::REG_RIP as usize] = landing as *const () as usize as i64;
            return;
        }
    }
    // SAFETY: forwarding the kernel's own arguments.
    unsafe { chain(sig, info, context) }
}

/// Hands a fault that is not ours to the disposition we replaced.
///
/// # Safety
/// Only from the handler, with the kernel's arguments.
unsafe fn chain(sig: c_int, info: *mut libc::siginfo_t, context: *mut c_void) {
    let Some(previous) = PREVIOUS.get() else {
        return;
    };
    let Some(prev) = SIGNALS.iter().position(|&s| s == sig).map(|i| &previous.0[i]) else {
        return;
    };
    if prev.sa_sigaction == libc::SIG_DFL || prev.sa_sigaction == libc::SIG_IGN {
        // Put the old disposition back and return: the faulting
        // instruction runs again and gets the default action (a crash).
        // SAFETY: `prev` is a disposition the kernel gave us.
        unsafe { libc::sigaction(sig, prev, ptr::null_mut()) };
    } else if prev.sa_flags & libc::SA_SIGINFO != 0 {
        // SAFETY: with `SA_SIGINFO`, the address is such a handler.
        let handler: extern "C" fn(c_int, *mut libc::siginfo_t, *mut c_void) =
            unsafe { core::mem::transmute(prev.sa_sigaction) };
        handler(sig, info, context);
    } else {
        // SAFETY: without `SA_SIGINFO`, the address is a plain handler.
        let handler: extern "C" fn(c_int) = unsafe { core::mem::transmute(prev.sa_sigaction) };
        handler(sig);
    }
}
