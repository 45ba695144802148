//! `CareGuardError`: one typed error per C ABI status code, with the same numbers.
//!
//! Each core error maps onto the variant of its core [`ErrorCode`] (the error's own
//! `code()`), whose number and name are the C ABI's (`ffi/`), so an app moving between
//! the C header and the generated bindings branches on the same codes. A test compares
//! every code and name with `careguard_ffi::CgStatus`.

use careguard::ErrorCode;
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
        self.error_code().number()
    }

    /// The stable lower-case name of the code (`"wrong_key"`), as `cg_status_name`.
    pub fn name(&self) -> String {
        self.error_code().as_str().to_owned()
    }
}

impl CareGuardError {
    /// The core code of this variant.
    pub(crate) fn error_code(&self) -> ErrorCode {
        use CareGuardError as E;
        match self {
            E::InvalidLength { .. } => ErrorCode::InvalidLength,
            E::InvalidArgument { .. } => ErrorCode::InvalidArgument,
            E::Internal { .. } => ErrorCode::Internal,
            E::Malformed { .. } => ErrorCode::Malformed,
            E::Truncated { .. } => ErrorCode::Truncated,
            E::UnsupportedVersion { .. } => ErrorCode::UnsupportedVersion,
            E::Tampered { .. } => ErrorCode::Tampered,
            E::TooLarge { .. } => ErrorCode::TooLarge,
            E::WrongKey { .. } => ErrorCode::WrongKey,
            E::Expired { .. } => ErrorCode::Expired,
            E::WrongBinding { .. } => ErrorCode::WrongBinding,
            E::WrongPin { .. } => ErrorCode::WrongPin,
            E::WeakPin { .. } => ErrorCode::WeakPin,
            E::LockedOut { .. } => ErrorCode::LockedOut,
            E::WipeRequired { .. } => ErrorCode::WipeRequired,
            E::Wiped { .. } => ErrorCode::Wiped,
            E::VaultLocked { .. } => ErrorCode::VaultLocked,
            E::DeviceSecretRequired { .. } => ErrorCode::DeviceSecretRequired,
            E::DeviceSecretUnexpected { .. } => ErrorCode::DeviceSecretUnexpected,
            E::ParamsTooWeak { .. } => ErrorCode::ParamsTooWeak,
            E::KdfFailed { .. } => ErrorCode::KdfFailed,
            E::PersistFailed { .. } => ErrorCode::PersistFailed,
            E::StaleBlob { .. } => ErrorCode::StaleBlob,
            E::KeyRevoked { .. } => ErrorCode::KeyRevoked,
            E::BadSignature { .. } => ErrorCode::BadSignature,
            E::WrongDevice { .. } => ErrorCode::WrongDevice,
            E::Replayed { .. } => ErrorCode::Replayed,
            E::WrongEnrolment { .. } => ErrorCode::WrongEnrolment,
            E::InvalidPattern { .. } => ErrorCode::InvalidPattern,
            E::BadDeviceSignature { .. } => ErrorCode::BadDeviceSignature,
            E::BadAttestation { .. } => ErrorCode::BadAttestation,
            E::NotAttested { .. } => ErrorCode::NotAttested,
            E::Revoked { .. } => ErrorCode::Revoked,
            E::NotYetValid { .. } => ErrorCode::NotYetValid,
            E::NotARecipient { .. } => ErrorCode::NotARecipient,
            E::UnknownSender { .. } => ErrorCode::UnknownSender,
            E::BadSenderSignature { .. } => ErrorCode::BadSenderSignature,
            E::BadRevocationSignature { .. } => ErrorCode::BadRevocationSignature,
            E::SupersededCard { .. } => ErrorCode::SupersededCard,
        }
    }

    /// The variant of a core error's code, with its message as `detail`.
    pub(crate) fn coded(code: ErrorCode, detail: String) -> Self {
        match code {
            ErrorCode::InvalidLength => Self::InvalidLength { detail },
            ErrorCode::InvalidArgument => Self::InvalidArgument { detail },
            ErrorCode::Internal => Self::Internal { detail },
            ErrorCode::Malformed => Self::Malformed { detail },
            ErrorCode::Truncated => Self::Truncated { detail },
            ErrorCode::UnsupportedVersion => Self::UnsupportedVersion { detail },
            ErrorCode::Tampered => Self::Tampered { detail },
            ErrorCode::TooLarge => Self::TooLarge { detail },
            ErrorCode::WrongKey => Self::WrongKey { detail },
            ErrorCode::Expired => Self::Expired { detail },
            ErrorCode::WrongBinding => Self::WrongBinding { detail },
            ErrorCode::WeakPin => Self::WeakPin { detail },
            ErrorCode::Wiped => Self::Wiped { detail },
            ErrorCode::VaultLocked => Self::VaultLocked { detail },
            ErrorCode::DeviceSecretRequired => Self::DeviceSecretRequired { detail },
            ErrorCode::DeviceSecretUnexpected => Self::DeviceSecretUnexpected { detail },
            ErrorCode::ParamsTooWeak => Self::ParamsTooWeak { detail },
            ErrorCode::KdfFailed => Self::KdfFailed { detail },
            ErrorCode::PersistFailed => Self::PersistFailed { detail },
            ErrorCode::StaleBlob => Self::StaleBlob { detail },
            ErrorCode::KeyRevoked => Self::KeyRevoked { detail },
            ErrorCode::BadSignature => Self::BadSignature { detail },
            ErrorCode::WrongDevice => Self::WrongDevice { detail },
            ErrorCode::Replayed => Self::Replayed { detail },
            ErrorCode::WrongEnrolment => Self::WrongEnrolment { detail },
            ErrorCode::InvalidPattern => Self::InvalidPattern { detail },
            ErrorCode::BadDeviceSignature => Self::BadDeviceSignature { detail },
            ErrorCode::BadAttestation => Self::BadAttestation { detail },
            ErrorCode::NotAttested => Self::NotAttested { detail },
            ErrorCode::Revoked => Self::Revoked { detail },
            ErrorCode::NotYetValid => Self::NotYetValid { detail },
            ErrorCode::NotARecipient => Self::NotARecipient { detail },
            ErrorCode::UnknownSender => Self::UnknownSender { detail },
            ErrorCode::BadSenderSignature => Self::BadSenderSignature { detail },
            ErrorCode::BadRevocationSignature => Self::BadRevocationSignature { detail },
            ErrorCode::SupersededCard => Self::SupersededCard { detail },
            // `wrong_pin`, `locked_out` and `wipe_required` come only from a VaultError,
            // whose conversion builds them with their counters; the codes a generated
            // binding cannot meet (NULL pointers, invalid UTF-8, panics) come from no
            // core error.
            _ => Self::Internal { detail },
        }
    }

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
        Self::coded(err.code(), err.to_string())
    }
}

impl From<EnvelopeError> for CareGuardError {
    fn from(err: EnvelopeError) -> Self {
        Self::coded(err.code(), err.to_string())
    }
}

impl From<VaultError> for CareGuardError {
    fn from(err: VaultError) -> Self {
        let detail = err.to_string();
        match err {
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
            other => Self::coded(other.code(), detail),
        }
    }
}

impl From<WipeError> for CareGuardError {
    fn from(err: WipeError) -> Self {
        Self::coded(err.code(), err.to_string())
    }
}

impl From<IdentityError> for CareGuardError {
    fn from(err: IdentityError) -> Self {
        // A wrapped envelope or vault error crosses as itself (its message, its counters).
        match err {
            IdentityError::Envelope(inner) => inner.into(),
            IdentityError::Vault(inner) => inner.into(),
            other => Self::coded(other.code(), other.to_string()),
        }
    }
}

/// The C ABI's status names by code (`cg_status_name`), including the codes this
/// binding never raises: 0 (success), 1 and 2 (NULL pointers and invalid UTF-8, which
/// generated bindings cannot pass) and 9 (a panic, which uniffi raises as its own
/// internal exception).
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
                EnvelopeError::InvalidArgument {
                    argument: "x",
                    reason: "x",
                }
                .into(),
                CgStatus::InvalidArgument,
            ),
            (VaultError::StaleBlob.into(), CgStatus::StaleBlob),
            (VaultError::PersistFailed.into(), CgStatus::PersistFailed),
            (
                VaultError::InvalidArgument {
                    argument: "x",
                    reason: "x",
                }
                .into(),
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
    fn every_core_code_becomes_its_own_variant() {
        // Built only by the vault conversion, with their counters.
        let counted = [
            ErrorCode::WrongPin,
            ErrorCode::LockedOut,
            ErrorCode::WipeRequired,
        ];
        // No core error has these codes.
        let c_only = [
            ErrorCode::NullPointer,
            ErrorCode::InvalidUtf8,
            ErrorCode::Panic,
        ];
        for code in ErrorCode::ALL {
            let err = CareGuardError::coded(*code, String::new());
            if counted.contains(code) || c_only.contains(code) {
                assert_eq!(err.error_code(), ErrorCode::Internal, "{code}");
            } else {
                assert_eq!(err.error_code(), *code);
            }
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
