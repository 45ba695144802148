//! The patient-identifier minimiser.
//!
//! NHS guidance asks staff to "minimise the amount of patient identifiable data you
//! communicate via instant messaging". A [`Scanner`] finds that data in a message:
//! NHS, CHI and H&C numbers (modulus 11 checked, told apart by range), dates of birth
//! (by context), personal names (titles, cues, a licensed name lexicon, lower-case chat),
//! postcodes, phone numbers, emails, National Insurance numbers and Trust-configured
//! hospital numbers. [`Scanner::minimise`] rewrites the message with placeholders or
//! partial masks.
//!
//! # Performance
//!
//! * **Build the scanner once** and reuse it (it is `Send + Sync`; share it between
//!   threads behind an `Arc` or a `static`). Building parses the name lexicon, about
//!   70 000 entries, which takes milliseconds; scanning a chat message takes
//!   microseconds.
//! * **Ask the cheapest question first**: [`Scanner::has_findings`] stops at the first
//!   finding; [`Scanner::scan`] finds them all; [`Scanner::minimise`] also rewrites.
//! * Scanning is one linear pass that tokenises the text and looks each word up once,
//!   plus a `memchr` pass for `@`; Trust patterns use `regex-lite` or, without that
//!   feature, core's own matcher (`O(pattern × text)` either way)
//!   under a size limit.
//!
//! # Example
//!
//! ```
//! use careguard::detect::{Kind, Scanner};
//!
//! let scanner = Scanner::new();
//! let msg = "Mr John Smith, NHS 943 476 5919, DOB 12/03/1954, bay 4";
//! let kinds: Vec<Kind> = scanner.scan(msg).iter().map(|f| f.kind).collect();
//! assert_eq!(kinds, [Kind::PersonName, Kind::NhsNumber, Kind::DateOfBirth]);
//! assert_eq!(
//!     scanner.minimise(msg),
//!     "Mr [name], NHS [NHS number], DOB [date of birth], bay 4"
//! );
//! ```
//!
//! # What must not fire
//!
//! Eponyms, places named after people and words that are also names stay quiet:
//!
//! ```
//! use careguard::detect::Scanner;
//!
//! let scanner = Scanner::new();
//! for msg in [
//!     "known Parkinson's, Hartmann's running at 80ml/hr",
//!     "Foley in situ, Wells score 2",
//!     "transferred to James Cook yesterday",
//!     "Will do. Temp rose to 39, frank haematuria",
//!     "bleep 4471, BP 120/80, lab no 4857773456",
//! ] {
//!     assert!(!scanner.has_findings(msg), "{msg}");
//! }
//! ```
//!
//! What it cannot do is written down in `docs/DETECT.md`: it finds what looks like an
//! identifier; it cannot know that "the man in bay 4 who was on the news" identifies
//! someone.

mod candidate;
mod evidence;
mod fold_table;
mod kind;
mod lexicon;
mod mask;
#[cfg(any(test, not(feature = "regex-lite")))]
mod minire;
mod names;
mod numbers;
mod patterns;
mod phrases;
mod subject;
mod token;
mod trust_patterns;

use candidate::Cand;
pub(crate) use fold_table::FOLD;
pub use kind::{Finding, Kind, MaskStyle, UnknownKind};
use lexicon::{GIVEN, Lexicon, SUR};
pub use numbers::is_valid_nhs_number;
pub use subject::{ScanHints, StaffNames, Subject, SubjectEvidence, UnknownSubject};
use token::{TokKind, Token};

/// Most Trust hospital-number patterns a scanner accepts.
pub const MAX_PATTERNS: usize = 32;
/// Compiled size limit of each Trust pattern, in bytes (`regex-lite`'s `size_limit`);
/// a pattern that needs more is refused rather than slowing every scan.
pub const PATTERN_SIZE_LIMIT: usize = 256 * 1024;
/// Most allow-list phrases and extra names a scanner accepts (each).
pub const MAX_LIST_ENTRIES: usize = 100_000;
/// Longest allow-list phrase or extra name, in bytes.
pub const MAX_ENTRY_BYTES: usize = 200;
/// Most scan-and-mask rounds of [`Scanner::minimise`] (one is almost always enough; the
/// second finds nothing).
pub const MAX_MINIMISE_ROUNDS: usize = 4;
/// The default confidence threshold: findings below it are not reported.
pub const DEFAULT_THRESHOLD: f32 = 0.5;

/// Errors of building a [`Scanner`]. They name the offending entry by index, never the
/// text scanned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A Trust pattern is not a valid regular expression.
    #[error("hospital-number pattern {index} is invalid: {reason}")]
    InvalidPattern {
        /// Index of the pattern, in the order added.
        index: usize,
        /// The regex compiler's message.
        reason: String,
    },
    /// A Trust pattern compiles to more than [`PATTERN_SIZE_LIMIT`] bytes.
    #[error("hospital-number pattern {index} exceeds the compiled size limit of {limit} bytes")]
    PatternTooBig {
        /// Index of the pattern, in the order added.
        index: usize,
        /// The limit, [`PATTERN_SIZE_LIMIT`].
        limit: usize,
    },
    /// More than [`MAX_PATTERNS`] patterns, or more than [`MAX_LIST_ENTRIES`] list entries.
    #[error("too many {what}: {got} (at most {max})")]
    TooMany {
        /// Which list: "patterns", "allow-list entries" or "extra names".
        what: &'static str,
        /// How many were given.
        got: usize,
        /// The maximum.
        max: usize,
    },
    /// An allow-list entry or extra name is empty or longer than [`MAX_ENTRY_BYTES`].
    #[error("{what} entry {index} is empty or longer than {max} bytes")]
    BadEntry {
        /// Which list.
        what: &'static str,
        /// Index of the entry.
        index: usize,
        /// The maximum, [`MAX_ENTRY_BYTES`].
        max: usize,
    },
    /// The confidence threshold is not a number between 0 and 1.
    #[error("confidence threshold must be between 0 and 1")]
    BadThreshold,
}

impl Error {
    /// The stable code the bindings report for this error.
    pub fn code(&self) -> crate::ErrorCode {
        use crate::ErrorCode as C;
        match self {
            Self::InvalidPattern { .. } | Self::PatternTooBig { .. } => C::InvalidPattern,
            Self::TooMany { .. } => C::TooLarge,
            Self::BadEntry { .. } => C::InvalidLength,
            Self::BadThreshold => C::InvalidArgument,
        }
    }
}

/// Configures and builds a [`Scanner`]. Setters take `&mut self` and return it, so one
/// builder can build many scanners.
///
/// ```
/// use careguard::detect::{Kind, MaskStyle, ScannerBuilder};
///
/// let scanner = ScannerBuilder::new()
///     .mask_style(MaskStyle::Partial)
///     .hospital_number_pattern(r"\bRX[0-9]{7}\b")
///     .allow("Nightingale")
///     .build()?;
/// assert_eq!(scanner.minimise("NHS 943 476 5919"), "NHS *** *** 5919");
/// assert_eq!(scanner.scan("ref RX1234567")[0].kind, Kind::HospitalNumber);
/// # Ok::<(), careguard::detect::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ScannerBuilder {
    enabled: [bool; Kind::ALL.len()],
    threshold: f32,
    mask: MaskStyle,
    patterns: Vec<String>,
    allow: Vec<String>,
    given: Vec<String>,
    surnames: Vec<String>,
    staff: Vec<String>,
}

impl Default for ScannerBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ScannerBuilder {
    /// A builder with the defaults: every kind on, threshold [`DEFAULT_THRESHOLD`],
    /// placeholders, no Trust patterns, no allow-list, the built-in lexicon only.
    pub fn new() -> Self {
        ScannerBuilder {
            enabled: [true; Kind::ALL.len()],
            threshold: DEFAULT_THRESHOLD,
            mask: MaskStyle::Placeholder,
            patterns: Vec::new(),
            allow: Vec::new(),
            given: Vec::new(),
            surnames: Vec::new(),
            staff: Vec::new(),
        }
    }

    /// Turns one kind on or off. Every kind is on by default.
    ///
    /// ```
    /// # use careguard::detect::{Kind, ScannerBuilder};
    /// let s = ScannerBuilder::new().kind(Kind::Postcode, false).build()?;
    /// assert!(s.scan("LS1 4AB").is_empty());
    /// # Ok::<(), careguard::detect::Error>(())
    /// ```
    pub fn kind(&mut self, kind: Kind, on: bool) -> &mut Self {
        self.enabled[kind.index()] = on;
        self
    }

    /// Enables exactly the kinds given (all others off).
    pub fn only(&mut self, kinds: &[Kind]) -> &mut Self {
        self.enabled = [false; Kind::ALL.len()];
        for k in kinds {
            self.enabled[k.index()] = true;
        }
        self
    }

    /// Findings below this confidence are dropped. The default is [`DEFAULT_THRESHOLD`]
    /// (0.5), which hides plain dates (0.3); lower it to see them.
    ///
    /// ```
    /// # use careguard::detect::{Kind, ScannerBuilder};
    /// let s = ScannerBuilder::new().confidence_threshold(0.2).build()?;
    /// assert_eq!(s.scan("clinic 14/03/2026")[0].kind, Kind::Date);
    /// # Ok::<(), careguard::detect::Error>(())
    /// ```
    pub fn confidence_threshold(&mut self, threshold: f32) -> &mut Self {
        self.threshold = threshold;
        self
    }

    /// How [`Scanner::minimise`] masks. The default is [`MaskStyle::Placeholder`].
    pub fn mask_style(&mut self, style: MaskStyle) -> &mut Self {
        self.mask = style;
        self
    }

    /// Adds a Trust hospital-number pattern, compiled under [`PATTERN_SIZE_LIMIT`]. None
    /// by default; "MRN", "hosp no" and similar cues find hospital numbers without one.
    ///
    /// Patterns use the syntax of the `regex-lite` crate (the `regex` syntax without
    /// Unicode classes, chosen to keep WASM builds small): `\d`, `\w`, `\b` and `[A-Z]`
    /// are ASCII-only and `\p{...}` is not supported, which suits hospital numbers
    /// (letters and digits). Without core's `regex-lite` feature (on by default; off in
    /// the default WASM flavour) a subset of that syntax with the same matches is
    /// accepted and the rest refused (docs/DETECT.md "Trust patterns"). Matching is
    /// `O(pattern × text)` in the worst case.
    pub fn hospital_number_pattern(&mut self, pattern: &str) -> &mut Self {
        self.patterns.push(pattern.to_owned());
        self
    }

    /// Allow-lists a phrase (a ward or staff-approved name, say): nothing inside an
    /// occurrence of it is reported. Matched case-insensitively on word boundaries.
    /// Empty by default.
    ///
    /// ```
    /// # use careguard::detect::ScannerBuilder;
    /// let s = ScannerBuilder::new().allow("Ward Beaumont").build()?;
    /// assert!(!s.has_findings("moved to Ward Beaumont"));
    /// # Ok::<(), careguard::detect::Error>(())
    /// ```
    pub fn allow(&mut self, phrase: &str) -> &mut Self {
        self.allow.push(phrase.to_owned());
        self
    }

    /// Adds given names to the lexicon (local communities, say). None by default.
    pub fn extra_given_names<I, S>(&mut self, names: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.given
            .extend(names.into_iter().map(|s| s.as_ref().to_owned()));
        self
    }

    /// Adds surnames to the lexicon. None by default.
    pub fn extra_surnames<I, S>(&mut self, names: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.surnames
            .extend(names.into_iter().map(|s| s.as_ref().to_owned()));
        self
    }

    /// Names known to be staff (the ward's rota, say): a found name all of whose words
    /// appear in one of these gets [`Subject::Staff`]. Names known only per message (a
    /// chat export's senders) go in [`ScanHints::staff_names`] instead. None by default.
    ///
    /// ```
    /// # use careguard::detect::{ScannerBuilder, Subject};
    /// let s = ScannerBuilder::new().staff_names(["Bronwen Pugh"]).build()?;
    /// assert_eq!(s.scan("Bronwen Pugh is NIC today")[0].subject, Subject::Staff);
    /// # Ok::<(), careguard::detect::Error>(())
    /// ```
    pub fn staff_names<I, S>(&mut self, names: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.staff
            .extend(names.into_iter().map(|s| s.as_ref().to_owned()));
        self
    }

    /// Builds the scanner.
    pub fn build(&self) -> Result<Scanner, Error> {
        if !(0.0..=1.0).contains(&self.threshold) {
            return Err(Error::BadThreshold);
        }
        if self.patterns.len() > MAX_PATTERNS {
            return Err(Error::TooMany {
                what: "patterns",
                got: self.patterns.len(),
                max: MAX_PATTERNS,
            });
        }
        for (index, p) in self.patterns.iter().enumerate() {
            trust_patterns::check(index, p)?;
        }
        for (what, list) in [
            ("allow-list", &self.allow),
            ("extra given names", &self.given),
            ("extra surnames", &self.surnames),
            ("staff names", &self.staff),
        ] {
            if list.len() > MAX_LIST_ENTRIES {
                return Err(Error::TooMany {
                    what,
                    got: list.len(),
                    max: MAX_LIST_ENTRIES,
                });
            }
            if let Some(index) = list
                .iter()
                .position(|e| e.trim().is_empty() || e.len() > MAX_ENTRY_BYTES)
            {
                return Err(Error::BadEntry {
                    what,
                    index,
                    max: MAX_ENTRY_BYTES,
                });
            }
        }
        let phrases = self.place_phrases();
        let places = phrases::Phrases::new(&phrases.all);
        let pattern_set = if self.patterns.is_empty() {
            None
        } else {
            Some(trust_patterns::PatternSet::new(&self.patterns)?)
        };
        Ok(self.assemble(Some(places), &phrases, pattern_set))
    }

    /// The built-in places then the allow-list, each with a curly-apostrophe twin.
    fn place_phrases(&self) -> PlacePhrases {
        let mut phrases: Vec<String> = PLACES
            .lines()
            .chain(NOT_NAMES.lines())
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect();
        let n_places = phrases.len();
        phrases.extend(self.allow.iter().map(|a| a.trim().to_owned()));
        let curly: Vec<String> = phrases
            .iter()
            .filter(|p| p.contains('\''))
            .map(|p| p.replace('\'', "\u{2019}"))
            .collect();
        phrases.extend(curly);
        PlacePhrases {
            all: phrases,
            n_places,
        }
    }

    /// The scanner from checked settings: the one place its fields are filled in.
    fn assemble(
        &self,
        places: Option<phrases::Phrases>,
        phrases: &PlacePhrases,
        patterns: Option<trust_patterns::PatternSet>,
    ) -> Scanner {
        let mut lexicon = Lexicon::builtin();
        for n in &self.given {
            lexicon.add(n.trim(), GIVEN);
        }
        for n in &self.surnames {
            lexicon.add(n.trim(), SUR);
        }
        if !(self.given.is_empty() && self.surnames.is_empty()) {
            lexicon.finish();
        }
        Scanner {
            enabled: self.enabled,
            threshold: self.threshold,
            mask: self.mask,
            lexicon,
            places,
            n_allow_start: phrases.n_places,
            longest_phrase: phrases.all.iter().map(String::len).max().unwrap_or(0),
            has_allow: !self.allow.is_empty(),
            patterns,
            cues: subject::Cues::builtin(),
            staff: StaffNames::new(&self.staff),
        }
    }
}

/// The place and allow-list phrases; ids from `n_places` on are allow-list entries.
struct PlacePhrases {
    all: Vec<String>,
    n_places: usize,
}

const PLACES: &str = include_str!("../../data/places.txt");
/// Classifications, tests, health boards and devices that look like names (issue 19).
const NOT_NAMES: &str = include_str!("../../data/cues/not_names.txt");

/// A compiled identifier scanner: build once, reuse for every message.
#[derive(Clone)]
pub struct Scanner {
    enabled: [bool; Kind::ALL.len()],
    threshold: f32,
    mask: MaskStyle,
    lexicon: Lexicon,
    places: Option<phrases::Phrases>,
    /// Pattern ids from here on are allow-list entries (they suppress every kind).
    n_allow_start: usize,
    has_allow: bool,
    /// Longest place or allow-list phrase, in bytes: the window searched around a finding.
    longest_phrase: usize,
    patterns: Option<trust_patterns::PatternSet>,
    cues: subject::Cues,
    /// Folded words of each name given to [`ScannerBuilder::staff_names`].
    staff: StaffNames,
}

impl core::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Scanner")
            .field("threshold", &self.threshold)
            .field("mask", &self.mask)
            .field("patterns", &self.patterns.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for Scanner {
    fn default() -> Self {
        Self::new()
    }
}

/// Scratch state of one scan.
#[derive(Default)]
struct Work {
    toks: Vec<Token>,
    /// Indices of the `_`, `/` and `\` tokens in `toks`, and of each `.` glued to a
    /// word before and a letter after (a file name's extension).
    seps: Vec<usize>,
    key: String,
    cands: Vec<Cand>,
}

/// Confidence of a match of a Trust's own hospital-number pattern.
const TRUST_PATTERN_CONFIDENCE: f32 = 0.9;
/// Confidence of a full date right after a name ([`dob_after_name`]).
const DOB_AFTER_NAME_CONFIDENCE: f32 = 0.9;
/// Most bytes of punctuation and spaces between a name and the date of birth after it
/// ("SMITH, John (12/03/1954)", "Okafor: 12/03/1954").
const DOB_AFTER_NAME_GAP: usize = 4;
/// Shortest date that counts as patient evidence for the name rules: day, month and
/// year ("1/3/1954", "12/03/54"), not "3/4".
const FULL_DATE_BYTES: usize = 8;
/// Length of a National Insurance number's two-letter prefix ("QQ 12 34 56 C").
const NI_PREFIX_BYTES: usize = 2;
/// Structured candidates, nearest first, tested for overlap with a name's end: a name
/// spans a few words, so only the last few candidates that start before it ends can
/// reach into it (bounded so a line dense with identifiers stays linear).
const NAME_OVERLAP_LOOKBACK: usize = 8;

/// Scratch buffers kept this big between scans; larger ones (a whole file scanned at
/// once) are freed so a thread does not hold on to them.
const KEEP_TOKENS: usize = 16 * 1024;

thread_local! {
    /// Per-thread scratch, so scanning a short message allocates only its result.
    static WORK: core::cell::RefCell<Work> = core::cell::RefCell::new(Work::default());
}

fn with_work<T>(f: impl FnOnce(&mut Work) -> T) -> T {
    WORK.with(|cell| match cell.try_borrow_mut() {
        Ok(mut w) => {
            let out = f(&mut w);
            if w.toks.capacity() > KEEP_TOKENS {
                *w = Work::default();
            }
            out
        }
        // re-entered (cannot happen today): use fresh buffers
        Err(_) => f(&mut Work::default()),
    })
}

impl Scanner {
    /// A scanner with the default configuration ([`ScannerBuilder::new`]).
    pub fn new() -> Self {
        // The defaults have no patterns or lists to check.
        let builder = ScannerBuilder::new();
        let phrases = builder.place_phrases();
        let places = phrases::Phrases::new(&phrases.all);
        builder.assemble(Some(places), &phrases, None)
    }

    /// A builder, for configuration ([`ScannerBuilder::new`]).
    pub fn builder() -> ScannerBuilder {
        ScannerBuilder::new()
    }

    /// Every identifier in `text`, sorted by start, non-overlapping.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        self.scan_with(text, &ScanHints::default())
    }

    /// [`Scanner::scan`] with facts the caller knows about this message (names known to
    /// be staff), which decide [`Finding::subject`]; the findings themselves are the
    /// same.
    pub fn scan_with(&self, text: &str, hints: &ScanHints<'_>) -> Vec<Finding> {
        with_work(|w| {
            self.collect(text, w, false);
            let mut found = self.finish(text, &mut w.cands);
            subject::assign(self, text, &mut found, hints);
            found
        })
    }

    /// Whether `text` holds any identifier: the same answer as `!scan(text).is_empty()`,
    /// cheaper when there is one early.
    pub fn has_findings(&self, text: &str) -> bool {
        with_work(|w| self.collect(text, w, true) || !self.finish(text, &mut w.cands).is_empty())
    }

    /// `text` with every finding replaced by a placeholder or a partial mask, as
    /// configured ([`ScannerBuilder::mask_style`]).
    ///
    /// Masking can reveal an identifier the original context hid (a name glued to an
    /// address that was masked, say), so the result is scanned again, and masked again
    /// if needed, up to [`MAX_MINIMISE_ROUNDS`] times: minimising twice changes nothing.
    pub fn minimise(&self, text: &str) -> String {
        let mut findings = self.scan(text);
        if findings.is_empty() {
            return text.to_owned();
        }
        let mut out = mask::apply(text, &findings, self.mask);
        for _ in 1..MAX_MINIMISE_ROUNDS {
            findings = self.scan(&out);
            if findings.is_empty() {
                break;
            }
            out = mask::apply(&out, &findings, self.mask);
        }
        out
    }

    /// `text` rewritten for findings already computed by [`Scanner::scan`] on it (one
    /// round: unlike [`Scanner::minimise`], it does not rescan the result).
    pub fn minimise_findings(&self, text: &str, findings: &[Finding]) -> String {
        mask::apply(text, findings, self.mask)
    }

    fn on(&self, k: Kind) -> bool {
        self.enabled[k.index()]
    }

    fn reportable(&self, text: &str, cands: &[Cand]) -> bool {
        cands.iter().any(|c| {
            self.on(c.kind) && c.conf >= self.threshold && !self.allowed(text, c.start, c.end)
        })
    }

    /// Whether `start..end` lies inside an allow-listed phrase.
    fn allowed(&self, text: &str, start: usize, end: usize) -> bool {
        self.has_allow
            && self.phrases_near(text, start, end, |s, e, allow| {
                allow && s <= start && end <= e
            })
    }

    /// Whether `start..end` overlaps a place or an allow-listed phrase.
    fn near_place(&self, text: &str, start: usize, end: usize) -> bool {
        self.phrases_near(text, start, end, |s, e, _| s < end && start < e)
    }

    /// Looks for place and allow-list phrases in a window around `start..end` only
    /// (findings are rare, so this is cheaper than a pass over the whole text) and
    /// tests each whole-word match `(start, end, is_allow_entry)`.
    fn phrases_near(
        &self,
        text: &str,
        start: usize,
        end: usize,
        test: impl Fn(usize, usize, bool) -> bool,
    ) -> bool {
        let Some(places) = &self.places else {
            return false;
        };
        let mut from = start.saturating_sub(self.longest_phrase);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = end.saturating_add(self.longest_phrase).min(text.len());
        while !text.is_char_boundary(to) {
            to += 1;
        }
        places.any_in(text.as_bytes(), from, to, |s, e, i| {
            test(s, e, i >= self.n_allow_start)
        })
    }

    fn numeric(&self, text: &str, w: &mut Work) {
        patterns::emails(text, &mut w.cands);
        if let Some(re) = &self.patterns {
            re.for_each(text, |start, end| {
                w.cands.push(Cand::new(
                    Kind::HospitalNumber,
                    start,
                    end,
                    TRUST_PATTERN_CONFIDENCE,
                    "trust_pattern",
                ));
            });
        }
    }

    /// Finds candidates. With `early`, returns true as soon as the structured
    /// identifiers alone give a reportable finding (names are not looked for then).
    fn collect(&self, text: &str, w: &mut Work, early: bool) -> bool {
        w.cands.clear();
        self.numeric(text, w);
        token::tokenize(text, &self.lexicon, &mut w.toks, &mut w.seps, &mut w.key);
        let toks = &w.toks;
        let mut consumed = 0usize;
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            if t.start < consumed {
                i += 1;
                continue;
            }
            match t.kind {
                TokKind::Number => {
                    let end = numbers::scan_at(text, t.start, &mut w.cands);
                    if end > t.start {
                        consumed = end;
                    } else if let Some(k) = patterns::spaced_dob_at(text, toks, i, &mut w.cands) {
                        consumed = toks[k].end;
                    } else if let Some(k) =
                        patterns::month_date_at(text, toks, i, &mut w.key, &mut w.cands)
                    {
                        consumed = toks[k].end;
                    }
                }
                TokKind::Alnum => {
                    if let Some(end) = patterns::ni_at(text, &t, &mut w.cands) {
                        consumed = end;
                    } else if patterns::postcode_at(text, toks, i, &mut w.cands) {
                        consumed = w.cands.last().map_or(t.end, |c| c.end);
                    } else if let Some(k) =
                        patterns::month_date_at(text, toks, i, &mut w.key, &mut w.cands)
                    {
                        consumed = toks[k].end;
                    }
                }
                TokKind::Word if t.lex & (lexicon::MONTH | lexicon::HOSP_CUE) != 0 => {
                    if let Some(k) =
                        patterns::month_date_at(text, toks, i, &mut w.key, &mut w.cands)
                    {
                        consumed = toks[k].end;
                    } else if let Some(k) =
                        patterns::dob_words_at(text, toks, i, &mut w.key, &mut w.cands)
                    {
                        consumed = toks[k].end;
                    } else if let Some(k) =
                        patterns::hospital_at(text, toks, i, &mut w.key, &mut w.cands)
                    {
                        consumed = toks[k].end;
                    } else if let Some(end) = patterns::ni_at(text, &t, &mut w.cands) {
                        consumed = end;
                    }
                }
                TokKind::Word if t.end - t.start == NI_PREFIX_BYTES => {
                    if let Some(end) = patterns::ni_at(text, &t, &mut w.cands) {
                        consumed = end;
                    }
                }
                TokKind::Word | TokKind::Punct => {}
            }
            i += 1;
        }
        if early {
            let mut structured = w.cands.clone();
            patterns::dob_context(text, &mut structured);
            if self.reportable(text, &structured) {
                return true;
            }
        }
        if self.on(Kind::PersonName) {
            let near_place = |s: usize, e: usize| self.near_place(text, s, e);
            let patient_id = w.cands.iter().any(|c| {
                matches!(
                    c.kind,
                    Kind::NhsNumber | Kind::ChiNumber | Kind::HcNumber | Kind::DateOfBirth
                ) || (c.kind == Kind::Date && c.end - c.start >= FULL_DATE_BYTES)
            });
            let ctx = names::NameCtx {
                text,
                toks,
                near_place: &near_place,
                patient_id,
            };
            let mut names_out = Vec::new();
            ctx.scan(&mut names_out);
            let mut by_evidence = Vec::new();
            evidence::scan(
                text,
                toks,
                &w.seps,
                &self.lexicon,
                &self.cues,
                &mut w.key,
                &mut by_evidence,
            );
            by_evidence.retain(|n| !self.near_place(text, n.start, n.end));
            names_out.extend(by_evidence);
            // a name must not swallow a structured identifier: cut it before one (so
            // the answer does not change once that identifier is masked), or drop it
            w.cands.sort_by_key(|c| (c.start, c.end));
            let structured = &w.cands;
            names_out.retain_mut(|n| {
                let upto = structured.partition_point(|c| c.start < n.end);
                let Some(first_hit) = structured[..upto]
                    .iter()
                    .rev()
                    .take(NAME_OVERLAP_LOOKBACK)
                    .filter(|c| n.start < c.end)
                    .map(|c| c.start)
                    .min()
                else {
                    return true;
                };
                let kept = text
                    .get(n.start..first_hit.max(n.start))
                    .unwrap_or("")
                    .trim_end_matches(|c: char| !c.is_alphanumeric());
                n.end = n.start + kept.len();
                !kept.is_empty()
            });
            w.cands.extend(names_out);
        }
        w.cands.sort_by_key(|c| (c.start, c.end));
        dob_after_name(text, &mut w.cands);
        patterns::dob_context(text, &mut w.cands);
        if self.has_allow {
            w.cands.retain(|c| !self.allowed(text, c.start, c.end));
        }
        false
    }

    fn finish(&self, text: &str, pending: &mut Vec<Cand>) -> Vec<Finding> {
        pending.retain(|c| self.on(c.kind) && c.conf >= self.threshold && c.start < c.end);
        pending.sort_by_key(|c| (c.start, core::cmp::Reverse(c.end)));
        let mut kept: Vec<Cand> = Vec::with_capacity(pending.len());
        for c in pending.drain(..) {
            match kept.last_mut() {
                Some(last) if c.start < last.end => {
                    let better =
                        (c.priority(), c.end - c.start) > (last.priority(), last.end - last.start);
                    if better {
                        *last = c;
                    }
                }
                _ => kept.push(c),
            }
        }
        // a replacement may now overlap its predecessor; drop such stragglers
        let mut out: Vec<Cand> = Vec::with_capacity(kept.len());
        for c in kept {
            if out.last().is_some_and(|l| c.start < l.end) {
                continue;
            }
            out.push(c);
        }
        utf16_findings(text, &out)
    }
}

/// A full date right after a name in an admission list ("SMITH, John (12/03/1954)") is
/// a date of birth.
fn dob_after_name(text: &str, cands: &mut [Cand]) {
    for i in 1..cands.len() {
        let (prev, cur) = (cands[i - 1], cands[i]);
        if prev.kind == Kind::PersonName && cur.kind == Kind::Date && prev.end <= cur.start {
            let gap = text.get(prev.end..cur.start).unwrap_or("x");
            if gap.len() <= DOB_AFTER_NAME_GAP
                && gap
                    .chars()
                    .all(|c| matches!(c, ' ' | '(' | ',' | '-' | ':' | '\u{2013}' | '['))
            {
                cands[i].kind = Kind::DateOfBirth;
                cands[i].conf = DOB_AFTER_NAME_CONFIDENCE;
                cands[i].rule = "dob_after_name";
            }
        }
    }
}

/// Adds UTF-16 offsets in one walk over the text.
fn utf16_findings(text: &str, cands: &[Cand]) -> Vec<Finding> {
    let ascii = text.is_ascii();
    let mut pos = 0usize;
    let mut pos16 = 0usize;
    let mut to16 = |byte: usize| -> usize {
        if ascii {
            return byte;
        }
        if byte < pos {
            pos = 0;
            pos16 = 0;
        }
        if let Some(s) = text.get(pos..byte) {
            pos16 += s.chars().map(char::len_utf16).sum::<usize>();
            pos = byte;
        }
        pos16
    };
    cands
        .iter()
        .map(|c| {
            let start_utf16 = to16(c.start);
            let end_utf16 = to16(c.end);
            Finding {
                kind: c.kind,
                start: c.start,
                end: c.end,
                start_utf16,
                end_utf16,
                confidence: c.conf,
                rule: c.rule,
                subject: Subject::Unknown,
            }
        })
        .collect()
}
