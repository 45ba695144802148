//! Opens every envelope of a vector file with the native core and checks that each
//! behaves as its `expect` says (the format of `core/tests/vectors/envelope-v1.json`).
//!
//! The node tests write the envelopes they sealed in WASM to such a file
//! (`target-wasm/js-sealed-envelopes.json`) and `scripts/ci.d/40-wasm.sh` runs
//! `cargo run --release -p careguard-wasm --example open_envelopes -- FILE`, so an
//! envelope sealed in JS must open in native Rust, as core's vectors open in JS.
#![allow(clippy::unwrap_used, clippy::panic)]

use careguard::SecretKey;
use careguard::UnixSeconds;
use careguard::envelope::{self, Binding, KeyRing};
use serde_json::Value;

fn hex_field(v: &Value, key: &str) -> Vec<u8> {
    hex::decode(v[key].as_str().unwrap_or_else(|| panic!("{key} missing"))).unwrap()
}

/// The variant name of an error (`WrongKey { .. }` -> `WrongKey`).
fn variant(e: &envelope::Error) -> String {
    let debug = format!("{e:?}");
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: open_envelopes VECTORS.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let vectors = file["vectors"].as_array().expect("a vectors array");
    let mut failures = 0;
    for v in vectors {
        let name = v["name"].as_str().unwrap_or("?");
        let mut ring = KeyRing::new();
        for key in v["keys"].as_array().unwrap() {
            let kek: [u8; 32] = hex_field(key, "kek").try_into().unwrap();
            let id = u32::try_from(key["key_id"].as_u64().unwrap()).unwrap();
            ring.insert(id, SecretKey::from_bytes(kek)).unwrap();
        }
        let conversation = hex_field(&v["binding"], "conversation_id");
        let sender = hex_field(&v["binding"], "sender_id");
        let now = v["now"].as_u64().unwrap();
        let result = envelope::open(
            &[&ring],
            &hex_field(v, "envelope"),
            &Binding::new(&conversation, &sender),
            UnixSeconds(now),
        );
        let expect = v["expect"].as_str().unwrap();
        let got = match &result {
            Ok(opened) if opened.payload[..] == hex_field(v, "payload")[..] => "ok".to_owned(),
            Ok(_) => "ok with a different payload".to_owned(),
            Err(e) => variant(e),
        };
        if got != expect {
            eprintln!("{name}: expected {expect}, got {got}");
            failures += 1;
        }
    }
    if failures > 0 {
        eprintln!(
            "{failures} of {} vectors in {path} misbehaved",
            vectors.len()
        );
        std::process::exit(1);
    }
    println!(
        "all {} vectors in {path} open natively as expected",
        vectors.len()
    );
}
