//! Signed Trust policy packs and emergency (network-outage) orders.
//!
//! The Trust signs, with the organisation key it already uses for device cards, revocation
//! lists and wipe orders, a versioned [`PolicyPack`]: approved platforms, retention per
//! conversation class, hospital-number patterns, an allow-list, emergency-mode rules, group
//! rules, the lock-screen notification level, and an expiry. The app verifies it offline
//! ([`verify_pack`]) and configures the scanner, the send policy, retention, group reviews and
//! notifications from the [`VerifiedPack`].
//!
//! # Security notes
//!
//! - **Rollback.** Each pack has a version; [`verify_pack`] refuses one older than the last
//!   the device accepted (persist [`VerifiedPack::version`]), so a stale pack with laxer
//!   rules cannot be replayed. An expired pack is refused: the app must fetch a new one.
//! - **Emergency mode is an order, not a switch.** The Trust policy allows WhatsApp with
//!   minimal patient data only in a major network outage. Here that mode is on only while a
//!   signed, time-limited [`EmergencyOrder`] is valid and the pack allows it, never longer
//!   than the pack's maximum.
//! - **Out of scope.** A compromised organisation key can sign any pack. Times come from the
//!   caller's clock: use [`crate::retention::RollbackClock`] so a clock set back cannot
//!   revive an expired order.
//!
//! Byte layouts: docs/FORMAT.md, "Trust policy pack" and "Emergency order", with vectors in
//! core/tests/vectors/trust-pack-v1.json.
//!
//! ```
//! use careguard::identity::OrganisationKey;
//! use careguard::policy::Conversation;
//! use careguard::trust::{PolicyPack, verify_pack};
//! # let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
//! let now = 1_780_000_000;
//! let org = OrganisationKey::generate(&mut rng);
//! let mut pack = PolicyPack::new(3, now, now + 30 * 86_400);
//! pack.approved_platforms = vec!["Teams".into(), "Pando".into()];
//! pack.hospital_number_patterns = vec![r"\bRA7\d{6}\b".into()];
//! let bytes = pack.sign(&org)?;
//!
//! let verified = verify_pack(&bytes, &[org.public_key()], now, Some(2))?;
//! let ctx = verified.context(Conversation::Clinical, "teams", None, now);
//! assert!(ctx.platform.is_approved() && !ctx.emergency);
//! assert!(verified.scanner().has_findings("bed 4 RA7123456"));
//! # Ok::<(), careguard::trust::TrustError>(())
//! ```

mod emergency;
mod pack;

pub use emergency::{EMERGENCY_MAGIC, EmergencyOrder, VerifiedEmergency, verify_emergency};
pub use pack::{
    MAX_ALLOW_LIST, MAX_PATTERN_LEN, MAX_PATTERNS, MAX_PLATFORMS, PACK_MAGIC, PACK_VERSION,
    PolicyPack, TrustError, VerifiedPack, verify_pack,
};
