//! Integration tests of the embedding API.

mod add_tee;
#[cfg(feature = "jit")]
mod aot;
#[cfg(feature = "jit")]
mod back_end;
#[cfg(feature = "jit")]
mod bulk_fuel;
mod compilation;
#[cfg(feature = "jit")]
mod differential;
mod embed;
mod fused_access;
#[cfg(feature = "jit")]
mod gc_heap_bound;
#[cfg(feature = "jit")]
mod guard_pages;
mod i32_compares;
#[cfg(all(feature = "jit", target_os = "linux", target_arch = "x86_64"))]
mod jit_backtrace;
mod limits;
mod load_branch;
mod load_operand;
mod loop_consts;
mod loop_latch;
#[cfg(feature = "jit")]
mod raised_exceptions;
mod result_register;
mod shifted_index;
#[cfg(feature = "jit")]
mod smith;
