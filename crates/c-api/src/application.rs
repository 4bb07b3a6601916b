//! Running an application as WAMR's `iwasm` does:
//! `wasm_application_execute_main` (a WASI command's `_start`, or `main`)
//! and `wasm_application_execute_func` (an export, with arguments parsed
//! from strings and results printed).

use crate::call::call;
use crate::ffi::{c_bytes, c_str, guard, slice};
use crate::function::{FuncHandle, lookup};
use crate::handles;
use crate::instance::ModuleInstance;
use crate::malloc::{free, malloc};
use crate::memory::app_range;
use crate::values::Scalar;
use crate::wasi::wasm_runtime_lookup_wasi_start_function;
use mote::ValType;
use std::ffi::c_char;
use std::io::Write;

/// Copies `args` into the instance's memory as a C `argv`; its app address
/// and the blocks to free. `None` (exception set) when out of memory.
fn copy_args(inst: &ModuleInstance, args: &[&[u8]]) -> Option<(u32, [u32; 2])> {
    let text_len: usize = args.iter().map(|a| a.len() + 1).sum();
    let text = malloc(inst, text_len as u64)? as u32;
    let Some(table) = malloc(inst, 4 * args.len() as u64) else {
        free(inst, text);
        return None;
    };
    let mut at = text;
    let mut pointers = Vec::with_capacity(4 * args.len());
    let mut bytes = Vec::with_capacity(text_len);
    for arg in args {
        pointers.extend_from_slice(&at.to_le_bytes());
        bytes.extend_from_slice(arg);
        bytes.push(0);
        at += arg.len() as u32 + 1;
    }
    for (offset, data) in [(u64::from(text), &bytes), (table, &pointers)] {
        let dst = app_range(inst, offset, data.len() as u64)?;
        // SAFETY: `dst` is `data.len()` bytes of the instance's memory,
        // just allocated, and `data` is a host buffer.
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), dst, data.len()) };
    }
    Some((table as u32, [text, table as u32]))
}

/// Calls `main` (or `__main_argc_argv`, `_main`) with `args`; its result.
fn run_main(inst: &ModuleInstance, args: &[&[u8]]) -> Option<Option<i32>> {
    let main = ["main", "__main_argc_argv", "_main"]
        .into_iter()
        .find_map(|name| handles::get(lookup(inst, name)));
    let Some(main) = main else {
        inst.exception
            .set(b"lookup the entry point symbol (like _start, main, _main, __main_argc_argv) failed");
        return None;
    };
    let env = inst.singleton.get();
    let results = if main.ty.params() == [ValType::I32, ValType::I32] {
        let (argv, blocks) = copy_args(inst, args)?;
        let results = call(
            env,
            inst,
            main,
            &[Scalar::I32(args.len() as i32), Scalar::I32(argv as i32)],
        );
        blocks.into_iter().for_each(|block| free(inst, block));
        results?
    } else {
        call(env, inst, main, &[])?
    };
    Some(match results[..] {
        [Scalar::I32(status)] => Some(status),
        _ => None,
    })
}

/// `wasm_application_execute_main`: runs a WASI command's `_start`, or
/// else `main`, giving it `argv` in the module's memory (WASI commands get
/// theirs from `wasm_runtime_set_wasi_args`). `main`'s result goes to
/// `*(int *)argv` when `argc > 0`, as in WAMR.
///
/// # Safety
/// `argv` is NULL or holds `argc` C strings (and is writable).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_application_execute_main(
    module_inst: *mut ModuleInstance,
    argc: i32,
    argv: *mut *mut c_char,
) -> bool {
    guard(false, || {
        let Some(inst) = handles::get(module_inst) else {
            return false;
        };
        if inst.wasi {
            let start = wasm_runtime_lookup_wasi_start_function(module_inst);
            return match handles::get(start) {
                Some(start) => call(inst.singleton.get(), inst, start, &[]).is_some(),
                None => {
                    inst.exception
                        .set(b"lookup the WASI entry point symbol `_start` failed");
                    false
                }
            };
        }
        let count = usize::try_from(argc).unwrap_or(0);
        // SAFETY: `argc` C strings, per the contract.
        let args = unsafe { slice(argv.cast_const(), count) }
            .and_then(|ptrs| ptrs.iter().map(|&p| unsafe { c_bytes(p) }).collect::<Option<Vec<_>>>());
        let Some(args) = args else {
            inst.exception.set(b"invalid argv");
            return false;
        };
        let Some(status) = run_main(inst, &args) else {
            return false;
        };
        if let Some(status) = status.filter(|_| count > 0) {
            // SAFETY: `argv` is non-null (it holds `argc > 0` strings) and
            // writable, per the contract; WAMR stores the result there.
            unsafe { argv.cast::<i32>().write_unaligned(status) };
        }
        true
    })
}

/// Parses an integer as C's `strtoull(text, NULL, 0)` does: optional sign,
/// then hex (`0x`), octal (leading `0`) or decimal; wraps like it.
fn parse_int(text: &str) -> Option<u64> {
    let (negative, digits) = match text.trim().strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.trim().trim_start_matches('+')),
    };
    let value = if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        u64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse().ok()?
    };
    Some(if negative { value.wrapping_neg() } else { value })
}

/// Parses an argument of type `ty`.
fn parse_arg(ty: ValType, text: &str) -> Option<Scalar> {
    Some(match ty {
        ValType::I32 => Scalar::I32(parse_int(text)? as i32),
        ValType::I64 => Scalar::I64(parse_int(text)? as i64),
        ValType::F32 => Scalar::F32(text.trim().parse::<f32>().ok()?.to_bits()),
        ValType::F64 => Scalar::F64(text.trim().parse::<f64>().ok()?.to_bits()),
        _ if text.trim() == "null" => Scalar::ExternRef(0),
        _ => Scalar::ExternRef(parse_int(text)? as usize),
    })
}

/// Formats as C's `%.7g`.
fn format_g(value: f64) -> String {
    const PRECISION: i32 = 7;
    if !value.is_finite() || value == 0.0 {
        let text = if value.is_nan() {
            "nan".to_string()
        } else {
            format!("{value}")
        };
        return if value.is_sign_negative() && value.is_nan() {
            format!("-{text}")
        } else {
            text
        };
    }
    let scientific = format!("{:.*e}", (PRECISION - 1) as usize, value);
    let (mantissa, exponent) = scientific.split_once('e').expect("`e` formatting has an exponent");
    let exponent: i32 = exponent.parse().expect("a decimal exponent");
    let trim = |s: &str| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    if (-4..PRECISION).contains(&exponent) {
        trim(&format!("{:.*}", (PRECISION - 1 - exponent) as usize, value))
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim(mantissa), exponent.abs())
    }
}

/// A result as WAMR prints it.
fn format_result(value: Scalar) -> String {
    match value {
        Scalar::I32(v) => format!("{:#x}:i32", v as u32),
        Scalar::I64(v) => format!("{:#x}:i64", v as u64),
        Scalar::F32(v) => format!("{}:f32", format_g(f64::from(f32::from_bits(v)))),
        Scalar::F64(v) => format!("{}:f64", format_g(f64::from_bits(v))),
        Scalar::ExternRef(v) => format!("{v:#x}:ref.extern"),
    }
}

/// Parses the arguments, calls, and prints the results.
fn execute(inst: &ModuleInstance, func: &FuncHandle, args: &[&str]) -> bool {
    let params = func.ty.params();
    if params.len() != args.len() {
        inst.exception.set(b"invalid input argument count");
        return false;
    }
    let mut values = Vec::with_capacity(args.len());
    for (i, (&ty, text)) in params.iter().zip(args).enumerate() {
        let Some(value) = parse_arg(ty, text) else {
            inst.exception
                .set(format!("invalid input argument {i}: {text}").as_bytes());
            return false;
        };
        values.push(value);
    }
    let Some(results) = call(inst.singleton.get(), inst, func, &values) else {
        return false;
    };
    let line: Vec<String> = results.into_iter().map(format_result).collect();
    let mut out = std::io::stdout().lock();
    // Printing is best effort, as with `printf`.
    let _ = writeln!(out, "{}", line.join(",")).and_then(|()| out.flush());
    true
}

/// `wasm_application_execute_func`: calls export `name` with arguments
/// parsed from `argv` (integers in C's notations, floats, `null` or a
/// number for an `externref`) and prints its results as WAMR does, e.g.
/// `0x8:i32`.
///
/// # Safety
/// `name` is NULL or a C string; `argv` is NULL or holds `argc` of them.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_application_execute_func(
    module_inst: *mut ModuleInstance,
    name: *const c_char,
    argc: i32,
    argv: *mut *mut c_char,
) -> bool {
    guard(false, || {
        let Some(inst) = handles::get(module_inst) else {
            return false;
        };
        // SAFETY: a C string, per the contract.
        let Some(name) = (unsafe { c_str(name) }) else {
            return false;
        };
        let Some(func) = handles::get(lookup(inst, name)) else {
            inst.exception.set(format!("lookup function {name} failed").as_bytes());
            return false;
        };
        let count = usize::try_from(argc).unwrap_or(0);
        // SAFETY: `argc` C strings, per the contract.
        let args = unsafe { slice(argv.cast_const(), count) }
            .and_then(|ptrs| ptrs.iter().map(|&p| unsafe { c_str(p) }).collect::<Option<Vec<_>>>());
        match args {
            Some(args) => execute(inst, func, &args),
            None => {
                inst.exception.set(b"invalid argv");
                false
            }
        }
    })
}

#[cfg(test)]
mod tests;
