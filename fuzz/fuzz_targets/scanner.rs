//! `detect::Scanner` on arbitrary text: never a panic; findings sorted, non-overlapping,
//! on char boundaries, with UTF-16 offsets that agree with the byte ones; `has_findings`
//! agrees with `scan`; `minimise` is idempotent.
#![no_main]

use std::sync::OnceLock;

use careguard::detect::{MaskStyle, Scanner, ScannerBuilder};
use libfuzzer_sys::fuzz_target;

fn scanners() -> &'static [Scanner; 2] {
    static S: OnceLock<[Scanner; 2]> = OnceLock::new();
    S.get_or_init(|| {
        let partial = ScannerBuilder::new()
            .mask_style(MaskStyle::Partial)
            .confidence_threshold(0.0)
            .hospital_number_pattern(r"\bRX[0-9]{7}\b")
            .allow("Ward Beaumont")
            .build()
            .expect("fixed configuration builds");
        [Scanner::new(), partial]
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let utf16: Vec<u16> = text.encode_utf16().collect();
    for scanner in scanners() {
        let findings = scanner.scan(&text);
        let mut prev_end = 0;
        for f in &findings {
            assert!(f.start < f.end && f.end <= text.len());
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            assert!(f.start >= prev_end, "sorted, non-overlapping");
            prev_end = f.end;
            assert_eq!(f.start_utf16, text[..f.start].encode_utf16().count());
            let units = &utf16[f.start_utf16..f.end_utf16];
            assert_eq!(String::from_utf16(units).ok().as_deref(), Some(&text[f.start..f.end]));
            assert!((0.0..=1.0).contains(&f.confidence));
        }
        assert_eq!(scanner.has_findings(&text), !findings.is_empty());
        let once = scanner.minimise(&text);
        assert_eq!(scanner.minimise(&once), once, "minimise is idempotent");
    }
});
