//! The send policy: findings plus where a message is going → Allow, Warn or Block, with
//! reasons that cite the guidance and a minimised suggestion.
//!
//! Each rule traces to the guidance documents (see `docs/DETECT.md`):
//!
//! | situation | verdict | guidance |
//! | --- | --- | --- |
//! | no identifiers | Allow | |
//! | identifiers to a social group | Block | NHS England IM guidance 2018: "Separate your social groups on instant messaging from any groups that share clinical or operational information"; Trust policy 6.6 |
//! | identifiers on an unapproved platform | Block | Trust IM policy 2020, 6.4: WhatsApp and similar "have not been approved ... for sharing confidential information"; Trust staff reminder |
//! | identifiers in a broadcast | Block | Trust IM policy 2020, 6.4: unapproved apps only for "one way communications" without confidential information |
//! | emergency (network outage) mode, clinical conversation | Warn, send the minimised text | Trust IM policy 2020, 6.6: "Minimal amounts of patient data are to be communicated as necessary" |
//! | high-risk kinds in a clinical group on an approved platform | Warn | NHS England IM guidance 2018: "Minimise the amount of patient identifiable data you communicate" |
//! | only staff names (no patient or unknown name, no other high-risk kind) there | Allow | the guidance restricts *patient* identifiable data; colleagues' names are not |
//! | only low-risk kinds (a date, a phone number...) there | Allow | |
//! | high-risk kinds to a recipient whose key changed since verification, or who is unverified (when the app passes recipients' verification) | at least Warn | NHS England IM guidance 2018: "end-user verification"; `careguard::identity` |
//!
//! ```
//! use careguard::detect::Scanner;
//! use careguard::policy::{Context, Conversation, Platform, Verdict, review};
//!
//! let scanner = Scanner::new();
//! let msg = "Mr John Smith NHS 943 476 5919 for review";
//! let clinical = Context::new(Conversation::Clinical, Platform::Approved);
//! let d = review(&scanner, msg, &clinical);
//! assert_eq!(d.verdict, Verdict::Warn);
//! assert_eq!(d.suggestion.as_deref(), Some("Mr [name] NHS [NHS number] for review"));
//!
//! let social = Context::new(Conversation::Social, Platform::Approved);
//! assert_eq!(review(&scanner, msg, &social).verdict, Verdict::Block);
//! ```

use core::fmt;

use crate::detect::{Finding, Kind, ScanHints, Scanner, StaffNames, Subject};
use crate::identity::RecipientTrust;

/// What kind of conversation a message goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Conversation {
    /// A clinical or operational conversation (a ward team, a referral).
    Clinical,
    /// A social group (team nights out, chatter).
    Social,
    /// A one-way broadcast to many recipients.
    Broadcast,
}

/// Whether the organisation approved the platform a message goes over for confidential
/// information (Trust IM policy 2020, 6.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// Approved for confidential information (e.g. the Trust's own messaging service).
    Approved,
    /// Not approved (e.g. WhatsApp): identifiers are blocked outside emergency mode.
    Unapproved,
}

impl Platform {
    /// [`Platform::Approved`] if `approved`, for bridges and configuration that carry a
    /// flag.
    pub fn from_approved(approved: bool) -> Self {
        if approved {
            Platform::Approved
        } else {
            Platform::Unapproved
        }
    }

    /// Whether this is [`Platform::Approved`].
    pub fn is_approved(self) -> bool {
        self == Platform::Approved
    }
}

/// Where a message is going. Build with [`Context::new`] and the setters; more fields
/// (recipients' verification state) will be added, so the struct is `non_exhaustive`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Context {
    /// The kind of conversation.
    pub conversation: Conversation,
    /// Whether the organisation approved the platform for confidential information.
    pub platform: Platform,
    /// Emergency (network-outage) mode: the Trust has declared that normal channels are
    /// down, so an unapproved platform may carry minimal patient data.
    pub emergency: bool,
    /// The verification state of each recipient device (from
    /// [`identity::Contact::trust`](crate::identity::Contact::trust)). Empty (the default)
    /// means the app does not track verification, and no recipient warning is given.
    pub recipients: Vec<RecipientTrust>,
    /// Names known to be staff in this conversation (a chat export's senders): passed
    /// to [`Scanner::scan_with`] by [`review`], so the policy can let messages through
    /// whose only names are colleagues'. Empty by default.
    pub staff_names: StaffNames,
}

impl Context {
    /// A context for a conversation on a platform (emergency mode off).
    pub fn new(conversation: Conversation, platform: Platform) -> Self {
        Context {
            conversation,
            platform,
            emergency: false,
            recipients: Vec::new(),
            staff_names: StaffNames::default(),
        }
    }

    /// Sets the recipients' verification state, one entry per recipient device. Empty by
    /// default.
    pub fn with_recipients(mut self, recipients: impl IntoIterator<Item = RecipientTrust>) -> Self {
        self.recipients = recipients.into_iter().collect();
        self
    }

    /// Sets the names known to be staff ([`Context::staff_names`]). Empty by default.
    pub fn with_staff_names<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.staff_names = StaffNames::new(names);
        self
    }

    /// Sets emergency (network-outage) mode. Off by default.
    pub fn with_emergency(mut self, emergency: bool) -> Self {
        self.emergency = emergency;
        self
    }
}

/// The outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Verdict {
    /// Send as written.
    Allow,
    /// Ask the sender to confirm or to send the minimised suggestion.
    Warn,
    /// Do not send identifiers here.
    Block,
}

/// Why a verdict was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// Identifiers going to a social group.
    SocialGroup {
        /// The kinds found.
        kinds: Vec<Kind>,
    },
    /// Identifiers going over a platform not approved for confidential information.
    UnapprovedPlatform {
        /// The kinds found.
        kinds: Vec<Kind>,
    },
    /// Identifiers in a one-way broadcast.
    Broadcast {
        /// The kinds found.
        kinds: Vec<Kind>,
    },
    /// Emergency mode: sending is allowed with minimal patient data.
    EmergencyMinimal {
        /// The kinds found.
        kinds: Vec<Kind>,
    },
    /// High-risk identifiers in a clinical conversation: minimise them.
    HighRisk {
        /// The high-risk kinds found.
        kinds: Vec<Kind>,
    },
    /// High-risk identifiers to a recipient whose key changed since it was verified (or
    /// first seen): compare safety numbers again before sending.
    RecipientKeyChanged {
        /// The high-risk kinds found.
        kinds: Vec<Kind>,
    },
    /// High-risk identifiers to a recipient nobody verified (neither in person nor by the
    /// organisation).
    UnverifiedRecipient {
        /// The high-risk kinds found.
        kinds: Vec<Kind>,
    },
}

impl Reason {
    /// A stable code for bindings and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::SocialGroup { .. } => "social_group",
            Reason::UnapprovedPlatform { .. } => "unapproved_platform",
            Reason::Broadcast { .. } => "broadcast",
            Reason::EmergencyMinimal { .. } => "emergency_minimal",
            Reason::HighRisk { .. } => "high_risk",
            Reason::RecipientKeyChanged { .. } => "recipient_key_changed",
            Reason::UnverifiedRecipient { .. } => "unverified_recipient",
        }
    }

    /// The guidance this reason follows.
    pub fn guidance(&self) -> &'static str {
        match self {
            Reason::SocialGroup { .. } => {
                "NHS England IM guidance (2018): separate social groups from groups that share clinical information"
            }
            Reason::UnapprovedPlatform { .. } => {
                "Trust IM policy 6.4: unapproved apps must not carry confidential information"
            }
            Reason::Broadcast { .. } => {
                "Trust IM policy 6.4: one-way communications must not carry confidential information"
            }
            Reason::EmergencyMinimal { .. } => {
                "Trust IM policy 6.6: in a major network outage, communicate minimal patient data as necessary"
            }
            Reason::HighRisk { .. } => {
                "NHS England IM guidance (2018): minimise the patient identifiable data you communicate"
            }
            Reason::RecipientKeyChanged { .. } | Reason::UnverifiedRecipient { .. } => {
                "NHS England IM guidance (2018): end-user verification, know that the people using the app are who they say they are"
            }
        }
    }

    /// The identifier kinds this reason is about.
    pub fn kinds(&self) -> &[Kind] {
        match self {
            Reason::SocialGroup { kinds }
            | Reason::UnapprovedPlatform { kinds }
            | Reason::Broadcast { kinds }
            | Reason::EmergencyMinimal { kinds }
            | Reason::HighRisk { kinds }
            | Reason::RecipientKeyChanged { kinds }
            | Reason::UnverifiedRecipient { kinds } => kinds,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self {
            Reason::SocialGroup { .. } => "patient identifiers must not go to a social group",
            Reason::UnapprovedPlatform { .. } => {
                "patient identifiers must not go over a platform that is not approved"
            }
            Reason::Broadcast { .. } => "patient identifiers must not go in a broadcast",
            Reason::EmergencyMinimal { .. } => {
                "emergency mode: send only the minimal patient data needed"
            }
            Reason::HighRisk { .. } => "message identifies a patient: minimise it if you can",
            Reason::RecipientKeyChanged { .. } => {
                "a recipient's security key changed since it was verified: compare safety numbers before sending patient identifiers"
            }
            Reason::UnverifiedRecipient { .. } => {
                "a recipient is not verified: compare safety numbers before sending patient identifiers"
            }
        };
        f.write_str(what)?;
        let kinds = self.kinds();
        if !kinds.is_empty() {
            f.write_str(" (")?;
            for (i, k) in kinds.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                f.write_str(k.as_str())?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// A verdict with its reasons, the findings it was decided on and, when the message
/// should change, the minimised text.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Allow, Warn or Block.
    pub verdict: Verdict,
    /// Why (empty for a plain Allow).
    pub reasons: Vec<Reason>,
    /// The findings the verdict was decided on: [`review`]'s scan, or the findings
    /// given to [`decide`].
    pub findings: Vec<Finding>,
    /// The message with identifiers replaced, when the verdict is not Allow. [`decide`]
    /// has no text and leaves it `None`; [`review`] fills it.
    pub suggestion: Option<String>,
}

fn kinds_of(findings: &[Finding], filter: impl Fn(Kind) -> bool) -> Vec<Kind> {
    let mut kinds: Vec<Kind> = findings
        .iter()
        .map(|f| f.kind)
        .filter(|k| filter(*k))
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// Whether a finding identifies a patient: a high-risk kind, and for a name, not one
/// the scanner attributed to staff.
fn patient_identifying(f: &Finding) -> bool {
    f.kind.is_high_risk() && !(f.kind == Kind::PersonName && f.subject == Subject::Staff)
}

fn patient_kinds(findings: &[Finding]) -> Vec<Kind> {
    let mut kinds: Vec<Kind> = findings
        .iter()
        .filter(|f| patient_identifying(f))
        .map(|f| f.kind)
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// Decides from findings (from [`Scanner::scan`]) and the context.
///
/// Social groups, broadcasts and unapproved platforms treat every name alike; in a
/// clinical group on an approved platform, names with [`Subject::Staff`] do not count
/// as patient identifiers, so a message whose only identifiers are colleagues' names
/// is allowed (the findings still list them, marked staff, for an audit).
pub fn decide(findings: &[Finding], ctx: &Context) -> Decision {
    let all = kinds_of(findings, |_| true);
    let (verdict, reason) = if all.is_empty() {
        (Verdict::Allow, None)
    } else if ctx.conversation == Conversation::Social {
        (Verdict::Block, Some(Reason::SocialGroup { kinds: all }))
    } else if ctx.conversation == Conversation::Broadcast {
        (Verdict::Block, Some(Reason::Broadcast { kinds: all }))
    } else if !ctx.platform.is_approved() && !ctx.emergency {
        (
            Verdict::Block,
            Some(Reason::UnapprovedPlatform { kinds: all }),
        )
    } else if ctx.emergency && !ctx.platform.is_approved() {
        (Verdict::Warn, Some(Reason::EmergencyMinimal { kinds: all }))
    } else {
        let high = patient_kinds(findings);
        if high.is_empty() {
            (Verdict::Allow, None)
        } else {
            (Verdict::Warn, Some(Reason::HighRisk { kinds: high }))
        }
    };
    let mut verdict = verdict;
    let mut reasons: Vec<Reason> = reason.into_iter().collect();
    let high = patient_kinds(findings);
    if verdict != Verdict::Block && !high.is_empty() {
        let recipient_reason = if ctx.recipients.iter().any(|r| r.key_changed) {
            Some(Reason::RecipientKeyChanged { kinds: high })
        } else if ctx.recipients.iter().any(|r| !r.is_verified()) {
            Some(Reason::UnverifiedRecipient { kinds: high })
        } else {
            None
        };
        if let Some(r) = recipient_reason {
            verdict = Verdict::Warn;
            reasons.push(r);
        }
    }
    Decision {
        verdict,
        reasons,
        findings: findings.to_vec(),
        suggestion: None,
    }
}

/// Scans `text` (with the context's staff names), decides, and adds the minimised
/// suggestion when the verdict is not Allow: everything a send check needs in one call,
/// so bindings forward it rather than re-implement it.
pub fn review(scanner: &Scanner, text: &str, ctx: &Context) -> Decision {
    let findings = scanner.scan_with(
        text,
        &ScanHints {
            staff_names: &ctx.staff_names,
        },
    );
    let mut d = decide(&findings, ctx);
    if d.verdict != Verdict::Allow {
        d.suggestion = Some(scanner.minimise_findings(text, &findings));
    }
    d
}
