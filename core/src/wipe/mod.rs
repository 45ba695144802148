//! Remote and local wipe: crypto-shredding the vault.
//!
//! # Security notes
//!
//! A wipe replaces the vault blob with a *tombstone* and drops the unlocked
//! vault, wiping the master key from memory. Every envelope KEK and every secret
//! stored with [`crate::vault::Unlocked::wrap_secret`] derives from that master
//! key, so once the old blob is overwritten, stored envelopes cannot be opened
//! by anyone, with or without the PIN. careguard cannot overwrite storage
//! itself: the app must replace the blob, delete message files and, where the
//! platform allows, delete the device secret from the keystore (which makes
//! even a leftover copy of the blob useless). Flash storage may keep old copies
//! of a file: the device secret is what makes such copies worthless.
//!
//! A remote wipe order is signed by the organisation's Ed25519 key, names one
//! device and one *enrolment* of it, and carries a counter that must exceed the
//! last one this device accepted, so an order cannot be replayed or redirected to
//! another device. The enrolment epoch is a number the app draws at random when it
//! enrols (and registers with the organisation next to the device id) and draws
//! anew after every reset: an app reset loses the last accepted counter, so without
//! the epoch every old order for a reused device id would verify again and wipe the
//! new enrolment. Verification produces a [`VerifiedWipeOrder`], which [`execute`]
//! requires.
//!
//! Orders carry no expiry, by design: a lost device that stays offline for months
//! must still be wiped when it comes back.
//!
//! # Wipe order layout (version 2, integers big-endian)
//!
//! ```text
//!   0  4  magic "CGWO"
//!   4  1  version = 2
//!   5  8  counter (strictly increasing per device)
//!  13  8  issued at (Unix seconds; informational)
//!  21  8  enrolment epoch (the device's current enrolment)
//!  29  1  device id length n (1..=64)
//!  30  n  device id
//! 30+n 64 Ed25519 signature over "careguard/v2/wipe-order" || bytes 0..30+n
//! ```
//!
//! Version 1 orders (no enrolment epoch) are refused as unsupported.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use crate::codec::{Reader, Writer};
use crate::vault::{Unlocked, WipeReason};
use crate::{DecodeError, SecretKey};

/// The four bytes every wipe order starts with.
pub const ORDER_MAGIC: [u8; 4] = *b"CGWO";
/// The wipe order version this library writes and reads.
pub const ORDER_VERSION: u8 = 2;
/// Longest device id, in bytes.
pub const MAX_DEVICE_ID_LEN: usize = 64;
/// Longest valid wipe order, in bytes.
pub const MAX_ORDER_LEN: usize = HEADER_LEN + MAX_DEVICE_ID_LEN + SIGNATURE_LEN;
/// Domain-separation prefix of the signed message.
pub const SIGNING_CONTEXT: &[u8] = b"careguard/v2/wipe-order";

const HEADER_LEN: usize = 30;
const SIGNATURE_LEN: usize = 64;

/// `Result` with a [`WipeError`].
pub type Result<T> = core::result::Result<T, WipeError>;

/// Why a wipe order was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WipeError {
    /// the bytes are not a wipe order of this version: bad magic, unsupported
    /// version, truncated, trailing bytes
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// a device id length of 0 or above [`MAX_DEVICE_ID_LEN`]
    #[error("invalid device id length {0}")]
    InvalidDeviceIdLength(usize),
    /// the signature does not verify under the organisation key
    #[error("wipe order signature does not verify")]
    BadSignature,
    /// misuse: the configured organisation public key is not a valid Ed25519 key
    #[error("invalid organisation public key")]
    InvalidOrgKey,
    /// an authentic order for another device
    #[error("wipe order is for another device")]
    WrongDevice,
    /// an authentic order for this device id but an earlier (or another) enrolment of
    /// it, e.g. one replayed after an app reset
    #[error("wipe order is for enrolment {order}, this device is enrolment {device}")]
    WrongEnrolment {
        /// the order's enrolment epoch
        order: u64,
        /// the device's current enrolment epoch
        device: u64,
    },
    /// an authentic order whose counter is not above the last one accepted
    #[error("replayed wipe order: counter {counter} is not above {last_accepted}")]
    Replayed {
        /// the order's counter
        counter: u64,
        /// the last counter this device accepted
        last_accepted: u64,
    },
}

impl WipeError {
    /// The stable code the bindings report for this error.
    pub fn code(&self) -> crate::ErrorCode {
        use crate::ErrorCode as C;
        match self {
            Self::Decode(e) => e.code(),
            Self::InvalidDeviceIdLength(_) => C::InvalidLength,
            Self::BadSignature => C::BadSignature,
            Self::InvalidOrgKey => C::InvalidArgument,
            Self::WrongDevice => C::WrongDevice,
            Self::WrongEnrolment { .. } => C::WrongEnrolment,
            Self::Replayed { .. } => C::Replayed,
        }
    }
}

/// A wipe order's content, before signing (organisation side) or as parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WipeOrder {
    counter: u64,
    issued_at: u64,
    enrolment: u64,
    device_id: Vec<u8>,
}

impl WipeOrder {
    /// An order for enrolment `enrolment` of `device_id` (1 to [`MAX_DEVICE_ID_LEN`]
    /// bytes): the epoch the device registered when it enrolled.
    pub fn new(device_id: &[u8], enrolment: u64, counter: u64, issued_at: u64) -> Result<Self> {
        if device_id.is_empty() || device_id.len() > MAX_DEVICE_ID_LEN {
            return Err(WipeError::InvalidDeviceIdLength(device_id.len()));
        }
        Ok(Self {
            counter,
            issued_at,
            enrolment,
            device_id: device_id.to_vec(),
        })
    }

    /// Signs the order with the organisation's Ed25519 key (its 32-byte seed).
    pub fn sign(&self, org_seed: &SecretKey) -> Vec<u8> {
        let mut out = self.body();
        let signature =
            SigningKey::from_bytes(org_seed.expose_secret()).sign(&signed_message(&out));
        out.extend_from_slice(&signature.to_bytes());
        out
    }

    /// Parses an order's layout without checking its signature (for display
    /// and diagnostics only; to act on an order use [`verify`]).
    pub fn parse_unverified(bytes: &[u8]) -> Result<Self> {
        parse(bytes).map(|(order, _, _)| order)
    }

    /// The replay counter.
    pub fn counter(&self) -> u64 {
        self.counter
    }

    /// When the organisation issued it (Unix seconds).
    pub fn issued_at(&self) -> u64 {
        self.issued_at
    }

    /// The device it is for.
    pub fn device_id(&self) -> &[u8] {
        &self.device_id
    }

    /// The enrolment of the device it is for.
    pub fn enrolment(&self) -> u64 {
        self.enrolment
    }

    fn body(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + self.device_id.len() + SIGNATURE_LEN);
        Writer::new(&mut out)
            .bytes(&ORDER_MAGIC)
            .u8(ORDER_VERSION)
            .u64(self.counter)
            .u64(self.issued_at)
            .u64(self.enrolment)
            // new() bounds the length to 1..=64, so it fits in a byte.
            .u8(u8::try_from(self.device_id.len()).unwrap_or(u8::MAX))
            .bytes(&self.device_id);
        out
    }
}

/// The public key matching an organisation signing seed.
pub fn org_public_key(org_seed: &SecretKey) -> [u8; 32] {
    SigningKey::from_bytes(org_seed.expose_secret())
        .verifying_key()
        .to_bytes()
}

fn signed_message(body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(SIGNING_CONTEXT.len() + body.len());
    m.extend_from_slice(SIGNING_CONTEXT);
    m.extend_from_slice(body);
    m
}

fn parse(bytes: &[u8]) -> Result<(WipeOrder, &[u8], [u8; SIGNATURE_LEN])> {
    let mut r = Reader::new("wipe order", bytes);
    r.require(HEADER_LEN)?;
    r.magic(&ORDER_MAGIC)?;
    r.version(ORDER_VERSION)?;
    let counter = r.u64()?;
    let issued_at = r.u64()?;
    let enrolment = r.u64()?;
    let n = usize::from(r.u8()?);
    if n == 0 || n > MAX_DEVICE_ID_LEN {
        return Err(WipeError::InvalidDeviceIdLength(n));
    }
    r.exact_len(HEADER_LEN + n + SIGNATURE_LEN)?;
    let device_id = r.take(n)?.to_vec();
    let body = &bytes[..r.position()];
    let signature = r.array()?;
    let order = WipeOrder {
        counter,
        issued_at,
        enrolment,
        device_id,
    };
    Ok((order, body, signature))
}

/// Proof that a wipe order was verified: signed by the organisation, for this
/// device, not replayed. Only [`verify`] makes one and [`execute`] consumes it.
#[derive(Debug)]
pub struct VerifiedWipeOrder {
    order: WipeOrder,
}

impl VerifiedWipeOrder {
    /// The order's counter: persist it as the device's last accepted counter.
    pub fn counter(&self) -> u64 {
        self.order.counter
    }

    /// When the organisation issued it (Unix seconds).
    pub fn issued_at(&self) -> u64 {
        self.order.issued_at
    }
}

/// Verifies a wipe order: layout, then the Ed25519 signature (strict: no
/// malleable or small-order signatures) under `org_public_key`, then that it
/// names `device_id`, then that it is for `enrolment` (this device's current
/// enrolment epoch), then that its counter exceeds `last_accepted` (`None` if
/// this enrolment never accepted an order).
pub fn verify(
    bytes: &[u8],
    org_public_key: &[u8; 32],
    device_id: &[u8],
    enrolment: u64,
    last_accepted: Option<u64>,
) -> Result<VerifiedWipeOrder> {
    let key = VerifyingKey::from_bytes(org_public_key).map_err(|_| WipeError::InvalidOrgKey)?;
    let (order, body, signature) = parse(bytes)?;
    key.verify_strict(&signed_message(body), &Signature::from_bytes(&signature))
        .map_err(|_| WipeError::BadSignature)?;
    if order.device_id != device_id {
        return Err(WipeError::WrongDevice);
    }
    if order.enrolment != enrolment {
        return Err(WipeError::WrongEnrolment {
            order: order.enrolment,
            device: enrolment,
        });
    }
    if let Some(last) = last_accepted
        && order.counter <= last
    {
        return Err(WipeError::Replayed {
            counter: order.counter,
            last_accepted: last,
        });
    }
    Ok(VerifiedWipeOrder { order })
}

/// What a wipe leaves for the app to persist.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WipeOutcome {
    /// bytes that replace the vault blob (a later unlock reports `Wiped`)
    pub tombstone: Vec<u8>,
    /// the order's counter, to persist as the last accepted one (remote wipes)
    pub accepted_counter: Option<u64>,
}

/// Carries out a verified remote wipe: drops (and so zeroizes) the unlocked
/// vault, if any, and returns the tombstone to store in place of the blob. The
/// app must then delete the message store and the device secret.
pub fn execute(order: VerifiedWipeOrder, vault: Option<Unlocked>, now: u64) -> WipeOutcome {
    drop(vault);
    WipeOutcome {
        tombstone: crate::vault::tombstone(WipeReason::RemoteOrder, now),
        accepted_counter: Some(order.counter()),
    }
}

/// Why a device wipes itself without an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LocalWipeReason {
    /// the vault reported [`crate::vault::VaultError::WipedAfterFailures`]
    PinFailures,
    /// the user (or the app's own logic) asked for it
    UserRequest,
}

/// A local wipe: drops the vault, if any, and returns the tombstone to store.
pub fn local_wipe(reason: LocalWipeReason, vault: Option<Unlocked>, now: u64) -> WipeOutcome {
    drop(vault);
    let reason = match reason {
        LocalWipeReason::PinFailures => WipeReason::PinFailures,
        LocalWipeReason::UserRequest => WipeReason::UserRequest,
    };
    WipeOutcome {
        tombstone: crate::vault::tombstone(reason, now),
        accepted_counter: None,
    }
}
