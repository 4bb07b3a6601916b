//! Compiling a module for the JIT (cargo feature `jit`): one
//! `mote_cranelift::Compiler` per engine, and each module's code mapped
//! executable when it is loaded.

use super::load::CompiledCode;
use crate::Error;
use crate::engine::Config;
use alloc::format;
use alloc::string::ToString;
use mote_cranelift::{BoundsChecks, CompileOptions, CompiledModule, Compiler, OptLevel, Target};
use mote_environ::ModuleInfo;

/// The engine's compiler, or why the host cannot have one (kept so that
/// every `Module::new` reports the same error), and the options it was
/// built with (for compiling to another target).
pub(crate) struct EngineCompiler(Result<Compiler, mote_cranelift::Error>, CompileOptions);

impl core::fmt::Debug for EngineCompiler {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match &self.0 {
            Ok(c) => f.debug_tuple("EngineCompiler").field(&c.triple()).finish(),
            Err(e) => f.debug_tuple("EngineCompiler").field(e).finish(),
        }
    }
}

impl EngineCompiler {
    /// A compiler for the host with the settings `config` implies:
    /// guard-page bounds checks where the engine has them (see
    /// `Config::guard_pages`), explicit ones elsewhere, fuel metering if the
    /// engine meters fuel, and functions compiled on every available core.
    /// Artifacts it writes pass [`super::load::load`]'s check under the
    /// same `config`.
    pub(crate) fn new(config: &Config) -> EngineCompiler {
        let bounds_checks = match config.guard_reservation() {
            Some(reservation) => BoundsChecks::GuardPages { reservation },
            None => BoundsChecks::Explicit,
        };
        let options = CompileOptions {
            bounds_checks,
            consume_fuel: config.consume_fuel,
            opt_level: OptLevel::Speed,
            parallel: true,
        };
        EngineCompiler(Compiler::new(&Target::Host, options.clone()), options)
    }

    /// Compiles the (already validated) module and maps its code.
    ///
    /// # Errors
    /// The compiler's error: an operator it does not compile, a
    /// host the compiler cannot target, or a failure to map the code.
    pub(crate) fn compile(&self, info: &ModuleInfo, wasm: &[u8]) -> Result<CompiledCode, Error> {
        let compiler = self.0.as_ref().map_err(jit_error)?;
        let compiled = compiler.compile_module(info, wasm).map_err(|e| jit_error(&e))?;
        CompiledCode::new(compiled)
    }

    /// Compiles the (already validated) module for `target` (a target
    /// triple, or `None` for this host) with this engine's settings,
    /// without mapping it: the payload of an AOT artifact. A named target
    /// gets explicit bounds checks: guard pages depend on the runtime
    /// that loads the artifact, and its host may not have them.
    ///
    /// # Errors
    /// An unknown or unsupported target, or the compiler's error.
    pub(crate) fn compile_for(
        &self,
        info: &ModuleInfo,
        wasm: &[u8],
        target: Option<&str>,
    ) -> Result<CompiledModule, Error> {
        let compiled = match target {
            None => self.0.as_ref().map_err(jit_error)?.compile_module(info, wasm),
            Some(triple) => {
                let options = CompileOptions {
                    bounds_checks: BoundsChecks::Explicit,
                    ..self.1.clone()
                };
                Compiler::new(&Target::Triple(triple.to_string()), options).and_then(|c| c.compile_module(info, wasm))
            }
        };
        compiled.map_err(|e| jit_error(&e))
    }
}

fn jit_error(e: &mote_cranelift::Error) -> Error {
    Error::msg(format!("compilation to machine code failed: {e}"))
}
