//! Checks on the caller's arguments and handle plumbing shared by every area.

use core::ffi::c_char;
use std::ffi::CString;
use std::panic::{AssertUnwindSafe, catch_unwind};

use careguard::{KEY_LEN, SecretKey};

use crate::error::{FfiError, FfiResult};
use crate::status::CgStatus;

/// Checks a text argument for a function that hands text back as a C string: it must
/// not contain NUL, which a C string cannot carry.
pub(crate) fn no_nul(text: &str, name: &str) -> FfiResult<()> {
    match text.bytes().position(|b| b == 0) {
        None => Ok(()),
        Some(at) => Err(FfiError::new(
            CgStatus::InvalidArgument,
            format!(
                "`{name}` contains a NUL byte at offset {at}; text returned as a C string cannot"
            ),
        )),
    }
}

/// Makes a C string the caller will own (free with `cg_string_free`), or one kept
/// inside a handle; the text must hold no NUL (checked with [`no_nul`] beforehand).
pub(crate) fn c_string(text: &str) -> FfiResult<CString> {
    CString::new(text).map_err(|e| {
        FfiError::new(
            CgStatus::InvalidArgument,
            format!("result contains a NUL byte at offset {}", e.nul_position()),
        )
    })
}

/// Checks a (pointer, length) byte argument. NULL is accepted only with length 0.
///
/// # Safety
/// A non-NULL `ptr` is valid for reads of `len` bytes for `'a`, not written meanwhile.
pub(crate) unsafe fn bytes_arg<'a>(ptr: *const u8, len: usize, name: &str) -> FfiResult<&'a [u8]> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(FfiError::new(
                CgStatus::NullPointer,
                format!("`{name}` is NULL but its length is {len}"),
            ))
        };
    }
    if len > isize::MAX as usize {
        return Err(FfiError::new(
            CgStatus::InvalidLength,
            format!("`{name}` length {len} is too large"),
        ));
    }
    // SAFETY: non-NULL, length checked against isize::MAX, and the caller guarantees
    // `len` readable bytes that stay unchanged for 'a.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// Checks a (pointer, length) UTF-8 text argument (not NUL-terminated; the length
/// counts bytes).
///
/// # Safety
/// As for [`bytes_arg`].
pub(crate) unsafe fn str_arg<'a>(ptr: *const c_char, len: usize, name: &str) -> FfiResult<&'a str> {
    // SAFETY: forwarded caller guarantee.
    let bytes = unsafe { bytes_arg(ptr.cast::<u8>(), len, name) }?;
    core::str::from_utf8(bytes).map_err(|e| {
        FfiError::new(
            CgStatus::InvalidUtf8,
            format!(
                "`{name}` is not valid UTF-8 (first bad byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Checks a key argument: exactly 32 bytes.
///
/// # Safety
/// As for [`bytes_arg`].
pub(crate) unsafe fn key_arg(ptr: *const u8, len: usize, name: &str) -> FfiResult<SecretKey> {
    // SAFETY: forwarded caller guarantee.
    let bytes = unsafe { bytes_arg(ptr, len, name) }?;
    SecretKey::from_slice(bytes).ok_or_else(|| {
        FfiError::new(
            CgStatus::InvalidLength,
            format!("`{name}` must be {KEY_LEN} bytes, got {len}"),
        )
    })
}

/// Checks an array argument of `len` C structs. NULL is accepted only with length 0.
///
/// # Safety
/// A non-NULL `ptr` is valid for reads of `len` values of `T` for `'a`.
pub(crate) unsafe fn slice_arg<'a, T>(ptr: *const T, len: usize, name: &str) -> FfiResult<&'a [T]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(FfiError::new(
            CgStatus::NullPointer,
            format!("`{name}` is NULL but its length is {len}"),
        ));
    }
    if !ptr.is_aligned() {
        return Err(FfiError::new(
            CgStatus::InvalidArgument,
            format!("`{name}` is misaligned"),
        ));
    }
    if len
        .checked_mul(size_of::<T>())
        .is_none_or(|n| n > isize::MAX as usize)
    {
        return Err(FfiError::new(
            CgStatus::InvalidLength,
            format!("`{name}` length {len} is too large"),
        ));
    }
    // SAFETY: non-NULL, aligned, size checked, and the caller guarantees `len` readable
    // values that stay unchanged for 'a.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// Checks a handle argument.
///
/// # Safety
/// A non-NULL `ptr` came from the matching careguard constructor, is not freed, and
/// outlives `'a`.
pub(crate) unsafe fn handle_arg<'a, T>(ptr: *const T, name: &str) -> FfiResult<&'a T> {
    // SAFETY: forwarded caller guarantee.
    unsafe { ptr.as_ref() }
        .ok_or_else(|| FfiError::new(CgStatus::NullPointer, format!("`{name}` is NULL")))
}

/// Moves a Rust value into a new handle for the caller.
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Releases a handle made by [`into_handle`]; NULL is ignored.
///
/// # Safety
/// `ptr` is NULL or came from `into_handle::<T>` and has not been freed.
pub(crate) unsafe fn free_handle<T>(ptr: *mut T) {
    // AssertUnwindSafe: the handle is gone afterwards whatever happens.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if !ptr.is_null() {
            // SAFETY: caller guarantee: it came from Box::into_raw, freed once.
            drop(unsafe { Box::from_raw(ptr) });
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_in_text_is_refused_for_string_results() {
        assert!(no_nul("fine", "text").is_ok());
        let err = no_nul("a\0b", "text").unwrap_err();
        assert_eq!(err.status, CgStatus::InvalidArgument);
        assert!(err.message.contains("offset 1"));
        assert_eq!(
            c_string("a\0").unwrap_err().status,
            CgStatus::InvalidArgument
        );
    }

    #[test]
    fn argument_checks() {
        // SAFETY: NULL pointers and a valid slice are what these helpers accept.
        unsafe {
            assert!(bytes_arg(core::ptr::null(), 0, "x").unwrap().is_empty());
            assert_eq!(
                bytes_arg(core::ptr::null(), 1, "x").unwrap_err().status,
                CgStatus::NullPointer
            );
            let bad = [b'a', 0xff];
            let err = str_arg(bad.as_ptr().cast(), 2, "text").unwrap_err();
            assert_eq!(err.status, CgStatus::InvalidUtf8);
            assert!(err.message.contains("offset 1"));
            assert_eq!(
                key_arg([1u8; 31].as_ptr(), 31, "key").unwrap_err().status,
                CgStatus::InvalidLength
            );
            assert!(key_arg([1u8; 32].as_ptr(), 32, "key").is_ok());
        }
    }
}
