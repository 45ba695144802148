//! SARIF 2.1.0, for code-scanning dashboards: one run, one rule per kind, one result
//! per finding, columns in UTF-16 code units. Streamed: results are written as they
//! come, so memory stays flat however many there are.

use std::io::{self, Write};

use careguard::detect::Kind;
use serde_json::{Value, json};

use super::Printer;
use crate::report::{Shown, Summary};

/// The schema the output follows (tested against it: cli/tests/reports/).
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The `sarif` printer.
#[derive(Default)]
pub struct Sarif {
    started: bool,
    results: u64,
}

fn level(kind: Kind) -> &'static str {
    if kind.is_high_risk() {
        "error"
    } else {
        "warning"
    }
}

fn describe(kind: Kind) -> &'static str {
    match kind {
        Kind::NhsNumber => "NHS number (England, Wales, Isle of Man), modulus 11 checked",
        Kind::ChiNumber => "Scottish CHI number",
        Kind::HcNumber => "Northern Ireland Health and Care number",
        Kind::DateOfBirth => "Date of birth",
        Kind::Date => "A full date",
        Kind::PersonName => "A person's name",
        Kind::Postcode => "UK postcode",
        Kind::PhoneNumber => "UK telephone number",
        Kind::Email => "Email address",
        Kind::NiNumber => "National Insurance number",
        Kind::HospitalNumber => "Hospital (medical record) number",
        _ => "Patient identifier",
    }
}

fn rules() -> Value {
    Kind::ALL
        .iter()
        .map(|k| {
            json!({
                "id": k.as_str(),
                "shortDescription": {"text": describe(*k)},
                "fullDescription": {"text": format!(
                    "{} in a message or file: patient identifiable data that NHS guidance asks to minimise in instant messaging.",
                    describe(*k)
                )},
                "defaultConfiguration": {"level": level(*k)},
            })
        })
        .collect()
}

/// A path as a relative URI reference: bytes outside the unreserved set and `/`
/// percent-encoded.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Sarif {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let driver = json!({
            "name": "careguard",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": rules(),
        });
        write!(
            out,
            "{{\"$schema\":{},\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{{\"driver\":{}}},\"columnKind\":\"utf16CodeUnits\",\"results\":[",
            json!(SCHEMA),
            driver
        )
    }
}

impl Printer for Sarif {
    fn record(&mut self, out: &mut dyn Write, shown: &Shown<'_>) -> io::Result<()> {
        self.start(out)?;
        let record = shown.record;
        for f in &record.findings {
            let kind = f.kind;
            let text = shown.text_of(f);
            let rule_index = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
            let mut props = json!({
                "confidence": f.confidence,
                "rule": f.rule,
            });
            if kind == Kind::PersonName {
                props["subject"] = json!(f.subject.as_str());
            }
            if let Some(m) = &record.msg {
                props["message"] = json!({"index": m.index, "time": m.time});
            }
            let artifact = json!({"uri": uri(shown.shown_path)});
            // A finding in the file's name has no region in its content.
            let (location, text) = if record.line == 0 {
                props["in"] = json!("name");
                (
                    json!({"physicalLocation": {"artifactLocation": artifact}}),
                    format!("{} in the file name: {text}", describe(kind)),
                )
            } else {
                (
                    json!({"physicalLocation": {
                        "artifactLocation": artifact,
                        "region": {
                            "startLine": record.line,
                            "startColumn": f.start_utf16 + 1,
                            "endColumn": f.end_utf16 + 1,
                        },
                    }}),
                    format!("{}: {text}", describe(kind)),
                )
            };
            let result = json!({
                "ruleId": kind.as_str(),
                "ruleIndex": rule_index,
                "level": level(kind),
                "message": {"text": text},
                "locations": [location],
                "properties": props,
            });
            if self.results > 0 {
                out.write_all(b",")?;
            }
            self.results += 1;
            serde_json::to_writer(&mut *out, &result)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.start(out)?;
        let notifications: Vec<Value> = summary
            .errors
            .iter()
            .map(|(p, e)| {
                json!({
                    "level": "error",
                    "message": {"text": format!("{p}: {e}")},
                })
            })
            .collect();
        let invocation = json!({
            "executionSuccessful": summary.errors.is_empty(),
            "exitCode": summary.status(),
            "toolExecutionNotifications": notifications,
        });
        writeln!(out, "],\"invocations\":[{invocation}]}}]}}")
    }
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("a/b c.txt"), "a/b%20c.txt");
        assert_eq!(uri("é#?"), "%C3%A9%23%3F");
    }
}
