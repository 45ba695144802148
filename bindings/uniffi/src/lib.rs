//! careguard's app-facing API, described once with uniffi so that Kotlin (Android, JVM)
//! and Swift (iOS) bindings are generated rather than written by hand.
//!
//! Areas, each a module over the core module of the same name: the identifier scanner
//! and send policy ([`Scanner`], [`review`]), envelopes and key rings ([`KeyRing`]), the
//! PIN vault ([`Vault`], with the app's storage as the [`BlobStore`] callback interface),
//! wipes, retention, identity, safe sending ([`AddressBook`], [`review_group`],
//! [`notification_text`]), audit logs ([`AuditChain`]) and Trust policy packs
//! ([`TrustPack`]). Like the C ABI (`ffi/`), this crate only converts: it calls the
//! `careguard` core and maps its errors onto [`CareGuardError`], whose variants carry the
//! C ABI's status codes. It writes no `unsafe` code; the `extern "C"` scaffolding comes
//! from uniffi's macros.

uniffi::setup_scaffolding!("careguard");

mod audit;
mod detect;
mod envelope;
mod error;
mod identity;
mod retention;
mod sending;
mod trust;
mod vault;
mod wipe;

pub use audit::{
    AuditAction, AuditChain, AuditLog, AuditRecord, AuditSummary, KindCount,
    audit_device_public_key, audit_log_summarise, audit_log_verify,
};
pub use detect::{
    Conversation, Decision, Finding, MaskStyle, Reason, Scanner, ScannerBuilder, Verdict, decide,
    review,
};
pub use envelope::{KeyRing, OpenedEnvelope, SealOptions, derive_key_id};
pub use error::CareGuardError;
pub use identity::{
    CardChange, DeviceKeys, Observed, OpenedSigned, RecipientTrust, SafetyNumber, Verification,
    VerifiedCard, contact_observe, contact_trust, identity_open, identity_seal,
    revocation_list_sign, safety_number, safety_number_matches_scanned,
};
pub use retention::{
    Held, RetentionMessage, RetentionPolicy, Sweep, TrustedNow, retention_expires_at,
    retention_policy_merge, retention_sweep, trusted_now,
};
pub use sending::{
    AddressBook, Group, GroupFinding, GroupMember, GroupPurpose, GroupRules, NotificationDetail,
    RecipientEntry, RecipientKind, RecipientWarning, group_rules_default, notification_text,
    review_group,
};
pub use trust::{EmergencyOrder, TrustPack, TrustPackInfo};
pub use vault::{
    BlobStatus, BlobStore, KdfParams, LockoutPolicy, OpenedVault, StoreError, Vault, WipeReason,
    kdf_params_calibrate, kdf_params_default, vault_create, vault_status, vault_unlock,
};
pub use wipe::{
    LocalWipeReason, WipeOutcome, wipe_local, wipe_order_sign, wipe_org_public_key,
    wipe_verify_and_execute,
};

use careguard::SecretKey;
use error::Result;

/// The library version (`major.minor.patch`), the same as `cg_version`.
#[uniffi::export]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The stable lower-case name of a C ABI status code (`"wrong_key"`), or `"unknown"`.
#[uniffi::export]
pub fn status_name(code: i32) -> String {
    match code {
        0 => "ok",
        _ => careguard::ErrorCode::from_number(code).map_or("unknown", |c| c.as_str()),
    }
    .to_owned()
}

/// 32 fresh random bytes from the operating system, for a key-ring key or device secret.
#[uniffi::export]
pub fn generate_key() -> Vec<u8> {
    SecretKey::random().expose_secret().to_vec()
}

/// Checks a 32-byte key argument.
/// Takes the caller's copy so that it is wiped once the key is read.
pub(crate) fn key_arg(bytes: Vec<u8>, name: &str) -> Result<SecretKey> {
    let bytes = zeroize::Zeroizing::new(bytes);
    SecretKey::from_slice(&bytes).ok_or_else(|| {
        CareGuardError::invalid_length(format!(
            "`{name}` must be {} bytes, got {}",
            careguard::KEY_LEN,
            bytes.len()
        ))
    })
}

/// The operating system's random number generator, as the core's APIs take it.
pub(crate) fn os_rng() -> rand_core::UnwrapErr<getrandom::SysRng> {
    rand_core::UnwrapErr(getrandom::SysRng)
}
