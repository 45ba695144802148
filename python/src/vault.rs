//! The PIN vault: create, unlock with a persistence callback, lock, change PIN.

use std::sync::{Mutex, MutexGuard};

use careguard::SecretKey;
use careguard::vault::{self, KdfParams, Pin, Unlocked, VaultError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes};

use crate::envelope::{KeyRing, secret_key};
use crate::errors::{self, INTERNAL, PERSIST_FAILED, VAULT_LOCKED};

/// How many failed PIN attempts are free, the delays (seconds) after the next ones,
/// and after how many failures the vault must be wiped. The default is 5 free
/// attempts, delays of 30 s, 1, 5, 15 and 60 min, and a wipe after 10.
#[pyclass(frozen, module = "careguard")]
pub(crate) struct LockoutPolicy {
    inner: vault::LockoutPolicy,
}

#[pymethods]
impl LockoutPolicy {
    /// A policy; raises `InvalidArgumentError` for `wipe_after=0` or missing delays.
    #[new]
    #[pyo3(signature = (*, free_attempts = 5, delays = vec![30, 60, 300, 900, 3600], wipe_after = 10))]
    fn new(free_attempts: u32, delays: Vec<u64>, wipe_after: u32) -> PyResult<Self> {
        let inner = vault::LockoutPolicy::new(free_attempts, &delays, wipe_after)
            .map_err(|e| errors::vault_error(&e))?;
        Ok(LockoutPolicy { inner })
    }
}

fn params(params: Option<(u32, u32, u32)>) -> PyResult<KdfParams> {
    match params {
        None => Ok(KdfParams::DEFAULT),
        Some((m_kib, t_cost, p_cost)) => {
            KdfParams::new(m_kib, t_cost, p_cost).map_err(|e| errors::vault_error(&e))
        }
    }
}

fn device_key(device_secret: Option<&[u8]>) -> PyResult<Option<SecretKey>> {
    device_secret
        .map(|s| secret_key(s, "device_secret"))
        .transpose()
}

/// The C ABI's `vault_locked` (35), without core's idle time, which `lock()` does not have.
fn locked_error() -> PyErr {
    errors::error(VAULT_LOCKED, "vault locked: unlock it again")
}

/// An unlocked vault. Keys handed out (`key_ring`) work until `lock()` (or until
/// this object is garbage-collected), then raise `KeyRevokedError`.
///
/// PINs arrive as Python strings, which Python may copy and never wipes; careguard
/// wipes its own copies.
#[pyclass(frozen, module = "careguard")]
pub(crate) struct Vault {
    inner: Mutex<Option<Unlocked>>,
}

impl Vault {
    fn new(unlocked: Unlocked) -> Self {
        Vault {
            inner: Mutex::new(Some(unlocked)),
        }
    }

    fn guard(&self) -> PyResult<MutexGuard<'_, Option<Unlocked>>> {
        self.inner
            .lock()
            .map_err(|_| errors::error(INTERNAL, "vault unusable after an earlier panic"))
    }

    /// Runs `f` with the unlocked vault (device keys are wrapped under it).
    pub(crate) fn with_unlocked<T>(&self, f: impl FnOnce(&Unlocked) -> PyResult<T>) -> PyResult<T> {
        let guard = self.guard()?;
        f(guard.as_ref().ok_or_else(locked_error)?)
    }
}

#[pymethods]
impl Vault {
    /// Makes a new vault under `pin` (and `device_secret`, 32 bytes, if given) with
    /// Argon2id `params` `(m_kib, t_cost, p_cost)` (default 64 MiB, t=3, p=1).
    /// Returns the unlocked vault and the blob the app must store.
    #[staticmethod]
    #[pyo3(signature = (pin, *, device_secret = None, params = None))]
    fn create<'py>(
        py: Python<'py>,
        pin: &str,
        device_secret: Option<&[u8]>,
        params: Option<(u32, u32, u32)>,
    ) -> PyResult<(Vault, Bound<'py, PyBytes>)> {
        let pin = Pin::new(pin).map_err(|e| errors::vault_error(&e))?;
        let device = device_key(device_secret)?;
        let params = self::params(params)?;
        let (unlocked, blob) = py
            .detach(|| {
                vault::Vault::create(
                    &pin,
                    device.as_ref(),
                    &params,
                    &mut careguard::envelope::os_rng(),
                )
            })
            .map_err(|e| errors::vault_error(&e))?;
        Ok((Vault::new(unlocked), PyBytes::new(py, &blob)))
    }

    /// Unlocks `blob` with `pin` at `now` (Unix seconds).
    ///
    /// The failed-attempt counter is written before the PIN is checked:
    /// `persist(expected, new)` must replace the stored blob with `new` if it still
    /// equals `expected` and return True, or return False (writing nothing) if it does
    /// not. After a correct PIN it is called once more to reset the counter. If it
    /// raises or returns anything else, `PersistFailedError` is raised (the exception
    /// as its cause) and the PIN is not checked; False gives `StaleBlobError`.
    #[staticmethod]
    #[pyo3(signature = (blob, pin, persist, *, now, device_secret = None, policy = None))]
    fn unlock(
        py: Python<'_>,
        blob: &[u8],
        pin: &str,
        persist: &Bound<'_, PyAny>,
        now: u64,
        device_secret: Option<&[u8]>,
        policy: Option<&LockoutPolicy>,
    ) -> PyResult<Vault> {
        let default_policy = vault::LockoutPolicy::default();
        let policy = policy.map_or(&default_policy, |p| &p.inner);
        let device = device_key(device_secret)?;
        let attempt =
            vault::Vault::begin_unlock(blob, policy, now).map_err(|e| errors::vault_error(&e))?;
        let counted = attempt.blob().to_vec();
        let ready =
            attempt.persist_with(|expected, new| call_persist(py, persist, expected, new))?;
        let pin = zeroize::Zeroizing::new(pin.as_bytes().to_vec());
        let (unlocked, reset) = py
            .detach(|| ready.unlock(&pin, device.as_ref()))
            .map_err(|e| errors::vault_error(&e))?;
        // The safe side of a failed reset is a counter that still counts this attempt,
        // so a failure here does not undo the unlock (as core's unlock_with_store).
        let _ = call_persist(py, persist, &counted, &reset);
        Ok(Vault::new(unlocked))
    }

    /// A key ring holding this vault's key-encryption keys `key_ids` (the last seals).
    fn key_ring(&self, key_ids: Vec<u32>) -> PyResult<KeyRing> {
        let guard = self.guard()?;
        let unlocked = guard.as_ref().ok_or_else(locked_error)?;
        let ring = unlocked
            .key_ring(&key_ids)
            .map_err(|e| errors::envelope_error(&e))?;
        Ok(KeyRing::from_core(ring))
    }

    /// Re-wraps the master key under `new_pin` (no message needs re-encrypting) and
    /// returns the new blob to store in place of the old one.
    #[pyo3(signature = (new_pin, *, device_secret = None, params = None))]
    fn change_pin<'py>(
        &self,
        py: Python<'py>,
        new_pin: &str,
        device_secret: Option<&[u8]>,
        params: Option<(u32, u32, u32)>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let pin = Pin::new(new_pin).map_err(|e| errors::vault_error(&e))?;
        let device = device_key(device_secret)?;
        let params = self::params(params)?;
        // The lock is taken without the GIL so that no thread holding the GIL waits on it.
        let blob = py.detach(|| {
            let mut guard = self.inner.lock().ok()?;
            let unlocked = guard.as_mut()?;
            Some(unlocked.change_pin(
                &pin,
                device.as_ref(),
                &params,
                &mut careguard::envelope::os_rng(),
            ))
        });
        match blob {
            Some(Ok(blob)) => Ok(PyBytes::new(py, &blob)),
            Some(Err(e)) => Err(errors::vault_error(&e)),
            None if self.guard()?.is_none() => Err(locked_error()),
            None => Err(errors::error(
                INTERNAL,
                "vault unusable after an earlier panic",
            )),
        }
    }

    /// The current blob (counter reset), to store again if needed.
    fn blob<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let guard = self.guard()?;
        let unlocked = guard.as_ref().ok_or_else(locked_error)?;
        Ok(PyBytes::new(py, &unlocked.blob()))
    }

    /// Locks now: wipes the master key and revokes every key handed out from it.
    fn lock(&self) -> PyResult<()> {
        drop(self.guard()?.take());
        Ok(())
    }

    /// Whether `lock()` was called.
    #[getter]
    fn locked(&self) -> PyResult<bool> {
        Ok(self.guard()?.is_none())
    }

    fn __repr__(&self) -> String {
        match self.inner.lock() {
            Ok(g) if g.is_some() => "Vault(unlocked)".to_owned(),
            Ok(_) => "Vault(locked)".to_owned(),
            Err(_) => "Vault(<poisoned>)".to_owned(),
        }
    }
}

/// Calls the app's persist callback: True is stored, False is stale, anything else
/// (or an exception) is a failure with the exception as its cause.
fn call_persist(
    py: Python<'_>,
    persist: &Bound<'_, PyAny>,
    expected: &[u8],
    new: &[u8],
) -> PyResult<()> {
    match persist.call1((PyBytes::new(py, expected), PyBytes::new(py, new))) {
        Ok(v) if v.is(PyBool::new(py, true)) => Ok(()),
        Ok(v) if v.is(PyBool::new(py, false)) => Err(errors::vault_error(&VaultError::StaleBlob)),
        Ok(_) => Err(errors::error(
            PERSIST_FAILED,
            "persist callback returned neither True nor False; the pin was not checked",
        )),
        Err(cause) => {
            let err = errors::error(
                PERSIST_FAILED,
                "persist callback raised; the attempt was not counted and the pin was not checked",
            );
            err.set_cause(py, Some(cause));
            Err(err)
        }
    }
}
