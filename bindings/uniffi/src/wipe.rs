//! Remote and local wipe (`careguard::wipe`).

use careguard::wipe::{self as core_wipe, WipeOrder};

use crate::error::Result;
use crate::key_arg;
use crate::vault::Vault;

/// Why the user's own device wipes its vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LocalWipeReason {
    /// Too many wrong PINs (after `WipeRequired`).
    PinFailures,
    /// The user asked.
    UserRequest,
}

/// A remote wipe that was carried out.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WipeOutcome {
    /// The tombstone to store in place of the vault blob.
    pub tombstone: Vec<u8>,
    /// The order's counter: store it and pass it as `last_accepted` next time.
    pub accepted_counter: Option<u64>,
}

fn take_vault(vault: Option<&Vault>, now: u64) -> Result<Option<careguard::vault::Unlocked>> {
    match vault {
        None => Ok(None),
        Some(v) => {
            let mut session = v.session()?;
            let taken = session.take(now).ok();
            session.lock();
            Ok(taken)
        }
    }
}

/// Verifies a signed wipe order against the organisation key, this device's id,
/// enrolment and the last accepted counter; then locks and destroys `vault` (if
/// given) and returns the tombstone. Nothing is wiped if verification fails.
#[uniffi::export]
pub fn wipe_verify_and_execute(
    order: Vec<u8>,
    org_public_key: Vec<u8>,
    device_id: Vec<u8>,
    enrolment: u64,
    last_accepted: Option<u64>,
    vault: Option<std::sync::Arc<Vault>>,
    now: u64,
) -> Result<WipeOutcome> {
    let org_key = key_arg(org_public_key, "org_public_key")?;
    let verified = core_wipe::verify(
        &order,
        org_key.expose_secret(),
        &device_id,
        enrolment,
        last_accepted,
    )?;
    let unlocked = take_vault(vault.as_deref(), now)?;
    let outcome = core_wipe::execute(verified, unlocked, now);
    Ok(WipeOutcome {
        tombstone: outcome.tombstone.to_vec(),
        accepted_counter: outcome.accepted_counter,
    })
}

/// Wipes the vault on this device's own decision; returns the tombstone to store.
#[uniffi::export]
pub fn wipe_local(
    reason: LocalWipeReason,
    vault: Option<std::sync::Arc<Vault>>,
    now: u64,
) -> Result<Vec<u8>> {
    let reason = match reason {
        LocalWipeReason::PinFailures => core_wipe::LocalWipeReason::PinFailures,
        LocalWipeReason::UserRequest => core_wipe::LocalWipeReason::UserRequest,
    };
    let unlocked = take_vault(vault.as_deref(), now)?;
    Ok(core_wipe::local_wipe(reason, unlocked, now)
        .tombstone
        .to_vec())
}

/// Signs a wipe order for a device (the organisation's side; for tests and tooling).
#[uniffi::export]
pub fn wipe_order_sign(
    device_id: Vec<u8>,
    enrolment: u64,
    counter: u64,
    issued_at: u64,
    org_seed: Vec<u8>,
) -> Result<Vec<u8>> {
    let seed = key_arg(org_seed, "org_seed")?;
    let order = WipeOrder::new(&device_id, enrolment, counter, issued_at)?;
    Ok(order.sign(&seed).to_vec())
}

/// The organisation public key for a 32-byte organisation seed.
#[uniffi::export]
pub fn wipe_org_public_key(org_seed: Vec<u8>) -> Result<Vec<u8>> {
    let seed = key_arg(org_seed, "org_seed")?;
    Ok(core_wipe::org_public_key(&seed).to_vec())
}
