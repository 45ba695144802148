//! WhatsApp exports of every variant: message counts, senders, times, line attribution
//! and findings (with a fake detector of fixed needles; see support/mod.rs).

#![allow(clippy::unwrap_used, clippy::panic)] // test code: a panic is a failed test

mod support;

use careguard_cli::whatsapp::{self, DateOrder};
use support::{fixture, row, rows, run};

#[test]
fn android_uk_every_feature() {
    let c = run(&fixture("android_uk.txt"));
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(c.formats[0].1, "whatsapp-android");
    let stats = &c.stats[0].1;
    assert_eq!(stats.lines, 18);
    assert_eq!(
        support::counts(&stats.messages),
        [4, 3, 7],
        "text, media, system"
    );
    let t = |hm: &str| format!("2024-01-05T{hm}:00");
    assert_eq!(
        rows(&c),
        vec![
            row(
                4,
                "person_name",
                "John Smith",
                Some((4, Some("Sister Jones"), &t("10:01")))
            ),
            row(
                4,
                "nhs_number",
                "943 476 5919",
                Some((4, Some("Sister Jones"), &t("10:01")))
            ),
            // Continuation lines, one of them beginning with a date, belong to Dave's message.
            row(8, "date", "2024", Some((5, Some("Dave"), &t("10:02")))),
            row(
                9,
                "postcode",
                "LS1 3EX",
                Some((5, Some("Dave"), &t("10:02")))
            ),
            // Attachment names are scanned; WhatsApp's generated names are not.
            row(
                13,
                "person_name",
                "John Smith",
                Some((9, Some("Dave"), &t("10:06")))
            ),
            // The @mention of a participant is not reported; the patient is.
            row(
                14,
                "person_name",
                "John Smith",
                Some((10, Some("Sister Jones"), &t("10:07")))
            ),
            // A subject typed into a system line is scanned; the participants are not.
            row(
                15,
                "person_name",
                "John Smith",
                Some((11, None, &t("10:08")))
            ),
        ]
    );
    // Byte and UTF-16 offsets are within the line.
    let line4 = std::fs::read_to_string(fixture("android_uk.txt")).unwrap();
    let line4 = line4.lines().nth(3).unwrap();
    let f = &c.records[0].1.findings[1];
    assert_eq!(&line4[f.start..f.end], "943 476 5919");
    assert_eq!(f.start_utf16, f.start, "ASCII line");
}

#[test]
fn android_uk_senders_are_cleaned() {
    let text = std::fs::read_to_string(fixture("android_uk.txt")).unwrap();
    let mut senders = Vec::new();
    for line in text.lines() {
        if let Some(h) = whatsapp::parse_header(line) {
            let b = whatsapp::parse_body(line, h.body);
            if let Some((s, e)) = b.sender {
                senders.push(whatsapp::clean_sender(&line[s..e]));
            }
        }
    }
    senders.dedup();
    assert_eq!(
        senders,
        [
            "Sister Jones",
            "Dave",
            "+44 7700 900123",
            "Dave",
            "Sister Jones",
            "Sam"
        ]
    );
}

#[test]
fn android_us_month_first_12_hour() {
    let c = run(&fixture("android_us.txt"));
    assert_eq!(c.formats[0].1, "whatsapp-android");
    assert_eq!(support::counts(&c.stats[0].1.messages), [3, 0, 1]);
    assert_eq!(
        rows(&c),
        vec![
            row(
                2,
                "person_name",
                "John Smith",
                Some((2, Some("Alice"), "2024-01-05T22:01:00"))
            ),
            row(
                4,
                "nhs_number",
                "943 476 5919",
                Some((4, Some("Bob"), "2024-01-15T12:31:00"))
            ),
        ]
    );
}

#[test]
fn ios_uk_crlf_marks_and_attachments() {
    let c = run(&fixture("ios_uk.txt"));
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(c.formats[0].1, "whatsapp-ios");
    let stats = &c.stats[0].1;
    assert_eq!(stats.lines, 11);
    // text: 10:01 Sister Jones, 10:06 Sam, 23:59 Dave; media: photo, document, image
    // omitted; system: notice, created, added, deleted.
    assert_eq!(support::counts(&stats.messages), [3, 3, 4]);
    assert_eq!(
        rows(&c),
        vec![
            row(
                4,
                "person_name",
                "John Smith",
                Some((4, Some("Sister Jones"), "2024-01-05T10:01:15"))
            ),
            row(
                5,
                "nhs_number",
                "943 476 5919",
                Some((4, Some("Sister Jones"), "2024-01-05T10:01:15"))
            ),
            row(
                7,
                "person_name",
                "John Smith",
                Some((6, Some("Dave"), "2024-01-05T10:03:00"))
            ),
            row(
                10,
                "postcode",
                "LS1 3EX",
                Some((9, Some("Sam"), "2024-01-05T10:06:00"))
            ),
        ]
    );
}

#[test]
fn ios_us_bracketed_12_hour() {
    let c = run(&fixture("ios_us.txt"));
    assert_eq!(c.formats[0].1, "whatsapp-ios");
    assert_eq!(
        rows(&c),
        vec![row(
            2,
            "person_name",
            "John Smith",
            Some((2, Some("Alice"), "2024-01-05T22:01:02"))
        )]
    );
}

#[test]
fn older_ios_without_brackets() {
    let c = run(&fixture("ios_old.txt"));
    assert_eq!(c.formats[0].1, "whatsapp-ios");
    assert_eq!(support::counts(&c.stats[0].1.messages), [2, 0, 0]);
    assert_eq!(
        rows(&c),
        vec![row(
            1,
            "person_name",
            "John Smith",
            Some((1, Some("Alice"), "2024-01-15T10:01:02"))
        )]
    );
}

#[test]
fn year_first_dotted_and_am_pm_variants() {
    for (name, time) in [
        ("android_ymd.txt", "2024-01-05T10:01:00"),
        ("android_dots.txt", "2024-01-05T10:01:00"),
        ("android_ampm_dots.txt", "2024-01-15T10:01:00"),
        ("android_bom_crlf.txt", "2024-01-05T10:01:00"),
    ] {
        let c = run(&fixture(name));
        assert_eq!(c.formats[0].1, "whatsapp-android", "{name}");
        assert_eq!(
            rows(&c),
            vec![row(
                1,
                "person_name",
                "John Smith",
                Some((1, Some("Alice"), time))
            )],
            "{name}"
        );
    }
    let c = run(&fixture("android_ampm_dots.txt"));
    assert_eq!(support::counts(&c.stats[0].1.messages), [3, 0, 0]);
}

#[test]
fn bom_is_not_part_of_line_one() {
    let c = run(&fixture("android_bom_crlf.txt"));
    let f = &c.records[0].1.findings[0];
    let raw = std::fs::read(fixture("android_bom_crlf.txt")).unwrap();
    let line1 = std::str::from_utf8(&raw[3..])
        .unwrap()
        .lines()
        .next()
        .unwrap();
    assert_eq!(&line1[f.start..f.end], "John Smith");
}

#[test]
fn ambiguous_dates_fall_back_to_day_first() {
    let c = run(&fixture("android_ambiguous.txt"));
    assert_eq!(
        rows(&c),
        vec![row(
            2,
            "person_name",
            "John Smith",
            Some((2, Some("Bob"), "2024-01-06T10:02:00"))
        )]
    );
}

#[test]
fn header_variants_parse() {
    for (line, order, time, sender) in [
        (
            "05/01/2024, 10:01 - Ann: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:00",
            "Ann",
        ),
        (
            "1/5/24, 10:01\u{202f}PM - Ann: x",
            DateOrder::MonthFirst,
            "2024-01-05T22:01:00",
            "Ann",
        ),
        (
            "[05/01/2024, 10:01:02] Ann: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:02",
            "Ann",
        ),
        (
            "[1/5/24, 12:01:02 AM] Ann: x",
            DateOrder::MonthFirst,
            "2024-01-05T00:01:02",
            "Ann",
        ),
        (
            "2024-01-05, 10:01 - Ann: x",
            DateOrder::YearFirst,
            "2024-01-05T10:01:00",
            "Ann",
        ),
        (
            "05.01.24, 10:01 - Ann: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:00",
            "Ann",
        ),
        (
            "05. 01. 24. 10:01 - Ann: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:00",
            "Ann",
        ),
        (
            "05/01/2024, 10:01\u{a0}p.\u{a0}m. - Ann: x",
            DateOrder::DayFirst,
            "2024-01-05T22:01:00",
            "Ann",
        ),
        (
            "05/01/2024, 10:01 a. m. - Ann: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:00",
            "Ann",
        ),
        (
            "\u{200e}[05/01/2024, 10:01:02] Ann: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:02",
            "Ann",
        ),
        (
            "05/01/2024, 10:01:02: Ann: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:02",
            "Ann",
        ),
        (
            "05/01/2024 10:01 - \u{202a}+44\u{a0}7700\u{a0}900123\u{202c}: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:00",
            "+44 7700 900123",
        ),
        (
            "05/01/2024, 10:01 - ~\u{202f}Sam: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:00",
            "Sam",
        ),
        (
            "05.01.2024 10.01 - Ann: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:00",
            "Ann",
        ),
        (
            "[05.01.24 10.01.02] Ann: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:02",
            "Ann",
        ),
        (
            "1/5/24, 10:01pm - Ann: x",
            DateOrder::MonthFirst,
            "2024-01-05T22:01:00",
            "Ann",
        ),
        (
            "\u{200f}05/01/2024, 10:01 - Ann: x",
            DateOrder::DayFirst,
            "2024-01-05T10:01:00",
            "Ann",
        ),
    ] {
        let h = whatsapp::parse_header(line).unwrap_or_else(|| panic!("{line:?}"));
        assert_eq!(h.iso_time(order), time, "{line:?}");
        let b = whatsapp::parse_body(line, h.body);
        let (s, e) = b.sender.unwrap_or_else(|| panic!("{line:?}"));
        assert_eq!(whatsapp::clean_sender(&line[s..e]), sender, "{line:?}");
        assert_eq!(&line[b.text.0..b.text.1], "x", "{line:?}");
    }
    for not_header in [
        "05/01/2024 bloods normal",
        "05/01/2024, 10:01 obs stable",
        "5/1 - Ann: x",
        "[05/01/2024 Ann: x",
        "",
        "12345/01/2024, 10:01 - Ann: x",
        "05/01/2024, 25:01 - Ann: x",
    ] {
        assert!(
            whatsapp::parse_header(not_header).is_none(),
            "{not_header:?}"
        );
    }
}

#[test]
fn system_lines_and_media_are_classified() {
    use whatsapp::MessageKind::*;
    // (text after the header, kind, has a sender, only quoted parts are user text)
    for (rest, kind, has_sender, known) in [
        ("Sister Jones added Dave", System, false, true),
        (
            "Sister Jones changed the subject from \"a\" to \"b: c\"",
            System,
            false,
            true,
        ),
        ("Dave left", System, false, true),
        (
            "\u{200e}Dave joined using this group's invite link",
            System,
            false,
            true,
        ),
        (
            "Messages and calls are end-to-end encrypted. Tap to learn more.",
            System,
            false,
            true,
        ),
        (
            "Ward 7: \u{200e}Messages and calls are end-to-end encrypted.",
            System,
            false,
            true,
        ),
        (
            "Ward 7: \u{200e}Dave changed the subject to \u{201c}Bed 4\u{201d}",
            System,
            false,
            true,
        ),
        // A typed line that only looks like a header: not a known system line.
        ("obs stable, John Smith to theatre", System, false, false),
        ("Dave: <Media omitted>", Media, true, false),
        (
            "Dave: \u{200e}<attached: 00000012-PHOTO-2024-01-05-10-02-00.jpg>",
            Media,
            true,
            false,
        ),
        ("Dave: \u{200e}image omitted", Media, true, false),
        ("Dave: This message was deleted", System, true, true),
        ("Dave: You deleted this message", System, true, true),
        ("Dave: notes.pdf (file attached)", Media, true, false),
        ("Dave: hello: world", Text, true, false),
        ("Dave:", Text, true, false),
    ] {
        let line = format!("05/01/2024, 10:01 - {rest}");
        let h = whatsapp::parse_header(&line).unwrap();
        let b = whatsapp::parse_body(&line, h.body);
        assert_eq!(b.kind, kind, "{rest:?}");
        assert_eq!(b.sender.is_some(), has_sender, "{rest:?}");
        assert_eq!(b.known_system, known, "{rest:?}");
    }
}

#[test]
fn unknown_system_lines_are_scanned_whole_and_subjects_in_quotes() {
    let dir = std::env::temp_dir().join(format!("cg-sys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("chat.txt");
    std::fs::write(
        &p,
        "[05/01/2024, 10:01:02] Ann: hi\r\n\
         [05/01/2024, 10:02:02] Ward 7: \u{200e}Ann changed the subject to \u{201c}Bed 4 John Smith\u{201d}\r\n\
         [05/01/2024, 10:03:02] \u{200e}Ann added Sarah Connor\r\n\
         [05/01/2024, 10:04:02] obs stable, John Smith to theatre\r\n",
    )
    .unwrap();
    let c = run(&p);
    assert_eq!(
        rows(&c),
        vec![
            row(
                2,
                "person_name",
                "John Smith",
                Some((2, None, "2024-01-05T10:02:02"))
            ),
            row(
                4,
                "person_name",
                "John Smith",
                Some((4, None, "2024-01-05T10:04:02"))
            ),
        ]
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn clock_change_mid_chat_keeps_every_header() {
    // A phone switched from a 24-hour to a 12-hour clock near the end of the chat.
    let mut text = String::new();
    for i in 0..40 {
        text.push_str(&format!("05/01/2024, 10:{i:02} - Ann: msg {i}\n"));
    }
    text.push_str("05/01/2024, 11:01\u{202f}pm - Bob: John Smith\n");
    let dir = std::env::temp_dir().join(format!("cg-clock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("chat.txt");
    std::fs::write(&p, text).unwrap();
    let c = run(&p);
    assert_eq!(c.stats[0].1.messages.text, 41);
    assert_eq!(
        rows(&c),
        vec![row(
            41,
            "person_name",
            "John Smith",
            Some((41, Some("Bob"), "2024-01-05T23:01:00"))
        )]
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bracketed_look_alike_stays_in_its_message() {
    // Red-team repro: a continuation line that starts with a bracketed date and time in
    // another style must not start a message.
    let dir = std::env::temp_dir().join(format!("cg-look-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("chat.txt");
    std::fs::write(
        &p,
        "[12/03/2024, 14:05:33] Priya Shah: first\r\n[4/11/24, 10:00] John Smith here\r\n\
         [12/03/2024, 14:06:00] Dave: second\r\n",
    )
    .unwrap();
    let c = run(&p);
    assert_eq!(support::counts(&c.stats[0].1.messages), [2, 0, 0]);
    assert_eq!(
        rows(&c),
        vec![row(
            2,
            "person_name",
            "John Smith",
            Some((1, Some("Priya Shah"), "2024-03-12T14:05:33"))
        )]
    );
    std::fs::remove_dir_all(dir).unwrap();
}
