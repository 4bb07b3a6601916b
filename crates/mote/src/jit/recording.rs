//! Entries of the libcalls that may raise a trap: each notes where its
//! compiled caller is (frame pointer and return address, in
//! `StoreCtx::call_site`) and then jumps to the libcall, so that the
//! trap's backtrace can be read from that frame up (see
//! [`super::backtrace`]). A Rust function cannot find its caller's frame
//! itself: by the time its body runs, the frame-pointer register may
//! already hold its own data.
//!
//! x86-64 with the System V calling convention has the assembly entries;
//! elsewhere an entry only forwards the call, and traps of compiled code
//! carry no backtrace.

/// `recording_entry!(ENTRY => LIBCALL(ARGS) [-> RET]);` defines `ENTRY`,
/// with `LIBCALL`'s signature, whose first argument is the caller's
/// `*mut VMContext`.
#[cfg(all(target_arch = "x86_64", not(windows)))]
macro_rules! recording_entry {
    ($entry:ident => $libcall:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)?) => {
        #[unsafe(naked)]
        unsafe extern "C" fn $entry($($arg: $ty),*) $(-> $ret)? {
            // rdi: the VMContext, whose header points to the StoreCtx
            // (`vm` first). rax and r11 are scratch registers that carry
            // no argument. [rsp]: the return address into the caller.
            core::arch::naked_asm!(
                "mov rax, [rdi + {store}]",
                "mov [rax + {fp}], rbp",
                "mov r11, [rsp]",
                "mov [rax + {pc}], r11",
                "jmp {libcall}",
                store = const mote_cranelift::vmctx::header_offsets::STORE,
                fp = const core::mem::offset_of!(crate::jit::store_ctx::StoreCtx, call_site)
                    + core::mem::offset_of!(crate::jit::backtrace::CallSite, fp),
                pc = const core::mem::offset_of!(crate::jit::store_ctx::StoreCtx, call_site)
                    + core::mem::offset_of!(crate::jit::backtrace::CallSite, pc),
                libcall = sym $libcall,
            )
        }
    };
}

#[cfg(not(all(target_arch = "x86_64", not(windows))))]
macro_rules! recording_entry {
    ($entry:ident => $libcall:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)?) => {
        unsafe extern "C" fn $entry($($arg: $ty),*) $(-> $ret)? {
            // SAFETY: the same call, with the caller's own arguments.
            unsafe { $libcall($($arg),*) }
        }
    };
}

pub(crate) use recording_entry;
