//! csv: one row per finding, for Excel and other spreadsheets. RFC 4180 (CRLF rows,
//! fields with a comma, quote or line break quoted, quotes doubled), a UTF-8 byte-order
//! mark so Excel reads the text as UTF-8, and cells that a spreadsheet would run as a
//! formula (starting `=`, `+`, `-`, `@`, tab or carriage return) prefixed with `'`.

use std::io::{self, Write};

use careguard::detect::Kind;

use super::Printer;
use crate::report::{Shown, Summary};

/// The header row.
pub const HEADER: [&str; 14] = [
    "path",
    "line",
    "message",
    "time",
    "sender",
    "kind",
    "match",
    "subject",
    "confidence",
    "rule",
    "start",
    "end",
    "start_utf16",
    "end_utf16",
];

/// The `csv` printer.
#[derive(Default)]
pub struct Csv {
    started: bool,
}

/// One field, quoted and defused as needed.
pub fn field(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

fn row(out: &mut dyn Write, cells: &[&str]) -> io::Result<()> {
    let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
    write!(out, "{}\r\n", line.join(","))
}

impl Csv {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            out.write_all("\u{FEFF}".as_bytes())?;
            row(out, &HEADER)?;
        }
        Ok(())
    }
}

impl Printer for Csv {
    fn record(&mut self, out: &mut dyn Write, shown: &Shown<'_>) -> io::Result<()> {
        self.start(out)?;
        let r = shown.record;
        let line = r.line.to_string();
        let (index, time, sender) = match &r.msg {
            Some(m) => (
                m.index.to_string(),
                m.time.clone().unwrap_or_default(),
                m.sender.clone().unwrap_or_default(),
            ),
            None => Default::default(),
        };
        for f in &r.findings {
            let text = &shown.text_of(f);
            let subject = if f.kind == Kind::PersonName {
                f.subject.as_str()
            } else {
                ""
            };
            row(
                out,
                &[
                    shown.shown_path,
                    &line,
                    &index,
                    &time,
                    &sender,
                    f.kind.as_str(),
                    text,
                    subject,
                    &format!("{:.2}", f.confidence),
                    f.rule,
                    &f.start.to_string(),
                    &f.end.to_string(),
                    &f.start_utf16.to_string(),
                    &f.end_utf16.to_string(),
                ],
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        self.start(out)
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn quotes_and_defuses() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+44 7700 900456"), "'+44 7700 900456");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
    }
}
