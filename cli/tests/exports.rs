//! Telegram and Teams JSON exports, plain text, zip archives, directories and bad input.

#![allow(clippy::unwrap_used, clippy::panic)] // test code: a panic is a failed test

mod support;

use std::io::Write;

use support::{Needles, fixture, row, rows, run, run_with};

#[test]
fn telegram_result_json() {
    let c = run(&fixture("telegram_result.json"));
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(c.formats[0].1, "telegram");
    assert_eq!(support::counts(&c.stats[0].1.messages), [2, 1, 1]);
    let src = std::fs::read_to_string(fixture("telegram_result.json")).unwrap();
    let lines: Vec<&str> = src.lines().collect();
    let r = rows(&c);
    // The service message's member names are never scanned; the sender isn't either.
    assert!(r.iter().all(|x| x.2 != "Sarah Connor"), "{r:?}");
    let t2 = Some((2, Some("Sarah Connor"), "2024-01-05T10:01:15"));
    let t3 = Some((3, Some("Dave"), "2024-01-05T10:02:00"));
    let t4 = Some((4, Some("Dave"), "2024-01-05T10:03:00"));
    let line_of = |needle: &str| lines.iter().position(|l| l.contains(needle)).unwrap() as u64 + 1;
    let l2 = line_of("NHS 943 476 5919");
    let l3 = line_of("\"John Smith\"");
    let l3b = line_of("\" LS1 3EX\"");
    let l4 = (0..lines.len())
        .find(|&i| lines[i].contains("\"file_name\""))
        .unwrap() as u64
        + 1;
    assert_eq!(
        r,
        vec![
            row(l2, "person_name", "John Smith", t2),
            row(l2, "nhs_number", "943 476 5919", t2),
            row(l3, "person_name", "John Smith", t3),
            row(l3b, "postcode", "LS1 3EX", t3),
            row(l4, "person_name", "John Smith", t4),
        ]
    );
}

#[test]
fn telegram_offsets_survive_escapes() {
    // "caf\u00e9 " precedes the bold piece on another line; within one string, an
    // escape before the match shifts raw offsets.
    let doc = r#"{"name":"x","type":"personal_chat","messages":[{"id":1,"type":"message","date":"2024-01-05T10:00:00","from":"A","text":"caf\u00e9\n John Smith"}]}"#;
    let dir = std::env::temp_dir().join(format!("cg-tg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("result.json");
    std::fs::write(&p, doc).unwrap();
    let c = run(&p);
    let f = &c.records[0].1.findings[0];
    assert_eq!(c.records[0].1.line, 1);
    assert_eq!(&doc[f.start..f.end], "John Smith");
    assert_eq!(f.start_utf16, f.start);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn teams_graph_messages() {
    let c = run(&fixture("teams_messages.json"));
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(c.formats[0].1, "teams");
    assert_eq!(support::counts(&c.stats[0].1.messages), [2, 0, 1]);
    let src = std::fs::read_to_string(fixture("teams_messages.json")).unwrap();
    let lines: Vec<&str> = src.lines().collect();
    let line_of = |needle: &str| lines.iter().position(|l| l.contains(needle)).unwrap() as u64 + 1;
    let body = line_of("<b>John Smith</b>");
    let t1 = Some((1, Some("Sarah Connor"), "2024-01-05T10:01:15Z"));
    let t3 = Some((3, Some("Dave"), "2024-01-05T10:03:00Z"));
    let r = rows(&c);
    assert_eq!(
        r,
        vec![
            // Markup is not scanned; the entity between the names maps back whole.
            row(body, "person_name", "John Smith", t1),
            row(body, "nhs_number", "943 476 5919", t1),
            row(line_of("postcode LS1 3EX"), "postcode", "LS1 3EX", t3),
            row(
                line_of("John Smith bloods.xlsx"),
                "person_name",
                "John Smith",
                t3
            ),
        ]
    );
}

#[test]
fn plain_text_line_by_line() {
    let c = run(&fixture("plain_notes.txt"));
    assert_eq!(c.formats[0].1, "text");
    assert_eq!(
        rows(&c),
        vec![
            row(3, "person_name", "John Smith", None),
            row(3, "nhs_number", "943 476 5919", None),
            row(4, "date", "2024", None),
        ]
    );
}

#[test]
fn invalid_utf8_is_an_error_but_the_rest_is_scanned() {
    let c = run(&fixture("invalid_utf8.txt"));
    assert_eq!(c.errors.len(), 1);
    assert!(c.errors[0].0.ends_with("invalid_utf8.txt"));
    assert!(
        c.errors[0].1.contains("first at line 2"),
        "{}",
        c.errors[0].1
    );
    assert_eq!(rows(&c), vec![row(2, "person_name", "John Smith", None)]);
}

#[test]
fn missing_file_and_binary_file_are_errors() {
    let dir = std::env::temp_dir().join(format!("cg-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bin = dir.join("photo.dat");
    std::fs::write(&bin, b"\x89PNG\r\n\x1a\n\0\0\0John Smith").unwrap();
    let c = run_with(
        &[dir.join("missing.txt"), bin.clone()],
        &Needles::standard(),
    );
    assert_eq!(c.errors.len(), 2, "{:?}", c.errors);
    assert!(c.errors[0].1.starts_with("cannot read"));
    assert!(c.errors[1].1.contains("binary"));
    // Walking a directory, the same binary is skipped, not an error.
    let c = run_with(std::slice::from_ref(&dir), &Needles::standard());
    assert!(c.errors.is_empty());
    assert_eq!(c.skipped.len(), 1);
    std::fs::remove_dir_all(dir).unwrap();
}

fn ios_zip(path: &std::path::Path) {
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("_chat.txt", opts).unwrap();
    z.write_all(&std::fs::read(fixture("ios_uk.txt")).unwrap())
        .unwrap();
    z.start_file("00000012-PHOTO-2024-01-05-10-02-00.jpg", opts)
        .unwrap();
    z.write_all(b"\xff\xd8\xff\xe0\0\x10JFIF John Smith")
        .unwrap();
    z.start_file("notes/extra.txt", opts).unwrap();
    z.write_all(b"John Smith\n").unwrap();
    z.finish().unwrap();
}

#[test]
fn ios_zip_export_and_directory_walk() {
    let dir = std::env::temp_dir().join(format!("cg-zip-{}", std::process::id()));
    let sub = dir.join("b");
    std::fs::create_dir_all(&sub).unwrap();
    ios_zip(&dir.join("WhatsApp Chat - Ward 7.zip"));
    std::fs::write(sub.join("a.txt"), "John Smith\n").unwrap();
    std::fs::write(dir.join("c.txt"), "nothing\n").unwrap();
    let c = run_with(std::slice::from_ref(&dir), &Needles::standard());
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    let d = dir.display();
    let paths: Vec<&str> = c.formats.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            format!("{d}/WhatsApp Chat - Ward 7.zip/_chat.txt"),
            format!("{d}/WhatsApp Chat - Ward 7.zip/notes/extra.txt"),
            format!("{d}/b/a.txt"),
            format!("{d}/c.txt"),
        ]
    );
    assert_eq!(c.formats[0].1, "whatsapp-ios");
    assert_eq!(c.skipped.len(), 1, "the photo");
    // The chat inside the zip reports exactly as the bare file does.
    let bare = run(&fixture("ios_uk.txt"));
    let in_zip: Vec<_> = c
        .records
        .iter()
        .filter(|(p, _)| p.ends_with("_chat.txt"))
        .map(|(_, r)| r.clone())
        .collect();
    let bare: Vec<_> = bare.records.into_iter().map(|(_, r)| r).collect();
    assert_eq!(in_zip, bare);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn corrupt_zip_is_an_error() {
    let dir = std::env::temp_dir().join(format!("cg-badzip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.zip");
    ios_zip(&good);
    let bytes = std::fs::read(&good).unwrap();
    let bad = dir.join("bad.zip");
    std::fs::write(&bad, &bytes[..bytes.len() / 2]).unwrap();
    let c = run_with(&[bad], &Needles::standard());
    assert_eq!(c.errors.len(), 1, "{:?}", c.errors);
    assert!(c.errors[0].1.contains("zip"), "{:?}", c.errors);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn big_export_is_chunked_without_changing_results() {
    // Many messages, one spanning more than a chunk: indices, lines and senders must
    // match a single-chunk reading.
    let mut text = String::new();
    let mut expect = Vec::new();
    let mut line = 0u64;
    for i in 0..60_000u64 {
        let sender = if i % 3 == 0 { "Ann" } else { "Bob" };
        line += 1;
        text.push_str(&format!(
            "{:02}/01/2024, 10:{:02} - {sender}: msg {i}",
            i % 28 + 1,
            i % 60
        ));
        if i % 1000 == 7 {
            text.push_str(" John Smith");
            expect.push((line, i + 1, sender.to_owned()));
        }
        text.push('\n');
        if i == 30_000 {
            for _ in 0..40_000 {
                line += 1;
                text.push_str("continuation of a very long message with padding padding\n");
            }
            line += 1;
            text.push_str("tail John Smith\n");
            expect.push((line, i + 1, sender.to_owned()));
        }
    }
    assert!(text.len() > 3 * careguard_cli::engine::BLOCK);
    let dir = std::env::temp_dir().join(format!("cg-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("big.txt");
    std::fs::write(&p, &text).unwrap();
    let c = run_with(&[p], &Needles(vec![("John Smith", "person_name")]));
    let got: Vec<(u64, u64, String)> = c
        .records
        .iter()
        .map(|(_, r)| {
            let m = r.msg.as_ref().unwrap();
            (r.line, m.index, m.sender.clone().unwrap())
        })
        .collect();
    assert_eq!(got, expect);
    assert_eq!(c.stats[0].1.lines, line);
    assert_eq!(c.stats[0].1.messages.text, 60_000);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn utf16_text_with_bom_is_converted() {
    let dir = std::env::temp_dir().join(format!("cg-u16-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(fixture("android_uk.txt")).unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let p = dir.join("notepad-unicode.txt");
    std::fs::write(&p, bytes).unwrap();
    let c = run(&p);
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(c.formats[0].1, "whatsapp-android");
    let bare = run(&fixture("android_uk.txt"));
    assert_eq!(rows(&c), rows(&bare));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn nested_zip_members_get_nested_paths() {
    let dir = std::env::temp_dir().join(format!("cg-nest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let inner = dir.join("inner.zip");
    ios_zip(&inner);
    let outer = dir.join("outer.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&outer).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    z.start_file("exports/inner.zip", opts).unwrap();
    z.write_all(&std::fs::read(&inner).unwrap()).unwrap();
    z.finish().unwrap();
    let c = run_with(std::slice::from_ref(&outer), &Needles::standard());
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(
        c.formats[0].0,
        format!("{}/exports/inner.zip/_chat.txt", outer.display())
    );
    assert_eq!(c.formats[0].1, "whatsapp-ios");
    std::fs::remove_dir_all(dir).unwrap();
}
