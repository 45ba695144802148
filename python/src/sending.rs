//! Safe sending: the right recipient (`AddressBook`) and group hygiene (`review_group`).

use careguard::identity::{
    DeviceCard, IdentityError, OrganisationPublicKey, RevocationList, TrustPolicy, Verification,
};
use careguard::sending::{
    self, Confusion, Group, GroupMember, GroupPurpose, GroupRules, MessageClass, RecipientKind,
};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::errors::{self, INVALID_ARGUMENT, INVALID_LENGTH};

/// The C ABI's code for an identity error.
pub(crate) fn identity_code(err: &IdentityError) -> i32 {
    err.code().number()
}

pub(crate) fn identity_error(err: &IdentityError) -> PyErr {
    errors::error(identity_code(err), err.to_string())
}

/// An organisation's Ed25519 public key (32 bytes).
pub(crate) fn org_key(bytes: &[u8]) -> PyResult<OrganisationPublicKey> {
    let key: [u8; 32] = bytes.try_into().map_err(|_| {
        errors::error(
            INVALID_LENGTH,
            format!("an organisation key is 32 bytes, got {}", bytes.len()),
        )
    })?;
    OrganisationPublicKey::from_bytes(&key)
        .map_err(|e| errors::error(INVALID_ARGUMENT, e.to_string()))
}

fn purpose(name: &str) -> PyResult<GroupPurpose> {
    Ok(match name {
        "clinical" => GroupPurpose::Clinical,
        "operational" => GroupPurpose::Operational,
        "social" => GroupPurpose::Social,
        other => {
            return Err(errors::error(
                INVALID_ARGUMENT,
                format!("purpose must be clinical, operational or social, not {other:?}"),
            ));
        }
    })
}

fn verification(name: &str) -> PyResult<Verification> {
    Ok(match name {
        "unverified" => Verification::Unverified,
        "attested_by_organisation" => Verification::AttestedByOrganisation,
        "verified_in_person" => Verification::VerifiedInPerson,
        other => {
            return Err(errors::error(
                INVALID_ARGUMENT,
                format!(
                    "verification must be unverified, attested_by_organisation or verified_in_person, not {other:?}"
                ),
            ));
        }
    })
}

/// A contact or group in the user's address book (or the chosen recipient). For a
/// contact, `attested` and `verification` (`unverified`, `attested_by_organisation`,
/// `verified_in_person`) are
/// read; for a group (`kind="group"`), `purpose` (`clinical`, `operational`, `social`)
/// and `members_outside_trust`.
#[pyclass(frozen, module = "careguard")]
pub(crate) struct RecipientEntry {
    inner: sending::RecipientEntry,
}

#[pymethods]
impl RecipientEntry {
    /// An entry; `kind` is `contact` or `group`.
    #[new]
    #[pyo3(signature = (
        id, display_name, *, kind = "contact", attested = false, verification = "unverified",
        purpose = "clinical", members_outside_trust = 0, identifiers_sent_before = false,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        id: String,
        display_name: String,
        kind: &str,
        attested: bool,
        verification: &str,
        purpose: &str,
        members_outside_trust: usize,
        identifiers_sent_before: bool,
    ) -> PyResult<Self> {
        let kind = match kind {
            "contact" => RecipientKind::Contact {
                attested,
                verification: self::verification(verification)?,
            },
            "group" => RecipientKind::Group {
                purpose: self::purpose(purpose)?,
                members_outside_trust,
            },
            other => {
                return Err(errors::error(
                    INVALID_ARGUMENT,
                    format!("kind must be contact or group, not {other:?}"),
                ));
            }
        };
        Ok(Self {
            inner: sending::RecipientEntry {
                id,
                display_name,
                kind,
                identifiers_sent_before,
            },
        })
    }

    /// The app's stable id.
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    /// The name the user sees.
    #[getter]
    fn display_name(&self) -> &str {
        &self.inner.display_name
    }

    fn __repr__(&self) -> String {
        format!(
            "RecipientEntry({:?}, {:?})",
            self.inner.id, self.inner.display_name
        )
    }
}

/// A reason to check the recipient before sending.
#[pyclass(frozen, module = "careguard")]
pub(crate) struct RecipientWarning {
    /// `confusable_name`, `first_identifiers_to_contact`, `outside_trust` or
    /// `clinical_to_social_group`.
    #[pyo3(get)]
    code: &'static str,
    /// The guidance sentence it serves.
    #[pyo3(get)]
    guidance: &'static str,
    /// A sentence for the user (naming the confusable alternative, if any).
    #[pyo3(get)]
    message: String,
    /// `confusable_name`: the other entry's id.
    #[pyo3(get)]
    alternative_id: Option<String>,
    /// `confusable_name`: the other entry's display name.
    #[pyo3(get)]
    alternative_name: Option<String>,
    /// `confusable_name`: `same_name`, `edit_distance`, `same_initial_and_surname` or
    /// `sound_alike_surname`.
    #[pyo3(get)]
    confusion: Option<&'static str>,
    /// `edit_distance`: the distance (1 or 2).
    #[pyo3(get)]
    distance: Option<u8>,
    /// `outside_trust`: recipients with no attested card.
    #[pyo3(get)]
    members: Option<usize>,
}

#[pymethods]
impl RecipientWarning {
    fn __repr__(&self) -> String {
        format!("RecipientWarning({:?})", self.code)
    }
}

impl RecipientWarning {
    fn from_core(w: &sending::RecipientWarning) -> Self {
        let mut out = Self {
            code: w.code(),
            guidance: w.guidance(),
            message: w.to_string(),
            alternative_id: None,
            alternative_name: None,
            confusion: None,
            distance: None,
            members: None,
        };
        match w {
            sending::RecipientWarning::ConfusableName {
                alternative_id,
                alternative_name,
                confusion,
            } => {
                out.alternative_id = Some(alternative_id.clone());
                out.alternative_name = Some(alternative_name.clone());
                out.confusion = Some(confusion.code());
                if let Confusion::EditDistance { distance } = confusion {
                    out.distance = Some(*distance);
                }
            }
            sending::RecipientWarning::OutsideTrust { members } => out.members = Some(*members),
            _ => {}
        }
        out
    }
}

/// The user's contacts and groups, indexed once for `check` on every send.
#[pyclass(frozen, module = "careguard")]
pub(crate) struct AddressBook {
    inner: sending::AddressBook,
}

#[pymethods]
impl AddressBook {
    /// Indexes `entries`.
    #[new]
    fn new(entries: Vec<PyRef<'_, RecipientEntry>>) -> Self {
        Self {
            inner: sending::AddressBook::new(entries.iter().map(|e| e.inner.clone()).collect()),
        }
    }

    /// Warnings before a message goes to `chosen`: confusable names (at most 5, each
    /// named), first identifiers to a contact, recipients outside the Trust, clinical to a
    /// social group. A message with neither `patient_identifiers` nor `clinical` content
    /// gets none.
    #[pyo3(signature = (chosen, *, patient_identifiers, clinical))]
    fn check(
        &self,
        chosen: PyRef<'_, RecipientEntry>,
        patient_identifiers: bool,
        clinical: bool,
    ) -> Vec<RecipientWarning> {
        self.inner
            .check(
                &chosen.inner,
                MessageClass::new(patient_identifiers, clinical),
            )
            .iter()
            .map(RecipientWarning::from_core)
            .collect()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// A group member: the bytes of the member's device card, when they joined, and whether
/// the administrator verified them in person.
#[pyclass(frozen, name = "GroupMember", module = "careguard")]
pub(crate) struct PyGroupMember {
    inner: GroupMember,
}

#[pymethods]
impl PyGroupMember {
    /// A member from `card` bytes; a card that does not parse raises (`MalformedError`,
    /// `TruncatedError`, ...).
    #[new]
    #[pyo3(signature = (card, joined_at, *, verified_in_person = false))]
    fn new(card: &[u8], joined_at: u64, verified_in_person: bool) -> PyResult<Self> {
        Ok(Self {
            inner: GroupMember {
                card: DeviceCard::parse(card).map_err(|e| identity_error(&e))?,
                joined_at,
                verified_in_person,
            },
        })
    }

    /// The member's staff id.
    #[getter]
    fn staff_id(&self) -> &str {
        self.inner.card.staff_id()
    }
}

/// Something a group administrator must act on.
#[pyclass(frozen, module = "careguard")]
pub(crate) struct GroupFinding {
    /// `member_revoked`, `member_card_expired`, `member_card_invalid`,
    /// `member_not_attested`, `member_unverified`, `member_joined_since_review`,
    /// `review_overdue`, `social_and_clinical_mixed` or `too_large`.
    #[pyo3(get)]
    code: &'static str,
    /// The member's staff id (`member_*` codes).
    #[pyo3(get)]
    staff_id: Option<String>,
    /// `member_revoked`: the revoked device id (16 bytes).
    #[pyo3(get)]
    device_id: Option<Py<PyBytes>>,
    /// `member_card_invalid`: the status name the card check gave (`bad_attestation`...).
    #[pyo3(get)]
    card_error: Option<String>,
    /// The card's expiry, the join time or when the review fell due (Unix seconds).
    #[pyo3(get)]
    at: Option<u64>,
    /// `social_and_clinical_mixed`: clinical messages; `too_large`: members.
    #[pyo3(get)]
    count: Option<u64>,
    /// `too_large`: the most members allowed.
    #[pyo3(get)]
    max: Option<u64>,
}

#[pymethods]
impl GroupFinding {
    fn __repr__(&self) -> String {
        format!(
            "GroupFinding({:?}, staff_id={:?})",
            self.code, self.staff_id
        )
    }
}

impl GroupFinding {
    fn from_core(py: Python<'_>, f: &sending::GroupFinding) -> PyResult<Self> {
        use sending::GroupFinding as F;
        let mut out = Self {
            code: f.code(),
            staff_id: None,
            device_id: None,
            card_error: None,
            at: None,
            count: None,
            max: None,
        };
        match f {
            F::MemberRevoked {
                staff_id,
                device_id,
            } => {
                out.staff_id = Some(staff_id.clone());
                out.device_id = Some(PyBytes::new(py, device_id.as_bytes()).unbind());
            }
            F::MemberCardExpired {
                staff_id,
                expires_at,
            } => {
                out.staff_id = Some(staff_id.clone());
                out.at = Some(*expires_at);
            }
            F::MemberCardInvalid { staff_id, error } => {
                out.staff_id = Some(staff_id.clone());
                out.card_error = Some(error.code().as_str().to_owned());
            }
            F::MemberNotAttested { staff_id } | F::MemberUnverified { staff_id } => {
                out.staff_id = Some(staff_id.clone());
            }
            F::MemberJoinedSinceReview {
                staff_id,
                joined_at,
            } => {
                out.staff_id = Some(staff_id.clone());
                out.at = Some(*joined_at);
            }
            F::ReviewOverdue { due_at } => out.at = Some(*due_at),
            F::SocialAndClinicalMixed { clinical_messages } => {
                out.count = Some(u64::from(*clinical_messages));
            }
            F::TooLarge { members, max } => {
                out.count = Some(*members as u64);
                out.max = Some(*max as u64);
            }
            _ => {}
        }
        Ok(out)
    }
}

/// The card-checking policy: trusted organisation keys (32 bytes each), whether
/// attestation is required, and a signed revocation list (or None).
pub(crate) fn trust_policy(
    org_public_keys: &[Vec<u8>],
    require_attestation: bool,
    revocation_list: Option<&[u8]>,
) -> PyResult<TrustPolicy> {
    let orgs = org_public_keys
        .iter()
        .map(|k| org_key(k))
        .collect::<PyResult<Vec<_>>>()?;
    let mut policy = TrustPolicy::new().require_attestation(require_attestation);
    for org in &orgs {
        policy = policy.with_organisation(*org);
    }
    if let Some(list) = revocation_list {
        let list = RevocationList::verify(list, &orgs).map_err(|e| identity_error(&e))?;
        policy = policy.with_revocations(list);
    }
    Ok(policy)
}

/// Reviews a group's membership at `now` for its administrator: members whose cards are
/// revoked, expired, invalid or not attested (checked against `org_public_keys`,
/// `require_attestation` and `revocation_list`), members not verified, members who joined
/// since `last_review`, a review overdue, clinical messages in a social group, a group
/// larger than allowed. `review_interval_secs` and `max_members` default to 90 days and
/// 50 (or take them from a `TrustPack`).
#[pyfunction]
#[pyo3(signature = (
    name, purpose, members, *, last_review, now, clinical_messages_since_review = 0,
    org_public_keys = Vec::new(), require_attestation = false, revocation_list = None,
    review_interval_secs = None, max_members = None,
))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn review_group(
    py: Python<'_>,
    name: String,
    purpose: &str,
    members: Vec<PyRef<'_, PyGroupMember>>,
    last_review: u64,
    now: u64,
    clinical_messages_since_review: u32,
    org_public_keys: Vec<Vec<u8>>,
    require_attestation: bool,
    revocation_list: Option<Vec<u8>>,
    review_interval_secs: Option<u64>,
    max_members: Option<usize>,
) -> PyResult<Vec<GroupFinding>> {
    let defaults = GroupRules::default();
    let rules = GroupRules::new(
        review_interval_secs.unwrap_or(defaults.review_interval_secs),
        max_members.unwrap_or(defaults.max_members),
    );
    let group = Group {
        name,
        purpose: self::purpose(purpose)?,
        members: members.iter().map(|m| m.inner.clone()).collect(),
        last_review,
        clinical_messages_since_review,
    };
    let trust = trust_policy(
        &org_public_keys,
        require_attestation,
        revocation_list.as_deref(),
    )?;
    sending::review_group(&group, now, &trust, &rules)
        .iter()
        .map(|f| GroupFinding::from_core(py, f))
        .collect()
}
