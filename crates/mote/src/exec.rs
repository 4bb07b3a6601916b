//! The interpreter's executor: runs `mote_ir` code over a value stack.
//!
//! A store owns one [`ExecState`]: a value stack of 64-bit cells allocated
//! once (zeroed lazily by the OS) and a call-frame stack. Wasm-to-wasm calls
//! never recurse on the native stack; host-to-wasm re-entry does, and is
//! bounded by [`MAX_HOST_REENTRY`]. Call depth and stack size are bounded by
//! the engine's `Config`, so runaway recursion ends in a trap.

#[macro_use]
mod handler_macros;
pub(crate) mod bulk;
mod control_ops;
pub(crate) mod dispatch;
pub(crate) mod gc_ops;
mod latch_ops;
mod load_branch_ops;
mod run;
mod simple_ops;
mod slots;
mod stack_mem;
mod support;

use crate::Error;
use crate::engine::Config;
use crate::func::FuncKind;
use crate::store::StoreInner;
use alloc::vec::Vec;
use core::any::Any;
use mote_core::TrapCode;
use stack_mem::StackMem;

/// Nested host → wasm entries allowed before a stack-overflow trap, so that
/// mutual recursion through host functions cannot exhaust the native stack.
pub(crate) const MAX_HOST_REENTRY: u32 = 128;

/// A suspended caller, restored by `Return`.
#[derive(Clone, Copy)]
pub(crate) struct CallFrame {
    /// Store index of the function.
    func: u32,
    instance: u32,
    code: *const dispatch::Code,
    ip: *const dispatch::Op,
    /// Cell index of the frame base in the value stack.
    fp: usize,
    /// The activation's memory-growth count at the call.
    grows: u32,
}

/// Where a direct call of one function index of an instance goes, cached
/// per instance so that a call is one lookup: the callee's store index,
/// and once it has been translated, its code and instance.
#[derive(Clone, Copy)]
pub(crate) struct CallTarget {
    /// Null until the first call through this entry finds the callee
    /// translated (and always for host functions).
    code: *const dispatch::Code,
    func: u32,
    instance: u32,
}

impl CallTarget {
    /// The entry for store function `func`, not yet resolved.
    pub(crate) fn unresolved(func: u32) -> CallTarget {
        CallTarget {
            code: core::ptr::null(),
            func,
            instance: u32::MAX,
        }
    }
}

// SAFETY: `code` points into a module the store keeps alive; targets move
// between threads only with their store.
unsafe impl Send for CallTarget {}
// SAFETY: shared references never write through `code`.
unsafe impl Sync for CallTarget {}

/// Per-store interpreter state.
pub(crate) struct ExecState {
    stack: Option<StackMem>,
    /// First free cell: where a new entry from the host starts its frame.
    sp: usize,
    frames: Vec<CallFrame>,
    max_depth: usize,
    max_cells: usize,
    reentry: u32,
}

// SAFETY: the raw pointers in `frames` point into modules and the value
// stack owned by the same store, which moves between threads as a whole.
unsafe impl Send for ExecState {}
// SAFETY: shared references to ExecState give no access to the pointers.
unsafe impl Sync for ExecState {}

impl ExecState {
    pub(crate) fn new(config: &Config) -> ExecState {
        ExecState {
            stack: None,
            sp: 0,
            frames: Vec::new(),
            max_depth: config.max_call_depth,
            max_cells: config.max_stack_cells,
            reentry: 0,
        }
    }
}

/// Calls store function `func` with the array ABI: `cells` holds the
/// parameters on entry and the results on success.
pub(crate) fn invoke(store: &mut StoreInner, data: &mut dyn Any, func: u32, cells: &mut [u64]) -> Result<(), Error> {
    let (instance, index) = match &store.funcs[func as usize].kind {
        FuncKind::Host(h) => {
            let callback = h.callback.clone();
            return callback(store, data, None, cells);
        }
        FuncKind::Wasm { instance, index, .. } => (*instance, *index),
    };
    #[cfg(feature = "aot")]
    if store.jit.is_some() {
        return crate::jit::entry::invoke(store, data, func, instance, index, cells);
    }
    if store.exec.reentry >= MAX_HOST_REENTRY {
        return Err(TrapCode::StackOverflow.into());
    }
    let max_cells = store.exec.max_cells;
    let stack = store.exec.stack.get_or_insert_with(|| StackMem::new(max_cells));
    let stack_len = stack.len();
    let module = store.instances[instance as usize].module.clone();
    let defined = (index.0 - module.info().num_imported_funcs) as usize;
    let code = module.code(defined).map_err(|e| Error::from(e.clone()))?;
    let ty = module.info().func_type_of(index);
    let base = store.exec.sp;
    if base + code.func.frame_cells as usize > stack_len {
        return Err(TrapCode::StackOverflow.into());
    }
    let params = ty.param_cells() as usize;
    let results = ty.result_cells() as usize;
    // SAFETY: `base + frame_cells <= stack_len` was checked above, and the
    // frame is above every live frame (`sp` marks the first free cell).
    let frame = unsafe { stack.cells_mut(base, code.func.frame_cells as usize) };
    frame[..params].copy_from_slice(&cells[..params]);
    frame[params..code.func.local_cells as usize].fill(0);
    store.exec.reentry += 1;
    let result = run::run(store, data, func, instance, code, base);
    store.exec.reentry -= 1;
    result?;
    let stack = store.exec.stack.as_mut().expect("allocated above");
    // SAFETY: as above; the results are in the first cells of the frame.
    let frame = unsafe { stack.cells_mut(base, results) };
    cells[..results].copy_from_slice(frame);
    Ok(())
}
