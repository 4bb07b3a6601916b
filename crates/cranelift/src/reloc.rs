//! The blob linker: resolves the relocations Cranelift leaves in each
//! function (calls between functions of the module) once all functions
//! are laid out in one code blob.
//!
//! Every relocation is PC-relative within the blob, so the resolved blob
//! is position independent: it can be written into an AOT artifact and
//! mapped anywhere without touching a single call site at load time.

use crate::Error;
use cranelift_codegen::binemit::Reloc;

/// A relocation with both ends as offsets in the code blob.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BlobReloc {
    /// Where the relocated field is.
    pub offset: u32,
    pub kind: Reloc,
    /// Where it points.
    pub target: u32,
    pub addend: i64,
}

fn reloc_error(r: &BlobReloc, message: &str) -> Error {
    Error::Relocation {
        kind: format!("{:?}", r.kind),
        offset: r.offset as usize,
        message: message.to_string(),
    }
}

/// Patches `r` into `code`.
///
/// # Errors
/// A kind this linker does not know, a field outside the blob, or a
/// displacement out of the instruction's range.
pub(crate) fn apply(code: &mut [u8], r: &BlobReloc) -> Result<(), Error> {
    let at = r.offset as usize;
    let field = code
        .get_mut(at..at + 4)
        .ok_or_else(|| reloc_error(r, "field outside the code blob"))?;
    let delta = i64::from(r.target) + r.addend - i64::from(r.offset);
    match r.kind {
        Reloc::X86CallPCRel4 | Reloc::X86CallPLTRel4 | Reloc::X86PCRel4 => {
            let value = i32::try_from(delta).map_err(|_| reloc_error(r, "displacement exceeds 32 bits"))?;
            field.copy_from_slice(&value.to_le_bytes());
        }
        Reloc::Arm64Call => {
            if delta % 4 != 0 || !(-(1 << 27)..(1 << 27)).contains(&delta) {
                return Err(reloc_error(r, "branch target out of range or misaligned"));
            }
            let insn = u32::from_le_bytes(field.try_into().expect("four bytes"));
            let imm26 = ((delta >> 2) as u32) & 0x03ff_ffff;
            field.copy_from_slice(&((insn & 0xfc00_0000) | imm26).to_le_bytes());
        }
        _ => return Err(reloc_error(r, "unsupported relocation kind")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x86_call_is_relative_to_the_field() {
        let mut code = vec![0u8; 32];
        let r = BlobReloc {
            offset: 4,
            kind: Reloc::X86CallPCRel4,
            target: 20,
            addend: -4,
        };
        apply(&mut code, &r).unwrap();
        assert_eq!(i32::from_le_bytes(code[4..8].try_into().unwrap()), 12);
    }

    #[test]
    fn arm64_call_keeps_the_opcode() {
        let mut code = vec![0u8; 16];
        code[0..4].copy_from_slice(&0x9400_0000u32.to_le_bytes());
        let r = BlobReloc {
            offset: 0,
            kind: Reloc::Arm64Call,
            target: 8,
            addend: 0,
        };
        apply(&mut code, &r).unwrap();
        assert_eq!(u32::from_le_bytes(code[0..4].try_into().unwrap()), 0x9400_0002);
        let far = BlobReloc { target: 6, ..r };
        assert!(apply(&mut code, &far).is_err());
    }

    #[test]
    fn unknown_kinds_are_refused() {
        let mut code = vec![0u8; 16];
        let r = BlobReloc {
            offset: 0,
            kind: Reloc::Abs8,
            target: 8,
            addend: 0,
        };
        assert!(matches!(apply(&mut code, &r), Err(Error::Relocation { .. })));
    }
}
