//! One pipeline: `minimise` rewrites exactly what `scan` reports, through the same
//! message units and offset map (issue 14). On every text fixture, scanning the
//! minimised copy finds nothing of the kinds the original had.
#![allow(clippy::unwrap_used, clippy::panic)] // test code: a panic is a failed test

mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;

use careguard::detect::{Finding, Kind, StaffNames, Subject};
use careguard_cli::detector::Detector;
use careguard_cli::engine::Ctx;
use careguard_cli::input::{self, MemSource};
use support::{Collect, Needles};

fn ctx(detector: &dyn Detector) -> Ctx<'_> {
    Ctx {
        detector,
        threads: 2,
        progress: &|_| {},
    }
}

fn minimise(bytes: &[u8], detector: &dyn Detector) -> Vec<u8> {
    let mut out = Vec::new();
    input::minimise_source(&mut MemSource(bytes), &ctx(detector), &mut out).unwrap();
    out
}

fn kinds(bytes: &[u8], detector: &dyn Detector) -> BTreeSet<&'static str> {
    let mut sink = Collect::default();
    input::scan_source(
        &mut MemSource(bytes),
        "x",
        true,
        0,
        &ctx(detector),
        &mut sink,
    )
    .unwrap();
    sink.records
        .iter()
        .flat_map(|(_, r)| r.findings.iter().map(|f| f.kind.as_str()))
        .collect()
}

fn text_fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["", "shapes"] {
        for e in std::fs::read_dir(support::fixture(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") && !p.ends_with("invalid_utf8.txt") {
                out.push(p);
            }
        }
    }
    out.sort();
    assert!(out.len() > 20);
    out
}

#[test]
fn scanning_the_minimised_copy_finds_nothing_that_was_replaced() {
    let scanner = careguard::detect::Scanner::new();
    let needles = Needles::standard();
    let detectors: [(&str, &dyn Detector); 2] = [("needles", &needles), ("scanner", &scanner)];
    let mut replaced_any = false;
    for path in text_fixtures() {
        let original = std::fs::read(&path).unwrap();
        for (name, d) in detectors {
            let before = kinds(&original, d);
            let minimised = minimise(&original, d);
            let after = kinds(&minimised, d);
            replaced_any |= !before.is_empty();
            let left: Vec<_> = before.intersection(&after).collect();
            assert!(
                left.is_empty(),
                "{} with {name}: {left:?} still found in\n{}",
                path.display(),
                String::from_utf8_lossy(&minimised)
            );
        }
    }
    assert!(replaced_any);
}

/// Reports `Smith` only when the same text also holds an NHS number, as a real
/// detector weighs context across a message's lines.
struct Contextual;

impl Detector for Contextual {
    fn scan(&self, text: &str, _: &StaffNames, out: &mut Vec<Finding>) {
        if !text.contains("943 476 5919") {
            return;
        }
        let hit = |kind, (start, m): (usize, &str)| Finding {
            kind,
            start,
            end: start + m.len(),
            start_utf16: 0,
            end_utf16: 0,
            confidence: 0.9,
            rule: "test",
            subject: Subject::Unknown,
        };
        out.extend(
            text.match_indices("Smith")
                .map(|m| hit(Kind::PersonName, m)),
        );
        out.extend(
            text.match_indices("943 476 5919")
                .map(|m| hit(Kind::NhsNumber, m)),
        );
        out.sort_by_key(|h| h.start);
    }
    fn minimise(&self, text: &str) -> String {
        let mut hits = Vec::new();
        self.scan(text, &StaffNames::default(), &mut hits);
        self.minimise_findings(text, &hits)
    }
    fn minimise_findings(&self, text: &str, hits: &[Finding]) -> String {
        let mut out = String::new();
        let mut at = 0;
        for h in hits {
            out.push_str(&text[at..h.start]);
            out.push_str(&format!("[{}]", h.kind.as_str()));
            at = h.end;
        }
        out.push_str(&text[at..]);
        out
    }
}

#[test]
fn a_name_on_one_line_of_a_message_is_masked_when_its_nhs_number_is_on_the_next() {
    let chat = "05/01/2024, 10:01 - Sister Jones: Mr Smith in bay 4\r\n\
                NHS 943 476 5919\r\n\
                05/01/2024, 10:02 - Dave: Smith is a common name\r\n";
    let out = String::from_utf8(minimise(chat.as_bytes(), &Contextual)).unwrap();
    assert_eq!(
        out,
        "05/01/2024, 10:01 - Sister Jones: Mr [person_name] in bay 4\r\n\
         NHS [nhs_number]\r\n\
         05/01/2024, 10:02 - Dave: Smith is a common name\r\n"
    );
}
