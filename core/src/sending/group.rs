//! Group hygiene: what a group's administrator must act on.

use crate::identity::{DeviceCard, DeviceId, IdentityError, TrustPolicy};

/// What a group is for. The guidance asks that social groups be kept apart from groups
/// that share clinical or operational information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GroupPurpose {
    /// Patient care (a ward team, a referral pathway).
    Clinical,
    /// Running the service (rotas, bed state) without patient care.
    Operational,
    /// Social (nights out, chatter): no clinical or patient information.
    Social,
}

impl GroupPurpose {
    /// A stable lower-case name (`clinical`, `operational`, `social`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clinical => "clinical",
            Self::Operational => "operational",
            Self::Social => "social",
        }
    }
}

/// One member of a group as the app keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupMember {
    /// The member's device card as last fetched (checked again by [`review_group`]).
    pub card: DeviceCard,
    /// When the member joined (Unix seconds).
    pub joined_at: u64,
    /// Whether the administrator verified this member in person (safety numbers).
    pub verified_in_person: bool,
}

/// A group conversation's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The group's name.
    pub name: String,
    /// What it is for.
    pub purpose: GroupPurpose,
    /// Its members.
    pub members: Vec<GroupMember>,
    /// When its membership was last reviewed (Unix seconds).
    pub last_review: u64,
    /// Messages with patient identifiers or marked clinical sent in it since the last
    /// review (the app or its audit log counts them).
    pub clinical_messages_since_review: u32,
}

/// The Trust's rules for groups (a signed policy pack can set them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct GroupRules {
    /// Longest time between membership reviews, seconds.
    pub review_interval_secs: u64,
    /// Most members a group may have.
    pub max_members: usize,
}

impl GroupRules {
    /// Rules with these limits.
    pub fn new(review_interval_secs: u64, max_members: usize) -> Self {
        Self {
            review_interval_secs,
            max_members,
        }
    }
}

impl Default for GroupRules {
    /// A review every 90 days, at most 50 members.
    fn default() -> Self {
        Self::new(90 * 86_400, 50)
    }
}

/// Something the administrator must act on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GroupFinding {
    /// The Trust revoked the member's device: remove it.
    MemberRevoked {
        /// The member's staff identifier.
        staff_id: String,
        /// The revoked device.
        device_id: DeviceId,
    },
    /// The member's card has expired: the member must renew it or leave.
    MemberCardExpired {
        /// The member's staff identifier.
        staff_id: String,
        /// When the card expired (Unix seconds).
        expires_at: u64,
    },
    /// The member's card does not check (a bad signature or attestation, or not valid yet).
    MemberCardInvalid {
        /// The member's staff identifier.
        staff_id: String,
        /// Why it was refused.
        error: IdentityError,
    },
    /// The member's card is not (or no longer) attested by a trusted organisation key.
    MemberNotAttested {
        /// The member's staff identifier.
        staff_id: String,
    },
    /// Nobody vouched for the member: neither attested nor verified in person.
    MemberUnverified {
        /// The member's staff identifier.
        staff_id: String,
    },
    /// The member joined after the last review: check they belong.
    MemberJoinedSinceReview {
        /// The member's staff identifier.
        staff_id: String,
        /// When they joined.
        joined_at: u64,
    },
    /// The membership review is overdue.
    ReviewOverdue {
        /// When it was due (Unix seconds).
        due_at: u64,
    },
    /// A social group carried clinical messages: move them to a clinical group.
    SocialAndClinicalMixed {
        /// How many clinical messages since the last review.
        clinical_messages: u32,
    },
    /// More members than the Trust allows.
    TooLarge {
        /// Members now.
        members: usize,
        /// The Trust's maximum.
        max: usize,
    },
}

impl GroupFinding {
    /// A stable code for bindings and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MemberRevoked { .. } => "member_revoked",
            Self::MemberCardExpired { .. } => "member_card_expired",
            Self::MemberCardInvalid { .. } => "member_card_invalid",
            Self::MemberNotAttested { .. } => "member_not_attested",
            Self::MemberUnverified { .. } => "member_unverified",
            Self::MemberJoinedSinceReview { .. } => "member_joined_since_review",
            Self::ReviewOverdue { .. } => "review_overdue",
            Self::SocialAndClinicalMixed { .. } => "social_and_clinical_mixed",
            Self::TooLarge { .. } => "too_large",
        }
    }
}

/// Lists what the administrator of `group` must act on at `now`: each member's card is
/// verified again against `trust` (revoked, expired, invalid, not attested, unverified;
/// joined since the last review), then the group's own state (review overdue, a social group
/// that carried clinical messages, more members than `rules` allow). Members come in the
/// group's order; an empty list means nothing to do.
///
/// The Trust's review interval guards against the guidance's worry that membership drifts:
/// "take great care when selecting the membership of the group, and review the membership
/// regularly".
pub fn review_group(
    group: &Group,
    now: u64,
    trust: &TrustPolicy,
    rules: &GroupRules,
) -> Vec<GroupFinding> {
    let mut findings = Vec::new();
    for member in &group.members {
        let staff_id = member.card.staff_id().to_string();
        match member.card.verify(trust, now) {
            Ok(verified) => {
                if !verified.is_attested() {
                    findings.push(GroupFinding::MemberNotAttested {
                        staff_id: staff_id.clone(),
                    });
                    if !member.verified_in_person {
                        findings.push(GroupFinding::MemberUnverified {
                            staff_id: staff_id.clone(),
                        });
                    }
                }
            }
            Err(IdentityError::Revoked { device_id }) => {
                findings.push(GroupFinding::MemberRevoked {
                    staff_id: staff_id.clone(),
                    device_id,
                });
            }
            Err(IdentityError::Expired { expires_at, .. }) => {
                findings.push(GroupFinding::MemberCardExpired {
                    staff_id: staff_id.clone(),
                    expires_at,
                });
            }
            Err(IdentityError::NotAttested) => {
                findings.push(GroupFinding::MemberNotAttested {
                    staff_id: staff_id.clone(),
                });
                if !member.verified_in_person {
                    findings.push(GroupFinding::MemberUnverified {
                        staff_id: staff_id.clone(),
                    });
                }
            }
            Err(error) => findings.push(GroupFinding::MemberCardInvalid {
                staff_id: staff_id.clone(),
                error,
            }),
        }
        if member.joined_at > group.last_review {
            findings.push(GroupFinding::MemberJoinedSinceReview {
                staff_id,
                joined_at: member.joined_at,
            });
        }
    }
    let due_at = group.last_review.saturating_add(rules.review_interval_secs);
    if now > due_at {
        findings.push(GroupFinding::ReviewOverdue { due_at });
    }
    if group.purpose == GroupPurpose::Social && group.clinical_messages_since_review > 0 {
        findings.push(GroupFinding::SocialAndClinicalMixed {
            clinical_messages: group.clinical_messages_since_review,
        });
    }
    if group.members.len() > rules.max_members {
        findings.push(GroupFinding::TooLarge {
            members: group.members.len(),
            max: rules.max_members,
        });
    }
    findings
}
