//! Typed exceptions carrying the C ABI's status codes.
//!
//! Every `cg_status` but `ok` has one exception class, `CamelCaseNameError`, a
//! subclass of `careguard.CareguardError` with class attributes `code` (the C ABI's
//! number) and `name` (its stable lower-case name, as `cg_status_name` gives). An app
//! that already branches on C codes branches on the same numbers in Python.

use careguard::{detect, envelope, vault};
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

pyo3::create_exception!(
    careguard,
    CareguardError,
    PyException,
    "Base class of every careguard error; `code` and `name` are the C ABI's status."
);

/// The C ABI's status codes and names (ffi/src/status.rs), `ok` left out. The Python
/// tests compare this table with the C library's `cg_status_name`.
pub(crate) const STATUSES: &[(i32, &str)] = &[
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

/// Codes whose exceptions are also `ValueError`s, so generic argument handling catches them.
const VALUE_ERRORS: &[i32] = &[2, 3, 4, 14, 31, 38, 70];

pub(crate) const INVALID_LENGTH: i32 = 3;
pub(crate) const INVALID_ARGUMENT: i32 = 4;
pub(crate) const INTERNAL: i32 = 8;
pub(crate) const VAULT_LOCKED: i32 = 35;
pub(crate) const PERSIST_FAILED: i32 = 40;

static CLASSES: PyOnceLock<Vec<(i32, Py<PyType>)>> = PyOnceLock::new();

/// `wrong_pin` -> `WrongPinError`.
fn class_name(status: &str) -> String {
    let mut out = String::with_capacity(status.len() + 5);
    for word in status.split('_') {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out.push_str("Error");
    out
}

fn classes(py: Python<'_>) -> PyResult<&Vec<(i32, Py<PyType>)>> {
    CLASSES.get_or_try_init(py, || {
        let base = py.get_type::<CareguardError>();
        let value_error = py.get_type::<PyValueError>();
        let type_ = py.get_type::<PyType>();
        STATUSES
            .iter()
            .map(|&(code, name)| {
                let bases = if VALUE_ERRORS.contains(&code) {
                    PyTuple::new(py, [base.clone(), value_error.clone()])?
                } else {
                    PyTuple::new(py, [base.clone()])?
                };
                let attrs = PyDict::new(py);
                attrs.set_item("code", code)?;
                attrs.set_item("name", name)?;
                attrs.set_item("__module__", "careguard")?;
                attrs.set_item(
                    "__doc__",
                    format!("careguard status `{name}` (C ABI code {code})."),
                )?;
                let class = type_.call1((class_name(name), bases, attrs))?;
                Ok((code, class.cast_into::<PyType>()?.unbind()))
            })
            .collect()
    })
}

/// Adds `CareguardError` and every status class to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let base = py.get_type::<CareguardError>();
    base.setattr("code", INTERNAL)?;
    base.setattr("name", "internal")?;
    m.add("CareguardError", base)?;
    for (_, class) in classes(py)? {
        let class = class.bind(py);
        m.add(class.name()?.to_string(), class)?;
    }
    Ok(())
}

/// The exception for C ABI status `code` with `message` (never scanned text, keys or PINs).
pub(crate) fn error(code: i32, message: impl Into<String>) -> PyErr {
    let message = message.into();
    Python::attach(|py| match classes(py) {
        Ok(all) => match all.iter().find(|(c, _)| *c == code) {
            Some((_, class)) => PyErr::from_type(class.bind(py).clone(), message),
            None => CareguardError::new_err(message),
        },
        Err(e) => e,
    })
}

/// The C ABI's code for a scanner-building error (as `ffi/src/detect.rs` maps it).
pub(crate) fn detect_error(err: &detect::Error) -> PyErr {
    let code = match err {
        detect::Error::InvalidPattern { .. } | detect::Error::PatternTooBig { .. } => 70,
        detect::Error::TooMany { .. } => 14,
        detect::Error::BadEntry { .. } => INVALID_LENGTH,
        detect::Error::BadThreshold => INVALID_ARGUMENT,
        _ => INTERNAL,
    };
    error(code, err.to_string())
}

/// The C ABI's code for an envelope error (as `ffi/src/envelope.rs` maps it).
pub(crate) fn envelope_error(err: &envelope::Error) -> PyErr {
    use envelope::Error as E;
    let code = match err {
        E::NotAnEnvelope | E::Malformed { .. } => 10,
        E::Truncated { .. } => 11,
        E::UnsupportedVersion(_) | E::UnsupportedSuite(_) => 12,
        E::TooLarge { .. } | E::PayloadTooLarge { .. } => 14,
        E::Expired { .. } => 21,
        E::WrongKey { .. } => 20,
        E::WrongBinding => 22,
        E::Tampered => 13,
        E::Usage { .. } => INVALID_ARGUMENT,
        E::KeyRevoked => 42,
        _ => INTERNAL,
    };
    error(code, err.to_string())
}

/// The C ABI's code for a vault error (as `ffi/src/vault.rs` maps it).
pub(crate) fn vault_error(err: &vault::VaultError) -> PyErr {
    use vault::VaultError as E;
    let code = match err {
        E::Truncated { .. } => 11,
        E::TrailingBytes { .. }
        | E::BadMagic
        | E::UnknownState(_)
        | E::UnsupportedKdf(_)
        | E::UnknownFlags(_)
        | E::UnknownWipeReason(_) => 10,
        E::UnsupportedVersion(_) => 12,
        E::InvalidParams { .. } | E::InvalidPolicy(_) => INVALID_ARGUMENT,
        E::ParamsTooWeak { .. } => 38,
        E::WeakPin { .. } => 31,
        E::WrongPin { .. } => 30,
        E::WipedAfterFailures { .. } => 33,
        E::LockedOut { .. } => 32,
        E::Wiped { .. } => 34,
        E::DeviceSecretRequired => 36,
        E::DeviceSecretUnexpected => 37,
        E::Locked { .. } => 35,
        E::LabelTooLong { .. } => INVALID_LENGTH,
        E::SecretTooLong { .. } => 14,
        E::Tampered => 13,
        E::KdfFailed => 39,
        E::PersistFailed => PERSIST_FAILED,
        E::StaleBlob => 41,
        _ => INTERNAL,
    };
    let py_err = error(code, err.to_string());
    // Lockout details let an app show "try again at..." without parsing the message.
    Python::attach(|py| {
        let value = py_err.value(py);
        let _ = match err {
            E::WrongPin {
                failures,
                remaining,
                retry_at,
            } => value
                .setattr("failures", failures)
                .and_then(|()| value.setattr("remaining", remaining))
                .and_then(|()| value.setattr("retry_at", retry_at)),
            E::LockedOut {
                failures, retry_at, ..
            } => value
                .setattr("failures", failures)
                .and_then(|()| value.setattr("retry_at", retry_at)),
            _ => Ok(()),
        };
    });
    py_err
}
