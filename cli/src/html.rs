//! The text of an HTML message body (Teams), with a map back to the markup.
//!
//! Tags are dropped, block tags (`<p>`, `<div>`, `<br>`, `<li>`, …) become newlines so
//! words do not run together, character references are decoded, and `<at>` mentions
//! (participants) are skipped, as are `<script>`/`<style>` contents. Every byte of the
//! text knows the offset in the HTML it came from, so a finding can be reported at its
//! place in the file.

/// Extracts the text of `html`. Returns the text and, for each byte of it, the range
/// of `html` it came from (a character, a character reference or a block tag).
pub fn text(html: &str) -> (String, Vec<(usize, usize)>) {
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut map = Vec::with_capacity(html.len() + 1);
    let mut i = 0;
    let mut skip_until: Option<&'static str> = None;
    while i < b.len() {
        if b[i] == b'<' {
            let (tag_end, close) = match html[i..].find('>') {
                Some(e) => (i + e, i + e + 1),
                None => (b.len(), b.len()),
            };
            let tag = &html[i + 1..tag_end];
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            let closing = tag.starts_with('/');
            if let Some(end) = skip_until {
                if closing && name == end {
                    skip_until = None;
                }
            } else if !closing && matches!(name.as_str(), "at" | "script" | "style") {
                skip_until = Some(match name.as_str() {
                    "at" => "at",
                    "script" => "script",
                    _ => "style",
                });
            } else if matches!(
                name.as_str(),
                "p" | "div" | "br" | "li" | "tr" | "td" | "th" | "h1" | "h2" | "h3" | "blockquote"
            ) && !out.ends_with('\n')
                && !out.is_empty()
            {
                out.push('\n');
                map.push((i, close));
            }
            i = close;
            continue;
        }
        if skip_until.is_some() {
            i += utf8_len(b[i]);
            continue;
        }
        if b[i] == b'&' {
            if let Some((c, len)) = entity(&html[i..]) {
                for _ in 0..c.len_utf8() {
                    map.push((i, i + len));
                }
                out.push(c);
                i += len;
                continue;
            }
        }
        let ch = html[i..].chars().next().unwrap_or('\u{FFFD}');
        for _ in 0..ch.len_utf8() {
            map.push((i, i + ch.len_utf8()));
        }
        out.push(ch);
        i += ch.len_utf8();
    }
    if out.ends_with('\n') {
        out.pop();
        map.pop();
    }
    (out, map)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Decodes a character reference at the start of `s`: the character and the bytes used.
fn entity(s: &str) -> Option<(char, usize)> {
    let semi = s.bytes().take(12).position(|c| c == b';')?;
    let name = &s[1..semi];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{00A0}',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, semi + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_maps_offsets() {
        let html = "<p>Bed 4: <b>John&nbsp;Smith</b></p><p>ok &amp; done</p>";
        let (t, map) = text(html);
        assert_eq!(t, "Bed 4: John\u{a0}Smith\nok & done");
        let j = t.find("John").unwrap();
        assert_eq!(&html[map[j].0..map[j + 3].1], "John");
        assert_eq!(map.len(), t.len());
        let amp = t.find('&').unwrap();
        assert_eq!(&html[map[amp].0..map[amp].1], "&amp;");
    }

    #[test]
    fn skips_mentions() {
        let (t, _) = text("<div><at id=\"0\">Dr Alice Grey</at> please see bed 2</div>");
        assert_eq!(t, " please see bed 2");
    }
}
