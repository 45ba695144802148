//! Rewriting text with placeholders or partial masks.

use super::{Finding, Kind, MaskStyle};

/// `text` with each finding (sorted, non-overlapping) replaced.
pub(crate) fn apply(text: &str, findings: &[Finding], style: MaskStyle) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in findings {
        let (Some(before), Some(matched)) = (text.get(at..f.start), text.get(f.start..f.end))
        else {
            continue;
        };
        out.push_str(before);
        match style {
            MaskStyle::Placeholder => out.push_str(f.kind.placeholder()),
            MaskStyle::Partial => partial(matched, f.kind, &mut out),
        }
        at = f.end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

fn partial(matched: &str, kind: Kind, out: &mut String) {
    match kind {
        Kind::PersonName => {
            // initials in brackets ("[J.S.]"): bracketed, they never read as a name
            // again, so masking twice changes nothing
            out.push('[');
            for w in matched.split(|c: char| c.is_whitespace() || c == ',') {
                if let Some(c) = w.chars().find(|c| c.is_alphabetic()) {
                    out.extend(c.to_uppercase());
                    out.push('.');
                }
            }
            out.push(']');
        }
        Kind::Email => {
            out.push_str("***");
            out.push_str(
                matched
                    .find('@')
                    .and_then(|i| matched.get(i..))
                    .unwrap_or("@"),
            );
        }
        Kind::Postcode => match matched.rfind(' ') {
            Some(i) => {
                out.push_str(matched.get(..i).unwrap_or(""));
                out.push_str(" ***");
            }
            None => {
                let keep = matched.len().saturating_sub(3);
                out.push_str(matched.get(..keep).unwrap_or(""));
                out.push_str("***");
            }
        },
        Kind::Date | Kind::DateOfBirth => {
            // keep a four-digit year, mask the rest
            let year = matched
                .char_indices()
                .filter(|(_, c)| c.is_ascii_digit())
                .map(|(i, _)| i)
                .collect::<Vec<_>>();
            let keep_from = match year.as_slice() {
                [.., a, b, c, d] if *d == a + 3 && *b == a + 1 && *c == a + 2 => *a,
                _ => matched.len(),
            };
            for (i, c) in matched.char_indices() {
                if i >= keep_from || !c.is_alphanumeric() {
                    out.push(c);
                } else {
                    out.push('*');
                }
            }
        }
        _ => {
            // numbers: keep the last four digits, mask every other letter and digit
            let digits = matched.chars().filter(char::is_ascii_digit).count();
            let mut seen = 0;
            for c in matched.chars() {
                if c.is_ascii_digit() {
                    seen += 1;
                    out.push(if seen + 4 > digits { c } else { '*' });
                } else if c.is_alphanumeric() {
                    out.push('*');
                } else {
                    out.push(c);
                }
            }
        }
    }
}
