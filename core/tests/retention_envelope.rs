//! Retention with real envelopes: the after-send expiry is sealed into the
//! header, a clock set back does not reopen it, a held message can still be read.

#![allow(clippy::unwrap_used, clippy::panic)] // test helpers outside #[test] fns

mod vault_support;

use careguard::UnixSeconds;
use careguard::envelope::{self, Binding, Error, SealContext, SealOptions};
use careguard::retention::{Message, RetentionPolicy, RollbackClock, sweep};
use careguard::vault::{Pin, Vault};
use vault_support::{TestRng, cheap};

const DAY: u64 = 86_400;
const SENT: u64 = 1_767_225_600;

#[test]
fn expiry_is_sealed_enforced_and_survives_clock_rollback() {
    let mut rng = TestRng::new("retention envelope");
    let (vault, _) = Vault::create(&Pin::new("730419").unwrap(), None, &cheap(), &mut rng).unwrap();
    let ring = vault.key_ring(&[1]).unwrap();
    let org = RetentionPolicy::new().after_send(7 * DAY);
    let policy = RetentionPolicy::new().after_send(DAY).merged_over(&org);
    let expires_at = policy.expires_at(SENT).unwrap();
    let options = SealOptions::new().expires_at(UnixSeconds(expires_at));
    let binding = Binding::new(b"ward-7", b"dr-a");
    let sealed = envelope::seal(
        &[&ring],
        b"K+ 6.1",
        &SealContext {
            binding,
            options,
            now: UnixSeconds(SENT),
        },
        &mut rng,
    )
    .unwrap();
    let opened = envelope::open(&[&ring], &sealed, &binding, UnixSeconds(SENT + 10)).unwrap();
    assert_eq!(opened.header.expires_at, Some(expires_at));

    // A recipient cannot extend the expiry: the header is authenticated.
    let at = sealed
        .windows(8)
        .position(|w| w == expires_at.to_be_bytes())
        .unwrap();
    let mut extended = sealed.clone();
    extended[at..at + 8].copy_from_slice(&(expires_at + 30 * DAY).to_be_bytes());
    assert!(envelope::open(&[&ring], &extended, &binding, UnixSeconds(SENT + 2 * DAY)).is_err());

    // After expiry, with the device clock set back, the trusted clock keeps it closed.
    let mut clock = RollbackClock::new(0);
    clock.now(expires_at + 5);
    let now = clock.now(SENT + 10);
    assert!(matches!(
        envelope::open(&[&ring], &sealed, &binding, UnixSeconds(now)),
        Err(Error::Expired { .. })
    ));
}

#[test]
fn a_held_clinical_message_can_be_read_for_transcription() {
    let mut rng = TestRng::new("hold envelope");
    let (vault, _) = Vault::create(&Pin::new("730419").unwrap(), None, &cheap(), &mut rng).unwrap();
    let ring = vault.key_ring(&[1]).unwrap();
    let policy = RetentionPolicy::new()
        .after_send(DAY)
        .transcription_hold_max(DAY);
    let expires_at = policy.expires_at(SENT).unwrap();
    let options = SealOptions::new().expires_at(UnixSeconds(expires_at));
    let sealed = envelope::seal(
        &[&ring],
        b"plan: IV abx",
        &SealContext {
            options,
            ..SealContext::new(UnixSeconds(SENT))
        },
        &mut rng,
    )
    .unwrap();
    let msg = Message {
        id: 1,
        expires_at: Some(expires_at),
        read_at: None,
        policy,
        clinical: true,
        transcribed: false,
    };
    let s = sweep([&msg], expires_at + 60);
    assert!(s.delete.is_empty());
    let held = &s.awaiting_transcription[0];
    assert!(
        envelope::open(
            &[&ring],
            &sealed,
            &Binding::default(),
            UnixSeconds(expires_at + 60)
        )
        .is_err()
    );
    let opened = envelope::open(
        &[&ring],
        &sealed,
        &Binding::default(),
        UnixSeconds(held.open_time()),
    )
    .unwrap();
    assert_eq!(&opened.payload[..], b"plan: IV abx");
}
