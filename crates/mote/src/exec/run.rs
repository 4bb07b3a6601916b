//! The interpreter loop: `loop { match }` over [`Instr`].
//!
//! This file is long on purpose: the dispatch loop must be one function so
//! the compiler keeps `ip`, `fp` and the memory view in registers; the
//! cold operations (bulk memory and table instructions) live in `bulk.rs`
//! and the lane semantics in `mote_core`. Nothing here allocates.
//!
//! Invariants the `unsafe` code relies on (established by the translator
//! from validated code, and by frame entry here):
//! - every slot an instruction names lies inside the current frame, and
//!   every frame lies inside the value stack (checked on entry);
//! - every branch offset lands on an instruction of the same function;
//! - `code` points to a `CompiledFunc` owned by a module the store keeps alive.

use super::slots::*;
use super::support::{backtrace, find_catch, indirect_callee, load_scalar, store_scalar};
use super::{CallFrame, bulk, gc_ops};
use crate::Error;
use crate::error::Trap;
use crate::func::FuncKind;
use crate::store::StoreInner;
use crate::value::HeapObject;
use alloc::vec::Vec;
use core::any::Any;
use mote_core::{TrapCode, num};
use mote_ir::{CompiledFunc, Instr};

/// Why the loop stopped early.
enum Stop {
    Trap(TrapCode),
    Host(Error),
}

impl From<TrapCode> for Stop {
    fn from(c: TrapCode) -> Stop {
        Stop::Trap(c)
    }
}

/// Memory `mem` of instance `inst`.
#[inline]
fn mem_view(store: &StoreInner, inst: u32, mem: u32) -> MemView {
    match store.instances[inst as usize].memories.get(mem as usize) {
        Some(&m) => {
            let m = &store.memories[m as usize];
            MemView {
                base: m.base(),
                len: m.len(),
            }
        }
        None => MemView::EMPTY,
    }
}

/// Runs `code` (function `func` of `instance`) whose frame starts at cell
/// `base` with its parameters in place, until it returns.
pub(super) fn run(
    store: &mut StoreInner,
    data: &mut dyn Any,
    func: u32,
    instance: u32,
    code: &CompiledFunc,
    base: usize,
) -> Result<(), Error> {
    let entry_depth = store.exec.frames.len();
    let saved_sp = store.exec.sp;
    let stack = store.exec.stack.as_ref().expect("allocated by invoke");
    let stack_base = stack.as_ptr();
    let stack_len = stack.len();
    let mut cur_func = func;
    let mut inst = instance;
    let mut code: *const CompiledFunc = code;
    // SAFETY: `code` is a live CompiledFunc; its first instruction exists
    // (every body ends in `Return`).
    let mut ip: *const Instr = unsafe { (*code).code.as_ptr() };
    // SAFETY: invoke checked that the frame at `base` fits the stack.
    let mut fp: *mut u64 = unsafe { stack_base.add(base) };
    let mut mem = mem_view(store, inst, 0);
    // Counts memory growth in this activation, so returns know when the
    // cached memory view may be stale.
    let mut grows: u32 = 0;

    macro_rules! trap {
        ($code:expr) => {
            break Err(Stop::Trap($code))
        };
    }
    macro_rules! try_trap {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(code) => trap!(code),
            }
        };
    }
    macro_rules! next {
        () => {{
            // SAFETY: the translator ends every path with a branch or return,
            // so the next instruction exists.
            ip = unsafe { ip.add(1) };
            continue;
        }};
    }
    macro_rules! branch {
        ($offset:expr) => {{
            // SAFETY: branch targets are instructions of this function.
            ip = unsafe { ip.offset($offset as isize) };
            continue;
        }};
    }
    macro_rules! view {
        ($mem:expr) => {
            if $mem == 0 {
                mem
            } else {
                mem_view(store, inst, $mem as u32)
            }
        };
    }
    macro_rules! load {
        ($dst:ident, $addr:ident, $mem:ident, $offset:ident, $n:literal, |$b:ident| $conv:expr) => {{
            // SAFETY: slots per the module contract.
            let a = unsafe { get(fp, $addr) };
            match view!($mem).load::<$n>(a, $offset) {
                // SAFETY: slots per the module contract.
                Some($b) => unsafe { set(fp, $dst, $conv) },
                None => trap!(TrapCode::MemoryOutOfBounds),
            }
            next!()
        }};
    }
    macro_rules! store {
        ($addr:ident, $value:ident, $mem:ident, $offset:ident, $n:literal, |$v:ident| $bytes:expr) => {{
            // SAFETY: slots per the module contract.
            let (a, $v) = unsafe { (get(fp, $addr), get(fp, $value)) };
            if view!($mem).store::<$n>(a, $offset, $bytes).is_none() {
                trap!(TrapCode::MemoryOutOfBounds);
            }
            next!()
        }};
    }
    macro_rules! binop {
        ($dst:ident, $lhs:ident, $rhs:ident, $get:ident, $set:ident, |$a:ident, $b:ident| $e:expr) => {{
            // SAFETY: slots per the module contract.
            unsafe {
                let $a = $get(fp, $lhs);
                let $b = $get(fp, $rhs);
                $set(fp, $dst, $e);
            }
            next!()
        }};
    }
    macro_rules! brcmp {
        ($lhs:ident, $rhs:ident, $offset:ident, $get:ident, |$a:ident, $b:ident| $e:expr) => {{
            // SAFETY: slots per the module contract.
            let taken = unsafe {
                let $a = $get(fp, $lhs);
                let $b = $get(fp, $rhs);
                $e
            };
            if taken {
                branch!($offset)
            }
            next!()
        }};
    }
    macro_rules! brcmpimm {
        ($lhs:ident, $offset:ident, $get:ident, |$a:ident| $e:expr) => {{
            // SAFETY: slots per the module contract.
            let taken = unsafe {
                let $a = $get(fp, $lhs);
                $e
            };
            if taken {
                branch!($offset)
            }
            next!()
        }};
    }
    macro_rules! binop_trap {
        ($dst:ident, $lhs:ident, $rhs:ident, $get:ident, $set:ident, $f:path) => {{
            // SAFETY: slots per the module contract.
            let r = unsafe { $f($get(fp, $lhs), $get(fp, $rhs)) };
            // SAFETY: slots per the module contract.
            unsafe { $set(fp, $dst, try_trap!(r)) };
            next!()
        }};
    }
    macro_rules! unop {
        ($dst:ident, $src:ident, $get:ident, $set:ident, |$a:ident| $e:expr) => {{
            // SAFETY: slots per the module contract.
            unsafe {
                let $a = $get(fp, $src);
                $set(fp, $dst, $e);
            }
            next!()
        }};
    }
    macro_rules! unop_trap {
        ($dst:ident, $src:ident, $get:ident, $set:ident, $f:path) => {{
            // SAFETY: slots per the module contract.
            let r = unsafe { $f($get(fp, $src)) };
            // SAFETY: slots per the module contract.
            unsafe { $set(fp, $dst, try_trap!(r)) };
            next!()
        }};
    }
    /// Copies results of a tail-called host function and returns from the
    /// current frame. Evaluates to `Some(Ok(()))` when the entry frame returned.
    macro_rules! tail_return {
        () => {{
            match pop_frame!() {
                true => Some(Ok(())),
                false => None,
            }
        }};
    }
    macro_rules! pop_frame {
        () => {{
            if store.exec.frames.len() == entry_depth {
                true
            } else {
                let f = store.exec.frames.pop().expect("frame above entry");
                cur_func = f.func;
                code = f.code;
                ip = f.ip;
                fp = f.fp as *mut u64;
                // The memory view changes only with the instance or a grow.
                if f.instance != inst || f.grows != grows {
                    inst = f.instance;
                    mem = mem_view(store, inst, 0);
                }
                false
            }
        }};
    }

    /// Enters store function `$callee` with arguments at `fp + $base`;
    /// `ip` must already point to the caller's next instruction. With
    /// `tail`, the arguments are first moved to the frame start and the
    /// current frame is replaced.
    macro_rules! call {
        ($callee:expr, $base:expr, $tail:expr) => {{
            let callee = $callee as usize;
            let tail: bool = $tail;
            match &store.funcs[callee].kind {
                &FuncKind::Wasm {
                    instance,
                    index,
                    code: cached,
                } => {
                    let callee_code = if !cached.is_null() {
                        cached
                    } else {
                        let module = &store.instances[instance as usize].module;
                        let defined = (index.0 - module.info().num_imported_funcs) as usize;
                        let c: *const CompiledFunc = match module.code(defined) {
                            Ok(c) => c,
                            Err(e) => break Err(Stop::Host(e.clone().into())),
                        };
                        if let FuncKind::Wasm { code, .. } = &mut store.funcs[callee].kind {
                            *code = c;
                        }
                        c
                    };
                    // SAFETY: modules outlive the store's use of their code.
                    let c = unsafe { &*callee_code };
                    let new_fp = if tail {
                        // SAFETY: both ranges lie in the current frame.
                        unsafe { core::ptr::copy(fp.add($base as usize), fp, c.param_cells as usize) };
                        fp
                    } else {
                        if store.exec.frames.len() >= store.exec.max_depth {
                            trap!(TrapCode::StackOverflow);
                        }
                        // SAFETY: base is a slot of the current frame.
                        unsafe { fp.add($base as usize) }
                    };
                    // SAFETY: new_fp is inside the stack allocation.
                    let start = unsafe { new_fp.offset_from(stack_base) } as usize;
                    if start + c.frame_cells as usize > stack_len {
                        trap!(TrapCode::StackOverflow);
                    }
                    if !tail {
                        store.exec.frames.push(CallFrame {
                            func: cur_func,
                            instance: inst,
                            code,
                            ip,
                            fp: fp as usize,
                            grows,
                        });
                    }
                    let locals = (c.local_cells - c.param_cells) as usize;
                    if locals != 0 {
                        // SAFETY: the callee's frame fits the stack (checked above).
                        unsafe { core::ptr::write_bytes(new_fp.add(c.param_cells as usize), 0, locals) };
                    }
                    cur_func = callee as u32;
                    code = callee_code;
                    ip = c.code.as_ptr();
                    fp = new_fp;
                    if instance != inst {
                        inst = instance;
                        mem = mem_view(store, inst, 0);
                    }
                    continue;
                }
                FuncKind::Host(host) => {
                    let callback: *const crate::func::HostCallback = &*host.callback;
                    let ty = &host.ty;
                    let (params, results) = (ty.param_cells() as usize, ty.result_cells() as usize);
                    let n = params.max(results);
                    // SAFETY: base is a slot of the current frame.
                    let args = unsafe { fp.add($base as usize) };
                    // SAFETY: args is inside the stack allocation.
                    let start = unsafe { args.offset_from(stack_base) } as usize;
                    if start + n > stack_len {
                        trap!(TrapCode::StackOverflow);
                    }
                    let mut small = [0u64; 16];
                    let mut large = Vec::new();
                    let cells: &mut [u64] = if n <= small.len() {
                        &mut small[..n]
                    } else {
                        large.resize(n, 0);
                        &mut large
                    };
                    // SAFETY: the argument cells are inside the frame.
                    unsafe { core::ptr::copy_nonoverlapping(args, cells.as_mut_ptr(), params) };
                    store.exec.sp = start + n;
                    // SAFETY: the callback is owned by an entity the store
                    // never removes, so it outlives this call even if the
                    // host adds functions (moving the entity vector).
                    let result = unsafe { (*callback)(store, data, Some(inst), cells) };
                    store.exec.sp = saved_sp;
                    if let Err(e) = result {
                        break Err(Stop::Host(e));
                    }
                    // SAFETY: results go back to the argument cells.
                    unsafe { core::ptr::copy_nonoverlapping(cells.as_ptr(), args, results) };
                    // The host may have grown any memory.
                    grows = grows.wrapping_add(1);
                    mem = mem_view(store, inst, 0);
                    if tail {
                        if let Some(r) = tail_return!() {
                            break r;
                        }
                    }
                    continue;
                }
            }
        }};
    }
    let result: Result<(), Stop> = 'exec: loop {
        // SAFETY: ip points to an instruction of the current function; it is
        // matched by reference so each arm loads only the fields it uses.
        let instr = unsafe { &*ip };
        // Every arm continues or breaks, except the throwing ones, which
        // produce the exception to unwind with below.
        let exn: u64 = match *instr {
            Instr::Throw { tag, base } => {
                let module = &store.instances[inst as usize].module;
                let info = module.info();
                let n = info.func_type(info.tags[tag as usize]).param_cells() as usize;
                // SAFETY: the payload cells are slots of the current frame.
                let payload = unsafe { core::slice::from_raw_parts(fp.add(base as usize), n) }.into();
                let tag = store.instances[inst as usize].tags[tag as usize];
                HeapObject::Exception { tag, payload }.alloc(store)
            }
            Instr::ThrowRef { src } => {
                // SAFETY: slots per the module contract.
                let r = unsafe { get(fp, src) };
                if r == 0 {
                    trap!(TrapCode::NullReference);
                }
                r
            }
            Instr::ConsumeFuel { amount } => {
                let amount = amount as u64;
                if store.fuel < amount {
                    store.fuel = 0;
                    trap!(TrapCode::OutOfFuel);
                }
                store.fuel -= amount;
                next!()
            }
            Instr::Copy { dst, src } => unop!(dst, src, get, set, |v| v),
            Instr::Copy128 { dst, src } => unop!(dst, src, get_v128, set_v128, |v| v),
            Instr::Const32 { dst, val } => {
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, val as u64) };
                next!()
            }
            Instr::Const64 { dst, lo, hi } => {
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, lo as u64 | (hi as u64) << 32) };
                next!()
            }
            Instr::ConstV128 { dst, index } => {
                // SAFETY: code is live; the pool index was made by the translator.
                unsafe { set_v128(fp, dst, (&(*code).pool)[index as usize]) };
                next!()
            }
            Instr::Br { offset } => branch!(offset),
            Instr::BrIfNez { cond, offset } => {
                // SAFETY: slots per the module contract.
                if unsafe { get_bool(fp, cond) } {
                    branch!(offset)
                }
                next!()
            }
            Instr::BrIfEqz { cond, offset } => {
                // SAFETY: slots per the module contract.
                if !unsafe { get_bool(fp, cond) } {
                    branch!(offset)
                }
                next!()
            }
            Instr::BrOnNull { src, offset } => {
                // SAFETY: slots per the module contract.
                if unsafe { get(fp, src) } == 0 {
                    branch!(offset)
                }
                next!()
            }
            Instr::BrOnNonNull { src, offset } => {
                // SAFETY: slots per the module contract.
                if unsafe { get(fp, src) } != 0 {
                    branch!(offset)
                }
                next!()
            }
            Instr::BrTable { index, len } => {
                // SAFETY: slots per the module contract.
                let i = unsafe { get_u32(fp, index) }.min(len);
                // SAFETY: `len + 1` branch entries follow the table.
                ip = unsafe { ip.add(1 + i as usize) };
                continue;
            }
            Instr::Return {} => {
                if pop_frame!() {
                    break Ok(());
                }
                continue;
            }
            Instr::ReturnSlot { src } => {
                // SAFETY: slots per the module contract.
                unsafe { set(fp, 0, get(fp, src)) };
                if pop_frame!() {
                    break Ok(());
                }
                continue;
            }
            Instr::Unreachable {} => trap!(TrapCode::Unreachable),
            Instr::Call { func, base } => {
                let callee = store.instances[inst as usize].funcs[func as usize];
                // SAFETY: the call is followed by another instruction.
                ip = unsafe { ip.add(1) };
                call!(callee, base, false)
            }
            Instr::ReturnCall { func, base } => {
                let callee = store.instances[inst as usize].funcs[func as usize];
                call!(callee, base, true)
            }
            Instr::CallIndirect { ty, table, index, base } => {
                let callee = try_trap!(indirect_callee(store, inst, ty, table, fp, index));
                // SAFETY: the call is followed by another instruction.
                ip = unsafe { ip.add(1) };
                call!(callee, base, false)
            }
            Instr::ReturnCallIndirect { ty, table, index, base } => {
                let callee = try_trap!(indirect_callee(store, inst, ty, table, fp, index));
                call!(callee, base, true)
            }
            Instr::CallRef { callee, base } => {
                // SAFETY: slots per the module contract.
                let r = unsafe { get(fp, callee) };
                if r == 0 {
                    trap!(TrapCode::NullReference);
                }
                // SAFETY: the call is followed by another instruction.
                ip = unsafe { ip.add(1) };
                call!(r - 1, base, false)
            }
            Instr::ReturnCallRef { callee, base } => {
                // SAFETY: slots per the module contract.
                let r = unsafe { get(fp, callee) };
                if r == 0 {
                    trap!(TrapCode::NullReference);
                }
                call!(r - 1, base, true)
            }
            Instr::Select { dst, cond, a, b } => {
                // SAFETY: slots per the module contract.
                unsafe {
                    let v = if get_u32(fp, cond) != 0 { get(fp, a) } else { get(fp, b) };
                    set(fp, dst, v);
                }
                next!()
            }
            Instr::Select128 { dst, cond, a, b } => {
                // SAFETY: slots per the module contract.
                unsafe {
                    let v = if get_u32(fp, cond) != 0 {
                        get_v128(fp, a)
                    } else {
                        get_v128(fp, b)
                    };
                    set_v128(fp, dst, v);
                }
                next!()
            }
            Instr::GlobalGet { dst, global } => {
                let g = store.instances[inst as usize].globals[global as usize];
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, store.globals[g as usize].value[0]) };
                next!()
            }
            Instr::GlobalSet { src, global } => {
                let g = store.instances[inst as usize].globals[global as usize];
                // SAFETY: slots per the module contract.
                store.globals[g as usize].value[0] = unsafe { get(fp, src) };
                next!()
            }
            Instr::GlobalGetV128 { dst, global } => {
                let g = store.instances[inst as usize].globals[global as usize];
                let [lo, hi] = store.globals[g as usize].value;
                // SAFETY: slots per the module contract.
                unsafe { set_v128(fp, dst, lo as u128 | (hi as u128) << 64) };
                next!()
            }
            Instr::GlobalSetV128 { src, global } => {
                let g = store.instances[inst as usize].globals[global as usize];
                // SAFETY: slots per the module contract.
                let v = unsafe { get_v128(fp, src) };
                store.globals[g as usize].value = [v as u64, (v >> 64) as u64];
                next!()
            }
            Instr::RefFunc { dst, func } => {
                let f = store.instances[inst as usize].funcs[func as usize];
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, f as u64 + 1) };
                next!()
            }
            Instr::RefIsNull { dst, src } => unop!(dst, src, get, set_bool, |r| r == 0),
            Instr::RefAsNonNull { dst, src } => {
                // SAFETY: slots per the module contract.
                let r = unsafe { get(fp, src) };
                if r == 0 {
                    trap!(TrapCode::NullReference);
                }
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, r) };
                next!()
            }
            Instr::RefEq { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set_bool, |a, b| a == b),

            // ---- memory
            Instr::I32Load { dst, addr, mem, offset } => {
                load!(dst, addr, mem, offset, 4, |b| u32::from_le_bytes(b) as u64)
            }
            Instr::I64Load { dst, addr, mem, offset } => load!(dst, addr, mem, offset, 8, |b| u64::from_le_bytes(b)),
            Instr::F32Load { dst, addr, mem, offset } => {
                load!(dst, addr, mem, offset, 4, |b| u32::from_le_bytes(b) as u64)
            }
            Instr::F64Load { dst, addr, mem, offset } => load!(dst, addr, mem, offset, 8, |b| u64::from_le_bytes(b)),
            Instr::I32Load8S { dst, addr, mem, offset } => {
                load!(dst, addr, mem, offset, 1, |b| b[0] as i8 as i32 as u32 as u64)
            }
            Instr::I32Load8U { dst, addr, mem, offset } => load!(dst, addr, mem, offset, 1, |b| b[0] as u64),
            Instr::I32Load16S { dst, addr, mem, offset } => {
                load!(dst, addr, mem, offset, 2, |b| i16::from_le_bytes(b) as i32 as u32
                    as u64)
            }
            Instr::I32Load16U { dst, addr, mem, offset } => {
                load!(dst, addr, mem, offset, 2, |b| u16::from_le_bytes(b) as u64)
            }
            Instr::I64Load8S { dst, addr, mem, offset } => {
                load!(dst, addr, mem, offset, 1, |b| b[0] as i8 as i64 as u64)
            }
            Instr::I64Load8U { dst, addr, mem, offset } => load!(dst, addr, mem, offset, 1, |b| b[0] as u64),
            Instr::I64Load16S { dst, addr, mem, offset } => {
                load!(dst, addr, mem, offset, 2, |b| i16::from_le_bytes(b) as i64 as u64)
            }
            Instr::I64Load16U { dst, addr, mem, offset } => {
                load!(dst, addr, mem, offset, 2, |b| u16::from_le_bytes(b) as u64)
            }
            Instr::I64Load32S { dst, addr, mem, offset } => {
                load!(dst, addr, mem, offset, 4, |b| i32::from_le_bytes(b) as i64 as u64)
            }
            Instr::I64Load32U { dst, addr, mem, offset } => {
                load!(dst, addr, mem, offset, 4, |b| u32::from_le_bytes(b) as u64)
            }
            Instr::I32Store {
                addr,
                value,
                mem,
                offset,
            } => store!(addr, value, mem, offset, 4, |v| (v as u32).to_le_bytes()),
            Instr::I64Store {
                addr,
                value,
                mem,
                offset,
            } => store!(addr, value, mem, offset, 8, |v| v.to_le_bytes()),
            Instr::I32Store8 {
                addr,
                value,
                mem,
                offset,
            } => store!(addr, value, mem, offset, 1, |v| [v as u8]),
            Instr::I32Store16 {
                addr,
                value,
                mem,
                offset,
            } => store!(addr, value, mem, offset, 2, |v| (v as u16).to_le_bytes()),
            Instr::I64Store8 {
                addr,
                value,
                mem,
                offset,
            } => store!(addr, value, mem, offset, 1, |v| [v as u8]),
            Instr::I64Store16 {
                addr,
                value,
                mem,
                offset,
            } => store!(addr, value, mem, offset, 2, |v| (v as u16).to_le_bytes()),
            Instr::I64Store32 {
                addr,
                value,
                mem,
                offset,
            } => store!(addr, value, mem, offset, 4, |v| (v as u32).to_le_bytes()),
            Instr::V128Store {
                addr,
                value,
                mem,
                offset,
            } => {
                // SAFETY: slots per the module contract.
                let (a, v) = unsafe { (get(fp, addr), get_v128(fp, value)) };
                if view!(mem).store::<16>(a, offset, v.to_le_bytes()).is_none() {
                    trap!(TrapCode::MemoryOutOfBounds);
                }
                next!()
            }
            Instr::AddrOffset { dst, src, lo, hi } => {
                // SAFETY: slots per the module contract.
                let a = unsafe { get(fp, src) };
                match a.checked_add(lo as u64 | (hi as u64) << 32) {
                    // SAFETY: slots per the module contract.
                    Some(ea) => unsafe { set(fp, dst, ea) },
                    None => trap!(TrapCode::MemoryOutOfBounds),
                }
                next!()
            }
            Instr::MemorySize { dst, mem: m } => {
                let memory = store.instances[inst as usize].memories[m as usize];
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, store.memories[memory as usize].pages()) };
                next!()
            }
            Instr::MemoryGrow { dst, delta, mem: m } => {
                let memory = store.instances[inst as usize].memories[m as usize] as usize;
                let is64 = store.memories[memory].ty.memory64;
                // SAFETY: slots per the module contract.
                let delta = unsafe { get(fp, delta) };
                let result = match store.memories[memory].grow(delta) {
                    Some(old) => old,
                    None if is64 => u64::MAX,
                    None => u32::MAX as u64,
                };
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, result) };
                grows = grows.wrapping_add(1);
                mem = mem_view(store, inst, 0);
                next!()
            }
            Instr::MemoryFill {
                dst,
                value,
                len,
                mem: m,
            } => {
                // SAFETY: slots per the module contract.
                let (d, v, n) = unsafe { (get(fp, dst), get(fp, value), get(fp, len)) };
                try_trap!(bulk::memory_fill(store, inst, m, d, v as u8, n));
                next!()
            }
            Instr::MemoryCopy {
                dst,
                src,
                len,
                dst_mem,
                src_mem,
            } => {
                // SAFETY: slots per the module contract.
                let (d, s, n) = unsafe { (get(fp, dst), get(fp, src), get(fp, len)) };
                try_trap!(bulk::memory_copy(store, inst, dst_mem as u32, src_mem as u32, d, s, n));
                next!()
            }
            Instr::MemoryInit {
                dst,
                src,
                len,
                mem: m,
                data: seg,
            } => {
                // SAFETY: slots per the module contract.
                let (d, s, n) = unsafe { (get(fp, dst), get_u32(fp, src), get_u32(fp, len)) };
                try_trap!(bulk::memory_init(store, inst, m as u32, seg, d, s, n));
                next!()
            }
            Instr::DataDrop { data: seg } => {
                store.instances[inst as usize].data_dropped[seg as usize] = true;
                next!()
            }
            Instr::TableGet { dst, index, table } => {
                // SAFETY: slots per the module contract.
                let i = unsafe { get(fp, index) };
                let t = store.instances[inst as usize].tables[table as usize] as usize;
                match usize::try_from(i).ok().and_then(|i| store.tables[t].elements.get(i)) {
                    // SAFETY: slots per the module contract.
                    Some(&r) => unsafe { set(fp, dst, r) },
                    None => trap!(TrapCode::TableOutOfBounds),
                }
                next!()
            }
            Instr::TableSet { index, value, table } => {
                // SAFETY: slots per the module contract.
                let (i, v) = unsafe { (get(fp, index), get(fp, value)) };
                let t = store.instances[inst as usize].tables[table as usize] as usize;
                match usize::try_from(i)
                    .ok()
                    .and_then(|i| store.tables[t].elements.get_mut(i))
                {
                    Some(slot) => *slot = v,
                    None => trap!(TrapCode::TableOutOfBounds),
                }
                next!()
            }
            Instr::TableSize { dst, table } => {
                let t = store.instances[inst as usize].tables[table as usize] as usize;
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, store.tables[t].size()) };
                next!()
            }
            Instr::TableGrow {
                dst,
                init,
                delta,
                table,
            } => {
                let t = store.instances[inst as usize].tables[table as usize] as usize;
                // SAFETY: slots per the module contract.
                let (r, n) = unsafe { (get(fp, init), get(fp, delta)) };
                let is64 = store.tables[t].ty.table64;
                let result = match store.tables[t].grow(n, r) {
                    Some(old) => old,
                    None if is64 => u64::MAX,
                    None => u32::MAX as u64,
                };
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, result) };
                next!()
            }
            Instr::TableFill { dst, value, len, table } => {
                // SAFETY: slots per the module contract.
                let (d, v, n) = unsafe { (get(fp, dst), get(fp, value), get(fp, len)) };
                try_trap!(bulk::table_fill(store, inst, table, d, v, n));
                next!()
            }
            Instr::TableCopy {
                dst,
                src,
                len,
                dst_table,
                src_table,
            } => {
                // SAFETY: slots per the module contract.
                let (d, s, n) = unsafe { (get(fp, dst), get(fp, src), get(fp, len)) };
                try_trap!(bulk::table_copy(
                    store,
                    inst,
                    dst_table as u32,
                    src_table as u32,
                    d,
                    s,
                    n
                ));
                next!()
            }
            Instr::TableInit {
                dst,
                src,
                len,
                table,
                elem,
            } => {
                // SAFETY: slots per the module contract.
                let (d, s, n) = unsafe { (get(fp, dst), get_u32(fp, src), get_u32(fp, len)) };
                try_trap!(bulk::table_init(store, inst, table as u32, elem, d, s, n));
                next!()
            }
            Instr::ElemDrop { elem } => {
                store.instances[inst as usize].elems[elem as usize] = None;
                next!()
            }

            // ---- i32
            Instr::I32Eqz { dst, src } => unop!(dst, src, get_u32, set_bool, |a| a == 0),
            Instr::I32Eq { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_bool, |a, b| a == b),
            Instr::I32Ne { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_bool, |a, b| a != b),
            Instr::I32LtS { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_i32, set_bool, |a, b| a < b),
            Instr::I32LtU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_bool, |a, b| a < b),
            Instr::I32GtS { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_i32, set_bool, |a, b| a > b),
            Instr::I32GtU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_bool, |a, b| a > b),
            Instr::I32LeS { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_i32, set_bool, |a, b| a <= b),
            Instr::I32LeU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_bool, |a, b| a <= b),
            Instr::I32GeS { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_i32, set_bool, |a, b| a >= b),
            Instr::I32GeU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_bool, |a, b| a >= b),
            Instr::I32Clz { dst, src } => unop!(dst, src, get_u32, set_u32, |a| a.leading_zeros()),
            Instr::I32Ctz { dst, src } => unop!(dst, src, get_u32, set_u32, |a| a.trailing_zeros()),
            Instr::I32Popcnt { dst, src } => unop!(dst, src, get_u32, set_u32, |a| a.count_ones()),
            Instr::I32Add { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a.wrapping_add(b)),
            Instr::I32Sub { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a.wrapping_sub(b)),
            Instr::I32Mul { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a.wrapping_mul(b)),
            Instr::I32DivS { dst, lhs, rhs } => binop_trap!(dst, lhs, rhs, get_i32, set_i32, num::i32_div_s),
            Instr::I32DivU { dst, lhs, rhs } => binop_trap!(dst, lhs, rhs, get_u32, set_u32, num::i32_div_u),
            Instr::I32RemS { dst, lhs, rhs } => binop_trap!(dst, lhs, rhs, get_i32, set_i32, num::i32_rem_s),
            Instr::I32RemU { dst, lhs, rhs } => binop_trap!(dst, lhs, rhs, get_u32, set_u32, num::i32_rem_u),
            Instr::I32And { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a & b),
            Instr::I32Or { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a | b),
            Instr::I32Xor { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a ^ b),
            Instr::I32Shl { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a.wrapping_shl(b)),
            Instr::I32ShrS { dst, lhs, rhs } => {
                binop!(dst, lhs, rhs, get_i32, set_i32, |a, b| a.wrapping_shr(b as u32))
            }
            Instr::I32ShrU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a.wrapping_shr(b)),
            Instr::I32Rotl { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a.rotate_left(b)),
            Instr::I32Rotr { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| a.rotate_right(b)),

            // ---- immediates (an i64 op sign-extends its i32 immediate); one slot read, like unary ops
            Instr::I32AddImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_u32, |a| a.wrapping_add(imm as u32)),
            Instr::I32MulImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_u32, |a| a.wrapping_mul(imm as u32)),
            Instr::I32AndImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_u32, |a| a & imm as u32),
            Instr::I32OrImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_u32, |a| a | imm as u32),
            Instr::I32XorImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_u32, |a| a ^ imm as u32),
            Instr::I32ShlImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_u32, |a| a.wrapping_shl(imm as u32)),
            Instr::I32ShrSImm { dst, lhs, imm } => unop!(dst, lhs, get_i32, set_i32, |a| a.wrapping_shr(imm as u32)),
            Instr::I32ShrUImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_u32, |a| a.wrapping_shr(imm as u32)),
            Instr::I32EqImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_bool, |a| a == imm as u32),
            Instr::I32NeImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_bool, |a| a != imm as u32),
            Instr::I32LtSImm { dst, lhs, imm } => unop!(dst, lhs, get_i32, set_bool, |a| a < imm),
            Instr::I32LtUImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_bool, |a| a < imm as u32),
            Instr::I32GtSImm { dst, lhs, imm } => unop!(dst, lhs, get_i32, set_bool, |a| a > imm),
            Instr::I32GtUImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_bool, |a| a > imm as u32),
            Instr::I32LeSImm { dst, lhs, imm } => unop!(dst, lhs, get_i32, set_bool, |a| a <= imm),
            Instr::I32LeUImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_bool, |a| a <= imm as u32),
            Instr::I32GeSImm { dst, lhs, imm } => unop!(dst, lhs, get_i32, set_bool, |a| a >= imm),
            Instr::I32GeUImm { dst, lhs, imm } => unop!(dst, lhs, get_u32, set_bool, |a| a >= imm as u32),
            Instr::I64AddImm { dst, lhs, imm } => unop!(dst, lhs, get, set, |a| a.wrapping_add(imm as i64 as u64)),
            Instr::I64MulImm { dst, lhs, imm } => unop!(dst, lhs, get, set, |a| a.wrapping_mul(imm as i64 as u64)),
            Instr::I64AndImm { dst, lhs, imm } => unop!(dst, lhs, get, set, |a| a & imm as i64 as u64),
            Instr::I64OrImm { dst, lhs, imm } => unop!(dst, lhs, get, set, |a| a | imm as i64 as u64),
            Instr::I64XorImm { dst, lhs, imm } => unop!(dst, lhs, get, set, |a| a ^ imm as i64 as u64),
            Instr::I64ShlImm { dst, lhs, imm } => unop!(dst, lhs, get, set, |a| a.wrapping_shl(imm as u32)),
            Instr::I64ShrSImm { dst, lhs, imm } => unop!(dst, lhs, get_i64, set_i64, |a| a.wrapping_shr(imm as u32)),
            Instr::I64ShrUImm { dst, lhs, imm } => unop!(dst, lhs, get, set, |a| a.wrapping_shr(imm as u32)),
            Instr::I64EqImm { dst, lhs, imm } => unop!(dst, lhs, get_i64, set_bool, |a| a == imm as i64),
            Instr::I64NeImm { dst, lhs, imm } => unop!(dst, lhs, get_i64, set_bool, |a| a != imm as i64),
            Instr::I64LtSImm { dst, lhs, imm } => unop!(dst, lhs, get_i64, set_bool, |a| a < imm as i64),
            Instr::I64LtUImm { dst, lhs, imm } => unop!(dst, lhs, get, set_bool, |a| a < imm as i64 as u64),
            Instr::I64GtSImm { dst, lhs, imm } => unop!(dst, lhs, get_i64, set_bool, |a| a > imm as i64),
            Instr::I64GtUImm { dst, lhs, imm } => unop!(dst, lhs, get, set_bool, |a| a > imm as i64 as u64),
            Instr::I64LeSImm { dst, lhs, imm } => unop!(dst, lhs, get_i64, set_bool, |a| a <= imm as i64),
            Instr::I64LeUImm { dst, lhs, imm } => unop!(dst, lhs, get, set_bool, |a| a <= imm as i64 as u64),
            Instr::I64GeSImm { dst, lhs, imm } => unop!(dst, lhs, get_i64, set_bool, |a| a >= imm as i64),
            Instr::I64GeUImm { dst, lhs, imm } => unop!(dst, lhs, get, set_bool, |a| a >= imm as i64 as u64),

            // ---- fused compare-and-branch
            Instr::BrI32Eq { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_u32, |a, b| a == b),
            Instr::BrI32Ne { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_u32, |a, b| a != b),
            Instr::BrI32LtS { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_i32, |a, b| a < b),
            Instr::BrI32LtU { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_u32, |a, b| a < b),
            Instr::BrI32GtS { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_i32, |a, b| a > b),
            Instr::BrI32GtU { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_u32, |a, b| a > b),
            Instr::BrI32LeS { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_i32, |a, b| a <= b),
            Instr::BrI32LeU { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_u32, |a, b| a <= b),
            Instr::BrI32GeS { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_i32, |a, b| a >= b),
            Instr::BrI32GeU { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_u32, |a, b| a >= b),
            Instr::BrI64Eq { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get, |a, b| a == b),
            Instr::BrI64Ne { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get, |a, b| a != b),
            Instr::BrI64LtS { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_i64, |a, b| a < b),
            Instr::BrI64LtU { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get, |a, b| a < b),
            Instr::BrI64GtS { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_i64, |a, b| a > b),
            Instr::BrI64GtU { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get, |a, b| a > b),
            Instr::BrI64LeS { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_i64, |a, b| a <= b),
            Instr::BrI64LeU { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get, |a, b| a <= b),
            Instr::BrI64GeS { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get_i64, |a, b| a >= b),
            Instr::BrI64GeU { lhs, rhs, offset } => brcmp!(lhs, rhs, offset, get, |a, b| a >= b),
            Instr::BrI32EqImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_u32, |a| a == imm as u32),
            Instr::BrI32NeImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_u32, |a| a != imm as u32),
            Instr::BrI32LtSImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i32, |a| a < imm),
            Instr::BrI32LtUImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_u32, |a| a < imm as u32),
            Instr::BrI32GtSImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i32, |a| a > imm),
            Instr::BrI32GtUImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_u32, |a| a > imm as u32),
            Instr::BrI32LeSImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i32, |a| a <= imm),
            Instr::BrI32LeUImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_u32, |a| a <= imm as u32),
            Instr::BrI32GeSImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i32, |a| a >= imm),
            Instr::BrI32GeUImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_u32, |a| a >= imm as u32),
            Instr::BrI64EqImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i64, |a| a == imm as i64),
            Instr::BrI64NeImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i64, |a| a != imm as i64),
            Instr::BrI64LtSImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i64, |a| a < imm as i64),
            Instr::BrI64LtUImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get, |a| a < imm as i64 as u64),
            Instr::BrI64GtSImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i64, |a| a > imm as i64),
            Instr::BrI64GtUImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get, |a| a > imm as i64 as u64),
            Instr::BrI64LeSImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i64, |a| a <= imm as i64),
            Instr::BrI64LeUImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get, |a| a <= imm as i64 as u64),
            Instr::BrI64GeSImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get_i64, |a| a >= imm as i64),
            Instr::BrI64GeUImm { lhs, imm, offset } => brcmpimm!(lhs, offset, get, |a| a >= imm as i64 as u64),

            // ---- i64
            Instr::I64Eqz { dst, src } => unop!(dst, src, get, set_bool, |a| a == 0),
            Instr::I64Eq { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set_bool, |a, b| a == b),
            Instr::I64Ne { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set_bool, |a, b| a != b),
            Instr::I64LtS { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_i64, set_bool, |a, b| a < b),
            Instr::I64LtU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set_bool, |a, b| a < b),
            Instr::I64GtS { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_i64, set_bool, |a, b| a > b),
            Instr::I64GtU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set_bool, |a, b| a > b),
            Instr::I64LeS { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_i64, set_bool, |a, b| a <= b),
            Instr::I64LeU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set_bool, |a, b| a <= b),
            Instr::I64GeS { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_i64, set_bool, |a, b| a >= b),
            Instr::I64GeU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set_bool, |a, b| a >= b),
            Instr::I64Clz { dst, src } => unop!(dst, src, get, set, |a| a.leading_zeros() as u64),
            Instr::I64Ctz { dst, src } => unop!(dst, src, get, set, |a| a.trailing_zeros() as u64),
            Instr::I64Popcnt { dst, src } => unop!(dst, src, get, set, |a| a.count_ones() as u64),
            Instr::I64Add { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a.wrapping_add(b)),
            Instr::I64Sub { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a.wrapping_sub(b)),
            Instr::I64Mul { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a.wrapping_mul(b)),
            Instr::I64DivS { dst, lhs, rhs } => binop_trap!(dst, lhs, rhs, get_i64, set_i64, num::i64_div_s),
            Instr::I64DivU { dst, lhs, rhs } => binop_trap!(dst, lhs, rhs, get, set, num::i64_div_u),
            Instr::I64RemS { dst, lhs, rhs } => binop_trap!(dst, lhs, rhs, get_i64, set_i64, num::i64_rem_s),
            Instr::I64RemU { dst, lhs, rhs } => binop_trap!(dst, lhs, rhs, get, set, num::i64_rem_u),
            Instr::I64And { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a & b),
            Instr::I64Or { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a | b),
            Instr::I64Xor { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a ^ b),
            Instr::I64Shl { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a.wrapping_shl(b as u32)),
            Instr::I64ShrS { dst, lhs, rhs } => {
                binop!(dst, lhs, rhs, get_i64, set_i64, |a, b| a.wrapping_shr(b as u32))
            }
            Instr::I64ShrU { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a.wrapping_shr(b as u32)),
            Instr::I64Rotl { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a.rotate_left(b as u32)),
            Instr::I64Rotr { dst, lhs, rhs } => binop!(dst, lhs, rhs, get, set, |a, b| a.rotate_right(b as u32)),

            // ---- f32
            Instr::F32Eq { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_bool, |a, b| a == b),
            Instr::F32Ne { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_bool, |a, b| a != b),
            Instr::F32Lt { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_bool, |a, b| a < b),
            Instr::F32Gt { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_bool, |a, b| a > b),
            Instr::F32Le { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_bool, |a, b| a <= b),
            Instr::F32Ge { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_bool, |a, b| a >= b),
            Instr::F32Abs { dst, src } => unop!(dst, src, get_u32, set_u32, |a| a & 0x7fff_ffff),
            Instr::F32Neg { dst, src } => unop!(dst, src, get_u32, set_u32, |a| a ^ 0x8000_0000),
            Instr::F32Ceil { dst, src } => unop!(dst, src, get_f32, set_f32, |a| num::f32_ceil(a)),
            Instr::F32Floor { dst, src } => unop!(dst, src, get_f32, set_f32, |a| num::f32_floor(a)),
            Instr::F32Trunc { dst, src } => unop!(dst, src, get_f32, set_f32, |a| num::f32_trunc(a)),
            Instr::F32Nearest { dst, src } => unop!(dst, src, get_f32, set_f32, |a| num::f32_nearest(a)),
            Instr::F32Sqrt { dst, src } => unop!(dst, src, get_f32, set_f32, |a| num::f32_sqrt(a)),
            Instr::F32Add { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_f32, |a, b| a + b),
            Instr::F32Sub { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_f32, |a, b| a - b),
            Instr::F32Mul { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_f32, |a, b| a * b),
            Instr::F32Div { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_f32, |a, b| a / b),
            Instr::F32Min { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_f32, |a, b| num::f32_min(a, b)),
            Instr::F32Max { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f32, set_f32, |a, b| num::f32_max(a, b)),
            Instr::F32Copysign { dst, lhs, rhs } => {
                binop!(dst, lhs, rhs, get_u32, set_u32, |a, b| (a & 0x7fff_ffff)
                    | (b & 0x8000_0000))
            }

            // ---- f64
            Instr::F64Eq { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_bool, |a, b| a == b),
            Instr::F64Ne { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_bool, |a, b| a != b),
            Instr::F64Lt { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_bool, |a, b| a < b),
            Instr::F64Gt { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_bool, |a, b| a > b),
            Instr::F64Le { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_bool, |a, b| a <= b),
            Instr::F64Ge { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_bool, |a, b| a >= b),
            Instr::F64Abs { dst, src } => unop!(dst, src, get, set, |a| a & 0x7fff_ffff_ffff_ffff),
            Instr::F64Neg { dst, src } => unop!(dst, src, get, set, |a| a ^ 0x8000_0000_0000_0000),
            Instr::F64Ceil { dst, src } => unop!(dst, src, get_f64, set_f64, |a| num::f64_ceil(a)),
            Instr::F64Floor { dst, src } => unop!(dst, src, get_f64, set_f64, |a| num::f64_floor(a)),
            Instr::F64Trunc { dst, src } => unop!(dst, src, get_f64, set_f64, |a| num::f64_trunc(a)),
            Instr::F64Nearest { dst, src } => unop!(dst, src, get_f64, set_f64, |a| num::f64_nearest(a)),
            Instr::F64Sqrt { dst, src } => unop!(dst, src, get_f64, set_f64, |a| num::f64_sqrt(a)),
            Instr::F64Add { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_f64, |a, b| a + b),
            Instr::F64Sub { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_f64, |a, b| a - b),
            Instr::F64Mul { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_f64, |a, b| a * b),
            Instr::F64Div { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_f64, |a, b| a / b),
            Instr::F64Min { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_f64, |a, b| num::f64_min(a, b)),
            Instr::F64Max { dst, lhs, rhs } => binop!(dst, lhs, rhs, get_f64, set_f64, |a, b| num::f64_max(a, b)),
            Instr::F64Copysign { dst, lhs, rhs } => {
                binop!(dst, lhs, rhs, get, set, |a, b| (a & !(1 << 63)) | (b & (1 << 63)))
            }

            // ---- conversions
            Instr::I32WrapI64 { dst, src } => unop!(dst, src, get, set_u32, |a| a as u32),
            Instr::I64ExtendI32S { dst, src } => unop!(dst, src, get_i32, set_i64, |a| a as i64),
            Instr::I64ExtendI32U { dst, src } => unop!(dst, src, get_u32, set, |a| a as u64),
            Instr::I32TruncF32S { dst, src } => unop_trap!(dst, src, get_f32, set_i32, num::i32_trunc_f32_s),
            Instr::I32TruncF32U { dst, src } => unop_trap!(dst, src, get_f32, set_u32, num::i32_trunc_f32_u),
            Instr::I32TruncF64S { dst, src } => unop_trap!(dst, src, get_f64, set_i32, num::i32_trunc_f64_s),
            Instr::I32TruncF64U { dst, src } => unop_trap!(dst, src, get_f64, set_u32, num::i32_trunc_f64_u),
            Instr::I64TruncF32S { dst, src } => unop_trap!(dst, src, get_f32, set_i64, num::i64_trunc_f32_s),
            Instr::I64TruncF32U { dst, src } => unop_trap!(dst, src, get_f32, set, num::i64_trunc_f32_u),
            Instr::I64TruncF64S { dst, src } => unop_trap!(dst, src, get_f64, set_i64, num::i64_trunc_f64_s),
            Instr::I64TruncF64U { dst, src } => unop_trap!(dst, src, get_f64, set, num::i64_trunc_f64_u),
            Instr::I32TruncSatF32S { dst, src } => unop!(dst, src, get_f32, set_i32, |a| a as i32),
            Instr::I32TruncSatF32U { dst, src } => unop!(dst, src, get_f32, set_u32, |a| a as u32),
            Instr::I32TruncSatF64S { dst, src } => unop!(dst, src, get_f64, set_i32, |a| a as i32),
            Instr::I32TruncSatF64U { dst, src } => unop!(dst, src, get_f64, set_u32, |a| a as u32),
            Instr::I64TruncSatF32S { dst, src } => unop!(dst, src, get_f32, set_i64, |a| a as i64),
            Instr::I64TruncSatF32U { dst, src } => unop!(dst, src, get_f32, set, |a| a as u64),
            Instr::I64TruncSatF64S { dst, src } => unop!(dst, src, get_f64, set_i64, |a| a as i64),
            Instr::I64TruncSatF64U { dst, src } => unop!(dst, src, get_f64, set, |a| a as u64),
            Instr::F32ConvertI32S { dst, src } => unop!(dst, src, get_i32, set_f32, |a| a as f32),
            Instr::F32ConvertI32U { dst, src } => unop!(dst, src, get_u32, set_f32, |a| a as f32),
            Instr::F32ConvertI64S { dst, src } => unop!(dst, src, get_i64, set_f32, |a| a as f32),
            Instr::F32ConvertI64U { dst, src } => unop!(dst, src, get, set_f32, |a| a as f32),
            Instr::F32DemoteF64 { dst, src } => unop!(dst, src, get_f64, set_f32, |a| a as f32),
            Instr::F64ConvertI32S { dst, src } => unop!(dst, src, get_i32, set_f64, |a| a as f64),
            Instr::F64ConvertI32U { dst, src } => unop!(dst, src, get_u32, set_f64, |a| a as f64),
            Instr::F64ConvertI64S { dst, src } => unop!(dst, src, get_i64, set_f64, |a| a as f64),
            Instr::F64ConvertI64U { dst, src } => unop!(dst, src, get, set_f64, |a| a as f64),
            Instr::F64PromoteF32 { dst, src } => unop!(dst, src, get_f32, set_f64, |a| a as f64),
            Instr::I32Extend8S { dst, src } => unop!(dst, src, get_u32, set_i32, |a| a as i8 as i32),
            Instr::I32Extend16S { dst, src } => unop!(dst, src, get_u32, set_i32, |a| a as i16 as i32),
            Instr::I64Extend8S { dst, src } => unop!(dst, src, get, set_i64, |a| a as i8 as i64),
            Instr::I64Extend16S { dst, src } => unop!(dst, src, get, set_i64, |a| a as i16 as i64),
            Instr::I64Extend32S { dst, src } => unop!(dst, src, get, set_i64, |a| a as i32 as i64),

            // ---- SIMD
            Instr::V128Load {
                dst,
                addr,
                mem: m,
                offset,
            } => {
                // SAFETY: slots per the module contract.
                let a = unsafe { get(fp, addr) };
                match view!(m).load::<16>(a, offset) {
                    // SAFETY: slots per the module contract.
                    Some(b) => unsafe { set_v128(fp, dst, u128::from_le_bytes(b)) },
                    None => trap!(TrapCode::MemoryOutOfBounds),
                }
                next!()
            }
            Instr::V128LoadExtend {
                dst,
                addr,
                mem: m,
                offset,
                op,
            } => {
                // SAFETY: slots per the module contract.
                let a = unsafe { get(fp, addr) };
                match view!(m).load::<8>(a, offset) {
                    // SAFETY: slots per the module contract.
                    Some(b) => unsafe { set_v128(fp, dst, op.eval(u64::from_le_bytes(b))) },
                    None => trap!(TrapCode::MemoryOutOfBounds),
                }
                next!()
            }
            Instr::V128LoadSplat {
                dst,
                addr,
                mem: m,
                offset,
                width_log2,
            } => {
                // SAFETY: slots per the module contract.
                let a = unsafe { get(fp, addr) };
                let v = try_trap!(load_scalar(view!(m), a, offset, width_log2));
                let bits = 8u32 << width_log2;
                let mut r = 0u128;
                for i in 0..(128 / bits) {
                    r |= (v as u128) << (i * bits);
                }
                // SAFETY: slots per the module contract.
                unsafe { set_v128(fp, dst, r) };
                next!()
            }
            Instr::V128LoadZero {
                dst,
                addr,
                mem: m,
                offset,
                width_log2,
            } => {
                // SAFETY: slots per the module contract.
                let a = unsafe { get(fp, addr) };
                let v = try_trap!(load_scalar(view!(m), a, offset, width_log2));
                // SAFETY: slots per the module contract.
                unsafe { set_v128(fp, dst, v as u128) };
                next!()
            }
            Instr::V128LoadLane {
                dst,
                addr,
                vec,
                mem: m,
                offset,
                width_log2,
                lane,
            } => {
                // SAFETY: slots per the module contract.
                let (a, v) = unsafe { (get(fp, addr), get_v128(fp, vec)) };
                let x = try_trap!(load_scalar(view!(m), a, offset, width_log2));
                let bits = 8u32 << width_log2;
                let mask = (u128::MAX >> (128 - bits)) << (lane as u32 * bits);
                let r = (v & !mask) | ((x as u128) << (lane as u32 * bits));
                // SAFETY: slots per the module contract.
                unsafe { set_v128(fp, dst, r) };
                next!()
            }
            Instr::V128StoreLane {
                addr,
                vec,
                mem: m,
                offset,
                width_log2,
                lane,
            } => {
                // SAFETY: slots per the module contract.
                let (a, v) = unsafe { (get(fp, addr), get_v128(fp, vec)) };
                let bits = 8u32 << width_log2;
                let x = (v >> (lane as u32 * bits)) as u64;
                try_trap!(store_scalar(view!(m), a, offset, width_log2, x));
                next!()
            }
            Instr::V128Unary { dst, src, op } => unop!(dst, src, get_v128, set_v128, |a| op.eval(a)),
            Instr::V128Binary { dst, lhs, rhs, op } => binop!(dst, lhs, rhs, get_v128, set_v128, |a, b| op.eval(a, b)),
            Instr::V128Ternary { dst, a, b, c, op } => {
                // SAFETY: slots per the module contract.
                unsafe {
                    let r = op.eval(get_v128(fp, a), get_v128(fp, b), get_v128(fp, c));
                    set_v128(fp, dst, r);
                }
                next!()
            }
            Instr::V128Shift { dst, src, count, op } => {
                // SAFETY: slots per the module contract.
                unsafe {
                    let r = op.eval(get_v128(fp, src), get_u32(fp, count));
                    set_v128(fp, dst, r);
                }
                next!()
            }
            Instr::V128Test { dst, src, op } => unop!(dst, src, get_v128, set_u32, |a| op.eval(a)),
            Instr::V128Splat { dst, src, op } => unop!(dst, src, get, set_v128, |a| op.eval(a)),
            Instr::V128ExtractLane { dst, src, op, lane } => unop!(dst, src, get_v128, set, |a| op.eval(a, lane)),
            Instr::V128ReplaceLane {
                dst,
                src,
                value,
                op,
                lane,
            } => {
                // SAFETY: slots per the module contract.
                unsafe {
                    let r = op.eval(get_v128(fp, src), lane, get(fp, value));
                    set_v128(fp, dst, r);
                }
                next!()
            }
            // ---- GC
            Instr::RefI31 { dst, src } => unop!(dst, src, get_u32, set, |v| ((v & 0x7fff_ffff) as u64) << 1 | 1),
            Instr::I31Get { dst, src, signed } => {
                // SAFETY: slots per the module contract.
                let r = unsafe { get(fp, src) };
                if r == 0 {
                    trap!(TrapCode::NullReference);
                }
                let v = if signed {
                    (r as u32 as i32 >> 1) as u32
                } else {
                    (r as u32) >> 1
                };
                // SAFETY: slots per the module contract.
                unsafe { set_u32(fp, dst, v) };
                next!()
            }
            Instr::StructNew { dst, base, ty } => {
                let n = gc_ops::struct_cells(store, inst, ty);
                // SAFETY: the field cells are slots of the current frame.
                let cells = unsafe { core::slice::from_raw_parts(fp.add(base as usize), n) }.to_vec();
                let r = gc_ops::struct_new(store, inst, ty, Some(&cells));
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, r) };
                next!()
            }
            Instr::StructNewDefault { dst, ty } => {
                let r = gc_ops::struct_new(store, inst, ty, None);
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, r) };
                next!()
            }
            Instr::StructGet { dst, obj, field, kind } => {
                // SAFETY: slots per the module contract.
                let v = try_trap!(gc_ops::struct_get(store, unsafe { get(fp, obj) }, field, kind));
                // SAFETY: slots per the module contract.
                unsafe { set_wide(fp, dst, kind, v) };
                next!()
            }
            Instr::StructSet {
                obj,
                value,
                field,
                kind,
            } => {
                // SAFETY: slots per the module contract.
                let (r, v) = unsafe { (get(fp, obj), get_wide(fp, value, kind)) };
                try_trap!(gc_ops::struct_set(store, r, field, kind, v));
                next!()
            }
            Instr::ArrayNew { dst, init, len, ty } => {
                let kind = mote_ir::FieldKind::W128 as u8;
                // SAFETY: slots per the module contract; a narrower init is truncated on store.
                let (v, n) = unsafe { (get_wide(fp, init, kind), get_u32(fp, len)) };
                let r = try_trap!(gc_ops::array_new(store, inst, ty, v, n as u64));
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, r) };
                next!()
            }
            Instr::ArrayNewDefault { dst, len, ty } => {
                // SAFETY: slots per the module contract.
                let n = unsafe { get_u32(fp, len) };
                let r = try_trap!(gc_ops::array_new(store, inst, ty, 0, n as u64));
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, r) };
                next!()
            }
            Instr::ArrayNewFixed { dst, base, ty, len } => {
                let module = &store.instances[inst as usize].module;
                let kind = crate::gc::array_kind(module.info(), mote_environ::TypeIndex(ty));
                let n = len as usize * kind.cells() as usize;
                // SAFETY: the element cells are slots of the current frame.
                let cells = unsafe { core::slice::from_raw_parts(fp.add(base as usize), n) }.to_vec();
                let r = try_trap!(gc_ops::array_new_fixed(store, inst, ty, &cells, len));
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, r) };
                next!()
            }
            Instr::ArrayNewData {
                dst,
                offset,
                len,
                ty,
                data: seg,
            } => {
                // SAFETY: slots per the module contract.
                let (o, n) = unsafe { (get_u32(fp, offset), get_u32(fp, len)) };
                let r = try_trap!(gc_ops::array_new_data(store, inst, ty, seg, o, n));
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, r) };
                next!()
            }
            Instr::ArrayNewElem {
                dst,
                offset,
                len,
                ty,
                elem,
            } => {
                // SAFETY: slots per the module contract.
                let (o, n) = unsafe { (get_u32(fp, offset), get_u32(fp, len)) };
                let r = try_trap!(gc_ops::array_new_elem(store, inst, ty, elem, o, n));
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, r) };
                next!()
            }
            Instr::ArrayGet { dst, arr, index, kind } => {
                // SAFETY: slots per the module contract.
                let (r, i) = unsafe { (get(fp, arr), get_u32(fp, index)) };
                let v = try_trap!(gc_ops::array_get(store, r, i, kind));
                // SAFETY: slots per the module contract.
                unsafe { set_wide(fp, dst, kind, v) };
                next!()
            }
            Instr::ArraySet {
                arr,
                index,
                value,
                kind,
            } => {
                // SAFETY: slots per the module contract.
                let (r, i, v) = unsafe { (get(fp, arr), get_u32(fp, index), get_wide(fp, value, kind)) };
                try_trap!(gc_ops::array_set(store, r, i, v));
                next!()
            }
            Instr::ArrayLen { dst, arr } => {
                // SAFETY: slots per the module contract.
                let n = try_trap!(gc_ops::array_len(store, unsafe { get(fp, arr) }));
                // SAFETY: slots per the module contract.
                unsafe { set_u32(fp, dst, n) };
                next!()
            }
            Instr::ArrayFill {
                arr,
                offset,
                value,
                len,
                kind,
            } => {
                // SAFETY: slots per the module contract.
                let (r, o, v, n) = unsafe {
                    (
                        get(fp, arr),
                        get_u32(fp, offset),
                        get_wide(fp, value, kind),
                        get_u32(fp, len),
                    )
                };
                try_trap!(gc_ops::array_fill(store, r, o, v, n));
                next!()
            }
            Instr::ArrayCopy {
                dst,
                dst_offset,
                src,
                src_offset,
                len,
            } => {
                // SAFETY: slots per the module contract.
                let (d, doff, s, soff, n) = unsafe {
                    (
                        get(fp, dst),
                        get_u32(fp, dst_offset),
                        get(fp, src),
                        get_u32(fp, src_offset),
                        get_u32(fp, len),
                    )
                };
                try_trap!(gc_ops::array_copy(store, d, doff, s, soff, n));
                next!()
            }
            Instr::ArrayInitData {
                arr,
                dst,
                src,
                len,
                data: seg,
            } => {
                // SAFETY: slots per the module contract.
                let (r, d, s, n) = unsafe { (get(fp, arr), get_u32(fp, dst), get_u32(fp, src), get_u32(fp, len)) };
                try_trap!(gc_ops::array_init_data(store, inst, r, d, s, n, seg));
                next!()
            }
            Instr::ArrayInitElem {
                arr,
                dst,
                src,
                len,
                elem,
            } => {
                // SAFETY: slots per the module contract.
                let (r, d, s, n) = unsafe { (get(fp, arr), get_u32(fp, dst), get_u32(fp, src), get_u32(fp, len)) };
                try_trap!(gc_ops::array_init_elem(store, inst, r, d, s, n, elem));
                next!()
            }
            Instr::RefTest { dst, src, target } => {
                // SAFETY: code is live; slots per the module contract.
                let (ty, r) = unsafe { ((&(*code).ref_types)[target as usize], get(fp, src)) };
                let ok = crate::gc::ref_test(store, r, ty);
                // SAFETY: slots per the module contract.
                unsafe { set_bool(fp, dst, ok) };
                next!()
            }
            Instr::RefCast { dst, src, target } => {
                // SAFETY: code is live; slots per the module contract.
                let (ty, r) = unsafe { ((&(*code).ref_types)[target as usize], get(fp, src)) };
                if !crate::gc::ref_test(store, r, ty) {
                    trap!(TrapCode::CastFailure);
                }
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, r) };
                next!()
            }
            Instr::BrOnCast {
                src,
                target,
                offset,
                fail,
            } => {
                // SAFETY: code is live; slots per the module contract.
                let (ty, r) = unsafe { ((&(*code).ref_types)[target as usize], get(fp, src)) };
                if crate::gc::ref_test(store, r, ty) != fail {
                    branch!(offset)
                }
                next!()
            }
            Instr::I8x16Shuffle { dst, a, b, lanes } => {
                // SAFETY: code is live; the pool index was made by the translator.
                let lanes = unsafe { (&(*code).pool)[lanes as usize] }.to_le_bytes();
                // SAFETY: slots per the module contract.
                unsafe {
                    let r = mote_core::simd::i8x16_shuffle(get_v128(fp, a), get_v128(fp, b), lanes);
                    set_v128(fp, dst, r);
                }
                next!()
            }
        };
        // Unwind: find the innermost handler that catches `exn`, popping frames.
        let HeapObject::Exception { tag: exn_tag, .. } = &store.objects[(exn >> 1) as usize - 1] else {
            unreachable!("exnref refers to an exception object")
        };
        let exn_tag = *exn_tag;
        // SAFETY: ip points into the current function's code.
        let mut pc = unsafe { ip.offset_from((*code).code.as_ptr()) } as u32;
        loop {
            // SAFETY: code is live.
            let handlers = unsafe { &(*code).handlers };
            if let Some(catch) = find_catch(store, inst, handlers, pc, exn_tag) {
                let HeapObject::Exception { payload, .. } = &store.objects[(exn >> 1) as usize - 1] else {
                    unreachable!("checked above")
                };
                // SAFETY: the label's slots lie in the frame (translator contract).
                unsafe {
                    let dest = fp.add(catch.dest as usize);
                    let mut n = 0;
                    if catch.tag.is_some() {
                        core::ptr::copy_nonoverlapping(payload.as_ptr(), dest, payload.len());
                        n = payload.len();
                    }
                    if catch.with_ref {
                        *dest.add(n) = exn;
                    }
                    ip = (*code).code.as_ptr().add(catch.target as usize);
                }
                continue 'exec;
            }
            if pop_frame!() {
                break 'exec Err(Stop::Trap(TrapCode::UncaughtException));
            }
            // SAFETY: the saved ip follows the call instruction in the same code.
            pc = unsafe { ip.offset_from((*code).code.as_ptr()) } as u32 - 1;
        }
    };
    match result {
        Ok(()) => Ok(()),
        Err(stop) => {
            let backtrace = backtrace(store, cur_func, entry_depth);
            store.exec.frames.truncate(entry_depth);
            store.exec.sp = saved_sp;
            Err(match stop {
                Stop::Trap(code) => Trap::with_backtrace(code, backtrace).into(),
                Stop::Host(e) => e,
            })
        }
    }
}
