//! The `careguard` command-line tool.
//!
//! Each subcommand lives in its own module with its own argument struct; this file
//! only dispatches and turns errors into `careguard: error:` lines and exit codes.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

mod audit;
mod completions;
mod crypt;
mod minimise;
mod scan;

#[derive(Parser)]
#[command(
    name = "careguard",
    version,
    about = "Check clinical chat for patient identifiers; seal and open careguard envelopes",
    after_help = AFTER_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

const AFTER_HELP: &str = "\
EXIT STATUS (scan):
  0  nothing found, 1  patient identifiers found, 2  an error
  (seal and open: 0 ok, 1 refused, 2 usage or I/O; minimise: 0 ok, 2 an error)

EXAMPLES:
  careguard scan examples/whatsapp-ward-group.txt
  careguard scan 'WhatsApp Chat - Ward 7.zip' --format jsonl
  careguard minimise chat.txt > chat-minimised.txt

Run `careguard help scan` for inputs, formats and exit status in full.";

#[derive(Subcommand)]
enum Command {
    /// Audit chat exports, files, directories and zip archives for patient identifiers
    Scan(scan::ScanArgs),
    /// Print a minimised copy of a text file or WhatsApp export
    Minimise(minimise::MinimiseArgs),
    /// Seal stdin into an envelope on stdout.
    Seal(crypt::SealArgs),
    /// Open an envelope from stdin; the message goes to stdout.
    Open(crypt::OpenArgs),
    /// Verify and summarise devices' content-free audit logs.
    Audit(audit::AuditArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(completions::CompletionsArgs),
    /// Print the man page, careguard(1), generated from these definitions
    Man(completions::ManArgs),
}

/// Refuses to wait on a terminal for input that was not given: the error and the
/// hint every reading subcommand prints, exit status 2.
fn no_input(command: &str, what: &str) -> ExitCode {
    eprintln!("careguard: error: no input: {what}");
    eprintln!("careguard: hint: careguard {command} examples/whatsapp-ward-group.txt");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Scan(args) => scan::run(args),
        Command::Minimise(args) => minimise::run(args),
        Command::Seal(args) => crypt::seal(&args),
        Command::Open(args) => crypt::open(&args),
        Command::Audit(args) => audit::run(args),
        Command::Completions(args) => completions::completions(&args, Cli::command()),
        Command::Man(args) => completions::man(&args, Cli::command()),
    }
}
