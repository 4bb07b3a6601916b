//! Validation of every function body at load (lazy compilation mode),
//! spread over the host's cores when the module is large enough to pay
//! for the threads.

use mote_environ::wasmparser::{BinaryReader, FuncToValidate, FuncValidatorAllocations, FunctionBody};
use mote_environ::{CompileError, ModuleInfo, PendingFunc};

/// Code-section size from which validation is split across threads; below
/// it, starting a thread costs more than it saves.
#[cfg(feature = "std")]
const PARALLEL_FROM_BYTES: usize = 128 * 1024;

/// Validates the bodies of `funcs`. On failure, reports the invalid body
/// with the lowest index, whatever the order the work was done in.
pub(super) fn all_bodies(info: &ModuleInfo, bytes: &[u8], funcs: &[PendingFunc]) -> Result<(), CompileError> {
    #[cfg(feature = "std")]
    {
        let code_bytes: usize = info.bodies.iter().map(|b| b.range.len()).sum();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads > 1 && code_bytes >= PARALLEL_FROM_BYTES {
            return in_parallel(info, bytes, funcs, threads, code_bytes);
        }
    }
    in_order(info, bytes, funcs)
}

/// Validates `funcs` one after the other, stopping at the first error.
fn in_order(info: &ModuleInfo, bytes: &[u8], funcs: &[PendingFunc]) -> Result<(), CompileError> {
    let mut allocs = FuncValidatorAllocations::default();
    for pending in funcs {
        allocs = body(info, bytes, pending, allocs)?;
    }
    Ok(())
}

/// Splits `funcs` into `threads` runs of about equal code size and
/// validates them at once; the calling thread takes the first run.
#[cfg(feature = "std")]
fn in_parallel(
    info: &ModuleInfo,
    bytes: &[u8],
    funcs: &[PendingFunc],
    threads: usize,
    code_bytes: usize,
) -> Result<(), CompileError> {
    let share = code_bytes.div_ceil(threads);
    let mut runs = alloc::vec::Vec::with_capacity(threads);
    let (mut start, mut size) = (0, 0);
    for (i, pending) in funcs.iter().enumerate() {
        size += body_range(info, pending).len();
        if size >= share && runs.len() + 1 < threads {
            runs.push(&funcs[start..=i]);
            (start, size) = (i + 1, 0);
        }
    }
    runs.push(&funcs[start..]);
    let results: alloc::vec::Vec<Result<(), CompileError>> = std::thread::scope(|scope| {
        let others: alloc::vec::Vec<_> = runs[1..]
            .iter()
            .map(|&run| scope.spawn(move || in_order(info, bytes, run)))
            .collect();
        let mut results = alloc::vec![in_order(info, bytes, runs[0])];
        results.extend(
            others
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
        );
        results
    });
    // Runs are in function order, so the first failing run holds the
    // lowest invalid index.
    results.into_iter().collect()
}

fn body_range(info: &ModuleInfo, pending: &PendingFunc) -> core::ops::Range<usize> {
    info.bodies[(pending.index.0 - info.num_imported_funcs) as usize]
        .range
        .clone()
}

/// Validates one body, reusing and returning the validator's allocations.
fn body(
    info: &ModuleInfo,
    bytes: &[u8],
    pending: &PendingFunc,
    allocs: FuncValidatorAllocations,
) -> Result<FuncValidatorAllocations, CompileError> {
    let range = body_range(info, pending);
    let body = FunctionBody::new(BinaryReader::new(&bytes[range.clone()], range.start as u64));
    let mut validator = FuncToValidate {
        resources: pending.validator.resources.clone(),
        index: pending.validator.index,
        ty: pending.validator.ty,
        features: pending.validator.features,
    }
    .into_validator(allocs);
    validator
        .validate(&body)
        .map_err(|e| CompileError::from_wasmparser(e, Some(pending.index.0)))?;
    Ok(validator.into_allocations())
}
