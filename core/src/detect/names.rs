//! Personal names: titles, "SURNAME, Given" lists, context cues, possessives before a
//! relative, given-name + surname pairs (also in lower case) and single unambiguous
//! lexicon names; then the blocks that keep eponyms, places and common words quiet.

use super::Kind;
use super::candidate::Cand;
use super::lexicon::{
    CLINICAL, COPULA, CUE, EPONYM, EPONYM_NEXT, FUNCTION, Flags, GIVEN, IN_ON, INSTITUTION,
    LEXICAL, LOCATION, LOWER_AFTER, LOWER_BEFORE, MONTH, PARTICLE, PLACE_NEXT, RELATION, SAINT,
    STRONG_CUE, SUR, TITLE, WORD,
};
use super::token::{Case, TokKind, Token};

/// Longest name, in tokens.
const MAX_PARTS: usize = 5;

pub(crate) struct NameCtx<'a> {
    pub(crate) text: &'a str,
    pub(crate) toks: &'a [Token],
    /// Whether a byte range overlaps a place or an allow-listed phrase.
    pub(crate) near_place: &'a dyn Fn(usize, usize) -> bool,
    /// The message holds an NHS, CHI or H&C number or a full date: words that open a
    /// line are then likely the patient's name.
    pub(crate) patient_id: bool,
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

/// Not in the lexicon as a name or a word (context-list flags aside).
fn unknown(t: &Token) -> bool {
    t.lex & LEXICAL == 0
}

/// Never part of a name on its own strength.
fn blocked(t: &Token) -> bool {
    !is_word(t)
        || t.lex & (CLINICAL | TITLE | MONTH | STRONG_CUE) != 0
        || (t.lex & FUNCTION != 0 && !known(t))
}

impl NameCtx<'_> {
    /// Whether token `i` is a word carrying `flag`.
    fn is(&self, i: usize, flag: Flags) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| is_word(t) && t.lex & flag != 0)
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
        if !(is_word(t) && t.case == Case::Title && t.end - t.start <= 4 && self.len(t) == 1) {
            return None;
        }
        match self.toks.get(i + 1) {
            Some(p) if p.kind == TokKind::Punct && p.ch == '.' && !p.space_before => Some(i + 1),
            _ => Some(i),
        }
    }

    /// Collects name parts from `i`. `strong`: after a title or cue, unknown capitalised
    /// and lower-case known words count. Returns the index of the last name token.
    fn collect(&self, i: usize, strong: bool) -> Option<usize> {
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
                    if t.poss {
                        break;
                    }
                    continue;
                }
                break;
            }
            if blocked(t) && !self.month_as_name(j, parts) {
                break;
            }
            let particle_then_cap = parts > 0
                && t.lex & PARTICLE != 0
                && self.toks.get(j + 1).is_some_and(|n| {
                    is_word(n)
                        && !n.nl_before
                        && (cap(n) || (known(n) && n.lex & FUNCTION == 0) || unknown(n))
                });
            if particle_then_cap {
                j += 1;
                continue;
            }
            let ok = if cap(t) {
                if t.case == Case::Upper && !known(t) {
                    // after a title: an unknown upper-case word, or initials ("Mr JJ Smith")
                    strong && unknown(t) && (self.len(t) >= 3 || parts == 0)
                } else {
                    known(t) || unknown(t) || (strong && t.lex & (WORD | EPONYM) != 0)
                }
            } else {
                known(t) && t.lex & FUNCTION == 0 && (strong || !ambiguous(t) || parts > 0)
                    || (strong && unknown(t) && self.len(t) >= 3)
            };
            // a lower-case word does not continue a capitalised name: "Victoria line"
            let case_break = parts > 0
                && !cap(t)
                && self
                    .toks
                    .get(j.wrapping_sub(1))
                    .is_some_and(|p| is_word(p) && cap(p));
            if !ok || case_break {
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

    /// Pushes the name `first..=last`, widened over adjacent particles and name parts
    /// (see [`Self::widen`]); returns the index of its last token.
    fn push(
        &self,
        first: usize,
        last: usize,
        conf: f32,
        rule: &'static str,
        out: &mut Vec<Cand>,
    ) -> usize {
        let (first, last) = self.widen(first, last);
        let (Some(a), Some(b)) = (self.toks.get(first), self.toks.get(last)) else {
            return last;
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
        last
    }

    /// Whether token `k` directly follows token `k - 1` on the same line after a space.
    fn joined(&self, k: usize) -> bool {
        self.toks
            .get(k)
            .is_some_and(|t| !t.nl_before && t.space_before)
    }

    /// Widens a found name so that minimised text never leaks part of it: back over
    /// particles ("VAN DER Merwe", "ní Bhriain"), an initial ("A. Okonkwo") and name
    /// parts in the same case ("nguyễn thị lan", "ah-young kim", "Wing Yan Lau"); forward
    /// over a particle and the word after it ("Mac an tSaoir"), hyphenated Arabic
    /// particles ("al-harbi") and unknown all-caps words ("ZOË BRONTË").
    fn widen(&self, mut first: usize, mut last: usize) -> (usize, usize) {
        for _ in 0..3 {
            let Some(f) = self.toks.get(first) else { break };
            if first == 0 || f.nl_before || !f.space_before {
                break;
            }
            let k = first - 1;
            if first >= 2
                && self
                    .toks
                    .get(k)
                    .is_some_and(|p| p.kind == TokKind::Punct && p.ch == '.' && !p.space_before)
                && f.case != Case::Lower
            {
                if self.initial(first - 2) == Some(k) {
                    first -= 2;
                }
                break;
            }
            let Some(t) = self.toks.get(k) else { break };
            if !is_word(t) || t.poss || t.lex & (CLINICAL | TITLE | MONTH | CUE | LOCATION) != 0 {
                break;
            }
            let particle =
                t.lex & PARTICLE != 0 && (t.case != Case::Upper || f.case == Case::Upper);
            let same_case = t.case == f.case;
            let name_part = same_case
                && t.lex & FUNCTION == 0
                && ((t.lex & GIVEN != 0 && t.case != Case::Lower)
                    || (known(t) && !ambiguous(t))
                    || (unknown(t) && self.non_ascii(t))
                    || (self.hyphenated(t)
                        && t.lex & (EPONYM | CLINICAL | FUNCTION) == 0
                        && self.len(t) <= 10));
            if !(particle || name_part) {
                break;
            }
            first = k;
        }
        for _ in 0..3 {
            let Some(l) = self.toks.get(last) else { break };
            if l.poss || !self.joined(last + 1) {
                break;
            }
            let Some(t) = self.toks.get(last + 1) else {
                break;
            };
            if !is_word(t) || t.lex & (CLINICAL | TITLE | MONTH | CUE | LOCATION) != 0 {
                break;
            }
            if t.lex & PARTICLE != 0 && !t.poss && self.joined(last + 2) {
                let after = self.toks.get(last + 2).is_some_and(|n| {
                    is_word(n)
                        && !blocked(n)
                        && (unknown(n) || (known(n) && !ambiguous(n)))
                        && (n.case == Case::Lower) == (l.case == Case::Lower)
                        || (is_word(n) && n.case == Case::Lower && unknown(n) && self.len(n) >= 3)
                });
                if after {
                    last += 2;
                    continue;
                }
                break;
            }
            let arabic = self.hyphenated(t)
                && self.text.get(t.start..t.end).is_some_and(|w| {
                    let w = w.to_ascii_lowercase();
                    [
                        "al-", "el-", "ul-", "abu-", "abd-", "bin-", "ibn-", "ben-", "bint-",
                    ]
                    .iter()
                    .any(|p| w.starts_with(p))
                });
            let caps = l.case == Case::Upper
                && t.case == Case::Upper
                && unknown(t)
                && self.len(t) >= 4
                && self.non_ascii(t);
            if !(arabic || caps) {
                break;
            }
            last += 1;
        }
        (first, last)
    }

    /// Whether a word token holds a letter outside ASCII ("trần", "Łukasz").
    fn non_ascii(&self, t: &Token) -> bool {
        self.text.get(t.start..t.end).is_some_and(|w| !w.is_ascii())
    }

    /// Whether a word token holds a hyphen ("ah-young", "al-harbi").
    fn hyphenated(&self, t: &Token) -> bool {
        self.text
            .get(t.start..t.end)
            .is_some_and(|w| w.contains('-'))
    }

    /// Whether the name tokens `first..=last` are a place, an eponym or next to a place
    /// word.
    fn vetoed(&self, first: usize, last: usize, by_title: bool) -> bool {
        let (Some(a), Some(b)) = (self.toks.get(first), self.toks.get(last)) else {
            return true;
        };
        let next = last + 1;
        let next_on_line = self.toks.get(next).is_some_and(|n| !n.nl_before);
        if b.lex & PLACE_NEXT != 0 && last > first {
            // "Church Street", "Mill Lane"
            return true;
        }
        // "Mrs Okoro ward 12", "Dinh Thi Lan ward 9": a title, or a ward with a number,
        // means the name is a person's, not the ward's
        let numbered_ward = next_on_line
            && self
                .toks
                .get(next)
                .and_then(|n| self.text.get(n.start..n.end))
                .is_some_and(|w| w.eq_ignore_ascii_case("ward"))
            && self.toks.get(next + 1).is_some_and(|n| {
                !n.nl_before && matches!(n.kind, TokKind::Number | TokKind::Alnum)
            });
        if next_on_line && self.is(next, PLACE_NEXT) && !b.poss && !numbered_ward {
            return true;
        }
        if next_on_line && (self.is(next, EPONYM_NEXT) || self.procedure(next)) {
            return true;
        }
        // "Austin Flint murmur", "Morse fall score": one word between the name and the
        // clinical head noun
        let gap_ok = self.toks.get(next).is_some_and(|g| {
            is_word(g)
                && !g.poss
                && (cap(g)
                    || self.text.get(g.start..g.end).is_some_and(|w| {
                        matches!(w, "fall" | "risk" | "coma" | "pain" | "frailty")
                    }))
        });
        if next_on_line && gap_ok && self.joined(next + 1) && self.is(next + 1, EPONYM_NEXT) {
            return true;
        }
        if !by_title && first == last && a.lex & INSTITUTION != 0 && a.case != Case::Lower {
            // "Christie referral", "the Royal in Belfast": a hospital, not a person
            return true;
        }
        if first > 0 && self.is(first - 1, SAINT) {
            return true;
        }
        if first >= 2
            && self
                .toks
                .get(first - 1)
                .is_some_and(|p| p.kind == TokKind::Punct && p.ch == '.')
            && self.is(first - 2, SAINT)
        {
            return true;
        }
        if !by_title {
            let toks = &self.toks[first..=last];
            if toks.iter().any(|t| t.lex & EPONYM != 0) && (toks.len() == 1 || b.poss) {
                return true;
            }
        }
        (self.near_place)(a.start, b.end)
    }

    /// Finds names; `out` receives candidates.
    pub(crate) fn scan(&self, out: &mut Vec<Cand>) {
        let toks = self.toks;
        let mut i = 0;
        while i < toks.len() {
            match self.at(i, out) {
                Some(last) => i = last + 1,
                None => i += 1,
            }
        }
    }

    fn at(&self, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let t = self.toks.get(i)?;
        if !is_word(t) {
            return None;
        }
        // glued to a word before it by ".", "@", "/", "_" or "-": part of an address, a
        // path or an identifier ("example.HMED", "ward/Smith"), not a name ("1.John"
        // in a numbered list still is one)
        let glued = i >= 2
            && !t.space_before
            && self.toks.get(i - 1).is_some_and(|p| {
                p.kind == TokKind::Punct
                    && !p.space_before
                    && matches!(p.ch, '.' | '@' | '/' | '_' | '-' | '\\')
            })
            && self
                .toks
                .get(i - 2)
                .is_some_and(|q| q.kind != TokKind::Number);
        if glued {
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
            if let Some(last) = self.collect(j, true) {
                let first_ok = self.toks.get(j).is_some_and(|f| !f.nl_before);
                if first_ok && !self.vetoed(j, last, true) {
                    return Some(self.push(j, last, 0.95, "title", out));
                }
            }
            return None;
        }
        // 2. SURNAME, Given (admission lists) and SURNAME Given.
        if let Some(last) = self.surname_given(i) {
            if !self.vetoed(i, last, false) {
                return Some(self.push(i, last, 0.95, "surname_comma_given", out));
            }
        }
        // 3a. A bed before a name in a list: "Bed 4 - Oduya", "Bay 2: Mrs X", "SR3 Khan".
        if self.is(i, LOCATION) {
            let mut j = i + 1;
            let numbered = self.toks.get(j).is_some_and(|n| {
                matches!(n.kind, TokKind::Number | TokKind::Alnum) && n.end - n.start <= 3
            });
            if numbered {
                j += 1;
                let mut punct = false;
                while self.toks.get(j).is_some_and(|p| {
                    p.kind == TokKind::Punct && matches!(p.ch, ':' | '-' | ')' | '.' | '\u{2013}')
                }) {
                    punct = true;
                    j += 1;
                }
                let name_start = self.toks.get(j).is_some_and(|n| {
                    is_word(n) && n.case == Case::Title && !n.nl_before && !blocked(n)
                });
                if punct {
                    if let Some(last) = self.lower_list(j, out) {
                        return Some(last);
                    }
                }
                if punct && name_start {
                    if let Some(last) = self.collect(j, true) {
                        let lone_word = last == j
                            && self
                                .toks
                                .get(j)
                                .is_some_and(|x| x.lex & (WORD | EPONYM) != 0 && !known(x));
                        // a lone word the lexicon does not know as a name must end the
                        // phrase ("Bed 4 - Oduya, ?sepsis"), not start a sentence
                        // ("Bay 4 - Tazocin started")
                        let lone_unknown = last == j
                            && self.toks.get(j).is_some_and(|x| !known(x))
                            && self.toks.get(j + 1).is_some_and(|n| {
                                !n.nl_before && is_word(n) && n.case == Case::Lower
                            });
                        if !lone_word && !lone_unknown && !self.vetoed(j, last, false) {
                            return Some(self.push(j, last, 0.8, "bed_list", out));
                        }
                    }
                }
            }
        }
        // 3. Cue words: "pt", "patient", "NOK", "daughter" ...
        if self.is(i, CUE) && !t.poss {
            let mut j = i + 1;
            while self.toks.get(j).is_some_and(|p| {
                p.kind == TokKind::Punct && matches!(p.ch, ':' | '-' | ',' | '=' | '\u{2013}')
            }) {
                j += 1;
            }
            if self.is(j, COPULA) {
                j += 1;
            }
            if let Some(n) = self.toks.get(j) {
                // "pt will brown": after a strong cue a lower-case pair of names wins
                // over the common-word guard
                let strong_lower = !cap(n) && known(n) && ambiguous(n) && self.is(i, STRONG_CUE);
                if !n.nl_before && (cap(n) || (known(n) && !ambiguous(n)) || strong_lower) {
                    let found = self.collect(j, cap(n) || strong_lower).filter(|&l| {
                        !strong_lower || (l > j && self.toks[j..=l].iter().all(known))
                    });
                    if let Some(last) = found {
                        let single_word = last == j
                            && self
                                .toks
                                .get(j)
                                .is_some_and(|x| x.lex & (WORD | FUNCTION) != 0 && !known(x));
                        // after a weak cue ("re", "daughter") a lone word must be a known name
                        // ... unless a kinship word after "his"/"her"/"their" names them:
                        // "his wife Eirlys", "her son, Dele, is NOK"
                        let kin = self.is(i, RELATION)
                            && i > 0
                            && self.toks.get(i - 1).is_some_and(|p| {
                                is_word(p)
                                    && self
                                        .text
                                        .get(p.start..p.end)
                                        .is_some_and(|w| matches!(w, "his" | "her" | "their"))
                            })
                            && self
                                .toks
                                .get(j)
                                .is_some_and(|x| x.case == Case::Title && unknown(x));
                        let weak_unknown = last == j
                            && !self.is(i, STRONG_CUE)
                            && !kin
                            && self.toks.get(j).is_some_and(|x| !known(x));
                        if !single_word && !weak_unknown && !self.vetoed(j, last, false) {
                            return Some(self.push(j, last, 0.85, "context", out));
                        }
                    }
                }
            }
        }
        // 4. A lower-case surname that is also a word, before a bed: "smith in bay 4".
        let located = self.toks.get(i + 1).is_some_and(|a| !a.nl_before)
            && (self.is(i + 1, LOCATION)
                || (self.is(i + 1, IN_ON) && self.is(i + 2, LOCATION))
                || self.in_number(i + 1));
        if t.case == Case::Lower
            && t.lex & SUR != 0
            && t.lex & (FUNCTION | EPONYM | CLINICAL | MONTH | TITLE) == 0
            && self.len(t) >= 3
            && located
            && (i == 0 || t.nl_before || !self.is(i - 1, WORD | FUNCTION))
            && !self.vetoed(i, i, false)
        {
            return Some(self.push(i, i, 0.6, "lexicon_single_lower", out));
        }
        // 4b. Lower-case words no dictionary knows, opening a line of a message that
        // carries a patient identifier: "jhun santos nhs 436 835 2505 dob 03/06/1942".
        if let Some(last) = self.id_line_name(i) {
            return Some(self.push(i, last, 0.7, "id_line", out));
        }
        // 5. Runs of name-like words.
        let last = self.collect(i, false)?;
        let run = &self.toks[i..=last];
        let n = run.len();
        let first = &run[0];
        let lastt = &run[n - 1];
        // a possessive before a relative: "spoke to Ahmed's daughter"
        let relation_follows = lastt.poss
            && self.toks.get(last + 1).is_some_and(|r| !r.nl_before)
            && self.is(last + 1, RELATION);
        if relation_follows && !self.vetoed(i, last, false) && (cap(first) || known(first)) {
            return Some(self.push(i, last, 0.85, "possessive_relation", out));
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
                    (given_first || sur_last || any_unambiguous)
                        && (known(first) || known(lastt))
                        && !run.iter().any(|t| t.lex & FUNCTION != 0)
                }
            } else if all_lower {
                given_first && !ambiguous(first) && known(lastt)
                    || (any_unambiguous && run.iter().all(known) && sur_last && given_first)
            } else {
                (given_first || sur_last) && any_unambiguous
            };
            // "Joy Hope in bay 6", "Somchai Srisuk for OGD": a capitalised pair at the
            // start of a line or sentence before a ward phrase, every word a name or
            // unknown to the lexicon
            let ward_pair = !ok
                && all_cap
                && n <= 3
                && run
                    .iter()
                    .all(|t| t.case == Case::Title && (known(t) || unknown(t)))
                && !run.iter().any(|t| t.lex & FUNCTION != 0)
                && (!run.iter().any(|t| t.lex & EPONYM != 0)
                    || first.lex & (GIVEN | EPONYM) == GIVEN)
                && self.sentence_start(i)
                && self.ward_follows(last);
            let ok = ok || ward_pair;
            if ok && !self.vetoed(i, last, false) {
                let conf = if all_lower { 0.85 } else { 0.9 };
                return Some(self.push(i, last, conf, "name_pair", out));
            }
            // names the lexicon does not know, before an age and sex ("45F")
            if !ok && all_cap && self.age_sex_follows(last) && !self.vetoed(i, last, false) {
                return Some(self.push(i, last, 0.8, "name_before_age", out));
            }
            if !ok {
                return None;
            }
            return Some(last);
        }
        if first.poss {
            // a lone possessive without a relative is usually an eponym: "Barrett's"
            return None;
        }
        if first.case == Case::Title
            && (unknown(first) || known(first))
            && !ambiguous(first)
            && self.age_sex_follows(i)
            && !self.vetoed(i, i, false)
        {
            return Some(self.push(i, i, 0.75, "name_before_age", out));
        }
        // 6. A single name.
        let len = self.len(first);
        // a capitalised given name that is also a word, in the middle of a lower-case
        // sentence: "ask Will to", "spoke to Grace"
        let mid_sentence = i > 0
            && !first.nl_before
            && self
                .toks
                .get(i - 1)
                .is_some_and(|p| is_word(p) && p.case == Case::Lower);
        if first.case == Case::Title
            && first.lex & GIVEN != 0
            && first.lex & (FUNCTION | EPONYM | CLINICAL | MONTH | TITLE) == 0
            && ambiguous(first)
            && mid_sentence
            && len >= 3
            && !self.vetoed(i, i, false)
        {
            return Some(self.push(i, i, 0.6, "lexicon_ambiguous_capitalised", out));
        }
        if !known(first) || ambiguous(first) || len < 3 {
            return None;
        }
        if first.case == Case::Title {
            let conf = if first.lex & GIVEN != 0 { 0.75 } else { 0.7 };
            if !self.vetoed(i, i, false) {
                return Some(self.push(i, i, conf, "lexicon_single", out));
            }
        } else if first.case == Case::Upper {
            if !self.vetoed(i, i, false) && first.lex & CLINICAL == 0 {
                return Some(self.push(i, i, 0.6, "lexicon_single", out));
            }
        } else {
            let before = i > 0 && !first.nl_before && self.is(i - 1, LOWER_BEFORE);
            let after = self.toks.get(i + 1).is_some_and(|a| !a.nl_before)
                && (self.is(i + 1, LOCATION)
                    || (self.is(i + 1, IN_ON) && self.is(i + 2, LOCATION))
                    || self.is(i + 1, LOWER_AFTER)
                    || self.in_number(i + 1));
            if (before || after) && !self.vetoed(i, i, false) {
                return Some(self.push(i, i, 0.6, "lexicon_single_lower", out));
            }
        }
        None
    }

    /// A month that is also a given name ("June", "April", "Jan") counts as a name part
    /// when capitalised and inside a name or right before a surname.
    fn month_as_name(&self, j: usize, parts: usize) -> bool {
        let Some(t) = self.toks.get(j) else {
            return false;
        };
        let month_given = t.lex & MONTH != 0 && t.lex & GIVEN != 0 && cap(t);
        if !month_given {
            return false;
        }
        let sur_next = self.toks.get(j + 1).is_some_and(|n| {
            is_word(n)
                && cap(n)
                && !n.nl_before
                && (n.lex & SUR != 0 || (unknown(n) && self.len(n) >= 4))
                && n.lex & MONTH == 0
        });
        let prev_sur = |k: usize| {
            self.toks
                .get(k)
                .is_some_and(|p| is_word(p) && p.case == Case::Upper && p.lex & SUR != 0)
        };
        let after_surname = j >= 1 && prev_sur(j - 1)
            || (j >= 2
                && self
                    .toks
                    .get(j - 1)
                    .is_some_and(|p| p.kind == TokKind::Punct && p.ch == ',')
                && prev_sur(j - 2));
        parts > 0 || sur_next || after_surname
    }

    /// "SMITH, John", "Smith, John", "SMITH John": returns the index of the last token.
    fn surname_given(&self, i: usize) -> Option<usize> {
        let t = self.toks.get(i)?;
        if blocked(t) || !cap(t) {
            return None;
        }
        let upper = t.case == Case::Upper;
        let sur_ok = if upper {
            (t.lex & SUR != 0 || unknown(t)) && self.len(t) >= 2
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
        if n.nl_before || n.case != Case::Title || (blocked(n) && !self.month_as_name(g, 1)) {
            return None;
        }
        let bare_pair = upper && t.lex & SUR != 0 && n.lex & GIVEN != 0 && !ambiguous(n);
        if !comma && !bare_pair {
            return None;
        }
        if comma && !(n.lex & GIVEN != 0 || (upper && unknown(n))) {
            return None;
        }
        let last = self.collect(g, true)?;
        Some(last)
    }

    /// "in 3", "in 12": a bed number.
    fn in_number(&self, i: usize) -> bool {
        self.is(i, IN_ON)
            && self
                .toks
                .get(i + 1)
                .is_some_and(|n| n.kind == TokKind::Number && n.end - n.start <= 2 && !n.nl_before)
    }

    /// An age and sex right after token `i`: "45F", "67 M", "84yo", "(84)".
    fn age_sex_follows(&self, i: usize) -> bool {
        let Some(n) = self.toks.get(i + 1) else {
            return false;
        };
        if n.nl_before {
            return false;
        }
        let s = self
            .text
            .get(n.start..n.end)
            .unwrap_or("")
            .to_ascii_lowercase();
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        if n.kind == TokKind::Alnum && (1..=3).contains(&digits) {
            return matches!(
                &s[digits..],
                "m" | "f" | "yo" | "y" | "yrs" | "yr" | "yof" | "yom"
            );
        }
        if n.kind == TokKind::Punct && n.ch == '(' {
            let num = self.toks.get(i + 2);
            let close = self.toks.get(i + 3);
            return num.is_some_and(|t| t.kind == TokKind::Number && t.end - t.start <= 3)
                && close.is_some_and(|c| c.kind == TokKind::Punct && c.ch == ')');
        }
        false
    }

    /// Whether token `i` names a procedure: "oesophagectomy", "tracheostomy",
    /// "pyloroplasty".
    fn procedure(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| {
            is_word(t)
                && self.text.get(t.start..t.end).is_some_and(|w| {
                    let w = w.to_ascii_lowercase();
                    [
                        "ectomy", "otomy", "ostomy", "plasty", "oscopy", "pexy", "rrhaphy",
                    ]
                    .iter()
                    .any(|s| w.ends_with(s))
                })
        })
    }

    /// Whether a ward phrase follows token `i`: "in bay 6", "bed 2", "for OGD",
    /// "needs", "is the pt".
    fn ward_follows(&self, i: usize) -> bool {
        if !self.joined(i + 1) {
            return false;
        }
        self.is(i + 1, LOCATION)
            || (self.is(i + 1, IN_ON) && self.is(i + 2, LOCATION))
            || self.in_number(i + 1)
            || self.toks.get(i + 1).is_some_and(|t| {
                is_word(t)
                    && self
                        .text
                        .get(t.start..t.end)
                        .is_some_and(|w| matches!(w, "for" | "needs" | "wants"))
            })
            || (self.is(i + 1, COPULA)
                && self
                    .toks
                    .get(i + 3)
                    .is_some_and(|t| t.lex & STRONG_CUE != 0))
    }

    /// A comma list of lower-case surnames after a bay: "bay 3: obi, chan, begum". Needs
    /// two names or more, each a name or a word no dictionary knows; pushes each and
    /// returns the index of the last.
    fn lower_list(&self, j: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let nameish = |k: usize| {
            self.toks.get(k).is_some_and(|t| {
                is_word(t)
                    && t.case == Case::Lower
                    && !t.nl_before
                    && t.lex & (FUNCTION | CLINICAL | MONTH | TITLE | EPONYM) == 0
                    && t.lex >> 8 == 0
                    && (known(t) || unknown(t))
                    && self.len(t) >= 2
            })
        };
        let mut items = Vec::new();
        let mut k = j;
        while nameish(k) && items.len() < 8 {
            items.push(k);
            let comma = self
                .toks
                .get(k + 1)
                .is_some_and(|p| p.kind == TokKind::Punct && p.ch == ',' && !p.nl_before);
            if !comma {
                break;
            }
            k += 2;
        }
        if items.len() < 2 {
            return None;
        }
        let mut last = j;
        for &k in &items {
            if !self.vetoed(k, k, false) {
                last = self.push(k, k, 0.7, "bed_list", out);
            }
        }
        Some(last)
    }

    /// Two or three lower-case words at the start of a line, each a name or a word no
    /// dictionary knows, in a message holding a patient identifier. Returns the index
    /// of the last one.
    fn id_line_name(&self, i: usize) -> Option<usize> {
        if !(i == 0 || self.toks.get(i)?.nl_before) {
            return None;
        }
        let mut last = None;
        for j in i..i + 3 {
            let Some(t) = self.toks.get(j) else { break };
            if j > i && !self.joined(j) {
                break;
            }
            let nameish = is_word(t)
                && t.case == Case::Lower
                && !t.poss
                && t.lex & (WORD | FUNCTION | CLINICAL | MONTH | TITLE | EPONYM) == 0
                && t.lex >> 8 & !(PARTICLE >> 8) == 0
                && self.len(t) >= 2;
            if !nameish {
                break;
            }
            last = Some(j);
        }
        let last = last.filter(|&l| l > i)?;
        // without an identifier: a known given name with a word in letters beyond
        // ASCII ("jurgita kazlauskienė - TTO ready")
        let run = self.toks.get(i..=last)?;
        let foreign =
            run.iter().any(|t| self.non_ascii(t)) && run.iter().any(|t| t.lex & GIVEN != 0);
        if !self.patient_id && !foreign {
            return None;
        }
        // the run must end the words: "jhun santos nhs ...", "rūta jankauskaitė, dob"
        let next_word_ok = self
            .toks
            .get(last + 1)
            .is_none_or(|n| !is_word(n) || n.nl_before || n.lex >> 8 != 0 || n.lex & LEXICAL != 0);
        (next_word_ok && !self.vetoed(i, last, false)).then_some(last)
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
