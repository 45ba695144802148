//! A content-free audit log of send decisions: append-only, hash-chained, signed per segment
//! with the device's Ed25519 key, verifiable and aggregated offline by the Trust's
//! Information Asset Administrator.
//!
//! # Security notes
//!
//! - **What a record holds.** Time, conversation class, verdict, what the user did, whether
//!   emergency mode was on, the kinds of identifier found and how many of each, and, for an
//!   override, the user's reason *minimised by the scanner* and cut to
//!   [`MAX_REASON_LEN`] bytes. Never message text, recipients or identifiers.
//! - **What is detected.** Every segment is signed over all its bytes, and carries the hash
//!   chain's value before it, its index and its first sequence number, so an edited,
//!   reordered, removed or inserted record or segment fails [`verify_log`]. Cutting whole
//!   segments off the *end* leaves a shorter log that is still valid: pass the head the
//!   device last reported ([`ChainHead`], 40 bytes, e.g. sent with each sync) as
//!   `expected_head` to detect that too.
//! - **Out of scope.** A device whose key is stolen can sign any log; a user can uninstall
//!   the app. The log proves what the app recorded, not what the user did elsewhere.
//!
//! # Layout
//!
//! docs/FORMAT.md, "Audit log", with vectors in core/tests/vectors/audit.json.
//!
//! ```
//! use careguard::audit::{Action, AuditChain, AuditRecord, verify_log, summarise};
//! use careguard::identity::DeviceKeys;
//! use careguard::policy::{Conversation, Verdict};
//! # let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
//! let keys = DeviceKeys::generate(&mut rng);
//! let mut chain = AuditChain::new(keys.device_id());
//! let record = AuditRecord::new(1_780_000_000, Conversation::Clinical, Verdict::Warn, Action::SentMinimised)
//!     .with_kind(careguard::Kind::NhsNumber, 1);
//! let segment = chain.seal_segment(&[record], &keys)?;
//!
//! let log = verify_log(&segment, &keys.public_keys().ed25519, Some(&chain.head()))?;
//! assert_eq!(summarise(log.records()).warned, 1);
//! # Ok::<(), careguard::audit::AuditError>(())
//! ```

mod record;
mod segment;

pub use record::{Action, AuditRecord, MAX_REASON_LEN, Summary, summarise};
pub use segment::{
    AuditChain, AuditError, CHAIN_HEAD_LEN, CHAIN_STATE_LEN, ChainHead, MAX_SEGMENT_RECORDS,
    SEGMENT_MAGIC, SEGMENT_VERSION, VerifiedLog, verify_log,
};
