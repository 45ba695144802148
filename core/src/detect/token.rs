//! One linear pass that splits text into word, number and punctuation tokens and looks
//! each word up in the lexicon once.

use super::lexicon::{Flags, GREETING, KIN_ROLE, Lexicon, MAX_TOKEN_BYTES, fold_into};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokKind {
    /// Letters (with internal apostrophes and hyphens).
    Word,
    /// ASCII digits only.
    Number,
    /// Letters and digits mixed ("F1", "5mg", "LS1", "12th").
    Alnum,
    /// Any other single character that is not white space.
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    /// All lower case.
    Lower,
    /// First letter upper case, not all upper case ("Smith", "McDonald", "J").
    Title,
    /// Two or more letters, all upper case ("SMITH", "COPD").
    Upper,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) start: usize,
    /// End of the token, before any possessive `'s`.
    pub(crate) end: usize,
    pub(crate) kind: TokKind,
    /// The character of a `Punct` token.
    pub(crate) ch: char,
    pub(crate) case: Case,
    /// Lexicon flags of a `Word`.
    pub(crate) lex: Flags,
    /// Followed by a possessive `'s` / `’s` (or `s'`).
    pub(crate) poss: bool,
    /// A line break lies between the previous token and this one.
    pub(crate) nl_before: bool,
    /// White space lies between the previous token and this one.
    pub(crate) space_before: bool,
}

/// Words up to this many bytes are looked up by a key packed into a `u64`, one byte
/// each, as `lexicon::pack` builds it.
const PACKED_BYTES: usize = 8;

/// Tokens expected per byte of chat, to size the token buffer once (ward chat has a
/// token every 4-5 bytes).
const BYTES_PER_TOKEN: usize = 4;

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || ('\u{300}'..='\u{36f}').contains(&c)
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Splits `text` into tokens; `key` is a scratch buffer for folding. `seps` receives
/// the index of every `_`, `/` and `\` token and of every `.` glued to the word before
/// and a letter after ("scan.pdf"), so the file-name rule visits only those.
pub(crate) fn tokenize(
    text: &str,
    lex: &Lexicon,
    out: &mut Vec<Token>,
    seps: &mut Vec<usize>,
    key: &mut String,
) {
    tokenize_impl::<true>(text, lex, out, seps, key);
}

/// [`tokenize`]; `ASCII_RUNS` turns the ASCII fast path on, so a test can check that
/// it gives the same tokens as the general path.
fn tokenize_impl<const ASCII_RUNS: bool>(
    text: &str,
    lex: &Lexicon,
    out: &mut Vec<Token>,
    seps: &mut Vec<usize>,
    key: &mut String,
) {
    out.clear();
    seps.clear();
    out.reserve(text.len() / BYTES_PER_TOKEN + 8);
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut nl = false;
    let mut space = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' || b == b'\r' {
            nl = true;
            space = true;
            i += 1;
            continue;
        }
        if b == b' ' || b == b'\t' {
            space = true;
            i += 1;
            continue;
        }
        let (c, clen) = if b < 0x80 {
            (b as char, 1)
        } else {
            match text.get(i..).and_then(|s| s.chars().next()) {
                Some(c) => (c, c.len_utf8()),
                None => {
                    i += 1;
                    continue;
                }
            }
        };
        if c.is_whitespace() {
            if c == '\u{2028}' || c == '\u{2029}' || c == '\u{85}' {
                nl = true;
            }
            space = true;
            i += clen;
            continue;
        }
        let start = i;
        let mut resume = None;
        if ASCII_RUNS && b.is_ascii_alphanumeric() {
            // most tokens are plain ASCII runs: read the run, its case and its packed
            // lexicon key in one go, and fall back to the general loop only when it
            // ends at a byte that may continue it (non-ASCII, apostrophe, hyphen)
            let run = ascii_run(bytes, i);
            if !bytes
                .get(run.end)
                .is_some_and(|&n| n >= 0x80 || n == b'\'' || n == b'-')
            {
                out.push(run.token(text, start, lex, key, nl, space));
                i = run.end;
                nl = false;
                space = false;
                continue;
            }
            resume = Some(run);
        }
        if b.is_ascii_digit() || is_word_char(c) {
            // the general loop goes on from where an ASCII run stopped
            let (mut has_alpha, mut has_digit, mut j) = match resume {
                Some(run) => (run.has_alpha, run.has_digit, run.end),
                None => (!b.is_ascii_digit(), b.is_ascii_digit(), i + clen),
            };
            let mut poss = false;
            let mut end;
            loop {
                end = j;
                let Some(next) = next_char(text, j) else {
                    break;
                };
                if next.is_ascii_digit() {
                    has_digit = true;
                    j += 1;
                } else if is_word_char(next) {
                    has_alpha = true;
                    j += next.len_utf8();
                } else if (is_apostrophe(next) || next == '-') && has_alpha && !has_digit {
                    // internal apostrophe or hyphen: O'Brien, Smith-Jones; possessive 's
                    let after = j + next.len_utf8();
                    match next_char(text, after) {
                        Some('s' | 'S')
                            if is_apostrophe(next)
                                && !next_char(text, after + 1).is_some_and(is_word_char) =>
                        {
                            poss = true;
                            j = after + 1;
                            break;
                        }
                        Some(n) if is_word_char(n) => j = after,
                        _ => {
                            if is_apostrophe(next) && text[start..j].ends_with(['s', 'S']) {
                                // plural possessive: Jones' daughter
                                poss = true;
                                j = after;
                            }
                            break;
                        }
                    }
                } else {
                    break;
                }
            }
            let kind = match (has_alpha, has_digit) {
                (true, false) => TokKind::Word,
                (false, true) => TokKind::Number,
                _ => TokKind::Alnum,
            };
            let word = &text[start..end];
            let (case, lex_flags) = if kind == TokKind::Word {
                let case = case_of(word);
                let flags = if word.len() <= MAX_TOKEN_BYTES {
                    lookup(word, lex, key)
                } else {
                    0
                };
                (case, flags)
            } else {
                (Case::Lower, 0)
            };
            out.push(Token {
                start,
                end,
                kind,
                ch: '\0',
                case,
                lex: lex_flags,
                poss,
                nl_before: nl,
                space_before: space,
            });
            i = j;
        } else {
            let ext_dot =
                c == '.' && !space && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic);
            if matches!(c, '_' | '/' | '\\') || ext_dot {
                seps.push(out.len());
            }
            out.push(Token {
                start,
                end: i + clen,
                kind: TokKind::Punct,
                ch: c,
                case: Case::Lower,
                lex: 0,
                poss: false,
                nl_before: nl,
                space_before: space,
            });
            i += clen;
        }
        nl = false;
        space = false;
    }
}

/// A run of ASCII letters and digits, read byte by byte.
struct AsciiRun {
    end: usize,
    has_alpha: bool,
    has_digit: bool,
    /// Any lower-case letter after the first byte.
    lower_after_first: bool,
    /// The run folded to lower case and packed as `lexicon::pack` does (meaningful
    /// for runs of up to [`PACKED_BYTES`]).
    packed: u64,
}

fn ascii_run(bytes: &[u8], start: usize) -> AsciiRun {
    let mut run = AsciiRun {
        end: start,
        has_alpha: false,
        has_digit: false,
        lower_after_first: false,
        packed: 0,
    };
    while let Some(&b) = bytes.get(run.end) {
        if b.is_ascii_digit() {
            run.has_digit = true;
        } else if b.is_ascii_alphabetic() {
            run.has_alpha = true;
            run.lower_after_first |= run.end > start && b.is_ascii_lowercase();
        } else {
            break;
        }
        let n = run.end - start;
        if n < PACKED_BYTES {
            run.packed |= u64::from(b.to_ascii_lowercase()) << (8 * n);
        }
        run.end += 1;
    }
    run
}

impl AsciiRun {
    /// The token of a complete run `text[start..self.end]`: what the general path
    /// gives for the same bytes.
    fn token(
        &self,
        text: &str,
        start: usize,
        lex: &Lexicon,
        key: &mut String,
        nl: bool,
        space: bool,
    ) -> Token {
        let (kind, case, flags) = match (self.has_alpha, self.has_digit) {
            (true, false) => {
                let len = self.end - start;
                let case = if text.as_bytes()[start].is_ascii_lowercase() {
                    Case::Lower
                } else if len == 1 || self.lower_after_first {
                    Case::Title
                } else {
                    Case::Upper
                };
                let flags = if len <= PACKED_BYTES {
                    lex.lookup_packed(self.packed)
                } else if len <= MAX_TOKEN_BYTES {
                    lookup(&text[start..self.end], lex, key)
                } else {
                    0
                };
                (TokKind::Word, case, flags)
            }
            (false, true) => (TokKind::Number, Case::Lower, 0),
            _ => (TokKind::Alnum, Case::Lower, 0),
        };
        Token {
            start,
            end: self.end,
            kind,
            ch: '\0',
            case,
            lex: flags,
            poss: false,
            nl_before: nl,
            space_before: space,
        }
    }
}

fn next_char(text: &str, at: usize) -> Option<char> {
    let b = *text.as_bytes().get(at)?;
    if b < 0x80 {
        Some(b as char)
    } else {
        text.get(at..)?.chars().next()
    }
}

fn case_of(word: &str) -> Case {
    if let [first, rest @ ..] = word.as_bytes() {
        if first.is_ascii_lowercase() {
            return Case::Lower;
        }
        if first.is_ascii_uppercase() && rest.iter().all(u8::is_ascii_alphabetic) {
            return if rest.is_empty() || rest.iter().any(u8::is_ascii_lowercase) {
                Case::Title
            } else {
                Case::Upper
            };
        }
    }
    let mut chars = word.chars().filter(|c| c.is_alphabetic());
    let Some(first) = chars.next() else {
        return Case::Lower;
    };
    if !first.is_uppercase() {
        return Case::Lower;
    }
    let mut any_lower = false;
    let mut n = 1;
    for c in chars {
        n += 1;
        if c.is_lowercase() {
            any_lower = true;
            break;
        }
    }
    if !any_lower && n >= 2 {
        Case::Upper
    } else {
        Case::Title
    }
}

/// Flags of a word: the whole folded word, else its hyphenated parts combined.
fn lookup(word: &str, lex: &Lexicon, key: &mut String) -> Flags {
    let b = word.as_bytes();
    if b.len() <= PACKED_BYTES && b.iter().all(u8::is_ascii_alphabetic) {
        // fast path: short ASCII words, folded and packed (as `lexicon::pack`) in a
        // register
        let k = b
            .iter()
            .rev()
            .fold(0u64, |k, c| (k << 8) | u64::from(c.to_ascii_lowercase()));
        return lex.lookup_packed(k);
    }
    key.clear();
    fold_into(word, key);
    let whole = lex.lookup(key);
    // the cue-list flags alone do not stop a hyphenated word from taking its parts'
    // ("daughter-in-law" is also three English words)
    if whole & !(KIN_ROLE | GREETING) != 0 || !key.contains('-') {
        return whole;
    }
    let parts: Vec<Flags> = key.split('-').map(|p| lex.lookup(p)).collect();
    combine_parts(&parts) | whole
}

fn combine_parts(parts: &[Flags]) -> Flags {
    use super::lexicon::{EPONYM, GIVEN, KIN_ROLE, SUR, WORD};
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return 0;
    };
    // "half-sister", "step-son": the kinship word is the last part
    let mut f = last & KIN_ROLE;
    if parts.iter().any(|p| p & EPONYM != 0) {
        f |= EPONYM;
    }
    if parts.iter().all(|p| p & WORD != 0) {
        f |= WORD;
    }
    // a hyphenated name is a name only if every part is one: "Adebayo-Smith", not "x-ray"
    let all_names = parts.iter().all(|p| p & (GIVEN | SUR) != 0);
    if all_names && first & GIVEN != 0 {
        f |= GIVEN;
    }
    if all_names && last & SUR != 0 {
        f |= SUR;
    }
    f
}

/// The folded text of a token (allocation-free callers use [`fold_into`]).
pub(crate) fn folded(text: &str, tok: &Token, key: &mut String) {
    key.clear();
    if let Some(s) = text.get(tok.start..tok.end) {
        fold_into(s, key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    static LEX: LazyLock<Lexicon> = LazyLock::new(Lexicon::builtin);

    fn both(text: &str, lex: &Lexicon) -> (Vec<Token>, Vec<usize>, Vec<Token>, Vec<usize>) {
        let (mut fast, mut fast_seps, mut slow, mut slow_seps) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut key = String::new();
        tokenize_impl::<true>(text, lex, &mut fast, &mut fast_seps, &mut key);
        tokenize_impl::<false>(text, lex, &mut slow, &mut slow_seps, &mut key);
        (fast, fast_seps, slow, slow_seps)
    }

    #[test]
    fn ascii_runs_give_the_general_paths_tokens() {
        let lex = &*LEX;
        for text in [
            "Mr John SMITH, NHS 943 476 5919, DOB 12/03/1954 in bay4 A",
            "O'Brien's daughter-in-law and Jones' son, x-ray at 5mg 12th",
            "Zoë Okafor née Adebayo-Smith\u{301} café ’s Kowalczyk_Anna.pdf",
            "a I ab AB aB Ab abcdefgh ABCDEFGH Abcdefghi abcdefghijklmnopqrstuvwxyzabcdefghijklmnop",
        ] {
            let (fast, fast_seps, slow, slow_seps) = both(text, lex);
            assert!(fast.iter().any(|t| t.lex != 0), "{text}");
            assert_eq!(fast, slow, "{text}");
            assert_eq!(fast_seps, slow_seps, "{text}");
        }
    }

    proptest! {
        #[test]
        fn ascii_runs_agree_on_any_text(
            text in "([a-zA-Z0-9]{1,12}|[ '’_./\\-]|é|\u{301}|\n|bay|Smith|'s){0,40}"
        ) {
            let (fast, fast_seps, slow, slow_seps) = both(&text, &LEX);
            prop_assert_eq!(fast, slow);
            prop_assert_eq!(fast_seps, slow_seps);
        }
    }
}
