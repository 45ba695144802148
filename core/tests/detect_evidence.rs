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

#[test]
fn a_name_heading_a_line_before_an_identifier_is_a_name() {
    assert_eq!(names("Sundari NHS no: 634-915-4746"), ["Sundari"]);
    assert_eq!(names("Adewale 6756587218 postcode M14 6UD"), ["Adewale"]);
    assert_eq!(names("Nasir 40/M 04-11-1986"), ["Nasir"]);
    assert_eq!(names("amaal dob 1/6/2001 25f gynae"), ["amaal"]);
    assert_eq!(names("April 34F bed 2"), ["April"]);
    // an identifier's own cue, a single letter or a word in a list is not a name
    assert!(names("chi 0909586993 for home").is_empty());
    assert!(names("D.O.B 09/12/85 for bed 3").is_empty());
    assert!(names("adm 14/11/2026, clinic 02/01/2027").is_empty());
    assert!(names("accession 7772225551").is_empty());
    assert!(names("April 2026 rota is out").is_empty());
}

#[test]
fn mentions_and_greetings_name_colleagues() {
    use careguard::detect::Subject;
    let s = Scanner::new();
    for (text, name) in [
        ("@Tayo please escort bed 4 to endoscopy", "Tayo"),
        ("@dr_patel bed 11 BP 200/110 pls review", "dr_patel"),
        ("@kwame.o thanks for today", "kwame.o"),
        ("cheers Mo 👍", "Mo"),
        ("hi Jess, could you bring the chart", "Jess"),
        ("diolch Sioned 🙏", "Sioned"),
    ] {
        let f = s.scan(text);
        assert_eq!(f.len(), 1, "{text}");
        assert_eq!(&text[f[0].start..f[0].end], name);
        assert_eq!(f[0].subject, Subject::Staff, "{text}");
    }
    for quiet in [
        "@all huddle at 2",
        "@bed4 needs obs",
        "thanks team",
        "sorry typo",
        "ok thanks",
        "Hey I'm a test too!",
        "thanks I'll do it",
    ] {
        assert!(names(quiet).is_empty(), "{quiet}");
    }
    assert_eq!(names("email me at jo@example.com"), Vec::<&str>::new());
}

#[test]
fn kin_cues_take_given_names_that_are_words_and_accented_or_hyphenated_cues() {
    assert_eq!(names("niece Amber has LPA"), ["Amber"]);
    assert_eq!(names("fiancée Kasia wants to bring the dog"), ["Kasia"]);
    assert_eq!(names("half-sister Tamika is NOK"), ["Tamika"]);
    assert!(names("wife will bring clothes").is_empty());
}

#[test]
fn classifications_tests_health_boards_and_devices_stay_quiet() {
    for quiet in [
        "ankle Weber B, in a boot for 6 weeks",
        "Schatzker IV plateau for ORIF tomorrow",
        "Mobitz II on the monitor, cardiology aware",
        "Salter-Harris II distal tibia",
        "assessed as Gillick competent by the reg",
        "Fraser guidelines discussed and documented",
        "Braxton Hicks overnight, CTG reassuring",
        "referral back to Betsi Cadwaladr for rehab",
        "Aneurin Bevan want the letter faxed",
        "Hywel Dda bed bureau rang",
        "needs a Sara Stedy and 2 staff",
        "FreeStyle Libre reading 4.2",
        "Venturi 28% via mask",
        "Lund and Browder done in ED",
    ] {
        assert!(names(quiet).is_empty(), "{quiet}: {:?}", names(quiet));
    }
    // the same words as people's names are still found
    assert_eq!(
        names("Mrs Weber in bay 2 for the fracture clinic"),
        ["Weber"]
    );
    assert_eq!(names("Mr Fraser in bed 6 is NBM"), ["Fraser"]);
}
