//! Token-level detectors: emails, postcodes, National Insurance numbers, dates written
//! with month names, date-of-birth context and hospital numbers named by context.

use super::Kind;
use super::candidate::Cand;
use super::lexicon::{HOSP_CUE, MONTH, NUMBER_WORD, OF, month_number};
use super::numbers::{date_valid, full_year, line_before};
use super::token::{Case, TokKind, Token, folded};

/// Emails: every `@` with a plausible local part and a dotted domain around it.
pub(crate) fn emails(text: &str, out: &mut Vec<Cand>) {
    let bytes = text.as_bytes();
    for at in memchr::memchr_iter(b'@', bytes) {
        let local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-'".contains(&b);
        let mut s = at;
        while s > 0 && local(bytes[s - 1]) {
            s -= 1;
        }
        // the address starts a word: not after "@" ("a@b.com@c.com": this local part is
        // the previous address's domain) nor glued to other text ("]x@y.com")
        let starts_word = s == 0
            || bytes[s - 1].is_ascii_whitespace()
            || bytes[s - 1] >= 0x80
            || b"(<[{\"':;,".contains(&bytes[s - 1]);
        if !starts_word {
            continue;
        }
        while s < at && !bytes[s].is_ascii_alphanumeric() {
            s += 1;
        }
        let mut e = at + 1;
        while e < bytes.len()
            && (bytes[e].is_ascii_alphanumeric() || bytes[e] == b'-' || bytes[e] == b'.')
        {
            e += 1;
        }
        while e > at + 1 && (bytes[e - 1] == b'.' || bytes[e - 1] == b'-') {
            e -= 1;
        }
        let domain = &bytes[at + 1..e];
        let tld_ok = domain.iter().rposition(|&b| b == b'.').is_some_and(|d| {
            let tld = &domain[d + 1..];
            d > 0 && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)
        });
        if s < at && e > at + 3 && tld_ok {
            out.push(Cand::new(Kind::Email, s, e, 0.98, "email"));
        }
    }
}

fn alnum_str<'a>(text: &'a str, t: &Token) -> &'a str {
    text.get(t.start..t.end).unwrap_or("")
}

fn is_outward(s: &[u8]) -> bool {
    let up = |i: usize| s.get(i).map(u8::to_ascii_uppercase);
    let letter = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_uppercase());
    let digit = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_digit());
    let first_ok = up(0).is_some_and(|c| c.is_ascii_uppercase() && !b"QVX".contains(&c));
    if !first_ok {
        return false;
    }
    match s.len() {
        2 => digit(up(1)),
        3 => {
            (digit(up(1)) && digit(up(2)))
                || (digit(up(1)) && up(2).is_some_and(|c| b"ABCDEFGHJKPSTUW".contains(&c)))
                || (letter(up(1)) && !b"IJZ".contains(&up(1).unwrap_or(b'I')) && digit(up(2)))
        }
        4 => {
            letter(up(1))
                && !b"IJZ".contains(&up(1).unwrap_or(b'I'))
                && digit(up(2))
                && (digit(up(3)) || up(3).is_some_and(|c| b"ABEHMNPRVWXY".contains(&c)))
        }
        _ => false,
    }
}

fn is_inward(s: &[u8]) -> bool {
    s.len() == 3
        && s[0].is_ascii_digit()
        && s[1..].iter().all(|c| {
            let c = c.to_ascii_uppercase();
            c.is_ascii_uppercase() && !b"CIKMOV".contains(&c)
        })
}

fn same_case(s: &str) -> bool {
    let upper = s.bytes().filter(u8::is_ascii_uppercase).count();
    let lower = s.bytes().filter(u8::is_ascii_lowercase).count();
    upper == 0 || lower == 0
}

/// Postcodes: an outward code token and an inward code token ("LS1 4AB"), or both in one
/// token ("LS14AB").
pub(crate) fn postcode_at(text: &str, toks: &[Token], i: usize, out: &mut Vec<Cand>) -> bool {
    let Some(t) = toks.get(i) else { return false };
    let s = alnum_str(text, t).as_bytes();
    if t.kind == TokKind::Alnum && is_outward(s) {
        if let Some(n) = toks.get(i + 1) {
            let inward = alnum_str(text, n);
            if n.kind == TokKind::Alnum
                && !n.nl_before
                && n.start - t.end <= 2
                && is_inward(inward.as_bytes())
            {
                if let Some(all) = text.get(t.start..n.end) {
                    if same_case(all) {
                        out.push(Cand::new(
                            Kind::Postcode,
                            t.start,
                            n.end,
                            0.9,
                            "uk_postcode",
                        ));
                        return true;
                    }
                }
            }
        }
    }
    if t.kind == TokKind::Alnum && (5..=7).contains(&s.len()) && same_case(alnum_str(text, t)) {
        let (o, inw) = s.split_at(s.len() - 3);
        if is_outward(o) && is_inward(inw) && s.iter().any(u8::is_ascii_uppercase) {
            out.push(Cand::new(
                Kind::Postcode,
                t.start,
                t.end,
                0.8,
                "uk_postcode_compact",
            ));
            return true;
        }
    }
    false
}

/// National Insurance numbers: two letters, six digits (optionally in pairs), a letter A-D.
pub(crate) fn ni_at(text: &str, tok: &Token, out: &mut Vec<Cand>) -> Option<usize> {
    let b = text.as_bytes();
    let start = tok.start;
    // "AB" then digits, or "AB123456C" in one token
    let len = tok.end - tok.start;
    let two_letters = tok.kind == TokKind::Word && len == 2;
    let glued = tok.kind == TokKind::Alnum && (len == 8 || len == 9);
    if !(two_letters || glued) {
        return None;
    }
    let letter = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphabetic);
    if !(letter(start) && letter(start + 1)) {
        return None;
    }
    if start > 0 && b[start - 1].is_ascii_alphanumeric() {
        return None;
    }
    let mut i = start + 2;
    let mut digits = 0;
    while digits < 6 {
        if b.get(i) == Some(&b' ') && digits % 2 == 0 {
            i += 1;
        }
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        i += 1;
        digits += 1;
    }
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    let suffix = b.get(i)?.to_ascii_uppercase();
    if !b"ABCD".contains(&suffix) {
        return None;
    }
    i += 1;
    if b.get(i).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    let s = text.get(start..i)?;
    if !same_case(s) {
        return None;
    }
    let prefix = [
        b[start].to_ascii_uppercase(),
        b[start + 1].to_ascii_uppercase(),
    ];
    if b"DFIUV".contains(&prefix[0]) || b"DFIOUV".contains(&prefix[1]) {
        return None;
    }
    out.push(Cand::new(Kind::NiNumber, start, i, 0.9, "ni_number"));
    Some(i)
}

fn ordinal_day(text: &str, t: &Token) -> Option<u32> {
    let s = alnum_str(text, t);
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let rest = s.get(digits..)?.to_ascii_lowercase();
    if !(rest.is_empty() || ["st", "nd", "rd", "th"].contains(&rest.as_str())) {
        return None;
    }
    s.get(..digits)?.parse().ok()
}

fn year_of(text: &str, t: &Token) -> Option<(u32, usize)> {
    if t.kind != TokKind::Number {
        return None;
    }
    let s = alnum_str(text, t);
    if s.len() == 4 || s.len() == 2 {
        Some((s.parse().ok()?, s.len()))
    } else {
        None
    }
}

/// Dates with month names: "12 Mar 1954", "12th of March 1954", "March 12, 1954",
/// "12-Mar-1954". Returns the index of the last token used.
pub(crate) fn month_date_at(
    text: &str,
    toks: &[Token],
    i: usize,
    key: &mut String,
    out: &mut Vec<Cand>,
) -> Option<usize> {
    let t = toks.get(i)?;
    if t.lex & MONTH == 0 && !toks.iter().skip(i + 1).take(3).any(|m| m.lex & MONTH != 0) {
        return None;
    }
    let is_month = |j: usize, key: &mut String| -> Option<u32> {
        let m = toks.get(j)?;
        if m.kind != TokKind::Word || m.lex & MONTH == 0 {
            return None;
        }
        folded(text, m, key);
        month_number(key).map(u32::from)
    };
    let skip = |j: usize, chars: &[char]| -> usize {
        match toks.get(j) {
            Some(p) if p.kind == TokKind::Punct && chars.contains(&p.ch) => j + 1,
            _ => j,
        }
    };
    // day first
    if let Some(day) = ordinal_day(text, t) {
        let mut j = skip(i + 1, &['-', '/']);
        if toks
            .get(j)
            .is_some_and(|w| w.kind == TokKind::Word && w.lex & OF != 0)
        {
            j += 1;
        }
        if let Some(month) = is_month(j, key) {
            // "12 Mar 1954", "12-Mar-54", "12 March '54" (apostrophe for the century)
            let k = skip(
                skip(skip(j + 1, &['.']), &['-', '/', ',']),
                &['\'', '\u{2019}'],
            );
            if let Some((y, len)) = toks.get(k).and_then(|y| year_of(text, y)) {
                let year = full_year(y, len);
                if date_valid(day, month, year) && !toks.get(k).is_some_and(|y| y.nl_before) {
                    out.push(Cand {
                        rule: "date_month_name",
                        ..Cand::date(t.start, toks[k].end, year)
                    });
                    return Some(k);
                }
            }
            return None;
        }
    }
    // month first
    if let Some(month) = is_month(i, key) {
        let j = skip(i + 1, &['.']);
        let day = toks.get(j).and_then(|d| ordinal_day(text, d))?;
        let k = skip(j + 1, &[',']);
        let (y, len) = toks.get(k).and_then(|y| year_of(text, y))?;
        if len != 4 {
            return None;
        }
        if date_valid(day, month, y) && t.case != Case::Lower {
            out.push(Cand {
                rule: "date_month_name",
                ..Cand::date(t.start, toks[k].end, y)
            });
            return Some(k);
        }
    }
    None
}

/// Words before a date that say it is a date of birth.
const DOB_WORDS: &[&str] = &[
    "dob", "d.o.b", "d.o.b.", "d o b", "born", "birth", "bday", "birthday", "b.",
];

/// Dates before this year with no other context are taken for dates of birth: clinic
/// and admission dates in ward chat are recent, birth dates mostly are not.
pub(crate) const OLD_YEAR: u32 = 2005;

/// Upgrades dates whose context says "date of birth", dates right after an age
/// ("Ayaan Siddiqui, 4y, 14/02/2022"), and dates before [`OLD_YEAR`].
///
/// A cue counts only when no digit lies between it and the date, so in "dob 4/3/47
/// adm 02/12/26" the admission date stays a plain date.
pub(crate) fn dob_context(text: &str, cands: &mut [Cand]) {
    for i in 0..cands.len() {
        let c = cands[i];
        if c.kind != Kind::Date {
            continue;
        }
        let prev_name = i
            .checked_sub(1)
            .map(|p| cands[p])
            .filter(|p| p.kind == Kind::PersonName && p.end <= c.start);
        let (kind, conf, rule) = if dob_cue_before(text, c.start) {
            (Kind::DateOfBirth, 0.95, "dob_context")
        } else if after_age(text, c.start, prev_name.map(|p| p.end)) {
            (Kind::DateOfBirth, 0.85, "dob_after_age")
        } else if prev_name.is_some_and(|p| p.start + 80 >= c.start) && on_baby_line(text, c.start)
        {
            (Kind::DateOfBirth, 0.85, "dob_baby_line")
        } else if c.year < OLD_YEAR {
            (Kind::DateOfBirth, 0.7, "dob_old_year")
        } else {
            continue;
        };
        cands[i].kind = kind;
        cands[i].conf = conf;
        cands[i].rule = rule;
    }
}

/// Whether a date-of-birth cue lies in the 30 bytes before `start`, on the same line,
/// with no digit between it and `start`.
pub(crate) fn dob_cue_before(text: &str, start: usize) -> bool {
    let lower = line_before(text, start, 30).to_ascii_lowercase();
    let b = lower.as_bytes();
    DOB_WORDS.iter().any(|w| {
        lower.match_indices(w).any(|(i, _)| {
            let before_ok = i == 0 || !b[i - 1].is_ascii_alphabetic();
            let end = i + w.len();
            let after_ok = !b.get(end).is_some_and(u8::is_ascii_alphabetic);
            before_ok && after_ok && !b[end..].iter().any(u8::is_ascii_digit)
        })
    })
}

/// An age or age-and-sex token: "4y", "2y6m", "14F", "8wk", "9/12"; with `bare`, also
/// a plain number of up to three digits.
fn is_age_token(w: &str, bare: bool) -> bool {
    let w = w.to_ascii_lowercase();
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return false;
    }
    let rest = &w[digits..];
    match rest {
        "" => bare,
        // "/12" months, "/7" days, "/52" weeks, as written on neonatal and paediatric lists
        "y" | "yo" | "yr" | "yrs" | "m" | "f" | "w" | "wk" | "wks" | "mo" | "d" | "/12" | "/7"
        | "/52" => true,
        _ => {
            rest.starts_with('y')
                && rest.ends_with('m')
                && rest[1..rest.len() - 1].bytes().all(|b| b.is_ascii_digit())
        }
    }
}

/// Whether the text before `start` on its line is an age right after a name ("Name,
/// 4y, "), or an age with a unit ("6 weeks, ", "14F ").
fn after_age(text: &str, start: usize, name_end: Option<usize>) -> bool {
    let window = line_before(text, start, 24);
    let trimmed = window.trim_end_matches([' ', ',', '(', '-', ';', ':', '\u{2013}']);
    let words: Vec<&str> = trimmed.rsplit([' ', ',', '(']).take(2).collect();
    let Some(last) = words.first() else {
        return false;
    };
    let name_gap = name_end
        .filter(|e| *e + 24 >= start)
        .and_then(|e| text.get(e..start));
    let right_after_name = name_gap.is_some_and(|g| {
        g.split([' ', ',', '(', ')', '-', ';', ':'])
            .filter(|w| !w.is_empty())
            .count()
            == 1
    });
    if is_age_token(last, right_after_name) {
        return true;
    }
    // "6 weeks, 22/10/2026", "4 months 01/08/2026"
    matches!(
        last.to_ascii_lowercase().as_str(),
        "weeks"
            | "week"
            | "wks"
            | "wk"
            | "months"
            | "month"
            | "mths"
            | "days"
            | "day"
            | "yrs"
            | "years"
            | "hours"
            | "hrs"
    ) && words.get(1).is_some_and(|n| is_age_token(n, true))
}

/// Words that open a baby's entry in a neonatal or postnatal list ("BO Nakamura",
/// "baby of Chen", "Baby Okafor", "twin 2").
const BABY_HEADS: &[&str] = &["bo", "baby", "babies", "twin", "twins"];

/// Words that make a date on a baby's line something other than the birth date.
const NOT_BIRTH: &[&str] = &[
    "adm",
    "admitted",
    "admission",
    "due",
    "edd",
    "appt",
    "clinic",
    "review",
    "seen",
    "d/c",
    "discharge",
    "discharged",
    "dc",
    "since",
    "until",
    "from",
    "transfer",
    "transferred",
    "tci",
    "booked",
    "scan",
    "repeat",
    "next",
    "follow",
    "f/u",
    "fu",
];

/// Whether the date at `start` sits on the line of a baby's entry ("BO Nakamura (twin
/// 2) - 02/12/2026", "Baby of Chen, 2/7, 01/12/2026"): the line starts with a baby
/// head word and no word between says the date is another event's.
fn on_baby_line(text: &str, start: usize) -> bool {
    let window = line_before(text, start, 80);
    let from = start - window.len();
    if from > 0 && !text[..from].ends_with(['\n', '\r', ']']) {
        return false;
    }
    let lower = window.to_ascii_lowercase();
    let mut words = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '/'))
        .filter(|w| !w.is_empty())
        .skip_while(|w| w.bytes().all(|b| b.is_ascii_digit()));
    let head = words.next();
    head.is_some_and(|h| BABY_HEADS.contains(&h))
        && !lower
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '/'))
            .any(|w| NOT_BIRTH.contains(&w) || w.contains('/') && w.len() >= 6)
}
/// Cue words that name a hospital number on their own; the others ("hospital", "unit",
/// "PAS", "case") need "number"/"no" after them.
const HOSPITAL_CUES_ALONE: &[&str] = &["mrn", "crn", "hospno", "rxx", "mrno", "hosp"];

/// A hospital number named by context: "MRN: A1234567", "hosp no 1234567".
pub(crate) fn hospital_at(
    text: &str,
    toks: &[Token],
    i: usize,
    key: &mut String,
    out: &mut Vec<Cand>,
) -> Option<usize> {
    let t = toks.get(i)?;
    if t.lex & HOSP_CUE == 0 {
        return None;
    }
    folded(text, t, key);
    let alone = HOSPITAL_CUES_ALONE.contains(&key.as_str());
    let mut j = i + 1;
    let dot = |j: usize| {
        toks.get(j)
            .is_some_and(|p| p.kind == TokKind::Punct && p.ch == '.' && !p.space_before)
    };
    if dot(j) {
        j += 1;
    }
    if toks.get(j).is_some_and(|n| n.lex & NUMBER_WORD != 0) {
        j += 1;
        if dot(j) {
            j += 1;
        }
    } else if !alone {
        return None;
    }
    while toks
        .get(j)
        .is_some_and(|p| p.kind == TokKind::Punct && matches!(p.ch, ':' | '#' | '-' | '.' | '='))
    {
        j += 1;
    }
    let n = toks.get(j)?;
    if n.nl_before || !matches!(n.kind, TokKind::Alnum | TokKind::Number) {
        return None;
    }
    let s = alnum_str(text, n);
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    if s.len() >= 5 && digits >= 4 {
        out.push(Cand::new(
            Kind::HospitalNumber,
            n.start,
            n.end,
            0.85,
            "hospital_number_context",
        ));
        return Some(j);
    }
    None
}

/// A date of birth dictated with spaces after a cue: "dob 12 09 1958", "dob 1 4 1956".
/// Returns the index of its last token.
pub(crate) fn spaced_dob_at(
    text: &str,
    toks: &[Token],
    i: usize,
    out: &mut Vec<Cand>,
) -> Option<usize> {
    let parts = toks.get(i..i + 3)?;
    let len = |t: &Token| t.end - t.start;
    let numbers = parts.iter().all(|t| t.kind == TokKind::Number);
    let spaced = parts[1..].iter().all(|t| t.space_before && !t.nl_before);
    if !numbers || !spaced || len(&parts[0]) > 2 || len(&parts[1]) > 2 {
        return None;
    }
    let year_digits = len(&parts[2]);
    if year_digits != 2 && year_digits != 4 {
        return None;
    }
    // not followed by more digits ("12 09 1958 4471" is something else)
    if toks
        .get(i + 3)
        .is_some_and(|t| t.kind == TokKind::Number && !t.nl_before)
    {
        return None;
    }
    let value = |t: &Token| text.get(t.start..t.end)?.parse::<u32>().ok();
    let (dd, mm, yy) = (value(&parts[0])?, value(&parts[1])?, value(&parts[2])?);
    let year = full_year(yy, year_digits);
    if !date_valid(dd, mm, year) || !dob_cue_before(text, parts[0].start) {
        return None;
    }
    out.push(Cand {
        year,
        ..Cand::new(
            Kind::DateOfBirth,
            parts[0].start,
            parts[2].end,
            0.9,
            "dob_spaced",
        )
    });
    Some(i + 2)
}

/// Number words of dictated dates: (word, value, ordinal).
const NUMBER_WORDS: &[(&str, u32, bool)] = &[
    ("one", 1, false),
    ("two", 2, false),
    ("three", 3, false),
    ("four", 4, false),
    ("five", 5, false),
    ("six", 6, false),
    ("seven", 7, false),
    ("eight", 8, false),
    ("nine", 9, false),
    ("ten", 10, false),
    ("eleven", 11, false),
    ("twelve", 12, false),
    ("thirteen", 13, false),
    ("fourteen", 14, false),
    ("fifteen", 15, false),
    ("sixteen", 16, false),
    ("seventeen", 17, false),
    ("eighteen", 18, false),
    ("nineteen", 19, false),
    ("twenty", 20, false),
    ("thirty", 30, false),
    ("forty", 40, false),
    ("fifty", 50, false),
    ("sixty", 60, false),
    ("seventy", 70, false),
    ("eighty", 80, false),
    ("ninety", 90, false),
    ("first", 1, true),
    ("second", 2, true),
    ("third", 3, true),
    ("fourth", 4, true),
    ("fifth", 5, true),
    ("sixth", 6, true),
    ("seventh", 7, true),
    ("eighth", 8, true),
    ("ninth", 9, true),
    ("tenth", 10, true),
    ("eleventh", 11, true),
    ("twelfth", 12, true),
    ("thirteenth", 13, true),
    ("fourteenth", 14, true),
    ("fifteenth", 15, true),
    ("sixteenth", 16, true),
    ("seventeenth", 17, true),
    ("eighteenth", 18, true),
    ("nineteenth", 19, true),
    ("twentieth", 20, true),
    ("thirtieth", 30, true),
];

fn number_word(w: &str) -> Option<(u32, bool)> {
    NUMBER_WORDS
        .iter()
        .find(|(k, _, _)| *k == w)
        .map(|&(_, v, o)| (v, o))
}

/// The folded words of tokens `from..`, each hyphenated word split ("twenty-first"),
/// stopping at a line break or a token that is not a word; at most `max` words, each
/// with the index of its token.
fn words_from(text: &str, toks: &[Token], from: usize, max: usize) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (k, t) in toks.iter().enumerate().skip(from).take(max) {
        if t.kind != TokKind::Word || (k > from && t.nl_before) {
            break;
        }
        let mut key = String::new();
        folded(text, t, &mut key);
        for part in key.split('-') {
            out.push((part.to_owned(), k));
        }
    }
    out
}

/// A day of the month in words at the start of `w` ("twelfth", "twenty third",
/// "twenty-first", "twelve"): its value and how many words it took.
fn day_words(w: &[(String, usize)]) -> Option<(u32, usize)> {
    let (first, _) = number_word(&w.first()?.0)?;
    if matches!(first, 20 | 30) {
        if let Some((unit, _)) = w.get(1).and_then(|n| number_word(&n.0)) {
            if unit < 10 {
                return Some((first + unit, 2));
            }
        }
    }
    (first <= 31).then_some((first, 1))
}

/// A year in words at the start of `w` ("nineteen fifty", "nineteen sixty two",
/// "nineteen oh five", "two thousand and three", "twenty twelve"): its value and how
/// many words it took.
fn year_words(w: &[(String, usize)]) -> Option<(u32, usize)> {
    let word = |k: usize| w.get(k).map(|x| x.0.as_str());
    let cardinal = |k: usize| {
        word(k)
            .and_then(number_word)
            .filter(|&(_, ord)| !ord)
            .map(|(v, _)| v)
    };
    // the last two digits: "fifty", "sixty two", "twelve", "oh five"
    let tail = |k: usize| -> Option<(u32, usize)> {
        if word(k) == Some("oh") {
            return cardinal(k + 1).filter(|v| *v < 10).map(|v| (v, 2));
        }
        let v = cardinal(k)?;
        if v >= 20 && v % 10 == 0 {
            if let Some(u) = cardinal(k + 1).filter(|u| *u < 10) {
                return Some((v + u, 2));
            }
        }
        (v >= 10).then_some((v, 1))
    };
    match (word(0)?, word(1)) {
        ("two", Some("thousand")) => {
            let k = if word(2) == Some("and") { 3 } else { 2 };
            match cardinal(k) {
                Some(v) if v < 10 => Some((2000 + v, k + 1)),
                Some(_) => tail(k).map(|(v, n)| (2000 + v, k + n)),
                None => Some((2000, 2)),
            }
        }
        (century @ ("eighteen" | "nineteen" | "twenty"), _) => {
            let c = if century == "eighteen" {
                1800
            } else if century == "nineteen" {
                1900
            } else {
                2000
            };
            tail(1).map(|(v, n)| (c + v, 1 + n))
        }
        _ => None,
    }
}

/// A date of birth written in words or half in words after a date-of-birth cue, as
/// dictated: "date of birth twelfth of june nineteen fifty", "dob the fifth of May
/// 1973", "born twenty third April nineteen sixty two", "DOB 12 June nineteen fifty".
/// `i` is the month's token. Returns the index of the last token used.
pub(crate) fn dob_words_at(
    text: &str,
    toks: &[Token],
    i: usize,
    key: &mut String,
    out: &mut Vec<Cand>,
) -> Option<usize> {
    let m = toks.get(i)?;
    if m.kind != TokKind::Word || m.lex & MONTH == 0 {
        return None;
    }
    folded(text, m, key);
    let month = u32::from(month_number(key)?);
    // the day, before the month: "the twelfth of", "twenty third", "12th of"
    let mut d = i.checked_sub(1)?;
    if toks[d].lex & OF != 0 && toks[d].kind == TokKind::Word {
        d = d.checked_sub(1)?;
    }
    let (day, day_start, day_in_words) = match ordinal_day(text, &toks[d]) {
        Some(v) => (v, d, false),
        None => {
            // the number words ending at token d: up to two tokens back
            let from = d.saturating_sub(1);
            let words = words_from(text, toks, from, d + 1 - from);
            let found = (0..words.len()).find_map(|s| {
                let (v, n) = day_words(&words[s..])?;
                (s + n == words.len()).then(|| (v, words[s].1))
            })?;
            (found.0, found.1, true)
        }
    };
    let mut start = day_start;
    if start > 0 && {
        let p = &toks[start - 1];
        folded(text, p, key);
        p.kind == TokKind::Word && key == "the"
    } {
        start -= 1;
    }
    // the year, after the month: digits or words
    let mut y = i + 1;
    if toks
        .get(y)
        .is_some_and(|p| p.kind == TokKind::Punct && p.ch == ',')
    {
        y += 1;
    }
    let first = toks.get(y)?;
    if first.nl_before {
        return None;
    }
    let (year, last, year_in_words) = match year_of(text, first) {
        Some((v, len)) => (full_year(v, len), y, false),
        None => {
            let words = words_from(text, toks, y, 5);
            let (v, n) = year_words(&words)?;
            (v, words[n - 1].1, true)
        }
    };
    if !(day_in_words || year_in_words) || !date_valid(day, month, year) {
        return None;
    }
    // the day, month and year must be one phrase on one line
    if toks[start + 1..=last].iter().any(|t| t.nl_before) {
        return None;
    }
    if !dob_cue_before(text, toks[start].start) {
        return None;
    }
    out.push(Cand {
        year,
        ..Cand::new(
            Kind::DateOfBirth,
            toks[start].start,
            toks[last].end,
            0.95,
            "dob_words",
        )
    });
    Some(last)
}
