//! Errors cross into JavaScript as one `CareguardError` class (see
//! `package-template/errors.js`) with a stable `code`, the failed `operation`, a
//! message for logs and, for some codes, `details` (numbers a UI can use, such as
//! the attempts left before a wipe). No message or detail holds a secret or patient
//! text: core's messages never do, and this module adds only argument names.

use careguard::detect::{Error as DetectError, UnknownKind};
use careguard::envelope::Error as EnvelopeError;
use careguard::vault::VaultError;
use wasm_bindgen::prelude::*;

use crate::convert::{object, seconds_to_js};

#[wasm_bindgen(raw_module = "./errors.js")]
extern "C" {
    /// The JS `CareguardError` class (a subclass of `Error`).
    #[wasm_bindgen(extends = js_sys::Error)]
    pub type CareguardError;

    #[wasm_bindgen(constructor)]
    fn new(code: &str, operation: &str, message: &str, details: JsValue) -> CareguardError;
}

/// Every code this module can produce, in the order of `ERROR_CODES` in errors.js
/// (the node tests check that the two lists are the same). The names and the mapping
/// from core errors are the C ABI's (`cg_status_name`, ffi/src/status.rs), less the
/// codes only C can meet (null pointers, invalid UTF-8, panics, persist callbacks).
pub(crate) const CODES: &[&str] = &[
    "invalid_argument",
    "invalid_length",
    "malformed",
    "truncated",
    "unsupported_version",
    "tampered",
    "too_large",
    "wrong_key",
    "expired",
    "wrong_binding",
    "wrong_pin",
    "weak_pin",
    "locked_out",
    "wipe_required",
    "wiped",
    "vault_locked",
    "device_secret_required",
    "device_secret_unexpected",
    "params_too_weak",
    "kdf_failed",
    "invalid_pattern",
    "bad_device_signature",
    "bad_attestation",
    "not_attested",
    "revoked",
    "not_yet_valid",
    "not_a_recipient",
    "unknown_sender",
    "bad_sender_signature",
    "bad_revocation_signature",
    "superseded_card",
    "internal",
];

/// A failure on its way to JavaScript.
pub(crate) struct Failure {
    code: &'static str,
    operation: &'static str,
    message: String,
    details: JsValue,
}

impl Failure {
    /// A failure with a code from [`CODES`]; the message must hold no secret or patient text.
    pub(crate) fn new(
        code: &'static str,
        operation: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            code,
            operation,
            message: message.into(),
            details: JsValue::UNDEFINED,
        }
    }

    /// A core error mapped through [`Coded`].
    pub(crate) fn from_core<E: Coded>(operation: &'static str, err: &E) -> Self {
        Self {
            details: err.details(),
            ..Self::new(err.code(), operation, err.to_string())
        }
    }
}

impl From<Failure> for JsValue {
    fn from(f: Failure) -> JsValue {
        CareguardError::new(f.code, f.operation, &f.message, f.details).into()
    }
}

/// Maps a core error onto one of [`CODES`].
pub(crate) trait Coded: core::fmt::Display {
    /// The stable code for this error.
    fn code(&self) -> &'static str;

    /// Extra fields for the JS error's `details`, or `undefined`.
    fn details(&self) -> JsValue {
        JsValue::UNDEFINED
    }
}

/// Adds `.js(operation)` to core results: maps the error into a `CareguardError`.
pub(crate) trait IntoJs<T> {
    /// Converts the error side into a thrown `CareguardError` for `operation`.
    fn js(self, operation: &'static str) -> Result<T, JsValue>;
}

impl<T, E: Coded> IntoJs<T> for Result<T, E> {
    fn js(self, operation: &'static str) -> Result<T, JsValue> {
        self.map_err(|e| Failure::from_core(operation, &e).into())
    }
}

fn count(n: usize) -> JsValue {
    // Lengths here are bounded by WASM's 32-bit address space, so f64 is exact.
    JsValue::from_f64(n as f64)
}

impl Coded for EnvelopeError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotAnEnvelope | Self::Malformed { .. } => "malformed",
            Self::Truncated { .. } => "truncated",
            Self::UnsupportedVersion(_) | Self::UnsupportedSuite(_) => "unsupported_version",
            Self::TooLarge { .. } | Self::PayloadTooLarge { .. } => "too_large",
            Self::Expired { .. } => "expired",
            Self::WrongKey { .. } => "wrong_key",
            Self::WrongBinding => "wrong_binding",
            Self::Tampered => "tampered",
            Self::Usage { .. } => "invalid_argument",
            // A key from a vault that has since been locked, freed or wiped.
            Self::KeyRevoked => "vault_locked",
            _ => "internal",
        }
    }

    fn details(&self) -> JsValue {
        match self {
            Self::Truncated { needed, got } => {
                object(&[("needed", count(*needed)), ("got", count(*got))])
            }
            Self::TooLarge { len, max } | Self::PayloadTooLarge { len, max } => {
                object(&[("len", count(*len)), ("max", count(*max))])
            }
            Self::Expired { expires_at, now } => object(&[
                ("expiresAt", seconds_to_js(*expires_at).into()),
                ("now", seconds_to_js(*now).into()),
            ]),
            Self::WrongKey { key_ids } => {
                let ids: js_sys::Array = key_ids.iter().map(|id| JsValue::from(*id)).collect();
                object(&[("keyIds", ids.into())])
            }
            _ => JsValue::UNDEFINED,
        }
    }
}

impl Coded for VaultError {
    fn code(&self) -> &'static str {
        match self {
            Self::Truncated { .. } => "truncated",
            Self::TrailingBytes { .. }
            | Self::BadMagic
            | Self::UnknownState(_)
            | Self::UnsupportedKdf(_)
            | Self::UnknownFlags(_)
            | Self::UnknownWipeReason(_) => "malformed",
            Self::UnsupportedVersion(_) => "unsupported_version",
            Self::InvalidParams { .. } | Self::InvalidPolicy(_) => "invalid_argument",
            Self::ParamsTooWeak { .. } => "params_too_weak",
            Self::WeakPin { .. } => "weak_pin",
            Self::WrongPin { .. } => "wrong_pin",
            Self::WipedAfterFailures { .. } => "wipe_required",
            Self::LockedOut { .. } => "locked_out",
            Self::Wiped { .. } => "wiped",
            Self::DeviceSecretRequired => "device_secret_required",
            Self::DeviceSecretUnexpected => "device_secret_unexpected",
            Self::Locked { .. } => "vault_locked",
            Self::LabelTooLong { .. } => "invalid_length",
            Self::SecretTooLong { .. } => "too_large",
            Self::Tampered => "tampered",
            Self::KdfFailed => "kdf_failed",
            _ => "internal",
        }
    }

    fn details(&self) -> JsValue {
        let opt_time = |t: &Option<u64>| t.map_or(JsValue::NULL, |t| seconds_to_js(t).into());
        match self {
            Self::WrongPin {
                failures,
                remaining,
                retry_at,
            } => object(&[
                ("failures", (*failures).into()),
                ("remaining", (*remaining).into()),
                ("retryAt", opt_time(retry_at)),
            ]),
            Self::LockedOut {
                failures,
                retry_at,
                now,
            } => object(&[
                ("failures", (*failures).into()),
                ("retryAt", seconds_to_js(*retry_at).into()),
                ("now", seconds_to_js(*now).into()),
            ]),
            Self::Wiped { reason, wiped_at } => object(&[
                ("reason", reason.as_str().into()),
                ("wipedAt", seconds_to_js(*wiped_at).into()),
            ]),
            Self::WipedAfterFailures { failures } => object(&[
                ("reason", "pin_failures".into()),
                ("failures", (*failures).into()),
            ]),
            Self::Truncated { needed, got } => {
                object(&[("needed", count(*needed)), ("got", count(*got))])
            }
            _ => JsValue::UNDEFINED,
        }
    }
}

impl Coded for DetectError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidPattern { .. } | Self::PatternTooBig { .. } => "invalid_pattern",
            Self::TooMany { .. } => "too_large",
            Self::BadEntry { .. } => "invalid_length",
            Self::BadThreshold => "invalid_argument",
            _ => "internal",
        }
    }
}

impl Coded for UnknownKind {
    fn code(&self) -> &'static str {
        "invalid_argument"
    }
}

/// Every error code, for tests and for callers that want to list them.
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "ErrorCode[]")]
pub fn error_codes() -> Vec<String> {
    CODES.iter().map(|c| (*c).to_owned()).collect()
}
