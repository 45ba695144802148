//! Test vectors for the vault blob and wipe orders: an in-repo generator with a
//! fixed RNG and clock, and a check that the committed files are exactly what it
//! produces and that every vector behaves as its `expect` says.
//!
//! Regenerate with:
//! `cargo test --release -p careguard --test vault_vectors -- --ignored regenerate`

#![allow(clippy::unwrap_used, clippy::panic)] // test helpers outside #[test] fns

mod vault_support;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use argon2::{Algorithm, Argon2, Params, Version};
use careguard::vault::{KdfParams, LockoutPolicy, Pin, Vault, VaultError};
use careguard::wipe::{self, WipeError, WipeOrder};
use careguard::{DecodeError, SecretKey};
use hkdf::Hkdf;
use serde_json::{Value, json};
use sha2::Sha256;
use vault_support::TestRng;

const VAULT_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/vault-v1.json");
const WIPE_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/wipe-order-v2.json"
);
const NOW: u64 = 1_767_225_600; // 2026-01-01T00:00:00Z, the fixed clock
const PIN: &str = "730419";

fn hkdf(salt: Option<&[u8]>, ikm: &[u8], info: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    Hkdf::<Sha256>::new(salt, ikm)
        .expand(info, &mut out)
        .unwrap();
    out
}

/// Independent re-derivation (argon2, hkdf and aes-gcm crates directly, not the
/// vault code): Argon2id output, KEK and master key of a blob.
fn derive(
    blob: &[u8],
    pin: &str,
    device_secret: Option<&[u8; 32]>,
) -> ([u8; 32], [u8; 32], [u8; 32]) {
    let be = |at: usize| u32::from_be_bytes(blob[at..at + 4].try_into().unwrap());
    let params = Params::new(be(7), be(11), be(15), Some(32)).unwrap();
    let salt = &blob[20..36];
    let mut a = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(pin.as_bytes(), salt, &mut a)
        .unwrap();
    let mut ikm = a.to_vec();
    if let Some(ds) = device_secret {
        ikm.extend_from_slice(ds);
    }
    let kek = hkdf(Some(salt), &ikm, b"careguard/v1/vault/kek");
    let master = Aes256Gcm::new(&Key::<Aes256Gcm>::from(kek))
        .decrypt(
            &Nonce::try_from(&blob[36..48]).unwrap(),
            Payload {
                msg: &blob[48..96],
                aad: &blob[..36],
            },
        )
        .unwrap();
    (a, kek, master.try_into().unwrap())
}

fn keyring_kek(master: &[u8; 32], key_id: u32) -> [u8; 32] {
    let mut info = b"careguard/v1/keyring/kek".to_vec();
    info.extend_from_slice(&key_id.to_be_bytes());
    hkdf(None, master, &info)
}

fn vault_vector(
    name: &str,
    params: KdfParams,
    device_secret: Option<[u8; 32]>,
) -> (Value, Vec<u8>) {
    let mut rng = TestRng::new(name);
    let ds = device_secret.map(SecretKey::from_bytes);
    let (_, blob) = Vault::create(&Pin::new(PIN).unwrap(), ds.as_ref(), &params, &mut rng).unwrap();
    let (a, kek, master) = derive(&blob, PIN, device_secret.as_ref());
    let v = json!({
        "name": name,
        "comment": "a fresh blob; the pin unlocks it",
        "pin": PIN,
        "device_secret": device_secret.map(hex::encode),
        "m_kib": params.m_kib(), "t_cost": params.t_cost(), "p_cost": params.p_cost(),
        "salt": hex::encode(&blob[20..36]),
        "argon2id": hex::encode(a),
        "kek": hex::encode(kek),
        "master_key": hex::encode(master),
        "keyring_kek_1": hex::encode(keyring_kek(&master, 1)),
        "blob": hex::encode(&blob),
        "now": NOW,
        "expect": "ok",
    });
    (v, blob)
}

fn failing(name: &str, comment: &str, blob: &[u8], pin: &str, expect: &str) -> Value {
    json!({ "name": name, "comment": comment, "pin": pin, "device_secret": null,
            "blob": hex::encode(blob), "now": NOW, "expect": expect })
}

fn generate_vault() -> Value {
    let cheap = KdfParams::insecure_for_tests_only(256, 3, 1).unwrap();
    let (ok, blob) = vault_vector("ok_cheap_params", cheap, None);
    let (ok_ds, _) = vault_vector("ok_device_secret", cheap, Some([0x5a; 32]));
    let (ok_default, _) = vault_vector("ok_default_params", KdfParams::DEFAULT, None);
    let mut vectors = vec![ok, ok_ds, ok_default];
    let mut edit =
        |name: &str, comment: &str, f: &dyn Fn(&mut Vec<u8>), pin: &str, expect: &str| {
            let mut b = blob.clone();
            f(&mut b);
            vectors.push(failing(name, comment, &b, pin, expect));
        };
    edit("wrong_pin", "another pin", &|_| {}, "591736", "WrongPin");
    edit(
        "truncated",
        "the last byte is missing",
        &|b| {
            b.pop();
        },
        PIN,
        "Truncated",
    );
    edit(
        "trailing_bytes",
        "one byte too many",
        &|b| b.push(0),
        PIN,
        "TrailingBytes",
    );
    edit("bad_magic", "not CGVB", &|b| b[0] = b'X', PIN, "BadMagic");
    edit(
        "version_2",
        "a future version",
        &|b| b[4] = 2,
        PIN,
        "UnsupportedVersion",
    );
    edit(
        "unknown_state",
        "state 7",
        &|b| b[5] = 7,
        PIN,
        "UnknownState",
    );
    edit(
        "unknown_kdf",
        "kdf id 2",
        &|b| b[6] = 2,
        PIN,
        "UnsupportedKdf",
    );
    edit(
        "unknown_flags",
        "flag bit 1",
        &|b| b[19] = 0x02,
        PIN,
        "UnknownFlags",
    );
    edit(
        "huge_memory",
        "m_cost above MAX_M_KIB",
        &|b| b[7..11].copy_from_slice(&u32::MAX.to_be_bytes()),
        PIN,
        "InvalidParams",
    );
    edit(
        "downgraded_t_cost",
        "t_cost lowered: authenticated, so the pin no longer opens it",
        &|b| b[14] = 1,
        PIN,
        "WrongPin",
    );
    edit(
        "flipped_salt",
        "one salt bit: authenticated",
        &|b| b[20] ^= 1,
        PIN,
        "WrongPin",
    );
    edit(
        "flipped_tag",
        "one tag bit",
        &|b| b[95] ^= 1,
        PIN,
        "WrongPin",
    );
    edit(
        "counter_reached_wipe",
        "10 failures recorded: no pin check any more",
        &|b| b[96..100].copy_from_slice(&10u32.to_be_bytes()),
        PIN,
        "WipedAfterFailures",
    );
    edit(
        "locked_out",
        "5 failures, the last one 10 s ago: 30 s delay",
        &|b| {
            b[96..100].copy_from_slice(&5u32.to_be_bytes());
            b[100..108].copy_from_slice(&(NOW - 10).to_be_bytes());
        },
        PIN,
        "LockedOut",
    );
    let tombstone = wipe::local_wipe(wipe::LocalWipeReason::PinFailures, None, NOW).tombstone;
    vectors.push(failing(
        "tombstone",
        "a wiped vault",
        &tombstone,
        PIN,
        "Wiped",
    ));
    json!({
        "description": "careguard vault blob v1 (docs/FORMAT.md, Vault blob). Argon2id v0x13 over the pin; KEK = HKDF-SHA256(salt = blob salt, ikm = argon2id || device_secret, info = 'careguard/v1/vault/kek'); master key = AES-256-GCM-open(KEK, nonce = blob[36..48], ct = blob[48..96], aad = blob[0..36]); keyring_kek_1 = HKDF-SHA256(salt = none, ikm = master, info = 'careguard/v1/keyring/kek' || u32be(1)).",
        "generator": "core/tests/vault_vectors.rs: cargo test --release -p careguard --test vault_vectors -- --ignored regenerate",
        "vectors": vectors,
    })
}

fn generate_wipe() -> Value {
    let org = SecretKey::from_bytes([0x42; 32]);
    let org_pub = wipe::org_public_key(&org);
    let device = b"device-7f3a";
    let enrolment: u64 = 0x0123_4567_89ab_cdef;
    let good = WipeOrder::new(device, enrolment, 5, NOW)
        .unwrap()
        .sign(&org);
    let mut vectors = Vec::new();
    let mut push = |name: &str,
                    comment: &str,
                    order: &[u8],
                    device_id: &[u8],
                    device_enrolment: u64,
                    last: Option<u64>,
                    expect: &str| {
        vectors.push(json!({
            "name": name, "comment": comment, "order": hex::encode(order),
            "device_id": hex::encode(device_id), "enrolment": device_enrolment,
            "last_accepted": last, "expect": expect,
        }));
    };
    push(
        "ok",
        "a valid order",
        &good,
        device,
        enrolment,
        Some(4),
        "ok",
    );
    push(
        "ok_first",
        "no order accepted before",
        &good,
        device,
        enrolment,
        None,
        "ok",
    );
    push(
        "replayed",
        "counter not above the last accepted",
        &good,
        device,
        enrolment,
        Some(5),
        "Replayed",
    );
    push(
        "wrong_device",
        "for another device",
        &good,
        b"device-0000",
        enrolment,
        None,
        "WrongDevice",
    );
    push(
        "wrong_enrolment",
        "for an earlier enrolment of this device id (replayed after an app reset)",
        &good,
        device,
        enrolment + 1,
        None,
        "WrongEnrolment",
    );
    let other = WipeOrder::new(device, enrolment, 5, NOW)
        .unwrap()
        .sign(&SecretKey::from_bytes([0x43; 32]));
    push(
        "other_signer",
        "signed by another key",
        &other,
        device,
        enrolment,
        None,
        "BadSignature",
    );
    let mut bumped = good.clone();
    bumped[12] ^= 0x10;
    push(
        "counter_changed",
        "counter altered after signing",
        &bumped,
        device,
        enrolment,
        None,
        "BadSignature",
    );
    let mut moved = good.clone();
    moved[28] ^= 0x01;
    push(
        "enrolment_changed",
        "enrolment epoch altered after signing",
        &moved,
        device,
        enrolment ^ 0x01,
        None,
        "BadSignature",
    );
    push(
        "truncated",
        "signature cut short",
        &good[..good.len() - 1],
        device,
        enrolment,
        None,
        "Truncated",
    );
    let mut v1 = good.clone();
    v1[4] = 1;
    push(
        "version_1",
        "the previous version, which had no enrolment epoch",
        &v1,
        device,
        enrolment,
        None,
        "UnsupportedVersion",
    );
    let mut v3 = good.clone();
    v3[4] = 3;
    push(
        "version_3",
        "a future version",
        &v3,
        device,
        enrolment,
        None,
        "UnsupportedVersion",
    );
    let mut long_id = good.clone();
    long_id[29] = 65;
    push(
        "device_id_too_long",
        "device id length 65",
        &long_id,
        device,
        enrolment,
        None,
        "InvalidDeviceIdLength",
    );
    json!({
        "description": "careguard wipe order v2 (docs/FORMAT.md, Wipe order). Ed25519 signature over 'careguard/v2/wipe-order' || order[0..30+n]; the device checks it names its device id and current enrolment epoch.",
        "generator": "core/tests/vault_vectors.rs: cargo test --release -p careguard --test vault_vectors -- --ignored regenerate",
        "org_seed": hex::encode(org.expose_secret()),
        "org_public_key": hex::encode(org_pub),
        "vectors": vectors,
    })
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap() + "\n"
}

#[test]
#[ignore = "rewrites the committed vector files"]
fn regenerate() {
    std::fs::write(VAULT_PATH, pretty(&generate_vault())).unwrap();
    std::fs::write(WIPE_PATH, pretty(&generate_wipe())).unwrap();
}

#[test]
fn committed_vectors_are_what_the_generator_produces() {
    assert_eq!(
        std::fs::read_to_string(VAULT_PATH).unwrap(),
        pretty(&generate_vault())
    );
    assert_eq!(
        std::fs::read_to_string(WIPE_PATH).unwrap(),
        pretty(&generate_wipe())
    );
}

fn vault_error_name(e: &VaultError) -> &'static str {
    match e {
        VaultError::WrongPin { .. } => "WrongPin",
        VaultError::Decode(DecodeError::Truncated { .. }) => "Truncated",
        VaultError::Decode(DecodeError::TrailingBytes { .. }) => "TrailingBytes",
        VaultError::Decode(DecodeError::BadMagic { .. }) => "BadMagic",
        VaultError::Decode(DecodeError::UnsupportedVersion { .. }) => "UnsupportedVersion",
        VaultError::UnknownState(_) => "UnknownState",
        VaultError::UnsupportedKdf(_) => "UnsupportedKdf",
        VaultError::UnknownFlags(_) => "UnknownFlags",
        VaultError::InvalidParams { .. } => "InvalidParams",
        VaultError::WipedAfterFailures { .. } => "WipedAfterFailures",
        VaultError::LockedOut { .. } => "LockedOut",
        VaultError::Wiped { .. } => "Wiped",
        other => panic!("unexpected error {other:?}"),
    }
}

#[test]
fn every_vault_vector_behaves_as_expected() {
    let file: Value = serde_json::from_str(&std::fs::read_to_string(VAULT_PATH).unwrap()).unwrap();
    for v in file["vectors"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let blob = hex::decode(v["blob"].as_str().unwrap()).unwrap();
        let ds = v["device_secret"]
            .as_str()
            .map(|h| SecretKey::from_bytes(hex::decode(h).unwrap().try_into().unwrap()));
        let result =
            Vault::begin_unlock(&blob, &LockoutPolicy::default(), v["now"].as_u64().unwrap())
                .and_then(|a| {
                    a.persist_with(|_, _| Ok::<_, VaultError>(()))?
                        .unlock(v["pin"].as_str().unwrap().as_bytes(), ds.as_ref())
                });
        match (v["expect"].as_str().unwrap(), result) {
            ("ok", Ok((vault, _))) => assert_eq!(
                hex::encode(vault.derive_kek(1).expose_secret()),
                v["keyring_kek_1"].as_str().unwrap(),
                "{name}"
            ),
            (expect, Err(e)) => assert_eq!(vault_error_name(&e), expect, "{name}: {e}"),
            (expect, Ok(_)) => panic!("{name}: expected {expect}, unlocked"),
        }
    }
}

fn wipe_error_name(e: &WipeError) -> &'static str {
    match e {
        WipeError::Replayed { .. } => "Replayed",
        WipeError::WrongDevice => "WrongDevice",
        WipeError::WrongEnrolment { .. } => "WrongEnrolment",
        WipeError::BadSignature => "BadSignature",
        WipeError::Decode(DecodeError::Truncated { .. }) => "Truncated",
        WipeError::Decode(DecodeError::UnsupportedVersion { .. }) => "UnsupportedVersion",
        WipeError::InvalidDeviceIdLength(_) => "InvalidDeviceIdLength",
        other => panic!("unexpected error {other:?}"),
    }
}

#[test]
fn every_wipe_vector_behaves_as_expected() {
    let file: Value = serde_json::from_str(&std::fs::read_to_string(WIPE_PATH).unwrap()).unwrap();
    let org: [u8; 32] = hex::decode(file["org_public_key"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    for v in file["vectors"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let order = hex::decode(v["order"].as_str().unwrap()).unwrap();
        let device = hex::decode(v["device_id"].as_str().unwrap()).unwrap();
        let enrolment = v["enrolment"].as_u64().unwrap();
        let result = wipe::verify(
            &order,
            &org,
            &device,
            enrolment,
            v["last_accepted"].as_u64(),
        );
        match (v["expect"].as_str().unwrap(), result) {
            ("ok", Ok(o)) => assert_eq!(o.counter(), 5, "{name}"),
            (expect, Err(e)) => assert_eq!(wipe_error_name(&e), expect, "{name}: {e}"),
            (expect, Ok(_)) => panic!("{name}: expected {expect}, verified"),
        }
    }
}
