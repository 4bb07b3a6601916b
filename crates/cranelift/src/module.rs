//! A compiled module: the position-independent code blob with its
//! function and trampoline tables (what an AOT artifact stores), and the
//! same blob mapped executable for running.

use crate::Error;
use crate::code_memory::CodeMemory;
use crate::vmctx::{TrampolineFn, VMContext, VMOffsets};
use mote_core::TrapCode;
use mote_environ::TypeIndex;

/// Where a function's code is in the blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FuncLoc {
    /// Byte offset from the blob's start.
    pub offset: u32,
    /// Length in bytes.
    pub len: u32,
}

/// An instruction that may fault on purpose: a memory access left
/// unchecked in guard-page mode. A runtime's signal handler maps a fault
/// at `offset` to `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrapSite {
    /// Byte offset from the blob's start.
    pub offset: u32,
    /// The trap it stands for.
    pub code: TrapCode,
}

/// A call inside a `try_table` in code that raises traps
/// ([`crate::CompileOptions::raises_traps`]): where the runtime resumes
/// its caller when an exception is raised below it. The handler expects
/// the caller's frame pointer and its stack pointer at the call; it
/// assumes every register clobbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandlerSite {
    /// The call's return address, as an offset from the blob's start.
    pub ret: u32,
    /// Where the handler starts, likewise.
    pub handler: u32,
    /// The distance from the caller's frame pointer down to its stack
    /// pointer at the call.
    pub frame_offset: u32,
}

/// The output of [`crate::Compiler::compile_module`]: plain data, ready to
/// be serialized or mapped.
#[derive(Debug, Clone)]
pub struct CompiledModule {
    /// All functions and trampolines, relocations already resolved.
    pub code: Vec<u8>,
    /// One entry per defined function, in order (index = function index
    /// minus the number of imported functions).
    pub funcs: Vec<FuncLoc>,
    /// The entry trampoline of each function type of the type section.
    pub trampolines: Vec<(TypeIndex, FuncLoc)>,
    /// Faulting instructions, sorted by offset (empty with explicit checks).
    pub trap_sites: Vec<TrapSite>,
    /// Calls with an exception handler, sorted by return address (empty
    /// with explicit checks).
    pub handler_sites: Vec<HandlerSite>,
    /// The target triple the code is for.
    pub triple: String,
    /// The compiler's settings ([`crate::fingerprint::settings`]).
    pub settings: String,
    /// The CPU features the code may use: the Cranelift ISA flags the
    /// compiler had enabled, sorted.
    pub cpu_features: Vec<String>,
    /// `Some(bytes)` if memory accesses were left unchecked (guard-page
    /// mode): the code may only run where every memory has that many bytes
    /// reserved and faults at [`CompiledModule::trap_sites`] become traps.
    pub unchecked_reservation: Option<u64>,
    /// Whether the code meters fuel.
    pub consume_fuel: bool,
    /// The `VMContext` layout the code expects.
    pub offsets: VMOffsets,
}

impl CompiledModule {
    /// Maps the code executable in this process.
    ///
    /// # Errors
    /// [`Error::Target`] if the code is for another target,
    /// [`Error::CodeMemory`] if mapping fails.
    pub fn load(&self) -> Result<LoadedModule, Error> {
        let host = target_lexicon::HOST;
        if self.triple != host.to_string() {
            let same_arch = self.triple.split('-').next() == Some(host.architecture.to_string().as_str());
            if !same_arch {
                return Err(Error::Target {
                    triple: self.triple.clone(),
                    message: format!("code cannot run on this host ({host})"),
                });
            }
        }
        Ok(LoadedModule {
            memory: CodeMemory::new(&self.code)?,
            funcs: self.funcs.clone(),
            trampolines: self.trampolines.clone(),
        })
    }
}

/// A compiled module mapped executable.
pub struct LoadedModule {
    memory: CodeMemory,
    funcs: Vec<FuncLoc>,
    trampolines: Vec<(TypeIndex, FuncLoc)>,
}

impl LoadedModule {
    /// The native-ABI entry of defined function `defined` (function index
    /// minus imported functions), for a `VMFuncRef::wasm_call`.
    ///
    /// # Panics
    /// If `defined` is out of range.
    pub fn func_ptr(&self, defined: usize) -> *const u8 {
        // SAFETY: offsets come from the layout of this very blob.
        unsafe { self.memory.as_ptr().add(self.funcs[defined].offset as usize) }
    }

    /// The entry trampoline of function type `ty`, if it has one (types
    /// with `v128` have none yet).
    pub fn trampoline(&self, ty: TypeIndex) -> Option<TrampolineFn> {
        let loc = self.trampolines.iter().find(|(t, _)| *t == ty)?.1;
        // SAFETY: the trampoline at `loc` was compiled with exactly the
        // `TrampolineFn` signature in the host calling convention, and the
        // mapping is executable and lives as long as `self`.
        Some(unsafe { core::mem::transmute::<*const u8, TrampolineFn>(self.memory.as_ptr().add(loc.offset as usize)) })
    }

    /// Calls `code` (a function of type `ty` from this or another loaded
    /// module) through its trampoline with the array ABI.
    ///
    /// # Safety
    /// `code` must be a compiled function of type `ty`; `vmctx` must be a
    /// complete `VMContext` for the function's module whose store context
    /// has its trap cell cleared and a valid stack limit; `values` must
    /// hold `max(params, results)` cells. The caller reads the trap cell
    /// afterwards.
    ///
    /// # Panics
    /// If this module has no trampoline for `ty`.
    pub unsafe fn call(&self, ty: TypeIndex, code: *const u8, vmctx: *mut VMContext, values: &mut [u64]) {
        let tramp = self.trampoline(ty).expect("no trampoline for this type");
        // SAFETY: forwarded from the caller's contract; the host is both
        // caller and callee context for an entry from the host.
        unsafe { tramp(code, vmctx, vmctx, values.as_mut_ptr()) }
    }

    /// The defined function (index minus imported functions) whose code
    /// holds address `pc`, if any: trampolines are in the mapping too but
    /// are no function. For backtraces, so a linear search.
    pub fn func_at(&self, pc: usize) -> Option<usize> {
        let offset = pc.checked_sub(self.memory.as_ptr() as usize)?;
        self.funcs
            .iter()
            .position(|f| (f.offset as usize..f.offset as usize + f.len as usize).contains(&offset))
    }

    /// The mapped code, for symbolizing a fault or profiling.
    pub fn code(&self) -> &CodeMemory {
        &self.memory
    }
}
