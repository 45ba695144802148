//! C ABI for careguard.
