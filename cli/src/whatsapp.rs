//! WhatsApp chat exports ("Export chat" → "Without media" / "Attach media").
//!
//! Every message starts with a header line; every other line (blank lines and lines
//! that merely begin with a date included) belongs to the message above. Header shapes
//! seen in the wild, all accepted here:
//!
//! ```text
//! 05/01/2024, 10:01 - Sister Jones: text            Android, day-first, 24-hour
//! 1/5/24, 10:01 PM - Sister Jones: text             Android, month-first, 12-hour (U+202F before PM)
//! [05/01/2024, 10:01:02] Sister Jones: text         iOS, with seconds, CRLF
//! 05/01/2024, 10:01:02: Sister Jones: text          older iOS, no brackets
//! 2024-01-05 10:01 - Sister Jones: text             year-first locales
//! 05.01.24, 10:01 - Sister Jones: text              dotted locales
//! ```
//!
//! The date order (day-first or month-first) follows the phone's locale and cannot be
//! told from one line, so it is decided from the whole file by [`Survey`]. Headers are
//! also only accepted in the shapes ([`Signature`]s) that dominate the file, so a line
//! that a user typed as `05/01/2024, 10:30 - obs stable` inside an iOS export stays
//! part of its message.

use std::fmt::Write as _;

/// The shape of a header line, used to tell the file's own headers from look-alikes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Signature {
    /// `[DATE, TIME]` (iOS) rather than `DATE, TIME - ` (Android).
    pub bracketed: bool,
    /// The date separator: `/`, `.` or `-`.
    pub date_sep: u8,
    /// The year comes first (`2024-01-05`).
    pub year_first: bool,
    /// Digits in the year field as written (2 or 4; 1 or 2 after a Japanese era letter).
    pub year_digits: u8,
    /// The time has seconds.
    pub seconds: bool,
    /// The time has an AM/PM marker.
    pub twelve_hour: bool,
    /// What separates the time from the rest: `]`, `-` or `:`.
    pub after: u8,
    /// The time comes before the date (`[14:56:01, 3/18/22]`, Vietnamese iOS).
    pub time_first: bool,
    /// The calendar of the year: [`GREGORIAN`], [`BUDDHIST`] or [`JAPANESE`].
    pub calendar: u8,
    /// The month is a name (`Jan 5`, `5 janv.`); the fields are then day, month, year
    /// whatever the order written, and the year may be missing (0).
    pub month_name: bool,
}

/// [`Signature::calendar`]: the Gregorian calendar.
pub const GREGORIAN: u8 = 0;
/// [`Signature::calendar`]: the Thai Buddhist era (Gregorian year + 543).
pub const BUDDHIST: u8 = b'B';
/// [`Signature::calendar`]: a Japanese era (`R4` = Reiwa 4 = 2022).
pub const JAPANESE: u8 = b'J';

/// A parsed header line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// The three date fields as written, left to right, with the year already turned
    /// into a Gregorian year when the header uses another calendar.
    pub fields: [u16; 3],
    /// Hour as written (1–12 on a 12-hour clock).
    pub hour: u8,
    /// Minute.
    pub minute: u8,
    /// Second, when the header has one.
    pub second: u8,
    /// `Some(true)` for PM, `Some(false)` for AM, `None` on a 24-hour clock.
    pub pm: Option<bool>,
    /// The date order the AM/PM marker's locale uses, when it tells (`p. m.`: Spanish,
    /// day-first; lower-case `pm`: British, Australian and Indian English, day-first).
    pub locale_order: Option<DateOrder>,
    /// The first date field was written with a leading zero (`05/01`).
    pub padded: bool,
    /// The header's shape.
    pub sig: Signature,
    /// Byte offset in the line where the sender (or the system text) starts.
    pub body: usize,
}

/// How the date fields are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    /// dd/mm/yy(yy): most of the world.
    DayFirst,
    /// m/d/yy: the United States and a few others.
    MonthFirst,
    /// yyyy-mm-dd.
    YearFirst,
}

const LRM: &str = "\u{200E}";

#[inline(always)]
fn digits(b: &[u8], i: &mut usize, max: usize) -> Option<(u16, u8)> {
    let start = *i;
    let mut v: u16 = 0;
    while *i < b.len() && *i - start < max && b[*i].is_ascii_digit() {
        v = v * 10 + u16::from(b[*i] - b'0');
        *i += 1;
    }
    let n = *i - start;
    if n == 0 { None } else { Some((v, n as u8)) }
}

/// Skips one of the spaces that phones put before AM/PM or after a comma:
/// ASCII space, U+00A0 or U+202F.
#[inline(always)]
fn skip_space(b: &[u8], i: &mut usize) -> bool {
    if b.get(*i) == Some(&b' ') {
        *i += 1;
        true
    } else if b[*i..].starts_with("\u{00A0}".as_bytes()) {
        *i += 2;
        true
    } else if b[*i..].starts_with("\u{202F}".as_bytes()) {
        *i += 3;
        true
    } else {
        false
    }
}

/// AM/PM markers as phones write them, with the date order of the locales that write
/// them that way (when it is clear). Longest first so `a. m.` wins over `a`.
const MERIDIEMS: &[(&str, bool, Option<DateOrder>)] = &[
    ("a. m.", false, Some(DateOrder::DayFirst)),
    ("p. m.", true, Some(DateOrder::DayFirst)),
    ("a.\u{a0}m.", false, Some(DateOrder::DayFirst)),
    ("p.\u{a0}m.", true, Some(DateOrder::DayFirst)),
    ("a.\u{202f}m.", false, Some(DateOrder::DayFirst)),
    ("p.\u{202f}m.", true, Some(DateOrder::DayFirst)),
    ("a.m.", false, Some(DateOrder::DayFirst)),
    ("p.m.", true, Some(DateOrder::DayFirst)),
    ("A.M.", false, None),
    ("P.M.", true, None),
    ("AM", false, None),
    ("PM", true, None),
    ("am", false, Some(DateOrder::DayFirst)),
    ("pm", true, Some(DateOrder::DayFirst)),
    ("vorm.", false, Some(DateOrder::DayFirst)),
    ("nachm.", true, Some(DateOrder::DayFirst)),
    ("午前", false, None),
    ("午後", true, None),
    ("오전", false, None),
    ("오후", true, None),
    // Arabic: صباحًا / مساءً abbreviated to their first letters.
    ("ص", false, Some(DateOrder::DayFirst)),
    ("م", true, Some(DateOrder::DayFirst)),
];

/// Parses a header at the start of `line` (without its line ending).
///
/// Returns `None` for anything that is not a header. Does not check the date order or
/// the file's signatures; [`Layout::header`] does that.
pub fn parse_header(line: &str) -> Option<Header> {
    parse_header_bytes(line.as_bytes())
}

/// Bytes of a line's start that [`parse_header_bytes`] normalises when the header is
/// not plain ASCII; the longest header seen (Arabic digits, marks around each field) is
/// under 80.
const NORMALISED_SPAN: usize = 128;

/// [`parse_header`] on bytes that need not be valid UTF-8 (the survey pass reads raw
/// bytes). `body` is on a character boundary whenever the bytes are UTF-8.
///
/// Headers in any script's digits, with bidi marks or byte-order marks anywhere
/// (Arabic iOS: `[١٨‏/٣‏/٢٠٢٢، ٢:٥٦:٠٠ م]`; concatenated exports: U+FEFF at a line's
/// start) are read through a normalised copy of the line's start: digits become ASCII,
/// marks are dropped, the Arabic comma becomes `,`.
pub fn parse_header_bytes(b: &[u8]) -> Option<Header> {
    match b.first()? {
        b'0'..=b'9' | b'[' => {
            if let Some(h) = parse_plain(b) {
                return Some(h);
            }
        }
        c if c.is_ascii_alphabetic() => return parse_plain(b),
        c if *c >= 0x80 => {}
        _ => return None,
    }
    let span = &b[..b.len().min(NORMALISED_SPAN)];
    if span.is_ascii() {
        return None;
    }
    parse_normalised(span)
}

/// Whether `c` is an invisible mark that phones and tools put around dates, times and
/// names: bidi marks and embeddings, zero-width spaces and joiners, byte-order marks.
pub fn is_mark(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// The first code point of each run of ten decimal digits in Unicode (general category
/// Nd) outside ASCII, so a header written in any script's digits is read.
const DIGIT_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
];

/// The value of a decimal digit in any script.
pub fn digit_value(c: char) -> Option<u8> {
    if c.is_ascii_digit() {
        return Some(c as u8 - b'0');
    }
    let cp = c as u32;
    DIGIT_ZEROS
        .iter()
        .find(|&&z| (z..z + 10).contains(&cp))
        .map(|z| (cp - z) as u8)
}

fn parse_normalised(span: &[u8]) -> Option<Header> {
    let text = match std::str::from_utf8(span) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&span[..e.valid_up_to()]).ok()?,
    };
    let mut norm = [0u8; NORMALISED_SPAN];
    // ends[k]: the offset in `span` just after the character that gave norm[k].
    let mut ends = [0usize; NORMALISED_SPAN];
    let mut n = 0;
    for (at, c) in text.char_indices() {
        let end = at + c.len_utf8();
        if is_mark(c) {
            continue;
        }
        let mut buf = [0u8; 4];
        let bytes: &[u8] = match (c, digit_value(c)) {
            (_, Some(d)) => {
                buf[0] = b'0' + d;
                &buf[..1]
            }
            ('\u{060C}', _) => b",",
            _ => c.encode_utf8(&mut buf).as_bytes(),
        };
        for &byte in bytes {
            norm[n] = byte;
            ends[n] = end;
            n += 1;
        }
    }
    let mut h = parse_plain(&norm[..n])?;
    h.body = if h.body == 0 { 0 } else { ends[h.body - 1] };
    Some(h)
}

/// A date as written.
struct Date {
    fields: [u16; 3],
    sep: u8,
    year_first: bool,
    year_digits: u8,
    calendar: u8,
    padded: bool,
    month_name: bool,
}

/// First years of the Japanese eras, by the letter iOS writes (`R4/3/27`, `3/27/R4`).
const JAPANESE_ERAS: &[(u8, u16)] = &[
    (b'M', 1868),
    (b'T', 1912),
    (b'S', 1926),
    (b'H', 1989),
    (b'R', 2019),
];

/// A date field, or a year written with a Japanese era letter: (value, width, era
/// start year or 0).
#[inline(always)]
fn field(b: &[u8], i: &mut usize, max: usize) -> Option<(u16, u8, u16)> {
    let (v, w) = match digits(b, i, max) {
        Some(d) => d,
        None => return era_year(b, i),
    };
    Some((v, w, 0))
}

/// A year written with a Japanese era letter (`R4`): (year in the era, width, the
/// era's first year).
#[cold]
fn era_year(b: &[u8], i: &mut usize) -> Option<(u16, u8, u16)> {
    if let Some(&(_, start)) = JAPANESE_ERAS.iter().find(|(l, _)| b.get(*i) == Some(l)) {
        if b.get(*i + 1).is_some_and(u8::is_ascii_digit) {
            *i += 1;
            let (v, w) = digits(b, i, 2)?;
            return Some((v, w, start));
        }
    }
    None
}

/// Month names and abbreviations (English, French, German, Spanish, Italian,
/// Portuguese, Dutch), matched on a word's start, lower case.
const MONTHS: &[(&str, u16)] = &[
    ("jan", 1),
    ("ene", 1),
    ("gen", 1),
    ("feb", 2),
    ("fév", 2),
    ("fev", 2),
    ("mar", 3),
    ("mär", 3),
    ("mrz", 3),
    ("maa", 3),
    ("apr", 4),
    ("avr", 4),
    ("abr", 4),
    ("may", 5),
    ("mai", 5),
    ("mei", 5),
    ("mag", 5),
    ("jun", 6),
    ("juin", 6),
    ("giu", 6),
    ("jul", 7),
    ("juil", 7),
    ("lug", 7),
    ("aug", 8),
    ("aoû", 8),
    ("ago", 8),
    ("sep", 9),
    ("set", 9),
    ("oct", 10),
    ("okt", 10),
    ("out", 10),
    ("ott", 10),
    ("nov", 11),
    ("dec", 12),
    ("déc", 12),
    ("dez", 12),
    ("dic", 12),
];

/// A month name at `i` (letters, then an optional `.`), as its number.
fn month_name(b: &[u8], i: &mut usize) -> Option<u16> {
    let len = b[*i..]
        .iter()
        .take(12)
        .take_while(|c| c.is_ascii_alphabetic() || **c >= 0x80)
        .count();
    let word = &b[*i..*i + len];
    // Longest prefix first: `juin` and `juil` before `jun` and `jul`.
    let month = MONTHS
        .iter()
        .filter(|(p, _)| {
            word.len() >= p.len() && word[..p.len()].eq_ignore_ascii_case(p.as_bytes())
        })
        .max_by_key(|(p, _)| p.len())?
        .1;
    *i += len;
    if b.get(*i) == Some(&b'.') {
        *i += 1;
    }
    Some(month)
}

/// `Jan 5`, `5 Jan`, `5. Jan.`, each with an optional year (`, 2024` or ` 2024`).
fn parse_named_date(b: &[u8], i: &mut usize) -> Option<Date> {
    let mut j = *i;
    let (day, month) = if b.get(j).is_some_and(u8::is_ascii_digit) {
        let (d, _) = digits(b, &mut j, 2)?;
        if b.get(j) == Some(&b'.') {
            j += 1;
        }
        if !skip_space(b, &mut j) {
            return None;
        }
        (d, month_name(b, &mut j)?)
    } else {
        let m = month_name(b, &mut j)?;
        if !skip_space(b, &mut j) {
            return None;
        }
        (digits(b, &mut j, 2)?.0, m)
    };
    if !(1..=31).contains(&day) {
        return None;
    }
    // A year follows when four digits come next and are not the hour.
    let mut year = 0;
    let mut k = j;
    if b.get(k) == Some(&b',') {
        k += 1;
    }
    if skip_space(b, &mut k) {
        if let Some((y, 4)) = digits(b, &mut k, 4) {
            if !matches!(b.get(k), Some(b':' | b'.')) {
                year = y;
                j = k;
            }
        }
    }
    *i = j;
    Some(Date {
        fields: [day, month, year],
        sep: b' ',
        year_first: false,
        // The same phone writes the year only for other years than the current one:
        // both are one shape.
        year_digits: 0,
        calendar: GREGORIAN,
        padded: false,
        month_name: true,
    })
}

#[inline(always)]
fn parse_date(b: &[u8], i: &mut usize) -> Option<Date> {
    if !b.get(*i).is_some_and(u8::is_ascii_digit) || b[*i..].iter().take(4).any(|&c| c == b' ') {
        if let Some(d) = parse_named_date(b, i) {
            return Some(d);
        }
    }
    let padded = b.get(*i) == Some(&b'0');
    let (f0, w0, era0) = field(b, i, 4)?;
    let sep = *b.get(*i)?;
    if !matches!(sep, b'/' | b'.' | b'-') {
        return None;
    }
    *i += 1;
    if sep == b'.' && b.get(*i) == Some(&b' ') {
        *i += 1;
    }
    let (f1, w1) = digits(b, i, 2)?;
    if *b.get(*i)? != sep {
        return None;
    }
    *i += 1;
    if sep == b'.' && b.get(*i) == Some(&b' ') {
        *i += 1;
    }
    let (f2, w2, era2) = field(b, i, 4)?;
    let year_first = w0 == 4 || era0 > 0;
    let era = era0.max(era2);
    let year_digits = if year_first { w0 } else { w2 };
    if w1 > 2 || (year_first && w2 > 2) || (!year_first && w0 > 2) {
        return None;
    }
    if era == 0 && !(year_digits == 2 || year_digits == 4) {
        return None;
    }
    if sep == b'.' && b.get(*i) == Some(&b'.') {
        *i += 1;
    }
    let mut fields = [f0, f1, f2];
    let y = if year_first { 0 } else { 2 };
    let mut calendar = GREGORIAN;
    if era > 0 {
        fields[y] = era + fields[y].max(1) - 1;
        calendar = JAPANESE;
    } else {
        let maybe_era = b.get(*i) == Some(&b' ') && matches!(b.get(*i + 1), Some(b'B' | 0xE0));
        for suffix in [" BE", " B.E.", " พ.ศ."].iter().filter(|_| maybe_era) {
            let after = b.get(*i + suffix.len());
            if b[*i..].starts_with(suffix.as_bytes()) && !after.is_some_and(u8::is_ascii_alphabetic)
            {
                *i += suffix.len();
                calendar = BUDDHIST;
            }
        }
        // No Gregorian chat is dated after 2400: such a year is the Buddhist era's.
        if calendar == BUDDHIST || (year_digits == 4 && fields[y] >= 2400) {
            fields[y] = fields[y].saturating_sub(543);
            calendar = BUDDHIST;
        }
    }
    Some(Date {
        fields,
        sep,
        year_first,
        year_digits,
        calendar,
        padded,
        month_name: false,
    })
}

/// A time as written.
struct Time {
    hour: u8,
    minute: u8,
    second: u8,
    seconds: bool,
    pm: Option<bool>,
    locale_order: Option<DateOrder>,
}

#[inline(always)]
fn parse_time(b: &[u8], i: &mut usize) -> Option<Time> {
    let (hour, _) = digits(b, i, 2)?;
    // `10:01`, or `10.01` in Danish and Finnish locales.
    let time_sep = *b.get(*i)?;
    if time_sep != b':' && time_sep != b'.' {
        return None;
    }
    *i += 1;
    let (minute, wm) = digits(b, i, 2)?;
    if wm != 2 || hour > 23 || minute > 59 {
        return None;
    }
    let mut second = 0;
    let mut seconds = false;
    if b.get(*i) == Some(&time_sep) && b.get(*i + 1).is_some_and(u8::is_ascii_digit) {
        *i += 1;
        let (s, ws) = digits(b, i, 2)?;
        if ws != 2 || s > 60 {
            return None;
        }
        second = s as u8;
        seconds = true;
    }
    let mut pm = None;
    let mut locale_order = None;
    let mut j = *i;
    skip_space(b, &mut j);
    // Every marker starts with a letter or a non-ASCII character; `-`, `]` and `:` do not.
    if b.get(j)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c >= 0x80)
    {
        for (m, is_pm, order) in MERIDIEMS {
            if b[j..].starts_with(m.as_bytes()) {
                pm = Some(*is_pm);
                locale_order = *order;
                *i = j + m.len();
                break;
            }
        }
    }
    if pm.is_some() && !(1..=12).contains(&hour) {
        return None;
    }
    Some(Time {
        hour: hour as u8,
        minute: minute as u8,
        second,
        seconds,
        pm,
        locale_order,
    })
}

/// Skips what separates a date from a time: `, `, `,`, ` `, or a short word between
/// spaces (Finnish ` klo `, Danish ` kl. `).
#[inline(always)]
fn date_time_gap(b: &[u8], i: &mut usize) -> bool {
    match b.get(*i) {
        Some(b',') => {
            *i += 1;
            skip_space(b, i);
            true
        }
        Some(_) if skip_space(b, i) => {
            let word = b[*i..]
                .iter()
                .take(5)
                .take_while(|c| c.is_ascii_lowercase())
                .count();
            if (1..=4).contains(&word) {
                let mut j = *i + word;
                if b.get(j) == Some(&b'.') {
                    j += 1;
                }
                if skip_space(b, &mut j) {
                    *i = j;
                }
            }
            true
        }
        _ => false,
    }
}

/// Parses a header whose date and time are in ASCII digits (markers may be anything).
fn parse_plain(b: &[u8]) -> Option<Header> {
    let mut i = 0;
    let bracketed = b.first() == Some(&b'[');
    if bracketed {
        i += 1;
    }
    let rest = &b[i..];
    let time_first = rest
        .iter()
        .take(3)
        .position(|&c| c == b':')
        .is_some_and(|p| p > 0 && rest[..p].iter().all(u8::is_ascii_digit));
    let (date, time) = if time_first {
        let t = parse_time(b, &mut i)?;
        if !date_time_gap(b, &mut i) {
            return None;
        }
        (parse_date(b, &mut i)?, t)
    } else {
        let d = parse_date(b, &mut i)?;
        if !date_time_gap(b, &mut i) {
            return None;
        }
        (d, parse_time(b, &mut i)?)
    };
    let after;
    if bracketed {
        // Be liberal inside the brackets: some locales write other markers there.
        let close = b[i..].iter().take(16).position(|&c| c == b']')?;
        i += close + 1;
        after = b']';
        skip_space(b, &mut i);
    } else if b[i..].starts_with(b" - ") {
        i += 3;
        after = b'-';
    } else if b[i..].starts_with(" \u{2013} ".as_bytes()) {
        i += 5;
        after = b'-';
    } else if b[i..].starts_with(b": ") {
        i += 2;
        after = b':';
    } else {
        return None;
    }
    Some(Header {
        fields: date.fields,
        hour: time.hour,
        minute: time.minute,
        second: time.second,
        pm: time.pm,
        locale_order: time.locale_order,
        padded: date.padded,
        sig: Signature {
            bracketed,
            date_sep: date.sep,
            year_first: date.year_first,
            year_digits: date.year_digits,
            seconds: time.seconds,
            twelve_hour: time.pm.is_some(),
            after,
            time_first,
            calendar: date.calendar,
            month_name: date.month_name,
        },
        body: i,
    })
}

impl Header {
    /// The date as (year, month, day) under `order`, if it is a valid date.
    pub fn ymd(&self, order: DateOrder) -> Option<(u16, u8, u8)> {
        let [a, b, c] = self.fields;
        let (y, m, d) = match order {
            _ if self.sig.year_first => (a, b, c),
            _ if self.sig.month_name => (c, b, a),
            DateOrder::YearFirst | DateOrder::DayFirst => (c, b, a),
            DateOrder::MonthFirst => (c, a, b),
        };
        let y = if self.sig.year_digits == 2 && self.sig.calendar == GREGORIAN {
            2000 + y
        } else {
            y
        };
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        Some((y, m as u8, d as u8))
    }

    /// The time on a 24-hour clock.
    pub fn hms(&self) -> (u8, u8, u8) {
        let h = match self.pm {
            None => self.hour,
            Some(false) => self.hour % 12,
            Some(true) => self.hour % 12 + 12,
        };
        (h, self.minute, self.second)
    }

    /// ISO 8601 local time (`2024-01-05T22:01:00`), trying `order` first and the other
    /// reading when the date is impossible under it.
    pub fn iso_time(&self, order: DateOrder) -> String {
        let other = match order {
            DateOrder::MonthFirst => DateOrder::DayFirst,
            _ => DateOrder::MonthFirst,
        };
        let (y, mo, d) = self
            .ymd(order)
            .or_else(|| self.ymd(other))
            .unwrap_or((0, 0, 0));
        let (h, mi, s) = self.hms();
        let mut out = String::with_capacity(19);
        if self.sig.month_name && y == 0 {
            // No year in the export: ISO 8601's month-day form, not a guessed year.
            let _ = write!(out, "--{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
        } else {
            let _ = write!(out, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
        }
        out
    }
}

/// Evidence about a file's headers, gathered over the whole file and mergeable, so
/// big files can be surveyed in parallel blocks.
#[derive(Clone, Debug, Default)]
pub struct Survey {
    /// Header count per signature.
    pub signatures: Vec<(Signature, u64)>,
    /// Headers whose first field is over 12 (so it must be the day).
    pub first_over_12: u64,
    /// Headers whose second field is over 12 (so the first must be the month).
    pub second_over_12: u64,
    /// Headers whose fields had leading zeros (`05/01`), a day-first habit.
    pub zero_padded: u64,
    /// Headers whose AM/PM marker belongs to day-first locales (`p. m.`, `pm`).
    pub locale_day_first: u64,
    /// How far apart consecutive headers' dates are, in days (each step capped), read
    /// day-first and month-first: messages come in time order, so the right reading
    /// walks forward in small steps and the wrong one jumps about by months.
    pub distance: [u64; 2],
    /// The last header's day numbers under both readings, for [`Survey::distance`].
    last_days: Option<[i64; 2]>,
    /// Lines seen.
    pub lines: u64,
    /// Distinct senders as written, at most [`MAX_PARTICIPANTS`].
    pub senders: std::collections::HashSet<Vec<u8>>,
}

/// Most senders a survey keeps: the chat's participants, whose names the scanner
/// attributes to staff (a ward group's members are staff, not patients).
pub const MAX_PARTICIPANTS: usize = 256;

impl Survey {
    /// Records one line.
    pub fn line(&mut self, line: &[u8]) {
        self.lines += 1;
        if let Some(h) = parse_header_bytes(line) {
            self.header(&h, line);
        }
    }

    fn header(&mut self, h: &Header, line: &[u8]) {
        match self.signatures.iter_mut().find(|(s, _)| *s == h.sig) {
            Some((_, n)) => *n += 1,
            None => self.signatures.push((h.sig, 1)),
        }
        // Most header lines are from a sender already seen: what `parse_body` would
        // return as the sender is the text before the first `: `, so when that is known
        // the line's UTF-8 check and full parse are skipped (they could only insert it
        // again).
        let known = line
            .get(h.body..)
            .and_then(|rest| rest.windows(2).position(|w| w == b": ").map(|c| &rest[..c]))
            .is_some_and(|candidate| self.senders.contains(candidate));
        if !known && self.senders.len() < MAX_PARTICIPANTS {
            if let Ok(text) = std::str::from_utf8(line) {
                if let Some((s, e)) = parse_body(text, h.body).sender {
                    if !self.senders.contains(&line[s..e]) {
                        self.senders.insert(line[s..e].to_vec());
                    }
                }
            }
        }
        if !h.sig.year_first && !h.sig.month_name {
            if h.fields[0] > 12 {
                self.first_over_12 += 1;
            }
            if h.fields[1] > 12 {
                self.second_over_12 += 1;
            }
            if h.padded {
                self.zero_padded += 1;
            }
            if h.locale_order == Some(DateOrder::DayFirst) {
                self.locale_day_first += 1;
            }
            let day = |o| {
                h.ymd(o)
                    .map(|(y, m, d)| i64::from(y) * 372 + i64::from(m) * 31 + i64::from(d))
            };
            if let (Some(df), Some(mf)) = (day(DateOrder::DayFirst), day(DateOrder::MonthFirst)) {
                if let Some([pdf, pmf]) = self.last_days {
                    self.distance[0] += (df - pdf).unsigned_abs().min(400);
                    self.distance[1] += (mf - pmf).unsigned_abs().min(400);
                }
                self.last_days = Some([df, mf]);
            }
        }
    }

    /// Surveys every line of `text` (bytes: invalid UTF-8 is the scan's business).
    pub fn text(&mut self, text: &[u8]) {
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', text).chain(std::iter::once(text.len())) {
            let line = &text[start..end];
            self.line(line.strip_suffix(b"\r").unwrap_or(line));
            start = end + 1;
        }
    }

    /// Adds another block's survey.
    pub fn merge(&mut self, other: &Survey) {
        for (sig, n) in &other.signatures {
            match self.signatures.iter_mut().find(|(s, _)| s == sig) {
                Some((_, m)) => *m += n,
                None => self.signatures.push((*sig, *n)),
            }
        }
        self.first_over_12 += other.first_over_12;
        self.second_over_12 += other.second_over_12;
        self.zero_padded += other.zero_padded;
        self.locale_day_first += other.locale_day_first;
        self.distance[0] += other.distance[0];
        self.distance[1] += other.distance[1];
        self.lines += other.lines;
        for s in &other.senders {
            if self.senders.len() >= MAX_PARTICIPANTS {
                break;
            }
            self.senders.insert(s.clone());
        }
    }

    /// Total header lines.
    pub fn headers(&self) -> u64 {
        self.signatures.iter().map(|(_, n)| n).sum()
    }

    /// Decides the layout of the file: the accepted signatures and the date order.
    ///
    /// Signatures: the dominant one, the same with the other clock (the 24-hour
    /// setting can change during a chat's life), and any other seen at least 5 times and
    /// at least a quarter as often (a file concatenated from two phones). A look-alike typed
    /// into a message (`[4/11/24, 10:00] …` in an export whose headers read
    /// `[12/03/2024, 14:05:33]`) differs in date style or seconds and stays part of
    /// its message. Date order: year-first when the
    /// dominant signature is; otherwise a day over 12 decides; with no such evidence
    /// (a chat shorter than two weeks), the reading under which the dates walk forward
    /// in the smallest steps across the whole file; when that does not tell (every
    /// message on one day), the locale of the AM/PM marker (`p. m.`, lower-case `pm`:
    /// day-first); then zero-padded dates or a 24-hour clock or dots mean day-first and
    /// anything else means month-first (the US default `1/5/24, 10:01 PM`).
    pub fn layout(&self) -> Option<Layout> {
        let (top_sig, top) = self.signatures.iter().max_by_key(|(s, n)| (*n, *s))?;
        let mut accepted: Vec<Signature> = self
            .signatures
            .iter()
            .filter(|(s, n)| {
                let same_shape = Signature {
                    twelve_hour: top_sig.twelve_hour,
                    ..*s
                } == *top_sig;
                same_shape || (*n >= 5 && n * 4 >= *top)
            })
            .map(|(s, _)| *s)
            .collect();
        accepted.sort();
        let order = if top_sig.year_first {
            DateOrder::YearFirst
        } else if self.first_over_12 > self.second_over_12 {
            DateOrder::DayFirst
        } else if self.second_over_12 > self.first_over_12 {
            DateOrder::MonthFirst
        } else if self.distance[0] != self.distance[1] {
            if self.distance[0] < self.distance[1] {
                DateOrder::DayFirst
            } else {
                DateOrder::MonthFirst
            }
        } else if self.locale_day_first * 2 > self.headers()
            || self.zero_padded * 2 > self.headers()
            || !top_sig.twelve_hour
            || top_sig.date_sep == b'.'
        {
            DateOrder::DayFirst
        } else {
            DateOrder::MonthFirst
        };
        let mut participants: Vec<String> = self
            .senders
            .iter()
            .filter_map(|s| std::str::from_utf8(s).ok())
            .map(clean_sender)
            .filter(|s| !s.is_empty())
            .collect();
        participants.sort_unstable();
        participants.dedup();
        Some(Layout {
            accepted,
            order,
            ios: top_sig.bracketed || top_sig.after == b':',
            participants,
        })
    }
}

/// What [`Survey::layout`] decided about one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Header shapes accepted as message starts.
    pub accepted: Vec<Signature>,
    /// How dates are read.
    pub order: DateOrder,
    /// The export came from iOS (bracketed or `TIME: ` headers).
    pub ios: bool,
    /// The chat's senders, cleaned and sorted: names the scanner takes for staff.
    pub participants: Vec<String>,
}

impl Layout {
    /// Parses `line` as a header of this file, or `None` if it is a continuation line.
    pub fn header(&self, line: &str) -> Option<Header> {
        let h = parse_header(line)?;
        if self.accepted.contains(&h.sig) {
            Some(h)
        } else {
            None
        }
    }
}

/// What a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    /// Typed text.
    Text,
    /// A media or document placeholder (`<Media omitted>`, `<attached: …>`).
    Media,
    /// A system line (encryption notice, joins and leaves, subject changes) or a
    /// deleted-message marker.
    System,
}

impl MessageKind {
    /// The name used in reports: `text`, `media` or `system`.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Text => "text",
            MessageKind::Media => "media",
            MessageKind::System => "system",
        }
    }
}

/// The parts of a header line after the date and time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    /// The sender as written (marks included); `None` for system lines.
    pub sender: Option<(usize, usize)>,
    /// Byte range of the message text in the line.
    pub text: (usize, usize),
    /// What the message is.
    pub kind: MessageKind,
    /// A system line WhatsApp certainly wrote (U+200E mark or a known phrase): only
    /// its quoted parts (a group subject) are user text. An unrecognised sender-less
    /// line is scanned whole, so a typed line that looks like a header loses nothing.
    pub known_system: bool,
}

/// Phrases of sender-less system lines (besides those in [`SYSTEM_PHRASES`]).
const SYSTEM_LINES: &[&str] = &[
    "Messages and calls are end-to-end encrypted",
    "end-to-end encryption",
    "security code",
    " joined from the community",
    " is now an admin",
    "no longer an admin",
    "You were added",
    "You joined",
    "You're now an admin",
    " deleted this group's icon",
    " changed the settings",
    "Missed voice call",
    "Missed video call",
    "disappearing messages",
    "message timer",
    "This chat is with a business account",
    "This message was deleted",
    "You deleted this message",
];

/// Whether a sender-less line is one WhatsApp writes.
fn known_system(text: &str) -> bool {
    let t = text.trim_end();
    t.ends_with(" left")
        || SYSTEM_PHRASES.iter().any(|p| t.contains(p.trim_end()))
        || SYSTEM_LINES.iter().any(|p| t.contains(p))
}

/// Phrases that mark a system line whose text happens to contain `": "`.
const SYSTEM_PHRASES: &[&str] = &[
    " changed the subject",
    " changed this group's",
    " changed the group",
    " created group",
    " created this group",
    " added ",
    " removed ",
    " joined using",
    " changed their phone number",
    " changed to ",
    " pinned a message",
    " turned on disappearing",
    " turned off disappearing",
];

const DELETED: &[&str] = &[
    "This message was deleted",
    "You deleted this message",
    "This message was deleted.",
    "You deleted this message.",
    "Waiting for this message",
];

const OMITTED: &[&str] = &[
    "<Media omitted>",
    "image omitted",
    "video omitted",
    "audio omitted",
    "sticker omitted",
    "GIF omitted",
    "document omitted",
    "Contact card omitted",
    "<Medien ausgelassen>",
    "<Multimedia omitido>",
    "<Média omis>",
    "null",
];

/// The edit marker WhatsApp appends to edited messages.
pub const EDITED: &str = "<This message was edited>";

/// Splits the part of a header line after the date and time into sender and text and
/// classifies it.
pub fn parse_body(line: &str, body: usize) -> Body {
    let rest = &line[body..];
    let end = line.len();
    if rest.starts_with(LRM) {
        // iOS system line without a sender: "‎Sister Jones added Dave".
        return Body {
            sender: None,
            text: (body + LRM.len(), end),
            kind: MessageKind::System,
            known_system: true,
        };
    }
    let rb = rest.as_bytes();
    // Senders are short: a plain loop beats memchr's set-up here.
    let colon = rb.windows(2).position(|w| w == b": ").or_else(|| {
        if rest.ends_with(':') {
            Some(rest.len() - 1)
        } else {
            None
        }
    });
    let Some(colon) = colon else {
        return Body {
            sender: None,
            text: (body, end),
            kind: MessageKind::System,
            known_system: known_system(rest),
        };
    };
    let candidate = &rest[..colon];
    let phrase =
        has_lowercase_word(candidate) && SYSTEM_PHRASES.iter().any(|p| candidate.contains(p));
    if candidate.is_empty() || phrase || candidate.contains(['"', '“', '”', '„', '«', '»'])
    {
        return Body {
            sender: None,
            text: (body, end),
            kind: MessageKind::System,
            known_system: phrase,
        };
    }
    let text_start = (body + colon + 2).min(end);
    let text = &line[text_start..];
    let kind = classify(text);
    // iOS writes system text under the group's name, marked with U+200E: the "sender"
    // is then the group, not a participant.
    let group_notice = kind == MessageKind::System && text.starts_with(LRM);
    Body {
        sender: (!group_notice).then_some((body, body + colon)),
        text: (text_start, end),
        kind,
        known_system: kind == MessageKind::System,
    }
}

/// Whether `s` has a space followed by a lower-case ASCII letter, as every system
/// phrase does (" added ", " changed the subject"); cheap gate before the phrase list.
fn has_lowercase_word(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b' ', b).any(|i| b.get(i + 1).is_some_and(u8::is_ascii_lowercase))
}

fn classify(text: &str) -> MessageKind {
    let t = text.trim_start_matches(['\u{200E}', '\u{200F}']).trim_end();
    if DELETED.contains(&t) {
        return MessageKind::System;
    }
    if OMITTED.contains(&t)
        || (memchr::memchr(b'<', t.as_bytes()).is_some() && t.contains("<attached: "))
        || t.ends_with(" (file attached)")
        || t.ends_with(" (Datei angehängt)")
        || t.ends_with(" (archivo adjunto)")
    {
        return MessageKind::Media;
    }
    if text.starts_with('\u{200E}') && known_system(t) {
        // iOS system text under the group's name: "‎Messages and calls are end-to-end
        // encrypted." Other text after U+200E may be typed (pasted text, RTL
        // keyboards), so it is scanned as a message.
        return MessageKind::System;
    }
    MessageKind::Text
}

/// Removes the invisible marks WhatsApp puts around senders (U+200E, U+202A–U+202E,
/// U+2066–U+2069, the `~`+U+202F before non-contacts) and turns no-break spaces into
/// spaces.
pub fn clean_sender(raw: &str) -> String {
    let mut s = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}' => {}
            '\u{00A0}' | '\u{202F}' => s.push(' '),
            _ => s.push(c),
        }
    }
    let t = s.trim();
    // `~` marks a sender who is not in the phone's contacts; alone, it is the whole
    // name the export gives.
    match t.strip_prefix('~').map(str::trim_start) {
        Some("") | None => t.to_owned(),
        Some(name) => name.to_owned(),
    }
}

/// Byte ranges inside a message text that must not be reported: WhatsApp's own
/// attachment names (`00000012-PHOTO-2024-01-05-10-04-00.jpg`,
/// `IMG-20240105-WA0003.jpg`), the numbered prefix of named documents, the edit marker,
/// and @mentions of participants (`@` U+2068 `Dave` U+2069, `@447700900123`).
pub fn exclusions(text: &str, out: &mut Vec<(usize, usize)>) {
    let b = text.as_bytes();
    // Most texts have none of the characters these start with.
    if !b.iter().any(|&c| c == b'<' || c == b'@' || c == b'-') {
        return;
    }
    let has_lt = memchr::memchr(b'<', b).is_some();
    if has_lt {
        if let Some(p) = text.find(EDITED) {
            out.push((p, p + EDITED.len()));
        }
    }
    if memchr::memchr(b'@', b).is_some() {
        mentions(text, out);
    }
    if has_lt {
        ios_attachments(text, out);
    }
    if memchr::memchr(b'-', b).is_some() {
        android_attachments(text, out);
    }
}

fn mentions(text: &str, out: &mut Vec<(usize, usize)>) {
    let mut from = 0;
    while let Some(p) = text[from..].find('@') {
        let at = from + p;
        let after = &text[at + 1..];
        if let Some(inner) = after.strip_prefix('\u{2068}') {
            let Some(close) = inner.find('\u{2069}') else {
                // Unclosed: the mention runs to the end, and so would every later one.
                out.push((at, text.len()));
                return;
            };
            out.push((at, at + 1 + close + 6));
        } else {
            let n = after.bytes().take_while(u8::is_ascii_digit).count();
            if n >= 6 {
                out.push((at, at + 1 + n));
            }
        }
        from = at + 1;
    }
}

fn ios_attachments(text: &str, out: &mut Vec<(usize, usize)>) {
    let mut from = 0;
    while let Some(p) = text[from..].find("<attached: ") {
        let name_start = from + p + "<attached: ".len();
        let name_end = text[name_start..]
            .find('>')
            .map_or(text.len(), |e| name_start + e);
        let name = &text[name_start..name_end];
        let prefix = name.bytes().take_while(u8::is_ascii_digit).count();
        if prefix >= 6 && name.as_bytes().get(prefix) == Some(&b'-') {
            if generated_ios(&name[prefix + 1..]) {
                out.push((name_start, name_end));
            } else {
                out.push((name_start, name_start + prefix + 1));
            }
        }
        from = name_end;
    }
}

fn android_attachments(text: &str, out: &mut Vec<(usize, usize)>) {
    // "IMG-20240105-WA0003.jpg (file attached)".
    let b = text.as_bytes();
    let hits = memchr::memchr_iter(b'-', b).filter(|&i| b[i + 1..].starts_with(b"WA"));
    for i in hits {
        // `IMG-20240105` is 12 bytes: look no further back, so a long run of
        // letters and dashes costs no more than a short one.
        let back = &text[..i];
        let start = match back
            .char_indices()
            .rev()
            .take(13)
            .find(|&(_, c)| !c.is_ascii_alphanumeric() && c != '-')
        {
            Some((s, c)) => s + c.len_utf8(),
            None if back.len() <= 12 => 0,
            None => continue,
        };
        let end = i
            + 3
            + b[i + 3..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'.')
                .count();
        if generated_android(&text[start..end]) {
            out.push((start, end));
        }
    }
}

fn generated_ios(name: &str) -> bool {
    // PHOTO-2024-01-05-10-04-00.jpg, AUDIO-…, VIDEO-…, STICKER-…, GIF-…
    let Some((kind, rest)) = name.split_once('-') else {
        return false;
    };
    kind.bytes().all(|c| c.is_ascii_uppercase())
        && rest.len() >= 19
        && rest.as_bytes()[..19]
            .iter()
            .all(|c| c.is_ascii_digit() || *c == b'-')
}

fn generated_android(name: &str) -> bool {
    // IMG-20240105-WA0003.jpg, VID-…, PTT-…, AUD-…, DOC-…, STK-…
    let mut parts = name.splitn(3, '-');
    let (Some(kind), Some(date), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    kind.len() == 3
        && kind.bytes().all(|c| c.is_ascii_uppercase())
        && date.len() == 8
        && date.bytes().all(|c| c.is_ascii_digit())
        && rest.starts_with("WA")
}

/// Byte ranges of quoted text (`"…"`, `“…”`, `«…»`, `„…“`) in a system line: the
/// group subject or description a user typed, which is scanned, unlike the
/// participants' names around it.
pub fn quoted(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some((i, c)) = text[pos..]
        .char_indices()
        .find(|(_, c)| matches!(c, '"' | '“' | '«' | '„'))
    {
        let close = match c {
            '“' => '”',
            '«' => '»',
            '„' => '“',
            _ => '"',
        };
        let start = pos + i + c.len_utf8();
        let Some(e) = text[start..].find(close) else {
            break;
        };
        out.push((start, start + e));
        pos = start + e + close.len_utf8();
    }
    out
}
