//! Integration tests of the embedding API.

mod embed;
mod fused_access;
mod limits;
