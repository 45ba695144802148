#!/usr/bin/env bash
# Format, lints, docs and every Rust test of the default workspace members.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
# The wasm crate's identity bindings sit behind a feature the workspace run leaves off.
cargo clippy -p careguard-wasm --features identity --all-targets --locked -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked -p careguard
PROPTEST_CASES="${PROPTEST_CASES:-256}" cargo test --locked --release
