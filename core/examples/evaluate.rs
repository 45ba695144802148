//! Prints the scanner's accuracy and throughput on a labelled corpus:
//! `cargo run --release -p careguard --example evaluate [-- CORPUS] [--errors]`, CORPUS one
//! of `legacy` (core/tests/corpus/ward_chat.jsonl, the default), `tune` (the training
//! corpus less every fifth message), `dev` (every fifth message of the training
//! corpus, never tuned on), `heldout` (core/tests/corpus/heldout/) and `heldout2`
//! (core/tests/corpus/heldout2/), each written independently of the detector and
//! frozen: scored once per release, never tuned on.
//! `--subject-features` prints instead, for each found name whose gold subject is
//! patient or staff and that no hard rule decided, `FEATURES<TAB>label (1 staff, 0
//! patient)<TAB>message number<TAB>feature,feature...`: the input of
//! `scripts/train/fit_subject.py`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/detect_support/corpus_eval.rs"]
#[allow(dead_code)]
mod corpus_eval;

fn main() {
    let scanner = careguard::detect::Scanner::new();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or("legacy", String::as_str);
    let corpus = match which {
        "legacy" => corpus_eval::load(corpus_eval::CORPUS),
        "tune" => corpus_eval::train_split().0,
        "dev" => corpus_eval::train_split().1,
        "heldout" => corpus_eval::load_marked_dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/corpus/heldout"
        )),
        "heldout2" => corpus_eval::load_marked_dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/corpus/heldout2"
        )),
        other => panic!("unknown corpus {other}: legacy, tune, dev, heldout or heldout2"),
    };
    if args.iter().any(|a| a == "--subject-features") {
        print_subject_features(&scanner, &corpus);
        return;
    }
    let report = corpus_eval::evaluate(&scanner, &corpus);
    if args.iter().any(|a| a == "--errors") {
        for e in &report.errors {
            println!("{e}");
        }
    }
    println!("corpus {which}");
    print!("{}", corpus_eval::table(&report));
}

fn print_subject_features(scanner: &careguard::detect::Scanner, corpus: &[corpus_eval::Message]) {
    use careguard::detect::{Kind, ScanHints, Subject};
    for (n, m) in corpus.iter().enumerate() {
        for e in scanner.explain_subjects(&m.text, &ScanHints::default()) {
            if e.rule().is_some() {
                continue;
            }
            let gold =
                m.spans.iter().zip(&m.subjects).find(|((s, t, k), _)| {
                    *k == Kind::PersonName && *s < e.end() && e.start() < *t
                });
            let label = match gold.map(|(_, sub)| *sub) {
                Some(Subject::Staff) => 1,
                Some(Subject::Patient) => 0,
                _ => continue,
            };
            let features: Vec<&str> = e.features().collect();
            println!("FEATURES\t{label}\t{n}\t{}", features.join(","));
        }
    }
}
