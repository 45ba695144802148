//! `careguard.toml`: a Trust's settings for `scan` and `minimise`.
//!
//! Every setting maps onto the core library's own configuration (the
//! [`ScannerBuilder`], [`MaskStyle`] and the policy [`Context`]), so the CLI adds no
//! detection logic of its own. The schema is in docs/CLI.md and
//! examples/careguard.toml. Unknown keys and bad values are errors that name the file
//! and line: a misspelt setting silently ignored would make an audit look cleaner than
//! it is.

use std::fmt;
use std::path::{Path, PathBuf};

use careguard::detect::{Kind, MaskStyle, Scanner, ScannerBuilder};
use careguard::policy::{Context, Conversation, Platform};
use serde::Deserialize;
use toml::Spanned;

/// The name looked for in a scanned directory when `--config` is not given.
pub const DISCOVERED_NAME: &str = ".careguard.toml";

/// Largest configuration file read.
pub const MAX_CONFIG_BYTES: u64 = 4 << 20;

/// A loaded configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where it came from (`None`: the defaults).
    pub path: Option<PathBuf>,
    builder: ScannerBuilder,
    /// The policy context, when the file has a `[policy]` table.
    pub policy: Option<Context>,
    /// The mask style, when the file sets one.
    pub mask: Option<MaskStyle>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            builder: ScannerBuilder::new(),
            policy: None,
            mask: None,
        }
    }
}

/// Why a configuration could not be used: the file, the line (from 1) when the fault
/// has one, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub path: String,
    /// The line of the offending key or value.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    confidence_threshold: Option<Spanned<f32>>,
    mask_style: Option<MaskName>,
    #[serde(default)]
    hospital_number_patterns: Vec<Spanned<String>>,
    #[serde(default)]
    kinds: Kinds,
    #[serde(default)]
    allow: Allow,
    #[serde(default)]
    names: Names,
    policy: Option<Policy>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum MaskName {
    Placeholder,
    Partial,
}

/// One switch per kind; a missing one stays on.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Kinds {
    nhs_number: Option<bool>,
    chi_number: Option<bool>,
    hc_number: Option<bool>,
    date_of_birth: Option<bool>,
    date: Option<bool>,
    person_name: Option<bool>,
    postcode: Option<bool>,
    phone_number: Option<bool>,
    email: Option<bool>,
    ni_number: Option<bool>,
    hospital_number: Option<bool>,
}

impl Kinds {
    fn switches(&self) -> [(Kind, Option<bool>); 11] {
        [
            (Kind::NhsNumber, self.nhs_number),
            (Kind::ChiNumber, self.chi_number),
            (Kind::HcNumber, self.hc_number),
            (Kind::DateOfBirth, self.date_of_birth),
            (Kind::Date, self.date),
            (Kind::PersonName, self.person_name),
            (Kind::Postcode, self.postcode),
            (Kind::PhoneNumber, self.phone_number),
            (Kind::Email, self.email),
            (Kind::NiNumber, self.ni_number),
            (Kind::HospitalNumber, self.hospital_number),
        ]
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Allow {
    #[serde(default)]
    wards: Vec<Spanned<String>>,
    #[serde(default)]
    staff: Vec<Spanned<String>>,
    #[serde(default)]
    phrases: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Names {
    #[serde(default)]
    given: Vec<Spanned<String>>,
    #[serde(default)]
    surnames: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Policy {
    conversation: ConversationName,
    platform_approved: bool,
    #[serde(default)]
    emergency: bool,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum ConversationName {
    Clinical,
    Social,
    Broadcast,
}

/// The line (from 1) of byte `offset` in `src`.
fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()
        .iter()
        .take(offset)
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl Config {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let fail = |message: String| ConfigError {
            path: shown.clone(),
            line: None,
            message,
        };
        let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot read: {e}")))?;
        if meta.len() > MAX_CONFIG_BYTES {
            return Err(fail(format!(
                "{} bytes is over the {MAX_CONFIG_BYTES}-byte limit for a configuration",
                meta.len()
            )));
        }
        let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read: {e}")))?;
        let src = String::from_utf8(bytes).map_err(|e| ConfigError {
            path: shown.clone(),
            line: Some(line_of(
                &String::from_utf8_lossy(e.as_bytes()),
                e.utf8_error().valid_up_to(),
            )),
            message: "not valid UTF-8".into(),
        })?;
        let mut config = Config::parse(&src, &shown)?;
        config.path = Some(path.to_path_buf());
        Ok(config)
    }

    /// Parses configuration text; `shown` names it in errors.
    pub fn parse(src: &str, shown: &str) -> Result<Config, ConfigError> {
        let at = |offset: Option<usize>, message: String| ConfigError {
            path: shown.to_owned(),
            line: offset.map(|o| line_of(src, o)),
            message,
        };
        let raw: Raw = toml::from_str(src).map_err(|e| {
            at(
                e.span().map(|s| s.start),
                e.message().trim_end().replace('\n', " "),
            )
        })?;
        let mut b = ScannerBuilder::new();
        for (kind, on) in raw.kinds.switches() {
            if let Some(on) = on {
                b.kind(kind, on);
            }
        }
        if let Some(t) = &raw.confidence_threshold {
            if !(0.0..=1.0).contains(t.get_ref()) {
                return Err(at(
                    Some(t.span().start),
                    format!(
                        "confidence_threshold must be between 0 and 1, not {}",
                        t.get_ref()
                    ),
                ));
            }
            b.confidence_threshold(*t.get_ref());
        }
        let mask = raw.mask_style.map(|m| match m {
            MaskName::Partial => MaskStyle::Partial,
            MaskName::Placeholder => MaskStyle::Placeholder,
        });
        b.mask_style(mask.unwrap_or(MaskStyle::Placeholder));
        for p in &raw.hospital_number_patterns {
            b.hospital_number_pattern(p.get_ref());
        }
        // The core names a bad entry by its index in the list it was added to; these
        // keep each list's spans in the same order to turn that into a line.
        let allow: Vec<&Spanned<String>> = raw
            .allow
            .wards
            .iter()
            .chain(&raw.allow.staff)
            .chain(&raw.allow.phrases)
            .collect();
        for a in &allow {
            b.allow(a.get_ref());
        }
        b.staff_names(raw.allow.staff.iter().map(Spanned::get_ref));
        b.extra_given_names(raw.names.given.iter().map(Spanned::get_ref));
        b.extra_surnames(raw.names.surnames.iter().map(Spanned::get_ref));
        let policy = raw.policy.map(|p| {
            let conversation = match p.conversation {
                ConversationName::Clinical => Conversation::Clinical,
                ConversationName::Social => Conversation::Social,
                ConversationName::Broadcast => Conversation::Broadcast,
            };
            Context::new(conversation, Platform::from_approved(p.platform_approved))
                .with_emergency(p.emergency)
        });
        let span_line = |what: &str, index: usize| -> Option<usize> {
            let list: Vec<&Spanned<String>> = match what {
                "patterns" | "hospital-number pattern" => {
                    raw.hospital_number_patterns.iter().collect()
                }
                "allow-list" => allow.clone(),
                "extra given names" => raw.names.given.iter().collect(),
                "extra surnames" => raw.names.surnames.iter().collect(),
                "staff names" => raw.allow.staff.iter().collect(),
                _ => Vec::new(),
            };
            list.get(index).map(|s| s.span().start)
        };
        if let Err(e) = b.build() {
            use careguard::detect::Error;
            let offset = match &e {
                Error::InvalidPattern { index, .. } | Error::PatternTooBig { index, .. } => {
                    span_line("patterns", *index)
                }
                Error::BadEntry { what, index, .. } => span_line(what, *index),
                _ => None,
            };
            return Err(at(offset, e.to_string().replace('\n', " ")));
        }
        Ok(Config {
            path: None,
            builder: b,
            policy,
            mask,
        })
    }

    /// Finds the configuration for a run: `explicit` if given, else the first
    /// [`DISCOVERED_NAME`] in a scanned directory (in the order given), else the
    /// defaults.
    pub fn find(explicit: Option<&Path>, scanned: &[PathBuf]) -> Result<Config, ConfigError> {
        if let Some(p) = explicit {
            return Config::load(p);
        }
        for dir in scanned.iter().filter(|p| p.is_dir()) {
            let candidate = dir.join(DISCOVERED_NAME);
            if candidate.is_file() {
                return Config::load(&candidate);
            }
        }
        Ok(Config::default())
    }

    /// How reports mask matches: the configured style, else
    /// [`MaskStyle::Partial`] (`*** *** 5919`, `[J.S.]`), which lets a reviewer tell
    /// findings apart where placeholders would all read alike.
    pub fn report_mask(&self) -> MaskStyle {
        self.mask.unwrap_or(MaskStyle::Partial)
    }

    /// The scanner these settings describe (its mask style, for `minimise`: the
    /// configured one, else [`MaskStyle::Placeholder`]).
    pub fn scanner(&self) -> Scanner {
        // `parse` built it once already, so this cannot fail; the fallback keeps the
        // CLI panic-free regardless.
        self.builder.build().unwrap_or_else(|_| Scanner::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_core_defaults() {
        let c = Config::parse("", "t.toml").unwrap();
        assert!(c.policy.is_none());
        assert_eq!(c.mask, None);
        assert_eq!(c.report_mask(), MaskStyle::Partial);
        assert_eq!(c.scanner().scan("NHS 943 476 5919").len(), 1);
    }

    #[test]
    fn errors_name_the_line() {
        let e = Config::parse("\n\nconfidence_treshold = 0.4\n", "t.toml").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.to_string().starts_with("t.toml:3: "), "{e}");
        assert!(e.message.contains("confidence_treshold"), "{e}");
        let e = Config::parse("[kinds]\nnhs_numbr = false\n", "t.toml").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        let e = Config::parse("confidence_threshold = 1.5\n", "t.toml").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
        let e = Config::parse("mask_style = 'stars'\n", "t.toml").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
        let src = "hospital_number_patterns = [\n  'RX[0-9]{7}',\n  'RX[',\n]\n";
        let e = Config::parse(src, "t.toml").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        let src = "[allow]\nwards = ['Ward 7']\nstaff = [\n 'Ann Lee',\n '  ',\n]\n";
        let e = Config::parse(src, "t.toml").unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        let e = Config::parse("[policy]\nconversation = 'clinical'\n", "t.toml").unwrap_err();
        assert!(e.message.contains("platform_approved"), "{e}");
    }

    #[test]
    fn settings_reach_the_scanner() {
        let src = "
confidence_threshold = 0.2
mask_style = 'partial'
hospital_number_patterns = ['\\bRX[0-9]{7}\\b']
[kinds]
postcode = false
[allow]
wards = ['Beaumont Ward']
staff = ['Bronwen Pugh']
[policy]
conversation = 'social'
platform_approved = true
";
        let c = Config::parse(src, "t.toml").unwrap();
        let s = c.scanner();
        assert!(s.scan("LS1 4AB").is_empty());
        assert_eq!(s.scan("ref RX1234567")[0].kind, Kind::HospitalNumber);
        assert!(s.scan("moved to Beaumont Ward").is_empty());
        assert!(s.scan("Bronwen Pugh is NIC").is_empty());
        assert_eq!(s.scan("clinic 14/03/2026")[0].kind, Kind::Date);
        assert_eq!(s.minimise("NHS 943 476 5919"), "NHS *** *** 5919");
        assert_eq!(c.policy.map(|p| p.conversation), Some(Conversation::Social));
    }
}
