//! The panic guard every entry point runs in, and the thread-local last error.

use core::ffi::c_char;
use std::cell::RefCell;
use std::ffi::CString;
use std::panic::{AssertUnwindSafe, catch_unwind};

use careguard::ErrorCode;
use careguard::audit::AuditError;
use careguard::identity::IdentityError;
use careguard::trust::TrustError;
use careguard::vault::VaultError;
use careguard::wipe::WipeError;
use careguard::{detect, envelope};

use crate::status::CgStatus;

/// An error on its way out through the C boundary: a code and a message for logs.
///
/// Messages never contain key bytes, PINs or scanned text: they come from core
/// errors (which follow the same rule) or from argument checks that name the
/// argument, never its contents.
#[derive(Debug)]
pub(crate) struct FfiError {
    pub(crate) status: CgStatus,
    pub(crate) message: String,
}

impl FfiError {
    pub(crate) fn new(status: CgStatus, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

pub(crate) type FfiResult<T = ()> = Result<T, FfiError>;

impl FfiError {
    /// A core error: its code's status (status.rs's one table) and its message.
    fn coded(code: ErrorCode, message: String) -> Self {
        Self::new(CgStatus::from(code), message)
    }
}

/// Core errors cross with their own `code()` and message.
macro_rules! from_core_errors {
    ($($error:ty),* $(,)?) => {$(
        impl From<$error> for FfiError {
            fn from(err: $error) -> Self {
                Self::coded(err.code(), err.to_string())
            }
        }
    )*};
}

from_core_errors!(
    envelope::Error,
    VaultError,
    WipeError,
    AuditError,
    TrustError,
    detect::Error,
    careguard::Error,
);

impl From<IdentityError> for FfiError {
    fn from(err: IdentityError) -> Self {
        // A wrapped envelope or vault error crosses as itself: the message a C caller
        // logs is the inner error's, without the "envelope: " prefix.
        match err {
            IdentityError::Envelope(inner) => inner.into(),
            IdentityError::Vault(inner) => inner.into(),
            other => Self::coded(other.code(), other.to_string()),
        }
    }
}

thread_local! {
    static LAST_ERROR: RefCell<Option<CString>> = const { RefCell::new(None) };
}

fn set_last_error(message: &str) {
    // Interior NULs would truncate the message in C; replace them.
    let bytes: Vec<u8> = message
        .bytes()
        .map(|b| if b == 0 { b'?' } else { b })
        .collect();
    let message = CString::new(bytes).ok();
    LAST_ERROR.with(|slot| *slot.borrow_mut() = message);
}

fn clear_last_error() {
    LAST_ERROR.with(|slot| *slot.borrow_mut() = None);
}

/// Runs the body of a `cg_` function: catches any panic, maps the result onto a
/// status, and records (or clears) this thread's last-error message.
pub(crate) fn guard(body: impl FnOnce() -> FfiResult) -> CgStatus {
    // AssertUnwindSafe: after a caught panic the only state touched by the body that
    // the caller can still reach is behind handles whose own locks poison (the vault)
    // or that are immutable (scanner, findings); see each handle's thread-safety note.
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => {
            clear_last_error();
            CgStatus::Ok
        }
        Ok(Err(err)) => {
            set_last_error(&err.message);
            err.status
        }
        Err(_) => {
            // The payload is deliberately not shown: it could quote data.
            set_last_error("internal panic caught at the C boundary (a careguard bug)");
            CgStatus::Panic
        }
    }
}

/// The message describing the last failed careguard call on the calling thread, or
/// an empty string if the last call succeeded (or none was made).
///
/// Borrowed, never NULL: do **not** free it. The pointer stays valid until the next
/// `cg_` call on the same thread; copy the text if it must outlive that. Messages are
/// English, for logs; branch on the `cg_status` code instead. They never contain key
/// bytes, PINs or scanned text.
#[unsafe(no_mangle)]
pub extern "C" fn cg_last_error_message() -> *const c_char {
    LAST_ERROR.with(|slot| {
        // The CString's heap buffer stays where it is until the slot is next set or
        // cleared, which only a later cg_ call on this thread does.
        slot.borrow().as_deref().unwrap_or(c"").as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ffi::CStr;

    fn last() -> String {
        // SAFETY: cg_last_error_message never returns NULL and the string is valid
        // until the next cg_ call on this thread.
        unsafe { CStr::from_ptr(cg_last_error_message()) }
            .to_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn error_sets_message_and_success_clears_it() {
        let status = guard(|| {
            Err(FfiError::new(
                CgStatus::InvalidLength,
                "key must be 32 bytes, got 3",
            ))
        });
        assert_eq!(status, CgStatus::InvalidLength);
        assert_eq!(last(), "key must be 32 bytes, got 3");
        assert_eq!(guard(|| Ok(())), CgStatus::Ok);
        assert_eq!(last(), "");
    }

    #[test]
    fn panic_is_caught_and_gets_its_own_status() {
        let status = guard(|| panic!("secret patient text must not leak"));
        assert_eq!(status, CgStatus::Panic);
        assert!(last().contains("panic"));
        assert!(!last().contains("patient"));
    }

    #[test]
    fn interior_nul_does_not_truncate_message() {
        guard(|| Err(FfiError::new(CgStatus::Internal, "a\0b")));
        assert_eq!(last(), "a?b");
    }

    #[test]
    fn last_error_is_per_thread() {
        guard(|| Err(FfiError::new(CgStatus::Internal, "main thread")));
        let other = std::thread::spawn(last).join().unwrap();
        assert_eq!(other, "");
        assert_eq!(last(), "main thread");
    }
}
