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

use super::dispatch::{self, Code, Ctx, Exit, Op};
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
use mote_core::TrapCode;
use mote_ir::Instr;

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

/// Runs `code` (function `func` of `instance`) whose frame starts at cell
/// `base` with its parameters in place, until it returns.
pub(super) fn run(
    store: &mut StoreInner,
    data: &mut dyn Any,
    func: u32,
    instance: u32,
    code: &Code,
    base: usize,
) -> Result<(), Error> {
    let entry_depth = store.exec.frames.len();
    let saved_sp = store.exec.sp;
    let stack = store.exec.stack.as_ref().expect("allocated by invoke");
    let stack_base = stack.as_ptr();
    let stack_len = stack.len();
    let mut cur_func = func;
    let mut inst = instance;
    let mut code: *const Code = code;
    // SAFETY: `code` is a live CompiledFunc; its first instruction exists
    // (every body ends in `Return`).
    let mut ip: *const Op = unsafe { (*code).ops.as_ptr() };
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
                        let c: *const Code = match module.code(defined) {
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
                        unsafe { core::ptr::copy(fp.add($base as usize), fp, c.func.param_cells as usize) };
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
                    if start + c.func.frame_cells as usize > stack_len {
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
                    let locals = (c.func.local_cells - c.func.param_cells) as usize;
                    if locals != 0 {
                        // SAFETY: the callee's frame fits the stack (checked above).
                        unsafe { core::ptr::write_bytes(new_fp.add(c.func.param_cells as usize), 0, locals) };
                    }
                    cur_func = callee as u32;
                    code = callee_code;
                    ip = c.ops.as_ptr();
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
    let mut ctx = Ctx {
        store,
        ip,
        fp,
        mem,
        inst,
        callees: core::ptr::null_mut(),
        cur_func,
        code,
        grows,
        fuel: 0,
        entry_depth,
        stack_base,
        stack_len,
        trap: TrapCode::Unreachable,
        regs: super::slots::Regs::ZERO,
    };
    let result: Result<(), Stop> = 'exec: loop {
        // Threaded handlers run until an instruction needs this loop.
        ctx.store = store;
        (ctx.ip, ctx.fp, ctx.mem) = (ip, fp, mem);
        (ctx.inst, ctx.cur_func, ctx.code, ctx.grows) = (inst, cur_func, code, grows);
        ctx.callees = store.instances[inst as usize].callees.as_mut_ptr();
        ctx.fuel = store.fuel;
        // SAFETY: the state describes the running activation, and `store`
        // is not used until the handlers return.
        let exit = unsafe { dispatch::enter(&mut ctx) };
        store.fuel = ctx.fuel;
        (ip, fp, mem) = (ctx.ip, ctx.fp, ctx.mem);
        (inst, cur_func, code, grows) = (ctx.inst, ctx.cur_func, ctx.code, ctx.grows);
        match exit {
            Exit::Slow => {}
            Exit::Return => break Ok(()),
            Exit::Trap => break Err(Stop::Trap(ctx.trap)),
            Exit::Continue => unreachable!("the trampoline runs until a handler stops"),
        }
        // SAFETY: ip points to an instruction of the current function; it is
        // matched by reference so each arm loads only the fields it uses.
        let instr = unsafe { &(*ip).instr };
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
                try_trap!(crate::gc::new_exception(store, tag, payload))
            }
            Instr::ThrowRef { src } => {
                // SAFETY: slots per the module contract.
                let r = unsafe { get(fp, src) };
                if r == 0 {
                    trap!(TrapCode::NullReference);
                }
                r
            }
            Instr::ConstV128 { dst, index } => {
                // SAFETY: code is live; the pool index was made by the translator.
                unsafe { set_v128(fp, dst, (&(*code).func.pool)[index as usize]) };
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
            // ---- memory
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
                let r = try_trap!(gc_ops::struct_new(store, inst, ty, Some(&cells)));
                // SAFETY: slots per the module contract.
                unsafe { set(fp, dst, r) };
                next!()
            }
            Instr::StructNewDefault { dst, ty } => {
                let r = try_trap!(gc_ops::struct_new(store, inst, ty, None));
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
                let (ty, r) = unsafe { ((&(*code).func.ref_types)[target as usize], get(fp, src)) };
                let ok = crate::gc::ref_test(store, r, ty);
                // SAFETY: slots per the module contract.
                unsafe { set_bool(fp, dst, ok) };
                next!()
            }
            Instr::RefCast { dst, src, target } => {
                // SAFETY: code is live; slots per the module contract.
                let (ty, r) = unsafe { ((&(*code).func.ref_types)[target as usize], get(fp, src)) };
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
                let (ty, r) = unsafe { ((&(*code).func.ref_types)[target as usize], get(fp, src)) };
                if crate::gc::ref_test(store, r, ty) != fail {
                    branch!(offset)
                }
                next!()
            }
            Instr::I8x16Shuffle { dst, a, b, lanes } => {
                // SAFETY: code is live; the pool index was made by the translator.
                let lanes = unsafe { (&(*code).func.pool)[lanes as usize] }.to_le_bytes();
                // SAFETY: slots per the module contract.
                unsafe {
                    let r = mote_core::simd::i8x16_shuffle(get_v128(fp, a), get_v128(fp, b), lanes);
                    set_v128(fp, dst, r);
                }
                next!()
            }
            _ => unreachable!("instructions with a handler of their own never reach this loop"),
        };
        // Unwind: find the innermost handler that catches `exn`, popping frames.
        let HeapObject::Exception { tag: exn_tag, .. } = &store.objects[(exn >> 1) as usize - 1] else {
            unreachable!("exnref refers to an exception object")
        };
        let exn_tag = *exn_tag;
        // SAFETY: ip points into the current function's code.
        let mut pc = unsafe { ip.offset_from((*code).ops.as_ptr()) } as u32;
        loop {
            // SAFETY: code is live.
            let handlers = unsafe { &(*code).func.handlers };
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
                    ip = (*code).ops.as_ptr().add(catch.target as usize);
                }
                continue 'exec;
            }
            if pop_frame!() {
                break 'exec Err(Stop::Trap(TrapCode::UncaughtException));
            }
            // SAFETY: the saved ip follows the call instruction in the same code.
            pc = unsafe { ip.offset_from((*code).ops.as_ptr()) } as u32 - 1;
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
