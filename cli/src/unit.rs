//! Scan units: what the detector sees, and how its offsets go back to input lines.
//!
//! A unit is one chat message (or one plain-text line). Its scannable parts — the
//! text after `SENDER: `, continuation lines, a quoted group subject, a decoded JSON
//! string, the text of an HTML body — are joined with `\n` into one buffer so the
//! detector sees a message whole. Each part remembers the input line it came from and
//! how its bytes map back into that line, so findings are reported as byte and UTF-16
//! ranges within input lines, whatever the format.

use careguard::detect::{StaffNames, Subject};

use crate::detector::{Detector, Hit};
use crate::whatsapp::MessageKind;

/// A message's identity in reports: the jsonl `message` object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgMeta {
    /// Index in the file, from 1.
    pub index: u64,
    /// The sender, cleaned of invisible marks; `None` for system lines.
    pub sender: Option<String>,
    /// ISO 8601 time as the export gives it (local time for WhatsApp).
    pub time: Option<String>,
    /// Text, media or system.
    pub kind: MessageKind,
}

/// One finding placed in an input line.
#[derive(Clone, Debug, PartialEq)]
pub struct LineFinding {
    /// Kind name.
    pub kind: &'static str,
    /// UTF-8 byte offset in the line.
    pub start: usize,
    /// UTF-8 byte offset in the line (exclusive).
    pub end: usize,
    /// UTF-16 offset in the line.
    pub start_utf16: usize,
    /// UTF-16 offset in the line (exclusive).
    pub end_utf16: usize,
    /// Confidence.
    pub confidence: f32,
    /// Rule name.
    pub rule: &'static str,
    /// Whose name it is (`person_name` only; `Unknown` for other kinds).
    pub subject: Subject,
    /// The matched text of the line.
    pub matched: String,
}

/// The findings of one input line (and one message, for chat exports).
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Line number from 1 (relative to the chunk until the pipeline rebases it).
    pub line: u64,
    /// The message the line belongs to.
    pub msg: Option<MsgMeta>,
    /// Findings, sorted by start offset.
    pub findings: Vec<LineFinding>,
}

/// How a part's bytes map to its line.
#[derive(Clone, Debug)]
pub enum PartMap {
    /// The part is `line[start..]` verbatim.
    Shift(usize),
    /// Byte `i` of the part came from line bytes `table[i].0..table[i].1` (an escape,
    /// an entity or a character).
    Table(Vec<(usize, usize)>),
}

#[derive(Clone, Debug)]
struct Part<'a> {
    line: u64,
    line_text: &'a str,
    buf_start: usize,
    buf_end: usize,
    map: PartMap,
}

impl Part<'_> {
    /// The line range of the part's bytes `start..end` (buffer offsets, `start < end`).
    fn to_line(&self, start: usize, end: usize) -> (usize, usize) {
        let (s, e) = (start - self.buf_start, end - self.buf_start);
        match &self.map {
            PartMap::Shift(at) => (at + s, at + e),
            PartMap::Table(t) => match (t.get(s), t.get(e.wrapping_sub(1))) {
                (Some(a), Some(b)) => (a.0, b.1),
                _ => (0, 0),
            },
        }
    }
}

/// Bytes between two checkpoints of a [`Utf16Index`].
const UTF16_STEP: usize = 4096;

/// UTF-16 offsets at checkpoints through a document, so the UTF-16 offset of any byte
/// of one of its lines costs at most one checkpoint's worth of counting, however long
/// the line (a compact JSON export is a single line of megabytes, and its messages are
/// scanned as separate units).
#[derive(Debug)]
pub struct Utf16Index<'a> {
    src: &'a str,
    /// (byte offset on a character boundary, UTF-16 offset there), one per step.
    marks: Vec<(usize, usize)>,
}

impl<'a> Utf16Index<'a> {
    /// Indexes `src` in one pass.
    pub fn new(src: &'a str) -> Self {
        let mut marks = Vec::with_capacity(src.len() / UTF16_STEP + 1);
        let (mut at, mut units) = (0, 0);
        marks.push((0, 0));
        for k in 1..=src.len() / UTF16_STEP {
            let mut next = k * UTF16_STEP;
            while !src.is_char_boundary(next) {
                next += 1;
            }
            units += utf16_len(&src[at..next]);
            at = next;
            marks.push((at, units));
        }
        Utf16Index { src, marks }
    }

    fn units_to(&self, p: usize) -> usize {
        let k = (p / UTF16_STEP).min(self.marks.len() - 1);
        let (at, units) = if self.marks[k].0 > p {
            self.marks[k - 1]
        } else {
            self.marks[k]
        };
        units + utf16_len(&self.src[at..p])
    }

    /// The UTF-16 offset of `line[..at]`, if `line` is a slice of the indexed document.
    fn offset_in(&self, line: &str, at: usize) -> Option<usize> {
        let start = (line.as_ptr() as usize).checked_sub(self.src.as_ptr() as usize)?;
        let end = start.checked_add(at)?;
        (start + line.len() <= self.src.len() && at <= line.len())
            .then(|| self.units_to(end) - self.units_to(start))
    }
}

/// A reusable scan unit.
#[derive(Debug, Default)]
pub struct Unit<'a> {
    buf: String,
    parts: Vec<Part<'a>>,
    excluded: Vec<(usize, usize)>,
    hits: Vec<Hit>,
    index: Option<&'a Utf16Index<'a>>,
}

impl<'a> Unit<'a> {
    /// A unit whose parts all come from lines of `index`'s document: UTF-16 offsets are
    /// then found from the index instead of counted from each line's start.
    pub fn with_index(index: &'a Utf16Index<'a>) -> Self {
        Unit {
            index: Some(index),
            ..Unit::default()
        }
    }

    /// Empties the unit for the next message.
    pub fn clear(&mut self) {
        self.buf.clear();
        self.parts.clear();
        self.excluded.clear();
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    fn start_part(&mut self) -> usize {
        if !self.parts.is_empty() {
            self.buf.push('\n');
        }
        self.buf.len()
    }

    /// Adds `line_text[start..end]` of line `line`.
    pub fn push_slice(&mut self, line: u64, line_text: &'a str, start: usize, end: usize) {
        let buf_start = self.start_part();
        self.buf.push_str(&line_text[start..end]);
        self.parts.push(Part {
            line,
            line_text,
            buf_start,
            buf_end: self.buf.len(),
            map: PartMap::Shift(start),
        });
    }

    /// Adds decoded `text` whose byte `i` came from `line_text[table[i].0..table[i].1]`
    /// (`table.len() == text.len()`).
    pub fn push_mapped(
        &mut self,
        line: u64,
        line_text: &'a str,
        text: &str,
        table: Vec<(usize, usize)>,
    ) {
        debug_assert_eq!(table.len(), text.len());
        let buf_start = self.start_part();
        self.buf.push_str(text);
        self.parts.push(Part {
            line,
            line_text,
            buf_start,
            buf_end: self.buf.len(),
            map: PartMap::Table(table),
        });
    }

    /// Excludes `start..end`, relative to the last added part, from reports.
    pub fn exclude_in_last(&mut self, start: usize, end: usize) {
        if let Some(p) = self.parts.last() {
            self.excluded.push((p.buf_start + start, p.buf_start + end));
        }
    }

    /// The text of the last added part.
    pub fn last_text(&self) -> &str {
        self.parts
            .last()
            .map_or("", |p| &self.buf[p.buf_start..p.buf_end])
    }

    /// Scans the unit and appends one record per line with findings to `out`.
    /// `staff` are names known to be staff (the message's sender); `meta` is called
    /// only when there is something to report.
    ///
    /// Linear in the unit's length however many findings it has: UTF-16 offsets are
    /// counted on from the previous finding in the same line, and a finding's record
    /// is found from the line's last record.
    pub fn scan(
        &mut self,
        detector: &dyn Detector,
        staff: &StaffNames,
        meta: impl FnOnce() -> Option<MsgMeta>,
        out: &mut Vec<Record>,
    ) {
        if self.parts.is_empty() {
            return;
        }
        self.hits.clear();
        detector.scan(&self.buf, staff, &mut self.hits);
        if self.hits.is_empty() {
            return;
        }
        let mut meta = Some(meta);
        let mut msg: Option<MsgMeta> = None;
        let first = out.len();
        // Hits come sorted by start: walk the exclusions, merged into disjoint sorted
        // ranges, alongside them instead of testing every exclusion for every hit.
        self.excluded.sort_unstable();
        let mut merged: usize = 0;
        for i in 0..self.excluded.len() {
            let (s, e) = self.excluded[i];
            if merged > 0 && s <= self.excluded[merged - 1].1 {
                self.excluded[merged - 1].1 = self.excluded[merged - 1].1.max(e);
            } else {
                self.excluded[merged] = (s, e);
                merged += 1;
            }
        }
        self.excluded.truncate(merged);
        let mut next_excluded = 0;
        // (line, byte offset, UTF-16 offset) of the last finding placed.
        let mut cursor: Option<(u64, usize, usize)> = None;
        for hit in &self.hits {
            while self
                .excluded
                .get(next_excluded)
                .is_some_and(|&(_, e)| e <= hit.start)
            {
                next_excluded += 1;
            }
            if hit.start >= hit.end
                || hit.end > self.buf.len()
                || self
                    .excluded
                    .get(next_excluded)
                    .is_some_and(|&(s, _)| s < hit.end)
            {
                continue;
            }
            let idx = self.parts.partition_point(|p| p.buf_end < hit.start);
            let Some(part) = self.parts.get(idx) else {
                continue;
            };
            if hit.start < part.buf_start {
                // The hit starts on a joining newline.
                continue;
            }
            let end = hit.end.min(part.buf_end);
            if hit.start >= end {
                continue;
            }
            let (start, end) = part.to_line(hit.start, end);
            let text = part.line_text;
            if start >= end
                || end > text.len()
                || !text.is_char_boundary(start)
                || !text.is_char_boundary(end)
            {
                continue;
            }
            if let Some(f) = meta.take() {
                msg = f();
            }
            let start_utf16 = match cursor {
                Some((line, at, at16)) if line == part.line && at <= start => {
                    at16 + utf16_len(&text[at..start])
                }
                _ => self
                    .index
                    .and_then(|ix| ix.offset_in(text, start))
                    .unwrap_or_else(|| utf16_len(&text[..start])),
            };
            cursor = Some((part.line, start, start_utf16));
            let finding = LineFinding {
                kind: hit.kind,
                start,
                end,
                start_utf16,
                end_utf16: start_utf16 + utf16_len(&text[start..end]),
                confidence: hit.confidence,
                rule: hit.rule,
                subject: hit.subject,
                matched: text[start..end].to_owned(),
            };
            // Findings come in text order, so their line is the last record's or a new
            // one; only a mapped part that goes back to an earlier line is searched for.
            let record = match out[first..].last() {
                None => None,
                Some(r) if r.line == part.line => Some(out.len() - 1),
                Some(r) if r.line < part.line => None,
                Some(_) => out[first..]
                    .iter()
                    .rposition(|r| r.line == part.line)
                    .map(|i| first + i),
            };
            match record {
                Some(i) => out[i].findings.push(finding),
                None => out.push(Record {
                    line: part.line,
                    msg: msg.clone(),
                    findings: vec![finding],
                }),
            }
        }
        for r in &mut out[first..] {
            r.findings.sort_by_key(|f| (f.start, f.end));
        }
        out[first..].sort_by_key(|r| r.line);
    }
}

/// UTF-16 code units in `s`.
pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}
