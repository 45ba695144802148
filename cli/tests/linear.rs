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

fn place(lines: &[&str]) -> (Vec<Record>, Duration) {
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
