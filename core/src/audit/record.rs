//! One audit record and the aggregate summary.

use std::collections::BTreeMap;

use crate::detect::{Finding, Kind, Scanner};
use crate::policy::{Conversation, Verdict};

/// Longest override reason kept, in bytes (cut at a character boundary).
pub const MAX_REASON_LEN: usize = 80;

/// What the user did after the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Action {
    /// Sent as written (the verdict allowed it).
    Sent,
    /// Sent the minimised suggestion.
    SentMinimised,
    /// Did not send.
    Cancelled,
    /// Sent as written despite a warning or block, giving a reason.
    Overridden,
}

impl Action {
    /// A stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::SentMinimised => "sent_minimised",
            Self::Cancelled => "cancelled",
            Self::Overridden => "overridden",
        }
    }

    pub(super) fn code(self) -> u8 {
        match self {
            Self::Sent => 0,
            Self::SentMinimised => 1,
            Self::Cancelled => 2,
            Self::Overridden => 3,
        }
    }

    pub(super) fn from_code(code: u8) -> Option<Self> {
        [
            Self::Sent,
            Self::SentMinimised,
            Self::Cancelled,
            Self::Overridden,
        ]
        .get(usize::from(code))
        .copied()
    }
}

pub(super) fn conversation_code(c: Conversation) -> u8 {
    match c {
        Conversation::Clinical => 0,
        Conversation::Social => 1,
        Conversation::Broadcast => 2,
    }
}

pub(super) fn conversation_from_code(code: u8) -> Option<Conversation> {
    [
        Conversation::Clinical,
        Conversation::Social,
        Conversation::Broadcast,
    ]
    .get(usize::from(code))
    .copied()
}

pub(super) fn conversation_name(c: Conversation) -> &'static str {
    match c {
        Conversation::Clinical => "clinical",
        Conversation::Social => "social",
        Conversation::Broadcast => "broadcast",
    }
}

pub(super) fn verdict_code(v: Verdict) -> u8 {
    match v {
        Verdict::Allow => 0,
        Verdict::Warn => 1,
        Verdict::Block => 2,
    }
}

pub(super) fn verdict_from_code(code: u8) -> Option<Verdict> {
    [Verdict::Allow, Verdict::Warn, Verdict::Block]
        .get(usize::from(code))
        .copied()
}

/// Kinds are stored by their index in [`Kind::ALL`], which is fixed.
pub(super) fn kind_code(k: Kind) -> u8 {
    Kind::ALL
        .iter()
        .position(|&x| x == k)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(u8::MAX)
}

pub(super) fn kind_from_code(code: u8) -> Option<Kind> {
    Kind::ALL.get(usize::from(code)).copied()
}

/// One decision, without content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub(super) time: u64,
    pub(super) conversation: Conversation,
    pub(super) verdict: Verdict,
    pub(super) action: Action,
    pub(super) emergency: bool,
    pub(super) kinds: BTreeMap<u8, u8>,
    pub(super) reason: String,
}

impl AuditRecord {
    /// A record of a decision at `time` (Unix seconds) with no kinds found.
    pub fn new(time: u64, conversation: Conversation, verdict: Verdict, action: Action) -> Self {
        Self {
            time,
            conversation,
            verdict,
            action,
            emergency: false,
            kinds: BTreeMap::new(),
            reason: String::new(),
        }
    }

    /// Adds `count` findings of `kind` (counts saturate at 255).
    pub fn with_kind(mut self, kind: Kind, count: u32) -> Self {
        if count > 0 {
            let c = self.kinds.entry(kind_code(kind)).or_insert(0);
            *c = u8::try_from(u32::from(*c).saturating_add(count)).unwrap_or(u8::MAX);
        }
        self
    }

    /// Adds the kinds of `findings`, counted (the findings' text is not kept).
    pub fn with_findings(self, findings: &[Finding]) -> Self {
        findings.iter().fold(self, |r, f| r.with_kind(f.kind, 1))
    }

    /// Records whether emergency (network-outage) mode was on.
    pub fn with_emergency(mut self, emergency: bool) -> Self {
        self.emergency = emergency;
        self
    }

    /// Records the user's reason for an override, minimised by `scanner` (identifiers become
    /// placeholders) and cut to [`MAX_REASON_LEN`] bytes. Only an [`Action::Overridden`]
    /// record keeps a reason; for other actions this does nothing.
    pub fn with_override_reason(mut self, reason: &str, scanner: &Scanner) -> Self {
        if self.action != Action::Overridden {
            return self;
        }
        let minimised = scanner.minimise(reason);
        let clean: String = minimised
            .split(|c: char| c.is_control() || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let mut end = clean.len().min(MAX_REASON_LEN);
        while !clean.is_char_boundary(end) {
            end -= 1;
        }
        self.reason = clean[..end].to_string();
        self
    }

    /// When (Unix seconds, the device's clock).
    pub fn time(&self) -> u64 {
        self.time
    }

    /// The conversation class.
    pub fn conversation(&self) -> Conversation {
        self.conversation
    }

    /// The verdict.
    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    /// What the user did.
    pub fn action(&self) -> Action {
        self.action
    }

    /// Whether emergency mode was on.
    pub fn emergency(&self) -> bool {
        self.emergency
    }

    /// The kinds found and how many of each, in [`Kind::ALL`] order.
    pub fn kinds(&self) -> Vec<(Kind, u8)> {
        self.kinds
            .iter()
            .filter_map(|(&k, &n)| kind_from_code(k).map(|k| (k, n)))
            .collect()
    }

    /// The minimised override reason (empty unless overridden).
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// Totals over many records (many devices' logs can be summed with [`Summary::merge`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// Records.
    pub records: u64,
    /// Allowed.
    pub allowed: u64,
    /// Warned.
    pub warned: u64,
    /// Blocked.
    pub blocked: u64,
    /// Records per user action, by [`Action::as_str`].
    pub actions: BTreeMap<&'static str, u64>,
    /// Records per conversation class (`clinical`, `social`, `broadcast`).
    pub conversations: BTreeMap<&'static str, u64>,
    /// Identifiers found per kind, by [`Kind::as_str`].
    pub kinds: BTreeMap<&'static str, u64>,
    /// Records made in emergency mode.
    pub emergency: u64,
    /// Earliest and latest record time.
    pub span: Option<(u64, u64)>,
}

impl Summary {
    /// Adds one record.
    pub fn add(&mut self, r: &AuditRecord) {
        self.records += 1;
        match r.verdict {
            Verdict::Allow => self.allowed += 1,
            Verdict::Warn => self.warned += 1,
            Verdict::Block => self.blocked += 1,
        }
        *self.actions.entry(r.action.as_str()).or_default() += 1;
        *self
            .conversations
            .entry(conversation_name(r.conversation))
            .or_default() += 1;
        for (kind, n) in r.kinds() {
            *self.kinds.entry(kind.as_str()).or_default() += u64::from(n);
        }
        self.emergency += u64::from(r.emergency);
        self.span = Some(match self.span {
            None => (r.time, r.time),
            Some((a, b)) => (a.min(r.time), b.max(r.time)),
        });
    }

    /// Adds another summary's totals.
    pub fn merge(&mut self, other: &Summary) {
        self.records += other.records;
        self.allowed += other.allowed;
        self.warned += other.warned;
        self.blocked += other.blocked;
        for (k, n) in &other.actions {
            *self.actions.entry(k).or_default() += n;
        }
        for (k, n) in &other.conversations {
            *self.conversations.entry(k).or_default() += n;
        }
        for (k, n) in &other.kinds {
            *self.kinds.entry(k).or_default() += n;
        }
        self.emergency += other.emergency;
        self.span = match (self.span, other.span) {
            (None, s) | (s, None) => s,
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
        };
    }
}

/// Totals over `records`.
pub fn summarise<'a>(records: impl IntoIterator<Item = &'a AuditRecord>) -> Summary {
    let mut s = Summary::default();
    records.into_iter().for_each(|r| s.add(r));
    s
}
