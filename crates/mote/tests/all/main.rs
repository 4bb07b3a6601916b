//! Integration tests of the embedding API.

mod compilation;
#[cfg(feature = "jit")]
mod differential;
mod embed;
mod fused_access;
mod limits;
mod loop_consts;
mod result_register;
