//! careguard: the pieces a clinical messaging app needs to follow NHS
//! instant-messaging guidance, written once so app vendors, Trust developers and
//! browser extensions need not each get them right.
//!
//! # What it does
//!
//! | guidance asks for | module |
//! |---|---|
//! | encryption to the NHS "AES 256" standard | [`envelope`] (AES-256-GCM envelopes under a key ring), [`identity`] (HPKE to each recipient device, sender signatures) |
//! | end-user verification | [`identity`] (device cards attested by the organisation, safety numbers, verification state) |
//! | a secondary PIN with time-out | [`vault`] (Argon2id PIN wrapping, lockout, idle lock) |
//! | remote wipe | [`wipe`] (signed, device-bound wipe orders; crypto-shredding) |
//! | automatic deletion after a set period | [`retention`] (policies, anti-rollback clock, sweeper, transcription hold) |
//! | minimising patient-identifiable data | [`detect`] (the identifier scanner and minimiser), [`policy`] (Allow / Warn / Block before a send) |
//! | the correct person or group, group hygiene, no content on the lock screen | [`sending`] (confusable recipients, group reviews, notification text) |
//!
//! `docs/GUIDANCE.md` traces each rule to its source; `docs/FORMAT.md` specifies every byte
//! layout with test vectors; `docs/THREAT_MODEL.md` says what is and is not protected.
//!
//! # What it does not do
//!
//! careguard does no I/O and never reads the clock: callers pass `now` (Unix
//! seconds; envelopes take it as a [`UnixSeconds`]) and persist the bytes they are
//! given back. That keeps every result deterministic and the same on every platform. It
//! sends nothing over a network, stores nothing, and cannot protect a message on a
//! compromised device or from its recipient.
//!
//! # Getting started
//!
//! Build one [`Scanner`] and reuse it; review each draft against the conversation it is
//! going to:
//!
//! ```
//! use careguard::policy::{self, Context, Conversation, Platform, Verdict};
//! use careguard::Scanner;
//!
//! let scanner = Scanner::new();
//! let social = Context::new(Conversation::Social, Platform::Approved);
//! let decision = policy::review(&scanner, "pt John Smith NHS 943 476 5919", &social);
//! assert_eq!(decision.verdict, Verdict::Block);
//! ```
//!
//! Seal and open messages with [`envelope::seal`] and [`envelope::open`]; keep the keys in
//! a [`vault`]. Every module's documentation opens with its security notes and examples.
//!
//! # Errors
//!
//! Each module returns its own error, whose variants carry evidence for logs (never key
//! bytes, a PIN or scanned text). Bytes that do not decode (bad magic, unsupported
//! version, truncated, trailing bytes, a length over its maximum) are one shared
//! [`DecodeError`], in each module error's `Decode` variant. Every error's `code()` is an
//! [`ErrorCode`]: the stable number and name the C ABI (`cg_status`), the WASM package
//! (`err.code`) and the Kotlin, Swift and Python exceptions use; branch on it, not on
//! messages. [`Error`] wraps any module's error so that `?` works across modules.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod audit;
mod codec;
pub mod detect;
pub mod envelope;
mod error;
pub mod identity;
pub mod policy;
mod secret;
mod time;

pub use detect::{Finding, Kind, Scanner};
pub use envelope::{Binding, KeyRing, Opened, SealContext, SealOptions};
pub use error::{DecodeError, Error, ErrorCode, Result};
pub use policy::{Decision, Verdict};
pub use secret::{KEY_LEN, SecretKey};
pub use time::UnixSeconds;

pub mod retention;
pub mod sending;
pub mod trust;
pub mod vault;
pub mod wipe;

/// The README's examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
