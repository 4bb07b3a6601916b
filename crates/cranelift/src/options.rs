//! Compilation options that change the generated code.

/// How linear-memory accesses are kept in bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoundsChecks {
    /// Every access compares its end with the memory's current length and
    /// traps with `MemoryOutOfBounds`: portable, needs no signal handler.
    #[default]
    Explicit,
    /// Accesses to 32-bit memories whose index space plus offset fits in a
    /// reservation of `reservation` bytes (inaccessible beyond the current
    /// length) are not checked: an out-of-bounds access faults. Only for
    /// 64-bit hosts whose runtime reserves that much per memory and turns
    /// a fault at one of [`crate::CompiledModule::trap_sites`] into a
    /// `MemoryOutOfBounds` trap (a signal handler); accesses whose offset
    /// does not fit keep their explicit check.
    ///
    /// Code compiled so also leaves by [`CompileOptions::raises_traps`]:
    /// the runtime that catches its faults has host → wasm entries a trap
    /// can jump back to. x86-64 targets only.
    GuardPages {
        /// Bytes reserved from each memory's base (e.g. 8 GiB).
        reservation: u64,
    },
}

/// What the compiler generates.
#[derive(Debug, Clone, Default)]
pub struct CompileOptions {
    /// How memory accesses are checked.
    pub bounds_checks: BoundsChecks,
    /// Whether to meter fuel (see the `VMStoreContext::fuel` field).
    pub consume_fuel: bool,
    /// Optimization level.
    pub opt_level: crate::OptLevel,
    /// Compile functions on several threads (the available parallelism).
    pub parallel: bool,
}

impl CompileOptions {
    /// Whether a trap or exception leaves compiled code by calling the
    /// runtime's `raise` libcall, which jumps straight back to the
    /// innermost host → wasm entry (`VMLibcalls::raise`), rather than by
    /// returning from every frame with the trap cell set. Then no call of
    /// a wasm function tests the cell afterwards: fewer blocks, faster to
    /// compile and to run. Calls inside a `try_table` are `try_call`s
    /// whose handlers the runtime resumes for an exception raised below
    /// them ([`crate::HandlerSite`]). Only with guard pages, whose runtime
    /// already has such entries for its signal handler.
    pub fn raises_traps(&self) -> bool {
        matches!(self.bounds_checks, BoundsChecks::GuardPages { .. })
    }
}
