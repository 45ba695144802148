//! Shared by the vault, wipe and retention tests and the vector generators.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use careguard::vault::KdfParams;

#[path = "../support/mod.rs"]
mod support;

pub use support::TestRng;

/// Cheap Argon2 parameters: tests only.
pub fn cheap() -> KdfParams {
    KdfParams::insecure_for_tests_only(256, 2, 1).unwrap()
}
