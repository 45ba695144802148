use super::*;

/// Deterministic RNG for tests (SHA-256 counter mode). Not for production.
pub(crate) struct TestRng(u64);

impl rand_core::TryRng for TestRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> core::result::Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> core::result::Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> core::result::Result<(), Self::Error> {
        use sha2::Digest;
        for chunk in dst.chunks_mut(32) {
            let block = Sha256::digest(self.0.to_be_bytes());
            self.0 += 1;
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        Ok(())
    }
}
impl rand_core::TryCryptoRng for TestRng {}

fn cheap() -> KdfParams {
    KdfParams::insecure_for_tests_only(64, 1, 1).unwrap()
}

fn pin() -> Pin {
    Pin::new("730419").unwrap()
}

fn attempt(blob: &[u8], now: u64) -> Result<PersistedAttempt> {
    let a = Vault::begin_unlock(blob, &LockoutPolicy::default(), now)?;
    Ok(a.persist_with(|_, _| Ok::<_, ()>(())).unwrap())
}

#[test]
fn create_then_unlock_gives_the_same_keys() {
    let mut rng = TestRng(1);
    let (vault, blob) = Vault::create(&pin(), None, &cheap(), &mut rng).unwrap();
    assert_eq!(blob.len(), BLOB_LEN);
    let kek = vault.derive_kek(7);
    let (again, reset) = attempt(&blob, 100)
        .unwrap()
        .unlock(b"730419", None)
        .unwrap();
    assert_eq!(again.derive_kek(7), kek);
    assert_ne!(again.derive_kek(8), kek);
    assert!(matches!(
        Vault::status(&reset).unwrap(),
        BlobStatus::Active { failures: 0, .. }
    ));
}

#[test]
fn the_counter_is_written_before_the_check() {
    let mut rng = TestRng(2);
    let (_, blob) = Vault::create(&pin(), None, &cheap(), &mut rng).unwrap();
    let a = Vault::begin_unlock(&blob, &LockoutPolicy::default(), 50).unwrap();
    // The app is killed here, after persisting, before the check: the attempt counts.
    let persisted = a.blob().to_vec();
    drop(a);
    assert!(matches!(
        Vault::status(&persisted).unwrap(),
        BlobStatus::Active {
            failures: 1,
            last_attempt_at: 50,
            ..
        }
    ));
    // A failing write means no PIN check at all.
    let a = Vault::begin_unlock(&persisted, &LockoutPolicy::default(), 60).unwrap();
    assert_eq!(
        a.persist_with(|_, _| Err("disk full")).unwrap_err(),
        "disk full"
    );
}

#[test]
fn delays_escalate_then_the_vault_wipes() {
    let mut rng = TestRng(3);
    let (_, mut blob) = Vault::create(&pin(), None, &cheap(), &mut rng).unwrap();
    let mut now = 1_000;
    let expected_delays = [0, 0, 0, 0, 30, 60, 300, 900, 3600];
    for (i, delay) in expected_delays.iter().enumerate() {
        let a = Vault::begin_unlock(&blob, &LockoutPolicy::default(), now).unwrap();
        blob = a.blob().to_vec();
        let err = a
            .persist_with(|_, _| Ok::<_, ()>(()))
            .unwrap()
            .unlock(b"111111", None)
            .unwrap_err();
        let failures = i as u32 + 1;
        let retry_at = (*delay > 0).then_some(now + delay);
        assert_eq!(
            err,
            VaultError::WrongPin {
                failures,
                remaining: 10 - failures,
                retry_at
            }
        );
        if let Some(at) = retry_at {
            assert_eq!(
                Vault::begin_unlock(&blob, &LockoutPolicy::default(), at - 1).unwrap_err(),
                VaultError::LockedOut {
                    failures,
                    retry_at: at,
                    now: at - 1
                }
            );
            // A clock set back never shortens a delay.
            assert!(Vault::begin_unlock(&blob, &LockoutPolicy::default(), 5).is_err());
            now = at;
        }
    }
    let a = Vault::begin_unlock(&blob, &LockoutPolicy::default(), now).unwrap();
    blob = a.blob().to_vec();
    let err = a
        .persist_with(|_, _| Ok::<_, ()>(()))
        .unwrap()
        .unlock(b"730419x", None)
        .unwrap_err();
    assert_eq!(err, VaultError::WipedAfterFailures { failures: 10 });
    // Even the right PIN no longer gets a check.
    assert_eq!(
        Vault::begin_unlock(&blob, &LockoutPolicy::default(), now + 100_000).unwrap_err(),
        VaultError::WipedAfterFailures { failures: 10 }
    );
}

#[test]
fn success_resets_the_counter() {
    let mut rng = TestRng(4);
    let (_, blob) = Vault::create(&pin(), None, &cheap(), &mut rng).unwrap();
    let a = Vault::begin_unlock(&blob, &LockoutPolicy::default(), 10).unwrap();
    let blob = a.blob().to_vec();
    assert!(
        a.persist_with(|_, _| Ok::<_, ()>(()))
            .unwrap()
            .unlock(b"000000", None)
            .is_err()
    );
    let (_, reset) = attempt(&blob, 11).unwrap().unlock(b"730419", None).unwrap();
    assert!(matches!(
        Vault::status(&reset).unwrap(),
        BlobStatus::Active { failures: 0, .. }
    ));
}

#[test]
fn custom_policy() {
    let policy = LockoutPolicy::new(1, &[10], 3).unwrap();
    assert_eq!(policy.delay_after(0), 0);
    assert_eq!(policy.delay_after(1), 10);
    assert_eq!(policy.delay_after(9), 10);
    assert!(LockoutPolicy::new(1, &[], 5).is_err());
    assert!(LockoutPolicy::new(1, &[1], 0).is_err());
    let mut rng = TestRng(5);
    let (_, mut blob) = Vault::create(&pin(), None, &cheap(), &mut rng).unwrap();
    for (now, expect_failures) in [(0, 1), (10, 2)] {
        let a = Vault::begin_unlock(&blob, &policy, now).unwrap();
        blob = a.blob().to_vec();
        let err = a
            .persist_with(|_, _| Ok::<_, ()>(()))
            .unwrap()
            .unlock(b"1", None)
            .unwrap_err();
        assert!(
            matches!(err, VaultError::WrongPin { failures, .. } if failures == expect_failures)
        );
    }
    let a = Vault::begin_unlock(&blob, &policy, 20).unwrap();
    let err = a
        .persist_with(|_, _| Ok::<_, ()>(()))
        .unwrap()
        .unlock(b"1", None)
        .unwrap_err();
    assert_eq!(err, VaultError::WipedAfterFailures { failures: 3 });
}

#[test]
fn device_secret_is_required_and_must_match() {
    let mut rng = TestRng(6);
    let ds = SecretKey::from_bytes([9; 32]);
    let (vault, blob) = Vault::create(&pin(), Some(&ds), &cheap(), &mut rng).unwrap();
    assert_eq!(
        attempt(&blob, 0)
            .unwrap()
            .unlock(b"730419", None)
            .unwrap_err(),
        VaultError::DeviceSecretRequired
    );
    let wrong = SecretKey::from_bytes([8; 32]);
    assert!(matches!(
        attempt(&blob, 0)
            .unwrap()
            .unlock(b"730419", Some(&wrong))
            .unwrap_err(),
        VaultError::WrongPin { .. }
    ));
    let (again, _) = attempt(&blob, 0)
        .unwrap()
        .unlock(b"730419", Some(&ds))
        .unwrap();
    assert_eq!(again.derive_kek(1), vault.derive_kek(1));
    let (_, unbound) = Vault::create(&pin(), None, &cheap(), &mut rng).unwrap();
    assert_eq!(
        attempt(&unbound, 0)
            .unwrap()
            .unlock(b"730419", Some(&ds))
            .unwrap_err(),
        VaultError::DeviceSecretUnexpected
    );
}

#[test]
fn authenticated_header_fields_cannot_be_changed() {
    let mut rng = TestRng(7);
    let (_, blob) = Vault::create(&pin(), None, &cheap(), &mut rng).unwrap();
    // Change t_cost (byte 14), a salt byte (25), a nonce byte (40), a ciphertext byte (60).
    for at in [14, 25, 40, 60] {
        let mut b = blob.clone();
        b[at] ^= 2;
        assert!(
            matches!(
                attempt(&b, 0).unwrap().unlock(b"730419", None),
                Err(VaultError::WrongPin { .. })
            ),
            "byte {at}"
        );
    }
}

#[test]
fn wrap_secret_round_trip_and_label_binding() {
    let mut rng = TestRng(8);
    let (vault, _) = Vault::create(&pin(), None, &cheap(), &mut rng).unwrap();
    let wrapped = vault
        .wrap_secret("identity/x25519", b"device private key", &mut rng)
        .unwrap();
    assert_eq!(wrapped.len(), 1 + 12 + 18 + 16);
    assert_eq!(
        &vault.unwrap_secret("identity/x25519", &wrapped).unwrap()[..],
        b"device private key"
    );
    assert_eq!(
        vault
            .unwrap_secret("identity/ed25519", &wrapped)
            .unwrap_err(),
        VaultError::Tampered
    );
    let (other, _) = Vault::create(&pin(), None, &cheap(), &mut rng).unwrap();
    assert_eq!(
        other
            .unwrap_secret("identity/x25519", &wrapped)
            .unwrap_err(),
        VaultError::Tampered
    );
    assert_eq!(
        vault
            .unwrap_secret("identity/x25519", &wrapped[..20])
            .unwrap_err(),
        VaultError::Decode(DecodeError::Truncated {
            what: "wrapped secret",
            needed: 29,
            got: 20
        })
    );
    let mut v2 = wrapped.clone();
    v2[0] = 2;
    assert_eq!(
        vault.unwrap_secret("identity/x25519", &v2).unwrap_err(),
        VaultError::Decode(DecodeError::UnsupportedVersion {
            what: "wrapped secret",
            version: 2
        })
    );
    assert!(matches!(
        vault.wrap_secret(&"x".repeat(65), b"k", &mut rng),
        Err(VaultError::LabelTooLong { len: 65, max: 64 })
    ));
    assert!(
        vault
            .wrap_secret("l", &vec![0; MAX_WRAPPED_SECRET_LEN + 1], &mut rng)
            .is_err()
    );
}

#[test]
fn debug_output_shows_no_key_material() {
    let mut rng = TestRng(9);
    let (vault, _) = Vault::create(&pin(), None, &cheap(), &mut rng).unwrap();
    let shown = format!("{vault:?}");
    assert!(shown.starts_with("Unlocked { params: KdfParams"), "{shown}");
    assert!(!shown.contains("master"));
}

#[test]
fn tombstones_parse_and_refuse_unlock() {
    let t = tombstone(WipeReason::RemoteOrder, 77);
    assert_eq!(t.len(), TOMBSTONE_LEN);
    assert_eq!(
        Vault::begin_unlock(&t, &LockoutPolicy::default(), 0).unwrap_err(),
        VaultError::Wiped {
            reason: WipeReason::RemoteOrder,
            wiped_at: 77
        }
    );
}

#[test]
fn every_error_message_is_lower_case_with_evidence() {
    let all = [
        VaultError::Decode(DecodeError::Truncated {
            what: "vault blob",
            needed: 108,
            got: 7,
        }),
        VaultError::Decode(DecodeError::TrailingBytes {
            what: "vault blob",
            expected: 108,
            got: 109,
        }),
        VaultError::Decode(DecodeError::BadMagic { what: "vault blob" }),
        VaultError::Decode(DecodeError::UnsupportedVersion {
            what: "vault blob",
            version: 2,
        }),
        VaultError::UnknownState(9),
        VaultError::UnsupportedKdf(3),
        VaultError::UnknownFlags(2),
        VaultError::UnknownWipeReason(8),
        VaultError::InvalidParams {
            m_kib: 1,
            t_cost: 0,
            p_cost: 0,
        },
        VaultError::ParamsTooWeak {
            m_kib: 1024,
            t_cost: 1,
        },
        VaultError::WeakPin {
            reason: WeakPin::Sequence,
        },
        VaultError::WrongPin {
            failures: 3,
            remaining: 7,
            retry_at: None,
        },
        VaultError::WipedAfterFailures { failures: 10 },
        VaultError::LockedOut {
            failures: 6,
            retry_at: 160,
            now: 100,
        },
        VaultError::Wiped {
            reason: WipeReason::RemoteOrder,
            wiped_at: 5,
        },
        VaultError::DeviceSecretRequired,
        VaultError::DeviceSecretUnexpected,
        VaultError::Locked { idle_since: 4 },
        VaultError::InvalidArgument {
            argument: "lockout policy",
            reason: "wipe_after must be at least 1",
        },
        VaultError::LabelTooLong { len: 65, max: 64 },
        VaultError::SecretTooLong {
            len: 70_000,
            max: 65_536,
        },
        VaultError::Tampered,
        VaultError::KdfFailed,
        VaultError::CipherFailed,
    ];
    for e in &all {
        let m = e.to_string();
        assert!(m.chars().next().is_some_and(|c| c.is_lowercase()), "{m}");
        assert!(!m.ends_with('.'), "{m}");
    }
    assert_eq!(
        all[0].to_string(),
        "truncated vault blob: needed 108 bytes, got 7"
    );
    assert_eq!(
        all[13].to_string(),
        "locked out after 6 failed attempts until 160 (now 100)"
    );
    assert_eq!(all[14].to_string(), "vault was wiped (remote_order) at 5");
}
