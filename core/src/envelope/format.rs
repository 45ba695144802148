//! The envelope v1 byte layout: reading and writing headers, no cryptography.
//!
//! Everything here is public information: a relay, a backup tool or a fuzzer can parse
//! a header without any key. The rules quoted in comments (`FORMAT.md: ...`) are the
//! ones `docs/FORMAT.md` states for readers; parsers check every length before reading
//! and are bounded by the public `MAX_*` consts.
//!
//! ```
//! use careguard::envelope::format::{self, Header, Stanza};
//!
//! let header = Header {
//!     padded: false,
//!     message_id: [7; 16],
//!     created_at: 1_700_000_000,
//!     expires_at: None,
//!     content_type: "text/plain".into(),
//!     stanzas: vec![Stanza { kind: 0xff00, body: vec![1, 2, 3] }],
//!     sender: None,
//! };
//! let mut bytes = Vec::new();
//! format::write_header(&header, &mut bytes)?;
//! let (parsed, len) = format::read_header(&bytes)?;
//! assert_eq!((parsed, len), (header, bytes.len()));
//! # Ok::<(), careguard::envelope::Error>(())
//! ```

use super::Error;
use crate::codec::{Reader, Writer};

/// The four bytes every envelope starts with: `CGEV`.
pub const MAGIC: [u8; 4] = *b"CGEV";
/// What a [`crate::DecodeError`] from this layout names.
const WHAT: &str = "envelope";
/// The format version this module reads and writes.
pub const VERSION: u8 = 1;
/// Suite 1: AES-256-GCM payload and key wrap, HKDF-SHA256, HMAC-SHA256 commitment.
pub const SUITE_AES256GCM_HKDF_SHA256: u8 = 1;

/// Flag bit: the plaintext is padded to a size bucket (see `docs/FORMAT.md`).
pub const FLAG_PADDED: u16 = 0x0001;
/// Flag bit: a sender section (device id and signature) follows the stanzas.
/// Reserved for sender signatures; its body is carried and authenticated, not interpreted.
pub const FLAG_SENDER: u16 = 0x0002;
/// Every flag bit v1 defines; readers reject any other bit.
pub const KNOWN_FLAGS: u16 = FLAG_PADDED | FLAG_SENDER;

/// Stanza type of a DEK wrapped under a key-encryption key from a key ring.
pub const STANZA_KEK: u16 = 0x0001;
/// Stanza type reserved for DEKs wrapped to a device's public key with HPKE.
pub const STANZA_HPKE: u16 = 0x0002;

/// Length of the random message id.
pub const MESSAGE_ID_LEN: usize = 16;
/// Length of the fixed part of the header, before the content type bytes.
pub const FIXED_PREFIX_LEN: usize = 4 + 1 + 1 + 2 + MESSAGE_ID_LEN + 8 + 8 + 1;
/// Maximum length of the content type string (visible ASCII and space only).
pub const MAX_CONTENT_TYPE_LEN: usize = 128;
/// Maximum number of stanzas in one header (at least one is required).
pub const MAX_STANZAS: usize = 255;
/// Maximum length of one stanza body.
pub const MAX_STANZA_BODY_LEN: usize = 1024;
/// Maximum length of the sender section body.
pub const MAX_SENDER_LEN: usize = 1024;
/// Maximum length of a whole header.
pub const MAX_HEADER_LEN: usize = FIXED_PREFIX_LEN
    + MAX_CONTENT_TYPE_LEN
    + 1
    + MAX_STANZAS * (4 + MAX_STANZA_BODY_LEN)
    + 2
    + MAX_SENDER_LEN;

/// Length of the body of a `kek` stanza: key id (4) and wrapped DEK (32 + 16-byte tag).
pub const KEK_STANZA_BODY_LEN: usize = 4 + WRAPPED_DEK_LEN;
/// Length of a DEK wrapped with AES-256-GCM (32-byte key and 16-byte tag).
pub const WRAPPED_DEK_LEN: usize = 32 + TAG_LEN;
/// Length of the key commitment that follows the header.
pub const COMMITMENT_LEN: usize = 32;
/// Length of the binding tag that follows the commitment.
pub const BINDING_TAG_LEN: usize = 16;
/// Length of an AES-GCM authentication tag.
pub const TAG_LEN: usize = 16;
/// Maximum plaintext length of one envelope (16 MiB).
pub const MAX_PAYLOAD_LEN: usize = 16 * 1024 * 1024;
/// Maximum length of the encrypted payload before its tag: a full bucket plus the
/// padding marker byte. An unpadded payload may be at most [`MAX_PAYLOAD_LEN`].
pub const MAX_CIPHERTEXT_LEN: usize = MAX_PAYLOAD_LEN + 1;
/// Maximum length of a whole envelope; readers reject anything longer unread.
pub const MAX_ENVELOPE_LEN: usize =
    MAX_HEADER_LEN + COMMITMENT_LEN + BINDING_TAG_LEN + MAX_CIPHERTEXT_LEN + TAG_LEN;

/// One key stanza: a type tag and a body whose meaning depends on the type.
///
/// Readers skip stanza types they do not know, so new types never break old readers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stanza {
    /// The stanza type (`STANZA_KEK`, `STANZA_HPKE`, or one a reader may not know).
    pub kind: u16,
    /// The type-specific body, at most `MAX_STANZA_BODY_LEN` bytes.
    pub body: Vec<u8>,
}

impl Stanza {
    /// The key id of a `kek` stanza, or `None` for other stanza types.
    pub fn kek_key_id(&self) -> Option<u32> {
        if self.kind != STANZA_KEK {
            return None;
        }
        let id: [u8; 4] = self.body.get(..4)?.try_into().ok()?;
        Some(u32::from_be_bytes(id))
    }
}

/// A parsed envelope header. Its fields are public but not secret and, until a key has
/// opened the envelope, not yet authenticated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Whether the plaintext is padded to a size bucket.
    pub padded: bool,
    /// The random message id (also the HKDF salt of every per-message key).
    pub message_id: [u8; MESSAGE_ID_LEN],
    /// When the envelope was sealed, Unix seconds.
    pub created_at: u64,
    /// When the envelope stops opening, Unix seconds; `None` for never.
    pub expires_at: Option<u64>,
    /// The content type the sender declared, e.g. `text/plain`.
    pub content_type: String,
    /// The key stanzas, in order. At least one.
    pub stanzas: Vec<Stanza>,
    /// The reserved sender section body (device id and signature), if present.
    /// The envelope authenticates it as part of the header but does not interpret it.
    pub sender: Option<Vec<u8>>,
}

impl Header {
    /// The header's flag bits.
    pub fn flags(&self) -> u16 {
        let mut flags = 0;
        if self.padded {
            flags |= FLAG_PADDED;
        }
        if self.sender.is_some() {
            flags |= FLAG_SENDER;
        }
        flags
    }

    /// Length of the header prefix (magic through content type): the associated data
    /// every stanza's wrap is bound to.
    pub fn prefix_len(&self) -> usize {
        FIXED_PREFIX_LEN + self.content_type.len()
    }
}

/// Whether a content type is acceptable: at most `MAX_CONTENT_TYPE_LEN` bytes of
/// visible ASCII or space.
pub fn content_type_is_valid(content_type: &str) -> bool {
    content_type.len() <= MAX_CONTENT_TYPE_LEN
        && content_type.bytes().all(|b| (0x20..=0x7e).contains(&b))
}

/// Appends the canonical encoding of `header` to `out`.
///
/// Fails with [`Error::InvalidArgument`] if the header breaks a rule a reader would reject
/// (no stanzas, too many, an oversized body, an invalid content type, an expiry
/// before creation), so everything written here parses back to the same header.
pub fn write_header(header: &Header, out: &mut Vec<u8>) -> Result<(), Error> {
    if !content_type_is_valid(&header.content_type) {
        return Err(Error::InvalidArgument {
            argument: "content_type",
            reason: "content type must be at most 128 bytes of visible ASCII",
        });
    }
    if header.stanzas.is_empty() || header.stanzas.len() > MAX_STANZAS {
        return Err(Error::InvalidArgument {
            argument: "stanzas",
            reason: "an envelope needs between 1 and 255 stanzas",
        });
    }
    if let Some(expires_at) = header.expires_at {
        if expires_at == 0 || expires_at < header.created_at {
            return Err(Error::InvalidArgument {
                argument: "expires_at",
                reason: "expires_at must be non-zero and not before created_at",
            });
        }
    }
    for stanza in &header.stanzas {
        if stanza.body.len() > MAX_STANZA_BODY_LEN {
            return Err(Error::InvalidArgument {
                argument: "stanzas",
                reason: "a stanza body is longer than MAX_STANZA_BODY_LEN",
            });
        }
        if stanza.kind == STANZA_KEK && stanza.body.len() != KEK_STANZA_BODY_LEN {
            return Err(Error::InvalidArgument {
                argument: "stanzas",
                reason: "a kek stanza body must be exactly 52 bytes",
            });
        }
    }
    if header
        .sender
        .as_ref()
        .is_some_and(|s| s.len() > MAX_SENDER_LEN)
    {
        return Err(Error::InvalidArgument {
            argument: "sender",
            reason: "the sender section is longer than MAX_SENDER_LEN",
        });
    }
    write_prefix(header, out);
    let mut w = Writer::new(out);
    // Lengths were checked above, so these narrowing conversions are exact.
    w.u8(header.stanzas.len() as u8);
    for stanza in &header.stanzas {
        w.u16(stanza.kind)
            .u16(stanza.body.len() as u16)
            .bytes(&stanza.body);
    }
    if let Some(sender) = &header.sender {
        w.u16(sender.len() as u16).bytes(sender);
    }
    Ok(())
}

/// Appends the header prefix (magic through content type; the stanza wrap associated
/// data). The caller has checked the content type.
pub(crate) fn write_prefix(header: &Header, out: &mut Vec<u8>) {
    Writer::new(out)
        .bytes(&MAGIC)
        .u8(VERSION)
        .u8(SUITE_AES256GCM_HKDF_SHA256)
        .u16(header.flags())
        .bytes(&header.message_id)
        .u64(header.created_at)
        .u64(header.expires_at.unwrap_or(0))
        // Content types are at most MAX_CONTENT_TYPE_LEN (128) bytes, so this is exact.
        .u8(header.content_type.len() as u8)
        .bytes(header.content_type.as_bytes());
}

/// Parses the header at the start of `bytes`, returning it and its length in bytes.
///
/// Bytes after the header are not looked at. Errors, in the order they are checked:
/// [`crate::DecodeError::Truncated`] whenever a field runs past the end,
/// [`crate::DecodeError::BadMagic`], [`crate::DecodeError::UnsupportedVersion`] (all in
/// [`Error::Decode`]), [`Error::UnsupportedSuite`], then [`Error::Malformed`] for any other
/// rule broken.
pub fn read_header(bytes: &[u8]) -> Result<(Header, usize), Error> {
    let mut r = Reader::new(WHAT, bytes);
    // FORMAT.md: readers MUST reject input that does not start with the magic.
    r.magic(&MAGIC)?;
    // FORMAT.md: readers MUST reject any version but 1 before reading further.
    r.version(VERSION)?;
    let suite = r.u8()?;
    if suite != SUITE_AES256GCM_HKDF_SHA256 {
        return Err(Error::UnsupportedSuite(suite));
    }
    let flags = r.u16()?;
    if flags & !KNOWN_FLAGS != 0 {
        return Err(Error::Malformed {
            reason: "unknown flag bits are set",
        });
    }
    let message_id = r.array::<MESSAGE_ID_LEN>()?;
    let created_at = r.u64()?;
    let expires_at = match r.u64()? {
        0 => None,
        t if t < created_at => {
            return Err(Error::Malformed {
                reason: "expires_at is before created_at",
            });
        }
        t => Some(t),
    };
    let content_type_len = usize::from(r.u8()?);
    if content_type_len > MAX_CONTENT_TYPE_LEN {
        return Err(Error::Malformed {
            reason: "content type is longer than 128 bytes",
        });
    }
    let content_type = r.take(content_type_len)?;
    if !content_type.iter().all(|b| (0x20..=0x7e).contains(b)) {
        return Err(Error::Malformed {
            reason: "content type is not visible ASCII",
        });
    }
    let content_type = String::from_utf8_lossy(content_type).into_owned();
    let stanza_count = usize::from(r.u8()?);
    if stanza_count == 0 {
        return Err(Error::Malformed {
            reason: "the header has no stanzas",
        });
    }
    let mut stanzas = Vec::with_capacity(stanza_count);
    for _ in 0..stanza_count {
        let kind = r.u16()?;
        let len = usize::from(r.u16()?);
        if len > MAX_STANZA_BODY_LEN {
            return Err(Error::Malformed {
                reason: "a stanza body is longer than 1024 bytes",
            });
        }
        // FORMAT.md: a kek stanza body MUST be exactly 52 bytes; check before any use.
        if kind == STANZA_KEK && len != KEK_STANZA_BODY_LEN {
            return Err(Error::Malformed {
                reason: "a kek stanza body is not 52 bytes",
            });
        }
        let body = r.take(len)?.to_vec();
        stanzas.push(Stanza { kind, body });
    }
    let sender = if flags & FLAG_SENDER != 0 {
        let len = usize::from(r.u16()?);
        if len > MAX_SENDER_LEN {
            return Err(Error::Malformed {
                reason: "the sender section is longer than 1024 bytes",
            });
        }
        Some(r.take(len)?.to_vec())
    } else {
        None
    };
    let header = Header {
        padded: flags & FLAG_PADDED != 0,
        message_id,
        created_at,
        expires_at,
        content_type,
        stanzas,
        sender,
    };
    Ok((header, r.position()))
}

/// An envelope split into its parts; every slice borrows the input.
#[derive(Debug)]
pub struct Parts<'a> {
    /// The parsed header.
    pub header: Header,
    /// The header bytes exactly as received.
    pub header_bytes: &'a [u8],
    /// The key commitment (HMAC-SHA256 of the header under the commitment key).
    pub commitment: &'a [u8; COMMITMENT_LEN],
    /// The binding tag (truncated HMAC-SHA256 of the caller's binding).
    pub binding_tag: &'a [u8; BINDING_TAG_LEN],
    /// The encrypted payload followed by its 16-byte GCM tag.
    pub sealed_payload: &'a [u8],
}

/// Splits a whole envelope into header, commitment, binding tag and sealed payload,
/// checking every length (no cryptography).
pub fn split(bytes: &[u8]) -> Result<Parts<'_>, Error> {
    if bytes.len() > MAX_ENVELOPE_LEN {
        return Err(Error::TooLarge {
            len: bytes.len(),
            max: MAX_ENVELOPE_LEN,
        });
    }
    let (header, header_len) = read_header(bytes)?;
    let mut r = Reader::at(WHAT, bytes, header_len);
    let commitment = r.array_ref::<COMMITMENT_LEN>()?;
    let binding_tag = r.array_ref::<BINDING_TAG_LEN>()?;
    let sealed_payload = r.rest();
    // FORMAT.md: the sealed payload is at least its tag (and a marker byte if padded).
    let min = TAG_LEN + usize::from(header.padded);
    r.require(r.position() + min)?;
    // Only a padded payload carries the marker byte on top of MAX_PAYLOAD_LEN; an
    // unpadded one is the plaintext itself and may be no longer than what seal accepts.
    let max_ciphertext = MAX_PAYLOAD_LEN + usize::from(header.padded);
    if sealed_payload.len() - TAG_LEN > max_ciphertext {
        return Err(Error::TooLarge {
            len: bytes.len(),
            max: r.position() + max_ciphertext + TAG_LEN,
        });
    }
    Ok(Parts {
        header,
        header_bytes: &bytes[..header_len],
        commitment,
        binding_tag,
        sealed_payload,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DecodeError;

    fn sample() -> Header {
        Header {
            padded: true,
            message_id: [9; MESSAGE_ID_LEN],
            created_at: 10,
            expires_at: Some(20),
            content_type: "text/plain".into(),
            stanzas: vec![
                Stanza {
                    kind: STANZA_KEK,
                    body: vec![1; KEK_STANZA_BODY_LEN],
                },
                Stanza {
                    kind: 0x7777,
                    body: vec![],
                },
            ],
            sender: Some(vec![5; 96]),
        }
    }

    #[test]
    fn header_round_trips_and_every_prefix_is_truncated() {
        let mut bytes = Vec::new();
        write_header(&sample(), &mut bytes).unwrap();
        assert_eq!(read_header(&bytes).unwrap(), (sample(), bytes.len()));
        for cut in 0..bytes.len() {
            assert!(
                matches!(read_header(&bytes[..cut]), Err(Error::Decode(DecodeError::Truncated { got, .. })) if got == cut),
                "prefix of {cut} bytes"
            );
        }
    }

    #[test]
    fn readers_reject_what_writers_refuse() {
        let mut bytes = Vec::new();
        write_header(&sample(), &mut bytes).unwrap();
        let mut bad_flags = bytes.clone();
        bad_flags[7] |= 0x04;
        assert!(matches!(
            read_header(&bad_flags),
            Err(Error::Malformed { .. })
        ));
        let mut no_stanzas = sample();
        no_stanzas.stanzas.clear();
        assert!(matches!(
            write_header(&no_stanzas, &mut Vec::new()),
            Err(Error::InvalidArgument { .. })
        ));
        let mut short_kek = sample();
        short_kek.stanzas[0].body.pop();
        assert!(write_header(&short_kek, &mut Vec::new()).is_err());
    }

    #[test]
    fn split_bounds_the_payload() {
        let mut bytes = Vec::new();
        write_header(&sample(), &mut bytes).unwrap();
        bytes.extend_from_slice(&[0; COMMITMENT_LEN + BINDING_TAG_LEN + TAG_LEN]);
        // Padded envelopes need the marker byte too.
        assert!(matches!(
            split(&bytes),
            Err(Error::Decode(DecodeError::Truncated { .. }))
        ));
        bytes.push(0);
        let parts = split(&bytes).unwrap();
        assert_eq!(parts.sealed_payload.len(), TAG_LEN + 1);
    }
}
