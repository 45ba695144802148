//! Safe sending: lock-screen notification text, right-recipient warnings and group reviews,
//! through the public API only.
#![allow(clippy::unwrap_used)]

use careguard::envelope::{self, KeyRing, SealContext, SealOptions};
use careguard::identity::{DeviceKeys, OrganisationKey, RevocationList, TrustPolicy, Verification};
use careguard::sending::{
    AddressBook, Confusion, Group, GroupFinding, GroupMember, GroupPurpose, GroupRules,
    MAX_CONFUSABLES, MessageClass, NotificationDetail, NotificationPolicy, RecipientEntry,
    RecipientKind, RecipientWarning, notification_text, review_group,
};
use careguard::{Scanner, SecretKey, UnixSeconds};
use proptest::prelude::*;

const NOW: u64 = 1_780_000_000;
const DAY: u64 = 86_400;

fn rng() -> impl rand_core::CryptoRng {
    rand_core::UnwrapErr(getrandom::SysRng)
}

fn seal(payload: &[u8], content_type: &str) -> Vec<u8> {
    let mut ring = KeyRing::new();
    ring.insert(1, SecretKey::from_bytes([9; 32])).unwrap();
    envelope::seal(
        &[&ring],
        payload,
        &SealContext {
            options: SealOptions::new().content_type(content_type),
            ..SealContext::new(UnixSeconds(NOW))
        },
        &mut envelope::os_rng(),
    )
    .unwrap()
}

fn header_of(sealed: &[u8]) -> envelope::format::Header {
    envelope::format::split(sealed).unwrap().header
}

fn full_policy() -> NotificationPolicy {
    NotificationPolicy::new(NotificationDetail::ConversationAndSender)
        .with_conversation("Ward 7")
        .with_sender("Dr A Clinician")
}

// --- notification text ---

#[test]
fn notification_names_only_what_the_policy_allows() {
    let header = header_of(&seal(b"Mr John Smith NHS 943 476 5919", "text/plain"));
    assert_eq!(
        notification_text(&header, &NotificationPolicy::default()),
        "New message"
    );
    let conversation = NotificationPolicy::new(NotificationDetail::Conversation)
        .with_conversation("Ward 7")
        .with_sender("Dr A Clinician");
    assert_eq!(
        notification_text(&header, &conversation),
        "New message in Ward 7"
    );
    assert_eq!(
        notification_text(&header, &full_policy()),
        "New message from Dr A Clinician in Ward 7"
    );
    let image = header_of(&seal(b"\x89PNG", "image/png"));
    assert_eq!(
        notification_text(&image, &conversation),
        "New photo in Ward 7"
    );
}

#[test]
fn a_hostile_content_type_never_reaches_the_text() {
    let header = header_of(&seal(b"x", "text/plain; name=John Smith 9434765919"));
    let text = notification_text(&header, &full_policy());
    assert_eq!(text, "New message from Dr A Clinician in Ward 7");
}

#[test]
fn labels_lose_control_and_bidi_characters_and_are_cut() {
    let policy = NotificationPolicy::new(NotificationDetail::Conversation)
        .with_conversation("Ward\n7\u{202E}\u{200B}  night\tteam and a very long tail of words");
    let header = header_of(&seal(b"x", "text/plain"));
    let text = notification_text(&header, &policy);
    assert_eq!(text, "New message in Ward 7 night team and a very lo…");
    let label = text.trim_start_matches("New message in ");
    assert_eq!(label.chars().count(), careguard::sending::MAX_LABEL_CHARS);
}

#[test]
fn screened_drops_a_label_that_names_a_patient() {
    let scanner = Scanner::new();
    let policy = NotificationPolicy::new(NotificationDetail::ConversationAndSender)
        .with_conversation("NHS 943 476 5919 discharge")
        .with_sender("Dr A Clinician")
        .screened(&scanner);
    let named = NotificationPolicy::new(NotificationDetail::Conversation)
        .with_conversation("Bed 4 Mrs Edith Crawley")
        .screened(&scanner);
    let header = header_of(&seal(b"x", "text/plain"));
    assert_eq!(
        notification_text(&header, &policy),
        "New message from Dr A Clinician"
    );
    assert_eq!(notification_text(&header, &named), "New message");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The text depends on nothing but the policy and the content type's category: two
    /// envelopes with any payloads give the same text, and no 4-byte run of a payload that
    /// is not in the labels appears in it.
    #[test]
    fn no_payload_byte_reaches_the_notification(
        a in proptest::collection::vec(any::<u8>(), 0..200),
        b in "[a-zA-Z0-9 ]{4,80}",
    ) {
        let policy = full_policy();
        let ta = notification_text(&header_of(&seal(&a, "text/plain")), &policy);
        let tb = notification_text(&header_of(&seal(b.as_bytes(), "text/plain")), &policy);
        prop_assert_eq!(&ta, &tb);
        prop_assert_eq!(&ta, "New message from Dr A Clinician in Ward 7");
        for w in b.as_bytes().windows(4) {
            let w = core::str::from_utf8(w).unwrap();
            if !"New message from Dr A Clinician in Ward 7".contains(w) {
                prop_assert!(!ta.contains(w));
            }
        }
    }
}

// --- right recipient ---

fn contact(id: &str, name: &str) -> RecipientEntry {
    RecipientEntry {
        id: id.into(),
        display_name: name.into(),
        kind: RecipientKind::Contact {
            attested: true,
            verification: Verification::AttestedByOrganisation,
        },
        identifiers_sent_before: true,
    }
}

fn group(id: &str, name: &str, purpose: GroupPurpose) -> RecipientEntry {
    RecipientEntry {
        id: id.into(),
        display_name: name.into(),
        kind: RecipientKind::Group {
            purpose,
            members_outside_trust: 0,
        },
        identifiers_sent_before: true,
    }
}

const IDENTIFIERS: MessageClass = MessageClass {
    patient_identifiers: true,
    clinical: true,
};

fn confusions(book: &AddressBook, chosen: &RecipientEntry) -> Vec<(String, Confusion)> {
    book.check(chosen, IDENTIFIERS)
        .into_iter()
        .filter_map(|w| match w {
            RecipientWarning::ConfusableName {
                alternative_name,
                confusion,
                ..
            } => Some((alternative_name, confusion)),
            _ => None,
        })
        .collect()
}

#[test]
fn each_kind_of_confusable_name_is_found_and_named() {
    let book = AddressBook::new(vec![
        contact("1", "Dr Zoe Brown"),
        contact("2", "Zoë Brown"),
        contact("3", "Sarah Smith"),
        contact("4", "Sara Smyth"),
        contact("5", "J Patel"),
        contact("6", "Jaspreet Patel"),
        contact("7", "Dr Sam Okafor"),
        contact("8", "Иван Петров"),
        contact("9", "Ivan Petrov"),
        group("10", "Ward 7", GroupPurpose::Clinical),
        group("11", "Ward 17", GroupPurpose::Clinical),
        contact("12", "John Sm\u{0456}th"),
        contact("13", "John Smith"),
        contact("14", "Amelia Robertson"),
        contact("15", "Amelia Rupertsen"),
    ]);
    let get = |id: &str| match id {
        "1" => contact("1", "Dr Zoe Brown"),
        "3" => contact("3", "Sarah Smith"),
        "6" => contact("6", "Jaspreet Patel"),
        "9" => contact("9", "Ivan Petrov"),
        "10" => group("10", "Ward 7", GroupPurpose::Clinical),
        "13" => contact("13", "John Smith"),
        "15" => contact("15", "Amelia Rupertsen"),
        _ => unreachable!(),
    };
    assert_eq!(
        confusions(&book, &get("1")),
        [("Zoë Brown".into(), Confusion::SameName)]
    );
    assert_eq!(
        confusions(&book, &get("9")),
        [("Иван Петров".into(), Confusion::SameName)]
    );
    assert_eq!(
        confusions(&book, &get("13"))[0],
        ("John Sm\u{0456}th".into(), Confusion::SameName)
    );
    assert_eq!(
        confusions(&book, &get("10")),
        [("Ward 17".into(), Confusion::EditDistance { distance: 1 })]
    );
    assert_eq!(
        confusions(&book, &get("6")),
        [("J Patel".into(), Confusion::SameInitialAndSurname)]
    );
    assert!(
        confusions(&book, &get("3"))
            .contains(&("Sara Smyth".into(), Confusion::EditDistance { distance: 2 })),
        "{:?}",
        confusions(&book, &get("3"))
    );
    assert_eq!(
        confusions(&book, &get("15")),
        [("Amelia Robertson".into(), Confusion::SoundAlikeSurname)]
    );
}

#[test]
fn distinct_names_raise_nothing() {
    let book = AddressBook::new(vec![
        contact("1", "Dr Sam Okafor"),
        contact("2", "Priya Raman"),
        group("3", "Ward 7", GroupPurpose::Clinical),
        group("4", "Theatres rota", GroupPurpose::Operational),
    ]);
    for entry in [contact("1", "Dr Sam Okafor"), contact("2", "Priya Raman")] {
        assert_eq!(book.check(&entry, IDENTIFIERS), []);
    }
}

#[test]
fn the_warning_names_the_alternative_for_the_user() {
    let book = AddressBook::new(vec![contact("1", "Ward 7"), contact("2", "Ward 17")]);
    let w = book.check(&contact("1", "Ward 7"), IDENTIFIERS);
    assert_eq!(w[0].code(), "confusable_name");
    assert_eq!(
        w[0].to_string(),
        "\"Ward 17\" in your address book differs by one letter: check this is the right recipient"
    );
    assert!(w[0].guidance().contains("correct person or group"));
}

#[test]
fn confusables_are_capped_and_strongest_first() {
    let mut entries: Vec<_> = (0..20)
        .map(|i| contact(&i.to_string(), "J Smith"))
        .collect();
    entries.push(contact("x", "Jon Smith"));
    entries.push(contact("chosen", "John Smith"));
    let book = AddressBook::new(entries);
    let found = confusions(&book, &contact("chosen", "John Smith"));
    assert_eq!(found.len(), MAX_CONFUSABLES);
    assert_eq!(
        found[0],
        ("Jon Smith".into(), Confusion::EditDistance { distance: 1 })
    );
    assert!(
        found[1..]
            .iter()
            .all(|(_, c)| *c == Confusion::SameInitialAndSurname)
    );
}

#[test]
fn first_identifiers_to_a_contact_warn_once_the_app_records_them() {
    let book = AddressBook::new(vec![]);
    let mut chosen = contact("1", "Dr Sam Okafor");
    chosen.identifiers_sent_before = false;
    let codes = |c: &RecipientEntry, m| {
        book.check(c, m)
            .iter()
            .map(RecipientWarning::code)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes(&chosen, IDENTIFIERS),
        ["first_identifiers_to_contact"]
    );
    assert_eq!(
        codes(&chosen, MessageClass::new(false, true)),
        Vec::<&str>::new()
    );
    chosen.identifiers_sent_before = true;
    assert_eq!(codes(&chosen, IDENTIFIERS), Vec::<&str>::new());
}

#[test]
fn a_recipient_outside_the_trust_is_named() {
    let book = AddressBook::new(vec![]);
    let outsider = RecipientEntry {
        kind: RecipientKind::Contact {
            attested: false,
            verification: Verification::VerifiedInPerson,
        },
        ..contact("1", "Locum Dr Q")
    };
    assert_eq!(
        book.check(&outsider, IDENTIFIERS),
        [RecipientWarning::OutsideTrust { members: 1 }]
    );
    let mixed = RecipientEntry {
        kind: RecipientKind::Group {
            purpose: GroupPurpose::Clinical,
            members_outside_trust: 3,
        },
        ..contact("2", "Ward 7")
    };
    let w = book.check(&mixed, IDENTIFIERS);
    assert_eq!(w, [RecipientWarning::OutsideTrust { members: 3 }]);
    assert_eq!(
        w[0].to_string(),
        "3 members have no card attested by the Trust"
    );
}

#[test]
fn a_clinical_message_to_a_social_group_warns_even_without_identifiers() {
    let book = AddressBook::new(vec![]);
    let social = group("1", "Ward 7 nights out", GroupPurpose::Social);
    assert_eq!(
        book.check(&social, MessageClass::new(false, true)),
        [RecipientWarning::ClinicalToSocialGroup]
    );
    assert_eq!(book.check(&social, MessageClass::default()), []);
    let clinical = group("2", "Ward 7", GroupPurpose::Clinical);
    assert_eq!(book.check(&clinical, MessageClass::new(false, true)), []);
}

#[test]
fn a_harmless_message_gets_no_warning_even_to_a_confusable_contact() {
    let book = AddressBook::new(vec![contact("1", "John Smith"), contact("2", "Joan Smith")]);
    assert_eq!(
        book.check(&contact("1", "John Smith"), MessageClass::default()),
        []
    );
}

#[test]
fn entries_come_from_contacts() {
    let org = OrganisationKey::generate(&mut rng());
    let keys = DeviceKeys::generate(&mut rng());
    let card = keys
        .issue_card(
            "a.clinician@nhs.net",
            "Dr A Clinician",
            NOW,
            NOW + 365 * DAY,
        )
        .unwrap()
        .attest(&org);
    let trust = TrustPolicy::new().with_organisation(org.public_key());
    let contact = careguard::identity::Contact::new(card.verify(&trust, NOW).unwrap());
    let entry = RecipientEntry::from_contact("c1", &contact, false);
    assert_eq!(entry.display_name, "Dr A Clinician");
    assert_eq!(
        entry.kind,
        RecipientKind::Contact {
            attested: true,
            verification: Verification::AttestedByOrganisation
        }
    );
}

// --- group hygiene ---

struct Fixture {
    org: OrganisationKey,
}

impl Fixture {
    fn new() -> Self {
        Self {
            org: OrganisationKey::generate(&mut rng()),
        }
    }

    fn trust(&self) -> TrustPolicy {
        TrustPolicy::new().with_organisation(self.org.public_key())
    }

    fn member(&self, staff: &str, attested: bool, expires_at: u64) -> (DeviceKeys, GroupMember) {
        let keys = DeviceKeys::generate(&mut rng());
        let mut card = keys
            .issue_card(staff, staff, NOW - 30 * DAY, expires_at)
            .unwrap();
        if attested {
            card = card.attest(&self.org);
        }
        let member = GroupMember {
            card,
            joined_at: NOW - 20 * DAY,
            verified_in_person: false,
        };
        (keys, member)
    }

    fn group(&self, members: Vec<GroupMember>) -> Group {
        Group {
            name: "Ward 7".into(),
            purpose: GroupPurpose::Clinical,
            members,
            last_review: NOW - 10 * DAY,
            clinical_messages_since_review: 0,
        }
    }
}

fn codes(findings: &[GroupFinding]) -> Vec<&'static str> {
    findings.iter().map(GroupFinding::code).collect()
}

#[test]
fn a_healthy_group_needs_nothing() {
    let f = Fixture::new();
    let (_, a) = f.member("a@nhs.net", true, NOW + DAY);
    let (_, b) = f.member("b@nhs.net", true, NOW + DAY);
    let group = f.group(vec![a, b]);
    assert_eq!(
        review_group(&group, NOW, &f.trust(), &GroupRules::default()),
        []
    );
}

#[test]
fn a_revoked_member_is_listed() {
    let f = Fixture::new();
    let (keys, a) = f.member("a@nhs.net", true, NOW + DAY);
    let revoked = RevocationList::sign(&f.org, NOW, &[keys.device_id()]).unwrap();
    let trust = f.trust().with_revocations(revoked);
    let findings = review_group(&f.group(vec![a]), NOW, &trust, &GroupRules::default());
    assert_eq!(
        findings,
        [GroupFinding::MemberRevoked {
            staff_id: "a@nhs.net".into(),
            device_id: keys.device_id()
        }]
    );
}

#[test]
fn an_expired_member_card_is_listed() {
    let f = Fixture::new();
    let (_, a) = f.member("a@nhs.net", true, NOW - DAY);
    let findings = review_group(&f.group(vec![a]), NOW, &f.trust(), &GroupRules::default());
    assert_eq!(
        findings,
        [GroupFinding::MemberCardExpired {
            staff_id: "a@nhs.net".into(),
            expires_at: NOW - DAY
        }]
    );
}

#[test]
fn a_member_no_longer_attested_is_listed_and_unverified_unless_met_in_person() {
    let f = Fixture::new();
    let (_, a) = f.member("a@nhs.net", false, NOW + DAY);
    let (_, mut b) = f.member("b@nhs.net", false, NOW + DAY);
    b.verified_in_person = true;
    let findings = review_group(
        &f.group(vec![a, b]),
        NOW,
        &f.trust(),
        &GroupRules::default(),
    );
    assert_eq!(
        codes(&findings),
        [
            "member_not_attested",
            "member_unverified",
            "member_not_attested"
        ]
    );
    // Attested under a key the Trust no longer trusts: the attestation does not check.
    let old = Fixture::new();
    let (_, c) = old.member("c@nhs.net", true, NOW + DAY);
    let findings = review_group(&f.group(vec![c]), NOW, &f.trust(), &GroupRules::default());
    assert_eq!(codes(&findings), ["member_card_invalid"]);
    // A Trust that requires attestation reports the same as not attested.
    let (_, d) = f.member("d@nhs.net", false, NOW + DAY);
    let strict = f.trust().require_attestation(true);
    let findings = review_group(&f.group(vec![d]), NOW, &strict, &GroupRules::default());
    assert_eq!(
        codes(&findings),
        ["member_not_attested", "member_unverified"]
    );
}

#[test]
fn a_member_who_joined_since_the_review_is_listed() {
    let f = Fixture::new();
    let (_, mut a) = f.member("a@nhs.net", true, NOW + DAY);
    a.joined_at = NOW - DAY;
    let findings = review_group(&f.group(vec![a]), NOW, &f.trust(), &GroupRules::default());
    assert_eq!(
        findings,
        [GroupFinding::MemberJoinedSinceReview {
            staff_id: "a@nhs.net".into(),
            joined_at: NOW - DAY
        }]
    );
}

#[test]
fn an_overdue_review_is_listed_from_the_day_after_it_was_due() {
    let f = Fixture::new();
    let mut group = f.group(vec![]);
    let rules = GroupRules::new(30 * DAY, 50);
    group.last_review = NOW - 30 * DAY;
    assert_eq!(review_group(&group, NOW, &f.trust(), &rules), []);
    group.last_review = NOW - 31 * DAY;
    assert_eq!(
        review_group(&group, NOW, &f.trust(), &rules),
        [GroupFinding::ReviewOverdue { due_at: NOW - DAY }]
    );
}

#[test]
fn a_social_group_with_clinical_messages_is_listed() {
    let f = Fixture::new();
    let mut group = f.group(vec![]);
    group.clinical_messages_since_review = 2;
    assert_eq!(
        review_group(&group, NOW, &f.trust(), &GroupRules::default()),
        []
    );
    group.purpose = GroupPurpose::Social;
    assert_eq!(
        review_group(&group, NOW, &f.trust(), &GroupRules::default()),
        [GroupFinding::SocialAndClinicalMixed {
            clinical_messages: 2
        }]
    );
}

#[test]
fn a_group_larger_than_the_rules_allow_is_listed() {
    let f = Fixture::new();
    let members: Vec<_> = (0..3)
        .map(|i| f.member(&format!("m{i}@nhs.net"), true, NOW + DAY).1)
        .collect();
    let group = f.group(members);
    assert_eq!(
        review_group(&group, NOW, &f.trust(), &GroupRules::new(90 * DAY, 3)),
        []
    );
    assert_eq!(
        review_group(&group, NOW, &f.trust(), &GroupRules::new(90 * DAY, 2)),
        [GroupFinding::TooLarge { members: 3, max: 2 }]
    );
}
