//! Digit-group detectors: NHS, CHI and H&C numbers, numeric dates and UK phone numbers.
//! They read the raw bytes from the start of a number token, so one pass covers them all.

use super::Kind;
use super::candidate::Cand;

/// Most digit groups looked at from one starting point.
const MAX_GROUPS: usize = 6;

#[derive(Debug, Clone, Copy, Default)]
struct Group {
    start: usize,
    end: usize,
    /// The separator after this group (0 when none), as a class byte.
    sep: u8,
    /// End of the separator after this group.
    sep_end: usize,
}

/// Separator classes.
const SPACE: u8 = b' ';

fn sep_at(bytes: &[u8], i: usize) -> Option<(u8, usize)> {
    match bytes.get(i)? {
        b' ' => Some((SPACE, 1)),
        b'-' => Some((b'-', 1)),
        b'/' => Some((b'/', 1)),
        b'.' => Some((b'.', 1)),
        0xC2 if bytes.get(i + 1) == Some(&0xA0) => Some((SPACE, 2)),
        0xE2 if bytes.get(i + 1) == Some(&0x80)
            && matches!(bytes.get(i + 2), Some(0x89 | 0xAF | 0x8A | 0x88)) =>
        {
            Some((SPACE, 3))
        }
        0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0x93) => {
            // en dash
            Some((b'-', 3))
        }
        _ => None,
    }
}

fn digits_end(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

fn groups_from(bytes: &[u8], start: usize, out: &mut [Group; MAX_GROUPS]) -> usize {
    let mut n = 0;
    let mut i = start;
    while n < MAX_GROUPS {
        let end = digits_end(bytes, i);
        if end == i {
            break;
        }
        let mut g = Group {
            start: i,
            end,
            sep: 0,
            sep_end: end,
        };
        if let Some((sep, len)) = sep_at(bytes, end) {
            if bytes.get(end + len).is_some_and(u8::is_ascii_digit) {
                g.sep = sep;
                g.sep_end = end + len;
            }
        }
        out[n] = g;
        n += 1;
        if g.sep == 0 {
            break;
        }
        i = g.sep_end;
    }
    n
}

/// Whether the 10 ASCII digits form a valid NHS-family number, exactly as the PyPI
/// `nhs-number` package's `is_valid` decides: modulus 11 check digit (a remainder giving
/// 10 is invalid, 11 means 0), and in the CHI range (0100000000 to 3112999999) the first
/// six digits must be a real DDMMYY date.
pub fn is_valid_nhs_number(digits: &str) -> bool {
    let d = digits.as_bytes();
    if d.len() != 10 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let v = |i: usize| u32::from(d[i] - b'0');
    let value: u64 = digits.parse().unwrap_or(0);
    if (100_000_000..=3_112_999_999).contains(&value)
        && !ddmmyy_valid(v(0) * 10 + v(1), v(2) * 10 + v(3), v(4) * 10 + v(5))
    {
        return false;
    }
    let sum: u32 = (0..9).map(|i| v(i) * (10 - i as u32)).sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == v(9)
}

fn ddmmyy_valid(dd: u32, mm: u32, yy: u32) -> bool {
    // %y maps 00-68 to 20xx and 69-99 to 19xx; either way yy % 4 == 0 is a leap year
    // (2000 was one).
    day_valid(dd, mm, yy % 4 == 0)
}

fn day_valid(dd: u32, mm: u32, leap: bool) -> bool {
    let max = match mm {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=max).contains(&dd)
}

/// Whether a day, month and full year form a real date in 1850..=2099.
pub(crate) fn date_valid(dd: u32, mm: u32, year: u32) -> bool {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    (1850..=2099).contains(&year) && day_valid(dd, mm, leap)
}

fn num(bytes: &[u8], g: &Group) -> u32 {
    bytes[g.start..g.end]
        .iter()
        .take(9)
        .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'))
}

/// Two-digit years: 00..=29 read as 20xx, the rest as 19xx.
pub(crate) fn full_year(y: u32, digits: usize) -> u32 {
    if digits == 2 {
        if y < 30 { 2000 + y } else { 1900 + y }
    } else {
        y
    }
}

fn boundary_ok(bytes: &[u8], start: usize, end: usize) -> bool {
    let before = start.checked_sub(1).and_then(|i| bytes.get(i)).copied();
    let after = bytes.get(end).copied();
    // glued to a letter, a digit or a mask star: part of something longer
    let glued = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'*');
    // a separator then more digits (or stars): "1.5" decimals, "9-08-1-08-1960" runs
    let digitish = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_digit() || *b == b'*');
    let sep = |b: Option<u8>| matches!(b, Some(b'.' | b'-' | b'/'));
    let run_before = sep(before) && start >= 2 && digitish(bytes.get(start - 2));
    let run_after = sep(after) && digitish(bytes.get(end + 1));
    !glued(before) && !glued(after) && !run_before && !run_after
}

/// Looks for identifiers starting at the number token that begins at `start`. Returns
/// the end of what was consumed (so later tokens inside it are skipped) or `start`.
pub(crate) fn scan_at(text: &str, start: usize, out: &mut Vec<Cand>) -> usize {
    let bytes = text.as_bytes();
    let mut gs = [Group::default(); MAX_GROUPS];
    let n = groups_from(bytes, start, &mut gs);
    let g = &gs[..n];
    if n == 0 {
        return start;
    }
    // NHS family: ten digits, or 3-3-4 with one kind of separator.
    let ten = if g[0].end - g[0].start == 10 {
        Some((g[0].end, 1))
    } else if n >= 3
        && g[0].end - g[0].start == 3
        && g[1].end - g[1].start == 3
        && g[2].end - g[2].start == 4
        && g[0].sep == g[1].sep
        && (g[0].sep == SPACE || g[0].sep == b'-' || g[0].sep == b'.')
    {
        Some((g[2].end, 3))
    } else if n >= 2
        && g[0].end - g[0].start == 6
        && g[1].end - g[1].start == 4
        && (g[0].sep == SPACE || g[0].sep == b'-')
    {
        // CHI numbers are often written DDMMYY NNNN
        Some((g[1].end, 2))
    } else {
        None
    };
    if let Some((end, k)) = ten {
        if boundary_ok(bytes, start, end) {
            let mut digits = [0u8; 10];
            let mut m = 0;
            for gr in &g[..k] {
                for &b in &bytes[gr.start..gr.end] {
                    if m < 10 {
                        digits[m] = b;
                        m += 1;
                    }
                }
            }
            let d = core::str::from_utf8(&digits).unwrap_or("");
            if is_valid_nhs_number(d) {
                let (kind, conf, rule) = classify_ten(d);
                let ctx = context_before(text, start, &["nhs", "chi", "h&c", "hcn", "health"]);
                let conf = if ctx { 0.99 } else { conf };
                out.push(Cand::new(kind, start, end, conf, rule));
                return end;
            }
        }
    }
    // Numeric dates: d/m/y, d.m.y, d-m-y and ISO y-m-d.
    if n >= 3 && g[0].sep == g[1].sep && matches!(g[0].sep, b'/' | b'.' | b'-') {
        let lens = (
            g[0].end - g[0].start,
            g[1].end - g[1].start,
            g[2].end - g[2].start,
        );
        let follows_same = g[2].sep == g[0].sep;
        let (a, b, c) = (num(bytes, &g[0]), num(bytes, &g[1]), num(bytes, &g[2]));
        let date = match lens {
            (1 | 2, 1 | 2, 2 | 4) => Some((a, b, full_year(c, lens.2))),
            (4, 1 | 2, 1 | 2) if g[0].sep != b'.' => Some((c, b, a)),
            _ => None,
        };
        if let Some((d, m, y)) = date {
            let end = g[2].end;
            if !follows_same && date_valid(d, m, y) && boundary_ok(bytes, start, end) {
                out.push(Cand::date(start, end, y));
                return end;
            }
        }
    }
    // UK phone numbers: 0 then 9 or 10 digits in groups; +44 / 0044 then 9 or 10.
    if let Some(end) = phone(bytes, g) {
        let begin = phone_start(bytes, start);
        out.push(Cand::new(Kind::PhoneNumber, begin, end, 0.9, "uk_phone"));
        return end;
    }
    start
}

fn classify_ten(d: &str) -> (Kind, f32, &'static str) {
    let value: u64 = d.parse().unwrap_or(0);
    match value {
        100_000_000..=3_112_999_999 => (Kind::ChiNumber, 0.9, "chi_mod11"),
        3_200_000_000..=3_999_999_999 => (Kind::HcNumber, 0.9, "hc_mod11"),
        4_000_000_000..=4_999_999_999 | 6_000_000_000..=7_999_999_999 => {
            (Kind::NhsNumber, 0.95, "nhs_mod11")
        }
        _ => (Kind::NhsNumber, 0.8, "nhs_mod11_unallocated"),
    }
}

/// Where a phone number starting at digit `start` really begins: a `+` or `(` before.
fn phone_start(bytes: &[u8], start: usize) -> usize {
    match start.checked_sub(1).and_then(|i| bytes.get(i)) {
        Some(b'+' | b'(') => start - 1,
        _ => start,
    }
}

fn phone(bytes: &[u8], g: &[Group]) -> Option<usize> {
    let first = g.first()?;
    let plus = first.start > 0 && bytes.get(first.start - 1) == Some(&b'+');
    let paren = first.start > 0 && bytes.get(first.start - 1) == Some(&b'(');
    let lead = bytes.get(first.start..first.start + 2)?;
    let international =
        (plus && lead == b"44") || bytes.get(first.start..first.start + 4) == Some(b"0044");
    if !international && lead.first() != Some(&b'0') {
        return None;
    }
    // Collect groups joined by spaces or hyphens (and one ") " after an area code), up
    // to the most digits a UK number has, so digits after it never change the answer
    // (minimising a following NHS number must not turn this into a phone number).
    let cc = match (international, plus) {
        (false, _) => 0,
        (true, true) => 2,
        (true, false) => 4,
    };
    let max_raw = if international { 10 + cc } else { 11 };
    let mut count = 0usize;
    let mut end = first.start;
    // The digit after the trunk 0 or the country code, wherever separators fall.
    let skip = if international { cc } else { 1 };
    let mut second = None;
    let mut take = |count: &mut usize, end: &mut usize, gr: &Group| -> bool {
        let len = gr.end - gr.start;
        // after the first group (or the country code), groups have 3+ digits
        let first_group = *count == 0 || (international && *count == cc);
        if *count + len > max_raw || !(first_group || len >= 3) {
            return false;
        }
        if (*count..*count + len).contains(&skip) {
            second = bytes.get(gr.start + skip - *count).copied();
        }
        *count += len;
        *end = gr.end;
        true
    };
    let mut pos = first.start;
    for gr in g {
        if gr.start != pos || !take(&mut count, &mut end, gr) {
            break;
        }
        if gr.sep == SPACE || gr.sep == b'-' {
            pos = gr.sep_end;
        } else {
            break;
        }
    }
    // Groups that continue after a closing parenthesis: an area code in brackets
    // ("(0161) 496 0000") or the trunk zero written after the country code
    // ("+44 (0)20 7946 0321", "+44(0)7700900123").
    let resume = if paren && bytes.get(end) == Some(&b')') {
        Some(end + 1)
    } else if international && count == cc {
        let mut j = end;
        if bytes.get(j) == Some(&b' ') {
            j += 1;
        }
        (bytes.get(j..j + 3) == Some(b"(0)")).then_some(j + 3)
    } else {
        None
    };
    if let Some(mut j) = resume {
        if bytes.get(j) == Some(&b' ') {
            j += 1;
        }
        let mut more = [Group::default(); MAX_GROUPS];
        let m = groups_from(bytes, j, &mut more);
        for gr in &more[..m] {
            if !take(&mut count, &mut end, gr) || !(gr.sep == SPACE || gr.sep == b'-') {
                break;
            }
        }
    }
    let national = if international {
        count.checked_sub(cc)? + 1
    } else {
        count
    };
    let second_ok = matches!(second, Some(b'1' | b'2' | b'3' | b'5' | b'7' | b'8' | b'9'));
    ((10..=11).contains(&national) && second_ok && boundary_ok(bytes, first.start, end))
        .then_some(end)
}

/// The text in the `span` bytes before `start` (widened to a character boundary) on
/// the same line and after any placeholder a previous `minimise` wrote ("[date of
/// birth]" is not a date-of-birth cue), so minimising twice changes nothing.
pub(crate) fn line_before(text: &str, start: usize, span: usize) -> &str {
    let mut from = start.saturating_sub(span);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = text.get(from..start).unwrap_or("");
    window.rsplit(['\n', '\r', ']']).next().unwrap_or(window)
}

/// Whether one of `words` (lower case) occurs in the 30 bytes before `start` on the
/// same line.
pub(crate) fn context_before(text: &str, start: usize, words: &[&str]) -> bool {
    let window = line_before(text, start, 30);
    let lower = window.to_ascii_lowercase();
    words.iter().any(|w| {
        lower.match_indices(w).any(|(i, _)| {
            let before_ok = i == 0 || !lower.as_bytes()[i - 1].is_ascii_alphabetic();
            let after = lower.as_bytes().get(i + w.len());
            before_ok && !after.is_some_and(u8::is_ascii_alphabetic)
        })
    })
}
