//! C ABI for careguard, for iOS and Android apps (and any other C caller).
//!
//! Areas, each a module here over the core module of the same name: envelopes and key
//! rings (`cg_keyring_*`, `cg_envelope_*`), the PIN vault (`cg_vault_*`,
//! `cg_kdf_params_*`), wipes (`cg_wipe_*`), retention (`cg_retention_*`,
//! `cg_clock_now`), the identifier scanner (`cg_scanner_*`, `cg_findings_*`), send
//! policy (`cg_policy_*`, `cg_decision_*`), identity (`cg_device_keys_*`,
//! `cg_card_verify`, `cg_contact_*`, `cg_safety_number*`, `cg_identity_*`), lock-screen
//! notification text (`cg_notification_text`), the right recipient (`cg_address_book_*`,
//! `cg_recipient_warnings_*`), group hygiene (`cg_group_review`, `cg_group_findings_*`),
//! audit logs (`cg_audit_chain_*`, `cg_audit_log_*`, `cg_audit_summary_*`), Trust policy
//! packs (`cg_trust_pack_*`) and emergency orders (`cg_emergency_order_verify`).
//!
//! This crate only converts: it checks and converts C arguments, calls the
//! `careguard` core, and converts results and errors back. No behaviour lives here
//! twice. The generated header `include/careguard.h` is the reference for callers;
//! the conventions it states are:
//!
//! - every name starts with `cg_`; handles are opaque and released with their own
//!   `*_free`, which accepts `NULL`;
//! - every function that can fail returns a [`cg_status`](CgStatus); on failure a
//!   thread-local message describes it ([`cg_last_error_message`]);
//! - buffers handed out are [`cg_bytes`](CgBytes) released with [`cg_bytes_free`],
//!   strings are released with [`cg_string_free`]; both accept `NULL`;
//! - null pointers, invalid UTF-8 and wrong lengths are reported as status codes;
//! - every entry point runs inside a panic guard, so no panic crosses the boundary
//!   (it becomes `CG_STATUS_PANIC`). That needs unwinding, so this crate refuses to
//!   compile with `panic = "abort"`.

// A panic guard cannot catch anything when panics abort: refuse such a build
// rather than ship a library whose `CG_STATUS_PANIC` promise is silently false.
#[cfg(panic = "abort")]
compile_error!("careguard-ffi must be built with panic = \"unwind\": its panic guard relies on it");

mod args;
mod audit;
mod buffer;
mod detect;
mod envelope;
mod error;
mod identity;
mod policy;
mod retention;
mod sending;
mod status;
mod trust;
mod vault;
mod version;
mod wipe;

pub use audit::{
    CgAuditAction, CgAuditChain, CgAuditCount, CgAuditRecord, CgAuditSummary, CgAuditTotals,
    cg_audit_chain_free, cg_audit_chain_head, cg_audit_chain_new, cg_audit_chain_restore,
    cg_audit_chain_seal, cg_audit_chain_state, cg_audit_device_public_key, cg_audit_log_summarise,
    cg_audit_log_verify, cg_audit_summary_free, cg_audit_summary_get, cg_audit_summary_len,
    cg_audit_summary_totals,
};
pub use buffer::{CgBytes, cg_bytes_free, cg_key_generate, cg_string_free};
pub use detect::{
    CgFinding, CgFindings, CgMaskStyle, CgScanner, CgScannerBuilder, cg_findings_free,
    cg_findings_get, cg_findings_len, cg_scanner_builder_allow, cg_scanner_builder_build,
    cg_scanner_builder_confidence_threshold, cg_scanner_builder_extra_given_name,
    cg_scanner_builder_extra_surname, cg_scanner_builder_free,
    cg_scanner_builder_hospital_number_pattern, cg_scanner_builder_kind,
    cg_scanner_builder_mask_style, cg_scanner_builder_new, cg_scanner_builder_staff_name,
    cg_scanner_free, cg_scanner_has_findings, cg_scanner_minimise, cg_scanner_new, cg_scanner_scan,
};
pub use envelope::{
    CG_CONTENT_TYPE_BUF_LEN, CG_MAX_CONTENT_TYPE_LEN, CG_MESSAGE_ID_LEN, CgEnvelopeInfo, CgKeyring,
    CgSealOptions, cg_envelope_open, cg_envelope_seal, cg_key_id_derive, cg_keyring_free,
    cg_keyring_insert, cg_keyring_insert_vault_kek, cg_keyring_new, cg_keyring_remove,
    cg_keyring_sealing_key_id,
};
pub use error::cg_last_error_message;
pub use identity::{
    CG_DEVICE_ID_LEN, CgCardChange, CgCardInfo, CgDeviceKeys, CgRecipientTrust, CgVerification,
    CgVerifiedCard, cg_card_verify, cg_contact_observe, cg_contact_trust, cg_device_keys_free,
    cg_device_keys_generate, cg_device_keys_issue_card, cg_device_keys_rotate,
    cg_device_keys_unwrap_from_vault, cg_device_keys_wrap_in_vault, cg_identity_open,
    cg_identity_seal, cg_revocation_list_sign, cg_safety_number, cg_safety_number_matches_scanned,
    cg_verified_card_free, cg_verified_card_info,
};
pub use policy::{
    CgConversation, CgDecision, CgDecisionSummary, CgPolicyContext, CgReason, CgVerdict,
    cg_decision_free, cg_decision_get_summary, cg_decision_reason, cg_policy_decide,
    cg_policy_review,
};
pub use retention::{
    CgHeld, CgRetentionMessage, CgRetentionPolicy, CgSweep, cg_clock_now, cg_retention_expires_at,
    cg_retention_policy_merge, cg_retention_sweep, cg_sweep_free,
};
pub use sending::{
    CgAddressBook, CgGroup, CgGroupFinding, CgGroupFindings, CgGroupMember, CgGroupPurpose,
    CgGroupRules, CgNotificationDetail, CgRecipientEntry, CgRecipientKind, CgRecipientWarning,
    CgRecipientWarnings, cg_address_book_check, cg_address_book_free, cg_address_book_new,
    cg_group_findings_free, cg_group_findings_get, cg_group_findings_len, cg_group_review,
    cg_group_rules_default, cg_notification_text, cg_recipient_warnings_free,
    cg_recipient_warnings_get, cg_recipient_warnings_len,
};
pub use status::{CgStatus, cg_status_name};
pub use trust::{
    CgEmergencyOrder, CgTrustPack, CgTrustPackInfo, CgTrustPackList, cg_emergency_order_verify,
    cg_trust_pack_free, cg_trust_pack_get_info, cg_trust_pack_list_get, cg_trust_pack_open,
    cg_trust_pack_platform_approved, cg_trust_pack_retention, cg_trust_pack_scanner,
    cg_trust_pack_verify,
};
pub use vault::{
    CG_PERSIST_STALE, CG_PERSIST_STORED, CgBlobStatus, CgKdfParams, CgLockoutPolicy, CgPersistFn,
    CgUnlockInfo, CgVault, CgWipeReason, cg_kdf_params_calibrate, cg_kdf_params_default,
    cg_vault_change_pin, cg_vault_create, cg_vault_free, cg_vault_lock, cg_vault_lock_if_idle,
    cg_vault_status, cg_vault_touch, cg_vault_unlock, cg_vault_unwrap_secret, cg_vault_wrap_secret,
};
pub use version::cg_version;
pub use wipe::{
    CgLocalWipeReason, cg_wipe_local, cg_wipe_order_sign, cg_wipe_org_public_key,
    cg_wipe_verify_and_execute,
};
