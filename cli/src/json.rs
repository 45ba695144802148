//! A small JSON reader that remembers where each string came from.
//!
//! Telegram and Teams exports are JSON; findings in a message's text must be reported
//! at their place in the file (line and byte range within the line), through escapes
//! like `\n` and `\u00e9`. serde_json gives values without positions, so this reader
//! keeps strings as raw spans and decodes them with a byte map on demand. Nesting is
//! bounded by [`MAX_DEPTH`]; nothing panics on any input.

use std::fmt;

/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 128;

/// A JSON value whose strings are spans of the source.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, kept as its source span.
    Number(Span),
    /// A string: the span between the quotes.
    Str(Span),
    /// An array.
    Array(Vec<Value>),
    /// An object, keys decoded, in source order.
    Object(Vec<(String, Value)>),
}

/// Byte range of a token in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
}

/// Why a document is not JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset where reading stopped.
    pub offset: usize,
    /// What was wrong.
    pub what: &'static str,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JSON at byte {}: {}", self.offset, self.what)
    }
}

impl std::error::Error for JsonError {}

impl Value {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The decoded string, if this is one.
    pub fn str(&self, src: &str) -> Option<String> {
        match self {
            Value::Str(s) => Some(decode(src, *s).0),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
}

/// Parses a whole document.
pub fn parse(src: &str) -> Result<Value, JsonError> {
    let mut p = Parser {
        b: src.as_bytes(),
        i: 0,
        src,
    };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i != p.b.len() {
        return Err(p.err("trailing data"));
    }
    Ok(v)
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    src: &'a str,
}

impl Parser<'_> {
    fn err(&self, what: &'static str) -> JsonError {
        JsonError {
            offset: self.i,
            what,
        }
    }

    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn lit(&mut self, word: &[u8], v: Value) -> Result<Value, JsonError> {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(self.err("unknown literal"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        match self.b.get(self.i) {
            None => Err(self.err("unexpected end")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::Str),
            Some(b't') => self.lit(b"true", Value::Bool(true)),
            Some(b'f') => self.lit(b"false", Value::Bool(false)),
            Some(b'n') => self.lit(b"null", Value::Null),
            Some(c) if *c == b'-' || c.is_ascii_digit() => {
                let start = self.i;
                while self.i < self.b.len()
                    && matches!(
                        self.b[self.i],
                        b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'
                    )
                {
                    self.i += 1;
                }
                Ok(Value::Number(Span { start, end: self.i }))
            }
            Some(_) => Err(self.err("unexpected character")),
        }
    }

    fn string(&mut self) -> Result<Span, JsonError> {
        self.i += 1;
        let start = self.i;
        loop {
            match self.b.get(self.i) {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => break,
                Some(b'\\') => self.i += 2,
                Some(c) if *c < 0x20 => return Err(self.err("control character in string")),
                Some(_) => self.i += 1,
            }
        }
        let end = self.i;
        self.i += 1;
        if end > self.b.len() || !self.src.is_char_boundary(end) {
            return Err(self.err("unterminated string"));
        }
        Ok(Span { start, end })
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.b.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.err("expected , or ]")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.ws();
            if self.b.get(self.i) != Some(&b'"') {
                return Err(self.err("expected a key"));
            }
            let key = self.string()?;
            self.ws();
            if self.b.get(self.i) != Some(&b':') {
                return Err(self.err("expected :"));
            }
            self.i += 1;
            self.ws();
            let v = self.value(depth + 1)?;
            members.push((decode(self.src, key).0, v));
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.err("expected , or }")),
            }
        }
    }
}

fn hex4(b: &[u8]) -> Option<u32> {
    if b.len() < 4 {
        return None;
    }
    let s = std::str::from_utf8(&b[..4]).ok()?;
    u32::from_str_radix(s, 16).ok()
}

/// Decodes the string at `span`, returning the text and, for each byte of it, the
/// source range of the escape or character it came from. Bad escapes decode as
/// U+FFFD rather than failing.
pub fn decode(src: &str, span: Span) -> (String, Vec<(usize, usize)>) {
    let b = src.as_bytes();
    let mut out = String::with_capacity(span.end.saturating_sub(span.start));
    let mut map = Vec::with_capacity(span.end.saturating_sub(span.start));
    let mut i = span.start;
    let end = span.end.min(b.len());
    while i < end {
        let start = i;
        let c = if b[i] == b'\\' {
            let esc = b.get(i + 1).copied().unwrap_or(b'\\');
            i += 2;
            match esc {
                b'n' => '\n',
                b't' => '\t',
                b'r' => '\r',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'u' => {
                    let hi = hex4(&b[i.min(end)..end]);
                    i += 4;
                    match hi {
                        Some(h @ 0xD800..=0xDBFF)
                            if b.get(i) == Some(&b'\\') && b.get(i + 1) == Some(&b'u') =>
                        {
                            match hex4(&b[(i + 2).min(end)..end]) {
                                Some(l @ 0xDC00..=0xDFFF) => {
                                    i += 6;
                                    char::from_u32(0x10000 + ((h - 0xD800) << 10) + (l - 0xDC00))
                                        .unwrap_or('\u{FFFD}')
                                }
                                _ => '\u{FFFD}',
                            }
                        }
                        Some(h) => char::from_u32(h).unwrap_or('\u{FFFD}'),
                        None => '\u{FFFD}',
                    }
                }
                other => char::from(other),
            }
        } else {
            let ch = src[i..].chars().next().unwrap_or('\u{FFFD}');
            i += ch.len_utf8();
            ch
        };
        i = i.min(end);
        for _ in 0..c.len_utf8() {
            map.push((start, i));
        }
        out.push(c);
    }
    (out, map)
}
