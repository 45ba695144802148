//! Allow / Warn / Block decisions (`careguard::policy`).

use core::ffi::c_char;
use std::ffi::CString;

use careguard::policy::{self, Context, Conversation, Decision, Platform, Verdict};

use crate::args::{c_string, free_handle, handle_arg, into_handle, no_nul, str_arg};
use crate::buffer::out_arg;
use crate::detect::{CgFindings, CgScanner, findings_arg, scanner_arg};
use crate::error::{FfiError, FfiResult, guard};
use crate::identity::{CgRecipientTrust, recipient_trust};
use crate::status::CgStatus;

/// Where a message is going, for `cg_policy_decide` / `cg_policy_review`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CgPolicyContext {
    /// A `cg_conversation` value.
    pub conversation: u32,
    /// Whether the organisation approved the platform for confidential information.
    pub platform_approved: bool,
    /// Emergency (network-outage) mode declared by the Trust.
    pub emergency: bool,
    /// The recipients' verification state, one per recipient device (NULL with 0 when
    /// the app does not track it). High-risk identifiers to an unverified or changed
    /// recipient give at least Warn.
    pub recipients: *const CgRecipientTrust,
    /// Number of `recipients`.
    pub recipients_len: usize,
}

/// The kind of conversation.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CgConversation {
    /// A clinical or operational conversation (a ward team, a referral).
    Clinical = 1,
    /// A social group.
    Social = 2,
    /// A one-way broadcast to many recipients.
    Broadcast = 3,
}

/// The outcome of a decision.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CgVerdict {
    /// Send as is.
    Allow = 0,
    /// Send only after the user confirms (offer the suggestion).
    Warn = 1,
    /// Do not send; offer the suggestion instead.
    Block = 2,
}

/// A decision: verdict, reasons and (from `cg_policy_review`) the minimised text.
/// Made by `cg_policy_decide` or `cg_policy_review`, released by `cg_decision_free`.
///
/// Thread safety: immutable; may be read from any thread.
pub struct CgDecision {
    verdict: CgVerdict,
    reasons: Vec<CgReason>,
    suggestion: Option<CString>,
    // Owns the C strings `reasons` point into.
    _strings: Vec<CString>,
}

/// One reason for a decision; strings are borrowed from the `cg_decision`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CgReason {
    /// Stable code (`social_group`, `unapproved_platform`, `high_risk`, ...).
    pub code: *const c_char,
    /// The guidance the rule comes from, for display.
    pub guidance: *const c_char,
    /// An English explanation naming the identifier kinds found.
    pub message: *const c_char,
}

/// A decision's verdict, number of reasons and suggestion.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CgDecisionSummary {
    /// Allow, Warn or Block.
    pub verdict: CgVerdict,
    /// Number of reasons (`cg_decision_reason` indexes them; see `cg_decision_get_summary`).
    pub reasons_len: usize,
    /// The minimised text, borrowed from the decision; NULL from `cg_policy_decide` or
    /// when the verdict is Allow.
    pub suggestion: *const c_char,
}

/// A `cg_conversation` value as the core's conversation kind.
pub(crate) fn conversation(value: u32) -> FfiResult<Conversation> {
    Ok(match value {
        c if c == CgConversation::Clinical as u32 => Conversation::Clinical,
        c if c == CgConversation::Social as u32 => Conversation::Social,
        c if c == CgConversation::Broadcast as u32 => Conversation::Broadcast,
        other => {
            return Err(FfiError::new(
                CgStatus::InvalidArgument,
                format!("unknown conversation kind {other}"),
            ));
        }
    })
}

fn context(ctx: &CgPolicyContext) -> FfiResult<Context> {
    let conversation = conversation(ctx.conversation)?;
    let recipients = if ctx.recipients_len == 0 {
        &[][..]
    } else if ctx.recipients.is_null() {
        return Err(FfiError::new(
            CgStatus::NullPointer,
            "`context->recipients` is NULL",
        ));
    } else if !ctx.recipients.is_aligned() {
        return Err(FfiError::new(
            CgStatus::InvalidArgument,
            "`context->recipients` is misaligned",
        ));
    } else {
        // SAFETY: non-NULL and aligned; the caller guarantees `recipients_len` readable
        // entries (documented on `cg_policy_context`).
        unsafe { core::slice::from_raw_parts(ctx.recipients, ctx.recipients_len) }
    };
    let recipients = recipients
        .iter()
        .map(recipient_trust)
        .collect::<FfiResult<Vec<_>>>()?;
    Ok(
        Context::new(conversation, Platform::from_approved(ctx.platform_approved))
            .with_emergency(ctx.emergency)
            .with_recipients(recipients),
    )
}

impl CgDecision {
    fn new(decision: Decision) -> FfiResult<Self> {
        let verdict = match decision.verdict {
            Verdict::Allow => CgVerdict::Allow,
            Verdict::Warn => CgVerdict::Warn,
            Verdict::Block => CgVerdict::Block,
            _ => return Err(FfiError::new(CgStatus::Internal, "unknown verdict")),
        };
        let mut strings = Vec::with_capacity(decision.reasons.len() * 3);
        let mut reasons = Vec::with_capacity(decision.reasons.len());
        for r in &decision.reasons {
            let code = c_string(r.code())?;
            let guidance = c_string(r.guidance())?;
            let message = c_string(&r.to_string())?;
            reasons.push(CgReason {
                code: code.as_ptr(),
                guidance: guidance.as_ptr(),
                message: message.as_ptr(),
            });
            strings.extend([code, guidance, message]);
        }
        let suggestion = decision.suggestion.as_deref().map(c_string).transpose()?;
        Ok(Self {
            verdict,
            reasons,
            suggestion,
            _strings: strings,
        })
    }
}

/// # Safety
/// `ptr` is NULL or a live decision handle.
unsafe fn decision_arg<'a>(ptr: *const CgDecision) -> FfiResult<&'a CgDecision> {
    // SAFETY: forwarded caller guarantee.
    unsafe { handle_arg(ptr, "decision") }
}

/// # Safety
/// `ptr` is NULL or readable, and its `recipients` readable for `recipients_len` entries.
unsafe fn context_arg(ptr: *const CgPolicyContext) -> FfiResult<Context> {
    // SAFETY: forwarded caller guarantee.
    let ctx = unsafe { handle_arg(ptr, "context") }?;
    context(ctx)
}

/// Decides from findings (of `cg_scanner_scan`) and the context. The decision has no
/// suggestion (there is no text); use `cg_policy_review` for one.
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT` (unknown conversation), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `findings` is NULL or live; `context` is NULL or readable; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_policy_decide(
    findings: *const CgFindings,
    context: *const CgPolicyContext,
    out: *mut *mut CgDecision,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, findings, ctx) = unsafe {
            (
                out_arg(out, "out")?,
                findings_arg(findings)?,
                context_arg(context)?,
            )
        };
        out.write(core::ptr::null_mut());
        let decision = CgDecision::new(policy::decide(&findings.findings, &ctx))?;
        out.write(into_handle(decision));
        Ok(())
    })
}

/// Scans `text`, decides, and (unless the verdict is Allow) adds the minimised text
/// as the suggestion. `text` must not contain NUL bytes.
///
/// Errors: `CG_STATUS_INVALID_UTF8`, `CG_STATUS_INVALID_ARGUMENT` (a NUL byte, unknown
/// conversation), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `scanner` is NULL or live; `text` is readable for `text_len` bytes (or NULL with
/// 0); `context` is NULL or readable; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_policy_review(
    scanner: *const CgScanner,
    text: *const c_char,
    text_len: usize,
    context: *const CgPolicyContext,
    out: *mut *mut CgDecision,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, scanner, text, ctx) = unsafe {
            (
                out_arg(out, "out")?,
                scanner_arg(scanner)?,
                str_arg(text, text_len, "text")?,
                context_arg(context)?,
            )
        };
        out.write(core::ptr::null_mut());
        no_nul(text, "text")?;
        let decision = CgDecision::new(policy::review(scanner, text, &ctx))?;
        out.write(into_handle(decision));
        Ok(())
    })
}

/// The decision's verdict, number of reasons and suggestion.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `decision` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_decision_get_summary(
    decision: *const CgDecision,
    out: *mut CgDecisionSummary,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, d) = unsafe { (out_arg(out, "out")?, decision_arg(decision)?) };
        out.write(CgDecisionSummary {
            verdict: d.verdict,
            reasons_len: d.reasons.len(),
            suggestion: d
                .suggestion
                .as_ref()
                .map_or(core::ptr::null(), |s| s.as_ptr()),
        });
        Ok(())
    })
}

/// Copies reason `index` into `*out`; its strings stay valid until `cg_decision_free`.
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT` (index out of range), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `decision` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_decision_reason(
    decision: *const CgDecision,
    index: usize,
    out: *mut CgReason,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, d) = unsafe { (out_arg(out, "out")?, decision_arg(decision)?) };
        let reason = d.reasons.get(index).ok_or_else(|| {
            FfiError::new(
                CgStatus::InvalidArgument,
                format!("index {index} out of range ({} reasons)", d.reasons.len()),
            )
        })?;
        out.write(*reason);
        Ok(())
    })
}

/// Releases a decision. Accepts NULL.
///
/// # Safety
/// `decision` is NULL or a live handle no other thread is using; freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_decision_free(decision: *mut CgDecision) {
    // SAFETY: forwarded caller guarantee.
    unsafe { free_handle(decision) }
}
