//! Library version.

use core::ffi::{CStr, c_char};

const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        // Evaluated at compile time: a version string with a NUL fails the build.
        #[allow(clippy::panic)]
        Err(_) => panic!("package version contains a NUL byte"),
    };

/// The careguard version, e.g. `"0.1.0"`. Static: do not free. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cg_version() -> *const c_char {
    VERSION.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_matches_the_crate() {
        // SAFETY: cg_version returns a static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(cg_version()) };
        assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    }
}
