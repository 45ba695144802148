//! CLI pipeline costs apart from the detector: the WhatsApp parser and scan-unit
//! mapping with a detector that finds nothing (`cli/parse/whatsapp`), the same chunk
//! with the real scanner (`cli/scan/whatsapp`, sparse: one message in 50 with an
//! identifier; `cli/scan/whatsapp-dense`: every other message), and plain text line by
//! line. Worst cases for placing findings, with a fixed detector (the NHS numbers'
//! positions) so they measure the CLI alone: one 4 MB line dense with findings
//! (`cli/place/long-line`) and a compact (single-line) Teams export
//! (`cli/place/compact-teams`).
//!
//! Analysis: end to end (`benches/scripts/cli-throughput.sh`), the scanner dominates;
//! these groups show how much of the budget the CLI itself uses per core.
//!
//! Run: `cargo bench -p careguard-benches --bench cli`

use std::fmt::Write as _;
use std::hint::black_box;

use careguard::detect::Scanner;
use careguard::detect::{Finding, Kind};
use careguard_cli::detector::Detector;
use careguard_cli::whatsapp::Survey;
use careguard_cli::{chatjson, engine, json};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

struct Nothing;

/// Reports every `943 476 5919`: a detector whose cost is next to nothing, so the
/// placement of findings is what is measured.
struct Fixed;

impl Detector for Fixed {
    fn scan(&self, text: &str, _: &careguard::detect::StaffNames, out: &mut Vec<Finding>) {
        for (start, _) in text.match_indices("943 476 5919") {
            out.push(Finding {
                kind: Kind::NhsNumber,
                start,
                end: start + 12,
                start_utf16: 0,
                end_utf16: 0,
                confidence: 1.0,
                rule: "fixed",
                subject: careguard::detect::Subject::Unknown,
            });
        }
    }
    fn minimise(&self, text: &str) -> String {
        text.to_owned()
    }
    fn minimise_findings(&self, text: &str, _: &[Finding]) -> String {
        text.to_owned()
    }
}

impl Detector for Nothing {
    fn scan(&self, _: &str, _: &careguard::detect::StaffNames, _: &mut Vec<Finding>) {}
    fn minimise(&self, text: &str) -> String {
        text.to_owned()
    }
    fn minimise_findings(&self, text: &str, _: &[Finding]) -> String {
        text.to_owned()
    }
}

/// A synthetic Android export of about `bytes` bytes; every `every`th message holds
/// identifiers (an NHS number, and a name and a postcode in dense text).
fn export(bytes: usize, every: usize) -> (String, u64) {
    let senders = ["Sister Jones", "Dave Okafor", "Priya (F2)", "~\u{202f}Sam"];
    let texts = [
        "Morning all, handover at 8 in the office",
        "Bloods back, all within range",
        "Porter booked for 10:30 to x-ray",
        "Fluids running, obs stable, NEWS 1",
    ];
    let mut s = String::with_capacity(bytes + 200);
    let mut n = 0u64;
    while s.len() < bytes {
        let i = n as usize;
        let _ = write!(
            s,
            "{:02}/03/2024, {:02}:{:02} - {}: ",
            i % 28 + 1,
            i / 60 % 24,
            i % 60,
            senders[i % senders.len()]
        );
        if i % every == 0 && every <= 2 {
            s.push_str("Bed 4 John Smith NHS 943 476 5919 LS1 3EX for discharge\n");
        } else if i % every == 0 {
            s.push_str("Bed 4 NHS 943 476 5919 for discharge\n");
        } else {
            s.push_str(texts[i % texts.len()]);
            s.push('\n');
        }
        n += 1;
    }
    (s, n)
}

/// A Teams Graph page of about `bytes` bytes on one line, an NHS number in every
/// message.
fn compact_teams(bytes: usize) -> String {
    let mut s = String::from(r#"{"value":["#);
    let mut i = 0;
    while s.len() < bytes {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            r#"{{"id":"{i}","messageType":"message","createdDateTime":"2024-01-05T10:01:02Z","from":{{"user":{{"displayName":"Zoë"}}}},"body":{{"contentType":"html","content":"<p>é 😷 NHS 943 476 5919</p>"}}}}"#
        );
        i += 1;
    }
    s.push_str("]}");
    s
}

fn bench(c: &mut Criterion) {
    let (text, messages) = export(4 << 20, 50);
    let (dense, _) = export(4 << 20, 2);
    let mut survey = Survey::default();
    survey.text(text.as_bytes());
    let layout = survey.layout().expect("the export has headers");
    let scanner = Scanner::new();

    let out = engine::whatsapp_chunk(&text, &layout, &Nothing);
    assert_eq!(out.messages.text, messages);
    let out = engine::whatsapp_chunk(&text, &layout, &scanner);
    assert_eq!(out.records.len() as u64, messages.div_ceil(50));

    let mut g = c.benchmark_group("cli");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("survey/whatsapp", |b| {
        b.iter(|| {
            let mut s = Survey::default();
            s.text(black_box(text.as_bytes()));
            s
        })
    });
    g.bench_function("parse/whatsapp", |b| {
        b.iter(|| engine::whatsapp_chunk(black_box(&text), &layout, &Nothing))
    });
    g.bench_function("parse/plain", |b| {
        b.iter(|| engine::plain_chunk(black_box(&text), &Nothing))
    });
    g.bench_function("scan/whatsapp", |b| {
        b.iter(|| engine::whatsapp_chunk(black_box(&text), &layout, &scanner))
    });
    g.throughput(Throughput::Bytes(dense.len() as u64));
    g.bench_function("scan/whatsapp-dense", |b| {
        b.iter(|| engine::whatsapp_chunk(black_box(&dense), &layout, &scanner))
    });
    let mut line = String::new();
    while line.len() < 4 << 20 {
        line.push_str("NHS 943 476 5919 é obs stable, Zoë ok 😷 ");
    }
    g.throughput(Throughput::Bytes(line.len() as u64));
    g.bench_function("place/long-line", |b| {
        b.iter(|| engine::plain_chunk(black_box(&line), &Fixed))
    });
    let teams = compact_teams(4 << 20);
    let root = json::parse(&teams).expect("valid JSON");
    let kind = chatjson::recognise(&root).expect("a Teams export");
    g.throughput(Throughput::Bytes(teams.len() as u64));
    g.bench_function("place/compact-teams", |b| {
        b.iter(|| chatjson::scan(black_box(&teams), &root, kind, &Fixed))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
