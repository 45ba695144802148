//! `minimise` and `scan` agree (issue 19): scanning the minimised text of any corpus
//! message, or of two joined, finds nothing of the kinds that were replaced.

mod detect_support;

use std::sync::OnceLock;

use careguard::detect::{Kind, MaskStyle, Scanner, ScannerBuilder};
use detect_support::corpus_eval::{CORPUS, TRAIN_DIR, load, load_marked_dir};
use proptest::prelude::*;

fn texts() -> &'static Vec<String> {
    static T: OnceLock<Vec<String>> = OnceLock::new();
    T.get_or_init(|| {
        let mut v: Vec<String> = load(CORPUS).into_iter().map(|m| m.text).collect();
        v.extend(load_marked_dir(TRAIN_DIR).into_iter().map(|m| m.text));
        v
    })
}

fn scanners() -> &'static [Scanner; 2] {
    static S: OnceLock<[Scanner; 2]> = OnceLock::new();
    S.get_or_init(|| {
        let partial = ScannerBuilder::new()
            .mask_style(MaskStyle::Partial)
            .build()
            .expect("defaults build");
        [Scanner::new(), partial]
    })
}

fn agree(scanner: &Scanner, text: &str) -> Result<(), TestCaseError> {
    let replaced: Vec<Kind> = scanner.scan(text).iter().map(|f| f.kind).collect();
    let out = scanner.minimise(text);
    let again = scanner.scan(&out);
    let leaked: Vec<_> = again
        .iter()
        .filter(|f| replaced.contains(&f.kind))
        .map(|f| (f.kind, &out[f.start..f.end]))
        .collect();
    prop_assert!(
        leaked.is_empty(),
        "{text:?} -> {out:?} still has {leaked:?}"
    );
    Ok(())
}

#[test]
fn every_corpus_message_minimises_clean() {
    for text in texts() {
        for s in scanners() {
            if let Err(e) = agree(s, text) {
                panic!("{e}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn joined_corpus_messages_minimise_clean(
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
        sep in prop::sample::select(vec![" ", "\n", ", ", " - ", ""]),
        partial in any::<bool>(),
    ) {
        let t = texts();
        let text = format!("{}{sep}{}", t[a.index(t.len())], t[b.index(t.len())]);
        agree(&scanners()[usize::from(partial)], &text)?;
    }
}
