//! Key rings and message envelopes (`careguard::envelope`).

use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use careguard::envelope::format::Header;
use careguard::envelope::{self, Binding};
use careguard::{SealContext, UnixSeconds};

use crate::error::{CareGuardError, Result};
use crate::key_arg;
use crate::vault::Vault;

/// How to seal an envelope.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SealOptions {
    /// A MIME type for the payload (at most 128 bytes), or none.
    pub content_type: Option<String>,
    /// When the envelope stops opening (Unix seconds), or never.
    pub expires_at: Option<u64>,
    /// Pad the payload to a size bucket, hiding its exact length.
    pub pad: bool,
}

impl SealOptions {
    pub(crate) fn to_core(&self) -> envelope::SealOptions {
        let mut options = envelope::SealOptions::new().padding(self.pad);
        if let Some(content_type) = &self.content_type {
            options = options.content_type(content_type);
        }
        if let Some(at) = self.expires_at {
            options = options.expires_at(UnixSeconds(at));
        }
        options
    }
}

/// An opened envelope: the payload and its authenticated header.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OpenedEnvelope {
    /// The decrypted payload.
    pub payload: Vec<u8>,
    /// The 16-byte message id.
    pub message_id: Vec<u8>,
    /// When it was sealed (Unix seconds, the sender's clock).
    pub created_at: u64,
    /// When it stops opening, if ever.
    pub expires_at: Option<u64>,
    /// Whether the payload was padded.
    pub padded: bool,
    /// The content type ("" if none).
    pub content_type: String,
}

impl OpenedEnvelope {
    pub(crate) fn new(payload: &[u8], header: &Header) -> Self {
        Self {
            payload: payload.to_vec(),
            message_id: header.message_id.to_vec(),
            created_at: header.created_at,
            expires_at: header.expires_at,
            padded: header.padded,
            content_type: header.content_type.to_string(),
        }
    }
}

/// Symmetric keys by 32-bit id: the newest seals, any opens (key rotation).
/// Calls may come from any thread (a read-write lock inside).
#[derive(uniffi::Object)]
pub struct KeyRing {
    ring: RwLock<envelope::KeyRing>,
}

fn poisoned() -> CareGuardError {
    CareGuardError::internal("key ring unusable after an earlier panic")
}

impl KeyRing {
    pub(crate) fn read(&self) -> Result<RwLockReadGuard<'_, envelope::KeyRing>> {
        self.ring.read().map_err(|_| poisoned())
    }

    fn write(&self) -> Result<RwLockWriteGuard<'_, envelope::KeyRing>> {
        self.ring.write().map_err(|_| poisoned())
    }
}

#[uniffi::export]
impl KeyRing {
    /// An empty key ring.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            ring: RwLock::new(envelope::KeyRing::new()),
        })
    }

    /// Adds a 32-byte key under `key_id`; it becomes the sealing key.
    pub fn insert(&self, key_id: u32, key: Vec<u8>) -> Result<()> {
        let key = key_arg(key, "key")?;
        self.write()?.insert(key_id, key)?;
        Ok(())
    }

    /// Adds the vault's message key under `key_id`; it lives only while `vault` stays
    /// unlocked (afterwards sealing and opening with it fail with `KeyRevoked`).
    pub fn insert_vault_kek(&self, vault: &Vault, key_id: u32, now: u64) -> Result<()> {
        let mut session = vault.session()?;
        let unlocked = session.vault(now)?;
        self.write()?.insert_from_vault(unlocked, key_id)?;
        Ok(())
    }

    /// Removes a key; whether it was there.
    pub fn remove(&self, key_id: u32) -> Result<bool> {
        Ok(self.write()?.remove(key_id))
    }

    /// The id of the key that seals, if any.
    pub fn sealing_key_id(&self) -> Result<Option<u32>> {
        Ok(self.read()?.sealing_key_id())
    }

    /// Seals `payload`, bound to a conversation and sender (`options` default to no
    /// content type, no expiry, padded).
    pub fn seal(
        &self,
        payload: Vec<u8>,
        conversation_id: Vec<u8>,
        sender_id: Vec<u8>,
        options: Option<SealOptions>,
        now: u64,
    ) -> Result<Vec<u8>> {
        let options = options.map_or_else(envelope::SealOptions::new, |o| o.to_core());
        let ring = self.read()?;
        let binding = Binding::new(&conversation_id, &sender_id);
        Ok(envelope::seal(
            &[&*ring],
            &payload,
            &SealContext {
                binding,
                options,
                now: UnixSeconds(now),
            },
            &mut envelope::os_rng(),
        )?)
    }

    /// Opens an envelope sealed to this ring with the same binding.
    pub fn open(
        &self,
        envelope: Vec<u8>,
        conversation_id: Vec<u8>,
        sender_id: Vec<u8>,
        now: u64,
    ) -> Result<OpenedEnvelope> {
        let ring = self.read()?;
        let binding = Binding::new(&conversation_id, &sender_id);
        let opened = envelope::open(&[&*ring], &envelope, &binding, UnixSeconds(now))?;
        Ok(OpenedEnvelope::new(&opened.payload, &opened.header))
    }
}

/// The key id a 32-byte key derives (the same on every device holding the key).
#[uniffi::export]
pub fn derive_key_id(key: Vec<u8>) -> Result<u32> {
    Ok(envelope::derive_key_id(&key_arg(key, "key")?))
}
