//! The vault feeds the envelope key ring; a wipe crypto-shreds sealed envelopes.

#![allow(clippy::unwrap_used, clippy::panic)] // test helpers outside #[test] fns

mod vault_support;

use careguard::SecretKey;
use careguard::envelope::{self, Binding};
use careguard::vault::{LockoutPolicy, Pin, Vault, VaultError};
use careguard::wipe::{self, WipeOrder};
use careguard::{SealContext, UnixSeconds};
use vault_support::{TestRng, cheap};

#[test]
fn a_wipe_makes_sealed_envelopes_unopenable() {
    let mut rng = TestRng::new("shred");
    let ds = SecretKey::from_bytes([3; 32]);
    let pin = Pin::new("730419").unwrap();
    let (vault, blob) = Vault::create(&pin, Some(&ds), &cheap(), &mut rng).unwrap();
    let binding = Binding::new(b"ward-7", b"dr-a");
    let ring = vault.key_ring(&[1]).unwrap();
    let sealed = envelope::seal(
        &[&ring],
        b"obs stable",
        &SealContext {
            binding,
            ..SealContext::new(UnixSeconds(100))
        },
        &mut rng,
    )
    .unwrap();
    drop(ring);

    // Before the wipe the PIN gets the key ring back and the envelope opens.
    let ready = Vault::begin_unlock(&blob, &LockoutPolicy::default(), 200)
        .unwrap()
        .persist_with(|_, _| Ok::<_, ()>(()))
        .unwrap();
    let (vault_again, _) = ready.unlock(b"730419", Some(&ds)).unwrap();
    let ring = vault_again.key_ring(&[1]).unwrap();
    assert_eq!(
        &envelope::open(&[&ring], &sealed, &binding, UnixSeconds(201))
            .unwrap()
            .payload[..],
        b"obs stable"
    );
    drop(ring);
    drop(vault_again);

    // The organisation wipes the device.
    let org = SecretKey::from_bytes([0x42; 32]);
    let order = WipeOrder::new(b"device-1", 77, 1, 300).unwrap().sign(&org);
    let verified =
        wipe::verify(&order, &wipe::org_public_key(&org), b"device-1", 77, None).unwrap();
    let stored = wipe::execute(verified, Some(vault), 300).tombstone;

    // The stored blob no longer yields any key, with any PIN.
    assert!(matches!(
        Vault::begin_unlock(&stored, &LockoutPolicy::default(), 400),
        Err(VaultError::Wiped { .. })
    ));
    // A new vault with the same PIN and device secret has a new master key: the
    // envelope's key id is there, but its KEK is different.
    let (fresh, _) = Vault::create(&pin, Some(&ds), &cheap(), &mut rng).unwrap();
    let ring = fresh.key_ring(&[1]).unwrap();
    assert!(envelope::open(&[&ring], &sealed, &binding, UnixSeconds(401)).is_err());
}

#[test]
fn key_ring_refuses_duplicate_ids() {
    let mut rng = TestRng::new("dup");
    let (vault, _) = Vault::create(&Pin::new("730419").unwrap(), None, &cheap(), &mut rng).unwrap();
    assert!(vault.key_ring(&[4, 4]).is_err());
    let ring = vault.key_ring(&[4, 9]).unwrap();
    assert_eq!(ring.key_ids().collect::<Vec<_>>(), vec![4, 9]);
}
