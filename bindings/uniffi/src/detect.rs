//! The patient-identifier scanner and send policy (`careguard::detect`,
//! `careguard::policy`).

use std::sync::{Arc, Mutex, MutexGuard};

use careguard::detect::{self, Kind};
use careguard::policy::{self, Context};

use crate::error::{CareGuardError, Result};
use crate::identity::RecipientTrust;

/// One identifier found in the scanned text. `start..end` are UTF-8 byte offsets,
/// `start_utf16..end_utf16` UTF-16 code units (Kotlin/Java `String`, Swift
/// `String.utf16`), both relative to the text passed to `scan`.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Finding {
    /// The kind name (`nhs_number`, `person_name`, ...).
    pub kind: String,
    /// The rule that fired (for diagnostics).
    pub rule: String,
    /// Start, in UTF-8 bytes.
    pub start: u64,
    /// End (exclusive), in UTF-8 bytes.
    pub end: u64,
    /// Start, in UTF-16 code units.
    pub start_utf16: u64,
    /// End (exclusive), in UTF-16 code units.
    pub end_utf16: u64,
    /// Confidence between 0 and 1.
    pub confidence: f32,
    /// Whose name it is (`patient`, `staff` or `unknown`) for a `person_name`;
    /// `unknown` for every other kind.
    pub subject: String,
}

impl From<&detect::Finding> for Finding {
    fn from(f: &detect::Finding) -> Self {
        Self {
            kind: f.kind.as_str().to_owned(),
            rule: f.rule.to_owned(),
            start: f.start as u64,
            end: f.end as u64,
            start_utf16: f.start_utf16 as u64,
            end_utf16: f.end_utf16 as u64,
            confidence: f.confidence,
            subject: f.subject.as_str().to_owned(),
        }
    }
}

/// How `minimise` masks findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum MaskStyle {
    /// Replace the whole finding with its kind's placeholder (`[NHS number]`). Default.
    Placeholder,
    /// Keep a little for recognition (last four digits, year, outward code...).
    Partial,
}

/// A compiled scanner. Build it once and reuse it; immutable, so one scanner may be
/// shared between threads.
#[derive(uniffi::Object)]
pub struct Scanner {
    pub(crate) scanner: detect::Scanner,
}

#[uniffi::export]
impl Scanner {
    /// A scanner with the defaults (every kind, threshold 0.5, placeholders).
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            scanner: detect::Scanner::new(),
        })
    }

    /// The identifiers in `text`, in text order.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        self.scanner.scan(text).iter().map(Finding::from).collect()
    }

    /// Whether `text` holds any identifier (stops at the first).
    pub fn has_findings(&self, text: &str) -> bool {
        self.scanner.has_findings(text)
    }

    /// `text` with every finding masked.
    pub fn minimise(&self, text: &str) -> String {
        self.scanner.minimise(text)
    }
}

/// Configures scanners; one builder can build many. Every setter returns the builder,
/// so calls chain. Calls on one builder serialise on an internal lock.
#[derive(uniffi::Object)]
pub struct ScannerBuilder {
    builder: Mutex<detect::ScannerBuilder>,
}

impl ScannerBuilder {
    fn lock(&self) -> Result<MutexGuard<'_, detect::ScannerBuilder>> {
        self.builder.lock().map_err(|_| {
            CareGuardError::internal("scanner builder unusable after an earlier panic")
        })
    }

    fn apply(self: Arc<Self>, f: impl FnOnce(&mut detect::ScannerBuilder)) -> Result<Arc<Self>> {
        f(&mut *self.lock()?);
        Ok(self)
    }
}

#[uniffi::export]
impl ScannerBuilder {
    /// A builder with the defaults: every kind on, confidence threshold 0.5,
    /// placeholders, no Trust patterns, no allow-list, the built-in name lexicon only.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            builder: Mutex::new(detect::ScannerBuilder::new()),
        })
    }

    /// Turns one kind (by its name, e.g. `postcode`) on or off.
    pub fn kind(self: Arc<Self>, kind: &str, on: bool) -> Result<Arc<Self>> {
        let parsed: Kind = kind
            .parse()
            .map_err(|_| CareGuardError::invalid_argument(format!("unknown kind name {kind:?}")))?;
        self.apply(|b| {
            b.kind(parsed, on);
        })
    }

    /// Findings below this confidence are dropped (checked when building).
    pub fn confidence_threshold(self: Arc<Self>, threshold: f32) -> Result<Arc<Self>> {
        self.apply(|b| {
            b.confidence_threshold(threshold);
        })
    }

    /// How `minimise` masks findings.
    pub fn mask_style(self: Arc<Self>, style: MaskStyle) -> Result<Arc<Self>> {
        let style = match style {
            MaskStyle::Placeholder => detect::MaskStyle::Placeholder,
            MaskStyle::Partial => detect::MaskStyle::Partial,
        };
        self.apply(|b| {
            b.mask_style(style);
        })
    }

    /// Adds a Trust hospital-number pattern (a regular expression, compiled when
    /// building).
    pub fn hospital_number_pattern(self: Arc<Self>, pattern: &str) -> Result<Arc<Self>> {
        self.apply(|b| {
            b.hospital_number_pattern(pattern);
        })
    }

    /// Adds a phrase that is never reported (a ward or clinic name).
    pub fn allow(self: Arc<Self>, phrase: &str) -> Result<Arc<Self>> {
        self.apply(|b| {
            b.allow(phrase);
        })
    }

    /// Adds a given name to the lexicon.
    pub fn extra_given_name(self: Arc<Self>, name: &str) -> Result<Arc<Self>> {
        self.apply(|b| {
            b.extra_given_names([name]);
        })
    }

    /// Adds a surname to the lexicon.
    pub fn extra_surname(self: Arc<Self>, name: &str) -> Result<Arc<Self>> {
        self.apply(|b| {
            b.extra_surnames([name]);
        })
    }

    /// Adds a member of staff, whose name is reported with subject `staff`.
    pub fn staff_name(self: Arc<Self>, name: &str) -> Result<Arc<Self>> {
        self.apply(|b| {
            b.staff_names([name]);
        })
    }

    /// Compiles a scanner from the current settings.
    pub fn build(&self) -> Result<Arc<Scanner>> {
        let scanner = self.lock()?.build()?;
        Ok(Arc::new(Scanner { scanner }))
    }
}

/// The kind of conversation a message is sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Conversation {
    /// A clinical or operational conversation (a ward team, a referral).
    Clinical,
    /// A social group (not for patient information).
    Social,
    /// A broadcast or announcement channel.
    Broadcast,
}

/// What to do with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Verdict {
    /// Send as written.
    Allow,
    /// Ask the sender to confirm.
    Warn,
    /// Do not send as written.
    Block,
}

/// One reason behind a verdict.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Reason {
    /// Stable machine code (`social_group`, `recipient_key_changed`, ...).
    pub code: String,
    /// The guidance the rule traces to.
    pub guidance: String,
    /// A sentence for the sender.
    pub message: String,
}

/// A policy decision.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Decision {
    /// Allow, warn or block.
    pub verdict: Verdict,
    /// Why, most important first.
    pub reasons: Vec<Reason>,
    /// A minimised rewrite to offer instead, if any.
    pub suggestion: Option<String>,
}

fn context(
    conversation: Conversation,
    platform_approved: bool,
    emergency: bool,
    recipients: Vec<RecipientTrust>,
) -> Result<Context> {
    let conversation = conversation.into();
    let recipients = recipients
        .into_iter()
        .map(careguard::identity::RecipientTrust::from)
        .collect::<Vec<_>>();
    Ok(Context::new(
        conversation,
        policy::Platform::from_approved(platform_approved),
    )
    .with_emergency(emergency)
    .with_recipients(recipients))
}

impl From<Conversation> for policy::Conversation {
    fn from(c: Conversation) -> Self {
        match c {
            Conversation::Clinical => Self::Clinical,
            Conversation::Social => Self::Social,
            Conversation::Broadcast => Self::Broadcast,
        }
    }
}

impl From<Verdict> for policy::Verdict {
    fn from(v: Verdict) -> Self {
        match v {
            Verdict::Allow => Self::Allow,
            Verdict::Warn => Self::Warn,
            Verdict::Block => Self::Block,
        }
    }
}

pub(crate) fn verdict(v: policy::Verdict) -> Result<Verdict> {
    Ok(match v {
        policy::Verdict::Allow => Verdict::Allow,
        policy::Verdict::Warn => Verdict::Warn,
        policy::Verdict::Block => Verdict::Block,
        _ => return Err(CareGuardError::internal("unknown verdict")),
    })
}

pub(crate) fn conversation(c: policy::Conversation) -> Result<Conversation> {
    Ok(match c {
        policy::Conversation::Clinical => Conversation::Clinical,
        policy::Conversation::Social => Conversation::Social,
        policy::Conversation::Broadcast => Conversation::Broadcast,
        _ => return Err(CareGuardError::internal("unknown conversation")),
    })
}

fn decision(d: policy::Decision) -> Result<Decision> {
    let verdict = verdict(d.verdict)?;
    Ok(Decision {
        verdict,
        reasons: d
            .reasons
            .iter()
            .map(|r| Reason {
                code: r.code().to_owned(),
                guidance: r.guidance().to_owned(),
                message: r.to_string(),
            })
            .collect(),
        suggestion: d.suggestion,
    })
}

/// Scans `text` and decides whether it may be sent, with a minimised suggestion
/// (`careguard::policy::review`). `recipients` are the trust states of the
/// conversation's other members (see `contact_trust`).
#[uniffi::export]
pub fn review(
    scanner: &Scanner,
    text: &str,
    conversation: Conversation,
    platform_approved: bool,
    emergency: bool,
    recipients: Vec<RecipientTrust>,
) -> Result<Decision> {
    let ctx = context(conversation, platform_approved, emergency, recipients)?;
    decision(policy::review(&scanner.scanner, text, &ctx))
}

/// Scans `text` and decides from its findings alone, without a suggestion
/// (`careguard::policy::decide`).
#[uniffi::export]
pub fn decide(
    scanner: &Scanner,
    text: &str,
    conversation: Conversation,
    platform_approved: bool,
    emergency: bool,
    recipients: Vec<RecipientTrust>,
) -> Result<Decision> {
    let ctx = context(conversation, platform_approved, emergency, recipients)?;
    decision(policy::decide(&scanner.scanner.scan(text), &ctx))
}
