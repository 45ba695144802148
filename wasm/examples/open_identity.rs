//! Opens every end-to-end envelope of a file in the format of
//! `core/tests/vectors/hpke-envelope-v1.json` (`devices` with card and device-key
//! secret, `envelopes` with opener, trusted senders, `now` and `expect`) with the
//! native core, and checks that each behaves as its `expect` says.
//!
//! The node tests write the envelopes they sealed in WASM to such a file
//! (`target-wasm/js-sealed-identity.json`) and `scripts/ci.d/40-wasm.sh` runs
//! `cargo run --release -p careguard-wasm --example open_identity -- FILE`, so an
//! envelope sealed in JS to a device key must open in native Rust, as core's vectors
//! open in JS.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::HashMap;

use careguard::UnixSeconds;
use careguard::envelope::Binding;
use careguard::identity::{self, DeviceCard, DeviceKeys, IdentityError, TrustPolicy, VerifiedCard};
use serde_json::Value;

fn hex_field(v: &Value, key: &str) -> Vec<u8> {
    hex::decode(v[key].as_str().unwrap_or_else(|| panic!("{key} missing"))).unwrap()
}

/// The variant name of an error (`UnknownSender { .. }` -> `UnknownSender`), looking
/// through a wrapped envelope error (`Envelope(Tampered)` -> `Tampered`) as the
/// vectors' `expect` does.
fn variant(e: &IdentityError) -> String {
    let debug = format!("{e:?}");
    debug
        .split(|c: char| !c.is_alphanumeric())
        .find(|word| *word != "Envelope")
        .unwrap_or_default()
        .to_owned()
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: open_identity ENVELOPES.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut devices: HashMap<String, (DeviceKeys, VerifiedCard)> = HashMap::new();
    for (name, d) in file["devices"].as_object().expect("a devices object") {
        let keys = DeviceKeys::from_secret_bytes(&hex_field(d, "device_keys_secret")).unwrap();
        let card = DeviceCard::parse(&hex_field(d, "card")).unwrap();
        let card = card.verify(&TrustPolicy::new(), card.created_at()).unwrap();
        devices.insert(name.clone(), (keys, card));
    }
    let conversation = hex_field(&file["binding"], "conversation_id");
    let sender = hex_field(&file["binding"], "sender_id");
    let binding = Binding::new(&conversation, &sender);
    let payload = hex_field(&file, "payload");
    let envelopes = file["envelopes"].as_array().expect("an envelopes array");
    let mut failures = 0;
    for e in envelopes {
        let name = e["name"].as_str().unwrap_or("?");
        let (me, _) = &devices[e["opener"].as_str().unwrap()];
        let senders: Vec<&VerifiedCard> = e["senders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| &devices[s.as_str().unwrap()].1)
            .collect();
        let now = UnixSeconds(e["now"].as_u64().unwrap());
        let result =
            identity::open_signed(me, &[], &hex_field(e, "envelope"), &binding, now, &senders);
        let expect = e["expect"].as_str().unwrap();
        let got = match &result {
            Ok(opened) if opened.payload()[..] == payload[..] => "ok".to_owned(),
            Ok(_) => "ok with a different payload".to_owned(),
            Err(err) => variant(err),
        };
        if got != expect {
            eprintln!("{name}: expected {expect}, got {got}");
            failures += 1;
        }
    }
    if failures > 0 {
        eprintln!("{failures} of {} envelopes misbehaved", envelopes.len());
        std::process::exit(1);
    }
    println!(
        "open_identity: all {} envelopes in {path} behave as expected",
        envelopes.len()
    );
}
