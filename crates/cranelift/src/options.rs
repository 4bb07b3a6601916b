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
