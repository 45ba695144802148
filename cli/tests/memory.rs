//! Memory stays bounded on a huge line (issue 14): `careguard scan` over an 8 MB line
//! with no line break, dense with identifiers, peaks at a small multiple of the line's
//! size. Before the detector was given long units in windows, and before findings
//! stopped being copied for every printer, such a line cost about 17 times its size
//! (177 MB for 10 MB); now about 5.5 times (docs/CLI.md, "Memory").
//!
//! The only test in this binary, so the peak RSS of waited-for children that
//! `getrusage(RUSAGE_CHILDREN)` reports is this run's.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::panic)] // test code: a panic is a failed test

use std::path::PathBuf;
use std::process::{Command, Stdio};

use nix::sys::resource::{UsageWho, getrusage};

/// The line's length.
const LINE_BYTES: usize = 8 << 20;
/// The bound: 12 times the line, for room on another allocator or machine; the
/// unbounded pipeline took about 17 times.
const MAX_PEAK_BYTES: u64 = 12 * LINE_BYTES as u64;

/// One line of identifiers and filler (NHS numbers, names, dates of birth, postcodes,
/// phone numbers, hospital numbers, emails, and non-ASCII text), in a fixed
/// pseudo-random order.
fn dense_line() -> String {
    let pieces = [
        "NHS 943 476 5919",
        "Mrs Margaret Holloway",
        "DOB 14/03/1951",
        "postcode SW1A 1AA",
        "obs stable, plan reviewed",
        "tel 07700 900123",
        "é Zoë 😷 ok",
        "hospital no RX1234567",
        "email jo.bloggs@example.com",
    ];
    let mut line = String::with_capacity(LINE_BYTES + 64);
    let mut state: u32 = 1;
    while line.len() < LINE_BYTES {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        line.push_str(pieces[(state >> 16) as usize % pieces.len()]);
        line.push(' ');
    }
    line.push('\n');
    line
}

fn children_peak_rss_bytes() -> u64 {
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).unwrap();
    // Linux reports ru_maxrss in KiB.
    u64::try_from(usage.max_rss()).unwrap() * 1024
}

#[test]
fn a_dense_8_mb_line_is_scanned_in_bounded_memory() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let input = dir.join("memory-dense-line.txt");
    std::fs::write(&input, dense_line()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_careguard"))
        .args(["scan", "--format", "jsonl", "-j", "2"])
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    let peak = children_peak_rss_bytes();
    std::fs::remove_file(&input).unwrap();
    assert_eq!(output.status.code(), Some(1), "findings expected");
    // The line was scanned to its end: one jsonl line, findings near its end too.
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().count(), 1);
    let record: serde_json::Value = serde_json::from_str(text.trim_end()).unwrap();
    let findings = record["findings"].as_array().unwrap();
    assert!(findings.len() > 200_000, "{} findings", findings.len());
    let last_end = findings.last().unwrap()["end"].as_u64().unwrap();
    assert!(
        last_end > LINE_BYTES as u64 - 100,
        "last finding ends at {last_end}"
    );
    eprintln!(
        "peak RSS {:.1} MiB for a {} MiB line, {} findings",
        peak as f64 / f64::from(1 << 20),
        LINE_BYTES >> 20,
        findings.len()
    );
    assert!(
        peak < MAX_PEAK_BYTES,
        "peak RSS {peak} bytes for a {LINE_BYTES}-byte line (bound {MAX_PEAK_BYTES})"
    );
}
