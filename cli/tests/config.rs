//! `--config` and `.careguard.toml`: the example file loads, settings reach the
//! scanner and the policy, a discovered file is used, and bad files are refused with
//! their line.

#![allow(clippy::unwrap_used, clippy::panic)] // test code: a panic is a failed test

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use careguard_cli::config::Config;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn careguard(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_careguard"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap()
}

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("careguard-config-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
    fn file(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::File::create(&path)
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        path.to_str().unwrap().to_owned()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const EXAMPLE: &str = "examples/whatsapp-ward-group.txt";
const EXAMPLE_CONFIG: &str = "examples/careguard.toml";

#[test]
fn the_example_config_loads() {
    let c = Config::load(&root().join(EXAMPLE_CONFIG)).unwrap();
    assert!(c.policy.is_some());
    let s = c.scanner();
    assert!(
        s.scan("Grace Mensah is on the Florence Nightingale ward")
            .is_empty()
    );
    assert!(!s.scan("hospital number RXF1234567").is_empty());
}

#[test]
fn settings_change_the_scan_and_add_policy_verdicts() {
    let plain = json(&careguard(&["scan", EXAMPLE, "--format", "json"]));
    assert!(plain.get("policy").is_none());
    let dir = Dir::new("settings");
    let cfg = dir.file(
        "c.toml",
        "[kinds]\nphone_number = false\n[policy]\nconversation = 'social'\nplatform_approved = true\n",
    );
    let out = careguard(&["scan", EXAMPLE, "--format", "json", "--config", &cfg]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert!(plain["kinds"]["phone_number"].as_u64().unwrap() >= 1);
    assert!(v["kinds"].get("phone_number").is_none(), "{v}");
    assert_eq!(v["policy"]["context"]["conversation"], "social");
    let blocked = v["policy"]["messages"]["block"].as_u64().unwrap();
    assert!(blocked >= 3, "{v}");
    assert_eq!(v["policy"]["reasons"]["social_group"], blocked);
}

#[test]
fn a_careguard_toml_in_the_scanned_directory_is_used() {
    let dir = Dir::new("discovered");
    dir.file("chat.txt", "Patient NHS 943 476 5919 seen\n");
    let d = dir.0.to_str().unwrap();
    assert_eq!(careguard(&["scan", d]).status.code(), Some(1));
    dir.file(".careguard.toml", "[kinds]\nnhs_number = false\n");
    let out = careguard(&["scan", d, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", json(&out));
    // --config wins over the discovered file.
    let other = Dir::new("discovered-other");
    let cfg = other.file("c.toml", "mask_style = 'partial'\n");
    assert_eq!(
        careguard(&["scan", d, "--config", &cfg]).status.code(),
        Some(1)
    );
}

#[test]
fn minimise_uses_the_mask_style() {
    let dir = Dir::new("mask");
    let input = dir.file("in.txt", "NHS 943 476 5919 for review\n");
    let cfg = dir.file("c.toml", "mask_style = 'partial'\n");
    let out = careguard(&["minimise", &input, "--config", &cfg]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, b"NHS *** *** 5919 for review\n");
}

#[test]
fn a_bad_config_is_an_error_naming_the_line() {
    let dir = Dir::new("bad");
    let cfg = dir.file(
        "c.toml",
        "confidence_threshold = 0.5\n[allow]\nward = ['Ward 7']\n",
    );
    for cmd in ["scan", "minimise"] {
        let out = careguard(&[cmd, EXAMPLE, "--config", &cfg]);
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with(&format!("careguard: error: {cfg}:3: ")),
            "{err}"
        );
        assert!(err.contains("unknown field `ward`"), "{err}");
    }
    let out = careguard(&["scan", EXAMPLE, "--config", "no/such.toml"]);
    assert_eq!(out.status.code(), Some(2));
}
