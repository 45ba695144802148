//! Prints the scanner's accuracy on the labelled corpus and its throughput:
//! `cargo run --release -p careguard --example evaluate [-- --errors]`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/detect_support/corpus_eval.rs"]
#[allow(dead_code)]
mod corpus_eval;

fn main() {
    let scanner = careguard::detect::Scanner::new();
    let corpus = corpus_eval::load(corpus_eval::CORPUS);
    let report = corpus_eval::evaluate(&scanner, &corpus);
    if std::env::args().any(|a| a == "--errors") {
        for e in &report.errors {
            println!("{e}");
        }
    }
    print!("{}", corpus_eval::table(&report));
}
