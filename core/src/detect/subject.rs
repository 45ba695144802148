//! Whose name a `person_name` finding is: a patient (or a patient's relative or
//! contact), a member of staff, or unknown.
//!
//! The decision reads only a bounded window around the name (so it stays linear in the
//! length of a line) and takes its vocabulary from `core/data/cues/*.txt`. Direct cues
//! next to the name decide first; otherwise the patient and staff cue words in the
//! window are weighed, and patient evidence wins a tie, because calling a patient's
//! name "staff" is the costly mistake (the policy lets staff-only messages through).

use core::fmt;
use core::str::FromStr;

use super::Finding;
use super::kind::Kind;
use super::lexicon::fold_into;

/// Whose name a `person_name` finding is.
///
/// ```
/// use careguard::detect::{Scanner, Subject};
///
/// let s = Scanner::new();
/// let f = s.scan("can Dr Okafor review bay 4");
/// assert_eq!(f[0].subject, Subject::Staff);
/// assert_eq!("patient".parse::<Subject>(), Ok(Subject::Patient));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A patient, or a patient's relative, carer, neighbour, next of kin or other
    /// contact: patient-identifying data.
    Patient,
    /// A member of staff (nurse, doctor, HCA, porter, the GP, a colleague).
    Staff,
    /// Cannot tell; also the subject of every finding that is not a `person_name`.
    Unknown,
}

impl Subject {
    /// The stable name (`patient`, `staff`, `unknown`), shared by the bindings and the
    /// CLI.
    pub const fn as_str(self) -> &'static str {
        match self {
            Subject::Patient => "patient",
            Subject::Staff => "staff",
            Subject::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown subject name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown subject (expected one of patient, staff, unknown)")]
pub struct UnknownSubject;

impl FromStr for Subject {
    type Err = UnknownSubject;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "patient" => Ok(Subject::Patient),
            "staff" => Ok(Subject::Staff),
            "unknown" => Ok(Subject::Unknown),
            _ => Err(UnknownSubject),
        }
    }
}

/// Per-call facts the caller knows and the text does not say.
///
/// ```
/// use careguard::detect::{ScanHints, Scanner, StaffNames, Subject};
///
/// let s = Scanner::new();
/// // in a chat export, the senders are staff: fold them once, pass them with every message
/// let senders = StaffNames::new(["Priya Raman"]);
/// let hints = ScanHints { staff_names: &senders };
/// let f = s.scan_with("Priya can you swap your Tuesday?", &hints);
/// assert_eq!(f[0].subject, Subject::Staff);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ScanHints<'a> {
    /// Names known to be staff (an export's senders, the ward's rota). A found name all
    /// of whose words appear in one of these is `staff`.
    pub staff_names: &'a StaffNames,
}

static NO_STAFF: StaffNames = StaffNames(Vec::new());

impl Default for ScanHints<'_> {
    fn default() -> Self {
        ScanHints {
            staff_names: &NO_STAFF,
        }
    }
}

/// Names known to be staff, folded once (case and diacritics are ignored): build it
/// once per chat or rota and pass it with every message in [`ScanHints`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffNames(Vec<Vec<String>>);

impl StaffNames {
    /// Folds `names` for matching.
    pub fn new<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        StaffNames(names.into_iter().map(|n| fold_words(n.as_ref())).collect())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One word list of `core/data/cues/`, sorted for binary search.
#[derive(Debug, Clone)]
struct List(Vec<&'static str>);

impl List {
    fn parse(src: &'static str) -> Self {
        let mut v: Vec<&'static str> = src
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        v.sort_unstable();
        v.dedup();
        List(v)
    }

    fn has(&self, w: &str) -> bool {
        self.0.binary_search(&w).is_ok()
    }

    /// Whether the two-word entry "`first` `second`" is listed, without building it.
    fn has_pair(&self, first: &str, second: &str) -> bool {
        let pair = || {
            first
                .bytes()
                .chain(core::iter::once(b' '))
                .chain(second.bytes())
        };
        self.0.binary_search_by(|e| e.bytes().cmp(pair())).is_ok()
    }
}

/// The subject vocabularies, parsed once when a scanner is built.
#[derive(Debug, Clone)]
pub(crate) struct Cues {
    staff_titles: List,
    kinship: List,
    staff_cues: List,
    greetings: List,
    patient_cues: List,
}

impl Cues {
    pub(crate) fn builtin() -> Self {
        let staff_titles = List::parse(include_str!("../../data/cues/staff_titles.txt"));
        let kinship = List::parse(include_str!("../../data/cues/kinship.txt"));
        Cues {
            staff_titles,
            kinship,
            staff_cues: List::parse(include_str!("../../data/cues/staff_cues.txt")),
            greetings: List::parse(include_str!("../../data/cues/greetings.txt")),
            patient_cues: List::parse(include_str!("../../data/cues/patient_cues.txt")),
        }
    }
}

impl Cues {
    /// Whether a folded word is a greeting or thanks ("hi", "cheers").
    pub(crate) fn is_greeting(&self, w: &str) -> bool {
        self.greetings.has(w)
    }

    /// Whether a folded word is a kinship or contact word.
    pub(crate) fn is_kin(&self, w: &str) -> bool {
        self.kinship.has(w) || w == "sister"
    }

    /// Whether a folded word is a staff role that may stand before a name.
    pub(crate) fn is_staff_role(&self, w: &str) -> bool {
        self.staff_titles.has(w)
            && !matches!(w, "staff" | "bank" | "agency" | "student" | "sister" | "ot")
    }
}

/// Folded words of a staff name, for matching found names against.
fn fold_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut s = String::new();
            fold_into(w, &mut s);
            s
        })
        .collect()
}

/// Bytes either side of a name read for cue words.
const WINDOW: usize = 160;

/// A word of the window: folded text and byte range.
struct Word<'b> {
    text: &'b str,
    start: usize,
    end: usize,
}

/// The words of `text[from..to]`, folded into `buf` (one buffer for all of them, so a
/// window costs two allocations, not one per word).
fn words_in<'b>(text: &str, from: usize, to: usize, buf: &'b mut String) -> Vec<Word<'b>> {
    buf.clear();
    let mut spans: Vec<(usize, usize, usize, usize)> = Vec::new();
    if let Some(slice) = text.get(from..to) {
        let bytes = slice.as_bytes();
        let mut start = None;
        let mut i = 0;
        while i <= slice.len() {
            // ASCII bytes are classified without decoding a char
            let (part, len) = match bytes.get(i) {
                None => (false, 1),
                Some(&b) if b < 0x80 => (
                    b.is_ascii_alphanumeric() || b == b'\'' || b == b'&' || b == b'-',
                    1,
                ),
                Some(_) => slice
                    .get(i..)
                    .and_then(|r| r.chars().next())
                    .map_or((false, 1), |c| {
                        (c.is_alphanumeric() || c == '\u{2019}', c.len_utf8())
                    }),
            };
            match (part, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    let mut raw = slice
                        .get(s..i)
                        .unwrap_or("")
                        .trim_end_matches(['\'', '\u{2019}', '-']);
                    while let Some(r) = raw.strip_suffix("'s") {
                        raw = r;
                    }
                    let at = buf.len();
                    fold_into(raw, buf);
                    if buf.len() > at {
                        spans.push((at, buf.len(), from + s, from + s + raw.len()));
                    }
                    start = None;
                }
                _ => {}
            }
            i += len;
        }
    }
    let buf: &'b str = buf;
    spans
        .into_iter()
        .map(|(a, b, start, end)| Word {
            text: buf.get(a..b).unwrap_or(""),
            start,
            end,
        })
        .collect()
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

/// An age, sex or age-and-sex token ("67f", "91", "7y", "2y6m", "15yo").
fn is_age_sex(w: &str) -> bool {
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return false;
    }
    let rest = &w[digits..];
    rest.is_empty()
        || matches!(
            rest,
            "m" | "f" | "y" | "yo" | "yr" | "yrs" | "mo" | "w" | "d" | "months" | "years"
        )
        || (rest.starts_with('y') && rest.ends_with('m'))
}

const POSSESSIVES: [&str; 6] = ["his", "her", "their", "my", "your", "our"];
const PATIENT_TITLES: [&str; 8] = ["mr", "mrs", "ms", "miss", "mx", "master", "pt", "patient"];

/// The subject of each `person_name` in `findings` (sorted, non-overlapping).
pub(crate) fn assign(
    text: &str,
    findings: &mut [Finding],
    cues: &Cues,
    staff: &StaffNames,
    hints: &ScanHints<'_>,
) {
    for i in 0..findings.len() {
        if findings[i].kind != Kind::PersonName {
            continue;
        }
        let near_id = neighbours(findings, i).any(|f| {
            f.kind != Kind::PersonName && f.kind.is_high_risk() && {
                let (a, b) = (findings[i].start, findings[i].end);
                f.end + WINDOW >= a && f.start <= b + WINDOW
            }
        });
        let f = &findings[i];
        // a name in a file name or path is the patient's the file is about; a handle
        // after "@" and a name after a greeting address a colleague
        let by_rule = match f.rule {
            "file_name" => Some(Subject::Patient),
            "mention" => Some(Subject::Staff),
            "greeting" if !near_id => Some(Subject::Staff),
            _ => None,
        };
        if let Some(s) = by_rule {
            findings[i].subject = s;
            continue;
        }
        let s = decide(
            text,
            f.start,
            f.end,
            cues,
            &staff.0,
            &hints.staff_names.0,
            near_id,
        );
        findings[i].subject = s;
    }
}

/// The few findings either side of `i` (bounded, so a line full of findings stays
/// linear).
fn neighbours(findings: &[Finding], i: usize) -> impl Iterator<Item = &Finding> {
    let lo = i.saturating_sub(4);
    let hi = (i + 5).min(findings.len());
    findings[lo..hi]
        .iter()
        .enumerate()
        .filter(move |(j, _)| lo + j != i)
        .map(|(_, f)| f)
}

fn decide(
    text: &str,
    start: usize,
    end: usize,
    cues: &Cues,
    staff: &[Vec<String>],
    hinted: &[Vec<String>],
    near_id: bool,
) -> Subject {
    let mut name_buf = String::new();
    let name = words_in(text, start, end, &mut name_buf);
    let known_staff = |list: &[Vec<String>]| {
        !name.is_empty()
            && list
                .iter()
                .any(|s| name.iter().all(|w| s.iter().any(|x| x == w.text)))
    };
    if known_staff(staff) || known_staff(hinted) {
        return Subject::Staff;
    }
    // "BO Nakamura" (baby of) is a baby on a neonatal or postnatal list
    if name.len() > 1 && name[0].text == "bo" {
        return Subject::Patient;
    }
    let bytes = text.as_bytes();
    // "@Kasia" is a colleague; "@Kasia Ferguson bed 2" may have glued the patient's
    // name to the mention, so a longer finding is judged by the sentence
    if start > 0 && bytes.get(start - 1) == Some(&b'@') && name.len() == 1 {
        return Subject::Staff;
    }
    // a name glued into a file name or path is the patient's the file is about
    if text[..start].ends_with(['_', '/', '\\']) || text[end..].starts_with(['_', '/', '\\']) {
        return Subject::Patient;
    }
    // a chat export's sender: "[14:02] Priya K: ...", "03/12/2026, 07:45 - Tom: ..."
    // (a bounded look back, so a long line stays linear)
    let back = floor_boundary(text, start.saturating_sub(40));
    let before = &text[back..start];
    let line_prefix = before.rsplit('\n').next().unwrap_or("");
    let whole_line = back == 0 || before.contains('\n');
    if whole_line
        && text[end..].starts_with(':')
        && line_prefix.bytes().any(|b| b.is_ascii_digit())
        && line_prefix
            .bytes()
            .all(|b| b.is_ascii_digit() || b" []:/,.-apmAPM".contains(&b))
    {
        return Subject::Staff;
    }
    let from = floor_boundary(text, start.saturating_sub(WINDOW));
    let to = ceil_boundary(text, end.saturating_add(WINDOW));
    let (mut left_buf, mut right_buf) = (String::new(), String::new());
    let left = words_in(text, from, start, &mut left_buf);
    let right = words_in(text, end, to, &mut right_buf);
    let l1 = left.last().map(|w| w.text);
    let l2 = left.len().checked_sub(2).map(|k| left[k].text);
    let possessed = l2.is_some_and(|w| POSSESSIVES.contains(&w))
        || left.len().checked_sub(2).is_some_and(|k| {
            let w = &left[k];
            text.get(w.end..)
                .is_some_and(|s| s.starts_with("'s") || s.starts_with("\u{2019}s"))
        });
    // the gap between the previous word and the name: a line break or a dash there
    // means the name starts its own line or clause
    let gap = left
        .last()
        .and_then(|w| text.get(w.end..start))
        .unwrap_or("");
    let at_line_start = left.is_empty() || gap.contains('\n');
    // only spaces between the word before and the name ("SHO: Balogun" is a heading)
    let tight_gap = gap.chars().all(|c| c == ' ' || c == '.');
    let r1 = right.first().map(|w| w.text);
    let r2 = right.get(1).map(|w| w.text);
    // the word right after the name, when only a space, bracket or comma lies between
    // ("Hywel (HCA)", "Kathleen NOK", "Suzanne, ward manager")
    let tight_r1 = right.first().and_then(|w| {
        let between = text.get(end..w.start)?;
        between
            .chars()
            .all(|c| matches!(c, ' ' | '(' | ',' | '-' | '\u{2013}'))
            .then_some(w.text)
    });
    if tight_r1.is_some_and(|w| w == "nok" || w == "sister" || cues.kinship.has(w)) {
        return Subject::Patient;
    }
    if tight_r1.is_some_and(|w| cues.staff_titles.has(w) || w == "band") {
        return Subject::Staff;
    }
    if let Some(l1) = l1 {
        // "Sister Jones" is the nursing title, "his sister Mary" kin; a lower-case
        // "sister Rose is NOK" is left to the rest of the sentence
        if l1 == "sister" {
            if possessed {
                return Subject::Patient;
            }
            let capital = left
                .last()
                .and_then(|w| text.get(w.start..))
                .is_some_and(|t| t.starts_with('S'));
            if capital && tight_gap {
                return Subject::Staff;
            }
        }
        if (l1 == "of" && l2.is_some_and(|w| w == "baby")) || l1 == "bo" {
            return Subject::Patient;
        }
        if !at_line_start && cues.kinship.has(l1) {
            return Subject::Patient;
        }
        if !at_line_start && tight_gap && l1 != "sister" && cues.staff_titles.has(l1) && !possessed
        {
            return Subject::Staff;
        }
        if !at_line_start && PATIENT_TITLES.contains(&l1) {
            // "Consultant Mr Lindqvist"
            let staff_before = l2.is_some_and(|w| cues.staff_titles.has(w));
            return if staff_before && l1 != "pt" && l1 != "patient" {
                Subject::Staff
            } else {
                Subject::Patient
            };
        }
        if !at_line_start && cues.greetings.has(l1) && greeting_position(&left, text) {
            return Subject::Staff;
        }
    }
    let rest_empty = text
        .get(end..to)
        .is_some_and(|r| !r.chars().any(char::is_alphanumeric))
        && to == text.len();
    if rest_empty && !left.is_empty() && (gap.contains('-') || gap.contains('\n')) && !near_id {
        // a sign-off: "... thanks\n- Priya", "see you later - Jo"
        return Subject::Staff;
    }
    // a colleague addressed at the start of a line: "Yusuf can you do the 10pm round",
    // "Naveed - I've taken bays 1 and 2"
    if at_line_start {
        let asks = matches!(
            r1,
            Some("can" | "could" | "would" | "will" | "are" | "did" | "have" | "pls")
        ) && matches!(r2, Some("you" | "u" | "ya"))
            || matches!(r1, Some("please" | "pls" | "plz"));
        let dash_then_i = text
            .get(end..)
            .is_some_and(|r| r.trim_start().starts_with(['-', '\u{2013}', ',']))
            && matches!(
                r1,
                Some("i" | "i've" | "im" | "i'm" | "i'll" | "you" | "u" | "can" | "could")
            );
        if asks || dash_then_i {
            return Subject::Staff;
        }
    }
    // "Owain on nights said ...", "Adaora has my bay"
    let r3 = right.get(2).map(|w| w.text);
    let shift = |w: Option<&str>| {
        w.is_some_and(|w| cues.staff_cues.has(w) || matches!(w, "late" | "early"))
    };
    if (r1 == Some("on") && (shift(r2) || (r2 == Some("the") && shift(r3))))
        || (r1 == Some("has") && r2 == Some("my"))
    {
        return Subject::Staff;
    }
    let possessive = text
        .get(end..)
        .is_some_and(|r| r.starts_with("'s") || r.starts_with("\u{2019}s"));
    if possessive && r1.is_some_and(|w| cues.kinship.has(w)) {
        return Subject::Patient;
    }
    // "SR2", "bed4", "b12": a place of care glued to its number
    let place = |w: &str| {
        let head = w.trim_end_matches(|c: char| c.is_ascii_digit());
        head.len() < w.len() && matches!(head, "sr" | "bed" | "bay" | "b" | "cubicle" | "rm")
    };
    if let Some(r1) = r1 {
        if is_age_sex(r1) || cues.patient_cues.has(r1) || place(r1) {
            return Subject::Patient;
        }
        if matches!(r1, "in" | "on" | "from")
            && r2.is_some_and(|w| matches!(w, "bed" | "bay" | "sr"))
        {
            return Subject::Patient;
        }
    }
    if near_id {
        return Subject::Patient;
    }
    // Any patient cue in the window decides; else any rota or shift cue.
    let mut staffish = false;
    for ws in [&left, &right] {
        for (k, w) in ws.iter().enumerate() {
            let next = ws.get(k + 1).map(|n| n.text);
            // bare numbers count only right after the name ("Okafor 91"): elsewhere
            // they are bands, bays and times
            let aged = is_age_sex(w.text) && !w.text.bytes().all(|b| b.is_ascii_digit());
            if cues.patient_cues.has(w.text)
                || cues.kinship.has(w.text)
                || aged
                || next.is_some_and(|n| cues.patient_cues.has_pair(w.text, n))
            {
                return Subject::Patient;
            }
            // role nouns ("the porter", "the OT") are not counted: patients' sentences
            // name staff as often as staff talk does
            staffish = staffish
                || cues.staff_cues.has(w.text)
                || next.is_some_and(|n| cues.staff_cues.has_pair(w.text, n));
        }
    }
    if staffish {
        Subject::Staff
    } else {
        Subject::Unknown
    }
}

/// Whether the greeting word before a name opens the message or a line ("hi Sarah",
/// "good morning Jo") or closes one ("thanks Priya" at the end).
fn greeting_position(left: &[Word<'_>], text: &str) -> bool {
    let n = left.len();
    if n == 0 {
        return false;
    }
    let g = &left[n - 1];
    let before = if n >= 2 {
        text.get(left[n - 2].end..g.start).unwrap_or(" ")
    } else {
        "\n"
    };
    n == 1
        || before.contains('\n')
        || before.contains('.')
        || before.contains('!')
        || (n >= 2 && matches!(left[n - 2].text, "good" | "thank" | "many"))
}
