//! Names decided by the evidence around them (issue 19): kin and contacts, staff roles,
//! names at the head of a line before an age, bed or bay, and a title or a numbered ward
//! beating the "<Name> ward" place rule; with what must stay quiet.

use careguard::detect::{Kind, Scanner};

fn names(text: &str) -> Vec<&str> {
    Scanner::new()
        .scan(text)
        .into_iter()
        .filter(|f| f.kind == Kind::PersonName)
        .map(|f| &text[f.start..f.end])
        .collect()
}

#[test]
fn a_title_or_a_numbered_ward_beats_the_place_word() {
    assert_eq!(names("Mrs Okoro ward 12 bed 3 needs her TTOs"), ["Okoro"]);
    assert_eq!(
        names("pt Dinh Thi Lan ward 9 bed 4 obs stable"),
        ["Dinh Thi Lan"]
    );
    assert!(names("moved to Lister ward this morning").is_empty());
}

#[test]
fn names_after_kin_and_contact_words_are_found_in_any_case() {
    assert_eq!(names("daughter Chidinma is NOK"), ["Chidinma"]);
    assert_eq!(names("niece (Nimmi) is translating for now"), ["Nimmi"]);
    assert_eq!(names("mum ifeyinwa at bedside"), ["ifeyinwa"]);
    // the kin word alone, or before a common word, stays quiet
    assert!(names("daughter is coming at 3").is_empty());
    assert!(names("wife will bring his glasses").is_empty());
}

#[test]
fn names_after_a_staff_role_are_found() {
    assert_eq!(names("HCA Mags is on a break till 11:30"), ["Mags"]);
    assert!(names("HCA Team meeting at 2").is_empty());
}

#[test]
fn word_names_before_patient_evidence_are_names() {
    assert_eq!(names("Hope in bay 6 wants a shower"), ["Hope"]);
    assert_eq!(names("Grace (bed 3) is NBM"), ["Grace"]);
    assert_eq!(names("Ruby 6y bed 4 day 1 post op"), ["Ruby"]);
    assert_eq!(names("Joy 88 bed 9 wandering again"), ["Joy"]);
    for quiet in [
        "hope so",
        "grace period applies",
        "sky high lactate",
        "Will do in 10",
    ] {
        assert!(names(quiet).is_empty(), "{quiet}: {:?}", names(quiet));
    }
}

#[test]
fn names_in_file_names_and_paths_are_found() {
    assert_eq!(
        names("see Kowalczyk_Anna_discharge.pdf"),
        ["Kowalczyk_Anna"]
    );
    // the span may take in a neighbouring word in no list ("referral_"): masking more
    // of a file name is safe
    let found = names("see attached: referral_hussain_imran.docx");
    assert!(
        found.len() == 1 && found[0].ends_with("hussain_imran"),
        "{found:?}"
    );
    // one slash is not a path
    let slash = Scanner::new().scan("see the Gillick/Fraser leaflet");
    assert!(slash.iter().all(|f| f.rule != "file_name"), "{slash:?}");
    assert!(names("IMG_20261203_0912.jpg attached").is_empty());
}

#[test]
fn a_capitalised_word_before_an_age_with_a_unit_is_a_name() {
    assert_eq!(names("Sterling 40M bay 1 withdrawal"), ["Sterling"]);
    assert!(names("Lady 80F fall at home").is_empty());
    assert!(names("frank haematuria in bed 6").is_empty());
}

#[test]
fn cue_words_are_english_and_urls_are_not_paths() {
    // "đã" folds to "da" (a kinship word); Vietnamese text is not a kin cue
    assert!(names("Dmitry S: đã bỏ sticker").iter().all(|n| *n != "bỏ"));
    // the "//" of a URL is not a path separator
    assert!(names("see https://telegram.org/ for the app").is_empty());
    assert_eq!(
        names("saved to scans/OKAFOR_Grace/cxr.png"),
        ["OKAFOR_Grace"]
    );
}

#[test]
fn names_glued_into_file_names_and_paths_are_found_with_their_initials() {
    assert_eq!(names("scans/Okafor-J/ct.png"), ["Okafor-J"]);
    assert_eq!(names("see attached Okafor_J_letter.docx"), ["Okafor_J"]);
    assert_eq!(
        names("scans/ONEILL-P-CXR.jpg - reg to review"),
        ["ONEILL-P"]
    );
    assert_eq!(names("OKAFOR-J-CXR.jpg"), ["OKAFOR-J"]);
    assert_eq!(
        names("photo: Mbeki-Lungu_heel_wound_0312.jpg"),
        ["Mbeki-Lungu"]
    );
    let s = Scanner::new();
    let f = s.scan("OKAFOR-J-CXR.jpg");
    assert_eq!(f[0].subject, careguard::detect::Subject::Patient);
    for quiet in [
        "X-ray.pdf",
        "follow-up.pdf",
        "Wells-score.pdf",
        "e.g. the pdf",
    ] {
        assert!(names(quiet).is_empty(), "{quiet}");
    }
}
