//! Scores the scanner on the labelled corpus (core/tests/corpus/ward_chat.jsonl):
//! per-kind recall and precision, message-level sensitivity and false-alarm rate, and
//! throughput. Shared by the corpus test and `cargo run --release --example evaluate`.

use std::time::{Duration, Instant};

use careguard::detect::{Finding, Kind, ScanHints, Scanner, Subject};

/// One labelled message.
pub(crate) struct Message {
    pub(crate) text: String,
    pub(crate) spans: Vec<(usize, usize, Kind)>,
    /// The subject of each span, in the order of `spans` (`Unknown` for other kinds and
    /// for corpora that do not label it).
    pub(crate) subjects: Vec<Subject>,
}

/// The training corpus directory (`[[kind|text]]` markup, /work/briefs/corpus-common.md
/// format, copied from the training-corpus writer).
pub(crate) const TRAIN_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/train");

/// Which messages of the training corpus are kept out of tuning: every fifth, fixed.
pub(crate) fn is_dev(index: usize) -> bool {
    index % 5 == 4
}

fn markup_kind(tag: &str) -> Option<(Kind, Subject)> {
    let (kind, subject) = match tag.split_once(':') {
        Some((k, s)) => (k, s.parse().ok()?),
        None => (tag, Subject::Unknown),
    };
    let kind = match kind {
        "name" => Kind::PersonName,
        "nhs" => Kind::NhsNumber,
        "chi" => Kind::ChiNumber,
        "hc" => Kind::HcNumber,
        "dob" => Kind::DateOfBirth,
        "date" => Kind::Date,
        "pc" => Kind::Postcode,
        "phone" => Kind::PhoneNumber,
        "email" => Kind::Email,
        "ni" => Kind::NiNumber,
        "hosp" => Kind::HospitalNumber,
        _ => return None,
    };
    Some((kind, subject))
}

/// One line of `[[kind|text]]` markup as a message; `None` for comments and blanks.
pub(crate) fn parse_marked(line: &str) -> Option<Message> {
    let line = line.trim_end_matches(['\r', '\n']);
    if line.trim().is_empty() || line.starts_with('#') {
        return None;
    }
    let line = line.replace("\\n", "\n");
    let mut text = String::with_capacity(line.len());
    let mut spans = Vec::new();
    let mut subjects = Vec::new();
    let mut rest = line.as_str();
    while let Some(open) = rest.find("[[") {
        text.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let close = after.find("]]").expect("every [[ is closed");
        let (tag, inner) = after[..close].split_once('|').expect("[[kind|text]]");
        let (kind, subject) = markup_kind(tag).expect("known kind and subject");
        let start = text.len();
        text.push_str(inner);
        spans.push((start, text.len(), kind));
        subjects.push(subject);
        rest = &after[close + 2..];
    }
    text.push_str(rest);
    Some(Message {
        text,
        spans,
        subjects,
    })
}

/// Every message of the markup files in `dir`, files in name order.
pub(crate) fn load_marked_dir(dir: &str) -> Vec<Message> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|p| {
            let src = std::fs::read_to_string(p).expect("corpus file");
            src.lines().filter_map(parse_marked).collect::<Vec<_>>()
        })
        .collect()
}

/// The training corpus split into (tune, dev): dev is every fifth message.
pub(crate) fn train_split() -> (Vec<Message>, Vec<Message>) {
    let all = load_marked_dir(TRAIN_DIR);
    let mut tune = Vec::new();
    let mut dev = Vec::new();
    for (i, m) in all.into_iter().enumerate() {
        if is_dev(i) {
            dev.push(m);
        } else {
            tune.push(m);
        }
    }
    (tune, dev)
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
                .collect::<Vec<_>>();
            let subjects = vec![Subject::Unknown; spans.len()];
            Message {
                text,
                spans,
                subjects,
            }
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
    /// Staff-only messages counted as negatives: messages with a span that is not a
    /// staff name, and of them how many raise a finding that is not a staff name.
    pub(crate) patient_positive: usize,
    pub(crate) patient_positive_flagged: usize,
    pub(crate) patient_negative: usize,
    pub(crate) patient_negative_flagged: usize,
    /// Found gold names by (gold subject, predicted subject), for labelled corpora:
    /// rows and columns patient, staff, unknown.
    pub(crate) subject_confusion: [[usize; 3]; 3],
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
    /// Sensitivity when staff-only messages count as negatives.
    pub(crate) fn patient_sensitivity(&self) -> f64 {
        self.patient_positive_flagged as f64 / self.patient_positive.max(1) as f64
    }
    /// False alarms when staff-only messages count as negatives (a staff name found and
    /// marked staff is no alarm).
    pub(crate) fn patient_false_alarm_rate(&self) -> f64 {
        self.patient_negative_flagged as f64 / self.patient_negative.max(1) as f64
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
        patient_positive: 0,
        patient_positive_flagged: 0,
        patient_negative: 0,
        patient_negative_flagged: 0,
        subject_confusion: [[0; 3]; 3],
    };
    let sub_index = |s: Subject| match s {
        Subject::Patient => 0,
        Subject::Staff => 1,
        Subject::Unknown => 2,
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
        let labelled = m.subjects.iter().any(|s| *s != Subject::Unknown);
        let gold_patient = m
            .spans
            .iter()
            .zip(&m.subjects)
            .any(|(sp, sub)| !(sp.2 == Kind::PersonName && *sub == Subject::Staff));
        let flagged = found
            .iter()
            .any(|f| !(f.kind == Kind::PersonName && f.subject == Subject::Staff));
        if gold_patient {
            report.patient_positive += 1;
            report.patient_positive_flagged += usize::from(flagged);
        } else {
            report.patient_negative += 1;
            report.patient_negative_flagged += usize::from(flagged);
            if flagged {
                let why: Vec<String> = found
                    .iter()
                    .filter(|f| !(f.kind == Kind::PersonName && f.subject == Subject::Staff))
                    .map(|f| format!("{} {:?} {}", f.kind, &m.text[f.start..f.end], f.subject))
                    .collect();
                report.errors.push(format!(
                    "ALARM staff-only message flagged by {} in {:?}",
                    why.join(", "),
                    m.text
                ));
            }
        }
        for (&(s, e, k), &sub) in m.spans.iter().zip(&m.subjects) {
            let c = &mut per_kind[k as usize].1;
            c.gold += 1;
            if let Some(f) = found
                .iter()
                .find(|f| f.kind == k && overlaps((f.start, f.end), (s, e)))
            {
                c.gold_found += 1;
                if k == Kind::PersonName && labelled {
                    report.subject_confusion[sub_index(sub)][sub_index(f.subject)] += 1;
                    if sub != f.subject {
                        let why = scanner
                            .explain_subjects(&m.text, &ScanHints::default())
                            .into_iter()
                            .find(|x| x.start() == f.start)
                            .map(|x| {
                                let fs: Vec<&str> = x.features().collect();
                                format!("score {:.2} [{}]", x.staff_score(), fs.join(" "))
                            })
                            .unwrap_or_default();
                        report.errors.push(format!(
                            "SUBJECT {:?} gold {sub} found {} in {:?} {why}",
                            &m.text[s..e],
                            f.subject,
                            m.text
                        ));
                    }
                }
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
    if r.subject_confusion.iter().flatten().any(|n| *n > 0) {
        s.push_str(&format!(
            "staff-only messages as negatives: sensitivity {:.3} ({}/{}); false alarms {:.3} ({}/{})\n",
            r.patient_sensitivity(),
            r.patient_positive_flagged,
            r.patient_positive,
            r.patient_false_alarm_rate(),
            r.patient_negative_flagged,
            r.patient_negative
        ));
        s.push_str("subject of found names (rows gold, columns found): patient staff unknown\n");
        for (name, row) in ["patient", "staff", "unknown"]
            .iter()
            .zip(&r.subject_confusion)
        {
            s.push_str(&format!(
                "  {name:<8} {:>6} {:>6} {:>6}\n",
                row[0], row[1], row[2]
            ));
        }
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
