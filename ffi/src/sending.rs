//! Safe sending (`careguard::sending`): the right recipient (`cg_address_book_*`,
//! `cg_recipient_warnings_*`), group hygiene (`cg_group_review`, `cg_group_findings_*`) and
//! lock-screen notification text (`cg_notification_text`).

use core::ffi::c_char;
use std::ffi::CString;

use careguard::envelope::format::split;
use careguard::identity::DeviceCard;
use careguard::sending::{
    AddressBook, Confusion, Group, GroupFinding, GroupMember, GroupPurpose, GroupRules,
    MessageClass, NotificationDetail, NotificationPolicy, RecipientEntry, RecipientKind,
    RecipientWarning, notification_text, review_group,
};

use crate::args::{bytes_arg, c_string, free_handle, handle_arg, into_handle, slice_arg, str_arg};
use crate::buffer::out_arg;
use crate::error::{FfiError, FfiResult, guard};
use crate::identity::{CG_DEVICE_ID_LEN, trust_policy, verification};
use crate::status::CgStatus;

/// How much a lock-screen notification may say (`cg_notification_text`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CgNotificationDetail {
    /// "New message" only.
    Generic = 0,
    /// "New message in Ward 7".
    Conversation = 1,
    /// "New message from Dr A Clinician in Ward 7".
    ConversationAndSender = 2,
}

pub(crate) fn detail_to_c(detail: NotificationDetail) -> FfiResult<CgNotificationDetail> {
    Ok(match detail {
        NotificationDetail::Generic => CgNotificationDetail::Generic,
        NotificationDetail::Conversation => CgNotificationDetail::Conversation,
        NotificationDetail::ConversationAndSender => CgNotificationDetail::ConversationAndSender,
        _ => {
            return Err(FfiError::new(
                CgStatus::Internal,
                "unknown notification detail",
            ));
        }
    })
}

/// The lock-screen text for a sealed envelope, as a new NUL-terminated string in `*out`
/// (free it with `cg_string_free`). Only the envelope's header is read (its content type,
/// mapped to a fixed word), never the payload; `conversation` and `sender` are the app's
/// labels (UTF-8, may be NULL with length 0), shown as `detail` allows, with control and
/// bidi characters removed and cut to 32 characters.
///
/// Errors: `CG_STATUS_TRUNCATED` or `CG_STATUS_MALFORMED` (not an envelope),
/// `CG_STATUS_INVALID_UTF8`, `CG_STATUS_INVALID_ARGUMENT` (an unknown `detail`),
/// `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// Buffers are readable for their lengths (or NULL with 0); `out` is writable for one
/// `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_notification_text(
    envelope: *const u8,
    envelope_len: usize,
    detail: u32,
    conversation: *const c_char,
    conversation_len: usize,
    sender: *const c_char,
    sender_len: usize,
    out: *mut *mut c_char,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out, envelope, conversation, sender) = unsafe {
            (
                out_arg(out, "out")?,
                bytes_arg(envelope, envelope_len, "envelope")?,
                str_arg(conversation, conversation_len, "conversation")?,
                str_arg(sender, sender_len, "sender")?,
            )
        };
        out.write(core::ptr::null_mut());
        let detail = match detail {
            0 => NotificationDetail::Generic,
            1 => NotificationDetail::Conversation,
            2 => NotificationDetail::ConversationAndSender,
            other => {
                return Err(FfiError::new(
                    CgStatus::InvalidArgument,
                    format!("`detail` {other} is not a cg_notification_detail"),
                ));
            }
        };
        let header = split(envelope)?.header;
        let policy = NotificationPolicy::new(detail)
            .with_conversation(conversation)
            .with_sender(sender);
        let text = notification_text(&header, &policy).replace('\0', "");
        out.write(c_string(&text)?.into_raw());
        Ok(())
    })
}

/// What a recipient is (`cg_recipient_entry.kind`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CgRecipientKind {
    /// One person's device (a contact).
    Contact = 0,
    /// A group conversation.
    Group = 1,
}

/// What a group is for (`cg_recipient_entry.purpose`, `cg_group.purpose`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CgGroupPurpose {
    /// Shares clinical information about patients.
    Clinical = 0,
    /// Shares operational information (rotas, bed states).
    Operational = 1,
    /// Social: no clinical or operational information.
    Social = 2,
}

/// One address-book entry (or the chosen recipient) for `cg_address_book_new` and
/// `cg_address_book_check`. Text is UTF-8 with explicit lengths (NULL with 0 for empty).
/// For a contact `attested` and `verification` are read; for a group, `purpose` and
/// `members_outside_trust`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CgRecipientEntry {
    /// The app's stable id of the contact or group (never shown).
    pub id: *const c_char,
    /// Length of `id` in bytes.
    pub id_len: usize,
    /// The name the user sees and picks from.
    pub display_name: *const c_char,
    /// Length of `display_name` in bytes.
    pub display_name_len: usize,
    /// A `cg_recipient_kind` value.
    pub kind: u32,
    /// Contact: whether the Trust attested its current card.
    pub attested: bool,
    /// Contact: a `cg_verification` value.
    pub verification: u32,
    /// Group: a `cg_group_purpose` value.
    pub purpose: u32,
    /// Group: how many members have no card attested by the Trust.
    pub members_outside_trust: usize,
    /// Whether a message with patient identifiers was sent to it before.
    pub identifiers_sent_before: bool,
}

/// The user's contacts and groups, indexed for `cg_address_book_check`. Build it once
/// (and again when the address book changes), check on every send. Made by
/// `cg_address_book_new`, released by `cg_address_book_free`.
///
/// Thread safety: immutable; may be shared between threads.
pub struct CgAddressBook {
    book: AddressBook,
}

/// One reason to check the recipient before sending; strings are borrowed from the
/// `cg_recipient_warnings` they came from.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CgRecipientWarning {
    /// Stable code: `confusable_name`, `first_identifiers_to_contact`, `outside_trust` or
    /// `clinical_to_social_group`.
    pub code: *const c_char,
    /// The guidance sentence the warning serves.
    pub guidance: *const c_char,
    /// An English sentence for the user, naming the confusable alternative if any.
    pub message: *const c_char,
    /// `confusable_name`: the other entry's id; NULL otherwise.
    pub alternative_id: *const c_char,
    /// `confusable_name`: the other entry's display name; NULL otherwise.
    pub alternative_name: *const c_char,
    /// `confusable_name`: how the names are alike (`same_name`, `edit_distance`,
    /// `same_initial_and_surname`, `sound_alike_surname`); NULL otherwise.
    pub confusion: *const c_char,
    /// `confusable_name` by `edit_distance`: the distance (1 or 2); 0 otherwise.
    pub distance: u32,
    /// `outside_trust`: how many recipients have no attested card; 0 otherwise.
    pub members: usize,
}

/// The warnings of one `cg_address_book_check`, confusable names first. Released by
/// `cg_recipient_warnings_free`.
///
/// Thread safety: immutable; may be read from any thread.
pub struct CgRecipientWarnings {
    items: Vec<CgRecipientWarning>,
    // Owns the C strings `items` point into (their heap buffers never move).
    _strings: Vec<CString>,
}

/// One thing a group administrator must act on; strings are borrowed from the
/// `cg_group_findings` they came from.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CgGroupFinding {
    /// Stable code: `member_revoked`, `member_card_expired`, `member_card_invalid`,
    /// `member_not_attested`, `member_unverified`, `member_joined_since_review`,
    /// `review_overdue`, `social_and_clinical_mixed` or `too_large`.
    pub code: *const c_char,
    /// The member's staff id for a `member_*` code; NULL for the group's own findings.
    pub staff_id: *const c_char,
    /// `member_revoked`: the revoked device id; zeros otherwise.
    pub device_id: [u8; CG_DEVICE_ID_LEN],
    /// `member_card_invalid`: the `cg_status` the card check gave; `CG_STATUS_OK`
    /// otherwise.
    pub card_status: CgStatus,
    /// A time (Unix seconds): the card's expiry (`member_card_expired`), the join time
    /// (`member_joined_since_review`) or when the review fell due (`review_overdue`);
    /// 0 otherwise.
    pub at: u64,
    /// `social_and_clinical_mixed`: clinical messages since the last review;
    /// `too_large`: the member count; 0 otherwise.
    pub count: u64,
    /// `too_large`: the largest group the rules allow; 0 otherwise.
    pub max: u64,
}

/// The findings of one `cg_group_review`. Released by `cg_group_findings_free`.
///
/// Thread safety: immutable; may be read from any thread.
pub struct CgGroupFindings {
    items: Vec<CgGroupFinding>,
    // Owns the C strings `items` point into (their heap buffers never move).
    _strings: Vec<CString>,
}

/// One group member for `cg_group`: the bytes of the member's device card as received,
/// when they joined, and whether the administrator verified them in person.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CgGroupMember {
    /// The card bytes (as `cg_device_keys_issue_card` made them).
    pub card: *const u8,
    /// Length of `card`.
    pub card_len: usize,
    /// When the member joined (Unix seconds).
    pub joined_at: u64,
    /// Whether the administrator compared safety numbers with this member.
    pub verified_in_person: bool,
}

/// A group as `cg_group_review` reads it.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CgGroup {
    /// The group's name (UTF-8; NULL with 0 for none).
    pub name: *const c_char,
    /// Length of `name` in bytes.
    pub name_len: usize,
    /// A `cg_group_purpose` value.
    pub purpose: u32,
    /// The members (NULL with 0 for none).
    pub members: *const CgGroupMember,
    /// Number of `members`.
    pub members_len: usize,
    /// When the membership was last reviewed (Unix seconds; 0 if never).
    pub last_review: u64,
    /// Messages the scanner classed clinical since the last review.
    pub clinical_messages_since_review: u32,
}

/// The Trust's rules for groups (from its policy pack, `cg_trust_pack_get_info`, or
/// `cg_group_rules_default`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CgGroupRules {
    /// Review the membership at least this often (seconds).
    pub review_interval_secs: u64,
    /// The most members a group may have.
    pub max_members: usize,
}

impl From<GroupRules> for CgGroupRules {
    fn from(r: GroupRules) -> Self {
        Self {
            review_interval_secs: r.review_interval_secs,
            max_members: r.max_members,
        }
    }
}

pub(crate) fn group_purpose(value: u32) -> FfiResult<GroupPurpose> {
    Ok(match value {
        v if v == CgGroupPurpose::Clinical as u32 => GroupPurpose::Clinical,
        v if v == CgGroupPurpose::Operational as u32 => GroupPurpose::Operational,
        v if v == CgGroupPurpose::Social as u32 => GroupPurpose::Social,
        other => {
            return Err(FfiError::new(
                CgStatus::InvalidArgument,
                format!("unknown group purpose {other}"),
            ));
        }
    })
}

/// # Safety
/// The entry's pointers are readable for their lengths (or NULL with 0).
unsafe fn entry(e: &CgRecipientEntry) -> FfiResult<RecipientEntry> {
    // SAFETY: forwarded caller guarantee.
    let (id, name) = unsafe {
        (
            str_arg(e.id, e.id_len, "entry id")?,
            str_arg(e.display_name, e.display_name_len, "entry display_name")?,
        )
    };
    let kind = match e.kind {
        k if k == CgRecipientKind::Contact as u32 => RecipientKind::Contact {
            attested: e.attested,
            verification: verification(e.verification)?,
        },
        k if k == CgRecipientKind::Group as u32 => RecipientKind::Group {
            purpose: group_purpose(e.purpose)?,
            members_outside_trust: e.members_outside_trust,
        },
        other => {
            return Err(FfiError::new(
                CgStatus::InvalidArgument,
                format!("unknown recipient kind {other}"),
            ));
        }
    };
    Ok(RecipientEntry {
        id: id.to_string(),
        display_name: name.to_string(),
        kind,
        identifiers_sent_before: e.identifiers_sent_before,
    })
}

fn text_or_null(strings: &mut Vec<CString>, text: Option<&str>) -> FfiResult<*const c_char> {
    let Some(text) = text else {
        return Ok(core::ptr::null());
    };
    let s = c_string(&text.replace('\0', ""))?;
    let ptr = s.as_ptr();
    strings.push(s);
    Ok(ptr)
}

impl CgRecipientWarnings {
    fn new(warnings: &[RecipientWarning]) -> FfiResult<Self> {
        let mut strings = Vec::new();
        let mut items = Vec::with_capacity(warnings.len());
        for w in warnings {
            let s = &mut strings;
            let (alt_id, alt_name, confusion, distance, members) = match w {
                RecipientWarning::ConfusableName {
                    alternative_id,
                    alternative_name,
                    confusion,
                } => (
                    Some(alternative_id.as_str()),
                    Some(alternative_name.as_str()),
                    Some(confusion.code()),
                    match confusion {
                        Confusion::EditDistance { distance } => u32::from(*distance),
                        _ => 0,
                    },
                    0,
                ),
                RecipientWarning::OutsideTrust { members } => (None, None, None, 0, *members),
                _ => (None, None, None, 0, 0),
            };
            items.push(CgRecipientWarning {
                code: text_or_null(s, Some(w.code()))?,
                guidance: text_or_null(s, Some(w.guidance()))?,
                message: text_or_null(s, Some(&w.to_string()))?,
                alternative_id: text_or_null(s, alt_id)?,
                alternative_name: text_or_null(s, alt_name)?,
                confusion: text_or_null(s, confusion)?,
                distance,
                members,
            });
        }
        Ok(Self {
            items,
            _strings: strings,
        })
    }
}

impl CgGroupFindings {
    fn new(findings: &[GroupFinding]) -> FfiResult<Self> {
        let mut strings = Vec::new();
        let mut items = Vec::with_capacity(findings.len());
        for f in findings {
            let mut item = CgGroupFinding {
                code: text_or_null(&mut strings, Some(f.code()))?,
                staff_id: core::ptr::null(),
                device_id: [0; CG_DEVICE_ID_LEN],
                card_status: CgStatus::Ok,
                at: 0,
                count: 0,
                max: 0,
            };
            let staff = match f {
                GroupFinding::MemberRevoked {
                    staff_id,
                    device_id,
                } => {
                    item.device_id = *device_id.as_bytes();
                    Some(staff_id)
                }
                GroupFinding::MemberCardExpired {
                    staff_id,
                    expires_at,
                } => {
                    item.at = *expires_at;
                    Some(staff_id)
                }
                GroupFinding::MemberCardInvalid { staff_id, error } => {
                    item.card_status = FfiError::from(error.clone()).status;
                    Some(staff_id)
                }
                GroupFinding::MemberNotAttested { staff_id }
                | GroupFinding::MemberUnverified { staff_id } => Some(staff_id),
                GroupFinding::MemberJoinedSinceReview {
                    staff_id,
                    joined_at,
                } => {
                    item.at = *joined_at;
                    Some(staff_id)
                }
                GroupFinding::ReviewOverdue { due_at } => {
                    item.at = *due_at;
                    None
                }
                GroupFinding::SocialAndClinicalMixed { clinical_messages } => {
                    item.count = u64::from(*clinical_messages);
                    None
                }
                GroupFinding::TooLarge { members, max } => {
                    item.count = *members as u64;
                    item.max = *max as u64;
                    None
                }
                _ => None,
            };
            item.staff_id = text_or_null(&mut strings, staff.map(String::as_str))?;
            items.push(item);
        }
        Ok(Self {
            items,
            _strings: strings,
        })
    }
}

/// Indexes `entries_len` address-book entries (contacts and groups) into `*out`.
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT` (an unknown `kind`, `verification` or `purpose`),
/// `CG_STATUS_INVALID_UTF8`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `entries` is readable for `entries_len` entries (or NULL with 0), each with readable
/// text; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_address_book_new(
    entries: *const CgRecipientEntry,
    entries_len: usize,
    out: *mut *mut CgAddressBook,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, entries) = unsafe {
            (
                out_arg(out, "out")?,
                slice_arg(entries, entries_len, "entries")?,
            )
        };
        out.write(core::ptr::null_mut());
        let entries = entries
            .iter()
            // SAFETY: the caller guarantees each entry's text is readable.
            .map(|e| unsafe { entry(e) })
            .collect::<FfiResult<Vec<_>>>()?;
        out.write(into_handle(CgAddressBook {
            book: AddressBook::new(entries),
        }));
        Ok(())
    })
}

/// Checks the `chosen` recipient of a message against the address book before
/// identifiers go out: other entries with confusable names (at most 5, each named), the
/// first message with patient identifiers to this contact, recipients outside the Trust,
/// a clinical message to a social group. `patient_identifiers` and `clinical` describe
/// the message (from the scanner and policy); a message with neither gets no warnings.
/// `chosen` is matched to its own entry by `id` and never warned about itself.
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT`, `CG_STATUS_INVALID_UTF8`,
/// `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `book` is NULL or live; `chosen` is NULL or readable with readable text; `out` is
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_address_book_check(
    book: *const CgAddressBook,
    chosen: *const CgRecipientEntry,
    patient_identifiers: bool,
    clinical: bool,
    out: *mut *mut CgRecipientWarnings,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, book, chosen) = unsafe {
            (
                out_arg(out, "out")?,
                handle_arg(book, "book")?,
                handle_arg(chosen, "chosen")?,
            )
        };
        out.write(core::ptr::null_mut());
        // SAFETY: the caller guarantees the chosen entry's text is readable.
        let chosen = unsafe { entry(chosen) }?;
        let warnings = book
            .book
            .check(&chosen, MessageClass::new(patient_identifiers, clinical));
        out.write(into_handle(CgRecipientWarnings::new(&warnings)?));
        Ok(())
    })
}

/// Releases an address book. Accepts NULL.
///
/// # Safety
/// `book` is NULL or a live address book not used after this call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_address_book_free(book: *mut CgAddressBook) {
    // SAFETY: forwarded caller guarantee.
    unsafe { free_handle(book) }
}

/// The number of warnings into `*out`.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `warnings` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_recipient_warnings_len(
    warnings: *const CgRecipientWarnings,
    out: *mut usize,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, w) = unsafe { (out_arg(out, "out")?, handle_arg(warnings, "warnings")?) };
        out.write(w.items.len());
        Ok(())
    })
}

/// Warning `index` into `*out` (its strings live as long as `warnings`).
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT` (`index` past the end), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `warnings` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_recipient_warnings_get(
    warnings: *const CgRecipientWarnings,
    index: usize,
    out: *mut CgRecipientWarning,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, w) = unsafe { (out_arg(out, "out")?, handle_arg(warnings, "warnings")?) };
        let item = w.items.get(index).ok_or_else(|| {
            FfiError::new(
                CgStatus::InvalidArgument,
                format!("index {index} past the {} warnings", w.items.len()),
            )
        })?;
        out.write(*item);
        Ok(())
    })
}

/// Releases warnings. Accepts NULL.
///
/// # Safety
/// `warnings` is NULL or live and not used after this call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_recipient_warnings_free(warnings: *mut CgRecipientWarnings) {
    // SAFETY: forwarded caller guarantee.
    unsafe { free_handle(warnings) }
}

/// The default group rules (review every 90 days, at most 50 members) into `*out`.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_group_rules_default(out: *mut CgGroupRules) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantee.
        let out = unsafe { out_arg(out, "out") }?;
        out.write(GroupRules::default().into());
        Ok(())
    })
}

/// Reviews a group's membership at `now` for its administrator: members whose cards are
/// revoked, expired, invalid or not attested, members not verified, members who joined
/// since the last review, a review overdue, clinical messages in a social group, a group
/// larger than `rules` allow (NULL for `cg_group_rules_default`). Cards are checked
/// against `org_public_keys` (zero or more 32-byte keys concatenated),
/// `require_attestation` and the signed `revocation_list` (NULL with 0 for none), as in
/// `cg_card_verify`. An empty `*out` means nothing to act on.
///
/// Errors: `CG_STATUS_MALFORMED`, `CG_STATUS_TRUNCATED` or
/// `CG_STATUS_UNSUPPORTED_VERSION` (a member's card, or the revocation list, is not one),
/// `CG_STATUS_BAD_REVOCATION_SIGNATURE`, `CG_STATUS_INVALID_LENGTH` (`org_public_keys`
/// not a multiple of 32), `CG_STATUS_INVALID_ARGUMENT` (unknown `purpose`),
/// `CG_STATUS_INVALID_UTF8`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `group` is NULL or readable, with its `name`, `members` and each member's `card`
/// readable for their lengths; the other buffers are readable for their lengths (or NULL
/// with 0); `rules` is NULL or readable; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_group_review(
    group: *const CgGroup,
    now: u64,
    org_public_keys: *const u8,
    org_public_keys_len: usize,
    require_attestation: bool,
    revocation_list: *const u8,
    revocation_list_len: usize,
    rules: *const CgGroupRules,
    out: *mut *mut CgGroupFindings,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out, g, keys, revocations, rules) = unsafe {
            (
                out_arg(out, "out")?,
                handle_arg(group, "group")?,
                bytes_arg(org_public_keys, org_public_keys_len, "org_public_keys")?,
                bytes_arg(revocation_list, revocation_list_len, "revocation_list")?,
                rules.as_ref().copied(),
            )
        };
        out.write(core::ptr::null_mut());
        // SAFETY: the caller guarantees the group's buffers.
        let (name, members) = unsafe {
            (
                str_arg(g.name, g.name_len, "group name")?,
                slice_arg(g.members, g.members_len, "group members")?,
            )
        };
        let members = members
            .iter()
            .map(|m| {
                // SAFETY: the caller guarantees each member's card bytes.
                let card = unsafe { bytes_arg(m.card, m.card_len, "member card") }?;
                Ok(GroupMember {
                    card: DeviceCard::parse(card)?,
                    joined_at: m.joined_at,
                    verified_in_person: m.verified_in_person,
                })
            })
            .collect::<FfiResult<Vec<_>>>()?;
        let group = Group {
            name: name.to_string(),
            purpose: group_purpose(g.purpose)?,
            members,
            last_review: g.last_review,
            clinical_messages_since_review: g.clinical_messages_since_review,
        };
        let trust = trust_policy(keys, require_attestation, revocations)?;
        let rules = rules.map_or_else(GroupRules::default, |r| {
            GroupRules::new(r.review_interval_secs, r.max_members)
        });
        let findings = review_group(&group, now, &trust, &rules);
        out.write(into_handle(CgGroupFindings::new(&findings)?));
        Ok(())
    })
}

/// The number of group findings into `*out`.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `findings` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_group_findings_len(
    findings: *const CgGroupFindings,
    out: *mut usize,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, f) = unsafe { (out_arg(out, "out")?, handle_arg(findings, "findings")?) };
        out.write(f.items.len());
        Ok(())
    })
}

/// Group finding `index` into `*out` (its strings live as long as `findings`).
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT` (`index` past the end), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `findings` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_group_findings_get(
    findings: *const CgGroupFindings,
    index: usize,
    out: *mut CgGroupFinding,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, f) = unsafe { (out_arg(out, "out")?, handle_arg(findings, "findings")?) };
        let item = f.items.get(index).ok_or_else(|| {
            FfiError::new(
                CgStatus::InvalidArgument,
                format!("index {index} past the {} findings", f.items.len()),
            )
        })?;
        out.write(*item);
        Ok(())
    })
}

/// Releases group findings. Accepts NULL.
///
/// # Safety
/// `findings` is NULL or live and not used after this call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_group_findings_free(findings: *mut CgGroupFindings) {
    // SAFETY: forwarded caller guarantee.
    unsafe { free_handle(findings) }
}
