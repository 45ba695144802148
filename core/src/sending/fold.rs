//! Folding tables for confusable-name checks: Latin letters with diacritics to their ASCII
//! base, transliteration of Cyrillic and Greek, and Cyrillic and Greek letters that look
//! Latin (homoglyphs). Each is sorted by code point for binary search.

use crate::detect::FOLD;

/// Latin letters with diacritics to ASCII: the lexicon's folding table (`detect`), less
/// its apostrophes (in a name they are punctuation, dropped by `fold_name`), plus the
/// letters the lexicon does not fold (Ŋ, Ŧ).
pub(super) fn fold_latin(c: char) -> Option<&'static str> {
    const NOT_IN_LEXICON_FOLD: &[(char, &str)] = &[
        ('\u{014a}', "n"),
        ('\u{014b}', "n"),
        ('\u{0166}', "t"),
        ('\u{0167}', "t"),
    ];
    lookup(NOT_IN_LEXICON_FOLD, c).or_else(|| lookup(FOLD, c).filter(|s| *s != "'"))
}

/// Binary search of a table sorted by code point.
pub(super) fn lookup(table: &'static [(char, &'static str)], c: char) -> Option<&'static str> {
    table
        .binary_search_by_key(&c, |&(k, _)| k)
        .ok()
        .map(|i| table[i].1)
}

/// Cyrillic and Greek lower-case letters to a Latin transliteration.
pub(super) const TRANSLIT: &[(char, &str)] = &[
    ('\u{03ac}', "a"),
    ('\u{03ad}', "e"),
    ('\u{03ae}', "i"),
    ('\u{03af}', "i"),
    ('\u{03b1}', "a"),
    ('\u{03b2}', "v"),
    ('\u{03b3}', "g"),
    ('\u{03b4}', "d"),
    ('\u{03b5}', "e"),
    ('\u{03b6}', "z"),
    ('\u{03b7}', "i"),
    ('\u{03b8}', "th"),
    ('\u{03b9}', "i"),
    ('\u{03ba}', "k"),
    ('\u{03bb}', "l"),
    ('\u{03bc}', "m"),
    ('\u{03bd}', "n"),
    ('\u{03be}', "x"),
    ('\u{03bf}', "o"),
    ('\u{03c0}', "p"),
    ('\u{03c1}', "r"),
    ('\u{03c2}', "s"),
    ('\u{03c3}', "s"),
    ('\u{03c4}', "t"),
    ('\u{03c5}', "y"),
    ('\u{03c6}', "f"),
    ('\u{03c7}', "ch"),
    ('\u{03c8}', "ps"),
    ('\u{03c9}', "o"),
    ('\u{03cc}', "o"),
    ('\u{03cd}', "y"),
    ('\u{03ce}', "o"),
    ('\u{0430}', "a"),
    ('\u{0431}', "b"),
    ('\u{0432}', "v"),
    ('\u{0433}', "g"),
    ('\u{0434}', "d"),
    ('\u{0435}', "e"),
    ('\u{0436}', "zh"),
    ('\u{0437}', "z"),
    ('\u{0438}', "i"),
    ('\u{0439}', "y"),
    ('\u{043a}', "k"),
    ('\u{043b}', "l"),
    ('\u{043c}', "m"),
    ('\u{043d}', "n"),
    ('\u{043e}', "o"),
    ('\u{043f}', "p"),
    ('\u{0440}', "r"),
    ('\u{0441}', "s"),
    ('\u{0442}', "t"),
    ('\u{0443}', "u"),
    ('\u{0444}', "f"),
    ('\u{0445}', "kh"),
    ('\u{0446}', "ts"),
    ('\u{0447}', "ch"),
    ('\u{0448}', "sh"),
    ('\u{0449}', "shch"),
    ('\u{044a}', ""),
    ('\u{044b}', "y"),
    ('\u{044c}', ""),
    ('\u{044d}', "e"),
    ('\u{044e}', "yu"),
    ('\u{044f}', "ya"),
    ('\u{0451}', "e"),
    ('\u{0454}', "ye"),
    ('\u{0456}', "i"),
    ('\u{0457}', "yi"),
    ('\u{0491}', "g"),
];

/// Cyrillic and Greek lower-case letters that look like a Latin letter.
pub(super) const HOMOGLYPH: &[(char, &str)] = &[
    ('\u{03b1}', "a"),
    ('\u{03b5}', "e"),
    ('\u{03b9}', "i"),
    ('\u{03ba}', "k"),
    ('\u{03bd}', "v"),
    ('\u{03bf}', "o"),
    ('\u{03c1}', "p"),
    ('\u{03c4}', "t"),
    ('\u{03c5}', "u"),
    ('\u{03c7}', "x"),
    ('\u{0430}', "a"),
    ('\u{0432}', "b"),
    ('\u{0435}', "e"),
    ('\u{043a}', "k"),
    ('\u{043c}', "m"),
    ('\u{043d}', "h"),
    ('\u{043e}', "o"),
    ('\u{0440}', "p"),
    ('\u{0441}', "c"),
    ('\u{0442}', "t"),
    ('\u{0443}', "y"),
    ('\u{0445}', "x"),
    ('\u{0455}', "s"),
    ('\u{0456}', "i"),
    ('\u{0458}', "j"),
    ('\u{04bb}', "h"),
    ('\u{0501}', "d"),
    ('\u{051b}', "q"),
    ('\u{051d}', "w"),
];
