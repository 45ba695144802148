//! Device identity keys (X25519 for HPKE, Ed25519 for signatures) and the organisation's
//! signing key.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use rand_core::CryptoRng;
use x25519_dalek::StaticSecret;
use zeroize::Zeroizing;

use super::error::{IdentityError, Result};
use crate::codec::Reader;

/// Length of a [`DeviceId`] in bytes.
pub const DEVICE_ID_LEN: usize = 16;

/// Length of [`DeviceKeys::to_secret_bytes`]: version, device id, X25519 and Ed25519 secrets.
pub const DEVICE_KEYS_SECRET_LEN: usize = 1 + DEVICE_ID_LEN + 32 + 32;

/// The label under which apps store [`DeviceKeys::to_secret_bytes`] with the vault's
/// `wrap_secret`, so a wipe of the vault crypto-shreds the device's identity.
pub const VAULT_LABEL: &str = "careguard/v1/identity/device-keys";

const SECRET_VERSION: u8 = 1;

/// A random 128-bit identifier of one device (not of a person: a person has one per device).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeviceId([u8; DEVICE_ID_LEN]);

impl DeviceId {
    /// Wraps existing identifier bytes.
    pub const fn from_bytes(bytes: [u8; DEVICE_ID_LEN]) -> Self {
        Self(bytes)
    }

    /// Draws a fresh random device id.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut bytes = [0u8; DEVICE_ID_LEN];
        rng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// The identifier bytes.
    pub const fn as_bytes(&self) -> &[u8; DEVICE_ID_LEN] {
        &self.0
    }
}

impl core::fmt::Display for DeviceId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl core::fmt::Debug for DeviceId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "DeviceId({self})")
    }
}

/// A device's public keys, as published in its [`DeviceCard`](super::DeviceCard).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct DevicePublicKeys {
    /// The X25519 public key that HPKE stanzas are sealed to.
    pub x25519: [u8; 32],
    /// The Ed25519 public key that verifies the device's signatures.
    pub ed25519: [u8; 32],
}

impl DevicePublicKeys {
    pub(crate) fn verifying_key(&self) -> Result<VerifyingKey> {
        verifying_key(&self.ed25519, "ed25519 public key")
    }
}

pub(crate) fn verifying_key(bytes: &[u8; 32], field: &'static str) -> Result<VerifyingKey> {
    let key = VerifyingKey::from_bytes(bytes).map_err(|_| IdentityError::Malformed { field })?;
    // A small-order key lets anyone forge signatures that verify; refuse it outright.
    if key.is_weak() {
        return Err(IdentityError::Malformed { field });
    }
    Ok(key)
}

/// Verifies `signature` by `key` over `label || message` (strict RFC 8032 verification).
pub(crate) fn verify_labelled(
    key: &VerifyingKey,
    label: &[u8],
    message: &[u8],
    signature: &[u8; 64],
) -> bool {
    // `message` may hold plaintext (the sender signature covers the payload).
    let signed = Zeroizing::new([label, message].concat());
    key.verify_strict(&signed, &Signature::from_bytes(signature))
        .is_ok()
}

pub(crate) fn sign_labelled(key: &SigningKey, label: &[u8], message: &[u8]) -> [u8; 64] {
    let signed = Zeroizing::new([label, message].concat());
    key.sign(&signed).to_bytes()
}

/// A device's identity secrets: an X25519 key for HPKE and an Ed25519 signing key, with the
/// device id they belong to.
///
/// Generated on the device ([`DeviceKeys::generate`]) and stored only wrapped under the
/// vault's master key ([`DeviceKeys::to_secret_bytes`] with [`VAULT_LABEL`]). Wiped on drop;
/// no `Clone`; `Debug` shows the device id only.
pub struct DeviceKeys {
    device_id: DeviceId,
    x25519: StaticSecret,
    ed25519: SigningKey,
    /// Set when the keys were unwrapped from a vault: they stop working when it locks.
    lease: Option<crate::vault::Lease>,
}

impl DeviceKeys {
    /// Generates keys for a new device, with a fresh random device id.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let device_id = DeviceId::generate(rng);
        Self::generate_for(device_id, rng)
    }

    /// Generates fresh keys for an existing device id (what [`DeviceKeys::rotate`] does).
    pub fn generate_for<R: CryptoRng + ?Sized>(device_id: DeviceId, rng: &mut R) -> Self {
        let x25519 = StaticSecret::random_from_rng(rng);
        let ed25519 = SigningKey::generate(rng);
        Self {
            device_id,
            x25519,
            ed25519,
            lease: None,
        }
    }

    /// Draws new keys for the same device. Issue the next card with
    /// [`DeviceKeys::issue_rotated_card`], signed by the old keys, so contacts see a rotation
    /// rather than a key change; then drop the old keys.
    pub fn rotate<R: CryptoRng + ?Sized>(&self, rng: &mut R) -> Self {
        Self::generate_for(self.device_id, rng)
    }

    /// This device's id.
    pub fn device_id(&self) -> DeviceId {
        self.device_id
    }

    /// The public halves, to publish in a card.
    pub fn public_keys(&self) -> DevicePublicKeys {
        DevicePublicKeys {
            x25519: x25519_dalek::PublicKey::from(&self.x25519).to_bytes(),
            ed25519: self.ed25519.verifying_key().to_bytes(),
        }
    }

    /// Serialises the secrets for storage under the vault's master key (label
    /// [`VAULT_LABEL`]): version 1, device id, X25519 secret, Ed25519 secret.
    pub fn to_secret_bytes(&self) -> Zeroizing<[u8; DEVICE_KEYS_SECRET_LEN]> {
        let mut out = Zeroizing::new([0u8; DEVICE_KEYS_SECRET_LEN]);
        out[0] = SECRET_VERSION;
        out[1..17].copy_from_slice(self.device_id.as_bytes());
        out[17..49].copy_from_slice(self.x25519.as_bytes());
        out[49..81].copy_from_slice(self.ed25519.as_bytes());
        out
    }

    /// Reads secrets written by [`DeviceKeys::to_secret_bytes`].
    pub fn from_secret_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new("device keys", bytes);
        r.version(SECRET_VERSION)?;
        let device_id = DeviceId(r.array()?);
        let x25519 = Zeroizing::new(r.array::<32>()?);
        let ed25519 = Zeroizing::new(r.array::<32>()?);
        r.finish()?;
        Ok(Self {
            device_id,
            x25519: StaticSecret::from(*x25519),
            ed25519: SigningKey::from_bytes(&ed25519),
            lease: None,
        })
    }

    /// Wraps these keys under the unlocked vault's master key (label [`VAULT_LABEL`]), so a
    /// wipe of the vault crypto-shreds them. Store the returned bytes.
    pub fn wrap_in_vault<R: CryptoRng + ?Sized>(
        &self,
        vault: &crate::vault::Unlocked,
        rng: &mut R,
    ) -> Result<Vec<u8>> {
        Ok(vault.wrap_secret(VAULT_LABEL, &self.to_secret_bytes()[..], rng)?)
    }

    /// Unwraps keys stored by [`DeviceKeys::wrap_in_vault`]. The keys live as long as
    /// `vault` stays unlocked: once it is locked, idle-locked or wiped, signing and
    /// HPKE opening with them fail with [`IdentityError::KeyRevoked`].
    pub fn unwrap_from_vault(vault: &crate::vault::Unlocked, wrapped: &[u8]) -> Result<Self> {
        let secret = vault.unwrap_secret(VAULT_LABEL, wrapped)?;
        let mut keys = Self::from_secret_bytes(&secret)?;
        keys.lease = Some(vault.lease());
        Ok(keys)
    }

    /// Whether the secrets may still be used (always, unless they came from a vault
    /// that has been locked or wiped since).
    pub fn is_live(&self) -> bool {
        self.lease.as_ref().is_none_or(crate::vault::Lease::is_live)
    }

    fn check_live(&self) -> Result<()> {
        if self.is_live() {
            Ok(())
        } else {
            Err(IdentityError::KeyRevoked)
        }
    }

    pub(crate) fn x25519_secret(&self) -> Result<&StaticSecret> {
        self.check_live()?;
        Ok(&self.x25519)
    }

    /// Signs `message` with this device's Ed25519 key under a domain-separation label.
    pub(crate) fn sign(&self, label: &[u8], message: &[u8]) -> Result<[u8; 64]> {
        self.check_live()?;
        Ok(sign_labelled(&self.ed25519, label, message))
    }
}

impl core::fmt::Debug for DeviceKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DeviceKeys")
            .field("device_id", &self.device_id)
            .finish_non_exhaustive()
    }
}

/// The organisation's (the Trust's) Ed25519 signing key: attests device cards and signs
/// revocation lists. Held by the Trust's directory service, not by ordinary devices.
pub struct OrganisationKey(SigningKey);

impl OrganisationKey {
    /// Draws a fresh organisation key.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self(SigningKey::generate(rng))
    }

    /// Wraps an existing 32-byte Ed25519 secret.
    pub fn from_secret_bytes(secret: &[u8; 32]) -> Self {
        Self(SigningKey::from_bytes(secret))
    }

    /// The 32-byte Ed25519 secret, for the Trust's own key storage.
    pub fn to_secret_bytes(&self) -> Zeroizing<[u8; 32]> {
        let mut out = Zeroizing::new([0u8; 32]);
        out.copy_from_slice(self.0.as_bytes());
        out
    }

    /// The public key that devices trust.
    pub fn public_key(&self) -> OrganisationPublicKey {
        OrganisationPublicKey(self.0.verifying_key())
    }

    pub(crate) fn sign(&self, label: &[u8], message: &[u8]) -> [u8; 64] {
        sign_labelled(&self.0, label, message)
    }
}

impl core::fmt::Debug for OrganisationKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("OrganisationKey")
            .field("public_key", &self.public_key())
            .finish_non_exhaustive()
    }
}

/// An organisation's Ed25519 public key, configured into apps as a trust anchor.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct OrganisationPublicKey(VerifyingKey);

impl OrganisationPublicKey {
    /// Reads a 32-byte Ed25519 public key; refuses invalid and small-order points.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self> {
        verifying_key(bytes, "organisation public key").map(Self)
    }

    /// The 32 key bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    pub(crate) fn verify(&self, label: &[u8], message: &[u8], signature: &[u8; 64]) -> bool {
        verify_labelled(&self.0, label, message, signature)
    }
}

impl core::fmt::Debug for OrganisationPublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "OrganisationPublicKey(")?;
        self.0
            .as_bytes()
            .iter()
            .try_for_each(|b| write!(f, "{b:02x}"))?;
        write!(f, ")")
    }
}
