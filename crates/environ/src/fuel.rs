//! The part of the fuel model that depends on an operand, shared by the
//! interpreter's translator (`mote-ir`) and the compiler (`mote-cranelift`)
//! so that both back ends charge the same amounts at the same points.
//!
//! Every counted operator costs one unit (see `Config::consume_fuel`). A
//! bulk operation also does work in proportion to its length operand, so
//! without more it would let a guest fill or allocate gigabytes for one
//! unit. It therefore costs one more unit per [`BYTES_PER_UNIT`] bytes it
//! writes, rounded down: bytes for `memory.fill`, `memory.copy` and
//! `memory.init`; 8-byte elements for `table.fill`, `table.copy` and
//! `table.init`; elements at their packed size (1, 2, 4, 8 or 16 bytes)
//! for `array.new`, `array.new_default`, `array.new_data`,
//! `array.new_elem`, `array.fill`, `array.copy`, `array.init_data` and
//! `array.init_elem`. The length is charged before the operation checks
//! or touches anything, so a huge operation with too little fuel traps
//! with `OutOfFuel` before it allocates or fills, whatever it would have
//! done otherwise. The runtime charges `array.new` and `array.new_default`
//! in initializers the same way when it instantiates a module, so
//! instantiation cannot allocate gigabytes for free either.
//!
//! `memory.grow` and `table.grow` are not charged by length: a memory or
//! table never shrinks and stays within its limits, so all the growing a
//! guest can do is bounded by those limits, not by its fuel.
//! `array.new_fixed` takes its elements from the stack, and each of them
//! was already charged by the operator that pushed it.

use crate::{StorageType, ValType};

/// A bulk operation costs one unit per this many bytes it writes.
pub const BYTES_PER_UNIT: u64 = 1 << 6;

/// The right shift that turns a memory operation's length (in bytes)
/// into its extra units.
pub const MEMORY_LENGTH_SHIFT: u8 = 6;

/// The right shift that turns a table operation's length (in elements,
/// 8 bytes each) into its extra units.
pub const TABLE_LENGTH_SHIFT: u8 = 3;

/// The right shift that turns an array operation's length (in elements
/// of `storage`) into its extra units.
pub fn array_length_shift(storage: StorageType) -> u8 {
    let size_log2 = match storage {
        StorageType::I8 => 0,
        StorageType::I16 => 1,
        StorageType::Val(ValType::I32 | ValType::F32) => 2,
        StorageType::Val(ValType::V128) => 4,
        StorageType::Val(ValType::I64 | ValType::F64 | ValType::Ref(_)) => 3,
    };
    MEMORY_LENGTH_SHIFT - size_log2
}

/// The extra units of a bulk operation of `len` elements, for the shift of
/// its kind.
pub fn length_cost(len: u64, shift: u8) -> u64 {
    len >> shift
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_costs_one_unit_per_64_bytes() {
        assert_eq!(length_cost(63, MEMORY_LENGTH_SHIFT), 0);
        assert_eq!(length_cost(64, MEMORY_LENGTH_SHIFT), 1);
        assert_eq!(length_cost(u64::MAX, MEMORY_LENGTH_SHIFT), u64::MAX / BYTES_PER_UNIT);
        assert_eq!(length_cost(8, TABLE_LENGTH_SHIFT), 1);
        for (storage, size) in [
            (StorageType::I8, 1),
            (StorageType::I16, 2),
            (StorageType::Val(ValType::F32), 4),
            (StorageType::Val(ValType::I64), 8),
            (StorageType::Val(ValType::V128), 16),
        ] {
            let shift = array_length_shift(storage);
            assert_eq!(length_cost(BYTES_PER_UNIT / size, shift), 1, "{storage:?}");
            assert_eq!(length_cost(BYTES_PER_UNIT / size - 1, shift), 0, "{storage:?}");
        }
    }
}
