//! Baselines for re-audits: `--write-baseline FILE` records a fingerprint of every
//! finding; a later `--baseline FILE` leaves out the findings already reviewed.
//!
//! A fingerprint must survive a re-export of the same chat, which renumbers lines,
//! renames the file, may change line endings, date locale and whether seconds are
//! shown. So it is a hash of what identifies the finding itself: its kind, its matched
//! text normalised (case, spaces and punctuation dropped, so `943 476 5919` and
//! `9434765919` agree), and for a chat message its sender (case and spacing folded)
//! and its time to the minute; for a finding outside a chat, the file's own name
//! (last path component) instead of sender and time. Never a line number or a path.
//!
//! The file holds no identifier: only salted SHA-256 fingerprints and the salt. A
//! fingerprint of a low-entropy identifier (an NHS number) can still be confirmed by
//! someone who guesses it, so a baseline is kept with the audit records, like the
//! report itself.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use careguard::detect::Finding;

use crate::unit::MsgMeta;

/// Largest baseline file read.
pub const MAX_BASELINE_BYTES: u64 = 256 << 20;

/// A set of reviewed findings.
#[derive(Clone, Debug)]
pub struct Baseline {
    salt: [u8; 16],
    known: BTreeSet<[u8; 32]>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    careguard_baseline: u32,
    salt: String,
    fingerprints: Vec<String>,
}

fn fold(s: &str, keep: impl Fn(char) -> bool) -> String {
    s.chars()
        .filter(|c| keep(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

impl Baseline {
    /// An empty baseline with a fresh random salt.
    pub fn new() -> Result<Self, String> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| format!("no randomness for a salt: {e}"))?;
        Ok(Baseline {
            salt,
            known: BTreeSet::new(),
        })
    }

    /// An empty baseline with the same salt (to write a new one comparable to this).
    pub fn empty_like(&self) -> Self {
        Baseline {
            salt: self.salt,
            known: BTreeSet::new(),
        }
    }

    /// Reads a baseline file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let shown = path.display();
        let meta = std::fs::metadata(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
        if meta.len() > MAX_BASELINE_BYTES {
            return Err(format!("{shown}: larger than {MAX_BASELINE_BYTES} bytes"));
        }
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
        let file: File = serde_json::from_str(&text)
            .map_err(|e| format!("{shown}: not a careguard baseline: {e}"))?;
        if file.careguard_baseline != 1 {
            return Err(format!(
                "{shown}: baseline version {} is not supported (this careguard reads 1)",
                file.careguard_baseline
            ));
        }
        let salt: [u8; 16] = hex::decode(&file.salt)
            .ok()
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| format!("{shown}: the salt is not 32 hex digits"))?;
        let mut known = BTreeSet::new();
        for (i, f) in file.fingerprints.iter().enumerate() {
            let fp: [u8; 32] = hex::decode(f)
                .ok()
                .and_then(|s| s.try_into().ok())
                .ok_or_else(|| format!("{shown}: fingerprint {i} is not 64 hex digits"))?;
            known.insert(fp);
        }
        Ok(Baseline { salt, known })
    }

    /// Writes the baseline to `path` (sorted fingerprints, so it diffs well).
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let file = File {
            careguard_baseline: 1,
            salt: hex::encode(self.salt),
            fingerprints: self.known.iter().map(hex::encode).collect(),
        };
        let mut text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
        text.push('\n');
        std::fs::write(path, text).map_err(|e| format!("{}: cannot write: {e}", path.display()))
    }

    /// How many findings it holds.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// The fingerprint of a finding `f`, whose matched text is `matched`, in a message
    /// `msg` (if any) of the input `path`.
    pub fn fingerprint(
        &self,
        f: &Finding,
        matched: &str,
        msg: Option<&MsgMeta>,
        path: &str,
    ) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(b"careguard baseline v1\0");
        h.update(self.salt);
        let mut fields = String::new();
        let _ = write!(
            fields,
            "{}\0{}\0",
            f.kind.as_str(),
            fold(matched, char::is_alphanumeric)
        );
        match msg {
            Some(m) => {
                let sender = m.sender.as_deref().map_or(String::new(), |s| {
                    s.split_whitespace().collect::<Vec<_>>().join(" ")
                });
                let time = m.time.as_deref().unwrap_or("");
                // To the minute: some exports drop seconds.
                let minute = time.get(..16).unwrap_or(time);
                let _ = write!(fields, "msg\0{}\0{minute}", sender.to_lowercase());
            }
            None => {
                let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
                let _ = write!(fields, "file\0{}", name.to_lowercase());
            }
        }
        h.update(fields.as_bytes());
        h.finalize().into()
    }

    /// Whether the baseline holds `fp`.
    pub fn contains(&self, fp: &[u8; 32]) -> bool {
        self.known.contains(fp)
    }

    /// Adds `fp`.
    pub fn insert(&mut self, fp: [u8; 32]) {
        self.known.insert(fp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whatsapp::MessageKind;
    use careguard::detect::{Kind, Subject};

    fn finding(matched: &str, start: usize) -> Finding {
        Finding {
            kind: Kind::NhsNumber,
            start,
            end: start + matched.len(),
            start_utf16: start,
            end_utf16: start + matched.len(),
            confidence: 0.99,
            rule: "nhs_mod11",
            subject: Subject::Unknown,
        }
    }

    fn msg(index: u64, sender: &str, time: &str) -> MsgMeta {
        MsgMeta {
            index,
            sender: Some(sender.into()),
            time: Some(time.into()),
            kind: MessageKind::Text,
        }
    }

    #[test]
    fn fingerprints_survive_a_re_export() {
        let b = Baseline::new().unwrap();
        let a = b.fingerprint(
            &finding("943 476 5919", 10),
            "943 476 5919",
            Some(&msg(6, "Priya Nair", "2024-03-14T07:41:00")),
            "chat.txt",
        );
        // Other line, offset, message number, file name, spacing and seconds.
        let again = b.fingerprint(
            &finding("9434765919", 40),
            "9434765919",
            Some(&msg(9, "Priya  Nair", "2024-03-14T07:41:37")),
            "WhatsApp Chat - Ward 7 (2).zip/_chat.txt",
        );
        assert_eq!(a, again);
        // Another time, sender or number is another finding.
        for other in [
            b.fingerprint(
                &finding("943 476 5919", 10),
                "943 476 5919",
                Some(&msg(6, "Priya Nair", "2024-03-14T07:42:00")),
                "chat.txt",
            ),
            b.fingerprint(
                &finding("943 476 5919", 10),
                "943 476 5919",
                Some(&msg(6, "Tom Reilly", "2024-03-14T07:41:00")),
                "chat.txt",
            ),
            b.fingerprint(
                &finding("943 476 5920", 10),
                "943 476 5920",
                Some(&msg(6, "Priya Nair", "2024-03-14T07:41:00")),
                "chat.txt",
            ),
        ] {
            assert_ne!(a, other);
        }
        // Another salt, another fingerprint.
        let c = Baseline::new().unwrap();
        assert_ne!(
            a,
            c.fingerprint(
                &finding("943 476 5919", 10),
                "943 476 5919",
                Some(&msg(6, "Priya Nair", "2024-03-14T07:41:00")),
                "chat.txt",
            )
        );
    }
}
