//! The identity module's error type.

use super::keys::DeviceId;

/// Result alias for the identity module.
pub type Result<T, E = IdentityError> = core::result::Result<T, E>;

/// Everything that can go wrong reading, checking or using identity data.
///
/// Hostile-input errors (a malformed or forged card, list or stanza) are apart from misuse
/// errors ([`IdentityError::InvalidArgument`]), which come from the calling code. No message
/// holds key bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdentityError {
    /// The bytes do not decode as the structure: bad magic, unsupported version,
    /// truncated, trailing bytes, or a length above its documented maximum.
    #[error(transparent)]
    Decode(#[from] crate::DecodeError),
    /// A field is malformed (not UTF-8, empty where required, a flag byte other than 0 or 1,
    /// an unsorted or duplicated list, a public key that is not a valid curve point).
    #[error("malformed {field}")]
    Malformed {
        /// The field that is malformed.
        field: &'static str,
    },
    /// The device's own signature over its card does not verify.
    #[error("device card signature does not verify")]
    BadDeviceSignature,
    /// The rotation signature by the previous device key does not verify.
    #[error("device card rotation signature does not verify")]
    BadRotationSignature,
    /// The organisation attestation does not verify under any trusted organisation key.
    #[error("device card attestation does not verify under any trusted organisation key")]
    BadAttestation,
    /// The policy requires an organisation attestation and the card has none.
    #[error("device card is not attested by the organisation")]
    NotAttested,
    /// The revocation list's signature does not verify under any trusted organisation key.
    #[error("revocation list signature does not verify")]
    BadRevocationSignature,
    /// The organisation has revoked this device.
    #[error("device {device_id} is revoked")]
    Revoked {
        /// The revoked device.
        device_id: DeviceId,
    },
    /// The card's creation time is in the future beyond the allowed clock skew.
    #[error("device card is not valid before {created_at} (now {now})")]
    NotYetValid {
        /// The card's creation time (Unix seconds).
        created_at: u64,
        /// The caller's clock.
        now: u64,
    },
    /// The card's validity period has ended.
    #[error("device card expired at {expires_at} (now {now})")]
    Expired {
        /// The card's expiry (Unix seconds).
        expires_at: u64,
        /// The caller's clock.
        now: u64,
    },
    /// The sender's card was not valid when the envelope was opened, or the envelope claims
    /// to have been sealed after the card expired.
    #[error("sender card of device {device_id} expired at {expires_at} (checked at {at})")]
    SenderCardExpired {
        /// The sending device.
        device_id: DeviceId,
        /// The card's expiry (Unix seconds).
        expires_at: u64,
        /// The time checked: the caller's clock or the envelope's `created_at`.
        at: u64,
    },
    /// The sender's card is not valid yet at the caller's clock (beyond the allowed skew).
    #[error("sender card of device {device_id} is not valid before {created_at} (now {at})")]
    SenderCardNotYetValid {
        /// The sending device.
        device_id: DeviceId,
        /// The card's creation time (Unix seconds).
        created_at: u64,
        /// The caller's clock.
        at: u64,
    },
    /// A recipient's card had expired when sealing to it.
    #[error("recipient card of device {device_id} expired at {expires_at} (now {now})")]
    RecipientCardExpired {
        /// The recipient device.
        device_id: DeviceId,
        /// The card's expiry (Unix seconds).
        expires_at: u64,
        /// The caller's clock.
        now: u64,
    },
    /// A recipient's card is not valid yet (beyond the allowed skew) when sealing to it.
    #[error("recipient card of device {device_id} is not valid before {created_at} (now {now})")]
    RecipientCardNotYetValid {
        /// The recipient device.
        device_id: DeviceId,
        /// The card's creation time (Unix seconds).
        created_at: u64,
        /// The caller's clock.
        now: u64,
    },
    /// A card for a contact's device is older than the card already held for it, or carries
    /// the key that the held card rotated away from: a replayed, superseded card.
    #[error("card for device {device_id} is superseded by the card already held")]
    SupersededCard {
        /// The contact's device.
        device_id: DeviceId,
    },
    /// An HPKE stanza did not open with this device's key (not a recipient, or altered).
    #[error("hpke stanza does not open with this device key")]
    HpkeOpen,
    /// No stanza of the envelope opens with these keys, or this device is not in the
    /// sender's signed recipient list (the envelope was re-addressed to it).
    #[error("this device is not a recipient of the envelope")]
    NotARecipient,
    /// The envelope names a sender device that is not among the known cards.
    #[error("envelope signed by unknown device {device_id}")]
    UnknownSender {
        /// The device the envelope names as its sender.
        device_id: DeviceId,
    },
    /// The sender signature does not verify under the named sender's card.
    #[error("sender signature does not verify")]
    BadSenderSignature,
    /// The envelope has expired; nothing was decrypted.
    #[error("envelope expired at {expires_at} (now {now})")]
    MessageExpired {
        /// The envelope's expiry (Unix seconds).
        expires_at: u64,
        /// The caller's clock.
        now: u64,
    },
    /// The envelope carries a different number of `hpke` stanzas than the sender signed
    /// recipients for: stanzas were added or removed after sealing.
    #[error("envelope has {found} hpke stanzas but the sender signed {signed} recipients")]
    StanzaCountMismatch {
        /// Recipients in the signed list.
        signed: usize,
        /// `hpke` stanzas in the header.
        found: usize,
    },
    /// Any other envelope failure (layout, binding, tampering, misuse).
    #[error("envelope: {0}")]
    Envelope(crate::envelope::Error),
    /// The vault refused to wrap or unwrap the device keys (locked, wiped, altered blob).
    #[error("vault: {0}")]
    Vault(#[from] crate::vault::VaultError),
    /// The device keys came from a vault that has since been locked or wiped.
    #[error("device keys revoked: the vault they came from is locked or wiped")]
    KeyRevoked,
    /// A safety-number QR payload does not have the expected layout.
    #[error("malformed safety-number qr payload")]
    BadQrPayload,
    /// Misuse by the caller (never caused by received data): an argument is out of range.
    #[error("invalid argument {argument}: {reason}")]
    InvalidArgument {
        /// The argument.
        argument: &'static str,
        /// Why it was refused.
        reason: &'static str,
    },
}

impl From<crate::envelope::Error> for IdentityError {
    fn from(e: crate::envelope::Error) -> Self {
        match e {
            crate::envelope::Error::Expired { expires_at, now } => {
                Self::MessageExpired { expires_at, now }
            }
            crate::envelope::Error::WrongKey { .. } => Self::NotARecipient,
            crate::envelope::Error::KeyRevoked => Self::KeyRevoked,
            other => Self::Envelope(other),
        }
    }
}

impl IdentityError {
    /// The stable code the bindings report for this error (a wrapped envelope or vault
    /// error reports its own).
    pub fn code(&self) -> crate::ErrorCode {
        use crate::ErrorCode as C;
        match self {
            Self::Envelope(inner) => inner.code(),
            Self::Vault(inner) => inner.code(),
            Self::Decode(e) => e.code(),
            Self::Malformed { .. } | Self::BadQrPayload => C::Malformed,
            Self::BadDeviceSignature | Self::BadRotationSignature => C::BadDeviceSignature,
            Self::BadAttestation => C::BadAttestation,
            Self::NotAttested => C::NotAttested,
            Self::BadRevocationSignature => C::BadRevocationSignature,
            Self::Revoked { .. } => C::Revoked,
            Self::NotYetValid { .. }
            | Self::SenderCardNotYetValid { .. }
            | Self::RecipientCardNotYetValid { .. } => C::NotYetValid,
            Self::Expired { .. }
            | Self::MessageExpired { .. }
            | Self::SenderCardExpired { .. }
            | Self::RecipientCardExpired { .. } => C::Expired,
            Self::SupersededCard { .. } => C::SupersededCard,
            Self::HpkeOpen | Self::NotARecipient => C::NotARecipient,
            Self::UnknownSender { .. } => C::UnknownSender,
            Self::BadSenderSignature => C::BadSenderSignature,
            Self::StanzaCountMismatch { .. } => C::Tampered,
            Self::InvalidArgument { .. } => C::InvalidArgument,
            Self::KeyRevoked => C::KeyRevoked,
        }
    }
}
