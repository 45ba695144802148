//! `careguard audit verify|summarise` on the committed audit-log vectors.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("careguard-audit-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn file(&self, name: &str, hex: &str) -> String {
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_string_lossy().into_owned()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn vectors() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/vectors/audit-log-v1.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn careguard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_careguard"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn verify_accepts_the_log_and_refuses_each_tampered_one() {
    let v = vectors();
    let dir = Dir::new("verify");
    let key = v["device_ed25519"].as_str().unwrap();
    let head = v["head"].as_str().unwrap();
    let good = dir.file("good.log", v["log"].as_str().unwrap());
    let out = careguard(&[
        "audit",
        "verify",
        "--device-key",
        key,
        "--head",
        head,
        &good,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(": ok: device "), "{stdout}");
    assert!(stdout.contains("2 segments, 3 records"), "{stdout}");
    for (i, bad) in v["bad"].as_array().unwrap().iter().enumerate() {
        let path = dir.file(&format!("bad{i}.log"), bad["log"].as_str().unwrap());
        let out = careguard(&[
            "audit",
            "verify",
            "--device-key",
            key,
            "--head",
            head,
            &path,
        ]);
        assert_eq!(out.status.code(), Some(1), "{}", bad["why"]);
        assert!(String::from_utf8_lossy(&out.stdout).contains("REFUSED"));
    }
    let wrong_key = "11".repeat(32);
    let out = careguard(&["audit", "verify", "--device-key", &wrong_key, &good]);
    assert_ne!(out.status.code(), Some(0));
    let out = careguard(&["audit", "verify", "--device-key", "zz", &good]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn summarise_totals_several_logs_without_content() {
    let v = vectors();
    let dir = Dir::new("summarise");
    let key = v["device_ed25519"].as_str().unwrap();
    let a = dir.file("a.log", v["log"].as_str().unwrap());
    let b = dir.file("b.log", v["log"].as_str().unwrap());
    let out = careguard(&["audit", "summarise", "--json", "--device-key", key, &a, &b]);
    assert_eq!(out.status.code(), Some(0));
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["logs"], 2);
    assert_eq!(s["records"], 6);
    assert_eq!(
        (
            s["allowed"].clone(),
            s["warned"].clone(),
            s["blocked"].clone()
        ),
        (2.into(), 2.into(), 2.into())
    );
    assert_eq!(s["kinds"]["person_name"], 4);
    assert_eq!(s["actions"]["overridden"], 2);
    let text = careguard(&["audit", "summarise", "--device-key", key, &a]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("decisions: 3"), "{text}");
    assert!(
        !text.contains("[name]"),
        "override reasons are not printed: {text}"
    );
    // One refused log means no summary at all.
    let bad = dir.file("bad.log", v["bad"][1]["log"].as_str().unwrap());
    let out = careguard(&["audit", "summarise", "--device-key", key, &a, &bad]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("decisions:"));
}
