//! 256-bit secret keys shared by every module that holds key material.

use rand_core::CryptoRng;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Length in bytes of every symmetric key careguard uses (AES-256, HKDF-SHA256 output).
pub const KEY_LEN: usize = 32;

/// A 256-bit secret key: a data key, a key-encryption key or a vault master key.
///
/// The bytes are wiped when the value is dropped, never appear in `Debug` output,
/// and are compared in constant time. There is deliberately no `Clone` or `Copy`:
/// every copy of a secret is another place it must be wiped from.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct SecretKey([u8; KEY_LEN]);

impl SecretKey {
    /// Wraps existing key bytes (read from a key file, the platform keystore or a KDF).
    ///
    /// ```
    /// use careguard::SecretKey;
    /// let key = SecretKey::from_bytes([7u8; 32]);
    /// assert_eq!(key.expose_secret()[0], 7);
    /// ```
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// Copies key bytes from a slice straight into the key; `None` unless `bytes` is
    /// exactly [`KEY_LEN`] long. Prefer it to [`SecretKey::from_bytes`] when the bytes
    /// are already in a (wiped) buffer: an array passed by value leaves a copy on the
    /// caller's stack that nothing wipes.
    ///
    /// ```
    /// use careguard::SecretKey;
    /// assert!(SecretKey::from_slice(&[7u8; 32]).is_some());
    /// assert!(SecretKey::from_slice(&[7u8; 31]).is_none());
    /// ```
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != KEY_LEN {
            return None;
        }
        let mut key = Self([0u8; KEY_LEN]);
        key.0.copy_from_slice(bytes);
        Some(key)
    }

    /// Draws a fresh key from a cryptographically secure RNG.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut bytes = [0u8; KEY_LEN];
        rng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// Draws a fresh key from the operating system's RNG.
    pub fn random() -> Self {
        Self::generate(&mut rand_core::UnwrapErr(getrandom::SysRng))
    }

    /// The raw key bytes. Hand them only to a cipher or KDF, never to a log.
    pub fn expose_secret(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

impl ConstantTimeEq for SecretKey {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.0.ct_eq(&other.0)
    }
}

impl PartialEq for SecretKey {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for SecretKey {}

impl core::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SecretKey([REDACTED])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_key_bytes() {
        let key = SecretKey::from_bytes([0xAB; KEY_LEN]);
        let shown = format!("{key:?}");
        assert_eq!(shown, "SecretKey([REDACTED])");
        assert!(!shown.to_lowercase().contains("ab"));
    }

    #[test]
    fn equality_compares_every_byte() {
        let mut other = [0x11; KEY_LEN];
        assert_eq!(SecretKey::from_bytes(other), SecretKey::from_bytes(other));
        other[KEY_LEN - 1] ^= 1;
        assert_ne!(
            SecretKey::from_bytes([0x11; KEY_LEN]),
            SecretKey::from_bytes(other)
        );
    }

    #[test]
    fn random_keys_differ() {
        assert_ne!(SecretKey::random(), SecretKey::random());
    }
}
