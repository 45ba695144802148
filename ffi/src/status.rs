//! `cg_status`: the one return code of every fallible C function.

use core::ffi::{CStr, c_char};

/// Result of a careguard C call.
///
/// Numbers are explicit, grouped by tens per area, and never reused: a code that is
/// retired stays reserved. `CG_STATUS_OK` is 0. Branch on the code; the text from
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
