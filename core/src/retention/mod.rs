//! Automatic deletion: retention policies, an anti-rollback clock, a sweeper
//! and the transcription hold.
//!
//! The guidance asks apps to delete messages automatically after a set period
//! and staff to "keep separate clinical records and delete the original
//! messaging notes once any advice has been transcribed and attributed in the
//! medical record" (RCN policy briefing; NHS England IM guidance, 2018). So:
//!
//! - *N after sending*: the sender's app computes [`RetentionPolicy::expires_at`]
//!   and seals it into the envelope header, where it is authenticated: a
//!   recipient cannot extend it without the envelope failing to open.
//! - *N after reading*: local state, counted from when this device first
//!   displayed the message.
//! - Conversation overrides are merged over the organisation default
//!   ([`RetentionPolicy::merged_over`]).
//! - [`RollbackClock`]: setting the device clock back never brings an expired
//!   message back.
//! - [`sweep`]: what to delete now and when to wake next (one timer per app).
//! - Transcription hold: a clinical message not yet transcribed is kept past its
//!   deadline, at most [`RetentionPolicy::transcription_hold_max`], and reported
//!   as awaiting transcription; after that it is deleted anyway and reported.
//!
//! Deleting is the app's job; careguard says what and when. An envelope's
//! expiry is also enforced when opening; to show a held message for
//! transcription, open it at [`Held::open_time`] (one second before it fell
//! due), the one sanctioned exception to passing the trusted time.

/// A clinical message not yet transcribed is held at most this long past its
/// deadline when the policy does not say (3 days: a bank-holiday weekend).
pub const DEFAULT_TRANSCRIPTION_HOLD_MAX: u64 = 3 * 24 * 60 * 60;

/// Retention settings. Each field is optional, so a conversation override can
/// leave a field to the organisation default ([`RetentionPolicy::merged_over`]).
///
/// ```
/// use careguard::retention::RetentionPolicy;
/// let org = RetentionPolicy::new().after_send(30 * 86_400).transcription_hold_max(86_400);
/// let ward_chat = RetentionPolicy::new().after_send(7 * 86_400).after_read(86_400);
/// let effective = ward_chat.merged_over(&org);
/// assert_eq!(effective.expires_at(1_000), Some(1_000 + 7 * 86_400));
/// assert_eq!(effective.get_transcription_hold_max(), 86_400);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RetentionPolicy {
    after_send: Option<u64>,
    after_read: Option<u64>,
    transcription_hold_max: Option<u64>,
}

impl RetentionPolicy {
    /// Nothing set: messages are kept until something else deletes them.
    pub const fn new() -> Self {
        Self {
            after_send: None,
            after_read: None,
            transcription_hold_max: None,
        }
    }

    /// Delete `secs` after sending (sealed into the envelope header). Unset by default.
    pub const fn after_send(mut self, secs: u64) -> Self {
        self.after_send = Some(secs);
        self
    }

    /// Delete `secs` after this device first showed the message. Unset by default.
    pub const fn after_read(mut self, secs: u64) -> Self {
        self.after_read = Some(secs);
        self
    }

    /// Hold untranscribed clinical messages at most `secs` past their deadline
    /// (0 disables the hold). Default: [`DEFAULT_TRANSCRIPTION_HOLD_MAX`].
    pub const fn transcription_hold_max(mut self, secs: u64) -> Self {
        self.transcription_hold_max = Some(secs);
        self
    }

    /// This policy's fields where set, `base`'s elsewhere (a conversation
    /// override over the organisation default).
    pub fn merged_over(&self, base: &RetentionPolicy) -> RetentionPolicy {
        RetentionPolicy {
            after_send: self.after_send.or(base.after_send),
            after_read: self.after_read.or(base.after_read),
            transcription_hold_max: self.transcription_hold_max.or(base.transcription_hold_max),
        }
    }

    /// The expiry to seal into an envelope sent at `sent_at`, if any.
    pub fn expires_at(&self, sent_at: u64) -> Option<u64> {
        self.after_send.map(|d| sent_at.saturating_add(d))
    }

    /// The after-send period, if set.
    pub fn get_after_send(&self) -> Option<u64> {
        self.after_send
    }

    /// The after-read period, if set.
    pub fn get_after_read(&self) -> Option<u64> {
        self.after_read
    }

    /// The effective maximum transcription hold in seconds.
    pub fn get_transcription_hold_max(&self) -> u64 {
        self.transcription_hold_max
            .unwrap_or(DEFAULT_TRANSCRIPTION_HOLD_MAX)
    }
}

/// A clock that never goes back: it keeps the highest time it has seen (the
/// *high-water mark*), which the app persists and passes back at start-up.
///
/// Use [`RollbackClock::now`] wherever careguard takes `now` for expiry (the
/// sweeper, opening envelopes): after the device clock is set back, time
/// stands still at the high-water mark instead, so nothing that had expired
/// becomes readable again. It cannot detect a clock set *forward* (that only
/// deletes early, the safe direction).
///
/// ```
/// use careguard::retention::RollbackClock;
/// let mut clock = RollbackClock::new(0);
/// assert_eq!(clock.now(1_000), 1_000);
/// assert_eq!(clock.now(400), 1_000); // set back: time stands still
/// assert!(clock.rolled_back(400));
/// assert_eq!(clock.high_water(), 1_000); // persist this
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RollbackClock {
    high_water: u64,
}

impl RollbackClock {
    /// Restores the clock from the persisted high-water mark (0 on first run).
    pub const fn new(persisted_high_water: u64) -> Self {
        Self {
            high_water: persisted_high_water,
        }
    }

    /// The trusted time: `max(high-water mark, device_now)`; advances the mark.
    pub fn now(&mut self, device_now: u64) -> u64 {
        self.high_water = self.high_water.max(device_now);
        self.high_water
    }

    /// Whether `device_now` is behind the high-water mark (the clock went back).
    pub fn rolled_back(&self, device_now: u64) -> bool {
        device_now < self.high_water
    }

    /// The value to persist.
    pub const fn high_water(&self) -> u64 {
        self.high_water
    }
}

/// One stored message as the sweeper sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message<I> {
    /// the app's identifier for it
    pub id: I,
    /// the expiry from the envelope header (after-send), if any
    pub expires_at: Option<u64>,
    /// when this device first showed it (from a [`RollbackClock`]), if it has
    pub read_at: Option<u64>,
    /// the effective policy of its conversation (for after-read and the hold)
    pub policy: RetentionPolicy,
    /// flagged as clinical (advice or decisions that belong in the record)
    pub clinical: bool,
    /// confirmed as transcribed into the medical record
    pub transcribed: bool,
}

impl<I> Message<I> {
    /// When it is due for deletion: the earlier of the header expiry and
    /// read time plus the after-read period; `None` if neither applies.
    pub fn due_at(&self) -> Option<u64> {
        let after_read = match (self.read_at, self.policy.get_after_read()) {
            (Some(read), Some(d)) => Some(read.saturating_add(d)),
            _ => None,
        };
        match (self.expires_at, after_read) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn held(&self) -> bool {
        self.clinical && !self.transcribed && self.policy.get_transcription_hold_max() > 0
    }
}

/// A message kept past its deadline because it awaits transcription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held<I> {
    /// the message
    pub id: I,
    /// when it was due
    pub due_at: u64,
    /// when it will be deleted even if still untranscribed
    pub hold_until: u64,
}

impl<I> Held<I> {
    /// The `now` to give [`crate::envelope::open`] to read this message during its
    /// hold: one second before it fell due, when the envelope was still valid.
    pub fn open_time(&self) -> u64 {
        self.due_at.saturating_sub(1)
    }
}

/// The sweeper's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Sweep<I> {
    /// delete these now
    pub delete: Vec<I>,
    /// of `delete`, the clinical ones whose hold ran out untranscribed (tell the user)
    pub deleted_untranscribed: Vec<I>,
    /// past their deadline, kept for transcription ("awaiting transcription")
    pub awaiting_transcription: Vec<Held<I>>,
    /// the next time something falls due (schedule one timer), if any
    pub next_wake: Option<u64>,
}

/// Decides, at trusted time `now` (see [`RollbackClock`]), which messages to
/// delete, which are held for transcription and when to run again.
///
/// ```
/// use careguard::retention::{sweep, Message, RetentionPolicy};
/// let policy = RetentionPolicy::new().transcription_hold_max(3_600);
/// let msg = |id, expires_at, clinical| Message {
///     id, expires_at: Some(expires_at), read_at: None, policy, clinical, transcribed: false,
/// };
/// let s = sweep(&[msg(1, 100, false), msg(2, 100, true), msg(3, 500, false)], 200);
/// assert_eq!(s.delete, vec![1]);
/// assert_eq!(s.awaiting_transcription[0].hold_until, 3_700);
/// assert_eq!(s.next_wake, Some(500));
/// ```
pub fn sweep<'a, I, M>(messages: M, now: u64) -> Sweep<I>
where
    I: Clone + 'a,
    M: IntoIterator<Item = &'a Message<I>>,
{
    let mut out = Sweep {
        delete: Vec::new(),
        deleted_untranscribed: Vec::new(),
        awaiting_transcription: Vec::new(),
        next_wake: None,
    };
    let mut wake = |at: u64| {
        out.next_wake = Some(out.next_wake.map_or(at, |w: u64| w.min(at)));
    };
    let mut delete = Vec::new();
    let mut untranscribed = Vec::new();
    let mut awaiting = Vec::new();
    for m in messages {
        let Some(due) = m.due_at() else { continue };
        if now < due {
            wake(due);
        } else if m.held() {
            let hold_until = due.saturating_add(m.policy.get_transcription_hold_max());
            if now < hold_until {
                wake(hold_until);
                awaiting.push(Held {
                    id: m.id.clone(),
                    due_at: due,
                    hold_until,
                });
            } else {
                delete.push(m.id.clone());
                untranscribed.push(m.id.clone());
            }
        } else {
            delete.push(m.id.clone());
        }
    }
    out.delete = delete;
    out.deleted_untranscribed = untranscribed;
    out.awaiting_transcription = awaiting;
    out
}
