//! `envelope::open` on arbitrary bytes: typed errors, never a panic. The identities and
//! binding are those of the test vectors, so mutations of the seeds (the vectors'
//! envelopes) reach the stanza, commitment, binding and payload checks.
#![no_main]

use careguard::envelope::{self, Binding, KeyRing};
use careguard::{SecretKey, UnixSeconds};
use libfuzzer_sys::fuzz_target;

/// The vectors' KEK for `byte` (core/tests/envelope_vectors.rs).
fn kek(byte: u8) -> SecretKey {
    let mut k = [0u8; 32];
    for (i, b) in k.iter_mut().enumerate() {
        *b = byte ^ (i as u8).wrapping_mul(7);
    }
    SecretKey::from_bytes(k)
}

fuzz_target!(|data: &[u8]| {
    let mut ring = KeyRing::new();
    for (id, byte) in [(1, 0x11), (2, 0x22), (10, 0xa0), (20, 0xb0)] {
        if ring.insert(id, kek(byte)).is_err() {
            return;
        }
    }
    let binding = Binding::new(b"conversation:ward-7-handover", b"sender:staff-4821");
    for binding in [binding, Binding::default()] {
        if let Ok(opened) = envelope::open(&[&ring], data, &binding, UnixSeconds(1_700_000_060)) {
            // Whatever opens must say what its header says.
            assert!(opened.payload.len() <= envelope::MAX_PAYLOAD_LEN);
            assert!(opened.header.expires_at.is_none_or(|t| t > 1_700_000_060));
        }
    }
});
