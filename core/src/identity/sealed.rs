//! End-to-end envelopes: `hpke` key stanzas to recipient devices, and a sender signature
//! that names the sealing device and covers the recipients, the header fields and the
//! plaintext.
//!
//! The signed message travels *inside* the encrypted payload (see docs/FORMAT.md "Signed
//! message"), so the transport does not learn the sender's device from it, and the
//! signature can cover the plaintext without revealing anything about it:
//!
//! ```text
//! hpke stanza body = enc[32] | ct[48]      SealBase(pkR, HPKE_INFO, aad = header prefix | 0x0002, dek)
//! inner   = "CGSM" | 0x01 | sender_device_id[16] | u16 n | recipient_x25519_pk[32] * n (ascending)
//!           | signature[64] | payload
//! signed  = "careguard/v1/identity/sender-signature\0" | inner up to the signature
//!           | created_at u64 | expires_at u64 (0 = none) | u8 len | content_type
//!           | u16 len | binding.conversation_id | u16 len | binding.sender_id | payload
//! ```

use rand_core::CryptoRng;
use zeroize::Zeroizing;

use super::card::{Validity, VerifiedCard};
use super::error::{IdentityError, Result};
use super::hpke::{HPKE_CT_LEN, HPKE_ENC_LEN, HpkeWrappedKey, unwrap_dek, wrap_dek};
use super::keys::{DEVICE_ID_LEN, DeviceId, DeviceKeys, DevicePublicKeys, verify_labelled};
use crate::codec::Reader;
use crate::envelope::format::{Header, MAX_STANZAS, STANZA_HPKE, Stanza};
use crate::envelope::{self, Binding, Identity, Recipient, SealContext, StanzaContext};
use crate::{SecretKey, UnixSeconds};

/// Length of an `hpke` stanza body: `enc` then the wrapped data key.
pub const HPKE_STANZA_BODY_LEN: usize = HPKE_ENC_LEN + HPKE_CT_LEN;
/// Most recipient devices one signed envelope may name (the envelope's stanza maximum; a
/// sender's own `kek` copy counts against it too).
pub const MAX_RECIPIENTS: usize = MAX_STANZAS;
/// Magic bytes that start a signed message inside the payload.
pub const SIGNED_MESSAGE_MAGIC: &[u8; 4] = b"CGSM";

const SIGNED_MESSAGE_VERSION: u8 = 1;
const SENDER_SIG_LABEL: &[u8] = b"careguard/v1/identity/sender-signature\0";

fn stanza_aad(ctx: &StanzaContext<'_>) -> Vec<u8> {
    let mut aad = Vec::with_capacity(ctx.header_prefix().len() + 2);
    aad.extend_from_slice(ctx.header_prefix());
    aad.extend_from_slice(&STANZA_HPKE.to_be_bytes());
    aad
}

impl Recipient for DevicePublicKeys {
    fn wrap(
        &self,
        dek: &SecretKey,
        ctx: &StanzaContext<'_>,
        rng: &mut dyn CryptoRng,
    ) -> core::result::Result<Vec<Stanza>, envelope::Error> {
        let wrapped = wrap_dek(&self.x25519, dek, &stanza_aad(ctx), rng).map_err(|_| {
            envelope::Error::InvalidArgument {
                argument: "recipient",
                reason: "recipient x25519 public key is a low-order point",
            }
        })?;
        let mut body = Vec::with_capacity(HPKE_STANZA_BODY_LEN);
        body.extend_from_slice(&wrapped.enc);
        body.extend_from_slice(&wrapped.ct);
        Ok(vec![Stanza {
            kind: STANZA_HPKE,
            body,
        }])
    }
}

impl Recipient for VerifiedCard {
    fn wrap(
        &self,
        dek: &SecretKey,
        ctx: &StanzaContext<'_>,
        rng: &mut dyn CryptoRng,
    ) -> core::result::Result<Vec<Stanza>, envelope::Error> {
        self.card().public_keys().wrap(dek, ctx, rng)
    }
}

impl Identity for DeviceKeys {
    fn unwrap(
        &self,
        stanza: &Stanza,
        ctx: &StanzaContext<'_>,
    ) -> Option<core::result::Result<SecretKey, envelope::Error>> {
        if stanza.kind != STANZA_HPKE {
            return None;
        }
        // FORMAT.md: an hpke stanza body is exactly 80 bytes; check before any crypto.
        if stanza.body.len() != HPKE_STANZA_BODY_LEN {
            return Some(Err(envelope::Error::Malformed {
                reason: "an hpke stanza body is not 80 bytes",
            }));
        }
        let mut wrapped = HpkeWrappedKey {
            enc: [0u8; HPKE_ENC_LEN],
            ct: [0u8; HPKE_CT_LEN],
        };
        wrapped.enc.copy_from_slice(&stanza.body[..HPKE_ENC_LEN]);
        wrapped.ct.copy_from_slice(&stanza.body[HPKE_ENC_LEN..]);
        if !self.is_live() {
            return Some(Err(envelope::Error::KeyRevoked));
        }
        // hpke stanzas name no recipient: one that does not open is someone else's.
        unwrap_dek(self, &wrapped, &stanza_aad(ctx)).ok().map(Ok)
    }
}

/// Seals envelopes to recipient devices, signed by the sending device.
///
/// ```
/// use careguard::envelope::{Binding, KeyRing, SealContext, SealOptions};
/// use careguard::identity::{self, DeviceKeys, Sealer, TrustPolicy};
/// use careguard::{SecretKey, UnixSeconds};
/// # let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
/// let now = 1_780_000_000;
/// let (me, bob) = (DeviceKeys::generate(&mut rng), DeviceKeys::generate(&mut rng));
/// let policy = TrustPolicy::new();
/// let my_card = me.issue_card("me@nhs.net", "Me", now, now + 86_400)?.verify(&policy, now)?;
/// let bob_card = bob.issue_card("bob@nhs.net", "Bob", now, now + 86_400)?.verify(&policy, now)?;
/// let mut my_ring = KeyRing::new(); // the sender's own copy, under a vault-derived KEK
/// my_ring.insert(1, SecretKey::generate(&mut rng)).unwrap();
///
/// let binding = Binding::new(b"ward-7", b"me@nhs.net");
/// let ctx = SealContext {
///     binding,
///     options: SealOptions::new().expires_at(UnixSeconds(now + 3600)),
///     now: UnixSeconds(now),
/// };
/// let sealed = Sealer::new(&me)
///     .to(&bob_card)
///     .also_to(&my_ring)
///     .seal(b"bed 4 obs stable", &ctx, &mut rng)?;
///
/// let opened = identity::open_signed(&bob, &[], &sealed, &binding, UnixSeconds(now + 5), &[&my_card])?;
/// assert_eq!(&opened.payload()[..], b"bed 4 obs stable");
/// assert_eq!(opened.sender().card().staff_id(), "me@nhs.net");
/// # Ok::<(), careguard::identity::IdentityError>(())
/// ```
pub struct Sealer<'a> {
    sender: &'a DeviceKeys,
    recipients: Vec<VerifiedCard>,
    also: Vec<&'a dyn Recipient>,
}

impl<'a> Sealer<'a> {
    /// A sealer signing as `sender`, with no recipients yet.
    pub fn new(sender: &'a DeviceKeys) -> Self {
        Self {
            sender,
            recipients: Vec::new(),
            also: Vec::new(),
        }
    }

    /// Adds a recipient device (an `hpke` stanza), named in the signed recipient list.
    ///
    /// [`Sealer::seal`] checks the card's validity period again at its `now` and refuses a
    /// card that has expired since it was verified
    /// ([`IdentityError::RecipientCardExpired`], [`IdentityError::RecipientCardNotYetValid`]).
    pub fn to(mut self, card: &VerifiedCard) -> Self {
        self.recipients.push(card.clone());
        self
    }

    /// Adds another kind of recipient, typically the sender's own [`envelope::KeyRing`] so it
    /// can reopen what it sent. These are not in the signed recipient list, so they must not
    /// add `hpke` stanzas (recipients would refuse the envelope with
    /// [`IdentityError::StanzaCountMismatch`]): add devices with [`Sealer::to`].
    pub fn also_to(mut self, recipient: &'a dyn Recipient) -> Self {
        self.also.push(recipient);
        self
    }

    /// Signs and seals `payload` as [`envelope::seal`] does with `ctx` (binding, content
    /// type, expiry, padding, time); the signature covers all of them.
    pub fn seal<R: CryptoRng + ?Sized>(
        &self,
        payload: &[u8],
        ctx: &SealContext<'_>,
        rng: &mut R,
    ) -> Result<Vec<u8>> {
        let now = ctx.now.get();
        for recipient in &self.recipients {
            let card = recipient.card();
            match card.validity_at(now) {
                Validity::Valid => {}
                Validity::NotYet => {
                    return Err(IdentityError::RecipientCardNotYetValid {
                        device_id: card.device_id(),
                        created_at: card.created_at(),
                        now,
                    });
                }
                Validity::Expired => {
                    return Err(IdentityError::RecipientCardExpired {
                        device_id: card.device_id(),
                        expires_at: card.expires_at(),
                        now,
                    });
                }
            }
        }
        let mut devices: Vec<DevicePublicKeys> = self
            .recipients
            .iter()
            .map(|c| *c.card().public_keys())
            .collect();
        devices.sort_unstable_by_key(|k| k.x25519);
        devices.dedup_by_key(|k| k.x25519);
        let keys: Vec<[u8; 32]> = devices.iter().map(|k| k.x25519).collect();
        if keys.is_empty() {
            return Err(IdentityError::InvalidArgument {
                argument: "recipients",
                reason: "seal needs at least one recipient device",
            });
        }
        if keys.len() > MAX_RECIPIENTS {
            return Err(IdentityError::InvalidArgument {
                argument: "recipients",
                reason: "more than MAX_RECIPIENTS devices",
            });
        }
        let mut inner = Zeroizing::new(Vec::with_capacity(
            4 + 1 + DEVICE_ID_LEN + 2 + 32 * keys.len() + 64 + payload.len(),
        ));
        inner.extend_from_slice(SIGNED_MESSAGE_MAGIC);
        inner.push(SIGNED_MESSAGE_VERSION);
        inner.extend_from_slice(self.sender.device_id().as_bytes());
        // At most MAX_RECIPIENTS (255), checked above.
        inner.extend_from_slice(&(keys.len() as u16).to_be_bytes());
        for k in &keys {
            inner.extend_from_slice(k);
        }
        let signed = signed_bytes(
            &inner,
            now,
            ctx.options.expires_at.map(UnixSeconds::get),
            &ctx.options.content_type,
            &ctx.binding,
            payload,
        )?;
        let signature = self.sender.sign(SENDER_SIG_LABEL, &signed)?;
        inner.extend_from_slice(&signature);
        inner.extend_from_slice(payload);

        let mut all: Vec<&dyn Recipient> = Vec::with_capacity(devices.len() + self.also.len());
        for device in &devices {
            all.push(device);
        }
        all.extend(self.also.iter().copied());
        Ok(envelope::seal(&all, &inner, ctx, rng)?)
    }
}

fn len_prefixed_u16(out: &mut Vec<u8>, field: &[u8]) -> Result<()> {
    let len = u16::try_from(field.len()).map_err(|_| IdentityError::InvalidArgument {
        argument: "binding",
        reason: "a binding field is longer than 65535 bytes",
    })?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(field);
    Ok(())
}

fn signed_bytes(
    inner_prefix: &[u8],
    created_at: u64,
    expires_at: Option<u64>,
    content_type: &str,
    binding: &Binding<'_>,
    payload: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let content_type_len =
        u8::try_from(content_type.len()).map_err(|_| IdentityError::InvalidArgument {
            argument: "content_type",
            reason: "longer than 255 bytes",
        })?;
    let mut out = Zeroizing::new(Vec::with_capacity(
        inner_prefix.len()
            + 8
            + 8
            + 1
            + content_type.len()
            + 4
            + binding.conversation_id.len()
            + binding.sender_id.len()
            + payload.len(),
    ));
    out.extend_from_slice(inner_prefix);
    out.extend_from_slice(&created_at.to_be_bytes());
    out.extend_from_slice(&expires_at.unwrap_or(0).to_be_bytes());
    out.push(content_type_len);
    out.extend_from_slice(content_type.as_bytes());
    len_prefixed_u16(&mut out, binding.conversation_id)?;
    len_prefixed_u16(&mut out, binding.sender_id)?;
    out.extend_from_slice(payload);
    Ok(out)
}

/// The first of `signers` (cards whose key verifies the sender signature) that is valid
/// at `now` and had not expired at the envelope's `created_at`; otherwise the first one's
/// reason.
///
/// `created_at` is checked against the expiry only: a card renewed with the same keys is
/// issued after messages those keys signed, and must still open them. A rotation changes
/// the keys, so an old key's signature never verifies under the new card.
fn sender_card_in_force<'c>(
    signers: &[&'c VerifiedCard],
    now: u64,
    created_at: u64,
) -> Result<&'c VerifiedCard> {
    let check = |verified: &VerifiedCard| -> Result<()> {
        let card = verified.card();
        let device_id = card.device_id();
        match card.validity_at(now) {
            Validity::Valid => {}
            Validity::NotYet => {
                return Err(IdentityError::SenderCardNotYetValid {
                    device_id,
                    created_at: card.created_at(),
                    at: now,
                });
            }
            Validity::Expired => {
                return Err(IdentityError::SenderCardExpired {
                    device_id,
                    expires_at: card.expires_at(),
                    at: now,
                });
            }
        }
        if created_at >= card.expires_at() {
            return Err(IdentityError::SenderCardExpired {
                device_id,
                expires_at: card.expires_at(),
                at: created_at,
            });
        }
        Ok(())
    };
    let mut first_failure = None;
    for signer in signers {
        match check(signer) {
            Ok(()) => return Ok(signer),
            Err(e) => {
                first_failure.get_or_insert(e);
            }
        }
    }
    Err(first_failure.unwrap_or(IdentityError::BadSenderSignature))
}

/// An opened, signature-checked envelope.
pub struct SignedMessage {
    payload: Zeroizing<Vec<u8>>,
    header: Header,
    sender: VerifiedCard,
    recipients: Vec<[u8; 32]>,
    signature: [u8; 64],
}

impl SignedMessage {
    /// The plaintext, wiped when dropped.
    pub fn payload(&self) -> &Zeroizing<Vec<u8>> {
        &self.payload
    }

    /// The authenticated envelope header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The card of the device that signed the message (one of the `senders` given).
    pub fn sender(&self) -> &VerifiedCard {
        &self.sender
    }

    /// The X25519 public keys of every recipient device the sender named, ascending.
    pub fn recipients(&self) -> &[[u8; 32]] {
        &self.recipients
    }

    /// The sender's signature. A co-recipient can re-seal a signed message under a new
    /// message id; de-duplicate on this value as well as on the message id.
    pub fn signature(&self) -> &[u8; 64] {
        &self.signature
    }
}

impl core::fmt::Debug for SignedMessage {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SignedMessage")
            .field("payload_len", &self.payload.len())
            .field("header", &self.header)
            .field("sender", &self.sender.card().device_id())
            .field("recipients", &self.recipients.len())
            .finish()
    }
}

/// Opens an envelope sealed by [`Sealer`], with this device's keys (or one of `also`, e.g.
/// the sender's own key ring for its copy), and checks the sender's signature against
/// `senders`, the verified cards the caller knows.
///
/// Errors: [`IdentityError::MessageExpired`] (nothing decrypted),
/// [`IdentityError::NotARecipient`] (no stanza for these keys, or opened with `me` but
/// `me` is not in the signed recipient list), [`IdentityError::UnknownSender`],
/// [`IdentityError::BadSenderSignature`], [`IdentityError::SenderCardExpired`] (the sender's
/// card has expired at `now`, or the envelope claims a `created_at` at or after its expiry),
/// [`IdentityError::SenderCardNotYetValid`], [`IdentityError::StanzaCountMismatch`], and
/// [`IdentityError::Envelope`] for every other envelope failure. Never panics.
pub fn open_signed(
    me: &DeviceKeys,
    also: &[&dyn Identity],
    sealed: &[u8],
    binding: &Binding<'_>,
    now: UnixSeconds,
    senders: &[&VerifiedCard],
) -> Result<SignedMessage> {
    let (opened, own_copy) = match envelope::open(&[me], sealed, binding, now) {
        Ok(o) => (o, false),
        Err(envelope::Error::WrongKey { .. }) if !also.is_empty() => {
            (envelope::open(also, sealed, binding, now)?, true)
        }
        Err(e) => return Err(e.into()),
    };
    let inner: &[u8] = &opened.payload;
    let mut r = Reader::new("signed message", inner);
    r.magic(SIGNED_MESSAGE_MAGIC)?;
    r.version(SIGNED_MESSAGE_VERSION)?;
    let device_id = DeviceId::from_bytes(r.array()?);
    let n = usize::from(r.u16()?);
    if n == 0 || n > MAX_RECIPIENTS {
        return Err(IdentityError::Malformed {
            field: "signed recipient count",
        });
    }
    let mut recipients: Vec<[u8; 32]> = Vec::with_capacity(n);
    for _ in 0..n {
        let k: [u8; 32] = r.array()?;
        if recipients.last().is_some_and(|last| *last >= k) {
            return Err(IdentityError::Malformed {
                field: "signed recipient order",
            });
        }
        recipients.push(k);
    }
    let prefix_len = r.position();
    let signature: [u8; 64] = r.array()?;
    let payload_at = r.position();
    let payload = &inner[payload_at..];

    let header = &opened.header;
    let signed = signed_bytes(
        &inner[..prefix_len],
        header.created_at,
        header.expires_at,
        &header.content_type,
        binding,
        payload,
    )?;
    let candidates: Vec<&&VerifiedCard> = senders
        .iter()
        .filter(|c| c.card().device_id() == device_id)
        .collect();
    if candidates.is_empty() {
        return Err(IdentityError::UnknownSender { device_id });
    }
    let signers: Vec<&VerifiedCard> = candidates
        .into_iter()
        .copied()
        .filter(|c| {
            c.card()
                .public_keys()
                .verifying_key()
                .is_ok_and(|k| verify_labelled(&k, SENDER_SIG_LABEL, &signed, &signature))
        })
        .collect();
    let sender = sender_card_in_force(&signers, now.get(), header.created_at)?;
    if !own_copy && !recipients.contains(&me.public_keys().x25519) {
        return Err(IdentityError::NotARecipient);
    }
    let found = header
        .stanzas
        .iter()
        .filter(|s| s.kind == STANZA_HPKE)
        .count();
    if found != n {
        return Err(IdentityError::StanzaCountMismatch { signed: n, found });
    }
    let payload = Zeroizing::new(payload.to_vec());
    Ok(SignedMessage {
        payload,
        header: opened.header.clone(),
        sender: sender.clone(),
        recipients,
        signature,
    })
}
