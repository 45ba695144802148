//! Content-free audit logs (`careguard::audit`): writing (`cg_audit_chain_*`), offline
//! verification (`cg_audit_log_verify`) and totals (`cg_audit_log_summarise`,
//! `cg_audit_summary_*`).

use core::ffi::c_char;
use std::ffi::CString;
use std::sync::{Mutex, MutexGuard};

use careguard::audit::{
    Action, AuditChain, AuditRecord, CHAIN_HEAD_LEN, ChainHead, Summary, summarise, verify_log,
};
use careguard::policy::Verdict;

use crate::args::{
    bytes_arg, c_string, free_handle, handle_arg, into_handle, key_arg, slice_arg, str_arg,
};
use crate::buffer::{CgBytes, bytes_out, out_arg};
use crate::detect::{CgFindings, CgScanner, scanner_arg};
use crate::error::{FfiError, FfiResult, guard};
use crate::identity::{CgDeviceKeys, keys_arg};
use crate::policy::{CgVerdict, conversation};
use crate::status::CgStatus;

/// An optional expected head: empty for none, else exactly 40 bytes.
fn head_opt(head: &[u8]) -> FfiResult<Option<ChainHead>> {
    match head.len() {
        0 => Ok(None),
        CHAIN_HEAD_LEN => {
            let mut h = [0u8; CHAIN_HEAD_LEN];
            h.copy_from_slice(head);
            Ok(Some(ChainHead::from_bytes(&h)))
        }
        n => Err(FfiError::new(
            CgStatus::InvalidLength,
            format!("`expected_head` is {n} bytes, {CHAIN_HEAD_LEN} expected"),
        )),
    }
}

/// Verifies an audit log (its segments concatenated) under the device's Ed25519 public
/// key (32 bytes): every segment's signature, order and hash chain, and, when
/// `expected_head` is given (40 bytes, the head the device reported; NULL with 0 to skip),
/// that the log ends there. On success `*out_records` is the number of records and
/// `out_head` the log's 40-byte head.
///
/// Errors: `CG_STATUS_BAD_SIGNATURE` (edited, reordered inside a segment, or another key),
/// `CG_STATUS_TAMPERED` (segments removed, repeated or reordered), `CG_STATUS_TRUNCATED`
/// (bytes cut off, or the log ends before `expected_head`), `CG_STATUS_WRONG_DEVICE`,
/// `CG_STATUS_MALFORMED`, `CG_STATUS_UNSUPPORTED_VERSION`, `CG_STATUS_INVALID_LENGTH`,
/// `CG_STATUS_INVALID_ARGUMENT` (not an Ed25519 key), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// Buffers are readable for their lengths (or NULL with 0); out-pointers are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_audit_log_verify(
    log: *const u8,
    log_len: usize,
    device_public_key: *const u8,
    device_public_key_len: usize,
    expected_head: *const u8,
    expected_head_len: usize,
    out_records: *mut u64,
    out_head: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out_records, out_head, log, key, head) = unsafe {
            (
                out_arg(out_records, "out_records")?,
                bytes_out(out_head, "out_head")?,
                bytes_arg(log, log_len, "log")?,
                key_arg(
                    device_public_key,
                    device_public_key_len,
                    "device_public_key",
                )?,
                bytes_arg(expected_head, expected_head_len, "expected_head")?,
            )
        };
        out_records.write(0);
        let verified = verify_log(log, key.expose_secret(), head_opt(head)?.as_ref())?;
        out_records.write(verified.records().len() as u64);
        out_head.write(CgBytes::copy_from(&verified.head().to_bytes()));
        Ok(())
    })
}

/// What the user did after a decision (`cg_audit_record.action`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CgAuditAction {
    /// Sent as written (the verdict allowed it).
    Sent = 0,
    /// Sent the minimised suggestion.
    SentMinimised = 1,
    /// Did not send.
    Cancelled = 2,
    /// Sent as written despite a warning or block, giving a reason.
    Overridden = 3,
}

/// One decision to record, without content. The record keeps only the kinds of the
/// `findings` and how many of each, never their text; an `overridden` record keeps the
/// `reason` minimised by the scanner given to `cg_audit_chain_seal` and cut to 80 bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CgAuditRecord {
    /// When (Unix seconds).
    pub time: u64,
    /// A `cg_conversation` value.
    pub conversation: u32,
    /// A `cg_verdict` value.
    pub verdict: u32,
    /// A `cg_audit_action` value.
    pub action: u32,
    /// Whether emergency (network-outage) mode was on.
    pub emergency: bool,
    /// The scan's findings (NULL for none).
    pub findings: *const CgFindings,
    /// The user's override reason (UTF-8; NULL with 0 for none).
    pub reason: *const c_char,
    /// Length of `reason` in bytes.
    pub reason_len: usize,
}

/// A device's audit-log writer: the next segment index and the hash chain's head. Made by
/// `cg_audit_chain_new` or `cg_audit_chain_restore`, released by `cg_audit_chain_free`.
/// Persist `cg_audit_chain_state` after each segment is stored.
///
/// Thread safety: may be shared between threads (sealing serialises on an internal lock).
pub struct CgAuditChain {
    chain: Mutex<AuditChain>,
}

impl CgAuditChain {
    fn lock(&self) -> FfiResult<MutexGuard<'_, AuditChain>> {
        self.chain.lock().map_err(|_| {
            FfiError::new(
                CgStatus::Panic,
                "audit chain unusable after an earlier panic",
            )
        })
    }
}

/// Totals of a verified audit log (`cg_audit_log_summarise`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CgAuditTotals {
    /// Records.
    pub records: u64,
    /// Allowed.
    pub allowed: u64,
    /// Warned.
    pub warned: u64,
    /// Blocked.
    pub blocked: u64,
    /// Made in emergency mode.
    pub emergency: u64,
    /// Segments in the log.
    pub segments: u64,
    /// Earliest record time (Unix seconds).
    pub first_time: u64,
    /// Latest record time (Unix seconds).
    pub last_time: u64,
}

/// One count of a summary: `category` is `action`, `conversation` or `kind`, `name` the
/// action (`sent`...), conversation class (`clinical`...) or identifier kind
/// (`nhs_number`...). Strings are borrowed from the `cg_audit_summary`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CgAuditCount {
    /// `action`, `conversation` or `kind`.
    pub category: *const c_char,
    /// The action, conversation class or kind name.
    pub name: *const c_char,
    /// Records with it (for a kind: identifiers of it).
    pub count: u64,
}

/// A verified log's summary. Made by `cg_audit_log_summarise`, released by
/// `cg_audit_summary_free`.
///
/// Thread safety: immutable; may be read from any thread.
pub struct CgAuditSummary {
    totals: CgAuditTotals,
    items: Vec<CgAuditCount>,
    // Owns the C strings `items` point into (their heap buffers never move).
    _strings: Vec<CString>,
}

impl CgAuditSummary {
    fn new(s: &Summary, segments: u64) -> FfiResult<Self> {
        let (first_time, last_time) = s.span.unwrap_or((0, 0));
        let mut strings = Vec::new();
        let mut items = Vec::new();
        let groups = [
            ("action", &s.actions),
            ("conversation", &s.conversations),
            ("kind", &s.kinds),
        ];
        for (category, counts) in groups {
            for (name, &count) in counts {
                let category = c_string(category)?;
                let name = c_string(name)?;
                items.push(CgAuditCount {
                    category: category.as_ptr(),
                    name: name.as_ptr(),
                    count,
                });
                strings.extend([category, name]);
            }
        }
        Ok(Self {
            totals: CgAuditTotals {
                records: s.records,
                allowed: s.allowed,
                warned: s.warned,
                blocked: s.blocked,
                emergency: s.emergency,
                segments,
                first_time,
                last_time,
            },
            items,
            _strings: strings,
        })
    }
}

fn verdict(value: u32) -> FfiResult<Verdict> {
    Ok(match value {
        v if v == CgVerdict::Allow as u32 => Verdict::Allow,
        v if v == CgVerdict::Warn as u32 => Verdict::Warn,
        v if v == CgVerdict::Block as u32 => Verdict::Block,
        other => {
            return Err(FfiError::new(
                CgStatus::InvalidArgument,
                format!("unknown verdict {other}"),
            ));
        }
    })
}

fn action(value: u32) -> FfiResult<Action> {
    Ok(match value {
        v if v == CgAuditAction::Sent as u32 => Action::Sent,
        v if v == CgAuditAction::SentMinimised as u32 => Action::SentMinimised,
        v if v == CgAuditAction::Cancelled as u32 => Action::Cancelled,
        v if v == CgAuditAction::Overridden as u32 => Action::Overridden,
        other => {
            return Err(FfiError::new(
                CgStatus::InvalidArgument,
                format!("unknown audit action {other}"),
            ));
        }
    })
}

/// # Safety
/// As documented on `cg_audit_chain_seal` for one record and the scanner.
unsafe fn record(r: &CgAuditRecord, scanner: *const CgScanner) -> FfiResult<AuditRecord> {
    let mut out = AuditRecord::new(
        r.time,
        conversation(r.conversation)?,
        verdict(r.verdict)?,
        action(r.action)?,
    )
    .with_emergency(r.emergency);
    // SAFETY: forwarded caller guarantee: `findings` is NULL or live.
    if let Some(findings) = unsafe { r.findings.as_ref() } {
        out = out.with_findings(&findings.findings);
    }
    // SAFETY: forwarded caller guarantee.
    let reason = unsafe { str_arg(r.reason, r.reason_len, "record reason") }?;
    if !reason.is_empty() {
        // SAFETY: forwarded caller guarantee.
        let scanner = unsafe { scanner_arg(scanner) }?;
        out = out.with_override_reason(reason, scanner);
    }
    Ok(out)
}

/// # Safety
/// `ptr` is NULL or a live audit chain.
unsafe fn chain_arg<'a>(ptr: *const CgAuditChain) -> FfiResult<&'a CgAuditChain> {
    // SAFETY: forwarded caller guarantee.
    unsafe { handle_arg(ptr, "chain") }
}

/// A new, empty audit log for the device of `keys`, into `*out`.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `keys` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_audit_chain_new(
    keys: *const CgDeviceKeys,
    out: *mut *mut CgAuditChain,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, keys) = unsafe { (out_arg(out, "out")?, keys_arg(keys, "keys")?) };
        out.write(into_handle(CgAuditChain {
            chain: Mutex::new(AuditChain::new(keys.device_id())),
        }));
        Ok(())
    })
}

/// Restores a chain from the 64 bytes `cg_audit_chain_state` gave, into `*out`.
///
/// Errors: `CG_STATUS_MALFORMED` (not 64 bytes), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `state` is readable for `state_len` bytes (or NULL with 0); `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_audit_chain_restore(
    state: *const u8,
    state_len: usize,
    out: *mut *mut CgAuditChain,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, state) = unsafe { (out_arg(out, "out")?, bytes_arg(state, state_len, "state")?) };
        out.write(core::ptr::null_mut());
        let chain = AuditChain::from_bytes(state)?;
        out.write(into_handle(CgAuditChain {
            chain: Mutex::new(chain),
        }));
        Ok(())
    })
}

/// The chain's state to persist (64 bytes) into `out`; free it with `cg_bytes_free`.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `chain` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_audit_chain_state(
    chain: *const CgAuditChain,
    out: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, chain) = unsafe { (bytes_out(out, "out")?, chain_arg(chain)?) };
        out.write(CgBytes::copy_from(&chain.lock()?.to_bytes()));
        Ok(())
    })
}

/// The chain's head (40 bytes) into `out`, for the device to report to the Trust so that
/// a log cut short is detected (`expected_head` of `cg_audit_log_verify`).
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `chain` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_audit_chain_head(
    chain: *const CgAuditChain,
    out: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, chain) = unsafe { (bytes_out(out, "out")?, chain_arg(chain)?) };
        out.write(CgBytes::copy_from(&chain.lock()?.head().to_bytes()));
        Ok(())
    })
}

/// Seals `records_len` records (1 to 4096) into the next segment, signed with `keys` (the
/// chain's device), into `out`, and advances the chain. Append the bytes to the log file
/// (the log is its segments concatenated: that file is what the device exports), then
/// persist `cg_audit_chain_state`. `scanner` minimises override reasons; it may be NULL
/// when no record has one.
///
/// Errors: `CG_STATUS_MALFORMED` (no records or more than 4096),
/// `CG_STATUS_KEY_REVOKED` (keys of another device, or revoked),
/// `CG_STATUS_INVALID_ARGUMENT` (an unknown conversation, verdict or action),
/// `CG_STATUS_INVALID_UTF8`, `CG_STATUS_NULL_POINTER` (including a reason without a
/// scanner). On failure the chain is unchanged.
///
/// # Safety
/// `chain`, `keys`, `scanner` are NULL or live; `records` is readable for `records_len`
/// records (or NULL with 0), each with its `findings` NULL or live and its `reason`
/// readable; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_audit_chain_seal(
    chain: *const CgAuditChain,
    keys: *const CgDeviceKeys,
    records: *const CgAuditRecord,
    records_len: usize,
    scanner: *const CgScanner,
    out: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, chain, keys, records) = unsafe {
            (
                bytes_out(out, "out")?,
                chain_arg(chain)?,
                keys_arg(keys, "keys")?,
                slice_arg(records, records_len, "records")?,
            )
        };
        let records = records
            .iter()
            // SAFETY: forwarded caller guarantee for each record and the scanner.
            .map(|r| unsafe { record(r, scanner) })
            .collect::<FfiResult<Vec<_>>>()?;
        let segment = chain.lock()?.seal_segment(&records, keys)?;
        out.write(CgBytes::copy_from(&segment));
        Ok(())
    })
}

/// Releases an audit chain. Accepts NULL.
///
/// # Safety
/// `chain` is NULL or live and not used after this call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_audit_chain_free(chain: *mut CgAuditChain) {
    // SAFETY: forwarded caller guarantee.
    unsafe { free_handle(chain) }
}

/// The Ed25519 public key (32 bytes) that verifies the logs `keys` sign, into `out`:
/// give it to the Trust with the device's card.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `keys` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_audit_device_public_key(
    keys: *const CgDeviceKeys,
    out: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, keys) = unsafe { (bytes_out(out, "out")?, keys_arg(keys, "keys")?) };
        out.write(CgBytes::copy_from(&keys.public_keys().ed25519));
        Ok(())
    })
}

/// Verifies an audit log as `cg_audit_log_verify` does (same arguments and errors) and,
/// if it verifies, totals its records into `*out`: verdicts, actions, conversation
/// classes, identifier kinds, emergency-mode records and the time span.
///
/// # Safety
/// Buffers are readable for their lengths (or NULL with 0); `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_audit_log_summarise(
    log: *const u8,
    log_len: usize,
    device_public_key: *const u8,
    device_public_key_len: usize,
    expected_head: *const u8,
    expected_head_len: usize,
    out: *mut *mut CgAuditSummary,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out, log, key, head) = unsafe {
            (
                out_arg(out, "out")?,
                bytes_arg(log, log_len, "log")?,
                key_arg(
                    device_public_key,
                    device_public_key_len,
                    "device_public_key",
                )?,
                bytes_arg(expected_head, expected_head_len, "expected_head")?,
            )
        };
        out.write(core::ptr::null_mut());
        let verified = verify_log(log, key.expose_secret(), head_opt(head)?.as_ref())?;
        let summary = CgAuditSummary::new(&summarise(verified.records()), verified.segments())?;
        out.write(into_handle(summary));
        Ok(())
    })
}

/// The summary's totals into `*out`.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `summary` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_audit_summary_totals(
    summary: *const CgAuditSummary,
    out: *mut CgAuditTotals,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, s) = unsafe { (out_arg(out, "out")?, handle_arg(summary, "summary")?) };
        out.write(s.totals);
        Ok(())
    })
}

/// The number of counts (`cg_audit_summary_get`) into `*out`.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `summary` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_audit_summary_len(
    summary: *const CgAuditSummary,
    out: *mut usize,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, s) = unsafe { (out_arg(out, "out")?, handle_arg(summary, "summary")?) };
        out.write(s.items.len());
        Ok(())
    })
}

/// Count `index` into `*out`: actions first, then conversation classes, then kinds, each
/// by name (its strings live as long as `summary`).
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT` (`index` past the end), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `summary` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_audit_summary_get(
    summary: *const CgAuditSummary,
    index: usize,
    out: *mut CgAuditCount,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, s) = unsafe { (out_arg(out, "out")?, handle_arg(summary, "summary")?) };
        let item = s.items.get(index).ok_or_else(|| {
            FfiError::new(
                CgStatus::InvalidArgument,
                format!("index {index} past the {} counts", s.items.len()),
            )
        })?;
        out.write(*item);
        Ok(())
    })
}

/// Releases a summary. Accepts NULL.
///
/// # Safety
/// `summary` is NULL or live and not used after this call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_audit_summary_free(summary: *mut CgAuditSummary) {
    // SAFETY: forwarded caller guarantee.
    unsafe { free_handle(summary) }
}
