//! WebAssembly bindings for careguard.
