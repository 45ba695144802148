//! Signed Trust policy packs and emergency orders (`careguard::trust`).

use std::sync::Arc;

use careguard::trust::{self as core_trust, TrustError, VerifiedPack};

use crate::detect::{Conversation, Scanner};
use crate::error::{CareGuardError, Result};
use crate::identity::org_keys;
use crate::retention::RetentionPolicy;
use crate::sending::{GroupRules, NotificationDetail, detail};

impl From<TrustError> for CareGuardError {
    fn from(err: TrustError) -> Self {
        Self::coded(err.code(), err.to_string())
    }
}

/// A verified pack's settings.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrustPackInfo {
    /// The pack's version: persist it as the accepted version once adopted.
    pub version: u64,
    /// Issued (Unix seconds).
    pub issued_at: u64,
    /// Valid until (Unix seconds, exclusive): fetch a newer pack before then.
    pub expires_at: u64,
    /// Approved messaging platforms.
    pub approved_platforms: Vec<String>,
    /// The Trust's hospital-number patterns (regular expressions).
    pub hospital_number_patterns: Vec<String>,
    /// Phrases the scanner never reports.
    pub allow_list: Vec<String>,
    /// Whether emergency (network-outage) mode may be ordered at all.
    pub emergency_allowed: bool,
    /// The longest emergency order accepted (seconds).
    pub emergency_max_secs: u64,
    /// Group rules for `review_group`.
    pub group_rules: GroupRules,
    /// How much lock-screen notifications may say.
    pub notification_detail: NotificationDetail,
}

/// A verified emergency (network-outage) order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct EmergencyOrder {
    /// The order's id.
    pub id: u64,
    /// In force from (Unix seconds).
    pub starts_at: u64,
    /// In force until (Unix seconds, exclusive).
    pub ends_at: u64,
    /// The pack version it was verified against.
    pub pack_version: u64,
    /// Whether it is in force at the `now` it was verified at.
    pub in_force: bool,
}

/// A Trust policy pack whose signature, validity and version were checked.
///
/// Thread safety: immutable; share it between threads.
#[derive(uniffi::Object)]
pub struct TrustPack {
    pack: VerifiedPack,
}

#[uniffi::export]
impl TrustPack {
    /// Verifies `pack` under the organisation's Ed25519 public keys (32 bytes each) at
    /// `now`, refusing a version below `accepted_version` (the last one this device
    /// accepted). Errors: `Replayed` (rollback), `BadSignature`, `Expired`, `NotYetValid`,
    /// `Truncated`, `Malformed`, `UnsupportedVersion`, `InvalidPattern`, `InvalidLength`.
    #[uniffi::constructor]
    pub fn verify(
        pack: Vec<u8>,
        org_public_keys: Vec<Vec<u8>>,
        now: u64,
        accepted_version: Option<u64>,
    ) -> Result<Arc<Self>> {
        let orgs = org_keys(&org_public_keys)?;
        Ok(Arc::new(Self {
            pack: core_trust::verify_pack(&pack, &orgs, now, accepted_version)?,
        }))
    }

    /// The pack's settings.
    pub fn info(&self) -> Result<TrustPackInfo> {
        let p = self.pack.pack();
        Ok(TrustPackInfo {
            version: p.version,
            issued_at: p.issued_at,
            expires_at: p.expires_at,
            approved_platforms: p.approved_platforms.clone(),
            hospital_number_patterns: p.hospital_number_patterns.clone(),
            allow_list: p.allow_list.clone(),
            emergency_allowed: p.emergency_allowed,
            emergency_max_secs: p.emergency_max_secs,
            group_rules: p.group_rules.into(),
            notification_detail: detail(p.notification_detail)?,
        })
    }

    /// The retention policy the pack sets for `conversation` (nothing set if none).
    pub fn retention(&self, conversation: Conversation) -> RetentionPolicy {
        (&self.pack.retention(conversation.into())).into()
    }

    /// Whether `platform` is approved (case-insensitive, surrounding spaces ignored).
    pub fn platform_approved(&self, platform: &str) -> bool {
        self.pack.platform_approved(platform)
    }

    /// A scanner with the pack's patterns and allow-list.
    pub fn scanner(&self) -> Arc<Scanner> {
        Arc::new(Scanner {
            scanner: self.pack.scanner().clone(),
        })
    }

    /// Verifies an emergency order signed by one of `org_public_keys` against this pack at
    /// `now` (the pack must allow it, and this long; it must not have ended). Errors:
    /// `BadSignature`, `Expired` (ended), `InvalidArgument` (not allowed by the pack),
    /// `Truncated`, `Malformed`, `UnsupportedVersion`, `InvalidLength`.
    pub fn verify_emergency(
        &self,
        order: Vec<u8>,
        org_public_keys: Vec<Vec<u8>>,
        now: u64,
    ) -> Result<EmergencyOrder> {
        let orgs = org_keys(&org_public_keys)?;
        let v = core_trust::verify_emergency(&order, &orgs, &self.pack, now)?;
        let o = v.order();
        Ok(EmergencyOrder {
            id: o.id,
            starts_at: o.starts_at,
            ends_at: o.ends_at,
            pack_version: v.pack_version(),
            in_force: v.in_force(now),
        })
    }
}

#[cfg(test)]
mod tests {
    use careguard::DecodeError;
    use careguard_ffi::CgStatus;

    use super::*;

    #[test]
    fn trust_errors_map_to_the_c_abi_codes() {
        let cases: Vec<(CareGuardError, CgStatus)> = vec![
            (
                TrustError::Decode(DecodeError::Truncated {
                    what: "x",
                    needed: 2,
                    got: 1,
                })
                .into(),
                CgStatus::Truncated,
            ),
            (
                TrustError::Decode(DecodeError::TrailingBytes {
                    what: "x",
                    expected: 1,
                    got: 2,
                })
                .into(),
                CgStatus::Malformed,
            ),
            (
                TrustError::BadSignature { what: "x" }.into(),
                CgStatus::BadSignature,
            ),
            (
                TrustError::Rollback {
                    version: 3,
                    accepted: 4,
                }
                .into(),
                CgStatus::Replayed,
            ),
            (
                TrustError::Expired {
                    what: "x",
                    expires_at: 1,
                    now: 2,
                }
                .into(),
                CgStatus::Expired,
            ),
            (
                TrustError::EmergencyNotAllowed("x").into(),
                CgStatus::InvalidArgument,
            ),
            (
                TrustError::Pattern("(".into()).into(),
                CgStatus::InvalidPattern,
            ),
        ];
        for (err, status) in cases {
            assert_eq!(err.code(), status as i32, "{err}");
        }
    }
}
