//! The place and allow-list phrases: whole-word, ASCII case-insensitive matches looked
//! up by their first word, so that no general multi-pattern automaton (and its code)
//! is needed in the WASM module.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::lexicon::Fnv;

/// Phrases keyed by their leading ASCII-alphanumeric run, lower-cased.
#[derive(Clone)]
pub(crate) struct Phrases {
    phrases: Vec<Box<[u8]>>,
    /// Phrase indices by the hash of their head, longest phrase first; a hash collision
    /// only costs a comparison, since every candidate is compared in full.
    by_head: HashMap<u64, Vec<u32>, BuildHasherDefault<Fnv>>,
    /// Whether some phrase starts with this byte (either case): most positions of a
    /// window are rejected here, before hashing.
    first: Box<[bool; 256]>,
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// FNV-1a of the leading alphanumeric run of `bytes`, lower-cased.
fn head_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes.iter().take_while(|&&b| is_word(b)) {
        h ^= u64::from(b.to_ascii_lowercase());
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl Phrases {
    /// Indexes `phrases` (non-empty); their indices are those of the slice.
    pub(crate) fn new(phrases: &[String]) -> Self {
        let phrases: Vec<Box<[u8]>> = phrases.iter().map(|p| p.as_bytes().into()).collect();
        let mut by_head: HashMap<u64, Vec<u32>, BuildHasherDefault<Fnv>> = HashMap::default();
        for (i, p) in phrases.iter().enumerate() {
            if let Ok(i) = u32::try_from(i) {
                by_head.entry(head_hash(p)).or_default().push(i);
            }
        }
        for ids in by_head.values_mut() {
            ids.sort_by_key(|&i| {
                core::cmp::Reverse(phrases.get(i as usize).map_or(0, |p| p.len()))
            });
        }
        let mut first = Box::new([false; 256]);
        for p in &phrases {
            if let Some(&b) = p.first() {
                first[usize::from(b.to_ascii_lowercase())] = true;
                first[usize::from(b.to_ascii_uppercase())] = true;
            }
        }
        Phrases {
            phrases,
            by_head,
            first,
        }
    }

    /// Calls `test(start, end, index)` for the whole-word occurrences of the phrases in
    /// `text[from..to]`, left to right, the longest at each start and none overlapping a
    /// previous one, until `test` returns true (then returns true). A word boundary is
    /// judged on the whole `text`, so a window cut inside a word matches nothing there.
    pub(crate) fn any_in(
        &self,
        text: &[u8],
        from: usize,
        to: usize,
        mut test: impl FnMut(usize, usize, usize) -> bool,
    ) -> bool {
        let word_at = |i: usize| text.get(i).copied().is_some_and(is_word);
        let Some(window) = text.get(..to) else {
            return false;
        };
        let mut s = from;
        while s < to {
            let rest = window.get(s..).unwrap_or_default();
            let starts = rest.first().is_some_and(|&b| self.first[usize::from(b)]);
            if !starts || (s > 0 && word_at(s - 1)) {
                s += 1;
                continue;
            }
            let hit = self.by_head.get(&head_hash(rest)).and_then(|ids| {
                ids.iter().find_map(|&i| {
                    let p = self.phrases.get(i as usize)?;
                    let e = s + p.len();
                    (rest.get(..p.len())?.eq_ignore_ascii_case(p) && !word_at(e))
                        .then_some((e, i as usize))
                })
            });
            match hit {
                Some((e, i)) => {
                    if test(s, e, i) {
                        return true;
                    }
                    s = e.max(s + 1);
                }
                None => s += 1,
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::Phrases;

    fn hits(phrases: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        let p = Phrases::new(&phrases.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        let mut out = Vec::new();
        p.any_in(text.as_bytes(), 0, text.len(), |s, e, i| {
            out.push((s, e, i));
            false
        });
        out
    }

    #[test]
    fn whole_words_case_insensitive_longest_first() {
        let ps = ["Alder Hey", "Alder", "Guy's"];
        assert_eq!(hits(&ps, "to alder hey today"), [(3, 12, 0)]);
        assert_eq!(hits(&ps, "ALDER, then GUY'S"), [(0, 5, 1), (12, 17, 2)]);
        assert_eq!(hits(&ps, "Aldershot guy'ss xalder"), []);
        assert_eq!(hits(&ps, "Alder Heys"), [(0, 5, 1)]);
    }

    #[test]
    fn non_ascii_and_punctuation_heads() {
        let ps = ["Zoë Ward", "(north)"];
        assert_eq!(hits(&ps, "on Zoë Ward."), [(3, 12, 0)]);
        assert_eq!(hits(&ps, "zoë wardx"), []);
        assert_eq!(hits(&ps, "bay (NORTH) 2"), [(4, 11, 1)]);
    }

    #[test]
    fn window_is_respected() {
        let p = Phrases::new(&["Alder Hey".to_owned()]);
        let text = b"x Alder Hey";
        assert!(p.any_in(text, 0, text.len(), |_, _, _| true));
        assert!(!p.any_in(text, 0, text.len() - 1, |_, _, _| true));
        assert!(!p.any_in(text, 3, text.len(), |_, _, _| true));
    }
}
