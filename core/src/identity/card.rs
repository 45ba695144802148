//! Device cards: a device's public keys bound to a staff identifier, signed by the device,
//! optionally rotated from a previous key and attested by the organisation.
//!
//! Layout (version 1, integers big-endian; see docs/FORMAT.md "Device card"):
//!
//! ```text
//! body      = "CGDC" | 0x01 | device_id[16]
//!             | u8 len | staff_id (UTF-8, 1..=128)
//!             | u8 len | display_name (UTF-8, 0..=128)
//!             | x25519_pk[32] | ed25519_pk[32] | created_at u64 | expires_at u64
//!             | has_previous u8 (0|1) | [previous_ed25519_pk[32]]
//! card      = body | device_sig[64] | [rotation_sig[64] iff has_previous]
//!             | has_attestation u8 (0|1) | [attestation_sig[64]]
//! ```

use super::error::{IdentityError, Result};
use super::keys::{
    DEVICE_ID_LEN, DeviceId, DeviceKeys, DevicePublicKeys, OrganisationKey, OrganisationPublicKey,
    verify_labelled, verifying_key,
};
use super::revocation::RevocationList;
use crate::DecodeError;
use crate::codec::Reader;

/// Magic bytes that start every device card.
pub const CARD_MAGIC: &[u8; 4] = b"CGDC";
/// The device card version this library writes and reads.
pub const CARD_VERSION: u8 = 1;
/// Maximum length in bytes of the staff identifier (UTF-8).
pub const MAX_STAFF_ID_LEN: usize = 128;
/// Maximum length in bytes of the display name (UTF-8).
pub const MAX_DISPLAY_NAME_LEN: usize = 128;
/// How far in the future a card's creation time may be and still verify, for clocks that
/// disagree between devices (10 minutes).
pub const MAX_CLOCK_SKEW_SECS: u64 = 600;
/// The largest well-formed card.
pub const MAX_CARD_LEN: usize = 4
    + 1
    + DEVICE_ID_LEN
    + 1
    + MAX_STAFF_ID_LEN
    + 1
    + MAX_DISPLAY_NAME_LEN
    + 32
    + 32
    + 8
    + 8
    + 1
    + 32
    + 64
    + 64
    + 1
    + 64;

pub(crate) const DEVICE_SIG_LABEL: &[u8] = b"careguard/v1/identity/card\0";
pub(crate) const ROTATION_SIG_LABEL: &[u8] = b"careguard/v1/identity/card-rotation\0";
pub(crate) const ATTESTATION_SIG_LABEL: &[u8] = b"careguard/v1/identity/card-attestation\0";

/// A parsed device card. Parsing checks only the layout; call [`DeviceCard::verify`] before
/// trusting anything in it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DeviceCard {
    body: Vec<u8>,
    device_id: DeviceId,
    staff_id: String,
    display_name: String,
    keys: DevicePublicKeys,
    created_at: u64,
    expires_at: u64,
    previous_ed25519: Option<[u8; 32]>,
    device_sig: [u8; 64],
    rotation_sig: Option<[u8; 64]>,
    attestation: Option<[u8; 64]>,
}

fn check_text(argument: &'static str, value: &str, min: usize, max: usize) -> Result<()> {
    if value.len() < min {
        return Err(IdentityError::InvalidArgument {
            argument,
            reason: "must not be empty",
        });
    }
    if value.len() > max {
        return Err(IdentityError::InvalidArgument {
            argument,
            reason: "longer than the maximum",
        });
    }
    Ok(())
}

impl DeviceKeys {
    /// Issues a card for these keys, signed by the device key, valid from `created_at` until
    /// `expires_at` (Unix seconds, exclusive).
    ///
    /// `staff_id` is the staff member's identifier (an NHSmail address or a professional
    /// registration number: 1 to [`MAX_STAFF_ID_LEN`] bytes); `display_name` at most
    /// [`MAX_DISPLAY_NAME_LEN`] bytes.
    pub fn issue_card(
        &self,
        staff_id: &str,
        display_name: &str,
        created_at: u64,
        expires_at: u64,
    ) -> Result<DeviceCard> {
        self.issue(staff_id, display_name, created_at, expires_at, None)
    }

    /// Issues a card for these (new) keys that is also signed by `previous`, the keys they
    /// replace, so contacts keep their verification across the rotation. Both must belong to
    /// the same device id.
    pub fn issue_rotated_card(
        &self,
        previous: &DeviceKeys,
        staff_id: &str,
        display_name: &str,
        created_at: u64,
        expires_at: u64,
    ) -> Result<DeviceCard> {
        if previous.device_id() != self.device_id() {
            return Err(IdentityError::InvalidArgument {
                argument: "previous",
                reason: "belongs to another device",
            });
        }
        self.issue(
            staff_id,
            display_name,
            created_at,
            expires_at,
            Some(previous),
        )
    }

    fn issue(
        &self,
        staff_id: &str,
        display_name: &str,
        created_at: u64,
        expires_at: u64,
        previous: Option<&DeviceKeys>,
    ) -> Result<DeviceCard> {
        check_text("staff_id", staff_id, 1, MAX_STAFF_ID_LEN)?;
        check_text("display_name", display_name, 0, MAX_DISPLAY_NAME_LEN)?;
        if expires_at <= created_at {
            return Err(IdentityError::InvalidArgument {
                argument: "expires_at",
                reason: "must be after created_at",
            });
        }
        let keys = self.public_keys();
        let previous_ed25519 = previous.map(|p| p.public_keys().ed25519);
        let mut body = Vec::with_capacity(MAX_CARD_LEN);
        body.extend_from_slice(CARD_MAGIC);
        body.push(CARD_VERSION);
        body.extend_from_slice(self.device_id().as_bytes());
        // Lengths were checked against maxima below 256 above.
        body.push(staff_id.len() as u8);
        body.extend_from_slice(staff_id.as_bytes());
        body.push(display_name.len() as u8);
        body.extend_from_slice(display_name.as_bytes());
        body.extend_from_slice(&keys.x25519);
        body.extend_from_slice(&keys.ed25519);
        body.extend_from_slice(&created_at.to_be_bytes());
        body.extend_from_slice(&expires_at.to_be_bytes());
        match previous_ed25519 {
            Some(pk) => {
                body.push(1);
                body.extend_from_slice(&pk);
            }
            None => body.push(0),
        }
        let device_sig = self.sign(DEVICE_SIG_LABEL, &body)?;
        let rotation_sig = previous
            .map(|p| p.sign(ROTATION_SIG_LABEL, &body))
            .transpose()?;
        Ok(DeviceCard {
            body,
            device_id: self.device_id(),
            staff_id: staff_id.to_owned(),
            display_name: display_name.to_owned(),
            keys,
            created_at,
            expires_at,
            previous_ed25519,
            device_sig,
            rotation_sig,
            attestation: None,
        })
    }
}

/// Where a time falls in a card's validity period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Validity {
    /// Before `created_at`, beyond the allowed clock skew.
    NotYet,
    /// Within the period.
    Valid,
    /// At or after `expires_at`.
    Expired,
}

impl DeviceCard {
    /// Where `at` (Unix seconds) falls in this card's validity period, tolerating a creation
    /// time up to [`MAX_CLOCK_SKEW_SECS`] ahead.
    pub(crate) fn validity_at(&self, at: u64) -> Validity {
        if at.saturating_add(MAX_CLOCK_SKEW_SECS) < self.created_at {
            Validity::NotYet
        } else if at >= self.expires_at {
            Validity::Expired
        } else {
            Validity::Valid
        }
    }

    /// Parses a card's layout. Bounded: at most [`MAX_CARD_LEN`] bytes are read and every
    /// length is checked before use; trailing bytes are refused.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        if bytes.len() > MAX_CARD_LEN {
            return Err(DecodeError::TooLong {
                what: "device card",
                len: bytes.len(),
                max: MAX_CARD_LEN,
            }
            .into());
        }
        let mut r = Reader::new("device card", bytes);
        r.magic(CARD_MAGIC)?;
        r.version(CARD_VERSION)?;
        let device_id = DeviceId::from_bytes(r.array()?);
        let staff_id = short_str(&mut r, "staff_id", MAX_STAFF_ID_LEN)?.to_owned();
        if staff_id.is_empty() {
            return Err(IdentityError::Malformed { field: "staff_id" });
        }
        let display_name = short_str(&mut r, "display_name", MAX_DISPLAY_NAME_LEN)?.to_owned();
        let keys = DevicePublicKeys {
            x25519: r.array()?,
            ed25519: r.array()?,
        };
        let created_at = r.u64()?;
        let expires_at = r.u64()?;
        if expires_at <= created_at {
            return Err(IdentityError::Malformed {
                field: "validity period",
            });
        }
        let previous_ed25519 = if flag(&mut r, "has_previous")? {
            Some(r.array()?)
        } else {
            None
        };
        let body = bytes[..r.position()].to_vec();
        let device_sig = r.array()?;
        let rotation_sig = match previous_ed25519 {
            Some(_) => Some(r.array()?),
            None => None,
        };
        let attestation = if flag(&mut r, "has_attestation")? {
            Some(r.array()?)
        } else {
            None
        };
        r.finish()?;
        Ok(Self {
            body,
            device_id,
            staff_id,
            display_name,
            keys,
            created_at,
            expires_at,
            previous_ed25519,
            device_sig,
            rotation_sig,
            attestation,
        })
    }

    /// The canonical bytes of this card.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 64 * 3 + 1);
        out.extend_from_slice(&self.body);
        out.extend_from_slice(&self.device_sig);
        if let Some(sig) = &self.rotation_sig {
            out.extend_from_slice(sig);
        }
        match &self.attestation {
            Some(sig) => {
                out.push(1);
                out.extend_from_slice(sig);
            }
            None => out.push(0),
        }
        out
    }

    /// Returns this card with the organisation's attestation added (replacing any earlier
    /// one). The Trust's directory does this after checking the staff member's identity.
    pub fn attest(mut self, organisation: &OrganisationKey) -> Self {
        self.attestation = Some(organisation.sign(ATTESTATION_SIG_LABEL, &self.body));
        self
    }

    /// The device this card describes.
    pub fn device_id(&self) -> DeviceId {
        self.device_id
    }

    /// The staff member's identifier (NHSmail address or registration number).
    pub fn staff_id(&self) -> &str {
        &self.staff_id
    }

    /// The name to show for this person.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    /// The device's public keys.
    pub fn public_keys(&self) -> &DevicePublicKeys {
        &self.keys
    }

    /// When the card was issued (Unix seconds).
    pub fn created_at(&self) -> u64 {
        self.created_at
    }

    /// When the card stops being valid (Unix seconds, exclusive).
    pub fn expires_at(&self) -> u64 {
        self.expires_at
    }

    /// The Ed25519 key this card rotates from, if it is a rotation.
    pub fn previous_ed25519(&self) -> Option<&[u8; 32]> {
        self.previous_ed25519.as_ref()
    }

    /// Whether the card carries an organisation attestation (not yet checked).
    pub fn has_attestation(&self) -> bool {
        self.attestation.is_some()
    }

    /// Checks the card: the device signature, the rotation signature (if a rotation), the
    /// attestation (if present and an organisation key is configured, or if the policy
    /// requires one), the revocation list, then the validity period at `now` (Unix seconds;
    /// a creation time up to [`MAX_CLOCK_SKEW_SECS`] ahead is tolerated).
    pub fn verify(&self, policy: &TrustPolicy, now: u64) -> Result<VerifiedCard> {
        let device_key = self.keys.verifying_key()?;
        if !verify_labelled(&device_key, DEVICE_SIG_LABEL, &self.body, &self.device_sig) {
            return Err(IdentityError::BadDeviceSignature);
        }
        if let (Some(previous), Some(sig)) = (&self.previous_ed25519, &self.rotation_sig) {
            let previous_key = verifying_key(previous, "previous ed25519 public key")?;
            if !verify_labelled(&previous_key, ROTATION_SIG_LABEL, &self.body, sig) {
                return Err(IdentityError::BadRotationSignature);
            }
        }
        let attested = match &self.attestation {
            Some(sig) if !policy.organisations.is_empty() => {
                if !policy
                    .organisations
                    .iter()
                    .any(|org| org.verify(ATTESTATION_SIG_LABEL, &self.body, sig))
                {
                    return Err(IdentityError::BadAttestation);
                }
                true
            }
            _ => false,
        };
        if policy.require_attestation && !attested {
            return Err(IdentityError::NotAttested);
        }
        if policy
            .revocations
            .as_ref()
            .is_some_and(|list| list.is_revoked(self.device_id))
        {
            return Err(IdentityError::Revoked {
                device_id: self.device_id,
            });
        }
        match self.validity_at(now) {
            Validity::NotYet => {
                return Err(IdentityError::NotYetValid {
                    created_at: self.created_at,
                    now,
                });
            }
            Validity::Expired => {
                return Err(IdentityError::Expired {
                    expires_at: self.expires_at,
                    now,
                });
            }
            Validity::Valid => {}
        }
        Ok(VerifiedCard {
            card: self.clone(),
            attested,
        })
    }
}

/// What a device trusts when it checks cards: the organisation keys that may attest cards,
/// the newest revocation list, and whether an attestation is required.
///
/// The default trusts no organisation, has no revocation list and does not require
/// attestation (cards are then checked only for their own signatures and validity).
#[derive(Clone, Debug, Default)]
pub struct TrustPolicy {
    organisations: Vec<OrganisationPublicKey>,
    revocations: Option<RevocationList>,
    require_attestation: bool,
}

impl TrustPolicy {
    /// A policy that trusts no organisation and requires nothing beyond the device signature.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an organisation key whose attestations and revocation lists are trusted.
    pub fn with_organisation(mut self, key: OrganisationPublicKey) -> Self {
        self.organisations.push(key);
        self
    }

    /// Uses this revocation list (already verified by [`RevocationList::verify`]). Keep the
    /// newest one: compare [`RevocationList::issued_at`] before replacing a stored list.
    pub fn with_revocations(mut self, list: RevocationList) -> Self {
        self.revocations = Some(list);
        self
    }

    /// Requires an organisation attestation on every card (default `false`).
    pub fn require_attestation(mut self, required: bool) -> Self {
        self.require_attestation = required;
        self
    }

    /// The trusted organisation keys.
    pub fn organisations(&self) -> &[OrganisationPublicKey] {
        &self.organisations
    }
}

/// How a newly seen card relates to the one known before for the same contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyContinuity {
    /// The same device keys (a renewed or re-attested card).
    Same,
    /// New keys, signed by the previous device key: continuity is kept.
    Rotated,
    /// Different keys with no signature from the previous key: treat as a new identity.
    KeyChanged,
}

/// A card whose signatures, revocation status and validity were checked by
/// [`DeviceCard::verify`]; only that function makes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedCard {
    card: DeviceCard,
    attested: bool,
}

impl VerifiedCard {
    /// The checked card.
    pub fn card(&self) -> &DeviceCard {
        &self.card
    }

    /// Whether a trusted organisation key attested this card.
    pub fn is_attested(&self) -> bool {
        self.attested
    }

    /// Compares this card with `previous`, the card known before for the same contact.
    /// A rotation keeps the device id and staff identifier and names `previous`'s Ed25519 key
    /// (whose signature [`DeviceCard::verify`] checked).
    pub fn continuity_from(&self, previous: &VerifiedCard) -> KeyContinuity {
        let (new, old) = (&self.card, &previous.card);
        if new.device_id != old.device_id || new.staff_id != old.staff_id {
            return KeyContinuity::KeyChanged;
        }
        if new.keys == old.keys {
            KeyContinuity::Same
        } else if new.previous_ed25519 == Some(old.keys.ed25519) {
            KeyContinuity::Rotated
        } else {
            KeyContinuity::KeyChanged
        }
    }
}

/// A 0/1 flag byte; anything else is malformed (canonical encoding).
fn flag(r: &mut Reader<'_>, field: &'static str) -> Result<bool> {
    match r.u8()? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(IdentityError::Malformed { field }),
    }
}

/// A UTF-8 string with a one-byte length prefix, at most `max` bytes.
fn short_str<'a>(r: &mut Reader<'a>, field: &'static str, max: usize) -> Result<&'a str> {
    let len = usize::from(r.u8()?);
    core::str::from_utf8(r.bounded(field, len, max)?)
        .map_err(|_| IdentityError::Malformed { field })
}
