//! Safety numbers: 60 digits (12 groups of 5) and a QR payload that two people compare to
//! check they hold each other's real keys.
//!
//! For each party (see docs/FORMAT.md "Safety number"):
//!
//! ```text
//! keys   = for each device, sorted ascending by ed25519_pk | x25519_pk: ed25519_pk[32] | x25519_pk[32]
//! h      = SHA-512("careguard/v1/identity/safety-number\0" | 0x0001 | u8 len | staff_id | u16 n | keys)
//! repeat SAFETY_ITERATIONS times: h = SHA-512(h | keys)
//! digits = for i in 0..6: (big-endian u40 of h[5i..5i+5]) mod 100000, zero-padded to 5 digits
//! ```
//!
//! The 60-digit number is the two parties' 30 digits, the smaller string first, so both sides
//! show the same number. The QR payload is `"CGSN" | 0x01 | local h[..32] | remote h[..32]`.

use sha2::{Digest, Sha512};

use super::card::VerifiedCard;
use super::error::{IdentityError, Result};
use super::keys::DevicePublicKeys;

/// How many SHA-512 iterations stretch each party's fingerprint (as Signal's safety numbers).
pub const SAFETY_ITERATIONS: u32 = 5200;
/// Number of decimal digits in a safety number.
pub const SAFETY_NUMBER_DIGITS: usize = 60;
/// Length in bytes of [`SafetyNumber::qr_payload`].
pub const SAFETY_QR_LEN: usize = 4 + 1 + 32 + 32;

const LABEL: &[u8] = b"careguard/v1/identity/safety-number\0";
const FORMAT_VERSION: u16 = 1;
const QR_MAGIC: &[u8; 4] = b"CGSN";
const QR_VERSION: u8 = 1;
/// Most devices one party may list: keeps the hashed input bounded.
const MAX_DEVICES: usize = 64;

/// One side of a safety number: a person's staff identifier and the public keys of all the
/// devices they use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SafetyParty {
    staff_id: String,
    devices: Vec<DevicePublicKeys>,
}

impl SafetyParty {
    /// A party with the given identifier and device keys (at least one, at most 64; order
    /// does not matter).
    pub fn new(staff_id: &str, devices: &[DevicePublicKeys]) -> Result<Self> {
        if staff_id.is_empty() || staff_id.len() > super::MAX_STAFF_ID_LEN {
            return Err(IdentityError::InvalidArgument {
                argument: "staff_id",
                reason: "must be 1 to MAX_STAFF_ID_LEN bytes",
            });
        }
        if devices.is_empty() || devices.len() > MAX_DEVICES {
            return Err(IdentityError::InvalidArgument {
                argument: "devices",
                reason: "must list 1 to 64 devices",
            });
        }
        let mut devices = devices.to_vec();
        devices.sort_unstable_by_key(|d| (d.ed25519, d.x25519));
        devices.dedup();
        Ok(Self {
            staff_id: staff_id.to_owned(),
            devices,
        })
    }

    /// The party described by one or more verified cards of the same staff identifier.
    pub fn from_cards(cards: &[&VerifiedCard]) -> Result<Self> {
        let Some(first) = cards.first() else {
            return Err(IdentityError::InvalidArgument {
                argument: "cards",
                reason: "must not be empty",
            });
        };
        let staff_id = first.card().staff_id();
        if cards.iter().any(|c| c.card().staff_id() != staff_id) {
            return Err(IdentityError::InvalidArgument {
                argument: "cards",
                reason: "belong to different staff identifiers",
            });
        }
        let devices: Vec<_> = cards.iter().map(|c| *c.card().public_keys()).collect();
        Self::new(staff_id, &devices)
    }

    fn fingerprint(&self) -> [u8; 64] {
        let mut keys = Vec::with_capacity(self.devices.len() * 64);
        for d in &self.devices {
            keys.extend_from_slice(&d.ed25519);
            keys.extend_from_slice(&d.x25519);
        }
        let mut h = Sha512::new();
        h.update(LABEL);
        h.update(FORMAT_VERSION.to_be_bytes());
        // Both bounded above (staff id <= 128 bytes, devices <= 64).
        h.update([self.staff_id.len() as u8]);
        h.update(self.staff_id.as_bytes());
        h.update((self.devices.len() as u16).to_be_bytes());
        h.update(&keys);
        let mut out: [u8; 64] = h.finalize().into();
        for _ in 0..SAFETY_ITERATIONS {
            let mut h = Sha512::new();
            h.update(out);
            h.update(&keys);
            out = h.finalize().into();
        }
        out
    }
}

fn digits(fingerprint: &[u8; 64]) -> String {
    let mut s = String::with_capacity(30);
    for chunk in fingerprint[..30].chunks_exact(5) {
        let v = chunk.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        s.push_str(&format!("{:05}", v % 100_000));
    }
    s
}

/// A safety number between the local person and a contact. Both sides compute the same
/// digits; any change of either side's keys or identifier changes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SafetyNumber {
    digits: String,
    local: [u8; 32],
    remote: [u8; 32],
}

impl SafetyNumber {
    /// Computes the safety number between `local` (this user) and `remote` (the contact).
    pub fn compute(local: &SafetyParty, remote: &SafetyParty) -> Self {
        let (lf, rf) = (local.fingerprint(), remote.fingerprint());
        let (ld, rd) = (digits(&lf), digits(&rf));
        let digits = if ld <= rd { ld + &rd } else { rd + &ld };
        let mut local = [0u8; 32];
        local.copy_from_slice(&lf[..32]);
        let mut remote = [0u8; 32];
        remote.copy_from_slice(&rf[..32]);
        Self {
            digits,
            local,
            remote,
        }
    }

    /// The 60 digits, without spaces.
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// The digits in 12 groups of 5, separated by spaces, for display.
    pub fn display_groups(&self) -> String {
        let groups: Vec<&str> = (0..12).map(|i| &self.digits[i * 5..i * 5 + 5]).collect();
        groups.join(" ")
    }

    /// The bytes to show as a QR code: `"CGSN" | 0x01 | local fingerprint | remote fingerprint`.
    pub fn qr_payload(&self) -> [u8; SAFETY_QR_LEN] {
        let mut out = [0u8; SAFETY_QR_LEN];
        out[..4].copy_from_slice(QR_MAGIC);
        out[4] = QR_VERSION;
        out[5..37].copy_from_slice(&self.local);
        out[37..].copy_from_slice(&self.remote);
        out
    }

    /// Checks a QR payload scanned from the contact's screen: it matches when the contact's
    /// "local" is our "remote" and the other way round. `Ok(false)` means the keys differ
    /// (do not mark the contact verified); an error means the payload is not a careguard
    /// safety-number code.
    pub fn matches_scanned(&self, payload: &[u8]) -> Result<bool> {
        if payload.len() != SAFETY_QR_LEN || &payload[..4] != QR_MAGIC {
            return Err(IdentityError::BadQrPayload);
        }
        if payload[4] != QR_VERSION {
            return Err(crate::DecodeError::UnsupportedVersion {
                what: "safety-number qr payload",
                version: payload[4],
            }
            .into());
        }
        Ok(payload[5..37] == self.remote && payload[37..] == self.local)
    }
}
