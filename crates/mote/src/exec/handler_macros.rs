//! The macros that write handlers (see `dispatch.rs`).
//!
//! Handlers are written as `match`-style arms (`Instr::X { fields } =>
//! body`), which [`handlers!`] turns into one function each. The helper
//! macros (`binop!`, `load!`, ...) are defined by [`define_helpers!`]
//! inside each handler, with the handler's variable names passed in: macro
//! hygiene lets an expansion name a local variable only if the macro was
//! defined where the variable is in scope.
//!
//! Inputs and results go through [`input!`](define_helpers) and
//! `output!`, which also implement the result register of
//! `mote_ir::reg_pass`: an input whose bit is set in the handler's `A`
//! comes from the register, and every result is passed on in one. Which
//! input is first and second follows `Instr::reg_inputs`, category by
//! category (`binop!`: `lhs`, `rhs`; `store!`: `addr`, `value`; ...).

/// Defines the helper macros over the handler variables `$ip $fp $base
/// $len $ctx $regs $instr`; `$d` is a literal `$`, for the inner macros'
/// own variables.
macro_rules! define_helpers {
    ($d:tt $ip:ident $fp:ident $base:ident $len:ident $ctx:ident $regs:ident $instr:ident) => {
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! next {
            () => {
                next!($regs)
            };
            ($d regs:expr) => {
                // SAFETY: the translator ends every path with a branch or
                // return, so the next instruction exists.
                dispatch!(unsafe { $ip.add(1) }, $fp, $base, $len, $ctx, $d regs)
            };
        }
        /// The result registers as this handler received them.
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! regs {
            () => {
                $regs
            };
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! branch {
            ($d offset:expr) => {
                // SAFETY: branch targets are instructions of this function;
                // `Code::new` made the offsets of fast branches byte offsets.
                dispatch!(unsafe { $ip.byte_offset($d offset as isize) }, $fp, $base, $len, $ctx, $regs)
            };
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! trap {
            ($d code:expr) => {
                return trap($ip, $fp, $base, $len, $ctx, $d code)
            };
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! try_trap {
            ($d e:expr) => {
                match $d e {
                    Ok(v) => v,
                    Err(code) => trap!(code),
                }
            };
        }
        /// Input `$k` (0 or 1, per `Instr::reg_inputs`), in slot `$slot`,
        /// read with `$get`, or from the result register if `A` says so.
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! input {
            ($d k:literal, $d slot:ident, $d get:ident) => {
                if A & (1 << $d k) != 0 {
                    match $instr.reg_inputs()[$d k] {
                        Some((_, class)) => $regs.get(class),
                        None => $regs.get(mote_ir::RegClass::Int),
                    }
                } else {
                    // SAFETY: slots per the module contract.
                    unsafe { $d get($fp, $d slot) }
                }
            };
        }
        /// Writes the result `$v` to `$dst` with `$set`; evaluates to the
        /// registers to pass on, with the result in its register.
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! output {
            ($d dst:ident, $d set:ident, $d v:expr) => {{
                let v = $d v;
                if A & 4 == 0 {
                    // SAFETY: slots per the module contract.
                    unsafe { $d set($fp, $d dst, v) };
                }
                match $instr.reg_result() {
                    Some((_, class)) => $regs.with(class, v),
                    None => $regs,
                }
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! view {
            ($d mem:expr) => {
                if !OTHER_MEMORY {
                    MemView { base: $base, len: $len }
                } else {
                    // SAFETY: the store is live while handlers run (`Ctx::store`).
                    mem_view(unsafe { &*$ctx.store }, $ctx.inst, $d mem as u32)
                }
            };
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! load {
            ($d dst:ident, $d addr:ident, $d mem:ident, $d offset:ident, $d n:literal, |$d b:ident| $d conv:expr) => {{
                let a = input!(0, $d addr, get);
                match view!($d mem).load::<$d n>(a, $d offset) {
                    Some($d b) => {
                        let passed = output!($d dst, set, $d conv);
                        next!(passed)
                    }
                    None => trap!(TrapCode::MemoryOutOfBounds),
                }
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! store {
            ($d addr:ident, $d value:ident, $d mem:ident, $d offset:ident, $d n:literal, |$d v:ident| $d bytes:expr) => {{
                let a = input!(0, $d addr, get);
                let $d v = input!(1, $d value, get);
                if view!($d mem).store::<$d n>(a, $d offset, $d bytes).is_none() {
                    trap!(TrapCode::MemoryOutOfBounds);
                }
                next!()
            }};
        }
        /// Loads from memory 0 at a 32-bit effective address `$ea`.
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! load0 {
            ($d dst:ident, $d ea:expr, $d offset:ident, $d n:literal, |$d b:ident| $d conv:expr) => {{
                match (MemView { base: $base, len: $len }).load32::<$d n>($d ea, $d offset) {
                    Some($d b) => {
                        let passed = output!($d dst, set, $d conv);
                        next!(passed)
                    }
                    None => trap!(TrapCode::MemoryOutOfBounds),
                }
            }};
        }
        /// Stores to memory 0 at a 32-bit effective address `$ea`.
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! store0 {
            ($d ea:expr, $d value:ident, $d offset:ident, $d n:literal, |$d v:ident| $d bytes:expr) => {{
                let ea: u32 = $d ea;
                let $d v = input!(1, $d value, get);
                if (MemView { base: $base, len: $len }).store32::<$d n>(ea, $d offset, $d bytes).is_none() {
                    trap!(TrapCode::MemoryOutOfBounds);
                }
                next!()
            }};
        }
        /// `dst = x op m`, `m` converted from the bytes `$loaded` read
        /// (`None`: out of bounds, a trap).
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! binop_loaded {
            ($d dst:ident, $d set:ident, $d loaded:expr, |$d b:ident| $d conv:expr, |$d m:ident| $d e:expr) => {{
                match $d loaded {
                    Some($d b) => {
                        let $d m = $d conv;
                        let passed = output!($d dst, $d set, $d e);
                        next!(passed)
                    }
                    None => trap!(TrapCode::MemoryOutOfBounds),
                }
            }};
        }
        /// `dst = lhs op value`, `value` loaded from memory 0 at `addr +
        /// offset`; the first input is `lhs`, the second `addr`.
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! binop_load {
            ($d dst:ident, $d lhs:ident, $d addr:ident, $d offset:ident, $d n:literal, $d get:ident, $d set:ident,
             |$d b:ident| $d conv:expr, |$d x:ident, $d m:ident| $d e:expr) => {{
                let $d x = input!(0, $d lhs, $d get);
                let a = input!(1, $d addr, get);
                let loaded = (MemView { base: $base, len: $len }).load::<$d n>(a, $d offset);
                binop_loaded!($d dst, $d set, loaded, |$d b| $d conv, |$d m| $d e)
            }};
        }
        /// `binop_load!` at `(addr + imm) mod 2^32 + offset`.
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! binop_load_at {
            ($d dst:ident, $d lhs:ident, $d addr:ident, $d imm:ident, $d offset:ident, $d n:literal, $d get:ident,
             $d set:ident, |$d b:ident| $d conv:expr, |$d x:ident, $d m:ident| $d e:expr) => {{
                let $d x = input!(0, $d lhs, $d get);
                let ea = input!(1, $d addr, get_u32).wrapping_add($d imm as u32);
                let loaded = (MemView { base: $base, len: $len }).load32::<$d n>(ea, $d offset);
                binop_loaded!($d dst, $d set, loaded, |$d b| $d conv, |$d m| $d e)
            }};
        }
        /// `load0!` at `addr + imm`.
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! load_at {
            ($d dst:ident, $d addr:ident, $d imm:ident, $d offset:ident, $d n:literal, |$d b:ident| $d conv:expr) => {{
                let ea = input!(0, $d addr, get_u32).wrapping_add($d imm as u32);
                load0!($d dst, ea, $d offset, $d n, |$d b| $d conv)
            }};
        }
        /// `load0!` at `base + index`.
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! load_idx {
            ($d dst:ident, $d base:ident, $d index:ident, $d offset:ident, $d n:literal, |$d b:ident| $d conv:expr) => {{
                let ea = input!(0, $d base, get_u32).wrapping_add(input!(1, $d index, get_u32));
                load0!($d dst, ea, $d offset, $d n, |$d b| $d conv)
            }};
        }
        /// `store0!` at `addr + imm`.
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! store_at {
            ($d addr:ident, $d value:ident, $d imm:ident, $d offset:ident, $d n:literal, |$d v:ident| $d bytes:expr) => {{
                let ea = input!(0, $d addr, get_u32).wrapping_add($d imm as u32);
                store0!(ea, $d value, $d offset, $d n, |$d v| $d bytes)
            }};
        }
        /// `store0!` at `base + index`; the index is the first input.
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! store_idx {
            ($d base:ident, $d index:ident, $d value:ident, $d offset:ident, $d n:literal, |$d v:ident| $d bytes:expr) => {{
                // SAFETY: slots per the module contract.
                let ea = unsafe { get_u32($fp, $d base) }.wrapping_add(input!(0, $d index, get_u32));
                store0!(ea, $d value, $d offset, $d n, |$d v| $d bytes)
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! binop {
            ($d dst:ident, $d lhs:ident, $d rhs:ident, $d get:ident, $d set:ident, |$d a:ident, $d b:ident| $d e:expr) => {{
                let $d a = input!(0, $d lhs, $d get);
                let $d b = input!(1, $d rhs, $d get);
                let passed = output!($d dst, $d set, $d e);
                next!(passed)
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! brcmp {
            ($d lhs:ident, $d rhs:ident, $d offset:ident, $d get:ident, |$d a:ident, $d b:ident| $d e:expr) => {{
                let $d a = input!(0, $d lhs, $d get);
                let $d b = input!(1, $d rhs, $d get);
                if $d e {
                    branch!($d offset)
                }
                next!()
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! brcmpimm {
            ($d lhs:ident, $d offset:ident, $d get:ident, |$d a:ident| $d e:expr) => {{
                let $d a = input!(0, $d lhs, $d get);
                if $d e {
                    branch!($d offset)
                }
                next!()
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! binop_trap {
            ($d dst:ident, $d lhs:ident, $d rhs:ident, $d get:ident, $d set:ident, $d f:path) => {{
                let r = $d f(input!(0, $d lhs, $d get), input!(1, $d rhs, $d get));
                let passed = output!($d dst, $d set, try_trap!(r));
                next!(passed)
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! unop {
            ($d dst:ident, $d src:ident, $d get:ident, $d set:ident, |$d a:ident| $d e:expr) => {{
                let $d a = input!(0, $d src, $d get);
                let passed = output!($d dst, $d set, $d e);
                next!(passed)
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! unop_trap {
            ($d dst:ident, $d src:ident, $d get:ident, $d set:ident, $d f:path) => {{
                let r = $d f(input!(0, $d src, $d get));
                let passed = output!($d dst, $d set, try_trap!(r));
                next!(passed)
            }};
        }
    };
}

/// Turns arms into handler functions named after their variant, and
/// generates `handler`, which maps an instruction to its handler.
///
/// Handlers are generic over `OTHER_MEMORY`: loads and stores of memory 0,
/// by far the most common, use the view the handlers carry in registers;
/// the others look their memory up. Keeping that lookup out of the memory-0
/// variant keeps its registers free of saves and restores. They are also
/// generic over `A`: bits 0 and 1 take the first and second input from the
/// result register, bit 2 leaves the result in the register only (its slot
/// is dead; see `dispatch::result_dies_in_register`).
macro_rules! handlers {
    (
        ($d:tt $ip:ident, $fp:ident, $base:ident, $len:ident, $ctx:ident)
        $(Instr::$name:ident { $($field:ident),* $(,)? } => $body:expr),* $(,)?
    ) => {
        $(
            #[allow(non_snake_case, clippy::too_many_arguments)]
            unsafe fn $name<const OTHER_MEMORY: bool, const A: u8>(
                $ip: *const Op,
                $fp: *mut u64,
                $base: *mut u8,
                $len: u64,
                $ctx: &mut Ctx,
                int: u64,
                f64: f64,
                f32: f32,
            ) -> Exit {
                #[allow(unused_variables)] // handlers that call or return do not pass it on
                let regs = Regs { int, f64, f32 };
                // SAFETY: `$ip` points at an instruction of the running code.
                let instr = unsafe { *$ip }.instr;
                define_helpers!($d $ip $fp $base $len $ctx regs instr);
                let Instr::$name { $($field),* } = instr else {
                    // SAFETY: `handler` installs this function for this variant only.
                    unsafe { core::hint::unreachable_unchecked() }
                };
                $body
            }
        )*

        /// The handler of `instr`, if it is a simple instruction, taking
        /// the inputs in `mask` from the result register (see `Code::new`).
        pub(super) fn handler(instr: &Instr, mask: u8) -> Option<Handler> {
            match instr {
                $(Instr::$name { .. } if uses_other_memory(instr) => Some($name::<true, 0>),)*
                $(Instr::$name { .. } => Some(match mask {
                    0 => $name::<false, 0>,
                    1 => $name::<false, 1>,
                    2 => $name::<false, 2>,
                    3 => $name::<false, 3>,
                    4 => $name::<false, 4>,
                    5 => $name::<false, 5>,
                    6 => $name::<false, 6>,
                    _ => $name::<false, 7>,
                }),)*
                _ => None,
            }
        }
    };
}
