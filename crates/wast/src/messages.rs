//! Comparing the runtime's trap messages with the ones a script expects.
//!
//! The spec scripts name a trap by a short text ("integer divide by zero", "out of bounds
//! memory access", ...). A runtime passes when its message contains that text. A few spec texts are
//! more detailed than any runtime reports (`uninitialized element 2`) or name the same trap
//! differently; those are accepted the way wasmtime's wast runner accepts them, and only
//! where the trap kind is the same, so a wrong trap kind still fails.

/// Whether a trap message `actual` satisfies the script's `expected` text.
pub(crate) fn trap_matches(expected: &str, actual: &str) -> bool {
    actual.contains(expected)
        // bulk.wast names the index of the element ("uninitialized element 2").
        || (expected.starts_with("uninitialized element") && actual.contains("uninitialized element"))
        // An index past the table's end: the spec says "undefined element", a table access
        // out of bounds is the same trap.
        || (expected.starts_with("undefined element")
            && (actual.contains("undefined element") || actual.contains("out of bounds table access")))
        // call_ref on null: "null function reference".
        || (expected.contains("null function")
            && (actual.contains("null reference") || actual.contains("uninitialized element")))
        // GC says "null structure reference", "null array reference", ...
        || (expected.starts_with("null") && expected.ends_with("reference") && actual.contains("null reference"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_contained_messages_match() {
        assert!(trap_matches("integer divide by zero", "integer divide by zero"));
        assert!(trap_matches("unreachable", "wasm trap: unreachable"));
    }

    #[test]
    fn same_trap_under_another_name_matches() {
        assert!(trap_matches("uninitialized element 2", "uninitialized element"));
        assert!(trap_matches("undefined element", "out of bounds table access"));
        assert!(trap_matches("null function reference", "null reference"));
        assert!(trap_matches("null structure reference", "null reference"));
    }

    #[test]
    fn wrong_trap_kind_does_not_match() {
        assert!(!trap_matches("integer divide by zero", "integer overflow"));
        assert!(!trap_matches("undefined element", "uninitialized element"));
        assert!(!trap_matches(
            "out of bounds memory access",
            "out of bounds table access"
        ));
        assert!(!trap_matches("call stack exhausted", "unreachable"));
    }
}
