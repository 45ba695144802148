//! Retention: policy merging, anti-rollback clock, sweeper and transcription hold.

#![allow(clippy::unwrap_used, clippy::panic)] // test helpers outside #[test] fns

use careguard::retention::{
    DEFAULT_TRANSCRIPTION_HOLD_MAX, Message, RetentionPolicy, RollbackClock, sweep,
};
use proptest::prelude::*;

const DAY: u64 = 86_400;

fn msg(id: u32, expires_at: Option<u64>, policy: RetentionPolicy) -> Message<u32> {
    Message {
        id,
        expires_at,
        read_at: None,
        policy,
        clinical: false,
        transcribed: false,
    }
}

#[test]
fn conversation_overrides_merge_field_by_field() {
    let org = RetentionPolicy::new()
        .after_send(30 * DAY)
        .after_read(7 * DAY);
    let conv = RetentionPolicy::new().after_read(DAY);
    let eff = conv.merged_over(&org);
    assert_eq!(eff.get_after_send(), Some(30 * DAY));
    assert_eq!(eff.get_after_read(), Some(DAY));
    assert_eq!(
        eff.get_transcription_hold_max(),
        DEFAULT_TRANSCRIPTION_HOLD_MAX
    );
    assert_eq!(RetentionPolicy::new().merged_over(&org), org);
    assert_eq!(eff.expires_at(u64::MAX - 1), Some(u64::MAX));
    assert_eq!(RetentionPolicy::new().expires_at(5), None);
}

#[test]
fn after_read_and_after_send_take_the_earlier() {
    let p = RetentionPolicy::new().after_read(100);
    let mut m = msg(1, Some(1_000), p);
    assert_eq!(m.due_at(), Some(1_000));
    m.read_at = Some(500);
    assert_eq!(m.due_at(), Some(600));
    m.read_at = Some(950);
    assert_eq!(m.due_at(), Some(1_000));
    m.expires_at = None;
    assert_eq!(m.due_at(), Some(1_050));
    assert_eq!(msg(2, None, RetentionPolicy::new()).due_at(), None);
}

#[test]
fn a_clock_set_back_never_resurrects_a_message() {
    let mut clock = RollbackClock::new(0);
    let m = [msg(1, Some(100 * DAY), RetentionPolicy::new())];
    assert_eq!(sweep(&m, clock.now(100 * DAY + 1_500)).delete, vec![1]);
    let persisted = clock.high_water();
    // App restarts; the user has set the clock back a day.
    let mut clock = RollbackClock::new(persisted);
    let now = clock.now(99 * DAY);
    assert!(clock.rolled_back(99 * DAY));
    assert_eq!(sweep(&m, now).delete, vec![1]);
    // Forward again: time follows the device.
    assert_eq!(clock.now(101 * DAY), 101 * DAY);
}

#[test]
fn transcription_hold_keeps_clinical_messages_then_deletes_them() {
    let p = RetentionPolicy::new().transcription_hold_max(2 * DAY);
    let mut clinical = msg(7, Some(DAY), p);
    clinical.clinical = true;
    let social = msg(8, Some(DAY), p);
    let s = sweep([&clinical, &social], DAY);
    assert_eq!(s.delete, vec![8]);
    assert_eq!(s.awaiting_transcription.len(), 1);
    assert_eq!(
        (
            s.awaiting_transcription[0].due_at,
            s.awaiting_transcription[0].hold_until
        ),
        (DAY, 3 * DAY)
    );
    assert_eq!(s.next_wake, Some(3 * DAY));
    // Transcribed: deleted straight away.
    let mut done = clinical.clone();
    done.transcribed = true;
    assert_eq!(sweep([&done], DAY + 1).delete, vec![7]);
    // Hold ran out: deleted, and reported as deleted untranscribed.
    let s = sweep([&clinical], 3 * DAY);
    assert_eq!(s.delete, vec![7]);
    assert_eq!(s.deleted_untranscribed, vec![7]);
    // A zero hold disables it.
    let mut no_hold = msg(
        9,
        Some(DAY),
        RetentionPolicy::new().transcription_hold_max(0),
    );
    no_hold.clinical = true;
    assert_eq!(sweep([&no_hold], DAY).delete, vec![9]);
}

#[test]
fn next_wake_is_the_earliest_future_deadline() {
    let p = RetentionPolicy::new();
    let ms = [
        msg(1, Some(300), p),
        msg(2, Some(200), p),
        msg(3, None, p),
        msg(4, Some(50), p),
    ];
    let s = sweep(&ms, 100);
    assert_eq!(s.delete, vec![4]);
    assert_eq!(s.next_wake, Some(200));
    assert_eq!(sweep(&ms[2..3], 100).next_wake, None);
}

proptest! {
    /// Every message is in exactly one bucket, nothing due later is deleted, and
    /// the wake-up time is in the future.
    #[test]
    fn sweep_partitions_and_wakes_in_the_future(
        specs in proptest::collection::vec((proptest::option::of(0u64..1_000), proptest::option::of(0u64..1_000),
            proptest::option::of(0u64..500), any::<bool>(), any::<bool>(), proptest::option::of(0u64..500)), 0..40),
        now in 0u64..2_000,
    ) {
        let ms: Vec<Message<usize>> = specs.iter().enumerate().map(|(i, &(exp, read, after_read, clinical, transcribed, hold))| {
            let mut policy = RetentionPolicy::new();
            if let Some(a) = after_read { policy = policy.after_read(a); }
            if let Some(h) = hold { policy = policy.transcription_hold_max(h); }
            Message { id: i, expires_at: exp, read_at: read, policy, clinical, transcribed }
        }).collect();
        let s = sweep(&ms, now);
        for m in &ms {
            let deleted = s.delete.contains(&m.id);
            let held = s.awaiting_transcription.iter().any(|h| h.id == m.id);
            prop_assert!(!(deleted && held));
            match m.due_at() {
                Some(due) if due <= now => prop_assert!(deleted || held),
                _ => prop_assert!(!deleted && !held),
            }
        }
        if let Some(w) = s.next_wake { prop_assert!(w > now); }
    }
}
