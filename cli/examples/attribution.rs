//! How each input's lines are attributed to messages, for scripts/realworld-eval.sh.
//!
//! Runs the real pipeline with a probe detector that reports the first character of
//! every scanned line, so every scanned line comes back as a record carrying its
//! message (or none, for plain text). Prints one tab-separated row per input: path,
//! format, lines, messages, distinct senders, messages with a valid time, and the share
//! of non-blank lines scanned as part of a message.

use std::collections::{BTreeMap, HashSet};
use std::io;
use std::path::PathBuf;

use careguard::detect::{Finding, Kind, StaffNames, Subject};
use careguard_cli::detector::Detector;
use careguard_cli::engine::{Ctx, FileStats, Format, Sink};
use careguard_cli::input;
use careguard_cli::unit::Record;

struct Probe;

impl Detector for Probe {
    fn scan(&self, text: &str, _: &StaffNames, out: &mut Vec<Finding>) {
        let starts =
            std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        for s in starts {
            if let Some(c) = text[s..].chars().next().filter(|c| *c != '\n') {
                // The kind is never looked at: only which lines come back, and how.
                out.push(Finding {
                    kind: Kind::NhsNumber,
                    start: s,
                    end: s + c.len_utf8(),
                    start_utf16: 0,
                    end_utf16: 0,
                    confidence: 1.0,
                    rule: "probe",
                    subject: Subject::Unknown,
                });
            }
        }
    }
    fn minimise(&self, text: &str) -> String {
        text.to_owned()
    }
    fn minimise_findings(&self, text: &str, _: &[Finding]) -> String {
        text.to_owned()
    }
}

#[derive(Default)]
struct File {
    format: String,
    stats: FileStats,
    senders: HashSet<String>,
    messages: HashSet<u64>,
    timed: HashSet<u64>,
    lines: HashSet<u64>,
    error: Option<String>,
}

#[derive(Default)]
struct Tally(BTreeMap<String, File>);

impl Sink for Tally {
    fn begin(&mut self, path: &str, format: &Format) -> io::Result<()> {
        self.0.entry(path.into()).or_default().format = format.name().into();
        Ok(())
    }
    fn record(&mut self, path: &str, record: &Record<'_>) -> io::Result<()> {
        let f = self.0.entry(path.into()).or_default();
        if let Some(m) = record.msg.as_ref().filter(|m| m.index > 0) {
            f.lines.insert(record.line);
            f.messages.insert(m.index);
            if let Some(s) = &m.sender {
                f.senders.insert(s.clone());
            }
            if m.time.as_deref().is_some_and(|t| !t.starts_with("0000")) {
                f.timed.insert(m.index);
            }
        }
        Ok(())
    }
    fn end(&mut self, path: &str, stats: &FileStats) -> io::Result<()> {
        self.0.entry(path.into()).or_default().stats = stats.clone();
        Ok(())
    }
    fn error(&mut self, path: &str, error: &str) {
        self.0.entry(path.into()).or_default().error = Some(error.into());
    }
    fn skipped(&mut self, _: &str, _: &str) {}
}

/// Non-blank lines of a file; `None` for an archive member, which has no path of its own.
fn non_blank_lines(path: &str) -> Option<usize> {
    std::fs::read(path).ok().map(|b| {
        String::from_utf8_lossy(&b)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .count()
    })
}

fn main() -> io::Result<()> {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let mut tally = Tally::default();
    let files = input::walk(&paths, &mut tally);
    let ctx = Ctx {
        detector: &Probe,
        threads: 1,
        progress: &|_| {},
    };
    input::scan_paths(&files, &ctx, &mut tally)?;
    println!("path\tformat\tlines\tmessages\tsenders\ttimed\tattributed%");
    for (path, f) in &tally.0 {
        let messages = f.stats.messages.total();
        let blank = non_blank_lines(path).unwrap_or(f.stats.lines as usize);
        let share = if f.format.starts_with("whatsapp") {
            // Scanned lines only: sender-less system lines are not scanned.
            100.0 * f.lines.len() as f64 / blank.max(1) as f64
        } else if f.format == "text" || f.format.is_empty() {
            0.0
        } else {
            // JSON: a message per scanned part; lines are JSON syntax.
            100.0 * f.messages.len() as f64 / messages.max(1) as f64
        };
        println!(
            "{path}\t{}\t{}\t{messages}\t{}\t{}\t{share:.0}{}",
            if f.format.is_empty() { "-" } else { &f.format },
            f.stats.lines,
            f.senders.len(),
            f.timed.len(),
            f.error
                .as_deref()
                .map_or(String::new(), |e| format!("\terror: {e}")),
        );
    }
    Ok(())
}
