//! Personal names: titles, "SURNAME, Given" lists, context cues, possessives before a
//! relative, given-name + surname pairs (also in lower case) and single unambiguous
//! lexicon names; then the blocks that keep eponyms, places and common words quiet.

use super::Kind;
use super::candidate::Cand;
use super::lexicon::{CLINICAL, EPONYM, FUNCTION, GIVEN, MONTH, SUR, TITLE, WORD};
use super::token::{Case, TokKind, Token, folded};

/// Longest name, in tokens.
const MAX_PARTS: usize = 5;

const PARTICLES: &[&str] = &[
    "bin", "binti", "bint", "al", "el", "van", "von", "de", "da", "di", "du", "le", "la", "ni",
    "nic", "mac", "mc", "o", "ap", "ab", "mhic", "ui", "abu", "ibn", "ben", "der", "den", "dos",
    "das", "del", "della", "st",
];

const CUES: &[&str] = &[
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
];

const RELATIONS: &[&str] = &[
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
    "obs",
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
    "mum's",
    "care",
    "social",
    "consent",
    "case",
    "referral",
    "appointment",
];

const PLACE_NEXT: &[&str] = &[
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
];

const EPONYM_NEXT: &[&str] = &[
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
];

/// Verbs and prepositions before a lower-case single given name that make it a name:
/// "can you see amir", "tell fatima".
const SINGLE_LOWER_BEFORE: &[&str] = &[
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
    "obs",
    "for",
    "with",
];

/// Words after a lower-case single name that make it a name: "fatima in bay 3".
const LOCATION_AFTER: &[&str] = &["bay", "bed", "sr", "cubicle", "side", "room", "br", "b"];

pub(crate) struct NameCtx<'a> {
    pub(crate) text: &'a str,
    pub(crate) toks: &'a [Token],
    /// Byte ranges of places and allow-listed phrases (sorted by start).
    pub(crate) blocked: &'a [(usize, usize)],
}

fn is_word(t: &Token) -> bool {
    t.kind == TokKind::Word
}

fn cap(t: &Token) -> bool {
    t.case != Case::Lower
}

fn known(t: &Token) -> bool {
    t.lex & (GIVEN | SUR) != 0
}

fn ambiguous(t: &Token) -> bool {
    t.lex & (WORD | FUNCTION | EPONYM) != 0
}

/// Never part of a name on its own strength.
fn blocked(t: &Token) -> bool {
    !is_word(t) || t.lex & (CLINICAL | TITLE | MONTH) != 0 || (t.lex & FUNCTION != 0 && !known(t))
}

impl NameCtx<'_> {
    fn word(&self, t: &Token, key: &mut String) -> bool {
        folded(self.text, t, key);
        true
    }

    fn is(&self, i: usize, words: &[&str], key: &mut String) -> bool {
        match self.toks.get(i) {
            Some(t) if is_word(t) => {
                self.word(t, key);
                words.contains(&key.as_str())
            }
            _ => false,
        }
    }

    fn len(&self, t: &Token) -> usize {
        self.text
            .get(t.start..t.end)
            .map_or(0, |s| s.chars().count())
    }

    /// A single capital letter, maybe with a full stop: "J" or "J.". Returns the index of
    /// the last token of the initial.
    fn initial(&self, i: usize) -> Option<usize> {
        let t = self.toks.get(i)?;
        if !(is_word(t) && t.case == Case::Title && self.len(t) == 1) {
            return None;
        }
        match self.toks.get(i + 1) {
            Some(p) if p.kind == TokKind::Punct && p.ch == '.' && !p.space_before => Some(i + 1),
            _ => Some(i),
        }
    }

    /// Collects name parts from `i`. `strong`: after a title or cue, unknown capitalised
    /// and lower-case known words count. Returns the index of the last name token.
    fn collect(&self, i: usize, strong: bool, key: &mut String) -> Option<usize> {
        let mut last = None;
        let mut j = i;
        let mut parts = 0;
        while parts < MAX_PARTS {
            let Some(t) = self.toks.get(j) else { break };
            if j > i && (t.nl_before || !t.space_before) {
                break;
            }
            if let Some(end) = self.initial(j) {
                if strong || parts > 0 {
                    last = Some(end);
                    j = end + 1;
                    parts += 1;
                    continue;
                }
                break;
            }
            if blocked(t) {
                break;
            }
            let ok = if cap(t) {
                if t.case == Case::Upper && !known(t) {
                    strong && self.len(t) >= 3 && t.lex == 0
                } else {
                    known(t) || t.lex == 0 || (strong && t.lex & (WORD | EPONYM) != 0)
                }
            } else if parts > 0 && self.is(j, PARTICLES, key) {
                // a particle must be followed by a capitalised part
                let next_cap = self
                    .toks
                    .get(j + 1)
                    .is_some_and(|n| is_word(n) && cap(n) && !n.nl_before);
                if next_cap {
                    j += 1;
                    continue;
                }
                false
            } else {
                known(t) && t.lex & FUNCTION == 0 && (strong || !ambiguous(t) || parts > 0)
                    || (strong && t.lex == 0 && self.len(t) >= 3)
            };
            if !ok {
                break;
            }
            last = Some(j);
            parts += 1;
            if t.poss {
                break;
            }
            j += 1;
        }
        last
    }

    fn push(&self, first: usize, last: usize, conf: f32, rule: &'static str, out: &mut Vec<Cand>) {
        let (Some(a), Some(b)) = (self.toks.get(first), self.toks.get(last)) else {
            return;
        };
        let end = if b.kind == TokKind::Punct {
            b.start
        } else {
            b.end
        };
        out.push(Cand::new(
            Kind::PersonName,
            a.start,
            end.max(a.end),
            conf,
            rule,
        ));
    }

    /// Whether the name tokens `first..=last` are a place, an eponym or next to a place
    /// word.
    fn vetoed(&self, first: usize, last: usize, by_title: bool, key: &mut String) -> bool {
        let (Some(a), Some(b)) = (self.toks.get(first), self.toks.get(last)) else {
            return true;
        };
        if self.blocked.iter().any(|&(s, e)| s < b.end && a.start < e) {
            return true;
        }
        let next = last + 1;
        let next_on_line = self.toks.get(next).is_some_and(|n| !n.nl_before);
        if next_on_line && self.is(next, PLACE_NEXT, key) && !b.poss {
            return true;
        }
        if next_on_line && self.is(next, EPONYM_NEXT, key) {
            return true;
        }
        if first > 0 && self.is(first - 1, &["st", "saint", "ste"], key) {
            return true;
        }
        if first >= 2
            && self
                .toks
                .get(first - 1)
                .is_some_and(|p| p.kind == TokKind::Punct && p.ch == '.')
            && self.is(first - 2, &["st"], key)
        {
            return true;
        }
        if !by_title {
            let toks = &self.toks[first..=last];
            if toks.iter().any(|t| t.lex & EPONYM != 0) && (toks.len() == 1 || b.poss) {
                return true;
            }
        }
        false
    }

    /// Finds names; `out` receives candidates.
    pub(crate) fn scan(&self, key: &mut String, out: &mut Vec<Cand>) {
        let toks = self.toks;
        let mut i = 0;
        while i < toks.len() {
            match self.at(i, key, out) {
                Some(last) => i = last + 1,
                None => i += 1,
            }
        }
    }

    fn at(&self, i: usize, key: &mut String, out: &mut Vec<Cand>) -> Option<usize> {
        let t = self.toks.get(i)?;
        if !is_word(t) {
            return None;
        }
        // 1. Titles: Mr, Mrs, Dr, Prof...
        if t.lex & TITLE != 0 && !(t.case == Case::Upper && t.lex & CLINICAL != 0) {
            let mut j = i + 1;
            if self
                .toks
                .get(j)
                .is_some_and(|p| p.kind == TokKind::Punct && p.ch == '.' && !p.space_before)
            {
                j += 1;
            }
            if let Some(last) = self.collect(j, true, key) {
                let first_ok = self.toks.get(j).is_some_and(|f| !f.nl_before);
                if first_ok && !self.vetoed(j, last, true, key) {
                    self.push(j, last, 0.95, "title", out);
                    return Some(last);
                }
            }
            return None;
        }
        // 2. SURNAME, Given (admission lists) and SURNAME Given.
        if let Some(last) = self.surname_given(i, key) {
            if !self.vetoed(i, last, false, key) {
                self.push(i, last, 0.95, "surname_comma_given", out);
                return Some(last);
            }
        }
        // 3. Cue words: "pt", "patient", "NOK", "daughter" ...
        if self.is(i, CUES, key) && !t.poss {
            let mut j = i + 1;
            while self.toks.get(j).is_some_and(|p| {
                p.kind == TokKind::Punct && matches!(p.ch, ':' | '-' | ',' | '=' | '\u{2013}')
            }) {
                j += 1;
            }
            if self.is(j, &["is", "was", "called", "named"], key) {
                j += 1;
            }
            if let Some(n) = self.toks.get(j) {
                if !n.nl_before && (cap(n) || (known(n) && !ambiguous(n))) {
                    if let Some(last) = self.collect(j, cap(n), key) {
                        let single_word = last == j
                            && self
                                .toks
                                .get(j)
                                .is_some_and(|x| x.lex & (WORD | FUNCTION) != 0 && !known(x));
                        if !single_word && !self.vetoed(j, last, false, key) {
                            self.push(j, last, 0.85, "context", out);
                            return Some(last);
                        }
                    }
                }
            }
        }
        // 4. Runs of name-like words.
        let last = self.collect(i, false, key)?;
        let run = &self.toks[i..=last];
        let n = run.len();
        let first = &run[0];
        let lastt = &run[n - 1];
        // a possessive before a relative: "spoke to Ahmed's daughter"
        let relation_follows = lastt.poss
            && self.toks.get(last + 1).is_some_and(|r| !r.nl_before)
            && self.is(last + 1, RELATIONS, key);
        if relation_follows && !self.vetoed(i, last, false, key) && (cap(first) || known(first)) {
            self.push(i, last, 0.85, "possessive_relation", out);
            return Some(last);
        }
        if n >= 2 {
            let all_cap = run.iter().all(|t| cap(t) || t.kind != TokKind::Word);
            let all_lower = run.iter().all(|t| !cap(t));
            let given_first = first.lex & GIVEN != 0;
            let sur_last = lastt.lex & SUR != 0;
            let any_unambiguous = run.iter().any(|t| known(t) && !ambiguous(t));
            let ok = if all_cap {
                let upper = run.iter().all(|t| t.case == Case::Upper);
                if upper {
                    run.iter().all(known) && any_unambiguous
                } else if ambiguous(first) && self.sentence_start(i) {
                    given_first && sur_last && !ambiguous(lastt)
                } else {
                    (given_first || sur_last || any_unambiguous) && (known(first) || known(lastt))
                }
            } else if all_lower {
                given_first && !ambiguous(first) && known(lastt)
                    || (any_unambiguous && run.iter().all(known) && sur_last && given_first)
            } else {
                (given_first || sur_last) && any_unambiguous
            };
            if ok && !self.vetoed(i, last, false, key) {
                let conf = if all_lower { 0.85 } else { 0.9 };
                self.push(i, last, conf, "name_pair", out);
                return Some(last);
            }
            if !ok {
                return None;
            }
            return Some(last);
        }
        // 5. A single name.
        let len = self.len(first);
        if !known(first) || ambiguous(first) || len < 3 {
            return None;
        }
        if first.case == Case::Title {
            let conf = if first.lex & GIVEN != 0 { 0.75 } else { 0.7 };
            if !self.vetoed(i, i, false, key) {
                self.push(i, i, conf, "lexicon_single", out);
                return Some(i);
            }
        } else if first.case == Case::Upper {
            if !self.vetoed(i, i, false, key) && first.lex & CLINICAL == 0 {
                self.push(i, i, 0.6, "lexicon_single", out);
                return Some(i);
            }
        } else {
            let before = i > 0 && !first.nl_before && self.is(i - 1, SINGLE_LOWER_BEFORE, key);
            let after = self.toks.get(i + 1).is_some_and(|a| !a.nl_before)
                && (self.is(i + 1, LOCATION_AFTER, key)
                    || (self.is(i + 1, &["in", "on"], key) && self.is(i + 2, LOCATION_AFTER, key)));
            if (before || after || first.poss) && !self.vetoed(i, i, false, key) {
                self.push(i, i, 0.6, "lexicon_single_lower", out);
                return Some(i);
            }
        }
        None
    }

    /// "SMITH, John", "Smith, John", "SMITH John": returns the index of the last token.
    fn surname_given(&self, i: usize, key: &mut String) -> Option<usize> {
        let t = self.toks.get(i)?;
        if blocked(t) || !cap(t) {
            return None;
        }
        let upper = t.case == Case::Upper;
        let sur_ok = if upper {
            (t.lex & SUR != 0 || t.lex == 0) && self.len(t) >= 2
        } else {
            t.lex & SUR != 0 && !ambiguous(t)
        };
        if !sur_ok {
            return None;
        }
        let comma = self
            .toks
            .get(i + 1)
            .is_some_and(|p| p.kind == TokKind::Punct && p.ch == ',' && !p.nl_before);
        let g = if comma { i + 2 } else { i + 1 };
        let n = self.toks.get(g)?;
        if n.nl_before || n.case != Case::Title || blocked(n) {
            return None;
        }
        let bare_pair = upper && t.lex & SUR != 0 && n.lex & GIVEN != 0 && !ambiguous(n);
        if !comma && !bare_pair {
            return None;
        }
        if comma && !(n.lex & GIVEN != 0 || (upper && n.lex == 0)) {
            return None;
        }
        let last = self.collect(g, true, key)?;
        Some(last)
    }

    /// Whether token `i` begins a sentence or a line.
    fn sentence_start(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        let t = &self.toks[i];
        if t.nl_before {
            return true;
        }
        self.toks.get(i - 1).is_some_and(|p| {
            p.kind == TokKind::Punct && matches!(p.ch, '.' | '!' | '?' | ':' | '-' | '(' | '"')
        })
    }
}
