//! `careguard seal` / `careguard open` end to end: round trips, wrong and bad keys,
//! tampering, bindings, expiry; failures print `careguard: error:` and write nothing
//! to stdout.
// Helpers outside `#[test]` functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("careguard-crypt-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_careguard"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A failing command may exit before reading all of stdin; ignore that pipe error.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts a refusal: exit 1, nothing on stdout, an error line containing `needle`.
fn assert_fails(output: &Output, needle: &str) {
    assert_fails_with(output, 1, needle);
}

/// Asserts a failure with exit `status` (1 refused, 2 usage or I/O, as for `scan`),
/// nothing on stdout and an error line containing `needle`.
fn assert_fails_with(output: &Output, status: i32, needle: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(status), "stderr: {err}");
    assert!(
        output.stdout.is_empty(),
        "stdout must stay empty on failure"
    );
    assert!(err.starts_with("careguard: error: "), "{err}");
    assert!(err.contains(needle), "{err:?} lacks {needle:?}");
}

fn key(byte: u8) -> Vec<u8> {
    (0..32u8).map(|i| i.wrapping_mul(13) ^ byte).collect()
}

const MESSAGE: &[u8] = b"Bed 4: obs stable. \xff\x00 binary is fine too\n";

#[test]
fn seal_then_open_round_trips() {
    let dir = Dir::new("round-trip");
    let k = dir.file("k", &key(1));
    let k = k.to_str().unwrap();
    for extra in [&[][..], &["--no-pad"], &["--content-type", "text/plain"]] {
        let mut args = vec!["seal", "--key-file", k];
        args.extend_from_slice(extra);
        let sealed = run(&args, MESSAGE);
        assert!(sealed.status.success(), "{}", stderr(&sealed));
        assert!(sealed.stdout.starts_with(b"CGEV"));
        let opened = run(&["open", "--key-file", k], &sealed.stdout);
        assert!(opened.status.success(), "{}", stderr(&opened));
        assert_eq!(opened.stdout, MESSAGE);
        assert!(opened.stderr.is_empty());
    }
}

#[test]
fn open_with_rotated_keys() {
    let dir = Dir::new("rotated");
    let (old, new) = (dir.file("old", &key(1)), dir.file("new", &key(2)));
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let sealed = run(&["seal", "--key-file", old], MESSAGE);
    let opened = run(
        &["open", "--key-file", new, "--key-file", old],
        &sealed.stdout,
    );
    assert_eq!(opened.stdout, MESSAGE, "{}", stderr(&opened));
}

#[test]
fn wrong_key_fails_with_a_hint() {
    let dir = Dir::new("wrong-key");
    let (a, b) = (dir.file("a", &key(1)), dir.file("b", &key(2)));
    let sealed = run(&["seal", "--key-file", a.to_str().unwrap()], MESSAGE);
    let opened = run(&["open", "--key-file", b.to_str().unwrap()], &sealed.stdout);
    assert_fails(&opened, "no key given opens this envelope");
    assert!(stderr(&opened).contains("careguard: hint: it was sealed under key id"));
    // Same key id forced onto a different key: authentication fails instead.
    let sealed = run(
        &["seal", "--key-file", a.to_str().unwrap(), "--key-id", "5"],
        MESSAGE,
    );
    let opened = run(
        &["open", "--key-file", b.to_str().unwrap(), "--key-id", "5"],
        &sealed.stdout,
    );
    assert_fails(&opened, "failed authentication");
}

#[test]
fn bad_key_files_are_refused() {
    let dir = Dir::new("bad-key");
    let short = dir.file("short", &[7; 31]);
    let long = dir.file("long", &[7; 64]);
    let missing = dir.0.join("missing");
    for (path, needle) in [
        (&short, "holds 31 bytes, not 32"),
        (&long, "holds more than 32 bytes, not 32"),
        (&missing, "cannot read key file"),
    ] {
        for cmd in ["seal", "open"] {
            let out = run(&[cmd, "--key-file", path.to_str().unwrap()], MESSAGE);
            assert_fails_with(&out, 2, needle);
            assert!(stderr(&out).contains("careguard: hint: a key file is exactly 32 raw bytes"));
        }
    }
}

#[test]
fn tampered_or_truncated_input_never_yields_plaintext() {
    let dir = Dir::new("tampered");
    let k = dir.file("k", &key(1));
    let k = k.to_str().unwrap();
    let sealed = run(&["seal", "--key-file", k], MESSAGE).stdout;
    for at in [30, 80, sealed.len() / 2, sealed.len() - 1] {
        let mut bad = sealed.clone();
        bad[at] ^= 0x20;
        let out = run(&["open", "--key-file", k], &bad);
        assert_eq!(out.status.code(), Some(1), "byte {at}");
        assert!(out.stdout.is_empty());
    }
    assert_fails(
        &run(&["open", "--key-file", k], &sealed[..sealed.len() - 20]),
        "failed authentication",
    );
    assert_fails(&run(&["open", "--key-file", k], &sealed[..50]), "truncated");
    assert_fails(
        &run(&["open", "--key-file", k], b"plain text, not an envelope"),
        "not a careguard envelope",
    );
}

#[test]
fn binding_must_match() {
    let dir = Dir::new("binding");
    let k = dir.file("k", &key(1));
    let k = k.to_str().unwrap();
    let sealed = run(
        &[
            "seal",
            "--key-file",
            k,
            "--conversation",
            "ward-7",
            "--sender",
            "s1",
        ],
        MESSAGE,
    );
    let wrong = run(
        &[
            "open",
            "--key-file",
            k,
            "--conversation",
            "ward-8",
            "--sender",
            "s1",
        ],
        &sealed.stdout,
    );
    assert_fails(&wrong, "different conversation or sender");
    let right = run(
        &[
            "open",
            "--key-file",
            k,
            "--conversation",
            "ward-7",
            "--sender",
            "s1",
        ],
        &sealed.stdout,
    );
    assert_eq!(right.stdout, MESSAGE);
}

#[test]
fn expired_envelopes_do_not_open() {
    let dir = Dir::new("expiry");
    let k = dir.file("k", &key(1));
    let k = k.to_str().unwrap();
    let past = run(&["seal", "--key-file", k, "--expires-at", "1000"], MESSAGE);
    assert_fails(&past, "expires_at must be later than now");
    let sealed = run(&["seal", "--key-file", k, "--expires-in", "1"], MESSAGE);
    assert!(sealed.status.success());
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert_fails(
        &run(&["open", "--key-file", k], &sealed.stdout),
        "expired at",
    );
}

#[test]
fn usage_errors_exit_two_like_scan() {
    let dir = Dir::new("usage");
    let (a, b) = (dir.file("a", &key(1)), dir.file("b", &key(2)));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let out = run(
        &["open", "--key-file", a, "--key-file", b, "--key-id", "5"],
        b"",
    );
    assert_fails_with(&out, 2, "--key-id needs exactly one --key-file");
    let out = run(&["seal", "--key-file", a, "--expires-in", "0"], MESSAGE);
    assert_fails_with(&out, 2, "--expires-in must be at least 1 second");
    // clap's own usage errors use 2 as well.
    assert_eq!(run(&["seal"], b"").status.code(), Some(2));
}
