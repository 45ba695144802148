//! Group hygiene (`careguard::sending::review_group`), as the C ABI's `cg_group_review`.
//! In the -e2e flavour only: it verifies members' device cards.

use careguard::identity::DeviceCard;
use careguard::sending::{self, Group, GroupFinding, GroupMember, GroupPurpose, GroupRules};
use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::convert::{
    absent, bytes, get, number, object, opt_bool, opt_number, opt_string, seconds_to_js,
    uint8array, unix_seconds,
};
use crate::error::{Coded, Failure, IntoJs};
use crate::identity::trust_policy;

#[wasm_bindgen(typescript_custom_section)]
const TS_GROUP: &str = r#"
/** A group as `reviewGroup` reads it. */
export interface Group {
  name?: string;
  purpose: 'clinical' | 'operational' | 'social';
  members: { card: Uint8Array; joinedAt: number; verifiedInPerson?: boolean }[];
  /** When the membership was last reviewed (Unix seconds; 0 if never). */
  lastReview: number;
  /** Messages classed clinical since the last review. Default 0. */
  clinicalMessagesSinceReview?: number;
}

/** The Trust's rules for groups. Default: review every 90 days, at most 50 members. */
export interface GroupRules {
  reviewIntervalSecs: number;
  maxMembers: number;
}

/** Something a group administrator must act on. */
export interface GroupFinding {
  code:
    | 'member_revoked' | 'member_card_expired' | 'member_card_invalid' | 'member_not_attested'
    | 'member_unverified' | 'member_joined_since_review' | 'review_overdue'
    | 'social_and_clinical_mixed' | 'too_large';
  /** The member's staff id (member_* codes). */
  staffId?: string;
  /** member_revoked: the revoked device id. */
  deviceId?: Uint8Array;
  /** member_card_invalid: the error code the card check gave. */
  cardError?: ErrorCode;
  /** The card's expiry, the join time or when the review fell due (Unix seconds). */
  at?: number;
  /** social_and_clinical_mixed: clinical messages; too_large: members. */
  count?: number;
  /** too_large: the most members allowed. */
  max?: number;
}
"#;

fn invalid(operation: &'static str, message: &str) -> JsValue {
    Failure::new("invalid_argument", operation, message).into()
}

fn finding_to_js(f: &GroupFinding) -> JsValue {
    let mut fields = vec![("code", JsValue::from_str(f.code()))];
    let staff = |fields: &mut Vec<(&str, JsValue)>, id: &str| fields.push(("staffId", id.into()));
    match f {
        GroupFinding::MemberRevoked {
            staff_id,
            device_id,
        } => {
            staff(&mut fields, staff_id);
            fields.push(("deviceId", uint8array(device_id.as_bytes())));
        }
        GroupFinding::MemberCardExpired {
            staff_id,
            expires_at,
        } => {
            staff(&mut fields, staff_id);
            fields.push(("at", seconds_to_js(*expires_at).into()));
        }
        GroupFinding::MemberCardInvalid { staff_id, error } => {
            staff(&mut fields, staff_id);
            fields.push(("cardError", error.js_code().into()));
        }
        GroupFinding::MemberNotAttested { staff_id }
        | GroupFinding::MemberUnverified { staff_id } => {
            staff(&mut fields, staff_id);
        }
        GroupFinding::MemberJoinedSinceReview {
            staff_id,
            joined_at,
        } => {
            staff(&mut fields, staff_id);
            fields.push(("at", seconds_to_js(*joined_at).into()));
        }
        GroupFinding::ReviewOverdue { due_at } => {
            fields.push(("at", seconds_to_js(*due_at).into()));
        }
        GroupFinding::SocialAndClinicalMixed { clinical_messages } => {
            fields.push(("count", (*clinical_messages).into()));
        }
        GroupFinding::TooLarge { members, max } => {
            fields.push(("count", (*members as f64).into()));
            fields.push(("max", (*max as f64).into()));
        }
        _ => {}
    }
    object(&fields)
}

/// Reviews a group's membership at `now` for its administrator: members whose cards are
/// revoked, expired, invalid or not attested (checked against `trust` as `verifyCard`
/// does), members not verified, members who joined since the last review, a review
/// overdue, clinical messages in a social group, a group larger than `rules` allow.
/// Throws `invalid_argument` for a bad group, a card's format error (`malformed`,
/// `truncated`...) for a member card that is not a card, and `verifyCard`'s errors for
/// bad `trust`.
#[wasm_bindgen(js_name = reviewGroup, unchecked_return_type = "GroupFinding[]")]
pub fn review_group(
    #[wasm_bindgen(unchecked_param_type = "Group")] group: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] now: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TrustOptions | undefined")] trust: JsValue,
    #[wasm_bindgen(unchecked_param_type = "GroupRules | undefined")] rules: JsValue,
) -> Result<JsValue, JsValue> {
    const OP: &str = "reviewGroup";
    let now = unix_seconds(OP, "now", number(OP, "now", &now)?)?;
    if !group.is_object() {
        return Err(invalid(OP, "group must be an object"));
    }
    let purpose = match opt_string(OP, &group, "purpose")?.as_deref() {
        Some("clinical") => GroupPurpose::Clinical,
        Some("operational") => GroupPurpose::Operational,
        Some("social") => GroupPurpose::Social,
        _ => {
            return Err(invalid(
                OP,
                "group.purpose must be 'clinical', 'operational' or 'social'",
            ));
        }
    };
    let seconds = |value: &JsValue, key: &str| -> Result<u64, JsValue> {
        let n = opt_number(OP, value, key)?
            .ok_or_else(|| invalid(OP, &format!("{key} is required")))?;
        unix_seconds(OP, key, n)
    };
    let members = get(&group, "members");
    let members = members
        .dyn_ref::<Array>()
        .ok_or_else(|| invalid(OP, "group.members must be an array"))?
        .iter()
        .map(|m| {
            Ok(GroupMember {
                card: DeviceCard::parse(&bytes(OP, "member card", &get(&m, "card"))?).js(OP)?,
                joined_at: seconds(&m, "joinedAt")?,
                verified_in_person: opt_bool(OP, &m, "verifiedInPerson")?.unwrap_or(false),
            })
        })
        .collect::<Result<Vec<_>, JsValue>>()?;
    let clinical = opt_number(OP, &group, "clinicalMessagesSinceReview")?.unwrap_or(0.0);
    let group = Group {
        name: opt_string(OP, &group, "name")?.unwrap_or_default(),
        purpose,
        members,
        last_review: seconds(&group, "lastReview")?,
        clinical_messages_since_review: crate::convert::to_u32(
            OP,
            "clinicalMessagesSinceReview",
            clinical,
        )?,
    };
    let policy = trust_policy(OP, &trust)?;
    let rules = if absent(&rules) {
        GroupRules::default()
    } else {
        let interval = seconds(&rules, "reviewIntervalSecs")?;
        let max = opt_number(OP, &rules, "maxMembers")?
            .ok_or_else(|| invalid(OP, "maxMembers is required"))?;
        GroupRules::new(
            interval,
            crate::convert::to_u32(OP, "maxMembers", max)? as usize,
        )
    };
    let findings: Array = sending::review_group(&group, now, &policy, &rules)
        .iter()
        .map(finding_to_js)
        .collect();
    Ok(findings.into())
}
