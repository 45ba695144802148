//! `cg_status`: the one return code of every fallible C function.

use core::ffi::{CStr, c_char};

use careguard::ErrorCode;

/// Result of a careguard C call.
///
/// Numbers are explicit and never reused (a retired code stays reserved), grouped:
/// 0-9 arguments and internal errors, 10-19 input formats (shared by every parser),
/// 20-29 envelope, 30-49 vault, 50-59 wipe, 60-69 retention, 70-79 detect,
/// 80-89 policy, 90-99 identity. `CG_STATUS_OK` is 0. Branch on the code; the text from
/// `cg_last_error_message` is for logs and may change between versions.
/// `cg_status_name` gives a stable lower-case name per code (the same names the WASM
/// package uses as error codes).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CgStatus {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL (or a buffer pointer was NULL with a
    /// non-zero length).
    NullPointer = 1,
    /// A text argument was not valid UTF-8.
    InvalidUtf8 = 2,
    /// A buffer had the wrong length (e.g. a key that is not 32 bytes).
    InvalidLength = 3,
    /// An argument was out of range or otherwise unusable (e.g. an index past the end).
    InvalidArgument = 4,
    /// The core reported an error this version of the C ABI has no specific code
    /// for; the last-error message says what it was.
    Internal = 8,
    /// A panic was caught at the boundary. This is a careguard bug; please report it.
    Panic = 9,
    /// Input bytes (an envelope, vault blob, wipe order) break their layout rules or
    /// are not that kind of object at all.
    Malformed = 10,
    /// Input bytes end before a field their layout declares.
    Truncated = 11,
    /// Input bytes use a format version (or cipher suite) this library does not read.
    UnsupportedVersion = 12,
    /// Authentication failed: the bytes were altered or corrupted.
    Tampered = 13,
    /// An input is longer than the format's maximum.
    TooLarge = 14,
    /// No key in the key ring opens this envelope.
    WrongKey = 20,
    /// The envelope's expiry has passed; nothing was decrypted.
    Expired = 21,
    /// The envelope is bound to another conversation or sender.
    WrongBinding = 22,
    /// The PIN (or device secret) is wrong; the failed attempt is counted.
    WrongPin = 30,
    /// The PIN policy refused the PIN (too short, too common, a sequence...).
    WeakPin = 31,
    /// Too many failed attempts: an escalating delay is in force (see `cg_unlock_info`).
    LockedOut = 32,
    /// The failed-attempt limit is reached: store the tombstone from
    /// `cg_wipe_local(CG_LOCAL_WIPE_REASON_PIN_FAILURES, ...)` in place of the blob.
    WipeRequired = 33,
    /// The vault blob is a tombstone: the vault was wiped and its keys are gone.
    Wiped = 34,
    /// The vault handle locked itself after being idle (or was locked): unlock again.
    VaultLocked = 35,
    /// This vault is bound to a device secret and none was given.
    DeviceSecretRequired = 36,
    /// A device secret was given for a vault that is not bound to one.
    DeviceSecretUnexpected = 37,
    /// Argon2 parameters below the minimum (19 MiB, t = 2) were given.
    ParamsTooWeak = 38,
    /// Argon2 could not run (for example, its memory could not be allocated).
    KdfFailed = 39,
    /// The app's persist callback did not return `CG_PERSIST_STORED` (it failed, threw,
    /// or returned anything else), so the attempt was not counted and the PIN was not
    /// checked.
    PersistFailed = 40,
    /// The persist callback returned `CG_PERSIST_STALE`: the stored blob is no longer the
    /// one the attempt began from (another attempt counted first, or the blob passed in
    /// was a cached copy). The PIN was not checked: read the stored blob and try again.
    StaleBlob = 41,
    /// The key came from a vault that has since been locked or wiped: keys added with
    /// `cg_keyring_insert_vault_kek` and device keys from `cg_device_keys_unwrap_from_vault`
    /// live only while that vault stays unlocked.
    KeyRevoked = 42,
    /// The wipe order's signature does not verify under the organisation key.
    BadSignature = 50,
    /// The wipe order is authentic but names another device.
    WrongDevice = 51,
    /// The wipe order's counter is not above the last one this device accepted.
    Replayed = 52,
    /// The wipe order is for an earlier (or another) enrolment of this device id.
    WrongEnrolment = 53,
    /// A Trust hospital-number pattern is not a valid regular expression, or
    /// compiles beyond the size limit.
    InvalidPattern = 70,
    /// A device card's own (or rotation) signature does not verify.
    BadDeviceSignature = 90,
    /// A card's organisation attestation does not verify under any trusted key.
    BadAttestation = 91,
    /// Attestation is required and the card has none.
    NotAttested = 92,
    /// The organisation has revoked this device.
    Revoked = 93,
    /// The card is not valid yet (its creation time is in the future).
    NotYetValid = 94,
    /// This device is not a recipient of the end-to-end envelope.
    NotARecipient = 95,
    /// The envelope is signed by a device whose card was not given.
    UnknownSender = 96,
    /// The sender's signature does not verify.
    BadSenderSignature = 97,
    /// The revocation list's signature does not verify under any trusted key.
    BadRevocationSignature = 98,
    /// A contact's new card is older than the one held, or carries a key the held card
    /// rotated away from (a replayed, superseded card).
    SupersededCard = 99,
}

impl CgStatus {
    /// Every code, for tests and for `cg_status_name`.
    pub const ALL: &'static [CgStatus] = &[
        CgStatus::Ok,
        CgStatus::NullPointer,
        CgStatus::InvalidUtf8,
        CgStatus::InvalidLength,
        CgStatus::InvalidArgument,
        CgStatus::Internal,
        CgStatus::Panic,
        CgStatus::Malformed,
        CgStatus::Truncated,
        CgStatus::UnsupportedVersion,
        CgStatus::Tampered,
        CgStatus::TooLarge,
        CgStatus::WrongKey,
        CgStatus::Expired,
        CgStatus::WrongBinding,
        CgStatus::WrongPin,
        CgStatus::WeakPin,
        CgStatus::LockedOut,
        CgStatus::WipeRequired,
        CgStatus::Wiped,
        CgStatus::VaultLocked,
        CgStatus::DeviceSecretRequired,
        CgStatus::DeviceSecretUnexpected,
        CgStatus::ParamsTooWeak,
        CgStatus::KdfFailed,
        CgStatus::PersistFailed,
        CgStatus::StaleBlob,
        CgStatus::KeyRevoked,
        CgStatus::BadSignature,
        CgStatus::WrongDevice,
        CgStatus::Replayed,
        CgStatus::WrongEnrolment,
        CgStatus::InvalidPattern,
        CgStatus::BadDeviceSignature,
        CgStatus::BadAttestation,
        CgStatus::NotAttested,
        CgStatus::Revoked,
        CgStatus::NotYetValid,
        CgStatus::NotARecipient,
        CgStatus::UnknownSender,
        CgStatus::BadSenderSignature,
        CgStatus::BadRevocationSignature,
        CgStatus::SupersededCard,
    ];

    /// The stable lower-case name of this code.
    pub fn name(self) -> &'static CStr {
        match self {
            CgStatus::Ok => c"ok",
            CgStatus::NullPointer => c"null_pointer",
            CgStatus::InvalidUtf8 => c"invalid_utf8",
            CgStatus::InvalidLength => c"invalid_length",
            CgStatus::InvalidArgument => c"invalid_argument",
            CgStatus::Internal => c"internal",
            CgStatus::Panic => c"panic",
            CgStatus::Malformed => c"malformed",
            CgStatus::Truncated => c"truncated",
            CgStatus::UnsupportedVersion => c"unsupported_version",
            CgStatus::Tampered => c"tampered",
            CgStatus::TooLarge => c"too_large",
            CgStatus::WrongKey => c"wrong_key",
            CgStatus::Expired => c"expired",
            CgStatus::WrongBinding => c"wrong_binding",
            CgStatus::WrongPin => c"wrong_pin",
            CgStatus::WeakPin => c"weak_pin",
            CgStatus::LockedOut => c"locked_out",
            CgStatus::WipeRequired => c"wipe_required",
            CgStatus::Wiped => c"wiped",
            CgStatus::VaultLocked => c"vault_locked",
            CgStatus::DeviceSecretRequired => c"device_secret_required",
            CgStatus::DeviceSecretUnexpected => c"device_secret_unexpected",
            CgStatus::ParamsTooWeak => c"params_too_weak",
            CgStatus::KdfFailed => c"kdf_failed",
            CgStatus::PersistFailed => c"persist_failed",
            CgStatus::StaleBlob => c"stale_blob",
            CgStatus::KeyRevoked => c"key_revoked",
            CgStatus::BadSignature => c"bad_signature",
            CgStatus::WrongDevice => c"wrong_device",
            CgStatus::Replayed => c"replayed",
            CgStatus::WrongEnrolment => c"wrong_enrolment",
            CgStatus::InvalidPattern => c"invalid_pattern",
            CgStatus::BadDeviceSignature => c"bad_device_signature",
            CgStatus::BadAttestation => c"bad_attestation",
            CgStatus::NotAttested => c"not_attested",
            CgStatus::Revoked => c"revoked",
            CgStatus::NotYetValid => c"not_yet_valid",
            CgStatus::NotARecipient => c"not_a_recipient",
            CgStatus::UnknownSender => c"unknown_sender",
            CgStatus::BadSenderSignature => c"bad_sender_signature",
            CgStatus::BadRevocationSignature => c"bad_revocation_signature",
            CgStatus::SupersededCard => c"superseded_card",
        }
    }
}

/// The one table from core's error codes to C statuses. Numbers are
/// [`ErrorCode::number`]'s (a test checks each row).
impl From<ErrorCode> for CgStatus {
    fn from(code: ErrorCode) -> Self {
        match code {
            ErrorCode::NullPointer => CgStatus::NullPointer,
            ErrorCode::InvalidUtf8 => CgStatus::InvalidUtf8,
            ErrorCode::InvalidLength => CgStatus::InvalidLength,
            ErrorCode::InvalidArgument => CgStatus::InvalidArgument,
            ErrorCode::Internal => CgStatus::Internal,
            ErrorCode::Panic => CgStatus::Panic,
            ErrorCode::Malformed => CgStatus::Malformed,
            ErrorCode::Truncated => CgStatus::Truncated,
            ErrorCode::UnsupportedVersion => CgStatus::UnsupportedVersion,
            ErrorCode::Tampered => CgStatus::Tampered,
            ErrorCode::TooLarge => CgStatus::TooLarge,
            ErrorCode::WrongKey => CgStatus::WrongKey,
            ErrorCode::Expired => CgStatus::Expired,
            ErrorCode::WrongBinding => CgStatus::WrongBinding,
            ErrorCode::WrongPin => CgStatus::WrongPin,
            ErrorCode::WeakPin => CgStatus::WeakPin,
            ErrorCode::LockedOut => CgStatus::LockedOut,
            ErrorCode::WipeRequired => CgStatus::WipeRequired,
            ErrorCode::Wiped => CgStatus::Wiped,
            ErrorCode::VaultLocked => CgStatus::VaultLocked,
            ErrorCode::DeviceSecretRequired => CgStatus::DeviceSecretRequired,
            ErrorCode::DeviceSecretUnexpected => CgStatus::DeviceSecretUnexpected,
            ErrorCode::ParamsTooWeak => CgStatus::ParamsTooWeak,
            ErrorCode::KdfFailed => CgStatus::KdfFailed,
            ErrorCode::PersistFailed => CgStatus::PersistFailed,
            ErrorCode::StaleBlob => CgStatus::StaleBlob,
            ErrorCode::KeyRevoked => CgStatus::KeyRevoked,
            ErrorCode::BadSignature => CgStatus::BadSignature,
            ErrorCode::WrongDevice => CgStatus::WrongDevice,
            ErrorCode::Replayed => CgStatus::Replayed,
            ErrorCode::WrongEnrolment => CgStatus::WrongEnrolment,
            ErrorCode::InvalidPattern => CgStatus::InvalidPattern,
            ErrorCode::BadDeviceSignature => CgStatus::BadDeviceSignature,
            ErrorCode::BadAttestation => CgStatus::BadAttestation,
            ErrorCode::NotAttested => CgStatus::NotAttested,
            ErrorCode::Revoked => CgStatus::Revoked,
            ErrorCode::NotYetValid => CgStatus::NotYetValid,
            ErrorCode::NotARecipient => CgStatus::NotARecipient,
            ErrorCode::UnknownSender => CgStatus::UnknownSender,
            ErrorCode::BadSenderSignature => CgStatus::BadSenderSignature,
            ErrorCode::BadRevocationSignature => CgStatus::BadRevocationSignature,
            ErrorCode::SupersededCard => CgStatus::SupersededCard,
            // A code newer than this table: the caller still gets a failure, and the
            // last-error message says what it was.
            _ => CgStatus::Internal,
        }
    }
}

/// The stable lower-case name of a status code (`"ok"`, `"wrong_key"`, ...), or
/// `"unknown"` for a number this version does not define.
///
/// Takes the code as a plain integer so that any value a caller holds is safe to
/// pass. The returned string is static: do not free it. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cg_status_name(status: i32) -> *const c_char {
    CgStatus::ALL
        .iter()
        .find(|s| **s as i32 == status)
        .map_or(c"unknown", |s| s.name())
        .as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique() {
        let codes: HashSet<i32> = CgStatus::ALL.iter().map(|s| *s as i32).collect();
        let names: HashSet<&CStr> = CgStatus::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(codes.len(), CgStatus::ALL.len());
        assert_eq!(names.len(), CgStatus::ALL.len());
    }

    #[test]
    fn every_error_code_is_the_status_with_its_number_and_name() {
        for code in ErrorCode::ALL {
            let status = CgStatus::from(*code);
            assert_eq!(status as i32, code.number(), "{code}");
            assert_eq!(status.name().to_str(), Ok(code.as_str()));
        }
        // Every status but success is some core code, so the lists cannot drift apart.
        for status in CgStatus::ALL.iter().filter(|s| **s != CgStatus::Ok) {
            assert!(
                ErrorCode::from_number(*status as i32).is_some(),
                "{status:?} has no ErrorCode"
            );
        }
        assert_eq!(CgStatus::ALL.len(), ErrorCode::ALL.len() + 1);
    }

    #[test]
    fn status_name_round_trips_and_rejects_unknown_numbers() {
        for s in CgStatus::ALL {
            // SAFETY: cg_status_name returns a pointer into a static C string literal.
            let name = unsafe { CStr::from_ptr(cg_status_name(*s as i32)) };
            assert_eq!(name, s.name());
        }
        for n in [-1, 7, 1000, i32::MIN, i32::MAX] {
            // SAFETY: as above.
            let name = unsafe { CStr::from_ptr(cg_status_name(n)) };
            assert_eq!(name, c"unknown");
        }
    }
}
