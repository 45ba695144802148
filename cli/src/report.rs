//! Printers: the human report, jsonl and the json summary, plus the exit status.
//!
//! Results go to stdout; errors and skips go to stderr as `careguard: error: PATH: …`
//! lines as they happen, and are counted in the summary.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use careguard::detect::{Finding, Subject};
use careguard::policy::{self, Context, Conversation, Verdict};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::engine::{FileStats, Format, Sink};
use crate::unit::{LineFinding, Record};

/// Output format of `scan`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// The human report.
    Text,
    /// One JSON object per line with findings.
    Jsonl,
    /// One summary document.
    Json,
}

/// Exit status of `scan`: nothing found.
pub const EXIT_CLEAN: u8 = 0;
/// Exit status of `scan`: findings.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status of `scan`: an error (alone or with findings).
pub const EXIT_ERROR: u8 = 2;

/// How many senders the summary lists.
pub const TOP_SENDERS: usize = 10;

/// One jsonl object (DESIGN.md; docs/CLI.md).
#[derive(Serialize)]
struct JsonLine<'a> {
    path: &'a str,
    line: u64,
    findings: Vec<JsonFinding<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<JsonMessage<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    kind: &'a str,
    start: usize,
    end: usize,
    start_utf16: usize,
    end_utf16: usize,
    confidence: f32,
    rule: &'a str,
    /// Whose name it is: on `person_name` findings only (DESIGN.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'static str>,
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    matched: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonMessage<'a> {
    index: u64,
    sender: Option<&'a str>,
    time: Option<&'a str>,
}

#[derive(Debug, Default)]
struct FileSummary {
    path: String,
    format: &'static str,
    stats: FileStats,
    findings: u64,
    lines_with_findings: u64,
}

/// Collects results, prints them and computes the exit status.
pub struct Report<W: Write, E: Write> {
    out: W,
    err: E,
    format: OutputFormat,
    show_matches: bool,
    verbose: bool,
    files: Vec<FileSummary>,
    kinds: BTreeMap<&'static str, u64>,
    senders: HashMap<String, u64>,
    errors: Vec<(String, String)>,
    skipped: Vec<(String, String)>,
    current_msg: Option<u64>,
    current_has_header: bool,
    policy: Option<PolicyTally>,
}

/// The policy's verdicts on every message with findings, under the configured context.
#[derive(Debug)]
struct PolicyTally {
    ctx: Context,
    /// The message (or plain-text line) whose findings are being gathered.
    pending_key: Option<(usize, u64)>,
    pending: Vec<Finding>,
    verdicts: BTreeMap<&'static str, u64>,
    reasons: BTreeMap<&'static str, u64>,
}

impl PolicyTally {
    fn new(ctx: Context) -> Self {
        PolicyTally {
            ctx,
            pending_key: None,
            pending: Vec::new(),
            verdicts: BTreeMap::new(),
            reasons: BTreeMap::new(),
        }
    }

    /// Adds a record's findings; `key` is (file number, message index or line).
    fn add(&mut self, key: (usize, u64), record: &Record) {
        if self.pending_key != Some(key) {
            self.flush();
            self.pending_key = Some(key);
        }
        self.pending.extend(record.findings.iter().filter_map(|f| {
            Some(Finding {
                kind: f.kind.parse().ok()?,
                start: f.start,
                end: f.end,
                start_utf16: f.start_utf16,
                end_utf16: f.end_utf16,
                confidence: f.confidence,
                rule: f.rule,
                subject: f.subject,
            })
        }));
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

    fn context_json(&self) -> Value {
        json!({
            "conversation": conversation_name(self.ctx.conversation),
            "platform_approved": self.ctx.platform_approved,
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

fn conversation_name(c: Conversation) -> &'static str {
    match c {
        Conversation::Clinical => "clinical",
        Conversation::Social => "social",
        _ => "broadcast",
    }
}

/// Masks a match for the human report: names keep their initials
/// (`J*** S****`), other kinds keep the last four characters of ten or more
/// (`*** *** 5919`), the last two of six or more, nothing of shorter ones.
/// Separators (spaces, `-`, `/`, `.`, `@`) are kept.
pub fn mask(kind: &str, text: &str) -> String {
    let alnum = text.chars().filter(|c| c.is_alphanumeric()).count();
    if kind == "person_name" {
        let mut out = String::with_capacity(text.len());
        let mut word_start = true;
        for c in text.chars() {
            if c.is_alphanumeric() {
                out.push(if word_start { c } else { '*' });
                word_start = false;
            } else {
                out.push(c);
                word_start = true;
            }
        }
        return out;
    }
    let keep = if alnum >= 10 {
        4
    } else if alnum >= 6 {
        2
    } else {
        0
    };
    let mut seen = 0;
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                seen += 1;
                if seen > alnum - keep { c } else { '*' }
            } else {
                c
            }
        })
        .collect()
}

/// Replaces control characters (terminal escapes included) so untrusted names and
/// text cannot drive the reader's terminal.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

impl<W: Write, E: Write> Report<W, E> {
    /// A report writing results to `out` and diagnostics to `err`.
    pub fn new(out: W, err: E, format: OutputFormat, show_matches: bool, verbose: bool) -> Self {
        Report {
            out,
            err,
            format,
            show_matches,
            verbose,
            files: Vec::new(),
            kinds: BTreeMap::new(),
            senders: HashMap::new(),
            errors: Vec::new(),
            skipped: Vec::new(),
            current_msg: None,
            current_has_header: false,
            policy: None,
        }
    }

    /// Judges each message with findings by the core policy under `ctx` (the
    /// configuration's `[policy]`), and reports the verdicts in the summary.
    pub fn with_policy(mut self, ctx: Context) -> Self {
        self.policy = Some(PolicyTally::new(ctx));
        self
    }

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

    fn finding_json<'f>(&self, f: &'f LineFinding) -> JsonFinding<'f> {
        JsonFinding {
            kind: f.kind,
            start: f.start,
            end: f.end,
            start_utf16: f.start_utf16,
            end_utf16: f.end_utf16,
            confidence: f.confidence,
            rule: f.rule,
            subject: (f.kind == "person_name").then(|| f.subject.as_str()),
            matched: self.show_matches.then_some(f.matched.as_str()),
        }
    }

    fn top_senders(&self) -> Vec<(&String, u64)> {
        let mut top: Vec<(&String, u64)> = self.senders.iter().map(|(s, n)| (s, *n)).collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        top.truncate(TOP_SENDERS);
        top
    }

    /// Prints the summary (text and json formats) and flushes.
    pub fn finish(&mut self) -> io::Result<()> {
        if let Some(p) = &mut self.policy {
            p.flush();
        }
        match self.format {
            OutputFormat::Jsonl => {}
            OutputFormat::Text => self.text_summary()?,
            OutputFormat::Json => {
                let doc = self.json_summary();
                serde_json::to_writer_pretty(&mut self.out, &doc)?;
                writeln!(self.out)?;
            }
        }
        if !self.verbose && !self.skipped.is_empty() {
            let _ = writeln!(
                self.err,
                "careguard: note: skipped {} media or binary file(s); --verbose lists them",
                self.skipped.len()
            );
        }
        self.out.flush()
    }

    fn json_summary(&self) -> Value {
        let files: Vec<Value> = self
            .files
            .iter()
            .map(|f| {
                let mut v = json!({
                    "path": f.path,
                    "format": f.format,
                    "lines": f.stats.lines,
                    "bytes": f.stats.bytes,
                    "findings": f.findings,
                    "lines_with_findings": f.lines_with_findings,
                });
                if f.format.starts_with("whatsapp") || f.format == "telegram" || f.format == "teams"
                {
                    v["messages"] = json!({
                        "total": f.stats.messages.iter().sum::<u64>(),
                        "text": f.stats.messages[0],
                        "media": f.stats.messages[1],
                        "system": f.stats.messages[2],
                    });
                }
                v
            })
            .collect();
        let kinds: Map<String, Value> = self
            .kinds
            .iter()
            .map(|(k, n)| ((*k).to_owned(), json!(n)))
            .collect();
        let senders: Vec<Value> = self
            .top_senders()
            .into_iter()
            .map(|(s, n)| json!({"sender": s, "findings": n}))
            .collect();
        let errors: Vec<Value> = self
            .errors
            .iter()
            .map(|(p, e)| json!({"path": p, "error": e}))
            .collect();
        let skipped: Vec<Value> = self
            .skipped
            .iter()
            .map(|(p, e)| json!({"path": p, "reason": e}))
            .collect();
        let mut doc = json!({
            "version": 1,
            "status": self.status(),
            "findings": self.findings(),
            "kinds": kinds,
            "top_senders": senders,
            "files": files,
            "errors": errors,
            "skipped": skipped,
        });
        if let Some(p) = &self.policy {
            doc["policy"] = json!({
                "context": p.context_json(),
                "messages": p.verdicts,
                "reasons": p.reasons,
            });
        }
        doc
    }

    fn text_summary(&mut self) -> io::Result<()> {
        let top: Vec<(String, u64)> = self
            .top_senders()
            .into_iter()
            .map(|(s, n)| (printable(s), n))
            .collect();
        let w = &mut self.out;
        writeln!(w, "Summary")?;
        let files_with = self.files.iter().filter(|f| f.findings > 0).count();
        writeln!(
            w,
            "  {} file(s) scanned, {} with findings, {} error(s), {} skipped",
            self.files.len(),
            files_with,
            self.errors.len(),
            self.skipped.len()
        )?;
        if self.kinds.is_empty() && self.files.is_empty() {
            // Nothing was read: saying "none found" would read as a clean audit.
            writeln!(w, "  nothing was scanned: every input failed")?;
        } else if self.kinds.is_empty() && !self.errors.is_empty() {
            writeln!(
                w,
                "  none in what could be read, but {} input(s) failed: not a clean audit",
                self.errors.len()
            )?;
        } else if self.kinds.is_empty() {
            writeln!(w, "  no patient identifiers found")?;
        } else {
            writeln!(w)?;
            writeln!(w, "  {:<18}{:>8}", "kind", "findings")?;
            for (k, n) in &self.kinds {
                writeln!(w, "  {k:<18}{n:>8}")?;
            }
            writeln!(
                w,
                "  {:<18}{:>8}",
                "total",
                self.kinds.values().sum::<u64>()
            )?;
        }
        if !top.is_empty() {
            writeln!(w)?;
            writeln!(w, "  {:<30}{:>8}", "top senders", "findings")?;
            for (s, n) in top {
                writeln!(w, "  {s:<30}{n:>8}")?;
            }
        }
        if let Some(p) = &self.policy {
            writeln!(w)?;
            let ctx = &p.ctx;
            writeln!(
                w,
                "  policy ({} conversation, platform {}{}): messages with findings",
                conversation_name(ctx.conversation),
                if ctx.platform_approved {
                    "approved"
                } else {
                    "not approved"
                },
                if ctx.emergency {
                    ", emergency mode"
                } else {
                    ""
                }
            )?;
            for v in ["block", "warn", "allow"] {
                writeln!(w, "  {v:<18}{:>8}", p.verdicts.get(v).copied().unwrap_or(0))?;
            }
            for (code, n) in &p.reasons {
                writeln!(w, "    reason {code:<20}{n:>6}")?;
            }
        }
        for (p, e) in &self.errors {
            writeln!(w, "  error: {}: {}", printable(p), e)?;
        }
        Ok(())
    }
}

impl<W: Write, E: Write> Sink for Report<W, E> {
    fn begin(&mut self, path: &str, format: &Format) -> io::Result<()> {
        self.files.push(FileSummary {
            path: path.to_owned(),
            format: format.name(),
            ..FileSummary::default()
        });
        self.current_msg = None;
        self.current_has_header = false;
        Ok(())
    }

    fn record(&mut self, path: &str, record: &Record) -> io::Result<()> {
        for f in &record.findings {
            *self.kinds.entry(f.kind).or_default() += 1;
        }
        let n = record.findings.len() as u64;
        if let Some(p) = &mut self.policy {
            let unit = record.msg.as_ref().map_or(record.line, |m| m.index);
            p.add((self.files.len(), unit), record);
        }
        if let Some(sender) = record.msg.as_ref().and_then(|m| m.sender.as_ref()) {
            *self.senders.entry(sender.clone()).or_default() += n;
        }
        if let Some(file) = self.files.last_mut() {
            file.findings += n;
            file.lines_with_findings += 1;
        }
        match self.format {
            OutputFormat::Json => Ok(()),
            OutputFormat::Jsonl => {
                let obj = JsonLine {
                    path,
                    line: record.line,
                    findings: record
                        .findings
                        .iter()
                        .map(|f| self.finding_json(f))
                        .collect(),
                    message: record.msg.as_ref().map(|m| JsonMessage {
                        index: m.index,
                        sender: m.sender.as_deref(),
                        time: m.time.as_deref(),
                    }),
                };
                serde_json::to_writer(&mut self.out, &obj)?;
                writeln!(self.out)
            }
            OutputFormat::Text => {
                if !self.current_has_header {
                    let format = self.files.last().map_or("text", |f| f.format);
                    writeln!(self.out, "{}  ({format})", printable(path))?;
                    self.current_has_header = true;
                }
                let this_msg = record.msg.as_ref().map(|m| m.index);
                if let Some(m) = &record.msg {
                    if self.current_msg != Some(m.index) {
                        let time = m.time.as_deref().unwrap_or("").replacen('T', " ", 1);
                        let sender = m.sender.as_deref().map_or("(system)".into(), printable);
                        writeln!(
                            self.out,
                            "  message {}  {}  {}  [{}]",
                            m.index,
                            time,
                            sender,
                            m.kind.as_str()
                        )?;
                    }
                }
                self.current_msg = this_msg;
                let indent = if record.msg.is_some() { "    " } else { "  " };
                for f in &record.findings {
                    let shown = if self.show_matches {
                        printable(&f.matched)
                    } else {
                        mask(f.kind, &printable(&f.matched))
                    };
                    // Staff names are reported too (the audit sees them), marked as such.
                    let whose = match f.subject {
                        Subject::Staff if f.kind == "person_name" => "  (staff)",
                        _ => "",
                    };
                    writeln!(
                        self.out,
                        "{indent}line {:<6} {:<16} {}{whose}",
                        record.line, f.kind, shown
                    )?;
                }
                Ok(())
            }
        }
    }

    fn end(&mut self, _path: &str, stats: &FileStats) -> io::Result<()> {
        let Some(file) = self.files.last_mut() else {
            return Ok(());
        };
        file.stats = stats.clone();
        if self.format == OutputFormat::Text && self.current_has_header {
            let m = &stats.messages;
            let total: u64 = m.iter().sum();
            if file.format == "text" {
                writeln!(
                    self.out,
                    "  ({} lines, {} findings)",
                    stats.lines, file.findings
                )?;
            } else {
                writeln!(
                    self.out,
                    "  ({total} messages: {} text, {} media, {} system; {} findings)",
                    m[0], m[1], m[2], file.findings
                )?;
            }
            writeln!(self.out)?;
        }
        Ok(())
    }

    fn error(&mut self, path: &str, error: &str) {
        let _ = writeln!(self.err, "careguard: error: {}: {error}", printable(path));
        self.errors.push((path.to_owned(), error.to_owned()));
    }

    fn skipped(&mut self, path: &str, why: &str) {
        if self.verbose {
            let _ = writeln!(self.err, "careguard: skipped: {}: {why}", printable(path));
        }
        self.skipped.push((path.to_owned(), why.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask("nhs_number", "943 476 5919"), "*** *** 5919");
        assert_eq!(mask("person_name", "John Smith"), "J*** S****");
        assert_eq!(mask("postcode", "LS1 3EX"), "*** *EX");
        assert_eq!(mask("date", "1/2"), "*/*");
    }

    #[test]
    fn printable_strips_escapes() {
        assert_eq!(printable("a\u{1b}[31mb"), "a\u{FFFD}[31mb");
    }
}
