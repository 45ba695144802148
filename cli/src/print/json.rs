//! json: one summary document (docs/CLI.md).

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::Printer;
use crate::report::{Shown, Summary};

/// The `json` printer.
pub struct Json;

/// The summary document.
pub fn summary_json(s: &Summary) -> Value {
    let files: Vec<Value> = s
        .files
        .iter()
        .map(|f| {
            let mut v = json!({
                "path": f.path,
                "format": f.format,
                "lines": f.stats.lines,
                "bytes": f.stats.bytes,
                "findings": f.findings,
                "lines_with_findings": f.lines_with_findings,
            });
            if f.is_chat() {
                v["messages"] = json!({
                    "total": f.stats.messages.total(),
                    "text": f.stats.messages.text,
                    "media": f.stats.messages.media,
                    "system": f.stats.messages.system,
                });
            }
            v
        })
        .collect();
    let kinds: Map<String, Value> = s
        .kinds
        .iter()
        .map(|(k, n)| ((*k).to_owned(), json!(n)))
        .collect();
    let senders: Vec<Value> = s
        .top_senders()
        .into_iter()
        .map(|(s, n)| json!({"sender": s, "findings": n}))
        .collect();
    let errors: Vec<Value> = s
        .errors
        .iter()
        .map(|(p, e)| json!({"path": p, "error": e}))
        .collect();
    let skipped: Vec<Value> = s
        .skipped
        .iter()
        .map(|(p, e)| json!({"path": p, "reason": e}))
        .collect();
    let mut doc = json!({
        "version": 1,
        "status": s.status(),
        "findings": s.findings(),
        "kinds": kinds,
        "top_senders": senders,
        "files": files,
        "errors": errors,
        "skipped": skipped,
    });
    if let Some(n) = s.suppressed {
        doc["suppressed_by_baseline"] = json!(n);
    }
    if let Some(p) = &s.policy {
        doc["policy"] = json!({
            "context": p.context_json(),
            "messages": p.verdicts,
            "reasons": p.reasons,
        });
    }
    doc
}

impl Printer for Json {
    fn record(&mut self, _out: &mut dyn Write, _shown: &Shown<'_>) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &summary_json(summary))?;
        writeln!(out)
    }
}
