//! Integration tests of the Cranelift back end: small wat modules compiled
//! for the host and run through the harness runtime.

mod calls;
mod control;
mod fuel;
mod golden;
mod harness;
mod memory;
mod numeric;
mod simd;
mod spec;
mod tables;
mod targets;
mod traps;
