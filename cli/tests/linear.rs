//! Placing findings in lines takes time linear in the input, however long a line is and
//! however many findings it carries (issue: a 10 MB line took minutes when every
//! finding's UTF-16 offset was counted from the start of its line).
#![allow(clippy::unwrap_used, clippy::panic)] // test code: a panic is a failed test

mod support;

use std::time::{Duration, Instant};

use careguard_cli::unit::{Record, Unit};
use support::Needles;

/// A 4 MB line with a finding every 50 bytes (80 000 findings), and non-ASCII text
/// between them so UTF-16 and UTF-8 offsets differ.
fn dense_line() -> String {
    let filler = "é obs stable, Zoë ok 😷 ";
    let mut line = String::new();
    while line.len() < 4 << 20 {
        line.push_str("NHS 943 476 5919 ");
        line.push_str(filler);
    }
    line
}

fn place<'a>(lines: &[&'a str]) -> (Vec<Record<'a>>, Duration) {
    let detector = Needles::standard();
    let started = Instant::now();
    let mut out = Vec::new();
    let mut unit = Unit::default();
    for (n, line) in lines.iter().enumerate() {
        unit.push_slice(n as u64 + 1, line, 0, line.len());
    }
    unit.scan(&detector, &Default::default(), || None, &mut out);
    (out, started.elapsed())
}

#[test]
fn one_long_line_costs_about_what_the_same_text_in_lines_costs() {
    let line = dense_line();
    let (long, long_time) = place(&[&line]);
    let pieces: Vec<&str> = line.split_inclusive("5919 ").collect();
    let (split, split_time) = place(&pieces);

    let found: usize = long.iter().map(|r| r.findings.len()).sum();
    assert_eq!(found, pieces.iter().filter(|p| p.contains("5919")).count());
    assert_eq!(split.iter().map(|r| r.findings.len()).sum::<usize>(), found);
    // The offsets are right at the far end of the line too.
    let last = long[0].findings.last().unwrap();
    let utf16: usize = line[..last.start].chars().map(char::len_utf16).sum();
    assert_eq!(last.start_utf16, utf16);
    assert_eq!(&line[last.start..last.end], "943 476 5919");
    // Quadratic placement took minutes here; linear takes well under a second even in
    // a debug build. The bound leaves room for a busy machine.
    assert!(
        long_time < split_time * 20 + Duration::from_secs(2),
        "one line: {long_time:?}, split: {split_time:?}"
    );
}

/// Asserts `slow` is within a linear factor of `fast` (the same work in short lines),
/// with room for a loaded 2-core machine: quadratic costs are orders of magnitude over.
fn assert_linear(what: &str, slow: Duration, fast: Duration) {
    eprintln!("{what}: {slow:?} against {fast:?}");
    assert!(
        slow < fast * 20 + Duration::from_secs(3),
        "{what}: {slow:?} against {fast:?}"
    );
}

/// `n` Teams messages or Telegram messages, each with an NHS number after non-ASCII
/// text, as one compact line or one message per line.
fn json_export(telegram: bool, n: usize, compact: bool) -> String {
    let msgs: Vec<String> = (0..n)
        .map(|i| {
            if telegram {
                format!(
                    r#"{{"id":{i},"type":"message","date":"2024-01-05T10:01:02","from":"Zoë","text":"é 😷 NHS 943 476 5919"}}"#
                )
            } else {
                format!(
                    r#"{{"id":"{i}","messageType":"message","createdDateTime":"2024-01-05T10:01:02Z","from":{{"user":{{"displayName":"Zoë"}}}},"body":{{"contentType":"html","content":"<p>é 😷 NHS 943 476 5919</p>"}}}}"#
                )
            }
        })
        .collect();
    let sep = if compact { "," } else { ",\n" };
    if telegram {
        format!(
            r#"{{"name":"Ward","type":"private_group","messages":[{}]}}"#,
            msgs.join(sep)
        )
    } else {
        format!(r#"{{"value":[{}]}}"#, msgs.join(sep))
    }
}

fn scan_json(src: &str) -> (Vec<Record<'_>>, Duration) {
    use careguard_cli::{chatjson, json};
    let started = Instant::now();
    let root = json::parse(src).unwrap();
    let kind = chatjson::recognise(&root).unwrap();
    let out = chatjson::scan(src, &root, kind, &Needles::standard());
    (out.records, started.elapsed())
}

#[test]
fn compact_json_exports_cost_about_what_one_message_per_line_costs() {
    for telegram in [false, true] {
        let n = 20_000;
        let compact = json_export(telegram, n, true);
        let (records, compact_time) = scan_json(&compact);
        let split_src = json_export(telegram, n, false);
        let (split, split_time) = scan_json(&split_src);
        assert_eq!(records.len(), n);
        assert_eq!(split.len(), n);
        assert!(records.iter().all(|r| r.line == 1));
        let last = records.last().unwrap().findings.last().unwrap();
        assert_eq!(&compact[last.start..last.end], "943 476 5919");
        assert_eq!(
            last.start_utf16,
            compact[..last.start].encode_utf16().count()
        );
        assert_linear(
            if telegram { "telegram" } else { "teams" },
            compact_time,
            split_time,
        );
    }
}

fn whatsapp(text: &str) -> (careguard_cli::engine::ChunkOut<'_>, Duration) {
    let mut survey = careguard_cli::whatsapp::Survey::default();
    survey.text(text.as_bytes());
    let layout = survey.layout().unwrap();
    let started = Instant::now();
    let out = careguard_cli::engine::whatsapp_chunk(text, &layout, &Needles::standard());
    (out, started.elapsed())
}

#[test]
fn a_line_dense_with_mentions_and_attachment_look_alikes_is_linear() {
    let header = "05/01/2024, 10:01 - Ann: ";
    for (piece, found_per_piece) in [
        // A mention hides a phone number; the NHS number after it is reported.
        ("@447700900123 NHS 943 476 5919 ", 1),
        // Dashes and WA everywhere, as in attachment names, none of them one.
        ("x-WAy-WAz-WA-WA NHS 943 476 5919 ", 1),
        // Unclosed mentions.
        ("@\u{2068}Dr A NHS 943 476 5919 ", 0),
    ] {
        let count = (2 << 20) / piece.len();
        let one_line = format!("{header}{}\n", piece.repeat(count));
        let many_lines = format!("{header}{}", format!("{piece}\n").repeat(count));
        let (long, long_time) = whatsapp(&one_line);
        let (split, split_time) = whatsapp(&many_lines);
        let found = |o: &careguard_cli::engine::ChunkOut<'_>| -> usize {
            o.records.iter().map(|r| r.findings.len()).sum()
        };
        assert_eq!(found(&long), count * found_per_piece, "{piece:?}");
        assert_eq!(found(&split), count * found_per_piece, "{piece:?}");
        assert_linear(piece, long_time, split_time);
    }
}
