//! Remote wipe orders: signature, device binding, replay, hostile bytes, shredding.

#![allow(clippy::unwrap_used, clippy::panic)] // test helpers outside #[test] fns

mod vault_support;

use careguard::vault::{LockoutPolicy, Pin, Vault, VaultError, WipeReason};
use careguard::wipe::{self, MAX_ORDER_LEN, WipeError, WipeOrder};
use careguard::{DecodeError, SecretKey};
use proptest::prelude::*;
use vault_support::{TestRng, cheap};

const DEVICE: &[u8] = b"device-7f3a";
/// The device's current enrolment epoch.
const ENROLMENT: u64 = 0x5eed_0002;

fn org() -> (SecretKey, [u8; 32]) {
    let seed = SecretKey::from_bytes([0x42; 32]);
    let public = wipe::org_public_key(&seed);
    (seed, public)
}

fn order(counter: u64) -> Vec<u8> {
    WipeOrder::new(DEVICE, ENROLMENT, counter, 1_700_000_000)
        .unwrap()
        .sign(&org().0)
}

#[test]
fn a_signed_order_verifies_and_wipes_the_vault() {
    let mut rng = TestRng::new("wipe");
    let (vault, _blob) =
        Vault::create(&Pin::new("730419").unwrap(), None, &cheap(), &mut rng).unwrap();
    let verified = wipe::verify(&order(5), &org().1, DEVICE, ENROLMENT, Some(4)).unwrap();
    assert_eq!(verified.counter(), 5);
    let outcome = wipe::execute(verified, Some(vault), 1_700_000_100);
    assert_eq!(outcome.accepted_counter, Some(5));
    // The stored blob is now the tombstone: no PIN opens anything.
    assert_eq!(
        Vault::begin_unlock(&outcome.tombstone, &LockoutPolicy::default(), 1_700_000_200)
            .unwrap_err(),
        VaultError::Wiped {
            reason: WipeReason::RemoteOrder,
            wiped_at: 1_700_000_100
        }
    );
}

#[test]
fn orders_are_bound_to_device_counter_and_key() {
    let (_, public) = org();
    assert_eq!(
        wipe::verify(&order(3), &public, b"other-device", ENROLMENT, None).unwrap_err(),
        WipeError::WrongDevice
    );
    assert_eq!(
        wipe::verify(&order(3), &public, DEVICE, ENROLMENT, Some(3)).unwrap_err(),
        WipeError::Replayed {
            counter: 3,
            last_accepted: 3
        }
    );
    assert!(wipe::verify(&order(0), &public, DEVICE, ENROLMENT, None).is_ok());
    let other_org = wipe::org_public_key(&SecretKey::from_bytes([0x43; 32]));
    assert_eq!(
        wipe::verify(&order(3), &other_org, DEVICE, ENROLMENT, None).unwrap_err(),
        WipeError::BadSignature
    );
    // Changing any signed byte (here the counter) breaks the signature.
    let mut bumped = order(3);
    bumped[12] ^= 1;
    assert_eq!(
        wipe::verify(&bumped, &public, DEVICE, ENROLMENT, None).unwrap_err(),
        WipeError::BadSignature
    );
}

#[test]
fn orders_for_an_earlier_enrolment_are_refused() {
    let (seed, public) = org();
    // The device was wiped (counter 3), reset and enrolled again under the same device id;
    // the reset lost its last accepted counter. The old order must not wipe it again.
    let old = WipeOrder::new(DEVICE, ENROLMENT - 1, 3, 1_700_000_000)
        .unwrap()
        .sign(&seed);
    assert_eq!(
        wipe::verify(&old, &public, DEVICE, ENROLMENT, None).unwrap_err(),
        WipeError::WrongEnrolment {
            order: ENROLMENT - 1,
            device: ENROLMENT
        }
    );
    assert!(wipe::verify(&old, &public, DEVICE, ENROLMENT - 1, None).is_ok());
    // The epoch is signed: moving an old order to the new enrolment breaks the signature.
    let mut moved = old.clone();
    moved[21..29].copy_from_slice(&ENROLMENT.to_be_bytes());
    assert_eq!(
        wipe::verify(&moved, &public, DEVICE, ENROLMENT, None).unwrap_err(),
        WipeError::BadSignature
    );
    assert_eq!(
        WipeOrder::parse_unverified(&old).unwrap().enrolment(),
        ENROLMENT - 1
    );
}

#[test]
fn version_1_orders_are_refused() {
    // A version 1 order (no enrolment epoch) as the previous release signed it:
    // "careguard/v1/wipe-order" || magic, 1, counter, issued_at, n, device id.
    let (seed, public) = org();
    let mut v1 = b"CGWO\x01".to_vec();
    v1.extend_from_slice(&3u64.to_be_bytes());
    v1.extend_from_slice(&1_700_000_000u64.to_be_bytes());
    v1.push(DEVICE.len() as u8);
    v1.extend_from_slice(DEVICE);
    let signed = [b"careguard/v1/wipe-order".as_slice(), &v1].concat();
    use ed25519_dalek::Signer;
    let key = ed25519_dalek::SigningKey::from_bytes(seed.expose_secret());
    v1.extend_from_slice(&key.sign(&signed).to_bytes());
    assert_eq!(
        wipe::verify(&v1, &public, DEVICE, ENROLMENT, None).unwrap_err(),
        WipeError::Decode(DecodeError::UnsupportedVersion {
            what: "wipe order",
            version: 1
        })
    );
}

#[test]
fn layout_errors_are_typed() {
    let (_, public) = org();
    let good = order(1);
    assert_eq!(good.len(), 30 + DEVICE.len() + 64);
    assert_eq!(
        wipe::verify(&good[..10], &public, DEVICE, ENROLMENT, None).unwrap_err(),
        WipeError::Decode(DecodeError::Truncated {
            what: "wipe order",
            needed: 30,
            got: 10
        })
    );
    assert_eq!(
        wipe::verify(&good[..good.len() - 1], &public, DEVICE, ENROLMENT, None).unwrap_err(),
        WipeError::Decode(DecodeError::Truncated {
            what: "wipe order",
            needed: good.len(),
            got: good.len() - 1
        })
    );
    let mut long = good.clone();
    long.push(0);
    assert!(matches!(
        wipe::verify(&long, &public, DEVICE, ENROLMENT, None),
        Err(WipeError::Decode(DecodeError::TrailingBytes { .. }))
    ));
    let mut v3 = good.clone();
    v3[4] = 3;
    assert_eq!(
        wipe::verify(&v3, &public, DEVICE, ENROLMENT, None).unwrap_err(),
        WipeError::Decode(DecodeError::UnsupportedVersion {
            what: "wipe order",
            version: 3
        })
    );
    let mut magic = good.clone();
    magic[0] = b'X';
    assert_eq!(
        wipe::verify(&magic, &public, DEVICE, ENROLMENT, None).unwrap_err(),
        WipeError::Decode(DecodeError::BadMagic { what: "wipe order" })
    );
    let mut zero_id = good.clone();
    zero_id[29] = 0;
    assert_eq!(
        wipe::verify(&zero_id, &public, DEVICE, ENROLMENT, None).unwrap_err(),
        WipeError::InvalidDeviceIdLength(0)
    );
    assert_eq!(
        WipeOrder::new(&[0; 65], ENROLMENT, 1, 1).unwrap_err(),
        WipeError::InvalidDeviceIdLength(65)
    );
    assert_eq!(
        WipeOrder::parse_unverified(&good).unwrap().device_id(),
        DEVICE
    );
}

#[test]
fn local_wipe_after_pin_failures() {
    let mut rng = TestRng::new("local");
    let policy = LockoutPolicy::new(0, &[0], 1).unwrap();
    let (_, blob) = Vault::create(&Pin::new("730419").unwrap(), None, &cheap(), &mut rng).unwrap();
    let ready = Vault::begin_unlock(&blob, &policy, 5)
        .unwrap()
        .persist_with(|_, _| Ok::<_, ()>(()))
        .unwrap();
    assert_eq!(
        ready.unlock(b"000001", None).unwrap_err(),
        VaultError::WipedAfterFailures { failures: 1 }
    );
    let out = wipe::local_wipe(wipe::LocalWipeReason::PinFailures, None, 6);
    assert_eq!(out.accepted_counter, None);
    assert!(matches!(
        Vault::begin_unlock(&out.tombstone, &policy, 7),
        Err(VaultError::Wiped {
            reason: WipeReason::PinFailures,
            wiped_at: 6
        })
    ));
}

proptest! {
    #[test]
    fn hostile_orders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..MAX_ORDER_LEN + 8)) {
        let r = wipe::verify(&bytes, &org().1, DEVICE, ENROLMENT, None);
        prop_assert!(r.is_err());
        let _ = WipeOrder::parse_unverified(&bytes);
    }

    #[test]
    fn corrupted_orders_never_verify(at in 0usize..105, x in 1u8..=255) {
        let mut bad = order(9);
        bad[at] ^= x;
        prop_assert!(wipe::verify(&bad, &org().1, DEVICE, ENROLMENT, None).is_err());
    }
}
