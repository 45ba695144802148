//! HPKE (RFC 9180) single-shot wrapping of a 32-byte data key to a device's X25519 key:
//! base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM, via the `hpke` crate.
//!
//! ```text
//! enc, ct = SealBase(pkR = recipient x25519_pk, info = HPKE_INFO, aad, pt = dek)
//! ```
//!
//! `enc` is 32 bytes and `ct` 48 (the 32-byte key and a 16-byte tag).

use hpke::aead::AesGcm256;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, OpModeR, OpModeS, Serializable};
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use super::error::{IdentityError, Result};
use super::keys::DeviceKeys;
use crate::{KEY_LEN, SecretKey};

type Kem = X25519HkdfSha256;

/// The HPKE `info` string careguard binds every wrapped data key to.
pub const HPKE_INFO: &[u8] = b"careguard/v1/identity/hpke-dek";
/// Length of the encapsulated key `enc` (an X25519 public key).
pub const HPKE_ENC_LEN: usize = 32;
/// Length of the wrapped data key: 32 key bytes and a 16-byte AES-GCM tag.
pub const HPKE_CT_LEN: usize = KEY_LEN + 16;

/// A data key wrapped to one recipient device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HpkeWrappedKey {
    /// HPKE's encapsulated key (the ephemeral X25519 public key).
    pub enc: [u8; HPKE_ENC_LEN],
    /// The encrypted data key and its tag.
    pub ct: [u8; HPKE_CT_LEN],
}

/// Wraps `dek` to the device whose X25519 public key is `recipient`, binding `aad`.
///
/// Fails with [`IdentityError::Malformed`] if `recipient` is a low-order point (the DH
/// result would be all zeros), which only a hostile card can contain.
pub fn wrap_dek<R: CryptoRng + ?Sized>(
    recipient: &[u8; 32],
    dek: &SecretKey,
    aad: &[u8],
    rng: &mut R,
) -> Result<HpkeWrappedKey> {
    let malformed = IdentityError::Malformed {
        field: "x25519 public key",
    };
    let pk = <Kem as hpke::Kem>::PublicKey::from_bytes(recipient).map_err(|_| malformed.clone())?;
    let mut rng = rng;
    let (enc, ct) = hpke::single_shot_seal_with_rng::<AesGcm256, HkdfSha256, Kem>(
        &OpModeS::Base,
        &pk,
        HPKE_INFO,
        dek.expose_secret(),
        aad,
        &mut rng,
    )
    .map_err(|_| malformed)?;
    let mut wrapped = HpkeWrappedKey {
        enc: [0u8; HPKE_ENC_LEN],
        ct: [0u8; HPKE_CT_LEN],
    };
    wrapped.enc.copy_from_slice(&enc.to_bytes());
    wrapped.ct.copy_from_slice(&ct);
    Ok(wrapped)
}

/// Unwraps a data key sealed to this device by [`wrap_dek`] with the same `aad`.
///
/// Every failure (not sealed to this device, altered, other `aad`) is one
/// [`IdentityError::HpkeOpen`].
pub fn unwrap_dek(keys: &DeviceKeys, wrapped: &HpkeWrappedKey, aad: &[u8]) -> Result<SecretKey> {
    let sk = <Kem as hpke::Kem>::PrivateKey::from_bytes(keys.x25519_secret()?.as_bytes())
        .map_err(|_| IdentityError::HpkeOpen)?;
    let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(&wrapped.enc)
        .map_err(|_| IdentityError::HpkeOpen)?;
    let pt = Zeroizing::new(
        hpke::single_shot_open::<AesGcm256, HkdfSha256, Kem>(
            &OpModeR::Base,
            &sk,
            &enc,
            HPKE_INFO,
            &wrapped.ct,
            aad,
        )
        .map_err(|_| IdentityError::HpkeOpen)?,
    );
    // Straight from the wiped plaintext buffer into the key: no array copy on the stack.
    SecretKey::from_slice(&pt).ok_or(IdentityError::HpkeOpen)
}

#[cfg(test)]
mod tests {
    //! RFC 9180 Appendix A.1.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base
    //! mode). The RFC has no X25519 + AES-256-GCM vector; careguard's suite differs from A.1
    //! only in the AEAD key length, so these check the KEM, the KDF and the key schedule of
    //! the very crate and calls careguard uses, with the ephemeral key drawn from a fixed RNG.
    use super::*;
    use hpke::Kem as _;
    use hpke::aead::AesGcm128;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// The RFC prints private keys unclamped; the crate serialises them clamped (RFC 9180
    /// §7.1.2), which names the same X25519 scalar.
    fn clamped(s: &str) -> Vec<u8> {
        let mut k = hex(s);
        k[0] &= 248;
        k[31] &= 127;
        k[31] |= 64;
        k
    }

    /// Returns fixed bytes: the RFC's ikmE, so the ephemeral key is the RFC's skEm.
    struct FixedRng(Vec<u8>);

    impl rand_core::TryRng for FixedRng {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> core::result::Result<u32, Self::Error> {
            unimplemented!()
        }
        fn try_next_u64(&mut self) -> core::result::Result<u64, Self::Error> {
            unimplemented!()
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> core::result::Result<(), Self::Error> {
            let n = dst.len();
            dst.copy_from_slice(&self.0[..n]);
            self.0.drain(..n);
            Ok(())
        }
    }
    impl rand_core::TryCryptoRng for FixedRng {}

    const INFO: &str = "4f6465206f6e2061204772656369616e2055726e";
    const IKM_E: &str = "7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234";
    const PK_EM: &str = "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431";
    const SK_EM: &str = "52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736";
    const IKM_R: &str = "6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037";
    const PK_RM: &str = "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d";
    const SK_RM: &str = "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8";
    const PT: &str = "4265617574792069732074727574682c20747275746820626561757479";
    const AAD0: &str = "436f756e742d30";
    const CT0: &str = "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a";

    #[test]
    fn rfc9180_a1_derive_key_pair() {
        let (sk, pk) = Kem::derive_keypair(&hex(IKM_R));
        assert_eq!(pk.to_bytes().as_slice(), hex(PK_RM));
        assert_eq!(sk.to_bytes().as_slice(), clamped(SK_RM));
        let (sk, pk) = Kem::derive_keypair(&hex(IKM_E));
        assert_eq!(pk.to_bytes().as_slice(), hex(PK_EM));
        assert_eq!(sk.to_bytes().as_slice(), clamped(SK_EM));
    }

    #[test]
    fn rfc9180_a1_1_seal_and_open_sequence_zero() {
        let pk = <Kem as hpke::Kem>::PublicKey::from_bytes(&hex(PK_RM)).unwrap();
        let mut rng = FixedRng(hex(IKM_E));
        let (enc, ct) = hpke::single_shot_seal_with_rng::<AesGcm128, HkdfSha256, Kem>(
            &OpModeS::Base,
            &pk,
            &hex(INFO),
            &hex(PT),
            &hex(AAD0),
            &mut rng,
        )
        .unwrap();
        assert_eq!(enc.to_bytes().as_slice(), hex(PK_EM));
        assert_eq!(ct, hex(CT0));

        let sk = <Kem as hpke::Kem>::PrivateKey::from_bytes(&hex(SK_RM)).unwrap();
        let pt = hpke::single_shot_open::<AesGcm128, HkdfSha256, Kem>(
            &OpModeR::Base,
            &sk,
            &enc,
            &hex(INFO),
            &hex(CT0),
            &hex(AAD0),
        )
        .unwrap();
        assert_eq!(pt, hex(PT));
    }

    #[test]
    fn wrap_with_fixed_ephemeral_gives_rfc_enc() {
        // Our own wrapper, with the RFC's ikmE: enc must be the RFC's pkEm.
        let recipient: [u8; 32] = hex(PK_RM).try_into().unwrap();
        let mut rng = FixedRng(hex(IKM_E));
        let wrapped = wrap_dek(&recipient, &SecretKey::from_bytes([9; 32]), b"", &mut rng).unwrap();
        assert_eq!(wrapped.enc.as_slice(), hex(PK_EM));
    }

    #[test]
    fn low_order_recipient_is_refused() {
        let mut rng = FixedRng(hex(IKM_E));
        let err = wrap_dek(&[0u8; 32], &SecretKey::from_bytes([9; 32]), b"", &mut rng);
        assert!(matches!(err, Err(IdentityError::Malformed { .. })));
    }
}
