//! Emergency (network-outage) orders.
//!
//! ```text
//! order (integers big-endian)
//!   0  4  magic "CGEM"
//!   4  1  version = 1
//!   5  8  order id (the Trust's counter, informational)
//!  13  8  starts at (Unix seconds)
//!  21  8  ends at (Unix seconds; after starts at)
//!  29 64  Ed25519 signature by the organisation over "careguard/v1/emergency-order\0" || bytes 0..29
//! ```

use crate::identity::{OrganisationKey, OrganisationPublicKey};

use super::pack::{TrustError, VerifiedPack};
use crate::codec::Reader;

/// The four bytes every emergency order starts with.
pub const EMERGENCY_MAGIC: [u8; 4] = *b"CGEM";
const VERSION: u8 = 1;
const BODY_LEN: usize = 29;
const LABEL: &[u8] = b"careguard/v1/emergency-order\0";

/// The Trust's declaration that normal channels are down from `starts_at` to `ends_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmergencyOrder {
    /// The Trust's counter for orders.
    pub id: u64,
    /// Start (Unix seconds).
    pub starts_at: u64,
    /// End (Unix seconds).
    pub ends_at: u64,
}

impl EmergencyOrder {
    /// Signs the order with the organisation key.
    pub fn sign(&self, organisation: &OrganisationKey) -> Result<Vec<u8>, TrustError> {
        if self.ends_at <= self.starts_at {
            return Err(TrustError::Malformed { field: "ends at" });
        }
        let mut out = Vec::with_capacity(BODY_LEN + 64);
        out.extend_from_slice(&EMERGENCY_MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&self.id.to_be_bytes());
        out.extend_from_slice(&self.starts_at.to_be_bytes());
        out.extend_from_slice(&self.ends_at.to_be_bytes());
        let signature = organisation.sign(LABEL, &out);
        out.extend_from_slice(&signature);
        Ok(out)
    }
}

/// An emergency order checked against a pack by [`verify_emergency`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifiedEmergency {
    order: EmergencyOrder,
    pack_version: u64,
}

impl VerifiedEmergency {
    /// The order.
    pub fn order(&self) -> EmergencyOrder {
        self.order
    }

    /// The version of the pack it was checked against.
    pub fn pack_version(&self) -> u64 {
        self.pack_version
    }

    /// Whether it is in force at `now` (from `starts_at`, until before `ends_at`).
    pub fn in_force(&self, now: u64) -> bool {
        self.order.starts_at <= now && now < self.order.ends_at
    }
}

/// Verifies an emergency order: layout, a signature by one of `organisations`, that `pack`
/// allows emergency mode and orders this long, and that it has not ended at `now` (one that
/// starts later verifies but is not yet [in force](VerifiedEmergency::in_force)).
pub fn verify_emergency(
    bytes: &[u8],
    organisations: &[OrganisationPublicKey],
    pack: &VerifiedPack,
    now: u64,
) -> Result<VerifiedEmergency, TrustError> {
    let what = "emergency order";
    let mut r = Reader::new(what, bytes);
    r.magic(&EMERGENCY_MAGIC)?;
    r.version(VERSION)?;
    let order = EmergencyOrder {
        id: r.u64()?,
        starts_at: r.u64()?,
        ends_at: r.u64()?,
    };
    let sig: [u8; 64] = r.array()?;
    r.finish()?;
    if !organisations
        .iter()
        .any(|o| o.verify(LABEL, &bytes[..BODY_LEN], &sig))
    {
        return Err(TrustError::BadSignature { what });
    }
    if order.ends_at <= order.starts_at {
        return Err(TrustError::Malformed { field: "ends at" });
    }
    let rules = pack.pack();
    if !rules.emergency_allowed {
        return Err(TrustError::EmergencyNotAllowed(
            "the pack does not allow emergency mode",
        ));
    }
    if order.ends_at - order.starts_at > rules.emergency_max_secs {
        return Err(TrustError::EmergencyNotAllowed(
            "the order is longer than the pack allows",
        ));
    }
    if now >= order.ends_at {
        return Err(TrustError::Expired {
            what,
            expires_at: order.ends_at,
            now,
        });
    }
    Ok(VerifiedEmergency {
        order,
        pack_version: pack.version(),
    })
}
