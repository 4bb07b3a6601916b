//! Mapping machine code for a module (cargo feature `aot`): code read from
//! an AOT artifact after checking that it fits this host and engine, or
//! code the JIT has just compiled. Needs no compiler, so the AOT-only
//! runtime shares it.

use crate::Error;
use crate::engine::Config;
use alloc::format;
use mote_cranelift::fingerprint;
use mote_cranelift::{CompiledModule, LoadedModule};

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
    pub(crate) fn new(compiled: CompiledModule) -> Result<CompiledCode, Error> {
        let loaded = compiled
            .load()
            .map_err(|e| Error::msg(format!("cannot load compiled code: {e}")))?;
        let traps = super::signals::register(&loaded, &compiled.trap_sites, &compiled.handler_sites)?;
        Ok(CompiledCode {
            _traps: traps,
            loaded,
            compiled,
        })
    }
}

/// Maps code read from an AOT artifact, after checking that it was
/// compiled for this host's triple, uses only CPU features this host has,
/// has the settings an engine with `config` would compile with (fuel
/// metering, versions) and, if it relies on guard pages, that the
/// engine's memories have the same reservation.
///
/// # Errors
/// A mismatch naming what differs, or a failure to map the code.
pub(crate) fn load(config: &Config, compiled: CompiledModule) -> Result<CompiledCode, Error> {
    let expected = fingerprint::settings(config.consume_fuel);
    fingerprint::check_host(&compiled, &expected, config.guard_reservation()).map_err(Error::msg)?;
    CompiledCode::new(compiled)
}
