//! Trust hospital-number patterns: a pattern too big to compile and a pattern that does
//! not parse are told apart by the error's type, not by its wording.

use careguard::detect::{Error, PATTERN_SIZE_LIMIT, ScannerBuilder};

fn build_with(pattern: &str) -> Result<(), Error> {
    ScannerBuilder::new()
        .hospital_number_pattern(r"\bRA7\d{6}\b")
        .hospital_number_pattern(pattern)
        .build()
        .map(|_| ())
}

#[test]
fn an_oversized_pattern_is_too_big_and_a_broken_one_is_invalid() {
    assert_eq!(
        build_with(&"(?:RA7[0-9]{6}|RX1[0-9]{7})".repeat(2000)),
        Err(Error::PatternTooBig {
            index: 1,
            limit: PATTERN_SIZE_LIMIT
        })
    );
    assert!(matches!(
        build_with(r"RA7(\d{6}"),
        Err(Error::InvalidPattern { index: 1, .. })
    ));
    // A parse error whose wording mentions a size limit is still a parse error.
    assert!(matches!(
        build_with(r"a{4294967296}"),
        Err(Error::InvalidPattern { index: 1, .. })
    ));
    assert_eq!(build_with(r"\bRX1\d{7}\b"), Ok(()));
}
