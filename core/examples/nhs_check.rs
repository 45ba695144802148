//! Reads one 10-digit string a line on standard input and prints two flags a line:
//! whether `is_valid_nhs_number` accepts it, and whether the scanner finds an NHS,
//! CHI or H&C number spanning it inside "NHS no ... today". Used by
//! core/tests/python/test_nhs_number_diff.py against the PyPI `nhs-number` package.
use std::io::{BufRead, BufWriter, Write};

use careguard::detect::{Kind, Scanner, is_valid_nhs_number};

fn main() -> std::io::Result<()> {
    let scanner = Scanner::new();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let digits = line.trim();
        let valid = is_valid_nhs_number(digits);
        let text = format!("NHS no {digits} today");
        let start = "NHS no ".len();
        let found = scanner.scan(&text).iter().any(|f| {
            matches!(f.kind, Kind::NhsNumber | Kind::ChiNumber | Kind::HcNumber)
                && f.start == start
                && f.end == start + digits.len()
        });
        writeln!(out, "{} {}", u8::from(valid), u8::from(found))?;
    }
    out.flush()
}
