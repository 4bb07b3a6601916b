//! Calls from C: `wasm_runtime_call_wasm` in its forms (cells, the
//! tutorial's six arguments, `wasm_val_t`s; the variadic form is in the
//! header, over `wasm_runtime_call_wasm_a`).
//!
//! Every call ends the same way ([`call`]): success, or `false` with the
//! instance's exception set (by the trap, by a native, or by a check
//! here). A WASI `proc_exit` is a success that records the exit code; an
//! exception left from before makes the call fail, as in WAMR.

use crate::exception::message_of;
use crate::exec_env::ExecEnv;
use crate::ffi::{guard, slice, slice_mut};
use crate::function::FuncHandle;
use crate::handles;
use crate::instance::ModuleInstance;
use crate::types::WasmVal;
use crate::values::{self, Scalar};
use mote::{FuncType, Val};

/// Calls `func` on `env` with `params`; the results, or `None` with the
/// exception set.
pub(crate) fn call(
    env: *mut ExecEnv,
    inst: &ModuleInstance,
    func: &FuncHandle,
    params: &[Scalar],
) -> Option<Vec<Scalar>> {
    if !std::ptr::eq(func.instance(), inst) {
        inst.exception.set(b"the function belongs to another module instance");
        return None;
    }
    let results: Result<Vec<Scalar>, mote::Error> = inst.run_on(env, || {
        inst.with_store(|mut ctx| {
            let params: Vec<Val> = params.iter().map(|&p| values::to_val(&mut ctx, p)).collect();
            let mut results: Vec<Val> = func.ty.results().iter().map(|&t| Val::default_for(t)).collect();
            func.func().call(&mut ctx, &params, &mut results)?;
            Ok(results
                .into_iter()
                .map(|r| values::from_val(&ctx, r).unwrap_or(Scalar::I32(0)))
                .collect())
        })
    });
    match results {
        Ok(results) if !inst.exception.is_set() => Some(results),
        Ok(_) => None,
        Err(error) => {
            if let Some(status) = error.exit_status() {
                inst.exit_code.set(status as u32);
                Some(func.ty.results().iter().map(|_| Scalar::I32(0)).collect())
            } else {
                if !inst.exception.is_set() {
                    inst.exception.set(message_of(&error).as_bytes());
                }
                None
            }
        }
    }
}

/// The exec env, its instance and the function of a call; `None` (with the
/// exception set where there is an instance) if one is invalid.
fn resolve<'a>(env: *mut ExecEnv, func: *mut FuncHandle) -> Option<(&'a ModuleInstance, &'a FuncHandle)> {
    let inst = handles::get(env)?.instance()?;
    let Some(func) = handles::get(func) else {
        inst.exception.set(b"invalid function");
        return None;
    };
    Some((inst, func))
}

/// Cells the parameters and the results of `ty` take; `None` (with the
/// exception set) if a type cannot cross the C API.
fn cell_counts(inst: &ModuleInstance, ty: &FuncType) -> Option<(usize, usize)> {
    let count = |types: &[mote::ValType]| types.iter().map(|&t| values::cells(t)).sum::<Option<usize>>();
    let counts = count(ty.params()).zip(count(ty.results()));
    if counts.is_none() {
        inst.exception
            .set(b"the function has a parameter or result type the C API cannot pass");
    }
    counts
}

/// Reads parameters from cells, calls, and writes the results to cells.
fn call_cells(env: *mut ExecEnv, inst: &ModuleInstance, func: &FuncHandle, args: &[u32], results: &mut [u32]) -> bool {
    let mut at = 0;
    let params: Vec<Scalar> = func
        .ty
        .params()
        .iter()
        .map(|&t| {
            let value = values::from_cells(t, &args[at..]);
            at += values::cells(t).unwrap_or(1);
            value
        })
        .collect();
    let Some(values) = call(env, inst, func, &params) else {
        return false;
    };
    let mut at = 0;
    for (value, &t) in values.into_iter().zip(func.ty.results()) {
        values::to_cells(value, &mut results[at..]);
        at += values::cells(t).unwrap_or(1);
    }
    true
}

/// `wasm_runtime_call_wasm`: `argv` holds the parameters as cells, `argc`
/// of them, and receives the results.
///
/// # Safety
/// `argv` is NULL or valid for reading and writing
/// `max(argc, result cells)` cells.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_call_wasm(
    exec_env: *mut ExecEnv,
    function: *mut FuncHandle,
    argc: u32,
    argv: *mut u32,
) -> bool {
    guard(false, || {
        let Some((inst, func)) = resolve(exec_env, function) else {
            return false;
        };
        let Some((param_cells, result_cells)) = cell_counts(inst, &func.ty) else {
            return false;
        };
        if (argc as usize) < param_cells {
            let text = format!("invalid argument count {argc}, must be at least {param_cells}");
            inst.exception.set(text.as_bytes());
            return false;
        }
        let len = param_cells.max(result_cells);
        // SAFETY: valid for `max(argc, result cells)` cells, per the contract.
        let Some(cells) = (unsafe { slice_mut(argv, len) }) else {
            inst.exception.set(b"invalid argv");
            return false;
        };
        let args = cells[..param_cells].to_vec();
        call_cells(exec_env, inst, func, &args, cells)
    })
}

/// The tutorial's `wasm_runtime_call_wasm(inst, exec_env, func, argc, args,
/// results)`: parameter cells from `args`, result cells to `results`, on
/// `exec_env` or, when it is NULL, the instance's singleton.
///
/// # Safety
/// `args` is NULL or valid for reading `argc` cells; `results` is NULL or
/// valid for writing the result cells.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mote_runtime_call_wasm_inst(
    module_inst: *mut ModuleInstance,
    exec_env: *mut ExecEnv,
    function: *mut FuncHandle,
    argc: u32,
    args: *const u32,
    results: *mut u32,
) -> bool {
    guard(false, || {
        let env = if exec_env.is_null() {
            crate::exec_env::wasm_runtime_get_exec_env_singleton(module_inst)
        } else {
            exec_env
        };
        let Some((inst, func)) = resolve(env, function) else {
            return false;
        };
        if !module_inst.is_null() && !std::ptr::eq(module_inst, inst) {
            inst.exception.set(b"the exec env belongs to another module instance");
            return false;
        }
        let Some((param_cells, result_cells)) = cell_counts(inst, &func.ty) else {
            return false;
        };
        if (argc as usize) < param_cells {
            let text = format!("invalid argument count {argc}, must be at least {param_cells}");
            inst.exception.set(text.as_bytes());
            return false;
        }
        // SAFETY: readable for `argc >= param_cells` cells, per the
        // contract; copied before `results` is borrowed, as they may overlap.
        let Some(args) = (unsafe { slice(args, param_cells) }).map(<[u32]>::to_vec) else {
            inst.exception.set(b"invalid arguments buffer");
            return false;
        };
        // SAFETY: writable for the result cells, per the contract.
        let Some(results) = (unsafe { slice_mut(results, result_cells) }) else {
            inst.exception.set(b"invalid results buffer");
            return false;
        };
        call_cells(env, inst, func, &args, results)
    })
}

/// `wasm_runtime_call_wasm_a`: parameters and results as `wasm_val_t`s,
/// whose counts and kinds must match the function's type.
///
/// # Safety
/// `args` is NULL or valid for reading `num_args` values; `results` is
/// NULL or valid for writing `num_results` values.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_call_wasm_a(
    exec_env: *mut ExecEnv,
    function: *mut FuncHandle,
    num_results: u32,
    results: *mut WasmVal,
    num_args: u32,
    args: *const WasmVal,
) -> bool {
    guard(false, || {
        let Some((inst, func)) = resolve(exec_env, function) else {
            return false;
        };
        let (params, result_types) = (func.ty.params(), func.ty.results());
        if num_args as usize != params.len() || num_results as usize != result_types.len() {
            let text = format!(
                "invalid number of arguments {num_args} or results {num_results}, must be {} and {}",
                params.len(),
                result_types.len()
            );
            inst.exception.set(text.as_bytes());
            return false;
        }
        // SAFETY: readable for `num_args` values, per the contract; copied
        // before `results` is borrowed, as they may overlap.
        let args = unsafe { slice(args, params.len()) }.and_then(|args| {
            args.iter()
                .zip(params)
                .map(|(a, &t)| values::from_wasm_val(t, a))
                .collect::<Option<Vec<_>>>()
        });
        let Some(args) = args else {
            inst.exception.set(b"invalid arguments: missing, or of the wrong kind");
            return false;
        };
        if cell_counts(inst, &func.ty).is_none() {
            return false;
        }
        let Some(values) = call(exec_env, inst, func, &args) else {
            return false;
        };
        // SAFETY: writable for `num_results` values, per the contract.
        let Some(out) = (unsafe { slice_mut(results, values.len()) }) else {
            inst.exception.set(b"invalid results buffer");
            return false;
        };
        for (slot, value) in out.iter_mut().zip(values) {
            *slot = values::to_wasm_val(value);
        }
        true
    })
}
