//! Which values the interpreter may pass from one instruction to the next
//! in a register, besides writing them to their slot.
//!
//! Why: an expression's temporaries are written by one instruction and
//! read by the very next. Through the frame, that read waits for the
//! store to be forwarded (about five cycles on current cores); through a
//! register it waits for nothing. The result still goes to its slot, so a
//! later reader, a branch target or the slow path see the same state as
//! before: the register is only a shortcut for the immediate successor.
//!
//! A value travels in one of three registers, by [`RegClass`], so that
//! floating-point chains stay in floating-point registers. The classes of a
//! result and of an input come from the instruction's name (`F64Add`
//! produces and reads `f64`; `I32TruncF64S` reads `f64` and produces an
//! integer), so the translator, the executor's pairing and the handlers
//! all agree by construction: they call [`Instr::reg_result`] and
//! [`Instr::reg_inputs`](crate::Instr::reg_inputs).

/// The register a value is passed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegClass {
    /// A 64-bit cell, exactly as the slot holds it (`i32`, `i64`, references).
    Int,
    /// An `f32`.
    F32,
    /// An `f64`.
    F64,
}

/// The class of a type named by the three bytes at `at` of `name`
/// (`F32`, `F64`, or an integer type), if a type is named there.
const fn type_at(name: &[u8], at: usize) -> Option<RegClass> {
    if at + 3 > name.len() {
        return None;
    }
    match (name[at], name[at + 1], name[at + 2]) {
        (b'F', b'3', b'2') => Some(RegClass::F32),
        (b'F', b'6', b'4') => Some(RegClass::F64),
        (b'I', b'3', b'2') | (b'I', b'6', b'4') => Some(RegClass::Int),
        _ => None,
    }
}

/// Whether `name` ends with `suffix`.
const fn ends_with(name: &[u8], suffix: &[u8]) -> bool {
    if suffix.len() > name.len() {
        return false;
    }
    let mut i = 0;
    while i < suffix.len() {
        if name[name.len() - suffix.len() + i] != suffix[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The class of the result of the numeric instruction `name`: its leading
/// type, except that comparisons produce an integer.
pub(crate) const fn result_class(name: &str) -> RegClass {
    let b = name.as_bytes();
    let compares = ends_with(b, b"Eq")
        || ends_with(b, b"Ne")
        || ends_with(b, b"Lt")
        || ends_with(b, b"Gt")
        || ends_with(b, b"Le")
        || ends_with(b, b"Ge");
    match type_at(b, 0) {
        Some(class) if !compares => class,
        _ => RegClass::Int,
    }
}

/// The class of the operands of the numeric instruction `name`: the type
/// named last (the source of a conversion such as `I32TruncF64S`), else the
/// leading one.
pub(crate) const fn input_class(name: &str) -> RegClass {
    let b = name.as_bytes();
    let mut at = b.len();
    while at > 1 {
        at -= 1;
        if let Some(class) = type_at(b, at) {
            return class;
        }
    }
    match type_at(b, 0) {
        Some(class) => class,
        None => RegClass::Int,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_names() {
        assert_eq!(result_class("F64Add"), RegClass::F64);
        assert_eq!(result_class("F32Sqrt"), RegClass::F32);
        assert_eq!(result_class("F64Lt"), RegClass::Int);
        assert_eq!(result_class("F32DemoteF64"), RegClass::F32);
        assert_eq!(result_class("I32TruncF64S"), RegClass::Int);
        assert_eq!(result_class("F64Load"), RegClass::F64);
        assert_eq!(result_class("Copy"), RegClass::Int);
        assert_eq!(input_class("F64Add"), RegClass::F64);
        assert_eq!(input_class("F64Ge"), RegClass::F64);
        assert_eq!(input_class("I32TruncSatF32U"), RegClass::F32);
        assert_eq!(input_class("F64PromoteF32"), RegClass::F32);
        assert_eq!(input_class("F32DemoteF64"), RegClass::F64);
        assert_eq!(input_class("F64ConvertI64U"), RegClass::Int);
        assert_eq!(input_class("I64Extend32S"), RegClass::Int);
        assert_eq!(input_class("RefIsNull"), RegClass::Int);
    }
}
