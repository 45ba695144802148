//! Message envelopes: AES-256-GCM with per-message data keys, key rings and
//! extensible key stanzas.
//!
//! # Security Notes
//!
//! - **What is protected.** The payload's confidentiality and integrity, and the
//!   integrity of the whole header (message id, times, content type, flags, every
//!   stanza, the sender section) against anyone who holds no key that opens the
//!   envelope. A caller-supplied [`Binding`] (conversation id, sender id) must match
//!   at open, so an envelope moved to another conversation is refused.
//! - **Key commitment.** An envelope opens under exactly one data key: the header
//!   carries an HMAC-SHA256 commitment derived from the data key, checked in constant
//!   time before the payload is decrypted. That defeats "invisible salamander" attacks
//!   in which one AES-GCM ciphertext is made to decrypt to different messages under
//!   different keys (e.g. a sender showing two recipients two different texts).
//! - **Expiry.** [`open`] refuses an expired envelope *before* decrypting anything.
//!   The expiry is authenticated, but an attacker who can alter bytes can always make
//!   an envelope unreadable; what they cannot do is extend its life undetected.
//! - **Out of scope.** A compromised or rooted device, screenshots, a recipient who
//!   copies the plaintext, traffic analysis beyond length (padding hides length only up
//!   to a power-of-two bucket), and replay within the same conversation (the message id
//!   is there for callers to de-duplicate). See docs/THREAT_MODEL.md, "Message envelopes".
//! - Keys are [`SecretKey`]s (zeroized on drop, redacted `Debug`, no `Clone`); opened
//!   payloads are returned in [`Zeroizing`] buffers. Tag and commitment comparisons are
//!   constant time; errors distinguish only what the public bytes already reveal.
//!
//! The byte layout, key derivations and reader rules are in `docs/FORMAT.md`.
//!
//! # Example
//!
//! ```
//! use careguard::{SecretKey, UnixSeconds};
//! use careguard::envelope::{self, Binding, Error, KeyRing, SealContext, SealOptions};
//!
//! let mut ring = KeyRing::new();
//! ring.insert(1, SecretKey::from_bytes([1; 32]))?;
//! let binding = Binding::new(b"ward-7-handover", b"dr.jones@nhs.net");
//! let now = UnixSeconds(1_700_000_000);
//! let ctx = SealContext {
//!     binding,
//!     options: SealOptions::new().expires_at(now + 3600).content_type("text/plain"),
//!     now,
//! };
//!
//! let sealed = envelope::seal(&[&ring], b"bed 4 obs stable", &ctx, &mut envelope::os_rng())?;
//! let opened = envelope::open(&[&ring], &sealed, &binding, now + 60)?;
//! assert_eq!(&opened.payload[..], b"bed 4 obs stable");
//!
//! // Rotation: a new key seals from now on, the old one still opens old envelopes.
//! ring.insert(2, SecretKey::from_bytes([2; 32]))?;
//! assert_eq!(envelope::open(&[&ring], &sealed, &binding, now + 60)?.header.content_type, "text/plain");
//!
//! // Wrong conversation, or too late: typed errors, nothing decrypted.
//! let elsewhere = Binding::new(b"another-chat", b"dr.jones@nhs.net");
//! assert_eq!(envelope::open(&[&ring], &sealed, &elsewhere, now).unwrap_err(), Error::WrongBinding);
//! assert!(matches!(envelope::open(&[&ring], &sealed, &binding, now + 3600),
//!                  Err(Error::Expired { .. })));
//! # Ok::<(), Error>(())
//! ```

pub mod format;

use core::convert::Infallible;

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce, Tag};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand_core::{CryptoRng, TryCryptoRng, TryRng};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::UnixSeconds;
use crate::secret::{KEY_LEN, SecretKey};
use format::{
    BINDING_TAG_LEN, COMMITMENT_LEN, Header, KEK_STANZA_BODY_LEN, MESSAGE_ID_LEN, STANZA_KEK,
    Stanza, TAG_LEN, WRAPPED_DEK_LEN,
};

pub use format::{MAX_ENVELOPE_LEN, MAX_PAYLOAD_LEN};

/// Maximum length of each [`Binding`] field.
pub const MAX_BINDING_FIELD_LEN: usize = 1024;
/// Smallest padding bucket: with padding on, every payload up to this length seals to
/// the same size.
pub const MIN_PAD_BUCKET: usize = 256;

const INFO_PAYLOAD: &[u8] = b"careguard/v1/payload";
const INFO_COMMIT: &[u8] = b"careguard/v1/commit";
const INFO_BINDING: &[u8] = b"careguard/v1/binding";
const INFO_KEK_WRAP: &[u8] = b"careguard/v1/kek-wrap";
const INFO_KEY_ID: &[u8] = b"careguard/v1/key-id";
/// Every AES-GCM key here is used for exactly one message, so the nonce is fixed.
const ZERO_NONCE: [u8; 12] = [0; 12];

/// Everything that can go wrong sealing or opening an envelope.
///
/// Variants up to [`Error::Tampered`] come from envelope bytes (hostile input); the
/// last ones ([`Error::PayloadTooLarge`], [`Error::InvalidArgument`]) come only from the
/// caller's arguments. Errors reveal no more than the public bytes do: once a key has
/// been used, every authentication failure is the one [`Error::Tampered`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes do not decode as an envelope: no `CGEV` magic, a format version this
    /// reader does not know, or an end before a field the header declares.
    #[error(transparent)]
    Decode(#[from] crate::DecodeError),
    /// The envelope uses a cipher suite this reader does not know.
    #[error("unsupported envelope cipher suite {0}")]
    UnsupportedSuite(u8),
    /// The header breaks a layout rule of `docs/FORMAT.md`.
    #[error("malformed envelope: {reason}")]
    Malformed {
        /// The rule that was broken.
        reason: &'static str,
    },
    /// The input is longer than any envelope may be.
    #[error("envelope of {len} bytes is longer than the maximum of {max}")]
    TooLarge {
        /// Input length.
        len: usize,
        /// Largest acceptable length.
        max: usize,
    },
    /// The envelope's expiry has passed; it was not decrypted.
    #[error("envelope expired at {expires_at} (now {now})")]
    Expired {
        /// The expiry in the header, Unix seconds.
        expires_at: u64,
        /// The time the caller passed, Unix seconds.
        now: u64,
    },
    /// No stanza is addressed to a key the caller holds.
    #[error("no key given opens this envelope (its kek stanzas name key ids {key_ids:?})")]
    WrongKey {
        /// The key ids of the envelope's `kek` stanzas (public header data).
        key_ids: Vec<u32>,
    },
    /// The key opened the envelope but the caller's [`Binding`] differs from the
    /// sealer's (another conversation or sender).
    #[error("envelope is bound to a different conversation or sender")]
    WrongBinding,
    /// Authentication failed after a key was used: the header, a stanza, the
    /// commitment or the payload was altered, or a key ring holds a different key
    /// under the stanza's key id.
    #[error("envelope failed authentication (altered, corrupted or wrong key for its key id)")]
    Tampered,
    /// Misuse: the payload to seal is longer than [`MAX_PAYLOAD_LEN`].
    #[error("payload of {len} bytes is longer than the maximum of {max}")]
    PayloadTooLarge {
        /// Payload length.
        len: usize,
        /// Largest sealable length.
        max: usize,
    },
    /// The key that would seal or open came from a vault that has since been locked
    /// or wiped: keys derived from a vault live only as long as it stays unlocked.
    #[error("key revoked: the vault it came from is locked or wiped")]
    KeyRevoked,
    /// Misuse by the caller (never caused by envelope bytes): an argument is invalid.
    /// Same name and shape as every other module's misuse error.
    #[error("invalid argument {argument}: {reason}")]
    InvalidArgument {
        /// The argument.
        argument: &'static str,
        /// Why it was refused.
        reason: &'static str,
    },
}

impl Error {
    /// The stable code the bindings report for this error.
    pub fn code(&self) -> crate::ErrorCode {
        use crate::ErrorCode as C;
        match self {
            Self::Decode(e) => e.code(),
            Self::Malformed { .. } => C::Malformed,
            Self::UnsupportedSuite(_) => C::UnsupportedVersion,
            Self::TooLarge { .. } | Self::PayloadTooLarge { .. } => C::TooLarge,
            Self::Expired { .. } => C::Expired,
            Self::WrongKey { .. } => C::WrongKey,
            Self::WrongBinding => C::WrongBinding,
            Self::Tampered => C::Tampered,
            Self::InvalidArgument { .. } => C::InvalidArgument,
            Self::KeyRevoked => C::KeyRevoked,
        }
    }
}

/// Context the caller binds an envelope to; it is not transmitted, and [`open`] fails
/// with [`Error::WrongBinding`] unless the same context is given.
///
/// Each field is at most [`MAX_BINDING_FIELD_LEN`] bytes. `Binding::default()` binds to
/// nothing (both fields empty).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Binding<'a> {
    /// The conversation (chat, channel, thread) the message belongs to.
    pub conversation_id: &'a [u8],
    /// The sender's account or device identifier.
    pub sender_id: &'a [u8],
}

impl<'a> Binding<'a> {
    /// A binding to a conversation and a sender.
    pub fn new(conversation_id: &'a [u8], sender_id: &'a [u8]) -> Self {
        Self {
            conversation_id,
            sender_id,
        }
    }

    /// `u16` big-endian length and bytes of each field: an unambiguous encoding.
    fn encode(&self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(4 + self.conversation_id.len() + self.sender_id.len());
        for field in [self.conversation_id, self.sender_id] {
            let len = u16::try_from(field.len())
                .ok()
                .filter(|&len| usize::from(len) <= MAX_BINDING_FIELD_LEN)
                .ok_or(Error::InvalidArgument {
                    argument: "binding",
                    reason: "a binding field is longer than MAX_BINDING_FIELD_LEN",
                })?;
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(field);
        }
        Ok(out)
    }
}

/// Everything [`seal`] needs besides the recipients, the payload and the RNG: what the
/// envelope is bound to, how to seal, and when.
///
/// ```
/// use careguard::envelope::{Binding, SealContext, SealOptions};
/// use careguard::UnixSeconds;
///
/// let ctx = SealContext {
///     binding: Binding::new(b"ward-7", b"dr.jones@nhs.net"),
///     options: SealOptions::new().content_type("text/plain"),
///     now: UnixSeconds(1_700_000_000),
/// };
/// # let _ = ctx;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealContext<'a> {
    /// The conversation and sender the envelope is bound to; [`open`] needs the same.
    pub binding: Binding<'a>,
    /// Content type, expiry and padding.
    pub options: SealOptions,
    /// The sealing time, written into the header as its creation time.
    pub now: UnixSeconds,
}

impl SealContext<'_> {
    /// Sealing at `now`, bound to nothing ([`Binding::default`]), with the default
    /// [`SealOptions`]; set the other fields with struct update syntax:
    /// `SealContext { binding, ..SealContext::new(now) }`.
    pub fn new(now: UnixSeconds) -> Self {
        Self {
            binding: Binding::default(),
            options: SealOptions::new(),
            now,
        }
    }
}

/// How to seal: content type, expiry and padding. Start from [`SealOptions::new`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealOptions {
    pub(crate) content_type: String,
    pub(crate) expires_at: Option<UnixSeconds>,
    pub(crate) pad: bool,
}

impl Default for SealOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl SealOptions {
    /// No content type, no expiry, padding on.
    pub fn new() -> Self {
        Self {
            content_type: String::new(),
            expires_at: None,
            pad: true,
        }
    }

    /// The declared content type, at most 128 bytes of visible ASCII. The default is
    /// empty.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// The time from which the envelope no longer opens; must be later than the sealing
    /// time. The default is no expiry.
    pub fn expires_at(mut self, expires_at: UnixSeconds) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// Whether to pad the payload to a power-of-two bucket of at least
    /// [`MIN_PAD_BUCKET`] bytes so its length is hidden. The default is `true`.
    pub fn padding(mut self, pad: bool) -> Self {
        self.pad = pad;
        self
    }
}

/// What a stanza's wrap is bound to: the header prefix (magic through content type)
/// and the message id. Given to [`Recipient::wrap`] and [`Identity::unwrap`].
#[derive(Debug, Clone, Copy)]
pub struct StanzaContext<'a> {
    header_prefix: &'a [u8],
    message_id: &'a [u8; MESSAGE_ID_LEN],
}

impl<'a> StanzaContext<'a> {
    /// The header prefix bytes, to be used as (part of) the wrap's associated data.
    pub fn header_prefix(&self) -> &'a [u8] {
        self.header_prefix
    }

    /// The random message id, to be used as the wrap's HKDF salt.
    pub fn message_id(&self) -> &'a [u8; MESSAGE_ID_LEN] {
        self.message_id
    }
}

/// Someone an envelope is sealed to: turns the data key into stanzas.
///
/// [`KeyRing`] is one (a `kek` stanza under its newest key); end-to-end recipients add
/// their own stanza types without touching the layout code. A wrap should bind itself
/// to [`StanzaContext::header_prefix`] (as associated data) and derive per-message keys
/// with [`StanzaContext::message_id`] as salt.
///
/// Readers skip stanza types they do not know, so adding one never breaks them:
///
/// ```
/// use careguard::{SecretKey, UnixSeconds};
/// use careguard::envelope::format::Stanza;
/// use careguard::envelope::{
///     self, Binding, Error, KeyRing, Recipient, SealContext, StanzaContext,
/// };
/// use rand_core::CryptoRng;
///
/// /// A stanza type from the future: old readers must ignore it.
/// struct Future;
///
/// impl Recipient for Future {
///     fn wrap(&self, _dek: &SecretKey, _ctx: &StanzaContext<'_>, _rng: &mut dyn CryptoRng)
///         -> Result<Vec<Stanza>, Error> {
///         Ok(vec![Stanza { kind: 0xff42, body: b"not for you".to_vec() }])
///     }
/// }
///
/// let mut ring = KeyRing::new();
/// ring.insert(7, SecretKey::from_bytes([7; 32]))?;
/// let ctx = SealContext::new(UnixSeconds(1));
/// let sealed = envelope::seal(&[&Future, &ring], b"hello", &ctx, &mut envelope::os_rng())?;
/// let opened = envelope::open(&[&ring], &sealed, &Binding::default(), ctx.now)?;
/// assert_eq!(&opened.payload[..], b"hello");
/// assert_eq!(opened.header.stanzas.len(), 2);
/// # Ok::<(), Error>(())
/// ```
pub trait Recipient {
    /// Wraps `dek` into one or more stanzas bound to `ctx`.
    fn wrap(
        &self,
        dek: &SecretKey,
        ctx: &StanzaContext<'_>,
        rng: &mut dyn CryptoRng,
    ) -> Result<Vec<Stanza>, Error>;
}

/// Something that may open stanzas: recovers the data key from a stanza meant for it.
pub trait Identity {
    /// `None` if the stanza is not for this identity (unknown type or key), otherwise
    /// the data key or the error met unwrapping it (usually [`Error::Tampered`]).
    fn unwrap(&self, stanza: &Stanza, ctx: &StanzaContext<'_>) -> Option<Result<SecretKey, Error>>;
}

/// Key-encryption keys by key id. The most recently inserted key seals; all of them
/// open, so keys can rotate without losing old messages.
///
/// A key added from a vault ([`KeyRing::insert_from_vault`]) stops sealing and
/// opening ([`Error::KeyRevoked`]) once that vault is locked or wiped.
#[derive(Default)]
pub struct KeyRing {
    keys: Vec<RingKey>,
}

struct RingKey {
    id: u32,
    kek: SecretKey,
    lease: Option<crate::vault::Lease>,
}

impl RingKey {
    fn live_kek(&self) -> Result<&SecretKey, Error> {
        match &self.lease {
            Some(lease) if !lease.is_live() => Err(Error::KeyRevoked),
            _ => Ok(&self.kek),
        }
    }
}

impl core::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeyRing")
            .field("key_ids", &self.key_ids().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl KeyRing {
    /// An empty ring.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a key under `key_id`; it becomes the sealing key. Fails with
    /// [`Error::InvalidArgument`] if the id is already in the ring.
    pub fn insert(&mut self, key_id: u32, kek: SecretKey) -> Result<(), Error> {
        self.push(key_id, kek, None)
    }

    /// Adds the vault's key-encryption key `key_id` ([`Unlocked::derive_kek`]); it
    /// becomes the sealing key. It is revoked with the vault: once `vault` is locked,
    /// idle-locked or wiped, sealing or opening with it fails with
    /// [`Error::KeyRevoked`]. Fails with [`Error::InvalidArgument`] if the id is already in the
    /// ring.
    ///
    /// [`Unlocked::derive_kek`]: crate::vault::Unlocked::derive_kek
    pub fn insert_from_vault(
        &mut self,
        vault: &crate::vault::Unlocked,
        key_id: u32,
    ) -> Result<(), Error> {
        self.push(key_id, vault.derive_kek(key_id), Some(vault.lease()))
    }

    fn push(
        &mut self,
        id: u32,
        kek: SecretKey,
        lease: Option<crate::vault::Lease>,
    ) -> Result<(), Error> {
        if self.get(id).is_some() {
            return Err(Error::InvalidArgument {
                argument: "key_id",
                reason: "the key ring already holds this key id",
            });
        }
        self.keys.push(RingKey { id, kek, lease });
        Ok(())
    }

    /// Removes (and wipes) the key under `key_id`; envelopes sealed only to it stop
    /// opening. Returns whether it was there.
    pub fn remove(&mut self, key_id: u32) -> bool {
        let before = self.keys.len();
        self.keys.retain(|k| k.id != key_id);
        before != self.keys.len()
    }

    /// The id of the key new envelopes are sealed under, if any.
    pub fn sealing_key_id(&self) -> Option<u32> {
        self.keys.last().map(|k| k.id)
    }

    /// Every key id in the ring, oldest first.
    pub fn key_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.keys.iter().map(|k| k.id)
    }

    fn get(&self, key_id: u32) -> Option<&RingKey> {
        self.keys.iter().find(|k| k.id == key_id)
    }
}

impl Recipient for KeyRing {
    fn wrap(
        &self,
        dek: &SecretKey,
        ctx: &StanzaContext<'_>,
        _rng: &mut dyn CryptoRng,
    ) -> Result<Vec<Stanza>, Error> {
        let newest = self.keys.last().ok_or(Error::InvalidArgument {
            argument: "ring",
            reason: "the key ring is empty",
        })?;
        let (key_id, kek) = (&newest.id, newest.live_kek()?);
        let cipher = kek_wrap_cipher(kek, ctx);
        let mut body = Vec::with_capacity(KEK_STANZA_BODY_LEN);
        body.extend_from_slice(&key_id.to_be_bytes());
        body.extend_from_slice(dek.expose_secret());
        let aad = kek_wrap_aad(ctx, *key_id);
        let tag = cipher
            .encrypt_inout_detached(&Nonce::from(ZERO_NONCE), &aad, (&mut body[4..]).into())
            .map_err(|_| Error::InvalidArgument {
                argument: "kek",
                reason: "key wrap failed",
            })?;
        body.extend_from_slice(&tag);
        Ok(vec![Stanza {
            kind: STANZA_KEK,
            body,
        }])
    }
}

impl Identity for KeyRing {
    fn unwrap(&self, stanza: &Stanza, ctx: &StanzaContext<'_>) -> Option<Result<SecretKey, Error>> {
        let key_id = stanza.kek_key_id()?;
        let kek = match self.get(key_id)?.live_kek() {
            Ok(kek) => kek,
            Err(e) => return Some(Err(e)),
        };
        // FORMAT.md: a kek body is exactly 52 bytes (checked by the parser too).
        let wrapped = stanza.body.get(4..)?;
        if wrapped.len() != WRAPPED_DEK_LEN {
            return Some(Err(Error::Malformed {
                reason: "a kek stanza body is not 52 bytes",
            }));
        }
        let (ct, tag) = wrapped.split_at(KEY_LEN);
        let mut dek = Zeroizing::new([0u8; KEY_LEN]);
        dek.copy_from_slice(ct);
        let tag = Tag::try_from(tag).ok()?;
        let opened = kek_wrap_cipher(kek, ctx).decrypt_inout_detached(
            &Nonce::from(ZERO_NONCE),
            &kek_wrap_aad(ctx, key_id),
            (&mut dek[..]).into(),
            &tag,
        );
        Some(match opened {
            Ok(()) => Ok(SecretKey::from_bytes(*dek)),
            Err(_) => Err(Error::Tampered),
        })
    }
}

/// AES-256-GCM under `HKDF-SHA256(salt = message id, ikm = KEK, info = "careguard/v1/kek-wrap")`.
fn kek_wrap_cipher(kek: &SecretKey, ctx: &StanzaContext<'_>) -> Aes256Gcm {
    let key = hkdf32(Some(ctx.message_id()), kek.expose_secret(), INFO_KEK_WRAP);
    Aes256Gcm::new(&(*key).into())
}

/// Header prefix, stanza type and key id.
fn kek_wrap_aad(ctx: &StanzaContext<'_>, key_id: u32) -> Vec<u8> {
    let mut aad = Vec::with_capacity(ctx.header_prefix().len() + 6);
    aad.extend_from_slice(ctx.header_prefix());
    aad.extend_from_slice(&STANZA_KEK.to_be_bytes());
    aad.extend_from_slice(&key_id.to_be_bytes());
    aad
}

fn hkdf32(salt: Option<&[u8]>, ikm: &[u8], info: &[u8]) -> Zeroizing<[u8; KEY_LEN]> {
    let mut okm = Zeroizing::new([0u8; KEY_LEN]);
    // 32 bytes is far below HKDF-SHA256's 255 * 32 byte limit, so expand cannot fail.
    if Hkdf::<Sha256>::new(salt, ikm)
        .expand(info, &mut okm[..])
        .is_err()
    {
        okm.fill(0);
    }
    okm
}

/// A stable 32-bit key id for a key that has none of its own (a key file):
/// the first four bytes, big-endian, of `HKDF-SHA256(salt = none, ikm = key,
/// info = "careguard/v1/key-id")`. It reveals nothing useful about the key.
pub fn derive_key_id(kek: &SecretKey) -> u32 {
    let okm = hkdf32(None, kek.expose_secret(), INFO_KEY_ID);
    u32::from_be_bytes([okm[0], okm[1], okm[2], okm[3]])
}

/// The operating system's RNG, for callers without one of their own.
pub fn os_rng() -> impl CryptoRng {
    rand_core::UnwrapErr(getrandom::SysRng)
}

/// The per-message keys derived from the data key.
struct MessageKeys {
    payload: Zeroizing<[u8; KEY_LEN]>,
    commit: Zeroizing<[u8; KEY_LEN]>,
    binding: Zeroizing<[u8; KEY_LEN]>,
}

impl MessageKeys {
    fn derive(dek: &SecretKey, message_id: &[u8; MESSAGE_ID_LEN]) -> Self {
        // One HKDF-Extract, three Expands: the same as three full HKDF calls.
        let hkdf = Hkdf::<Sha256>::new(Some(message_id), dek.expose_secret());
        let expand = |info: &[u8]| {
            let mut okm = Zeroizing::new([0u8; KEY_LEN]);
            // 32 bytes is far below HKDF-SHA256's 255 * 32 byte limit: cannot fail.
            if hkdf.expand(info, &mut okm[..]).is_err() {
                okm.fill(0);
            }
            okm
        };
        Self {
            payload: expand(INFO_PAYLOAD),
            commit: expand(INFO_COMMIT),
            binding: expand(INFO_BINDING),
        }
    }

    fn commitment_mac(&self, header: &[u8]) -> Hmac<Sha256> {
        let mut mac = hmac_sha256(&self.commit);
        mac.update(header);
        mac
    }

    fn binding_mac(&self, binding: &[u8]) -> Hmac<Sha256> {
        let mut mac = hmac_sha256(&self.binding);
        mac.update(binding);
        mac
    }
}

fn hmac_sha256(key: &[u8; KEY_LEN]) -> Hmac<Sha256> {
    // HMAC zero-pads keys shorter than its 64-byte block, so this is HMAC under `key`.
    let mut block = Zeroizing::new([0u8; 64]);
    block[..KEY_LEN].copy_from_slice(key);
    <Hmac<Sha256> as KeyInit>::new(&(*block).into())
}

/// Smallest power of two at least `len` and at least [`MIN_PAD_BUCKET`].
fn pad_bucket(len: usize) -> usize {
    len.max(MIN_PAD_BUCKET).next_power_of_two()
}

/// Lets a `?Sized` caller RNG be passed on as `&mut dyn CryptoRng`.
struct DynRng<'a, R: ?Sized>(&'a mut R);

impl<R: CryptoRng + ?Sized> TryRng for DynRng<'_, R> {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.0.next_u32())
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.0.next_u64())
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.0.fill_bytes(dst);
        Ok(())
    }
}

impl<R: CryptoRng + ?Sized> TryCryptoRng for DynRng<'_, R> {}

/// Seals `payload` to every recipient, bound to `ctx.binding`, with `ctx.options`,
/// created at `ctx.now`.
///
/// A fresh random data key encrypts the payload; each recipient wraps it into its
/// stanzas. Fails only on misuse: [`Error::PayloadTooLarge`], or [`Error::InvalidArgument`] for
/// no recipients, an empty key ring, more than 255 stanzas, an invalid content type,
/// an expiry not after `now` or an oversized binding.
pub fn seal<R: CryptoRng + ?Sized>(
    recipients: &[&dyn Recipient],
    payload: &[u8],
    ctx: &SealContext<'_>,
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    let SealContext {
        binding,
        options,
        now,
    } = ctx;
    if payload.len() > MAX_PAYLOAD_LEN {
        return Err(Error::PayloadTooLarge {
            len: payload.len(),
            max: MAX_PAYLOAD_LEN,
        });
    }
    if recipients.is_empty() {
        return Err(Error::InvalidArgument {
            argument: "recipients",
            reason: "seal needs at least one recipient",
        });
    }
    if !format::content_type_is_valid(&options.content_type) {
        return Err(Error::InvalidArgument {
            argument: "content_type",
            reason: "content type must be at most 128 bytes of visible ASCII",
        });
    }
    if options.expires_at.is_some_and(|t| t <= *now) {
        return Err(Error::InvalidArgument {
            argument: "expires_at",
            reason: "expires_at must be later than now",
        });
    }
    let binding = binding.encode()?;

    let mut message_id = [0u8; MESSAGE_ID_LEN];
    rng.fill_bytes(&mut message_id);
    let dek = SecretKey::generate(rng);
    let mut header = Header {
        padded: options.pad,
        message_id,
        created_at: now.get(),
        expires_at: options.expires_at.map(UnixSeconds::get),
        content_type: options.content_type.clone(),
        stanzas: Vec::new(),
        sender: None,
    };
    let mut prefix = Vec::with_capacity(header.prefix_len());
    format::write_prefix(&header, &mut prefix);
    let stanza_ctx = StanzaContext {
        header_prefix: &prefix,
        message_id: &message_id,
    };
    let mut dyn_rng = DynRng(rng);
    for recipient in recipients {
        header
            .stanzas
            .extend(recipient.wrap(&dek, &stanza_ctx, &mut dyn_rng)?);
    }

    let plaintext_len = if options.pad {
        pad_bucket(payload.len()) + 1
    } else {
        payload.len()
    };
    let mut out = Vec::new();
    format::write_header(&header, &mut out)?;
    // Reserve everything up front so the plaintext copied in below is never left
    // behind in a reallocated buffer.
    out.reserve_exact(COMMITMENT_LEN + BINDING_TAG_LEN + plaintext_len + TAG_LEN);
    let keys = MessageKeys::derive(&dek, &message_id);
    let commitment = keys.commitment_mac(&out).finalize().into_bytes();
    out.extend_from_slice(&commitment);
    let binding_tag = keys.binding_mac(&binding).finalize().into_bytes();
    out.extend_from_slice(&binding_tag[..BINDING_TAG_LEN]);

    let aad_len = out.len();
    out.extend_from_slice(payload);
    if options.pad {
        // FORMAT.md: padding is one 0x80 byte then zeros up to the bucket length + 1.
        out.push(0x80);
        out.resize(aad_len + plaintext_len, 0);
    }
    let (aad, buffer) = out.split_at_mut(aad_len);
    let tag = Aes256Gcm::new(&(*keys.payload).into())
        .encrypt_inout_detached(&Nonce::from(ZERO_NONCE), aad, buffer.into())
        .map_err(|_| Error::PayloadTooLarge {
            len: payload.len(),
            max: MAX_PAYLOAD_LEN,
        })?;
    out.extend_from_slice(&tag);
    Ok(out)
}

/// An opened envelope: the authenticated header and the plaintext.
pub struct Opened {
    /// The plaintext, wiped when dropped.
    pub payload: Zeroizing<Vec<u8>>,
    /// The header, now authenticated.
    pub header: Header,
}

impl core::fmt::Debug for Opened {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Opened")
            .field("payload_len", &self.payload.len())
            .field("header", &self.header)
            .finish()
    }
}

/// Opens `envelope` with the first identity that can open one of its stanzas, checking
/// it against `binding` at `now`.
///
/// Checks, in order: layout and sizes ([`Error::Decode`]: truncated, bad magic,
/// unsupported version; [`Error::UnsupportedSuite`], [`Error::Malformed`],
/// [`Error::TooLarge`]); expiry, before any decryption ([`Error::Expired`]); stanzas
/// ([`Error::WrongKey`] if none is for these identities); the key commitment over the
/// header ([`Error::Tampered`]); the binding ([`Error::WrongBinding`]); then the
/// payload ([`Error::Tampered`]). Never panics, whatever the bytes.
pub fn open(
    identities: &[&dyn Identity],
    envelope: &[u8],
    binding: &Binding<'_>,
    now: UnixSeconds,
) -> Result<Opened, Error> {
    let now = now.get();
    let binding = binding.encode()?;
    let parts = format::split(envelope)?;
    let header = parts.header;
    // FORMAT.md: readers MUST refuse an expired envelope before decrypting anything.
    if let Some(expires_at) = header.expires_at {
        if now >= expires_at {
            return Err(Error::Expired { expires_at, now });
        }
    }
    let prefix = parts
        .header_bytes
        .get(..header.prefix_len())
        .ok_or(Error::Malformed {
            reason: "header shorter than its prefix",
        })?;
    let ctx = StanzaContext {
        header_prefix: prefix,
        message_id: &header.message_id,
    };

    // FORMAT.md: try every stanza with every identity; skip what nobody recognises.
    let mut failure = None;
    let mut dek = None;
    'stanzas: for stanza in &header.stanzas {
        for identity in identities {
            match identity.unwrap(stanza, &ctx) {
                None => {}
                Some(Ok(key)) => {
                    dek = Some(key);
                    break 'stanzas;
                }
                Some(Err(e)) => failure = Some(e),
            }
        }
    }
    let dek = match (dek, failure) {
        (Some(dek), _) => dek,
        (None, Some(e)) => return Err(e),
        (None, None) => {
            return Err(Error::WrongKey {
                key_ids: header
                    .stanzas
                    .iter()
                    .filter_map(Stanza::kek_key_id)
                    .collect(),
            });
        }
    };

    let keys = MessageKeys::derive(&dek, &header.message_id);
    // Constant-time comparisons (digest's `verify_*`).
    keys.commitment_mac(parts.header_bytes)
        .verify_slice(parts.commitment)
        .map_err(|_| Error::Tampered)?;
    keys.binding_mac(&binding)
        .verify_truncated_left(parts.binding_tag)
        .map_err(|_| Error::WrongBinding)?;

    let aad_len = parts.header_bytes.len() + COMMITMENT_LEN + BINDING_TAG_LEN;
    let (ciphertext, tag) = parts
        .sealed_payload
        .split_at(parts.sealed_payload.len() - TAG_LEN);
    let tag = Tag::try_from(tag).map_err(|_| Error::Tampered)?;
    let mut payload = Zeroizing::new(ciphertext.to_vec());
    Aes256Gcm::new(&(*keys.payload).into())
        .decrypt_inout_detached(
            &Nonce::from(ZERO_NONCE),
            &envelope[..aad_len],
            (&mut payload[..]).into(),
            &tag,
        )
        .map_err(|_| Error::Tampered)?;
    if header.padded {
        let content_len = unpadded_len(&payload).ok_or(Error::Tampered)?;
        payload.truncate(content_len);
    }
    Ok(Opened { payload, header })
}

/// The content length of a padded plaintext, if its padding is canonical: content,
/// one 0x80 byte, then zeros, `pad_bucket(content) + 1` bytes in all.
fn unpadded_len(padded: &[u8]) -> Option<usize> {
    let marker = padded.iter().rposition(|&b| b != 0)?;
    (padded[marker] == 0x80 && pad_bucket(marker) + 1 == padded.len()).then_some(marker)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(id: u32, byte: u8) -> KeyRing {
        let mut ring = KeyRing::new();
        ring.insert(id, SecretKey::from_bytes([byte; 32])).unwrap();
        ring
    }

    #[test]
    fn padding_buckets() {
        assert_eq!(pad_bucket(0), 256);
        assert_eq!(pad_bucket(256), 256);
        assert_eq!(pad_bucket(257), 512);
        assert_eq!(pad_bucket(1024), 1024);
        assert_eq!(pad_bucket(MAX_PAYLOAD_LEN), MAX_PAYLOAD_LEN);
        let mut padded = b"hi".to_vec();
        padded.push(0x80);
        padded.resize(257, 0);
        assert_eq!(unpadded_len(&padded), Some(2));
        padded.push(0);
        assert_eq!(unpadded_len(&padded), None);
    }

    #[test]
    fn padded_sizes_depend_on_bucket_only() {
        let ring = ring(1, 1);
        let ctx = SealContext::new(UnixSeconds(5));
        let mut rng = os_rng();
        let a = seal(&[&ring], b"", &ctx, &mut rng).unwrap();
        let b = seal(&[&ring], &[1; 256], &ctx, &mut rng).unwrap();
        let c = seal(&[&ring], &[1; 257], &ctx, &mut rng).unwrap();
        assert_eq!(a.len(), b.len());
        assert_eq!(c.len(), a.len() + 256);
    }

    #[test]
    fn duplicate_key_ids_are_refused_and_debug_hides_keys() {
        let mut ring = ring(3, 0xAB);
        assert!(matches!(
            ring.insert(3, SecretKey::from_bytes([0; 32])),
            Err(Error::InvalidArgument { .. })
        ));
        let shown = format!("{ring:?}");
        assert!(shown.contains("[3]") && !shown.to_lowercase().contains("ab, "));
        assert!(ring.remove(3));
        assert_eq!(ring.sealing_key_id(), None);
    }

    #[test]
    fn same_id_different_key_is_tampered_not_opened() {
        let ctx = SealContext::new(UnixSeconds(1));
        let sealed = seal(&[&ring(9, 1)], b"x", &ctx, &mut os_rng()).unwrap();
        assert_eq!(
            open(&[&ring(9, 2)], &sealed, &Binding::default(), ctx.now).unwrap_err(),
            Error::Tampered
        );
    }
}
