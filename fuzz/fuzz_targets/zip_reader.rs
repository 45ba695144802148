//! The CLI's zip path on arbitrary archives: corrupt central directories, lying sizes,
//! nested archives, encrypted and binary members. Never a panic; errors are reported
//! per member and the walk goes on.
#![no_main]

use std::io;
use std::sync::OnceLock;

use careguard::detect::Scanner;
use careguard_cli::engine::{Ctx, FileStats, Format, Sink};
use careguard_cli::input::{self, MemSource};
use careguard_cli::unit::Record;
use libfuzzer_sys::fuzz_target;

struct Count(u64);

impl Sink for Count {
    fn begin(&mut self, path: &str, _: &Format) -> io::Result<()> {
        assert!(path.starts_with("fuzz.zip"));
        Ok(())
    }
    fn record(&mut self, _: &str, r: &Record<'_>) -> io::Result<()> {
        self.0 += r.findings.len() as u64;
        Ok(())
    }
    fn end(&mut self, _: &str, _: &FileStats) -> io::Result<()> {
        Ok(())
    }
    fn error(&mut self, _: &str, _: &str) {}
    fn skipped(&mut self, _: &str, _: &str) {}
}

fuzz_target!(|data: &[u8]| {
    if !data.starts_with(b"PK") {
        return;
    }
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    let ctx = Ctx {
        detector: SCANNER.get_or_init(Scanner::new),
        threads: 1,
        progress: &|_| {},
    };
    input::scan_source(&mut MemSource(data), "fuzz.zip", true, 0, &ctx, &mut Count(0))
        .expect("the sink never fails");
});
