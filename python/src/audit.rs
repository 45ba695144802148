//! Content-free audit logs: device keys to sign them, writing (`AuditChain`),
//! verification (`verify_audit_log`) and totals (`summarise_audit`).

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use careguard::audit::{self, Action, AuditError, CHAIN_HEAD_LEN, ChainHead, Summary};
use careguard::identity::DeviceKeys as CoreDeviceKeys;
use careguard::policy::{Conversation, Verdict};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::detect::{Scanner, parse_kind};
use crate::errors::{self, INTERNAL, INVALID_ARGUMENT, INVALID_LENGTH};
use crate::sending::identity_error;
use crate::vault::Vault;

/// An audit error as the Python exception of its code.
fn audit_error(err: &AuditError) -> PyErr {
    errors::error(err.code().number(), err.to_string())
}

pub(crate) fn conversation(name: &str) -> PyResult<Conversation> {
    Ok(match name {
        "clinical" => Conversation::Clinical,
        "social" => Conversation::Social,
        "broadcast" => Conversation::Broadcast,
        other => {
            return Err(errors::error(
                INVALID_ARGUMENT,
                format!("conversation must be clinical, social or broadcast, not {other:?}"),
            ));
        }
    })
}

fn conversation_name(c: Conversation) -> &'static str {
    match c {
        Conversation::Clinical => "clinical",
        Conversation::Social => "social",
        _ => "broadcast",
    }
}

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Allow => "allow",
        Verdict::Warn => "warn",
        _ => "block",
    }
}

/// This device's signing keys (Ed25519 for audit logs and cards, X25519 for end-to-end
/// envelopes). Keep them wrapped in the PIN vault (`wrap_in_vault`), so a wipe destroys
/// them.
#[pyclass(frozen, module = "careguard")]
pub(crate) struct DeviceKeys {
    inner: CoreDeviceKeys,
}

#[pymethods]
impl DeviceKeys {
    /// Fresh keys with a new random device id.
    #[staticmethod]
    fn generate() -> Self {
        Self {
            inner: CoreDeviceKeys::generate(&mut rand_core::UnwrapErr(getrandom::SysRng)),
        }
    }

    /// Keys stored by `wrap_in_vault`; they stop signing once `vault` locks.
    #[staticmethod]
    fn unwrap_from_vault(vault: PyRef<'_, Vault>, wrapped: &[u8]) -> PyResult<Self> {
        vault.with_unlocked(|u| {
            CoreDeviceKeys::unwrap_from_vault(u, wrapped)
                .map(|inner| Self { inner })
                .map_err(|e| identity_error(&e))
        })
    }

    /// The keys wrapped under the unlocked vault's master key: store these bytes.
    fn wrap_in_vault<'py>(
        &self,
        py: Python<'py>,
        vault: PyRef<'_, Vault>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let wrapped = vault.with_unlocked(|u| {
            self.inner
                .wrap_in_vault(u, &mut rand_core::UnwrapErr(getrandom::SysRng))
                .map_err(|e| identity_error(&e))
        })?;
        Ok(PyBytes::new(py, &wrapped))
    }

    /// The device id (16 bytes).
    #[getter]
    fn device_id<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.device_id().as_bytes())
    }

    /// The Ed25519 public key (32 bytes) that verifies this device's audit logs.
    #[getter]
    fn audit_public_key<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.public_keys().ed25519)
    }

    fn __repr__(&self) -> String {
        "DeviceKeys(..)".to_string()
    }
}

/// One decision, without content: time, conversation class (`clinical`, `social`,
/// `broadcast`), verdict (`allow`, `warn`, `block`), action (`sent`, `sent_minimised`,
/// `cancelled`, `overridden`), emergency mode, and how many identifiers of each kind
/// (`kinds`, by kind name). An `overridden` record keeps `reason` minimised by `scanner`
/// (required with a reason) and cut to 80 bytes; other actions keep none.
#[pyclass(frozen, module = "careguard")]
pub(crate) struct AuditRecord {
    inner: audit::AuditRecord,
}

#[pymethods]
impl AuditRecord {
    /// A record.
    #[new]
    #[pyo3(signature = (time, conversation, verdict, action, *, emergency = false, kinds = BTreeMap::new(), reason = None, scanner = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        time: u64,
        conversation: &str,
        verdict: &str,
        action: &str,
        emergency: bool,
        kinds: BTreeMap<String, u32>,
        reason: Option<&str>,
        scanner: Option<PyRef<'_, Scanner>>,
    ) -> PyResult<Self> {
        let verdict = match verdict {
            "allow" => Verdict::Allow,
            "warn" => Verdict::Warn,
            "block" => Verdict::Block,
            other => {
                return Err(errors::error(
                    INVALID_ARGUMENT,
                    format!("verdict must be allow, warn or block, not {other:?}"),
                ));
            }
        };
        let action = match action {
            "sent" => Action::Sent,
            "sent_minimised" => Action::SentMinimised,
            "cancelled" => Action::Cancelled,
            "overridden" => Action::Overridden,
            other => {
                return Err(errors::error(
                    INVALID_ARGUMENT,
                    format!(
                        "action must be sent, sent_minimised, cancelled or overridden, not {other:?}"
                    ),
                ));
            }
        };
        let mut record =
            audit::AuditRecord::new(time, self::conversation(conversation)?, verdict, action)
                .with_emergency(emergency);
        for (kind, count) in &kinds {
            record = record.with_kind(parse_kind(kind)?, *count);
        }
        if let Some(reason) = reason.filter(|r| !r.is_empty()) {
            let scanner = scanner.ok_or_else(|| {
                errors::error(
                    INVALID_ARGUMENT,
                    "a reason is minimised before it is stored: pass scanner=",
                )
            })?;
            record = record.with_override_reason(reason, scanner.core());
        }
        Ok(Self { inner: record })
    }

    /// When (Unix seconds).
    #[getter]
    fn time(&self) -> u64 {
        self.inner.time()
    }

    /// `clinical`, `social` or `broadcast`.
    #[getter]
    fn conversation(&self) -> &'static str {
        conversation_name(self.inner.conversation())
    }

    /// `allow`, `warn` or `block`.
    #[getter]
    fn verdict(&self) -> &'static str {
        verdict_name(self.inner.verdict())
    }

    /// `sent`, `sent_minimised`, `cancelled` or `overridden`.
    #[getter]
    fn action(&self) -> &'static str {
        self.inner.action().as_str()
    }

    /// Whether emergency mode was on.
    #[getter]
    fn emergency(&self) -> bool {
        self.inner.emergency()
    }

    /// Identifiers found, by kind name.
    #[getter]
    fn kinds(&self) -> BTreeMap<&'static str, u8> {
        self.inner
            .kinds()
            .into_iter()
            .map(|(k, n)| (k.as_str(), n))
            .collect()
    }

    /// The minimised override reason (empty unless overridden).
    #[getter]
    fn reason(&self) -> &str {
        self.inner.reason()
    }

    fn __repr__(&self) -> String {
        format!(
            "AuditRecord({}, {:?}, {:?}, {:?})",
            self.inner.time(),
            self.conversation(),
            self.verdict(),
            self.action()
        )
    }
}

/// A device's audit-log writer. Persist `state()` after each sealed segment is stored and
/// report `head()` to the Trust.
#[pyclass(frozen, module = "careguard")]
pub(crate) struct AuditChain {
    inner: Mutex<audit::AuditChain>,
}

impl AuditChain {
    fn lock(&self) -> PyResult<MutexGuard<'_, audit::AuditChain>> {
        self.inner
            .lock()
            .map_err(|_| errors::error(INTERNAL, "audit chain unusable after an earlier panic"))
    }
}

#[pymethods]
impl AuditChain {
    /// A new, empty log for the device of `keys`.
    #[new]
    fn new(keys: PyRef<'_, DeviceKeys>) -> Self {
        Self {
            inner: Mutex::new(audit::AuditChain::new(keys.inner.device_id())),
        }
    }

    /// A chain from its saved `state()` (64 bytes).
    #[staticmethod]
    fn restore(state: &[u8]) -> PyResult<Self> {
        Ok(Self {
            inner: Mutex::new(audit::AuditChain::from_bytes(state).map_err(|e| audit_error(&e))?),
        })
    }

    /// Seals `records` (1 to 4096) into the next segment signed by `keys`; append the
    /// returned bytes to the log file (the log is its segments concatenated), then
    /// persist `state()`. On error the chain is unchanged.
    fn seal<'py>(
        &self,
        py: Python<'py>,
        records: Vec<PyRef<'_, AuditRecord>>,
        keys: PyRef<'_, DeviceKeys>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let records: Vec<_> = records.iter().map(|r| r.inner.clone()).collect();
        let segment = self
            .lock()?
            .seal_segment(&records, &keys.inner)
            .map_err(|e| audit_error(&e))?;
        Ok(PyBytes::new(py, &segment))
    }

    /// The state to persist (64 bytes).
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.lock()?.to_bytes()))
    }

    /// The head to report to the Trust (40 bytes): `verify_audit_log`'s `expected_head`.
    fn head<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.lock()?.head().to_bytes()))
    }
}

/// A verified audit log: its records, device, segment count and head.
#[pyclass(frozen, module = "careguard")]
pub(crate) struct AuditLog {
    /// The records, in order.
    #[pyo3(get)]
    records: Vec<Py<AuditRecord>>,
    /// The device id (16 bytes).
    #[pyo3(get)]
    device_id: Py<PyBytes>,
    /// How many segments.
    #[pyo3(get)]
    segments: u64,
    /// Where the log ends (40 bytes).
    #[pyo3(get)]
    head: Py<PyBytes>,
}

#[pymethods]
impl AuditLog {
    fn __repr__(&self) -> String {
        format!(
            "AuditLog({} records, {} segments)",
            self.records.len(),
            self.segments
        )
    }
}

/// Verifies an audit log (its segments concatenated) under the device's Ed25519 public
/// key (32 bytes): every segment's signature, order and hash chain, and, if
/// `expected_head` (40 bytes, what the device reported) is given, that the log ends
/// there. Raises `BadSignatureError` (edited), `TamperedError` (segments removed or
/// reordered), `TruncatedError` (cut short), `WrongDeviceError`, `MalformedError`, ...
#[pyfunction]
#[pyo3(signature = (log, device_public_key, expected_head = None))]
pub(crate) fn verify_audit_log(
    py: Python<'_>,
    log: &[u8],
    device_public_key: &[u8],
    expected_head: Option<&[u8]>,
) -> PyResult<AuditLog> {
    let key: [u8; 32] = device_public_key.try_into().map_err(|_| {
        errors::error(
            INVALID_LENGTH,
            format!(
                "device_public_key is 32 bytes, got {}",
                device_public_key.len()
            ),
        )
    })?;
    let head = expected_head
        .map(|h| {
            <[u8; CHAIN_HEAD_LEN]>::try_from(h)
                .map(|h| ChainHead::from_bytes(&h))
                .map_err(|_| {
                    errors::error(
                        INVALID_LENGTH,
                        format!("expected_head is {CHAIN_HEAD_LEN} bytes, got {}", h.len()),
                    )
                })
        })
        .transpose()?;
    let verified = audit::verify_log(log, &key, head.as_ref()).map_err(|e| audit_error(&e))?;
    Ok(AuditLog {
        records: verified
            .records()
            .iter()
            .map(|r| Py::new(py, AuditRecord { inner: r.clone() }))
            .collect::<PyResult<_>>()?,
        device_id: PyBytes::new(py, verified.device_id().as_bytes()).unbind(),
        segments: verified.segments(),
        head: PyBytes::new(py, &verified.head().to_bytes()).unbind(),
    })
}

/// Totals over records (from one or many verified logs).
#[pyclass(frozen, module = "careguard")]
pub(crate) struct AuditSummary {
    /// Records.
    #[pyo3(get)]
    records: u64,
    /// Allowed.
    #[pyo3(get)]
    allowed: u64,
    /// Warned.
    #[pyo3(get)]
    warned: u64,
    /// Blocked.
    #[pyo3(get)]
    blocked: u64,
    /// Made in emergency mode.
    #[pyo3(get)]
    emergency: u64,
    /// Records per action.
    #[pyo3(get)]
    actions: BTreeMap<&'static str, u64>,
    /// Records per conversation class.
    #[pyo3(get)]
    conversations: BTreeMap<&'static str, u64>,
    /// Identifiers found per kind.
    #[pyo3(get)]
    kinds: BTreeMap<&'static str, u64>,
    /// Earliest and latest record time, or None.
    #[pyo3(get)]
    span: Option<(u64, u64)>,
}

#[pymethods]
impl AuditSummary {
    fn __repr__(&self) -> String {
        format!(
            "AuditSummary(records={}, allowed={}, warned={}, blocked={})",
            self.records, self.allowed, self.warned, self.blocked
        )
    }
}

/// Totals over `records` (e.g. `log.records` of every verified log).
#[pyfunction]
pub(crate) fn summarise_audit(records: Vec<PyRef<'_, AuditRecord>>) -> AuditSummary {
    let s: Summary = audit::summarise(records.iter().map(|r| &r.inner));
    AuditSummary {
        records: s.records,
        allowed: s.allowed,
        warned: s.warned,
        blocked: s.blocked,
        emergency: s.emergency,
        actions: s.actions,
        conversations: s.conversations,
        kinds: s.kinds,
        span: s.span,
    }
}
