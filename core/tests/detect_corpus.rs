//! Accuracy on the labelled ward-chat corpus (core/tests/corpus/ward_chat.jsonl), with
//! the targets of the detect issue as assertions. Prints the table; see it with
//! `cargo test --release -p careguard --test detect_corpus -- --nocapture`, or run
//! `cargo run --release -p careguard --example evaluate -- --errors`.

mod detect_support;

use careguard::detect::{Kind, Scanner};
use detect_support::corpus_eval::{CORPUS, evaluate, load, table};

#[test]
fn corpus_meets_the_issue_targets() {
    let corpus = load(CORPUS);
    assert!(corpus.len() >= 500, "corpus has {} messages", corpus.len());
    let report = evaluate(&Scanner::new(), &corpus);
    println!("{}", table(&report));
    for e in report.errors.iter().take(40) {
        println!("{e}");
    }
    for k in [Kind::NhsNumber, Kind::ChiNumber, Kind::HcNumber] {
        let c = report.kind(k);
        assert!(c.gold > 0, "{k}: corpus must hold some");
        assert_eq!(c.recall(), 1.0, "{k} recall");
        assert!(c.precision() >= 0.99, "{k} precision {}", c.precision());
    }
    let dob = report.kind(Kind::DateOfBirth);
    assert!(
        dob.recall() >= 0.97,
        "date_of_birth recall {}",
        dob.recall()
    );
    assert!(
        dob.precision() >= 0.97,
        "date_of_birth precision {}",
        dob.precision()
    );
    let names = report.kind(Kind::PersonName);
    assert!(
        names.recall() >= 0.90,
        "person_name recall {}",
        names.recall()
    );
    assert!(
        names.precision() >= 0.92,
        "person_name precision {}",
        names.precision()
    );
    assert!(
        report.sensitivity() >= 0.98,
        "sensitivity {}",
        report.sensitivity()
    );
    assert!(
        report.false_alarm_rate() <= 0.03,
        "false alarms {}",
        report.false_alarm_rate()
    );
}
