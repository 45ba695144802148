//! Scan units: what the detector sees, and how its offsets go back to input lines.
//!
//! A unit is one chat message (or one plain-text line). Its scannable parts — the
//! text after `SENDER: `, continuation lines, a quoted group subject, a decoded JSON
//! string, the text of an HTML body — are joined with `\n` into one buffer so the
//! detector sees a message whole. Each part remembers the input line it came from and
//! how its bytes map back into that line, so findings are reported as byte and UTF-16
//! ranges within input lines, whatever the format.

use std::sync::Arc;

use careguard::detect::{Finding, StaffNames};

use crate::detector::Detector;
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

/// The findings of one input line (and one message, for chat exports).
#[derive(Clone, Debug, PartialEq)]
pub struct Record<'t> {
    /// Line number from 1 (relative to the chunk until the pipeline rebases it).
    pub line: u64,
    /// The line's text, without its line ending.
    pub text: &'t str,
    /// The message the line belongs to.
    pub msg: Option<MsgMeta>,
    /// Findings sorted by start offset, their byte and UTF-16 offsets within `text`.
    pub findings: Vec<Finding>,
}

impl<'t> Record<'t> {
    /// The text of `line` that `finding` (one of the record's findings) matched.
    pub fn matched(&self, finding: &Finding) -> &'t str {
        self.text.get(finding.start..finding.end).unwrap_or("")
    }
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

/// Units up to this long are scanned in one call; a longer one (a file with no line
/// breaks, a compact JSON export's giant message) is scanned in windows of this size,
/// so the detector's working memory (several times the text it is given) stays
/// bounded however long the unit is.
pub const SCAN_WINDOW: usize = 256 * 1024;
/// Context scanned on each side of a window but reported by its neighbour: a finding
/// and the words the detector weighs around it lie well within it.
pub const WINDOW_OVERLAP: usize = 4 * 1024;
/// How far back from a window boundary a white space is looked for, so windows start
/// and end between words.
const WINDOW_CUT_SEARCH: usize = 256;

/// A reusable scan unit.
#[derive(Debug, Default)]
pub struct Unit<'a> {
    buf: String,
    /// The only part's text while the unit has one part taken verbatim from a line:
    /// it is scanned in place, not copied into `buf` (a plain-text line of megabytes).
    single: Option<&'a str>,
    parts: Vec<Part<'a>>,
    excluded: Vec<(usize, usize)>,
    found: Vec<Finding>,
    /// Shared, so the records a unit makes borrow only the document, not the index.
    index: Option<Arc<Utf16Index<'a>>>,
}

/// Where the findings of one unit go while they are placed in lines.
struct Placer<'u, 'a, 'o, M> {
    parts: &'u [Part<'a>],
    excluded: &'u [(usize, usize)],
    next_excluded: usize,
    index: Option<&'u Utf16Index<'a>>,
    meta: Option<M>,
    msg: Option<MsgMeta>,
    /// (line, byte offset, UTF-16 offset) of the last finding placed.
    cursor: Option<(u64, usize, usize)>,
    out: &'o mut Vec<Record<'a>>,
    first: usize,
}

impl<'a, M: FnOnce() -> Option<MsgMeta>> Placer<'_, 'a, '_, M> {
    /// Places `f` (offsets in the unit's text; called in start order) in its line.
    fn place(&mut self, f: &Finding, unit_len: usize) {
        while self
            .excluded
            .get(self.next_excluded)
            .is_some_and(|&(_, e)| e <= f.start)
        {
            self.next_excluded += 1;
        }
        if f.start >= f.end
            || f.end > unit_len
            || self
                .excluded
                .get(self.next_excluded)
                .is_some_and(|&(s, _)| s < f.end)
        {
            return;
        }
        let idx = self.parts.partition_point(|p| p.buf_end < f.start);
        let Some(part) = self.parts.get(idx) else {
            return;
        };
        if f.start < part.buf_start {
            // The finding starts on a joining newline.
            return;
        }
        let end = f.end.min(part.buf_end);
        if f.start >= end {
            return;
        }
        let (start, end) = part.to_line(f.start, end);
        let text = part.line_text;
        if start >= end
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            return;
        }
        if let Some(m) = self.meta.take() {
            self.msg = m();
        }
        let start_utf16 = match self.cursor {
            Some((line, at, at16)) if line == part.line && at <= start => {
                at16 + utf16_len(&text[at..start])
            }
            _ => self
                .index
                .and_then(|ix| ix.offset_in(text, start))
                .unwrap_or_else(|| utf16_len(&text[..start])),
        };
        self.cursor = Some((part.line, start, start_utf16));
        let finding = Finding {
            start,
            end,
            start_utf16,
            end_utf16: start_utf16 + utf16_len(&text[start..end]),
            ..*f
        };
        // Findings come in text order, so their line is the last record's or a new
        // one; only a mapped part that goes back to an earlier line is searched for.
        let out = &mut *self.out;
        let record = match out[self.first..].last() {
            None => None,
            Some(r) if r.line == part.line => Some(out.len() - 1),
            Some(r) if r.line < part.line => None,
            Some(_) => out[self.first..]
                .iter()
                .rposition(|r| r.line == part.line)
                .map(|i| self.first + i),
        };
        match record {
            Some(i) => out[i].findings.push(finding),
            None => out.push(Record {
                line: part.line,
                text,
                msg: self.msg.clone(),
                findings: vec![finding],
            }),
        }
    }
}

/// A window boundary near `at`: just after a white space in the
/// [`WINDOW_CUT_SEARCH`] bytes before it, else the character boundary at or before it.
fn window_cut(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let from = at.saturating_sub(WINDOW_CUT_SEARCH);
    if let Some(i) = memchr::memrchr3(b' ', b'\n', b'\t', &text.as_bytes()[from..at]) {
        return from + i + 1;
    }
    let mut at = at;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl<'a> Unit<'a> {
    /// A unit whose parts all come from lines of `index`'s document: UTF-16 offsets are
    /// then found from the index instead of counted from each line's start.
    pub fn with_index(index: Arc<Utf16Index<'a>>) -> Self {
        Unit {
            index: Some(index),
            ..Unit::default()
        }
    }

    /// Empties the unit for the next message.
    pub fn clear(&mut self) {
        self.buf.clear();
        self.single = None;
        self.parts.clear();
        self.excluded.clear();
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The unit's text: the parts joined with `\n`.
    fn text(&self) -> &str {
        self.single.unwrap_or(&self.buf)
    }

    fn start_part(&mut self) -> usize {
        if let Some(s) = self.single.take() {
            self.buf.push_str(s);
        }
        if !self.parts.is_empty() {
            self.buf.push('\n');
        }
        self.buf.len()
    }

    /// Adds `line_text[start..end]` of line `line`.
    pub fn push_slice(&mut self, line: u64, line_text: &'a str, start: usize, end: usize) {
        let text = &line_text[start..end];
        let buf_start = if self.parts.is_empty() {
            self.single = Some(text);
            0
        } else {
            let at = self.start_part();
            self.buf.push_str(text);
            at
        };
        self.parts.push(Part {
            line,
            line_text,
            buf_start,
            buf_end: buf_start + text.len(),
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
            .map_or("", |p| &self.text()[p.buf_start..p.buf_end])
    }

    /// Scans the unit and appends one record per line with findings to `out`.
    /// `staff` are names known to be staff (the message's sender); `meta` is called
    /// only when there is something to report.
    ///
    /// Linear in the unit's length however many findings it has: UTF-16 offsets are
    /// counted on from the previous finding in the same line, and a finding's record
    /// is found from the line's last record. A unit longer than [`SCAN_WINDOW`] is
    /// scanned in overlapping windows, each finding reported by the window it starts
    /// in, so the detector's memory stays bounded.
    pub fn scan(
        &mut self,
        detector: &dyn Detector,
        staff: &StaffNames,
        meta: impl FnOnce() -> Option<MsgMeta>,
        out: &mut Vec<Record<'a>>,
    ) {
        if self.parts.is_empty() {
            return;
        }
        // Findings come sorted by start: walk the exclusions, merged into disjoint
        // sorted ranges, alongside them instead of testing every exclusion for every
        // finding.
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
        let text = self.single.unwrap_or(&self.buf);
        let first = out.len();
        let mut placer = Placer {
            parts: &self.parts,
            excluded: &self.excluded,
            next_excluded: 0,
            index: self.index.as_deref(),
            meta: Some(meta),
            msg: None,
            cursor: None,
            out,
            first,
        };
        let found = &mut self.found;
        let mut own_start = 0;
        while own_start < text.len() {
            let own_end = if text.len() <= SCAN_WINDOW {
                text.len()
            } else {
                window_cut(text, own_start + SCAN_WINDOW)
            };
            let from = if own_start == 0 {
                0
            } else {
                window_cut(text, own_start.saturating_sub(WINDOW_OVERLAP))
            };
            let to = window_cut(text, own_end.saturating_add(WINDOW_OVERLAP));
            found.clear();
            detector.scan(&text[from..to], staff, found);
            for f in found.iter() {
                let f = Finding {
                    start: f.start + from,
                    end: f.end + from,
                    ..*f
                };
                if (own_start..own_end).contains(&f.start) {
                    placer.place(&f, text.len());
                }
            }
            own_start = own_end;
        }
        if found.capacity() > SCAN_WINDOW / 64 {
            *found = Vec::new();
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use careguard::detect::{Kind, Subject};

    use super::*;

    /// Finds every `943 476 5919` (spaces inside, so a window may be cut within one)
    /// and remembers the longest text it was given.
    #[derive(Default)]
    struct Numbers {
        longest: AtomicUsize,
    }

    impl Detector for Numbers {
        fn scan(&self, text: &str, _: &StaffNames, out: &mut Vec<Finding>) {
            self.longest.fetch_max(text.len(), Ordering::Relaxed);
            out.extend(
                text.match_indices("943 476 5919")
                    .map(|(start, m)| Finding {
                        kind: Kind::NhsNumber,
                        start,
                        end: start + m.len(),
                        start_utf16: 0,
                        end_utf16: 0,
                        confidence: 1.0,
                        rule: "test",
                        subject: Subject::Unknown,
                    }),
            );
        }
        fn minimise(&self, text: &str) -> String {
            text.to_owned()
        }
        fn minimise_findings(&self, text: &str, _: &[Finding]) -> String {
            text.to_owned()
        }
    }

    #[test]
    fn a_long_unit_is_scanned_in_bounded_windows_with_every_finding_once() {
        // Filler of odd lengths and non-ASCII text, so window edges fall everywhere:
        // inside numbers, inside characters, next to spaces.
        let fillers = ["é obs ok ", "Zoë 😷 ", "x", "plan reviewed at 10 "];
        let mut line = String::new();
        let mut expected = Vec::new();
        let mut i = 0;
        while line.len() < 3 * SCAN_WINDOW + 1234 {
            line.push_str(fillers[i % fillers.len()]);
            expected.push(line.len());
            line.push_str("943 476 5919");
            i += 1;
        }
        let detector = Numbers::default();
        let mut unit = Unit::default();
        unit.push_slice(1, &line, 0, line.len());
        let mut out = Vec::new();
        unit.scan(&detector, &StaffNames::default(), || None, &mut out);

        assert_eq!(out.len(), 1);
        let starts: Vec<usize> = out[0].findings.iter().map(|f| f.start).collect();
        assert_eq!(starts, expected);
        let (mut at, mut at16) = (0, 0);
        for f in &out[0].findings {
            assert_eq!(out[0].matched(f), "943 476 5919");
            at16 += utf16_len(&line[at..f.start]);
            at = f.start;
            assert_eq!(f.start_utf16, at16);
        }
        let longest = detector.longest.load(Ordering::Relaxed);
        assert!(
            longest <= SCAN_WINDOW + 2 * WINDOW_OVERLAP,
            "the detector was given {longest} bytes at once"
        );
    }
}
