//! The `careguard` command-line tool.
//!
//! Each subcommand lives in its own module with its own argument struct; this file
//! only dispatches and turns errors into `careguard: error:` lines and exit codes.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod crypt;

#[derive(Parser)]
#[command(
    name = "careguard",
    version,
    about = "Check clinical chat for patient identifiers; seal and open careguard envelopes"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Seal stdin into an envelope on stdout.
    Seal(crypt::SealArgs),
    /// Open an envelope from stdin; the message goes to stdout.
    Open(crypt::OpenArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Seal(args) => crypt::seal(&args),
        Command::Open(args) => crypt::open(&args),
    }
}
