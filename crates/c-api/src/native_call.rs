//! Calling a registered native from wasm: the host function each linked
//! import becomes.
//!
//! It converts the wasm arguments as the signature says (checking buffers
//! and strings against the default memory, and raising
//! `"out of bounds memory access"` instead of passing a bad pointer),
//! calls the C function with the instance's current exec env first, and
//! converts its result. A native that sets an exception stops the calling
//! wasm code, as in WAMR.

use crate::exec_env::ExecEnv;
use crate::handles;
use crate::instance::{HostState, ModuleInstance};
use crate::invoke::{self, Arg};
use crate::natives::Native;
use crate::signature::{Param, Ret, Signature};
use mote::{Caller, ExternRef, FuncType, Linker, Val};

/// A native matched to the import it serves.
pub(crate) struct Callable {
    native: Native,
    signature: Signature,
}

/// The error a host function returns once the exception is set: the
/// exception, not this text, is what the embedder sees.
fn raised() -> mote::Error {
    mote::Error::msg("exception raised")
}

impl Callable {
    /// `None` if `native` cannot serve an import of type `ty`.
    pub(crate) fn new(native: Native, ty: &FuncType) -> Option<Callable> {
        let signature = match &native.signature {
            Some(signature) => signature.clone(),
            None => Signature::of_type(ty)?,
        };
        let callable = signature.matches(ty) && (native.raw || invoke::supports(&signature.params));
        callable.then_some(Callable { native, signature })
    }

    /// Defines `module::name` in `linker` as a call to this native.
    pub(crate) fn define(
        self,
        linker: &mut Linker<HostState>,
        module: &str,
        name: &str,
        ty: FuncType,
    ) -> Result<(), mote::Error> {
        linker.func_new(module, name, ty, move |mut caller, params, results| {
            self.call(&mut caller, params, results)
        })?;
        Ok(())
    }

    fn call(&self, caller: &mut Caller<'_, HostState>, params: &[Val], results: &mut [Val]) -> Result<(), mote::Error> {
        let inst = ModuleInstance::of_caller(caller);
        if inst.exception.is_set() {
            return Err(raised());
        }
        let Some(args) = self.arguments(caller, inst, params) else {
            inst.exception.set(b"out of bounds memory access");
            return Err(raised());
        };
        let env_ptr = inst.current_exec_env();
        let env = handles::get(env_ptr).ok_or_else(|| mote::Error::msg("the exec env is gone"))?;
        let bits = {
            let _scope = inst.enter_native(caller, env, self.native.attachment());
            self.invoke(env_ptr, &args)
        };
        if inst.exception.is_set() {
            return Err(raised());
        }
        if let (Some(ret), Some(slot)) = (self.signature.result, results.first_mut()) {
            *slot = match ret {
                Ret::I32 => Val::I32(bits as u32 as i32),
                Ret::I64 => Val::I64(bits as i64),
                Ret::F32 => Val::F32(bits as u32),
                Ret::F64 => Val::F64(bits),
                Ret::ExternRef if bits == 0 => Val::ExternRef(None),
                Ret::ExternRef => Val::ExternRef(Some(ExternRef::new(caller, bits as usize))),
            };
        }
        Ok(())
    }

    /// The C arguments, the exec env first; `None` if a buffer or string
    /// is not inside the default memory.
    fn arguments(&self, caller: &mut Caller<'_, HostState>, inst: &ModuleInstance, params: &[Val]) -> Option<Vec<Arg>> {
        let mut args = Vec::with_capacity(params.len() + 1);
        args.push(Arg::Int(inst.current_exec_env() as u64));
        let needs_memory = self
            .signature
            .params
            .iter()
            .any(|p| matches!(p, Param::Buffer | Param::Str));
        let view = inst.memory_for(Some(caller)).filter(|_| needs_memory).map(|memory| {
            let bytes = memory.data_mut(&mut *caller);
            (memory, bytes.as_mut_ptr(), bytes.len())
        });
        for (i, (&param, val)) in self.signature.params.iter().zip(params).enumerate() {
            let word = |v: &Val| v.i32().map_or(0, |x| u64::from(x as u32));
            args.push(match param {
                Param::I32 | Param::Length => Arg::Int(word(val)),
                Param::I64 => Arg::Int(val.i64().unwrap_or(0) as u64),
                Param::F32 => Arg::F32(val.f32().map_or(0, f32::to_bits)),
                Param::F64 => Arg::F64(val.f64().map_or(0, f64::to_bits)),
                Param::ExternRef => Arg::Int(
                    match val {
                        Val::ExternRef(Some(r)) => r.data(&*caller).and_then(|d| d.downcast_ref::<usize>()).copied(),
                        _ => None,
                    }
                    .unwrap_or(0) as u64,
                ),
                Param::Buffer | Param::Str => {
                    let (memory, base, len) = view?;
                    let offset = usize::try_from(word(val)).ok()?;
                    let valid = if param == Param::Str {
                        memory
                            .data(&*caller)
                            .get(offset..)
                            .is_some_and(|rest| rest.contains(&0))
                    } else {
                        let size = match self.signature.params.get(i + 1) {
                            Some(Param::Length) => usize::try_from(word(&params[i + 1])).ok()?,
                            _ => 1,
                        };
                        offset.checked_add(size).is_some_and(|end| end <= len)
                    };
                    if !valid {
                        return None;
                    }
                    Arg::Int(base.wrapping_add(offset) as u64)
                }
            });
        }
        Some(args)
    }

    /// Calls the C function; the raw bits of its result.
    fn invoke(&self, env: *mut ExecEnv, args: &[Arg]) -> u64 {
        if self.native.raw {
            // Raw natives read one 64-bit slot per parameter (the exec env
            // is passed apart) and write the result to the first.
            let mut slots: Vec<u64> = args[1..]
                .iter()
                .map(|&a| match a {
                    Arg::Int(v) | Arg::F64(v) => v,
                    Arg::F32(v) => u64::from(v),
                })
                .collect();
            slots.resize(slots.len().max(1), 0);
            // SAFETY: registered as a raw native, so it has the raw type,
            // and `slots` has a slot per parameter (and at least one).
            unsafe { invoke::call_raw(self.native.func_ptr(), env.cast(), slots.as_mut_ptr()) };
            slots[0]
        } else {
            let float_result = matches!(self.signature.result, Some(Ret::F32 | Ret::F64));
            // SAFETY: the embedder registered this function with this
            // signature, which matches the import's type; `args` follows
            // it, and `Callable::new` checked it fits this target.
            unsafe { invoke::call(self.native.func_ptr(), args, float_result) }.unwrap_or(0)
        }
    }
}
