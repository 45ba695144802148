//! `careguard seal` and `careguard open`: envelopes from stdin to stdout.
//!
//! A key file is exactly 32 raw bytes (e.g. `head -c 32 /dev/urandom > team.key`). Its
//! key id is derived from the key (`careguard::envelope::derive_key_id`) unless
//! `--key-id` gives one. Output is written only once the whole operation has succeeded,
//! so a failed `open` never leaves partial plaintext on stdout.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use careguard::envelope::{
    self, Binding, Error, KeyRing, MAX_ENVELOPE_LEN, MAX_PAYLOAD_LEN, SealOptions,
};
use careguard::{DecodeError, SealContext, SecretKey, UnixSeconds};
use zeroize::Zeroizing;

const EXIT_STATUS: &str = "EXIT STATUS (as for scan; nothing is written to stdout on failure):
  0  success
  1  refused: the envelope did not open (wrong key, tampered, truncated, expired, wrong
     binding) or could not be sealed as asked
  2  usage or I/O: a bad or unreadable key file, bad arguments, stdin or stdout failed";

/// Exit status: the envelope layer refused the operation.
const EXIT_REFUSED: u8 = 1;
/// Exit status: bad usage or an I/O failure (key files, stdin, stdout).
const EXIT_USAGE: u8 = 2;

/// Arguments of `careguard seal`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXIT_STATUS)]
pub(crate) struct SealArgs {
    /// File holding the key: exactly 32 raw bytes.
    #[arg(long, value_name = "FILE")]
    key_file: PathBuf,
    /// Key id to record in the envelope [default: derived from the key].
    #[arg(long, value_name = "ID")]
    key_id: Option<u32>,
    /// Seconds from now after which the envelope no longer opens.
    #[arg(long, value_name = "SECONDS", conflicts_with = "expires_at")]
    expires_in: Option<u64>,
    /// Unix time (seconds) from which the envelope no longer opens.
    #[arg(long, value_name = "UNIX_SECONDS")]
    expires_at: Option<u64>,
    /// Conversation id to bind the envelope to (must be given again to open it).
    #[arg(long, value_name = "ID")]
    conversation: Option<String>,
    /// Sender id to bind the envelope to (must be given again to open it).
    #[arg(long, value_name = "ID")]
    sender: Option<String>,
    /// Content type to declare, e.g. "text/plain; charset=utf-8".
    #[arg(long, value_name = "TYPE")]
    content_type: Option<String>,
    /// Do not pad the message to a power-of-two size bucket (padding hides its length).
    #[arg(long)]
    no_pad: bool,
}

/// Arguments of `careguard open`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXIT_STATUS)]
pub(crate) struct OpenArgs {
    /// File holding a key: exactly 32 raw bytes. Repeat to try several (rotated) keys.
    #[arg(long, value_name = "FILE", required = true)]
    key_file: Vec<PathBuf>,
    /// Key id of the (single) key file [default: derived from the key].
    #[arg(long, value_name = "ID")]
    key_id: Option<u32>,
    /// Conversation id the envelope was bound to when sealed.
    #[arg(long, value_name = "ID")]
    conversation: Option<String>,
    /// Sender id the envelope was bound to when sealed.
    #[arg(long, value_name = "ID")]
    sender: Option<String>,
}

/// A failure: the `careguard: error:` line, an optional `careguard: hint:` line and
/// the exit status.
struct Failure {
    error: String,
    hint: Option<String>,
    status: u8,
}

impl Failure {
    /// A usage or I/O failure (exit 2).
    fn new(error: impl Into<String>, hint: Option<String>) -> Self {
        Self {
            error: error.into(),
            hint,
            status: EXIT_USAGE,
        }
    }

    fn report(&self) -> ExitCode {
        eprintln!("careguard: error: {}", self.error);
        if let Some(hint) = &self.hint {
            eprintln!("careguard: hint: {hint}");
        }
        ExitCode::from(self.status)
    }
}

/// Runs `careguard seal`.
pub(crate) fn seal(args: &SealArgs) -> ExitCode {
    finish(run_seal(args))
}

/// Runs `careguard open`.
pub(crate) fn open(args: &OpenArgs) -> ExitCode {
    finish(run_open(args))
}

fn finish(result: Result<Zeroizing<Vec<u8>>, Failure>) -> ExitCode {
    let output = match result {
        Ok(output) => output,
        Err(failure) => return failure.report(),
    };
    let mut stdout = io::stdout().lock();
    match stdout.write_all(&output).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => Failure::new(format!("cannot write to stdout: {e}"), None).report(),
    }
}

fn run_seal(args: &SealArgs) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let key = read_key_file(&args.key_file)?;
    let key_id = args.key_id.unwrap_or_else(|| envelope::derive_key_id(&key));
    let mut ring = KeyRing::new();
    ring.insert(key_id, key)
        .map_err(|e| from_envelope(&e, &[]))?;
    let payload = read_stdin(MAX_PAYLOAD_LEN, "message")?;
    let now = UnixSeconds(unix_now()?);
    let mut options = SealOptions::new()
        .content_type(args.content_type.clone().unwrap_or_default())
        .padding(!args.no_pad);
    if let Some(expires_at) = args.expires_at {
        options = options.expires_at(UnixSeconds(expires_at));
    } else if let Some(seconds) = args.expires_in {
        if seconds == 0 {
            return Err(Failure::new("--expires-in must be at least 1 second", None));
        }
        options = options.expires_at(now + seconds);
    }
    let binding = binding(args.conversation.as_deref(), args.sender.as_deref());
    envelope::seal(
        &[&ring],
        &payload,
        &SealContext {
            binding,
            options,
            now,
        },
        &mut envelope::os_rng(),
    )
    .map(Zeroizing::new)
    .map_err(|e| from_envelope(&e, &[]))
}

fn run_open(args: &OpenArgs) -> Result<Zeroizing<Vec<u8>>, Failure> {
    if args.key_id.is_some() && args.key_file.len() != 1 {
        return Err(Failure::new(
            "--key-id needs exactly one --key-file",
            Some("leave out --key-id to use each key's derived id".into()),
        ));
    }
    let mut ring = KeyRing::new();
    let mut held = Vec::new();
    for path in &args.key_file {
        let key = read_key_file(path)?;
        let key_id = args.key_id.unwrap_or_else(|| envelope::derive_key_id(&key));
        held.push(key_id);
        ring.insert(key_id, key).map_err(|_| {
            Failure::new(
                format!("key file {} repeats key id {key_id}", path.display()),
                Some("give each key file once".into()),
            )
        })?;
    }
    let sealed = read_stdin(MAX_ENVELOPE_LEN, "envelope")?;
    let binding = binding(args.conversation.as_deref(), args.sender.as_deref());
    let opened = envelope::open(&[&ring], &sealed, &binding, UnixSeconds(unix_now()?))
        .map_err(|e| from_envelope(&e, &held))?;
    Ok(opened.payload)
}

fn read_key_file(path: &Path) -> Result<SecretKey, Failure> {
    let hint = Some(
        "a key file is exactly 32 raw bytes; make a new one with: head -c 32 /dev/urandom > NEW.key"
            .to_string(),
    );
    let file = File::open(path).map_err(|e| {
        Failure::new(
            format!("cannot read key file {}: {e}", path.display()),
            hint.clone(),
        )
    })?;
    let mut bytes = Zeroizing::new(Vec::with_capacity(33));
    file.take(33).read_to_end(&mut bytes).map_err(|e| {
        Failure::new(
            format!("cannot read key file {}: {e}", path.display()),
            hint.clone(),
        )
    })?;
    let key: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
        let size = if bytes.len() > 32 {
            "more than 32".to_string()
        } else {
            bytes.len().to_string()
        };
        Failure::new(
            format!("key file {} holds {size} bytes, not 32", path.display()),
            hint.clone(),
        )
    })?;
    Ok(SecretKey::from_bytes(key))
}

fn read_stdin(max: usize, what: &str) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let mut input = Zeroizing::new(Vec::new());
    io::stdin()
        .lock()
        .take(max as u64 + 1)
        .read_to_end(&mut input)
        .map_err(|e| Failure::new(format!("cannot read the {what} from stdin: {e}"), None))?;
    if input.len() > max {
        return Err(Failure::new(
            format!("the {what} on stdin is longer than the maximum of {max} bytes"),
            None,
        ));
    }
    Ok(input)
}

fn binding<'a>(conversation: Option<&'a str>, sender: Option<&'a str>) -> Binding<'a> {
    Binding::new(
        conversation.unwrap_or_default().as_bytes(),
        sender.unwrap_or_default().as_bytes(),
    )
}

fn unix_now() -> Result<u64, Failure> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| Failure::new("the system clock is before 1970", None))
}

/// The error line and, where one helps, a hint for each envelope error.
fn from_envelope(error: &Error, held: &[u32]) -> Failure {
    let hint = match error {
        Error::Decode(DecodeError::BadMagic { .. }) => {
            Some("stdin should be the output of `careguard seal`".into())
        }
        Error::Decode(DecodeError::Truncated { .. }) => {
            Some("the envelope is incomplete: was it cut short?".into())
        }
        Error::Decode(DecodeError::UnsupportedVersion { .. }) | Error::UnsupportedSuite(_) => {
            Some("it was sealed by a newer careguard; upgrade to open it".into())
        }
        Error::WrongKey { key_ids } => Some(format!(
            "it was sealed under key id {}; your key file gives {}",
            list(key_ids),
            list(held)
        )),
        Error::WrongBinding => {
            Some("pass the same --conversation and --sender that were used to seal it".into())
        }
        Error::Tampered => Some(
            "the envelope was changed after sealing, or the key file is not the sealer's".into(),
        ),
        Error::Expired { .. } => Some("expired envelopes cannot be opened".into()),
        _ => None,
    };
    Failure {
        error: error.to_string(),
        hint,
        status: EXIT_REFUSED,
    }
}

fn list(ids: &[u32]) -> String {
    if ids.is_empty() {
        return "(none)".into();
    }
    ids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
