//! Inputs: files, stdin, directories and zip archives.
//!
//! Directories are walked recursively in byte order of names, so output is the same
//! on every run and machine; symbolic links met while walking are not followed (loops).
//! Zip archives (iOS exports arrive as `WhatsApp Chat - NAME.zip`) are opened by
//! content, whatever their name; their text members are scanned and reported as
//! `ARCHIVE.zip/MEMBER`, media members skipped. Binary files and media found while
//! walking or inside an archive are skipped and counted; a binary file named on the
//! command line is an error.

use std::fs::{self, File};
use std::io::{self, Cursor, Read, Seek};
use std::path::{Path, PathBuf};

use crate::engine::{self, Ctx, HEAD, MAX_WHOLE, Sink, Sniff};
use crate::unit::Record;

/// Deepest archive nesting followed (`a.zip/b.zip/c.txt` is depth 2).
pub const MAX_ZIP_DEPTH: usize = 3;

/// Extensions of media and documents that cannot be scanned as text.
const MEDIA: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "heic", "heif", "bmp", "tif", "tiff", "mp4", "mov", "3gp",
    "m4v", "webm", "avi", "mkv", "opus", "ogg", "oga", "m4a", "aac", "mp3", "wav", "amr", "pdf",
    "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "was", "tgs",
];

fn is_media_name(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| MEDIA.iter().any(|m| m.eq_ignore_ascii_case(ext)))
}

/// Expands the command-line paths into files in a deterministic order. `-` stays `-`.
/// Directory errors are reported to `sink` and the walk goes on.
pub fn walk(paths: &[PathBuf], sink: &mut dyn Sink) -> Vec<(PathBuf, bool)> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push((p.clone(), true));
            continue;
        }
        match fs::metadata(p) {
            Ok(m) if m.is_dir() => walk_dir(p, &mut out, sink),
            _ => out.push((p.clone(), true)),
        }
    }
    out
}

fn walk_dir(dir: &Path, out: &mut Vec<(PathBuf, bool)>, sink: &mut dyn Sink) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            sink.error(
                &dir.display().to_string(),
                &format!("cannot read directory: {e}"),
            );
            return;
        }
    };
    let mut list: Vec<_> = Vec::new();
    for e in entries {
        match e {
            Ok(e) => list.push(e),
            Err(e) => sink.error(
                &dir.display().to_string(),
                &format!("cannot read directory: {e}"),
            ),
        }
    }
    list.sort_by_key(|e| e.file_name());
    for e in list {
        let path = e.path();
        match e.file_type() {
            Ok(t) if t.is_symlink() => sink.skipped(&path.display().to_string(), "symbolic link"),
            Ok(t) if t.is_dir() => walk_dir(&path, out, sink),
            Ok(_) => out.push((path, false)),
            Err(err) => sink.error(&path.display().to_string(), &format!("cannot stat: {err}")),
        }
    }
}

/// Why an input could not be scanned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Reading failed.
    #[error("cannot read: {0}")]
    Io(#[from] io::Error),
    /// The zip archive is corrupt or unsupported.
    #[error("cannot read zip archive: {0}")]
    Zip(String),
    /// The file is binary (and was named explicitly).
    #[error("binary file, not scanned")]
    Binary,
    /// A zip member is encrypted.
    #[error("encrypted zip member, not scanned")]
    Encrypted,
    /// Too big to read whole.
    #[error("{size} bytes is over the {max}-byte limit for this kind of input")]
    TooLarge {
        /// Size of the input.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// The input is of a kind this command does not handle.
    #[error("{0} cannot be minimised; give a text file or a WhatsApp export")]
    Unsupported(&'static str),
    /// Archives nested too deeply.
    #[error("zip archives nested more than {MAX_ZIP_DEPTH} deep, not scanned")]
    TooDeep,
}

/// Something that can be read from the start more than once.
pub trait Source {
    /// A fresh reader from the first byte.
    fn open(&mut self) -> io::Result<Box<dyn Read + '_>>;
    /// The file on disk, if it is one (zip archives are read in place).
    fn file(&self) -> Option<&Path> {
        None
    }
}

/// A file on disk.
pub struct FileSource(pub PathBuf);

impl Source for FileSource {
    fn open(&mut self) -> io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(File::open(&self.0)?))
    }
    fn file(&self) -> Option<&Path> {
        Some(&self.0)
    }
}

/// Bytes in memory (stdin, a nested archive).
pub struct MemSource<'a>(pub &'a [u8]);

impl Source for MemSource<'_> {
    fn open(&mut self) -> io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(self.0))
    }
}

struct ZipMember<'a, R: Read + Seek> {
    archive: &'a mut zip::ZipArchive<R>,
    index: usize,
}

impl<R: Read + Seek> Source for ZipMember<'_, R> {
    fn open(&mut self) -> io::Result<Box<dyn Read + '_>> {
        self.archive
            .by_index(self.index)
            .map(|f| -> Box<dyn Read + '_> { Box::new(f) })
            .map_err(io::Error::other)
    }
}

fn read_head(src: &mut dyn Source) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD);
    src.open()?.take(HEAD as u64).read_to_end(&mut head)?;
    Ok(head)
}

fn read_whole(src: &mut dyn Source) -> Result<Vec<u8>, InputError> {
    let mut all = Vec::new();
    src.open()?.take(MAX_WHOLE + 1).read_to_end(&mut all)?;
    if all.len() as u64 > MAX_WHOLE {
        return Err(InputError::TooLarge {
            size: all.len() as u64,
            max: MAX_WHOLE,
        });
    }
    Ok(all)
}

/// Scans one input: recognises it by content and reports to `sink`. `named` is true
/// for inputs given on the command line (a binary one is then an error, not a skip).
pub fn scan_source(
    src: &mut dyn Source,
    path: &str,
    named: bool,
    depth: usize,
    ctx: &Ctx<'_>,
    sink: &mut dyn Sink,
) -> io::Result<()> {
    match scan_inner(src, path, named, depth, ctx, sink) {
        Ok(()) => Ok(()),
        Err(Outcome::Output(e)) => Err(e),
        Err(Outcome::Input(e)) => {
            sink.error(path, &e.to_string());
            Ok(())
        }
    }
}

enum Outcome {
    /// Writing results failed (a closed pipe): stop everything.
    Output(io::Error),
    /// This input failed: report and go on.
    Input(InputError),
}

impl From<InputError> for Outcome {
    fn from(e: InputError) -> Self {
        Outcome::Input(e)
    }
}

/// Runs a scan step whose `io::Error`s may come from the input or from the output;
/// output errors are told apart by the sink wrapper that marks them.
fn split(r: io::Result<engine::FileStats>, out_failed: bool) -> Result<engine::FileStats, Outcome> {
    match r {
        Ok(s) => Ok(s),
        Err(e) if out_failed => Err(Outcome::Output(e)),
        Err(e) => Err(Outcome::Input(InputError::Io(e))),
    }
}

/// Wraps a sink to remember whether an `io::Error` came from writing output.
struct Marking<'a> {
    inner: &'a mut dyn Sink,
    failed: bool,
}

impl Sink for Marking<'_> {
    fn begin(&mut self, path: &str, format: &engine::Format) -> io::Result<()> {
        let r = self.inner.begin(path, format);
        self.failed |= r.is_err();
        r
    }
    fn record(&mut self, path: &str, record: &Record<'_>) -> io::Result<()> {
        let r = self.inner.record(path, record);
        self.failed |= r.is_err();
        r
    }
    fn end(&mut self, path: &str, stats: &engine::FileStats) -> io::Result<()> {
        let r = self.inner.end(path, stats);
        self.failed |= r.is_err();
        r
    }
    fn error(&mut self, path: &str, error: &str) {
        self.inner.error(path, error);
    }
    fn skipped(&mut self, path: &str, why: &str) {
        self.inner.skipped(path, why);
    }
}

fn scan_inner(
    src: &mut dyn Source,
    path: &str,
    named: bool,
    depth: usize,
    ctx: &Ctx<'_>,
    sink: &mut dyn Sink,
) -> Result<(), Outcome> {
    let head = read_head(src).map_err(InputError::Io)?;
    let kind = engine::sniff(&head);
    let mut sink = Marking {
        inner: sink,
        failed: false,
    };
    let stats = match kind {
        Sniff::Zip => {
            if depth >= MAX_ZIP_DEPTH {
                return Err(InputError::TooDeep.into());
            }
            return match src.file().map(Path::to_path_buf) {
                Some(p) => {
                    let f = File::open(&p).map_err(InputError::Io)?;
                    scan_zip(f, path, depth, ctx, sink.inner)
                }
                None => {
                    let all = read_whole(src)?;
                    scan_zip(Cursor::new(all), path, depth, ctx, sink.inner)
                }
            };
        }
        Sniff::Binary => {
            if named {
                return Err(InputError::Binary.into());
            }
            sink.skipped(path, "binary file");
            return Ok(());
        }
        Sniff::Utf16(big_endian) => {
            let all = read_whole(src)?;
            let units: Vec<u16> = all[2..]
                .chunks_exact(2)
                .map(|c| {
                    if big_endian {
                        u16::from_be_bytes([c[0], c[1]])
                    } else {
                        u16::from_le_bytes([c[0], c[1]])
                    }
                })
                .collect();
            let text = String::from_utf16_lossy(&units);
            let r = engine::scan_whole(&text, path, ctx, &mut sink);
            split(r, sink.failed)?
        }
        Sniff::Json => {
            let all = read_whole(src)?;
            let r = match std::str::from_utf8(&all) {
                Ok(text) => engine::scan_whole(text, path, ctx, &mut sink),
                Err(_) => {
                    let format = engine::Format::Plain;
                    sink.begin(path, &format).and_then(|()| {
                        engine::scan_text(Cursor::new(&all), path, &format, ctx, &mut sink)
                    })
                }
            };
            split(r, sink.failed)?
        }
        Sniff::WhatsApp | Sniff::Text => {
            let format = {
                let r = engine::text_format(&head, || src.open());
                r.map_err(InputError::Io)?
            };
            let r = sink.begin(path, &format).and_then(|()| {
                let reader = src.open()?;
                engine::scan_text(reader, path, &format, ctx, &mut sink)
            });
            split(r, sink.failed)?
        }
    };
    sink.end(path, &stats).map_err(Outcome::Output)
}

fn scan_zip<R: Read + Seek>(
    reader: R,
    path: &str,
    depth: usize,
    ctx: &Ctx<'_>,
    sink: &mut dyn Sink,
) -> Result<(), Outcome> {
    let mut archive = zip::ZipArchive::new(reader).map_err(|e| InputError::Zip(e.to_string()))?;
    for index in 0..archive.len() {
        let (name, is_dir, encrypted) = match archive.by_index_raw(index) {
            Ok(f) => (
                f.name()
                    .map(|n| n.into_owned())
                    .unwrap_or_else(|_| String::from_utf8_lossy(f.name_raw()).into_owned()),
                f.is_dir(),
                f.encrypted(),
            ),
            Err(e) => {
                sink.error(
                    &format!("{path}/#{index}"),
                    &format!("cannot read zip member: {e}"),
                );
                continue;
            }
        };
        let member_path = format!("{path}/{name}");
        if is_dir {
            continue;
        }
        if encrypted {
            sink.error(&member_path, &InputError::Encrypted.to_string());
            continue;
        }
        if is_media_name(&name) {
            sink.skipped(&member_path, "media");
            continue;
        }
        let mut member = ZipMember {
            archive: &mut archive,
            index,
        };
        scan_source(&mut member, &member_path, false, depth + 1, ctx, sink)
            .map_err(Outcome::Output)?;
    }
    Ok(())
}

/// Scans one walked or named path (`-` is stdin).
pub fn scan_path(path: &Path, named: bool, ctx: &Ctx<'_>, sink: &mut dyn Sink) -> io::Result<()> {
    let shown = path.display().to_string();
    if path.as_os_str() == "-" {
        let mut all = Vec::new();
        if let Err(e) = io::stdin().lock().take(MAX_WHOLE + 1).read_to_end(&mut all) {
            sink.error("-", &InputError::Io(e).to_string());
            return Ok(());
        }
        if all.len() as u64 > MAX_WHOLE {
            sink.error(
                "-",
                &InputError::TooLarge {
                    size: all.len() as u64,
                    max: MAX_WHOLE,
                }
                .to_string(),
            );
            return Ok(());
        }
        return scan_source(&mut MemSource(&all), "-", true, 0, ctx, sink);
    }
    if !named && is_media_name(&shown) {
        sink.skipped(&shown, "media");
        return Ok(());
    }
    scan_source(
        &mut FileSource(path.to_path_buf()),
        &shown,
        named,
        0,
        ctx,
        sink,
    )
}

/// Writes a minimised copy of a text input or WhatsApp export to `out`.
///
/// Zip archives, binary files and JSON exports are refused: the minimised copy of a
/// chat is meant to be read or re-shared as text.
pub fn minimise_source(
    src: &mut dyn Source,
    ctx: &Ctx<'_>,
    out: &mut dyn io::Write,
) -> Result<(), InputError> {
    let head = read_head(src)?;
    match engine::sniff(&head) {
        Sniff::Zip => Err(InputError::Unsupported("a zip archive")),
        Sniff::Binary => Err(InputError::Binary),
        Sniff::Utf16(_) => Err(InputError::Unsupported("UTF-16 text")),
        Sniff::Json => Err(InputError::Unsupported("a JSON export")),
        Sniff::WhatsApp | Sniff::Text => {
            let format = engine::text_format(&head, || src.open())?;
            let reader = src.open()?;
            engine::minimise_stream(reader, &format, ctx, out)?;
            Ok(())
        }
    }
}

/// Files smaller than this are scanned several at a time, one per thread (a folder
/// of many small exports uses every core); bigger ones are split into chunks instead.
pub const SMALL_FILE: u64 = engine::BLOCK as u64;

/// Small files handed to each thread per batch.
const SMALL_FILES_PER_THREAD: usize = 4;

/// What a sink was told, kept to be replayed in input order.
#[derive(Debug, Clone)]
enum Event {
    Begin(String, engine::Format),
    /// A record with its own copy of the line it borrowed (small files only).
    Record(String, String, Record<'static>),
    End(String, engine::FileStats),
    Error(String, String),
    Skipped(String, String),
}

#[derive(Default)]
struct Buffer(Vec<Event>);

impl Sink for Buffer {
    fn begin(&mut self, path: &str, format: &engine::Format) -> io::Result<()> {
        self.0.push(Event::Begin(path.into(), format.clone()));
        Ok(())
    }
    fn record(&mut self, path: &str, record: &Record<'_>) -> io::Result<()> {
        let owned = Record {
            line: record.line,
            text: "",
            msg: record.msg.clone(),
            findings: record.findings.clone(),
        };
        self.0
            .push(Event::Record(path.into(), record.text.to_owned(), owned));
        Ok(())
    }
    fn end(&mut self, path: &str, stats: &engine::FileStats) -> io::Result<()> {
        self.0.push(Event::End(path.into(), stats.clone()));
        Ok(())
    }
    fn error(&mut self, path: &str, error: &str) {
        self.0.push(Event::Error(path.into(), error.into()));
    }
    fn skipped(&mut self, path: &str, why: &str) {
        self.0.push(Event::Skipped(path.into(), why.into()));
    }
}

fn replay(events: Vec<Event>, sink: &mut dyn Sink) -> io::Result<()> {
    for e in events {
        match e {
            Event::Begin(p, f) => sink.begin(&p, &f)?,
            Event::Record(p, text, r) => sink.record(&p, &Record { text: &text, ..r })?,
            Event::End(p, s) => sink.end(&p, &s)?,
            Event::Error(p, e) => sink.error(&p, &e),
            Event::Skipped(p, w) => sink.skipped(&p, &w),
        }
    }
    Ok(())
}

/// Scans walked or named paths in order: runs of small files in parallel (results
/// replayed in input order, so output does not depend on the thread count), big files
/// one at a time with their chunks in parallel.
pub fn scan_paths(files: &[(PathBuf, bool)], ctx: &Ctx<'_>, sink: &mut dyn Sink) -> io::Result<()> {
    use rayon::prelude::*;
    let small = |p: &Path| {
        p.as_os_str() != "-" && fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() < SMALL_FILE)
    };
    let batch = ctx.threads.max(1) * SMALL_FILES_PER_THREAD;
    let mut i = 0;
    while i < files.len() {
        let run = files[i..]
            .iter()
            .take(batch)
            .take_while(|(p, _)| small(p))
            .count();
        if run <= 1 {
            let (p, named) = &files[i];
            scan_path(p, *named, ctx, sink)?;
            i += 1;
            continue;
        }
        let results: Vec<Vec<Event>> = files[i..i + run]
            .par_iter()
            .map(|(p, named)| {
                let mut buf = Buffer::default();
                // A Buffer never fails to write.
                let _ = scan_path(p, *named, ctx, &mut buf);
                buf.0
            })
            .collect();
        for events in results {
            replay(events, sink)?;
        }
        i += run;
    }
    Ok(())
}
