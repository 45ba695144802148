//! Buffers and strings handed to the caller, and checks on the caller's arguments.

use core::ffi::c_char;
use core::mem::MaybeUninit;
use std::ffi::CString;
use std::panic::catch_unwind;

use careguard::SecretKey;
use zeroize::Zeroize;

use crate::error::{FfiError, FfiResult};
use crate::status::CgStatus;

/// A byte buffer owned by the caller once returned: release it with `cg_bytes_free`.
///
/// An empty result is `{ NULL, 0 }`. Functions that fail leave `{ NULL, 0 }` in their
/// `cg_bytes` out-parameter, so freeing it is always safe. `cg_bytes_free` wipes the
/// bytes before releasing them, because they may hold plaintext or key material.
#[repr(C)]
#[derive(Debug)]
pub struct CgBytes {
    /// Start of the bytes, or NULL when `len` is 0.
    pub data: *mut u8,
    /// Number of bytes.
    pub len: usize,
}

impl CgBytes {
    pub(crate) const EMPTY: CgBytes = CgBytes {
        data: core::ptr::null_mut(),
        len: 0,
    };

    /// Copies `bytes` into one exactly-sized allocation the caller will own. (Copying
    /// rather than converting the `Vec` means no reallocation leaves a stray copy of
    /// secret bytes behind; the source is wiped by its own `Zeroizing` owner.)
    pub(crate) fn copy_from(bytes: &[u8]) -> CgBytes {
        if bytes.is_empty() {
            return CgBytes::EMPTY;
        }
        let boxed: Box<[u8]> = Box::from(bytes);
        let len = boxed.len();
        CgBytes {
            data: Box::into_raw(boxed).cast::<u8>(),
            len,
        }
    }
}

/// Releases a buffer returned by careguard, wiping its bytes first, and resets it to
/// `{ NULL, 0 }` so a second call is harmless. Accepts NULL and `{ NULL, 0 }`.
///
/// # Safety
/// `bytes` is NULL or points to a `cg_bytes` that careguard filled in and that has not
/// been freed since (other than by this function, which resets it).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_bytes_free(bytes: *mut CgBytes) {
    // A panic cannot happen here, but no entry point may let one escape.
    let _ = catch_unwind(|| {
        // SAFETY: the caller passes NULL or a valid, writable cg_bytes.
        let Some(bytes) = (unsafe { bytes.as_mut() }) else {
            return;
        };
        if !bytes.data.is_null() {
            let slice = core::ptr::slice_from_raw_parts_mut(bytes.data, bytes.len);
            // SAFETY: data/len came from `Box::into_raw` of a `Box<[u8]>` of exactly
            // `len` bytes in `CgBytes::copy_from`, and ownership returns here once.
            let mut boxed = unsafe { Box::from_raw(slice) };
            boxed.zeroize();
        }
        *bytes = CgBytes::EMPTY;
    });
}

/// Releases a string returned by careguard, wiping it first. Accepts NULL.
///
/// # Safety
/// `text` is NULL or a string careguard returned that has not been freed since.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_string_free(text: *mut c_char) {
    let _ = catch_unwind(|| {
        if text.is_null() {
            return;
        }
        // SAFETY: non-NULL `text` came from `CString::into_raw` in `string_out` and
        // ownership returns here once.
        let owned = unsafe { CString::from_raw(text) };
        owned.into_bytes_with_nul().zeroize();
    });
}

/// Fills `out` with 32 fresh random bytes from the operating system's CSPRNG: a new
/// key-encryption key for a key ring, or a device secret to keep in the platform
/// keystore. Free `out` with `cg_bytes_free`.
///
/// Errors: `CG_STATUS_NULL_POINTER` if `out` is NULL.
///
/// # Safety
/// `out` is NULL or points to writable memory for one `cg_bytes`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_key_generate(out: *mut CgBytes) -> CgStatus {
    crate::error::guard(|| {
        // SAFETY: the caller passes NULL or a writable cg_bytes.
        let out = unsafe { bytes_out(out, "out") }?;
        let key = SecretKey::random();
        out.write(CgBytes::copy_from(key.expose_secret()));
        Ok(())
    })
}

/// Checks a `cg_bytes` output pointer and resets it to `{ NULL, 0 }`, so that on any
/// later failure the caller holds nothing to free. Take every `cg_bytes` output first.
///
/// # Safety
/// `ptr` is NULL or valid for writes of one `cg_bytes` for `'a`.
pub(crate) unsafe fn bytes_out<'a>(
    ptr: *mut CgBytes,
    name: &str,
) -> FfiResult<&'a mut MaybeUninit<CgBytes>> {
    // SAFETY: forwarded caller guarantee.
    let out = unsafe { out_arg(ptr, name) }?;
    out.write(CgBytes::EMPTY);
    Ok(out)
}

/// Checks an output pointer and views it as uninitialised memory (so writing never
/// drops whatever garbage the caller left there).
///
/// # Safety
/// `ptr` is NULL or valid for writes of one `T` for `'a`.
pub(crate) unsafe fn out_arg<'a, T>(ptr: *mut T, name: &str) -> FfiResult<&'a mut MaybeUninit<T>> {
    // SAFETY: the caller guarantees a non-NULL `ptr` is valid for writes of one T;
    // MaybeUninit<T> has T's layout.
    unsafe { ptr.cast::<MaybeUninit<T>>().as_mut() }
        .ok_or_else(|| FfiError::new(CgStatus::NullPointer, format!("`{name}` is NULL")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip_and_free_resets() {
        let mut b = CgBytes::copy_from(b"hello");
        assert_eq!(b.len, 5);
        // SAFETY: b was just filled by copy_from.
        unsafe { cg_bytes_free(&mut b) };
        assert!(b.data.is_null());
        assert_eq!(b.len, 0);
        // SAFETY: freeing a reset buffer and NULL are both allowed.
        unsafe {
            cg_bytes_free(&mut b);
            cg_bytes_free(core::ptr::null_mut());
            cg_string_free(core::ptr::null_mut());
        }
    }

    #[test]
    fn empty_bytes_are_null() {
        let b = CgBytes::copy_from(b"");
        assert!(b.data.is_null());
        assert_eq!(b.len, 0);
    }

    #[test]
    fn key_generate_fills_32_bytes() {
        let mut b = CgBytes::EMPTY;
        // SAFETY: &mut b is a valid cg_bytes.
        assert_eq!(unsafe { cg_key_generate(&mut b) }, CgStatus::Ok);
        assert_eq!(b.len, 32);
        // SAFETY: filled by cg_key_generate.
        unsafe { cg_bytes_free(&mut b) };
        // SAFETY: NULL is allowed and reported.
        let status = unsafe { cg_key_generate(core::ptr::null_mut()) };
        assert_eq!(status, CgStatus::NullPointer);
    }
}
