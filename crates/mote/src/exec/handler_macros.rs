//! The macros that write handlers (see `dispatch.rs`).
//!
//! Handlers are written as `match`-style arms (`Instr::X { fields } =>
//! body`), which [`handlers!`] turns into one function each. The helper
//! macros (`binop!`, `load!`, ...) are defined by [`define_helpers!`]
//! inside each handler, with the handler parameter names passed in: macro
//! hygiene lets an expansion name a local variable only if the macro was
//! defined where the variable is in scope.

/// Defines the helper macros over the handler parameters `$ip $fp $base
/// $len $ctx`; `$d` is a literal `$`, for the inner macros' own variables.
macro_rules! define_helpers {
    ($d:tt $ip:ident $fp:ident $base:ident $len:ident $ctx:ident) => {
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! next {
            () => {
                // SAFETY: the translator ends every path with a branch or
                // return, so the next instruction exists.
                dispatch!(unsafe { $ip.add(1) }, $fp, $base, $len, $ctx)
            };
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! branch {
            ($d offset:expr) => {
                // SAFETY: branch targets are instructions of this function.
                dispatch!(unsafe { $ip.offset($d offset as isize) }, $fp, $base, $len, $ctx)
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
                // SAFETY: slots per the module contract.
                let a = unsafe { get($fp, $d addr) };
                match view!($d mem).load::<$d n>(a, $d offset) {
                    // SAFETY: slots per the module contract.
                    Some($d b) => unsafe { set($fp, $d dst, $d conv) },
                    None => trap!(TrapCode::MemoryOutOfBounds),
                }
                next!()
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! store {
            ($d addr:ident, $d value:ident, $d mem:ident, $d offset:ident, $d n:literal, |$d v:ident| $d bytes:expr) => {{
                // SAFETY: slots per the module contract.
                let (a, $d v) = unsafe { (get($fp, $d addr), get($fp, $d value)) };
                if view!($d mem).store::<$d n>(a, $d offset, $d bytes).is_none() {
                    trap!(TrapCode::MemoryOutOfBounds);
                }
                next!()
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! load0 {
            ($d dst:ident, $d ea:expr, $d offset:ident, $d n:literal, |$d b:ident| $d conv:expr) => {{
                match (MemView { base: $base, len: $len }).load32::<$d n>($d ea, $d offset) {
                    // SAFETY: slots per the module contract.
                    Some($d b) => unsafe { set($fp, $d dst, $d conv) },
                    None => trap!(TrapCode::MemoryOutOfBounds),
                }
                next!()
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! store0 {
            ($d ea:expr, $d value:ident, $d offset:ident, $d n:literal, |$d v:ident| $d bytes:expr) => {{
                // SAFETY: slots per the module contract.
                let $d v = unsafe { get($fp, $d value) };
                if (MemView { base: $base, len: $len }).store32::<$d n>($d ea, $d offset, $d bytes).is_none() {
                    trap!(TrapCode::MemoryOutOfBounds);
                }
                next!()
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! binop {
            ($d dst:ident, $d lhs:ident, $d rhs:ident, $d get:ident, $d set:ident, |$d a:ident, $d b:ident| $d e:expr) => {{
                // SAFETY: slots per the module contract.
                unsafe {
                    let $d a = $d get($fp, $d lhs);
                    let $d b = $d get($fp, $d rhs);
                    $d set($fp, $d dst, $d e);
                }
                next!()
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! brcmp {
            ($d lhs:ident, $d rhs:ident, $d offset:ident, $d get:ident, |$d a:ident, $d b:ident| $d e:expr) => {{
                // SAFETY: slots per the module contract.
                let taken = unsafe {
                    let $d a = $d get($fp, $d lhs);
                    let $d b = $d get($fp, $d rhs);
                    $d e
                };
                if taken {
                    branch!($d offset)
                }
                next!()
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! brcmpimm {
            ($d lhs:ident, $d offset:ident, $d get:ident, |$d a:ident| $d e:expr) => {{
                // SAFETY: slots per the module contract.
                let taken = unsafe {
                    let $d a = $d get($fp, $d lhs);
                    $d e
                };
                if taken {
                    branch!($d offset)
                }
                next!()
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! binop_trap {
            ($d dst:ident, $d lhs:ident, $d rhs:ident, $d get:ident, $d set:ident, $d f:path) => {{
                // SAFETY: slots per the module contract.
                let r = unsafe { $d f($d get($fp, $d lhs), $d get($fp, $d rhs)) };
                // SAFETY: slots per the module contract.
                unsafe { $d set($fp, $d dst, try_trap!(r)) };
                next!()
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! unop {
            ($d dst:ident, $d src:ident, $d get:ident, $d set:ident, |$d a:ident| $d e:expr) => {{
                // SAFETY: slots per the module contract.
                unsafe {
                    let $d a = $d get($fp, $d src);
                    $d set($fp, $d dst, $d e);
                }
                next!()
            }};
        }
        #[allow(unused_macros)] // not every handler module uses every helper
        macro_rules! unop_trap {
            ($d dst:ident, $d src:ident, $d get:ident, $d set:ident, $d f:path) => {{
                // SAFETY: slots per the module contract.
                let r = unsafe { $d f($d get($fp, $d src)) };
                // SAFETY: slots per the module contract.
                unsafe { $d set($fp, $d dst, try_trap!(r)) };
                next!()
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
/// variant keeps its registers free of saves and restores.
macro_rules! handlers {
    (
        ($d:tt $ip:ident, $fp:ident, $base:ident, $len:ident, $ctx:ident)
        $(Instr::$name:ident { $($field:ident),* $(,)? } => $body:expr),* $(,)?
    ) => {
        $(
            #[allow(non_snake_case)]
            unsafe fn $name<const OTHER_MEMORY: bool>($ip: *const Op, $fp: *mut u64, $base: *mut u8, $len: u64, $ctx: &mut Ctx) -> Exit {
                // SAFETY: `handler` installs this function for this variant only.
                define_helpers!($d $ip $fp $base $len $ctx);
                let Instr::$name { $($field),* } = (unsafe { *$ip }).instr else {
                    // SAFETY: as above.
                    unsafe { core::hint::unreachable_unchecked() }
                };
                $body
            }
        )*

        /// The handler of `instr`, if it is a simple instruction.
        pub(super) fn handler(instr: &Instr) -> Option<Handler> {
            match instr {
                $(Instr::$name { .. } if uses_other_memory(instr) => Some($name::<true>),)*
                $(Instr::$name { .. } => Some($name::<false>),)*
                _ => None,
            }
        }
    };
}
