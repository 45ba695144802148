//! `--format sarif|csv|html` end to end: every finding is in each format, masked
//! unless asked, SARIF's structure (and its schema validity where the checker is
//! installed: scripts/ci.d/45-cli-reports.sh), RFC 4180 and formula-safe CSV, a
//! self-contained HTML document.

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

const EXAMPLE: &str = "examples/whatsapp-ward-group.txt";
const SECRETS: [&str; 4] = [
    "443 464 0976",
    "07700 900456",
    "Margaret Holloway",
    "LS6 2QT",
];

fn findings_in_jsonl(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["scan", "--format", "jsonl"];
    all.extend_from_slice(args);
    let out = careguard(&all);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .flat_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let line = v["line"].clone();
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |f| {
                    let mut f = f.clone();
                    f["line"] = line.clone();
                    f
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn sarif_has_one_result_per_finding_at_its_place() {
    let out = careguard(&["scan", EXAMPLE, "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    for s in SECRETS {
        assert!(!text.contains(s), "unmasked {s}");
    }
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "careguard");
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 11);
    let results = run["results"].as_array().unwrap();
    let expected = findings_in_jsonl(&[EXAMPLE]);
    assert_eq!(results.len(), expected.len());
    for (r, f) in results.iter().zip(&expected) {
        assert_eq!(r["ruleId"], f["kind"]);
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], f["kind"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], f["line"]);
        assert_eq!(
            region["startColumn"].as_u64().unwrap(),
            f["start_utf16"].as_u64().unwrap() + 1
        );
        assert_eq!(
            region["endColumn"].as_u64().unwrap(),
            f["end_utf16"].as_u64().unwrap() + 1
        );
    }
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "examples/whatsapp-ward-group.txt"
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

/// Validates with scripts/ci.d/45-cli-reports.sh's checker when it is installed.
#[test]
fn sarif_is_valid_against_the_published_schema_where_the_checker_is_installed() {
    let python = root().join(".tools/reports-venv/bin/python3");
    if !python.exists() {
        eprintln!("skipped: run scripts/ci.d/45-cli-reports.sh to install the SARIF checker");
        return;
    }
    let dir = std::env::temp_dir().join(format!("careguard-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("x.sarif");
    let out = careguard(&["scan", EXAMPLE, "no/such/file", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::write(&file, &out.stdout).unwrap();
    let check = Command::new(python)
        .arg(root().join("cli/tests/reports/validate_sarif.py"))
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn csv_is_rfc4180_and_formula_safe() {
    let out = careguard(&["scan", EXAMPLE, "--format", "csv"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let body = text
        .strip_prefix('\u{FEFF}')
        .expect("a UTF-8 byte-order mark for Excel");
    assert!(body.ends_with("\r\n"));
    let rows: Vec<&str> = body.split_terminator("\r\n").collect();
    assert!(rows[0].starts_with("path,line,message,time,sender,kind,match,"));
    assert_eq!(rows.len() - 1, findings_in_jsonl(&[EXAMPLE]).len());
    for s in SECRETS {
        assert!(!text.contains(s), "unmasked {s}");
    }
    // A cell a spreadsheet would run as a formula is defused, and quoting holds.
    let dir = std::env::temp_dir().join(format!("careguard-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("x.txt");
    std::fs::write(&input, "call +44 7700 900456, \"urgent\"\n").unwrap();
    let out = careguard(&[
        "scan",
        input.to_str().unwrap(),
        "--format",
        "csv",
        "--show-matches",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8(out.stdout).unwrap();
    let row = text.split("\r\n").nth(1).unwrap();
    assert!(row.contains(",phone_number,'+44 7700 900456,"), "{row}");
}

#[test]
fn html_is_self_contained_and_masked() {
    let out = careguard(&["scan", EXAMPLE, "--format", "html"]);
    assert_eq!(out.status.code(), Some(1));
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<svg ").count(), 4);
    assert!(html.contains("@media print"));
    assert!(html.contains("default-src 'none'"));
    for needle in ["<script", " src=", "<link", "url("] {
        assert!(
            !html.contains(needle),
            "{needle} in a self-contained report"
        );
    }
    for s in SECRETS {
        assert!(!html.contains(s), "unmasked {s}");
    }
    assert!(html.contains("*** *** 0976"));
    // Markup in the input is escaped.
    let dir = std::env::temp_dir().join(format!("careguard-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("<b>x.txt");
    std::fs::write(&input, "NHS 943 476 5919\n").unwrap();
    let out = careguard(&["scan", input.to_str().unwrap(), "--format", "html"]);
    let _ = std::fs::remove_dir_all(&dir);
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(!html.contains("<b>x.txt"));
}
