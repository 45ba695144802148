//! Property tests: the parsers never panic and keep their ranges in bounds on any
//! input (the fuzz targets `chat_export` and `zip_reader` go further).

#![allow(clippy::unwrap_used, clippy::panic)] // test code: a panic is a failed test

mod support;

use careguard_cli::engine::{self, Sink};
use careguard_cli::{chatjson, html, json, whatsapp};
use proptest::prelude::*;
use support::{Collect, Needles};

fn chatty() -> impl Strategy<Value = String> {
    // Pieces of real export syntax, shuffled, so headers, marks and JSON appear often.
    let pieces = prop::sample::select(vec![
        "05/01/2024, 10:01 - ",
        "[1/5/24, 10:01:02\u{202f}PM] ",
        "2024-01-05 10:01 - ",
        "Ann: ",
        "\u{200e}",
        "\u{202a}+44\u{a0}7700\u{202c}: ",
        "~\u{202f}Sam: ",
        "@\u{2068}Ann",
        "\u{2069}",
        "<attached: 00000012-PHOTO-2024-01-05-10-02-00.jpg>",
        "IMG-20240105-WA0003.jpg",
        " (file attached)",
        "<This message was edited>",
        "\"",
        "\u{201c}",
        "John Smith",
        "943 476 5919",
        "\n",
        "\r\n",
        "\u{feff}",
        "{",
        "}",
        "[",
        "]",
        "\"text\": ",
        "\\u00e9",
        "&amp;",
        "<p>",
        "</at>",
        ":",
        " ",
        "é",
        "🙂",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

fn check_ranges(c: &Collect, text: &str) {
    let lines: Vec<&str> = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    for (_, r) in &c.records {
        let line = lines.get(r.line as usize - 1).copied().unwrap_or("");
        for f in &r.findings {
            assert!(f.start < f.end && f.end <= line.len(), "{f:?} in {line:?}");
            assert!(line.is_char_boundary(f.start) && line.is_char_boundary(f.end));
            assert_eq!(&line[f.start..f.end], r.matched(f));
            assert_eq!(r.text, line);
        }
    }
}

proptest! {
    #[test]
    fn whatsapp_parsers_never_panic(s in chatty()) {
        for line in s.split('\n') {
            if let Some(h) = whatsapp::parse_header(line) {
                prop_assert!(h.body <= line.len());
                let b = whatsapp::parse_body(line, h.body);
                prop_assert!(b.text.0 <= b.text.1 && b.text.1 <= line.len());
                let _ = h.iso_time(whatsapp::DateOrder::DayFirst);
                if let Some((s, e)) = b.sender {
                    let _ = whatsapp::clean_sender(&line[s..e]);
                }
            }
            let mut ex = Vec::new();
            whatsapp::exclusions(line, &mut ex);
            for (s, e) in ex {
                prop_assert!(s <= e && e <= line.len());
            }
            for (s, e) in whatsapp::quoted(line) {
                prop_assert!(s <= e && e <= line.len());
            }
        }
    }

    #[test]
    fn pipeline_ranges_index_the_line(s in chatty()) {
        let mut sink = Collect::default();
        let det = Needles::standard();
        let ctx = engine::Ctx { detector: &det, threads: 1, progress: &|_| {} };
        let format = engine::text_format(s.as_bytes(), || Ok(s.as_bytes())).unwrap();
        sink.begin("x", &format).unwrap();
        engine::scan_text(s.as_bytes(), "x", &format, &ctx, &mut sink).unwrap();
        check_ranges(&sink, &s);
        let _ = engine::minimise_chunk(&s, format.text(), &det);
    }

    #[test]
    fn json_and_html_never_panic(s in chatty()) {
        if let Ok(v) = json::parse(&s) {
            if let Some(kind) = chatjson::recognise(&v) {
                let scan = chatjson::scan(&s, &v, kind, &Needles::standard());
                for r in &scan.records {
                    for f in &r.findings {
                        prop_assert!(f.start < f.end);
                    }
                }
            }
        }
        let (t, map) = html::text(&s);
        prop_assert_eq!(t.len(), map.len());
        for (a, b) in map {
            prop_assert!(a < b && b <= s.len());
        }
    }
}

#[test]
fn json_telegram_ranges_index_the_line() {
    let doc = std::fs::read_to_string(support::fixture("telegram_result.json")).unwrap();
    let c = support::run(&support::fixture("telegram_result.json"));
    check_ranges(&c, &doc);
}
