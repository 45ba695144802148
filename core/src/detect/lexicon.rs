//! The name lexicon: folded tokens with flags (given name, surname, common word,
//! eponym, clinical word) and frequency priors (how common a token is as a given name,
//! a surname and an English word). Built once per scanner from `core/data/lexicon.txt`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::fold_table::FOLD;

/// Lexicon flags of a token.
pub(crate) type Flags = u32;

/// A given name.
pub(crate) const GIVEN: Flags = 1;
/// A surname.
pub(crate) const SUR: Flags = 2;
/// A common English word ("will", "rose", "brown").
pub(crate) const WORD: Flags = 4;
/// A medical eponym or eponymous device ("Parkinson", "Foley").
pub(crate) const EPONYM: Flags = 8;
/// A clinical abbreviation, role or ward-chat word ("tia", "reg", "bay").
pub(crate) const CLINICAL: Flags = 16;
/// A title ("Mr", "Dr").
pub(crate) const TITLE: Flags = 32;
/// A very frequent word (function words, auxiliaries, common verbs) that never ends a
/// lower-case name pair: "john said", "amir is".
pub(crate) const FUNCTION: Flags = 64;
/// A month name (a date, never a name: "June", "May").
pub(crate) const MONTH: Flags = 128;

/// The flags that say what a word is (the rest say which context list it is in).
pub(crate) const LEXICAL: Flags = 0xFF;

/// Context words of the name rules, one flag per list (see `names.rs`).
pub(crate) const CUE: Flags = 1 << 8;
/// A relative or a thing of a patient after a possessive ("Ahmed's daughter").
pub(crate) const RELATION: Flags = 1 << 9;
/// A word after a name that makes it a place ("James Cook hospital", "Lister ward").
pub(crate) const PLACE_NEXT: Flags = 1 << 10;
/// A word after a name that makes it an eponym ("Wells score", "Bell's palsy").
pub(crate) const EPONYM_NEXT: Flags = 1 << 11;
/// A name particle ("bin", "van", "Ní").
pub(crate) const PARTICLE: Flags = 1 << 12;
/// A verb before a lower-case single name ("tell fatima").
pub(crate) const LOWER_BEFORE: Flags = 1 << 13;
/// A location after a lower-case single name ("fatima in bay 3").
pub(crate) const LOCATION: Flags = 1 << 14;
/// "St", "Saint": a place or church follows.
pub(crate) const SAINT: Flags = 1 << 15;
/// "in", "on".
pub(crate) const IN_ON: Flags = 1 << 16;
/// "is", "was", "called", "named" after a cue.
pub(crate) const COPULA: Flags = 1 << 17;
/// First word of a hospital-number cue ("MRN", "hosp", "unit").
pub(crate) const HOSP_CUE: Flags = 1 << 18;
/// "number", "no", "num" after a hospital-number cue word.
pub(crate) const NUMBER_WORD: Flags = 1 << 19;
/// "of" ("12th of March").
pub(crate) const OF: Flags = 1 << 20;
/// A word after a lower-case single name that makes it one ("fatima is back").
pub(crate) const LOWER_AFTER: Flags = 1 << 21;
/// A cue after which even a word the lexicon does not know is a name ("pt Oyelaran").
pub(crate) const STRONG_CUE: Flags = 1 << 22;
/// A hospital or institution commonly named by a surname alone ("the Christie").
pub(crate) const INSTITUTION: Flags = 1 << 23;

const CONTEXT_LISTS: &[(Flags, &[&str])] = &[
    (
        CUE,
        &[
            "pt",
            "patient",
            "pts",
            "name",
            "named",
            "called",
            "nok",
            "relative",
            "daughter",
            "son",
            "wife",
            "husband",
            "partner",
            "mum",
            "mother",
            "dad",
            "father",
            "brother",
            "carer",
            "niece",
            "nephew",
            "grandson",
            "granddaughter",
            "re",
            "regarding",
            "surname",
            "forename",
            "aka",
        ],
    ),
    (
        RELATION,
        &[
            "daughter",
            "daughters",
            "son",
            "sons",
            "wife",
            "husband",
            "partner",
            "mum",
            "mother",
            "dad",
            "father",
            "family",
            "nok",
            "carer",
            "carers",
            "sister",
            "brother",
            "niece",
            "nephew",
            "grandson",
            "granddaughter",
            "children",
            "kids",
            "friend",
            "relatives",
            "gp",
            "bloods",
            "obs",
            "meds",
            "notes",
            "results",
            "scan",
            "ecg",
            "xray",
            "discharge",
            "tto",
            "ttos",
            "cannula",
            "catheter",
            "drug",
            "fluids",
            "room",
            "bed",
            "bay",
            "wound",
            "pain",
            "next",
            "girlfriend",
            "boyfriend",
            "fiance",
            "fiancee",
            "neighbour",
            "son-in-law",
            "daughter-in-law",
            "care",
            "social",
            "consent",
            "case",
            "referral",
            "appointment",
        ],
    ),
    (
        PLACE_NEXT,
        &[
            "ward",
            "wd",
            "unit",
            "hospital",
            "hosp",
            "house",
            "centre",
            "center",
            "wing",
            "hospice",
            "building",
            "suite",
            "theatre",
            "theatres",
            "clinic",
            "practice",
            "surgery",
            "road",
            "rd",
            "street",
            "lane",
            "avenue",
            "ave",
            "way",
            "close",
            "drive",
            "school",
            "college",
            "university",
            "infirmary",
            "court",
            "lodge",
            "trust",
            "foundation",
            "institute",
            "block",
            "library",
            "site",
            "campus",
            "hub",
            "lounge",
            "annexe",
            "pavilion",
            "department",
            "dept",
            "service",
            "services",
            "medical",
            "health",
            "memorial",
            "general",
            "royal",
            "community",
            "station",
            "airport",
            "park",
            "square",
            "gardens",
            "terrace",
            "crescent",
            "place",
            "grove",
            "hill",
            "view",
            "mews",
            "row",
            "walk",
            "estate",
            "green",
            "ward's",
        ],
    ),
    (
        EPONYM_NEXT,
        &[
            "disease",
            "syndrome",
            "sign",
            "signs",
            "score",
            "palsy",
            "cyst",
            "fracture",
            "test",
            "criteria",
            "scale",
            "classification",
            "solution",
            "catheter",
            "catheters",
            "tube",
            "reflex",
            "triad",
            "manoeuvre",
            "maneuver",
            "procedure",
            "operation",
            "lymphoma",
            "sarcoma",
            "tumour",
            "tumor",
            "ulcer",
            "oesophagus",
            "esophagus",
            "phenomenon",
            "node",
            "nodes",
            "needle",
            "mask",
            "position",
            "incision",
            "repair",
            "pouch",
            "sheath",
            "balloon",
            "protocol",
            "equation",
            "formula",
            "index",
            "grade",
            "stage",
            "law",
            "cells",
            "canal",
            "duct",
            "gland",
            "ligament",
            "tendon",
            "nerve",
            "artery",
            "plexus",
            "bundle",
            "contracture",
            "encephalopathy",
            "psychosis",
            "dementia",
            "chorea",
            "thyroiditis",
            "contraction",
            "aneurysm",
            "diverticulum",
            "hernia",
            "neuralgia",
            "neuroma",
            "tremor",
            "gangrene",
            "stockings",
            "bag",
            "drain",
            "splint",
            "frame",
            "traction",
            "technique",
            "method",
            "regimen",
            "crisis",
            "type",
            "staging",
            "lesion",
            "lesions",
            "spots",
            "nodules",
            "murmur",
            "pulse",
            "breathing",
            "respiration",
            "tear",
            "sprue",
            "effect",
            "fluid",
            "tubes",
            "valve",
            "device",
            "retractor",
            "forceps",
            "clamp",
            "suture",
            "graft",
            "shunt",
            "line",
            "lines",
            "anomaly",
            "malformation",
            "diverticulitis",
            "arthritis",
            "meningitis",
            "toxin",
            "protein",
            "proteins",
            "pupil",
            "pupils",
            "tests",
            "murmurs",
            "hoist",
        ],
    ),
    (
        INSTITUTION,
        &[
            "freeman",
            "christie",
            "marsden",
            "royal",
            "walton",
            "papworth",
            "brompton",
            "harefield",
            "whittington",
            "churchill",
            "radcliffe",
            "hammersmith",
            "alder",
            "nuffield",
            "tavistock",
            "maudsley",
            "wythenshawe",
            "gartnavel",
            "ninewells",
            "raigmore",
            "musgrove",
            "morriston",
            "wrightington",
            "stanmore",
            "bupa",
            "spire",
        ],
    ),
    // identifier labels that follow a name in lists ("Mrs Begum DOB 12/03/1954")
    (CLINICAL, &["nino", "dob", "mrn", "hcn"]),
    // "mrs kaur post hartmann's": timing words that follow a name in handovers
    (CLINICAL, &["post", "pre"]),
    (
        PARTICLE,
        &[
            "bin", "binti", "bint", "al", "el", "van", "von", "de", "da", "di", "du", "le", "la",
            "ni", "nic", "mac", "mc", "o", "ap", "ab", "mhic", "ui", "abu", "ibn", "ben", "der",
            "den", "dos", "das", "del", "della", "giolla", "an", "thi", "ter", "ten", "bte",
            "ould",
        ],
    ),
    (
        LOWER_BEFORE,
        &[
            "see",
            "review",
            "check",
            "tell",
            "ask",
            "call",
            "bleep",
            "chase",
            "discharge",
            "admit",
            "transfer",
            "move",
            "reposition",
            "turn",
            "for",
            "with",
            "thanks",
            "thank",
            "thx",
            "cheers",
            "hi",
            "hey",
            "morning",
            "evening",
            "dear",
            "ta",
            "and",
            "on",
            "is",
        ],
    ),
    (
        LOCATION,
        &["bay", "bed", "sr", "cubicle", "side", "room", "br", "b"],
    ),
    (SAINT, &["st", "saint", "ste"]),
    (IN_ON, &["in", "on"]),
    (COPULA, &["is", "was", "called", "named"]),
    (
        HOSP_CUE,
        &[
            "mrn", "hospital", "hosp", "unit", "pas", "case", "crn", "hospno", "rxx", "mrno",
        ],
    ),
    (NUMBER_WORD, &["number", "no", "num", "nr"]),
    (OF, &["of"]),
    (
        STRONG_CUE,
        &[
            "pt", "patient", "pts", "name", "named", "called", "surname", "forename", "nok", "aka",
        ],
    ),
    (
        LOWER_AFTER,
        &[
            "is", "was", "has", "had", "needs", "wants", "back", "refusing", "asking", "says",
            "said", "going", "went", "keeps", "in", "still",
        ],
    ),
];

const LEXICON: &str = include_str!("../../data/lexicon.txt");

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
    "eid",
    "mubarak",
    "diwali",
    "ramadan",
    "hanukkah",
    "vaisakhi",
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

/// How common a token is as a given name, a surname and an English word, each a bucket
/// `0..=7`: 0 absent, 1 the rarest, 7 the most common. core/data/SOURCES.md says which
/// counts or word-list levels map to which bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Priors {
    /// Given-name frequency bucket.
    pub given: u8,
    /// Surname frequency bucket.
    pub surname: u8,
    /// English-word frequency bucket.
    pub word: u8,
}

/// Highest bucket of a prior.
pub(crate) const PRIOR_MAX: u8 = 7;

/// A token's flags (low 32 bits) and priors (three 4-bit fields above them) in one
/// word, so one hash lookup answers both.
type Entry = u64;

const GIVEN_SHIFT: u32 = 32;
const SUR_SHIFT: u32 = 36;
const WORD_SHIFT: u32 = 40;

impl Priors {
    fn to_entry(self) -> Entry {
        (Entry::from(self.given.min(PRIOR_MAX)) << GIVEN_SHIFT)
            | (Entry::from(self.surname.min(PRIOR_MAX)) << SUR_SHIFT)
            | (Entry::from(self.word.min(PRIOR_MAX)) << WORD_SHIFT)
    }

    fn from_entry(e: Entry) -> Self {
        // the masks keep each field within 0..=15, and stored values are at most 7
        let field = |shift: u32| ((e >> shift) & 0xF) as u8;
        Priors {
            given: field(GIVEN_SHIFT),
            surname: field(SUR_SHIFT),
            word: field(WORD_SHIFT),
        }
    }

    /// Keeps the larger bucket of each prior.
    fn max(self, other: Priors) -> Priors {
        Priors {
            given: self.given.max(other.given),
            surname: self.surname.max(other.surname),
            word: self.word.max(other.word),
        }
    }

    /// Priors for a token whose lexicon line gives flags but no buckets, and for names
    /// added at run time (`ScannerBuilder::given_names`): a name listed without a count
    /// is taken as rare (1); a word as common (the level of SCOWL's small list).
    fn from_flags(f: Flags) -> Priors {
        Priors {
            given: u8::from(f & GIVEN != 0),
            surname: u8::from(f & SUR != 0),
            word: if f & WORD != 0 { WORD_SMALL_LIST } else { 0 },
        }
    }
}

/// Word bucket of the words of SCOWL's small list (size 35), which carry [`WORD`].
const WORD_SMALL_LIST: u8 = 5;

/// Flags of an entry.
fn flags_of(e: Entry) -> Flags {
    // the low 32 bits are the flags by construction
    (e & 0xFFFF_FFFF) as Flags
}

type FastMap = HashMap<Box<str>, Entry, BuildHasherDefault<Fnv>>;

/// Longest token the lexicon is consulted for (longer words are never names).
pub(crate) const MAX_TOKEN_BYTES: usize = 40;

#[derive(Clone)]
pub(crate) struct Lexicon {
    /// Keys of up to 8 bytes, packed little-endian into a `u64` (most words): no string
    /// comparison on lookup.
    short: HashMap<u64, Entry, BuildHasherDefault<MulHash>>,
    long: FastMap,
    /// A small direct-mapped copy of the most frequent short words (function words,
    /// context words, words of up to three letters), which stays in cache; see
    /// [`Lexicon::finish`].
    hot: Box<[(u64, Entry)]>,
}

/// Slots of the hot table (16 bytes each: 64 KiB). Chosen with `benches/benches/detect.rs`
/// (`detect/scan/chat_1mb`): most words of chat text are a few hundred short ones.
const HOT_SLOTS: usize = 4096;

fn hot_slot(k: u64) -> usize {
    ((k ^ (k >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 52) as usize % HOT_SLOTS
}

/// Multiply-shift hash for packed short keys.
#[derive(Default)]
pub(crate) struct MulHash(u64);

impl Hasher for MulHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 =
                (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Packs a key of at most 8 bytes (and never NUL) into a `u64`.
pub(crate) fn pack(key: &[u8]) -> Option<u64> {
    if key.len() > 8 {
        return None;
    }
    let mut buf = [0u8; 8];
    buf[..key.len()].copy_from_slice(key);
    Some(u64::from_le_bytes(buf))
}

#[allow(
    dead_code,
    reason = "the priors API is for the scored detector of issue 19, merged separately"
)]
impl Lexicon {
    pub(crate) fn builtin() -> Self {
        let mut lex = Lexicon {
            short: HashMap::with_capacity_and_hasher(70_000, BuildHasherDefault::default()),
            long: FastMap::with_capacity_and_hasher(20_000, BuildHasherDefault::default()),
            hot: Box::new([]),
        };
        lex.load(LEXICON);
        for t in TITLES {
            lex.add(t, TITLE);
        }
        for w in FUNCTION_WORDS {
            lex.add(w, FUNCTION);
        }
        for m in MONTHS {
            lex.add(m, MONTH);
        }
        for (flag, words) in CONTEXT_LISTS {
            for w in *words {
                lex.add(w, *flag);
            }
        }
        lex.finish();
        lex
    }

    /// Reads lexicon data: one line per section, a key, a tab, then front-coded tokens,
    /// each a character '0'..='X' (the length of the prefix shared with the previous
    /// token) and the rest of the token (scripts/lexicon/build_lexicon.py writes it).
    /// The key is flag letters (`G S W E C`), optionally followed by `:` and three digits,
    /// the given-name, surname and word buckets; without them, the buckets follow the
    /// flags ([`Priors::from_flags`]). A name prior without the name flag is a token that
    /// is mostly a word ("king"), which the flag-based rules should not take for a name.
    fn load(&mut self, data: &str) {
        let mut token = String::with_capacity(48);
        for line in data.lines() {
            if line.starts_with('#') {
                continue;
            }
            let Some((key, body)) = line.split_once('\t') else {
                continue;
            };
            let entry = section_entry(key);
            token.clear();
            for c in body.chars() {
                if ('0'..='X').contains(&c) {
                    if !token.is_empty() {
                        self.insert_entry(&token, entry);
                    }
                    let keep = (c as usize - '0' as usize).min(token.len());
                    token.truncate(keep);
                } else {
                    token.push(c);
                }
            }
            if !token.is_empty() {
                self.insert_entry(&token, entry);
            }
        }
    }

    /// Fills the hot table; call after the last `add`, since it copies flags.
    pub(crate) fn finish(&mut self) {
        let mut hot = vec![(0u64, 0 as Entry); HOT_SLOTS];
        let hot_words = FUNCTION_WORDS
            .iter()
            .chain(CONTEXT_LISTS.iter().flat_map(|(_, w)| w.iter()))
            .chain(MONTHS.iter())
            .chain(TITLES.iter());
        for w in hot_words {
            if let Some(k) = pack(w.as_bytes()) {
                let slot = &mut hot[hot_slot(k)];
                if slot.0 == 0 {
                    *slot = (k, self.short.get(&k).copied().unwrap_or(0));
                }
            }
        }
        for (&k, &f) in &self.short {
            // words of up to three letters
            if k >> 24 == 0 {
                let slot = &mut hot[hot_slot(k)];
                if slot.0 == 0 {
                    *slot = (k, f);
                }
            }
        }
        self.hot = hot.into_boxed_slice();
    }

    /// Adds flags to a word (folded first). A given name or surname added this way with
    /// no bucket yet gets the rarest bucket (see [`Priors::from_flags`]).
    pub(crate) fn add(&mut self, word: &str, flags: Flags) {
        let mut key = String::new();
        fold_into(word, &mut key);
        if key.is_empty() {
            return;
        }
        self.insert_entry(
            &key,
            Entry::from(flags) | Priors::from_flags(flags).to_entry(),
        );
    }

    /// Merges an entry into a folded token's: flags are OR-ed, each prior keeps its
    /// larger bucket.
    fn insert_entry(&mut self, folded: &str, entry: Entry) {
        let slot = match pack(folded.as_bytes()) {
            Some(k) => self.short.entry(k).or_insert(0),
            None => self.long.entry(folded.into()).or_insert(0),
        };
        let priors = Priors::from_entry(*slot).max(Priors::from_entry(entry));
        *slot = Entry::from(flags_of(*slot) | flags_of(entry)) | priors.to_entry();
    }

    /// The flags of a folded token (0 when unknown).
    pub(crate) fn lookup(&self, folded: &str) -> Flags {
        self.lookup_bytes(folded.as_bytes())
    }

    /// The flags of a folded token given as bytes (0 when unknown).
    pub(crate) fn lookup_bytes(&self, folded: &[u8]) -> Flags {
        flags_of(self.entry_bytes(folded))
    }

    /// The frequency priors of a folded token (all 0 when unknown).
    pub(crate) fn priors(&self, folded: &str) -> Priors {
        self.priors_bytes(folded.as_bytes())
    }

    /// The frequency priors of a folded token given as bytes (all 0 when unknown).
    pub(crate) fn priors_bytes(&self, folded: &[u8]) -> Priors {
        Priors::from_entry(self.entry_bytes(folded))
    }

    /// Flags and priors of a folded token from one lookup.
    pub(crate) fn lookup_with_priors(&self, folded: &[u8]) -> (Flags, Priors) {
        let e = self.entry_bytes(folded);
        (flags_of(e), Priors::from_entry(e))
    }

    fn entry_bytes(&self, folded: &[u8]) -> Entry {
        match pack(folded) {
            Some(k) => match self.hot.get(hot_slot(k)) {
                Some(&(key, entry)) if key == k => entry,
                _ => self.short.get(&k).copied().unwrap_or(0),
            },
            None => core::str::from_utf8(folded)
                .ok()
                .and_then(|s| self.long.get(s).copied())
                .unwrap_or(0),
        }
    }
}

/// The entry every token of a lexicon section gets, from the section's key
/// (see [`Lexicon::load`]).
fn section_entry(key: &str) -> Entry {
    let (letters, buckets) = key.split_once(':').unwrap_or((key, ""));
    let mut f: Flags = 0;
    for c in letters.chars() {
        f |= match c {
            'G' => GIVEN,
            'S' => SUR,
            'W' => WORD,
            'E' => EPONYM,
            'C' => CLINICAL,
            _ => 0,
        };
    }
    let digits: Vec<u8> = buckets
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|d| (d - b'0').min(PRIOR_MAX))
        .collect();
    let priors = match digits.as_slice() {
        &[given, surname, word] => Priors {
            given,
            surname,
            word,
        },
        _ => Priors::from_flags(f),
    };
    Entry::from(f) | priors.to_entry()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> Lexicon {
        Lexicon {
            short: HashMap::default(),
            long: FastMap::default(),
            hot: Box::new([]),
        }
    }

    #[test]
    fn section_keys_give_flags_and_priors() {
        let p = |given, surname, word| Priors {
            given,
            surname,
            word,
        };
        let e = section_entry("GS:530");
        assert_eq!(flags_of(e), GIVEN | SUR);
        assert_eq!(Priors::from_entry(e), p(5, 3, 0));
        // buckets never add flags: "king" is a surname by count, a word to the rules
        let e = section_entry("W:047");
        assert_eq!(flags_of(e), WORD);
        assert_eq!(Priors::from_entry(e), p(0, 4, 7));
        let e = section_entry("E:004");
        assert_eq!(flags_of(e), EPONYM);
        assert_eq!(Priors::from_entry(e), p(0, 0, 4));
        // without buckets, priors follow the flags
        let e = section_entry("GW");
        assert_eq!(flags_of(e), GIVEN | WORD);
        assert_eq!(Priors::from_entry(e), p(1, 0, WORD_SMALL_LIST));
    }

    #[test]
    fn load_reads_front_coded_sections_and_keeps_the_larger_bucket() {
        let mut lex = empty();
        lex.load("# comment\nG:700\t0james2ne\nS:020\t0jameson0smith\nS:040\t0smith\n");
        lex.finish();
        let j = lex.priors("james");
        assert_eq!((j.given, j.surname, j.word), (7, 0, 0));
        assert_eq!(lex.priors("jane").given, 7);
        assert_eq!(lex.priors("jameson").surname, 2);
        // "smith" is in two sections: flags merge, the larger bucket wins
        assert_eq!(lex.priors("smith").surname, 4);
        assert_eq!(lex.lookup("smith"), SUR);
        assert_eq!(lex.priors("nobody"), Priors::default());
        let (f, p) = lex.lookup_with_priors(b"jane");
        assert_eq!((f, p.given), (GIVEN, 7));
    }

    #[test]
    fn long_tokens_and_added_names_have_priors() {
        let mut lex = empty();
        lex.load("S:030\t0wolfeschlegelsteinhausen\n");
        lex.add("Oyelaran", SUR);
        lex.add("Wolfeschlegelsteinhausen", GIVEN);
        lex.finish();
        let p = lex.priors("wolfeschlegelsteinhausen");
        assert_eq!((p.given, p.surname), (1, 3));
        assert_eq!(lex.priors("oyelaran").surname, 1);
        assert_eq!(lex.lookup("oyelaran"), SUR);
    }

    #[test]
    fn builtin_priors_agree_with_flags() {
        let lex = Lexicon::builtin();
        for token in [
            "james",
            "smith",
            "rose",
            "will",
            "the",
            "parkinson",
            "fatima",
        ] {
            let f = lex.lookup(token);
            let p = lex.priors(token);
            // a name flag always has its prior (not the converse: "king" is a word)
            assert!(f & GIVEN == 0 || p.given > 0, "{token}");
            assert!(f & SUR == 0 || p.surname > 0, "{token}");
            assert_eq!(p.word >= WORD_SMALL_LIST, f & WORD != 0, "{token}");
        }
        assert!(lex.priors("james").given > 0);
        assert!(lex.priors("smith").surname > 0);
        assert!(lex.priors("rose").word > 0 && lex.priors("rose").given > 0);
        // the hot table (short frequent words) answers priors too
        assert_eq!(lex.priors("the").word, lex.priors_bytes(b"the").word);
        assert_eq!(lex.priors("xqzv"), Priors::default());
    }
}
