//! The human report: findings by file and message, masked, then a summary.

use std::io::{self, Write};

use careguard::detect::{Kind, Subject};

use super::Printer;
use crate::report::{FileSummary, Shown, Summary, conversation_name, printable};

/// The `text` printer.
#[derive(Default)]
pub struct Text {
    current_msg: Option<u64>,
    current_has_header: bool,
}

impl Printer for Text {
    fn begin(&mut self, _out: &mut dyn Write, _file: &FileSummary) -> io::Result<()> {
        self.current_msg = None;
        self.current_has_header = false;
        Ok(())
    }

    fn record(&mut self, out: &mut dyn Write, shown: &Shown<'_>) -> io::Result<()> {
        let record = shown.record;
        if !self.current_has_header {
            writeln!(out, "{}  ({})", shown.shown_path, shown.format)?;
            self.current_has_header = true;
        }
        let this_msg = record.msg.as_ref().map(|m| m.index);
        if let Some(m) = &record.msg {
            if self.current_msg != Some(m.index) {
                let time = m.time.as_deref().unwrap_or("").replacen('T', " ", 1);
                let sender = m.sender.as_deref().map_or("(system)".into(), printable);
                writeln!(
                    out,
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
        let place = if record.line == 0 {
            "name       ".to_owned()
        } else {
            format!("line {:<6}", record.line)
        };
        for f in &record.findings {
            // Staff names are reported too (the audit sees them), marked as such.
            let whose = match f.subject {
                Subject::Staff if f.kind == Kind::PersonName => "  (staff)",
                _ => "",
            };
            let text = shown.text_of(f);
            writeln!(out, "{indent}{place} {:<16} {text}{whose}", f.kind.as_str())?;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, file: &FileSummary) -> io::Result<()> {
        if !self.current_has_header {
            return Ok(());
        }
        let stats = &file.stats;
        let m = &stats.messages;
        let total = m.total();
        if file.format == "name" {
            writeln!(out, "  (not read: findings in its name; {})", file.findings)?;
        } else if file.is_chat() {
            writeln!(
                out,
                "  ({total} messages: {} text, {} media, {} system; {} findings)",
                m.text, m.media, m.system, file.findings
            )?;
        } else {
            writeln!(out, "  ({} lines, {} findings)", stats.lines, file.findings)?;
        }
        writeln!(out)
    }

    fn finish(&mut self, w: &mut dyn Write, s: &Summary) -> io::Result<()> {
        let top: Vec<(String, u64)> = s
            .top_senders()
            .into_iter()
            .map(|(s, n)| (printable(s), n))
            .collect();
        writeln!(w, "Summary")?;
        let files_with = s.files.iter().filter(|f| f.findings > 0).count();
        writeln!(
            w,
            "  {} file(s) scanned, {} with findings, {} error(s), {} skipped",
            s.files.len(),
            files_with,
            s.errors.len(),
            s.skipped.len()
        )?;
        if s.kinds.is_empty() && s.files.is_empty() {
            // Nothing was read: saying "none found" would read as a clean audit.
            writeln!(w, "  nothing was scanned: every input failed")?;
        } else if s.kinds.is_empty() && !s.errors.is_empty() {
            writeln!(
                w,
                "  none in what could be read, but {} input(s) failed: not a clean audit",
                s.errors.len()
            )?;
        } else if s.kinds.is_empty() {
            writeln!(w, "  no patient identifiers found")?;
        } else {
            writeln!(w)?;
            writeln!(w, "  {:<18}{:>8}", "kind", "findings")?;
            for (k, n) in &s.kinds {
                writeln!(w, "  {k:<18}{n:>8}")?;
            }
            writeln!(w, "  {:<18}{:>8}", "total", s.findings())?;
        }
        if let Some(n) = s.suppressed {
            writeln!(
                w,
                "  {n} finding(s) already reviewed, left out by the baseline"
            )?;
        }
        if !top.is_empty() {
            writeln!(w)?;
            writeln!(w, "  {:<30}{:>8}", "top senders", "findings")?;
            for (s, n) in top {
                writeln!(w, "  {s:<30}{n:>8}")?;
            }
        }
        if let Some(p) = &s.policy {
            writeln!(w)?;
            let ctx = &p.ctx;
            writeln!(
                w,
                "  policy ({} conversation, platform {}{}): messages with findings",
                conversation_name(ctx.conversation),
                if ctx.platform.is_approved() {
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
        for (p, e) in &s.errors {
            writeln!(w, "  error: {p}: {e}")?;
        }
        Ok(())
    }
}
