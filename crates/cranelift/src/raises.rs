//! Which defined functions can return with the store's trap cell set: a
//! pass over the bodies before translation, so that a direct call to a
//! function that cannot needs no test of the cell afterwards.
//!
//! The test after a call (a load, a branch and a new block) is the largest
//! share of the blocks a typical module's code has beyond its own control
//! flow, and blocks are what the register allocator pays for most. It can
//! only be left out where the callee provably never sets the cell on its
//! way back, which holds only in guard-page mode without fuel metering:
//! there every check the compiler emits (bounds, division, conversions,
//! null and signature checks, `unreachable`, the stack limit) is a
//! conditional trap instruction whose fault the runtime's signal handler
//! turns into the trap directly, unwinding to the host's entry. What still
//! goes through the cell is:
//!
//! - calls through a `VMFuncRef` (imported functions, `call_indirect`,
//!   `call_ref` and their tail-call forms): the callee may be a host
//!   function or another module's code that throws an exception;
//! - libcalls that can trap (bulk memory and table operations);
//! - the GC and exception-handling operators (libcalls and `throw`);
//! - direct calls and tail calls to a function that can itself return with
//!   the cell set.
//!
//! Operators are classified by the proposal `wasmparser` files them under,
//! so a new operator of an unlisted proposal counts as raising until
//! someone looks at it. The translator checks the result: a function this
//! pass calls clean must not end up with a path that leaves it through the
//! trap cell ([`crate::Error::Codegen`] otherwise, never wrong code).

use crate::Error;
use crate::options::{BoundsChecks, CompileOptions};
use mote_environ::{FuncIndex, ModuleInfo};
use wasmparser::{BinaryReader, FunctionBody, Operator};

/// What one operator contributes to its function's verdict.
enum Effect {
    /// Cannot set the trap cell.
    None,
    /// May set the trap cell (or pass on one set further down).
    Raises,
    /// A direct call or tail call of defined function `callee`: raises if
    /// the callee does.
    Calls(u32),
}

/// Per defined function (function index minus imported functions):
/// whether it can return with the trap cell set. Every function can
/// unless the options allow the analysis (see the module docs).
///
/// # Errors
/// [`Error::InvalidBody`] if a body cannot be decoded.
pub(crate) fn may_raise(info: &ModuleInfo, wasm: &[u8], options: &CompileOptions) -> Result<Vec<bool>, Error> {
    let n = info.bodies.len();
    if options.consume_fuel || !matches!(options.bounds_checks, BoundsChecks::GuardPages { .. }) {
        return Ok(vec![true; n]);
    }
    let mut raises = vec![false; n];
    // callers[g]: the defined functions that call or tail-call g.
    let mut callers: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (defined, body) in info.bodies.iter().enumerate() {
        let func = info.num_imported_funcs + defined as u32;
        let invalid = |e: wasmparser::BinaryReaderError| Error::InvalidBody {
            func,
            offset: e.offset() as usize,
            message: e.message().to_string(),
        };
        let bytes = wasm.get(body.range.clone()).ok_or_else(|| Error::InvalidBody {
            func,
            offset: body.range.start,
            message: "body range outside the module".into(),
        })?;
        let body = FunctionBody::new(BinaryReader::new(bytes, body.range.start as u64));
        let mut ops = body.get_operators_reader().map_err(invalid)?;
        while !ops.eof() {
            match effect(info, &ops.read().map_err(invalid)?) {
                Effect::None => {}
                Effect::Raises => raises[defined] = true,
                Effect::Calls(callee) => {
                    let callee = (callee - info.num_imported_funcs) as usize;
                    if callee < n && !callers[callee].contains(&(defined as u32)) {
                        callers[callee].push(defined as u32);
                    }
                }
            }
        }
    }
    // Spread "raises" from callees to their callers.
    let mut work: Vec<u32> = (0..n as u32).filter(|&f| raises[f as usize]).collect();
    while let Some(f) = work.pop() {
        for &caller in &callers[f as usize] {
            if !raises[caller as usize] {
                raises[caller as usize] = true;
                work.push(caller);
            }
        }
    }
    Ok(raises)
}

fn effect(info: &ModuleInfo, op: &Operator<'_>) -> Effect {
    use Operator as O;
    match *op {
        O::Call { function_index } | O::ReturnCall { function_index } => {
            if info.is_imported_func(FuncIndex(function_index)) {
                Effect::Raises
            } else {
                Effect::Calls(function_index)
            }
        }
        O::CallIndirect { .. }
        | O::ReturnCallIndirect { .. }
        | O::CallRef { .. }
        | O::ReturnCallRef { .. }
        | O::MemoryFill { .. }
        | O::MemoryCopy { .. }
        | O::MemoryInit { .. }
        | O::TableFill { .. }
        | O::TableCopy { .. }
        | O::TableInit { .. } => Effect::Raises,
        _ => match proposal(op) {
            "mvp"
            | "sign_extension"
            | "saturating_float_to_int"
            | "simd"
            | "relaxed_simd"
            | "reference_types"
            | "bulk_memory"
            | "tail_call"
            | "function_references"
            | "wide_arithmetic" => Effect::None,
            _ => Effect::Raises,
        },
    }
}

/// Defines [`proposal`] from `wasmparser`'s operator table.
macro_rules! define_proposal {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        /// The proposal that introduced `op`, as `wasmparser` names it.
        fn proposal(op: &Operator<'_>) -> &'static str {
            match op {
                $( Operator::$op { .. } => stringify!($proposal), )*
                _ => "",
            }
        }
    };
}
wasmparser::for_each_operator!(define_proposal);
