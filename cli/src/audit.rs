//! `careguard audit verify|summarise LOG...`: offline checks of devices' content-free audit
//! logs (careguard::audit) for the Trust's Information Asset Administrator.
//!
//! A log verifies under one of the `--device-key`s given (each device's Ed25519 public key,
//! hex, from its card); `summarise` only counts logs that all verify.

use std::path::PathBuf;
use std::process::ExitCode;

use careguard::audit::{ChainHead, Summary, VerifiedLog, summarise, verify_log};

const EXIT_STATUS: &str = "EXIT STATUS:\n  0  every log verified\n  1  a log was refused (edited, reordered, truncated or signed by another key)\n  2  an error (a file could not be read, a bad key)";

/// Arguments of `careguard audit`.
#[derive(clap::Args, Debug)]
pub(crate) struct AuditArgs {
    #[command(subcommand)]
    command: AuditCommand,
}

#[derive(clap::Subcommand, Debug)]
enum AuditCommand {
    /// Verify each log's signatures and hash chain.
    #[command(after_help = EXIT_STATUS)]
    Verify(CommonArgs),
    /// Verify the logs, then print totals over all of them.
    #[command(after_help = EXIT_STATUS)]
    Summarise(SummariseArgs),
}

#[derive(clap::Args, Debug)]
struct CommonArgs {
    /// A device's Ed25519 public key (64 hex digits). Repeat for logs from several devices.
    #[arg(long = "device-key", value_name = "HEX", required = true)]
    device_keys: Vec<String>,
    /// The head the device last reported (80 hex digits): the log must end exactly there,
    /// which detects segments cut off its end. Only with one LOG.
    #[arg(long, value_name = "HEX")]
    head: Option<String>,
    /// Audit log files (segments as the app appended them).
    #[arg(value_name = "LOG", required = true)]
    logs: Vec<PathBuf>,
}

#[derive(clap::Args, Debug)]
struct SummariseArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

fn hex<const N: usize>(s: &str) -> Option<[u8; N]> {
    let s = s.trim();
    if s.len() != 2 * N || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

/// A log file and what verifying it gave (the refusal as text).
type Checked = (PathBuf, Result<VerifiedLog, String>);

/// Every log verified, or an error message for exit status 2.
fn verify_all(args: &CommonArgs) -> Result<Vec<Checked>, String> {
    let keys = args
        .device_keys
        .iter()
        .map(|k| hex::<32>(k).ok_or_else(|| format!("--device-key {k:?} is not 64 hex digits")))
        .collect::<Result<Vec<_>, _>>()?;
    let head = match &args.head {
        None => None,
        Some(_) if args.logs.len() != 1 => return Err("--head needs exactly one LOG".into()),
        Some(h) => Some(ChainHead::from_bytes(
            &hex::<40>(h).ok_or("--head is not 80 hex digits")?,
        )),
    };
    let mut out = Vec::new();
    for path in &args.logs {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut result = Err("no --device-key given".to_string());
        for key in &keys {
            result = verify_log(&bytes, key, head.as_ref()).map_err(|e| e.to_string());
            if result.is_ok() {
                break;
            }
        }
        out.push((path.clone(), result));
    }
    Ok(out)
}

fn summary_json(s: &Summary, logs: usize) -> serde_json::Value {
    serde_json::json!({
        "logs": logs,
        "records": s.records,
        "allowed": s.allowed,
        "warned": s.warned,
        "blocked": s.blocked,
        "emergency": s.emergency,
        "actions": s.actions,
        "conversations": s.conversations,
        "kinds": s.kinds,
        "first_time": s.span.map(|x| x.0),
        "last_time": s.span.map(|x| x.1),
    })
}

/// Runs `careguard audit`.
pub(crate) fn run(args: AuditArgs) -> ExitCode {
    let (common, json) = match &args.command {
        AuditCommand::Verify(c) => (c, None),
        AuditCommand::Summarise(s) => (&s.common, Some(s.json)),
    };
    let results = match verify_all(common) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("careguard: error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut refused = false;
    for (path, result) in &results {
        match result {
            Ok(log) if json.is_none() => println!(
                "{}: ok: device {}, {} segments, {} records, head {}",
                path.display(),
                log.device_id(),
                log.segments(),
                log.records().len(),
                to_hex(&log.head().to_bytes())
            ),
            Ok(_) => {}
            Err(e) => {
                refused = true;
                println!("{}: REFUSED: {e}", path.display());
            }
        }
    }
    if refused {
        return ExitCode::from(1);
    }
    if let Some(json) = json {
        let mut total = Summary::default();
        for log in results.iter().filter_map(|(_, r)| r.as_ref().ok()) {
            total.merge(&summarise(log.records()));
        }
        if json {
            println!("{}", summary_json(&total, results.len()));
        } else {
            print_summary(&total, results.len());
        }
    }
    ExitCode::SUCCESS
}

fn print_summary(s: &Summary, logs: usize) {
    println!("logs: {logs}, decisions: {}", s.records);
    println!(
        "verdicts: allow {}, warn {}, block {}; emergency mode {}",
        s.allowed, s.warned, s.blocked, s.emergency
    );
    let list = |m: &std::collections::BTreeMap<&str, u64>| {
        m.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!("actions: {}", list(&s.actions));
    println!("conversations: {}", list(&s.conversations));
    println!("identifiers found: {}", list(&s.kinds));
    if let Some((a, b)) = s.span {
        println!("time span: {a} to {b} (Unix seconds)");
    }
}
