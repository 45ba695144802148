//! Errors cross into JavaScript as one `CareguardError` class (see
//! `package-template/errors.js`) with a stable `code`, the failed `operation`, a
//! message for logs and, for some codes, `details` (numbers a UI can use, such as
//! the attempts left before a wipe). No message or detail holds a secret or patient
//! text: core's messages never do, and this module adds only argument names.

use careguard::detect::{Error as DetectError, UnknownKind};
use careguard::envelope::Error as EnvelopeError;
use careguard::vault::VaultError;
use careguard::{DecodeError, ErrorCode};
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

/// Every code this package can throw, in the order of `ERROR_CODES` in errors.js (the
/// node tests check that the two lists are the same). Names and numbers are core's
/// [`ErrorCode`]s, shared with the C ABI; the codes left out are those only C meets (null
/// pointers, invalid UTF-8, panics, persist callbacks) or that come from modules this
/// package does not export (wipe orders, audit logs, policy packs).
pub(crate) const CODES: &[ErrorCode] = &[
    ErrorCode::InvalidArgument,
    ErrorCode::InvalidLength,
    ErrorCode::Malformed,
    ErrorCode::Truncated,
    ErrorCode::UnsupportedVersion,
    ErrorCode::Tampered,
    ErrorCode::TooLarge,
    ErrorCode::WrongKey,
    ErrorCode::Expired,
    ErrorCode::WrongBinding,
    ErrorCode::WrongPin,
    ErrorCode::WeakPin,
    ErrorCode::LockedOut,
    ErrorCode::WipeRequired,
    ErrorCode::Wiped,
    ErrorCode::VaultLocked,
    ErrorCode::DeviceSecretRequired,
    ErrorCode::DeviceSecretUnexpected,
    ErrorCode::ParamsTooWeak,
    ErrorCode::KdfFailed,
    ErrorCode::InvalidPattern,
    ErrorCode::BadDeviceSignature,
    ErrorCode::BadAttestation,
    ErrorCode::NotAttested,
    ErrorCode::Revoked,
    ErrorCode::NotYetValid,
    ErrorCode::NotARecipient,
    ErrorCode::UnknownSender,
    ErrorCode::BadSenderSignature,
    ErrorCode::BadRevocationSignature,
    ErrorCode::SupersededCard,
    ErrorCode::Internal,
];

/// The JS code for a core code: itself when the package throws it; `vault_locked` for a
/// key revoked by its vault locking (the package has no `key_revoked`: in JS a key or
/// device keys outlive their vault only as long as it stays unlocked); `internal` for
/// the rest.
pub(crate) fn js_code(code: ErrorCode) -> ErrorCode {
    match code {
        ErrorCode::KeyRevoked => ErrorCode::VaultLocked,
        code if CODES.contains(&code) => code,
        _ => ErrorCode::Internal,
    }
}

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

    /// A core error, with its code mapped by [`js_code`].
    pub(crate) fn from_core<E: Coded>(operation: &'static str, err: &E) -> Self {
        Self {
            details: err.details(),
            ..Self::new(err.js_code(), operation, err.to_string())
        }
    }
}

impl From<Failure> for JsValue {
    fn from(f: Failure) -> JsValue {
        CareguardError::new(f.code, f.operation, &f.message, f.details).into()
    }
}

/// A core error on its way to JavaScript: its core code and its `details`.
pub(crate) trait Coded: core::fmt::Display {
    /// The core error's own `code()`.
    fn error_code(&self) -> ErrorCode;

    /// The code thrown to JavaScript, one of [`CODES`].
    fn js_code(&self) -> &'static str {
        js_code(self.error_code()).as_str()
    }

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
    fn error_code(&self) -> ErrorCode {
        self.code()
    }

    fn details(&self) -> JsValue {
        match self {
            Self::Decode(DecodeError::Truncated { needed, got, .. }) => {
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
    fn error_code(&self) -> ErrorCode {
        self.code()
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
            Self::Decode(DecodeError::Truncated { needed, got, .. }) => {
                object(&[("needed", count(*needed)), ("got", count(*got))])
            }
            _ => JsValue::UNDEFINED,
        }
    }
}

impl Coded for DetectError {
    fn error_code(&self) -> ErrorCode {
        self.code()
    }
}

impl Coded for UnknownKind {
    fn error_code(&self) -> ErrorCode {
        self.code()
    }
}

/// Every error code, for tests and for callers that want to list them.
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "ErrorCode[]")]
pub fn error_codes() -> Vec<String> {
    CODES.iter().map(|c| c.as_str().to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_code_becomes_one_the_package_throws() {
        for code in ErrorCode::ALL {
            assert!(CODES.contains(&js_code(*code)), "{code}");
        }
        for code in CODES {
            assert_eq!(js_code(*code), *code, "{code} is thrown as itself");
        }
        assert_eq!(js_code(ErrorCode::KeyRevoked), ErrorCode::VaultLocked);
        assert_eq!(js_code(ErrorCode::PersistFailed), ErrorCode::Internal);
    }
}
