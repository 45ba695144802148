//! The `careguard` binary end to end with the real scanner: exit codes, the jsonl
//! schema, stdin, zip archives, errors on stderr, and a golden text report of the
//! bundled example (README's main-job command).
//!
//! Regenerate the golden files after a deliberate change of rules or wording with
//! `UPDATE_GOLDEN=1 cargo test -p careguard-cli --test cli`.

#![allow(clippy::unwrap_used, clippy::panic)] // test code: a panic is a failed test

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn careguard(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_careguard"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn golden(name: &str, actual: &str) {
    let path = root().join("cli/tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        actual, expected,
        "golden {name} differs; UPDATE_GOLDEN=1 rewrites it"
    );
}

const EXAMPLE: &str = "examples/whatsapp-ward-group.txt";
const EXAMPLE_ZIP: &str = "examples/WhatsApp Chat - Ward 7 Nurses.zip";

#[test]
fn text_report_of_the_example_is_golden() {
    let out = careguard(&["scan", EXAMPLE], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.is_empty());
    let text = String::from_utf8(out.stdout).unwrap();
    // Matches are masked unless asked for.
    assert!(!text.contains("443 464 0976"));
    assert!(text.contains("*** *** 0976"));
    golden("whatsapp-ward-group.txt", &text);
}

fn keys_in_order(raw: &str, keys: &[&str]) {
    let at: Vec<usize> = keys
        .iter()
        .map(|k| {
            raw.find(&format!("\"{k}\":"))
                .unwrap_or_else(|| panic!("{k} in {raw}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{keys:?} in {raw}");
}

fn key_set(v: &serde_json::Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn jsonl_follows_the_design_schema() {
    let out = careguard(&["scan", EXAMPLE, "--format", "jsonl"], None);
    assert_eq!(out.status.code(), Some(1));
    let source = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let lines: Vec<&str> = source.lines().collect();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut seen_lines = Vec::new();
    for l in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        keys_in_order(
            l,
            &[
                "path",
                "line",
                "findings",
                "kind",
                "start",
                "end",
                "start_utf16",
                "end_utf16",
                "confidence",
                "rule",
                "message",
                "index",
                "sender",
                "time",
            ],
        );
        assert_eq!(key_set(&v), ["findings", "line", "message", "path"]);
        assert_eq!(v["path"], EXAMPLE);
        let n = v["line"].as_u64().unwrap();
        seen_lines.push(n);
        let text = lines[n as usize - 1];
        assert_eq!(key_set(&v["message"]), ["index", "sender", "time"]);
        let findings = v["findings"].as_array().unwrap();
        assert!(!findings.is_empty());
        for f in findings {
            let mut keys = vec![
                "confidence",
                "end",
                "end_utf16",
                "kind",
                "rule",
                "start",
                "start_utf16",
            ];
            if f["kind"] == "person_name" {
                keys.push("subject");
                keys.sort_unstable();
                let subject = f["subject"].as_str().unwrap();
                assert!(["patient", "staff", "unknown"].contains(&subject), "{f}");
            }
            assert_eq!(key_set(f), keys);
            let (s, e) = (
                f["start"].as_u64().unwrap() as usize,
                f["end"].as_u64().unwrap() as usize,
            );
            assert!(s < e && e <= text.len());
            let s16: usize = text[..s].chars().map(char::len_utf16).sum();
            assert_eq!(f["start_utf16"].as_u64().unwrap() as usize, s16);
        }
    }
    // One object per line with findings, in line order.
    let mut sorted = seen_lines.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(seen_lines, sorted);
    let first: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["line"], 6);
    assert_eq!(first["message"]["index"], 6);
    assert_eq!(first["message"]["sender"], "Priya Nair");
    assert_eq!(first["message"]["time"], "2024-03-14T07:41:00");
    assert_eq!(first["findings"][1]["kind"], "nhs_number");
    let s = first["findings"][1]["start"].as_u64().unwrap() as usize;
    assert_eq!(&lines[5][s..s + 12], "443 464 0976");
}

#[test]
fn show_matches_adds_the_text() {
    let out = careguard(
        &["scan", EXAMPLE, "--format", "jsonl", "--show-matches"],
        None,
    );
    let first: serde_json::Value = serde_json::from_str(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["findings"][1]["match"], "443 464 0976");
    let out = careguard(&["scan", EXAMPLE, "--show-matches"], None);
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("443 464 0976")
    );
}

#[test]
fn stdin_is_dash_and_clean_input_exits_zero() {
    let out = careguard(
        &["scan", "-", "--format", "jsonl"],
        Some(b"Will do, thanks\n"),
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let chat = std::fs::read(root().join(EXAMPLE)).unwrap();
    let out = careguard(&["scan", "--format", "jsonl"], Some(&chat));
    assert_eq!(out.status.code(), Some(1));
    let first: serde_json::Value = serde_json::from_str(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["path"], "-");
    assert_eq!(first["message"]["sender"], "Priya Nair");
}

#[test]
fn zip_members_are_reported_inside_the_archive() {
    let out = careguard(&["scan", EXAMPLE_ZIP, "--format", "jsonl"], None);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let first: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["path"], format!("{EXAMPLE_ZIP}/_chat.txt"));
    assert_eq!(first["message"]["time"], "2024-03-14T07:41:03");
    // Media are skipped, and said so.
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("skipped 2 media or binary file(s)"), "{err}");
}

#[test]
fn errors_exit_two_and_name_the_file() {
    let out = careguard(
        &["scan", "no/such/file.txt", EXAMPLE, "--format", "json"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("careguard: error: no/such/file.txt: cannot read"),
        "{err}"
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["status"], 2);
    assert_eq!(summary["errors"][0]["path"], "no/such/file.txt");
    assert_eq!(summary["files"][0]["path"], EXAMPLE);
    assert_eq!(summary["files"][0]["messages"]["total"], 23);
    assert!(summary["kinds"]["nhs_number"].as_u64().unwrap() >= 1);
    let out = careguard(&["scan", "cli/tests/fixtures/invalid_utf8.txt"], None);
    assert_eq!(out.status.code(), Some(2));
    // A report in which every input failed never reads as a clean audit.
    let out = careguard(&["scan", "no/such/file.txt"], None);
    assert_eq!(out.status.code(), Some(2));
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(!report.contains("no patient identifiers found"), "{report}");
    assert!(report.contains("every input failed"), "{report}");
}

#[test]
fn minimise_keeps_headers() {
    let out = careguard(&["minimise", EXAMPLE], None);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let source = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    assert_eq!(text.lines().count(), source.lines().count());
    assert!(!text.contains("443 464 0976"));
    for (a, b) in text.lines().zip(source.lines()) {
        if let Some(h) = careguard_cli::whatsapp::parse_header(b) {
            assert_eq!(&a[..h.body], &b[..h.body]);
        }
    }
    // Participants' @mentions and WhatsApp's own attachment names are kept.
    assert!(text.contains("@\u{2068}Tom Reilly\u{2069}"));
    assert!(text.contains("IMG-20240314-WA0007.jpg (file attached)"));
    let out = careguard(&["minimise", EXAMPLE_ZIP], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_states_exit_status_with_examples() {
    let out = careguard(&["scan", "--help"], None);
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("EXIT STATUS:"));
    assert!(help.contains("EXAMPLES:"));
    assert!(help.contains("--format <FORMAT>"));
}

#[test]
fn output_does_not_depend_on_threads() {
    // A directory of small files is scanned several files at a time.
    let args = |j: &'static str| {
        [
            "scan",
            "cli/tests/fixtures",
            "examples",
            "--format",
            "jsonl",
            "-j",
            j,
        ]
    };
    let one = careguard(&args("1"), None);
    let four = careguard(&args("4"), None);
    assert_eq!(one.status.code(), Some(2), "invalid_utf8.txt is an error");
    assert_eq!(one.stdout, four.stdout);
    assert_eq!(one.stderr, four.stderr);
    assert!(one.stdout.len() > 1000);
}

#[test]
fn names_carry_whose_they_are_and_senders_are_staff() {
    let chat = "14/03/2024, 07:41 - Priya Nair: Mrs Okoro in bed 4 is NBM\n\
                14/03/2024, 07:45 - Tomasz Nowak: Priya Nair can you swap my long day\n\
                14/03/2024, 07:46 - Priya Nair: Tomasz Nowak yes will do\n";
    let out = careguard(&["scan", "-", "--format", "jsonl"], Some(chat.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let subjects: Vec<(u64, String)> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .flat_map(|v| {
            let line = v["line"].as_u64().unwrap();
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["kind"] == "person_name")
                .map(|f| (line, f["subject"].as_str().unwrap().to_owned()))
                .collect::<Vec<_>>()
        })
        .collect();
    // the patient is the patient's; a participant of the chat is staff, whoever names them
    assert_eq!(subjects[0], (1, "patient".to_owned()));
    assert!(
        subjects.iter().any(|(l, s)| *l == 3 && s == "staff"),
        "{subjects:?}"
    );
    // the human report marks staff names
    let text = careguard(&["scan", "-"], Some(chat.as_bytes()));
    let report = String::from_utf8(text.stdout).unwrap();
    assert!(report.contains("(staff)"), "{report}");
}
