//! `cg_vault`: the PIN vault behind an idle-locking session (`careguard::vault`).

use core::ffi::{c_char, c_void};
use std::sync::{Mutex, MutexGuard};

use careguard::SecretKey;
use careguard::vault::{
    BlobStatus, KdfParams, LockoutPolicy, Pin, Session, Unlocked, Vault, VaultError, WipeReason,
};

use crate::args::{bytes_arg, free_handle, handle_arg, into_handle, key_arg, str_arg};
use crate::buffer::{CgBytes, bytes_out, out_arg};
use crate::error::{FfiError, FfiResult, guard};
use crate::status::CgStatus;

/// An unlocked vault inside an idle-locking session.
///
/// Made by `cg_vault_create` or `cg_vault_unlock`, released by `cg_vault_free` (which
/// wipes the master key). Every call that uses the vault takes `now` and fails with
/// `CG_STATUS_VAULT_LOCKED` once `idle_timeout` seconds passed since the last call
/// (or if the clock went backwards); a locked handle stays locked: unlock again.
///
/// Thread safety: may be shared between threads; calls on one handle are serialised
/// by an internal lock (a PIN change holds it for one Argon2 run). Free it once,
/// after every other call on it has returned.
pub struct CgVault {
    session: Mutex<Session>,
}

impl CgVault {
    fn new(vault: Unlocked, idle_timeout: u64, now: u64) -> Self {
        Self {
            session: Mutex::new(Session::new(vault, idle_timeout, now)),
        }
    }

    pub(crate) fn lock(&self) -> FfiResult<MutexGuard<'_, Session>> {
        self.session.lock().map_err(|_| {
            FfiError::new(
                CgStatus::Panic,
                "vault handle unusable after an earlier panic",
            )
        })
    }
}

/// Argon2id cost parameters (memory in KiB, passes, lanes).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CgKdfParams {
    /// Memory cost in KiB (at least 19456).
    pub m_kib: u32,
    /// Passes over memory (at least 2).
    pub t_cost: u32,
    /// Lanes (1 to 16).
    pub p_cost: u32,
}

impl From<KdfParams> for CgKdfParams {
    fn from(p: KdfParams) -> Self {
        Self {
            m_kib: p.m_kib(),
            t_cost: p.t_cost(),
            p_cost: p.p_cost(),
        }
    }
}

/// Failed-attempt handling. Pass NULL wherever a `const cg_lockout_policy *` is taken
/// for the default: 5 free attempts, then delays of 30 s, 1 min, 5 min, 15 min and 1 h
/// (the last repeats), and a wipe at the 10th consecutive failure.
#[repr(C)]
#[derive(Debug)]
pub struct CgLockoutPolicy {
    /// Failures that cost no delay.
    pub free_attempts: u32,
    /// Delays in seconds after each further failure; the last repeats.
    pub delays: *const u64,
    /// Number of `delays`.
    pub delays_len: usize,
    /// The failure count that wipes the vault (at least 1).
    pub wipe_after: u32,
}

/// What a failed unlock leaves for the lock screen. Filled (when the pointer is not
/// NULL) on `CG_STATUS_WRONG_PIN`, `CG_STATUS_LOCKED_OUT` and
/// `CG_STATUS_WIPE_REQUIRED`; zeroed otherwise.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CgUnlockInfo {
    /// Consecutive failed attempts so far.
    pub failures: u32,
    /// Attempts left before the vault is wiped (`CG_STATUS_WRONG_PIN` only).
    pub remaining: u32,
    /// Earliest time of the next attempt (Unix seconds), or 0 if no delay applies.
    pub retry_at: u64,
}

/// Why a vault was wiped, as recorded in its tombstone.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CgWipeReason {
    /// Not wiped.
    None = 0,
    /// Too many failed PIN attempts.
    PinFailures = 1,
    /// A verified remote wipe order.
    RemoteOrder = 2,
    /// The user or the app asked for it.
    UserRequest = 3,
}

/// What an app can learn from a stored blob without the PIN (for its lock screen).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CgBlobStatus {
    /// Whether the blob is a tombstone (then only `wipe_reason` and `wiped_at` count).
    pub wiped: bool,
    /// Whether unlocking needs the device secret.
    pub device_bound: bool,
    /// Consecutive failed (or interrupted) attempts.
    pub failures: u32,
    /// Time of the last attempt (Unix seconds; 0 if none).
    pub last_attempt_at: u64,
    /// The blob's Argon2 parameters.
    pub params: CgKdfParams,
    /// Why it was wiped (`CG_WIPE_REASON_NONE` for a live vault).
    pub wipe_reason: CgWipeReason,
    /// When it was wiped (Unix seconds; 0 for a live vault).
    pub wiped_at: u64,
}

/// What a `cg_persist_fn` returns once the new blob is durably stored. Any other value
/// (0, a default, what a binding returns when the callback throws) is a failure, so a
/// broken store never lets the PIN be checked.
pub const CG_PERSIST_STORED: i32 = 0x5354_4F52;

/// What a `cg_persist_fn` returns when the stored blob is not `expected`: it wrote
/// nothing. `cg_vault_unlock` then fails with `CG_STATUS_STALE_BLOB`.
pub const CG_PERSIST_STALE: i32 = 0x5354_414C;

/// Called by `cg_vault_unlock` with `expected`, the blob the attempt began from, and
/// `blob`, the same vault whose failed-attempt counter already counts this attempt. It
/// is a compare-and-swap: if the stored blob is byte for byte `expected`, replace it
/// with `blob` atomically and return `CG_PERSIST_STORED` once the write is durable; if
/// the stored blob differs, write nothing and return `CG_PERSIST_STALE`. Anything else
/// (including 0) aborts the unlock with `CG_STATUS_PERSIST_FAILED` before the PIN is
/// checked. The compare makes two attempts begun from the same stored blob (a double
/// tap, a blob cached at start-up) count twice or not at all, never once. `context` is
/// passed through.
pub type CgPersistFn = Option<
    unsafe extern "C" fn(
        context: *mut c_void,
        expected: *const u8,
        expected_len: usize,
        blob: *const u8,
        blob_len: usize,
    ) -> i32,
>;

fn wipe_reason(reason: WipeReason) -> CgWipeReason {
    match reason {
        WipeReason::PinFailures => CgWipeReason::PinFailures,
        WipeReason::RemoteOrder => CgWipeReason::RemoteOrder,
        WipeReason::UserRequest => CgWipeReason::UserRequest,
        _ => CgWipeReason::None,
    }
}

/// # Safety
/// A non-NULL `params` points to a readable `cg_kdf_params`.
unsafe fn params_arg(params: *const CgKdfParams, default: KdfParams) -> FfiResult<KdfParams> {
    // SAFETY: caller guarantee.
    match unsafe { params.as_ref() } {
        None => Ok(default),
        Some(p) => Ok(KdfParams::new(p.m_kib, p.t_cost, p.p_cost)?),
    }
}

/// # Safety
/// A non-NULL `policy` points to a readable `cg_lockout_policy` whose `delays` are
/// readable for `delays_len` values.
unsafe fn policy_arg(policy: *const CgLockoutPolicy) -> FfiResult<LockoutPolicy> {
    // SAFETY: caller guarantee.
    let Some(p) = (unsafe { policy.as_ref() }) else {
        return Ok(LockoutPolicy::default());
    };
    let delays = if p.delays_len == 0 {
        &[][..]
    } else if p.delays.is_null() {
        return Err(FfiError::new(
            CgStatus::NullPointer,
            "`policy->delays` is NULL",
        ));
    } else {
        // SAFETY: non-NULL, and the caller guarantees delays_len readable values.
        unsafe { core::slice::from_raw_parts(p.delays, p.delays_len) }
    };
    Ok(LockoutPolicy::new(p.free_attempts, delays, p.wipe_after)?)
}

/// # Safety
/// As for `bytes_arg`.
unsafe fn device_secret_arg(ptr: *const u8, len: usize) -> FfiResult<Option<SecretKey>> {
    if ptr.is_null() && len == 0 {
        return Ok(None);
    }
    // SAFETY: forwarded caller guarantee.
    unsafe { key_arg(ptr, len, "device_secret") }.map(Some)
}

/// # Safety
/// `ptr` is NULL or a live handle from `cg_vault_create`/`cg_vault_unlock`.
pub(crate) unsafe fn vault_arg<'a>(ptr: *const CgVault) -> FfiResult<&'a CgVault> {
    // SAFETY: forwarded caller guarantee.
    unsafe { handle_arg(ptr, "vault") }
}

/// Fills `out` with the default Argon2 parameters: 64 MiB, 3 passes, 1 lane
/// (RFC 9106's second recommendation; about 0.2 s per unlock on a laptop core).
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `out` is NULL or writable for one `cg_kdf_params`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_kdf_params_default(out: *mut CgKdfParams) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantee.
        let out = unsafe { out_arg(out, "out") }?;
        out.write(KdfParams::DEFAULT.into());
        Ok(())
    })
}

/// Measures this device and fills `out` with the costliest parameters (memory
/// first, up to `max_m_kib`) whose derivation takes about `target_ms` milliseconds,
/// never below the default. Runs Argon2 up to 12 times: call it once, at setup, off
/// the main thread. Uses a monotonic timer only to size the work.
///
/// Errors: `CG_STATUS_NULL_POINTER`, `CG_STATUS_KDF_FAILED`.
///
/// # Safety
/// `out` is NULL or writable for one `cg_kdf_params`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_kdf_params_calibrate(
    target_ms: u64,
    max_m_kib: u32,
    out: *mut CgKdfParams,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantee.
        let out = unsafe { out_arg(out, "out") }?;
        let params = careguard::vault::calibrate_with_std_timer(target_ms, max_m_kib)?;
        out.write(params.into());
        Ok(())
    })
}

/// Reads a stored blob's public state into `out`: failed-attempt counter, whether a
/// device secret is needed, parameters, or the wipe record of a tombstone.
///
/// Errors: `CG_STATUS_NULL_POINTER`, and for bad bytes `CG_STATUS_TRUNCATED`,
/// `CG_STATUS_MALFORMED`, `CG_STATUS_UNSUPPORTED_VERSION`, `CG_STATUS_INVALID_ARGUMENT`
/// (Argon2 parameters out of bounds, including memory above 1 GiB),
/// `CG_STATUS_PARAMS_TOO_WEAK` (parameters below 19 MiB or t = 2).
///
/// # Safety
/// `blob` is readable for `blob_len` bytes (or NULL with 0); `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_vault_status(
    blob: *const u8,
    blob_len: usize,
    out: *mut CgBlobStatus,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, blob) = unsafe { (out_arg(out, "out")?, bytes_arg(blob, blob_len, "blob")?) };
        let default_params = CgKdfParams::from(KdfParams::DEFAULT);
        let status = match Vault::status(blob)? {
            BlobStatus::Active {
                params,
                device_bound,
                failures,
                last_attempt_at,
            } => CgBlobStatus {
                wiped: false,
                device_bound,
                failures,
                last_attempt_at,
                params: params.into(),
                wipe_reason: CgWipeReason::None,
                wiped_at: 0,
            },
            BlobStatus::Wiped { reason, wiped_at } => CgBlobStatus {
                wiped: true,
                device_bound: false,
                failures: 0,
                last_attempt_at: 0,
                params: default_params,
                wipe_reason: wipe_reason(reason),
                wiped_at,
            },
            _ => {
                return Err(FfiError::new(
                    CgStatus::Internal,
                    "unknown vault blob state",
                ));
            }
        };
        out.write(status);
        Ok(())
    })
}

/// Creates a vault: a random master key wrapped under `pin` (UTF-8 digits, checked
/// against the PIN policy: at least 6 digits, not common, not a run or repeat) and,
/// if given, the 32-byte `device_secret` from the Keychain/Keystore (NULL with length 0
/// for none; strongly recommended). `params` NULL means the default.
///
/// On success `*out_vault` is the unlocked vault (idle timeout `idle_timeout`
/// seconds from `now`) and `out_blob` the blob to persist.
///
/// Errors: `CG_STATUS_NULL_POINTER`, `CG_STATUS_INVALID_UTF8`, `CG_STATUS_WEAK_PIN`,
/// `CG_STATUS_INVALID_LENGTH` (device secret not 32 bytes), `CG_STATUS_PARAMS_TOO_WEAK`,
/// `CG_STATUS_INVALID_ARGUMENT`, `CG_STATUS_KDF_FAILED`.
///
/// # Safety
/// Buffers are readable for their lengths (or NULL with length 0); `params` is NULL
/// or readable; `out_vault` and `out_blob` are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_vault_create(
    pin: *const c_char,
    pin_len: usize,
    device_secret: *const u8,
    device_secret_len: usize,
    params: *const CgKdfParams,
    idle_timeout: u64,
    now: u64,
    out_vault: *mut *mut CgVault,
    out_blob: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out_blob, out_vault) = unsafe {
            (
                bytes_out(out_blob, "out_blob")?,
                out_arg(out_vault, "out_vault")?,
            )
        };
        out_vault.write(core::ptr::null_mut());
        // SAFETY: caller guarantees for every pointer.
        let (pin, device_secret, params) = unsafe {
            (
                str_arg(pin, pin_len, "pin")?,
                device_secret_arg(device_secret, device_secret_len)?,
                params_arg(params, KdfParams::DEFAULT)?,
            )
        };
        let pin = Pin::new(pin)?;
        let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
        let (vault, blob) = Vault::create(&pin, device_secret.as_ref(), &params, &mut rng)?;
        out_blob.write(CgBytes::copy_from(&blob));
        out_vault.write(into_handle(CgVault::new(vault, idle_timeout, now)));
        Ok(())
    })
}

/// Unlocks a stored blob with `pin`, counting the attempt *before* checking it:
///
/// 1. the blob is checked against `policy` (NULL: the default) at `now`: a delay in
///    force gives `CG_STATUS_LOCKED_OUT`, a reached limit `CG_STATUS_WIPE_REQUIRED`, a
///    tombstone `CG_STATUS_WIPED`;
/// 2. `persist(persist_context, expected, expected_len, blob, len)` is called: a
///    compare-and-swap from `expected` (the bytes of `blob` given here) to the blob that
///    already counts this attempt as failed (see `cg_persist_fn`). Unless it returns
///    `CG_PERSIST_STORED` the call stops, with `CG_STATUS_STALE_BLOB` for
///    `CG_PERSIST_STALE` and `CG_STATUS_PERSIST_FAILED` for anything else, and the PIN
///    is never checked. So killing the app during the (slow) check never gives a free
///    guess, and neither does starting two attempts from one stored blob;
/// 3. the PIN (and `device_secret`, as at creation) is checked. On success
///    `*out_vault` is the unlocked vault and `out_blob` the blob with the counter
///    reset, which the app should persist too. On `CG_STATUS_WRONG_PIN` the counter
///    stays as persisted.
///
/// `out_info` (may be NULL) receives failures, remaining attempts and retry time on
/// `CG_STATUS_WRONG_PIN`, `CG_STATUS_LOCKED_OUT` and `CG_STATUS_WIPE_REQUIRED`.
///
/// Pass the blob just read from storage, never a copy kept in memory: a stale copy
/// only ever gives `CG_STATUS_STALE_BLOB`.
///
/// Errors: those above, `CG_STATUS_NULL_POINTER` (including a NULL `persist`),
/// `CG_STATUS_INVALID_LENGTH`, `CG_STATUS_DEVICE_SECRET_REQUIRED`,
/// `CG_STATUS_DEVICE_SECRET_UNEXPECTED`, blob format errors (as for `cg_vault_status`,
/// including `CG_STATUS_PARAMS_TOO_WEAK` and `CG_STATUS_INVALID_ARGUMENT` for Argon2
/// parameters below the floor or above 1 GiB, before anything runs),
/// `CG_STATUS_KDF_FAILED`.
///
/// # Safety
/// Buffers are readable for their lengths (or NULL with length 0); `policy` is NULL or
/// valid; `persist` is a function safe to call with `persist_context`; out-pointers
/// are NULL or writable (`out_info` may be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_vault_unlock(
    blob: *const u8,
    blob_len: usize,
    pin: *const c_char,
    pin_len: usize,
    device_secret: *const u8,
    device_secret_len: usize,
    policy: *const CgLockoutPolicy,
    idle_timeout: u64,
    now: u64,
    persist: CgPersistFn,
    persist_context: *mut c_void,
    out_vault: *mut *mut CgVault,
    out_blob: *mut CgBytes,
    out_info: *mut CgUnlockInfo,
) -> CgStatus {
    // SAFETY: caller guarantee: out_info is NULL or writable.
    let mut info = unsafe { out_info.as_mut() };
    if let Some(info) = info.as_deref_mut() {
        *info = CgUnlockInfo::default();
    }
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out_blob, out_vault) = unsafe {
            (
                bytes_out(out_blob, "out_blob")?,
                out_arg(out_vault, "out_vault")?,
            )
        };
        out_vault.write(core::ptr::null_mut());
        // SAFETY: caller guarantees for every pointer.
        let (blob, pin, device_secret, policy) = unsafe {
            (
                bytes_arg(blob, blob_len, "blob")?,
                bytes_arg(pin.cast::<u8>(), pin_len, "pin")?,
                device_secret_arg(device_secret, device_secret_len)?,
                policy_arg(policy)?,
            )
        };
        let persist =
            persist.ok_or_else(|| FfiError::new(CgStatus::NullPointer, "`persist` is NULL"))?;
        let mut failed = |err: VaultError| {
            if let Some(info) = info.as_deref_mut() {
                *info = unlock_info(&err);
            }
            FfiError::from(err)
        };
        let attempt = Vault::begin_unlock(blob, &policy, now).map_err(&mut failed)?;
        let ready = attempt.persist_with(|expected, bytes| {
            // SAFETY: the caller guarantees `persist` may be called with its context;
            // both pointers are valid for the duration of the call.
            let code = unsafe {
                persist(
                    persist_context,
                    expected.as_ptr(),
                    expected.len(),
                    bytes.as_ptr(),
                    bytes.len(),
                )
            };
            match code {
                CG_PERSIST_STORED => Ok(()),
                CG_PERSIST_STALE => Err(FfiError::from(VaultError::StaleBlob)),
                code => Err(FfiError::new(
                    CgStatus::PersistFailed,
                    format!(
                        "persist callback returned {code}, not CG_PERSIST_STORED; \
                         the attempt was not counted and the pin was not checked"
                    ),
                )),
            }
        })?;
        let (vault, reset_blob) = ready
            .unlock(pin, device_secret.as_ref())
            .map_err(&mut failed)?;
        out_blob.write(CgBytes::copy_from(&reset_blob));
        out_vault.write(into_handle(CgVault::new(vault, idle_timeout, now)));
        Ok(())
    })
}

fn unlock_info(err: &VaultError) -> CgUnlockInfo {
    match *err {
        VaultError::WrongPin {
            failures,
            remaining,
            retry_at,
        } => CgUnlockInfo {
            failures,
            remaining,
            retry_at: retry_at.unwrap_or(0),
        },
        VaultError::LockedOut {
            failures, retry_at, ..
        } => CgUnlockInfo {
            failures,
            remaining: 0,
            retry_at,
        },
        VaultError::WipedAfterFailures { failures } => CgUnlockInfo {
            failures,
            remaining: 0,
            retry_at: 0,
        },
        _ => CgUnlockInfo::default(),
    }
}

/// Records user activity at `now`, or fails with `CG_STATUS_VAULT_LOCKED` if the vault
/// has been idle for its timeout (or was locked, or `now` went backwards).
///
/// # Safety
/// `vault` is NULL or a live vault handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_vault_touch(vault: *const CgVault, now: u64) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantee.
        let vault = unsafe { vault_arg(vault) }?;
        vault.lock()?.vault(now)?;
        Ok(())
    })
}

/// The idle check, for the app's timer: locks the vault if it has been idle for its
/// timeout at `now` (or `now` went backwards), without counting as activity.
/// `*out_locked` says whether it is locked; `*out_locks_at` (may be NULL) is when it
/// will lock if nothing happens, or 0 if it is locked. Schedule the next check then.
///
/// # Safety
/// `vault` is NULL or a live vault handle; `out_locked` is NULL or writable;
/// `out_locks_at` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_vault_lock_if_idle(
    vault: *const CgVault,
    now: u64,
    out_locked: *mut bool,
    out_locks_at: *mut u64,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (vault, out_locked) =
            unsafe { (vault_arg(vault)?, out_arg(out_locked, "out_locked")?) };
        let mut session = vault.lock()?;
        out_locked.write(session.lock_if_idle(now));
        // SAFETY: caller guarantee: NULL or writable.
        if let Some(at) = unsafe { out_locks_at.as_mut() } {
            *at = session.locks_at().unwrap_or(0);
        }
        Ok(())
    })
}

/// Locks the vault now, wiping the master key. The handle stays valid (every use
/// then fails with `CG_STATUS_VAULT_LOCKED`) until `cg_vault_free`.
///
/// # Safety
/// `vault` is NULL or a live vault handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_vault_lock(vault: *const CgVault) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantee.
        let vault = unsafe { vault_arg(vault) }?;
        vault.lock()?.lock();
        Ok(())
    })
}

/// Re-wraps the master key under `new_pin` (and `device_secret`, NULL/0 for none;
/// `params`, NULL to keep the current ones) and puts the new blob in `out_blob`.
/// Nothing changes on disk until the app atomically replaces the stored blob with it;
/// no message needs re-encrypting. Counts as activity at `now`.
///
/// Errors: `CG_STATUS_VAULT_LOCKED`, `CG_STATUS_WEAK_PIN`, `CG_STATUS_INVALID_UTF8`,
/// `CG_STATUS_INVALID_LENGTH`, `CG_STATUS_PARAMS_TOO_WEAK`, `CG_STATUS_NULL_POINTER`,
/// `CG_STATUS_KDF_FAILED`.
///
/// # Safety
/// `vault` is NULL or a live handle; buffers are readable for their lengths (or NULL
/// with 0); `params` is NULL or readable; `out_blob` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_vault_change_pin(
    vault: *const CgVault,
    new_pin: *const c_char,
    new_pin_len: usize,
    device_secret: *const u8,
    device_secret_len: usize,
    params: *const CgKdfParams,
    now: u64,
    out_blob: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out_blob, vault) = unsafe { (bytes_out(out_blob, "out_blob")?, vault_arg(vault)?) };
        // SAFETY: caller guarantees for every pointer.
        let (pin, device_secret) = unsafe {
            (
                str_arg(new_pin, new_pin_len, "new_pin")?,
                device_secret_arg(device_secret, device_secret_len)?,
            )
        };
        let pin = Pin::new(pin)?;
        let mut session = vault.lock()?;
        let unlocked = session.vault(now)?;
        // SAFETY: caller guarantee.
        let params = unsafe { params_arg(params, unlocked.params()) }?;
        let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
        let blob = unlocked.change_pin(&pin, device_secret.as_ref(), &params, &mut rng)?;
        out_blob.write(CgBytes::copy_from(&blob));
        Ok(())
    })
}

/// Encrypts `secret` (up to 64 KiB; an identity key, a database key...) under a key
/// derived from the master key and `label` (UTF-8, at most 64 bytes), so it is
/// destroyed with the vault. Store `out` anywhere. Counts as activity at `now`.
///
/// Errors: `CG_STATUS_VAULT_LOCKED`, `CG_STATUS_INVALID_LENGTH` (label too long),
/// `CG_STATUS_TOO_LARGE`, `CG_STATUS_INVALID_UTF8`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `vault` is NULL or a live handle; buffers are readable for their lengths (or NULL
/// with 0); `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_vault_wrap_secret(
    vault: *const CgVault,
    label: *const c_char,
    label_len: usize,
    secret: *const u8,
    secret_len: usize,
    now: u64,
    out: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out, vault, label, secret) = unsafe {
            (
                bytes_out(out, "out")?,
                vault_arg(vault)?,
                str_arg(label, label_len, "label")?,
                bytes_arg(secret, secret_len, "secret")?,
            )
        };
        let mut session = vault.lock()?;
        let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
        let wrapped = session.vault(now)?.wrap_secret(label, secret, &mut rng)?;
        out.write(CgBytes::copy_from(&wrapped));
        Ok(())
    })
}

/// Reverses `cg_vault_wrap_secret` for the same `label`; `out` receives the secret
/// (free it with `cg_bytes_free`, which wipes it). Counts as activity at `now`.
///
/// Errors: `CG_STATUS_VAULT_LOCKED`, `CG_STATUS_TAMPERED` (other label, other vault or
/// altered), `CG_STATUS_TRUNCATED`, `CG_STATUS_UNSUPPORTED_VERSION`,
/// `CG_STATUS_MALFORMED`, `CG_STATUS_INVALID_LENGTH`, `CG_STATUS_INVALID_UTF8`,
/// `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// As for `cg_vault_wrap_secret`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_vault_unwrap_secret(
    vault: *const CgVault,
    label: *const c_char,
    label_len: usize,
    wrapped: *const u8,
    wrapped_len: usize,
    now: u64,
    out: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out, vault, label, wrapped) = unsafe {
            (
                bytes_out(out, "out")?,
                vault_arg(vault)?,
                str_arg(label, label_len, "label")?,
                bytes_arg(wrapped, wrapped_len, "wrapped")?,
            )
        };
        let mut session = vault.lock()?;
        let secret = session.vault(now)?.unwrap_secret(label, wrapped)?;
        out.write(CgBytes::copy_from(&secret));
        Ok(())
    })
}

/// Releases a vault handle, wiping the master key. Accepts NULL.
///
/// # Safety
/// `vault` is NULL or a live handle no other thread is using; it is freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_vault_free(vault: *mut CgVault) {
    // SAFETY: forwarded caller guarantee.
    unsafe { free_handle(vault) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use careguard::DecodeError;
    use careguard::vault::WeakPin;

    #[test]
    fn every_vault_error_has_its_status() {
        let cases = [
            (
                VaultError::Decode(DecodeError::Truncated {
                    what: "x",
                    needed: 2,
                    got: 1,
                }),
                CgStatus::Truncated,
            ),
            (
                VaultError::Decode(DecodeError::TrailingBytes {
                    what: "x",
                    expected: 1,
                    got: 2,
                }),
                CgStatus::Malformed,
            ),
            (
                VaultError::Decode(DecodeError::BadMagic { what: "x" }),
                CgStatus::Malformed,
            ),
            (
                VaultError::Decode(DecodeError::UnsupportedVersion {
                    what: "x",
                    version: 9,
                }),
                CgStatus::UnsupportedVersion,
            ),
            (VaultError::UnknownState(9), CgStatus::Malformed),
            (VaultError::UnsupportedKdf(9), CgStatus::Malformed),
            (VaultError::UnknownFlags(9), CgStatus::Malformed),
            (VaultError::UnknownWipeReason(9), CgStatus::Malformed),
            (
                VaultError::InvalidParams {
                    m_kib: 1,
                    t_cost: 0,
                    p_cost: 0,
                },
                CgStatus::InvalidArgument,
            ),
            (
                VaultError::ParamsTooWeak {
                    m_kib: 1,
                    t_cost: 1,
                },
                CgStatus::ParamsTooWeak,
            ),
            (
                VaultError::WeakPin {
                    reason: WeakPin::Common,
                },
                CgStatus::WeakPin,
            ),
            (
                VaultError::WrongPin {
                    failures: 1,
                    remaining: 9,
                    retry_at: None,
                },
                CgStatus::WrongPin,
            ),
            (
                VaultError::WipedAfterFailures { failures: 10 },
                CgStatus::WipeRequired,
            ),
            (
                VaultError::LockedOut {
                    failures: 6,
                    retry_at: 30,
                    now: 1,
                },
                CgStatus::LockedOut,
            ),
            (
                VaultError::Wiped {
                    reason: WipeReason::RemoteOrder,
                    wiped_at: 5,
                },
                CgStatus::Wiped,
            ),
            (
                VaultError::DeviceSecretRequired,
                CgStatus::DeviceSecretRequired,
            ),
            (
                VaultError::DeviceSecretUnexpected,
                CgStatus::DeviceSecretUnexpected,
            ),
            (VaultError::Locked { idle_since: 5 }, CgStatus::VaultLocked),
            (
                VaultError::InvalidArgument {
                    argument: "x",
                    reason: "x",
                },
                CgStatus::InvalidArgument,
            ),
            (
                VaultError::LabelTooLong { len: 65, max: 64 },
                CgStatus::InvalidLength,
            ),
            (
                VaultError::SecretTooLong { len: 9, max: 8 },
                CgStatus::TooLarge,
            ),
            (VaultError::Tampered, CgStatus::Tampered),
            (VaultError::KdfFailed, CgStatus::KdfFailed),
            (VaultError::PersistFailed, CgStatus::PersistFailed),
            (VaultError::StaleBlob, CgStatus::StaleBlob),
        ];
        for (err, status) in cases {
            let message = err.to_string();
            let ffi = FfiError::from(err);
            assert_eq!(ffi.status, status, "{message}");
            assert_eq!(ffi.message, message);
        }
    }
}
