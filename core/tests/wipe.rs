//! Remote wipe orders: signature, device binding, replay, hostile bytes, shredding.

#![allow(clippy::unwrap_used, clippy::panic)] // test helpers outside #[test] fns

mod vault_support;

use careguard::SecretKey;
use careguard::vault::{LockoutPolicy, Pin, Vault, VaultError, WipeReason};
use careguard::wipe::{self, MAX_ORDER_LEN, WipeError, WipeOrder};
use proptest::prelude::*;
use vault_support::{TestRng, cheap};

const DEVICE: &[u8] = b"device-7f3a";

fn org() -> (SecretKey, [u8; 32]) {
    let seed = SecretKey::from_bytes([0x42; 32]);
    let public = wipe::org_public_key(&seed);
    (seed, public)
}

fn order(counter: u64) -> Vec<u8> {
    WipeOrder::new(DEVICE, counter, 1_700_000_000)
        .unwrap()
        .sign(&org().0)
}

#[test]
fn a_signed_order_verifies_and_wipes_the_vault() {
    let mut rng = TestRng::new("wipe");
    let (vault, _blob) =
        Vault::create(&Pin::new("730419").unwrap(), None, &cheap(), &mut rng).unwrap();
    let verified = wipe::verify(&order(5), &org().1, DEVICE, Some(4)).unwrap();
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
        wipe::verify(&order(3), &public, b"other-device", None).unwrap_err(),
        WipeError::WrongDevice
    );
    assert_eq!(
        wipe::verify(&order(3), &public, DEVICE, Some(3)).unwrap_err(),
        WipeError::Replayed {
            counter: 3,
            last_accepted: 3
        }
    );
    assert!(wipe::verify(&order(0), &public, DEVICE, None).is_ok());
    let other_org = wipe::org_public_key(&SecretKey::from_bytes([0x43; 32]));
    assert_eq!(
        wipe::verify(&order(3), &other_org, DEVICE, None).unwrap_err(),
        WipeError::BadSignature
    );
    // Changing any signed byte (here the counter) breaks the signature.
    let mut bumped = order(3);
    bumped[12] ^= 1;
    assert_eq!(
        wipe::verify(&bumped, &public, DEVICE, None).unwrap_err(),
        WipeError::BadSignature
    );
}

#[test]
fn layout_errors_are_typed() {
    let (_, public) = org();
    let good = order(1);
    assert_eq!(good.len(), 22 + DEVICE.len() + 64);
    assert_eq!(
        wipe::verify(&good[..10], &public, DEVICE, None).unwrap_err(),
        WipeError::Truncated {
            needed: 22,
            got: 10
        }
    );
    assert_eq!(
        wipe::verify(&good[..good.len() - 1], &public, DEVICE, None).unwrap_err(),
        WipeError::Truncated {
            needed: good.len(),
            got: good.len() - 1
        }
    );
    let mut long = good.clone();
    long.push(0);
    assert!(matches!(
        wipe::verify(&long, &public, DEVICE, None),
        Err(WipeError::TrailingBytes { .. })
    ));
    let mut v2 = good.clone();
    v2[4] = 2;
    assert_eq!(
        wipe::verify(&v2, &public, DEVICE, None).unwrap_err(),
        WipeError::UnsupportedVersion(2)
    );
    let mut magic = good.clone();
    magic[0] = b'X';
    assert_eq!(
        wipe::verify(&magic, &public, DEVICE, None).unwrap_err(),
        WipeError::BadMagic
    );
    let mut zero_id = good.clone();
    zero_id[21] = 0;
    assert_eq!(
        wipe::verify(&zero_id, &public, DEVICE, None).unwrap_err(),
        WipeError::InvalidDeviceIdLength(0)
    );
    assert_eq!(
        WipeOrder::new(&[0; 65], 1, 1).unwrap_err(),
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
        let r = wipe::verify(&bytes, &org().1, DEVICE, None);
        prop_assert!(r.is_err());
        let _ = WipeOrder::parse_unverified(&bytes);
    }

    #[test]
    fn corrupted_orders_never_verify(at in 0usize..97, x in 1u8..=255) {
        let mut bad = order(9);
        bad[at] ^= x;
        prop_assert!(wipe::verify(&bad, &org().1, DEVICE, None).is_err());
    }
}
