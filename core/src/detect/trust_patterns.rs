//! Trust hospital-number patterns: compiled with the `regex-lite` crate when core's
//! `regex-lite` feature is on (the default), otherwise with [`super::minire`], which
//! accepts a documented subset of the same syntax and matches it the same way.

use super::{Error, MAX_PATTERNS, PATTERN_SIZE_LIMIT};

#[cfg(feature = "regex-lite")]
type Compiled = regex_lite::Regex;
#[cfg(not(feature = "regex-lite"))]
type Compiled = super::minire::MiniRegex;

/// Bytes a `minire` instruction is counted as against [`PATTERN_SIZE_LIMIT`].
#[cfg(not(feature = "regex-lite"))]
const INST_BYTES: usize = 16;

/// Compiles one pattern, or says why not (`index` names it in the error).
fn compile(index: usize, pattern: &str, limit: usize) -> Result<Compiled, Error> {
    let too_big = || Error::PatternTooBig {
        index,
        limit: PATTERN_SIZE_LIMIT,
    };
    #[cfg(feature = "regex-lite")]
    {
        regex_lite::RegexBuilder::new(pattern)
            .size_limit(limit)
            .build()
            .map_err(|e| {
                // regex-lite's error has no kind, only equality: its one size-limit error
                // is what the empty pattern (which always parses) gives under a limit of 0.
                let size_limit = regex_lite::RegexBuilder::new("")
                    .size_limit(0)
                    .build()
                    .err();
                if Some(&e) == size_limit.as_ref() {
                    too_big()
                } else {
                    Error::InvalidPattern {
                        index,
                        reason: e.to_string(),
                    }
                }
            })
    }
    #[cfg(not(feature = "regex-lite"))]
    {
        use super::minire::{MiniRegex, ReError};
        MiniRegex::new(pattern, limit / INST_BYTES).map_err(|e| match e {
            ReError::TooBig => too_big(),
            ReError::Syntax(reason) => Error::InvalidPattern { index, reason },
        })
    }
}

/// Checks one pattern against [`PATTERN_SIZE_LIMIT`].
pub(crate) fn check(index: usize, pattern: &str) -> Result<(), Error> {
    compile(index, pattern, PATTERN_SIZE_LIMIT).map(|_| ())
}

/// All of a scanner's patterns as one alternation.
#[derive(Clone, Debug)]
pub(crate) struct PatternSet(Compiled);

impl PatternSet {
    /// Joins `patterns` (each already [`check`]ed; at least one).
    pub(crate) fn new(patterns: &[String]) -> Result<Self, Error> {
        let joined = patterns
            .iter()
            .map(|p| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|");
        compile(
            patterns.len().saturating_sub(1),
            &joined,
            PATTERN_SIZE_LIMIT * MAX_PATTERNS,
        )
        .map(PatternSet)
        .map_err(|_| Error::PatternTooBig {
            index: patterns.len().saturating_sub(1),
            limit: PATTERN_SIZE_LIMIT,
        })
    }

    /// Calls `f(start, end)` for every non-empty match, left to right.
    pub(crate) fn for_each(&self, text: &str, mut f: impl FnMut(usize, usize)) {
        #[cfg(feature = "regex-lite")]
        for m in self.0.find_iter(text) {
            if !m.is_empty() {
                f(m.start(), m.end());
            }
        }
        #[cfg(not(feature = "regex-lite"))]
        self.0.for_each_match(text, |s, e| {
            if s < e {
                f(s, e);
            }
        });
    }
}
