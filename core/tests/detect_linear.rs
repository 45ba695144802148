//! Linear time in the length of a line, however many findings it has (issue 19): a
//! single long line with a finding every ~50 bytes scans in about the time of the same
//! text split into lines, and doubling the line about doubles the time. Sizes are kept
//! small so the debug-mode suite stays quick; the criterion bench
//! `detect/linear/*` measures 1 MB in release mode.

use std::time::{Duration, Instant};

use careguard::detect::Scanner;

/// 50 bytes with one name, one NHS number and one date of birth.
const UNIT: &str = "Zoë Okafor NHS 943 476 5919 DOB 12/03/1954 ok.  ";

fn best_of(scanner: &Scanner, text: &str, expected: usize) -> Duration {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            let n = scanner.scan(text).len();
            let spent = t.elapsed();
            assert_eq!(n, expected);
            spent
        })
        .min()
        .unwrap_or_default()
}

#[test]
fn a_long_line_full_of_findings_scans_in_linear_time() {
    let scanner = Scanner::new();
    assert_eq!(scanner.scan(UNIT).len(), 3);
    let n = 2_000;
    let one_line = UNIT.repeat(n);
    let lines = UNIT.trim_end().to_owned() + "\n";
    let lines = lines.repeat(n);
    let double = UNIT.repeat(2 * n);
    let t_line = best_of(&scanner, &one_line, 3 * n);
    let t_lines = best_of(&scanner, &lines, 3 * n);
    let t_double = best_of(&scanner, &double, 6 * n);
    // generous bounds: a quadratic step makes the ratios grow with n (at n = 2000 by
    // hundreds), timing noise on a shared machine does not
    let slack = Duration::from_millis(30);
    assert!(
        t_line <= t_lines * 3 + slack,
        "one line {t_line:?} vs lines {t_lines:?}"
    );
    assert!(
        t_double <= t_line * 4 + slack,
        "doubled line {t_double:?} vs {t_line:?}"
    );
}

/// About 20 bytes a finding, through the evidence rules (kinship cue, a name before a
/// bay, a file name, a title before a numbered ward) and the number patterns.
const EVIDENCE_UNIT: &str = "wife Chidinma rang. Hope in bay 6 ok. Kowalczyk_Anna_cxr.pdf sent. \
                             ring 07700 900123, LS1 4AB. Mrs Okoro ward 12. ";

#[test]
fn a_long_line_full_of_evidence_rule_findings_scans_in_linear_time() {
    let scanner = Scanner::new();
    let per_unit = scanner.scan(EVIDENCE_UNIT).len();
    assert_eq!(per_unit, 6);
    let n = 1_000;
    let one_line = EVIDENCE_UNIT.repeat(n);
    let lines = EVIDENCE_UNIT.replace(". ", ".\n").repeat(n);
    let t_line = best_of(&scanner, &one_line, per_unit * n);
    let t_lines = best_of(&scanner, &lines, per_unit * n);
    let slack = Duration::from_millis(30);
    assert!(
        t_line <= t_lines * 4 + slack,
        "one line {t_line:?} vs lines {t_lines:?}"
    );
}

#[test]
fn utf16_offsets_on_a_long_non_ascii_line_are_right() {
    let scanner = Scanner::new();
    let text = UNIT.repeat(500);
    for f in scanner.scan(&text) {
        let u16_start = text[..f.start].encode_utf16().count();
        let u16_end = text[..f.end].encode_utf16().count();
        assert_eq!((f.start_utf16, f.end_utf16), (u16_start, u16_end));
    }
}
