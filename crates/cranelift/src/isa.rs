//! Target selection: the host through `cranelift-native`, or a named triple
//! through Cranelift's ISA lookup, with the flags every compilation uses.

use crate::Error;
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use std::str::FromStr;
use target_lexicon::{Architecture, Endianness, PointerWidth, Triple};

/// What machine to generate code for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The machine the compiler runs on, with the CPU features it detects.
    Host,
    /// A named target triple (e.g. `aarch64-unknown-linux-gnu`) with a
    /// portable baseline of CPU features: for x86-64 the x86-64-v2 level
    /// (SSE4.2, POPCNT), so rounding instructions need no libcalls.
    Triple(String),
}

/// Whether to optimize.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OptLevel {
    /// No optimization: fastest compilation.
    None,
    /// Optimize for speed.
    #[default]
    Speed,
}

fn target_error(triple: &str, message: impl ToString) -> Error {
    Error::Target {
        triple: triple.to_string(),
        message: message.to_string(),
    }
}

/// Builds the Cranelift ISA for `target`.
///
/// # Errors
/// [`Error::Target`] for an unknown triple, an architecture Cranelift was
/// not built for, or a target that is not 64-bit little-endian (the
/// `VMContext` ABI assumes both).
pub(crate) fn build(target: &Target, opt: OptLevel) -> Result<OwnedTargetIsa, Error> {
    let mut flags = settings::builder();
    let set = |f: &mut settings::Builder, k: &str, v: &str| f.set(k, v).map_err(|e| target_error("(flags)", e));
    set(
        &mut flags,
        "opt_level",
        match opt {
            OptLevel::None => "none",
            OptLevel::Speed => "speed",
        },
    )?;
    // Stack overflow is caught by the explicit check in each prologue;
    // probes would fault instead of trapping.
    set(&mut flags, "enable_probestack", "false")?;
    // Frame pointers let the runtime walk compiled frames for backtraces.
    set(&mut flags, "preserve_frame_pointers", "true")?;
    set(
        &mut flags,
        "enable_verifier",
        if cfg!(debug_assertions) { "true" } else { "false" },
    )?;
    let flags = settings::Flags::new(flags);
    let (builder, name) = match target {
        Target::Host => (
            cranelift_native::builder().map_err(|e| target_error("host", e))?,
            target_lexicon::HOST.to_string(),
        ),
        Target::Triple(name) => {
            let triple = Triple::from_str(name).map_err(|e| target_error(name, e))?;
            let mut builder = cranelift_codegen::isa::lookup(triple).map_err(|e| target_error(name, e))?;
            if let Architecture::X86_64 = builder.triple().architecture {
                for f in ["has_sse3", "has_ssse3", "has_sse41", "has_sse42", "has_popcnt"] {
                    builder.enable(f).map_err(|e| target_error(name, e))?;
                }
            }
            (builder, name.clone())
        }
    };
    let triple = builder.triple();
    if triple.pointer_width() != Ok(PointerWidth::U64) || triple.endianness() != Ok(Endianness::Little) {
        return Err(target_error(&name, "only 64-bit little-endian targets are supported"));
    }
    builder.finish(flags).map_err(|e| target_error(&name, e))
}
