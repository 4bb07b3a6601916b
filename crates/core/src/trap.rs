//! Trap codes: why a WebAssembly computation stopped abnormally.

use core::fmt;

/// The reason a trap occurred. The numbering is stable: compiled code and the
/// C API store it as a byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum TrapCode {
    /// `unreachable` was executed.
    Unreachable = 1,
    /// A memory access was outside the bounds of its linear memory.
    MemoryOutOfBounds,
    /// A table access was outside the bounds of its table.
    TableOutOfBounds,
    /// An indirect call referenced an element that is null.
    IndirectCallToNull,
    /// An indirect call found a function of the wrong type.
    BadSignature,
    /// Integer division or remainder by zero.
    IntegerDivisionByZero,
    /// Signed integer division overflowed (`MIN / -1`).
    IntegerOverflow,
    /// A float-to-int conversion got NaN or a value out of range.
    BadConversionToInteger,
    /// The call stack or the value stack is exhausted.
    StackOverflow,
    /// The store ran out of fuel.
    OutOfFuel,
    /// A null reference was dereferenced (`call_ref`, `ref.as_non_null`, ...).
    NullReference,
    /// A data or element segment access was out of bounds.
    OutOfBoundsSegment,
    /// A GC cast failed.
    CastFailure,
    /// An array access was out of bounds.
    ArrayOutOfBounds,
    /// An allocation was too large.
    AllocationTooLarge,
    /// An exception was thrown and not caught.
    UncaughtException,
    /// A host function reported an error.
    HostError,
}

impl TrapCode {
    /// Every trap code, in numbering order.
    const ALL: [TrapCode; 17] = [
        TrapCode::Unreachable,
        TrapCode::MemoryOutOfBounds,
        TrapCode::TableOutOfBounds,
        TrapCode::IndirectCallToNull,
        TrapCode::BadSignature,
        TrapCode::IntegerDivisionByZero,
        TrapCode::IntegerOverflow,
        TrapCode::BadConversionToInteger,
        TrapCode::StackOverflow,
        TrapCode::OutOfFuel,
        TrapCode::NullReference,
        TrapCode::OutOfBoundsSegment,
        TrapCode::CastFailure,
        TrapCode::ArrayOutOfBounds,
        TrapCode::AllocationTooLarge,
        TrapCode::UncaughtException,
        TrapCode::HostError,
    ];

    /// The trap code numbered `code` (as stored by compiled code and the C
    /// API), if there is one.
    pub fn from_code(code: u32) -> Option<TrapCode> {
        TrapCode::ALL.into_iter().find(|&c| c as u32 == code)
    }

    /// The message the WebAssembly specification tests expect for this trap.
    pub const fn message(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::TableOutOfBounds => "out of bounds table access",
            TrapCode::IndirectCallToNull => "uninitialized element",
            TrapCode::BadSignature => "indirect call type mismatch",
            TrapCode::IntegerDivisionByZero => "integer divide by zero",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::BadConversionToInteger => "invalid conversion to integer",
            TrapCode::StackOverflow => "call stack exhausted",
            TrapCode::OutOfFuel => "all fuel consumed",
            TrapCode::NullReference => "null reference",
            TrapCode::OutOfBoundsSegment => "out of bounds segment access",
            TrapCode::CastFailure => "cast failure",
            TrapCode::ArrayOutOfBounds => "out of bounds array access",
            TrapCode::AllocationTooLarge => "allocation too large",
            TrapCode::UncaughtException => "uncaught exception",
            TrapCode::HostError => "host error",
        }
    }
}

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

#[cfg(test)]
mod tests {
    use super::TrapCode;

    #[test]
    fn codes_round_trip_through_their_numbers() {
        for code in TrapCode::ALL {
            assert_eq!(TrapCode::from_code(code as u32), Some(code));
        }
        assert_eq!(TrapCode::from_code(0), None);
        assert_eq!(TrapCode::from_code(TrapCode::ALL.len() as u32 + 1), None);
    }
}
