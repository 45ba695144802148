//! Content-free audit logs (`careguard::audit`): writing ([`AuditChain`]), verification
//! ([`audit_log_verify`]) and totals ([`audit_log_summarise`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use careguard::audit::{self as core_audit, AuditError, CHAIN_HEAD_LEN, ChainHead};
use careguard::detect::Kind;

use crate::detect::{Conversation, Scanner, Verdict, conversation, verdict};
use crate::error::{CareGuardError, Result};
use crate::identity::DeviceKeys;
use crate::key_arg;

impl From<AuditError> for CareGuardError {
    fn from(err: AuditError) -> Self {
        Self::coded(err.code(), err.to_string())
    }
}

/// What the user did after a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AuditAction {
    /// Sent as written (the verdict allowed it).
    Sent,
    /// Sent the minimised suggestion.
    SentMinimised,
    /// Did not send.
    Cancelled,
    /// Sent as written despite a warning or block, giving a reason.
    Overridden,
}

impl From<AuditAction> for core_audit::Action {
    fn from(a: AuditAction) -> Self {
        match a {
            AuditAction::Sent => Self::Sent,
            AuditAction::SentMinimised => Self::SentMinimised,
            AuditAction::Cancelled => Self::Cancelled,
            AuditAction::Overridden => Self::Overridden,
        }
    }
}

fn action(a: core_audit::Action) -> Result<AuditAction> {
    Ok(match a {
        core_audit::Action::Sent => AuditAction::Sent,
        core_audit::Action::SentMinimised => AuditAction::SentMinimised,
        core_audit::Action::Cancelled => AuditAction::Cancelled,
        core_audit::Action::Overridden => AuditAction::Overridden,
        _ => return Err(CareGuardError::internal("unknown audit action")),
    })
}

/// How many identifiers of one kind a message held.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct KindCount {
    /// The kind name (`nhs_number`, `person_name`, ...).
    pub kind: String,
    /// How many.
    pub count: u32,
}

/// One decision, without content. Sealed records keep only the kinds and counts, and for
/// an `Overridden` record the reason minimised by the scanner given to `seal` and cut to 80
/// bytes (other actions keep no reason).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditRecord {
    /// When (Unix seconds).
    pub time: u64,
    /// The conversation class.
    pub conversation: Conversation,
    /// The verdict.
    pub verdict: Verdict,
    /// What the user did.
    pub action: AuditAction,
    /// Whether emergency (network-outage) mode was on.
    pub emergency: bool,
    /// Identifiers found, by kind.
    pub kinds: Vec<KindCount>,
    /// The override reason (minimised when sealed; read back as stored).
    pub reason: String,
}

impl AuditRecord {
    fn to_core(&self, scanner: Option<&Scanner>) -> Result<core_audit::AuditRecord> {
        let mut r = core_audit::AuditRecord::new(
            self.time,
            self.conversation.into(),
            self.verdict.into(),
            self.action.into(),
        )
        .with_emergency(self.emergency);
        for k in &self.kinds {
            let kind: Kind = k.kind.parse().map_err(|_| {
                CareGuardError::invalid_argument(format!("unknown kind name {:?}", k.kind))
            })?;
            r = r.with_kind(kind, k.count);
        }
        if !self.reason.is_empty() {
            let scanner = scanner.ok_or_else(|| {
                CareGuardError::invalid_argument(
                    "a reason is minimised before it is stored: pass a scanner",
                )
            })?;
            r = r.with_override_reason(&self.reason, &scanner.scanner);
        }
        Ok(r)
    }

    fn from_core(r: &core_audit::AuditRecord) -> Result<Self> {
        Ok(Self {
            time: r.time(),
            conversation: conversation(r.conversation())?,
            verdict: verdict(r.verdict())?,
            action: action(r.action())?,
            emergency: r.emergency(),
            kinds: r
                .kinds()
                .into_iter()
                .map(|(k, n)| KindCount {
                    kind: k.as_str().to_owned(),
                    count: u32::from(n),
                })
                .collect(),
            reason: r.reason().to_owned(),
        })
    }
}

/// A device's audit-log writer. Persist `state()` after each sealed segment is stored and
/// report `head()` to the Trust.
///
/// Thread safety: may be shared between threads (sealing serialises on a lock).
#[derive(uniffi::Object)]
pub struct AuditChain {
    chain: Mutex<core_audit::AuditChain>,
}

impl AuditChain {
    fn lock(&self) -> Result<MutexGuard<'_, core_audit::AuditChain>> {
        self.chain
            .lock()
            .map_err(|_| CareGuardError::internal("audit chain unusable after an earlier panic"))
    }
}

#[uniffi::export]
impl AuditChain {
    /// A new, empty log for the device of `keys`.
    #[uniffi::constructor]
    pub fn new(keys: &DeviceKeys) -> Arc<Self> {
        Arc::new(Self {
            chain: Mutex::new(core_audit::AuditChain::new(keys.keys.device_id())),
        })
    }

    /// A chain from its saved `state()` (64 bytes).
    #[uniffi::constructor]
    pub fn restore(state: Vec<u8>) -> Result<Arc<Self>> {
        Ok(Arc::new(Self {
            chain: Mutex::new(core_audit::AuditChain::from_bytes(&state)?),
        }))
    }

    /// Seals `records` (1 to 4096) into the next segment signed by `keys`: append the
    /// bytes to the log file (the log is its segments concatenated), then persist
    /// `state()`. `scanner` minimises override reasons (needed only if a record has one).
    /// On error the chain is unchanged.
    pub fn seal(
        &self,
        records: Vec<AuditRecord>,
        keys: &DeviceKeys,
        scanner: Option<Arc<Scanner>>,
    ) -> Result<Vec<u8>> {
        let records = records
            .iter()
            .map(|r| r.to_core(scanner.as_deref()))
            .collect::<Result<Vec<_>>>()?;
        Ok(self.lock()?.seal_segment(&records, &keys.keys)?)
    }

    /// The state to persist (64 bytes).
    pub fn state(&self) -> Result<Vec<u8>> {
        Ok(self.lock()?.to_bytes().to_vec())
    }

    /// The head to report to the Trust (40 bytes), `expected_head` when verifying.
    pub fn head(&self) -> Result<Vec<u8>> {
        Ok(self.lock()?.head().to_bytes().to_vec())
    }
}

/// The Ed25519 public key (32 bytes) that verifies the logs `keys` sign.
#[uniffi::export]
pub fn audit_device_public_key(keys: &DeviceKeys) -> Vec<u8> {
    keys.keys.public_keys().ed25519.to_vec()
}

/// A verified audit log.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditLog {
    /// The device id (16 bytes).
    pub device_id: Vec<u8>,
    /// How many segments.
    pub segments: u64,
    /// Where the log ends (40 bytes).
    pub head: Vec<u8>,
    /// The records, in order.
    pub records: Vec<AuditRecord>,
}

/// Totals of a verified audit log.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditSummary {
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
    /// Records per action (`sent`, `sent_minimised`, `cancelled`, `overridden`).
    pub actions: HashMap<String, u64>,
    /// Records per conversation class (`clinical`, `social`, `broadcast`).
    pub conversations: HashMap<String, u64>,
    /// Identifiers found per kind.
    pub kinds: HashMap<String, u64>,
    /// Earliest record time (Unix seconds).
    pub first_time: Option<u64>,
    /// Latest record time (Unix seconds).
    pub last_time: Option<u64>,
}

fn verified(
    log: &[u8],
    device_public_key: Vec<u8>,
    expected_head: Option<Vec<u8>>,
) -> Result<core_audit::VerifiedLog> {
    let key = key_arg(device_public_key, "device_public_key")?;
    let head = expected_head
        .map(|h| {
            <[u8; CHAIN_HEAD_LEN]>::try_from(h.as_slice())
                .map(|h| ChainHead::from_bytes(&h))
                .map_err(|_| {
                    CareGuardError::invalid_length(format!(
                        "`expected_head` must be {CHAIN_HEAD_LEN} bytes, got {}",
                        h.len()
                    ))
                })
        })
        .transpose()?;
    Ok(core_audit::verify_log(
        log,
        key.expose_secret(),
        head.as_ref(),
    )?)
}

/// Verifies an audit log (its segments concatenated) under the device's Ed25519 public
/// key (32 bytes): each segment's signature, order and hash chain, and, if `expected_head`
/// (40 bytes, what the device reported) is given, that the log ends there. Errors:
/// `BadSignature` (edited), `Tampered` (segments removed or reordered), `Truncated` (cut
/// short), `WrongDevice`, `Malformed`, `UnsupportedVersion`, `InvalidLength`.
#[uniffi::export]
pub fn audit_log_verify(
    log: Vec<u8>,
    device_public_key: Vec<u8>,
    expected_head: Option<Vec<u8>>,
) -> Result<AuditLog> {
    let v = verified(&log, device_public_key, expected_head)?;
    Ok(AuditLog {
        device_id: v.device_id().as_bytes().to_vec(),
        segments: v.segments(),
        head: v.head().to_bytes().to_vec(),
        records: v
            .records()
            .iter()
            .map(AuditRecord::from_core)
            .collect::<Result<_>>()?,
    })
}

/// Verifies an audit log as `audit_log_verify` does and totals its records.
#[uniffi::export]
pub fn audit_log_summarise(
    log: Vec<u8>,
    device_public_key: Vec<u8>,
    expected_head: Option<Vec<u8>>,
) -> Result<AuditSummary> {
    let v = verified(&log, device_public_key, expected_head)?;
    let s = core_audit::summarise(v.records());
    let map = |m: &std::collections::BTreeMap<&'static str, u64>| {
        m.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
    };
    Ok(AuditSummary {
        records: s.records,
        allowed: s.allowed,
        warned: s.warned,
        blocked: s.blocked,
        emergency: s.emergency,
        segments: v.segments(),
        actions: map(&s.actions),
        conversations: map(&s.conversations),
        kinds: map(&s.kinds),
        first_time: s.span.map(|(a, _)| a),
        last_time: s.span.map(|(_, b)| b),
    })
}

#[cfg(test)]
mod tests {
    use careguard::DecodeError;
    use careguard_ffi::CgStatus;

    use super::*;

    #[test]
    fn audit_errors_map_to_the_c_abi_codes() {
        let cases: Vec<(CareGuardError, CgStatus)> = vec![
            (
                AuditError::Decode {
                    segment: 0,
                    error: DecodeError::Truncated {
                        what: "x",
                        needed: 2,
                        got: 1,
                    },
                }
                .into(),
                CgStatus::Truncated,
            ),
            (
                AuditError::HeadMismatch {
                    expected: 2,
                    found: 1,
                }
                .into(),
                CgStatus::Truncated,
            ),
            (AuditError::BadState.into(), CgStatus::Malformed),
            (
                AuditError::Decode {
                    segment: 0,
                    error: DecodeError::UnsupportedVersion {
                        what: "x",
                        version: 9,
                    },
                }
                .into(),
                CgStatus::UnsupportedVersion,
            ),
            (
                AuditError::BadSignature { segment: 0 }.into(),
                CgStatus::BadSignature,
            ),
            (
                AuditError::WrongDevice { segment: 1 }.into(),
                CgStatus::WrongDevice,
            ),
            (
                AuditError::ChainBroken { segment: 1 }.into(),
                CgStatus::Tampered,
            ),
            (AuditError::InvalidKey.into(), CgStatus::InvalidArgument),
            (AuditError::KeysUnusable.into(), CgStatus::KeyRevoked),
        ];
        for (err, status) in cases {
            assert_eq!(err.code(), status as i32, "{err}");
        }
    }
}
