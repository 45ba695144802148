//! careguard: the pieces a clinical messaging app needs to follow NHS
//! instant-messaging guidance, written once so app vendors, Trust developers and
//! browser extensions need not each get them right.
//!
//! careguard does no I/O and never reads the clock: callers pass `now` (Unix
//! seconds) and persist the bytes they are given back. That keeps every result
//! deterministic and the same on every platform.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod detect;
pub mod envelope;
pub mod identity;
pub mod policy;
mod secret;

pub use detect::{Finding, Kind, Scanner};
pub use envelope::{Binding, KeyRing, Opened, SealOptions};
pub use policy::{Decision, Verdict};
pub use secret::{KEY_LEN, SecretKey};

pub mod retention;
pub mod vault;
pub mod wipe;
