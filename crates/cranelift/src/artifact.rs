//! The AOT artifact: a [`CompiledModule`] and the source module's bytes in
//! one self-checking byte string.
//!
//! Layout (little-endian): the magic `MOTEAOT\0`, the format version, the
//! target triple, the compiler's settings and the CPU features the code
//! may use (see [`crate::fingerprint`]), a hash of the source module, the code's
//! options and `VMContext` layout, the function and trampoline tables, the
//! guard-page reservation and trap sites (guard-page code only), the
//! source module, the code, and last a checksum of everything before it.
//! [`Artifact::read`] checks the magic, version and checksum (so a
//! truncated or corrupted file is refused) and the module hash; the
//! runtime then checks the triple, CPU features and settings against the
//! host ([`crate::fingerprint::check_host`]) before it maps the code.

use crate::module::{CompiledModule, FuncLoc, HandlerSite, TrapSite};
use crate::vmctx::VMOffsets;
use mote_core::TrapCode;
use mote_environ::TypeIndex;

/// The first bytes of every artifact.
pub const MAGIC: &[u8; 8] = b"MOTEAOT\0";
/// Bumped whenever the layout or the meaning of compiled code changes.
pub const FORMAT_VERSION: u32 = 8;

/// Why an artifact was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArtifactError {
    /// Not an artifact at all.
    #[error("not a Mote AOT artifact (bad magic number)")]
    BadMagic,
    /// Written by another format version.
    #[error("artifact format version {found}, this runtime reads version {FORMAT_VERSION}")]
    Version {
        /// The artifact's version.
        found: u32,
    },
    /// Shorter than its contents say, or with bytes left over.
    #[error("artifact is truncated or malformed ({0})")]
    Truncated(&'static str),
    /// The checksum does not match the contents.
    #[error("artifact is corrupted (checksum mismatch)")]
    Corrupted,
    /// The embedded module does not match the recorded hash.
    #[error("artifact's module does not match its recorded hash")]
    ModuleHash,
    /// Compiled for another target or with other settings.
    #[error("artifact was compiled for {what} `{found}`, this runtime needs `{expected}`")]
    Mismatch {
        /// Which property differs.
        what: &'static str,
        /// The artifact's value.
        found: String,
        /// The runtime's value.
        expected: String,
    },
    /// The code uses a CPU feature (a Cranelift ISA flag) this host lacks.
    #[error("artifact's code needs CPU feature `{0}`, which this host does not have")]
    MissingCpuFeature(String),
    /// The code cannot be written as an artifact.
    #[error("cannot write an artifact: {0}")]
    Unsupported(&'static str),
}

/// A compiled module with the module it was compiled from.
#[derive(Debug, Clone)]
pub struct Artifact {
    /// The code and its tables.
    pub compiled: CompiledModule,
    /// The source module's bytes (binary format).
    pub wasm: Vec<u8>,
}

/// A 64-bit hash taken eight bytes at a time (a loader hashes the whole
/// artifact before it runs anything, so this is on the start-up path of
/// every AOT program: byte-wise FNV cost ~4 instructions a byte). Each
/// step `h -> (rotl(h, 5) ^ word) * odd` is a bijection of `h`, so any
/// change confined to one word always changes the result; the length is
/// mixed in last, so truncation does too. Enough to notice corruption and
/// a swapped module: an artifact is trusted only as far as the `unsafe`
/// loading API says.
pub fn hash64(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let step = |h: u64, word: u64| (h.rotate_left(5) ^ word).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    let mut h = (&mut chunks).fold(0xcbf2_9ce4_8422_2325, |h, c| {
        step(h, u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
    });
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h = step(h, u64::from_le_bytes(tail));
    step(h, bytes.len() as u64)
}

impl Artifact {
    /// The artifact's bytes.
    ///
    /// # Errors
    /// [`ArtifactError::Unsupported`] if a table is too large for the format.
    pub fn write(&self) -> Result<Vec<u8>, ArtifactError> {
        let c = &self.compiled;
        let mut w = Vec::with_capacity(c.code.len() + self.wasm.len() + 4096);
        w.extend_from_slice(MAGIC);
        put_u32(&mut w, FORMAT_VERSION);
        put_bytes(&mut w, c.triple.as_bytes());
        put_bytes(&mut w, c.settings.as_bytes());
        put_bytes(&mut w, c.cpu_features.join(",").as_bytes());
        w.extend_from_slice(&hash64(&self.wasm).to_le_bytes());
        w.push(u8::from(c.consume_fuel));
        let o = &c.offsets;
        for v in [o.num_memories, o.num_tables, o.num_globals, o.num_imported_funcs] {
            put_u32(&mut w, v);
        }
        put_u32(&mut w, c.funcs.len() as u32);
        for f in &c.funcs {
            put_u32(&mut w, f.offset);
            put_u32(&mut w, f.len);
        }
        put_u32(&mut w, c.trampolines.len() as u32);
        for (ty, f) in &c.trampolines {
            put_u32(&mut w, ty.0);
            put_u32(&mut w, f.offset);
            put_u32(&mut w, f.len);
        }
        w.extend_from_slice(&c.unchecked_reservation.unwrap_or(0).to_le_bytes());
        let sites = u32::try_from(c.trap_sites.len()).map_err(|_| ArtifactError::Unsupported("too many trap sites"))?;
        put_u32(&mut w, sites);
        for site in &c.trap_sites {
            put_u32(&mut w, site.offset);
            put_u32(&mut w, site.code as u32);
        }
        let handlers =
            u32::try_from(c.handler_sites.len()).map_err(|_| ArtifactError::Unsupported("too many handler sites"))?;
        put_u32(&mut w, handlers);
        for site in &c.handler_sites {
            put_u32(&mut w, site.ret);
            put_u32(&mut w, site.handler);
            put_u32(&mut w, site.frame_offset);
        }
        put_bytes(&mut w, &self.wasm);
        put_bytes(&mut w, &c.code);
        let sum = hash64(&w);
        w.extend_from_slice(&sum.to_le_bytes());
        Ok(w)
    }

    /// Reads an artifact, checking its magic, version, checksum, module
    /// hash and tables (every function inside the code).
    ///
    /// # Errors
    /// The [`ArtifactError`] saying what is wrong.
    pub fn read(bytes: &[u8]) -> Result<Artifact, ArtifactError> {
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(ArtifactError::BadMagic);
        }
        let mut r = Reader { bytes, at: MAGIC.len() };
        let found = r.u32()?;
        if found != FORMAT_VERSION {
            return Err(ArtifactError::Version { found });
        }
        let body_len = bytes.len().checked_sub(8).ok_or(ArtifactError::Truncated("checksum"))?;
        let sum = u64::from_le_bytes(
            bytes[body_len..]
                .try_into()
                .map_err(|_| ArtifactError::Truncated("checksum"))?,
        );
        if body_len < r.at || hash64(&bytes[..body_len]) != sum {
            return Err(ArtifactError::Corrupted);
        }
        let mut r = Reader {
            bytes: &bytes[..body_len],
            at: r.at,
        };
        let triple = r.string()?;
        let settings = r.string()?;
        let features = r.string()?;
        let cpu_features = features
            .split(',')
            .filter(|f| !f.is_empty())
            .map(String::from)
            .collect();
        let module_hash = r.u64()?;
        let consume_fuel = r.u8()? != 0;
        let offsets = VMOffsets {
            num_memories: r.u32()?,
            num_tables: r.u32()?,
            num_globals: r.u32()?,
            num_imported_funcs: r.u32()?,
        };
        let n = r.u32()? as usize;
        let mut funcs = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            funcs.push(FuncLoc {
                offset: r.u32()?,
                len: r.u32()?,
            });
        }
        let n = r.u32()? as usize;
        let mut trampolines = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            let ty = TypeIndex(r.u32()?);
            trampolines.push((
                ty,
                FuncLoc {
                    offset: r.u32()?,
                    len: r.u32()?,
                },
            ));
        }
        let unchecked_reservation = Some(r.u64()?).filter(|&r| r != 0);
        let n = r.u32()? as usize;
        let mut trap_sites = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            let offset = r.u32()?;
            let code = TrapCode::from_code(r.u32()?).ok_or(ArtifactError::Truncated("unknown trap code"))?;
            trap_sites.push(TrapSite { offset, code });
        }
        let n = r.u32()? as usize;
        let mut handler_sites = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            handler_sites.push(HandlerSite {
                ret: r.u32()?,
                handler: r.u32()?,
                frame_offset: r.u32()?,
            });
        }
        let wasm = r.bytes()?.to_vec();
        let code = r.bytes()?.to_vec();
        if r.at != r.bytes.len() {
            return Err(ArtifactError::Truncated("bytes after the code"));
        }
        if hash64(&wasm) != module_hash {
            return Err(ArtifactError::ModuleHash);
        }
        let inside = |f: &FuncLoc| {
            (f.offset as usize)
                .checked_add(f.len as usize)
                .is_some_and(|end| end <= code.len())
        };
        if !funcs.iter().all(inside) || !trampolines.iter().all(|(_, f)| inside(f)) {
            return Err(ArtifactError::Truncated("a function lies outside the code"));
        }
        // The signal handler trusts these: each must be inside the code,
        // and guard-page code must say how much it relies on.
        if trap_sites.iter().any(|s| s.offset as usize >= code.len())
            || (!trap_sites.is_empty() && unchecked_reservation.is_none())
        {
            return Err(ArtifactError::Truncated("a trap site lies outside the code"));
        }
        // The runtime resumes at these when an exception is raised.
        if handler_sites
            .iter()
            .any(|s| s.ret as usize > code.len() || s.handler as usize >= code.len())
            || (!handler_sites.is_empty() && unchecked_reservation.is_none())
        {
            return Err(ArtifactError::Truncated("a handler site lies outside the code"));
        }
        Ok(Artifact {
            compiled: CompiledModule {
                code,
                funcs,
                trampolines,
                trap_sites,
                handler_sites,
                triple,
                settings,
                cpu_features,
                unchecked_reservation,
                consume_fuel,
                offsets,
            },
            wasm,
        })
    }
}

fn put_u32(w: &mut Vec<u8>, v: u32) {
    w.extend_from_slice(&v.to_le_bytes());
}

fn put_bytes(w: &mut Vec<u8>, b: &[u8]) {
    w.extend_from_slice(&(b.len() as u64).to_le_bytes());
    w.extend_from_slice(b);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ArtifactError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or(ArtifactError::Truncated("header or tables"))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, ArtifactError> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, ArtifactError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, ArtifactError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    fn bytes(&mut self) -> Result<&'a [u8], ArtifactError> {
        let n = usize::try_from(self.u64()?).map_err(|_| ArtifactError::Truncated("length"))?;
        self.take(n)
    }
    fn string(&mut self) -> Result<String, ArtifactError> {
        String::from_utf8(self.bytes()?.to_vec()).map_err(|_| ArtifactError::Truncated("text field"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Artifact {
        Artifact {
            compiled: CompiledModule {
                code: vec![0xc3; 64],
                funcs: vec![FuncLoc { offset: 0, len: 16 }],
                trampolines: vec![(TypeIndex(0), FuncLoc { offset: 32, len: 16 })],
                trap_sites: Vec::new(),
                handler_sites: Vec::new(),
                triple: "x86_64-unknown-linux-gnu".into(),
                settings: "s".into(),
                cpu_features: vec!["has_sse3".into(), "has_avx".into()],
                unchecked_reservation: None,
                consume_fuel: true,
                offsets: VMOffsets {
                    num_memories: 1,
                    num_tables: 0,
                    num_globals: 2,
                    num_imported_funcs: 3,
                },
            },
            wasm: b"\0asm\x01\0\0\0".to_vec(),
        }
    }

    #[test]
    fn the_hash_sees_every_bit_and_the_length() {
        let base: Vec<u8> = (0..37u8).collect();
        let h = hash64(&base);
        for i in 0..base.len() {
            for bit in 0..8 {
                let mut b = base.clone();
                b[i] ^= 1 << bit;
                assert_ne!(hash64(&b), h, "byte {i} bit {bit}");
            }
        }
        assert_ne!(hash64(&base[..36]), h);
        assert_ne!(
            hash64(&[0; 3]),
            hash64(&[0; 4]),
            "zero padding is not the same as zeros"
        );
    }

    #[test]
    fn round_trips() {
        let bytes = sample().write().unwrap();
        let back = Artifact::read(&bytes).unwrap();
        assert_eq!(back.wasm, sample().wasm);
        assert_eq!(back.compiled.code, sample().compiled.code);
        assert_eq!(back.compiled.trampolines, sample().compiled.trampolines);
        assert_eq!(back.compiled.offsets, sample().compiled.offsets);
        assert!(back.compiled.consume_fuel);
        assert_eq!(back.compiled.cpu_features, sample().compiled.cpu_features);
    }

    #[test]
    fn round_trips_guard_page_code() {
        let mut a = sample();
        a.compiled.unchecked_reservation = Some(6 << 30);
        a.compiled.trap_sites = vec![
            TrapSite {
                offset: 3,
                code: TrapCode::MemoryOutOfBounds,
            },
            TrapSite {
                offset: 40,
                code: TrapCode::MemoryOutOfBounds,
            },
        ];
        let back = Artifact::read(&a.write().unwrap()).unwrap();
        assert_eq!(back.compiled.trap_sites, a.compiled.trap_sites);
        assert_eq!(back.compiled.unchecked_reservation, Some(6 << 30));
        assert_eq!(
            Artifact::read(&sample().write().unwrap())
                .unwrap()
                .compiled
                .unchecked_reservation,
            None
        );
    }

    #[test]
    fn refuses_trap_sites_outside_the_code() {
        let mut a = sample();
        a.compiled.unchecked_reservation = Some(6 << 30);
        a.compiled.trap_sites = vec![TrapSite {
            offset: 64,
            code: TrapCode::MemoryOutOfBounds,
        }];
        assert_eq!(
            Artifact::read(&a.write().unwrap()).unwrap_err(),
            ArtifactError::Truncated("a trap site lies outside the code")
        );
    }

    #[test]
    fn keeps_handler_sites_inside_the_code_only() {
        let mut a = sample();
        a.compiled.unchecked_reservation = Some(6 << 30);
        let site = HandlerSite {
            ret: 8,
            handler: 40,
            frame_offset: 16,
        };
        a.compiled.handler_sites = vec![site];
        let back = Artifact::read(&a.write().unwrap()).unwrap();
        assert_eq!(back.compiled.handler_sites, vec![site]);
        a.compiled.handler_sites = vec![HandlerSite { handler: 64, ..site }];
        assert_eq!(
            Artifact::read(&a.write().unwrap()).unwrap_err(),
            ArtifactError::Truncated("a handler site lies outside the code")
        );
    }

    #[test]
    fn refuses_truncated_corrupted_and_foreign_bytes() {
        let bytes = sample().write().unwrap();
        for len in [0, 4, 12, bytes.len() / 2, bytes.len() - 1] {
            assert!(Artifact::read(&bytes[..len]).is_err(), "truncated to {len}");
        }
        for i in [9, 20, bytes.len() / 2, bytes.len() - 9] {
            let mut bad = bytes.clone();
            bad[i] ^= 0x40;
            assert!(Artifact::read(&bad).is_err(), "byte {i} flipped");
        }
        assert_eq!(Artifact::read(b"\0asm\x01\0\0\0").unwrap_err(), ArtifactError::BadMagic);
        let mut other = bytes.clone();
        other[8] = 99;
        assert!(matches!(
            Artifact::read(&other),
            Err(ArtifactError::Version { found: 99 })
        ));
    }
}
