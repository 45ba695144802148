//! The seam between the CLI and a detector.
//!
//! The CLI only needs two things from a detector: findings with byte ranges in the
//! text it was given, and a minimised copy of a text. [`Detector`] states exactly that,
//! so parsers, printers and the fuzz targets can run against a small fake in tests.

use careguard::detect::{ScanHints, StaffNames, Subject};

/// One finding in a scanned text.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// One of DESIGN.md's kind names (`nhs_number`, `person_name`, …).
    pub kind: &'static str,
    /// Start byte offset in the scanned text.
    pub start: usize,
    /// End byte offset (exclusive) in the scanned text.
    pub end: usize,
    /// Confidence in 0.0..=1.0.
    pub confidence: f32,
    /// The rule that fired.
    pub rule: &'static str,
    /// Whose name it is (`person_name` only; `Unknown` for other kinds).
    pub subject: Subject,
}

/// Something that finds patient identifiers in text.
pub trait Detector: Sync {
    /// Appends the findings in `text` to `out`, sorted by start offset, with
    /// `start < end <= text.len()` on character boundaries. `staff` are names known to
    /// be staff (the message's sender in a chat export), which decide a name's subject.
    fn scan(&self, text: &str, staff: &StaffNames, out: &mut Vec<Hit>);
    /// `text` with its identifiers replaced or masked.
    fn minimise(&self, text: &str) -> String;
    /// `text` with exactly `hits` (from [`Detector::scan`] on `text`, possibly
    /// filtered) replaced or masked.
    fn minimise_hits(&self, text: &str, hits: &[Hit]) -> String;
}

impl Detector for careguard::detect::Scanner {
    fn scan(&self, text: &str, staff: &StaffNames, out: &mut Vec<Hit>) {
        let hints = ScanHints { staff_names: staff };
        out.extend(
            careguard::detect::Scanner::scan_with(self, text, &hints)
                .into_iter()
                .map(|f| Hit {
                    kind: f.kind.as_str(),
                    start: f.start,
                    end: f.end,
                    confidence: f.confidence,
                    rule: f.rule,
                    subject: f.subject,
                }),
        );
    }

    fn minimise(&self, text: &str) -> String {
        careguard::detect::Scanner::minimise(self, text)
    }

    fn minimise_hits(&self, text: &str, hits: &[Hit]) -> String {
        let findings: Vec<careguard::detect::Finding> = hits
            .iter()
            .filter_map(|h| {
                Some(careguard::detect::Finding {
                    kind: h.kind.parse().ok()?,
                    start: h.start,
                    end: h.end,
                    start_utf16: 0,
                    end_utf16: 0,
                    confidence: h.confidence,
                    rule: h.rule,
                    subject: h.subject,
                })
            })
            .collect();
        self.minimise_findings(text, &findings)
    }
}
