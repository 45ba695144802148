//! Device identity keys, signed device cards, safety numbers and signed end-to-end
//! envelopes (`careguard::identity`).

use core::ffi::c_char;
use std::ffi::CString;

use careguard::envelope::{Binding, Identity};
use careguard::identity::{
    self, CardChange, Contact, DEVICE_ID_LEN, DeviceCard, DeviceId, DeviceKeys, OrganisationKey,
    OrganisationPublicKey, RecipientTrust, RevocationList, SafetyNumber, SafetyParty, Sealer,
    TrustPolicy, Verification, VerifiedCard,
};
use careguard::{SealContext, UnixSeconds};

use crate::args::{bytes_arg, c_string, free_handle, handle_arg, into_handle, key_arg, str_arg};
use crate::buffer::{CgBytes, bytes_out, out_arg};
use crate::envelope::{CgEnvelopeInfo, CgKeyring, CgSealOptions, envelope_info};
use crate::error::{FfiError, FfiResult, guard};
use crate::status::CgStatus;
use crate::vault::{CgVault, vault_arg};

/// This device's identity keys (X25519 for receiving, Ed25519 for signing).
/// Made by `cg_device_keys_generate` or `cg_device_keys_unwrap_from_vault`, released
/// (and wiped) by `cg_device_keys_free`. Store them only wrapped in the vault.
///
/// Thread safety: immutable; may be shared between threads.
pub struct CgDeviceKeys {
    keys: DeviceKeys,
}

/// A device card whose signatures, validity and revocation status were checked by
/// `cg_card_verify`. Released by `cg_verified_card_free`.
///
/// Thread safety: immutable; may be shared between threads.
pub struct CgVerifiedCard {
    card: VerifiedCard,
    staff_id: CString,
    display_name: CString,
}

/// What a verified card says; the strings are borrowed from the `cg_verified_card`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CgCardInfo {
    /// The staff identifier (an NHSmail address or registration number).
    pub staff_id: *const c_char,
    /// The display name.
    pub display_name: *const c_char,
    /// The device id.
    pub device_id: [u8; CG_DEVICE_ID_LEN],
    /// Valid from (Unix seconds).
    pub created_at: u64,
    /// Valid until (Unix seconds, exclusive).
    pub expires_at: u64,
    /// Whether a trusted organisation key attested it.
    pub attested: bool,
}

/// Length of a device id (`careguard::identity::DEVICE_ID_LEN`; a test checks they agree).
pub const CG_DEVICE_ID_LEN: usize = 16;

/// How far the user can trust a contact's keys.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CgVerification {
    /// Nobody vouched for the keys.
    Unverified = 0,
    /// A trusted organisation key attested the contact's card.
    AttestedByOrganisation = 1,
    /// The two people compared safety numbers or scanned each other's QR code.
    VerifiedInPerson = 2,
}

/// A recipient's verification state, for `cg_policy_context.recipients`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CgRecipientTrust {
    /// A `cg_verification` value.
    pub verification: u32,
    /// Whether the recipient's key changed since it was verified (or first seen).
    pub key_changed: bool,
}

/// What `cg_contact_observe` found when a new card arrived for a contact.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CgCardChange {
    /// Same keys (a renewed or re-attested card); verification is kept.
    Unchanged = 0,
    /// New keys signed by the previous key; verification is kept.
    Rotated = 1,
    /// New keys without a signature from the old key: "verified in person" is dropped;
    /// tell the user, who should compare safety numbers again.
    KeyChanged = 2,
}

/// A `cg_verification` value as the core's verification level.
pub(crate) fn verification(value: u32) -> FfiResult<Verification> {
    Ok(match value {
        v if v == CgVerification::Unverified as u32 => Verification::Unverified,
        v if v == CgVerification::AttestedByOrganisation as u32 => {
            Verification::AttestedByOrganisation
        }
        v if v == CgVerification::VerifiedInPerson as u32 => Verification::VerifiedInPerson,
        other => {
            return Err(FfiError::new(
                CgStatus::InvalidArgument,
                format!("unknown verification level {other}"),
            ));
        }
    })
}

pub(crate) fn recipient_trust(t: &CgRecipientTrust) -> FfiResult<RecipientTrust> {
    Ok(RecipientTrust {
        verification: verification(t.verification)?,
        key_changed: t.key_changed,
    })
}

fn to_c_trust(t: RecipientTrust) -> FfiResult<CgRecipientTrust> {
    let verification = match t.verification {
        Verification::Unverified => CgVerification::Unverified,
        Verification::AttestedByOrganisation => CgVerification::AttestedByOrganisation,
        Verification::VerifiedInPerson => CgVerification::VerifiedInPerson,
        _ => {
            return Err(FfiError::new(
                CgStatus::Internal,
                "unknown verification level",
            ));
        }
    };
    Ok(CgRecipientTrust {
        verification: verification as u32,
        key_changed: t.key_changed,
    })
}

/// # Safety
/// `ptr` is NULL or a live device-keys handle.
pub(crate) unsafe fn keys_arg<'a>(
    ptr: *const CgDeviceKeys,
    name: &str,
) -> FfiResult<&'a DeviceKeys> {
    // SAFETY: forwarded caller guarantee.
    unsafe { handle_arg(ptr, name) }.map(|k| &k.keys)
}

/// # Safety
/// `ptr` is NULL or a live verified-card handle.
unsafe fn card_arg<'a>(ptr: *const CgVerifiedCard, name: &str) -> FfiResult<&'a VerifiedCard> {
    // SAFETY: forwarded caller guarantee.
    unsafe { handle_arg(ptr, name) }.map(|c| &c.card)
}

/// An array of `count` verified-card handles, none NULL.
///
/// # Safety
/// `cards` is readable for `count` pointers (or NULL with 0), each NULL or live.
unsafe fn cards_arg<'a>(
    cards: *const *const CgVerifiedCard,
    count: usize,
    name: &str,
) -> FfiResult<Vec<&'a VerifiedCard>> {
    let size = count
        .checked_mul(size_of::<*const CgVerifiedCard>())
        .ok_or_else(|| FfiError::new(CgStatus::TooLarge, format!("`{name}`: too many cards")))?;
    // SAFETY: forwarded caller guarantee; checks NULL and the byte size.
    let bytes = unsafe { bytes_arg(cards.cast::<u8>(), size, name) }?;
    if bytes.is_empty() {
        return Ok(Vec::new());
    }
    if !cards.is_aligned() {
        return Err(FfiError::new(
            CgStatus::InvalidArgument,
            format!("`{name}` is misaligned"),
        ));
    }
    // SAFETY: non-NULL, aligned, and the caller guarantees `count` readable pointers.
    let pointers = unsafe { core::slice::from_raw_parts(cards, count) };
    pointers
        .iter()
        // SAFETY: the caller guarantees each pointer is NULL or a live handle.
        .map(|p| unsafe { card_arg(*p, name) })
        .collect()
}

/// # Safety
/// A non-NULL `ptr` is a live key ring.
unsafe fn optional_ring<'a>(ptr: *const CgKeyring) -> FfiResult<Option<&'a CgKeyring>> {
    // SAFETY: forwarded caller guarantee.
    Ok(unsafe { ptr.as_ref() })
}

/// The card-checking policy from C arguments: zero or more 32-byte organisation keys
/// concatenated, whether attestation is required, and a signed revocation list (empty for
/// none). Shared by `cg_card_verify` and `cg_group_review`.
pub(crate) fn trust_policy(
    keys: &[u8],
    require_attestation: bool,
    revocations: &[u8],
) -> FfiResult<TrustPolicy> {
    if keys.len() % 32 != 0 {
        return Err(FfiError::new(
            CgStatus::InvalidLength,
            format!(
                "`org_public_keys` must be a multiple of 32 bytes, got {}",
                keys.len()
            ),
        ));
    }
    let mut orgs = Vec::with_capacity(keys.len() / 32);
    for chunk in keys.chunks_exact(32) {
        let mut key = [0u8; 32];
        key.copy_from_slice(chunk);
        orgs.push(OrganisationPublicKey::from_bytes(&key)?);
    }
    let mut policy = TrustPolicy::new().require_attestation(require_attestation);
    for org in &orgs {
        policy = policy.with_organisation(*org);
    }
    if !revocations.is_empty() {
        policy = policy.with_revocations(RevocationList::verify(revocations, &orgs)?);
    }
    Ok(policy)
}

/// Generates fresh device keys with a new random device id into `*out`.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_device_keys_generate(out: *mut *mut CgDeviceKeys) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantee.
        let out = unsafe { out_arg(out, "out") }?;
        let keys = DeviceKeys::generate(&mut rand_core::UnwrapErr(getrandom::SysRng));
        out.write(into_handle(CgDeviceKeys { keys }));
        Ok(())
    })
}

/// Wraps the keys under the vault's master key (so a wipe destroys them) into `out`;
/// store those bytes. Counts as vault activity at `now`.
///
/// Errors: `CG_STATUS_VAULT_LOCKED`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `keys` and `vault` are NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_device_keys_wrap_in_vault(
    keys: *const CgDeviceKeys,
    vault: *const CgVault,
    now: u64,
    out: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, keys, vault) = unsafe {
            (
                bytes_out(out, "out")?,
                keys_arg(keys, "keys")?,
                vault_arg(vault)?,
            )
        };
        let mut session = vault.lock()?;
        let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
        let wrapped = keys.wrap_in_vault(session.vault(now)?, &mut rng)?;
        out.write(CgBytes::copy_from(&wrapped));
        Ok(())
    })
}

/// Unwraps keys stored by `cg_device_keys_wrap_in_vault` into `*out`. Counts as vault
/// activity at `now`.
///
/// Errors: `CG_STATUS_VAULT_LOCKED`, `CG_STATUS_TAMPERED` (other vault or altered),
/// `CG_STATUS_TRUNCATED`, `CG_STATUS_MALFORMED`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `vault` is NULL or live; `wrapped` is readable for `wrapped_len` bytes (or NULL with
/// 0); `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_device_keys_unwrap_from_vault(
    vault: *const CgVault,
    wrapped: *const u8,
    wrapped_len: usize,
    now: u64,
    out: *mut *mut CgDeviceKeys,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, vault, wrapped) = unsafe {
            (
                out_arg(out, "out")?,
                vault_arg(vault)?,
                bytes_arg(wrapped, wrapped_len, "wrapped")?,
            )
        };
        out.write(core::ptr::null_mut());
        let mut session = vault.lock()?;
        let keys = DeviceKeys::unwrap_from_vault(session.vault(now)?, wrapped)?;
        out.write(into_handle(CgDeviceKeys { keys }));
        Ok(())
    })
}

/// Issues this device's card, signed by its key, valid from `created_at` until
/// `expires_at`, for `staff_id` (1 to 128 bytes UTF-8) and `display_name` (at most 128).
/// After `cg_device_keys_rotate`, pass the old keys as `previous` (NULL otherwise): the
/// card is then also signed by them, so contacts see a rotation, not a key change.
/// With `org_seed` (the organisation's 32-byte Ed25519 seed; NULL with 0 for none) the
/// card is also attested: that is for the organisation's enrolment service and tests,
/// never for an app. Publish the bytes in `out`.
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT`, `CG_STATUS_TOO_LARGE`, `CG_STATUS_INVALID_UTF8`,
/// `CG_STATUS_INVALID_LENGTH`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `keys` is NULL or live; `previous` is NULL or live; buffers are readable for their
/// lengths (or NULL with 0); `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_device_keys_issue_card(
    keys: *const CgDeviceKeys,
    previous: *const CgDeviceKeys,
    staff_id: *const c_char,
    staff_id_len: usize,
    display_name: *const c_char,
    display_name_len: usize,
    created_at: u64,
    expires_at: u64,
    org_seed: *const u8,
    org_seed_len: usize,
    out: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, keys, staff_id, display_name) = unsafe {
            (
                bytes_out(out, "out")?,
                keys_arg(keys, "keys")?,
                str_arg(staff_id, staff_id_len, "staff_id")?,
                str_arg(display_name, display_name_len, "display_name")?,
            )
        };
        let org = if org_seed.is_null() && org_seed_len == 0 {
            None
        } else {
            // SAFETY: caller guarantee.
            let seed = unsafe { key_arg(org_seed, org_seed_len, "org_seed") }?;
            Some(OrganisationKey::from_secret_bytes(seed.expose_secret()))
        };
        // SAFETY: caller guarantee: NULL or a live handle.
        let mut card = match unsafe { previous.as_ref() } {
            None => keys.issue_card(staff_id, display_name, created_at, expires_at)?,
            Some(prev) => {
                keys.issue_rotated_card(&prev.keys, staff_id, display_name, created_at, expires_at)?
            }
        };
        if let Some(org) = &org {
            card = card.attest(org);
        }
        out.write(CgBytes::copy_from(&card.to_bytes()));
        Ok(())
    })
}

/// New keys for the same device id into `*out`. Issue the next card with the old keys
/// as `previous`, wrap the new keys in the vault, then free the old ones.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `keys` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_device_keys_rotate(
    keys: *const CgDeviceKeys,
    out: *mut *mut CgDeviceKeys,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, keys) = unsafe { (out_arg(out, "out")?, keys_arg(keys, "keys")?) };
        let rotated = keys.rotate(&mut rand_core::UnwrapErr(getrandom::SysRng));
        out.write(into_handle(CgDeviceKeys { keys: rotated }));
        Ok(())
    })
}

/// Releases (and wipes) device keys. Accepts NULL.
///
/// # Safety
/// `keys` is NULL or a live handle no other thread is using; freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_device_keys_free(keys: *mut CgDeviceKeys) {
    // SAFETY: forwarded caller guarantee.
    unsafe { free_handle(keys) }
}

/// Parses and verifies a device card at `now`: the device signature, validity period,
/// the attestation against `org_public_keys` (zero or more 32-byte Ed25519 keys,
/// concatenated), required when `require_attestation`, and, if `revocation_list` is
/// given (NULL with 0 for none), that the device is not revoked by a list signed by one
/// of those keys. On success `*out` is the verified card.
///
/// Errors: `CG_STATUS_BAD_DEVICE_SIGNATURE`, `CG_STATUS_BAD_ATTESTATION`,
/// `CG_STATUS_NOT_ATTESTED`, `CG_STATUS_REVOKED`, `CG_STATUS_BAD_REVOCATION_SIGNATURE`,
/// `CG_STATUS_NOT_YET_VALID`, `CG_STATUS_EXPIRED`, format errors,
/// `CG_STATUS_INVALID_LENGTH` (keys not a multiple of 32 bytes),
/// `CG_STATUS_INVALID_ARGUMENT` (not an Ed25519 key), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// Buffers are readable for their lengths (or NULL with 0); `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_card_verify(
    card: *const u8,
    card_len: usize,
    org_public_keys: *const u8,
    org_public_keys_len: usize,
    require_attestation: bool,
    revocation_list: *const u8,
    revocation_list_len: usize,
    now: u64,
    out: *mut *mut CgVerifiedCard,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, card, keys, revocations) = unsafe {
            (
                out_arg(out, "out")?,
                bytes_arg(card, card_len, "card")?,
                bytes_arg(org_public_keys, org_public_keys_len, "org_public_keys")?,
                bytes_arg(revocation_list, revocation_list_len, "revocation_list")?,
            )
        };
        out.write(core::ptr::null_mut());
        let policy = trust_policy(keys, require_attestation, revocations)?;
        let verified = DeviceCard::parse(card)?.verify(&policy, now)?;
        let text = |s: &str| {
            c_string(s)
                .map_err(|_| FfiError::new(CgStatus::Malformed, "card text contains a NUL byte"))
        };
        let staff_id = text(verified.card().staff_id())?;
        let display_name = text(verified.card().display_name())?;
        out.write(into_handle(CgVerifiedCard {
            card: verified,
            staff_id,
            display_name,
        }));
        Ok(())
    })
}

/// What a verified card says, into `*out` (strings borrowed from the card).
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `card` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_verified_card_info(
    card: *const CgVerifiedCard,
    out: *mut CgCardInfo,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, c) = unsafe { (out_arg(out, "out")?, handle_arg(card, "card")?) };
        let inner = c.card.card();
        out.write(CgCardInfo {
            staff_id: c.staff_id.as_ptr(),
            display_name: c.display_name.as_ptr(),
            device_id: *inner.device_id().as_bytes(),
            created_at: inner.created_at(),
            expires_at: inner.expires_at(),
            attested: c.card.is_attested(),
        });
        Ok(())
    })
}

/// Releases a verified card. Accepts NULL.
///
/// # Safety
/// `card` is NULL or a live handle no other thread is using; freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_verified_card_free(card: *mut CgVerifiedCard) {
    // SAFETY: forwarded caller guarantee.
    unsafe { free_handle(card) }
}

/// A stored contact's state for the send policy: its verified `card` plus the two flags
/// the app persists for it (`verified_in_person`, `key_changed`), into `*out`.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `card` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_contact_trust(
    card: *const CgVerifiedCard,
    verified_in_person: bool,
    key_changed: bool,
    out: *mut CgRecipientTrust,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, card) = unsafe { (out_arg(out, "out")?, card_arg(card, "card")?) };
        let contact = Contact::restore(card.clone(), verified_in_person, key_changed);
        out.write(to_c_trust(contact.trust())?);
        Ok(())
    })
}

/// Takes a newly fetched card for a stored contact (`current` with its persisted flags
/// `*verified_in_person` and `*key_changed`, which are updated: persist them and keep
/// `new_card` as the contact's card) and says what changed in `*out_change` (a
/// `cg_card_change`). A key change without a rotation signature drops "verified in
/// person" and sets `key_changed`; warn the user.
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT` (a card for another staff identifier),
/// `CG_STATUS_SUPERSEDED_CARD` (a card older than `current`, or with the key `current`
/// rotated away from: a replay; nothing is updated), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// The cards are NULL or live; the flag pointers are NULL or readable and writable;
/// `out_change` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_contact_observe(
    current: *const CgVerifiedCard,
    new_card: *const CgVerifiedCard,
    verified_in_person: *mut bool,
    key_changed: *mut bool,
    out_change: *mut u32,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (current, new_card, in_person, changed, out) = unsafe {
            (
                card_arg(current, "current")?,
                card_arg(new_card, "new_card")?,
                out_arg(verified_in_person, "verified_in_person")?,
                out_arg(key_changed, "key_changed")?,
                out_arg(out_change, "out_change")?,
            )
        };
        // SAFETY: the caller guarantees both flags are initialised (readable).
        let (was_in_person, was_changed) =
            unsafe { (in_person.assume_init_read(), changed.assume_init_read()) };
        let mut contact = Contact::restore(current.clone(), was_in_person, was_changed);
        let change = match contact.observe(new_card.clone())? {
            CardChange::Unchanged => CgCardChange::Unchanged,
            CardChange::Rotated => CgCardChange::Rotated,
            CardChange::KeyChanged { .. } => CgCardChange::KeyChanged,
            _ => return Err(FfiError::new(CgStatus::Internal, "unknown card change")),
        };
        in_person.write(contact.verified_in_person());
        changed.write(contact.key_changed());
        out.write(change as u32);
        Ok(())
    })
}

/// Organisation side: signs a revocation list of `count` 16-byte device ids
/// (concatenated in `device_ids`) as of `issued_at`, with the organisation's 32-byte
/// seed. For enrolment services and tests, never for an app.
///
/// Errors: `CG_STATUS_INVALID_LENGTH`, `CG_STATUS_INVALID_ARGUMENT`,
/// `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// Buffers are readable for their lengths (or NULL with 0); `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_revocation_list_sign(
    org_seed: *const u8,
    org_seed_len: usize,
    device_ids: *const u8,
    device_ids_len: usize,
    issued_at: u64,
    out: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, seed, ids) = unsafe {
            (
                bytes_out(out, "out")?,
                key_arg(org_seed, org_seed_len, "org_seed")?,
                bytes_arg(device_ids, device_ids_len, "device_ids")?,
            )
        };
        if ids.len() % DEVICE_ID_LEN != 0 {
            return Err(FfiError::new(
                CgStatus::InvalidLength,
                format!(
                    "`device_ids` must be a multiple of {DEVICE_ID_LEN} bytes, got {}",
                    ids.len()
                ),
            ));
        }
        let ids: Vec<DeviceId> = ids
            .chunks_exact(DEVICE_ID_LEN)
            .map(|c| {
                let mut id = [0u8; DEVICE_ID_LEN];
                id.copy_from_slice(c);
                DeviceId::from_bytes(id)
            })
            .collect();
        let org = OrganisationKey::from_secret_bytes(seed.expose_secret());
        let list = RevocationList::sign(&org, issued_at, &ids)?;
        out.write(CgBytes::copy_from(list.to_bytes()));
        Ok(())
    })
}

fn safety_number(local: &VerifiedCard, remote: &VerifiedCard) -> FfiResult<SafetyNumber> {
    let local = SafetyParty::from_cards(&[local])?;
    let remote = SafetyParty::from_cards(&[remote])?;
    Ok(SafetyNumber::compute(&local, &remote))
}

/// The safety number between this user's card (`local`) and a contact's (`remote`):
/// `*out_digits` the 60 digits (free with `cg_string_free`; show them in groups of 5),
/// `out_qr` (may be NULL) the QR payload to display. Both people see the same digits.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// The cards are NULL or live; `out_digits` is NULL or writable; `out_qr` is NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_safety_number(
    local: *const CgVerifiedCard,
    remote: *const CgVerifiedCard,
    out_digits: *mut *mut c_char,
    out_qr: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out_digits, local, remote) = unsafe {
            (
                out_arg(out_digits, "out_digits")?,
                card_arg(local, "local")?,
                card_arg(remote, "remote")?,
            )
        };
        out_digits.write(core::ptr::null_mut());
        // SAFETY: caller guarantee: NULL or writable.
        let out_qr = unsafe { out_qr.as_mut() };
        let number = safety_number(local, remote)?;
        if let Some(qr) = out_qr {
            *qr = CgBytes::copy_from(&number.qr_payload());
        }
        out_digits.write(c_string(number.digits())?.into_raw());
        Ok(())
    })
}

/// Whether a QR payload scanned from the contact's screen matches the safety number
/// between `local` and `remote`: `*out` false means the keys differ (do not mark the
/// contact verified).
///
/// Errors: `CG_STATUS_MALFORMED` (not a careguard safety-number code),
/// `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// The cards are NULL or live; `scanned` is readable for `scanned_len` bytes (or NULL
/// with 0); `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_safety_number_matches_scanned(
    local: *const CgVerifiedCard,
    remote: *const CgVerifiedCard,
    scanned: *const u8,
    scanned_len: usize,
    out: *mut bool,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, local, remote, scanned) = unsafe {
            (
                out_arg(out, "out")?,
                card_arg(local, "local")?,
                card_arg(remote, "remote")?,
                bytes_arg(scanned, scanned_len, "scanned")?,
            )
        };
        out.write(safety_number(local, remote)?.matches_scanned(scanned)?);
        Ok(())
    })
}

/// Seals `payload` end to end: an HPKE stanza for each of the `recipients_len` verified
/// recipient cards, a signature by `sender`, and (if `own_keyring` is not NULL) a copy
/// the sender can reopen with its own key ring. Binding, options and `now` as for
/// `cg_envelope_seal`.
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT` (no recipients, bad options),
/// `CG_STATUS_EXPIRED` / `CG_STATUS_NOT_YET_VALID` (a recipient card is outside its
/// validity period at `now`), `CG_STATUS_TOO_LARGE`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `sender` is NULL or live; `recipients` is readable for `recipients_len` live card
/// handles; `own_keyring` is NULL or live; buffers are readable for their lengths (or
/// NULL with 0); `options` is NULL or valid; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_identity_seal(
    sender: *const CgDeviceKeys,
    recipients: *const *const CgVerifiedCard,
    recipients_len: usize,
    own_keyring: *const CgKeyring,
    payload: *const u8,
    payload_len: usize,
    conversation_id: *const u8,
    conversation_id_len: usize,
    sender_id: *const u8,
    sender_id_len: usize,
    options: *const CgSealOptions,
    now: u64,
    out: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out, sender, recipients, own, payload, conversation_id, sender_id, options) = unsafe {
            (
                bytes_out(out, "out")?,
                keys_arg(sender, "sender")?,
                cards_arg(recipients, recipients_len, "recipients")?,
                optional_ring(own_keyring)?,
                bytes_arg(payload, payload_len, "payload")?,
                bytes_arg(conversation_id, conversation_id_len, "conversation_id")?,
                bytes_arg(sender_id, sender_id_len, "sender_id")?,
                CgSealOptions::to_core(options)?,
            )
        };
        let mut sealer = Sealer::new(sender);
        for card in &recipients {
            sealer = sealer.to(card);
        }
        let guard_ring = own.map(CgKeyring::read).transpose()?;
        if let Some(ring) = guard_ring.as_deref() {
            sealer = sealer.also_to(ring);
        }
        let ctx = SealContext {
            binding: Binding::new(conversation_id, sender_id),
            options,
            now: UnixSeconds(now),
        };
        let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
        let sealed = sealer.seal(payload, &ctx, &mut rng)?;
        out.write(CgBytes::copy_from(&sealed));
        Ok(())
    })
}

/// Opens an end-to-end envelope with this device's keys `me` (or, for the sender's own
/// copy, `own_keyring`, may be NULL) and checks the sender's signature against the
/// `senders_len` verified cards in `senders`. `out_payload` receives the plaintext,
/// `out_info` (may be NULL) the header, `*out_sender_index` (may be NULL) the index in
/// `senders` of the card that signed it.
///
/// Errors: `CG_STATUS_EXPIRED` (the envelope, nothing decrypted; or the sender's card at
/// `now` or at the envelope's creation time), `CG_STATUS_NOT_YET_VALID` (the sender's
/// card at `now`), `CG_STATUS_NOT_A_RECIPIENT`,
/// `CG_STATUS_UNKNOWN_SENDER`, `CG_STATUS_BAD_SENDER_SIGNATURE`, `CG_STATUS_TAMPERED`,
/// `CG_STATUS_WRONG_BINDING`, format errors, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `me` is NULL or live; `own_keyring` is NULL or live; `senders` is readable for
/// `senders_len` live card handles; buffers are readable for their lengths (or NULL
/// with 0); `out_payload` is NULL or writable; the other outs are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_identity_open(
    me: *const CgDeviceKeys,
    own_keyring: *const CgKeyring,
    sealed: *const u8,
    sealed_len: usize,
    conversation_id: *const u8,
    conversation_id_len: usize,
    sender_id: *const u8,
    sender_id_len: usize,
    now: u64,
    senders: *const *const CgVerifiedCard,
    senders_len: usize,
    out_payload: *mut CgBytes,
    out_info: *mut CgEnvelopeInfo,
    out_sender_index: *mut usize,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out, me, own, sealed, conversation_id, sender_id, senders, info, index) = unsafe {
            (
                bytes_out(out_payload, "out_payload")?,
                keys_arg(me, "me")?,
                optional_ring(own_keyring)?,
                bytes_arg(sealed, sealed_len, "sealed")?,
                bytes_arg(conversation_id, conversation_id_len, "conversation_id")?,
                bytes_arg(sender_id, sender_id_len, "sender_id")?,
                cards_arg(senders, senders_len, "senders")?,
                out_info.as_mut(),
                out_sender_index.as_mut(),
            )
        };
        let ring = own.map(CgKeyring::read).transpose()?;
        let also: Vec<&dyn Identity> = match ring.as_deref() {
            Some(r) => vec![r],
            None => Vec::new(),
        };
        let binding = Binding::new(conversation_id, sender_id);
        let opened =
            identity::open_signed(me, &also, sealed, &binding, UnixSeconds(now), &senders)?;
        if let Some(info) = info {
            *info = envelope_info(opened.header());
        }
        if let Some(index) = index {
            let signer = opened.sender().card().device_id();
            *index = senders
                .iter()
                .position(|c| c.card().device_id() == signer)
                .unwrap_or(senders.len());
        }
        out.write(CgBytes::copy_from(opened.payload()));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use careguard::DecodeError;
    use careguard::identity::IdentityError;

    #[test]
    fn device_id_length_matches_core() {
        assert_eq!(CG_DEVICE_ID_LEN, DEVICE_ID_LEN);
    }

    #[test]
    fn every_identity_error_has_its_status() {
        let id = DeviceId::from_bytes([1; DEVICE_ID_LEN]);
        let cases = [
            (
                IdentityError::Decode(DecodeError::Truncated {
                    what: "x",
                    needed: 2,
                    got: 1,
                }),
                CgStatus::Truncated,
            ),
            (
                IdentityError::Decode(DecodeError::BadMagic { what: "card" }),
                CgStatus::Malformed,
            ),
            (
                IdentityError::Decode(DecodeError::UnsupportedVersion {
                    what: "card",
                    version: 9,
                }),
                CgStatus::UnsupportedVersion,
            ),
            (IdentityError::Malformed { field: "x" }, CgStatus::Malformed),
            (
                IdentityError::Decode(DecodeError::TooLong {
                    what: "x",
                    len: 2,
                    max: 1,
                }),
                CgStatus::TooLarge,
            ),
            (
                IdentityError::Decode(DecodeError::TrailingBytes {
                    what: "x",
                    expected: 1,
                    got: 2,
                }),
                CgStatus::Malformed,
            ),
            (
                IdentityError::BadDeviceSignature,
                CgStatus::BadDeviceSignature,
            ),
            (
                IdentityError::BadRotationSignature,
                CgStatus::BadDeviceSignature,
            ),
            (IdentityError::BadAttestation, CgStatus::BadAttestation),
            (IdentityError::NotAttested, CgStatus::NotAttested),
            (
                IdentityError::BadRevocationSignature,
                CgStatus::BadRevocationSignature,
            ),
            (IdentityError::Revoked { device_id: id }, CgStatus::Revoked),
            (
                IdentityError::NotYetValid {
                    created_at: 2,
                    now: 1,
                },
                CgStatus::NotYetValid,
            ),
            (
                IdentityError::Expired {
                    expires_at: 1,
                    now: 2,
                },
                CgStatus::Expired,
            ),
            (IdentityError::HpkeOpen, CgStatus::NotARecipient),
            (IdentityError::KeyRevoked, CgStatus::KeyRevoked),
            (IdentityError::NotARecipient, CgStatus::NotARecipient),
            (
                IdentityError::UnknownSender { device_id: id },
                CgStatus::UnknownSender,
            ),
            (
                IdentityError::BadSenderSignature,
                CgStatus::BadSenderSignature,
            ),
            (
                IdentityError::MessageExpired {
                    expires_at: 1,
                    now: 2,
                },
                CgStatus::Expired,
            ),
            (
                IdentityError::StanzaCountMismatch {
                    signed: 1,
                    found: 2,
                },
                CgStatus::Tampered,
            ),
            (
                IdentityError::SenderCardExpired {
                    device_id: id,
                    expires_at: 1,
                    at: 2,
                },
                CgStatus::Expired,
            ),
            (
                IdentityError::RecipientCardExpired {
                    device_id: id,
                    expires_at: 1,
                    now: 2,
                },
                CgStatus::Expired,
            ),
            (
                IdentityError::SenderCardNotYetValid {
                    device_id: id,
                    created_at: 2_000,
                    at: 1,
                },
                CgStatus::NotYetValid,
            ),
            (
                IdentityError::RecipientCardNotYetValid {
                    device_id: id,
                    created_at: 2_000,
                    now: 1,
                },
                CgStatus::NotYetValid,
            ),
            (
                IdentityError::SupersededCard { device_id: id },
                CgStatus::SupersededCard,
            ),
            (IdentityError::BadQrPayload, CgStatus::Malformed),
            (
                IdentityError::InvalidArgument {
                    argument: "x",
                    reason: "y",
                },
                CgStatus::InvalidArgument,
            ),
        ];
        for (err, status) in cases {
            let message = err.to_string();
            let ffi = FfiError::from(err);
            assert_eq!(ffi.status, status, "{message}");
            assert_eq!(ffi.message, message);
        }
        // Wrapped envelope and vault errors keep their own statuses and messages.
        let wrapped = FfiError::from(IdentityError::Envelope(
            careguard::envelope::Error::Tampered,
        ));
        assert_eq!(wrapped.status, CgStatus::Tampered);
        let vault = FfiError::from(IdentityError::Vault(careguard::vault::VaultError::Locked {
            idle_since: 1,
        }));
        assert_eq!(vault.status, CgStatus::VaultLocked);
    }
}
