//! Scanner benches: compile, throughput on chat text, latency of a 500-byte message.
//!
//! Analysis: scanning is one tokenising pass with one lexicon lookup per word, so cost
//! grows with the number of words; identifiers add a little work each. `has_findings`
//! stops early on structured identifiers. The haystacks are synthetic ward chat built
//! in `benches/src/lib.rs` from fixed phrases (never patient text); each bench asserts its finding count
//! before timing, so a broken scanner cannot pass as a fast one.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use careguard::detect::Scanner;
use careguard_benches::{CLEAN, DENSE_EVERY, DIRTY, SPARSE_EVERY, chat, cpu_time};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn message_500() -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.len() + DIRTY[0].0.len() < 500 {
        s.push_str(CLEAN[i % CLEAN.len()]);
        s.push_str(". ");
        i += 1;
    }
    s.truncate(500 - DIRTY[0].0.len());
    s.push_str(DIRTY[0].0);
    assert_eq!(s.len(), 500);
    s
}

fn p99(scanner: &Scanner, msg: &str) -> Duration {
    let mut times: Vec<Duration> = (0..20_000)
        .map(|_| {
            let t = Instant::now();
            black_box(scanner.scan(black_box(msg)));
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() * 99 / 100]
}

fn cpu_throughput(scanner: &Scanner, text: &str) -> Option<f64> {
    let rounds = 20;
    let before = cpu_time()?;
    for _ in 0..rounds {
        black_box(scanner.scan(black_box(text)));
    }
    let spent = cpu_time()?.checked_sub(before)?;
    Some((text.len() * rounds) as f64 / spent.as_secs_f64() / 1e6)
}

fn benches(c: &mut Criterion) {
    let scanner = Scanner::new();

    let mut g = c.benchmark_group("detect");
    g.sample_size(10);
    g.bench_function("compile", |b| b.iter(|| black_box(Scanner::new())));
    g.finish();

    let mut g = c.benchmark_group("detect/scan");
    for (name, bytes, every) in [
        ("chat_1mb", 1 << 20, SPARSE_EVERY),
        ("dense_1mb", 1 << 20, DENSE_EVERY),
    ] {
        let (text, expected) = chat(bytes, every);
        assert_eq!(scanner.scan(&text).len(), expected, "{name}");
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| black_box(scanner.scan(black_box(&text))))
        });
    }
    let long_line = chat(1 << 16, SPARSE_EVERY).0.replace('\n', " ");
    assert!(!scanner.scan(&long_line).is_empty());
    g.throughput(Throughput::Bytes(long_line.len() as u64));
    g.bench_function("long_line_64k", |b| {
        b.iter(|| black_box(scanner.scan(black_box(&long_line))))
    });
    let msg = message_500();
    assert_eq!(scanner.scan(&msg).len(), 3);
    g.throughput(Throughput::Bytes(msg.len() as u64));
    g.bench_function("message_500b", |b| {
        b.iter(|| black_box(scanner.scan(black_box(&msg))))
    });
    g.finish();

    // linear time however many findings a line has: a finding every ~50 bytes, on one
    // line and split into lines, should take about the same time
    let mut g = c.benchmark_group("detect/linear");
    g.sample_size(10);
    let unit = "Zoë Okafor NHS 943 476 5919 DOB 12/03/1954 ok.  ";
    let n = (1 << 20) / unit.len();
    let one_line = unit.repeat(n);
    let lines = (unit.trim_end().to_owned() + "\n").repeat(n);
    for (name, text) in [("one_line_1mb", &one_line), ("lines_1mb", &lines)] {
        assert_eq!(scanner.scan(text).len(), 3 * n, "{name}");
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| black_box(scanner.scan(black_box(text))))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("detect/has_findings");
    let (clean, _) = chat(1 << 16, usize::MAX);
    assert!(!scanner.has_findings(&clean));
    g.throughput(Throughput::Bytes(clean.len() as u64));
    g.bench_function("clean_64k", |b| {
        b.iter(|| black_box(scanner.has_findings(black_box(&clean))))
    });
    g.finish();

    for (name, every) in [("chat_1mb", SPARSE_EVERY), ("dense_1mb", DENSE_EVERY)] {
        let (text, _) = chat(1 << 20, every);
        if let Some(mbps) = cpu_throughput(&scanner, &text) {
            println!("detect/scan/{name} single-threaded, per CPU second: {mbps:.0} MB/s");
        }
    }
    let p = p99(&scanner, &msg);
    println!(
        "detect/scan/message_500b p99 over 20000 runs: {:.1} us",
        p.as_secs_f64() * 1e6
    );
    assert!(p < Duration::from_micros(50), "p99 {p:?} over 50 us");
}

criterion_group!(detect, benches);
criterion_main!(detect);
