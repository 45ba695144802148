//! Lock-screen-safe notification text.

use crate::detect::{Kind, Scanner, Subject};
use crate::envelope::format::Header;

/// The longest conversation or sender label shown, in characters; longer ones are cut and
/// end in `…`, so a long group name cannot carry a sentence onto the lock screen.
pub const MAX_LABEL_CHARS: usize = 32;

/// How much a notification may say. The guidance asks staff to "disable message
/// notifications on your device's lock-screen"; where the app shows one anyway, the Trust
/// chooses how much it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum NotificationDetail {
    /// "New message" and nothing else (the default).
    #[default]
    Generic,
    /// "New message in Ward 7": the conversation's label.
    Conversation,
    /// "New message from Dr A Clinician in Ward 7": the conversation's and the sender's label.
    ConversationAndSender,
}

/// The coarse kind of content a notification names, derived from the header's content type
/// (never the content type's text itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContentCategory {
    /// Text or anything not listed below.
    Message,
    /// `image/*`.
    Photo,
    /// `audio/*`.
    VoiceNote,
    /// `video/*`.
    Video,
    /// `application/*`.
    Attachment,
}

impl ContentCategory {
    /// The category of a declared content type.
    pub fn of(content_type: &str) -> Self {
        let top = content_type
            .split('/')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match top.as_str() {
            "image" => Self::Photo,
            "audio" => Self::VoiceNote,
            "video" => Self::Video,
            "application" => Self::Attachment,
            _ => Self::Message,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Self::Message => "message",
            Self::Photo => "photo",
            Self::VoiceNote => "voice note",
            Self::Video => "video",
            Self::Attachment => "attachment",
        }
    }
}

/// What [`notification_text`] may show: the detail level the Trust allows and the labels the
/// app holds for the conversation and the sender (its own names, e.g. "Ward 7").
///
/// Labels are the app's data, but a user may have named a group after a patient ("Bed 4 Mr
/// Smith"): [`NotificationPolicy::screened`] drops any label in which the scanner finds an
/// identifier.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotificationPolicy {
    detail: NotificationDetail,
    conversation: Option<String>,
    sender: Option<String>,
}

impl NotificationPolicy {
    /// A policy at `detail` with no labels yet (a missing label is left out of the text).
    pub fn new(detail: NotificationDetail) -> Self {
        Self {
            detail,
            conversation: None,
            sender: None,
        }
    }

    /// Sets the conversation's label, shown at [`NotificationDetail::Conversation`] and above.
    pub fn with_conversation(mut self, label: &str) -> Self {
        self.conversation = clean_label(label);
        self
    }

    /// Sets the sender's label, shown at [`NotificationDetail::ConversationAndSender`].
    pub fn with_sender(mut self, label: &str) -> Self {
        self.sender = clean_label(label);
        self
    }

    /// Drops each label in which `scanner` finds a patient identifier: any finding except
    /// a name the scanner takes for a member of staff ("Dr A Clinician" stays).
    pub fn screened(mut self, scanner: &Scanner) -> Self {
        let identifies = |label: &str| {
            scanner
                .scan(label)
                .iter()
                .any(|f| f.kind != Kind::PersonName || f.subject != Subject::Staff)
        };
        if self.conversation.as_deref().is_some_and(identifies) {
            self.conversation = None;
        }
        if self.sender.as_deref().is_some_and(identifies) {
            self.sender = None;
        }
        self
    }

    /// The detail level.
    pub fn detail(&self) -> NotificationDetail {
        self.detail
    }
}

/// Control characters (line breaks, bidi overrides, zero-width characters) are removed so a
/// label cannot reorder or hide text on the lock screen; whitespace runs become one space.
fn clean_label(label: &str) -> Option<String> {
    let words: Vec<String> = label
        .split(|c: char| c.is_whitespace() || c.is_control())
        .map(|w| {
            w.chars()
                .filter(|&c| !is_format_char(c))
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.join(" ");
    if joined.is_empty() {
        return None;
    }
    if joined.chars().count() <= MAX_LABEL_CHARS {
        return Some(joined);
    }
    let mut cut: String = joined.chars().take(MAX_LABEL_CHARS - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    Some(cut)
}

fn is_format_char(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// The text to show on the lock screen for an incoming envelope, e.g. "New message in Ward 7".
///
/// It reads only the header's content type (mapped to a [`ContentCategory`]) and the labels
/// in `policy`: the payload is not an argument, so no byte of it can appear.
///
/// ```
/// use careguard::envelope::{self, KeyRing, SealContext};
/// use careguard::sending::{NotificationDetail, NotificationPolicy, notification_text};
/// use careguard::{SecretKey, UnixSeconds};
///
/// let mut ring = KeyRing::new();
/// ring.insert(1, SecretKey::from_bytes([7; 32]))?;
/// let ctx = SealContext::new(UnixSeconds(1_780_000_000));
/// let sealed = envelope::seal(&[&ring], b"Mr John Smith bed 4", &ctx, &mut envelope::os_rng())?;
/// let header = envelope::format::split(&sealed)?.header;
///
/// let policy = NotificationPolicy::new(NotificationDetail::Conversation)
///     .with_conversation("Ward 7")
///     .with_sender("Dr A Clinician");
/// assert_eq!(notification_text(&header, &policy), "New message in Ward 7");
/// assert_eq!(notification_text(&header, &NotificationPolicy::default()), "New message");
/// # Ok::<(), careguard::envelope::Error>(())
/// ```
pub fn notification_text(header: &Header, policy: &NotificationPolicy) -> String {
    let mut text = String::from("New ");
    text.push_str(ContentCategory::of(&header.content_type).noun());
    if policy.detail == NotificationDetail::ConversationAndSender
        && let Some(sender) = &policy.sender
    {
        text.push_str(" from ");
        text.push_str(sender);
    }
    if policy.detail != NotificationDetail::Generic
        && let Some(conversation) = &policy.conversation
    {
        text.push_str(" in ");
        text.push_str(conversation);
    }
    text
}
