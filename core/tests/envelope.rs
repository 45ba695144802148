//! Public-API tests of `careguard::envelope`: round trips, rejection of every change,
//! the extension point, expiry and misuse.
// Helpers outside `#[test]` functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use std::cell::Cell;

use careguard::envelope::format::{self, STANZA_KEK, Stanza};
use careguard::envelope::{
    self, Binding, Error, Identity, KeyRing, MAX_PAYLOAD_LEN, Recipient, SealContext, SealOptions,
    StanzaContext,
};
use careguard::{DecodeError, SecretKey, UnixSeconds};
use proptest::prelude::*;
use rand_core::CryptoRng;

const NOW: UnixSeconds = UnixSeconds(1_700_000_000);

fn ring(entries: &[(u32, u8)]) -> KeyRing {
    let mut ring = KeyRing::new();
    for &(id, byte) in entries {
        ring.insert(id, SecretKey::from_bytes([byte; 32])).unwrap();
    }
    ring
}

fn seal_simple(ring: &KeyRing, payload: &[u8], options: &SealOptions) -> Vec<u8> {
    envelope::seal(
        &[ring],
        payload,
        &SealContext {
            options: options.clone(),
            ..SealContext::new(NOW)
        },
        &mut envelope::os_rng(),
    )
    .unwrap()
}

/// A recipient that adds one stanza of a random unknown type and random body, as
/// age-core's `grease_the_joint` does.
struct Grease;

impl Recipient for Grease {
    fn wrap(
        &self,
        _dek: &SecretKey,
        _ctx: &StanzaContext<'_>,
        rng: &mut dyn CryptoRng,
    ) -> Result<Vec<Stanza>, Error> {
        let kind = loop {
            let kind = rng.next_u32() as u16;
            if kind != STANZA_KEK && kind != format::STANZA_HPKE {
                break kind;
            }
        };
        let mut body = vec![0u8; rng.next_u32() as usize % (format::MAX_STANZA_BODY_LEN + 1)];
        rng.fill_bytes(&mut body);
        Ok(vec![Stanza { kind, body }])
    }
}

/// An identity that records whether it was ever asked to unwrap.
struct Watch<'a> {
    inner: &'a KeyRing,
    asked: Cell<bool>,
}

impl Identity for Watch<'_> {
    fn unwrap(&self, stanza: &Stanza, ctx: &StanzaContext<'_>) -> Option<Result<SecretKey, Error>> {
        self.asked.set(true);
        self.inner.unwrap(stanza, ctx)
    }
}

proptest! {
    #[test]
    fn round_trips_any_payload_and_header(
        payload in proptest::collection::vec(any::<u8>(), 0..3000),
        content_type in "[ -~]{0,128}",
        lifetime in proptest::option::of(1u64..1_000_000),
        pad in any::<bool>(),
        conversation in proptest::collection::vec(any::<u8>(), 0..64),
        sender in proptest::collection::vec(any::<u8>(), 0..64),
        now in 0u64..u64::MAX / 2,
        key_id in any::<u32>(),
    ) {
        let at = UnixSeconds(now);
        let ring = ring(&[(key_id, 0x42)]);
        let mut options = SealOptions::new().content_type(content_type.clone()).padding(pad);
        if let Some(lifetime) = lifetime {
            options = options.expires_at(at + lifetime);
        }
        let binding = Binding::new(&conversation, &sender);
        let sealed = envelope::seal(&[&ring], &payload, &SealContext { binding, options, now: at }, &mut envelope::os_rng()).unwrap();
        let opened = envelope::open(&[&ring], &sealed, &binding, at).unwrap();
        prop_assert_eq!(&opened.payload[..], &payload[..]);
        prop_assert_eq!(opened.header.content_type, content_type);
        prop_assert_eq!(opened.header.created_at, now);
        prop_assert_eq!(opened.header.expires_at, lifetime.map(|l| now + l));
        prop_assert_eq!(opened.header.padded, pad);
        prop_assert_eq!(opened.header.stanzas[0].kek_key_id(), Some(key_id));
        if let Some(lifetime) = lifetime {
            let expired = envelope::open(&[&ring], &sealed, &binding, at + lifetime);
            prop_assert_eq!(expired.unwrap_err(),
                            Error::Expired { expires_at: now + lifetime, now: now + lifetime });
        }
    }

    #[test]
    fn open_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let ring = ring(&[(1, 1)]);
        prop_assert!(envelope::open(&[&ring], &bytes, &Binding::default(), NOW).is_err());
        let _ = format::read_header(&bytes);
    }

    #[test]
    fn open_never_panics_on_mutated_envelopes(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let ring = ring(&[(1, 1)]);
        let mut bytes = seal_simple(&ring, b"mutate me", &SealOptions::new().padding(false));
        let original = bytes.clone();
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        let result = envelope::open(&[&ring], &bytes, &Binding::default(), NOW);
        prop_assert_eq!(result.is_ok(), bytes == original);
    }

    #[test]
    fn header_read_write_round_trips(
        padded in any::<bool>(),
        message_id in any::<[u8; 16]>(),
        created_at in any::<u64>(),
        lifetime in proptest::option::of(1u64..1 << 40),
        content_type in "[ -~]{0,128}",
        stanzas in proptest::collection::vec(
            (2u16.., proptest::collection::vec(any::<u8>(), 0..=format::MAX_STANZA_BODY_LEN)),
            1..6,
        ),
        sender in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..=format::MAX_SENDER_LEN)),
        trailing in proptest::collection::vec(any::<u8>(), 0..8),
    ) {
        let header = format::Header {
            padded,
            message_id,
            created_at,
            expires_at: lifetime.map(|l| created_at.saturating_add(l)),
            content_type,
            stanzas: stanzas.into_iter().map(|(kind, body)| Stanza { kind, body }).collect(),
            sender,
        };
        let mut bytes = Vec::new();
        format::write_header(&header, &mut bytes).unwrap();
        let header_len = bytes.len();
        bytes.extend_from_slice(&trailing);
        prop_assert_eq!(format::read_header(&bytes).unwrap(), (header, header_len));
    }

    #[test]
    fn headers_that_parse_write_back_identically(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut bytes = bytes;
        if bytes.len() >= 6 {
            // Make the magic, version and suite valid so the parser gets further.
            bytes[..6].copy_from_slice(b"CGEV\x01\x01");
        }
        if let Ok((header, len)) = format::read_header(&bytes) {
            let mut written = Vec::new();
            format::write_header(&header, &mut written).unwrap();
            prop_assert_eq!(&written[..], &bytes[..len]);
        }
    }
}

#[test]
fn every_single_bit_flip_of_a_1_kib_envelope_is_rejected() {
    let ring = ring(&[(7, 7)]);
    let binding = Binding::new(b"conversation", b"sender");
    let payload: Vec<u8> = (0..1024u32).map(|i| (i * 31 % 251) as u8).collect();
    let sealed = envelope::seal(
        &[&ring],
        &payload,
        &SealContext {
            binding,
            options: SealOptions::new()
                .expires_at(NOW + 10)
                .content_type("text/plain"),
            now: NOW,
        },
        &mut envelope::os_rng(),
    )
    .unwrap();
    assert_eq!(
        &envelope::open(&[&ring], &sealed, &binding, NOW)
            .unwrap()
            .payload[..],
        &payload[..]
    );
    let mut flipped = sealed.clone();
    for bit in 0..sealed.len() * 8 {
        flipped[bit / 8] ^= 1 << (bit % 8);
        let result = envelope::open(&[&ring], &flipped, &binding, NOW);
        assert!(result.is_err(), "bit {bit} flipped still opened");
        flipped[bit / 8] ^= 1 << (bit % 8);
    }
}

#[test]
fn every_truncation_is_rejected() {
    let ring = ring(&[(1, 1)]);
    let sealed = seal_simple(&ring, b"short message", &SealOptions::new());
    for len in 0..sealed.len() {
        let err = envelope::open(&[&ring], &sealed[..len], &Binding::default(), NOW).unwrap_err();
        assert!(
            matches!(err, Error::Decode(DecodeError::Truncated { got, .. }) if got == len)
                || err == Error::Tampered,
            "length {len}: {err:?}"
        );
    }
}

#[test]
fn new_stanza_types_never_break_the_layout() {
    let ring = ring(&[(1, 1)]);
    for round in 0..64 {
        let recipients: [&dyn Recipient; 3] = if round % 2 == 0 {
            [&Grease, &ring, &Grease]
        } else {
            [&ring, &Grease, &Grease]
        };
        let sealed = envelope::seal(
            &recipients,
            b"still opens",
            &SealContext::new(NOW),
            &mut envelope::os_rng(),
        )
        .unwrap();
        let opened = envelope::open(&[&ring], &sealed, &Binding::default(), NOW).unwrap();
        assert_eq!(&opened.payload[..], b"still opens");
        assert_eq!(opened.header.stanzas.len(), 3);
        // Unknown stanzas are authenticated like the rest of the header.
        let (header, _) = format::read_header(&sealed).unwrap();
        let grease_at = header
            .stanzas
            .iter()
            .position(|s| s.kind != STANZA_KEK)
            .unwrap();
        let mut altered = header.clone();
        // Change the body without growing it: a body already at the maximum length
        // must stay writable.
        let body = &mut altered.stanzas[grease_at].body;
        match body.last_mut() {
            Some(last) => *last ^= 1,
            None => body.push(0),
        }
        let mut forged = Vec::new();
        format::write_header(&altered, &mut forged).unwrap();
        let mut rest_at = Vec::new();
        format::write_header(&header, &mut rest_at).unwrap();
        forged.extend_from_slice(&sealed[rest_at.len()..]);
        assert_eq!(
            envelope::open(&[&ring], &forged, &Binding::default(), NOW).unwrap_err(),
            Error::Tampered
        );
    }
}

#[test]
fn only_unknown_stanzas_is_wrong_key() {
    let sealed = envelope::seal(
        &[&Grease],
        b"nobody can read this",
        &SealContext::new(NOW),
        &mut envelope::os_rng(),
    )
    .unwrap();
    assert_eq!(
        envelope::open(&[&ring(&[(1, 1)])], &sealed, &Binding::default(), NOW).unwrap_err(),
        Error::WrongKey { key_ids: vec![] }
    );
}

#[test]
fn rotation_newest_seals_old_still_opens() {
    let mut ring = ring(&[(1, 1)]);
    let old = seal_simple(&ring, b"old", &SealOptions::new());
    ring.insert(2, SecretKey::from_bytes([2; 32])).unwrap();
    assert_eq!(ring.sealing_key_id(), Some(2));
    let new = seal_simple(&ring, b"new", &SealOptions::new());
    let (header, _) = format::read_header(&new).unwrap();
    assert_eq!(header.stanzas[0].kek_key_id(), Some(2));
    for (sealed, text) in [(&old, b"old"), (&new, b"new")] {
        let opened = envelope::open(&[&ring], sealed, &Binding::default(), NOW).unwrap();
        assert_eq!(&opened.payload[..], text);
    }
    assert!(ring.remove(1));
    assert_eq!(
        envelope::open(&[&ring], &old, &Binding::default(), NOW).unwrap_err(),
        Error::WrongKey { key_ids: vec![1] }
    );
}

#[test]
fn several_recipients_each_open_the_same_message() {
    let (a, b, outsider) = (ring(&[(10, 1)]), ring(&[(20, 2)]), ring(&[(30, 3)]));
    let sealed = envelope::seal(
        &[&a, &b],
        b"to both",
        &SealContext::new(NOW),
        &mut envelope::os_rng(),
    )
    .unwrap();
    for reader in [&a, &b] {
        let opened = envelope::open(&[reader], &sealed, &Binding::default(), NOW).unwrap();
        assert_eq!(&opened.payload[..], b"to both");
    }
    assert_eq!(
        envelope::open(&[&outsider], &sealed, &Binding::default(), NOW).unwrap_err(),
        Error::WrongKey {
            key_ids: vec![10, 20]
        }
    );
}

#[test]
fn expired_envelopes_are_refused_before_any_key_is_used() {
    let ring = ring(&[(1, 1)]);
    let sealed = seal_simple(&ring, b"gone", &SealOptions::new().expires_at(NOW + 5));
    let watch = Watch {
        inner: &ring,
        asked: Cell::new(false),
    };
    assert_eq!(
        envelope::open(&[&watch], &sealed, &Binding::default(), NOW + 5).unwrap_err(),
        Error::Expired {
            expires_at: NOW.get() + 5,
            now: NOW.get() + 5
        }
    );
    assert!(!watch.asked.get());
    assert!(envelope::open(&[&watch], &sealed, &Binding::default(), NOW + 4).is_ok());
    assert!(watch.asked.get());
}

#[test]
fn binding_must_match() {
    let ring = ring(&[(1, 1)]);
    let binding = Binding::new(b"chat-1", b"alice");
    let sealed = envelope::seal(
        &[&ring],
        b"hello",
        &SealContext {
            binding,
            ..SealContext::new(NOW)
        },
        &mut envelope::os_rng(),
    )
    .unwrap();
    for other in [
        Binding::new(b"chat-2", b"alice"),
        Binding::new(b"chat-1", b"bob"),
        Binding::new(b"chat-1alice", b""),
        Binding::default(),
    ] {
        assert_eq!(
            envelope::open(&[&ring], &sealed, &other, NOW).unwrap_err(),
            Error::WrongBinding
        );
    }
    assert!(envelope::open(&[&ring], &sealed, &binding, NOW).is_ok());
}

/// A malicious sender's recipient: wraps a *different* data key than the one the
/// payload is sealed under (the multi-recipient "invisible salamander" set-up).
struct Liar<'a>(&'a KeyRing);

impl Recipient for Liar<'_> {
    fn wrap(
        &self,
        _dek: &SecretKey,
        ctx: &StanzaContext<'_>,
        rng: &mut dyn CryptoRng,
    ) -> Result<Vec<Stanza>, Error> {
        let other = SecretKey::generate(rng);
        self.0.wrap(&other, ctx, rng)
    }
}

#[test]
fn one_envelope_opens_under_one_data_key_only() {
    let (honest, fooled) = (ring(&[(1, 1)]), ring(&[(2, 2)]));
    let sealed = envelope::seal(
        &[&honest, &Liar(&fooled)],
        b"what the honest recipient reads",
        &SealContext::new(NOW),
        &mut envelope::os_rng(),
    )
    .unwrap();
    assert!(envelope::open(&[&honest], &sealed, &Binding::default(), NOW).is_ok());
    // The fooled recipient's stanza unwraps fine, but to a data key the commitment
    // does not match: refused, never a different plaintext.
    assert_eq!(
        envelope::open(&[&fooled], &sealed, &Binding::default(), NOW).unwrap_err(),
        Error::Tampered
    );
}

#[test]
fn misuse_is_reported_as_usage() {
    let ring = ring(&[(1, 1)]);
    let empty = KeyRing::new();
    let big = vec![0u8; MAX_PAYLOAD_LEN + 1];
    let long = vec![0u8; envelope::MAX_BINDING_FIELD_LEN + 1];
    let seal = |recipients: &[&dyn Recipient], payload: &[u8], binding, options: SealOptions| {
        envelope::seal(
            recipients,
            payload,
            &SealContext {
                binding,
                options: options.clone(),
                now: NOW,
            },
            &mut envelope::os_rng(),
        )
    };
    assert!(matches!(
        seal(&[], b"x", Binding::default(), SealOptions::new()),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(matches!(
        seal(&[&empty], b"x", Binding::default(), SealOptions::new()),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(matches!(
        seal(
            &[&ring],
            b"x",
            Binding::default(),
            SealOptions::new().expires_at(NOW)
        ),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(matches!(
        seal(
            &[&ring],
            b"x",
            Binding::default(),
            SealOptions::new().content_type("a\nb")
        ),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(matches!(
        seal(&[&ring], b"x", Binding::new(&long, b""), SealOptions::new()),
        Err(Error::InvalidArgument { .. })
    ));
    assert_eq!(
        seal(&[&ring], &big, Binding::default(), SealOptions::new()).unwrap_err(),
        Error::PayloadTooLarge {
            len: MAX_PAYLOAD_LEN + 1,
            max: MAX_PAYLOAD_LEN
        }
    );
    let many: Vec<&dyn Recipient> = vec![&ring; 256];
    assert!(matches!(
        seal(&many, b"x", Binding::default(), SealOptions::new()),
        Err(Error::InvalidArgument { .. })
    ));
}

#[test]
fn largest_payload_round_trips_padded_and_not() {
    let ring = ring(&[(1, 1)]);
    let payload = vec![0x5a; MAX_PAYLOAD_LEN];
    for pad in [true, false] {
        let sealed = seal_simple(&ring, &payload, &SealOptions::new().padding(pad));
        assert!(sealed.len() <= envelope::MAX_ENVELOPE_LEN);
        let opened = envelope::open(&[&ring], &sealed, &Binding::default(), NOW).unwrap();
        assert!(opened.payload[..] == payload[..]);
    }
}

/// An envelope whose ciphertext is one byte longer than the one `sealed` carries: the byte
/// goes before the GCM tag, so only the length check can tell it apart from tampering.
fn one_byte_longer(sealed: &[u8]) -> Vec<u8> {
    let mut longer = sealed[..sealed.len() - format::TAG_LEN].to_vec();
    longer.push(0);
    longer.extend_from_slice(&sealed[sealed.len() - format::TAG_LEN..]);
    longer
}

#[test]
fn payload_length_limit_is_exact_padded_and_not() {
    let ring = ring(&[(1, 1)]);
    let payload = vec![0x5a; MAX_PAYLOAD_LEN];
    let over = vec![0x5a; MAX_PAYLOAD_LEN + 1];
    for pad in [true, false] {
        let options = SealOptions::new().padding(pad);
        let sealed = seal_simple(&ring, &payload, &options);
        assert!(envelope::open(&[&ring], &sealed, &Binding::default(), NOW).is_ok());
        // MAX + 1 bytes: refused when sealing, and refused unread when opening.
        assert!(matches!(
            envelope::seal(
                &[&ring],
                &over,
                &SealContext {
                    options: options.clone(),
                    ..SealContext::new(NOW)
                },
                &mut envelope::os_rng()
            ),
            Err(Error::PayloadTooLarge { .. })
        ));
        let err = envelope::open(
            &[&ring],
            &one_byte_longer(&sealed),
            &Binding::default(),
            NOW,
        )
        .unwrap_err();
        assert!(
            matches!(err, Error::TooLarge { .. }),
            "padded {pad}: {err:?}"
        );
    }
}

#[test]
fn error_messages_carry_evidence_and_no_secrets() {
    let cases = [
        (
            Error::Decode(DecodeError::BadMagic { what: "envelope" }),
            "magic",
        ),
        (
            Error::Decode(DecodeError::Truncated {
                what: "envelope",
                needed: 9,
                got: 3,
            }),
            "needed 9 bytes, got 3",
        ),
        (
            Error::Decode(DecodeError::UnsupportedVersion {
                what: "envelope",
                version: 7,
            }),
            "version 7",
        ),
        (Error::UnsupportedSuite(9), "suite 9"),
        (Error::Malformed { reason: "x rule" }, "x rule"),
        (Error::TooLarge { len: 5, max: 4 }, "5 bytes"),
        (
            Error::Expired {
                expires_at: 10,
                now: 11,
            },
            "expired at 10 (now 11)",
        ),
        (
            Error::WrongKey {
                key_ids: vec![4, 5],
            },
            "[4, 5]",
        ),
        (Error::WrongBinding, "conversation or sender"),
        (Error::Tampered, "authentication"),
        (Error::PayloadTooLarge { len: 8, max: 7 }, "8 bytes"),
        (
            Error::InvalidArgument {
                argument: "what",
                reason: "why",
            },
            "what: why",
        ),
    ];
    for (error, needle) in cases {
        let message = error.to_string();
        assert!(message.contains(needle), "{message:?} lacks {needle:?}");
        assert_eq!(message, message.to_lowercase(), "messages are lower-case");
    }
    let opened = envelope::open(
        &[&ring(&[(1, 1)])],
        &seal_simple(&ring(&[(1, 1)]), b"secret words", &SealOptions::new()),
        &Binding::default(),
        NOW,
    )
    .unwrap();
    assert!(!format!("{opened:?}").contains("secret"));
    assert!(!format!("{:?}", ring(&[(1, 0xcd)])).contains("205"));
}

#[test]
fn the_reserved_sender_section_is_authenticated() {
    let ring = ring(&[(1, 1)]);
    let sealed = seal_simple(&ring, b"signed later", &SealOptions::new());
    let (mut header, len) = format::read_header(&sealed).unwrap();
    assert_eq!(header.sender, None);
    header.sender = Some(vec![0x5e; 96]);
    let mut forged = Vec::new();
    format::write_header(&header, &mut forged).unwrap();
    assert_eq!(forged[7] & 0x02, 0x02, "flag 0x0002 announces the section");
    forged.extend_from_slice(&sealed[len..]);
    assert_eq!(
        format::read_header(&forged).unwrap().0.sender,
        Some(vec![0x5e; 96])
    );
    assert_eq!(
        envelope::open(&[&ring], &forged, &Binding::default(), NOW).unwrap_err(),
        Error::Tampered
    );
}
