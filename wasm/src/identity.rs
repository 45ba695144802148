//! End-user verification and end-to-end recipients (`careguard::identity`): device
//! keys, device cards, organisation attestation and revocation, contact verification
//! state, safety numbers, and envelopes sealed to verified devices. The same scope as
//! the C ABI's `cg_device_keys_*`, `cg_card_verify`, `cg_contact_*`,
//! `cg_revocation_list_sign`, `cg_safety_number*` and `cg_identity_seal/open`.

use careguard::envelope::{Binding, Identity};
use careguard::identity::{
    self, CardChange, Contact, DEVICE_ID_LEN, DeviceCard, DeviceId, IdentityError, OrganisationKey,
    OrganisationPublicKey, RecipientTrust, RevocationList, SafetyNumber, SafetyParty, Sealer,
    TrustPolicy, VerifiedCard as CoreVerifiedCard,
};
use careguard::{SealContext, UnixSeconds};
use js_sys::Array;
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use crate::convert::{
    absent, boolean, bytes, bytes_or_text, get, number, object, opt_bool, opt_bytes,
    options_object, seconds_to_js, secret_key, text, uint8array, unix_seconds,
};
use crate::envelope::{KeyRing, binding_fields, header_to_js, seal_options};
use crate::error::{Coded, Failure, IntoJs};
use crate::vault::Vault;

#[wasm_bindgen(typescript_custom_section)]
const TS_IDENTITY: &str = r#"
/** Options for `DeviceKeys.issueCard`. */
export interface IssueCardOptions {
  /** The keys these keys were rotated from (`rotate()`): the card is also signed by
   * them, so contacts see a rotation, not a key change. */
  previous?: DeviceKeys;
  /** The organisation's 32-byte Ed25519 seed: the card is also attested. For the
   * organisation's enrolment service and tests, never for an app. */
  organisationSeed?: Uint8Array;
}

/** What `verifyCard` trusts. */
export interface TrustOptions {
  /** Trusted organisation (Trust) Ed25519 public keys, 32 bytes each. */
  organisationKeys?: Uint8Array[];
  /** Refuse cards no trusted organisation attested (`not_attested`). Default: false. */
  requireAttestation?: boolean;
  /** A revocation list signed by one of `organisationKeys`. */
  revocationList?: Uint8Array;
}

/** A contact's two persisted flags (store them with the card bytes). */
export interface ContactFlags {
  verifiedInPerson: boolean;
  keyChanged: boolean;
}

/** What `contactObserve` found, and the flags to persist from now on. */
export interface ContactObservation extends ContactFlags {
  /** `unchanged` (same keys), `rotated` (new keys signed by the old ones; verification
   * kept) or `key_changed` (not signed by the old keys: tell the user, compare safety
   * numbers again). */
  change: 'unchanged' | 'rotated' | 'key_changed';
}

/** A safety number between two people. */
export interface SafetyNumberResult {
  /** 60 digits. */
  digits: string;
  /** The digits in 12 groups of 5, separated by spaces, for display. */
  groups: string;
  /** The QR payload to display for the contact to scan. */
  qr: Uint8Array;
}

/** An opened end-to-end envelope. */
export interface OpenedSigned {
  payload: Uint8Array;
  header: EnvelopeHeader;
  /** The card (from `senders`) whose key signed it. */
  sender: VerifiedCard;
}
"#;

impl Coded for IdentityError {
    fn error_code(&self) -> careguard::ErrorCode {
        self.code()
    }

    fn details(&self) -> JsValue {
        match self {
            Self::Envelope(inner) => inner.details(),
            Self::Vault(inner) => inner.details(),
            Self::NotYetValid { created_at, now } => object(&[
                ("createdAt", seconds_to_js(*created_at).into()),
                ("now", seconds_to_js(*now).into()),
            ]),
            Self::Expired { expires_at, now } | Self::MessageExpired { expires_at, now } => {
                object(&[
                    ("expiresAt", seconds_to_js(*expires_at).into()),
                    ("now", seconds_to_js(*now).into()),
                ])
            }
            Self::SenderCardNotYetValid {
                device_id,
                created_at,
                at: now,
            }
            | Self::RecipientCardNotYetValid {
                device_id,
                created_at,
                now,
            } => object(&[
                ("deviceId", uint8array(device_id.as_bytes())),
                ("createdAt", seconds_to_js(*created_at).into()),
                ("now", seconds_to_js(*now).into()),
            ]),
            Self::SenderCardExpired {
                device_id,
                expires_at,
                at,
            }
            | Self::RecipientCardExpired {
                device_id,
                expires_at,
                now: at,
            } => object(&[
                ("deviceId", uint8array(device_id.as_bytes())),
                ("expiresAt", seconds_to_js(*expires_at).into()),
                ("at", seconds_to_js(*at).into()),
            ]),
            Self::Revoked { device_id }
            | Self::UnknownSender { device_id }
            | Self::SupersededCard { device_id } => {
                object(&[("deviceId", uint8array(device_id.as_bytes()))])
            }
            _ => JsValue::UNDEFINED,
        }
    }
}

/// This device's identity keys (X25519 for receiving, Ed25519 for signing). They live
/// only in WASM memory and are wiped by `free()`; store them only wrapped in the vault
/// (`wrapInVault`).
#[wasm_bindgen]
pub struct DeviceKeys {
    inner: identity::DeviceKeys,
}

#[wasm_bindgen]
impl DeviceKeys {
    /// Fresh device keys with a new random device id.
    pub fn generate() -> DeviceKeys {
        DeviceKeys {
            inner: identity::DeviceKeys::generate(&mut careguard::envelope::os_rng()),
        }
    }

    /// New keys for the same device id. Issue the next card with these keys and
    /// `{ previous: oldKeys }`, wrap the new keys in the vault, then free the old ones.
    pub fn rotate(&self) -> DeviceKeys {
        DeviceKeys {
            inner: self.inner.rotate(&mut careguard::envelope::os_rng()),
        }
    }

    /// The 16-byte device id.
    #[wasm_bindgen(getter, js_name = deviceId)]
    pub fn device_id(&self) -> Vec<u8> {
        self.inner.device_id().as_bytes().to_vec()
    }

    /// Wraps the keys under the vault's master key (so a wipe destroys them); store
    /// the bytes. Throws `vault_locked` after `vault.lock()`.
    #[wasm_bindgen(js_name = wrapInVault)]
    pub fn wrap_in_vault(&self, vault: &Vault) -> Result<Vec<u8>, JsValue> {
        const OP: &str = "DeviceKeys.wrapInVault";
        self.inner
            .wrap_in_vault(vault.unlocked(OP)?, &mut careguard::envelope::os_rng())
            .js(OP)
    }

    /// Unwraps keys stored by `wrapInVault`. Throws `vault_locked`, `tampered` (another
    /// vault or altered bytes), `truncated` or `malformed`.
    #[wasm_bindgen(js_name = unwrapFromVault)]
    pub fn unwrap_from_vault(
        vault: &Vault,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] wrapped: JsValue,
    ) -> Result<DeviceKeys, JsValue> {
        const OP: &str = "DeviceKeys.unwrapFromVault";
        let wrapped = bytes(OP, "wrapped", &wrapped)?;
        let inner =
            identity::DeviceKeys::unwrap_from_vault(vault.unlocked(OP)?, &wrapped).js(OP)?;
        Ok(DeviceKeys { inner })
    }

    /// Issues this device's card, signed by its key, valid from `createdAt` until
    /// `expiresAt` (Unix seconds), for `staffId` (1 to 128 bytes of UTF-8, e.g. an
    /// NHSmail address) and `displayName` (at most 128 bytes). Publish the bytes.
    /// After `rotate()`, use `issueRotatedCard`. With `organisationSeed`
    /// (the organisation's 32-byte Ed25519 seed) the card is also attested: that is for
    /// the organisation's enrolment service and tests, never for an app.
    /// Throws `invalid_argument`, `too_large` or `invalid_length` (seed).
    #[wasm_bindgen(js_name = issueCard)]
    pub fn issue_card(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] staff_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] display_name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] created_at: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] expires_at: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Uint8Array | null")]
        organisation_seed: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let created_at = number("DeviceKeys.issueCard", "createdAt", &created_at)?;
        let expires_at = number("DeviceKeys.issueCard", "expiresAt", &expires_at)?;
        self.issue(
            "DeviceKeys.issueCard",
            None,
            &staff_id,
            &display_name,
            created_at,
            expires_at,
            &organisation_seed,
        )
    }

    /// As `issueCard`, for keys made by `previous.rotate()`: the card is also signed by
    /// the `previous` keys, so contacts see a rotation, not a key change.
    #[wasm_bindgen(js_name = issueRotatedCard)]
    pub fn issue_rotated_card(
        &self,
        previous: &DeviceKeys,
        #[wasm_bindgen(unchecked_param_type = "string")] staff_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] display_name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] created_at: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] expires_at: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Uint8Array | null")]
        organisation_seed: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let created_at = number("DeviceKeys.issueRotatedCard", "createdAt", &created_at)?;
        let expires_at = number("DeviceKeys.issueRotatedCard", "expiresAt", &expires_at)?;
        self.issue(
            "DeviceKeys.issueRotatedCard",
            Some(previous),
            &staff_id,
            &display_name,
            created_at,
            expires_at,
            &organisation_seed,
        )
    }
}

impl DeviceKeys {
    #[allow(clippy::too_many_arguments)]
    fn issue(
        &self,
        operation: &'static str,
        previous: Option<&DeviceKeys>,
        staff_id: &JsValue,
        display_name: &JsValue,
        created_at: f64,
        expires_at: f64,
        organisation_seed: &JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let op = operation;
        let staff_id = text(op, "staffId", staff_id)?;
        let display_name = text(op, "displayName", display_name)?;
        let (staff_id, display_name) = (staff_id.as_str(), display_name.as_str());
        let created_at = unix_seconds(op, "createdAt", created_at)?;
        let expires_at = unix_seconds(op, "expiresAt", expires_at)?;
        let organisation = opt_bytes(op, "organisationSeed", organisation_seed)?
            .map(|seed| organisation_key(op, "organisationSeed", seed))
            .transpose()?;
        let mut card = match previous {
            None => self
                .inner
                .issue_card(staff_id, display_name, created_at, expires_at),
            Some(prev) => self.inner.issue_rotated_card(
                &prev.inner,
                staff_id,
                display_name,
                created_at,
                expires_at,
            ),
        }
        .js(op)?;
        if let Some(org) = &organisation {
            card = card.attest(org);
        }
        Ok(card.to_bytes())
    }
}

/// An organisation Ed25519 key from a 32-byte seed; the copy in WASM memory is wiped.
fn organisation_key(
    operation: &'static str,
    name: &str,
    seed: Vec<u8>,
) -> Result<OrganisationKey, JsValue> {
    let seed = secret_key(operation, name, seed)?;
    Ok(OrganisationKey::from_secret_bytes(seed.expose_secret()))
}

/// The organisation's Ed25519 public key (32 bytes) for its 32-byte seed, for
/// `verifyCard`'s `organisationKeys`. For enrolment services and tests.
#[wasm_bindgen(js_name = organisationPublicKey)]
pub fn organisation_public_key(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] seed: JsValue,
) -> Result<Vec<u8>, JsValue> {
    const OP: &str = "organisationPublicKey";
    Ok(organisation_key(OP, "seed", bytes(OP, "seed", &seed)?)?
        .public_key()
        .to_bytes()
        .to_vec())
}

/// Organisation side: signs a revocation list of 16-byte device ids as of `issuedAt`
/// (Unix seconds) with the organisation's 32-byte seed. For enrolment services and
/// tests, never for an app. Throws `invalid_length` or `invalid_argument`.
#[wasm_bindgen(js_name = signRevocationList)]
pub fn sign_revocation_list(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] organisation_seed: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array[]")] device_ids: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] issued_at: JsValue,
) -> Result<Vec<u8>, JsValue> {
    const OP: &str = "signRevocationList";
    let issued_at = number(OP, "issuedAt", &issued_at)?;
    let issued_at = unix_seconds(OP, "issuedAt", issued_at)?;
    let org = organisation_key(
        OP,
        "organisationSeed",
        bytes(OP, "organisationSeed", &organisation_seed)?,
    )?;
    let ids = byte_arrays(OP, "deviceIds", &device_ids)?
        .into_iter()
        .map(|id| {
            <[u8; DEVICE_ID_LEN]>::try_from(id.as_slice())
                .map(DeviceId::from_bytes)
                .map_err(|_| -> JsValue {
                    Failure::new(
                        "invalid_length",
                        OP,
                        format!(
                            "a device id must be {DEVICE_ID_LEN} bytes, got {}",
                            id.len()
                        ),
                    )
                    .into()
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RevocationList::sign(&org, issued_at, &ids)
        .js(OP)?
        .to_bytes()
        .to_vec())
}

/// An array of `Uint8Array`s.
fn byte_arrays(
    operation: &'static str,
    name: &str,
    value: &JsValue,
) -> Result<Vec<Vec<u8>>, JsValue> {
    let not_list = || -> JsValue {
        Failure::new(
            "invalid_argument",
            operation,
            format!("{name} must be an array of Uint8Array"),
        )
        .into()
    };
    let list = value.dyn_ref::<Array>().ok_or_else(not_list)?;
    list.iter()
        .map(|v| {
            v.dyn_ref::<js_sys::Uint8Array>()
                .map(js_sys::Uint8Array::to_vec)
                .ok_or_else(not_list)
        })
        .collect()
}

/// A device card whose signatures, validity and revocation status `verifyCard` checked.
#[wasm_bindgen]
#[derive(Clone)]
pub struct VerifiedCard {
    inner: CoreVerifiedCard,
}

#[wasm_bindgen]
impl VerifiedCard {
    /// The staff identifier (an NHSmail address or registration number).
    #[wasm_bindgen(getter, js_name = staffId)]
    pub fn staff_id(&self) -> String {
        self.inner.card().staff_id().to_owned()
    }

    /// The display name.
    #[wasm_bindgen(getter, js_name = displayName)]
    pub fn display_name(&self) -> String {
        self.inner.card().display_name().to_owned()
    }

    /// The 16-byte device id.
    #[wasm_bindgen(getter, js_name = deviceId)]
    pub fn device_id(&self) -> Vec<u8> {
        self.inner.card().device_id().as_bytes().to_vec()
    }

    /// Valid from (Unix seconds).
    #[wasm_bindgen(getter, js_name = createdAt)]
    pub fn created_at(&self) -> f64 {
        seconds_to_js(self.inner.card().created_at())
    }

    /// Valid until (Unix seconds, exclusive).
    #[wasm_bindgen(getter, js_name = expiresAt)]
    pub fn expires_at(&self) -> f64 {
        seconds_to_js(self.inner.card().expires_at())
    }

    /// Whether a trusted organisation key attested it.
    #[wasm_bindgen(getter)]
    pub fn attested(&self) -> bool {
        self.inner.is_attested()
    }

    /// The card's bytes (to store with the contact).
    #[wasm_bindgen(getter)]
    pub fn bytes(&self) -> Vec<u8> {
        self.inner.card().to_bytes()
    }
}

/// The card-checking policy from `TrustOptions` (`verifyCard`, `reviewGroup`).
pub(crate) fn trust_policy(
    operation: &'static str,
    trust: &JsValue,
) -> Result<TrustPolicy, JsValue> {
    options_object(operation, "trust", trust)?;
    let keys = get(trust, "organisationKeys");
    let keys = if absent(&keys) {
        Vec::new()
    } else {
        byte_arrays(operation, "trust.organisationKeys", &keys)?
    };
    let mut orgs = Vec::with_capacity(keys.len());
    for key in &keys {
        let key = <[u8; 32]>::try_from(key.as_slice()).map_err(|_| -> JsValue {
            Failure::new(
                "invalid_length",
                operation,
                format!("an organisation key must be 32 bytes, got {}", key.len()),
            )
            .into()
        })?;
        orgs.push(OrganisationPublicKey::from_bytes(&key).js(operation)?);
    }
    let required = opt_bool(operation, trust, "requireAttestation")?.unwrap_or(false);
    let mut policy = TrustPolicy::new().require_attestation(required);
    for org in &orgs {
        policy = policy.with_organisation(*org);
    }
    let list = get(trust, "revocationList");
    if !absent(&list) {
        let list = list
            .dyn_ref::<js_sys::Uint8Array>()
            .ok_or_else(|| -> JsValue {
                Failure::new(
                    "invalid_argument",
                    operation,
                    "trust.revocationList must be a Uint8Array",
                )
                .into()
            })?;
        policy =
            policy.with_revocations(RevocationList::verify(&list.to_vec(), &orgs).js(operation)?);
    }
    Ok(policy)
}

/// Parses and verifies a device card at `now` (Unix seconds): the device signature,
/// the validity period, the attestation against `trust.organisationKeys` (required
/// with `trust.requireAttestation`) and, with `trust.revocationList`, that the device
/// is not revoked by a list signed by one of those keys. Throws
/// `bad_device_signature`, `bad_attestation`, `not_attested`, `revoked`,
/// `bad_revocation_signature`, `not_yet_valid`, `expired`, format errors, or
/// `invalid_length` / `invalid_argument` for an organisation key.
#[wasm_bindgen(js_name = verifyCard)]
pub fn verify_card(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] card: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TrustOptions | undefined")] trust: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] now: JsValue,
) -> Result<VerifiedCard, JsValue> {
    const OP: &str = "verifyCard";
    let now = number(OP, "now", &now)?;
    let card = bytes(OP, "card", &card)?;
    let card = card.as_slice();
    let now = unix_seconds(OP, "now", now)?;
    let policy = trust_policy(OP, &trust)?;
    let inner = DeviceCard::parse(card)
        .js(OP)?
        .verify(&policy, now)
        .js(OP)?;
    Ok(VerifiedCard { inner })
}

fn trust_to_js(trust: RecipientTrust) -> JsValue {
    object(&[
        ("verification", trust.verification.as_str().into()),
        ("keyChanged", trust.key_changed.into()),
    ])
}

/// A stored contact's state for the send policy (`PolicyContext.recipients`): its
/// verified card plus the two flags the app persists for it.
#[wasm_bindgen(js_name = contactTrust, unchecked_return_type = "RecipientTrust")]
pub fn contact_trust(
    card: &VerifiedCard,
    #[wasm_bindgen(unchecked_param_type = "boolean")] verified_in_person: JsValue,
    #[wasm_bindgen(unchecked_param_type = "boolean")] key_changed: JsValue,
) -> Result<JsValue, JsValue> {
    const OP: &str = "contactTrust";
    let verified_in_person = boolean(OP, "verifiedInPerson", &verified_in_person)?;
    let key_changed = boolean(OP, "keyChanged", &key_changed)?;
    Ok(trust_to_js(
        Contact::restore(card.inner.clone(), verified_in_person, key_changed).trust(),
    ))
}

/// Takes a newly fetched (verified) card for a stored contact (`current` with its
/// persisted `flags`) and says what changed, with the flags to persist from now on
/// (keep `newCard` as the contact's card). A key change without a rotation signature
/// drops "verified in person" and sets `keyChanged`: warn the user. Throws
/// `invalid_argument` for a card of another staff identifier.
#[wasm_bindgen(js_name = contactObserve, unchecked_return_type = "ContactObservation")]
pub fn contact_observe(
    current: &VerifiedCard,
    new_card: &VerifiedCard,
    #[wasm_bindgen(unchecked_param_type = "ContactFlags")] flags: JsValue,
) -> Result<JsValue, JsValue> {
    const OP: &str = "contactObserve";
    options_object(OP, "flags", &flags)?;
    let flag = |name: &'static str| -> Result<bool, JsValue> {
        opt_bool(OP, &flags, name)?.ok_or_else(|| -> JsValue {
            Failure::new("invalid_argument", OP, format!("flags.{name} is required")).into()
        })
    };
    let mut contact = Contact::restore(
        current.inner.clone(),
        flag("verifiedInPerson")?,
        flag("keyChanged")?,
    );
    let change = match contact.observe(new_card.inner.clone()).js(OP)? {
        CardChange::Unchanged => "unchanged",
        CardChange::Rotated => "rotated",
        CardChange::KeyChanged { .. } => "key_changed",
        _ => return Err(Failure::new("internal", OP, "unknown card change").into()),
    };
    Ok(object(&[
        ("change", change.into()),
        ("verifiedInPerson", contact.verified_in_person().into()),
        ("keyChanged", contact.key_changed().into()),
    ]))
}

fn safety(
    operation: &'static str,
    local: &VerifiedCard,
    remote: &VerifiedCard,
) -> Result<SafetyNumber, JsValue> {
    let local = SafetyParty::from_cards(&[&local.inner]).js(operation)?;
    let remote = SafetyParty::from_cards(&[&remote.inner]).js(operation)?;
    Ok(SafetyNumber::compute(&local, &remote))
}

/// The safety number between this user's card (`local`) and a contact's (`remote`):
/// both people see the same digits; any key change changes them.
#[wasm_bindgen(js_name = safetyNumber, unchecked_return_type = "SafetyNumberResult")]
pub fn safety_number(local: &VerifiedCard, remote: &VerifiedCard) -> Result<JsValue, JsValue> {
    let number = safety("safetyNumber", local, remote)?;
    Ok(object(&[
        ("digits", number.digits().into()),
        ("groups", number.display_groups().into()),
        ("qr", uint8array(&number.qr_payload())),
    ]))
}

/// Whether a QR payload scanned from the contact's screen matches the safety number
/// between `local` and `remote`; false means the keys differ (do not mark the contact
/// verified). Throws `malformed` for a payload that is not a careguard safety number.
#[wasm_bindgen(js_name = safetyNumberMatchesScanned)]
pub fn safety_number_matches_scanned(
    local: &VerifiedCard,
    remote: &VerifiedCard,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] scanned: JsValue,
) -> Result<bool, JsValue> {
    const OP: &str = "safetyNumberMatchesScanned";
    let scanned = bytes(OP, "scanned", &scanned)?;
    safety(OP, local, remote)?.matches_scanned(&scanned).js(OP)
}

/// A list of verified cards (recipients for `identitySeal`, known senders for
/// `identityOpen`). `add` copies the card, so the caller keeps its own.
#[wasm_bindgen]
#[derive(Default)]
pub struct CardList {
    cards: Vec<CoreVerifiedCard>,
}

#[wasm_bindgen]
impl CardList {
    /// An empty list.
    #[wasm_bindgen(constructor)]
    pub fn new() -> CardList {
        CardList::default()
    }

    /// Adds a copy of `card`.
    pub fn add(&mut self, card: &VerifiedCard) {
        self.cards.push(card.inner.clone());
    }

    /// How many cards the list holds.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.cards.len()
    }
}

/// Seals `payload` (bytes, or a string sealed as UTF-8) end to end: an HPKE stanza for
/// each card in `recipients` and a signature by `sender`. Binding, options and `now` as
/// for `envelopeSeal`. Throws `invalid_argument` (no recipients, bad options) or
/// `too_large`.
#[wasm_bindgen(js_name = identitySeal)]
pub fn identity_seal(
    sender: &DeviceKeys,
    recipients: &CardList,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] payload: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EnvelopeBinding | undefined")] binding: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SealOptions | undefined")] options: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] now: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let now = number("identitySeal", "now", &now)?;
    seal(
        "identitySeal",
        sender,
        recipients,
        None,
        &payload,
        &binding,
        &options,
        now,
    )
}

/// As `identitySeal`, plus a copy the sender can reopen with its own key ring
/// (`identityOpenOwnCopy`), sealed under the ring's sealing key.
#[wasm_bindgen(js_name = identitySealKeepingCopy)]
pub fn identity_seal_keeping_copy(
    sender: &DeviceKeys,
    recipients: &CardList,
    own_key_ring: &KeyRing,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] payload: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EnvelopeBinding | undefined")] binding: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SealOptions | undefined")] options: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] now: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let now = number("identitySealKeepingCopy", "now", &now)?;
    seal(
        "identitySealKeepingCopy",
        sender,
        recipients,
        Some(own_key_ring),
        &payload,
        &binding,
        &options,
        now,
    )
}

#[allow(clippy::too_many_arguments)]
fn seal(
    op: &'static str,
    sender: &DeviceKeys,
    recipients: &CardList,
    own_key_ring: Option<&KeyRing>,
    payload: &JsValue,
    binding: &JsValue,
    options: &JsValue,
    now: f64,
) -> Result<Vec<u8>, JsValue> {
    let now = unix_seconds(op, "now", now)?;
    let payload = Zeroizing::new(bytes_or_text(op, "payload", payload)?);
    let (conversation, sender_id) = binding_fields(op, binding)?;
    let ctx = SealContext {
        binding: Binding::new(&conversation, &sender_id),
        options: seal_options(op, options)?,
        now: UnixSeconds(now),
    };
    let mut sealer = Sealer::new(&sender.inner);
    for card in &recipients.cards {
        sealer = sealer.to(card);
    }
    if let Some(ring) = own_key_ring {
        sealer = sealer.also_to(ring.core());
    }
    sealer
        .seal(&payload, &ctx, &mut careguard::envelope::os_rng())
        .js(op)
}

/// Opens an end-to-end envelope with this device's keys `me` and checks the sender's
/// signature against the cards in `senders`. Throws `expired` (nothing decrypted),
/// `not_a_recipient`, `unknown_sender`, `bad_sender_signature`, `tampered`,
/// `wrong_binding` or format errors.
#[wasm_bindgen(js_name = identityOpen, unchecked_return_type = "OpenedSigned")]
pub fn identity_open(
    me: &DeviceKeys,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] sealed: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EnvelopeBinding | undefined")] binding: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] now: JsValue,
    senders: &CardList,
) -> Result<JsValue, JsValue> {
    let now = number("identityOpen", "now", &now)?;
    open("identityOpen", me, None, &sealed, &binding, now, senders)
}

/// As `identityOpen`, also trying `ownKeyRing` (for the sender's own copy, sealed by
/// `identitySealKeepingCopy`) when `me` is not a recipient.
#[wasm_bindgen(js_name = identityOpenOwnCopy, unchecked_return_type = "OpenedSigned")]
pub fn identity_open_own_copy(
    me: &DeviceKeys,
    own_key_ring: &KeyRing,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] sealed: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EnvelopeBinding | undefined")] binding: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] now: JsValue,
    senders: &CardList,
) -> Result<JsValue, JsValue> {
    let now = number("identityOpenOwnCopy", "now", &now)?;
    open(
        "identityOpenOwnCopy",
        me,
        Some(own_key_ring),
        &sealed,
        &binding,
        now,
        senders,
    )
}

fn open(
    operation: &'static str,
    me: &DeviceKeys,
    own_key_ring: Option<&KeyRing>,
    sealed: &JsValue,
    binding: &JsValue,
    now: f64,
    senders: &CardList,
) -> Result<JsValue, JsValue> {
    let op = operation;
    let sealed = bytes(op, "sealed", sealed)?;
    let sealed = sealed.as_slice();
    let now = unix_seconds(op, "now", now)?;
    let (conversation, sender_id) = binding_fields(op, binding)?;
    let also: Vec<&dyn Identity> = match own_key_ring {
        Some(ring) => vec![ring.core()],
        None => Vec::new(),
    };
    let known: Vec<&CoreVerifiedCard> = senders.cards.iter().collect();
    let opened = identity::open_signed(
        &me.inner,
        &also,
        sealed,
        &Binding::new(&conversation, &sender_id),
        UnixSeconds(now),
        &known,
    )
    .js(op)?;
    let sender = VerifiedCard {
        inner: opened.sender().clone(),
    };
    Ok(object(&[
        ("payload", uint8array(opened.payload())),
        ("header", header_to_js(opened.header())),
        ("sender", sender.into()),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::CODES;

    #[test]
    fn identity_errors_have_the_c_abi_codes() {
        let id = DeviceId::from_bytes([1; DEVICE_ID_LEN]);
        let cases = [
            (
                IdentityError::Decode(careguard::DecodeError::BadMagic { what: "card" }),
                "malformed",
            ),
            (IdentityError::BadDeviceSignature, "bad_device_signature"),
            (IdentityError::BadRotationSignature, "bad_device_signature"),
            (IdentityError::BadAttestation, "bad_attestation"),
            (IdentityError::NotAttested, "not_attested"),
            (
                IdentityError::BadRevocationSignature,
                "bad_revocation_signature",
            ),
            (IdentityError::Revoked { device_id: id }, "revoked"),
            (
                IdentityError::NotYetValid {
                    created_at: 2,
                    now: 1,
                },
                "not_yet_valid",
            ),
            (
                IdentityError::MessageExpired {
                    expires_at: 1,
                    now: 2,
                },
                "expired",
            ),
            (IdentityError::HpkeOpen, "not_a_recipient"),
            (IdentityError::NotARecipient, "not_a_recipient"),
            (
                IdentityError::UnknownSender { device_id: id },
                "unknown_sender",
            ),
            (IdentityError::BadSenderSignature, "bad_sender_signature"),
            (
                IdentityError::StanzaCountMismatch {
                    signed: 1,
                    found: 2,
                },
                "tampered",
            ),
            (IdentityError::BadQrPayload, "malformed"),
            (
                IdentityError::SenderCardExpired {
                    device_id: id,
                    expires_at: 1,
                    at: 2,
                },
                "expired",
            ),
            (
                IdentityError::RecipientCardNotYetValid {
                    device_id: id,
                    created_at: 2_000,
                    now: 1,
                },
                "not_yet_valid",
            ),
            (
                IdentityError::SupersededCard { device_id: id },
                "superseded_card",
            ),
            (
                IdentityError::Envelope(careguard::envelope::Error::WrongBinding),
                "wrong_binding",
            ),
        ];
        for (err, code) in cases {
            assert_eq!(err.js_code(), code, "{err}");
            assert!(
                CODES.iter().any(|c| c.as_str() == code),
                "{code} missing from CODES"
            );
        }
    }
}
