//! The report: the [`Sink`] the engine feeds. It keeps the run's [`Summary`] (counts
//! by kind, month, sender and file, errors, skips, policy verdicts), masks what
//! printers show through the core library's mask styles, and hands each event to the
//! printer of the chosen format ([`crate::print`]), as ripgrep's searcher feeds its
//! printers through a sink.
//!
//! Results go to stdout; errors and skips go to stderr as `careguard: error: PATH: …`
//! lines as they happen, and are counted in the summary.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Write};

use careguard::detect::{Finding, Kind, MaskStyle, Scanner, ScannerBuilder, Subject};
use careguard::policy::{self, Context, Conversation, Verdict};
use serde_json::{Value, json};

use crate::baseline::Baseline;
use crate::engine::{FileStats, Format, Sink};
use crate::print::{self, Printer};
use crate::unit::{Record, utf16_len};

/// Output format of `scan`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// The human report.
    Text,
    /// One JSON object per line with findings.
    Jsonl,
    /// One summary document.
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// One row per finding, for spreadsheets.
    Csv,
    /// A self-contained HTML report.
    Html,
}

/// Exit status of `scan`: nothing found.
pub const EXIT_CLEAN: u8 = 0;
/// Exit status of `scan`: findings.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status of `scan`: an error (alone or with findings).
pub const EXIT_ERROR: u8 = 2;

/// How many senders the summary lists.
pub const TOP_SENDERS: usize = 10;

/// One scanned input in the summary.
#[derive(Debug, Default, Clone)]
pub struct FileSummary {
    /// The path as shown in this report (masked unless matches are shown).
    pub path: String,
    /// `whatsapp-android`, `whatsapp-ios`, `telegram`, `teams` or `text`.
    pub format: &'static str,
    /// Lines, messages and bytes read.
    pub stats: FileStats,
    /// Findings reported.
    pub findings: u64,
    /// Lines with at least one finding.
    pub lines_with_findings: u64,
}

impl FileSummary {
    /// Whether the input is a chat export (it has messages).
    pub fn is_chat(&self) -> bool {
        !matches!(self.format, "text" | "name")
    }
}

/// What the whole run found, for the printers' summaries.
#[derive(Debug, Default)]
pub struct Summary {
    /// Every input scanned, in order.
    pub files: Vec<FileSummary>,
    /// Findings per kind name.
    pub kinds: BTreeMap<&'static str, u64>,
    /// Findings per sender.
    pub senders: HashMap<String, u64>,
    /// Findings per month (`YYYY-MM` of the message time) in chat exports.
    pub months: BTreeMap<String, u64>,
    /// Inputs that failed: shown path and error.
    pub errors: Vec<(String, String)>,
    /// Inputs skipped (media, binary): shown path and reason.
    pub skipped: Vec<(String, String)>,
    /// Policy verdicts, when a policy context was configured.
    pub policy: Option<PolicyTally>,
    /// Findings left out because the baseline holds them (`None`: no baseline).
    pub suppressed: Option<u64>,
}

impl Summary {
    /// Total findings.
    pub fn findings(&self) -> u64 {
        self.kinds.values().sum()
    }

    /// The exit status: 2 on any error, else 1 on findings, else 0.
    pub fn status(&self) -> u8 {
        if !self.errors.is_empty() {
            EXIT_ERROR
        } else if self.findings() > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        }
    }

    /// The senders with most findings, most first, at most [`TOP_SENDERS`].
    pub fn top_senders(&self) -> Vec<(&String, u64)> {
        let mut top: Vec<(&String, u64)> = self.senders.iter().map(|(s, n)| (s, *n)).collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        top.truncate(TOP_SENDERS);
        top
    }
}

/// The policy's verdicts on every message with findings, under the configured context.
#[derive(Debug)]
pub struct PolicyTally {
    /// The configured context.
    pub ctx: Context,
    /// Messages (or plain-text lines) per verdict: `block`, `warn`, `allow`.
    pub verdicts: BTreeMap<&'static str, u64>,
    /// Messages per reason code.
    pub reasons: BTreeMap<&'static str, u64>,
    /// The message whose findings are being gathered: (file number, message or line).
    pending_key: Option<(usize, u64)>,
    pending: Vec<Finding>,
}

impl PolicyTally {
    fn new(ctx: Context) -> Self {
        PolicyTally {
            ctx,
            verdicts: BTreeMap::new(),
            reasons: BTreeMap::new(),
            pending_key: None,
            pending: Vec::new(),
        }
    }

    fn add(&mut self, key: (usize, u64), record: &Record<'_>) {
        if self.pending_key != Some(key) {
            self.flush();
            self.pending_key = Some(key);
        }
        self.pending.extend_from_slice(&record.findings);
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let d = policy::decide(&self.pending, &self.ctx);
        *self.verdicts.entry(verdict_name(d.verdict)).or_default() += 1;
        for r in &d.reasons {
            *self.reasons.entry(r.code()).or_default() += 1;
        }
        self.pending.clear();
    }

    /// The context as the json summary shows it.
    pub fn context_json(&self) -> Value {
        json!({
            "conversation": conversation_name(self.ctx.conversation),
            "platform_approved": self.ctx.platform.is_approved(),
            "emergency": self.ctx.emergency,
        })
    }
}

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Allow => "allow",
        Verdict::Warn => "warn",
        _ => "block",
    }
}

/// `clinical`, `social` or `broadcast`.
pub fn conversation_name(c: Conversation) -> &'static str {
    match c {
        Conversation::Clinical => "clinical",
        Conversation::Social => "social",
        _ => "broadcast",
    }
}

/// Replaces control characters (terminal escapes included) so untrusted names and
/// text cannot drive the reader's terminal.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// Masks matched text through the core library's mask styles, so a report shows
/// exactly what `minimise` would write.
pub struct Masker {
    scanner: Scanner,
}

impl Masker {
    /// A masker writing `style` (reports default to [`MaskStyle::Partial`]:
    /// `*** *** 5919`, `[J.S.]`).
    pub fn new(style: MaskStyle) -> Self {
        let scanner = ScannerBuilder::new()
            .mask_style(style)
            .build()
            .unwrap_or_else(|_| Scanner::new());
        Masker { scanner }
    }

    /// `text`, all of which was found as `kind`, masked.
    pub fn mask(&self, kind: Kind, text: &str) -> String {
        let whole = Finding {
            kind,
            start: 0,
            end: text.len(),
            start_utf16: 0,
            end_utf16: 0,
            confidence: 1.0,
            rule: "",
            subject: Subject::Unknown,
        };
        self.scanner.minimise_findings(text, &[whole])
    }
}

/// A record as printers get it: the record, and the path and each finding's text as
/// this report shows them (masked unless `--show-matches`; control characters
/// replaced).
pub struct Shown<'a> {
    /// The path as given or found (jsonl's `path`: DESIGN.md).
    pub path: &'a str,
    /// The path as this report may show it (masked unless matches are shown).
    pub shown_path: &'a str,
    /// The input's format name.
    pub format: &'static str,
    /// The record.
    pub record: &'a Record<'a>,
    /// Whether findings are shown as the matched text itself.
    pub raw: bool,
    masker: &'a Masker,
}

impl Shown<'_> {
    /// The text of `finding` (one of the record's) as this report shows it: masked
    /// unless matches are shown, control characters replaced either way.
    pub fn text_of(&self, finding: &Finding) -> String {
        let text = printable(self.record.matched(finding));
        if self.raw {
            text
        } else {
            self.masker.mask(finding.kind, &text)
        }
    }
}

/// Collects results, feeds the printer and computes the exit status.
pub struct Report<W: Write, E: Write> {
    out: W,
    err: E,
    printer: Box<dyn Printer>,
    show_matches: bool,
    verbose: bool,
    masker: Masker,
    summary: Summary,
    shown_path: String,
    /// The format name of the input whose records are being printed.
    format_now: &'static str,
    names: Option<Names>,
    baseline: Option<Baseline>,
    /// The baseline being written (`--write-baseline`).
    new_baseline: Option<Baseline>,
}

/// File and member names are data: a photo called `Margaret Holloway.jpg` names a
/// patient as surely as a message does.
struct Names {
    scanner: Scanner,
    /// Path prefixes (`dir`, `dir/a.zip`) whose last component was already reported,
    /// so a directory or an archive's name is reported once, not once per file in it.
    seen: HashSet<String>,
}

impl Names {
    /// The findings in `path`'s components, as byte ranges of `path`; with `fresh`,
    /// only in components not reported before.
    fn scan(&mut self, path: &str, fresh: bool) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut start = 0;
        for component in path.split(['/', '\\']) {
            let end = start + component.len();
            let prefix = &path[..end];
            let new = !fresh || self.seen.insert(prefix.to_owned());
            if new && !component.is_empty() {
                // `_` joins words in file names; as a space (one byte for one byte),
                // names in `john_smith.txt` are found and offsets stay the same.
                let text = component.replace('_', " ");
                for mut f in self.scanner.scan(&text) {
                    f.start += start;
                    f.end += start;
                    out.push(f);
                }
            }
            start = end + 1;
        }
        out
    }
}

impl<W: Write, E: Write> Report<W, E> {
    /// A report writing results to `out` and diagnostics to `err`, masking with
    /// `mask` unless `show_matches`.
    pub fn new(
        out: W,
        err: E,
        format: OutputFormat,
        show_matches: bool,
        verbose: bool,
        mask: MaskStyle,
    ) -> Self {
        Report {
            out,
            err,
            printer: print::printer(format),
            show_matches,
            verbose,
            masker: Masker::new(mask),
            summary: Summary::default(),
            shown_path: String::new(),
            format_now: "text",
            names: None,
            baseline: None,
            new_baseline: None,
        }
    }

    /// Leaves out findings that `baseline` holds (they were reviewed), counting them.
    pub fn with_baseline(mut self, baseline: Baseline) -> Self {
        self.summary.suppressed = Some(0);
        self.baseline = Some(baseline);
        self
    }

    /// Records every finding (those the baseline left out included) into `new`, to
    /// be taken with [`Report::take_new_baseline`] after the run.
    pub fn recording_baseline(mut self, new: Baseline) -> Self {
        self.new_baseline = Some(new);
        self
    }

    /// The baseline recorded during the run.
    pub fn take_new_baseline(&mut self) -> Option<Baseline> {
        self.new_baseline.take()
    }

    /// Scans the names of inputs (files found in directories, archive members,
    /// skipped media) with `scanner`: their findings are reported like any other
    /// (jsonl `line` 0, offsets into `path`), and masked in every path this report
    /// shows unless matches are shown.
    pub fn with_names_scanned(mut self, scanner: Scanner) -> Self {
        self.names = Some(Names {
            scanner,
            seen: HashSet::new(),
        });
        self
    }

    /// Judges each message with findings by the core policy under `ctx` (the
    /// configuration's `[policy]`), and reports the verdicts in the summary.
    pub fn with_policy(mut self, ctx: Context) -> Self {
        self.summary.policy = Some(PolicyTally::new(ctx));
        self
    }

    /// The run so far.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Total findings.
    pub fn findings(&self) -> u64 {
        self.summary.findings()
    }

    /// The exit status: 2 on any error, else 1 on findings, else 0.
    pub fn status(&self) -> u8 {
        self.summary.status()
    }

    /// A path as this report shows it: masked unless matches are shown.
    fn show_path(&mut self, path: &str) -> String {
        let (Some(names), false) = (&mut self.names, self.show_matches) else {
            return printable(path);
        };
        let mut out = String::with_capacity(path.len());
        let mut at = 0;
        for f in names.scan(path, false) {
            if f.start < at {
                continue;
            }
            out.push_str(&path[at..f.start]);
            out.push_str(&self.masker.mask(f.kind, &path[f.start..f.end]));
            at = f.end;
        }
        out.push_str(&path[at..]);
        printable(&out)
    }

    /// Reports the findings in `path`'s name not reported before, as a record with
    /// line 0. `own_file`: the path is an input being scanned (counted in its file);
    /// otherwise (a skipped or failed input) the record stands alone.
    fn report_name(&mut self, path: &str, own_file: bool) -> io::Result<()> {
        let Some(names) = &mut self.names else {
            return Ok(());
        };
        let found = names.scan(path, true);
        if found.is_empty() {
            return Ok(());
        }
        let record = Record {
            line: 0,
            text: path,
            msg: None,
            findings: found
                .iter()
                .map(|f| {
                    let start_utf16 = utf16_len(&path[..f.start]);
                    Finding {
                        start_utf16,
                        end_utf16: start_utf16 + utf16_len(&path[f.start..f.end]),
                        ..*f
                    }
                })
                .collect(),
        };
        if own_file {
            return self.record(path, &record);
        }
        let shown = self.show_path(path);
        let file = FileSummary {
            path: shown.clone(),
            format: "name",
            ..FileSummary::default()
        };
        let saved = std::mem::replace(&mut self.shown_path, shown);
        let saved_format = std::mem::replace(&mut self.format_now, "name");
        self.printer.begin(&mut self.out, &file)?;
        let r = self.record(path, &record).and_then(|()| {
            let file = FileSummary {
                findings: record.findings.len() as u64,
                ..file
            };
            self.printer.end(&mut self.out, &file)
        });
        self.shown_path = saved;
        self.format_now = saved_format;
        r
    }

    /// Prints the summary (for formats that have one) and flushes.
    pub fn finish(&mut self) -> io::Result<()> {
        if let Some(p) = &mut self.summary.policy {
            p.flush();
        }
        self.printer.finish(&mut self.out, &self.summary)?;
        if !self.verbose && !self.summary.skipped.is_empty() {
            let _ = writeln!(
                self.err,
                "careguard: note: skipped {} media or binary file(s); --verbose lists them",
                self.summary.skipped.len()
            );
        }
        self.out.flush()
    }
}

/// `YYYY-MM` of an ISO 8601 time.
fn month(time: &str) -> Option<&str> {
    let m = time.get(..7)?;
    let b = m.as_bytes();
    (b[4] == b'-' && b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit)).then_some(m)
}

impl<W: Write, E: Write> Sink for Report<W, E> {
    fn begin(&mut self, path: &str, format: &Format) -> io::Result<()> {
        self.shown_path = self.show_path(path);
        self.format_now = format.name();
        self.summary.files.push(FileSummary {
            path: self.shown_path.clone(),
            format: format.name(),
            ..FileSummary::default()
        });
        if let Some(file) = self.summary.files.last() {
            self.printer.begin(&mut self.out, file)?;
        }
        self.report_name(path, true)
    }

    fn record(&mut self, path: &str, record: &Record<'_>) -> io::Result<()> {
        let filtered;
        let record = if self.baseline.is_some() || self.new_baseline.is_some() {
            let mut kept = Vec::with_capacity(record.findings.len());
            for f in &record.findings {
                let fp =
                    |b: &Baseline| b.fingerprint(f, record.matched(f), record.msg.as_ref(), path);
                if let Some(new) = &mut self.new_baseline {
                    let fp = fp(new);
                    new.insert(fp);
                }
                match &self.baseline {
                    Some(b) if b.contains(&fp(b)) => {
                        *self.summary.suppressed.get_or_insert(0) += 1;
                    }
                    _ => kept.push(*f),
                }
            }
            if kept.is_empty() {
                return Ok(());
            }
            filtered = Record {
                line: record.line,
                text: record.text,
                msg: record.msg.clone(),
                findings: kept,
            };
            &filtered
        } else {
            record
        };
        let s = &mut self.summary;
        for f in &record.findings {
            *s.kinds.entry(f.kind.as_str()).or_default() += 1;
        }
        let n = record.findings.len() as u64;
        if let Some(p) = &mut s.policy {
            let unit = record.msg.as_ref().map_or(record.line, |m| m.index);
            p.add((s.files.len(), unit), record);
        }
        if let Some(m) = &record.msg {
            if let Some(sender) = &m.sender {
                *s.senders.entry(sender.clone()).or_default() += n;
            }
            if let Some(month) = m.time.as_deref().and_then(month) {
                *s.months.entry(month.to_owned()).or_default() += n;
            }
        }
        // A skipped or failed input's name belongs to no scanned file.
        let file = if self.format_now == "name" {
            None
        } else {
            s.files.last_mut()
        };
        if let Some(file) = file {
            file.findings += n;
            if record.line > 0 {
                file.lines_with_findings += 1;
            }
        }
        let shown = Shown {
            path,
            shown_path: &self.shown_path,
            format: self.format_now,
            record,
            raw: self.show_matches,
            masker: &self.masker,
        };
        self.printer.record(&mut self.out, &shown)
    }

    fn end(&mut self, _path: &str, stats: &FileStats) -> io::Result<()> {
        let Some(file) = self.summary.files.last_mut() else {
            return Ok(());
        };
        file.stats = stats.clone();
        self.printer.end(&mut self.out, file)
    }

    fn error(&mut self, path: &str, error: &str) {
        let shown = self.show_path(path);
        let _ = writeln!(self.err, "careguard: error: {shown}: {error}");
        self.summary.errors.push((shown, error.to_owned()));
        // Sink::error cannot fail; a write error shows again at the next record or
        // at finish.
        let _ = self.report_name(path, false);
    }

    fn skipped(&mut self, path: &str, why: &str) {
        let shown = self.show_path(path);
        if self.verbose {
            let _ = writeln!(self.err, "careguard: skipped: {shown}: {why}");
        }
        self.summary.skipped.push((shown, why.to_owned()));
        let _ = self.report_name(path, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_through_the_core_styles() {
        let partial = Masker::new(MaskStyle::Partial);
        assert_eq!(
            partial.mask(Kind::NhsNumber, "943 476 5919"),
            "*** *** 5919"
        );
        assert_eq!(partial.mask(Kind::PersonName, "John Smith"), "[J.S.]");
        let placeholder = Masker::new(MaskStyle::Placeholder);
        assert_eq!(
            placeholder.mask(Kind::NhsNumber, "943 476 5919"),
            "[NHS number]"
        );
    }

    #[test]
    fn printable_strips_escapes() {
        assert_eq!(printable("a\u{1b}[31mb"), "a\u{FFFD}[31mb");
    }

    #[test]
    fn months_of_iso_times() {
        assert_eq!(month("2024-03-14T07:41:00"), Some("2024-03"));
        assert_eq!(month("14/03/2024"), None);
        assert_eq!(month("2024"), None);
    }
}
