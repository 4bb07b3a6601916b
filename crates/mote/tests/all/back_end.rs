//! The back ends the differential tests run a module in.

use mote::{Config, Engine, Module, Strategy};

/// How a back end gets the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackEnd {
    Interp,
    Jit,
    /// Compiled, written as an artifact and loaded back.
    Aot,
}

impl BackEnd {
    /// An engine of this back end that meters fuel.
    pub fn fuel_engine(self) -> Engine {
        let mut config = Config::new();
        let strategy = if self == BackEnd::Interp {
            Strategy::Interpreter
        } else {
            Strategy::Jit
        };
        config.strategy(strategy).consume_fuel(true);
        Engine::new(&config)
    }

    /// `bytes` (binary or text) loaded by `engine`, an engine of this back
    /// end; for `Aot` compiled, serialized and deserialized.
    pub fn load(self, engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Module, mote::Error> {
        let module = Module::new(engine, bytes)?;
        if self != BackEnd::Aot {
            return Ok(module);
        }
        let artifact = module.serialize()?;
        // SAFETY: the artifact was written by this process a moment ago.
        unsafe { Module::deserialize(engine, &artifact) }
    }
}
