//! `careguard completions SHELL` and `careguard man`: shell completions and the man
//! page, both generated from the clap definition, so they never drift from `--help`.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Args;
use clap_complete::Shell;

const COMPLETIONS_HELP: &str = "\
EXAMPLES:
  careguard completions bash > ~/.local/share/bash-completion/completions/careguard
  careguard completions zsh > ~/.zfunc/_careguard     # with fpath+=(~/.zfunc) in .zshrc
  careguard completions fish > ~/.config/fish/completions/careguard.fish
  careguard completions powershell >> $PROFILE";

const MAN_HELP: &str = "\
EXAMPLES:
  careguard man > ~/.local/share/man/man1/careguard.1 && man careguard
  sudo sh -c 'careguard man > /usr/local/share/man/man1/careguard.1'";

/// Arguments of `careguard completions`.
#[derive(Args)]
#[command(after_help = COMPLETIONS_HELP)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    shell: Shell,
}

/// Arguments of `careguard man`.
#[derive(Args)]
#[command(after_help = MAN_HELP)]
pub(crate) struct ManArgs {}

fn finish(r: io::Result<()>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("careguard: error: cannot write to stdout: {e}");
            ExitCode::from(2)
        }
    }
}

/// Prints the completion script for `args.shell`.
pub(crate) fn completions(args: &CompletionsArgs, mut cmd: clap::Command) -> ExitCode {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "careguard", &mut out);
    finish(io::stdout().lock().write_all(&out))
}

/// Prints the man page (roff), `careguard(1)`, with each subcommand's options.
pub(crate) fn man(_args: &ManArgs, cmd: clap::Command) -> ExitCode {
    let mut out = Vec::new();
    finish(render_man(cmd, &mut out).and_then(|()| io::stdout().lock().write_all(&out)))
}

fn render_man(cmd: clap::Command, out: &mut Vec<u8>) -> io::Result<()> {
    let cmd = cmd.disable_help_subcommand(true);
    let man = clap_mangen::Man::new(cmd.clone());
    let mut top = Vec::new();
    man.render_title(&mut top)?;
    man.render_name_section(&mut top)?;
    man.render_synopsis_section(&mut top)?;
    man.render_description_section(&mut top)?;
    man.render_options_section(&mut top)?;
    man.render_subcommands_section(&mut top)?;
    // The subcommands are in this page, not in pages of their own.
    let mut text = String::from_utf8_lossy(&top).into_owned();
    for sub in cmd.get_subcommands() {
        text = text.replace(
            &format!("careguard\\-{}(1)", sub.get_name()),
            &format!("\\fBcareguard {}\\fR", sub.get_name()),
        );
    }
    out.extend_from_slice(text.as_bytes());
    // Each subcommand's synopsis, options, exit status and examples as subsections,
    // so `man careguard` is the whole reference.
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let sub_cmd = sub
            .clone()
            .bin_name(format!("careguard {}", sub.get_name()));
        let page = clap_mangen::Man::new(sub_cmd);
        let mut part = Vec::new();
        page.render_synopsis_section(&mut part)?;
        page.render_description_section(&mut part)?;
        page.render_options_section(&mut part)?;
        page.render_extra_section(&mut part)?;
        writeln!(out, ".SH \"CAREGUARD {}\"", sub.get_name().to_uppercase())?;
        for line in String::from_utf8_lossy(&part).lines() {
            match line.strip_prefix(".SH ") {
                Some("EXTRA") => writeln!(out, ".SS NOTES")?,
                Some(title) => writeln!(out, ".SS {title}")?,
                None => writeln!(out, "{line}")?,
            }
        }
    }
    let mut extra = Vec::new();
    man.render_extra_section(&mut extra)?;
    let extra = String::from_utf8_lossy(&extra).replace(".SH EXTRA", ".SH NOTES");
    out.extend_from_slice(extra.as_bytes());
    man.render_version_section(out)?;
    Ok(())
}
