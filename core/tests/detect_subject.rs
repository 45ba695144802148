//! Whose name a `person_name` finding is (issue 19): `Finding::subject`, the staff-name
//! hints and the subject's stable names.

use careguard::detect::{Kind, ScanHints, Scanner, ScannerBuilder, StaffNames, Subject};

fn subjects(scanner: &Scanner, text: &str) -> Vec<(String, Subject)> {
    scanner
        .scan(text)
        .into_iter()
        .filter(|f| f.kind == Kind::PersonName)
        .map(|f| (text[f.start..f.end].to_owned(), f.subject))
        .collect()
}

fn one(text: &str) -> Subject {
    let found = subjects(&Scanner::new(), text);
    assert_eq!(found.len(), 1, "{text}: {found:?}");
    found[0].1
}

#[test]
fn subject_names_round_trip() {
    for s in [Subject::Patient, Subject::Staff, Subject::Unknown] {
        assert_eq!(s.as_str().parse::<Subject>(), Ok(s));
        assert_eq!(s.to_string(), s.as_str());
    }
    assert!("nurse".parse::<Subject>().is_err());
}

#[test]
fn other_kinds_are_unknown() {
    let found = Scanner::new().scan("NHS 943 476 5919 DOB 12/03/1954");
    assert!(!found.is_empty());
    assert!(found.iter().all(|f| f.subject == Subject::Unknown));
}

#[test]
fn staff_titles_mentions_greetings_and_sign_offs_are_staff() {
    for text in [
        "can Dr Okafor review bay 4",
        "Sister Jones is in charge",
        "@Tomasz can you check bay 3",
        "hi Sarah can you cover nights",
        "thanks\n- Priya",
    ] {
        assert_eq!(one(text), Subject::Staff, "{text}");
    }
}

#[test]
fn patients_and_their_relatives_are_patient() {
    for text in [
        "Kwabena Mensah in bay 1 needs a bladder scan",
        "Aisha Khan 67F chest pain",
        "his sister Mary rang",
        "Mr Oyelaran for TTO today",
        "Grace Adeyemi DOB 12/03/1954 for CT",
    ] {
        assert_eq!(one(text), Subject::Patient, "{text}");
    }
}

#[test]
fn rota_talk_without_patient_evidence_is_staff() {
    assert_eq!(one("Bronwen Pugh is NIC today"), Subject::Staff);
}

#[test]
fn patient_evidence_beats_rota_talk() {
    // a shift word near a bed number: calling a patient staff is the costly mistake
    assert_eq!(one("Bronwen Pugh in bed 3 on nights"), Subject::Patient);
}

#[test]
fn staff_names_from_the_builder_and_from_hints() {
    let text = "Priya Raman asked about the fridge";
    assert_ne!(one(text), Subject::Staff);
    let built = ScannerBuilder::new()
        .staff_names(["priya raman"])
        .build()
        .unwrap();
    assert_eq!(subjects(&built, text)[0].1, Subject::Staff);
    let senders = StaffNames::new(["Priya Raman"]);
    let hints = ScanHints {
        staff_names: &senders,
    };
    let found = Scanner::new().scan_with(text, &hints);
    assert_eq!(found[0].subject, Subject::Staff);
    // a hint changes the subject only, never what is found
    let plain = Scanner::new().scan(text);
    assert_eq!(found.len(), plain.len());
    assert_eq!(
        (found[0].start, found[0].end),
        (plain[0].start, plain[0].end)
    );
}

#[test]
fn kin_words_and_bracketed_roles_decide_the_subject() {
    assert_eq!(
        one("contact Eilidh (sister) on the ward phone"),
        Subject::Patient
    );
    assert_eq!(
        one("Magdalena (band 5) is fire warden today"),
        Subject::Staff
    );
    assert_eq!(
        one("Consultant Mr Lindqvist wants the post-ops seen"),
        Subject::Staff
    );
    assert_eq!(
        one("Wanda's son has complained about the food"),
        Subject::Patient
    );
}

#[test]
fn a_colleague_addressed_at_the_start_of_a_line_is_staff() {
    assert_eq!(
        one("Yusuf can you do the 10pm drug round please"),
        Subject::Staff
    );
    assert_eq!(one("Owain on nights said it was quiet"), Subject::Staff);
}

#[test]
fn a_heading_role_does_not_make_the_next_name_staff() {
    // "SHO:" heads a referral; the name after it is the patient's
    let found = subjects(
        &Scanner::new(),
        "ref for surgical SHO: Oyinkansola Balogun 28F, RIF pain",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, Subject::Patient);
}

#[test]
fn file_names_are_patients_and_export_senders_staff() {
    assert_eq!(one("see Kowalczyk_Anna_discharge.pdf"), Subject::Patient);
    let found = subjects(&Scanner::new(), "[14:02] Priya Kaur: bed 4 obs due");
    assert_eq!(found[0].1, Subject::Staff, "{found:?}");
}

#[test]
fn the_fitted_model_reads_shift_talk_roles_and_two_word_cues() {
    // each was `unknown` or `patient` under the cue-counting rules
    for text in [
        "Kezia is on the late",
        "Parveen is on a short day",
        "ward sister Hannah wants the NIPEs done by 12",
        "Sophie (bed manager) left the group",
        "Raj from bed management wants a call",
    ] {
        assert_eq!(one(text), Subject::Staff, "{text}");
    }
    for text in [
        "Doreen in bay 4 is on the late list for theatre",
        "Mrs Achterberg is on the list for theatre",
        "his sister Mary is on the ward",
    ] {
        assert_eq!(one(text), Subject::Patient, "{text}");
    }
}

#[test]
fn explain_subjects_names_the_features_the_score_and_the_hard_rule() {
    let s = Scanner::new();
    let hints = ScanHints::default();
    let why = s.explain_subjects("Kezia is on the late", &hints);
    assert_eq!(why.len(), 1);
    assert_eq!((why[0].start(), why[0].end()), (0, 5));
    assert_eq!(why[0].subject(), Subject::Staff);
    assert_eq!(why[0].rule(), None);
    assert!(why[0].staff_score() > 0.0);
    let features: Vec<&str> = why[0].features().collect();
    assert!(features.contains(&"before_on_shift"), "{features:?}");
    let known: Vec<&str> = careguard::detect::SubjectEvidence::feature_names().collect();
    assert!(features.iter().all(|f| known.contains(f)));

    let why = s.explain_subjects("@Tomasz can you check bay 3", &hints);
    assert_eq!(why[0].rule(), Some("mention"));
    assert_eq!(why[0].subject(), Subject::Staff);
    let why = s.explain_subjects("see Kowalczyk_Anna_discharge.pdf", &hints);
    assert_eq!(why[0].rule(), Some("file_name"));
    assert_eq!(why[0].subject(), Subject::Patient);
    let rota = StaffNames::new(["Doreen Hill"]);
    let why = s.explain_subjects(
        "Doreen in bay 4 is on the late list",
        &ScanHints { staff_names: &rota },
    );
    assert_eq!(why[0].rule(), Some("staff_names"));
    assert_eq!(why[0].subject(), Subject::Staff);
    // the scan agrees with its explanation
    assert!(s.explain_subjects("", &hints).is_empty());
}

#[test]
fn names_in_a_rota_list_are_staff() {
    let s = Scanner::new();
    for text in [
        "Chiamaka, Tomasz and Oleksandr are on nights this week",
        "earlies: Bukola / Gareth / Yetunde",
    ] {
        let found = subjects(&s, text);
        assert!(found.len() >= 2, "{text}: {found:?}");
        assert!(
            found.iter().all(|(_, sub)| *sub == Subject::Staff),
            "{text}: {found:?}"
        );
    }
    // a list of patients is not a rota
    let found = subjects(&s, "for theatre: Okafor, Lindqvist and Bhatt");
    assert!(
        found.iter().all(|(_, sub)| *sub != Subject::Staff),
        "{found:?}"
    );
}
