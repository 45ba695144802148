//! The crate-level error and the one code family every binding exposes.
//!
//! Each module keeps its own error type, whose variants carry the evidence a log needs
//! (lengths, versions, times). [`ErrorCode`] is the short, stable classification of
//! those variants that the bindings branch on: `ffi` maps it onto `cg_status` (with the
//! same numbers, [`ErrorCode::number`]), `wasm` throws [`ErrorCode::as_str`] as the JS
//! error's `code`, and the uniffi and Python bindings raise one exception class per code.
//! The mapping from a module error onto its code is written once, in that module's
//! `code()`, so the bindings only convert.

use crate::{audit, detect, envelope, identity, trust, vault, wipe};

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $number:literal, $name:literal; )*) => {
        /// The stable classification of every careguard failure.
        ///
        /// Numbers and names never change and are never reused: they are the C ABI's
        /// `cg_status` values and names and the WASM package's error `code` strings. Branch
        /// on the code; messages are for logs and may change between versions.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
        }

        impl ErrorCode {
            /// Every code, in ascending [`ErrorCode::number`] order.
            pub const ALL: &'static [ErrorCode] = &[$( ErrorCode::$variant, )*];

            /// The stable lower-case name (`"wrong_pin"`): the C ABI's `cg_status_name`
            /// and the WASM error's `code`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( ErrorCode::$variant => $name, )*
                }
            }

            /// The stable number: the C ABI's `cg_status` value for this code.
            pub const fn number(self) -> i32 {
                match self {
                    $( ErrorCode::$variant => $number, )*
                }
            }
        }
    };
}

error_codes! {
    /// Only a binding meets it: a required pointer argument was NULL.
    NullPointer = 1, "null_pointer";
    /// Only a binding meets it: a text argument was not valid UTF-8.
    InvalidUtf8 = 2, "invalid_utf8";
    /// A buffer or argument had the wrong length (e.g. a key that is not 32 bytes).
    InvalidLength = 3, "invalid_length";
    /// An argument was out of range or otherwise unusable (misuse, never input bytes).
    InvalidArgument = 4, "invalid_argument";
    /// An error with no more specific code (a bug, or a failure that cannot happen for
    /// the bounded inputs used); the message says what it was.
    Internal = 8, "internal";
    /// Only a binding meets it: a panic was caught at the boundary (a careguard bug).
    Panic = 9, "panic";
    /// Input bytes break their layout rules or are not that kind of object at all.
    Malformed = 10, "malformed";
    /// Input bytes end before a field their layout declares.
    Truncated = 11, "truncated";
    /// Input bytes use a format version (or cipher suite) this library does not read.
    UnsupportedVersion = 12, "unsupported_version";
    /// Authentication failed: the bytes were altered or corrupted.
    Tampered = 13, "tampered";
    /// An input is longer than the format's (or the API's) maximum.
    TooLarge = 14, "too_large";
    /// No key in the key ring opens this envelope.
    WrongKey = 20, "wrong_key";
    /// The envelope, card or pack has expired; nothing was decrypted.
    Expired = 21, "expired";
    /// The envelope is bound to another conversation or sender.
    WrongBinding = 22, "wrong_binding";
    /// The PIN (or device secret) is wrong; the failed attempt is counted.
    WrongPin = 30, "wrong_pin";
    /// The PIN policy refused the PIN.
    WeakPin = 31, "weak_pin";
    /// Too many failed attempts: an escalating delay is in force.
    LockedOut = 32, "locked_out";
    /// The failed-attempt limit is reached: the vault is to be wiped.
    WipeRequired = 33, "wipe_required";
    /// The vault blob is a tombstone: the vault was wiped and its keys are gone.
    Wiped = 34, "wiped";
    /// The vault locked itself after being idle (or was locked).
    VaultLocked = 35, "vault_locked";
    /// This vault is bound to a device secret and none was given.
    DeviceSecretRequired = 36, "device_secret_required";
    /// A device secret was given for a vault that is not bound to one.
    DeviceSecretUnexpected = 37, "device_secret_unexpected";
    /// Argon2 parameters below the minimum were given.
    ParamsTooWeak = 38, "params_too_weak";
    /// Argon2 could not run (for example, its memory could not be allocated).
    KdfFailed = 39, "kdf_failed";
    /// The attempt could not be stored, so it was not counted and the PIN was not checked.
    PersistFailed = 40, "persist_failed";
    /// The stored blob is no longer the one the attempt began from.
    StaleBlob = 41, "stale_blob";
    /// The key came from a vault that has since been locked or wiped.
    KeyRevoked = 42, "key_revoked";
    /// A signature (wipe order, audit segment, policy pack) does not verify.
    BadSignature = 50, "bad_signature";
    /// An authentic order or log is for another device.
    WrongDevice = 51, "wrong_device";
    /// An authentic order or pack is not newer than the last one accepted.
    Replayed = 52, "replayed";
    /// The wipe order is for an earlier (or another) enrolment of this device id.
    WrongEnrolment = 53, "wrong_enrolment";
    /// A Trust hospital-number pattern does not compile, or compiles beyond the size limit.
    InvalidPattern = 70, "invalid_pattern";
    /// A device card's own (or rotation) signature does not verify.
    BadDeviceSignature = 90, "bad_device_signature";
    /// A card's organisation attestation does not verify under any trusted key.
    BadAttestation = 91, "bad_attestation";
    /// Attestation is required and the card has none.
    NotAttested = 92, "not_attested";
    /// The organisation has revoked this device.
    Revoked = 93, "revoked";
    /// A card or pack is not valid yet (its start is in the future).
    NotYetValid = 94, "not_yet_valid";
    /// This device is not a recipient of the end-to-end envelope.
    NotARecipient = 95, "not_a_recipient";
    /// The envelope is signed by a device whose card was not given.
    UnknownSender = 96, "unknown_sender";
    /// The sender's signature does not verify.
    BadSenderSignature = 97, "bad_sender_signature";
    /// The revocation list's signature does not verify under any trusted key.
    BadRevocationSignature = 98, "bad_revocation_signature";
    /// A contact's new card is older than the one held, or carries a rotated-away key.
    SupersededCard = 99, "superseded_card";
}

impl ErrorCode {
    /// The code named `name` ([`ErrorCode::as_str`]), if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == name)
    }

    /// The code numbered `number` ([`ErrorCode::number`]), if there is one.
    pub fn from_number(number: i32) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.number() == number)
    }
}

impl core::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A structure's bytes do not decode: the failures every binary format shares, embedded
/// in each module's error (its `Decode` variant).
///
/// Like the rest of careguard's hostile-input errors, these reveal only what the public
/// bytes do: lengths, a version byte, which structure was being read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input does not start with the structure's magic bytes.
    #[error("not a careguard {what} (bad magic)")]
    BadMagic {
        /// Which structure was expected ("envelope", "vault blob", ...).
        what: &'static str,
    },
    /// The structure's version byte is one this library does not read.
    #[error("unsupported {what} version {version}")]
    UnsupportedVersion {
        /// Which structure.
        what: &'static str,
        /// The version byte found.
        version: u8,
    },
    /// The input ends before a field it declares.
    #[error("truncated {what}: needed {needed} bytes, got {got}")]
    Truncated {
        /// Which structure was being read.
        what: &'static str,
        /// Bytes needed to read the next field (from the structure's start).
        needed: usize,
        /// Bytes there were.
        got: usize,
    },
    /// Bytes follow the end of a well-formed structure (encodings are canonical).
    #[error("trailing bytes after {what}: {expected} bytes expected, {got} given")]
    TrailingBytes {
        /// Which structure.
        what: &'static str,
        /// The structure's length.
        expected: usize,
        /// Bytes given.
        got: usize,
    },
    /// A length read from the input exceeds its documented maximum.
    #[error("{what} is {len} bytes, longer than the maximum {max}")]
    TooLong {
        /// The field.
        what: &'static str,
        /// Its length.
        len: usize,
        /// The maximum (a public constant).
        max: usize,
    },
}

impl DecodeError {
    /// The stable code the bindings report for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::BadMagic { .. } | Self::TrailingBytes { .. } => ErrorCode::Malformed,
            Self::UnsupportedVersion { .. } => ErrorCode::UnsupportedVersion,
            Self::Truncated { .. } => ErrorCode::Truncated,
            Self::TooLong { .. } => ErrorCode::TooLarge,
        }
    }
}

/// Any careguard error, so that `?` works across modules.
///
/// Each variant wraps one module's error unchanged: its message is the module error's and
/// [`Error::code`] is the module error's `code()`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Sealing or opening an envelope.
    #[error(transparent)]
    Envelope(#[from] envelope::Error),
    /// A vault operation.
    #[error(transparent)]
    Vault(#[from] vault::VaultError),
    /// Reading, checking or using identity data.
    #[error(transparent)]
    Identity(#[from] identity::IdentityError),
    /// A wipe order.
    #[error(transparent)]
    Wipe(#[from] wipe::WipeError),
    /// An audit log or segment.
    #[error(transparent)]
    Audit(#[from] audit::AuditError),
    /// A policy pack or emergency order.
    #[error(transparent)]
    Trust(#[from] trust::TrustError),
    /// Building a scanner.
    #[error(transparent)]
    Detect(#[from] detect::Error),
    /// An identifier kind name that is not one of [`detect::Kind`]'s.
    #[error(transparent)]
    UnknownKind(#[from] detect::UnknownKind),
}

impl Error {
    /// The stable code of the wrapped error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Envelope(e) => e.code(),
            Error::Vault(e) => e.code(),
            Error::Identity(e) => e.code(),
            Error::Wipe(e) => e.code(),
            Error::Audit(e) => e.code(),
            Error::Trust(e) => e.code(),
            Error::Detect(e) => e.code(),
            Error::UnknownKind(e) => e.code(),
        }
    }
}

/// `Result` with the crate-level [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_names_are_unique_and_round_trip() {
        for (i, code) in ErrorCode::ALL.iter().enumerate() {
            assert_eq!(ErrorCode::from_name(code.as_str()), Some(*code));
            assert_eq!(ErrorCode::from_number(code.number()), Some(*code));
            assert_eq!(code.to_string(), code.as_str());
            for other in &ErrorCode::ALL[i + 1..] {
                assert!(code.number() < other.number(), "{code} before {other}");
                assert_ne!(code.as_str(), other.as_str());
            }
        }
        assert_eq!(ErrorCode::from_name("ok"), None);
        assert_eq!(ErrorCode::from_number(0), None);
        assert_eq!(ErrorCode::from_number(7), None);
    }

    #[test]
    fn question_mark_crosses_modules_and_keeps_message_and_code() {
        fn both() -> Result<()> {
            Err(wipe::WipeError::WrongDevice)?;
            Ok(())
        }
        let err = both().unwrap_err();
        assert_eq!(err.code(), ErrorCode::WrongDevice);
        assert_eq!(err.to_string(), wipe::WipeError::WrongDevice.to_string());
        let err = Error::from(envelope::Error::Tampered);
        assert_eq!(err.code(), ErrorCode::Tampered);
    }
}
