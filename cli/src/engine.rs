//! The scanning pipeline for one input: recognise its format by content, then stream
//! it in chunks of whole messages, scan the chunks on all cores, and hand the records
//! to a [`Sink`] in input order.
//!
//! Memory stays flat: at most [`BATCH_PER_THREAD`] × threads chunks of about
//! [`BLOCK`] bytes are in memory at once (plus the longest line). WhatsApp exports are
//! read twice: a survey pass over the whole file decides the date order and the header
//! shapes before any message is reported, since day-first and month-first cannot be
//! told apart line by line. JSON exports (Telegram, Teams) are read whole, up to
//! [`MAX_WHOLE`].

use std::borrow::Cow;
use std::io::{self, Read};

use careguard::detect::StaffNames;
use rayon::prelude::*;

use crate::chatjson::{self, JsonKind};
use crate::detector::Detector;
use crate::json;
use crate::unit::{MsgMeta, Record, Unit};
use crate::whatsapp::{self, Layout, MessageKind, Survey};

/// Target chunk size. 1 MiB keeps per-chunk overhead small against the scan and
/// memory well under the 64 MB budget with a few chunks per thread in flight
/// (benches/scripts/cli-throughput.sh).
pub const BLOCK: usize = 1 << 20;
/// Chunks handed to each thread per batch.
pub const BATCH_PER_THREAD: usize = 2;
/// Bytes read to recognise a format.
pub const HEAD: usize = 64 * 1024;
/// Longest line read; a longer one stops the input with an error, so memory stays
/// bounded on a file with no line breaks.
pub const MAX_LINE: usize = 64 << 20;
/// Lines looked back through for a message start before a chunk is cut at a line
/// end instead (a message longer than that many lines is split between chunks).
const CUT_SEARCH_LINES: usize = 10_000;
/// Chunks surveyed per batch (the survey keeps only counts, so a fixed batch serves
/// any number of threads).
const SURVEY_BATCH: usize = 8;
/// A minimised chunk's expected growth: masks are a little longer than what they
/// replace (`[NHS number]` for `9434765919`), so reserve 1/8 more than the input.
const MINIMISED_GROWTH: usize = 8;
/// Largest input read whole into memory (JSON exports, UTF-16 text, stdin, nested
/// archives).
pub const MAX_WHOLE: u64 = 1 << 30;

/// What an input turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// A WhatsApp export.
    WhatsApp(Layout),
    /// A Telegram or Teams JSON export.
    Json(JsonKind),
    /// Plain text, scanned line by line.
    Plain,
}

impl Format {
    /// The name used in reports: `whatsapp-android`, `whatsapp-ios`, `telegram`,
    /// `teams` or `text`.
    pub fn name(&self) -> &'static str {
        match self {
            Format::WhatsApp(l) if l.ios => "whatsapp-ios",
            Format::WhatsApp(_) => "whatsapp-android",
            Format::Json(JsonKind::Telegram) => "telegram",
            Format::Json(JsonKind::Teams) => "teams",
            Format::Plain => "text",
        }
    }
}

/// A format read as a stream of text lines: where a chunk may end (at a message's
/// start) and how a chunk of whole messages is cut into scan units and scanned. The
/// streaming, parallel and ordering machinery ([`scan_text`], [`minimise_stream`])
/// knows formats only through this trait; JSON exports, read whole, are
/// [`crate::chatjson`]'s.
pub trait TextFormat: Sync {
    /// Where to end a chunk of `buf` (complete lines and then a partial one): the start
    /// of the last message that is followed by a complete line, or 0 for no good place
    /// yet (read more).
    fn cut(&self, buf: &[u8]) -> usize;
    /// Cuts a chunk of whole messages into units (one per message: its text, its
    /// continuation lines, anything else of it that is user text), scans them and
    /// places the findings in their lines.
    fn scan_chunk<'t>(&self, text: &'t str, detector: &dyn Detector) -> ChunkOut<'t>;
}

/// Plain text: every line is a unit of its own.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlainText;

impl TextFormat for PlainText {
    fn cut(&self, buf: &[u8]) -> usize {
        cut_lines(buf)
    }
    fn scan_chunk<'t>(&self, text: &'t str, detector: &dyn Detector) -> ChunkOut<'t> {
        plain_chunk(text, detector)
    }
}

/// A WhatsApp export, as its [`Layout`] (header shapes, date order) decided by a
/// survey of the whole file.
impl TextFormat for Layout {
    fn cut(&self, buf: &[u8]) -> usize {
        cut_messages(buf, self)
    }
    fn scan_chunk<'t>(&self, text: &'t str, detector: &dyn Detector) -> ChunkOut<'t> {
        whatsapp_chunk(text, self, detector)
    }
}

impl Format {
    /// How a text stream of this format is chunked and scanned; JSON documents are
    /// not streamed and get plain text's lines.
    pub fn text(&self) -> &dyn TextFormat {
        match self {
            Format::WhatsApp(l) => l,
            Format::Json(_) | Format::Plain => &PlainText,
        }
    }
}

/// What the first bytes of an input say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sniff {
    /// A zip archive.
    Zip,
    /// UTF-16 text (with a byte-order mark); `true` for big-endian.
    Utf16(bool),
    /// Binary data (a NUL byte in the first [`HEAD`] bytes).
    Binary,
    /// JSON (first non-space byte `{` or `[` and not a WhatsApp iOS header).
    Json,
    /// WhatsApp: a header on the first non-blank line or several in the first lines.
    WhatsApp,
    /// Anything else.
    Text,
}

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Recognises an input from its first bytes.
pub fn sniff(head: &[u8]) -> Sniff {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Sniff::Zip;
    }
    if head.starts_with(b"\xFF\xFE") {
        return Sniff::Utf16(false);
    }
    if head.starts_with(b"\xFE\xFF") {
        return Sniff::Utf16(true);
    }
    if memchr::memchr(0, head).is_some() {
        return Sniff::Binary;
    }
    let body = head.strip_prefix(BOM).unwrap_or(head);
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or(""),
    };
    let lines = text.lines().filter(|l| !l.trim().is_empty());
    if let Some(first) = lines.clone().next() {
        if whatsapp::parse_header(first).is_some() {
            return Sniff::WhatsApp;
        }
        if first.trim_start().starts_with(['{', '[']) {
            return Sniff::Json;
        }
    }
    if lines
        .take(200)
        .filter(|l| whatsapp::parse_header(l).is_some())
        .count()
        >= 3
    {
        return Sniff::WhatsApp;
    }
    Sniff::Text
}

/// Receives results in input order.
pub trait Sink {
    /// An input's format is known and its records follow.
    fn begin(&mut self, path: &str, format: &Format) -> io::Result<()>;
    /// A line with findings.
    fn record(&mut self, path: &str, record: &Record<'_>) -> io::Result<()>;
    /// The input is done.
    fn end(&mut self, path: &str, stats: &FileStats) -> io::Result<()>;
    /// The input (or part of it) could not be scanned.
    fn error(&mut self, path: &str, error: &str);
    /// The input was skipped on purpose (media or binary found while walking).
    fn skipped(&mut self, path: &str, why: &str);
}

/// Counts for one input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileStats {
    /// Lines read.
    pub lines: u64,
    /// Messages by kind (chat exports only).
    pub messages: MessageCounts,
    /// Bytes read.
    pub bytes: u64,
}

/// Messages by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MessageCounts {
    /// Text messages.
    pub text: u64,
    /// Media messages (an attachment, with or without a caption).
    pub media: u64,
    /// System messages (joins, security notices, group changes).
    pub system: u64,
}

impl MessageCounts {
    /// Counts one message of `kind`.
    pub fn count(&mut self, kind: MessageKind) {
        match kind {
            MessageKind::Text => self.text += 1,
            MessageKind::Media => self.media += 1,
            MessageKind::System => self.system += 1,
        }
    }

    /// Messages of every kind.
    pub fn total(&self) -> u64 {
        self.text + self.media + self.system
    }

    /// Adds `other`'s counts.
    pub fn add(&mut self, other: MessageCounts) {
        self.text += other.text;
        self.media += other.media;
        self.system += other.system;
    }
}

/// Settings shared by every input of a run.
pub struct Ctx<'a> {
    /// The detector.
    pub detector: &'a dyn Detector,
    /// Threads available (chunks per batch scale with it).
    pub threads: usize,
    /// Called with the number of bytes consumed, for a progress bar.
    pub progress: &'a (dyn Fn(u64) + Sync),
}

/// The result of one chunk, with chunk-relative line numbers and message indices
/// (index 0: the chunk began inside the previous chunk's last message).
#[derive(Debug, Default)]
pub struct ChunkOut<'t> {
    /// Lines in the chunk.
    pub lines: u64,
    /// Messages that start in the chunk, by kind.
    pub messages: MessageCounts,
    /// Records.
    pub records: Vec<Record<'t>>,
    /// The last message that starts in the chunk.
    pub last: Option<MsgMeta>,
}

fn meta_of(
    line: &str,
    h: &whatsapp::Header,
    body: &whatsapp::Body,
    layout: &Layout,
    index: u64,
) -> MsgMeta {
    MsgMeta {
        index,
        sender: body
            .sender
            .map(|(s, e)| whatsapp::clean_sender(&line[s..e])),
        time: Some(h.iso_time(layout.order)),
        kind: body.kind,
    }
}

/// Scans a chunk of a WhatsApp export (whole lines).
pub fn whatsapp_chunk<'t>(text: &'t str, layout: &Layout, detector: &dyn Detector) -> ChunkOut<'t> {
    let mut out = ChunkOut::default();
    let mut unit = Unit::default();
    let mut excl = Vec::new();
    let mut current: Option<(&'t str, whatsapp::Header, whatsapp::Body, u64)> = None;
    let mut index = 0u64;
    // folded once per chunk, not once per message
    let staff = StaffNames::new(&layout.participants);
    let flush = |unit: &mut Unit<'t>,
                 current: &Option<(&'t str, whatsapp::Header, whatsapp::Body, u64)>,
                 out: &mut ChunkOut<'t>| {
        unit.scan(
            detector,
            &staff,
            || match current {
                Some((line, h, b, i)) => Some(meta_of(line, h, b, layout, *i)),
                None => Some(MsgMeta {
                    index: 0,
                    sender: None,
                    time: None,
                    kind: MessageKind::Text,
                }),
            },
            &mut out.records,
        );
        unit.clear();
    };
    for (n, line) in lines(text) {
        out.lines = n;
        if let Some(h) = layout.header(line) {
            flush(&mut unit, &current, &mut out);
            index += 1;
            let body = whatsapp::parse_body(line, h.body);
            out.messages.count(body.kind);
            let (ts, te) = body.text;
            match body.kind {
                MessageKind::Text | MessageKind::Media => {
                    if ts < te {
                        unit.push_slice(n, line, ts, te);
                        excl.clear();
                        whatsapp::exclusions(unit.last_text(), &mut excl);
                        for &(s, e) in &excl {
                            unit.exclude_in_last(s, e);
                        }
                    }
                }
                MessageKind::System if body.known_system => {
                    for (s, e) in whatsapp::quoted(&line[ts..te]) {
                        unit.push_slice(n, line, ts + s, ts + e);
                    }
                }
                MessageKind::System => {
                    if ts < te {
                        unit.push_slice(n, line, ts, te);
                    }
                }
            }
            current = Some((line, h, body, index));
        } else if !line.trim().is_empty() {
            unit.push_slice(n, line, 0, line.len());
            excl.clear();
            whatsapp::exclusions(unit.last_text(), &mut excl);
            for &(s, e) in &excl {
                unit.exclude_in_last(s, e);
            }
        }
    }
    flush(&mut unit, &current, &mut out);
    out.last = current.map(|(line, h, b, i)| meta_of(line, &h, &b, layout, i));
    out
}

/// Scans a chunk of plain text, line by line.
pub fn plain_chunk<'t>(text: &'t str, detector: &dyn Detector) -> ChunkOut<'t> {
    let mut out = ChunkOut::default();
    let mut unit = Unit::default();
    for (n, line) in lines(text) {
        out.lines = n;
        if line.trim().is_empty() {
            continue;
        }
        unit.clear();
        unit.push_slice(n, line, 0, line.len());
        unit.scan(detector, &StaffNames::default(), || None, &mut out.records);
    }
    out
}

/// The lines of `text` numbered from 1, without `\n` or `\r\n`.
pub fn lines(text: &str) -> impl Iterator<Item = (u64, &str)> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let ends = memchr::memchr_iter(b'\n', body.as_bytes()).chain(std::iter::once(body.len()));
    let mut start = 0;
    ends.take_while(move |_| !text.is_empty())
        .enumerate()
        .map(move |(i, end)| {
            // `\n` is ASCII, so both ends are character boundaries.
            let l = body.get(start..end).unwrap_or("");
            start = end + 1;
            (i as u64 + 1, l.strip_suffix('\r').unwrap_or(l))
        })
}

/// Decodes a chunk, replacing invalid UTF-8 and noting which lines had it.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, Vec<u64>) {
    match std::str::from_utf8(bytes) {
        Ok(t) => (t.into(), Vec::new()),
        Err(_) => {
            let mut invalid = Vec::new();
            for (i, l) in bytes.split(|&b| b == b'\n').enumerate() {
                if std::str::from_utf8(l).is_err() {
                    invalid.push(i as u64 + 1);
                }
            }
            (String::from_utf8_lossy(bytes), invalid)
        }
    }
}

/// Reads a stream in chunks that end on a line boundary chosen by `cut`.
struct Chunker<R> {
    reader: R,
    carry: Vec<u8>,
    eof: bool,
    first: bool,
}

impl<R: Read> Chunker<R> {
    fn new(reader: R) -> Self {
        Chunker {
            reader,
            carry: Vec::new(),
            eof: false,
            first: true,
        }
    }

    /// The next chunk. `cut` gets a buffer of complete lines plus a partial one and
    /// returns where to end the chunk (0: no good place, keep reading).
    fn next(&mut self, cut: &dyn Fn(&[u8]) -> usize) -> io::Result<Option<Vec<u8>>> {
        let mut buf = std::mem::take(&mut self.carry);
        let mut want = BLOCK;
        loop {
            if buf.len() < want && !self.eof {
                // read_to_end fills spare capacity without zeroing it first and
                // retries on EINTR; fewer bytes than asked means end of input.
                let asked = want - buf.len();
                buf.reserve(asked);
                let got = (&mut self.reader)
                    .take(asked as u64)
                    .read_to_end(&mut buf)?;
                if got < asked {
                    self.eof = true;
                }
            }
            if self.first && buf.len() >= BOM.len() || self.eof {
                if self.first && buf.starts_with(BOM) {
                    buf.drain(..BOM.len());
                }
                self.first = false;
            }
            if self.eof {
                return Ok(if buf.is_empty() { None } else { Some(buf) });
            }
            let at = cut(&buf);
            if at > 0 {
                self.carry = buf.split_off(at);
                return Ok(Some(buf));
            }
            if buf.len() > MAX_LINE {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "a line is longer than {MAX_LINE} bytes; the rest of the input was not scanned"
                    ),
                ));
            }
            want = buf.len() * 2;
        }
    }
}

fn cut_lines(buf: &[u8]) -> usize {
    memchr::memrchr(b'\n', buf).map_or(0, |i| i + 1)
}

fn cut_messages(buf: &[u8], layout: &Layout) -> usize {
    // The start of the last header line that is followed by a complete line… or of
    // the last complete line when a message is longer than the buffer.
    let mut end = match memchr::memrchr(b'\n', buf) {
        Some(i) => i,
        None => return 0,
    };
    let last_line_end = end + 1;
    let mut tries = 0;
    while let Some(i) = memchr::memrchr(b'\n', &buf[..end]) {
        let start = i + 1;
        let line = &buf[start..end];
        let line = std::str::from_utf8(line).unwrap_or("");
        if layout
            .header(line.strip_suffix('\r').unwrap_or(line))
            .is_some()
        {
            return start;
        }
        tries += 1;
        if tries > CUT_SEARCH_LINES {
            break;
        }
        end = i;
    }
    last_line_end
}

/// Scans a text stream (WhatsApp or plain) and reports to `sink`.
pub fn scan_text<R: Read>(
    reader: R,
    path: &str,
    format: &Format,
    ctx: &Ctx<'_>,
    sink: &mut dyn Sink,
) -> io::Result<FileStats> {
    let mut chunker = Chunker::new(reader);
    let text_format = format.text();
    let cut = |buf: &[u8]| text_format.cut(buf);
    let mut stats = FileStats::default();
    let mut last: Option<MsgMeta> = None;
    let mut msg_base = 0u64;
    let mut invalid: Vec<u64> = Vec::new();
    let batch = ctx.threads.max(1) * BATCH_PER_THREAD;
    loop {
        let mut chunks = Vec::with_capacity(batch);
        while chunks.len() < batch {
            match chunker.next(&cut)? {
                Some(c) => chunks.push(c),
                None => break,
            }
        }
        if chunks.is_empty() {
            break;
        }
        // Decoded first and kept while the records, which borrow their lines, are
        // reported.
        let texts: Vec<(Cow<'_, str>, Vec<u64>)> =
            chunks.par_iter().map(|bytes| decode(bytes)).collect();
        let outs: Vec<ChunkOut<'_>> = texts
            .par_iter()
            .map(|(text, _)| text_format.scan_chunk(text, ctx.detector))
            .collect();
        for ((bytes, (_, chunk_invalid)), out) in chunks.iter().zip(&texts).zip(outs) {
            for mut r in out.records {
                r.line += stats.lines;
                r.msg = match r.msg {
                    Some(m) if m.index == 0 => last.clone(),
                    Some(mut m) => {
                        m.index += msg_base;
                        Some(m)
                    }
                    None => None,
                };
                sink.record(path, &r)?;
            }
            invalid.extend(chunk_invalid.iter().map(|l| l + stats.lines));
            if let Some(mut m) = out.last {
                m.index += msg_base;
                last = Some(m);
            }
            msg_base += out.messages.total();
            stats.messages.add(out.messages);
            stats.lines += out.lines;
            stats.bytes += bytes.len() as u64;
            (ctx.progress)(bytes.len() as u64);
        }
    }
    if let Some(first) = invalid.first() {
        sink.error(
            path,
            &format!(
                "invalid UTF-8 on {} line(s), first at line {first}; those lines were scanned with U+FFFD replacements",
                invalid.len()
            ),
        );
    }
    Ok(stats)
}

/// Surveys a whole WhatsApp export for [`Survey::layout`].
pub fn survey<R: Read>(reader: R) -> io::Result<Survey> {
    let mut chunker = Chunker::new(reader);
    let mut total = Survey::default();
    loop {
        let mut chunks = Vec::new();
        while chunks.len() < SURVEY_BATCH {
            match chunker.next(&cut_lines)? {
                Some(c) => chunks.push(c),
                None => break,
            }
        }
        if chunks.is_empty() {
            return Ok(total);
        }
        let parts: Vec<Survey> = chunks
            .par_iter()
            .map(|c| {
                let mut s = Survey::default();
                s.text(c);
                s
            })
            .collect();
        for p in &parts {
            total.merge(p);
        }
    }
}

/// Scans a document held in memory as text: JSON exports, or text that has been read
/// whole. Falls back to plain text when JSON is not a known export.
pub fn scan_whole(
    text: &str,
    path: &str,
    ctx: &Ctx<'_>,
    sink: &mut dyn Sink,
) -> io::Result<FileStats> {
    let body = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if sniff(body.as_bytes()) == Sniff::Json {
        if let Ok(root) = json::parse(body) {
            if let Some(kind) = chatjson::recognise(&root) {
                let format = Format::Json(kind);
                sink.begin(path, &format)?;
                let scan = chatjson::scan(body, &root, kind, ctx.detector);
                for r in &scan.records {
                    sink.record(path, r)?;
                }
                (ctx.progress)(text.len() as u64);
                return Ok(FileStats {
                    lines: scan.lines,
                    messages: scan.messages,
                    bytes: text.len() as u64,
                });
            }
        }
    }
    let format = text_format(body.as_bytes(), || Ok(io::Cursor::new(body.as_bytes())))?;
    sink.begin(path, &format)?;
    scan_text(io::Cursor::new(body.as_bytes()), path, &format, ctx, sink)
}

/// Decides between WhatsApp and plain text for a text input, surveying it if needed.
pub fn text_format<R: Read>(
    head: &[u8],
    reopen: impl FnOnce() -> io::Result<R>,
) -> io::Result<Format> {
    if sniff(head) != Sniff::WhatsApp {
        return Ok(Format::Plain);
    }
    let s = survey(reopen()?)?;
    Ok(s.layout().map_or(Format::Plain, Format::WhatsApp))
}

/// Minimises one chunk of whole lines (whole messages, for a chat export) through the
/// same units as `scan`: each message is scanned whole, its findings are placed in
/// its lines by the same offset map, and exactly those ranges are rewritten. So a
/// name on one line of a message whose NHS number is on the next is masked when
/// `scan` reports it, and what `scan` leaves alone (chat headers and senders,
/// participants' @mentions, WhatsApp's own attachment names, the edit marker, system
/// lines but for a quoted subject) is left as it is. Line endings are kept.
pub fn minimise_chunk(text: &str, format: &dyn TextFormat, detector: &dyn Detector) -> String {
    let scanned = format.scan_chunk(text, detector);
    let mut records = scanned.records.iter().peekable();
    let mut out = String::with_capacity(text.len() + text.len() / MINIMISED_GROWTH);
    for (n, raw) in text.split_inclusive('\n').enumerate() {
        let (line, ending) = match raw.strip_suffix("\r\n") {
            Some(l) => (l, "\r\n"),
            None => match raw.strip_suffix('\n') {
                Some(l) => (l, "\n"),
                None => (raw, ""),
            },
        };
        match records.next_if(|r| r.line == n as u64 + 1) {
            Some(r) => out.push_str(&detector.minimise_findings(line, &r.findings)),
            None => out.push_str(line),
        }
        out.push_str(ending);
    }
    out
}

/// Minimises a text stream (WhatsApp or plain) to `out`, in parallel chunks, in order.
pub fn minimise_stream<R: Read>(
    reader: R,
    format: &Format,
    ctx: &Ctx<'_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let mut chunker = Chunker::new(reader);
    let text_format = format.text();
    let cut = |buf: &[u8]| text_format.cut(buf);
    let batch = ctx.threads.max(1) * BATCH_PER_THREAD;
    loop {
        let mut chunks = Vec::with_capacity(batch);
        while chunks.len() < batch {
            match chunker.next(&cut)? {
                Some(c) => chunks.push(c),
                None => break,
            }
        }
        if chunks.is_empty() {
            return Ok(());
        }
        let outs: Vec<String> = chunks
            .par_iter()
            .map(|c| minimise_chunk(&String::from_utf8_lossy(c), text_format, ctx.detector))
            .collect();
        for o in outs {
            out.write_all(o.as_bytes())?;
        }
    }
}
