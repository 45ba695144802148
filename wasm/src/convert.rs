//! Conversions between JavaScript values and core types.

use careguard::{KEY_LEN, SecretKey};
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use crate::error::Failure;

/// Largest integer a JS number holds exactly (2^53 - 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A time in Unix seconds from a JS number: finite, non-negative, at most 2^53 - 1.
/// A fraction (from `Date.now() / 1000`) is dropped.
pub(crate) fn unix_seconds(
    operation: &'static str,
    name: &str,
    value: f64,
) -> Result<u64, JsValue> {
    whole(operation, name, "Unix seconds", value)
}

/// A duration or count (seconds, milliseconds) from a JS number, as [`unix_seconds`].
pub(crate) fn whole(
    operation: &'static str,
    name: &str,
    what: &str,
    value: f64,
) -> Result<u64, JsValue> {
    if !(value.is_finite() && (0.0..=MAX_SAFE_INTEGER).contains(&value)) {
        return Err(Failure::new(
            "invalid_argument",
            operation,
            format!("{name} must be {what} (a non-negative number up to 2^53 - 1)"),
        )
        .into());
    }
    // Finite and in range, so the cast is exact after truncation.
    Ok(value.trunc() as u64)
}

/// A Unix-seconds value as a JS number (exact up to 2^53 - 1, which covers any date).
pub(crate) fn seconds_to_js(value: u64) -> f64 {
    value as f64
}

/// A 256-bit key from caller bytes; the copy in WASM memory is wiped.
pub(crate) fn secret_key(
    operation: &'static str,
    name: &str,
    bytes: Vec<u8>,
) -> Result<SecretKey, JsValue> {
    let bytes = Zeroizing::new(bytes);
    // Straight from the wiped buffer into the key: a `[u8; 32]` passed by value would
    // leave a copy in WASM memory that a later zeroize of another binding does not reach.
    SecretKey::from_slice(&bytes).ok_or_else(|| {
        Failure::new(
            "invalid_length",
            operation,
            format!("{name} must be {KEY_LEN} bytes, got {}", bytes.len()),
        )
        .into()
    })
}

/// Bytes from a `Uint8Array`, or the UTF-8 encoding of a string.
pub(crate) fn bytes_or_text(
    operation: &'static str,
    name: &str,
    value: &JsValue,
) -> Result<Vec<u8>, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text.into_bytes());
    }
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        return Ok(array.to_vec());
    }
    Err(Failure::new(
        "invalid_argument",
        operation,
        format!("{name} must be a Uint8Array or a string"),
    )
    .into())
}

/// A property of an options object (`undefined` when `options` is not an object).
pub(crate) fn get(options: &JsValue, key: &str) -> JsValue {
    if options.is_object() {
        Reflect::get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// Whether an optional argument was left out (`undefined` or `null`).
pub(crate) fn absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

/// Checks that an optional options argument is an object, `undefined` or `null`.
pub(crate) fn options_object(
    operation: &'static str,
    name: &str,
    value: &JsValue,
) -> Result<(), JsValue> {
    if absent(value) || value.is_object() {
        Ok(())
    } else {
        Err(Failure::new(
            "invalid_argument",
            operation,
            format!("{name} must be an object"),
        )
        .into())
    }
}

/// An optional boolean property.
pub(crate) fn opt_bool(
    operation: &'static str,
    options: &JsValue,
    key: &str,
) -> Result<Option<bool>, JsValue> {
    let value = get(options, key);
    if absent(&value) {
        return Ok(None);
    }
    value.as_bool().map(Some).ok_or_else(|| {
        Failure::new(
            "invalid_argument",
            operation,
            format!("{key} must be a boolean"),
        )
        .into()
    })
}

/// An optional string property.
pub(crate) fn opt_string(
    operation: &'static str,
    options: &JsValue,
    key: &str,
) -> Result<Option<String>, JsValue> {
    let value = get(options, key);
    if absent(&value) {
        return Ok(None);
    }
    value.as_string().map(Some).ok_or_else(|| {
        Failure::new(
            "invalid_argument",
            operation,
            format!("{key} must be a string"),
        )
        .into()
    })
}

/// An optional number property.
pub(crate) fn opt_number(
    operation: &'static str,
    options: &JsValue,
    key: &str,
) -> Result<Option<f64>, JsValue> {
    let value = get(options, key);
    if absent(&value) {
        return Ok(None);
    }
    value.as_f64().map(Some).ok_or_else(|| {
        Failure::new(
            "invalid_argument",
            operation,
            format!("{key} must be a number"),
        )
        .into()
    })
}

/// An optional non-negative integer property that fits a `u32`.
pub(crate) fn opt_u32(
    operation: &'static str,
    options: &JsValue,
    key: &str,
) -> Result<Option<u32>, JsValue> {
    opt_number(operation, options, key)?
        .map(|n| to_u32(operation, key, n))
        .transpose()
}

/// A JS number as a `u32`, refusing fractions, negatives and overflow.
pub(crate) fn to_u32(operation: &'static str, name: &str, value: f64) -> Result<u32, JsValue> {
    if value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value) {
        // Integral and in range, so the cast is exact.
        Ok(value as u32)
    } else {
        Err(Failure::new(
            "invalid_argument",
            operation,
            format!("{name} must be an integer from 0 to 4294967295"),
        )
        .into())
    }
}

/// A fresh plain object with the given properties.
pub(crate) fn object(entries: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in entries {
        // Defining a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// Bytes as a new `Uint8Array` (a copy in the JS heap).
pub(crate) fn uint8array(bytes: &[u8]) -> JsValue {
    Uint8Array::from(bytes).into()
}

// Strings, byte arrays and booleans cross the boundary as `JsValue` and are checked
// here: wasm-bindgen's own `&str` / `&[u8]` glue trusts the value's type and, given a
// number or an object, reads `.length` as garbage and writes out of WASM's bounds.

/// A string argument.
pub(crate) fn text(
    operation: &'static str,
    name: &str,
    value: &JsValue,
) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| {
        Failure::new(
            "invalid_argument",
            operation,
            format!("{name} must be a string"),
        )
        .into()
    })
}

/// A `Uint8Array` argument, copied into WASM memory.
pub(crate) fn bytes(
    operation: &'static str,
    name: &str,
    value: &JsValue,
) -> Result<Vec<u8>, JsValue> {
    value
        .dyn_ref::<Uint8Array>()
        .map(Uint8Array::to_vec)
        .ok_or_else(|| {
            Failure::new(
                "invalid_argument",
                operation,
                format!("{name} must be a Uint8Array"),
            )
            .into()
        })
}

/// An optional `Uint8Array` argument (`undefined` or `null` when left out).
pub(crate) fn opt_bytes(
    operation: &'static str,
    name: &str,
    value: &JsValue,
) -> Result<Option<Vec<u8>>, JsValue> {
    if absent(value) {
        Ok(None)
    } else {
        bytes(operation, name, value).map(Some)
    }
}

/// A boolean argument.
#[cfg(feature = "identity")]
pub(crate) fn boolean(
    operation: &'static str,
    name: &str,
    value: &JsValue,
) -> Result<bool, JsValue> {
    value.as_bool().ok_or_else(|| {
        Failure::new(
            "invalid_argument",
            operation,
            format!("{name} must be a boolean"),
        )
        .into()
    })
}

/// A number argument (wasm-bindgen's `f64` glue would coerce `null` to 0 and `"7"` to 7).
pub(crate) fn number(operation: &'static str, name: &str, value: &JsValue) -> Result<f64, JsValue> {
    value.as_f64().ok_or_else(|| {
        Failure::new(
            "invalid_argument",
            operation,
            format!("{name} must be a number"),
        )
        .into()
    })
}
