//! What an artifact's code assumes about the machine and the runtime, and
//! the host's side of that comparison, computed without the compiler so
//! that an AOT-only runtime (no Cranelift) can check artifacts too.
//!
//! An artifact records three things ([`crate::CompiledModule`]):
//!
//! - the target triple: it must equal the host's;
//! - the CPU features the code may use, as the names of the Cranelift ISA
//!   flags the compiler had enabled: each must be one the host has. A
//!   subset is enough, so code compiled for a named triple's portable
//!   baseline runs on any host of that architecture with those features;
//! - the [`settings`] text (format of the code, fuel metering): it must
//!   equal what the loading engine would compile;
//! - whether memory accesses rely on guard pages: such code runs only on
//!   an engine whose memories have the same reservation.
//!
//! [`host_cpu_features`] asks the CPU with the same `std::arch` probes
//! `cranelift-native` uses to pick the flags of a host compilation, flag
//! for flag; the crate's tests compare the two on the machine they run
//! on, so a Cranelift upgrade that adds a detected flag fails a test
//! instead of refusing every host-compiled artifact.

use crate::artifact::ArtifactError;
use crate::module::CompiledModule;

/// The host's target triple, as the compiler spells it for host code.
pub fn host_triple() -> String {
    target_lexicon::HOST.to_string()
}

/// The Cranelift ISA flags `cranelift-native` enables on this machine:
/// the CPU features host-compiled code may use.
pub fn host_cpu_features() -> Vec<&'static str> {
    #[allow(unused_mut, reason = "no probes on other architectures")]
    let mut found = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        let probes: [(bool, &'static str); 19] = [
            (std::is_x86_feature_detected!("cmpxchg16b"), "has_cmpxchg16b"),
            (std::is_x86_feature_detected!("sse3"), "has_sse3"),
            (std::is_x86_feature_detected!("ssse3"), "has_ssse3"),
            (std::is_x86_feature_detected!("sse4.1"), "has_sse41"),
            (std::is_x86_feature_detected!("sse4.2"), "has_sse42"),
            (std::is_x86_feature_detected!("popcnt"), "has_popcnt"),
            (std::is_x86_feature_detected!("avx"), "has_avx"),
            (std::is_x86_feature_detected!("avx2"), "has_avx2"),
            (std::is_x86_feature_detected!("fma"), "has_fma"),
            (std::is_x86_feature_detected!("avxvnni"), "has_avx_vnni"),
            (std::is_x86_feature_detected!("avx512vnni"), "has_avx512vnni"),
            (std::is_x86_feature_detected!("bmi1"), "has_bmi1"),
            (std::is_x86_feature_detected!("bmi2"), "has_bmi2"),
            (std::is_x86_feature_detected!("avx512bitalg"), "has_avx512bitalg"),
            (std::is_x86_feature_detected!("avx512dq"), "has_avx512dq"),
            (std::is_x86_feature_detected!("avx512f"), "has_avx512f"),
            (std::is_x86_feature_detected!("avx512vl"), "has_avx512vl"),
            (std::is_x86_feature_detected!("avx512vbmi"), "has_avx512vbmi"),
            (std::is_x86_feature_detected!("lzcnt"), "has_lzcnt"),
        ];
        found.extend(probes.iter().filter(|(on, _)| *on).map(|&(_, name)| name));
    }
    #[cfg(target_arch = "aarch64")]
    {
        let probes: [(bool, &'static str); 5] = [
            (std::arch::is_aarch64_feature_detected!("lse"), "has_lse"),
            (std::arch::is_aarch64_feature_detected!("paca"), "has_pauth"),
            (std::arch::is_aarch64_feature_detected!("fp16"), "has_fp16"),
            (std::arch::is_aarch64_feature_detected!("dotprod"), "has_dotprod"),
            (std::arch::is_aarch64_feature_detected!("i8mm"), "has_i8mm"),
        ];
        found.extend(probes.iter().filter(|(on, _)| *on).map(|&(_, name)| name));
        if cfg!(target_os = "macos") {
            // `cranelift-native` signs return addresses with the B key there.
            found.extend(["sign_return_address", "sign_return_address_with_bkey"]);
        }
    }
    found.sort_unstable();
    found
}

/// The settings line an artifact must match exactly: the compiler's
/// version (which fixes the `VMContext` layout and the Cranelift flags)
/// and whether the code meters fuel. How memory accesses are checked is
/// recorded apart ([`CompiledModule::unchecked_reservation`]): code with
/// explicit checks runs under any engine.
pub fn settings(consume_fuel: bool) -> String {
    format!(
        "mote-cranelift {} consume_fuel={consume_fuel}",
        env!("CARGO_PKG_VERSION")
    )
}

/// Checks that `compiled` can run in this process, under an engine whose
/// own [`settings`] would be `expected_settings` and whose memories
/// reserve `guard_reservation` bytes with a signal handler that turns
/// faults at trap sites into traps (`None`: no guard pages).
///
/// # Errors
/// [`ArtifactError::Mismatch`] naming the artifact's triple and the
/// host's, the first setting that differs, or guard-page code on an
/// engine without that reservation; [`ArtifactError::MissingCpuFeature`]
/// for a feature the host lacks.
pub fn check_host(
    compiled: &CompiledModule,
    expected_settings: &str,
    guard_reservation: Option<u64>,
) -> Result<(), ArtifactError> {
    let host = host_triple();
    if compiled.triple != host {
        return Err(ArtifactError::Mismatch {
            what: "target",
            found: compiled.triple.clone(),
            expected: host,
        });
    }
    let available = host_cpu_features();
    if let Some(missing) = (compiled.cpu_features.iter()).find(|f| !available.contains(&f.as_str())) {
        return Err(ArtifactError::MissingCpuFeature(missing.clone()));
    }
    let settings = compiled.settings.as_str();
    if settings != expected_settings {
        // Name the first setting that differs (e.g. `consume_fuel=true`).
        let (found, expected) = settings
            .split(' ')
            .zip(expected_settings.split(' '))
            .find(|(a, b)| a != b)
            .unwrap_or((settings, expected_settings));
        return Err(ArtifactError::Mismatch {
            what: "compiler setting",
            found: found.into(),
            expected: expected.into(),
        });
    }
    if let Some(needed) = compiled.unchecked_reservation
        && guard_reservation != Some(needed)
    {
        return Err(ArtifactError::Mismatch {
            what: "bounds checks",
            found: format!("guard pages reserving {needed} bytes"),
            expected: guard_reservation
                .map_or("explicit checks".into(), |r| format!("guard pages reserving {r} bytes")),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vmctx::VMOffsets;

    fn compiled(triple: &str, cpu_features: &[&str], consume_fuel: bool) -> CompiledModule {
        CompiledModule {
            code: Vec::new(),
            funcs: Vec::new(),
            trampolines: Vec::new(),
            trap_sites: Vec::new(),
            handler_sites: Vec::new(),
            triple: triple.into(),
            settings: settings(consume_fuel),
            cpu_features: cpu_features.iter().map(|f| f.to_string()).collect(),
            unchecked_reservation: None,
            consume_fuel,
            offsets: VMOffsets {
                num_memories: 0,
                num_tables: 0,
                num_globals: 0,
                num_imported_funcs: 0,
            },
        }
    }

    #[test]
    fn host_artifacts_pass_and_others_name_what_differs() {
        let host = host_triple();
        let s = settings(false);
        assert_eq!(
            check_host(&compiled(&host, &host_cpu_features(), false), &s, None),
            Ok(())
        );
        assert_eq!(
            check_host(&compiled(&host, &[], false), &s, None),
            Ok(()),
            "a subset is enough"
        );
        assert_eq!(
            check_host(&compiled(&host, &[], false), &s, Some(1 << 32)),
            Ok(()),
            "explicit checks run under guard pages too"
        );

        let other = "riscv64gc-unknown-linux-gnu";
        let err = check_host(&compiled(other, &[], false), &s, None)
            .unwrap_err()
            .to_string();
        assert!(err.contains(other) && err.contains(&host), "{err}");

        assert_eq!(
            check_host(&compiled(&host, &["has_quantum_leap"], false), &s, None),
            Err(ArtifactError::MissingCpuFeature("has_quantum_leap".into()))
        );

        let err = check_host(&compiled(&host, &[], true), &s, None).unwrap_err();
        assert!(err.to_string().contains("consume_fuel=true"), "{err}");

        let mut guarded = compiled(&host, &[], false);
        guarded.unchecked_reservation = Some(6 << 30);
        assert_eq!(check_host(&guarded, &s, Some(6 << 30)), Ok(()));
        let err = check_host(&guarded, &s, None).unwrap_err().to_string();
        assert!(err.contains("guard pages") && err.contains("explicit"), "{err}");
    }
}
