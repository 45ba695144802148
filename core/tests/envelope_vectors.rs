//! Envelope v1 test vectors: the generator (fixed RNG and clock) and the checks.
//!
//! `core/tests/vectors/envelope-v1.json` is produced by
//! `cargo test -p careguard --test envelope_vectors -- --ignored regenerate`;
//! `committed_vectors_are_what_the_generator_produces` keeps it honest and
//! `every_vector_behaves_as_its_expect_says` runs each one through `envelope::open`.
//! `core/tests/python/test_envelope_vectors.py` reads the same file with an
//! independent implementation.
// Helpers outside `#[test]` functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use std::path::PathBuf;

use careguard::envelope::format::Stanza;
use careguard::envelope::{self, Binding, Error, KeyRing, Recipient, SealOptions, StanzaContext};
use careguard::{DecodeError, SealContext, SecretKey, UnixSeconds};
use rand_core::{CryptoRng, Rng};
use serde_json::{Value, json};
use support::TestRng;

/// The clock of every vector: 2023-11-14T22:13:20Z.
const NOW: u64 = 1_700_000_000;

/// A stanza of a type no reader knows, with a fixed body.
struct Unknown;

impl Recipient for Unknown {
    fn wrap(
        &self,
        _dek: &SecretKey,
        _ctx: &StanzaContext<'_>,
        _rng: &mut dyn CryptoRng,
    ) -> Result<Vec<Stanza>, Error> {
        Ok(vec![Stanza {
            kind: 0xff01,
            body: b"grease: readers skip stanza types they do not know".to_vec(),
        }])
    }
}

fn kek(byte: u8) -> [u8; 32] {
    let mut k = [0u8; 32];
    for (i, b) in k.iter_mut().enumerate() {
        *b = byte ^ (i as u8).wrapping_mul(7);
    }
    k
}

fn ring(keys: &[(u32, [u8; 32])]) -> KeyRing {
    let mut ring = KeyRing::new();
    for (id, k) in keys {
        ring.insert(*id, SecretKey::from_bytes(*k)).unwrap();
    }
    ring
}

const CONVERSATION: &[u8] = b"conversation:ward-7-handover";
const SENDER: &[u8] = b"sender:staff-4821";

struct Vector {
    name: &'static str,
    comment: &'static str,
    keys: Vec<(u32, [u8; 32])>,
    binding: (&'static [u8], &'static [u8]),
    now: u64,
    envelope: Vec<u8>,
    expect: &'static str,
    payload: Option<Vec<u8>>,
}

impl Vector {
    fn to_json(&self) -> Value {
        let mut v = json!({
            "name": self.name,
            "comment": self.comment,
            "keys": self.keys.iter().map(|(id, k)| json!({"key_id": id, "kek": hex::encode(k)})).collect::<Vec<_>>(),
            "binding": {"conversation_id": hex::encode(self.binding.0), "sender_id": hex::encode(self.binding.1)},
            "now": self.now,
            "envelope": hex::encode(&self.envelope),
            "expect": self.expect,
        });
        if let Some(p) = &self.payload {
            v["payload"] = json!(hex::encode(p));
        }
        v
    }
}

/// Seals deterministically under the seed `name`.
fn seal(
    name: &str,
    recipients: &[&dyn Recipient],
    payload: &[u8],
    binding: (&[u8], &[u8]),
    options: SealOptions,
) -> Vec<u8> {
    envelope::seal(
        recipients,
        payload,
        &SealContext {
            binding: Binding::new(binding.0, binding.1),
            options,
            now: UnixSeconds(NOW),
        },
        &mut TestRng::new(name),
    )
    .unwrap()
}

fn flip(mut bytes: Vec<u8>, at: usize) -> Vec<u8> {
    bytes[at] ^= 0x01;
    bytes
}

fn generate() -> Vec<Vector> {
    let k1 = kek(0x11);
    let k2 = kek(0x22);
    let k10 = kek(0xa0);
    let k20 = kek(0xb0);
    let r1 = ring(&[(1, k1)]);
    let r10 = ring(&[(10, k10)]);
    let r20 = ring(&[(20, k20)]);
    let text = "Bed 4: obs stable, NEWS 2. Please review bloods at 14:00.".as_bytes();
    let day = SealOptions::new()
        .content_type("text/plain; charset=utf-8")
        .expires_at(UnixSeconds(NOW + 86_400));
    let both = (CONVERSATION, SENDER);
    let none: (&[u8], &[u8]) = (b"", b"");

    let unpadded = seal(
        "text_unpadded",
        &[&r1],
        text,
        both,
        day.clone().padding(false),
    );
    let mut vectors = vec![
        Vector {
            name: "text_unpadded",
            comment: "one kek stanza, no padding, bound to a conversation and sender, expires in a day",
            keys: vec![(1, k1)],
            binding: both,
            now: NOW + 60,
            envelope: unpadded.clone(),
            expect: "ok",
            payload: Some(text.to_vec()),
        },
        Vector {
            name: "text_padded",
            comment: "as text_unpadded but padded to the 256-byte bucket",
            keys: vec![(1, k1)],
            binding: both,
            now: NOW + 60,
            envelope: seal("text_padded", &[&r1], text, both, day.clone()),
            expect: "ok",
            payload: Some(text.to_vec()),
        },
        Vector {
            name: "empty_payload_padded",
            comment: "an empty payload, padded; no binding, no content type, no expiry",
            keys: vec![(1, k1)],
            binding: none,
            now: NOW,
            envelope: seal(
                "empty_payload_padded",
                &[&r1],
                b"",
                none,
                SealOptions::new(),
            ),
            expect: "ok",
            payload: Some(Vec::new()),
        },
        Vector {
            name: "binary_1000_padded",
            comment: "1000 binary bytes padded to the 1024-byte bucket",
            keys: vec![(1, k1)],
            binding: none,
            now: NOW,
            envelope: seal(
                "binary_1000_padded",
                &[&r1],
                &(0..1000u32).map(|i| (i % 256) as u8).collect::<Vec<_>>(),
                none,
                SealOptions::new().content_type("application/octet-stream"),
            ),
            expect: "ok",
            payload: Some((0..1000u32).map(|i| (i % 256) as u8).collect()),
        },
        Vector {
            name: "rotated_ring_opens_old_key",
            comment: "sealed under key 1; the reader's ring has since added key 2 (which would seal now)",
            keys: vec![(1, k1), (2, k2)],
            binding: both,
            now: NOW + 60,
            envelope: seal("rotated", &[&r1], text, both, day.clone()),
            expect: "ok",
            payload: Some(text.to_vec()),
        },
        Vector {
            name: "second_of_two_kek_stanzas",
            comment: "sealed to key 10 and key 20; the reader holds only key 20",
            keys: vec![(20, k20)],
            binding: both,
            now: NOW + 60,
            envelope: seal("two_stanzas", &[&r10, &r20], text, both, day.clone()),
            expect: "ok",
            payload: Some(text.to_vec()),
        },
        Vector {
            name: "unknown_stanza_type_is_skipped",
            comment: "a stanza of unknown type 0xff01 precedes the kek stanza; readers skip it",
            keys: vec![(1, k1)],
            binding: both,
            now: NOW + 60,
            envelope: seal("unknown_stanza", &[&Unknown, &r1], text, both, day.clone()),
            expect: "ok",
            payload: Some(text.to_vec()),
        },
    ];

    // Rejections: one scenario each, all derived from text_unpadded unless stated.
    // Offsets: header prefix = 41 + 25 (content type) = 66 bytes; stanza count at 66;
    // the kek stanza header at 67..71, key id 71..75, wrapped DEK 75..123; header ends
    // at 123, commitment 123..155, binding tag 155..171, ciphertext from 171.
    let reject = |name, comment, envelope, expect| Vector {
        name,
        comment,
        keys: vec![(1, k1)],
        binding: both,
        now: NOW + 60,
        envelope,
        expect,
        payload: None,
    };
    let ct_len = "text/plain; charset=utf-8".len();
    let prefix = 41 + ct_len;
    let header_end = prefix + 1 + 4 + 52;
    vectors.extend([
        reject(
            "truncated",
            "cut inside the fixed header (40 bytes)",
            unpadded[..40].to_vec(),
            "Truncated",
        ),
        reject(
            "truncated_before_tag",
            "cut before the end of the binding tag",
            unpadded[..header_end + 40].to_vec(),
            "Truncated",
        ),
        reject(
            "bad_magic",
            "first byte changed",
            flip(unpadded.clone(), 0),
            "NotAnEnvelope",
        ),
        reject(
            "unknown_version",
            "version byte set to 2",
            {
                let mut e = unpadded.clone();
                e[4] = 2;
                e
            },
            "UnsupportedVersion",
        ),
        reject(
            "unknown_suite",
            "suite byte set to 9",
            {
                let mut e = unpadded.clone();
                e[5] = 9;
                e
            },
            "UnsupportedSuite",
        ),
        reject(
            "unknown_flag",
            "a flag bit v1 does not define (0x8000) is set",
            {
                let mut e = unpadded.clone();
                e[6] |= 0x80;
                e
            },
            "Malformed",
        ),
        Vector {
            name: "unknown_key_id",
            comment: "the reader's ring holds only key id 99",
            keys: vec![(99, k1)],
            ..reject("", "", unpadded.clone(), "WrongKey")
        },
        reject(
            "tampered_header",
            "one bit of created_at flipped (bound to the wrap and the payload)",
            flip(unpadded.clone(), 4 + 1 + 1 + 2 + 16 + 7),
            "Tampered",
        ),
        reject(
            "tampered_wrap",
            "one bit of the wrapped DEK flipped",
            flip(unpadded.clone(), prefix + 1 + 4 + 4 + 10),
            "Tampered",
        ),
        reject(
            "tampered_commitment",
            "one bit of the key commitment flipped",
            flip(unpadded.clone(), header_end + 3),
            "Tampered",
        ),
        reject(
            "tampered_payload",
            "one bit of the payload ciphertext flipped",
            flip(unpadded.clone(), header_end + 48 + 5),
            "Tampered",
        ),
        reject(
            "tampered_tag",
            "one bit of the payload's GCM tag flipped",
            flip(unpadded.clone(), unpadded.len() - 1),
            "Tampered",
        ),
        Vector {
            name: "wrong_binding",
            comment: "opened with a different conversation id",
            binding: (b"conversation:another-chat", SENDER),
            ..reject("", "", unpadded.clone(), "WrongBinding")
        },
        Vector {
            name: "expired",
            comment: "opened exactly at expires_at: refused before decryption",
            now: NOW + 86_400,
            ..reject("", "", unpadded.clone(), "Expired")
        },
    ]);
    let grease = seal("unknown_stanza", &[&Unknown, &r1], text, both, day.clone());
    vectors.push(reject(
        "tampered_unknown_stanza",
        "one bit of the unknown stanza's body flipped: the commitment covers every stanza",
        flip(grease, prefix + 1 + 4 + 3),
        "Tampered",
    ));
    vectors
}

fn document() -> Value {
    json!({
        "format": "careguard envelope v1 (docs/FORMAT.md)",
        "generator": "cargo test -p careguard --test envelope_vectors -- --ignored regenerate",
        "notes": "hex everywhere; `expect` is \"ok\" or the name of the careguard::envelope::Error variant; `now` is Unix seconds",
        "vectors": generate().iter().map(Vector::to_json).collect::<Vec<_>>(),
    })
}

fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/envelope-v1.json")
}

fn render() -> String {
    let mut s = serde_json::to_string_pretty(&document()).unwrap();
    s.push('\n');
    s
}

#[test]
#[ignore = "rewrites core/tests/vectors/envelope-v1.json"]
fn regenerate() {
    std::fs::create_dir_all(path().parent().unwrap()).unwrap();
    std::fs::write(path(), render()).unwrap();
}

#[test]
fn committed_vectors_are_what_the_generator_produces() {
    let committed = std::fs::read_to_string(path()).unwrap();
    assert!(
        committed == render(),
        "stale vectors: run cargo test -p careguard --test envelope_vectors -- --ignored regenerate"
    );
}

fn variant(error: &Error) -> &'static str {
    match error {
        Error::Decode(DecodeError::BadMagic { .. }) => "NotAnEnvelope",
        Error::Decode(DecodeError::Truncated { .. }) => "Truncated",
        Error::Decode(DecodeError::UnsupportedVersion { .. }) => "UnsupportedVersion",
        Error::UnsupportedSuite(_) => "UnsupportedSuite",
        Error::Malformed { .. } => "Malformed",
        Error::TooLarge { .. } => "TooLarge",
        Error::Expired { .. } => "Expired",
        Error::WrongKey { .. } => "WrongKey",
        Error::WrongBinding => "WrongBinding",
        Error::Tampered => "Tampered",
        other => panic!("unexpected error from open: {other}"),
    }
}

#[test]
fn every_vector_behaves_as_its_expect_says() {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path()).unwrap()).unwrap();
    let vectors = doc["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 20);
    let mut expects = std::collections::BTreeSet::new();
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let mut ring = KeyRing::new();
        for k in v["keys"].as_array().unwrap() {
            let bytes: [u8; 32] = hex::decode(k["kek"].as_str().unwrap())
                .unwrap()
                .try_into()
                .unwrap();
            ring.insert(
                k["key_id"].as_u64().unwrap() as u32,
                SecretKey::from_bytes(bytes),
            )
            .unwrap();
        }
        let conversation = hex::decode(v["binding"]["conversation_id"].as_str().unwrap()).unwrap();
        let sender = hex::decode(v["binding"]["sender_id"].as_str().unwrap()).unwrap();
        let envelope = hex::decode(v["envelope"].as_str().unwrap()).unwrap();
        let result = envelope::open(
            &[&ring],
            &envelope,
            &Binding::new(&conversation, &sender),
            UnixSeconds(v["now"].as_u64().unwrap()),
        );
        let expect = v["expect"].as_str().unwrap();
        expects.insert(expect);
        match result {
            Ok(opened) => {
                assert_eq!(expect, "ok", "{name} opened");
                let payload = hex::decode(v["payload"].as_str().unwrap()).unwrap();
                assert_eq!(&opened.payload[..], &payload[..], "{name}");
            }
            Err(e) => assert_eq!(variant(&e), expect, "{name}: {e}"),
        }
    }
    for class in [
        "ok",
        "Truncated",
        "UnsupportedVersion",
        "UnsupportedSuite",
        "WrongKey",
        "Tampered",
        "WrongBinding",
        "Expired",
    ] {
        assert!(expects.contains(class), "no vector expects {class}");
    }
}

/// The first 96 bytes of the test RNG's stream for "careguard test rng", as docs/FORMAT.md
/// ("The test RNG") gives them; reading them in pieces or as integers must not change them.
#[test]
fn the_test_rng_stream_is_the_specified_one() {
    let expected = hex::decode(
        "330dbfde9c627b89ad3f5540caa4defa3dbe353bcbcefc0d2ad16d71d755b0bb\
         b463ee6630003816579c9c62223b08b70ba576f27ca4f53f7cfcf0d90c9a25b6\
         fb494903a02a480c84df62b69495f09b6073a4493eb9bd9fe2b244f996d9ebe0",
    )
    .unwrap();
    let mut whole = vec![0u8; expected.len()];
    TestRng::new("careguard test rng").fill_bytes(&mut whole);
    assert_eq!(whole, expected);

    let mut rng = TestRng::new("careguard test rng");
    let mut pieces = Vec::new();
    for len in [1, 15, 16, 31, 1] {
        let mut chunk = vec![0u8; len];
        rng.fill_bytes(&mut chunk);
        pieces.extend(chunk);
    }
    pieces.extend(rng.next_u32().to_le_bytes());
    pieces.extend(rng.next_u64().to_le_bytes());
    assert_eq!(pieces, expected[..pieces.len()]);
}
