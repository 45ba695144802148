//! Issue 13: the write-ahead counter is a compare-and-swap that concurrent and stale
//! attempts cannot bypass; lock and wipe revoke every key handed out from a vault;
//! hostile Argon2 parameters in a blob are bounded.

#![allow(clippy::unwrap_used, clippy::panic)] // test helpers outside #[test] fns

mod vault_support;

use std::sync::{Arc, Barrier, Mutex};

use careguard::SealContext;
use careguard::UnixSeconds;
use careguard::envelope::{self, Binding, Error, KeyRing};
use careguard::identity::{self, DeviceKeys, IdentityError, Sealer, TrustPolicy};
use careguard::vault::{
    BlobStatus, BlobStore, CasOutcome, LockoutPolicy, Pin, Session, StoreFailed, Vault, VaultError,
};
use careguard::wipe::{self, WipeOrder};
use vault_support::{TestRng, cheap};

const NOW: u64 = 1_700_000_000;
const WRONG: &[u8] = b"111111";

/// A store shared between threads, with a compare-and-swap that refuses stale writes.
#[derive(Clone)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl BlobStore for Shared {
    fn load(&mut self) -> Result<Vec<u8>, StoreFailed> {
        Ok(self.0.lock().unwrap().clone())
    }
    fn compare_and_swap(&mut self, expected: &[u8], new: &[u8]) -> Result<CasOutcome, StoreFailed> {
        let mut stored = self.0.lock().unwrap();
        if *stored != expected {
            return Ok(CasOutcome::Stale);
        }
        *stored = new.to_vec();
        Ok(CasOutcome::Stored)
    }
}

/// A store whose every read and write fails (a full disk, an exception in the app).
struct Broken;

impl BlobStore for Broken {
    fn load(&mut self) -> Result<Vec<u8>, StoreFailed> {
        Err(StoreFailed)
    }
    fn compare_and_swap(&mut self, _: &[u8], _: &[u8]) -> Result<CasOutcome, StoreFailed> {
        Err(StoreFailed)
    }
}

fn failures(blob: &[u8]) -> u32 {
    match Vault::status(blob).unwrap() {
        BlobStatus::Active { failures, .. } => failures,
        other => panic!("not active: {other:?}"),
    }
}

fn no_delays(wipe_after: u32) -> LockoutPolicy {
    LockoutPolicy::new(wipe_after, &[], wipe_after).unwrap()
}

fn new_vault(label: &str) -> (careguard::vault::Unlocked, Vec<u8>) {
    let mut rng = TestRng::new(label);
    Vault::create(&Pin::new("730419").unwrap(), None, &cheap(), &mut rng).unwrap()
}

#[test]
fn a_stale_blob_cannot_be_persisted_and_its_pin_is_never_checked() {
    let (_, blob) = new_vault("stale");
    let mut stored = blob.clone();
    let cas = |stored: &mut Vec<u8>, expected: &[u8], new: &[u8]| {
        if stored.as_slice() != expected {
            return Err(VaultError::StaleBlob);
        }
        *stored = new.to_vec();
        Ok(())
    };
    let first = Vault::begin_unlock(&blob, &LockoutPolicy::default(), NOW).unwrap();
    assert_eq!(first.expected(), &blob[..]);
    first
        .persist_with(|e, n| cas(&mut stored, e, n))
        .unwrap()
        .unlock(WRONG, None)
        .unwrap_err();
    // The same cached blob again, even with the right PIN: the write is refused, so the
    // PIN check is never reached.
    let again = Vault::begin_unlock(&blob, &LockoutPolicy::default(), NOW).unwrap();
    assert_eq!(
        again
            .persist_with(|e, n| cas(&mut stored, e, n))
            .unwrap_err(),
        VaultError::StaleBlob
    );
    let mut store = Shared(Arc::new(Mutex::new(stored)));
    let again = Vault::begin_unlock(&blob, &LockoutPolicy::default(), NOW).unwrap();
    assert_eq!(
        again.persist_to(&mut store).unwrap_err(),
        VaultError::StaleBlob
    );
    assert_eq!(failures(&store.0.lock().unwrap()), 1);
}

#[test]
fn fifty_guesses_from_a_blob_cached_at_start_up_each_count_and_reach_the_wipe() {
    let (_, blob) = new_vault("cached");
    let cached = blob.clone();
    let mut store = Shared(Arc::new(Mutex::new(blob)));
    let policy = LockoutPolicy::default();
    let mut outcomes = Vec::new();
    for i in 0..50u64 {
        // The raw steps from the cached copy never get a free guess...
        let raw = Vault::begin_unlock(&cached, &policy, NOW + i * 10_000)
            .unwrap()
            .persist_to(&mut store);
        if i > 0 {
            assert_eq!(raw.unwrap_err(), VaultError::StaleBlob);
        } else {
            raw.unwrap().unlock(WRONG, None).unwrap_err();
        }
        // ...and the store-driven unlock reads the stored counter every time.
        outcomes.push(
            Vault::unlock_with_store(&mut store, &policy, NOW + i * 10_000 + 1, WRONG, None)
                .unwrap_err(),
        );
    }
    assert!(matches!(
        outcomes[0],
        VaultError::WrongPin {
            failures: 2,
            remaining: 8,
            ..
        }
    ));
    assert_eq!(
        outcomes[8],
        VaultError::WipedAfterFailures { failures: 10 },
        "{outcomes:?}"
    );
    assert!(
        outcomes[9..]
            .iter()
            .all(|e| *e == VaultError::WipedAfterFailures { failures: 10 })
    );
    // Even the right PIN no longer opens it.
    assert_eq!(
        Vault::unlock_with_store(&mut store, &policy, NOW + 900_000, b"730419", None).unwrap_err(),
        VaultError::WipedAfterFailures { failures: 10 }
    );
}

#[test]
fn concurrent_attempts_on_one_stored_blob_each_count() {
    let (_, blob) = new_vault("concurrent");
    let store = Shared(Arc::new(Mutex::new(blob)));
    let policy = no_delays(20);
    let threads = 8;
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (mut store, policy, barrier) = (store.clone(), policy.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                Vault::unlock_with_store(&mut store, &policy, NOW, WRONG, None).unwrap_err()
            })
        })
        .collect();
    for h in handles {
        assert!(matches!(h.join().unwrap(), VaultError::WrongPin { .. }));
    }
    assert_eq!(failures(&store.0.lock().unwrap()), threads as u32);

    // With the raw steps, attempts begun from the same stored blob: exactly one may write.
    let snapshot = store.0.lock().unwrap().clone();
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (mut store, policy, barrier, snapshot) = (
                store.clone(),
                policy.clone(),
                barrier.clone(),
                snapshot.clone(),
            );
            std::thread::spawn(move || {
                let attempt = Vault::begin_unlock(&snapshot, &policy, NOW).unwrap();
                barrier.wait();
                attempt.persist_to(&mut store).is_ok()
            })
        })
        .collect();
    let stored: usize = handles
        .into_iter()
        .map(|h| usize::from(h.join().unwrap()))
        .sum();
    assert_eq!(stored, 1);
    assert_eq!(failures(&store.0.lock().unwrap()), threads as u32 + 1);
}

#[test]
fn a_failing_store_never_lets_the_pin_be_checked() {
    assert_eq!(
        Vault::unlock_with_store(&mut Broken, &LockoutPolicy::default(), NOW, b"730419", None)
            .unwrap_err(),
        VaultError::PersistFailed
    );
    let (_, blob) = new_vault("broken");
    let attempt = Vault::begin_unlock(&blob, &LockoutPolicy::default(), NOW).unwrap();
    assert_eq!(
        attempt.persist_to(&mut Broken).unwrap_err(),
        VaultError::PersistFailed
    );
}

#[test]
fn the_right_pin_unlocks_through_the_store_and_resets_the_counter() {
    let (vault, blob) = new_vault("store ok");
    let kek = vault.derive_kek(3);
    drop(vault);
    let mut store = Shared(Arc::new(Mutex::new(blob)));
    let policy = LockoutPolicy::default();
    Vault::unlock_with_store(&mut store, &policy, NOW, WRONG, None).unwrap_err();
    assert_eq!(failures(&store.0.lock().unwrap()), 1);
    let vault = Vault::unlock_with_store(&mut store, &policy, NOW + 1, b"730419", None).unwrap();
    assert_eq!(vault.derive_kek(3), kek);
    assert_eq!(failures(&store.0.lock().unwrap()), 0);
}

fn seal(ring: &KeyRing) -> Result<Vec<u8>, Error> {
    envelope::seal(
        &[ring],
        b"bed 4",
        &SealContext::new(UnixSeconds(NOW)),
        &mut TestRng::new("seal"),
    )
}

fn open(ring: &KeyRing, sealed: &[u8]) -> Result<Vec<u8>, Error> {
    envelope::open(&[ring], sealed, &Binding::default(), UnixSeconds(NOW))
        .map(|o| o.payload.to_vec())
}

#[test]
fn lock_revokes_key_rings_from_the_vault() {
    let (vault, _) = new_vault("lock ring");
    let ring = vault.key_ring(&[1]).unwrap();
    let mut added = KeyRing::new();
    added.insert_from_vault(&vault, 1).unwrap();
    let sealed = seal(&ring).unwrap();
    assert_eq!(open(&added, &sealed).unwrap(), b"bed 4");
    vault.lock();
    assert_eq!(seal(&ring).unwrap_err(), Error::KeyRevoked);
    assert_eq!(open(&ring, &sealed).unwrap_err(), Error::KeyRevoked);
    assert_eq!(open(&added, &sealed).unwrap_err(), Error::KeyRevoked);
    // A ring of plain keys is not tied to any vault.
    let mut plain = KeyRing::new();
    plain
        .insert(9, careguard::SecretKey::from_bytes([9; 32]))
        .unwrap();
    assert!(seal(&plain).is_ok());
}

#[test]
fn idle_lock_revokes_key_rings_from_the_session_vault() {
    let (vault, _) = new_vault("idle ring");
    let mut session = Session::new(vault, 300, NOW);
    let ring = session.vault(NOW + 1).unwrap().key_ring(&[1]).unwrap();
    let sealed = seal(&ring).unwrap();
    assert!(session.lock_if_idle(NOW + 301));
    assert_eq!(seal(&ring).unwrap_err(), Error::KeyRevoked);
    assert_eq!(open(&ring, &sealed).unwrap_err(), Error::KeyRevoked);
}

#[test]
fn a_verified_remote_wipe_revokes_key_rings_and_device_keys() {
    let (vault, _) = new_vault("wipe ring");
    let mut rng = TestRng::new("wipe device keys");
    let ring = vault.key_ring(&[1]).unwrap();
    let sealed = seal(&ring).unwrap();
    let me = DeviceKeys::generate(&mut rng);
    let wrapped = me.wrap_in_vault(&vault, &mut rng).unwrap();
    let keys = DeviceKeys::unwrap_from_vault(&vault, &wrapped).unwrap();
    assert!(keys.is_live());
    let policy = TrustPolicy::new();
    let card = keys
        .issue_card("me@nhs.net", "Me", NOW, NOW + 86_400)
        .unwrap()
        .verify(&policy, NOW)
        .unwrap();
    let to_me = Sealer::new(&keys)
        .to(&card)
        .seal(b"obs", &SealContext::new(UnixSeconds(NOW)), &mut rng)
        .unwrap();

    let seed = careguard::SecretKey::from_bytes([0x42; 32]);
    let order = WipeOrder::new(b"dev", 7, 1, NOW).unwrap().sign(&seed);
    let verified = wipe::verify(&order, &wipe::org_public_key(&seed), b"dev", 7, None).unwrap();
    wipe::execute(verified, Some(vault), NOW + 10);

    assert_eq!(seal(&ring).unwrap_err(), Error::KeyRevoked);
    assert_eq!(open(&ring, &sealed).unwrap_err(), Error::KeyRevoked);
    assert!(!keys.is_live());
    assert_eq!(
        identity::open_signed(
            &keys,
            &[],
            &to_me,
            &Binding::default(),
            UnixSeconds(NOW),
            &[&card]
        )
        .unwrap_err(),
        IdentityError::KeyRevoked
    );
    assert_eq!(
        Sealer::new(&keys)
            .to(&card)
            .seal(b"obs", &SealContext::new(UnixSeconds(NOW)), &mut rng)
            .unwrap_err(),
        IdentityError::KeyRevoked
    );
    assert_eq!(
        keys.issue_card("me@nhs.net", "Me", NOW, NOW + 86_400)
            .unwrap_err(),
        IdentityError::KeyRevoked
    );
    // Keys that never came from a vault are unaffected.
    assert!(me.is_live());
}

#[test]
fn a_blob_asking_for_more_than_one_gib_is_refused_before_argon2() {
    let (_, mut blob) = new_vault("ceiling");
    blob[7..11].copy_from_slice(&(1024 * 1024 + 1u32).to_be_bytes());
    assert_eq!(
        Vault::status(&blob).unwrap_err(),
        VaultError::InvalidParams {
            m_kib: 1024 * 1024 + 1,
            t_cost: cheap().t_cost(),
            p_cost: 1
        }
    );
    assert!(matches!(
        Vault::begin_unlock(&blob, &LockoutPolicy::default(), NOW),
        Err(VaultError::InvalidParams { .. })
    ));
    blob[7..11].copy_from_slice(&(1024 * 1024u32).to_be_bytes());
    assert!(Vault::status(&blob).is_ok());
}
