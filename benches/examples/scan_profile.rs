//! Scans the benches' synthetic chat in a loop, for a profiler (callgrind, perf), and
//! prints MB per CPU-second and a digest of every finding, so two builds can be
//! compared for speed and for identical answers.
//!
//! usage: scan_profile [sparse|dense|lines][-msg] [MEGABYTES=1] [ROUNDS=20]
//!
//! With `-msg`, each line is scanned on its own, as the CLI scans an export's messages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hash::{DefaultHasher, Hash, Hasher};
use std::hint::black_box;

use careguard::detect::Scanner;
use careguard_benches::{DENSE_EVERY, SPARSE_EVERY, chat, cpu_time};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let density = args.get(1).map_or("sparse", String::as_str);
    let mb: f64 = args.get(2).map_or(1.0, |a| a.parse().expect("MEGABYTES"));
    let rounds: usize = args.get(3).map_or(20, |a| a.parse().expect("ROUNDS"));
    let bytes = (mb * f64::from(1u32 << 20)) as usize;
    let (density, per_line) = match density.strip_suffix("-msg") {
        Some(d) => (d, true),
        None => (density, false),
    };
    let text = match density {
        "sparse" => chat(bytes, SPARSE_EVERY).0,
        "dense" => chat(bytes, DENSE_EVERY).0,
        // the linear-time text: a finding every ~17 bytes, one per line
        "lines" => "Zoë Okafor NHS 943 476 5919 DOB 12/03/1954 ok.\n".repeat(bytes / 50),
        other => panic!("unknown density {other}"),
    };
    let scanner = Scanner::new();
    let scan = |text: &str| {
        if per_line {
            let mut all = Vec::new();
            let mut at = 0;
            for line in text.split_inclusive('\n') {
                all.extend(scanner.scan(line).into_iter().map(|mut f| {
                    f.start += at;
                    f.end += at;
                    f
                }));
                at += line.len();
            }
            all
        } else {
            scanner.scan(text)
        }
    };
    let found = scan(&text);
    let mut h = DefaultHasher::new();
    for f in &found {
        (
            f.kind.as_str(),
            f.start,
            f.end,
            f.start_utf16,
            f.end_utf16,
            f.rule,
        )
            .hash(&mut h);
        f.confidence.to_bits().hash(&mut h);
        f.subject.as_str().hash(&mut h);
    }
    let before = cpu_time();
    for _ in 0..rounds {
        black_box(scan(black_box(&text)));
    }
    let mbps = before
        .zip(cpu_time())
        .and_then(|(b, a)| a.checked_sub(b))
        .map(|spent| (text.len() * rounds) as f64 / spent.as_secs_f64() / 1e6);
    println!(
        "{density}{} {} bytes: {} findings, digest {:016x}, {} MB per CPU-second",
        if per_line { "-msg" } else { "" },
        text.len(),
        found.len(),
        h.finish(),
        mbps.map_or("?".to_owned(), |m| format!("{m:.1}")),
    );
}
