//! The name lexicon: folded tokens with flags (given name, surname, common word,
//! eponym, clinical word). Built once per scanner from `core/data/lexicon.tsv`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::fold_table::FOLD;

/// A given name.
pub(crate) const GIVEN: u8 = 1;
/// A surname.
pub(crate) const SUR: u8 = 2;
/// A common English word ("will", "rose", "brown").
pub(crate) const WORD: u8 = 4;
/// A medical eponym or eponymous device ("Parkinson", "Foley").
pub(crate) const EPONYM: u8 = 8;
/// A clinical abbreviation, role or ward-chat word ("tia", "reg", "bay").
pub(crate) const CLINICAL: u8 = 16;
/// A title ("Mr", "Dr").
pub(crate) const TITLE: u8 = 32;
/// A very frequent word (function words, auxiliaries, common verbs) that never ends a
/// lower-case name pair: "john said", "amir is".
pub(crate) const FUNCTION: u8 = 64;
/// A month name (a date, never a name: "June", "May").
pub(crate) const MONTH: u8 = 128;

const LEXICON: &str = include_str!("../../data/lexicon.tsv");

const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "mstr",
    "master",
    "sir",
    "dame",
    "lady",
    "lord",
    "rev",
    "revd",
    "fr",
];

/// Words that make a lower-case name pair unlikely; also days of the week and other
/// capitalised words that are never names in ward chat.
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "back",
    "be",
    "been",
    "before",
    "being",
    "but",
    "by",
    "came",
    "can",
    "come",
    "could",
    "did",
    "do",
    "does",
    "done",
    "down",
    "each",
    "even",
    "ever",
    "few",
    "for",
    "from",
    "get",
    "gets",
    "give",
    "go",
    "going",
    "gone",
    "good",
    "got",
    "had",
    "has",
    "have",
    "he",
    "her",
    "here",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "just",
    "keep",
    "know",
    "last",
    "let",
    "like",
    "made",
    "make",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "need",
    "needs",
    "new",
    "next",
    "no",
    "not",
    "now",
    "of",
    "off",
    "ok",
    "okay",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "please",
    "pls",
    "plz",
    "put",
    "said",
    "same",
    "saw",
    "say",
    "says",
    "see",
    "seen",
    "she",
    "should",
    "so",
    "some",
    "still",
    "such",
    "take",
    "than",
    "thanks",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "today",
    "tomorrow",
    "tonight",
    "too",
    "under",
    "up",
    "us",
    "very",
    "want",
    "wants",
    "was",
    "we",
    "well",
    "went",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "would",
    "yes",
    "yesterday",
    "yet",
    "you",
    "your",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "christmas",
    "easter",
    "english",
    "british",
    "scottish",
    "welsh",
    "irish",
    "nhs",
    "trust",
    "god",
    "allah",
    "jesus",
    "muslim",
    "hindu",
    "sikh",
    "jewish",
    "christian",
    "catholic",
    "doing",
    "does",
    "having",
    "seems",
    "seemed",
    "looks",
    "looked",
    "feels",
    "felt",
    "reports",
    "reported",
    "denies",
    "states",
    "stated",
    "complains",
    "remains",
    "became",
    "becomes",
    "started",
    "starts",
    "stopped",
    "unable",
    "able",
    "plan",
    "aware",
    "ready",
    "fine",
    "stable",
    "settled",
    "asleep",
    "awake",
    "home",
    "bed",
    "bay",
    "ward",
    "room",
    "side",
    "chair",
];

const MONTHS: &[&str] = &[
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
];

/// Month number of a folded month token (1 to 12).
pub(crate) fn month_number(folded: &str) -> Option<u8> {
    let i = MONTHS.iter().position(|m| *m == folded)?;
    // Each month appears in MONTHS as a run of its spellings; map the index back.
    const MAP: [u8; 24] = [
        1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 6, 7, 7, 8, 8, 9, 9, 9, 10, 10, 11, 11, 12, 12,
    ];
    MAP.get(i).copied()
}

/// FNV-1a: short keys, no DoS concern (the table is fixed and the keys are bounded).
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap = HashMap<Box<str>, u8, BuildHasherDefault<Fnv>>;

/// Longest token the lexicon is consulted for (longer words are never names).
pub(crate) const MAX_TOKEN_BYTES: usize = 40;

#[derive(Clone)]
pub(crate) struct Lexicon {
    map: FastMap,
}

impl Lexicon {
    pub(crate) fn builtin() -> Self {
        let mut map = FastMap::with_capacity_and_hasher(80_000, BuildHasherDefault::default());
        for line in LEXICON.lines() {
            if line.starts_with('#') {
                continue;
            }
            let Some((token, flags)) = line.split_once('\t') else {
                continue;
            };
            let mut f = 0u8;
            for c in flags.chars() {
                f |= match c {
                    'G' => GIVEN,
                    'S' => SUR,
                    'W' => WORD,
                    'E' => EPONYM,
                    'C' => CLINICAL,
                    _ => 0,
                };
            }
            map.insert(token.into(), f);
        }
        let mut lex = Lexicon { map };
        for t in TITLES {
            lex.add(t, TITLE);
        }
        for w in FUNCTION_WORDS {
            lex.add(w, FUNCTION);
        }
        for m in MONTHS {
            lex.add(m, MONTH);
        }
        lex
    }

    /// Adds flags to a word (folded first).
    pub(crate) fn add(&mut self, word: &str, flags: u8) {
        let mut key = String::new();
        fold_into(word, &mut key);
        if key.is_empty() {
            return;
        }
        *self.map.entry(key.into_boxed_str()).or_insert(0) |= flags;
    }

    /// The flags of a folded token (0 when unknown).
    pub(crate) fn lookup(&self, folded: &str) -> u8 {
        self.map.get(folded).copied().unwrap_or(0)
    }
}

/// Appends the folded form of `word` (lower case, Latin diacritics removed, curly
/// apostrophes straightened) to `out`.
pub(crate) fn fold_into(word: &str, out: &mut String) {
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if ('\u{300}'..='\u{36f}').contains(&c) {
            // combining marks (decomposed diacritics) fold away
        } else if let Ok(i) = FOLD.binary_search_by(|(k, _)| k.cmp(&c)) {
            if let Some((_, s)) = FOLD.get(i) {
                out.push_str(s);
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
}
