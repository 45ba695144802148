//! Signed Trust policy packs (`TrustPack`) and emergency orders (`EmergencyOrder`).

use careguard::retention::RetentionPolicy;
use careguard::sending::NotificationDetail;
use careguard::trust::{self, TrustError, VerifiedPack};
use pyo3::prelude::*;

use crate::audit::conversation;
use crate::detect::Scanner;
use crate::errors;
use crate::sending::org_key;

/// A Trust error as the Python exception of its code.
fn trust_error(err: &TrustError) -> PyErr {
    errors::error(err.code().number(), err.to_string())
}

/// A retention policy as a dict: `after_send`, `after_read` (seconds or None) and
/// `transcription_hold_max` (seconds).
type Retention = (Option<u64>, Option<u64>, u64);

fn retention(r: RetentionPolicy) -> Retention {
    (
        r.get_after_send(),
        r.get_after_read(),
        r.get_transcription_hold_max(),
    )
}

/// A Trust policy pack whose signature, validity and version were checked by
/// `TrustPack.verify`: the Trust's approved platforms, retention per conversation class,
/// hospital-number patterns, allow-list, emergency rules, group and notification rules,
/// and expiry.
#[pyclass(frozen, module = "careguard")]
pub(crate) struct TrustPack {
    inner: VerifiedPack,
}

#[pymethods]
impl TrustPack {
    /// Verifies `pack` under the organisation's Ed25519 public keys (32 bytes each) at
    /// `now`, refusing a version below `accepted_version` (the last one this device
    /// accepted: persist `version` once adopted). Raises `ReplayedError` (rollback),
    /// `BadSignatureError`, `ExpiredError`, `NotYetValidError`, `TruncatedError`,
    /// `MalformedError`, `InvalidPatternError`, ...
    #[staticmethod]
    #[pyo3(signature = (pack, org_public_keys, *, now, accepted_version = None))]
    fn verify(
        pack: &[u8],
        org_public_keys: Vec<Vec<u8>>,
        now: u64,
        accepted_version: Option<u64>,
    ) -> PyResult<Self> {
        let orgs = org_public_keys
            .iter()
            .map(|k| org_key(k))
            .collect::<PyResult<Vec<_>>>()?;
        trust::verify_pack(pack, &orgs, now, accepted_version)
            .map(|inner| Self { inner })
            .map_err(|e| trust_error(&e))
    }

    /// The pack's version.
    #[getter]
    fn version(&self) -> u64 {
        self.inner.version()
    }

    /// Issued (Unix seconds).
    #[getter]
    fn issued_at(&self) -> u64 {
        self.inner.pack().issued_at
    }

    /// Valid until (Unix seconds, exclusive).
    #[getter]
    fn expires_at(&self) -> u64 {
        self.inner.pack().expires_at
    }

    /// Approved messaging platforms.
    #[getter]
    fn approved_platforms(&self) -> Vec<String> {
        self.inner.pack().approved_platforms.clone()
    }

    /// The Trust's hospital-number patterns (regular expressions).
    #[getter]
    fn hospital_number_patterns(&self) -> Vec<String> {
        self.inner.pack().hospital_number_patterns.clone()
    }

    /// Phrases the scanner never reports.
    #[getter]
    fn allow_list(&self) -> Vec<String> {
        self.inner.pack().allow_list.clone()
    }

    /// Whether emergency (network-outage) mode may be ordered at all.
    #[getter]
    fn emergency_allowed(&self) -> bool {
        self.inner.pack().emergency_allowed
    }

    /// The longest emergency order accepted (seconds).
    #[getter]
    fn emergency_max_secs(&self) -> u64 {
        self.inner.pack().emergency_max_secs
    }

    /// Group review interval (seconds), for `review_group`.
    #[getter]
    fn group_review_interval_secs(&self) -> u64 {
        self.inner.group_rules().review_interval_secs
    }

    /// The most members a group may have, for `review_group`.
    #[getter]
    fn group_max_members(&self) -> usize {
        self.inner.group_rules().max_members
    }

    /// Lock-screen detail: `generic`, `conversation` or `conversation_and_sender`.
    #[getter]
    fn notification_detail(&self) -> &'static str {
        match self.inner.pack().notification_detail {
            NotificationDetail::Generic => "generic",
            NotificationDetail::Conversation => "conversation",
            _ => "conversation_and_sender",
        }
    }

    /// The retention for `conversation` (`clinical`, `social`, `broadcast`) as
    /// `(after_send, after_read, transcription_hold_max)` in seconds (None: not set).
    fn retention(&self, conversation: &str) -> PyResult<Retention> {
        Ok(retention(
            self.inner.retention(self::conversation(conversation)?),
        ))
    }

    /// Whether `platform` is approved (case-insensitive, surrounding spaces ignored).
    fn platform_approved(&self, platform: &str) -> bool {
        self.inner.platform_approved(platform)
    }

    /// A scanner with the pack's patterns and allow-list.
    fn scanner(&self) -> Scanner {
        Scanner::from_core(self.inner.scanner().clone())
    }

    /// Verifies an emergency order signed by one of `org_public_keys` against this pack at
    /// `now` (the pack must allow it, and this long; it must not have ended). Raises
    /// `BadSignatureError`, `ExpiredError` (ended), `InvalidArgumentError` (not allowed by
    /// the pack), `TruncatedError`, `MalformedError`, ...
    #[pyo3(signature = (order, org_public_keys, *, now))]
    fn verify_emergency(
        &self,
        order: &[u8],
        org_public_keys: Vec<Vec<u8>>,
        now: u64,
    ) -> PyResult<EmergencyOrder> {
        let orgs = org_public_keys
            .iter()
            .map(|k| org_key(k))
            .collect::<PyResult<Vec<_>>>()?;
        let verified =
            trust::verify_emergency(order, &orgs, &self.inner, now).map_err(|e| trust_error(&e))?;
        let o = verified.order();
        Ok(EmergencyOrder {
            id: o.id,
            starts_at: o.starts_at,
            ends_at: o.ends_at,
            pack_version: verified.pack_version(),
            inner: verified,
        })
    }

    fn __repr__(&self) -> String {
        format!("TrustPack(version={})", self.inner.version())
    }
}

/// A verified emergency (network-outage) order.
#[pyclass(frozen, module = "careguard")]
pub(crate) struct EmergencyOrder {
    /// The order's id.
    #[pyo3(get)]
    id: u64,
    /// In force from (Unix seconds).
    #[pyo3(get)]
    starts_at: u64,
    /// In force until (Unix seconds, exclusive).
    #[pyo3(get)]
    ends_at: u64,
    /// The pack version it was verified against.
    #[pyo3(get)]
    pack_version: u64,
    inner: trust::VerifiedEmergency,
}

#[pymethods]
impl EmergencyOrder {
    /// Whether it is in force at `now`.
    fn in_force(&self, now: u64) -> bool {
        self.inner.in_force(now)
    }

    fn __repr__(&self) -> String {
        format!(
            "EmergencyOrder(id={}, {}..{})",
            self.id, self.starts_at, self.ends_at
        )
    }
}
