//! Envelopes: `KeyRing`, `seal`, `open`.

use std::sync::{Mutex, MutexGuard};

use careguard::envelope::{self, Binding, SealOptions};
use careguard::{KEY_LEN, SealContext, SecretKey, UnixSeconds};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use zeroize::Zeroizing;

use crate::errors::{self, INTERNAL, INVALID_LENGTH};

/// Key-encryption keys by id. The last key added seals; every key opens.
///
/// Keys from `Vault.key_ring` stop working (`KeyRevokedError`) once that vault is locked.
#[pyclass(frozen, module = "careguard")]
pub(crate) struct KeyRing {
    inner: Mutex<envelope::KeyRing>,
}

impl KeyRing {
    pub(crate) fn from_core(ring: envelope::KeyRing) -> Self {
        KeyRing {
            inner: Mutex::new(ring),
        }
    }

    fn lock(&self) -> PyResult<MutexGuard<'_, envelope::KeyRing>> {
        self.inner.lock().map_err(|_| poisoned())
    }

    /// Runs `f` on the ring without the GIL. The ring's lock is taken and released
    /// inside, never held while waiting for the GIL: a thread holding the GIL and
    /// waiting for the lock would otherwise deadlock with this one.
    fn detached<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&envelope::KeyRing) -> Result<T, envelope::Error> + Send,
    ) -> PyResult<T> {
        match py.detach(|| self.inner.lock().ok().map(|ring| f(&ring))) {
            Some(result) => result.map_err(|e| errors::envelope_error(&e)),
            None => Err(poisoned()),
        }
    }
}

fn poisoned() -> PyErr {
    errors::error(INTERNAL, "key ring unusable after an earlier panic")
}

pub(crate) fn secret_key(bytes: &[u8], what: &str) -> PyResult<SecretKey> {
    SecretKey::from_slice(bytes).ok_or_else(|| {
        errors::error(
            INVALID_LENGTH,
            format!("{what} must be {KEY_LEN} bytes, got {}", bytes.len()),
        )
    })
}

#[pymethods]
impl KeyRing {
    /// An empty ring.
    #[new]
    fn new() -> Self {
        Self::from_core(envelope::KeyRing::new())
    }

    /// Adds a 32-byte key under `key_id`; it becomes the sealing key.
    fn insert(&self, key_id: u32, key: &[u8]) -> PyResult<()> {
        let key = secret_key(key, "key")?;
        self.lock()?
            .insert(key_id, key)
            .map_err(|e| errors::envelope_error(&e))
    }

    /// Removes (and wipes) the key under `key_id`; returns whether it was there.
    fn remove(&self, key_id: u32) -> PyResult<bool> {
        Ok(self.lock()?.remove(key_id))
    }

    /// The id new envelopes are sealed under, or None for an empty ring.
    #[getter]
    fn sealing_key_id(&self) -> PyResult<Option<u32>> {
        Ok(self.lock()?.sealing_key_id())
    }

    /// Every key id, oldest first.
    #[getter]
    fn key_ids(&self) -> PyResult<Vec<u32>> {
        Ok(self.lock()?.key_ids().collect())
    }

    fn __repr__(&self) -> String {
        match self.lock() {
            Ok(ring) => format!("KeyRing(key_ids={:?})", ring.key_ids().collect::<Vec<_>>()),
            Err(_) => "KeyRing(<poisoned>)".to_owned(),
        }
    }
}

/// A fresh random 32-byte key from the operating system's RNG.
#[pyfunction]
pub(crate) fn generate_key(py: Python<'_>) -> Bound<'_, PyBytes> {
    let key = SecretKey::random();
    PyBytes::new(py, key.expose_secret())
}

/// The key id careguard derives from a key (what the CLI uses for `--key-file`).
#[pyfunction]
pub(crate) fn derive_key_id(key: &[u8]) -> PyResult<u32> {
    Ok(envelope::derive_key_id(&secret_key(key, "key")?))
}

/// An opened envelope: the plaintext and its authenticated header fields.
#[pyclass(frozen, module = "careguard")]
pub(crate) struct Opened {
    /// The plaintext.
    #[pyo3(get)]
    payload: Py<PyBytes>,
    /// The content type the sender gave ("" if none).
    #[pyo3(get)]
    content_type: String,
    /// When it was sealed (Unix seconds).
    #[pyo3(get)]
    created_at: u64,
    /// When it expires (Unix seconds), or None.
    #[pyo3(get)]
    expires_at: Option<u64>,
    /// The random 16-byte message id.
    #[pyo3(get)]
    message_id: Py<PyBytes>,
}

#[pymethods]
impl Opened {
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Opened(payload=<{} bytes>, content_type={:?}, created_at={}, expires_at={})",
            self.payload.bind(py).as_bytes().len(),
            self.content_type,
            self.created_at,
            self.expires_at.map_or("None".to_owned(), |t| t.to_string())
        )
    }
}

/// Seals `payload` under `ring`'s sealing key at `now` (Unix seconds), bound to a
/// conversation and sender (empty by default), padded to a size bucket unless
/// `padding=False`, expiring at `expires_at` if given.
#[pyfunction]
#[pyo3(signature = (ring, payload, *, now, conversation_id = b"".as_slice(), sender_id = b"".as_slice(), content_type = "", expires_at = None, padding = true))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn seal<'py>(
    py: Python<'py>,
    ring: &KeyRing,
    payload: &[u8],
    now: u64,
    conversation_id: &[u8],
    sender_id: &[u8],
    content_type: &str,
    expires_at: Option<u64>,
    padding: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let mut options = SealOptions::new()
        .content_type(content_type)
        .padding(padding);
    if let Some(t) = expires_at {
        options = options.expires_at(UnixSeconds(t));
    }
    let ctx = SealContext {
        binding: Binding::new(conversation_id, sender_id),
        options,
        now: UnixSeconds(now),
    };
    let sealed = ring.detached(py, |ring| {
        envelope::seal(&[ring], payload, &ctx, &mut envelope::os_rng())
    })?;
    Ok(PyBytes::new(py, &sealed))
}

/// Opens `envelope` with any key in `ring` at `now`, checking the binding; raises a
/// typed error (`WrongKeyError`, `ExpiredError`, `TamperedError`, ...) otherwise.
#[pyfunction]
#[pyo3(signature = (ring, envelope, *, now, conversation_id = b"".as_slice(), sender_id = b"".as_slice()))]
pub(crate) fn open(
    py: Python<'_>,
    ring: &KeyRing,
    envelope: &[u8],
    now: u64,
    conversation_id: &[u8],
    sender_id: &[u8],
) -> PyResult<Opened> {
    let opened = ring.detached(py, |ring| {
        envelope::open(
            &[ring],
            envelope,
            &Binding::new(conversation_id, sender_id),
            UnixSeconds(now),
        )
    })?;
    let payload: Zeroizing<Vec<u8>> = opened.payload;
    Ok(Opened {
        payload: PyBytes::new(py, &payload).unbind(),
        content_type: opened.header.content_type,
        created_at: opened.header.created_at,
        expires_at: opened.header.expires_at,
        message_id: PyBytes::new(py, &opened.header.message_id).unbind(),
    })
}
