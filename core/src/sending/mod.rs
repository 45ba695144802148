//! Safe sending beyond the scanner: lock-screen-safe notification text, right-recipient
//! checks against the address book, and group hygiene reviews.
//!
//! # Security notes
//!
//! - **Notifications** ([`notification_text`]) are built from the envelope *header* and
//!   names the app chose, never from the payload: the function cannot see it. The header's
//!   content type is sender-chosen text, so only a fixed word ("message", "photo"...) derived
//!   from it is shown, never the string itself.
//! - **Right recipient** ([`AddressBook::check`]) warns, with the confusable alternative
//!   named, when the chosen contact or group is easy to mistake for another, when patient
//!   identifiers go to a contact for the first time, to a contact outside the Trust, or to a
//!   social group. It cannot know the user's intent: it gives reasons, the user decides.
//! - **Group hygiene** ([`review_group`]) lists what a group's administrator must act on;
//!   it re-verifies every member's card at `now` against the Trust's keys and revocations.
//!
//! Everything here is pure: callers pass `now` and the state they keep.

mod fold;
mod group;
mod notify;
mod recipient;

pub use group::{Group, GroupFinding, GroupMember, GroupPurpose, GroupRules, review_group};
pub use notify::{
    ContentCategory, MAX_LABEL_CHARS, NotificationDetail, NotificationPolicy, notification_text,
};
pub use recipient::{
    AddressBook, Confusion, MAX_CONFUSABLES, MessageClass, RecipientEntry, RecipientKind,
    RecipientWarning,
};
