//! File names and paths are data: the names of files found in a directory or a zip
//! archive (skipped media included) are scanned and reported like any finding, and no
//! masked report prints them unmasked; jsonl keeps `path` as given (DESIGN.md).

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

fn careguard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_careguard"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const PATIENT: &str = "Margaret Holloway";

/// A folder `Ward 7 - Margaret Holloway/` with a clean text file, a photo named after
/// the patient, and a zip holding a clean chat and a letter named after her.
fn folder(name: &str) -> Dir {
    let dir = std::env::temp_dir().join(format!("careguard-names-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let inner = dir.join(format!("Ward 7 - {PATIENT}"));
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(inner.join("handover.txt"), "obs stable, NEWS 1\n").unwrap();
    std::fs::write(inner.join("notes.txt"), "bloods due at 14:00\n").unwrap();
    std::fs::write(inner.join(format!("{PATIENT} wound.jpg")), b"\xff\xd8\xff").unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(inner.join("export.zip")).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("_chat.txt", opts).unwrap();
    zip.write_all(b"all quiet on the ward\n").unwrap();
    zip.start_file(format!("Discharge letter {PATIENT}.pdf"), opts)
        .unwrap();
    zip.write_all(b"%PDF-1.4").unwrap();
    zip.finish().unwrap();
    Dir(dir)
}

#[test]
fn names_are_findings_and_masked_reports_never_print_them() {
    let dir = folder("masked");
    let d = dir.0.to_str().unwrap();
    for format in ["text", "json", "csv", "sarif", "html"] {
        let out = careguard(&["scan", d, "--format", format, "--verbose"]);
        // Every file's content is clean: the findings are in the names.
        assert_eq!(out.status.code(), Some(1), "{format}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!stdout.contains(PATIENT), "{format}: {stdout}");
        assert!(!stderr.contains(PATIENT), "{format}: {stderr}");
        assert!(!stdout.contains("Holloway"), "{format}");
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&careguard(&["scan", d, "--format", "json"]).stdout).unwrap();
    // The folder's name once, the photo's and the letter's: three names.
    assert_eq!(summary["kinds"]["person_name"], 3, "{summary}");
    // Names of skipped inputs belong to no scanned file: here all three, as the
    // folder's name comes with the first entry walked, the skipped photo.
    let in_files: u64 = summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["findings"].as_u64().unwrap())
        .sum();
    assert_eq!(in_files, 0, "{summary}");
    let skipped = summary["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 2, "{summary}");
    for s in skipped {
        assert!(s["path"].as_str().unwrap().contains("[M.H.]"), "{s}");
    }
    // --show-matches shows the names, as it shows any match.
    let out = careguard(&["scan", d, "--show-matches"]);
    assert!(String::from_utf8(out.stdout).unwrap().contains(PATIENT));
}

#[test]
fn jsonl_keeps_the_path_and_reports_names_on_line_zero() {
    let dir = folder("jsonl");
    let out = careguard(&["scan", dir.0.to_str().unwrap(), "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut names = 0;
    for l in &lines {
        assert_eq!(l["line"], 0);
        let path = l["path"].as_str().unwrap();
        assert!(path.contains(PATIENT), "{path}");
        for f in l["findings"].as_array().unwrap() {
            let (s, e) = (
                f["start"].as_u64().unwrap() as usize,
                f["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&path[s..e], PATIENT);
            assert_eq!(f["kind"], "person_name");
            names += 1;
        }
    }
    // The folder's name (once, with the first file in it), the photo's, the letter's.
    assert_eq!(names, 3, "{lines:?}");
}

#[test]
fn a_failed_input_is_named_masked() {
    let out = careguard(&["scan", "no/such/Margaret Holloway.txt", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stdout.contains(PATIENT) && !stderr.contains(PATIENT));
    assert!(
        stderr.starts_with("careguard: error: no/such/[M.H.].txt: cannot read"),
        "{stderr}"
    );
}
