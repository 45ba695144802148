//! html: a self-contained report an information-governance officer can open, print
//! and share. Counts by kind, by month, by sender and by group (each chat or file) as
//! inline SVG bar charts, masked examples, errors and skips. No script, no external
//! resource (a Content-Security-Policy forbids loading any), print-friendly CSS.

use std::fmt::Write as _;
use std::io::{self, Write};

use careguard::detect::Kind;

use super::Printer;
use crate::report::{Shown, Summary, conversation_name};

/// Examples kept for the report's table.
pub const MAX_EXAMPLES: usize = 200;
/// Bars per chart (the rest are summed into one "other" bar).
pub const MAX_BARS: usize = 15;

struct Example {
    path: String,
    line: String,
    time: String,
    sender: String,
    kind: &'static str,
    text: String,
    staff: bool,
}

/// The `html` printer.
#[derive(Default)]
pub struct Html {
    examples: Vec<Example>,
    more: u64,
    raw: bool,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A horizontal bar chart as inline SVG; `bars` in display order. Long labels are
/// cut to fit, keeping their end when `keep_end` (file paths) and their start otherwise.
fn chart(title: &str, bars: &[(String, u64)], keep_end: bool) -> String {
    let mut bars: Vec<(String, u64)> = bars.to_vec();
    if bars.len() > MAX_BARS {
        let rest: u64 = bars[MAX_BARS - 1..].iter().map(|b| b.1).sum();
        let n = bars.len() - (MAX_BARS - 1);
        bars.truncate(MAX_BARS - 1);
        bars.push((format!("({n} others)"), rest));
    }
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (170.0, 250.0, 22.0);
    let height = row_h * bars.len().max(1) as f64 + 8.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<figure><figcaption>{}</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {} {height}\" width=\"100%\">",
        escape(title),
        escape(title),
        label_w + bar_w + 50.0
    );
    if bars.is_empty() {
        let _ = write!(svg, "<text x=\"4\" y=\"16\" class=\"none\">none</text>");
    }
    for (i, (label, n)) in bars.iter().enumerate() {
        let y = row_h * i as f64 + 4.0;
        let w = (bar_w * *n as f64 / max as f64).max(1.0);
        let len = label.chars().count();
        let shown: String = if len <= 24 {
            label.clone()
        } else if keep_end {
            ['…']
                .into_iter()
                .chain(label.chars().skip(len - 23))
                .collect()
        } else {
            label.chars().take(23).chain(['…']).collect()
        };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\"><title>{}: {n}</title></rect><text x=\"{}\" y=\"{}\">{n}</text>",
            label_w - 6.0,
            y + 14.0,
            escape(&shown),
            label_w,
            row_h - 6.0,
            escape(label),
            label_w + w + 5.0,
            y + 14.0,
        );
    }
    svg.push_str("</svg></figure>\n");
    svg
}

const STYLE: &str = "
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; color: #1d1d1d; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 2px solid #005eb8; padding-bottom: .2rem; }
.meta { color: #555; } .warn { background: #fff4e5; border-left: 4px solid #ed8b00; padding: .5rem .8rem; }
.clean { background: #e8f5e9; border-left: 4px solid #007f3b; padding: .5rem .8rem; }
.tiles { display: flex; gap: 1rem; flex-wrap: wrap; } .tile { border: 1px solid #ccc; border-radius: 6px; padding: .5rem 1rem; min-width: 8rem; }
.tile b { display: block; font-size: 1.5rem; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem 2rem; }
figure { margin: 0; break-inside: avoid; } figcaption { font-weight: 600; margin-bottom: .3rem; }
svg text { font: 12px system-ui, Arial, sans-serif; fill: #1d1d1d; } svg rect { fill: #005eb8; } svg .none { fill: #777; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; } th, td { border-bottom: 1px solid #ddd; text-align: left; padding: .25rem .4rem; vertical-align: top; }
th { background: #f0f4f5; } td.m { font-family: ui-monospace, Menlo, Consolas, monospace; white-space: nowrap; } td.t { white-space: nowrap; }
@media (max-width: 50rem) { .charts { grid-template-columns: 1fr; } }
@media print { body { margin: 0; max-width: none; font-size: 11px; } h2 { break-after: avoid; } tr { break-inside: avoid; } .charts { grid-template-columns: 1fr 1fr; } }
";

impl Printer for Html {
    fn record(&mut self, _out: &mut dyn Write, shown: &Shown<'_>) -> io::Result<()> {
        self.raw = shown.raw;
        let r = shown.record;
        for f in &r.findings {
            if self.examples.len() >= MAX_EXAMPLES {
                self.more += 1;
                continue;
            }
            let (time, sender) = match &r.msg {
                Some(m) => (
                    m.time.as_deref().unwrap_or("").replacen('T', " ", 1),
                    m.sender.clone().unwrap_or_else(|| "(system)".into()),
                ),
                None => (String::new(), String::new()),
            };
            self.examples.push(Example {
                path: shown.shown_path.to_owned(),
                line: if r.line == 0 {
                    "name".into()
                } else {
                    r.line.to_string()
                },
                time,
                sender,
                kind: f.kind.as_str(),
                text: shown.text_of(f),
                staff: f.kind == Kind::PersonName && f.subject == careguard::detect::Subject::Staff,
            });
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        let mut h = String::with_capacity(64 * 1024);
        h.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
        h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
        h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.push_str("<title>careguard audit report</title>\n<style>");
        h.push_str(STYLE);
        h.push_str(
            "</style></head><body>\n<h1>Patient identifiers in messages: audit report</h1>\n",
        );
        let _ = writeln!(
            h,
            "<p class=\"meta\">careguard {} · {} input(s) · matches {}</p>",
            env!("CARGO_PKG_VERSION"),
            s.files.len(),
            if self.raw {
                "<b>shown unmasked (--show-matches): do not share this report</b>"
            } else {
                "masked"
            }
        );
        let files_with = s.files.iter().filter(|f| f.findings > 0).count();
        let messages: u64 = s.files.iter().map(|f| f.stats.messages.total()).sum();
        if s.files.is_empty() {
            h.push_str("<p class=\"warn\">Nothing was scanned: every input failed. This is not a clean audit.</p>\n");
        } else if s.findings() == 0 && !s.errors.is_empty() {
            let _ = writeln!(
                h,
                "<p class=\"warn\">None found in what could be read, but {} input(s) failed: not a clean audit.</p>",
                s.errors.len()
            );
        } else if s.findings() == 0 {
            h.push_str("<p class=\"clean\">No patient identifiers found.</p>\n");
        }
        h.push_str("<div class=\"tiles\">");
        for (label, n) in [
            ("findings", s.findings()),
            ("inputs with findings", files_with as u64),
            ("inputs scanned", s.files.len() as u64),
            ("messages read", messages),
            ("errors", s.errors.len() as u64),
            ("skipped", s.skipped.len() as u64),
        ]
        .into_iter()
        .chain(s.suppressed.map(|n| ("already reviewed (baseline)", n)))
        {
            let _ = write!(h, "<div class=\"tile\"><b>{n}</b>{label}</div>");
        }
        h.push_str("</div>\n");
        if let Some(p) = &s.policy {
            let ctx = &p.ctx;
            let _ = writeln!(
                h,
                "<h2>Policy</h2><p>As a {} conversation on a platform {}{}: {} message(s) would be blocked, {} warned, {} allowed.</p>",
                conversation_name(ctx.conversation),
                if ctx.platform.is_approved() {
                    "approved for confidential information"
                } else {
                    "not approved for confidential information"
                },
                if ctx.emergency {
                    ", in emergency mode"
                } else {
                    ""
                },
                p.verdicts.get("block").copied().unwrap_or(0),
                p.verdicts.get("warn").copied().unwrap_or(0),
                p.verdicts.get("allow").copied().unwrap_or(0),
            );
        }
        h.push_str("<h2>Counts</h2><div class=\"charts\">\n");
        let kinds: Vec<(String, u64)> = s.kinds.iter().map(|(k, n)| ((*k).into(), *n)).collect();
        h.push_str(&chart("By kind", &kinds, false));
        let months: Vec<(String, u64)> = s.months.iter().map(|(m, n)| (m.clone(), *n)).collect();
        h.push_str(&chart("By month (chat exports)", &months, false));
        let senders: Vec<(String, u64)> = s
            .top_senders()
            .into_iter()
            .map(|(name, n)| (name.clone(), n))
            .collect();
        h.push_str(&chart("By sender (top 10)", &senders, false));
        let mut groups: Vec<(String, u64)> = s
            .files
            .iter()
            .filter(|f| f.findings > 0)
            .map(|f| (f.path.clone(), f.findings))
            .collect();
        groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        h.push_str(&chart("By group (chat or file)", &groups, true));
        h.push_str("</div>\n");
        if !self.examples.is_empty() {
            let _ = writeln!(
                h,
                "<h2>Examples</h2><p class=\"meta\">The first {} finding(s){}.</p>",
                self.examples.len(),
                if self.more > 0 {
                    format!("; {} more are in the jsonl or csv output", self.more)
                } else {
                    String::new()
                }
            );
            h.push_str("<table><thead><tr><th>group</th><th>line</th><th>time</th><th>sender</th><th>kind</th><th>found</th></tr></thead><tbody>\n");
            for e in &self.examples {
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td class=\"t\">{}</td><td>{}</td><td>{}</td><td class=\"m\">{}{}</td></tr>",
                    escape(&e.path),
                    e.line,
                    escape(&e.time),
                    escape(&e.sender),
                    e.kind,
                    escape(&e.text),
                    if e.staff { " (staff)" } else { "" }
                );
            }
            h.push_str("</tbody></table>\n");
        }
        if !s.errors.is_empty() || !s.skipped.is_empty() {
            h.push_str("<h2>Errors and skipped inputs</h2><table><tbody>\n");
            for (p, e) in &s.errors {
                let _ = writeln!(
                    h,
                    "<tr><td>error</td><td>{}</td><td>{}</td></tr>",
                    escape(p),
                    escape(e)
                );
            }
            for (p, e) in &s.skipped {
                let _ = writeln!(
                    h,
                    "<tr><td>skipped</td><td>{}</td><td>{}</td></tr>",
                    escape(p),
                    escape(e)
                );
            }
            h.push_str("</tbody></table>\n");
        }
        h.push_str("</body></html>\n");
        out.write_all(h.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn charts_fold_long_tails() {
        let bars: Vec<(String, u64)> = (0..40).map(|i| (format!("s{i}"), 1)).collect();
        let svg = chart("By sender", &bars, false);
        assert_eq!(svg.matches("<rect").count(), MAX_BARS);
        assert!(svg.contains("(26 others)"));
        assert!(chart("x", &[], false).contains("none"));
        let long = [("a/very/long/path/to/the/export/chat.txt".to_owned(), 1)];
        assert!(chart("x", &long, true).contains(">…/to/the/export/chat.txt<"));
    }
}
