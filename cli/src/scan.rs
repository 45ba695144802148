//! `careguard scan`: audit files, directories, zip archives and chat exports.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use careguard_cli::baseline::Baseline;
use careguard_cli::config::Config;
use careguard_cli::engine::Ctx;
use careguard_cli::input;
use careguard_cli::report::{EXIT_ERROR, OutputFormat, Report};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget};

/// Inputs at least this big get a progress bar (on a terminal).
const PROGRESS_MIN_BYTES: u64 = 8 << 20;

const SCAN_HELP: &str = "\
Inputs are recognised by content, not by name: WhatsApp exports (Android and iOS, any
date locale, CRLF or LF), Telegram Desktop result.json, Microsoft Teams chatMessage
JSON, zip archives (iOS exports `WhatsApp Chat - NAME.zip`; text members are scanned,
media skipped, members reported as ARCHIVE.zip/MEMBER) and any other text line by line.
Directories are walked recursively in name order; symbolic links are not followed.
Findings are reported against their message, sender and time. Participants' names in
system lines and sender fields are not findings; attachment names are scanned, and so
are the names of files, folders and zip members (reported as `name`, jsonl line 0);
masked reports mask them in every path they print.

EXIT STATUS:
  0  nothing found
  1  patient identifiers found
  2  an error: a file could not be read, was not valid UTF-8, or a zip archive was
     corrupt (reported on stderr and in the summary; the other inputs are still scanned)

EXAMPLES:
  careguard scan examples/whatsapp-ward-group.txt
  careguard scan 'WhatsApp Chat - Ward 7.zip' --format jsonl > findings.jsonl
  careguard scan exports/ --format json
  unzip -p export.zip _chat.txt | careguard scan -

See docs/CLI.md for the jsonl schema and its guarantees.";

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// A report for people: findings by file and message, masked, then a summary
    Text,
    /// One JSON object per input line with findings (schema: docs/CLI.md)
    Jsonl,
    /// One JSON summary document: counts by kind, top senders, files, errors
    Json,
    /// SARIF 2.1.0 for code-scanning dashboards (one result per finding)
    Sarif,
    /// One row per finding for Excel (RFC 4180, formula-safe)
    Csv,
    /// A self-contained HTML report with charts, for people to read, print and share
    Html,
}

#[derive(Args)]
#[command(after_help = SCAN_HELP)]
pub(crate) struct ScanArgs {
    /// Files, directories and zip archives to scan; `-` (or nothing) reads stdin
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Print the matched text itself (by default it is masked, like `*** *** 5919`,
    /// and left out of jsonl)
    #[arg(long)]
    show_matches: bool,
    /// List skipped media and binary files on stderr
    #[arg(short, long)]
    verbose: bool,
    /// Worker threads [default: all cores]
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,
    /// Settings file (schema: docs/CLI.md) [default: .careguard.toml in the first
    /// scanned directory that has one, else built-in defaults]
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Leave out findings recorded in this baseline (already reviewed); they are
    /// counted in the summary
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record every finding of this run in a new baseline file (with --baseline, the
    /// old one's findings that are still present stay in it)
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
}

pub(crate) fn run(args: ScanArgs) -> ExitCode {
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    // Only fails if a pool already exists, which then serves as well.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global();
    let format = match args.format {
        Format::Text => OutputFormat::Text,
        Format::Jsonl => OutputFormat::Jsonl,
        Format::Json => OutputFormat::Json,
        Format::Sarif => OutputFormat::Sarif,
        Format::Csv => OutputFormat::Csv,
        Format::Html => OutputFormat::Html,
    };
    let config = match Config::find(args.config.as_deref(), &args.paths) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("careguard: error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    if let (Some(p), true) = (&config.path, args.verbose) {
        eprintln!("careguard: note: settings from {}", p.display());
    }
    let scanner = config.scanner();
    let stdout = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let mut report = Report::new(
        stdout,
        io::stderr(),
        format,
        args.show_matches,
        args.verbose,
        config.report_mask(),
    );
    report = report.with_names_scanned(scanner.clone());
    let baseline = match args.baseline.as_deref().map(Baseline::load).transpose() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("careguard: error: --baseline {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    if args.write_baseline.is_some() {
        let new = match &baseline {
            Some(b) => Ok(b.empty_like()),
            None => Baseline::new(),
        };
        match new {
            Ok(n) => report = report.recording_baseline(n),
            Err(e) => {
                eprintln!("careguard: error: --write-baseline: {e}");
                return ExitCode::from(EXIT_ERROR);
            }
        }
    }
    if let Some(b) = baseline {
        report = report.with_baseline(b);
    }
    if let Some(ctx) = &config.policy {
        report = report.with_policy(ctx.clone());
    }
    if args.paths.is_empty() && io::stdin().is_terminal() {
        return crate::no_input(
            "scan",
            "give files or directories to scan, or pipe a file in",
        );
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths
    };
    let files = input::walk(&paths, &mut report);
    let total: u64 = files
        .iter()
        .filter_map(|(p, _)| std::fs::metadata(p).ok().map(|m| m.len()))
        .sum();
    let bar = (io::stderr().is_terminal() && total >= PROGRESS_MIN_BYTES)
        .then(|| ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()));
    let progress = |n: u64| {
        if let Some(b) = &bar {
            b.inc(n);
        }
    };
    let ctx = Ctx {
        detector: &scanner,
        threads,
        progress: &progress,
    };
    if let Err(e) = input::scan_paths(&files, &ctx, &mut report) {
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        // A closed pipe (`| head`) ends the run quietly.
        if e.kind() == io::ErrorKind::BrokenPipe {
            return ExitCode::from(report.status());
        }
        eprintln!("careguard: error: cannot write results: {e}");
        return ExitCode::from(EXIT_ERROR);
    }
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if let (Some(path), Some(new)) = (&args.write_baseline, report.take_new_baseline()) {
        if let Err(e) = new.write(path) {
            let _ = report.finish();
            eprintln!("careguard: error: --write-baseline {e}");
            return ExitCode::from(EXIT_ERROR);
        }
        if args.verbose {
            eprintln!(
                "careguard: note: wrote {} finding(s) to the baseline {}",
                new.len(),
                path.display()
            );
        }
    }
    match report.finish() {
        Ok(()) => ExitCode::from(report.status()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(report.status()),
        Err(e) => {
            let _ = writeln!(io::stderr(), "careguard: error: cannot write results: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
