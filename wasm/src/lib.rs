//! WebAssembly bindings for careguard: the patient-identifier scanner and policy,
//! message envelopes and the PIN vault, for web apps and browser extensions.
//!
//! This crate only converts: every behaviour lives in the `careguard` core crate.
//! JavaScript strings are UTF-16, so findings carry UTF-16 offsets (`startUtf16`,
//! `endUtf16`) that index the JS string directly, as well as UTF-8 byte offsets.
//! Errors are thrown as `CareguardError` with a stable `code`. Secrets cross as
//! `Uint8Array` and the Rust-side copies are zeroized after use. The module never
//! reads the clock for security decisions: `now` is always an argument (Unix
//! seconds).
//!
//! Build with `scripts/build-wasm.sh`; see docs/wasm.md.

mod convert;
mod envelope;
mod error;
// -e2e flavour only: it verifies device cards.
#[cfg(feature = "identity")]
mod group;
#[cfg(feature = "identity")]
mod identity;
// -e2e flavour only: its name folding tables would take the default package over its
// budget (docs/wasm.md "Size").
#[cfg(feature = "identity")]
mod recipient;
mod scanner;
// Default flavour only: it fits the default package's budget, and the -e2e package is at
// its own (docs/wasm.md).
#[cfg(not(feature = "identity"))]
mod sending;
mod vault;

pub use envelope::{KeyRing, envelope_open, envelope_seal, key_id_for};
pub use error::{CareguardError, error_codes};
#[cfg(feature = "identity")]
pub use group::review_group;
#[cfg(feature = "identity")]
pub use identity::{
    CardList, DeviceKeys, VerifiedCard, contact_observe, contact_trust, identity_open,
    identity_open_own_copy, identity_seal, identity_seal_keeping_copy, organisation_public_key,
    safety_number, safety_number_matches_scanned, sign_revocation_list, verify_card,
};
#[cfg(feature = "identity")]
pub use recipient::AddressBook;
pub use scanner::{Scanner, decide, has_findings, kinds, minimise, scan};
#[cfg(not(feature = "identity"))]
pub use sending::notification_text;
pub use vault::{PersistedAttempt, UnlockAttempt, Vault};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_IMPORTS: &str = r#"
import type { CareguardError, ErrorCode } from './errors.js';
"#;

/// The careguard-wasm version (the crate version, e.g. `"0.1.0"`).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// A fresh random 256-bit key (from `crypto.getRandomValues`), e.g. a key-encryption
/// key for a `KeyRing`. Store it as the secret it is.
#[wasm_bindgen(js_name = generateKey)]
pub fn generate_key() -> Vec<u8> {
    careguard::SecretKey::random().expose_secret().to_vec()
}
