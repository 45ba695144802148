//! tmp
fn main() {
    let s = careguard::detect::Scanner::new();
    for m in std::env::args().skip(1) {
        let f = s.scan(&m);
        println!(
            "{m:?} -> {:?}",
            f.iter()
                .map(|f| (&m[f.start..f.end], f.subject.as_str(), f.rule))
                .collect::<Vec<_>>()
        );
    }
}
