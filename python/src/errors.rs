//! Typed exceptions carrying the C ABI's status codes.
//!
//! Every `cg_status` but `ok` has one exception class, `CamelCaseNameError`, a
//! subclass of `careguard.CareguardError` with class attributes `code` (the C ABI's
//! number) and `name` (its stable lower-case name, as `cg_status_name` gives). An app
//! that already branches on C codes branches on the same numbers in Python.

use careguard::{ErrorCode, detect, envelope, vault};
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

/// Codes whose exceptions are also `ValueError`s, so generic argument handling catches them.
const VALUE_ERRORS: &[ErrorCode] = &[
    ErrorCode::InvalidUtf8,
    ErrorCode::InvalidLength,
    ErrorCode::InvalidArgument,
    ErrorCode::TooLarge,
    ErrorCode::WeakPin,
    ErrorCode::ParamsTooWeak,
    ErrorCode::InvalidPattern,
];

pub(crate) const INVALID_LENGTH: i32 = ErrorCode::InvalidLength.number();
pub(crate) const INVALID_ARGUMENT: i32 = ErrorCode::InvalidArgument.number();
pub(crate) const INTERNAL: i32 = ErrorCode::Internal.number();
pub(crate) const VAULT_LOCKED: i32 = ErrorCode::VaultLocked.number();
pub(crate) const PERSIST_FAILED: i32 = ErrorCode::PersistFailed.number();

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
        // One class per core code: the C ABI's statuses, `ok` left out.
        ErrorCode::ALL
            .iter()
            .map(|&status| {
                let (code, name) = (status.number(), status.as_str());
                let bases = if VALUE_ERRORS.contains(&status) {
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

/// A scanner-building error as its core code's exception.
pub(crate) fn detect_error(err: &detect::Error) -> PyErr {
    error(err.code().number(), err.to_string())
}

/// An envelope error as its core code's exception.
pub(crate) fn envelope_error(err: &envelope::Error) -> PyErr {
    error(err.code().number(), err.to_string())
}

/// A vault error as its core code's exception, with the lockout counters.
pub(crate) fn vault_error(err: &vault::VaultError) -> PyErr {
    use vault::VaultError as E;
    let code = err.code().number();
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
