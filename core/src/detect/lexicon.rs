//! The name lexicon: folded tokens with flags (given name, surname, common word,
//! eponym, clinical word). Built once per scanner from `core/data/lexicon.txt`.

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
/// A word of `core/data/cues/kinship.txt` or `staff_titles.txt` (or "sister"): the
/// token may be a kinship cue or a staff role, checked exactly by `subject::Cues`.
pub(crate) const KIN_ROLE: Flags = 1 << 24;
/// A word of `core/data/cues/greetings.txt` (or "nice", as in "nice one Daz").
pub(crate) const GREETING: Flags = 1 << 25;

/// The cue lists whose words get [`KIN_ROLE`] and [`GREETING`], so that the evidence
/// rules test a token's flags instead of folding every word.
const CUE_FILES: &[(Flags, &str)] = &[
    (KIN_ROLE, include_str!("../../data/cues/kinship.txt")),
    (KIN_ROLE, include_str!("../../data/cues/staff_titles.txt")),
    (KIN_ROLE, "sister"),
    (GREETING, include_str!("../../data/cues/greetings.txt")),
    (GREETING, "nice"),
];

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

type FastMap = HashMap<Box<str>, Flags, BuildHasherDefault<Fnv>>;

/// Longest token the lexicon is consulted for (longer words are never names).
pub(crate) const MAX_TOKEN_BYTES: usize = 40;

#[derive(Clone)]
pub(crate) struct Lexicon {
    /// Keys of up to 8 bytes, packed little-endian into a `u64` (most words): no string
    /// comparison on lookup.
    short: HashMap<u64, Flags, BuildHasherDefault<MulHash>>,
    long: FastMap,
    /// A small direct-mapped copy of the most frequent short words (function words,
    /// context words, words of up to three letters), which stays in cache; see
    /// [`Lexicon::finish`].
    hot: Box<[(u64, Flags)]>,
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

impl Lexicon {
    pub(crate) fn builtin() -> Self {
        let mut lex = Lexicon {
            short: HashMap::with_capacity_and_hasher(70_000, BuildHasherDefault::default()),
            long: FastMap::with_capacity_and_hasher(20_000, BuildHasherDefault::default()),
            hot: Box::new([]),
        };
        // One line per flag set: "FLAGS\t" then front-coded tokens, each a character
        // '0'..='X' (the length of the prefix shared with the previous token) and the
        // rest of the token (scripts/lexicon/build_lexicon.py writes it).
        let mut token = String::with_capacity(48);
        for line in LEXICON.lines() {
            if line.starts_with('#') {
                continue;
            }
            let Some((flags, body)) = line.split_once('\t') else {
                continue;
            };
            let mut f: Flags = 0;
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
            token.clear();
            for c in body.chars() {
                if ('0'..='X').contains(&c) {
                    if !token.is_empty() {
                        lex.insert(&token.clone(), f);
                    }
                    let keep = (c as usize - '0' as usize).min(token.len());
                    token.truncate(keep);
                } else {
                    token.push(c);
                }
            }
            if !token.is_empty() {
                lex.insert(&token.clone(), f);
            }
        }
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
        for (flag, list) in CUE_FILES {
            for w in list
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.contains(' '))
            {
                lex.add(w, *flag);
            }
        }
        lex.finish();
        lex
    }

    /// Fills the hot table; call after the last `add`, since it copies flags.
    pub(crate) fn finish(&mut self) {
        let mut hot = vec![(0u64, 0 as Flags); HOT_SLOTS];
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

    /// Adds flags to a word (folded first).
    pub(crate) fn add(&mut self, word: &str, flags: Flags) {
        let mut key = String::new();
        fold_into(word, &mut key);
        if key.is_empty() {
            return;
        }
        self.insert(&key, flags);
    }

    fn insert(&mut self, folded: &str, flags: Flags) {
        match pack(folded.as_bytes()) {
            Some(k) => *self.short.entry(k).or_insert(0) |= flags,
            None => *self.long.entry(folded.into()).or_insert(0) |= flags,
        }
    }

    /// The flags of a folded token (0 when unknown).
    pub(crate) fn lookup(&self, folded: &str) -> Flags {
        self.lookup_bytes(folded.as_bytes())
    }

    /// The flags of a folded token given as bytes (0 when unknown).
    pub(crate) fn lookup_bytes(&self, folded: &[u8]) -> Flags {
        match pack(folded) {
            Some(k) => self.lookup_packed(k),
            None => core::str::from_utf8(folded)
                .ok()
                .and_then(|s| self.long.get(s).copied())
                .unwrap_or(0),
        }
    }
}

impl Lexicon {
    /// Flags of a folded word of up to 8 bytes packed as by [`pack`].
    #[inline]
    pub(crate) fn lookup_packed(&self, k: u64) -> Flags {
        match self.hot.get(hot_slot(k)) {
            Some(&(key, flags)) if key == k => flags,
            _ => self.short.get(&k).copied().unwrap_or(0),
        }
    }
}

/// Appends the folded form of `word` (lower case, Latin diacritics removed, curly
/// apostrophes straightened) to `out`.
pub(crate) fn fold_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
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
