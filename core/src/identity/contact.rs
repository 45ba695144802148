//! Per-contact verification state: unverified, verified in person, attested by the
//! organisation; a key change drops "verified in person" and is reported.

use super::card::{KeyContinuity, VerifiedCard};
use super::error::{IdentityError, Result};

/// How far the user can trust that a contact's device keys are really theirs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Verification {
    /// Nobody vouched for the keys: they are whatever the directory or transport delivered.
    Unverified,
    /// The organisation attested the contact's card (a trusted organisation key signed it).
    AttestedByOrganisation,
    /// The two people compared safety numbers or scanned each other's QR code.
    VerifiedInPerson,
}

impl Verification {
    /// A stable lower-case name (`unverified`, `attested_by_organisation`,
    /// `verified_in_person`) for bindings and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unverified => "unverified",
            Self::AttestedByOrganisation => "attested_by_organisation",
            Self::VerifiedInPerson => "verified_in_person",
        }
    }
}

/// A recipient's verification state as the send policy sees it
/// ([`policy::Context::with_recipients`](crate::policy::Context::with_recipients)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RecipientTrust {
    /// The recipient's verification level.
    pub verification: Verification,
    /// Whether the recipient's key changed since it was verified (or first seen).
    pub key_changed: bool,
}

impl RecipientTrust {
    /// Verified in person or attested by the organisation, with no key change since.
    pub fn is_verified(&self) -> bool {
        !self.key_changed && self.verification != Verification::Unverified
    }
}

/// What [`Contact::observe`] found when a new card arrived for a contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CardChange {
    /// Same keys (a renewed or re-attested card); verification is kept.
    Unchanged,
    /// New keys signed by the previous key; verification is kept.
    Rotated,
    /// New keys without a signature from the old key. "Verified in person" is dropped; tell
    /// the user, who should compare safety numbers again.
    KeyChanged {
        /// The verification the contact had before the change.
        previous: Verification,
    },
}

/// What the app knows about one contact device: its current verified card, whether the
/// people verified each other in person, and whether the key changed since.
///
/// Persist it by storing the card bytes and the two flags ([`Contact::verified_in_person`],
/// [`Contact::key_changed`]) in the app's protected storage, and rebuild it with
/// [`Contact::restore`] after verifying the card again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    card: VerifiedCard,
    in_person: bool,
    key_changed: bool,
}

impl Contact {
    /// A contact first seen with `card`: attested if the organisation attested it, otherwise
    /// unverified.
    pub fn new(card: VerifiedCard) -> Self {
        Self {
            card,
            in_person: false,
            key_changed: false,
        }
    }

    /// Rebuilds a stored contact.
    pub fn restore(card: VerifiedCard, verified_in_person: bool, key_changed: bool) -> Self {
        Self {
            card,
            in_person: verified_in_person,
            key_changed,
        }
    }

    /// The contact's current card.
    pub fn card(&self) -> &VerifiedCard {
        &self.card
    }

    /// The current verification level.
    pub fn verification(&self) -> Verification {
        if self.in_person {
            Verification::VerifiedInPerson
        } else if self.card.is_attested() {
            Verification::AttestedByOrganisation
        } else {
            Verification::Unverified
        }
    }

    /// This contact's state for the send policy.
    pub fn trust(&self) -> RecipientTrust {
        RecipientTrust {
            verification: self.verification(),
            key_changed: self.key_changed,
        }
    }

    /// Whether the people verified each other in person on the current keys.
    pub fn verified_in_person(&self) -> bool {
        self.in_person
    }

    /// Whether the contact's key changed (without a signed rotation) since it was first seen
    /// or last verified in person.
    pub fn key_changed(&self) -> bool {
        self.key_changed
    }

    /// Records that the users compared safety numbers (or scanned the QR code) and they
    /// matched on the current keys. Clears [`Contact::key_changed`].
    pub fn mark_verified_in_person(&mut self) {
        self.in_person = true;
        self.key_changed = false;
    }

    /// Takes a newly fetched card for this contact. The card must be for the same device and
    /// staff identifier unless it is a key change; a card for another staff identifier is
    /// refused (make a new contact for another person).
    ///
    /// A replayed old card is refused with [`IdentityError::SupersededCard`] and the contact
    /// is left unchanged: a card for the same device created before the current one, or one
    /// whose Ed25519 key the current card rotated away from. Without this, whoever kept a
    /// superseded card could re-point the contact at a key its owner retired.
    pub fn observe(&mut self, card: VerifiedCard) -> Result<CardChange> {
        if card.card().staff_id() != self.card.card().staff_id() {
            return Err(IdentityError::InvalidArgument {
                argument: "card",
                reason: "is for another staff identifier",
            });
        }
        let (new, current) = (card.card(), self.card.card());
        let same_device = new.device_id() == current.device_id();
        let older = same_device && new.created_at() < current.created_at();
        let retired_key = current.previous_ed25519() == Some(&new.public_keys().ed25519);
        if older || retired_key {
            return Err(IdentityError::SupersededCard {
                device_id: new.device_id(),
            });
        }
        let change = match card.continuity_from(&self.card) {
            KeyContinuity::Same => CardChange::Unchanged,
            KeyContinuity::Rotated => CardChange::Rotated,
            KeyContinuity::KeyChanged => {
                let previous = self.verification();
                self.in_person = false;
                self.key_changed = true;
                CardChange::KeyChanged { previous }
            }
        };
        self.card = card;
        Ok(change)
    }
}
