//! Helpers shared by integration tests (and, via `#[path]`, examples and benches).
#![allow(dead_code)]

pub(crate) mod corpus_eval;
