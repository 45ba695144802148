//! Errors cross into JavaScript as one `CareguardError` class (see
//! `package-template/errors.js`) with a stable `code`, the failed `operation` and a
//! message for logs.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(raw_module = "./errors.js")]
extern "C" {
    /// The JS `CareguardError` class (a subclass of `Error`).
    #[wasm_bindgen(extends = js_sys::Error)]
    pub type CareguardError;

    #[wasm_bindgen(constructor)]
    fn new(code: &str, operation: &str, message: &str) -> CareguardError;
}

/// Every code this module can produce, in the order of `ERROR_CODES` in errors.js
/// (the node tests check that the two lists are the same).
pub(crate) const CODES: &[&str] = &[
    "invalid_argument",
    "invalid_length",
    "invalid_utf8",
    "invalid_config",
    "truncated",
    "bad_magic",
    "unsupported_version",
    "unsupported_suite",
    "malformed",
    "too_large",
    "wrong_key",
    "tampered",
    "expired",
    "weak_pin",
    "wrong_pin",
    "locked_out",
    "wiped",
    "internal",
];

/// A failure on its way to JavaScript.
pub(crate) struct Failure {
    code: &'static str,
    operation: &'static str,
    message: String,
}

impl Failure {
    /// A failure with a code from [`CODES`]; the message must hold no secret or patient text.
    pub(crate) fn new(code: &'static str, operation: &'static str, message: impl Into<String>) -> Self {
        debug_assert!(CODES.contains(&code), "unknown error code {code}");
        Self { code, operation, message: message.into() }
    }

    /// A core error mapped through [`Coded`].
    pub(crate) fn from_core<E: Coded>(operation: &'static str, err: &E) -> Self {
        Self::new(err.code(), operation, err.to_string())
    }
}

impl From<Failure> for JsValue {
    fn from(f: Failure) -> JsValue {
        CareguardError::new(f.code, f.operation, &f.message).into()
    }
}

/// Maps a core error onto one of [`CODES`].
pub(crate) trait Coded: core::fmt::Display {
    /// The stable code for this error.
    fn code(&self) -> &'static str;
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

/// Every error code, for tests and for callers that want to list them.
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "ErrorCode[]")]
pub fn error_codes() -> Vec<String> {
    CODES.iter().map(|c| (*c).to_owned()).collect()
}
