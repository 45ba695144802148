//! Automatic deletion: policies, the anti-rollback clock and the sweeper
//! (`careguard::retention`).

use careguard::retention::{self, Message, RetentionPolicy, RollbackClock};

use crate::args::bytes_arg;
use crate::buffer::out_arg;
use crate::error::{FfiError, FfiResult, guard};
use crate::status::CgStatus;

/// Retention settings; each field applies only when its `has_` flag is true, so a
/// conversation override can leave a field to the organisation default.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CgRetentionPolicy {
    /// Whether `after_send` is set.
    pub has_after_send: bool,
    /// Delete this many seconds after sending (sealed into the envelope expiry).
    pub after_send: u64,
    /// Whether `after_read` is set.
    pub has_after_read: bool,
    /// Delete this many seconds after this device first showed the message.
    pub after_read: u64,
    /// Whether `transcription_hold_max` is set (default: 3 days).
    pub has_transcription_hold_max: bool,
    /// Hold an untranscribed clinical message at most this long past its deadline
    /// (0 disables the hold).
    pub transcription_hold_max: u64,
}

impl From<&CgRetentionPolicy> for RetentionPolicy {
    fn from(p: &CgRetentionPolicy) -> Self {
        let mut policy = RetentionPolicy::new();
        if p.has_after_send {
            policy = policy.after_send(p.after_send);
        }
        if p.has_after_read {
            policy = policy.after_read(p.after_read);
        }
        if p.has_transcription_hold_max {
            policy = policy.transcription_hold_max(p.transcription_hold_max);
        }
        policy
    }
}

/// One stored message as the sweeper sees it.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CgRetentionMessage {
    /// The app's identifier for the message (a database row id, say).
    pub id: u64,
    /// Whether `expires_at` is set.
    pub has_expires_at: bool,
    /// The expiry from the envelope header (`cg_envelope_info.expires_at`).
    pub expires_at: u64,
    /// Whether `read_at` is set.
    pub has_read_at: bool,
    /// When this device first showed it (from `cg_clock_now`).
    pub read_at: u64,
    /// The effective policy of its conversation (`cg_retention_policy_merge`).
    pub policy: CgRetentionPolicy,
    /// Flagged as clinical (advice or decisions that belong in the record).
    pub clinical: bool,
    /// Confirmed as transcribed into the medical record.
    pub transcribed: bool,
}

/// A message kept past its deadline because it awaits transcription.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CgHeld {
    /// The message id.
    pub id: u64,
    /// When it was due.
    pub due_at: u64,
    /// When it will be deleted even if still untranscribed.
    pub hold_until: u64,
    /// The `now` to pass to `cg_envelope_open` to show it for transcription during the
    /// hold (one second before it fell due, when the envelope was still valid).
    pub open_time: u64,
}

/// The sweeper's answer. Filled by `cg_retention_sweep`, released by `cg_sweep_free`.
/// The arrays are NULL when empty.
#[repr(C)]
#[derive(Debug)]
pub struct CgSweep {
    /// Ids to delete now.
    pub delete_ids: *mut u64,
    /// Number of `delete_ids`.
    pub delete_len: usize,
    /// Of `delete_ids`, the clinical ones whose hold ran out untranscribed (tell the user).
    pub deleted_untranscribed_ids: *mut u64,
    /// Number of `deleted_untranscribed_ids`.
    pub deleted_untranscribed_len: usize,
    /// Messages past their deadline, kept for transcription.
    pub awaiting: *mut CgHeld,
    /// Number of `awaiting`.
    pub awaiting_len: usize,
    /// Whether `next_wake` is set.
    pub has_next_wake: bool,
    /// The next time something falls due: schedule one timer for it.
    pub next_wake: u64,
}

const EMPTY_SWEEP: CgSweep = CgSweep {
    delete_ids: core::ptr::null_mut(),
    delete_len: 0,
    deleted_untranscribed_ids: core::ptr::null_mut(),
    deleted_untranscribed_len: 0,
    awaiting: core::ptr::null_mut(),
    awaiting_len: 0,
    has_next_wake: false,
    next_wake: 0,
};

fn leak_array<T>(items: Vec<T>) -> (*mut T, usize) {
    if items.is_empty() {
        return (core::ptr::null_mut(), 0);
    }
    let boxed = items.into_boxed_slice();
    let len = boxed.len();
    (Box::into_raw(boxed).cast::<T>(), len)
}

/// # Safety
/// `ptr`/`len` came from `leak_array::<T>` and are released once.
unsafe fn free_array<T>(ptr: *mut T, len: usize) {
    if !ptr.is_null() {
        // SAFETY: caller guarantee: a boxed slice of exactly `len` items.
        drop(unsafe { Box::from_raw(core::ptr::slice_from_raw_parts_mut(ptr, len)) });
    }
}

/// # Safety
/// A non-NULL `ptr` is readable.
unsafe fn policy_arg(ptr: *const CgRetentionPolicy) -> RetentionPolicy {
    // SAFETY: caller guarantee.
    unsafe { ptr.as_ref() }
        .map(RetentionPolicy::from)
        .unwrap_or_default()
}

pub(crate) fn to_c(p: &RetentionPolicy) -> CgRetentionPolicy {
    CgRetentionPolicy {
        has_after_send: p.get_after_send().is_some(),
        after_send: p.get_after_send().unwrap_or(0),
        has_after_read: p.get_after_read().is_some(),
        after_read: p.get_after_read().unwrap_or(0),
        has_transcription_hold_max: true,
        transcription_hold_max: p.get_transcription_hold_max(),
    }
}

/// The effective policy of a conversation: `conversation`'s fields where set,
/// `organisation`'s elsewhere (either may be NULL for nothing set). The result has
/// `has_transcription_hold_max` set, with the default filled in.
///
/// Errors: `CG_STATUS_NULL_POINTER` (`out`).
///
/// # Safety
/// The inputs are NULL or readable; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_retention_policy_merge(
    conversation: *const CgRetentionPolicy,
    organisation: *const CgRetentionPolicy,
    out: *mut CgRetentionPolicy,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, conv, org) = unsafe {
            (
                out_arg(out, "out")?,
                policy_arg(conversation),
                policy_arg(organisation),
            )
        };
        out.write(to_c(&conv.merged_over(&org)));
        Ok(())
    })
}

/// The expiry to seal into an envelope sent at `sent_at` under `policy` (NULL for
/// none): `*out_has` false means no expiry. Pass it as `cg_seal_options.expires_at`.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `policy` is NULL or readable; the out-pointers are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_retention_expires_at(
    policy: *const CgRetentionPolicy,
    sent_at: u64,
    out_has: *mut bool,
    out_expires_at: *mut u64,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (has, at, policy) = unsafe {
            (
                out_arg(out_has, "out_has")?,
                out_arg(out_expires_at, "out_expires_at")?,
                policy_arg(policy),
            )
        };
        let expires = policy.expires_at(sent_at);
        has.write(expires.is_some());
        at.write(expires.unwrap_or(0));
        Ok(())
    })
}

/// The anti-rollback clock. `*high_water` is the persisted high-water mark (0 on
/// first run); it is advanced and must be persisted again. `*out_now` receives the
/// trusted time, `max(high-water mark, device_now)`, to pass as `now` to the sweeper
/// and to `cg_envelope_open`; `*out_rolled_back` (may be NULL) whether the device clock
/// is behind the mark.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `high_water` is NULL or readable and writable; the out-pointers are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_clock_now(
    high_water: *mut u64,
    device_now: u64,
    out_now: *mut u64,
    out_rolled_back: *mut bool,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (hw, out_now) = unsafe {
            (
                out_arg(high_water, "high_water")?,
                out_arg(out_now, "out_now")?,
            )
        };
        // SAFETY: the caller guarantees `*high_water` is initialised (readable).
        let mut clock = RollbackClock::new(unsafe { hw.assume_init_read() });
        // SAFETY: caller guarantee: NULL or writable.
        if let Some(rb) = unsafe { out_rolled_back.as_mut() } {
            *rb = clock.rolled_back(device_now);
        }
        out_now.write(clock.now(device_now));
        hw.write(clock.high_water());
        Ok(())
    })
}

/// Decides, at trusted time `now` (from `cg_clock_now`), which of `messages` to delete,
/// which are held for transcription and when to run again, into `*out`; release it
/// with `cg_sweep_free`.
///
/// Errors: `CG_STATUS_NULL_POINTER`, `CG_STATUS_TOO_LARGE` (an absurd count).
///
/// # Safety
/// `messages` is readable for `count` items (or NULL with 0); `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_retention_sweep(
    messages: *const CgRetentionMessage,
    count: usize,
    now: u64,
    out: *mut CgSweep,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantee.
        let out = unsafe { out_arg(out, "out") }?;
        out.write(EMPTY_SWEEP);
        // SAFETY: caller guarantee (checked for NULL and overflow like any buffer).
        let messages = unsafe { messages_arg(messages, count) }?;
        let converted: Vec<Message<u64>> = messages
            .iter()
            .map(|m| Message {
                id: m.id,
                expires_at: m.has_expires_at.then_some(m.expires_at),
                read_at: m.has_read_at.then_some(m.read_at),
                policy: RetentionPolicy::from(&m.policy),
                clinical: m.clinical,
                transcribed: m.transcribed,
            })
            .collect();
        let sweep = retention::sweep(&converted, now);
        let awaiting = sweep
            .awaiting_transcription
            .iter()
            .map(|h| CgHeld {
                id: h.id,
                due_at: h.due_at,
                hold_until: h.hold_until,
                open_time: h.open_time(),
            })
            .collect();
        let (delete_ids, delete_len) = leak_array(sweep.delete);
        let (deleted_untranscribed_ids, deleted_untranscribed_len) =
            leak_array(sweep.deleted_untranscribed);
        let (awaiting, awaiting_len) = leak_array(awaiting);
        out.write(CgSweep {
            delete_ids,
            delete_len,
            deleted_untranscribed_ids,
            deleted_untranscribed_len,
            awaiting,
            awaiting_len,
            has_next_wake: sweep.next_wake.is_some(),
            next_wake: sweep.next_wake.unwrap_or(0),
        });
        Ok(())
    })
}

/// # Safety
/// As for `bytes_arg`, for `count` messages.
unsafe fn messages_arg<'a>(
    ptr: *const CgRetentionMessage,
    count: usize,
) -> FfiResult<&'a [CgRetentionMessage]> {
    let size = count
        .checked_mul(size_of::<CgRetentionMessage>())
        .ok_or_else(|| {
            FfiError::new(CgStatus::TooLarge, format!("{count} messages is too many"))
        })?;
    // SAFETY: forwarded caller guarantee; checks NULL/length and the byte size.
    let bytes = unsafe { bytes_arg(ptr.cast::<u8>(), size, "messages") }?;
    if bytes.is_empty() {
        return Ok(&[]);
    }
    if !ptr.is_aligned() {
        return Err(FfiError::new(
            CgStatus::InvalidArgument,
            "`messages` is misaligned",
        ));
    }
    // SAFETY: the caller guarantees `count` valid, aligned messages at `ptr` (non-NULL
    // here), and bytes_arg checked the total size.
    Ok(unsafe { core::slice::from_raw_parts(ptr, count) })
}

/// Releases the arrays of a `cg_sweep` and resets it. Accepts NULL and a reset sweep.
///
/// # Safety
/// `sweep` is NULL or a `cg_sweep` filled by `cg_retention_sweep` and not freed since.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_sweep_free(sweep: *mut CgSweep) {
    let _ = std::panic::catch_unwind(|| {
        // SAFETY: caller guarantee: NULL or valid.
        let Some(s) = (unsafe { sweep.as_mut() }) else {
            return;
        };
        // SAFETY: each array came from leak_array with its length, released once.
        unsafe {
            free_array(s.delete_ids, s.delete_len);
            free_array(s.deleted_untranscribed_ids, s.deleted_untranscribed_len);
            free_array(s.awaiting, s.awaiting_len);
        }
        *s = EMPTY_SWEEP;
    });
}
