//! The `spectest` host module that the spec scripts import from: print functions, four
//! immutable globals, a funcref table (and its 64-bit twin) and a one-to-two-page memory.

use mote::{
    Global, GlobalType, Linker, Memory, MemoryType, Mutability, Ref, RefType, Store, Table, TableType, Val, ValType,
};

/// Defines `spectest` in `linker`. The print functions write to stdout only if `verbose`.
///
/// # Errors
///
/// An error of the runtime while creating or defining an item.
pub(crate) fn define(linker: &mut Linker<()>, store: &mut Store<()>, verbose: bool) -> Result<(), mote::Error> {
    define_prints(linker, verbose)?;

    let globals = [
        ("global_i32", Val::I32(666)),
        ("global_i64", Val::I64(666)),
        ("global_f32", Val::F32(666.6_f32.to_bits())),
        ("global_f64", Val::F64(666.6_f64.to_bits())),
    ];
    for (name, value) in globals {
        let ty = GlobalType::new(val_type(&value), Mutability::Const);
        let global = Global::new(&mut *store, ty, value)?;
        linker.define(&*store, "spectest", name, global)?;
    }

    let table = TableType::new(RefType::FUNCREF, 10, Some(20));
    let table = Table::new(&mut *store, table, Ref::Func(None))?;
    linker.define(&*store, "spectest", "table", table)?;
    // `table64` is only for runtimes with 64-bit tables (memory64); without them the scripts
    // that import it fail to link, which is the right outcome.
    let table64 = TableType::new64(RefType::FUNCREF, 10, Some(20));
    if let Ok(table64) = Table::new(&mut *store, table64, Ref::Func(None)) {
        linker.define(&*store, "spectest", "table64", table64)?;
    }

    let memory = Memory::new(&mut *store, MemoryType::new(1, Some(2)))?;
    linker.define(&*store, "spectest", "memory", memory)?;
    Ok(())
}

fn val_type(value: &Val) -> ValType {
    match value {
        Val::I32(_) => ValType::I32,
        Val::I64(_) => ValType::I64,
        Val::F32(_) => ValType::F32,
        _ => ValType::F64,
    }
}

fn define_prints(linker: &mut Linker<()>, verbose: bool) -> Result<(), mote::Error> {
    linker.func_wrap("spectest", "print", move || {
        if verbose {
            println!("print");
        }
    })?;
    linker.func_wrap("spectest", "print_i32", move |x: i32| {
        if verbose {
            println!("print_i32: {x}");
        }
    })?;
    linker.func_wrap("spectest", "print_i64", move |x: i64| {
        if verbose {
            println!("print_i64: {x}");
        }
    })?;
    linker.func_wrap("spectest", "print_f32", move |x: f32| {
        if verbose {
            println!("print_f32: {x}");
        }
    })?;
    linker.func_wrap("spectest", "print_f64", move |x: f64| {
        if verbose {
            println!("print_f64: {x}");
        }
    })?;
    linker.func_wrap("spectest", "print_i32_f32", move |x: i32, y: f32| {
        if verbose {
            println!("print_i32_f32: {x} {y}");
        }
    })?;
    linker.func_wrap("spectest", "print_f64_f64", move |x: f64, y: f64| {
        if verbose {
            println!("print_f64_f64: {x} {y}");
        }
    })?;
    Ok(())
}
