//! Integration tests of the embedding API.

mod embed;
mod limits;
