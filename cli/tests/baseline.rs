//! `--baseline` / `--write-baseline`: reviewed findings stay out of a re-audit, also
//! after a re-export that renumbers lines, renames the file and changes line endings;
//! new findings still show; the baseline file holds no identifier.

#![allow(clippy::unwrap_used, clippy::panic)] // test code: a panic is a failed test

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn careguard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_careguard"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap()
}

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("careguard-baseline-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
    fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_owned()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const EXAMPLE: &str = "examples/whatsapp-ward-group.txt";

// The example has 8 findings: one is a colleague's name ("Thanks Grace."), which the
// audit still reports, marked as staff.
#[test]
fn a_baseline_suppresses_reviewed_findings_across_a_re_export() {
    let dir = Dir::new("reexport");
    let base = dir.path("baseline.json");
    let out = careguard(&[
        "scan",
        EXAMPLE,
        "--write-baseline",
        &base,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["findings"], 8);
    let written = std::fs::read_to_string(&base).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(doc["fingerprints"].as_array().unwrap().len(), 8);
    for secret in ["0976", "Holloway", "Priya", "LS6", "RXF", "1947", "900456"] {
        assert!(!written.contains(secret), "{secret} in the baseline");
    }

    // The same export again: nothing new, exit 0, the reviewed ones counted.
    let out = careguard(&["scan", EXAMPLE, "--baseline", &base, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["findings"], 0);
    assert_eq!(v["suppressed_by_baseline"], 8);

    // A re-export: another name, CRLF, two messages more at the top (every line number
    // moves), one of them with a new NHS number.
    let source = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let mut lines: Vec<&str> = source.lines().collect();
    lines.insert(
        3,
        "14/03/2024, 07:10 - Tom Reilly: Bed 2 NHS 943 476 5919 for CT",
    );
    lines.insert(3, "14/03/2024, 07:09 - Tom Reilly: morning");
    let reexport = dir.path("WhatsApp Chat with Ward 7 (2).txt");
    std::fs::write(&reexport, lines.join("\r\n") + "\r\n").unwrap();
    let out = careguard(&["scan", &reexport, "--baseline", &base, "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let new: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(new.len(), 1, "{text}");
    assert_eq!(new[0]["findings"][0]["kind"], "nhs_number");
    assert_eq!(new[0]["message"]["sender"], "Tom Reilly");
    let out = careguard(&["scan", &reexport, "--baseline", &base]);
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains("8 finding(s) already reviewed, left out by the baseline"),
        "{report}"
    );

    // Rewriting the baseline from the re-export keeps the salt and adds the new one.
    let base2 = dir.path("baseline2.json");
    careguard(&[
        "scan",
        &reexport,
        "--baseline",
        &base,
        "--write-baseline",
        &base2,
    ]);
    let doc2: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&base2).unwrap()).unwrap();
    assert_eq!(doc2["salt"], doc["salt"]);
    assert_eq!(doc2["fingerprints"].as_array().unwrap().len(), 9);
    let out = careguard(&["scan", &reexport, "--baseline", &base2]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_bad_baseline_is_an_error() {
    let dir = Dir::new("bad");
    let bad = dir.path("bad.json");
    std::fs::write(
        &bad,
        "{\"careguard_baseline\": 1, \"salt\": \"zz\", \"fingerprints\": []}",
    )
    .unwrap();
    for path in [bad.as_str(), "no/such/baseline.json"] {
        let out = careguard(&["scan", EXAMPLE, "--baseline", path]);
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with("careguard: error: --baseline "), "{err}");
    }
}
