//! PIN-protected vault: the master key every other key hangs from.
//!
//! # Security notes
//!
//! A random 256-bit master key is wrapped with AES-256-GCM under a key-encryption
//! key derived from the PIN: `Argon2id(PIN, salt, params)`, mixed through
//! HKDF-SHA256 with an optional *device secret* that the app keeps in the iOS
//! Keychain / Secure Enclave or the Android Keystore. With a device secret, a
//! copied blob cannot be brute-forced off the device; without one, a 6-digit PIN
//! falls to an offline search of 10^6 Argon2 calls, so the device secret is
//! strongly recommended. The failed-attempt counter protects against guessing
//! through the app; it lives in the blob unauthenticated (it must be written
//! before the PIN is known), so somebody who can rewrite the app's files can
//! reset it: that attacker is the offline attacker above.
//! See docs/THREAT_MODEL.md, "PIN vault, retention and remote wipe".
//!
//! # Flow
//!
//! ```
//! use careguard::vault::{KdfParams, LockoutPolicy, Pin, Vault};
//! # let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
//! let params = KdfParams::insecure_for_tests_only(64, 1, 1)?; // use KdfParams::DEFAULT
//! let (vault, blob) = Vault::create(&Pin::new("730419")?, None, &params, &mut rng)?;
//! let kek = vault.derive_kek(1);
//! drop(vault); // locks: the master key is wiped
//!
//! // Unlock is two steps: the counter is persisted *before* the PIN is checked.
//! let now = 1_700_000_000;
//! let attempt = Vault::begin_unlock(&blob, &LockoutPolicy::default(), now)?;
//! let mut stored = blob.clone();
//! let ready = attempt.persist_with(|expected, bytes| {
//!     // A compare-and-swap: refuse if the stored blob is not the one the attempt began from.
//!     if stored != expected {
//!         return Err("stale blob: reload and try again");
//!     }
//!     stored = bytes.to_vec(); // write to disk (atomically) here
//!     Ok(())
//! })?;
//! let (vault, reset_blob) = ready.unlock(b"730419", None)?;
//! assert_eq!(vault.derive_kek(1), kek);
//! # let _ = reset_blob;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`Vault::unlock_with_store`] does the same with a [`BlobStore`] that the app
//! implements (a fresh read and a compare-and-swap write): it is the way to unlock
//! that cannot be given a stale blob.
//!
//! # Key lifetime
//!
//! Keys handed out through [`Unlocked::key_ring`], [`crate::envelope::KeyRing::insert_from_vault`]
//! and [`crate::identity::DeviceKeys::unwrap_from_vault`] share a revocation flag with
//! the [`Unlocked`] they came from. Dropping it (lock, idle lock, a wipe) flips the
//! flag, and every later seal, open, signature or HPKE open with those keys fails
//! with a `KeyRevoked` error.

mod blob;
mod kdf;
mod pin;
mod session;
mod store;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use hkdf::Hkdf;
use rand_core::CryptoRng;
use sha2::Sha256;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use zeroize::Zeroizing;

use crate::codec::Reader;
use crate::{DecodeError, SecretKey};
use blob::{ActiveBlob, Blob, NONCE_LEN, WRAPPED_LEN};

pub use blob::{BLOB_LEN, BLOB_MAGIC, BLOB_VERSION, SALT_LEN, TOMBSTONE_LEN};
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub use kdf::calibrate_with_std_timer;
pub use kdf::{
    KdfMemory, KdfParams, MAX_M_KIB, MAX_P_COST, MAX_T_COST, MIN_M_KIB, MIN_T_COST, calibrate,
};
pub use pin::{COMMON_PINS, MAX_PIN_LEN, Pin, PinPolicy, WeakPin};
pub use session::Session;
pub use store::{BlobStore, CasOutcome, MAX_CAS_RETRIES, StoreFailed};

/// HKDF info for the key that wraps the master key.
const INFO_KEK: &[u8] = b"careguard/v1/vault/kek";
/// HKDF info prefix for envelope key-ring KEKs; the key id follows (u32 BE).
const INFO_KEYRING: &[u8] = b"careguard/v1/keyring/kek";
/// HKDF info prefix for [`Unlocked::wrap_secret`]; a 0 byte and the label follow.
const INFO_WRAP: &[u8] = b"careguard/v1/vault/wrap";

/// Longest label [`Unlocked::wrap_secret`] accepts, in bytes.
pub const MAX_LABEL_LEN: usize = 64;
/// Largest secret [`Unlocked::wrap_secret`] accepts, in bytes.
pub const MAX_WRAPPED_SECRET_LEN: usize = 64 * 1024;
/// Version byte that starts every wrapped secret.
pub const WRAPPED_SECRET_VERSION: u8 = 1;
const WRAPPED_OVERHEAD: usize = 1 + NONCE_LEN + 16;

/// `Result` with a [`VaultError`].
pub type Result<T> = core::result::Result<T, VaultError>;

/// Why a vault operation failed. No message contains a PIN or key bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// the blob (or wrapped secret) does not decode: bad magic, unsupported version,
    /// truncated, trailing bytes
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// a state byte other than active (0) or wiped (1)
    #[error("unknown vault state {0}")]
    UnknownState(u8),
    /// a key-derivation function id other than Argon2id v0x13 (1)
    #[error("unsupported key derivation function {0}")]
    UnsupportedKdf(u8),
    /// flag bits this version does not define
    #[error("unknown vault flags {0:#04x}")]
    UnknownFlags(u8),
    /// a tombstone with a reason byte this version does not define
    #[error("unknown wipe reason {0}")]
    UnknownWipeReason(u8),
    /// Argon2 parameters outside the bounds a blob may carry
    #[error("invalid argon2 parameters m={m_kib} KiB t={t_cost} p={p_cost}")]
    InvalidParams {
        /// memory cost in KiB
        m_kib: u32,
        /// passes
        t_cost: u32,
        /// lanes
        p_cost: u32,
    },
    /// production parameters below the OWASP minimum: given to
    /// [`KdfParams::new`], or read from a blob (outside test builds)
    #[error(
        "argon2 parameters too weak: m={m_kib} KiB t={t_cost}; at least 19456 KiB and t=2 are required"
    )]
    ParamsTooWeak {
        /// memory cost in KiB
        m_kib: u32,
        /// passes
        t_cost: u32,
    },
    /// the PIN was refused by the PIN policy
    #[error("weak pin: {reason}")]
    WeakPin {
        /// which rule refused it
        reason: WeakPin,
    },
    /// the PIN (or device secret, or the blob's authenticated part) is wrong
    #[error("wrong pin ({failures} failed attempts, {remaining} left before wipe)")]
    WrongPin {
        /// consecutive failed attempts so far, this one included
        failures: u32,
        /// attempts left before the vault is wiped
        remaining: u32,
        /// earliest time of the next attempt, when a delay applies (Unix seconds)
        retry_at: Option<u64>,
    },
    /// too many failed attempts: the vault is to be wiped; store
    /// [`crate::wipe::local_wipe`]'s tombstone in place of the blob
    #[error("vault wiped after {failures} failed pin attempts")]
    WipedAfterFailures {
        /// failed attempts counted
        failures: u32,
    },
    /// an escalating delay is in force
    #[error("locked out after {failures} failed attempts until {retry_at} (now {now})")]
    LockedOut {
        /// failed attempts so far
        failures: u32,
        /// earliest time of the next attempt (Unix seconds)
        retry_at: u64,
        /// the time given
        now: u64,
    },
    /// the blob is a tombstone: the vault was wiped and its keys are gone
    #[error("vault was wiped ({reason}) at {wiped_at}")]
    Wiped {
        /// why
        reason: WipeReason,
        /// when (Unix seconds)
        wiped_at: u64,
    },
    /// misuse: this vault is bound to a device secret and none was given
    #[error("this vault needs its device secret")]
    DeviceSecretRequired,
    /// misuse: a device secret was given for a vault that is not bound to one
    #[error("this vault is not bound to a device secret")]
    DeviceSecretUnexpected,
    /// the session locked itself after being idle (or was locked)
    #[error("vault locked (idle since {idle_since})")]
    Locked {
        /// last recorded activity (Unix seconds)
        idle_since: u64,
    },
    /// misuse by the caller: an argument is invalid (e.g. a lockout policy that cannot work).
    /// Same name and shape as every other module's misuse error.
    #[error("invalid argument {argument}: {reason}")]
    InvalidArgument {
        /// the argument
        argument: &'static str,
        /// why it was refused
        reason: &'static str,
    },
    /// misuse: a wrap label longer than [`MAX_LABEL_LEN`]
    #[error("label is {len} bytes, at most {max} allowed")]
    LabelTooLong {
        /// label length
        len: usize,
        /// maximum
        max: usize,
    },
    /// misuse: a secret longer than [`MAX_WRAPPED_SECRET_LEN`]
    #[error("secret is {len} bytes, at most {max} can be wrapped")]
    SecretTooLong {
        /// secret length
        len: usize,
        /// maximum
        max: usize,
    },
    /// a wrapped secret failed authentication (other label, other vault, or altered)
    #[error("wrapped secret does not authenticate under this vault and label")]
    Tampered,
    /// the attempt could not be recorded (the store failed, or a write callback
    /// reported anything but success): the PIN was not checked
    #[error("the failed-attempt counter was not stored; the pin was not checked")]
    PersistFailed,
    /// the stored blob is no longer the one the attempt began from (another attempt,
    /// or a cached copy): reload it and start again; the PIN was not checked
    #[error("stale vault blob: the stored blob changed; the pin was not checked")]
    StaleBlob,
    /// Argon2 could not run (for example, memory could not be allocated)
    #[error("argon2 key derivation failed")]
    KdfFailed,
    /// AES-GCM refused to encrypt (cannot happen for the bounded inputs used; a bug)
    #[error("internal cipher failure")]
    CipherFailed,
}

impl VaultError {
    /// The stable code the bindings report for this error.
    pub fn code(&self) -> crate::ErrorCode {
        use crate::ErrorCode as C;
        match self {
            Self::Decode(e) => e.code(),
            Self::UnknownState(_)
            | Self::UnsupportedKdf(_)
            | Self::UnknownFlags(_)
            | Self::UnknownWipeReason(_) => C::Malformed,
            Self::InvalidParams { .. } | Self::InvalidArgument { .. } => C::InvalidArgument,
            Self::ParamsTooWeak { .. } => C::ParamsTooWeak,
            Self::WeakPin { .. } => C::WeakPin,
            Self::WrongPin { .. } => C::WrongPin,
            Self::WipedAfterFailures { .. } => C::WipeRequired,
            Self::LockedOut { .. } => C::LockedOut,
            Self::Wiped { .. } => C::Wiped,
            Self::DeviceSecretRequired => C::DeviceSecretRequired,
            Self::DeviceSecretUnexpected => C::DeviceSecretUnexpected,
            Self::Locked { .. } => C::VaultLocked,
            Self::LabelTooLong { .. } => C::InvalidLength,
            Self::SecretTooLong { .. } => C::TooLarge,
            Self::Tampered => C::Tampered,
            Self::KdfFailed => C::KdfFailed,
            Self::PersistFailed => C::PersistFailed,
            Self::StaleBlob => C::StaleBlob,
            Self::CipherFailed => C::Internal,
        }
    }
}

/// Why a vault was wiped (recorded in the tombstone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WipeReason {
    /// too many failed PIN attempts
    PinFailures,
    /// a verified remote wipe order from the organisation
    RemoteOrder,
    /// the user or the app asked for it
    UserRequest,
}

impl WipeReason {
    pub(crate) fn to_byte(self) -> u8 {
        match self {
            Self::PinFailures => 1,
            Self::RemoteOrder => 2,
            Self::UserRequest => 3,
        }
    }

    pub(crate) fn from_byte(b: u8) -> Option<Self> {
        match b {
            1 => Some(Self::PinFailures),
            2 => Some(Self::RemoteOrder),
            3 => Some(Self::UserRequest),
            _ => None,
        }
    }

    /// A stable lower-case name (`pin_failures`, `remote_order`, `user_request`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::PinFailures => "pin_failures",
            Self::RemoteOrder => "remote_order",
            Self::UserRequest => "user_request",
        }
    }
}

impl core::fmt::Display for WipeReason {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The tombstone bytes that replace a wiped vault's blob (crate-internal: the
/// public ways to wipe are in [`crate::wipe`]).
pub(crate) fn tombstone(reason: WipeReason, wiped_at: u64) -> Vec<u8> {
    blob::encode_tombstone(reason, wiped_at)
}

/// Failed-attempt handling: free attempts, escalating delays, then wipe.
///
/// The default: 5 free attempts, then delays of 30 s, 1 min, 5 min, 15 min and
/// 1 h (the last repeats), and a wipe at the 10th consecutive failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockoutPolicy {
    free_attempts: u32,
    delays: Vec<u64>,
    wipe_after: u32,
}

impl LockoutPolicy {
    /// `free_attempts` failures cost nothing; the next ones wait `delays[0]`,
    /// `delays[1]`, ... seconds (the last delay repeats); failure number
    /// `wipe_after` wipes the vault. Needs `1 <= wipe_after` and at least one delay
    /// if `free_attempts < wipe_after - 1`.
    pub fn new(free_attempts: u32, delays: &[u64], wipe_after: u32) -> Result<Self> {
        if wipe_after == 0 {
            return Err(VaultError::InvalidArgument {
                argument: "lockout policy",
                reason: "wipe_after must be at least 1",
            });
        }
        if delays.is_empty() && free_attempts.saturating_add(1) < wipe_after {
            return Err(VaultError::InvalidArgument {
                argument: "lockout policy",
                reason: "delays must not be empty",
            });
        }
        Ok(Self {
            free_attempts,
            delays: delays.to_vec(),
            wipe_after,
        })
    }

    /// Failure count at which the vault is wiped. The default is 10.
    pub fn wipe_after(&self) -> u32 {
        self.wipe_after
    }

    /// Delay in seconds after `failures` consecutive failures (0 if none applies).
    pub fn delay_after(&self, failures: u32) -> u64 {
        if failures < self.free_attempts || failures == 0 {
            return 0;
        }
        let index = (failures - self.free_attempts) as usize;
        match self.delays.get(index).or(self.delays.last()) {
            Some(&d) => d,
            None => 0,
        }
    }

    fn retry_at(&self, failures: u32, last_attempt_at: u64) -> Option<u64> {
        match self.delay_after(failures) {
            0 => None,
            d => Some(last_attempt_at.saturating_add(d)),
        }
    }
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self {
            free_attempts: 5,
            delays: vec![30, 60, 5 * 60, 15 * 60, 60 * 60],
            wipe_after: 10,
        }
    }
}

/// What an app can learn from a blob without the PIN (for its lock screen).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BlobStatus {
    /// a live vault
    Active {
        /// Argon2 parameters
        params: KdfParams,
        /// whether a device secret is needed
        device_bound: bool,
        /// consecutive failed (or interrupted) attempts
        failures: u32,
        /// last attempt (Unix seconds; 0 if none)
        last_attempt_at: u64,
    },
    /// a tombstone
    Wiped {
        /// why
        reason: WipeReason,
        /// when (Unix seconds)
        wiped_at: u64,
    },
}

/// Entry points: create a vault, begin an unlock, inspect a blob.
#[derive(Debug)]
pub struct Vault(());

impl Vault {
    /// Makes a random master key, wraps it under `pin` (and `device_secret`, if
    /// given) and returns the vault unlocked together with the blob to persist.
    pub fn create<R: CryptoRng + ?Sized>(
        pin: &Pin,
        device_secret: Option<&SecretKey>,
        params: &KdfParams,
        rng: &mut R,
    ) -> Result<(Unlocked, Vec<u8>)> {
        let master = SecretKey::generate(rng);
        let blob = wrap_master(
            &master,
            pin,
            device_secret,
            params,
            rng,
            &mut KdfMemory::new(),
        )?;
        let bytes = blob.encode();
        Ok((
            Unlocked {
                master,
                blob,
                lease: Lease::new(),
            },
            bytes,
        ))
    }

    /// Reads a blob's public state: counter, parameters, or wipe record.
    pub fn status(blob: &[u8]) -> Result<BlobStatus> {
        Ok(match blob::parse(blob)? {
            Blob::Active(a) => BlobStatus::Active {
                params: a.params,
                device_bound: a.device_bound,
                failures: a.failures,
                last_attempt_at: a.last_attempt_at,
            },
            Blob::Wiped { reason, wiped_at } => BlobStatus::Wiped { reason, wiped_at },
        })
    }

    /// Step one of an unlock: counts the attempt as failed *in advance* and
    /// returns the blob to persist. Only after [`UnlockAttempt::persist_with`]
    /// succeeded can the PIN be checked, so killing the app during the check
    /// never resets the counter.
    ///
    /// Fails with [`VaultError::LockedOut`] while a delay is in force (a clock
    /// set back before the last attempt never shortens it),
    /// [`VaultError::WipedAfterFailures`] once the policy's limit is reached, and
    /// [`VaultError::Wiped`] on a tombstone.
    pub fn begin_unlock(blob: &[u8], policy: &LockoutPolicy, now: u64) -> Result<UnlockAttempt> {
        let mut active = match blob::parse(blob)? {
            Blob::Active(a) => a,
            Blob::Wiped { reason, wiped_at } => return Err(VaultError::Wiped { reason, wiped_at }),
        };
        if active.failures >= policy.wipe_after {
            return Err(VaultError::WipedAfterFailures {
                failures: active.failures,
            });
        }
        if let Some(retry_at) = policy.retry_at(active.failures, active.last_attempt_at)
            && now < retry_at
        {
            return Err(VaultError::LockedOut {
                failures: active.failures,
                retry_at,
                now,
            });
        }
        active.failures = active.failures.saturating_add(1);
        active.last_attempt_at = active.last_attempt_at.max(now);
        let encoded = active.encode();
        Ok(UnlockAttempt {
            blob: active,
            previous: blob.to_vec(),
            encoded,
            policy: policy.clone(),
        })
    }

    /// A whole unlock against the app's [`BlobStore`]: reads the stored blob, counts
    /// the attempt with a compare-and-swap write, and only then checks the PIN; on
    /// success the counter is reset by a second compare-and-swap.
    ///
    /// Because the blob is read from the store for every attempt and written only if
    /// it is still the one read, two attempts can never start from the same stored
    /// counter: a concurrent attempt that loses the swap reads again and counts on
    /// top (up to [`MAX_CAS_RETRIES`] times, then [`VaultError::StaleBlob`]). A store
    /// failure is [`VaultError::PersistFailed`], before the PIN is checked.
    ///
    /// If the reset write after a correct PIN fails or loses a race, the vault still
    /// unlocks and the stored counter keeps counting this attempt (the safe side).
    pub fn unlock_with_store<S: BlobStore + ?Sized>(
        store: &mut S,
        policy: &LockoutPolicy,
        now: u64,
        pin: &[u8],
        device_secret: Option<&SecretKey>,
    ) -> Result<Unlocked> {
        let mut tries = 0;
        let ready = loop {
            let blob = store
                .load()
                .map_err(|StoreFailed| VaultError::PersistFailed)?;
            let attempt = Self::begin_unlock(&blob, policy, now)?;
            match attempt.persist_to(store) {
                Err(VaultError::StaleBlob) if tries < MAX_CAS_RETRIES => tries += 1,
                other => break other?,
            }
        };
        let counted = ready.blob.encode();
        let (vault, reset) = ready.unlock(pin, device_secret)?;
        // The safe side of a failed reset is a counter that still counts this attempt.
        let _ = store.compare_and_swap(&counted, &reset);
        Ok(vault)
    }
}

/// Step one's result: the blob with this attempt already counted, which must be
/// persisted before the PIN can be checked.
#[derive(Debug)]
#[must_use = "persist the blob with persist_with, then unlock"]
pub struct UnlockAttempt {
    blob: ActiveBlob,
    previous: Vec<u8>,
    encoded: Vec<u8>,
    policy: LockoutPolicy,
}

impl UnlockAttempt {
    /// The bytes to persist (the failed-attempt counter already incremented).
    pub fn blob(&self) -> &[u8] {
        &self.encoded
    }

    /// The blob this attempt began from: the value a compare-and-swap write must
    /// find in storage.
    pub fn expected(&self) -> &[u8] {
        &self.previous
    }

    /// Persists the blob with `write(expected, new)`, a compare-and-swap: it must
    /// replace the stored blob with `new` only if the stored blob is still
    /// `expected` (else fail: another attempt counted first, or `expected` came from
    /// a cached copy), atomically, and return `Ok` only once the write is durable.
    /// Only then may the PIN be checked.
    pub fn persist_with<E, F>(self, write: F) -> core::result::Result<PersistedAttempt, E>
    where
        F: FnOnce(&[u8], &[u8]) -> core::result::Result<(), E>,
    {
        write(&self.previous, &self.encoded)?;
        Ok(PersistedAttempt {
            blob: self.blob,
            policy: self.policy,
        })
    }

    /// Persists the blob with the store's compare-and-swap: [`VaultError::StaleBlob`]
    /// if the stored blob changed since this attempt began, [`VaultError::PersistFailed`]
    /// if the store failed.
    pub fn persist_to<S: BlobStore + ?Sized>(self, store: &mut S) -> Result<PersistedAttempt> {
        self.persist_with(
            |expected, new| match store.compare_and_swap(expected, new) {
                Ok(CasOutcome::Stored) => Ok(()),
                Ok(CasOutcome::Stale) => Err(VaultError::StaleBlob),
                Err(StoreFailed) => Err(VaultError::PersistFailed),
            },
        )
    }
}

/// An attempt whose counter is durable: the PIN may now be checked, once.
#[derive(Debug)]
#[must_use = "call unlock with the pin"]
pub struct PersistedAttempt {
    blob: ActiveBlob,
    policy: LockoutPolicy,
}

impl PersistedAttempt {
    /// Checks the PIN. On success returns the unlocked vault and the blob with
    /// the counter reset, to persist. On failure the counter stays as persisted.
    pub fn unlock(
        self,
        pin: &[u8],
        device_secret: Option<&SecretKey>,
    ) -> Result<(Unlocked, Vec<u8>)> {
        self.unlock_with_memory(pin, device_secret, &mut KdfMemory::new())
    }

    /// [`PersistedAttempt::unlock`] reusing Argon2's memory between calls.
    pub fn unlock_with_memory(
        self,
        pin: &[u8],
        device_secret: Option<&SecretKey>,
        memory: &mut KdfMemory,
    ) -> Result<(Unlocked, Vec<u8>)> {
        let PersistedAttempt { mut blob, policy } = self;
        check_device_secret(blob.device_bound, device_secret)?;
        let kek = derive_pin_kek(pin, device_secret, &blob, memory)?;
        let master = aead_open(&kek, &blob.nonce, &blob.aad(), &blob.wrapped)
            .ok()
            .and_then(|m| <[u8; 32]>::try_from(m.as_slice()).ok());
        match master {
            Some(bytes) => {
                blob.failures = 0;
                let encoded = blob.encode();
                Ok((
                    Unlocked {
                        master: SecretKey::from_bytes(bytes),
                        blob,
                        lease: Lease::new(),
                    },
                    encoded,
                ))
            }
            None if blob.failures >= policy.wipe_after => Err(VaultError::WipedAfterFailures {
                failures: blob.failures,
            }),
            None => Err(VaultError::WrongPin {
                failures: blob.failures,
                remaining: policy.wipe_after - blob.failures,
                retry_at: policy.retry_at(blob.failures, blob.last_attempt_at),
            }),
        }
    }
}

/// The revocation flag shared by an [`Unlocked`] vault and every key handed out
/// from it: dropping the vault (lock, idle lock, wipe) revokes them all.
#[derive(Clone)]
pub(crate) struct Lease(Arc<AtomicBool>);

impl Lease {
    fn new() -> Self {
        Self(Arc::new(AtomicBool::new(false)))
    }

    /// Whether the vault these keys came from is still unlocked.
    pub(crate) fn is_live(&self) -> bool {
        !self.0.load(Ordering::Acquire)
    }

    fn revoke(&self) {
        self.0.store(true, Ordering::Release);
    }
}

/// An unlocked vault: the capability every key-using call needs. Holding it
/// means the PIN was checked; dropping it wipes the master key and revokes every
/// key ring entry and device key handed out from it (see "Key lifetime" above).
/// For idle auto-lock keep it in a [`Session`].
pub struct Unlocked {
    master: SecretKey,
    blob: ActiveBlob,
    lease: Lease,
}

impl Drop for Unlocked {
    fn drop(&mut self) {
        self.lease.revoke();
    }
}

impl Unlocked {
    /// The revocation flag that keys handed out from this vault carry.
    pub(crate) fn lease(&self) -> Lease {
        self.lease.clone()
    }

    /// The key-encryption key with id `key_id` for the envelope key ring:
    /// `HKDF-SHA256(ikm = master key, salt = none, info = "careguard/v1/keyring/kek" || key_id as u32 BE)`.
    ///
    /// The raw key outlives the vault; to have it revoked by lock and wipe, put it
    /// in a ring with [`Unlocked::key_ring`] or
    /// [`KeyRing::insert_from_vault`](crate::envelope::KeyRing::insert_from_vault).
    pub fn derive_kek(&self, key_id: u32) -> SecretKey {
        let mut info = [0u8; INFO_KEYRING.len() + 4];
        info[..INFO_KEYRING.len()].copy_from_slice(INFO_KEYRING);
        info[INFO_KEYRING.len()..].copy_from_slice(&key_id.to_be_bytes());
        hkdf_key(None, self.master.expose_secret(), &info)
    }

    /// Encrypts `secret` (an identity private key, say) under a key derived from
    /// the master key and `label`, so it is destroyed with the vault. Output:
    /// version (1) || nonce (12) || AES-256-GCM ciphertext and tag, with `label`
    /// as associated data.
    pub fn wrap_secret<R: CryptoRng + ?Sized>(
        &self,
        label: &str,
        secret: &[u8],
        rng: &mut R,
    ) -> Result<Vec<u8>> {
        if secret.len() > MAX_WRAPPED_SECRET_LEN {
            return Err(VaultError::SecretTooLong {
                len: secret.len(),
                max: MAX_WRAPPED_SECRET_LEN,
            });
        }
        let key = self.wrap_key(label)?;
        let mut nonce = [0u8; NONCE_LEN];
        rng.fill_bytes(&mut nonce);
        let mut out = Vec::with_capacity(WRAPPED_OVERHEAD + secret.len());
        out.push(WRAPPED_SECRET_VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&aead_seal(&key, &nonce, label.as_bytes(), secret)?);
        Ok(out)
    }

    /// Reverses [`Unlocked::wrap_secret`] for the same `label`.
    pub fn unwrap_secret(&self, label: &str, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        let key = self.wrap_key(label)?;
        let mut r = Reader::new("wrapped secret", wrapped);
        r.require(WRAPPED_OVERHEAD)?;
        r.version(WRAPPED_SECRET_VERSION)?;
        if wrapped.len() > WRAPPED_OVERHEAD + MAX_WRAPPED_SECRET_LEN {
            return Err(DecodeError::TrailingBytes {
                what: "wrapped secret",
                expected: WRAPPED_OVERHEAD + MAX_WRAPPED_SECRET_LEN,
                got: wrapped.len(),
            }
            .into());
        }
        let nonce = r.array::<NONCE_LEN>()?;
        aead_open(&key, &nonce, label.as_bytes(), r.rest()).map_err(|()| VaultError::Tampered)
    }

    fn wrap_key(&self, label: &str) -> Result<SecretKey> {
        if label.len() > MAX_LABEL_LEN {
            return Err(VaultError::LabelTooLong {
                len: label.len(),
                max: MAX_LABEL_LEN,
            });
        }
        let mut info = Vec::with_capacity(INFO_WRAP.len() + 1 + label.len());
        info.extend_from_slice(INFO_WRAP);
        info.push(0);
        info.extend_from_slice(label.as_bytes());
        Ok(hkdf_key(None, self.master.expose_secret(), &info))
    }

    /// An envelope key ring holding the KEKs `key_ids` (from
    /// [`Unlocked::derive_kek`]), in order, so the last one seals. Every
    /// envelope sealed with it becomes unreadable when the vault is wiped, and the
    /// ring's keys stop working (`KeyRevoked`) as soon as this vault is locked or
    /// wiped.
    ///
    /// ```
    /// use careguard::envelope::{self, Binding, SealContext};
    /// use careguard::vault::{KdfParams, Pin, Vault};
    /// use careguard::UnixSeconds;
    /// # let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    /// # let params = KdfParams::insecure_for_tests_only(64, 1, 1)?;
    /// let (vault, _blob) = Vault::create(&Pin::new("730419")?, None, &params, &mut rng)?;
    /// let ring = vault.key_ring(&[1, 2])?;
    /// assert_eq!(ring.sealing_key_id(), Some(2));
    /// let sealed = envelope::seal(&[&ring], b"bed 4", &SealContext::new(UnixSeconds(10)), &mut rng)?;
    /// let opened = envelope::open(&[&ring], &sealed, &Binding::default(), UnixSeconds(11))?;
    /// assert_eq!(&opened.payload[..], b"bed 4");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn key_ring(
        &self,
        key_ids: &[u32],
    ) -> core::result::Result<crate::envelope::KeyRing, crate::envelope::Error> {
        let mut ring = crate::envelope::KeyRing::new();
        for &id in key_ids {
            ring.insert_from_vault(self, id)?;
        }
        Ok(ring)
    }

    /// Re-wraps the same master key under a new PIN (new salt, new nonce,
    /// possibly new parameters and device secret) and returns the new blob. No
    /// message needs re-encrypting: every KEK derives from the unchanged master
    /// key. Nothing is stored until the app persists the returned blob (by an
    /// atomic replace), so a crash at any point leaves the old PIN working until
    /// the write and the new one after it. Keep the old device secret until the
    /// new blob is durable if you rotate it.
    pub fn change_pin<R: CryptoRng + ?Sized>(
        &mut self,
        new_pin: &Pin,
        device_secret: Option<&SecretKey>,
        params: &KdfParams,
        rng: &mut R,
    ) -> Result<Vec<u8>> {
        let blob = wrap_master(
            &self.master,
            new_pin,
            device_secret,
            params,
            rng,
            &mut KdfMemory::new(),
        )?;
        let bytes = blob.encode();
        self.blob = blob;
        Ok(bytes)
    }

    /// The current blob (counter reset), to persist again if needed.
    pub fn blob(&self) -> Vec<u8> {
        self.blob.encode()
    }

    /// The Argon2 parameters of the current blob.
    pub fn params(&self) -> KdfParams {
        self.blob.params
    }

    /// Locks the vault now, wiping the master key and revoking every key handed
    /// out from it (the same as dropping it).
    pub fn lock(self) {}
}

impl core::fmt::Debug for Unlocked {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Unlocked")
            .field("params", &self.blob.params)
            .field("device_bound", &self.blob.device_bound)
            .finish_non_exhaustive()
    }
}

fn check_device_secret(device_bound: bool, device_secret: Option<&SecretKey>) -> Result<()> {
    match (device_bound, device_secret.is_some()) {
        (true, false) => Err(VaultError::DeviceSecretRequired),
        (false, true) => Err(VaultError::DeviceSecretUnexpected),
        _ => Ok(()),
    }
}

fn wrap_master<R: CryptoRng + ?Sized>(
    master: &SecretKey,
    pin: &Pin,
    device_secret: Option<&SecretKey>,
    params: &KdfParams,
    rng: &mut R,
    memory: &mut KdfMemory,
) -> Result<ActiveBlob> {
    let mut blob = ActiveBlob {
        params: *params,
        device_bound: device_secret.is_some(),
        salt: [0; SALT_LEN],
        nonce: [0; NONCE_LEN],
        wrapped: [0; WRAPPED_LEN],
        failures: 0,
        last_attempt_at: 0,
    };
    rng.fill_bytes(&mut blob.salt);
    rng.fill_bytes(&mut blob.nonce);
    let kek = derive_pin_kek(pin.as_bytes(), device_secret, &blob, memory)?;
    let sealed = aead_seal(&kek, &blob.nonce, &blob.aad(), master.expose_secret())?;
    blob.wrapped =
        <[u8; WRAPPED_LEN]>::try_from(sealed.as_slice()).map_err(|_| VaultError::CipherFailed)?;
    Ok(blob)
}

/// `A = Argon2id(pin, salt, params)` (32 bytes), then
/// `KEK = HKDF-SHA256(salt = blob salt, ikm = A || device secret, info = "careguard/v1/vault/kek")`.
fn derive_pin_kek(
    pin: &[u8],
    device_secret: Option<&SecretKey>,
    blob: &ActiveBlob,
    memory: &mut KdfMemory,
) -> Result<SecretKey> {
    let mut ikm = Zeroizing::new([0u8; 64]);
    kdf::argon2id(
        &blob.params,
        pin,
        &blob.salt,
        None,
        &[],
        &mut ikm[..32],
        memory,
    )?;
    let ikm_len = match device_secret {
        Some(ds) => {
            ikm[32..].copy_from_slice(ds.expose_secret());
            64
        }
        None => 32,
    };
    Ok(hkdf_key(Some(&blob.salt), &ikm[..ikm_len], INFO_KEK))
}

fn hkdf_key(salt: Option<&[u8]>, ikm: &[u8], info: &[u8]) -> SecretKey {
    let mut okm = Zeroizing::new([0u8; 32]);
    // 32 bytes is far below HKDF-SHA256's 8160-byte limit, so expand cannot fail.
    let _ = Hkdf::<Sha256>::new(salt, ikm).expand(info, &mut okm[..]);
    SecretKey::from_bytes(*okm)
}

fn aead_seal(
    key: &SecretKey,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    let cipher = Aes256Gcm::new(<&Key<Aes256Gcm>>::from(key.expose_secret()));
    // Encryption fails only above GCM's 64 GiB limit; inputs here are bounded far below.
    cipher
        .encrypt(
            <&Nonce<_>>::from(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| VaultError::CipherFailed)
}

fn aead_open(
    key: &SecretKey,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    ciphertext: &[u8],
) -> core::result::Result<Zeroizing<Vec<u8>>, ()> {
    let cipher = Aes256Gcm::new(<&Key<Aes256Gcm>>::from(key.expose_secret()));
    cipher
        .decrypt(
            <&Nonce<_>>::from(nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| ())
}

#[cfg(test)]
mod tests;
