//! Prints the findings of each line of standard input, with the matched text, for
//! trying the scanner on synthetic text: `cargo run --example detect_lines < file`.
use std::io::BufRead;

use careguard::detect::Scanner;

fn main() -> std::io::Result<()> {
    let scanner = Scanner::new();
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let found: Vec<String> = scanner
            .scan(&line)
            .iter()
            .map(|f| {
                format!(
                    "{}={:?}({}, {:.2})",
                    f.kind,
                    &line[f.start..f.end],
                    f.rule,
                    f.confidence
                )
            })
            .collect();
        println!("{line}\n    -> {}", found.join(" "));
    }
    Ok(())
}
