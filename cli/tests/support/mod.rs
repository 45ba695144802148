//! Shared helpers for the CLI's integration tests: a fake detector with fixed needles
//! (so parser tests do not depend on the real scanner's rules) and a collecting sink.
#![allow(dead_code, unreachable_pub)]
#![allow(clippy::unwrap_used, clippy::panic)] // test code: a panic is a failed test

use std::io;
use std::path::Path;

use careguard::detect::Finding;
use careguard_cli::detector::Detector;
use careguard_cli::engine::{Ctx, FileStats, Format, MessageCounts, Sink};
use careguard_cli::input;
use careguard_cli::unit::{MsgMeta, Record};

/// Finds fixed strings.
pub struct Needles(pub Vec<(&'static str, &'static str)>);

impl Needles {
    pub fn standard() -> Self {
        Needles(vec![
            ("943 476 5919", "nhs_number"),
            ("John Smith", "person_name"),
            ("Sarah Connor", "person_name"),
            ("LS1 3EX", "postcode"),
            ("900123", "phone_number"),
            ("2024", "date"),
        ])
    }
}

impl Detector for Needles {
    fn scan(&self, text: &str, _staff: &careguard::detect::StaffNames, out: &mut Vec<Finding>) {
        for (needle, kind) in &self.0 {
            for (i, _) in text.match_indices(needle) {
                out.push(Finding {
                    kind: kind.parse().unwrap(),
                    start: i,
                    end: i + needle.len(),
                    start_utf16: 0,
                    end_utf16: 0,
                    confidence: 0.9,
                    rule: "test",
                    subject: careguard::detect::Subject::Unknown,
                });
            }
        }
        out.sort_by_key(|h| h.start);
    }

    fn minimise(&self, text: &str) -> String {
        let mut hits = Vec::new();
        self.scan(text, &Default::default(), &mut hits);
        self.minimise_findings(text, &hits)
    }

    fn minimise_findings(&self, text: &str, hits: &[Finding]) -> String {
        let mut out = String::new();
        let mut at = 0;
        for h in hits {
            if h.start < at {
                continue;
            }
            out.push_str(&text[at..h.start]);
            out.push_str(&format!("[{}]", h.kind.as_str()));
            at = h.end;
        }
        out.push_str(&text[at..]);
        out
    }
}

/// A record with its own copy of its line.
#[derive(Clone, Debug, PartialEq)]
pub struct Rec {
    pub line: u64,
    pub text: String,
    pub msg: Option<MsgMeta>,
    pub findings: Vec<Finding>,
}

impl Rec {
    pub fn matched(&self, f: &Finding) -> &str {
        &self.text[f.start..f.end]
    }
}

/// Messages as `[text, media, system]`.
pub fn counts(m: &MessageCounts) -> [u64; 3] {
    [m.text, m.media, m.system]
}

#[derive(Default)]
pub struct Collect {
    pub formats: Vec<(String, String)>,
    pub records: Vec<(String, Rec)>,
    pub stats: Vec<(String, FileStats)>,
    pub errors: Vec<(String, String)>,
    pub skipped: Vec<(String, String)>,
}

impl Sink for Collect {
    fn begin(&mut self, path: &str, format: &Format) -> io::Result<()> {
        self.formats.push((path.into(), format.name().into()));
        Ok(())
    }
    fn record(&mut self, path: &str, record: &Record<'_>) -> io::Result<()> {
        let owned = Rec {
            line: record.line,
            text: record.text.to_owned(),
            msg: record.msg.clone(),
            findings: record.findings.clone(),
        };
        self.records.push((path.into(), owned));
        Ok(())
    }
    fn end(&mut self, path: &str, stats: &FileStats) -> io::Result<()> {
        self.stats.push((path.into(), stats.clone()));
        Ok(())
    }
    fn error(&mut self, path: &str, error: &str) {
        self.errors.push((path.into(), error.into()));
    }
    fn skipped(&mut self, path: &str, why: &str) {
        self.skipped.push((path.into(), why.into()));
    }
}

pub fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs the pipeline over `paths` with `detector` and collects everything.
pub fn run_with(paths: &[std::path::PathBuf], detector: &dyn Detector) -> Collect {
    let mut sink = Collect::default();
    let ctx = Ctx {
        detector,
        threads: 2,
        progress: &|_| {},
    };
    let files = input::walk(paths, &mut sink);
    input::scan_paths(&files, &ctx, &mut sink).unwrap();
    sink
}

pub fn run(path: &Path) -> Collect {
    run_with(&[path.to_path_buf()], &Needles::standard())
}

/// (line, kind, matched text, message index, sender, time) of every finding.
pub type Row = (
    u64,
    &'static str,
    String,
    Option<u64>,
    Option<String>,
    Option<String>,
);

pub fn rows(c: &Collect) -> Vec<Row> {
    let mut out = Vec::new();
    for (_, r) in &c.records {
        for f in &r.findings {
            out.push((
                r.line,
                f.kind.as_str(),
                r.matched(f).to_owned(),
                r.msg.as_ref().map(|m| m.index),
                r.msg.as_ref().and_then(|m| m.sender.clone()),
                r.msg.as_ref().and_then(|m| m.time.clone()),
            ));
        }
    }
    out
}

pub fn row(
    line: u64,
    kind: &'static str,
    matched: &str,
    msg: Option<(u64, Option<&str>, &str)>,
) -> Row {
    (
        line,
        kind,
        matched.into(),
        msg.map(|m| m.0),
        msg.and_then(|m| m.1.map(Into::into)),
        msg.map(|m| m.2.into()),
    )
}
