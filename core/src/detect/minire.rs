//! A small regular-expression matcher for Trust hospital-number patterns, used where
//! core is built without its `regex-lite` feature (the default WASM flavour, where the
//! `regex-lite` crate's code costs about 14 KB gzipped).
//!
//! It accepts a subset of the `regex-lite` syntax and, on that subset, finds exactly
//! the matches `regex-lite` finds (leftmost-first, greedy, non-overlapping; a proptest
//! checks it against `regex-lite`): literals, `.`, classes `[a-z0-9_]` and `[^…]`,
//! `\d \w \s \D \W \S` (ASCII), escaped punctuation and `\t \n \r`, groups `(…)` and
//! `(?:…)`, alternation `|`, the greedy quantifiers `? * + {n} {n,} {n,m}`, and the
//! assertions `^ $ \b \B`. Anything else (flags, lazy quantifiers, named groups,
//! nested classes or class operators, `\p`, `\x`) is refused, so a pattern never
//! means something different here. Matching is a Pike VM: `O(pattern × text)` a search.

/// Characters, as inclusive ranges; `neg` inverts the set.
#[derive(Clone, Debug)]
struct Class {
    ranges: Vec<(char, char)>,
    neg: bool,
}

impl Class {
    fn of(ranges: &[(char, char)], neg: bool) -> Self {
        Class {
            ranges: ranges.to_vec(),
            neg,
        }
    }

    fn matches(&self, c: char) -> bool {
        self.ranges.iter().any(|&(a, b)| a <= c && c <= b) != self.neg
    }
}

const DIGIT: &[(char, char)] = &[('0', '9')];
const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
const SPACE: &[(char, char)] = &[('\t', '\r'), (' ', ' ')];

#[derive(Clone, Copy, Debug)]
enum Look {
    Start,
    End,
    Word,
    NotWord,
}

#[derive(Clone, Debug)]
enum Node {
    Empty,
    Class(Class),
    Look(Look),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
}

/// Why a pattern is refused.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ReError {
    /// Not in the supported syntax; the message says what.
    Syntax(String),
    /// The compiled program would exceed the size limit.
    TooBig,
}

/// Largest repetition count accepted (as `regex-lite`).
const MAX_REPEAT: u32 = 1000;

struct Parser<'a> {
    chars: core::iter::Peekable<core::str::Chars<'a>>,
}

fn err<T>(what: &str) -> Result<T, ReError> {
    Err(ReError::Syntax(what.to_owned()))
}

impl Parser<'_> {
    fn alt(&mut self, depth: usize) -> Result<Node, ReError> {
        if depth > 64 {
            return err("groups nested too deeply");
        }
        let mut alts = vec![self.concat(depth)?];
        while self.chars.peek() == Some(&'|') {
            self.chars.next();
            alts.push(self.concat(depth)?);
        }
        Ok(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(alts)
        })
    }

    fn concat(&mut self, depth: usize) -> Result<Node, ReError> {
        let mut items = Vec::new();
        while let Some(&c) = self.chars.peek() {
            if c == '|' || c == ')' {
                break;
            }
            self.chars.next();
            let atom = match c {
                '(' => {
                    if self.chars.peek() == Some(&'?') {
                        self.chars.next();
                        if self.chars.next() != Some(':') {
                            return err("only (?:…) groups are supported");
                        }
                    }
                    let inner = self.alt(depth + 1)?;
                    if self.chars.next() != Some(')') {
                        return err("unclosed group");
                    }
                    inner
                }
                '[' => Node::Class(self.class()?),
                '.' => Node::Class(Class::of(&[('\n', '\n')], true)),
                '^' => Node::Look(Look::Start),
                '$' => Node::Look(Look::End),
                '\\' => self.escape()?,
                '*' | '+' | '?' | '{' => return err("repetition without an expression"),
                ']' | '}' => Node::Class(Class::of(&[(c, c)], false)),
                _ => Node::Class(Class::of(&[(c, c)], false)),
            };
            let atom = self.quantified(atom)?;
            items.push(atom);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    fn number(&mut self) -> Result<Option<u32>, ReError> {
        let mut n: Option<u32> = None;
        while let Some(d) = self.chars.peek().and_then(|c| c.to_digit(10)) {
            self.chars.next();
            n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d));
        }
        match n {
            Some(v) if v > MAX_REPEAT => err("repetition count too large"),
            _ => Ok(n),
        }
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, ReError> {
        let (min, max) = match self.chars.peek() {
            Some('?') => (0, Some(1)),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('{') => {
                self.chars.next();
                let Some(min) = self.number()? else {
                    return err("expected a number after {");
                };
                let max = match self.chars.peek() {
                    Some('}') => Some(min),
                    Some(',') => {
                        self.chars.next();
                        self.number()?
                    }
                    _ => return err("unclosed counted repetition"),
                };
                if self.chars.peek() != Some(&'}') {
                    return err("unclosed counted repetition");
                }
                if max.is_some_and(|m| m < min) {
                    return err("invalid counted repetition");
                }
                (min, max)
            }
            _ => return Ok(atom),
        };
        self.chars.next();
        self.single(Node::Repeat(Box::new(atom), min, max))
    }

    /// Refuses a second quantifier (lazy `*?`, possessive or stacked).
    fn single(&mut self, repeat: Node) -> Result<Node, ReError> {
        match self.chars.peek() {
            Some('?' | '*' | '+' | '{') => err("lazy or stacked repetition is not supported"),
            _ => Ok(repeat),
        }
    }

    /// A backslash escape outside a class.
    fn escape(&mut self) -> Result<Node, ReError> {
        let Some(c) = self.chars.next() else {
            return err("trailing backslash");
        };
        Ok(match c {
            'b' => Node::Look(Look::Word),
            'B' => Node::Look(Look::NotWord),
            _ => Node::Class(escape_class(c)?),
        })
    }

    fn class(&mut self) -> Result<Class, ReError> {
        let neg = self.chars.peek() == Some(&'^');
        if neg {
            self.chars.next();
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.chars.next() else {
                return err("unclosed class");
            };
            if c == ']' && !first {
                break;
            }
            first = false;
            let lo = match c {
                '[' | '&' | '~' => {
                    return err("nested classes and class operators are not supported");
                }
                '-' if self.chars.peek() == Some(&'-') => {
                    return err("class operators are not supported");
                }
                '\\' => {
                    let Some(e) = self.chars.next() else {
                        return err("unclosed class");
                    };
                    let set = escape_class(e)?;
                    if set.neg || set.ranges.len() != 1 || set.ranges[0].0 != set.ranges[0].1 {
                        if set.neg {
                            return err("negated escapes inside a class are not supported");
                        }
                        ranges.extend(set.ranges);
                        continue;
                    }
                    set.ranges[0].0
                }
                _ => c,
            };
            // a range "lo-hi", unless the '-' is last
            let mut ahead = self.chars.clone();
            if ahead.next() == Some('-') && ahead.peek().is_some_and(|&n| n != ']') {
                self.chars.next();
                let hi = match self.chars.next() {
                    Some('\\') => {
                        let e = self.chars.next().unwrap_or('\\');
                        let set = escape_class(e)?;
                        match set.ranges.as_slice() {
                            [(a, b)] if a == b && !set.neg => *a,
                            _ => return err("invalid class range"),
                        }
                    }
                    Some('[' | '&' | '~') => return err("class operators are not supported"),
                    Some(h) => h,
                    None => return err("unclosed class"),
                };
                if hi < lo {
                    return err("invalid class range");
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        Ok(Class { ranges, neg })
    }
}

/// The class an escaped character stands for (`\d`, `\.`, `\n`, …).
fn escape_class(c: char) -> Result<Class, ReError> {
    Ok(match c {
        'd' => Class::of(DIGIT, false),
        'D' => Class::of(DIGIT, true),
        'w' => Class::of(WORD, false),
        'W' => Class::of(WORD, true),
        's' => Class::of(SPACE, false),
        'S' => Class::of(SPACE, true),
        't' => Class::of(&[('\t', '\t')], false),
        'n' => Class::of(&[('\n', '\n')], false),
        'r' => Class::of(&[('\r', '\r')], false),
        // regex's meta characters; other escapes (`\<`, `\x41`, `\p{L}`) are refused
        '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$'
        | '#' | '&' | '-' | '~' => Class::of(&[(c, c)], false),
        _ => return err("unsupported escape"),
    })
}

#[derive(Clone, Debug)]
enum Inst {
    Class(Class),
    Look(Look),
    /// Try the first target, then the second.
    Split(usize, usize),
    Jmp(usize),
    Match,
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub(crate) struct MiniRegex {
    prog: Vec<Inst>,
}

struct Compiler {
    prog: Vec<Inst>,
    limit: usize,
}

impl Compiler {
    fn push(&mut self, i: Inst) -> Result<usize, ReError> {
        if self.prog.len() >= self.limit {
            return Err(ReError::TooBig);
        }
        self.prog.push(i);
        Ok(self.prog.len() - 1)
    }

    fn patch(&mut self, at: usize, to: usize, second: bool) {
        if let Some(inst) = self.prog.get_mut(at) {
            match inst {
                Inst::Split(a, b) => {
                    if second {
                        *b = to;
                    } else {
                        *a = to;
                    }
                }
                Inst::Jmp(a) => *a = to,
                _ => {}
            }
        }
    }

    fn node(&mut self, n: &Node) -> Result<(), ReError> {
        match n {
            Node::Empty => {}
            Node::Class(c) => {
                self.push(Inst::Class(c.clone()))?;
            }
            Node::Look(l) => {
                self.push(Inst::Look(*l))?;
            }
            Node::Concat(items) => {
                for i in items {
                    self.node(i)?;
                }
            }
            Node::Alt(alts) => {
                let mut jumps = Vec::new();
                for (k, a) in alts.iter().enumerate() {
                    if k + 1 < alts.len() {
                        let split = self.push(Inst::Split(0, 0))?;
                        self.patch(split, split + 1, false);
                        self.node(a)?;
                        jumps.push(self.push(Inst::Jmp(0))?);
                        let next = self.prog.len();
                        self.patch(split, next, true);
                    } else {
                        self.node(a)?;
                    }
                }
                let end = self.prog.len();
                for j in jumps {
                    self.patch(j, end, false);
                }
            }
            Node::Repeat(e, min, None) if *min > 0 => {
                // x{n,}: n - 1 copies, then a last one that repeats itself
                for _ in 1..*min {
                    self.node(e)?;
                }
                let start = self.prog.len();
                self.node(e)?;
                let split = self.push(Inst::Split(start, 0))?;
                self.patch(split, split + 1, true);
            }
            Node::Repeat(e, _, None) if !nullable(e) => {
                let split = self.push(Inst::Split(0, 0))?;
                self.patch(split, split + 1, false);
                self.node(e)?;
                self.push(Inst::Jmp(split))?;
                let end = self.prog.len();
                self.patch(split, end, true);
            }
            Node::Repeat(e, _, None) => {
                // x* where x can match empty is (x+)?, as regex-lite compiles it: a
                // plain loop would prefer leaving over an empty iteration's
                // continuation in the wrong order (rust-lang/regex issue 779)
                let question = self.push(Inst::Split(0, 0))?;
                self.patch(question, question + 1, false);
                let start = self.prog.len();
                self.node(e)?;
                let plus = self.push(Inst::Split(start, 0))?;
                let end = self.prog.len();
                self.patch(plus, end, true);
                self.patch(question, end, true);
            }
            Node::Repeat(e, min, Some(max)) => {
                for _ in 0..*min {
                    self.node(e)?;
                }
                // then (max - min) nested optional copies, all leaving to one end
                let mut splits = Vec::new();
                for _ in *min..*max {
                    let split = self.push(Inst::Split(0, 0))?;
                    self.patch(split, split + 1, false);
                    splits.push(split);
                    self.node(e)?;
                }
                let end = self.prog.len();
                for s in splits {
                    self.patch(s, end, true);
                }
            }
        }
        Ok(())
    }
}

/// Whether `n` can match the empty string.
fn nullable(n: &Node) -> bool {
    match n {
        Node::Empty | Node::Look(_) => true,
        Node::Class(_) => false,
        Node::Concat(items) => items.iter().all(nullable),
        Node::Alt(alts) => alts.iter().any(nullable),
        Node::Repeat(e, min, _) => *min == 0 || nullable(e),
    }
}

fn is_word_byte(b: Option<&u8>) -> bool {
    b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
}

fn look_holds(l: Look, text: &str, at: usize) -> bool {
    let b = text.as_bytes();
    let boundary =
        || is_word_byte(at.checked_sub(1).and_then(|i| b.get(i))) != is_word_byte(b.get(at));
    match l {
        Look::Start => at == 0,
        Look::End => at == text.len(),
        Look::Word => boundary(),
        Look::NotWord => !boundary(),
    }
}

/// Threads of one step: program counters in priority order, each with its match start.
struct Threads {
    seen: Vec<bool>,
    /// Every counter marked in `seen`, to unmark.
    marked: Vec<usize>,
    list: Vec<(usize, usize)>,
}

impl Threads {
    fn new(n: usize) -> Self {
        Threads {
            seen: vec![false; n],
            marked: Vec::new(),
            list: Vec::new(),
        }
    }

    fn clear(&mut self) {
        for &pc in &self.marked {
            if let Some(s) = self.seen.get_mut(pc) {
                *s = false;
            }
        }
        self.marked.clear();
        self.list.clear();
    }
}

impl MiniRegex {
    /// Compiles `pattern` into at most `limit` instructions.
    pub(crate) fn new(pattern: &str, limit: usize) -> Result<Self, ReError> {
        let mut p = Parser {
            chars: pattern.chars().peekable(),
        };
        let node = p.alt(0)?;
        if p.chars.next().is_some() {
            return err("unopened group");
        }
        let mut c = Compiler {
            prog: Vec::new(),
            limit,
        };
        c.node(&node)?;
        c.push(Inst::Match)?;
        Ok(MiniRegex { prog: c.prog })
    }

    /// Adds the thread `pc` (started at `start`) and what it reaches without reading a
    /// character at `at`, in priority order.
    fn add(
        &self,
        t: &mut Threads,
        stack: &mut Vec<usize>,
        pc: usize,
        start: usize,
        text: &str,
        at: usize,
    ) {
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            match t.seen.get_mut(pc) {
                Some(s) if !*s => {
                    *s = true;
                    t.marked.push(pc);
                }
                _ => continue,
            }
            match self.prog.get(pc) {
                Some(Inst::Jmp(to)) => stack.push(*to),
                Some(Inst::Split(a, b)) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Some(Inst::Look(l)) if look_holds(*l, text, at) => stack.push(pc + 1),
                Some(Inst::Look(_)) => {}
                Some(_) => t.list.push((pc, start)),
                None => {}
            }
        }
    }

    /// The leftmost-first match starting at or after `from` (a char boundary).
    fn find_at(
        &self,
        text: &str,
        from: usize,
        cur: &mut Threads,
        next: &mut Threads,
    ) -> Option<(usize, usize)> {
        let mut stack = Vec::new();
        cur.clear();
        next.clear();
        let mut found = None;
        let mut at = from;
        loop {
            if found.is_none() {
                self.add(cur, &mut stack, 0, at, text, at);
            }
            if cur.list.is_empty() && found.is_some() {
                break;
            }
            let c = text.get(at..).and_then(|s| s.chars().next());
            let after = at + c.map_or(0, char::len_utf8);
            for k in 0..cur.list.len() {
                let Some(&(pc, start)) = cur.list.get(k) else {
                    break;
                };
                match self.prog.get(pc) {
                    Some(Inst::Match) => {
                        found = Some((start, at));
                        break;
                    }
                    Some(Inst::Class(cls)) if c.is_some_and(|c| cls.matches(c)) => {
                        self.add(next, &mut stack, pc + 1, start, text, after);
                    }
                    _ => {}
                }
            }
            if c.is_none() {
                break;
            }
            core::mem::swap(cur, next);
            next.clear();
            at = after;
        }
        found
    }

    /// Calls `f(start, end)` for each match, as `regex-lite`'s `find_iter` yields them.
    pub(crate) fn for_each_match(&self, text: &str, mut f: impl FnMut(usize, usize)) {
        let mut cur = Threads::new(self.prog.len());
        let mut next = Threads::new(self.prog.len());
        let mut at = 0;
        let mut last_end = None;
        while at <= text.len() {
            let Some((s, e)) = self.find_at(text, at, &mut cur, &mut next) else {
                break;
            };
            let step = |i: usize| {
                i + text
                    .get(i..)
                    .and_then(|r| r.chars().next())
                    .map_or(1, char::len_utf8)
            };
            if s == e && last_end == Some(e) {
                at = step(at);
                continue;
            }
            f(s, e);
            last_end = Some(e);
            at = if s == e { step(e) } else { e };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{MiniRegex, ReError};
    use proptest::prelude::*;

    fn ours(p: &str, text: &str) -> Vec<(usize, usize)> {
        let re = MiniRegex::new(p, 100_000).unwrap_or_else(|e| panic!("{p}: {e:?}"));
        let mut out = Vec::new();
        re.for_each_match(text, |s, e| out.push((s, e)));
        out
    }

    fn oracle(p: &str, text: &str) -> Vec<(usize, usize)> {
        let re = regex_lite::Regex::new(p).unwrap_or_else(|e| panic!("{p}: {e}"));
        re.find_iter(text).map(|m| (m.start(), m.end())).collect()
    }

    #[test]
    fn hospital_number_shapes() {
        for (p, t) in [
            (r"\bRX[0-9]{7}\b", "ref RX1234567 and RX12345678, rx1234567"),
            (r"[A-Z]{1,3}\d{6,8}", "K123456 AB1234567x ABCD12345678"),
            (
                r"(?:RX|RY)\d{7}|K\d{6}[A-Z]?",
                "RY7654321 K123456Z K1234567",
            ),
            (r"^H\d{5}$", "H12345"),
            (r"a*", "baaab"),
            (r"|abc", "abc"),
            (r"[^a-c\d]+.", "abc-é\n12x"),
            (r"\B\w+\b", "ab cd_e f"),
            (r"(?:\b|b)*", "b"),
        ] {
            assert_eq!(ours(p, t), oracle(p, t), "{p} on {t:?}");
        }
    }

    #[test]
    fn outside_the_subset_is_refused() {
        for p in [
            "(?i)rx",
            "a*?",
            "a{2}?",
            r"\p{L}",
            r"\x41",
            "(?P<n>a)",
            "[[:alpha:]]",
            "[a&&b]",
            "[a--b]",
            "(a",
            "a)",
            "*a",
            "[a",
        ] {
            assert!(
                matches!(MiniRegex::new(p, 1000), Err(ReError::Syntax(_))),
                "{p}"
            );
        }
        assert_eq!(
            MiniRegex::new("a{1000}", 100).map(|_| ()),
            Err(ReError::TooBig)
        );
    }

    fn atom() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec!["a", "b", "R", "X", "1", "7", "-", " ", "é", "_"])
                .prop_map(str::to_owned),
            prop::sample::select(vec![
                ".", r"\d", r"\w", r"\s", r"\D", r"\W", r"\S", "[a-c]", "[^a1]", "[A-Z0-9]",
                r"[\d_]", "^", "$", r"\b", r"\B", r"\.", "[-a]", "[]a]",
            ])
            .prop_map(str::to_owned),
        ]
    }

    fn pattern() -> impl Strategy<Value = String> {
        let leaf = atom();
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v.concat()),
                prop::collection::vec(inner.clone(), 2..4)
                    .prop_map(|v| format!("(?:{})", v.join("|"))),
                (
                    inner.clone(),
                    prop::sample::select(vec!["?", "*", "+", "{2}", "{0,2}", "{1,}", "{2,3}"])
                )
                    .prop_map(|(a, q)| format!("(?:{a}){q}")),
                inner.prop_map(|a| format!("({a})")),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// On the supported subset, the matches are exactly regex-lite's.
        #[test]
        fn same_matches_as_regex_lite(p in pattern(), text in "[abRX17 _.\n-é]{0,24}") {
            prop_assert_eq!(ours(&p, &text), oracle(&p, &text), "pattern {:?}", p);
        }
    }
}
