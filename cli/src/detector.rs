//! The seam between the CLI and a detector.
//!
//! The CLI only needs two things from a detector: findings with byte ranges in the
//! text it was given, and a minimised copy of a text. [`Detector`] states exactly that,
//! so parsers, printers and the fuzz targets can run against a small fake in tests.
//! Findings are the core library's [`Finding`] all the way to the printers; the
//! pipeline rewrites their offsets (bytes and UTF-16) to be within input lines.

use careguard::detect::{Finding, ScanHints, StaffNames};

/// Something that finds patient identifiers in text.
pub trait Detector: Sync {
    /// Appends the findings in `text` to `out`, sorted by start offset, with
    /// `start < end <= text.len()` on character boundaries. `staff` are names known to
    /// be staff (the message's sender in a chat export), which decide a name's subject.
    /// The UTF-16 offsets need not be filled in: the pipeline counts its own.
    fn scan(&self, text: &str, staff: &StaffNames, out: &mut Vec<Finding>);
    /// `text` with its identifiers replaced or masked.
    fn minimise(&self, text: &str) -> String;
    /// `text` with exactly `findings` (from [`Detector::scan`] on `text`, possibly
    /// filtered) replaced or masked.
    fn minimise_findings(&self, text: &str, findings: &[Finding]) -> String;
}

impl Detector for careguard::detect::Scanner {
    fn scan(&self, text: &str, staff: &StaffNames, out: &mut Vec<Finding>) {
        let hints = ScanHints { staff_names: staff };
        out.extend(careguard::detect::Scanner::scan_with(self, text, &hints));
    }

    fn minimise(&self, text: &str) -> String {
        careguard::detect::Scanner::minimise(self, text)
    }

    fn minimise_findings(&self, text: &str, findings: &[Finding]) -> String {
        careguard::detect::Scanner::minimise_findings(self, text, findings)
    }
}
