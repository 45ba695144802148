//! CLI pipeline costs apart from the detector: the WhatsApp parser and scan-unit
//! mapping with a detector that finds nothing (`cli/parse/whatsapp`), the same chunk
//! with the real scanner (`cli/scan/whatsapp`), and plain text line by line.
//!
//! Analysis: end to end (`benches/scripts/cli-throughput.sh`), the scanner dominates;
//! these groups show how much of the budget the CLI itself uses per core.
//!
//! Run: `cargo bench -p careguard-benches --bench cli`

use std::fmt::Write as _;
use std::hint::black_box;

use careguard::detect::Scanner;
use careguard_cli::detector::{Detector, Hit};
use careguard_cli::engine;
use careguard_cli::whatsapp::Survey;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

struct Nothing;

impl Detector for Nothing {
    fn scan(&self, _: &str, _: &careguard::detect::StaffNames, _: &mut Vec<Hit>) {}
    fn minimise(&self, text: &str) -> String {
        text.to_owned()
    }
    fn minimise_hits(&self, text: &str, _: &[Hit]) -> String {
        text.to_owned()
    }
}

/// A synthetic Android export of about `bytes` bytes; every 50th message holds an
/// NHS number.
fn export(bytes: usize) -> (String, u64) {
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
        if i % 50 == 0 {
            s.push_str("Bed 4 NHS 943 476 5919 for discharge\n");
        } else {
            s.push_str(texts[i % texts.len()]);
            s.push('\n');
        }
        n += 1;
    }
    (s, n)
}

fn bench(c: &mut Criterion) {
    let (text, messages) = export(4 << 20);
    let mut survey = Survey::default();
    survey.text(text.as_bytes());
    let layout = survey.layout().expect("the export has headers");
    let scanner = Scanner::new();

    let out = engine::whatsapp_chunk(&text, &layout, &Nothing);
    assert_eq!(out.messages[0], messages);
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
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
