//! Behaviour of `careguard::detect` through the public API.

use careguard::detect::{Finding, Kind, MaskStyle, Scanner, ScannerBuilder, is_valid_nhs_number};
use proptest::prelude::*;
use std::sync::OnceLock;

fn scanner() -> &'static Scanner {
    static S: OnceLock<Scanner> = OnceLock::new();
    S.get_or_init(Scanner::new)
}

fn found(text: &str) -> Vec<(Kind, &str)> {
    scanner()
        .scan(text)
        .iter()
        .map(|f| (f.kind, &text[f.start..f.end]))
        .collect()
}

#[test]
fn kind_names_are_design_names() {
    let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "nhs_number",
            "chi_number",
            "hc_number",
            "date_of_birth",
            "date",
            "person_name",
            "postcode",
            "phone_number",
            "email",
            "ni_number",
            "hospital_number"
        ]
    );
    for k in Kind::ALL {
        assert_eq!(k.as_str().parse::<Kind>(), Ok(k));
    }
    assert!("nhs".parse::<Kind>().is_err());
}

#[test]
fn scanner_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Scanner>();
}

#[test]
fn nhs_numbers_in_every_layout() {
    for text in [
        "NHS 943 476 5919 ok",
        "NHS 943-476-5919 ok",
        "NHS 9434765919 ok",
        "NHS 943\u{a0}476\u{a0}5919 ok",
        "NHS 943\u{2009}476\u{2009}5919 ok",
        "NHS 943\u{202f}476\u{202f}5919 ok",
    ] {
        let f = found(text);
        assert_eq!(f.len(), 1, "{text}: {f:?}");
        assert_eq!(f[0].0, Kind::NhsNumber, "{text}");
        assert!(f[0].1.starts_with("943") && f[0].1.ends_with("5919"));
    }
}

#[test]
fn failed_check_digit_is_not_an_nhs_number() {
    assert!(found("order 943 476 5918").is_empty());
    assert!(found("lab no 4857773456").is_empty());
    assert!(!is_valid_nhs_number("9434765918"));
    assert!(is_valid_nhs_number("9434765919"));
}

#[test]
fn chi_and_hc_numbers_by_range() {
    // check digits from the `nhs-number` package's calculate_checksum
    assert_eq!(found("CHI 1203541236"), [(Kind::ChiNumber, "1203541236")]);
    assert_eq!(found("CHI 120354 1236"), [(Kind::ChiNumber, "120354 1236")]);
    // 320 000 000 then the check digit: 3*10+2*9 = 48, 48 % 11 = 4, 11-4 = 7
    assert_eq!(
        found("H&C 320 000 0007"),
        [(Kind::HcNumber, "320 000 0007")]
    );
    // CHI range but 31 February is not a date
    assert!(!is_valid_nhs_number("3102541236"));
}

#[test]
fn dates_of_birth_by_context_and_plain_dates_quiet() {
    assert_eq!(found("DOB 12/03/1954"), [(Kind::DateOfBirth, "12/03/1954")]);
    assert_eq!(
        found("d.o.b. 12.03.1954"),
        [(Kind::DateOfBirth, "12.03.1954")]
    );
    assert_eq!(
        found("born 12th March 1954"),
        [(Kind::DateOfBirth, "12th March 1954")]
    );
    assert_eq!(
        found("DOB March 12, 1954"),
        [(Kind::DateOfBirth, "March 12, 1954")]
    );
    assert_eq!(found("DOB 1954-03-12"), [(Kind::DateOfBirth, "1954-03-12")]);
    assert_eq!(found("dob 12/3/54"), [(Kind::DateOfBirth, "12/3/54")]);
    assert_eq!(
        found("DOB 12 March '54"),
        [(Kind::DateOfBirth, "12 March '54")]
    );
    assert_eq!(
        found("born 3rd Feb \u{2019}61 in Leeds"),
        [(Kind::DateOfBirth, "3rd Feb \u{2019}61")]
    );
    assert!(found("clinic 14/03/2026").is_empty());
    assert!(found("DOB 31/02/1954").is_empty(), "impossible date");
    let low = ScannerBuilder::new()
        .confidence_threshold(0.2)
        .build()
        .unwrap();
    assert_eq!(low.scan("clinic 14/03/2026")[0].kind, Kind::Date);
}

#[test]
fn names_by_title_list_context_and_lexicon() {
    assert_eq!(
        found("Mr John Smith in bay 4"),
        [(Kind::PersonName, "John Smith")]
    );
    assert_eq!(
        found("SMITH, John bay 4"),
        [(Kind::PersonName, "SMITH, John")]
    );
    assert_eq!(
        found("bed 2 mrs kaur post hartmann's"),
        [(Kind::PersonName, "kaur")]
    );
    // An identifier label after a name is not part of it.
    assert_eq!(
        found("Mrs Begum DOB 12/03/1954"),
        [
            (Kind::PersonName, "Begum"),
            (Kind::DateOfBirth, "12/03/1954")
        ]
    );
    assert_eq!(
        found("john smith in bay 4"),
        [(Kind::PersonName, "john smith")]
    );
    assert_eq!(
        found("spoke to Adeyemi's daughter"),
        [(Kind::PersonName, "Adeyemi")]
    );
    assert_eq!(
        found("Zoë Ahmed in side room"),
        [(Kind::PersonName, "Zoë Ahmed")]
    );
    assert_eq!(
        found("NOK Łukasz Kowalski"),
        [(Kind::PersonName, "Łukasz Kowalski")]
    );
    assert_eq!(
        found("pt Siobhán Ní Bhriain"),
        [(Kind::PersonName, "Siobhán Ní Bhriain")]
    );
}

#[test]
fn eponyms_places_and_words_stay_quiet() {
    for text in [
        "known Parkinson's, on Hartmann's",
        "Foley in situ, Wells score 2, GCS 15",
        "Addison's, Crohn's flare, Cushing's, Down syndrome, Guillain-Barré",
        "Hodgkin lymphoma, Bell's palsy",
        "transfer to James Cook, then Florence Nightingale ward",
        "St Thomas', Addenbrooke's, Alder Hey",
        "Will do. Temp rose to 39, frank haematuria, grace period",
        "mark the chart, pat dry, brown sputum, May I ask",
        "bleep 4471, BP 120/80, ext 2345",
    ] {
        assert!(found(text).is_empty(), "{text}: {:?}", found(text));
    }
}

#[test]
fn other_kinds() {
    assert_eq!(found("07700 900123"), [(Kind::PhoneNumber, "07700 900123")]);
    assert_eq!(
        found("call +44 7700 900123"),
        [(Kind::PhoneNumber, "+44 7700 900123")]
    );
    assert_eq!(
        found("tel (0161) 496 0000"),
        [(Kind::PhoneNumber, "(0161) 496 0000")]
    );
    // The trunk zero in brackets after the country code, spaced or not.
    assert_eq!(
        found("ring +44 (0)20 7946 0321 re pt"),
        [(Kind::PhoneNumber, "+44 (0)20 7946 0321")]
    );
    assert_eq!(
        found("son on +44(0)7700900123"),
        [(Kind::PhoneNumber, "+44(0)7700900123")]
    );
    assert!(found("+44 (0) then nothing").is_empty());
    assert!(found("+44 (0)12 3").is_empty());
    assert_eq!(found("LS1 4AB"), [(Kind::Postcode, "LS1 4AB")]);
    assert_eq!(found("mail a.b@nhs.net."), [(Kind::Email, "a.b@nhs.net")]);
    assert_eq!(
        found("NI AB 12 34 56 C"),
        [(Kind::NiNumber, "AB 12 34 56 C")]
    );
    assert_eq!(found("MRN: A1234567"), [(Kind::HospitalNumber, "A1234567")]);
}

#[test]
fn builder_options() {
    let s = ScannerBuilder::new()
        .kind(Kind::PhoneNumber, false)
        .hospital_number_pattern(r"\bRTH[0-9]{6}\b")
        .allow("Ward Beaumont")
        .mask_style(MaskStyle::Partial)
        .build()
        .unwrap();
    assert!(s.scan("07700 900123").is_empty());
    assert_eq!(s.scan("ref RTH123456")[0].kind, Kind::HospitalNumber);
    assert!(s.scan("on Ward Beaumont").is_empty());
    assert_eq!(s.minimise("NHS 943 476 5919"), "NHS *** *** 5919");
    assert_eq!(s.minimise("Mr John Smith"), "Mr [J.S.]");
    assert!(
        ScannerBuilder::new()
            .hospital_number_pattern("(")
            .build()
            .is_err()
    );
    assert!(
        ScannerBuilder::new()
            .hospital_number_pattern(r"(?:\w{100}){100}")
            .build()
            .is_err()
    );
    assert!(
        ScannerBuilder::new()
            .confidence_threshold(2.0)
            .build()
            .is_err()
    );
    let extra = ScannerBuilder::new()
        .extra_surnames(["Qwertyson"])
        .build()
        .unwrap();
    assert_eq!(extra.scan("Qwertyson in bay 2")[0].kind, Kind::PersonName);
}

#[test]
fn minimise_placeholders() {
    let s = scanner();
    assert_eq!(
        s.minimise("Mr John Smith, NHS 943 476 5919, DOB 12/03/1954"),
        "Mr [name], NHS [NHS number], DOB [date of birth]"
    );
}

#[test]
fn utf16_offsets() {
    let text = "😀 Zoë Ahmed 07700 900123";
    let f = scanner().scan(text);
    assert_eq!(f.len(), 2);
    let utf16: Vec<u16> = text.encode_utf16().collect();
    for x in &f {
        let s16 = String::from_utf16(&utf16[x.start_utf16..x.end_utf16]).unwrap();
        assert_eq!(s16, &text[x.start..x.end]);
    }
}

#[test]
fn fuzz_regressions() {
    // fuzz/artifacts/scanner/crash-5a21dff6...: a masked possessive name grew on re-scan
    let partial = ScannerBuilder::new()
        .mask_style(MaskStyle::Partial)
        .build()
        .unwrap();
    let text = "discussed with Dr Khalil's sondisplacingth the plan";
    let once = partial.minimise(text);
    assert_eq!(once, "discussed with Dr [K.]'s sondisplacingth the plan");
    assert_eq!(partial.minimise(&once), once);
    // crash-e53da93a...: a placeholder's "birth" made the next date a date of birth
    let s = scanner();
    let text = "born 10-08-19_60, cel Puborn 10-08-19_60";
    let once = s.minimise(text);
    assert_eq!(s.minimise(&once), once);
    // crash-f9871298...: "SURNAME, D" (a masked name) read as a new name
    let text = "LIAMS, Dorot\0s 1938-11-02";
    let once = partial.minimise(text);
    assert_eq!(partial.minimise(&once), once);
    // a date inside a longer run of digit groups is not a date
    assert!(found("DOB 9-08-1-08-1960").is_empty());
    assert!(found("DOB 12/03/1954-2").is_empty());
    // a phone number does not depend on the digits after it
    assert_eq!(
        found("tel 0161 496 0000 123 456"),
        [(Kind::PhoneNumber, "0161 496 0000")]
    );
    assert!(found("ref 0 150 1337 40").is_empty());
}

fn check_invariants(text: &str, f: &[Finding]) {
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let mut prev_end = 0;
    for x in f {
        assert!(x.start < x.end && x.end <= text.len());
        assert!(text.is_char_boundary(x.start) && text.is_char_boundary(x.end));
        assert!(x.start >= prev_end, "sorted and non-overlapping");
        prev_end = x.end;
        let prefix16 = text[..x.start].encode_utf16().count();
        assert_eq!(x.start_utf16, prefix16);
        let s16 = String::from_utf16(&utf16[x.start_utf16..x.end_utf16]).ok();
        assert_eq!(s16.as_deref(), Some(&text[x.start..x.end]));
        assert!((0.0..=1.0).contains(&x.confidence));
    }
}

proptest! {
    #[test]
    fn never_panics_and_offsets_agree(text in any::<String>()) {
        let f = scanner().scan(&text);
        check_invariants(&text, &f);
        prop_assert_eq!(scanner().has_findings(&text), !f.is_empty());
        let m = scanner().minimise(&text);
        prop_assert_eq!(scanner().minimise(&m), m.clone());
    }

    #[test]
    fn chat_like_text(text in "([A-Za-zëŁ'’ -]{1,12}|[0-9]{1,4}|[ /.,:()-]|\u{a0}|\n){0,40}") {
        let f = scanner().scan(&text);
        check_invariants(&text, &f);
        prop_assert_eq!(scanner().has_findings(&text), !f.is_empty());
    }
}
