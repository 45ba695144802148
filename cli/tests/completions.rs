//! `careguard completions SHELL` and `careguard man`: generated from the clap
//! definition, so they list every subcommand and option; the committed man page
//! (docs/careguard.1) is what `careguard man` prints.
//!
//! Regenerate docs/careguard.1 after changing options with
//! `UPDATE_GOLDEN=1 cargo test -p careguard-cli --test completions`.

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

#[test]
fn completions_cover_every_subcommand_and_option() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = careguard(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for word in [
            "scan",
            "minimise",
            "seal",
            "open",
            "write-baseline",
            "config",
        ] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
        if matches!(shell, "bash" | "zsh" | "fish") {
            assert!(script.contains("sarif"), "{shell} lacks the formats");
        }
    }
    // The bash script is valid bash.
    let out = careguard(&["completions", "bash"]);
    let dir = std::env::temp_dir().join(format!("careguard-compl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("careguard.bash");
    std::fs::write(&file, &out.stdout).unwrap();
    let check = Command::new("bash").arg("-n").arg(&file).output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert_eq!(careguard(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn the_man_page_is_generated_and_committed() {
    let out = careguard(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq \\(aq"),
        "{}",
        &page[..80]
    );
    assert!(page.contains(".TH careguard 1"));
    for section in [
        "CAREGUARD SCAN",
        "CAREGUARD MINIMISE",
        "CAREGUARD SEAL",
        "CAREGUARD OPEN",
    ] {
        assert!(page.contains(section), "{section}");
    }
    assert!(page.contains("write\\-baseline"));
    assert!(page.contains("EXIT STATUS"));
    let committed = root().join("docs/careguard.1");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&committed, &page).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&committed).unwrap(),
        page,
        "docs/careguard.1 is stale: UPDATE_GOLDEN=1 cargo test -p careguard-cli --test completions"
    );
}
