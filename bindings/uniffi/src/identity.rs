//! Device identity keys, signed device cards, safety numbers and signed end-to-end
//! envelopes (`careguard::identity`).

use std::sync::Arc;

use careguard::envelope::{self, Binding, Identity};
use careguard::identity::{
    self as core_identity, Contact, DEVICE_ID_LEN, DeviceCard, DeviceId, OrganisationKey,
    OrganisationPublicKey, RevocationList, SafetyParty, Sealer, TrustPolicy,
};
use careguard::{SealContext, UnixSeconds};

use crate::envelope::{KeyRing, OpenedEnvelope, SealOptions};
use crate::error::{CareGuardError, Result};
use crate::vault::Vault;
use crate::{key_arg, os_rng};

/// Organisation public keys (32 bytes each).
pub(crate) fn org_keys(org_public_keys: &[Vec<u8>]) -> Result<Vec<OrganisationPublicKey>> {
    org_public_keys
        .iter()
        .map(|k| {
            let key: [u8; 32] = k.as_slice().try_into().map_err(|_| {
                CareGuardError::invalid_length(format!(
                    "an organisation public key must be 32 bytes, got {}",
                    k.len()
                ))
            })?;
            Ok(OrganisationPublicKey::from_bytes(&key)?)
        })
        .collect()
}

/// The card-checking policy: trusted organisation keys, whether attestation is required,
/// and the organisation's signed revocation list if given. Shared by `VerifiedCard.verify`
/// and `review_group`.
pub(crate) fn trust_policy(
    org_public_keys: &[Vec<u8>],
    require_attestation: bool,
    revocation_list: Option<Vec<u8>>,
) -> Result<TrustPolicy> {
    let orgs = org_keys(org_public_keys)?;
    let mut policy = TrustPolicy::new().require_attestation(require_attestation);
    for org in &orgs {
        policy = policy.with_organisation(*org);
    }
    if let Some(list) = revocation_list {
        policy = policy.with_revocations(RevocationList::verify(&list, &orgs)?);
    }
    Ok(policy)
}

/// This device's identity keys (signing and key agreement). Kept secret: store them
/// only wrapped in the vault (`wrap_in_vault`).
#[derive(uniffi::Object)]
pub struct DeviceKeys {
    pub(crate) keys: core_identity::DeviceKeys,
}

#[uniffi::export]
impl DeviceKeys {
    /// Fresh keys with a fresh device id.
    #[uniffi::constructor]
    pub fn generate() -> Arc<Self> {
        Arc::new(Self {
            keys: core_identity::DeviceKeys::generate(&mut os_rng()),
        })
    }

    /// Keys unwrapped from the vault; they live only while `vault` stays unlocked.
    #[uniffi::constructor]
    pub fn unwrap_from_vault(vault: &Vault, wrapped: Vec<u8>, now: u64) -> Result<Arc<Self>> {
        let mut session = vault.session()?;
        let keys = core_identity::DeviceKeys::unwrap_from_vault(session.vault(now)?, &wrapped)?;
        Ok(Arc::new(Self { keys }))
    }

    /// New keys for the same device id (key rotation); cards issued with
    /// `issue_card(previous = these keys)` carry the rotation signature.
    pub fn rotate(&self) -> Arc<Self> {
        Arc::new(Self {
            keys: self.keys.rotate(&mut os_rng()),
        })
    }

    /// These keys encrypted under the vault, to store.
    pub fn wrap_in_vault(&self, vault: &Vault, now: u64) -> Result<Vec<u8>> {
        let mut session = vault.session()?;
        Ok(self
            .keys
            .wrap_in_vault(session.vault(now)?, &mut os_rng())?)
    }

    /// A signed device card for these keys. `previous` (the keys rotated from) adds a
    /// rotation signature; `org_seed` (32 bytes) adds the organisation's attestation.
    pub fn issue_card(
        &self,
        previous: Option<Arc<DeviceKeys>>,
        staff_id: &str,
        display_name: &str,
        created_at: u64,
        expires_at: u64,
        org_seed: Option<Vec<u8>>,
    ) -> Result<Vec<u8>> {
        let org = org_seed
            .map(|seed| {
                key_arg(seed, "org_seed")
                    .map(|seed| OrganisationKey::from_secret_bytes(seed.expose_secret()))
            })
            .transpose()?;
        let mut card = match previous {
            None => self
                .keys
                .issue_card(staff_id, display_name, created_at, expires_at)?,
            Some(prev) => self.keys.issue_rotated_card(
                &prev.keys,
                staff_id,
                display_name,
                created_at,
                expires_at,
            )?,
        };
        if let Some(org) = &org {
            card = card.attest(org);
        }
        Ok(card.to_bytes())
    }
}

/// A device card whose signatures were verified under a trust policy.
#[derive(uniffi::Object)]
pub struct VerifiedCard {
    card: core_identity::VerifiedCard,
}

#[uniffi::export]
impl VerifiedCard {
    /// Parses and verifies a card: its own signature, the attestation under one of
    /// `org_public_keys` (32 bytes each; required if `require_attestation`), the
    /// organisation's signed `revocation_list` if given, and its validity at `now`.
    #[uniffi::constructor]
    pub fn verify(
        card: Vec<u8>,
        org_public_keys: Vec<Vec<u8>>,
        require_attestation: bool,
        revocation_list: Option<Vec<u8>>,
        now: u64,
    ) -> Result<Arc<Self>> {
        let policy = trust_policy(&org_public_keys, require_attestation, revocation_list)?;
        let card = DeviceCard::parse(&card)?.verify(&policy, now)?;
        Ok(Arc::new(Self { card }))
    }

    /// The staff id (e.g. an NHSmail address).
    pub fn staff_id(&self) -> String {
        self.card.card().staff_id().to_owned()
    }

    /// The name to show.
    pub fn display_name(&self) -> String {
        self.card.card().display_name().to_owned()
    }

    /// The 16-byte device id.
    pub fn device_id(&self) -> Vec<u8> {
        self.card.card().device_id().as_bytes().to_vec()
    }

    /// When the card was issued (Unix seconds).
    pub fn created_at(&self) -> u64 {
        self.card.card().created_at()
    }

    /// When the card expires (Unix seconds).
    pub fn expires_at(&self) -> u64 {
        self.card.card().expires_at()
    }

    /// Whether a trusted organisation attested the card.
    pub fn attested(&self) -> bool {
        self.card.is_attested()
    }
}

/// How far a contact's keys are vouched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Verification {
    /// Nobody vouched for the keys.
    Unverified,
    /// The organisation attested the contact's card.
    AttestedByOrganisation,
    /// The safety number was compared in person.
    VerifiedInPerson,
}

/// A recipient's trust state, as the send policy reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct RecipientTrust {
    /// The verification level.
    pub verification: Verification,
    /// Whether the recipient's key changed since it was verified (or first seen).
    pub key_changed: bool,
}

impl From<Verification> for core_identity::Verification {
    fn from(v: Verification) -> Self {
        match v {
            Verification::Unverified => Self::Unverified,
            Verification::AttestedByOrganisation => Self::AttestedByOrganisation,
            Verification::VerifiedInPerson => Self::VerifiedInPerson,
        }
    }
}

impl From<RecipientTrust> for core_identity::RecipientTrust {
    fn from(t: RecipientTrust) -> Self {
        Self {
            verification: t.verification.into(),
            key_changed: t.key_changed,
        }
    }
}

fn trust(t: core_identity::RecipientTrust) -> Result<RecipientTrust> {
    let verification = match t.verification {
        core_identity::Verification::Unverified => Verification::Unverified,
        core_identity::Verification::AttestedByOrganisation => Verification::AttestedByOrganisation,
        core_identity::Verification::VerifiedInPerson => Verification::VerifiedInPerson,
        _ => return Err(CareGuardError::internal("unknown verification level")),
    };
    Ok(RecipientTrust {
        verification,
        key_changed: t.key_changed,
    })
}

/// The trust state of a contact holding `card`, for the send policy.
#[uniffi::export]
pub fn contact_trust(
    card: &VerifiedCard,
    verified_in_person: bool,
    key_changed: bool,
) -> Result<RecipientTrust> {
    trust(Contact::restore(card.card.clone(), verified_in_person, key_changed).trust())
}

/// How a contact's new card relates to the one held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CardChange {
    /// Same keys; verification is kept.
    Unchanged,
    /// New keys signed by the previous key; verification is kept.
    Rotated,
    /// New keys with no link to the old ones: verification is dropped, warn the user.
    KeyChanged,
}

/// The result of [`contact_observe`]: the change and the contact's new state, to store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Observed {
    /// How the card changed.
    pub change: CardChange,
    /// Whether the contact is still verified in person.
    pub verified_in_person: bool,
    /// Whether the contact's key changed since it was verified.
    pub key_changed: bool,
}

/// A contact holding `current` (with its stored state) presents `new_card`.
#[uniffi::export]
pub fn contact_observe(
    current: &VerifiedCard,
    new_card: &VerifiedCard,
    verified_in_person: bool,
    key_changed: bool,
) -> Result<Observed> {
    let mut contact = Contact::restore(current.card.clone(), verified_in_person, key_changed);
    let change = match contact.observe(new_card.card.clone())? {
        core_identity::CardChange::Unchanged => CardChange::Unchanged,
        core_identity::CardChange::Rotated => CardChange::Rotated,
        core_identity::CardChange::KeyChanged { .. } => CardChange::KeyChanged,
        _ => return Err(CareGuardError::internal("unknown card change")),
    };
    Ok(Observed {
        change,
        verified_in_person: contact.verified_in_person(),
        key_changed: contact.key_changed(),
    })
}

/// Signs a revocation list of 16-byte device ids (the organisation's side).
#[uniffi::export]
pub fn revocation_list_sign(
    org_seed: Vec<u8>,
    device_ids: Vec<Vec<u8>>,
    issued_at: u64,
) -> Result<Vec<u8>> {
    let seed = key_arg(org_seed, "org_seed")?;
    let ids = device_ids
        .iter()
        .map(|id| {
            let bytes: [u8; DEVICE_ID_LEN] = id.as_slice().try_into().map_err(|_| {
                CareGuardError::invalid_length(format!(
                    "a device id must be {DEVICE_ID_LEN} bytes, got {}",
                    id.len()
                ))
            })?;
            Ok(DeviceId::from_bytes(bytes))
        })
        .collect::<Result<Vec<_>>>()?;
    let org = OrganisationKey::from_secret_bytes(seed.expose_secret());
    Ok(RevocationList::sign(&org, issued_at, &ids)?
        .to_bytes()
        .to_vec())
}

/// A safety number to compare in person: 60 digits and a QR payload.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SafetyNumber {
    /// The digits (the same on both phones).
    pub digits: String,
    /// The payload to show as a QR code (the other phone scans it).
    pub qr: Vec<u8>,
}

fn compute_safety(
    local: &VerifiedCard,
    remote: &VerifiedCard,
) -> Result<core_identity::SafetyNumber> {
    let local = SafetyParty::from_cards(&[&local.card])?;
    let remote = SafetyParty::from_cards(&[&remote.card])?;
    Ok(core_identity::SafetyNumber::compute(&local, &remote))
}

/// The safety number between this user (`local`) and a contact (`remote`).
#[uniffi::export]
pub fn safety_number(local: &VerifiedCard, remote: &VerifiedCard) -> Result<SafetyNumber> {
    let number = compute_safety(local, remote)?;
    Ok(SafetyNumber {
        digits: number.digits().to_owned(),
        qr: number.qr_payload().to_vec(),
    })
}

/// Whether a QR payload scanned from the contact's phone matches.
#[uniffi::export]
pub fn safety_number_matches_scanned(
    local: &VerifiedCard,
    remote: &VerifiedCard,
    scanned: Vec<u8>,
) -> Result<bool> {
    Ok(compute_safety(local, remote)?.matches_scanned(&scanned)?)
}

/// Seals and signs `payload` end to end to `recipients` (and to `own_keyring`, so the
/// sender's other devices can read it).
#[uniffi::export]
#[allow(clippy::too_many_arguments)]
pub fn identity_seal(
    sender: &DeviceKeys,
    recipients: Vec<Arc<VerifiedCard>>,
    own_keyring: Option<Arc<KeyRing>>,
    payload: Vec<u8>,
    conversation_id: Vec<u8>,
    sender_id: Vec<u8>,
    options: Option<SealOptions>,
    now: u64,
) -> Result<Vec<u8>> {
    let mut sealer = Sealer::new(&sender.keys);
    for card in &recipients {
        sealer = sealer.to(&card.card);
    }
    let ring = own_keyring.as_deref().map(KeyRing::read).transpose()?;
    if let Some(ring) = ring.as_deref() {
        sealer = sealer.also_to(ring);
    }
    let ctx = SealContext {
        binding: Binding::new(&conversation_id, &sender_id),
        options: options.map_or_else(envelope::SealOptions::new, |o| o.to_core()),
        now: UnixSeconds(now),
    };
    Ok(sealer.seal(&payload, &ctx, &mut os_rng())?)
}

/// An opened end-to-end envelope and who signed it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OpenedSigned {
    /// The payload and header.
    pub envelope: OpenedEnvelope,
    /// The index in `senders` of the card that signed it.
    pub sender_index: u32,
}

/// Opens an end-to-end envelope addressed to `me` (or to `own_keyring`) and checks
/// that one of `senders` signed it.
#[uniffi::export]
#[allow(clippy::too_many_arguments)]
pub fn identity_open(
    me: &DeviceKeys,
    own_keyring: Option<Arc<KeyRing>>,
    sealed: Vec<u8>,
    conversation_id: Vec<u8>,
    sender_id: Vec<u8>,
    now: u64,
    senders: Vec<Arc<VerifiedCard>>,
) -> Result<OpenedSigned> {
    let ring = own_keyring.as_deref().map(KeyRing::read).transpose()?;
    let also: Vec<&dyn Identity> = match ring.as_deref() {
        Some(r) => vec![r],
        None => Vec::new(),
    };
    let cards: Vec<&core_identity::VerifiedCard> = senders.iter().map(|c| &c.card).collect();
    let binding = Binding::new(&conversation_id, &sender_id);
    let opened =
        core_identity::open_signed(&me.keys, &also, &sealed, &binding, UnixSeconds(now), &cards)?;
    let signer = opened.sender().card().device_id();
    let index = cards
        .iter()
        .position(|c| c.card().device_id() == signer)
        .unwrap_or(cards.len());
    Ok(OpenedSigned {
        envelope: OpenedEnvelope::new(opened.payload(), opened.header()),
        sender_index: u32::try_from(index).unwrap_or(u32::MAX),
    })
}
