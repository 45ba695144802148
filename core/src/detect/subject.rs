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
use super::lexicon::{GIVEN, SUR, fold_into};

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

/// The classes a folded word of `core/data/cues/` belongs to, one bit each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Class(u16);

impl Class {
    const STAFF_TITLE: Class = Class(1);
    const KIN: Class = Class(1 << 1);
    const STAFF_CUE: Class = Class(1 << 2);
    const GREETING: Class = Class(1 << 3);
    const PATIENT_CUE: Class = Class(1 << 4);
    const STAFF_VERB: Class = Class(1 << 5);
    const PATIENT_VERB: Class = Class(1 << 6);
    /// The first word of a two-word entry ("long" of "long day").
    const PAIR_HEAD: Class = Class(1 << 7);

    fn has(self, c: Class) -> bool {
        self.0 & c.0 != 0
    }
}

/// FNV-1a over `bytes`.
fn fnv(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The subject vocabularies, parsed once when a scanner is built: every entry of every
/// list in one hash table, so a word is looked up once.
#[derive(Debug, Clone)]
pub(crate) struct Cues {
    table: Vec<(&'static str, Class)>,
    /// Index into `table` by hash, `u32::MAX` for an empty slot: a power of two and at
    /// least four times the entries, so a lookup is one hash and about one comparison.
    slots: Vec<u32>,
}

impl Cues {
    pub(crate) fn builtin() -> Self {
        let lists = [
            (
                Class::STAFF_TITLE,
                include_str!("../../data/cues/staff_titles.txt"),
            ),
            (Class::KIN, include_str!("../../data/cues/kinship.txt")),
            (
                Class::STAFF_CUE,
                include_str!("../../data/cues/staff_cues.txt"),
            ),
            (
                Class::GREETING,
                include_str!("../../data/cues/greetings.txt"),
            ),
            (
                Class::PATIENT_CUE,
                include_str!("../../data/cues/patient_cues.txt"),
            ),
            (
                Class::STAFF_VERB,
                include_str!("../../data/cues/staff_verbs.txt"),
            ),
            (
                Class::PATIENT_VERB,
                include_str!("../../data/cues/patient_verbs.txt"),
            ),
        ];
        let mut table: Vec<(&'static str, Class)> = Vec::new();
        for (class, src) in lists {
            for entry in src
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
            {
                table.push((entry, class));
                if let Some((head, _)) = entry.split_once(' ') {
                    table.push((head, Class::PAIR_HEAD));
                }
            }
        }
        table.sort_unstable_by_key(|e| e.0);
        table.dedup_by(|b, a| {
            let same = a.0 == b.0;
            if same {
                a.1 = Class(a.1.0 | b.1.0);
            }
            same
        });
        let mask = (table.len() * 4).next_power_of_two() - 1;
        let mut slots = vec![u32::MAX; mask + 1];
        for (i, (entry, _)) in table.iter().enumerate() {
            let mut at = fnv(entry.bytes()) as usize & mask;
            while slots[at] != u32::MAX {
                at = (at + 1) & mask;
            }
            slots[at] = i as u32;
        }
        Cues { table, slots }
    }

    /// The classes of the entry with hash `h` that `is` accepts.
    fn find(&self, h: u64, is: impl Fn(&str) -> bool) -> Class {
        let mask = self.slots.len() - 1;
        let mut at = h as usize & mask;
        loop {
            match self.slots.get(at).and_then(|&i| self.table.get(i as usize)) {
                None => return Class::default(),
                Some((entry, class)) if is(entry) => return *class,
                Some(_) => at = (at + 1) & mask,
            }
        }
    }

    fn class(&self, w: &str) -> Class {
        self.find(fnv(w.bytes()), |e| e == w)
    }

    /// The classes of the two-word entry "`first` `second`", without building it.
    fn pair_class(&self, first: &str, second: &str) -> Class {
        let h = fnv(first
            .bytes()
            .chain(core::iter::once(b' '))
            .chain(second.bytes()));
        self.find(h, |e| {
            e.len() == first.len() + 1 + second.len()
                && e.starts_with(first)
                && e.ends_with(second)
                && e.as_bytes().get(first.len()) == Some(&b' ')
        })
    }

    /// Whether a folded word is a greeting or thanks ("hi", "cheers").
    pub(crate) fn is_greeting(&self, w: &str) -> bool {
        self.class(w).has(Class::GREETING)
    }

    /// Whether a folded word is a kinship or contact word.
    pub(crate) fn is_kin(&self, w: &str) -> bool {
        self.class(w).has(Class::KIN) || w == "sister"
    }

    /// Whether a folded word is a staff role that may stand before a name.
    pub(crate) fn is_staff_role(&self, w: &str) -> bool {
        is_role(w, self.class(w))
    }
}

/// Whether a word of class `c` is a staff role that may stand before a name.
fn is_role(w: &str, c: Class) -> bool {
    c.has(Class::STAFF_TITLE)
        && !matches!(w, "staff" | "bank" | "agency" | "student" | "sister" | "ot")
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

/// The folded words of a stretch of text with their byte ranges; reused for every name
/// of a scan, so a name costs no allocation once the buffers have grown.
#[derive(Default)]
struct Words {
    buf: String,
    /// (start in `buf`, end in `buf`, start in the text, end in the text)
    spans: Vec<(usize, usize, usize, usize)>,
    /// The cue classes of each word, and those of the two-word entry it starts.
    classes: Vec<(Class, Class)>,
}

impl Words {
    /// Reads the words of `text[from..to]`.
    fn fill(&mut self, text: &str, from: usize, to: usize) {
        self.buf.clear();
        self.spans.clear();
        let Some(slice) = text.get(from..to) else {
            return;
        };
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
                    let at = self.buf.len();
                    fold_into(raw, &mut self.buf);
                    if self.buf.len() > at {
                        self.spans
                            .push((at, self.buf.len(), from + s, from + s + raw.len()));
                    }
                    start = None;
                }
                _ => {}
            }
            i += len;
        }
    }

    /// Looks up the cue classes of every word read.
    fn classify(&mut self, cues: &Cues) {
        self.classes.clear();
        for k in 0..self.len() {
            let t = self.text(k);
            let c = cues.class(t);
            let pair = match self.get(k + 1) {
                Some(next) if c.has(Class::PAIR_HEAD) => cues.pair_class(t, next),
                _ => Class::default(),
            };
            self.classes.push((c, pair));
        }
    }

    /// The cue classes of word `k` (none past the end); the first word of a listed
    /// two-word entry has the entry's classes instead of its own ("bed" of "bed
    /// manager" is no patient cue).
    fn class(&self, k: usize) -> Class {
        self.classes.get(k).map_or(
            Class::default(),
            |&(one, two)| if two.0 == 0 { one } else { two },
        )
    }

    /// Whether word `k` is of class `c`.
    fn is(&self, k: usize, c: Class) -> bool {
        self.class(k).has(c)
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The folded text of word `k` ("" past the end).
    fn text(&self, k: usize) -> &str {
        self.spans
            .get(k)
            .and_then(|&(a, b, _, _)| self.buf.get(a..b))
            .unwrap_or("")
    }

    fn get(&self, k: usize) -> Option<&str> {
        (k < self.len()).then(|| self.text(k))
    }

    /// Byte range of word `k` in the text.
    fn range(&self, k: usize) -> (usize, usize) {
        self.spans.get(k).map_or((0, 0), |&(_, _, s, e)| (s, e))
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|k| self.text(k))
    }
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

/// An age with a unit or sex ("67f", "7y"); a bare number is a band, bay or time as
/// often as an age.
fn is_age_with_unit(w: &str) -> bool {
    is_age_sex(w) && !w.bytes().all(|b| b.is_ascii_digit())
}

/// Whether the text between two words ends a clause: a line break, a full stop, a
/// semicolon, a question or exclamation mark, or a dash between spaces.
fn ends_clause(gap: &str) -> bool {
    gap.contains(['\n', '.', ';', ':', '!', '?', '\u{2013}', '\u{2014}'])
        || gap.contains(" - ")
        || gap.trim_start().starts_with("- ")
}

const POSSESSIVES: [&str; 6] = ["his", "her", "their", "my", "your", "our"];
const PATIENT_TITLES: [&str; 8] = ["mr", "mrs", "ms", "miss", "mx", "master", "pt", "patient"];

/// Declares the subject model's features: one variant and one stable name each, the
/// names the weights table (`subject_weights.rs`) is keyed by.
macro_rules! features {
    ($($(#[doc = $doc:literal])+ $variant:ident = $name:literal,)+) => {
        /// A named fact about a name's context that the subject model weighs.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub(crate) enum Feature {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl Feature {
            /// Every feature, in the order of the weights table.
            pub(crate) const ALL: &'static [Feature] = &[$(Feature::$variant,)+];

            /// The stable name, as in the weights table and `SubjectEvidence::features`.
            pub(crate) const fn name(self) -> &'static str {
                match self {
                    $(Feature::$variant => $name,)+
                }
            }
        }
    };
}

features! {
    /// Found by the `title` rule (Mr, Mrs, Dr... before it).
    RuleTitle = "rule_title",
    /// Found by the `greeting` rule (`cheers Mo`).
    RuleGreeting = "rule_greeting",
    /// Found by the `role_title` rule (`HCA Mags`).
    RuleRoleTitle = "rule_role_title",
    /// Found by the `kin_cue` rule (`daughter Chidinma`).
    RuleKinCue = "rule_kin_cue",
    /// Found by the `name_before_evidence` rule (`Hope in bay 6`).
    RuleEvidence = "rule_name_before_evidence",
    /// Found after a patient cue word (`pt`, `NOK`, `name:`).
    RuleContext = "rule_context",
    /// Found in a list: `SMITH, John`, a bay's list of surnames, a line with an identifier.
    RuleList = "rule_list",
    /// Found as a lower-case lexicon name (`thanks sarah`, `patel in bay 4`).
    RuleLower = "rule_lower",
    /// Two or more words.
    MultiWord = "multi_word",
    /// Starts with a lower-case letter.
    LowerCase = "lower_case",
    /// Holds a word in capitals (`OKAFOR`), as admission lists write surnames.
    AllCaps = "all_caps",
    /// One word, a given name and not a surname in the lexicon.
    SingleGiven = "single_given_name",
    /// One word, a surname and not a given name in the lexicon.
    SingleSurname = "single_surname",
    /// Right after an `@`.
    AfterAt = "after_at",
    /// Right after a staff title or role with only spaces between (`Dr`, `HCA`,
    /// `Sister` with a capital).
    AfterStaffTitle = "after_staff_title",
    /// Right after Mr, Mrs, Ms, Miss, Mx or Master.
    AfterPatientTitle = "after_patient_title",
    /// A staff role before the title (`Consultant Mr Lindqvist`).
    AfterRoleAndTitle = "after_role_and_title",
    /// A patient title with a staff role before it or soon after (`Mr Eze the
    /// surgeon`, `Miss Hartley (consultant)`).
    TitleAndRole = "title_and_role",
    /// Right after `pt` or `patient`.
    AfterPt = "after_pt",
    /// Right after a kinship or contact word, not at a line start.
    AfterKin = "after_kin",
    /// After a possessive and a kinship word (`his sister Mary`, `Mrs Farah's son Ali`).
    AfterPossessiveKin = "after_possessive_kin",
    /// After a greeting or thanks that opens a line or the message (`hi Sarah`).
    AfterGreeting = "after_greeting",
    /// After ask, tell, cc, remind (`ask Jakub to...`).
    AfterAsk = "after_ask_tell",
    /// After `from` (`handover from Precious`).
    AfterFrom = "after_from",
    /// After `with` (`checked with Andreea`).
    AfterWith = "after_with",
    /// After is, are, was (`the nurse on tonight is Tomasz`).
    AfterCopula = "after_copula",
    /// After `and`, `&` or a comma or slash in a list of names.
    AfterAnd = "after_and",
    /// After `for` (`Kwabena for TCI`, `for Mr X`).
    AfterFor = "after_for",
    /// After baby of, BO.
    AfterBabyOf = "after_baby_of",
    /// A kinship word or NOK right after (`Eilidh (sister)`, `Kathleen NOK`).
    BeforeKin = "before_kin",
    /// A staff role or `band` right after (`Hywel (HCA)`, `Suzanne, ward manager`).
    BeforeStaffRole = "before_staff_role",
    /// A staff role among the next four words of the clause (`Neha the anaesthetist`,
    /// `Sunita is the practice educator`).
    BeforeRoleSoon = "before_role_soon",
    /// A rota or shift word among the next three words of the clause (`Bronwen Pugh
    /// is NIC today`, `Hui on the late`).
    BeforeRotaSoon = "before_rota_soon",
    /// One of a list of names (joined by commas, slashes, "and") that a shift or rota
    /// phrase follows or a rota heading opens (`Lucy, Hassan and Roxanne on long days`,
    /// `nights: Ola / Sorin / Jacqui`).
    RotaList = "rota_list",
    /// `from` right after (`Raj from bed management`).
    BeforeFrom = "before_from",
    /// On a shift right after (`on nights`, `on the late`, `on long days`).
    BeforeShift = "before_on_shift",
    /// `has my` right after (`Adaora has my bay`).
    BeforeHasMy = "before_has_my",
    /// `can you`, `please` right after, at a line start (`Yusuf can you...`).
    BeforeAsk = "before_can_you",
    /// A dash and `I` or `you` right after, at a line start (`Naveed - I've taken...`).
    BeforeDashI = "before_dash_i",
    /// An age or sex right after (`67F`, `91`, `7y`).
    BeforeAge = "before_age_sex",
    /// A bed, bay or side room right after (`in bay 6`, `bed4`, `SR2`).
    BeforePlace = "before_bed_or_bay",
    /// A possessive and a kinship word right after (`Wanda's son`).
    BeforePossessiveKin = "before_possessive_kin",
    /// A possessive right after (`Harold's echo`).
    BeforePossessive = "before_possessive",
    /// A patient cue word right after (`NBM`, `obs`, `DOB`).
    BeforePatientCue = "before_patient_cue",
    /// A verb of a colleague's work right after (`has done`, `will review`, `dealing`).
    BeforeStaffVerb = "before_staff_verb",
    /// A patient's predicate right after (`wants`, `has pulled`, `is sat out`).
    BeforePatientVerb = "before_patient_verb",
    /// A clock time right after (`Shelley 12:00`, `Mei 1pm`).
    BeforeTime = "before_time",
    /// A colon right after (`Mel: ...`, a heading).
    BeforeColon = "before_colon",
    /// `and`, `&`, `/` or a comma and another word right after.
    BeforeAnd = "before_and",
    /// A chat export's sender (`[14:02] Priya Kaur: ...`).
    ExportSender = "export_sender",
    /// The message's last words after a dash or a line break (`thanks\n- Priya`).
    SignOff = "sign_off",
    /// Opens a line or the message.
    LineStart = "line_start",
    /// Nothing but punctuation or emoji after it in the message.
    MessageEnd = "message_end",
    /// A patient cue word in the same clause.
    ClausePatientCue = "clause_patient_cue",
    /// A rota or shift word in the same clause.
    ClauseStaffCue = "clause_staff_cue",
    /// A staff role in the same clause.
    ClauseStaffRole = "clause_staff_role",
    /// A kinship word in the same clause.
    ClauseKin = "clause_kin",
    /// An age with a unit or sex in the same clause.
    ClauseAge = "clause_age",
    /// `you`, `u`, `your`, `you're` in the same clause: someone addressed.
    ClauseYou = "clause_second_person",
    /// `I`, `I'm`, `me`, `we` in the same clause.
    ClauseFirstPerson = "clause_first_person",
    /// `she`, `he`, `she's`, `he's`, `him` in the same clause.
    ClauseThirdPerson = "clause_third_person",
    /// A patient cue word within 160 bytes.
    WindowPatientCue = "window_patient_cue",
    /// A rota or shift word within 160 bytes.
    WindowStaffCue = "window_staff_cue",
    /// A kinship word within 160 bytes.
    WindowKin = "window_kin",
    /// An NHS, CHI or H&C number, date of birth, phone number, postcode or other
    /// high-risk identifier found within 160 bytes.
    NearIdentifier = "near_identifier",
}

/// The features that hold for one name: a set of [`Feature`]s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Features(u128);

// the set is two machine words
const _: () = assert!(Feature::ALL.len() <= 128);

impl Features {
    fn set(&mut self, f: Feature, on: bool) {
        if on {
            self.0 |= 1 << f as u8;
        }
    }

    /// Whether `f` holds.
    pub(crate) fn has(self, f: Feature) -> bool {
        self.0 & (1 << f as u8) != 0
    }

    /// The features that hold, in table order.
    pub(crate) fn iter(self) -> impl Iterator<Item = Feature> {
        Feature::ALL.iter().copied().filter(move |f| self.has(*f))
    }

    /// The model's score: above zero staff is more likely than patient (log odds).
    pub(crate) fn score(self) -> f32 {
        self.iter()
            .fold(weights::BIAS, |z, f| z + weights::WEIGHTS[f as usize])
    }
}

#[path = "subject_weights.rs"]
mod weights;

/// Whether the weights table names the features in `Feature::ALL`'s order, so a table
/// generated for another feature list does not compile.
const fn table_matches() -> bool {
    if weights::NAMES.len() != Feature::ALL.len() || weights::WEIGHTS.len() != Feature::ALL.len() {
        return false;
    }
    let mut i = 0;
    while i < Feature::ALL.len() {
        let (a, b) = (
            weights::NAMES[i].as_bytes(),
            Feature::ALL[i].name().as_bytes(),
        );
        if a.len() != b.len() {
            return false;
        }
        let mut j = 0;
        while j < a.len() {
            if a[j] != b[j] {
                return false;
            }
            j += 1;
        }
        i += 1;
    }
    true
}

const _: () = assert!(
    table_matches(),
    "subject_weights.rs is stale: regenerate it"
);

/// Why a `person_name` finding has its [`Subject`]: the named features of its context
/// that the fitted subject model weighed, its score, and the hard rule that decided
/// instead of the score, if one did ([`Scanner::explain_subjects`](super::Scanner::explain_subjects)).
///
/// ```
/// use careguard::detect::{ScanHints, Scanner, Subject};
///
/// let s = Scanner::new();
/// let why = s.explain_subjects("Bronwen Pugh is NIC today", &ScanHints::default());
/// assert_eq!(why[0].subject(), Subject::Staff);
/// assert!(why[0].features().any(|f| f == "clause_staff_cue"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SubjectEvidence {
    start: usize,
    end: usize,
    subject: Subject,
    features: Features,
    score: f32,
    rule: Option<&'static str>,
}

impl SubjectEvidence {
    /// First byte of the name.
    pub fn start(&self) -> usize {
        self.start
    }

    /// One past the last byte of the name.
    pub fn end(&self) -> usize {
        self.end
    }

    /// The subject the name was given (as in [`Finding::subject`]).
    pub fn subject(&self) -> Subject {
        self.subject
    }

    /// The names of the features that hold (documented in docs/DETECT.md).
    pub fn features(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.features.iter().map(Feature::name)
    }

    /// The model's log odds that the name is staff rather than a patient's.
    pub fn staff_score(&self) -> f32 {
        self.score
    }

    /// The hard rule that decided instead of the score: `staff_names` (a name given as
    /// staff), `file_name` (a name in a file name or path), `baby_of` (BO, baby of) or
    /// `mention` (a handle after `@`).
    pub fn rule(&self) -> Option<&'static str> {
        self.rule
    }

    /// Every feature name the model knows, in the order of its weights table.
    pub fn feature_names() -> impl Iterator<Item = &'static str> {
        Feature::ALL.iter().map(|f| f.name())
    }
}

impl super::Scanner {
    /// The evidence behind the subject of each `person_name` finding of
    /// `scan_with(text, hints)`, in the same order: for audits and for fitting the
    /// subject model (`scripts/train/fit_subject.py`).
    pub fn explain_subjects(&self, text: &str, hints: &ScanHints<'_>) -> Vec<SubjectEvidence> {
        let found = self.scan_with(text, hints);
        let mut scratch = Scratch::default();
        (0..found.len())
            .filter(|&i| found[i].kind == Kind::PersonName)
            .map(|i| judge(self, text, &found, i, hints, &mut scratch))
            .collect()
    }
}

/// Buffers reused for every name of one scan.
#[derive(Default)]
struct Scratch {
    name: Words,
    left: Words,
    right: Words,
}

/// The subject of each `person_name` in `findings` (sorted, non-overlapping).
pub(crate) fn assign(
    scanner: &super::Scanner,
    text: &str,
    findings: &mut [Finding],
    hints: &ScanHints<'_>,
) {
    let mut scratch = Scratch::default();
    for i in 0..findings.len() {
        if findings[i].kind == Kind::PersonName {
            findings[i].subject = judge(scanner, text, findings, i, hints, &mut scratch).subject;
        }
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

/// Decides the subject of `findings[i]`: hard rules for facts the text states outright,
/// else the fitted model's score over the name's features. Patient evidence wins the
/// doubtful middle (`unknown` warns like `patient`), because calling a patient's name
/// `staff` is the costly mistake.
fn judge(
    scanner: &super::Scanner,
    text: &str,
    findings: &[Finding],
    i: usize,
    hints: &ScanHints<'_>,
    w: &mut Scratch,
) -> SubjectEvidence {
    let f = &findings[i];
    let (start, end) = (f.start, f.end);
    w.name.fill(text, start, end);
    let known_staff = |list: &[Vec<String>]| {
        !w.name.is_empty()
            && list
                .iter()
                .any(|s| w.name.iter().all(|n| s.iter().any(|x| x == n)))
    };
    let near_id = neighbours(findings, i).any(|g| {
        g.kind != Kind::PersonName
            && g.kind.is_high_risk()
            && g.end + WINDOW >= start
            && g.start <= end + WINDOW
    });
    let hinted = known_staff(&scanner.staff.0) || known_staff(&hints.staff_names.0);
    let features = extract(scanner, text, f, near_id, w);
    let rule = if hinted {
        Some(("staff_names", Subject::Staff))
    } else if f.rule == "file_name"
        || text[..start].ends_with(['_', '/', '\\'])
        || text[end..].starts_with(['_', '/', '\\'])
    {
        Some(("file_name", Subject::Patient))
    } else if (w.name.len() > 1 && w.name.text(0) == "bo") || features.has(Feature::AfterBabyOf) {
        Some(("baby_of", Subject::Patient))
    } else if f.rule == "mention" || (features.has(Feature::AfterAt) && w.name.len() == 1) {
        // a handle after "@" addresses a colleague, whatever the message is about ("@Kasia
        // Ferguson bed 2" may have glued a patient's name to it, so not a longer name)
        Some(("mention", Subject::Staff))
    } else {
        None
    };
    let score = features.score();
    let subject = match rule {
        Some((_, s)) => s,
        None if score >= weights::STAFF_ABOVE => Subject::Staff,
        None if score <= weights::PATIENT_BELOW => Subject::Patient,
        None => Subject::Unknown,
    };
    SubjectEvidence {
        start,
        end,
        subject,
        features,
        score,
        rule: rule.map(|(r, _)| r),
    }
}

/// The features of the name `f` from a window of [`WINDOW`] bytes either side.
fn extract(
    scanner: &super::Scanner,
    text: &str,
    f: &Finding,
    near_id: bool,
    w: &mut Scratch,
) -> Features {
    use Feature as F;
    let cues = &scanner.cues;
    let (start, end) = (f.start, f.end);
    let mut fs = Features::default();
    fs.set(F::NearIdentifier, near_id);
    fs.set(F::RuleTitle, f.rule == "title");
    fs.set(F::RuleGreeting, f.rule == "greeting");
    fs.set(F::RuleRoleTitle, f.rule == "role_title");
    fs.set(F::RuleKinCue, f.rule == "kin_cue");
    fs.set(F::RuleEvidence, f.rule == "name_before_evidence");
    fs.set(F::RuleContext, f.rule == "context");
    fs.set(
        F::RuleList,
        matches!(f.rule, "bed_list" | "id_line" | "surname_comma_given"),
    );
    fs.set(F::RuleLower, f.rule == "lexicon_single_lower");

    let name_text = &text[start..end];
    fs.set(F::MultiWord, w.name.len() > 1);
    fs.set(
        F::LowerCase,
        name_text.chars().next().is_some_and(char::is_lowercase),
    );
    fs.set(
        F::AllCaps,
        name_text
            .split(|c: char| !c.is_alphabetic())
            .any(|p| p.chars().count() >= 2 && p.chars().all(char::is_uppercase)),
    );
    if w.name.len() == 1 {
        let flags = scanner.lexicon.lookup(w.name.text(0));
        let (given, sur) = (flags & GIVEN != 0, flags & SUR != 0);
        fs.set(F::SingleGiven, given && !sur);
        fs.set(F::SingleSurname, sur && !given);
    }

    let bytes = text.as_bytes();
    fs.set(F::AfterAt, start > 0 && bytes.get(start - 1) == Some(&b'@'));
    // a chat export's sender: "[14:02] Priya K: ...", "03/12/2026, 07:45 - Tom: ..."
    // (a bounded look back, so a long line stays linear)
    let back = floor_boundary(text, start.saturating_sub(40));
    let before = &text[back..start];
    let line_prefix = before.rsplit('\n').next().unwrap_or("");
    let whole_line = back == 0 || before.contains('\n');
    fs.set(
        F::ExportSender,
        whole_line
            && text[end..].starts_with(':')
            && line_prefix.bytes().any(|b| b.is_ascii_digit())
            && line_prefix
                .bytes()
                .all(|b| b.is_ascii_digit() || b" []:/,.-apmAPM".contains(&b)),
    );

    let from = floor_boundary(text, start.saturating_sub(WINDOW));
    let to = ceil_boundary(text, end.saturating_add(WINDOW));
    w.left.fill(text, from, start);
    w.right.fill(text, end, to);
    w.left.classify(cues);
    w.right.classify(cues);
    let (left, right) = (&w.left, &w.right);
    let nl = left.len();
    let l1 = nl.checked_sub(1).map(|k| left.text(k));
    let l2 = nl.checked_sub(2).map(|k| left.text(k));
    let l1_class = nl
        .checked_sub(1)
        .map_or(Class::default(), |k| left.class(k));
    let l2_class = nl
        .checked_sub(2)
        .map_or(Class::default(), |k| left.class(k));
    let possessed = l2.is_some_and(|w| POSSESSIVES.contains(&w))
        || nl.checked_sub(2).is_some_and(|k| {
            let (_, e) = left.range(k);
            text.get(e..)
                .is_some_and(|s| s.starts_with("'s") || s.starts_with("\u{2019}s"))
        });
    // the gap between the previous word and the name: a line break there means the
    // name starts its own line
    let gap = nl
        .checked_sub(1)
        .and_then(|k| text.get(left.range(k).1..start))
        .unwrap_or("");
    let at_line_start = left.is_empty() || gap.contains('\n');
    fs.set(F::LineStart, at_line_start);
    // only spaces between the word before and the name ("SHO: Balogun" is a heading)
    let tight_gap = gap.chars().all(|c| c == ' ' || c == '.');
    if let Some(l1) = l1.filter(|_| !at_line_start) {
        // "Sister Jones" and "ward sister Hannah" are the nursing title, "his sister
        // Mary" kin
        let nursing_sister = l1 == "sister"
            && !possessed
            && (text
                .get(left.range(nl - 1).0..)
                .is_some_and(|t| t.starts_with('S'))
                || matches!(l2, Some("ward" | "staff" | "junior" | "senior" | "charge")));
        // a two-word role: "social worker Ade"
        let pair_role =
            nl >= 2 && left.class(nl - 2).has(Class::STAFF_TITLE) && l2 != Some("sister");
        fs.set(
            F::AfterStaffTitle,
            tight_gap
                && !possessed
                && (nursing_sister
                    || pair_role
                    || (l1 != "sister" && l1_class.has(Class::STAFF_TITLE))),
        );
        let patient_title = PATIENT_TITLES[..6].contains(&l1);
        fs.set(F::AfterPatientTitle, patient_title);
        fs.set(
            F::AfterRoleAndTitle,
            patient_title && l2_class.has(Class::STAFF_TITLE),
        );
        fs.set(F::AfterPt, matches!(l1, "pt" | "patient"));
        let kin = l1_class.has(Class::KIN) || (l1 == "sister" && possessed);
        fs.set(F::AfterKin, kin);
        fs.set(F::AfterPossessiveKin, possessed && kin);
        fs.set(
            F::AfterGreeting,
            l1_class.has(Class::GREETING) && greeting_position(left, text),
        );
        fs.set(
            F::AfterAsk,
            matches!(
                l1,
                "ask" | "tell" | "cc" | "remind" | "let" | "told" | "asked"
            ),
        );
        fs.set(F::AfterFrom, l1 == "from");
        fs.set(F::AfterWith, l1 == "with");
        fs.set(F::AfterCopula, matches!(l1, "is" | "are" | "was" | "were"));
        fs.set(
            F::AfterAnd,
            l1 == "and" || l1 == "&" || gap.contains([',', '/', '&']),
        );
        fs.set(F::AfterFor, l1 == "for");
        fs.set(
            F::AfterBabyOf,
            l1 == "bo" || (l1 == "of" && l2 == Some("baby")),
        );
    }

    let r1 = right.get(0);
    let r2 = right.get(1);
    let r1_class = right.class(0);
    let r1_kin = r1_class.has(Class::KIN) || r1 == Some("sister");
    // words after a colon belong to what the name heads ("Helen: bed 2 ..."), not to it
    let r1_tight = !right.is_empty()
        && text
            .get(end..right.range(0).0)
            .is_some_and(|between| !between.contains([':', '\n']));
    let after = &text[end..];
    // the word right after the name, when only a space, bracket or comma lies between
    // ("Hywel (HCA)", "Kathleen NOK", "Suzanne, ward manager")
    let tight_r1 = (!right.is_empty())
        .then(|| text.get(end..right.range(0).0))
        .flatten()
        .filter(|between| {
            between
                .chars()
                .all(|c| matches!(c, ' ' | '(' | ',' | '-' | '\u{2013}'))
        })
        .and(r1);
    fs.set(F::BeforeKin, tight_r1.is_some() && r1_kin);
    fs.set(
        F::BeforeStaffRole,
        tight_r1
            .is_some_and(|w| (r1_class.has(Class::STAFF_TITLE) && w != "sister") || w == "band"),
    );
    fs.set(F::BeforeFrom, r1 == Some("from"));
    let shift = |k: usize| {
        right.class(k).has(Class::STAFF_CUE)
            || right
                .get(k)
                .is_some_and(|w| matches!(w, "late" | "early" | "long"))
    };
    // "on nights", "is on the late", "now on a short day"
    let on = usize::from(matches!(r1, Some("is" | "are" | "now" | "s" | "was")));
    fs.set(
        F::BeforeShift,
        right.get(on) == Some("on")
            && (shift(on + 1) || (matches!(right.get(on + 1), Some("the" | "a")) && shift(on + 2))),
    );
    fs.set(F::BeforeHasMy, r1 == Some("has") && r2 == Some("my"));
    if at_line_start {
        let asks = matches!(
            r1,
            Some("can" | "could" | "would" | "will" | "are" | "did" | "have" | "pls")
        ) && matches!(r2, Some("you" | "u" | "ya"))
            || matches!(r1, Some("please" | "pls" | "plz"));
        fs.set(F::BeforeAsk, asks);
        let dash_then_i = after.trim_start().starts_with(['-', '\u{2013}', ','])
            && matches!(
                r1,
                Some("i" | "i've" | "im" | "i'm" | "i'll" | "you" | "u" | "can" | "could")
            );
        fs.set(F::BeforeDashI, dash_then_i);
    }
    let possessive = after.starts_with("'s") || after.starts_with("\u{2019}s");
    fs.set(F::BeforePossessive, possessive);
    fs.set(F::BeforePossessiveKin, possessive && r1_kin);
    // "SR2", "bed4", "b12": a place of care glued to its number
    let place = |w: &str| {
        let head = w.trim_end_matches(|c: char| c.is_ascii_digit());
        head.len() < w.len() && matches!(head, "sr" | "bed" | "bay" | "b" | "cubicle" | "rm")
    };
    if let Some(r1) = r1.filter(|_| r1_tight) {
        fs.set(F::BeforeAge, is_age_sex(r1));
        fs.set(
            F::BeforePlace,
            !r1_class.has(Class::STAFF_TITLE)
                && !r1_class.has(Class::STAFF_CUE)
                && (place(r1) || matches!(r1, "bed" | "bay" | "sr" | "cubicle"))
                || (matches!(r1, "in" | "on" | "from")
                    && !right.is(1, Class::STAFF_CUE)
                    && r2.is_some_and(|w| {
                        matches!(w, "bed" | "bay" | "sr")
                            || place(w)
                            || w.bytes().all(|b| b.is_ascii_digit())
                    })),
        );
        fs.set(F::BeforePatientCue, r1_class.has(Class::PATIENT_CUE));
        // past an auxiliary: "has done", "is sat", "will review", "has finally opened"
        let mut k = 0;
        while k < 3
            && right.get(k).is_some_and(|w| {
                matches!(
                    w,
                    "has"
                        | "have"
                        | "had"
                        | "is"
                        | "was"
                        | "will"
                        | "can"
                        | "just"
                        | "finally"
                        | "already"
                        | "still"
                        | "now"
                        | "keeps"
                        | "been"
                        | "s"
                )
            })
        {
            k += 1;
        }
        fs.set(F::BeforeStaffVerb, right.class(k).has(Class::STAFF_VERB));
        fs.set(
            F::BeforePatientVerb,
            right.class(k).has(Class::PATIENT_VERB),
        );
    }
    let trimmed = after.trim_start_matches([' ', ',', '-', '(', '@']);
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    let unit = trimmed.get(digits..).unwrap_or("");
    fs.set(
        F::BeforeTime,
        (1..=2).contains(&digits)
            && (unit.starts_with([':', '.'])
                && unit.as_bytes().get(1).is_some_and(u8::is_ascii_digit)
                || unit.starts_with("am")
                || unit.starts_with("pm"))
            || digits == 4 && matches!(unit.bytes().next(), None | Some(b' ' | b',' | b'\n')),
    );
    fs.set(
        F::BeforeColon,
        after.trim_start_matches(' ').starts_with(':'),
    );
    fs.set(
        F::BeforeAnd,
        r1.is_some_and(|w| w == "and" || w == "&")
            || after.trim_start_matches(' ').starts_with([',', '/'])
                && r1.is_some_and(|w| w.bytes().all(|b| b.is_ascii_alphabetic())),
    );
    let message_end = !after.chars().any(char::is_alphanumeric);
    fs.set(F::MessageEnd, message_end);
    fs.set(
        F::SignOff,
        message_end && !left.is_empty() && gap.contains(['-', '\n', ',']),
    );

    // the clause: back to the previous and on to the next clause break
    let mut clause_left = nl;
    let mut edge = start;
    while clause_left > 0 {
        let (s, e) = left.range(clause_left - 1);
        if text.get(e..edge).is_none_or(ends_clause) {
            break;
        }
        clause_left -= 1;
        edge = s;
    }
    let mut clause_right = 0;
    let mut edge = end;
    while clause_right < right.len() {
        let (s, e) = right.range(clause_right);
        if text.get(edge..s).is_none_or(ends_clause) {
            break;
        }
        clause_right += 1;
        edge = e;
    }
    let in_clause = |side: u8, k: usize| {
        if side == 0 {
            k >= clause_left
        } else {
            k < clause_right
        }
    };
    for (side, words) in [(0u8, left), (1u8, right)] {
        for (k, t) in words.iter().enumerate() {
            let patient = words.is(k, Class::PATIENT_CUE);
            let staff = words.is(k, Class::STAFF_CUE);
            let kin = words.is(k, Class::KIN);
            fs.set(F::WindowPatientCue, patient);
            fs.set(F::WindowStaffCue, staff);
            fs.set(F::WindowKin, kin);
            if in_clause(side, k) {
                fs.set(F::ClausePatientCue, patient);
                fs.set(F::ClauseStaffCue, staff);
                fs.set(F::ClauseKin, kin);
                fs.set(F::ClauseAge, is_age_with_unit(t));
                fs.set(
                    F::ClauseStaffRole,
                    is_role(t, words.class(k)) && !(side == 0 && k + 1 == nl),
                );
                fs.set(
                    F::ClauseYou,
                    matches!(
                        t,
                        "you" | "u" | "your" | "you're" | "youre" | "ya" | "yours"
                    ),
                );
                fs.set(
                    F::ClauseFirstPerson,
                    matches!(
                        t,
                        "i" | "i'm"
                            | "im"
                            | "i've"
                            | "ive"
                            | "i'll"
                            | "me"
                            | "we"
                            | "we're"
                            | "we'll"
                            | "us"
                    ),
                );
                fs.set(
                    F::ClauseThirdPerson,
                    matches!(t, "she" | "he" | "she's" | "he's" | "shes" | "hes" | "him"),
                );
            }
        }
    }
    // a staff role soon after, in the clause: "Neha the anaesthetist", "Sunita is the
    // practice educator"
    fs.set(
        F::BeforeRoleSoon,
        (0..clause_right.min(4)).any(|k| is_role(right.text(k), right.class(k))),
    );
    fs.set(
        F::BeforeRotaSoon,
        (0..clause_right.min(3)).any(|k| right.is(k, Class::STAFF_CUE)),
    );
    fs.set(F::RotaList, rota_list(text, start, end, left, right));
    fs.set(
        F::TitleAndRole,
        fs.has(F::AfterPatientTitle)
            && (fs.has(F::AfterRoleAndTitle)
                || fs.has(F::BeforeStaffRole)
                || fs.has(F::BeforeRoleSoon)),
    );
    fs
}

/// Whether the name at `start..end` is one of a list of capitalised names joined by
/// commas, slashes, "&" or "and" that a shift or rota phrase follows or a rota word
/// heads ("nights: Ola / Sorin").
fn rota_list(text: &str, start: usize, end: usize, left: &Words, right: &Words) -> bool {
    let capital = |s: usize| {
        text.get(s..)
            .and_then(|t| t.chars().next())
            .is_some_and(char::is_uppercase)
    };
    let joins = |gap: &str| gap.contains([',', '/', '&']);
    let and = |w: Option<&str>| matches!(w, Some("and" | "&"));
    // rightwards over "and Roxanne", ", Hassan", "/ Sorin"
    let (mut k, mut prev_end, mut listed) = (0, end, false);
    while k < right.len().min(12) {
        let (s, e) = right.range(k);
        let gap = text.get(prev_end..s).unwrap_or("");
        if gap.contains('\n') {
            break;
        }
        let after_and = k > 0 && and(right.get(k - 1));
        if and(right.get(k)) || (capital(s) && (joins(gap) || after_and)) {
            listed = listed || capital(s);
            k += 1;
            prev_end = e;
            continue;
        }
        break;
    }
    let shift_at = |p: usize| {
        let on = p + usize::from(matches!(right.get(p), Some("are" | "is" | "now")));
        (right.get(on) == Some("on")
            && (on + 1..on + 3).any(|q| {
                right.is(q, Class::STAFF_CUE)
                    || matches!(right.get(q), Some("late" | "early" | "long"))
            }))
            || (p..p + 2).any(|q| right.is(q, Class::STAFF_CUE))
    };
    let followed = listed && k < right.len() && shift_at(k);
    // leftwards over "Lucy, " and "Ola / " to a heading such as "nights:"
    let (mut j, mut next_start) = (left.len(), start);
    while j > 0 {
        let (s, e) = left.range(j - 1);
        let gap = text.get(e..next_start).unwrap_or("");
        if gap.contains('\n') {
            break;
        }
        let before_and = j < left.len() && and(left.get(j));
        if and(left.get(j - 1)) || (capital(s) && (joins(gap) || before_and)) {
            listed = listed || capital(s);
            j -= 1;
            next_start = s;
            continue;
        }
        break;
    }
    let headed = listed
        && j > 0
        && left.is(j - 1, Class::STAFF_CUE)
        && text
            .get(left.range(j - 1).1..next_start)
            .is_some_and(|g| g.contains([':', '-', '\u{2013}']) && !g.contains('\n'));
    followed || headed
}

/// Whether the greeting word before a name opens the message or a line ("hi Sarah",
/// "good morning Jo") or closes one ("thanks Priya" at the end).
fn greeting_position(left: &Words, text: &str) -> bool {
    let n = left.len();
    if n == 0 {
        return false;
    }
    let g = left.range(n - 1).0;
    let before = if n >= 2 {
        text.get(left.range(n - 2).1..g).unwrap_or(" ")
    } else {
        "\n"
    };
    n == 1
        || before.contains('\n')
        || before.contains('.')
        || before.contains('!')
        || (n >= 2 && matches!(left.text(n - 2), "good" | "thank" | "many"))
}
