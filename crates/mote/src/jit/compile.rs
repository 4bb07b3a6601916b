//! Compiling a module for the JIT: one `mote_cranelift::Compiler` per
//! engine, and each module's code mapped executable when it is loaded.

use crate::Error;
use crate::engine::Config;
use alloc::format;
use alloc::string::String;
use mote_cranelift::artifact::ArtifactError;
use mote_cranelift::{BoundsChecks, CompileOptions, CompiledModule, Compiler, LoadedModule, OptLevel, Target};
use mote_environ::ModuleInfo;

/// The engine's compiler, or why the host cannot have one (kept so that
/// every `Module::new` reports the same error).
pub(crate) struct EngineCompiler(Result<Compiler, mote_cranelift::Error>);

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
        EngineCompiler(Compiler::new(&Target::Host, options))
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

    /// Maps code read from an AOT artifact, after checking that this
    /// engine's compiler would have produced code for the same target with
    /// the same settings (CPU features, fuel, bounds checks, versions).
    ///
    /// # Errors
    /// A mismatch of triple or settings, or a failure to map the code.
    pub(crate) fn load(&self, compiled: CompiledModule) -> Result<CompiledCode, Error> {
        let compiler = self.0.as_ref().map_err(jit_error)?;
        let mismatch = |what, found: &str, expected: String| {
            Error::msg(ArtifactError::Mismatch {
                what,
                found: found.into(),
                expected,
            })
        };
        if compiled.triple != compiler.triple() {
            return Err(mismatch("target", &compiled.triple, compiler.triple()));
        }
        let settings = compiler.settings();
        if compiled.settings != settings {
            // Name the first setting that differs (e.g. `consume_fuel=true`).
            let (found, expected) = compiled
                .settings
                .lines()
                .zip(settings.lines())
                .find(|(a, b)| a != b)
                .unwrap_or((compiled.settings.as_str(), settings.as_str()));
            return Err(mismatch("compiler setting", found, expected.into()));
        }
        CompiledCode::new(compiled)
    }
}

fn jit_error(e: &mote_cranelift::Error) -> Error {
    Error::msg(format!("JIT compilation failed: {e}"))
}

/// A module's machine code, mapped executable for as long as the module
/// (and so every instance of it) lives.
pub(crate) struct CompiledCode {
    /// The trap sites' registration; declared first so that it is dropped
    /// before the code is unmapped.
    _traps: Option<super::signals::Registration>,
    pub(crate) loaded: LoadedModule,
    /// The unmapped code and tables, what `Module::serialize` writes.
    pub(crate) compiled: CompiledModule,
}

impl CompiledCode {
    /// Maps `compiled` and registers its trap sites with the signal
    /// handler.
    fn new(compiled: CompiledModule) -> Result<CompiledCode, Error> {
        let loaded = compiled.load().map_err(|e| jit_error(&e))?;
        let traps = super::signals::register(&loaded, &compiled.trap_sites)?;
        Ok(CompiledCode {
            _traps: traps,
            loaded,
            compiled,
        })
    }
}
