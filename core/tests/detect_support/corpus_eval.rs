//! Scores the scanner on the labelled corpus (core/tests/corpus/ward_chat.jsonl):
//! per-kind recall and precision, message-level sensitivity and false-alarm rate, and
//! throughput. Shared by the corpus test and `cargo run --release --example evaluate`.

use std::time::{Duration, Instant};

use careguard::detect::{Finding, Kind, Scanner};

/// One labelled message.
pub(crate) struct Message {
    pub(crate) text: String,
    pub(crate) spans: Vec<(usize, usize, Kind)>,
}

pub(crate) const CORPUS: &str = include_str!("../corpus/ward_chat.jsonl");

pub(crate) fn load(jsonl: &str) -> Vec<Message> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("corpus line is JSON");
            let text = v["text"].as_str().expect("text").to_owned();
            let spans = v["spans"]
                .as_array()
                .expect("spans")
                .iter()
                .map(|s| {
                    let kind: Kind = s["kind"]
                        .as_str()
                        .expect("kind")
                        .parse()
                        .expect("known kind");
                    let start = s["start"].as_u64().expect("start") as usize;
                    let end = s["end"].as_u64().expect("end") as usize;
                    (start, end, kind)
                })
                .collect();
            Message { text, spans }
        })
        .collect()
}

#[derive(Default, Clone, Copy)]
pub(crate) struct Counts {
    pub(crate) gold: usize,
    pub(crate) gold_found: usize,
    pub(crate) predicted: usize,
    pub(crate) predicted_right: usize,
}

impl Counts {
    pub(crate) fn recall(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.gold_found as f64 / self.gold as f64
        }
    }
    pub(crate) fn precision(&self) -> f64 {
        if self.predicted == 0 {
            1.0
        } else {
            self.predicted_right as f64 / self.predicted as f64
        }
    }
}

pub(crate) struct Report {
    pub(crate) per_kind: Vec<(Kind, Counts)>,
    pub(crate) messages: usize,
    pub(crate) positive: usize,
    pub(crate) positive_flagged: usize,
    pub(crate) negative_flagged: usize,
    pub(crate) bytes: usize,
    pub(crate) elapsed: Duration,
    /// (message text, what went wrong) for the first misses, to print.
    pub(crate) errors: Vec<String>,
}

impl Report {
    pub(crate) fn kind(&self, k: Kind) -> Counts {
        self.per_kind
            .iter()
            .find(|(x, _)| *x == k)
            .map(|(_, c)| *c)
            .unwrap_or_default()
    }
    pub(crate) fn sensitivity(&self) -> f64 {
        self.positive_flagged as f64 / self.positive.max(1) as f64
    }
    pub(crate) fn false_alarm_rate(&self) -> f64 {
        self.negative_flagged as f64 / (self.messages - self.positive).max(1) as f64
    }
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

pub(crate) fn evaluate(scanner: &Scanner, corpus: &[Message]) -> Report {
    // time the scans alone, over the whole corpus, a few rounds
    let rounds = 5;
    let started = Instant::now();
    for _ in 0..rounds {
        for m in corpus {
            std::hint::black_box(scanner.scan(std::hint::black_box(&m.text)));
        }
    }
    let elapsed = started.elapsed() / rounds;
    let mut per_kind: Vec<(Kind, Counts)> =
        Kind::ALL.iter().map(|k| (*k, Counts::default())).collect();
    let mut report = Report {
        per_kind: Vec::new(),
        messages: corpus.len(),
        positive: 0,
        positive_flagged: 0,
        negative_flagged: 0,
        bytes: corpus.iter().map(|m| m.text.len()).sum(),
        elapsed,
        errors: Vec::new(),
    };
    for m in corpus {
        let found: Vec<Finding> = scanner.scan(&m.text);
        if m.spans.is_empty() {
            if !found.is_empty() {
                report.negative_flagged += 1;
            }
        } else {
            report.positive += 1;
            if !found.is_empty() {
                report.positive_flagged += 1;
            }
        }
        for &(s, e, k) in &m.spans {
            let c = &mut per_kind[k as usize].1;
            c.gold += 1;
            if found
                .iter()
                .any(|f| f.kind == k && overlaps((f.start, f.end), (s, e)))
            {
                c.gold_found += 1;
            } else {
                report
                    .errors
                    .push(format!("MISS {k} {:?} in {:?}", &m.text[s..e], m.text));
            }
        }
        for f in &found {
            let c = &mut per_kind[f.kind as usize].1;
            c.predicted += 1;
            if m.spans
                .iter()
                .any(|&(s, e, k)| k == f.kind && overlaps((f.start, f.end), (s, e)))
            {
                c.predicted_right += 1;
            } else {
                report.errors.push(format!(
                    "FALSE {} {:?} ({}) in {:?}",
                    f.kind,
                    &m.text[f.start..f.end],
                    f.rule,
                    m.text
                ));
            }
        }
    }
    report.per_kind = per_kind;
    report
}

pub(crate) fn table(r: &Report) -> String {
    let mut s = String::new();
    s.push_str("kind             gold  found  pred  right  recall  precision\n");
    for (k, c) in &r.per_kind {
        if c.gold == 0 && c.predicted == 0 {
            continue;
        }
        s.push_str(&format!(
            "{:<15} {:>5} {:>6} {:>5} {:>6}  {:>6.3}  {:>9.3}\n",
            k.as_str(),
            c.gold,
            c.gold_found,
            c.predicted,
            c.predicted_right,
            c.recall(),
            c.precision()
        ));
    }
    let secs = r.elapsed.as_secs_f64();
    s.push_str(&format!(
        "messages {}: {} with identifiers, sensitivity {:.3} ({}/{}); {} without, false alarms {:.3} ({}/{})\n",
        r.messages,
        r.positive,
        r.sensitivity(),
        r.positive_flagged,
        r.positive,
        r.messages - r.positive,
        r.false_alarm_rate(),
        r.negative_flagged,
        r.messages - r.positive
    ));
    s.push_str(&format!(
        "throughput {:.1} MB/s, {:.1} us a message ({} bytes in {:.2} ms)\n",
        r.bytes as f64 / secs / 1e6,
        secs * 1e6 / r.messages.max(1) as f64,
        r.bytes,
        secs * 1e3
    ));
    s
}
