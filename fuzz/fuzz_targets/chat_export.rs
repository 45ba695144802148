//! The CLI's input pipeline on arbitrary bytes: format recognition, the WhatsApp,
//! Telegram, Teams and plain-text parsers, chunking and offset mapping, with the real
//! scanner. Never a panic; every reported range must index its line (split the naive
//! way) and hold the text the record says it matched.
#![no_main]

use std::io;
use std::sync::OnceLock;

use careguard::detect::Scanner;
use careguard_cli::engine::{Ctx, FileStats, Format, Sink};
use careguard_cli::input::{self, MemSource};
use careguard_cli::unit::Record;
use libfuzzer_sys::fuzz_target;

struct Check<'a> {
    lines: Option<Vec<&'a str>>,
}

impl Sink for Check<'_> {
    fn begin(&mut self, _: &str, _: &Format) -> io::Result<()> {
        Ok(())
    }
    fn record(&mut self, _: &str, r: &Record<'_>) -> io::Result<()> {
        for f in &r.findings {
            assert!(f.start < f.end && f.start_utf16 < f.end_utf16);
            assert!(f.end_utf16 - f.start_utf16 <= f.end - f.start);
            if let Some(lines) = &self.lines {
                let line = lines[r.line as usize - 1];
                assert_eq!(&line[f.start..f.end], r.matched(f));
            }
        }
        Ok(())
    }
    fn end(&mut self, _: &str, _: &FileStats) -> io::Result<()> {
        Ok(())
    }
    fn error(&mut self, _: &str, _: &str) {}
    fn skipped(&mut self, _: &str, _: &str) {}
}

fuzz_target!(|data: &[u8]| {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    let scanner = SCANNER.get_or_init(Scanner::new);
    let lines = match std::str::from_utf8(data) {
        Ok(t) if !t.starts_with("PK") => {
            let t = t.strip_prefix('\u{feff}').unwrap_or(t);
            Some(
                t.split('\n')
                    .map(|l| l.strip_suffix('\r').unwrap_or(l))
                    .collect(),
            )
        }
        _ => None,
    };
    let mut sink = Check { lines };
    let ctx = Ctx {
        detector: scanner,
        threads: 1,
        progress: &|_| {},
    };
    input::scan_source(&mut MemSource(data), "fuzz", true, 0, &ctx, &mut sink)
        .expect("the sink never fails");
});
