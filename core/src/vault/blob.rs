//! The vault blob's byte layout (docs/FORMAT.md, "Vault blob"). Layout only; no crypto.
//!
//! Active blob, 108 bytes, integers big-endian:
//!
//! ```text
//!   0  4  magic "CGVB"
//!   4  1  version = 1
//!   5  1  state = 0 (active)
//!   6  1  kdf = 1 (Argon2id v0x13)
//!   7  4  m_cost (KiB)
//!  11  4  t_cost
//!  15  4  p_cost
//!  19  1  flags (bit 0: a device secret is mixed in; other bits must be 0)
//!  20 16  salt
//!  36 12  nonce
//!  48 48  wrapped master key (AES-256-GCM ciphertext 32 + tag 16; AAD = bytes 0..36)
//!  96  4  failed attempts (written before every PIN check; not authenticated)
//! 100  8  last attempt at (Unix seconds; not authenticated)
//! ```
//!
//! Tombstone (wiped vault), 15 bytes: magic, version, state = 1, reason (u8),
//! wiped at (u64).

use super::{KdfParams, VaultError, WipeReason};
use crate::codec::{Reader, Writer};

/// The four bytes every vault blob starts with.
pub const BLOB_MAGIC: [u8; 4] = *b"CGVB";
/// The blob version this library writes and reads.
pub const BLOB_VERSION: u8 = 1;
/// Length of an active (not wiped) version-1 blob.
pub const BLOB_LEN: usize = 108;
/// Length of a version-1 tombstone.
pub const TOMBSTONE_LEN: usize = 15;
/// Length of the random Argon2 salt.
pub const SALT_LEN: usize = 16;

const PREFIX_LEN: usize = 6;
pub(crate) const AAD_LEN: usize = 36;
pub(crate) const NONCE_LEN: usize = 12;
pub(crate) const WRAPPED_LEN: usize = 48;
const STATE_ACTIVE: u8 = 0;
const STATE_WIPED: u8 = 1;
const KDF_ARGON2ID_13: u8 = 1;
const FLAG_DEVICE_SECRET: u8 = 0x01;

/// A parsed active blob. Holds no secret: the master key inside is wrapped.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct ActiveBlob {
    pub(crate) params: KdfParams,
    pub(crate) device_bound: bool,
    pub(crate) salt: [u8; SALT_LEN],
    pub(crate) nonce: [u8; NONCE_LEN],
    pub(crate) wrapped: [u8; WRAPPED_LEN],
    pub(crate) failures: u32,
    pub(crate) last_attempt_at: u64,
}

/// A parsed blob: a live vault or the tombstone a wipe leaves.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum Blob {
    Active(ActiveBlob),
    Wiped { reason: WipeReason, wiped_at: u64 },
}

impl ActiveBlob {
    /// Bytes 0..36, authenticated as associated data of the wrapped master key,
    /// so the parameters, salt and device flag cannot be changed undetected.
    pub(crate) fn aad(&self) -> [u8; AAD_LEN] {
        let mut out = [0u8; AAD_LEN];
        out[..4].copy_from_slice(&BLOB_MAGIC);
        out[4] = BLOB_VERSION;
        out[5] = STATE_ACTIVE;
        out[6] = KDF_ARGON2ID_13;
        out[7..11].copy_from_slice(&self.params.m_kib().to_be_bytes());
        out[11..15].copy_from_slice(&self.params.t_cost().to_be_bytes());
        out[15..19].copy_from_slice(&self.params.p_cost().to_be_bytes());
        out[19] = if self.device_bound {
            FLAG_DEVICE_SECRET
        } else {
            0
        };
        out[20..36].copy_from_slice(&self.salt);
        out
    }

    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(BLOB_LEN);
        Writer::new(&mut out)
            .bytes(&self.aad())
            .bytes(&self.nonce)
            .bytes(&self.wrapped)
            .u32(self.failures)
            .u64(self.last_attempt_at);
        out
    }
}

pub(crate) fn encode_tombstone(reason: WipeReason, wiped_at: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(TOMBSTONE_LEN);
    Writer::new(&mut out)
        .bytes(&BLOB_MAGIC)
        .u8(BLOB_VERSION)
        .u8(STATE_WIPED)
        .u8(reason.to_byte())
        .u64(wiped_at);
    out
}

/// Parses a blob. Checks, in order: length of the fixed prefix, magic, version,
/// state, exact length for that state, then each field. Never panics.
///
/// The reader checks every length; the fields of the two fixed-length layouts are then
/// read at their offsets (in bounds once `exact_len` passed): reading each through the
/// reader cost about 475 bytes of the size-budgeted WASM package (gzipped).
pub(crate) fn parse(bytes: &[u8]) -> Result<Blob, VaultError> {
    let mut r = Reader::new("vault blob", bytes);
    r.require(PREFIX_LEN)?;
    r.magic(&BLOB_MAGIC)?;
    r.version(BLOB_VERSION)?;
    match bytes[5] {
        STATE_ACTIVE => {
            r.exact_len(BLOB_LEN)?;
            if bytes[6] != KDF_ARGON2ID_13 {
                return Err(VaultError::UnsupportedKdf(bytes[6]));
            }
            let params = KdfParams::from_blob(be32(bytes, 7), be32(bytes, 11), be32(bytes, 15))?;
            let flags = bytes[19];
            if flags & !FLAG_DEVICE_SECRET != 0 {
                return Err(VaultError::UnknownFlags(flags));
            }
            let mut salt = [0u8; SALT_LEN];
            salt.copy_from_slice(&bytes[20..36]);
            let mut nonce = [0u8; NONCE_LEN];
            nonce.copy_from_slice(&bytes[36..48]);
            let mut wrapped = [0u8; WRAPPED_LEN];
            wrapped.copy_from_slice(&bytes[48..96]);
            Ok(Blob::Active(ActiveBlob {
                params,
                device_bound: flags & FLAG_DEVICE_SECRET != 0,
                salt,
                nonce,
                wrapped,
                failures: be32(bytes, 96),
                last_attempt_at: be64(bytes, 100),
            }))
        }
        STATE_WIPED => {
            r.exact_len(TOMBSTONE_LEN)?;
            let reason =
                WipeReason::from_byte(bytes[6]).ok_or(VaultError::UnknownWipeReason(bytes[6]))?;
            Ok(Blob::Wiped {
                reason,
                wiped_at: be64(bytes, 7),
            })
        }
        other => Err(VaultError::UnknownState(other)),
    }
}

fn be32(b: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[at..at + 4]);
    u32::from_be_bytes(a)
}

fn be64(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_be_bytes(a)
}
