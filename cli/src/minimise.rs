//! `careguard minimise`: a minimised copy of a text or WhatsApp export.

use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use careguard_cli::config::Config;
use careguard_cli::engine::{Ctx, MAX_WHOLE};
use careguard_cli::input::{self, FileSource, MemSource};
use clap::Args;

const MINIMISE_HELP: &str = "\
Chat headers (date, time, sender) and system lines are kept intact, so the result is
still a readable export; each message is minimised whole, exactly where `scan` reports
identifiers. Line endings are kept.

EXIT STATUS:
  0  the minimised text was written
  2  an error (unreadable input, invalid UTF-8, a zip archive, binary data or a JSON
     export); nothing is written

EXAMPLES:
  careguard minimise examples/whatsapp-ward-group.txt > ward-group-minimised.txt
  pbpaste | careguard minimise";

#[derive(Args)]
#[command(after_help = MINIMISE_HELP)]
pub(crate) struct MinimiseArgs {
    /// The text file or WhatsApp export; `-` (or nothing) reads stdin
    #[arg(value_name = "FILE")]
    path: Option<PathBuf>,
    /// Settings file (schema: docs/CLI.md): kinds, threshold, Trust patterns,
    /// allow-lists and mask style
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

pub(crate) fn run(args: MinimiseArgs) -> ExitCode {
    if args.path.is_none() && io::stdin().is_terminal() {
        return crate::no_input("minimise", "give a file to minimise, or pipe one in");
    }
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let config = match args.config.as_deref().map(Config::load).transpose() {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => {
            let _ = writeln!(io::stderr(), "careguard: error: {e}");
            return ExitCode::from(2);
        }
    };
    let scanner = config.scanner();
    let ctx = Ctx {
        detector: &scanner,
        threads,
        progress: &|_| {},
    };
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let path = args.path.unwrap_or_else(|| PathBuf::from("-"));
    let shown = path.display().to_string();
    let result = if path.as_os_str() == "-" {
        let mut all = Vec::new();
        match io::stdin().lock().take(MAX_WHOLE).read_to_end(&mut all) {
            Ok(_) => match first_invalid_line(&all[..]) {
                Ok(None) => input::minimise_source(&mut MemSource(&all), &ctx, &mut out)
                    .map_err(|e| e.to_string()),
                Ok(Some(line)) => Err(not_utf8(line)),
                Err(e) => Err(e.to_string()),
            },
            Err(e) => Err(e.to_string()),
        }
    } else {
        // Checked before anything is written, so a refused input leaves no partial copy.
        match std::fs::File::open(&path).and_then(first_invalid_line) {
            Ok(None) => input::minimise_source(&mut FileSource(path), &ctx, &mut out)
                .map_err(|e| e.to_string()),
            Ok(Some(line)) => Err(not_utf8(line)),
            Err(e) => Err(format!("cannot read: {e}")),
        }
    };
    match result.and_then(|()| out.flush().map_err(|e| e.to_string())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(io::stderr(), "careguard: error: {shown}: {e}");
            ExitCode::from(2)
        }
    }
}

fn not_utf8(line: u64) -> String {
    format!(
        "invalid UTF-8 at line {line}; not minimised (a copy with U+FFFD replacements would \
         change the text): convert it to UTF-8 first"
    )
}

/// The line (from 1) of the first byte sequence that is not UTF-8, reading `reader`
/// in blocks so a large file is never held whole.
fn first_invalid_line(mut reader: impl Read) -> io::Result<Option<u64>> {
    let mut buf = vec![0u8; 1 << 16];
    let mut kept = 0;
    let mut lines = 1u64;
    loop {
        let got = match reader.read(&mut buf[kept..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let filled = kept + got;
        let (valid, bad) = match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => (filled, false),
            // A character cut at the end of the block is completed by the next read.
            Err(e) if e.error_len().is_none() && got > 0 => (e.valid_up_to(), false),
            Err(e) => (e.valid_up_to(), true),
        };
        lines += memchr::memchr_iter(b'\n', &buf[..valid]).count() as u64;
        if bad {
            return Ok(Some(lines));
        }
        if got == 0 {
            return Ok(None);
        }
        buf.copy_within(valid..filled, 0);
        kept = filled - valid;
    }
}

#[cfg(test)]
mod tests {
    use super::first_invalid_line;

    #[test]
    fn finds_the_line_of_bad_utf8() {
        assert_eq!(
            first_invalid_line(&b"ok\nfine \xc3\xa9\n"[..]).unwrap(),
            None
        );
        assert_eq!(first_invalid_line(&b"a\nb\n\xff\n"[..]).unwrap(), Some(3));
        // A cut-off character at the very end is invalid too.
        assert_eq!(first_invalid_line(&b"a\n\xc3"[..]).unwrap(), Some(2));
        // A character split across blocks is not.
        let mut big = vec![b'x'; (1 << 16) - 1];
        big.extend_from_slice("é\n".as_bytes());
        assert_eq!(first_invalid_line(&big[..]).unwrap(), None);
    }
}
