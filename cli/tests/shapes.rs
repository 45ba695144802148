//! Export shapes that other projects' exports showed being read as plain text or
//! misattributed (issue 14): each fixture in tests/fixtures/shapes (written by
//! make_shapes.py) is read as the right format, with the right number of messages,
//! senders and times, and its user text is scanned.
#![allow(clippy::unwrap_used, clippy::panic)] // test code: a panic is a failed test

mod support;

use careguard_cli::whatsapp::{self, DateOrder};
use support::{Collect, Row, row, rows, run};

fn shape(name: &str) -> Collect {
    run(&support::fixture("shapes").join(name))
}

/// Format name, total messages and the findings of a fixture.
fn read(name: &str) -> (String, u64, Vec<Row>) {
    let c = shape(name);
    assert!(c.errors.is_empty(), "{name}: {:?}", c.errors);
    let messages = c.stats[0].1.messages.total();
    (c.formats[0].1.clone(), messages, rows(&c))
}

#[test]
fn arabic_ios_digits_marks_comma_and_meridiems() {
    let (format, messages, found) = read("arabic_ios.txt");
    assert_eq!(format, "whatsapp-ios");
    assert_eq!(messages, 3);
    let raw = std::fs::read_to_string(support::fixture("shapes/arabic_ios.txt")).unwrap();
    let line2 = raw.lines().nth(1).unwrap();
    let c = shape("arabic_ios.txt");
    let nhs = &c.records[1].1.findings[0];
    // The sender (a phone number) is not scanned: participants are staff.
    // Offsets are in the original line, Arabic digits and marks included.
    assert_eq!(&line2[nhs.start..nhs.end], "943 476 5919");
    assert_eq!(
        found,
        vec![
            row(
                1,
                "person_name",
                "John Smith",
                Some((1, Some("Sister Jones"), "2024-03-18T14:56:00"))
            ),
            row(
                2,
                "nhs_number",
                "943 476 5919",
                Some((2, Some("+44 7700 900123"), "2024-03-19T09:05:11"))
            ),
            row(
                3,
                "postcode",
                "LS1 3EX",
                Some((2, Some("+44 7700 900123"), "2024-03-19T09:05:11"))
            ),
        ]
    );
}

#[test]
fn byte_order_marks_at_line_starts_mid_file_start_messages() {
    let (format, messages, found) = read("concatenated_bom.txt");
    assert_eq!(format, "whatsapp-android");
    assert_eq!(messages, 4);
    assert_eq!(
        found,
        vec![
            row(
                2,
                "person_name",
                "John Smith",
                Some((2, Some("Bob"), "2024-01-05T10:02:00"))
            ),
            row(
                3,
                "nhs_number",
                "943 476 5919",
                Some((3, Some("Alice"), "2024-01-06T09:00:00"))
            ),
            row(
                4,
                "person_name",
                "Sarah Connor",
                Some((3, Some("Alice"), "2024-01-06T09:00:00"))
            ),
        ]
    );
    // The finding's offsets count the mark's bytes.
    let c = shape("concatenated_bom.txt");
    let f = &c.records[1].1.findings[0];
    assert_eq!(f.start, "\u{feff}06/01/2024, 09:00 - Alice: NHS ".len());
}

#[test]
fn twelve_hour_a_m_p_m_dates_read_day_first_from_the_chats_own_dates() {
    let (_, messages, found) = read("ampm_dayfirst_days.txt");
    assert_eq!(messages, 3);
    assert_eq!(
        found,
        vec![
            row(
                2,
                "person_name",
                "John Smith",
                Some((2, Some("Luis"), "2024-02-02T09:15:00"))
            ),
            row(
                3,
                "nhs_number",
                "943 476 5919",
                Some((3, Some("Ana"), "2024-02-03T11:30:00"))
            ),
        ]
    );
}

#[test]
fn twelve_hour_a_m_p_m_on_one_day_follows_the_locale() {
    let (_, _, found) = read("ampm_dayfirst_one_day.txt");
    assert_eq!(
        found,
        vec![row(
            2,
            "person_name",
            "John Smith",
            Some((2, Some("Luis"), "2024-02-04T10:05:00"))
        )]
    );
}

#[test]
fn us_twelve_hour_days_stay_month_first() {
    let (_, _, found) = read("ampm_monthfirst_days.txt");
    assert_eq!(
        found,
        vec![row(
            2,
            "person_name",
            "John Smith",
            Some((2, Some("Bob"), "2024-01-03T09:15:00"))
        )]
    );
}

#[test]
fn a_bare_tilde_is_a_sender() {
    let (_, messages, found) = read("tilde_sender.txt");
    assert_eq!(messages, 3);
    assert_eq!(
        found,
        vec![
            row(
                2,
                "nhs_number",
                "943 476 5919",
                Some((2, Some("~"), "2024-01-05T10:02:00"))
            ),
            row(
                3,
                "person_name",
                "John Smith",
                Some((3, Some("~"), "2024-01-05T10:03:00"))
            ),
        ]
    );
}

#[test]
fn text_starting_with_lrm_is_scanned() {
    let c = shape("lrm_text.txt");
    assert_eq!(support::counts(&c.stats[0].1.messages), [2, 1, 1]);
    assert_eq!(
        rows(&c),
        vec![
            row(
                2,
                "person_name",
                "John Smith",
                Some((2, Some("Alice"), "2024-01-05T10:02:00"))
            ),
            row(
                4,
                "nhs_number",
                "943 476 5919",
                Some((4, Some("Bob"), "2024-01-05T10:04:00"))
            ),
        ]
    );
}

#[test]
fn finnish_klo_headers() {
    let (format, messages, found) = read("finnish.txt");
    assert_eq!(format, "whatsapp-android");
    assert_eq!(messages, 2);
    assert_eq!(
        found,
        vec![
            row(
                1,
                "person_name",
                "John Smith",
                Some((1, Some("Aino"), "2024-01-05T09:05:00"))
            ),
            row(
                2,
                "nhs_number",
                "943 476 5919",
                Some((2, Some("Eero"), "2024-01-13T21:25:00"))
            ),
            row(
                3,
                "postcode",
                "LS1 3EX",
                Some((2, Some("Eero"), "2024-01-13T21:25:00"))
            ),
        ]
    );
}

#[test]
fn vietnamese_time_first_ios_headers() {
    let (format, messages, found) = read("vietnamese_ios.txt");
    assert_eq!(format, "whatsapp-ios");
    assert_eq!(messages, 3);
    assert_eq!(
        found,
        vec![
            row(
                2,
                "person_name",
                "John Smith",
                Some((2, Some("Minh"), "2024-03-19T09:00:00"))
            ),
            row(
                3,
                "nhs_number",
                "943 476 5919",
                Some((3, Some("Lan"), "2024-04-02T21:41:35"))
            ),
        ]
    );
}

#[test]
fn buddhist_and_japanese_calendar_years_become_gregorian() {
    for name in ["buddhist_ios.txt", "buddhist_bare_ios.txt"] {
        let (format, messages, found) = read(name);
        assert_eq!((format.as_str(), messages), ("whatsapp-ios", 2), "{name}");
        assert_eq!(
            found,
            vec![row(
                2,
                "person_name",
                "John Smith",
                Some((2, Some("Malee"), "2024-03-19T09:00:00"))
            )],
            "{name}"
        );
    }
    let (format, messages, found) = read("japanese_era_ios.txt");
    assert_eq!((format.as_str(), messages), ("whatsapp-ios", 2));
    assert_eq!(
        found,
        vec![row(
            2,
            "person_name",
            "John Smith",
            Some((2, Some("Kenji"), "2024-03-19T09:00:00"))
        )]
    );
}

#[test]
fn telegram_messages_with_only_unix_times() {
    let (format, messages, found) = read("telegram_unixtime.json");
    assert_eq!((format.as_str(), messages), ("telegram", 2));
    assert_eq!(
        found
            .iter()
            .map(|r| (r.2.as_str(), r.4.as_deref(), r.5.as_deref()))
            .collect::<Vec<_>>(),
        vec![
            ("John Smith", Some("Alice"), Some("2024-01-05T10:01:02Z")),
            ("943 476 5919", Some("Bob"), Some("2024-01-05T11:00:00Z")),
        ]
    );
}

/// The class, not the sample: any script's digits, any mark, any era.
#[test]
fn header_classes_parse() {
    for (line, order, time) in [
        // Persian (Extended Arabic-Indic) digits.
        (
            "۰۵/۰۱/۲۰۲۴, ۱۰:۰۱ - Ann: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:00",
        ),
        // Devanagari digits.
        (
            "०५/०१/२०२४, १०:०१ - Ann: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:00",
        ),
        // Marks of every kind around the fields.
        (
            "\u{2067}05\u{2069}/\u{200f}01/2024\u{061c}, 10:01 - Ann: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:00",
        ),
        (
            "\u{feff}\u{200e}[05/01/2024, 10:01:02] Ann: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:02",
        ),
        // Eras: Heisei 31 is 2019; a Buddhist year without its era name.
        (
            "[H31/4/30 10:01:02] Ann: x",
            DateOrder::YearFirst,
            "2019-04-30T10:01:02",
        ),
        (
            "[30/4/2562 10:01:02] Ann: x",
            DateOrder::DayFirst,
            "2019-04-30T10:01:02",
        ),
        // Danish `kl.`; time-first with AM/PM.
        (
            "05.01.2024 kl. 10.01 - Ann: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:00",
        ),
        (
            "[10:01:02 PM, 1/5/24] Ann: x",
            DateOrder::MonthFirst,
            "2024-01-05T22:01:02",
        ),
    ] {
        let h = whatsapp::parse_header(line).unwrap_or_else(|| panic!("{line:?}"));
        assert_eq!(h.iso_time(order), time, "{line:?}");
        let b = whatsapp::parse_body(line, h.body);
        let (s, e) = b.sender.unwrap_or_else(|| panic!("{line:?}"));
        assert_eq!(whatsapp::clean_sender(&line[s..e]), "Ann", "{line:?}");
        assert_eq!(&line[b.text.0..b.text.1], "x", "{line:?}");
    }
    for not_header in [
        "05/01/2024 before 10:01 - Ann: x",
        "10:01, obs stable",
        "۰۵/۰۱/۲۰۲۴ bloods normal",
        "\u{200f}NHS 943 476 5919",
        "[R/4/30 10:01:02] Ann: x",
    ] {
        assert!(
            whatsapp::parse_header(not_header).is_none(),
            "{not_header:?}"
        );
    }
}

#[test]
fn month_name_headers_with_and_without_a_year() {
    let c = shape("month_names.txt");
    assert_eq!(c.formats[0].1, "whatsapp-android");
    assert_eq!(c.stats[0].1.messages.total(), 3);
    assert_eq!(
        rows(&c),
        vec![
            row(
                2,
                "person_name",
                "John Smith",
                Some((2, Some("Bob"), "--01-06T09:15:00"))
            ),
            row(
                3,
                "nhs_number",
                "943 476 5919",
                Some((3, Some("Bob"), "2025-01-06T09:20:00"))
            ),
        ]
    );
    let c = shape("month_names_dayfirst.txt");
    assert_eq!(
        (c.formats[0].1.as_str(), c.stats[0].1.messages.total()),
        ("whatsapp-ios", 2)
    );
    assert_eq!(
        rows(&c),
        vec![row(
            2,
            "person_name",
            "John Smith",
            Some((2, Some("Bob"), "--01-06T09:15:00"))
        )]
    );
    for not_header in [
        "Janet: 10:01 - Ann: x",
        "Jan, 10:01 - Ann: x",
        "Mar 40, 10:01 - Ann: x",
    ] {
        assert!(
            whatsapp::parse_header(not_header).is_none(),
            "{not_header:?}"
        );
    }
}

proptest::proptest! {
    /// Header-like noise of every class the normalised path reads (marks, any
    /// script's digits, month names, eras, meridiems) never panics, and a header's body
    /// starts on a character boundary of the original line.
    #[test]
    fn normalised_headers_never_panic(
        pieces in proptest::collection::vec(proptest::sample::select(vec![
            "[", "]", "/", ".", ":", ", ", " ", "-", " - ", "\u{200e}", "\u{200f}", "\u{feff}",
            "\u{202a}", "\u{060c}", "\u{a0}", "\u{202f}", "١", "٢", "٩", "۰", "०", "1", "2", "0",
            "12", "2024", "R", "H4", " BE", "klo", "Jan", "janv.", "م", "ص", "PM", "p. m.",
            "Ann", ": ", "x", "é", "😷",
        ]), 0..40)
    ) {
        let line: String = pieces.concat();
        if let Some(h) = whatsapp::parse_header(&line) {
            proptest::prop_assert!(line.is_char_boundary(h.body) && h.body <= line.len());
            let b = whatsapp::parse_body(&line, h.body);
            let _ = h.iso_time(DateOrder::DayFirst);
            proptest::prop_assert!(b.text.0 <= b.text.1 && b.text.1 <= line.len());
        }
    }
}
