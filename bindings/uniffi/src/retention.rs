//! Automatic deletion: policies, the anti-rollback clock and the sweeper
//! (`careguard::retention`).

use careguard::retention::{self as core_retention, RollbackClock};

/// How long messages are kept. Unset fields inherit when merged over another policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct RetentionPolicy {
    /// Delete this many seconds after sending.
    pub after_send: Option<u64>,
    /// Delete this many seconds after being read.
    pub after_read: Option<u64>,
    /// Keep an untranscribed clinical message at most this many seconds past its due
    /// time, waiting for transcription into the record.
    pub transcription_hold_max: Option<u64>,
}

impl From<&RetentionPolicy> for core_retention::RetentionPolicy {
    fn from(p: &RetentionPolicy) -> Self {
        let mut policy = core_retention::RetentionPolicy::new();
        if let Some(s) = p.after_send {
            policy = policy.after_send(s);
        }
        if let Some(s) = p.after_read {
            policy = policy.after_read(s);
        }
        if let Some(s) = p.transcription_hold_max {
            policy = policy.transcription_hold_max(s);
        }
        policy
    }
}

impl From<&core_retention::RetentionPolicy> for RetentionPolicy {
    fn from(p: &core_retention::RetentionPolicy) -> Self {
        Self {
            after_send: p.get_after_send(),
            after_read: p.get_after_read(),
            transcription_hold_max: Some(p.get_transcription_hold_max()),
        }
    }
}

/// `conversation` with its unset fields taken from `organisation` (shorter periods
/// never lengthen).
#[uniffi::export]
pub fn retention_policy_merge(
    conversation: RetentionPolicy,
    organisation: RetentionPolicy,
) -> RetentionPolicy {
    let conversation = core_retention::RetentionPolicy::from(&conversation);
    let organisation = core_retention::RetentionPolicy::from(&organisation);
    RetentionPolicy::from(&conversation.merged_over(&organisation))
}

/// When a message sent at `sent_at` expires under `policy`, if ever.
#[uniffi::export]
pub fn retention_expires_at(policy: RetentionPolicy, sent_at: u64) -> Option<u64> {
    core_retention::RetentionPolicy::from(&policy).expires_at(sent_at)
}

/// The result of [`trusted_now`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct TrustedNow {
    /// The time to use: never earlier than any time used before.
    pub now: u64,
    /// The new high-water mark: store it.
    pub high_water: u64,
    /// Whether the device clock was set back below the high-water mark.
    pub rolled_back: bool,
}

/// A clock that never goes back: `device_now`, or the stored `high_water` if the
/// device clock was set back.
#[uniffi::export]
pub fn trusted_now(high_water: u64, device_now: u64) -> TrustedNow {
    let mut clock = RollbackClock::new(high_water);
    let rolled_back = clock.rolled_back(device_now);
    let now = clock.now(device_now);
    TrustedNow {
        now,
        high_water: clock.high_water(),
        rolled_back,
    }
}

/// A stored message as the sweeper sees it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RetentionMessage {
    /// The app's id for it.
    pub id: u64,
    /// The envelope's own expiry, if any.
    pub expires_at: Option<u64>,
    /// When it was read, if it was.
    pub read_at: Option<u64>,
    /// Its conversation's merged policy.
    pub policy: RetentionPolicy,
    /// Whether it is clinical (held for transcription).
    pub clinical: bool,
    /// Whether it has been transcribed into the record.
    pub transcribed: bool,
}

/// A clinical message past its due time, held for transcription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Held {
    /// The message id.
    pub id: u64,
    /// When it would have been deleted.
    pub due_at: u64,
    /// When it is deleted even untranscribed.
    pub hold_until: u64,
    /// How long it has been held so far (seconds).
    pub open_time: u64,
}

/// What to delete now, what is held, and when to sweep next.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Sweep {
    /// Ids to delete now.
    pub delete: Vec<u64>,
    /// The subset of `delete` that was clinical and never transcribed (report it).
    pub deleted_untranscribed: Vec<u64>,
    /// Messages held for transcription.
    pub awaiting: Vec<Held>,
    /// When the next message falls due, if any.
    pub next_wake: Option<u64>,
}

/// Decides which messages to delete at `now`.
#[uniffi::export]
pub fn retention_sweep(messages: Vec<RetentionMessage>, now: u64) -> Sweep {
    let converted: Vec<core_retention::Message<u64>> = messages
        .iter()
        .map(|m| core_retention::Message {
            id: m.id,
            expires_at: m.expires_at,
            read_at: m.read_at,
            policy: core_retention::RetentionPolicy::from(&m.policy),
            clinical: m.clinical,
            transcribed: m.transcribed,
        })
        .collect();
    let sweep = core_retention::sweep(&converted, now);
    Sweep {
        awaiting: sweep
            .awaiting_transcription
            .iter()
            .map(|h| Held {
                id: h.id,
                due_at: h.due_at,
                hold_until: h.hold_until,
                open_time: h.open_time(),
            })
            .collect(),
        delete: sweep.delete,
        deleted_untranscribed: sweep.deleted_untranscribed,
        next_wake: sweep.next_wake,
    }
}
