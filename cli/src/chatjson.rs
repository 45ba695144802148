//! JSON chat exports: Telegram Desktop `result.json` and Microsoft Teams messages as
//! Graph `chatMessage` objects.
//!
//! Telegram: `{"name": …, "messages": [{"type": "message", "date": "2024-01-05T10:01:02",
//! "from": "Alice", "text": "…" | ["…", {"type": "bold", "text": "…"}], "file_name": …}]}`,
//! or a full-account export with many such chats under `chats.list`. Service messages
//! (`"type": "service"`: joins, invitations) are system messages; only a group title
//! they set is scanned, never the members' names.
//!
//! Teams: a `chatMessage`, an array of them, or a Graph page `{"value": [...]}`. The
//! HTML body is scanned as text (markup and `<at>` mentions skipped); attachment names
//! and the subject are scanned too. Times are `createdDateTime` in UTC, to whole seconds.

use std::sync::Arc;

use careguard::detect::StaffNames;
use rayon::prelude::*;

use crate::detector::Detector;
use crate::engine::MessageCounts;
use crate::html;
use crate::json::{self, Span, Value};
use crate::unit::{MsgMeta, Record, Unit, Utf16Index};
use crate::whatsapp::MessageKind;

/// Which JSON export a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonKind {
    /// Telegram Desktop `result.json`.
    Telegram,
    /// Microsoft Teams Graph `chatMessage` objects.
    Teams,
}

/// Line starts of a document, to turn source offsets into lines.
#[derive(Debug)]
pub struct Lines<'a> {
    src: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    /// Indexes `src`.
    pub fn new(src: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', src.as_bytes()).map(|i| i + 1));
        Lines { src, starts }
    }

    /// Number of lines.
    pub fn count(&self) -> u64 {
        let n = self.starts.len() as u64;
        if self.src.ends_with('\n') || self.src.is_empty() {
            n - 1
        } else {
            n
        }
    }

    /// The line (from 1), its start offset and its text (without line ending) at `at`.
    pub fn locate(&self, at: usize) -> (u64, usize, &'a str) {
        let idx = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        let start = self.starts[idx];
        let end = self
            .starts
            .get(idx + 1)
            .map_or(self.src.len(), |e| e.saturating_sub(1));
        let text = &self.src[start..end.max(start)];
        let text = text.strip_suffix('\r').unwrap_or(text);
        (idx as u64 + 1, start, text)
    }
}

/// Recognises a parsed document.
pub fn recognise(root: &Value) -> Option<JsonKind> {
    if !telegram_chats(root).is_empty() {
        return Some(JsonKind::Telegram);
    }
    if !teams_messages(root).is_empty() {
        return Some(JsonKind::Teams);
    }
    None
}

fn is_telegram_message(v: &Value) -> bool {
    v.get("type").is_some() && (v.get("date").is_some() || v.get("date_unixtime").is_some())
}

fn telegram_chats(root: &Value) -> Vec<&[Value]> {
    let mut out = Vec::new();
    let mut stack = vec![(root, 0)];
    while let Some((v, depth)) = stack.pop() {
        if depth > 4 {
            continue;
        }
        if let Some(msgs) = v.get("messages").and_then(Value::array) {
            if msgs.first().is_none_or(is_telegram_message) && v.get("type").is_some()
                || msgs.first().is_some_and(is_telegram_message)
            {
                out.push(msgs);
                continue;
            }
        }
        match v {
            Value::Object(m) => stack.extend(m.iter().rev().map(|(_, v)| (v, depth + 1))),
            Value::Array(a) => stack.extend(a.iter().rev().map(|v| (v, depth + 1))),
            _ => {}
        }
    }
    out
}

fn is_teams_message(v: &Value) -> bool {
    v.get("body").and_then(|b| b.get("content")).is_some()
        && (v.get("createdDateTime").is_some() || v.get("messageType").is_some())
}

fn teams_messages(root: &Value) -> Vec<&Value> {
    let list = match root {
        Value::Array(a) => a.as_slice(),
        Value::Object(_) => match root.get("value").and_then(Value::array) {
            Some(a) => a,
            None => std::slice::from_ref(root),
        },
        _ => &[],
    };
    list.iter().filter(|v| is_teams_message(v)).collect()
}

/// Counts from scanning a JSON export.
#[derive(Debug, Default)]
pub struct JsonScan<'a> {
    /// Lines in the document.
    pub lines: u64,
    /// Messages by kind.
    pub messages: MessageCounts,
    /// Records, in order.
    pub records: Vec<Record<'a>>,
}

fn push_str<'a>(unit: &mut Unit<'a>, lines: &Lines<'a>, src: &str, span: Span) {
    let (text, map) = json::decode(src, span);
    push_decoded(unit, lines, &text, &map);
}

fn push_decoded<'a>(unit: &mut Unit<'a>, lines: &Lines<'a>, text: &str, map: &[(usize, usize)]) {
    if text.trim().is_empty() {
        return;
    }
    let first = map.first().map_or(0, |m| m.0);
    let (line, line_start, line_text) = lines.locate(first);
    let clamp = |m: usize| m.saturating_sub(line_start).min(line_text.len());
    let table = map.iter().map(|&(s, e)| (clamp(s), clamp(e))).collect();
    unit.push_mapped(line, line_text, text, table);
}

/// Scans a recognised JSON export.
pub fn scan<'a>(
    src: &'a str,
    root: &Value,
    kind: JsonKind,
    detector: &dyn Detector,
) -> JsonScan<'a> {
    let lines = Lines::new(src);
    let index = Arc::new(Utf16Index::new(src));
    let msgs: Vec<&Value> = match kind {
        JsonKind::Telegram => telegram_chats(root).into_iter().flatten().collect(),
        JsonKind::Teams => teams_messages(root),
    };
    let per_msg: Vec<(MessageKind, Vec<Record<'a>>)> = msgs
        .par_iter()
        .enumerate()
        .map_init(
            || Unit::with_index(Arc::clone(&index)),
            |unit, (i, m)| {
                unit.clear();
                let (meta, kind) = match kind {
                    JsonKind::Telegram => telegram_unit(unit, &lines, src, m, i as u64 + 1),
                    JsonKind::Teams => teams_unit(unit, &lines, src, m, i as u64 + 1),
                };
                let mut out = Vec::new();
                let staff = StaffNames::new(meta.sender.as_deref());
                unit.scan(detector, &staff, || Some(meta), &mut out);
                (kind, out)
            },
        )
        .collect();
    let mut result = JsonScan {
        lines: lines.count(),
        ..JsonScan::default()
    };
    for (k, recs) in per_msg {
        result.messages.count(k);
        result.records.extend(recs);
    }
    result
}

fn string_of(v: Option<&Value>, src: &str) -> Option<String> {
    v.and_then(|v| v.str(src))
}

fn telegram_unit<'a>(
    unit: &mut Unit<'a>,
    lines: &Lines<'a>,
    src: &'a str,
    m: &Value,
    index: u64,
) -> (MsgMeta, MessageKind) {
    let service = string_of(m.get("type"), src).as_deref() == Some("service");
    let has_media = ["file", "photo", "media_type", "file_name"]
        .iter()
        .any(|k| m.get(k).is_some());
    let kind = if service {
        MessageKind::System
    } else if has_media {
        MessageKind::Media
    } else {
        MessageKind::Text
    };
    if service {
        if let Some(Value::Str(s)) = m.get("title") {
            push_str(unit, lines, src, *s);
        }
    } else {
        match m.get("text") {
            Some(Value::Str(s)) => push_str(unit, lines, src, *s),
            Some(Value::Array(pieces)) => {
                for p in pieces {
                    let span = match p {
                        Value::Str(s) => Some(*s),
                        Value::Object(_) => match p.get("text") {
                            Some(Value::Str(s)) => Some(*s),
                            _ => None,
                        },
                        _ => None,
                    };
                    let is_mention = matches!(
                        string_of(p.get("type"), src).as_deref(),
                        Some("mention" | "mention_name")
                    );
                    if let (Some(s), false) = (span, is_mention) {
                        push_str(unit, lines, src, s);
                    }
                }
            }
            _ => {}
        }
        if let Some(Value::Str(s)) = m.get("file_name").or_else(|| m.get("file")) {
            push_str(unit, lines, src, *s);
        }
    }
    let sender = if service {
        None
    } else {
        string_of(m.get("from"), src)
    };
    let meta = MsgMeta {
        index,
        sender,
        time: string_of(m.get("date"), src).or_else(|| unix_time(m.get("date_unixtime"), src)),
        kind,
    };
    (meta, kind)
}

/// Telegram's `date_unixtime` (a string or a number of seconds since 1970) as ISO 8601
/// UTC, for exports that carry no local `date`.
fn unix_time(v: Option<&Value>, src: &str) -> Option<String> {
    let raw = match v? {
        Value::Str(s) | Value::Number(s) => src.get(s.start..s.end)?,
        _ => return None,
    };
    let secs: i64 = raw.trim().parse().ok()?;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    if !(0..=9999).contains(&y) {
        return None;
    }
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    ))
}

/// `2024-01-05T10:01:15.123Z` → `2024-01-05T10:01:15Z`: the same shape as the other
/// formats' times (seconds), keeping the zone Graph gives.
fn whole_seconds(t: &str) -> String {
    match (t.get(..19), t.find('.')) {
        (Some(head), Some(19)) => {
            let zone = t[20..].trim_start_matches(|c: char| c.is_ascii_digit());
            format!("{head}{zone}")
        }
        _ => t.to_owned(),
    }
}

fn teams_unit<'a>(
    unit: &mut Unit<'a>,
    lines: &Lines<'a>,
    src: &'a str,
    m: &Value,
    index: u64,
) -> (MsgMeta, MessageKind) {
    let message_type = string_of(m.get("messageType"), src);
    let system = message_type.as_deref().is_some_and(|t| t != "message");
    let attachments = m.get("attachments").and_then(Value::array).unwrap_or(&[]);
    let body = m.get("body");
    let html_body = string_of(body.and_then(|b| b.get("contentType")), src)
        .is_none_or(|t| t.eq_ignore_ascii_case("html"));
    if !system {
        if let Some(Value::Str(s)) = m.get("subject") {
            push_str(unit, lines, src, *s);
        }
        if let Some(Value::Str(s)) = body.and_then(|b| b.get("content")) {
            let (raw, map) = json::decode(src, *s);
            if html_body {
                let (text, tmap) = html::text(&raw);
                let composed: Vec<(usize, usize)> = tmap
                    .iter()
                    .map(|&(hs, he)| {
                        let start = map.get(hs).map_or(s.end, |m| m.0);
                        let end = map.get(he.wrapping_sub(1)).map_or(s.end, |m| m.1);
                        (start, end)
                    })
                    .collect();
                push_decoded(unit, lines, &text, &composed);
            } else {
                push_decoded(unit, lines, &raw, &map);
            }
        }
        for a in attachments {
            if let Some(Value::Str(s)) = a.get("name") {
                push_str(unit, lines, src, *s);
            }
        }
    }
    let kind = if system {
        MessageKind::System
    } else if !attachments.is_empty() && unit.is_empty() {
        MessageKind::Media
    } else {
        MessageKind::Text
    };
    let from = m.get("from");
    let sender = ["user", "application", "device"].iter().find_map(|k| {
        string_of(
            from.and_then(|f| f.get(k))
                .and_then(|u| u.get("displayName")),
            src,
        )
    });
    let meta = MsgMeta {
        index,
        sender: if system { None } else { sender },
        time: string_of(m.get("createdDateTime"), src).map(|t| whole_seconds(&t)),
        kind,
    };
    (meta, kind)
}
