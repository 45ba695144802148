//! The send policy's rules, each traced to the guidance (see core/src/policy.rs).

use careguard::detect::{Kind, Scanner};
use careguard::policy::{Context, Conversation, Platform, Reason, Verdict, decide, review};

const IDENTIFYING: &str = "Mr John Smith NHS 943 476 5919 needs a review";
const LOW_RISK: &str = "call back on 07700 900123";
const CLEAN: &str = "bay 4 needs obs at 2pm please";

fn verdict(text: &str, ctx: &Context) -> Verdict {
    review(&Scanner::new(), text, ctx).verdict
}

#[test]
fn nothing_found_is_allowed_everywhere() {
    for ctx in [
        Context::new(Conversation::Social, Platform::Unapproved),
        Context::new(Conversation::Broadcast, Platform::Approved),
        Context::new(Conversation::Clinical, Platform::Approved),
    ] {
        let d = review(&Scanner::new(), CLEAN, &ctx);
        assert_eq!(d.verdict, Verdict::Allow);
        assert!(d.reasons.is_empty() && d.suggestion.is_none());
    }
}

#[test]
fn social_groups_and_broadcasts_block_any_identifier() {
    for text in [IDENTIFYING, LOW_RISK] {
        for platform in [Platform::Approved, Platform::Unapproved] {
            let social = Context::new(Conversation::Social, platform).with_emergency(true);
            assert_eq!(verdict(text, &social), Verdict::Block);
            let broadcast = Context::new(Conversation::Broadcast, platform);
            assert_eq!(verdict(text, &broadcast), Verdict::Block);
        }
    }
}

#[test]
fn unapproved_platform_blocks_unless_emergency() {
    let ctx = Context::new(Conversation::Clinical, Platform::Unapproved);
    let d = review(&Scanner::new(), IDENTIFYING, &ctx);
    assert_eq!(d.verdict, Verdict::Block);
    assert_eq!(d.reasons[0].code(), "unapproved_platform");
    assert_eq!(
        d.suggestion.as_deref(),
        Some("Mr [name] NHS [NHS number] needs a review")
    );

    let outage = ctx.clone().with_emergency(true);
    let d = review(&Scanner::new(), IDENTIFYING, &outage);
    assert_eq!(d.verdict, Verdict::Warn);
    assert_eq!(d.reasons[0].code(), "emergency_minimal");
    assert!(d.reasons[0].guidance().contains("6.6"));
    assert!(d.suggestion.is_some());
}

#[test]
fn approved_clinical_warns_on_high_risk_only() {
    let ctx = Context::new(Conversation::Clinical, Platform::Approved);
    let d = review(&Scanner::new(), IDENTIFYING, &ctx);
    assert_eq!(d.verdict, Verdict::Warn);
    assert_eq!(
        d.reasons,
        [Reason::HighRisk {
            kinds: vec![Kind::NhsNumber, Kind::PersonName]
        }]
    );
    assert_eq!(
        d.reasons[0].to_string(),
        "message identifies a patient: minimise it if you can (nhs_number, person_name)"
    );
    assert_eq!(verdict(LOW_RISK, &ctx), Verdict::Allow);
}

#[test]
fn decide_without_text_has_no_suggestion() {
    let findings = Scanner::new().scan(IDENTIFYING);
    let d = decide(
        &findings,
        &Context::new(Conversation::Social, Platform::Approved),
    );
    assert_eq!(d.verdict, Verdict::Block);
    assert!(d.suggestion.is_none());
}

#[test]
fn staff_only_names_are_allowed_in_a_clinical_group_on_an_approved_platform() {
    let clinical = Context::new(Conversation::Clinical, Platform::Approved);
    let text = "can Dr Okafor review bay 4 when free";
    let d = review(&Scanner::new(), text, &clinical);
    assert_eq!(d.verdict, Verdict::Allow, "{d:?}");
    assert!(d.reasons.is_empty() && d.suggestion.is_none());
    // the finding is still there, marked staff, for an audit
    let found = Scanner::new().scan(text);
    assert_eq!(found[0].subject, careguard::detect::Subject::Staff);
}

#[test]
fn senders_passed_as_staff_names_are_allowed() {
    let text = "Priya Raman asked about the fridge";
    let plain = Context::new(Conversation::Clinical, Platform::Approved);
    assert_eq!(verdict(text, &plain), Verdict::Warn);
    let senders = plain.clone().with_staff_names(["Priya Raman"]);
    assert_eq!(verdict(text, &senders), Verdict::Allow);
}

#[test]
fn patient_and_unknown_names_still_warn_in_a_clinical_group() {
    let clinical = Context::new(Conversation::Clinical, Platform::Approved);
    for text in [
        "Kwabena Mensah in bay 1 needs a bladder scan",
        "Priya Raman asked about the fridge",
    ] {
        let d = review(&Scanner::new(), text, &clinical);
        assert_eq!(d.verdict, Verdict::Warn, "{text}");
        assert!(
            matches!(&d.reasons[0], Reason::HighRisk { kinds } if kinds == &[Kind::PersonName])
        );
    }
    // a staff name beside a patient's: the patient's still warns
    assert_eq!(
        verdict("Dr Okafor to see Kwabena Mensah in bay 1", &clinical),
        Verdict::Warn
    );
}

#[test]
fn social_groups_and_unapproved_platforms_flag_staff_names_too() {
    let text = "can Dr Okafor review bay 4 when free";
    assert_eq!(
        verdict(
            text,
            &Context::new(Conversation::Social, Platform::Approved)
        ),
        Verdict::Block
    );
    assert_eq!(
        verdict(
            text,
            &Context::new(Conversation::Clinical, Platform::Unapproved)
        ),
        Verdict::Block
    );
    let senders =
        Context::new(Conversation::Social, Platform::Approved).with_staff_names(["Okafor"]);
    assert_eq!(verdict(text, &senders), Verdict::Block);
}

#[test]
fn decide_counts_only_names_not_attributed_to_staff() {
    use careguard::detect::{Finding, Subject};
    let staff = Finding {
        kind: Kind::PersonName,
        start: 0,
        end: 6,
        start_utf16: 0,
        end_utf16: 6,
        confidence: 0.9,
        rule: "title",
        subject: Subject::Staff,
    };
    let ctx = Context::new(Conversation::Clinical, Platform::Approved);
    assert_eq!(decide(&[staff], &ctx).verdict, Verdict::Allow);
    let patient = Finding {
        subject: Subject::Patient,
        ..staff
    };
    let unknown = Finding {
        subject: Subject::Unknown,
        ..staff
    };
    assert_eq!(decide(&[patient], &ctx).verdict, Verdict::Warn);
    assert_eq!(decide(&[unknown], &ctx).verdict, Verdict::Warn);
    assert_eq!(decide(&[staff, patient], &ctx).verdict, Verdict::Warn);
}

#[test]
fn review_returns_the_findings_it_decided_on() {
    let scanner = Scanner::new();
    let text = "Priya Raman to see Kwabena Mensah, NHS 943 476 5919";
    let ctx =
        Context::new(Conversation::Clinical, Platform::Approved).with_staff_names(["Priya Raman"]);
    let d = review(&scanner, text, &ctx);
    let hints = careguard::detect::ScanHints {
        staff_names: &ctx.staff_names,
    };
    let scanned = scanner.scan_with(text, &hints);
    assert!(scanned.len() >= 3, "{scanned:?}");
    assert_eq!(d.findings, scanned);
    assert_eq!(decide(&scanned, &ctx).findings, scanned);
    // A clean message: an allow with nothing found.
    assert!(review(&scanner, CLEAN, &ctx).findings.is_empty());
}
