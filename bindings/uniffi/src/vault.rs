//! The PIN vault behind an idle-locking session (`careguard::vault`), with the app's
//! storage as a callback interface.

use std::sync::{Arc, Mutex, MutexGuard};

use careguard::SecretKey;
use careguard::vault::{self as core_vault, Pin, Session, Unlocked, VaultError};
use zeroize::Zeroizing;

use crate::error::{CareGuardError, Result};
use crate::{key_arg, os_rng};

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct KdfParams {
    /// Memory in KiB (at least 19456).
    pub m_kib: u32,
    /// Passes (at least 2).
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl From<core_vault::KdfParams> for KdfParams {
    fn from(p: core_vault::KdfParams) -> Self {
        Self {
            m_kib: p.m_kib(),
            t_cost: p.t_cost(),
            p_cost: p.p_cost(),
        }
    }
}

impl KdfParams {
    fn to_core(self) -> Result<core_vault::KdfParams> {
        Ok(core_vault::KdfParams::new(
            self.m_kib,
            self.t_cost,
            self.p_cost,
        )?)
    }
}

/// The production Argon2 parameters (64 MiB, t = 3, p = 1).
#[uniffi::export]
pub fn kdf_params_default() -> KdfParams {
    core_vault::KdfParams::DEFAULT.into()
}

/// Parameters that take about `target_ms` on this device, capped at `max_m_kib`,
/// never below the floor. Runs Argon2 several times: call it once, off the UI thread.
#[uniffi::export]
pub fn kdf_params_calibrate(target_ms: u64, max_m_kib: u32) -> Result<KdfParams> {
    Ok(core_vault::calibrate_with_std_timer(target_ms, max_m_kib)?.into())
}

/// How many wrong PINs are free, the delays after them, and when the vault is wiped.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LockoutPolicy {
    /// Failures allowed before delays start.
    pub free_attempts: u32,
    /// Delays in seconds after each further failure (the last repeats).
    pub delays: Vec<u64>,
    /// Failures after which the vault must be wiped.
    pub wipe_after: u32,
}

/// Why a vault blob is a tombstone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum WipeReason {
    /// Too many wrong PINs.
    PinFailures,
    /// An authenticated remote wipe order.
    RemoteOrder,
    /// The user asked (sign-out, leaving the Trust).
    UserRequest,
}

/// What a stored vault blob says, read without the PIN.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum BlobStatus {
    /// A live vault.
    Active {
        /// Its Argon2 parameters.
        params: KdfParams,
        /// Whether unlocking needs the device secret.
        device_bound: bool,
        /// Consecutive failed attempts.
        failures: u32,
        /// When the last attempt began (Unix seconds).
        last_attempt_at: u64,
    },
    /// A tombstone: the vault was wiped.
    Wiped {
        /// Why.
        reason: WipeReason,
        /// When (Unix seconds).
        wiped_at: u64,
    },
}

pub(crate) fn wipe_reason(reason: core_vault::WipeReason) -> Result<WipeReason> {
    match reason {
        core_vault::WipeReason::PinFailures => Ok(WipeReason::PinFailures),
        core_vault::WipeReason::RemoteOrder => Ok(WipeReason::RemoteOrder),
        core_vault::WipeReason::UserRequest => Ok(WipeReason::UserRequest),
        _ => Err(CareGuardError::internal("unknown wipe reason")),
    }
}

/// Reads a stored blob's state without the PIN.
#[uniffi::export]
pub fn vault_status(blob: Vec<u8>) -> Result<BlobStatus> {
    match core_vault::Vault::status(&blob)? {
        core_vault::BlobStatus::Active {
            params,
            device_bound,
            failures,
            last_attempt_at,
        } => Ok(BlobStatus::Active {
            params: params.into(),
            device_bound,
            failures,
            last_attempt_at,
        }),
        core_vault::BlobStatus::Wiped { reason, wiped_at } => Ok(BlobStatus::Wiped {
            reason: wipe_reason(reason)?,
            wiped_at,
        }),
        _ => Err(CareGuardError::internal("unknown vault blob state")),
    }
}

/// The app's storage for the vault blob, called during `vault_unlock` before the PIN
/// is checked, so that every attempt is counted on disk first.
#[uniffi::export(callback_interface)]
pub trait BlobStore: Send + Sync {
    /// Replaces the stored blob with `blob` only if the stored blob is still
    /// `expected` (a compare-and-swap), durably, then returns `true`. Returns `false`
    /// if the stored blob is not `expected` (another attempt counted first, or
    /// `expected` came from a cached copy). Throw if the write fails. Anything but
    /// `true` means the PIN is not checked.
    fn store(&self, expected: Vec<u8>, blob: Vec<u8>) -> core::result::Result<bool, StoreError>;
}

/// A failure of the app's [`BlobStore`]. Any other exception thrown by the store is
/// turned into this one; either way the unlock fails with `PersistFailed`.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum StoreError {
    /// The write failed.
    #[error("{reason}")]
    Failed {
        /// Why, for logs.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for StoreError {
    fn from(err: uniffi::UnexpectedUniFFICallbackError) -> Self {
        // The foreign side sends its whole stack trace; the first line names the
        // exception and its message, which is what a log needs.
        let reason = err.reason.lines().next().unwrap_or_default().to_owned();
        Self::Failed { reason }
    }
}

/// An unlocked vault behind an idle timer: every call takes `now` and fails with
/// `VaultLocked` once the vault has been idle for `idle_timeout` seconds (or was
/// locked or wiped). Calls serialise on an internal lock.
#[derive(uniffi::Object)]
pub struct Vault {
    session: Mutex<Session>,
}

impl Vault {
    fn new(vault: Unlocked, idle_timeout: u64, now: u64) -> Arc<Self> {
        Arc::new(Self {
            session: Mutex::new(Session::new(vault, idle_timeout, now)),
        })
    }

    pub(crate) fn session(&self) -> Result<MutexGuard<'_, Session>> {
        self.session
            .lock()
            .map_err(|_| CareGuardError::internal("vault unusable after an earlier panic"))
    }
}

/// A vault just created or unlocked, and the blob the app must store.
#[derive(uniffi::Record)]
pub struct OpenedVault {
    /// The unlocked vault.
    pub vault: Arc<Vault>,
    /// The blob to persist (after `vault_unlock`: with the failure counter reset).
    pub blob: Vec<u8>,
}

fn device_secret_arg(device_secret: Option<Vec<u8>>) -> Result<Option<SecretKey>> {
    device_secret
        .map(|s| key_arg(s, "device_secret"))
        .transpose()
}

/// Creates a vault protected by `pin` (and `device_secret`, 32 bytes from the
/// platform keystore, if given). `params` default to [`kdf_params_default`].
#[uniffi::export]
pub fn vault_create(
    pin: String,
    device_secret: Option<Vec<u8>>,
    params: Option<KdfParams>,
    idle_timeout: u64,
    now: u64,
) -> Result<OpenedVault> {
    let pin = Zeroizing::new(pin);
    let device_secret = device_secret_arg(device_secret)?;
    let params = params
        .map(KdfParams::to_core)
        .transpose()?
        .unwrap_or(core_vault::KdfParams::DEFAULT);
    let pin = Pin::new(&pin)?;
    let (vault, blob) =
        core_vault::Vault::create(&pin, device_secret.as_ref(), &params, &mut os_rng())?;
    Ok(OpenedVault {
        vault: Vault::new(vault, idle_timeout, now),
        blob,
    })
}

/// Unlocks a vault. The attempt is first stored through `store` (a compare-and-swap
/// against `blob`); only if the store returns `true` is the PIN checked. A store that
/// returns `false` fails with `StaleBlob`, one that throws with `PersistFailed`: in
/// both cases the PIN is never checked. `policy` defaults to the core's lockout policy.
#[uniffi::export]
pub fn vault_unlock(
    blob: Vec<u8>,
    pin: String,
    device_secret: Option<Vec<u8>>,
    policy: Option<LockoutPolicy>,
    idle_timeout: u64,
    now: u64,
    store: Box<dyn BlobStore>,
) -> Result<OpenedVault> {
    let pin = Zeroizing::new(pin);
    let device_secret = device_secret_arg(device_secret)?;
    let policy = match policy {
        None => core_vault::LockoutPolicy::default(),
        Some(p) => core_vault::LockoutPolicy::new(p.free_attempts, &p.delays, p.wipe_after)?,
    };
    let attempt = core_vault::Vault::begin_unlock(&blob, &policy, now)?;
    let ready = attempt.persist_with(|expected, bytes| {
        match store.store(expected.to_vec(), bytes.to_vec()) {
            Ok(true) => Ok(()),
            Ok(false) => Err(CareGuardError::from(VaultError::StaleBlob)),
            Err(StoreError::Failed { reason }) => Err(CareGuardError::PersistFailed {
                detail: format!(
                    "the blob store failed ({reason}); the attempt was not counted and the \
                     pin was not checked"
                ),
            }),
        }
    })?;
    let (vault, reset_blob) = ready.unlock(pin.as_bytes(), device_secret.as_ref())?;
    Ok(OpenedVault {
        vault: Vault::new(vault, idle_timeout, now),
        blob: reset_blob,
    })
}

#[uniffi::export]
impl Vault {
    /// Records activity; fails with `VaultLocked` if the vault has locked.
    pub fn touch(&self, now: u64) -> Result<()> {
        self.session()?.vault(now)?;
        Ok(())
    }

    /// Locks the vault if it has been idle too long; whether it is now locked because
    /// of this call.
    pub fn lock_if_idle(&self, now: u64) -> Result<bool> {
        Ok(self.session()?.lock_if_idle(now))
    }

    /// When the vault will lock if left idle (Unix seconds), or none if locked.
    pub fn locks_at(&self) -> Result<Option<u64>> {
        Ok(self.session()?.locks_at())
    }

    /// Locks the vault now: its keys are dropped, and keys taken from it are revoked.
    pub fn lock(&self) -> Result<()> {
        self.session()?.lock();
        Ok(())
    }

    /// Re-protects the vault with `new_pin`; returns the blob to store. `params`
    /// default to the vault's current ones.
    pub fn change_pin(
        &self,
        new_pin: String,
        device_secret: Option<Vec<u8>>,
        params: Option<KdfParams>,
        now: u64,
    ) -> Result<Vec<u8>> {
        let new_pin = Zeroizing::new(new_pin);
        let device_secret = device_secret_arg(device_secret)?;
        let pin = Pin::new(&new_pin)?;
        let mut session = self.session()?;
        let unlocked = session.vault(now)?;
        let params = match params {
            Some(p) => p.to_core()?,
            None => unlocked.params(),
        };
        Ok(unlocked.change_pin(&pin, device_secret.as_ref(), &params, &mut os_rng())?)
    }

    /// Encrypts a small secret under the vault's key for `label`.
    pub fn wrap_secret(&self, label: &str, secret: Vec<u8>, now: u64) -> Result<Vec<u8>> {
        let mut session = self.session()?;
        Ok(session
            .vault(now)?
            .wrap_secret(label, &Zeroizing::new(secret), &mut os_rng())?)
    }

    /// Decrypts a secret wrapped for `label`.
    pub fn unwrap_secret(&self, label: &str, wrapped: Vec<u8>, now: u64) -> Result<Vec<u8>> {
        let mut session = self.session()?;
        let secret = session.vault(now)?.unwrap_secret(label, &wrapped)?;
        Ok(secret.to_vec())
    }
}
