//! Integration tests of the embedding API.

mod compilation;
mod embed;
mod fused_access;
mod limits;
mod result_register;
