//! `CareGuardError`: one typed error per C ABI status code, with the same numbers.
//!
//! Each core error maps onto the variant whose code the C ABI (`ffi/`) returns for it,
//! so an app moving between the C header and the generated bindings branches on the
//! same codes. The mapping tables mirror `ffi/src/*.rs`; a test compares every code
//! and name with `careguard_ffi::CgStatus`.

use careguard::detect::Error as DetectError;
use careguard::envelope::Error as EnvelopeError;
use careguard::identity::IdentityError;
use careguard::vault::VaultError;
use careguard::wipe::WipeError;

/// A careguard call failed. Each variant is one C ABI status code (`code()`); `detail`
/// is an English message for logs (never key bytes, PINs or scanned text) and may change
/// between versions: branch on the variant or the code.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[non_exhaustive]
pub enum CareGuardError {
    /// An argument had the wrong length (e.g. a key that is not 32 bytes). Code 3.
    #[error("{detail}")]
    InvalidLength {
        /// What was wrong, for logs.
        detail: String,
    },
    /// An argument was out of range or otherwise unusable. Code 4.
    #[error("{detail}")]
    InvalidArgument {
        /// What was wrong, for logs.
        detail: String,
    },
    /// The core reported an error this version has no specific code for. Code 8.
    #[error("{detail}")]
    Internal {
        /// What was wrong, for logs.
        detail: String,
    },
    /// Input bytes break their layout rules or are not that kind of object. Code 10.
    #[error("{detail}")]
    Malformed {
        /// What was wrong, for logs.
        detail: String,
    },
    /// Input bytes end before a field their layout declares. Code 11.
    #[error("{detail}")]
    Truncated {
        /// What was wrong, for logs.
        detail: String,
    },
    /// A format version or cipher suite this library does not read. Code 12.
    #[error("{detail}")]
    UnsupportedVersion {
        /// What was wrong, for logs.
        detail: String,
    },
    /// Authentication failed: the bytes were altered or corrupted. Code 13.
    #[error("{detail}")]
    Tampered {
        /// What was wrong, for logs.
        detail: String,
    },
    /// An input is longer than the format's maximum. Code 14.
    #[error("{detail}")]
    TooLarge {
        /// What was wrong, for logs.
        detail: String,
    },
    /// No key in the key ring opens this envelope. Code 20.
    #[error("{detail}")]
    WrongKey {
        /// What was wrong, for logs.
        detail: String,
    },
    /// The envelope (or card) has expired; nothing was decrypted. Code 21.
    #[error("{detail}")]
    Expired {
        /// What was wrong, for logs.
        detail: String,
    },
    /// The envelope is bound to another conversation or sender. Code 22.
    #[error("{detail}")]
    WrongBinding {
        /// What was wrong, for logs.
        detail: String,
    },
    /// The PIN (or device secret) is wrong; the failed attempt is counted. Code 30.
    #[error("{detail}")]
    WrongPin {
        /// What was wrong, for logs.
        detail: String,
        /// Consecutive failures, this one included.
        failures: u32,
        /// Attempts left before the vault must be wiped.
        remaining: u32,
        /// When the next attempt is allowed (Unix seconds), if a delay is in force.
        retry_at: Option<u64>,
    },
    /// The PIN policy refused the PIN (too short, too common, a sequence...). Code 31.
    #[error("{detail}")]
    WeakPin {
        /// What was wrong, for logs.
        detail: String,
    },
    /// Too many failed attempts: wait until `retry_at`. Code 32.
    #[error("{detail}")]
    LockedOut {
        /// What was wrong, for logs.
        detail: String,
        /// Consecutive failures so far.
        failures: u32,
        /// When the next attempt is allowed (Unix seconds).
        retry_at: u64,
    },
    /// The failed-attempt limit is reached: store the tombstone from
    /// `wipeLocal(PIN_FAILURES, ...)` in place of the blob. Code 33.
    #[error("{detail}")]
    WipeRequired {
        /// What was wrong, for logs.
        detail: String,
        /// Consecutive failures so far.
        failures: u32,
    },
    /// The vault blob is a tombstone: the vault was wiped. Code 34.
    #[error("{detail}")]
    Wiped {
        /// What was wrong, for logs.
        detail: String,
    },
    /// The vault locked itself after being idle (or was locked): unlock again. Code 35.
    #[error("{detail}")]
    VaultLocked {
        /// What was wrong, for logs.
        detail: String,
    },
    /// This vault is bound to a device secret and none was given. Code 36.
    #[error("{detail}")]
    DeviceSecretRequired {
        /// What was wrong, for logs.
        detail: String,
    },
    /// A device secret was given for a vault that is not bound to one. Code 37.
    #[error("{detail}")]
    DeviceSecretUnexpected {
        /// What was wrong, for logs.
        detail: String,
    },
    /// Argon2 parameters below the minimum (19 MiB, t = 2). Code 38.
    #[error("{detail}")]
    ParamsTooWeak {
        /// What was wrong, for logs.
        detail: String,
    },
    /// Argon2 could not run (e.g. its memory could not be allocated). Code 39.
    #[error("{detail}")]
    KdfFailed {
        /// What was wrong, for logs.
        detail: String,
    },
    /// The blob store failed or threw, so the attempt was not counted and the PIN was
    /// not checked. Code 40.
    #[error("{detail}")]
    PersistFailed {
        /// What was wrong, for logs (includes the store's own error).
        detail: String,
    },
    /// The blob store answered `false`: the stored blob is no longer the one the attempt
    /// began from. The PIN was not checked: read the stored blob and try again. Code 41.
    #[error("{detail}")]
    StaleBlob {
        /// What was wrong, for logs.
        detail: String,
    },
    /// The key came from a vault that has since been locked or wiped. Code 42.
    #[error("{detail}")]
    KeyRevoked {
        /// What was wrong, for logs.
        detail: String,
    },
    /// The wipe order's signature does not verify. Code 50.
    #[error("{detail}")]
    BadSignature {
        /// What was wrong, for logs.
        detail: String,
    },
    /// The wipe order is authentic but names another device. Code 51.
    #[error("{detail}")]
    WrongDevice {
        /// What was wrong, for logs.
        detail: String,
    },
    /// The wipe order's counter is not above the last one accepted. Code 52.
    #[error("{detail}")]
    Replayed {
        /// What was wrong, for logs.
        detail: String,
    },
    /// The wipe order is for an earlier (or another) enrolment. Code 53.
    #[error("{detail}")]
    WrongEnrolment {
        /// What was wrong, for logs.
        detail: String,
    },
    /// A Trust hospital-number pattern is invalid or too big. Code 70.
    #[error("{detail}")]
    InvalidPattern {
        /// What was wrong, for logs.
        detail: String,
    },
    /// A device card's own (or rotation) signature does not verify. Code 90.
    #[error("{detail}")]
    BadDeviceSignature {
        /// What was wrong, for logs.
        detail: String,
    },
    /// A card's organisation attestation does not verify. Code 91.
    #[error("{detail}")]
    BadAttestation {
        /// What was wrong, for logs.
        detail: String,
    },
    /// Attestation is required and the card has none. Code 92.
    #[error("{detail}")]
    NotAttested {
        /// What was wrong, for logs.
        detail: String,
    },
    /// The organisation has revoked this device. Code 93.
    #[error("{detail}")]
    Revoked {
        /// What was wrong, for logs.
        detail: String,
    },
    /// The card is not valid yet. Code 94.
    #[error("{detail}")]
    NotYetValid {
        /// What was wrong, for logs.
        detail: String,
    },
    /// This device is not a recipient of the end-to-end envelope. Code 95.
    #[error("{detail}")]
    NotARecipient {
        /// What was wrong, for logs.
        detail: String,
    },
    /// The envelope is signed by a device whose card was not given. Code 96.
    #[error("{detail}")]
    UnknownSender {
        /// What was wrong, for logs.
        detail: String,
    },
    /// The sender's signature does not verify. Code 97.
    #[error("{detail}")]
    BadSenderSignature {
        /// What was wrong, for logs.
        detail: String,
    },
    /// The revocation list's signature does not verify. Code 98.
    #[error("{detail}")]
    BadRevocationSignature {
        /// What was wrong, for logs.
        detail: String,
    },
    /// A contact's new card is older than the one held (a replayed card). Code 99.
    #[error("{detail}")]
    SupersededCard {
        /// What was wrong, for logs.
        detail: String,
    },
}

/// Shorthand for results of exported functions.
pub(crate) type Result<T, E = CareGuardError> = core::result::Result<T, E>;

#[uniffi::export]
impl CareGuardError {
    /// The C ABI status code of this error (`cg_status`), e.g. 20 for `WrongKey`.
    pub fn code(&self) -> i32 {
        use CareGuardError as E;
        match self {
            E::InvalidLength { .. } => 3,
            E::InvalidArgument { .. } => 4,
            E::Internal { .. } => 8,
            E::Malformed { .. } => 10,
            E::Truncated { .. } => 11,
            E::UnsupportedVersion { .. } => 12,
            E::Tampered { .. } => 13,
            E::TooLarge { .. } => 14,
            E::WrongKey { .. } => 20,
            E::Expired { .. } => 21,
            E::WrongBinding { .. } => 22,
            E::WrongPin { .. } => 30,
            E::WeakPin { .. } => 31,
            E::LockedOut { .. } => 32,
            E::WipeRequired { .. } => 33,
            E::Wiped { .. } => 34,
            E::VaultLocked { .. } => 35,
            E::DeviceSecretRequired { .. } => 36,
            E::DeviceSecretUnexpected { .. } => 37,
            E::ParamsTooWeak { .. } => 38,
            E::KdfFailed { .. } => 39,
            E::PersistFailed { .. } => 40,
            E::StaleBlob { .. } => 41,
            E::KeyRevoked { .. } => 42,
            E::BadSignature { .. } => 50,
            E::WrongDevice { .. } => 51,
            E::Replayed { .. } => 52,
            E::WrongEnrolment { .. } => 53,
            E::InvalidPattern { .. } => 70,
            E::BadDeviceSignature { .. } => 90,
            E::BadAttestation { .. } => 91,
            E::NotAttested { .. } => 92,
            E::Revoked { .. } => 93,
            E::NotYetValid { .. } => 94,
            E::NotARecipient { .. } => 95,
            E::UnknownSender { .. } => 96,
            E::BadSenderSignature { .. } => 97,
            E::BadRevocationSignature { .. } => 98,
            E::SupersededCard { .. } => 99,
        }
    }

    /// The stable lower-case name of the code (`"wrong_key"`), as `cg_status_name`.
    pub fn name(&self) -> String {
        crate::status_name(self.code())
    }
}

impl CareGuardError {
    pub(crate) fn invalid_argument(detail: impl Into<String>) -> Self {
        Self::InvalidArgument {
            detail: detail.into(),
        }
    }

    pub(crate) fn invalid_length(detail: impl Into<String>) -> Self {
        Self::InvalidLength {
            detail: detail.into(),
        }
    }

    pub(crate) fn internal(detail: impl Into<String>) -> Self {
        Self::Internal {
            detail: detail.into(),
        }
    }
}

impl From<DetectError> for CareGuardError {
    fn from(err: DetectError) -> Self {
        let detail = err.to_string();
        match err {
            DetectError::InvalidPattern { .. } | DetectError::PatternTooBig { .. } => {
                Self::InvalidPattern { detail }
            }
            DetectError::TooMany { .. } => Self::TooLarge { detail },
            DetectError::BadEntry { .. } => Self::InvalidLength { detail },
            DetectError::BadThreshold => Self::InvalidArgument { detail },
            _ => Self::Internal { detail },
        }
    }
}

impl From<EnvelopeError> for CareGuardError {
    fn from(err: EnvelopeError) -> Self {
        let detail = err.to_string();
        match err {
            EnvelopeError::NotAnEnvelope | EnvelopeError::Malformed { .. } => {
                Self::Malformed { detail }
            }
            EnvelopeError::Truncated { .. } => Self::Truncated { detail },
            EnvelopeError::UnsupportedVersion(_) | EnvelopeError::UnsupportedSuite(_) => {
                Self::UnsupportedVersion { detail }
            }
            EnvelopeError::TooLarge { .. } | EnvelopeError::PayloadTooLarge { .. } => {
                Self::TooLarge { detail }
            }
            EnvelopeError::Expired { .. } => Self::Expired { detail },
            EnvelopeError::WrongKey { .. } => Self::WrongKey { detail },
            EnvelopeError::WrongBinding => Self::WrongBinding { detail },
            EnvelopeError::Tampered => Self::Tampered { detail },
            EnvelopeError::Usage { .. } => Self::InvalidArgument { detail },
            EnvelopeError::KeyRevoked => Self::KeyRevoked { detail },
            _ => Self::Internal { detail },
        }
    }
}

impl From<VaultError> for CareGuardError {
    fn from(err: VaultError) -> Self {
        let detail = err.to_string();
        match err {
            VaultError::Truncated { .. } => Self::Truncated { detail },
            VaultError::TrailingBytes { .. }
            | VaultError::BadMagic
            | VaultError::UnknownState(_)
            | VaultError::UnsupportedKdf(_)
            | VaultError::UnknownFlags(_)
            | VaultError::UnknownWipeReason(_) => Self::Malformed { detail },
            VaultError::UnsupportedVersion(_) => Self::UnsupportedVersion { detail },
            VaultError::InvalidParams { .. } | VaultError::InvalidPolicy(_) => {
                Self::InvalidArgument { detail }
            }
            VaultError::ParamsTooWeak { .. } => Self::ParamsTooWeak { detail },
            VaultError::WeakPin { .. } => Self::WeakPin { detail },
            VaultError::WrongPin {
                failures,
                remaining,
                retry_at,
            } => Self::WrongPin {
                detail,
                failures,
                remaining,
                retry_at,
            },
            VaultError::WipedAfterFailures { failures } => Self::WipeRequired { detail, failures },
            VaultError::LockedOut {
                failures, retry_at, ..
            } => Self::LockedOut {
                detail,
                failures,
                retry_at,
            },
            VaultError::Wiped { .. } => Self::Wiped { detail },
            VaultError::DeviceSecretRequired => Self::DeviceSecretRequired { detail },
            VaultError::DeviceSecretUnexpected => Self::DeviceSecretUnexpected { detail },
            VaultError::Locked { .. } => Self::VaultLocked { detail },
            VaultError::LabelTooLong { .. } => Self::InvalidLength { detail },
            VaultError::SecretTooLong { .. } => Self::TooLarge { detail },
            VaultError::Tampered => Self::Tampered { detail },
            VaultError::KdfFailed => Self::KdfFailed { detail },
            VaultError::PersistFailed => Self::PersistFailed { detail },
            VaultError::StaleBlob => Self::StaleBlob { detail },
            _ => Self::Internal { detail },
        }
    }
}

impl From<WipeError> for CareGuardError {
    fn from(err: WipeError) -> Self {
        let detail = err.to_string();
        match err {
            WipeError::Truncated { .. } => Self::Truncated { detail },
            WipeError::TrailingBytes { .. } | WipeError::BadMagic => Self::Malformed { detail },
            WipeError::UnsupportedVersion(_) => Self::UnsupportedVersion { detail },
            WipeError::InvalidDeviceIdLength(_) => Self::InvalidLength { detail },
            WipeError::BadSignature => Self::BadSignature { detail },
            WipeError::InvalidOrgKey => Self::InvalidArgument { detail },
            WipeError::WrongDevice => Self::WrongDevice { detail },
            WipeError::WrongEnrolment { .. } => Self::WrongEnrolment { detail },
            WipeError::Replayed { .. } => Self::Replayed { detail },
            _ => Self::Internal { detail },
        }
    }
}

impl From<IdentityError> for CareGuardError {
    fn from(err: IdentityError) -> Self {
        let detail = err.to_string();
        match err {
            IdentityError::Envelope(inner) => inner.into(),
            IdentityError::Vault(inner) => inner.into(),
            IdentityError::Truncated { .. } => Self::Truncated { detail },
            IdentityError::BadMagic { .. }
            | IdentityError::Malformed { .. }
            | IdentityError::TrailingBytes { .. }
            | IdentityError::BadQrPayload => Self::Malformed { detail },
            IdentityError::UnsupportedVersion { .. } => Self::UnsupportedVersion { detail },
            IdentityError::TooLong { .. } => Self::TooLarge { detail },
            IdentityError::BadDeviceSignature | IdentityError::BadRotationSignature => {
                Self::BadDeviceSignature { detail }
            }
            IdentityError::BadAttestation => Self::BadAttestation { detail },
            IdentityError::NotAttested => Self::NotAttested { detail },
            IdentityError::BadRevocationSignature => Self::BadRevocationSignature { detail },
            IdentityError::Revoked { .. } => Self::Revoked { detail },
            IdentityError::NotYetValid { .. }
            | IdentityError::SenderCardNotYetValid { .. }
            | IdentityError::RecipientCardNotYetValid { .. } => Self::NotYetValid { detail },
            IdentityError::Expired { .. }
            | IdentityError::MessageExpired { .. }
            | IdentityError::SenderCardExpired { .. }
            | IdentityError::RecipientCardExpired { .. } => Self::Expired { detail },
            IdentityError::SupersededCard { .. } => Self::SupersededCard { detail },
            IdentityError::HpkeOpen | IdentityError::NotARecipient => {
                Self::NotARecipient { detail }
            }
            IdentityError::UnknownSender { .. } => Self::UnknownSender { detail },
            IdentityError::BadSenderSignature => Self::BadSenderSignature { detail },
            IdentityError::StanzaCountMismatch { .. } => Self::Tampered { detail },
            IdentityError::InvalidArgument { .. } => Self::InvalidArgument { detail },
            IdentityError::KeyRevoked => Self::KeyRevoked { detail },
            _ => Self::Internal { detail },
        }
    }
}

/// The C ABI's status names by code (`cg_status_name`), including the codes this
/// binding never raises: 0 (success), 1 and 2 (NULL pointers and invalid UTF-8, which
/// generated bindings cannot pass) and 9 (a panic, which uniffi raises as its own
/// internal exception).
pub(crate) const STATUS_NAMES: &[(i32, &str)] = &[
    (0, "ok"),
    (1, "null_pointer"),
    (2, "invalid_utf8"),
    (3, "invalid_length"),
    (4, "invalid_argument"),
    (8, "internal"),
    (9, "panic"),
    (10, "malformed"),
    (11, "truncated"),
    (12, "unsupported_version"),
    (13, "tampered"),
    (14, "too_large"),
    (20, "wrong_key"),
    (21, "expired"),
    (22, "wrong_binding"),
    (30, "wrong_pin"),
    (31, "weak_pin"),
    (32, "locked_out"),
    (33, "wipe_required"),
    (34, "wiped"),
    (35, "vault_locked"),
    (36, "device_secret_required"),
    (37, "device_secret_unexpected"),
    (38, "params_too_weak"),
    (39, "kdf_failed"),
    (40, "persist_failed"),
    (41, "stale_blob"),
    (42, "key_revoked"),
    (50, "bad_signature"),
    (51, "wrong_device"),
    (52, "replayed"),
    (53, "wrong_enrolment"),
    (70, "invalid_pattern"),
    (90, "bad_device_signature"),
    (91, "bad_attestation"),
    (92, "not_attested"),
    (93, "revoked"),
    (94, "not_yet_valid"),
    (95, "not_a_recipient"),
    (96, "unknown_sender"),
    (97, "bad_sender_signature"),
    (98, "bad_revocation_signature"),
    (99, "superseded_card"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use careguard_ffi::CgStatus;

    fn one_of_each() -> Vec<CareGuardError> {
        use CareGuardError as E;
        let d = String::new;
        vec![
            E::InvalidLength { detail: d() },
            E::InvalidArgument { detail: d() },
            E::Internal { detail: d() },
            E::Malformed { detail: d() },
            E::Truncated { detail: d() },
            E::UnsupportedVersion { detail: d() },
            E::Tampered { detail: d() },
            E::TooLarge { detail: d() },
            E::WrongKey { detail: d() },
            E::Expired { detail: d() },
            E::WrongBinding { detail: d() },
            E::WrongPin {
                detail: d(),
                failures: 1,
                remaining: 9,
                retry_at: None,
            },
            E::WeakPin { detail: d() },
            E::LockedOut {
                detail: d(),
                failures: 6,
                retry_at: 30,
            },
            E::WipeRequired {
                detail: d(),
                failures: 10,
            },
            E::Wiped { detail: d() },
            E::VaultLocked { detail: d() },
            E::DeviceSecretRequired { detail: d() },
            E::DeviceSecretUnexpected { detail: d() },
            E::ParamsTooWeak { detail: d() },
            E::KdfFailed { detail: d() },
            E::PersistFailed { detail: d() },
            E::StaleBlob { detail: d() },
            E::KeyRevoked { detail: d() },
            E::BadSignature { detail: d() },
            E::WrongDevice { detail: d() },
            E::Replayed { detail: d() },
            E::WrongEnrolment { detail: d() },
            E::InvalidPattern { detail: d() },
            E::BadDeviceSignature { detail: d() },
            E::BadAttestation { detail: d() },
            E::NotAttested { detail: d() },
            E::Revoked { detail: d() },
            E::NotYetValid { detail: d() },
            E::NotARecipient { detail: d() },
            E::UnknownSender { detail: d() },
            E::BadSenderSignature { detail: d() },
            E::BadRevocationSignature { detail: d() },
            E::SupersededCard { detail: d() },
        ]
    }

    fn c_name(status: CgStatus) -> &'static str {
        status.name().to_str().unwrap()
    }

    #[test]
    fn every_error_has_the_c_abi_code_and_name() {
        let errors = one_of_each();
        // Codes a generated binding cannot produce: success, NULL pointers, invalid
        // UTF-8 (the generated code passes neither) and panics (uniffi's own exception).
        let not_raised = [
            CgStatus::Ok,
            CgStatus::NullPointer,
            CgStatus::InvalidUtf8,
            CgStatus::Panic,
        ];
        for status in CgStatus::ALL.iter().filter(|s| !not_raised.contains(s)) {
            let err = errors
                .iter()
                .find(|e| e.code() == *status as i32)
                .unwrap_or_else(|| panic!("no variant for {}", c_name(*status)));
            assert_eq!(err.name(), c_name(*status));
        }
        assert_eq!(errors.len(), CgStatus::ALL.len() - not_raised.len());
    }

    #[test]
    fn status_names_match_the_c_abi() {
        assert_eq!(STATUS_NAMES.len(), CgStatus::ALL.len());
        for status in CgStatus::ALL {
            assert_eq!(crate::status_name(*status as i32), c_name(*status));
        }
        assert_eq!(crate::status_name(7), "unknown");
        assert_eq!(crate::status_name(-1), "unknown");
    }

    #[test]
    fn core_errors_map_to_the_same_codes_as_the_c_abi() {
        let cases: Vec<(CareGuardError, CgStatus)> = vec![
            (EnvelopeError::WrongBinding.into(), CgStatus::WrongBinding),
            (EnvelopeError::KeyRevoked.into(), CgStatus::KeyRevoked),
            (
                EnvelopeError::Usage { reason: "x" }.into(),
                CgStatus::InvalidArgument,
            ),
            (VaultError::StaleBlob.into(), CgStatus::StaleBlob),
            (VaultError::PersistFailed.into(), CgStatus::PersistFailed),
            (
                VaultError::InvalidPolicy("x").into(),
                CgStatus::InvalidArgument,
            ),
            (
                VaultError::LabelTooLong { len: 65, max: 64 }.into(),
                CgStatus::InvalidLength,
            ),
            (WipeError::WrongDevice.into(), CgStatus::WrongDevice),
            (WipeError::InvalidOrgKey.into(), CgStatus::InvalidArgument),
            (DetectError::BadThreshold.into(), CgStatus::InvalidArgument),
            (
                IdentityError::StanzaCountMismatch {
                    signed: 1,
                    found: 2,
                }
                .into(),
                CgStatus::Tampered,
            ),
            (
                IdentityError::Envelope(EnvelopeError::Tampered).into(),
                CgStatus::Tampered,
            ),
            (IdentityError::HpkeOpen.into(), CgStatus::NotARecipient),
        ];
        for (err, status) in cases {
            assert_eq!(err.code(), status as i32, "{err}");
        }
    }

    #[test]
    fn wrong_pin_keeps_the_attempt_counters() {
        let err = CareGuardError::from(VaultError::WrongPin {
            failures: 2,
            remaining: 8,
            retry_at: Some(99),
        });
        match err {
            CareGuardError::WrongPin {
                failures,
                remaining,
                retry_at,
                ..
            } => assert_eq!((failures, remaining, retry_at), (2, 8, Some(99))),
            other => panic!("{other:?}"),
        }
    }
}
