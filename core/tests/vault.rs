//! Vault behaviour through the public API: PIN change under crashes, idle lock,
//! hostile blobs.

#![allow(clippy::unwrap_used, clippy::panic)] // test helpers outside #[test] fns

mod vault_support;

use careguard::vault::{
    BLOB_LEN, BlobStatus, KdfParams, LockoutPolicy, Pin, Session, TOMBSTONE_LEN, Unlocked, Vault,
    VaultError,
};
use careguard::{DecodeError, SecretKey};
use proptest::prelude::*;
use vault_support::{TestRng, cheap};

/// The app's storage: one record, replaced atomically, that can fail on demand.
struct Storage {
    blob: Vec<u8>,
    writes: usize,
    fail_at_write: Option<usize>,
}

#[derive(Debug, PartialEq)]
struct Crash;

impl Storage {
    fn write(&mut self, bytes: &[u8]) -> Result<(), Crash> {
        self.writes += 1;
        if self.fail_at_write == Some(self.writes) {
            return Err(Crash);
        }
        self.blob = bytes.to_vec();
        Ok(())
    }

    /// The compare-and-swap the write-ahead counter needs; a crash counts as a write.
    fn cas(&mut self, expected: &[u8], bytes: &[u8]) -> Result<(), Crash> {
        if self.blob != expected {
            return Err(Crash);
        }
        self.write(bytes)
    }
}

fn unlock(
    storage: &mut Storage,
    pin: &[u8],
    ds: Option<&SecretKey>,
    now: u64,
) -> Result<Unlocked, String> {
    let attempt = Vault::begin_unlock(&storage.blob, &LockoutPolicy::default(), now)
        .map_err(|e| e.to_string())?;
    let ready = attempt
        .persist_with(|expected, b| storage.cas(expected, b))
        .map_err(|_| "crash".to_string())?;
    let (vault, reset) = ready.unlock(pin, ds).map_err(|e| e.to_string())?;
    storage.write(&reset).map_err(|_| "crash".to_string())?;
    Ok(vault)
}

/// The PIN change flow an app runs: unlock with the old PIN (two writes: the
/// counter, then the reset), re-wrap under the new PIN (one write). Crash at
/// each write, before or after it lands: afterwards the old or the new PIN
/// opens the stored blob, with the same keys, never neither.
#[test]
fn pin_change_survives_a_crash_at_every_step() {
    let mut rng = TestRng::new("pin change");
    let ds = SecretKey::from_bytes([5; 32]);
    let (vault, original) =
        Vault::create(&Pin::new("730419").unwrap(), Some(&ds), &cheap(), &mut rng).unwrap();
    let kek = vault.derive_kek(1);
    drop(vault);
    let mut outcomes = Vec::new();
    for fail_at in 1..=4 {
        let mut storage = Storage {
            blob: original.clone(),
            writes: 0,
            fail_at_write: Some(fail_at),
        };
        let flow = (|| -> Result<(), String> {
            let mut vault = unlock(&mut storage, b"730419", Some(&ds), 100)?;
            let new_blob = vault
                .change_pin(&Pin::new("591736").unwrap(), Some(&ds), &cheap(), &mut rng)
                .map_err(|e| e.to_string())?;
            storage.write(&new_blob).map_err(|_| "crash".to_string())
        })();
        // After the crash the process restarts with whatever storage holds.
        let old = unlock(
            &mut Storage {
                fail_at_write: None,
                ..storage_clone(&storage)
            },
            b"730419",
            Some(&ds),
            200,
        );
        let new = unlock(
            &mut Storage {
                fail_at_write: None,
                ..storage_clone(&storage)
            },
            b"591736",
            Some(&ds),
            200,
        );
        assert!(
            old.is_ok() != new.is_ok(),
            "fail at write {fail_at}: exactly one pin must work"
        );
        let opened = old.or(new).unwrap();
        assert_eq!(
            opened.derive_kek(1),
            kek,
            "same master key after a pin change"
        );
        outcomes.push((flow.is_ok(), storage.writes));
    }
    // Write 4 does not exist in this flow: it completed and only the new PIN works.
    assert_eq!(outcomes.last(), Some(&(true, 3)));
}

fn storage_clone(s: &Storage) -> Storage {
    Storage {
        blob: s.blob.clone(),
        writes: 0,
        fail_at_write: None,
    }
}

#[test]
fn pin_change_keeps_every_derived_key_and_wrapped_secret() {
    let mut rng = TestRng::new("rewrap");
    let (mut vault, _) =
        Vault::create(&Pin::new("730419").unwrap(), None, &cheap(), &mut rng).unwrap();
    let wrapped = vault
        .wrap_secret("identity/ed25519", b"seed", &mut rng)
        .unwrap();
    let kek = vault.derive_kek(42);
    let stronger = KdfParams::insecure_for_tests_only(512, 3, 1).unwrap();
    let blob = vault
        .change_pin(&Pin::new("591736").unwrap(), None, &stronger, &mut rng)
        .unwrap();
    assert_eq!(vault.blob(), blob);
    let ready = Vault::begin_unlock(&blob, &LockoutPolicy::default(), 1)
        .unwrap()
        .persist_with(|_, _| Ok::<_, ()>(()))
        .unwrap();
    let (again, _) = ready.unlock(b"591736", None).unwrap();
    assert_eq!(again.derive_kek(42), kek);
    assert_eq!(again.params(), stronger);
    assert_eq!(
        &again.unwrap_secret("identity/ed25519", &wrapped).unwrap()[..],
        b"seed"
    );
}

#[test]
fn weak_pins_never_reach_a_blob() {
    for weak in ["123456", "000000", "121212", "159753", "12345", "12345a"] {
        assert!(
            matches!(Pin::new(weak), Err(VaultError::WeakPin { .. })),
            "{weak}"
        );
    }
}

#[test]
fn session_locks_after_idle_and_on_clock_rollback() {
    let mut rng = TestRng::new("session");
    let (vault, _) = Vault::create(&Pin::new("730419").unwrap(), None, &cheap(), &mut rng).unwrap();
    let kek = vault.derive_kek(1);
    let mut s = Session::new(vault, 60, 1_000);
    assert_eq!(s.vault(1_059).unwrap().derive_kek(1), kek);
    assert_eq!(s.locks_at(), Some(1_119));
    assert!(!s.lock_if_idle(1_118));
    assert!(s.lock_if_idle(1_119));
    assert!(!s.is_unlocked());
    assert_eq!(s.locks_at(), None);
    assert!(matches!(
        s.vault(1_120),
        Err(VaultError::Locked { idle_since: 1_059 })
    ));

    let (vault, _) = Vault::create(&Pin::new("730419").unwrap(), None, &cheap(), &mut rng).unwrap();
    let mut s = Session::new(vault, 60, 1_000);
    assert!(s.vault(999).is_err(), "a clock set back locks the session");
}

#[test]
fn interrupted_attempts_count_as_failures() {
    let mut rng = TestRng::new("interrupted");
    let (_, mut blob) =
        Vault::create(&Pin::new("730419").unwrap(), None, &cheap(), &mut rng).unwrap();
    // Five attempts begun and persisted, each killed before the PIN check.
    for now in 0..5 {
        blob = Vault::begin_unlock(&blob, &LockoutPolicy::default(), now)
            .unwrap()
            .blob()
            .to_vec();
    }
    assert_eq!(
        Vault::begin_unlock(&blob, &LockoutPolicy::default(), 10).unwrap_err(),
        VaultError::LockedOut {
            failures: 5,
            retry_at: 4 + 30,
            now: 10
        }
    );
}

#[test]
fn status_reports_without_the_pin() {
    let mut rng = TestRng::new("status");
    let ds = SecretKey::from_bytes([1; 32]);
    let (_, blob) =
        Vault::create(&Pin::new("730419").unwrap(), Some(&ds), &cheap(), &mut rng).unwrap();
    assert_eq!(
        Vault::status(&blob).unwrap(),
        BlobStatus::Active {
            params: cheap(),
            device_bound: true,
            failures: 0,
            last_attempt_at: 0
        }
    );
}

/// Never panics; the PIN check only succeeds on an intact authenticated part.
fn expect_typed(bytes: &[u8], authenticated_part_changed: bool) {
    match Vault::status(bytes) {
        Ok(_) => {}
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    if let Ok(a) = Vault::begin_unlock(bytes, &LockoutPolicy::default(), 1 << 40) {
        let ready = a.persist_with(|_, _| Ok::<_, ()>(())).unwrap();
        // Parameters from hostile bytes are bounded; keep the proptest cheap.
        if let Ok(BlobStatus::Active { params, .. }) = Vault::status(bytes)
            && params.m_kib() <= 1024
            && params.t_cost() <= 4
        {
            let r = ready.unlock(b"730419", None);
            if authenticated_part_changed {
                assert!(r.is_err());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_give_typed_errors(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        expect_typed(&bytes, true);
    }

    #[test]
    fn corrupt_truncated_and_extended_blobs_give_typed_errors(
        flips in proptest::collection::vec((0usize..BLOB_LEN, 1u8..=255), 1..4),
        cut in 0usize..=BLOB_LEN + 8,
    ) {
        let mut rng = TestRng::new("proptest blob");
        let (_, blob) = Vault::create(&Pin::new("730419").unwrap(), None, &cheap(), &mut rng).unwrap();
        let mut bad = blob.clone();
        for (at, x) in flips { bad[at] ^= x; }
        // Two flips of one byte can cancel out, so compare rather than count them.
        let changed = bad[..96] != blob[..96];
        expect_typed(&bad, changed);
        let mut resized = blob.clone();
        resized.resize(cut, 0);
        let r = Vault::status(&resized);
        if cut == BLOB_LEN { prop_assert!(r.is_ok()); }
        else if (6..BLOB_LEN).contains(&cut) { prop_assert_eq!(r.unwrap_err(), VaultError::Decode(DecodeError::Truncated { what: "vault blob", needed: BLOB_LEN, got: cut })); }
        else if cut > BLOB_LEN { prop_assert_eq!(r.unwrap_err(), VaultError::Decode(DecodeError::TrailingBytes { what: "vault blob", expected: BLOB_LEN, got: cut })); }
    }

    #[test]
    fn wrapped_secrets_round_trip_and_hostile_ones_fail_typed(
        label in "[a-z/]{0,64}",
        secret in proptest::collection::vec(any::<u8>(), 0..512),
        junk in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        let mut rng = TestRng::new("wrap proptest");
        let (vault, _) = Vault::create(&Pin::new("730419").unwrap(), None, &cheap(), &mut rng).unwrap();
        let wrapped = vault.wrap_secret(&label, &secret, &mut rng).unwrap();
        prop_assert_eq!(&vault.unwrap_secret(&label, &wrapped).unwrap()[..], &secret[..]);
        let other_label = label.clone() + "x";
        prop_assert!(vault.unwrap_secret(&other_label, &wrapped).is_err());
        prop_assert!(vault.unwrap_secret(&label, &junk).is_err());
        prop_assert!(vault.unwrap_secret(&label, &wrapped[..wrapped.len() - 1]).is_err());
    }

    #[test]
    fn other_versions_are_refused_by_number(version in any::<u8>()) {
        let mut rng = TestRng::new("version");
        let (_, mut blob) = Vault::create(&Pin::new("730419").unwrap(), None, &cheap(), &mut rng).unwrap();
        blob[4] = version;
        let r = Vault::status(&blob);
        if version == 1 { prop_assert!(r.is_ok()); } else { prop_assert_eq!(r.unwrap_err(), VaultError::Decode(DecodeError::UnsupportedVersion { what: "vault blob", version })); }
    }
}

#[test]
fn tombstone_has_its_own_length() {
    let t = careguard::wipe::local_wipe(careguard::wipe::LocalWipeReason::UserRequest, None, 9)
        .tombstone;
    assert_eq!(t.len(), TOMBSTONE_LEN);
    assert!(matches!(
        Vault::status(&t[..10]),
        Err(VaultError::Decode(DecodeError::Truncated {
            what: "vault blob",
            needed: TOMBSTONE_LEN,
            got: 10
        }))
    ));
}
