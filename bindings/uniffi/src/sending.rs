//! Safe sending (`careguard::sending`): the right recipient ([`AddressBook`]), group
//! hygiene ([`review_group`]) and lock-screen notification text ([`notification_text`]).

use std::sync::Arc;

use careguard::envelope::format::split;
use careguard::identity::DeviceCard;
use careguard::sending::{self as core_sending, Confusion, MessageClass};

use crate::error::{CareGuardError, Result};
use crate::identity::{Verification, trust_policy};

/// What a group is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum GroupPurpose {
    /// Shares clinical information about patients.
    Clinical,
    /// Shares operational information (rotas, bed states).
    Operational,
    /// Social: no clinical or operational information.
    Social,
}

impl From<GroupPurpose> for core_sending::GroupPurpose {
    fn from(p: GroupPurpose) -> Self {
        match p {
            GroupPurpose::Clinical => Self::Clinical,
            GroupPurpose::Operational => Self::Operational,
            GroupPurpose::Social => Self::Social,
        }
    }
}

/// A contact or a group.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum RecipientKind {
    /// One person's device.
    Contact {
        /// Whether the Trust attested the contact's current card.
        attested: bool,
        /// How far the contact's keys are vouched for.
        verification: Verification,
    },
    /// A group conversation.
    Group {
        /// What the group is for.
        purpose: GroupPurpose,
        /// Members with no card attested by the Trust.
        members_outside_trust: u64,
    },
}

/// An address-book entry (or the chosen recipient).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RecipientEntry {
    /// The app's stable id (never shown).
    pub id: String,
    /// The name the user sees and picks from.
    pub display_name: String,
    /// Contact or group.
    pub kind: RecipientKind,
    /// Whether patient identifiers were sent to it before.
    pub identifiers_sent_before: bool,
}

impl From<RecipientEntry> for core_sending::RecipientEntry {
    fn from(e: RecipientEntry) -> Self {
        let kind = match e.kind {
            RecipientKind::Contact {
                attested,
                verification,
            } => core_sending::RecipientKind::Contact {
                attested,
                verification: verification.into(),
            },
            RecipientKind::Group {
                purpose,
                members_outside_trust,
            } => core_sending::RecipientKind::Group {
                purpose: purpose.into(),
                members_outside_trust: usize::try_from(members_outside_trust).unwrap_or(usize::MAX),
            },
        };
        Self {
            id: e.id,
            display_name: e.display_name,
            kind,
            identifiers_sent_before: e.identifiers_sent_before,
        }
    }
}

/// A reason to check the recipient before sending.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RecipientWarning {
    /// `confusable_name`, `first_identifiers_to_contact`, `outside_trust` or
    /// `clinical_to_social_group`.
    pub code: String,
    /// The guidance sentence it serves.
    pub guidance: String,
    /// A sentence for the user, naming the confusable alternative if any.
    pub message: String,
    /// `confusable_name`: the other entry's id.
    pub alternative_id: Option<String>,
    /// `confusable_name`: the other entry's display name.
    pub alternative_name: Option<String>,
    /// `confusable_name`: `same_name`, `edit_distance`, `same_initial_and_surname` or
    /// `sound_alike_surname`.
    pub confusion: Option<String>,
    /// `edit_distance`: the distance (1 or 2).
    pub distance: Option<u8>,
    /// `outside_trust`: recipients with no attested card.
    pub members: Option<u64>,
}

impl From<&core_sending::RecipientWarning> for RecipientWarning {
    fn from(w: &core_sending::RecipientWarning) -> Self {
        let mut out = Self {
            code: w.code().to_owned(),
            guidance: w.guidance().to_owned(),
            message: w.to_string(),
            alternative_id: None,
            alternative_name: None,
            confusion: None,
            distance: None,
            members: None,
        };
        match w {
            core_sending::RecipientWarning::ConfusableName {
                alternative_id,
                alternative_name,
                confusion,
            } => {
                out.alternative_id = Some(alternative_id.clone());
                out.alternative_name = Some(alternative_name.clone());
                out.confusion = Some(confusion.code().to_owned());
                if let Confusion::EditDistance { distance } = confusion {
                    out.distance = Some(*distance);
                }
            }
            core_sending::RecipientWarning::OutsideTrust { members } => {
                out.members = Some(*members as u64);
            }
            _ => {}
        }
        out
    }
}

/// The user's contacts and groups, indexed once for `check` on every send.
///
/// Thread safety: immutable; share it between threads.
#[derive(uniffi::Object)]
pub struct AddressBook {
    book: core_sending::AddressBook,
}

#[uniffi::export]
impl AddressBook {
    /// Indexes `entries`.
    #[uniffi::constructor]
    pub fn new(entries: Vec<RecipientEntry>) -> Arc<Self> {
        Arc::new(Self {
            book: core_sending::AddressBook::new(entries.into_iter().map(Into::into).collect()),
        })
    }

    /// Warnings before a message goes to `chosen`: confusable names (at most 5, each
    /// named), first identifiers to a contact, recipients outside the Trust, clinical to a
    /// social group. A message with neither `patient_identifiers` nor `clinical` content
    /// gets none.
    pub fn check(
        &self,
        chosen: RecipientEntry,
        patient_identifiers: bool,
        clinical: bool,
    ) -> Vec<RecipientWarning> {
        self.book
            .check(
                &chosen.into(),
                MessageClass::new(patient_identifiers, clinical),
            )
            .iter()
            .map(Into::into)
            .collect()
    }

    /// The number of entries.
    pub fn len(&self) -> u64 {
        self.book.len() as u64
    }

    /// Whether the book has no entries.
    pub fn is_empty(&self) -> bool {
        self.book.is_empty()
    }
}

/// A group member: the bytes of the member's device card, when they joined, and whether
/// the administrator verified them in person.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GroupMember {
    /// The card bytes (as `DeviceKeys.issue_card` made them).
    pub card: Vec<u8>,
    /// When the member joined (Unix seconds).
    pub joined_at: u64,
    /// Whether the administrator compared safety numbers with this member.
    pub verified_in_person: bool,
}

/// A group as `review_group` reads it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Group {
    /// The group's name.
    pub name: String,
    /// What it is for.
    pub purpose: GroupPurpose,
    /// Its members.
    pub members: Vec<GroupMember>,
    /// When the membership was last reviewed (Unix seconds; 0 if never).
    pub last_review: u64,
    /// Messages the scanner classed clinical since the last review.
    pub clinical_messages_since_review: u32,
}

/// The Trust's rules for groups (from its policy pack, or `group_rules_default`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct GroupRules {
    /// Review the membership at least this often (seconds).
    pub review_interval_secs: u64,
    /// The most members a group may have.
    pub max_members: u64,
}

impl From<core_sending::GroupRules> for GroupRules {
    fn from(r: core_sending::GroupRules) -> Self {
        Self {
            review_interval_secs: r.review_interval_secs,
            max_members: r.max_members as u64,
        }
    }
}

/// The default group rules: review every 90 days, at most 50 members.
#[uniffi::export]
pub fn group_rules_default() -> GroupRules {
    core_sending::GroupRules::default().into()
}

/// Something a group administrator must act on.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GroupFinding {
    /// `member_revoked`, `member_card_expired`, `member_card_invalid`,
    /// `member_not_attested`, `member_unverified`, `member_joined_since_review`,
    /// `review_overdue`, `social_and_clinical_mixed` or `too_large`.
    pub code: String,
    /// The member's staff id (`member_*` codes).
    pub staff_id: Option<String>,
    /// `member_revoked`: the revoked device id (16 bytes).
    pub device_id: Option<Vec<u8>>,
    /// `member_card_invalid`: the C ABI status code the card check gave.
    pub card_error_code: Option<i32>,
    /// The card's expiry, the join time, or when the review fell due (Unix seconds).
    pub at: Option<u64>,
    /// `social_and_clinical_mixed`: clinical messages; `too_large`: members.
    pub count: Option<u64>,
    /// `too_large`: the most members allowed.
    pub max: Option<u64>,
}

impl From<&core_sending::GroupFinding> for GroupFinding {
    fn from(f: &core_sending::GroupFinding) -> Self {
        use core_sending::GroupFinding as F;
        let mut out = Self {
            code: f.code().to_owned(),
            staff_id: None,
            device_id: None,
            card_error_code: None,
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
                out.device_id = Some(device_id.as_bytes().to_vec());
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
                out.card_error_code = Some(CareGuardError::from(error.clone()).code());
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
        out
    }
}

/// Reviews a group's membership at `now` for its administrator: members whose cards are
/// revoked, expired, invalid or not attested (checked against `org_public_keys`,
/// `require_attestation` and `revocation_list`, as `VerifiedCard.verify`), members not
/// verified, members who joined since the last review, a review overdue, clinical messages
/// in a social group, a group larger than `rules` allow (`None`: the defaults). A member
/// card that is not a card fails the call (`Malformed`, `Truncated`...).
#[uniffi::export]
pub fn review_group(
    group: Group,
    now: u64,
    org_public_keys: Vec<Vec<u8>>,
    require_attestation: bool,
    revocation_list: Option<Vec<u8>>,
    rules: Option<GroupRules>,
) -> Result<Vec<GroupFinding>> {
    let members = group
        .members
        .iter()
        .map(|m| {
            Ok(core_sending::GroupMember {
                card: DeviceCard::parse(&m.card)?,
                joined_at: m.joined_at,
                verified_in_person: m.verified_in_person,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let group = core_sending::Group {
        name: group.name,
        purpose: group.purpose.into(),
        members,
        last_review: group.last_review,
        clinical_messages_since_review: group.clinical_messages_since_review,
    };
    let trust = trust_policy(&org_public_keys, require_attestation, revocation_list)?;
    let rules = rules.map_or_else(core_sending::GroupRules::default, |r| {
        core_sending::GroupRules::new(
            r.review_interval_secs,
            usize::try_from(r.max_members).unwrap_or(usize::MAX),
        )
    });
    Ok(core_sending::review_group(&group, now, &trust, &rules)
        .iter()
        .map(Into::into)
        .collect())
}

/// How much a lock-screen notification may say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum NotificationDetail {
    /// "New message" only.
    Generic,
    /// "New message in Ward 7".
    Conversation,
    /// "New message from Dr A Clinician in Ward 7".
    ConversationAndSender,
}

impl From<NotificationDetail> for core_sending::NotificationDetail {
    fn from(d: NotificationDetail) -> Self {
        match d {
            NotificationDetail::Generic => Self::Generic,
            NotificationDetail::Conversation => Self::Conversation,
            NotificationDetail::ConversationAndSender => Self::ConversationAndSender,
        }
    }
}

pub(crate) fn detail(d: core_sending::NotificationDetail) -> Result<NotificationDetail> {
    Ok(match d {
        core_sending::NotificationDetail::Generic => NotificationDetail::Generic,
        core_sending::NotificationDetail::Conversation => NotificationDetail::Conversation,
        core_sending::NotificationDetail::ConversationAndSender => {
            NotificationDetail::ConversationAndSender
        }
        _ => return Err(CareGuardError::internal("unknown notification detail")),
    })
}

/// The lock-screen text for a sealed envelope (`cg_notification_text`): only the header
/// is read (its content type, as a fixed word), never the payload; `conversation` and
/// `sender` are the app's labels, shown as `detail` allows, cleaned and cut to 32
/// characters.
#[uniffi::export]
pub fn notification_text(
    envelope: Vec<u8>,
    detail: NotificationDetail,
    conversation: String,
    sender: String,
) -> Result<String> {
    let header = split(&envelope)?.header;
    let policy = core_sending::NotificationPolicy::new(detail.into())
        .with_conversation(&conversation)
        .with_sender(&sender);
    Ok(core_sending::notification_text(&header, &policy))
}
