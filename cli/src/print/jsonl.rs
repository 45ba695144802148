//! jsonl: one JSON object per input line with findings (DESIGN.md; docs/CLI.md).

use std::io::{self, Write};

use serde::{Serialize, Serializer};

use careguard::detect::Kind;

use super::Printer;
use crate::report::{Shown, Summary};
use crate::unit::Record;

/// The `jsonl` printer.
#[derive(Default)]
pub struct Jsonl {
    /// Serialised output not yet handed to the writer.
    staged: Vec<u8>,
}

/// Bytes of output staged before they are written: serde_json makes many small
/// writes, which cost a dynamic call each on the report's `dyn Write`, so they are
/// gathered first; bounded, so a record of a huge line is not held whole.
const STAGE: usize = 64 * 1024;

/// Appends to the staging buffer, passing it on to `out` whenever it fills.
struct Staged<'a> {
    staged: &'a mut Vec<u8>,
    out: &'a mut dyn Write,
}

impl Write for Staged<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.staged.extend_from_slice(bytes);
        if self.staged.len() >= STAGE {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.write_all(self.staged)?;
        self.staged.clear();
        Ok(())
    }
}

#[derive(Serialize)]
struct JsonLine<'a> {
    path: &'a str,
    line: u64,
    findings: Findings<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<JsonMessage<'a>>,
}

/// A record's findings, written one by one as they are serialised: a line of
/// megabytes can carry hundreds of thousands, and a copy of them all in JSON shape
/// would cost more memory than the line.
struct Findings<'a> {
    record: &'a Record<'a>,
    raw: bool,
}

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let record = self.record;
        serializer.collect_seq(record.findings.iter().map(|f| JsonFinding {
            kind: f.kind.as_str(),
            start: f.start,
            end: f.end,
            start_utf16: f.start_utf16,
            end_utf16: f.end_utf16,
            confidence: f.confidence,
            rule: f.rule,
            subject: (f.kind == Kind::PersonName).then(|| f.subject.as_str()),
            matched: self.raw.then(|| record.matched(f)),
        }))
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    kind: &'static str,
    start: usize,
    end: usize,
    start_utf16: usize,
    end_utf16: usize,
    confidence: f32,
    rule: &'static str,
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

impl Printer for Jsonl {
    fn record(&mut self, out: &mut dyn Write, shown: &Shown<'_>) -> io::Result<()> {
        let record = shown.record;
        let obj = JsonLine {
            // jsonl keeps the path as given or found, as DESIGN.md specifies: it is
            // for programs that open the file again.
            path: shown.path,
            line: record.line,
            findings: Findings {
                record,
                raw: shown.raw,
            },
            message: record.msg.as_ref().map(|m| JsonMessage {
                index: m.index,
                sender: m.sender.as_deref(),
                time: m.time.as_deref(),
            }),
        };
        let mut staged = Staged {
            staged: &mut self.staged,
            out,
        };
        serde_json::to_writer(&mut staged, &obj)?;
        staged.write_all(b"\n")?;
        staged.flush()
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}
