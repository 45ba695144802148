//! `careguard minimise`: a minimised copy of a text or WhatsApp export.

use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use careguard_cli::engine::{Ctx, MAX_WHOLE};
use careguard_cli::input::{self, FileSource, MemSource};
use clap::Args;

const MINIMISE_HELP: &str = "\
Chat headers (date, time, sender) and system lines are kept intact, so the result is
still a readable export; each message is minimised whole, exactly where `scan` reports
identifiers. Line endings are kept.

EXIT STATUS:
  0  the minimised text was written
  2  an error (unreadable input, a zip archive, binary data or a JSON export)

EXAMPLES:
  careguard minimise examples/whatsapp-ward-group.txt > ward-group-minimised.txt
  pbpaste | careguard minimise";

#[derive(Args)]
#[command(after_help = MINIMISE_HELP)]
pub(crate) struct MinimiseArgs {
    /// The text file or WhatsApp export; `-` (or nothing) reads stdin
    #[arg(value_name = "FILE")]
    path: Option<PathBuf>,
}

pub(crate) fn run(args: MinimiseArgs) -> ExitCode {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let scanner = careguard::detect::Scanner::new();
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
            Ok(_) => input::minimise_source(&mut MemSource(&all), &ctx, &mut out),
            Err(e) => Err(e.into()),
        }
    } else {
        input::minimise_source(&mut FileSource(path), &ctx, &mut out)
    };
    match result
        .map_err(|e| e.to_string())
        .and_then(|()| out.flush().map_err(|e| e.to_string()))
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(io::stderr(), "careguard: error: {shown}: {e}");
            ExitCode::from(2)
        }
    }
}
