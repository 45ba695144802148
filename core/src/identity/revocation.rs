//! Organisation-signed lists of revoked devices.
//!
//! Layout (version 1, big-endian; see docs/FORMAT.md "Revocation list"):
//!
//! ```text
//! body = "CGRL" | 0x01 | issued_at u64 | count u32 | device_id[16] * count (strictly ascending)
//! list = body | org_sig[64]      org_sig = Ed25519(org, "careguard/v1/identity/revocation\0" | body)
//! ```

use super::error::{IdentityError, Result};
use super::keys::{DEVICE_ID_LEN, DeviceId, OrganisationKey, OrganisationPublicKey};
use crate::DecodeError;
use crate::codec::Reader;

/// Magic bytes that start a revocation list.
pub const REVOCATION_MAGIC: &[u8; 4] = b"CGRL";
/// The most devices one revocation list may name.
pub const MAX_REVOKED: usize = 100_000;

const VERSION: u8 = 1;
const LABEL: &[u8] = b"careguard/v1/identity/revocation\0";
const HEADER_LEN: usize = 4 + 1 + 8 + 4;

/// A revocation list whose organisation signature has been checked ([`RevocationList::verify`])
/// or that was just signed ([`RevocationList::sign`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevocationList {
    issued_at: u64,
    revoked: Vec<DeviceId>,
    bytes: Vec<u8>,
}

impl RevocationList {
    /// Signs a list of revoked devices as of `issued_at` (Unix seconds). Duplicates are
    /// removed and the ids sorted.
    pub fn sign(
        organisation: &OrganisationKey,
        issued_at: u64,
        revoked: &[DeviceId],
    ) -> Result<Self> {
        let mut revoked = revoked.to_vec();
        revoked.sort_unstable();
        revoked.dedup();
        if revoked.len() > MAX_REVOKED {
            return Err(IdentityError::InvalidArgument {
                argument: "revoked",
                reason: "more devices than MAX_REVOKED",
            });
        }
        let mut bytes = Vec::with_capacity(HEADER_LEN + revoked.len() * DEVICE_ID_LEN + 64);
        bytes.extend_from_slice(REVOCATION_MAGIC);
        bytes.push(VERSION);
        bytes.extend_from_slice(&issued_at.to_be_bytes());
        // At most MAX_REVOKED, which fits in u32.
        bytes.extend_from_slice(&(revoked.len() as u32).to_be_bytes());
        for id in &revoked {
            bytes.extend_from_slice(id.as_bytes());
        }
        let sig = organisation.sign(LABEL, &bytes);
        bytes.extend_from_slice(&sig);
        Ok(Self {
            issued_at,
            revoked,
            bytes,
        })
    }

    /// Parses `bytes` and checks the signature against the trusted organisation keys.
    pub fn verify(bytes: &[u8], organisations: &[OrganisationPublicKey]) -> Result<Self> {
        let mut r = Reader::new("revocation list", bytes);
        r.magic(REVOCATION_MAGIC)?;
        r.version(VERSION)?;
        let issued_at = r.u64()?;
        let count = r.u32()? as usize;
        if count > MAX_REVOKED {
            return Err(DecodeError::TooLong {
                what: "revocation list",
                len: count,
                max: MAX_REVOKED,
            }
            .into());
        }
        let ids = r.take(count * DEVICE_ID_LEN)?;
        let body_len = r.position();
        let sig: [u8; 64] = r.array()?;
        r.finish()?;
        if !organisations
            .iter()
            .any(|org| org.verify(LABEL, &bytes[..body_len], &sig))
        {
            return Err(IdentityError::BadRevocationSignature);
        }
        let mut revoked = Vec::with_capacity(count);
        for chunk in ids.chunks_exact(DEVICE_ID_LEN) {
            let mut id = [0u8; DEVICE_ID_LEN];
            id.copy_from_slice(chunk);
            let id = DeviceId::from_bytes(id);
            if revoked.last().is_some_and(|last| *last >= id) {
                return Err(IdentityError::Malformed {
                    field: "revocation list order",
                });
            }
            revoked.push(id);
        }
        Ok(Self {
            issued_at,
            revoked,
            bytes: bytes.to_vec(),
        })
    }

    /// When the organisation issued the list (Unix seconds). A newer list replaces an older
    /// one; never replace a list with one issued earlier (rollback).
    pub fn issued_at(&self) -> u64 {
        self.issued_at
    }

    /// Whether `device` is on the list.
    pub fn is_revoked(&self, device: DeviceId) -> bool {
        self.revoked.binary_search(&device).is_ok()
    }

    /// The revoked devices, ascending.
    pub fn revoked(&self) -> &[DeviceId] {
        &self.revoked
    }

    /// The signed bytes, to store or pass on.
    pub fn to_bytes(&self) -> &[u8] {
        &self.bytes
    }
}
