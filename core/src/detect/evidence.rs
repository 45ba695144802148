//! Names found by the evidence next to them rather than by the word itself (issue 19):
//! a name after a kinship or contact word ("daughter Chidinma", "niece (Nimmi)"), after
//! a staff role ("HCA Mags"), or at the head of a line right before patient evidence (an
//! age, a bed, a bay: "Hope in bay 6", "Grace (bed 3)", "Sky 15yo"). The word itself may
//! be in no list or be an English word too; the context decides.
//!
//! Each pass is linear: one look at each token and a fixed number of neighbours.

use super::candidate::Cand;
use super::kind::Kind;
use super::lexicon::{
    CLINICAL, EPONYM, FUNCTION, Flags, GIVEN, GREETING, KIN_ROLE, LEXICAL, Lexicon, MONTH, SUR,
    TITLE, WORD, fold_into,
};
use super::subject::Cues;
use super::token::{Case, TokKind, Token, folded};

/// What a token may be, as a name part: a known name, or a capitalised word in no list.
fn name_like(t: &Token) -> bool {
    if t.kind != TokKind::Word || t.lex & (CLINICAL | MONTH | TITLE | FUNCTION | EPONYM) != 0 {
        return false;
    }
    let named = t.lex & (GIVEN | SUR) != 0;
    let unknown = t.lex & LEXICAL == 0;
    match t.case {
        Case::Title => named || unknown,
        // lower case: a name that is not also an English word, or a word in no list
        Case::Lower => (named && t.lex & WORD == 0) || (unknown && t.end - t.start >= 3),
        Case::Upper => named && t.end - t.start >= 3,
    }
}

/// A capitalised given name that is also an English, clinical or function word ("Will",
/// "Frank", "Pat", "Amber"): a name only where a cue before it says so.
fn given_word(t: &Token) -> bool {
    t.kind == TokKind::Word
        && t.case == Case::Title
        && t.lex & GIVEN != 0
        && t.lex & (MONTH | TITLE | EPONYM) == 0
}

fn punct(t: Option<&Token>, chars: &[char]) -> bool {
    t.is_some_and(|t| t.kind == TokKind::Punct && chars.contains(&t.ch))
}

fn word_is(text: &str, t: Option<&Token>, key: &mut String, list: &[&str]) -> bool {
    let Some(t) = t else { return false };
    if t.kind != TokKind::Word && t.kind != TokKind::Alnum {
        return false;
    }
    folded(text, t, key);
    list.contains(&key.as_str())
}

/// An age or age and sex glued to its number ("15yo", "67F", "7y", "2y6m").
fn age_token(text: &str, t: Option<&Token>) -> bool {
    let Some(t) = t else { return false };
    if t.kind != TokKind::Alnum {
        return false;
    }
    let w = text.get(t.start..t.end).unwrap_or("").to_ascii_lowercase();
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return false;
    }
    let rest = &w[digits..];
    matches!(rest, "y" | "yo" | "yrs" | "m" | "f" | "wk" | "wks")
        || (rest.starts_with('y') && rest.ends_with('m') && rest.len() <= 4)
}

/// Capitalised words that head a line before an age without being a name.
const NOT_NAMES: &[&str] = &[
    "lady",
    "gent",
    "gentleman",
    "man",
    "woman",
    "male",
    "female",
    "boy",
    "girl",
    "baby",
    "child",
    "patient",
    "pt",
    "bed",
    "bay",
    "new",
    "old",
    "young",
    "twin",
    "twins",
    "elderly",
    "known",
];

const PLACES: &[&str] = &["bed", "bay", "sr", "room", "cubicle", "side"];

/// Whether patient evidence starts at token `j`: an age ("15yo", "88 bed"), a bed or bay
/// with its number, "(bed 3)", "in bay 6", "in SR4", "in 12".
fn evidence_at(text: &str, toks: &[Token], j: usize, key: &mut String) -> bool {
    let t = toks.get(j);
    if t.is_some_and(|t| t.nl_before) {
        return false;
    }
    if age_token(text, t) || identifier_at(text, toks, j) {
        return true;
    }
    let glued_place = |t: Option<&Token>, key: &mut String| {
        t.is_some_and(|t| {
            t.kind == TokKind::Alnum && {
                let w = text.get(t.start..t.end).unwrap_or("");
                let head = w.trim_end_matches(|c: char| c.is_ascii_digit());
                key.clear();
                key.push_str(&head.to_ascii_lowercase());
                head.len() < w.len() && PLACES.contains(&key.as_str())
            }
        })
    };
    let place_then_number = |k: usize, key: &mut String| {
        glued_place(toks.get(k), key)
            || (word_is(text, toks.get(k), key, PLACES)
                && toks
                    .get(k + 1)
                    .is_some_and(|n| matches!(n.kind, TokKind::Number | TokKind::Alnum)))
    };
    if place_then_number(j, key) {
        return true;
    }
    if punct(t, &['(', ',', '-']) && place_then_number(j + 1, key) {
        return true;
    }
    // "Joy 88 bed 9": a bare age before a place
    if t.is_some_and(|t| t.kind == TokKind::Number && t.end - t.start <= 3)
        && place_then_number(j + 1, key)
    {
        return true;
    }
    if word_is(text, t, key, &["in", "from"]) {
        let n = toks.get(j + 1);
        if n.is_some_and(|n| n.kind == TokKind::Number && n.end - n.start <= 2) {
            return true;
        }
        return place_then_number(j + 1, key);
    }
    false
}

/// Words that announce a patient identifier right after a name ("Sundari NHS no:",
/// "Kirsteen CHI: ...", "Gulnara dob 15 March 1981", "Sebastian hospital no.").
const ID_CUES: &[&str] = &["nhs", "chi", "dob", "mrn", "crn"];

/// Whether `t` is one of [`ID_CUES`] (compared without folding: this runs on every
/// line's first word).
fn id_cue(text: &str, t: Option<&Token>) -> bool {
    t.is_some_and(|t| {
        t.kind == TokKind::Word
            && t.end - t.start == 3
            && text
                .get(t.start..t.end)
                .is_some_and(|w| ID_CUES.iter().any(|c| w.eq_ignore_ascii_case(c)))
    })
}

/// Whether a patient identifier starts at token `j`: a cue word for one followed by a
/// number on the same line, a bare NHS-style number (ten digits, or 3 3 4), a full
/// numeric date, an age and sex written "40/M", each possibly in brackets.
fn identifier_at(text: &str, toks: &[Token], j: usize) -> bool {
    let j = if punct(toks.get(j), &['(']) { j + 1 } else { j };
    let Some(t) = toks.get(j) else { return false };
    let len = |k: usize| toks.get(k).map_or(0, |t| t.end - t.start);
    let tight = |k: usize| toks.get(k).is_some_and(|t| !t.space_before);
    let number = |k: usize| toks.get(k).is_some_and(|t| t.kind == TokKind::Number);
    if t.kind == TokKind::Number {
        // "6756587218", "468 750 6720"
        if len(j) == 10
            || (len(j) == 3 && number(j + 1) && len(j + 1) == 3 && number(j + 2) && len(j + 2) == 4)
        {
            return true;
        }
        // "04-11-1986", "1/6/2001": day, month and a year with separators and no spaces
        let date = len(j) <= 2
            && punct(toks.get(j + 1), &['/', '-', '.'])
            && number(j + 2)
            && len(j + 2) <= 2
            && punct(toks.get(j + 3), &['/', '-', '.'])
            && number(j + 4)
            && matches!(len(j + 4), 2 | 4)
            && (1..5).all(|k| tight(j + k));
        // "40/M"
        let age_sex = len(j) <= 3
            && punct(toks.get(j + 1), &['/'])
            && tight(j + 1)
            && tight(j + 2)
            && toks
                .get(j + 2)
                .and_then(|s| text.get(s.start..s.end))
                .is_some_and(|s| matches!(s, "M" | "F" | "m" | "f"));
        return date || age_sex;
    }
    if !id_cue(text, Some(t)) {
        return false;
    }
    // a number follows on the same line within a few tokens ("NHS no: 634-915-4746",
    // "CHI: 0403876389", "dob 15 March 1981")
    toks.iter()
        .skip(j + 1)
        .take(5)
        .take_while(|n| !n.nl_before)
        .any(|n| matches!(n.kind, TokKind::Number | TokKind::Alnum))
}

/// Whether token `i` opens a line, a sentence or a list item.
fn line_head(toks: &[Token], i: usize) -> bool {
    let Some(t) = toks.get(i) else { return false };
    if i == 0 || t.nl_before {
        return true;
    }
    let prev = toks.get(i - 1);
    punct(prev, &['.', '!', '?', '-', '*', '\u{2022}', ':', ')', ';'])
        && (i == 1
            || prev.is_some_and(|p| p.nl_before)
            || punct(prev, &['.', '!', '?', ':', ';'])
            || {
                // "1. Name", "2) Name", "- Name"
                toks.get(i - 2)
                    .is_some_and(|p| p.nl_before || p.kind == TokKind::Number)
            })
}

/// The last token of a name that starts at `i`: one more name part in the same case
/// on the same line, if there is one.
fn extend(toks: &[Token], i: usize) -> usize {
    match (toks.get(i), toks.get(i + 1)) {
        (Some(a), Some(b))
            if name_like(b) && !b.nl_before && b.space_before && b.case == a.case && !a.poss =>
        {
            i + 1
        }
        _ => i,
    }
}

fn push(out: &mut Vec<Cand>, toks: &[Token], i: usize, last: usize, conf: f32, rule: &'static str) {
    if let (Some(a), Some(b)) = (toks.get(i), toks.get(last)) {
        out.push(Cand::new(Kind::PersonName, a.start, b.end, conf, rule));
    }
}

/// File-name extensions that make a glued run of tokens an attachment name.
const EXTENSIONS: &[&str] = &[
    "pdf", "doc", "docx", "png", "jpg", "jpeg", "heic", "txt", "rtf", "xlsx", "xls", "csv", "odt",
];

/// Names glued into file names and paths ("Kowalczyk_Anna_discharge.pdf",
/// "referral_hussain_imran.docx", "scans/OKAFOR_Grace/"): in a run of tokens with no
/// space between them that ends in a file extension or holds a path separator, each
/// stretch of name parts (known names, or words in no list) joined by `_` or `-` is a
/// name. Each run is looked at once.
///
/// Runs start at the first token and at every token after white space; only a run
/// holding a separator (`seps`, the indices of the `_`, `/`, `\` and extension `.`
/// tokens) matters,
/// so each separator not yet seen is widened to its run.
fn file_names(
    text: &str,
    toks: &[Token],
    seps: &[usize],
    lex: &Lexicon,
    key: &mut String,
    out: &mut Vec<Cand>,
) {
    let mut done = 0;
    for &k in seps {
        if k < done {
            continue;
        }
        let mut i = k;
        while i > 0 && !toks[i].space_before && !toks[i].nl_before {
            i -= 1;
        }
        let mut end = k + 1;
        while toks
            .get(end)
            .is_some_and(|t| !t.space_before && !t.nl_before)
        {
            end += 1;
        }
        done = end;
        let run = &toks[i..end];
        let ext = run.len() >= 2
            && punct(run.get(run.len() - 2), &['.'])
            && word_is(text, run.last(), key, EXTENSIONS);
        // two separators: "scans/OKAFOR_Grace/x", not "Gillick/Fraser"; a URL's "://"
        // is not a path ("https://telegram.org/")
        let span = text.get(run[0].start..run[run.len() - 1].end).unwrap_or("");
        let after_scheme = span.find("://").map_or(0, |p| run[0].start + p + 3);
        let path = run
            .iter()
            .filter(|t| t.start >= after_scheme && punct(Some(t), &['/', '\\']))
            .count()
            >= 2;
        let glued = run.iter().any(|t| punct(Some(t), &['_', '/', '\\']));
        let hyphenated = run.iter().any(|t| {
            punct(Some(t), &['-'])
                || (t.kind == TokKind::Word
                    && text.get(t.start..t.end).is_some_and(|w| w.contains('-')))
        });
        if (glued || hyphenated) && (ext || path) {
            let last_word = if ext { run.len() - 1 } else { run.len() };
            file_name_parts(text, &run[..last_word], lex, key, out);
        }
    }
}

/// A piece of a file name: a word (a token, or one part of a hyphenated token) or a
/// separator.
#[derive(Clone, Copy)]
struct Piece {
    start: usize,
    end: usize,
    /// Lexicon flags of a word; `None` for a separator or a number.
    lex: Option<Flags>,
    /// The separator character, for a separator.
    sep: char,
    /// Cut out of a hyphenated token ("Okafor-J").
    split: bool,
}

/// Finds the names among the tokens of a file name or path: each stretch of name parts
/// (known names, or words in no list) joined by `_` or `-`, where a single capital
/// after a name part is its initial ("Okafor_J_letter", "ONEILL-P-CXR"). One part
/// alone is a name only if it is a known given name or surname and a token of its own.
fn file_name_parts(
    text: &str,
    run: &[Token],
    lex: &Lexicon,
    key: &mut String,
    out: &mut Vec<Cand>,
) {
    let mut pieces: Vec<Piece> = Vec::with_capacity(run.len() + 4);
    for t in run {
        let word = text.get(t.start..t.end).unwrap_or("");
        if t.kind == TokKind::Word && word.contains('-') {
            let mut at = t.start;
            for (n, part) in word.split('-').enumerate() {
                if n > 0 {
                    pieces.push(Piece {
                        start: at - 1,
                        end: at,
                        lex: None,
                        sep: '-',
                        split: true,
                    });
                }
                key.clear();
                fold_into(part, key);
                pieces.push(Piece {
                    start: at,
                    end: at + part.len(),
                    lex: (!part.is_empty()).then(|| lex.lookup(key)),
                    sep: '\0',
                    split: true,
                });
                at += part.len() + 1;
            }
        } else {
            pieces.push(Piece {
                start: t.start,
                end: t.end,
                lex: (t.kind == TokKind::Word).then_some(t.lex),
                sep: if t.kind == TokKind::Punct { t.ch } else { '\0' },
                split: false,
            });
        }
    }
    let part = |p: &Piece| {
        p.lex.is_some_and(|f| {
            f & (CLINICAL | MONTH | TITLE | FUNCTION | EPONYM) == 0
                && (f & (GIVEN | SUR) != 0 || (f & LEXICAL == 0 && p.end - p.start >= 3))
        })
    };
    let initial = |p: &Piece| {
        p.lex.is_some()
            && p.end - p.start == 1
            && text
                .as_bytes()
                .get(p.start)
                .is_some_and(u8::is_ascii_uppercase)
    };
    let joiner = |p: Option<&Piece>| p.is_some_and(|p| matches!(p.sep, '_' | '-'));
    let mut k = 0;
    while k < pieces.len() {
        if !part(&pieces[k]) {
            k += 1;
            continue;
        }
        let first = k;
        let mut last = k;
        while k + 2 < pieces.len() && joiner(pieces.get(k + 1)) {
            let next = &pieces[k + 2];
            if part(next) {
                k += 2;
                last = k;
            } else if initial(next) {
                last = k + 2;
                break;
            } else {
                break;
            }
        }
        let known = pieces[first].lex.is_some_and(|f| f & (GIVEN | SUR) != 0);
        if last > first || (known && !pieces[first].split) {
            out.push(Cand::new(
                Kind::PersonName,
                pieces[first].start,
                pieces[last].end,
                0.8,
                "file_name",
            ));
        }
        k = last + 1;
    }
}

/// Handles that address a group or a place, not a person.
const NOT_HANDLES: &[&str] = &[
    "all", "everyone", "here", "channel", "team", "nights", "days", "ward", "bay", "bed", "nurses",
    "doctors", "hcas", "staff", "admin", "group", "the",
];

/// @-mentions: the handle after an `@` that starts a word ("@Tayo", "@bex",
/// "@dr_patel", "@kwame.o") is a person's name, unless it holds a digit ("@bed4"),
/// addresses a group ("@all", "@team") or is a clinical word. An `@` inside a word is an
/// email's.
fn mentions(text: &str, toks: &[Token], out: &mut Vec<Cand>) {
    let bytes = text.as_bytes();
    for at in memchr::memchr_iter(b'@', bytes) {
        if at > 0 && !bytes[at - 1].is_ascii_whitespace() && !b"([,;:".contains(&bytes[at - 1]) {
            continue;
        }
        let start = at + 1;
        let mut end = start;
        while end < bytes.len()
            && (bytes[end].is_ascii_alphanumeric()
                || (matches!(bytes[end], b'_' | b'.' | b'-' | b'\'')
                    && bytes.get(end + 1).is_some_and(u8::is_ascii_alphabetic)))
        {
            end += 1;
        }
        let Some(handle) = text.get(start..end) else {
            continue;
        };
        if handle.len() < 2 || handle.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        let lower = handle.to_ascii_lowercase();
        if NOT_HANDLES.contains(&lower.as_str()) {
            continue;
        }
        // a one-word handle the lexicon knows only as a clinical or function word
        let k = toks.partition_point(|t| t.start < start);
        let blocked = toks.get(k).is_some_and(|t| {
            t.start == start
                && t.end == end
                && t.lex & (GIVEN | SUR) == 0
                && t.lex & (CLINICAL | FUNCTION | MONTH | TITLE) != 0
        });
        if !blocked {
            out.push(Cand::new(Kind::PersonName, start, end, 0.75, "mention"));
        }
    }
}

/// A greeting or thanks then a name, opening a line or closing the message ("thanks
/// Rob", "cheers Mo 👍", "hi Jess, could you...", "thank u amara xx", "diolch Sioned").
fn greeting_at(
    text: &str,
    toks: &[Token],
    i: usize,
    cues: &Cues,
    key: &mut String,
    out: &mut Vec<Cand>,
) -> Option<usize> {
    let t = toks.get(i)?;
    if t.lex & GREETING == 0 {
        return None;
    }
    folded(text, t, key);
    if !(cues.is_greeting(key) || key == "nice") {
        return None;
    }
    let mut j = i + 1;
    // "thank u", "thank you", "nice one", "good morning"
    if word_is(
        text,
        toks.get(j),
        key,
        &["u", "you", "one", "morning", "all"],
    ) {
        j += 1;
    }
    let n = toks.get(j).filter(|n| !n.nl_before && n.space_before)?;
    // "Hey I'm a test": a pronoun with a contraction is not a name
    if text
        .get(n.start..n.end)
        .is_some_and(|w| w.starts_with("I'") || w.starts_with("I\u{2019}"))
    {
        return None;
    }
    // lower case only for a known name that is not also a word ("sorry typo")
    let lower_ok = n.case != Case::Lower || (n.lex & (GIVEN | SUR) != 0 && n.lex & WORD == 0);
    if !(lower_ok && (name_like(n) || given_word(n))) {
        return None;
    }
    let last = extend(toks, j);
    // the greeting opens a line, or the name closes a line or the message
    let opens = line_head(toks, i);
    let closes = toks
        .get(last + 1)
        .is_none_or(|a| a.nl_before || (a.kind == TokKind::Punct && !a.ch.is_alphanumeric()));
    if !(opens || closes) {
        return None;
    }
    push(out, toks, j, last, 0.75, "greeting");
    Some(last)
}

/// Appends the names these rules find to `out`; overlaps with other rules' names are
/// resolved later (the longer wins).
pub(crate) fn scan(
    text: &str,
    toks: &[Token],
    seps: &[usize],
    lex: &Lexicon,
    cues: &Cues,
    key: &mut String,
    out: &mut Vec<Cand>,
) {
    file_names(text, toks, seps, lex, key, out);
    mentions(text, toks, out);
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        if t.kind != TokKind::Word {
            i += 1;
            continue;
        }
        if let Some(last) = greeting_at(text, toks, i, cues, key, out) {
            i = last + 1;
            continue;
        }
        // a kinship or contact word, or a staff role, then a name ("wife Bożenka",
        // "niece (Nimmi)", "HCA Mags")
        let mut j = i + 1;
        if punct(toks.get(j), &['(']) {
            j += 1;
        }
        // the cue lists are English words: folding must not make one of Vietnamese
        // "đã" ("da") or another language's accented word
        // ("fiancée" and "half-sister" fold to listed words; a long word is no accident)
        let english = t.lex & KIN_ROLE != 0
            && text
                .get(t.start..t.end)
                .is_some_and(|raw| raw.is_ascii() || raw.len() >= 6);
        if let Some(n) = toks
            .get(j)
            .filter(|n| english && !n.nl_before && (name_like(n) || given_word(n)))
        {
            folded(text, t, key);
            let kin = cues.is_kin(key)
                || key
                    .rsplit_once('-')
                    .is_some_and(|(_, last)| cues.is_kin(last) || last == "sister");
            let kin = kin && (name_like(n) || given_word(n));
            let role = !kin
                && name_like(n)
                && cues.is_staff_role(key)
                && n.case == Case::Title
                && j == i + 1;
            if kin || role {
                let last = extend(toks, j);
                let rule = if kin { "kin_cue" } else { "role_title" };
                push(out, toks, j, last, 0.8, rule);
                i = last + 1;
                continue;
            }
        }
        // a name at the head of a line before patient evidence ("Hope in bay 6",
        // "Grace (bed 3) is NBM", "Sky 15yo"); a word that is also a name counts here
        let head_ok = t.lex & (GIVEN | SUR) != 0 || (t.case == Case::Title && t.lex & LEXICAL == 0);
        // a given name that is also a clinical word ("Frank", "Pat") counts when
        // capitalised: the evidence right after it decides
        let clinical_name = t.case == Case::Title && t.lex & GIVEN != 0 && t.lex & CLINICAL != 0;
        let blocked = t.lex & (MONTH | TITLE | FUNCTION | EPONYM) != 0
            || (t.lex & CLINICAL != 0 && !clinical_name);
        // a month or day that is a given name before an age and sex ("April 34F",
        // "Monday 22F") is one too
        let month_name =
            t.case == Case::Title && t.lex & MONTH != 0 && t.lex & (TITLE | FUNCTION | EPONYM) == 0;
        // a single letter is an initial or a list label ("D.O.B", "B) ..."), not a name
        let short = t.end - t.start < 2;
        if t.case != Case::Upper && !short && (!blocked || month_name) && line_head(toks, i) {
            let last = extend(toks, i);
            let strong_age = t.case == Case::Title
                && age_token(text, toks.get(last + 1))
                && !word_is(text, Some(t), key, NOT_NAMES);
            // a lower-case word in no list heading a line before an identifier
            // ("amaal dob 1/6/2001")
            let unknown_before_id = t.case == Case::Lower
                && t.lex & LEXICAL == 0
                && t.end - t.start >= 3
                && !id_cue(text, Some(t))
                && id_cue(text, toks.get(last + 1))
                && identifier_at(text, toks, last + 1);
            // an identifier's own cue ("chi 0909586993") is not a name before it
            let evidence = !blocked
                && head_ok
                && evidence_at(text, toks, last + 1, key)
                && !id_cue(text, Some(t));
            if evidence || strong_age || (!blocked && unknown_before_id) {
                push(out, toks, i, last, 0.75, "name_before_evidence");
                i = last + 1;
                continue;
            }
        }
        i += 1;
    }
}
