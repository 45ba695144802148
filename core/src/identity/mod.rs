//! End-user verification and end-to-end recipients: device identity keys, signed device
//! cards, organisation attestation and revocation, safety numbers, per-contact verification
//! state and HPKE (RFC 9180) wrapping of message keys to recipient devices.
//!
//! # Security notes
//!
//! - **What it protects.** A [`DeviceCard`] binds a staff identifier (an NHSmail address or a
//!   professional registration number) to a device's X25519 and Ed25519 public keys, signed by
//!   the device and optionally attested by the organisation's Ed25519 key. Checking a card
//!   ([`DeviceCard::verify`]) checks both signatures, the validity period and an
//!   organisation-signed [`RevocationList`]. [`SafetyNumber`]s let two people confirm in
//!   person that they hold each other's real keys; [`Contact`] keeps that result and drops
//!   it when a key changes without a signed rotation. [`Sealer`] seals an envelope to
//!   recipient devices (`hpke` stanzas, RFC 9180) with a sender signature over the
//!   recipient list, the header fields, the binding and the plaintext; [`open_signed`]
//!   checks it and names the sending device.
//! - **Whom from.** A transport or directory that substitutes keys (it would need the
//!   organisation's signing key, or the users' in-person comparison, to be believed), and
//!   anyone who alters a card or revocation list in transit.
//! - **Out of scope.** A device key is long-lived: there is no forward secrecy within its
//!   lifetime (whoever later steals the X25519 secret can open every stanza sealed to it),
//!   and the transport sees who sends to whom, when and how much. Rotation
//!   ([`DeviceKeys::rotate`]) bounds the first. A compromised organisation key can attest
//!   any card. See docs/THREAT_MODEL.md, "Identity and end-to-end recipients".
//!
//! Secrets ([`DeviceKeys`], [`OrganisationKey`]) are wiped on drop, never printed by `Debug`
//! and have no `Clone`. Store device keys with [`DeviceKeys::to_secret_bytes`] under the
//! vault's master key, so a wipe crypto-shreds them.
//!
//! # Example
//!
//! ```
//! use careguard::identity::{DeviceKeys, DeviceCard, OrganisationKey, TrustPolicy, Verification};
//! # let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
//! let now = 1_780_000_000;
//! let trust = OrganisationKey::generate(&mut rng);
//! let keys = DeviceKeys::generate(&mut rng);
//! let card = keys
//!     .issue_card("a.clinician@nhs.net", "Dr A Clinician", now, now + 365 * 86_400)?
//!     .attest(&trust);
//! let bytes = card.to_bytes();
//!
//! // On another device: parse, verify against the Trust's public key.
//! let policy = TrustPolicy::new().with_organisation(trust.public_key());
//! let verified = DeviceCard::parse(&bytes)?.verify(&policy, now)?;
//! assert!(verified.is_attested());
//! assert_eq!(verified.card().staff_id(), "a.clinician@nhs.net");
//! # Ok::<(), careguard::identity::IdentityError>(())
//! ```

mod card;
mod contact;
mod error;
mod hpke;
mod keys;
mod revocation;
mod safety;
mod sealed;

pub use card::{
    CARD_MAGIC, CARD_VERSION, DeviceCard, KeyContinuity, MAX_CARD_LEN, MAX_CLOCK_SKEW_SECS,
    MAX_DISPLAY_NAME_LEN, MAX_STAFF_ID_LEN, TrustPolicy, VerifiedCard,
};
pub use contact::{CardChange, Contact, RecipientTrust, Verification};
pub use error::{IdentityError, Result};
pub use hpke::{HPKE_CT_LEN, HPKE_ENC_LEN, HPKE_INFO, HpkeWrappedKey, unwrap_dek, wrap_dek};
pub use keys::{
    DEVICE_ID_LEN, DEVICE_KEYS_SECRET_LEN, DeviceId, DeviceKeys, DevicePublicKeys, OrganisationKey,
    OrganisationPublicKey, VAULT_LABEL,
};
pub use revocation::{MAX_REVOKED, REVOCATION_MAGIC, RevocationList};
pub use safety::{
    SAFETY_ITERATIONS, SAFETY_NUMBER_DIGITS, SAFETY_QR_LEN, SafetyNumber, SafetyParty,
};
pub use sealed::{
    HPKE_STANZA_BODY_LEN, MAX_RECIPIENTS, SIGNED_MESSAGE_MAGIC, Sealer, SignedMessage, open_signed,
};
