//! Behaviour the reading subcommands share with `scan`: invalid UTF-8 is refused by
//! `minimise` as `scan` reports it, and no subcommand waits silently on a terminal.

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

fn careguard(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_careguard"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

const INVALID: &str = "cli/tests/fixtures/invalid_utf8.txt";

#[test]
fn minimise_refuses_invalid_utf8_and_writes_nothing() {
    let scan = careguard(&["scan", INVALID], b"");
    assert_eq!(scan.status.code(), Some(2));
    let out = careguard(&["minimise", INVALID], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no partial copy on stdout");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with(&format!(
            "careguard: error: {INVALID}: invalid UTF-8 at line 2"
        )),
        "{err}"
    );
    let bytes = std::fs::read(root().join(INVALID)).unwrap();
    let out = careguard(&["minimise", "-"], &bytes);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    // Valid input still goes through.
    let out = careguard(&["minimise"], "fine line\n".as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, b"fine line\n");
}

/// Runs `careguard ARGS` with a pseudo-terminal as stdin (util-linux `script`).
fn on_terminal(args: &str) -> Option<(i32, String)> {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return None;
    }
    let bin = env!("CARGO_BIN_EXE_careguard");
    let out = Command::new("timeout")
        .args(["20", "script", "-qec"])
        .arg(format!("'{bin}' {args}"))
        .arg("/dev/null")
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Some((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).replace('\r', ""),
    ))
}

#[test]
fn no_input_on_a_terminal_gives_the_same_hint() {
    let Some((scan, scan_text)) = on_terminal("scan") else {
        return;
    };
    let Some((minimise, minimise_text)) = on_terminal("minimise") else {
        return;
    };
    assert_eq!(scan, 2, "{scan_text}");
    assert_eq!(minimise, 2, "{minimise_text}");
    assert!(
        scan_text.contains("careguard: hint: careguard scan examples/whatsapp-ward-group.txt"),
        "{scan_text}"
    );
    assert!(
        minimise_text.contains("careguard: error: no input:"),
        "{minimise_text}"
    );
    assert!(
        minimise_text
            .contains("careguard: hint: careguard minimise examples/whatsapp-ward-group.txt"),
        "{minimise_text}"
    );
}
