//! The `careguard` command-line tool.
//!
//! Each subcommand lives in its own module with its own argument struct; this file
//! only dispatches and turns errors into `careguard: error:` lines and exit codes.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
enum Command {}

// The enum has no variants until `scan` is wired to the detector.
#[allow(unreachable_code)]
fn main() -> ExitCode {
    let Cli { command } = Cli::parse();
    match command {}
}
