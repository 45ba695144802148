//! Key rings and message envelopes (`careguard::envelope`).

use core::ffi::c_char;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use careguard::envelope::format::Header;
use careguard::envelope::{self, Binding, KeyRing, SealOptions};
use careguard::{SealContext, UnixSeconds};

use crate::args::{bytes_arg, free_handle, handle_arg, into_handle, key_arg, str_arg};
use crate::buffer::{CgBytes, bytes_out, out_arg};
use crate::error::{FfiError, FfiResult, guard};
use crate::status::CgStatus;
use crate::vault::vault_arg;

/// Key-encryption keys by key id (`careguard::envelope::KeyRing`). The most recently
/// inserted key seals; every key opens, so keys rotate without losing old messages.
///
/// Made by `cg_keyring_new`, released by `cg_keyring_free` (which wipes the keys).
///
/// Thread safety: may be shared between threads. Seal and open take a read lock and
/// run concurrently; insert and remove take a write lock. Free it once, after every
/// other call on it has returned.
pub struct CgKeyring {
    ring: RwLock<KeyRing>,
}

impl CgKeyring {
    pub(crate) fn read(&self) -> FfiResult<RwLockReadGuard<'_, KeyRing>> {
        self.ring.read().map_err(|_| poisoned())
    }

    fn write(&self) -> FfiResult<RwLockWriteGuard<'_, KeyRing>> {
        self.ring.write().map_err(|_| poisoned())
    }
}

fn poisoned() -> FfiError {
    FfiError::new(CgStatus::Panic, "key ring unusable after an earlier panic")
}

/// Length of an envelope's message id.
pub const CG_MESSAGE_ID_LEN: usize = 16;
/// Longest content type, in bytes (visible ASCII).
pub const CG_MAX_CONTENT_TYPE_LEN: usize = 128;
/// Size of `cg_envelope_info.content_type`: the longest content type and its NUL.
pub const CG_CONTENT_TYPE_BUF_LEN: usize = 129;

/// How to seal. Pass NULL for the defaults: no content type, no expiry, padding on.
#[repr(C)]
#[derive(Debug)]
pub struct CgSealOptions {
    /// Declared content type (visible ASCII, at most 128 bytes), not NUL-terminated;
    /// NULL with length 0 for none.
    pub content_type: *const c_char,
    /// Length of `content_type` in bytes.
    pub content_type_len: usize,
    /// Unix seconds from which the envelope no longer opens (must be after `now`), or
    /// 0 for no expiry.
    pub expires_at: u64,
    /// Whether to pad the payload to a power-of-two bucket (at least 256 bytes) to
    /// hide its length. Recommended.
    pub pad: bool,
}

impl CgSealOptions {
    /// The core options for `options` (NULL: the defaults), for every sealing call.
    ///
    /// # Safety
    /// `options` is NULL or valid, its `content_type` readable for its length.
    pub(crate) unsafe fn to_core(options: *const CgSealOptions) -> FfiResult<SealOptions> {
        // SAFETY: caller guarantee: NULL or valid.
        let Some(o) = (unsafe { options.as_ref() }) else {
            return Ok(SealOptions::new());
        };
        // SAFETY: caller guarantee: content_type readable for its length.
        let content_type = unsafe { str_arg(o.content_type, o.content_type_len, "content_type") }?;
        let options = SealOptions::new().content_type(content_type).padding(o.pad);
        Ok(match o.expires_at {
            0 => options,
            at => options.expires_at(UnixSeconds(at)),
        })
    }
}

/// An opened envelope's authenticated header.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CgEnvelopeInfo {
    /// The random message id (for de-duplication).
    pub message_id: [u8; CG_MESSAGE_ID_LEN],
    /// When it was sealed (Unix seconds).
    pub created_at: u64,
    /// When it stops opening (Unix seconds), or 0 for never.
    pub expires_at: u64,
    /// Whether the payload was padded.
    pub padded: bool,
    /// The declared content type, NUL-terminated (empty if none).
    pub content_type: [c_char; CG_CONTENT_TYPE_BUF_LEN],
}

/// The C view of an authenticated envelope header.
pub(crate) fn envelope_info(header: &Header) -> CgEnvelopeInfo {
    let mut content_type = [0 as c_char; CG_CONTENT_TYPE_BUF_LEN];
    for (dst, src) in content_type
        .iter_mut()
        .zip(header.content_type.bytes().take(CG_MAX_CONTENT_TYPE_LEN))
    {
        *dst = src as c_char;
    }
    CgEnvelopeInfo {
        message_id: header.message_id,
        created_at: header.created_at,
        expires_at: header.expires_at.unwrap_or(0),
        padded: header.padded,
        content_type,
    }
}

/// # Safety
/// `ptr` is NULL or a live key ring handle.
unsafe fn ring_arg<'a>(ptr: *const CgKeyring) -> FfiResult<&'a CgKeyring> {
    // SAFETY: forwarded caller guarantee.
    unsafe { handle_arg(ptr, "keyring") }
}

/// Makes an empty key ring in `*out`.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_keyring_new(out: *mut *mut CgKeyring) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantee.
        let out = unsafe { out_arg(out, "out") }?;
        out.write(into_handle(CgKeyring {
            ring: RwLock::new(KeyRing::new()),
        }));
        Ok(())
    })
}

/// Adds a 32-byte key-encryption key under `key_id`; it becomes the sealing key.
/// The bytes are copied; wipe your copy.
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT` (the id is already in the ring),
/// `CG_STATUS_INVALID_LENGTH`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `keyring` is NULL or a live handle; `key` is readable for `key_len` bytes (or NULL
/// with 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_keyring_insert(
    keyring: *const CgKeyring,
    key_id: u32,
    key: *const u8,
    key_len: usize,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (ring, key) = unsafe { (ring_arg(keyring)?, key_arg(key, key_len, "key")?) };
        ring.write()?.insert(key_id, key)?;
        Ok(())
    })
}

/// Adds the vault's key-encryption key `key_id` (derived from the master key, so it
/// is destroyed by a wipe) to the ring; it becomes the sealing key. The key never
/// leaves careguard. Counts as vault activity at `now`.
///
/// The key lives only as long as the vault stays unlocked: after `cg_vault_lock`, an
/// idle lock, `cg_wipe_verify_and_execute`, `cg_wipe_local` or `cg_vault_free`, sealing
/// with it or opening an envelope that only it opens fails with `CG_STATUS_KEY_REVOKED`.
///
/// Errors: `CG_STATUS_VAULT_LOCKED`, `CG_STATUS_INVALID_ARGUMENT` (id already in the
/// ring), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `keyring` and `vault` are NULL or live handles.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_keyring_insert_vault_kek(
    keyring: *const CgKeyring,
    vault: *const crate::vault::CgVault,
    key_id: u32,
    now: u64,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (ring, vault) = unsafe { (ring_arg(keyring)?, vault_arg(vault)?) };
        let mut session = vault.lock()?;
        let unlocked = session.vault(now)?;
        ring.write()?.insert_from_vault(unlocked, key_id)?;
        Ok(())
    })
}

/// Removes (and wipes) the key under `key_id`; `*out_removed` (may be NULL) says
/// whether it was there. Envelopes sealed only to it stop opening.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `keyring` is NULL or a live handle; `out_removed` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_keyring_remove(
    keyring: *const CgKeyring,
    key_id: u32,
    out_removed: *mut bool,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantee.
        let ring = unsafe { ring_arg(keyring) }?;
        let removed = ring.write()?.remove(key_id);
        // SAFETY: caller guarantee: NULL or writable.
        if let Some(out) = unsafe { out_removed.as_mut() } {
            *out = removed;
        }
        Ok(())
    })
}

/// The id of the key new envelopes are sealed under: `*out_found` is false (and
/// `*out_key_id` 0) for an empty ring.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `keyring` is NULL or a live handle; the out-pointers are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_keyring_sealing_key_id(
    keyring: *const CgKeyring,
    out_found: *mut bool,
    out_key_id: *mut u32,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (ring, found, id) = unsafe {
            (
                ring_arg(keyring)?,
                out_arg(out_found, "out_found")?,
                out_arg(out_key_id, "out_key_id")?,
            )
        };
        let sealing = ring.read()?.sealing_key_id();
        found.write(sealing.is_some());
        id.write(sealing.unwrap_or(0));
        Ok(())
    })
}

/// A key id derived from the key itself (HKDF), for apps that have no numbering of
/// their own: the same key always gets the same id.
///
/// Errors: `CG_STATUS_INVALID_LENGTH`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `key` is readable for `key_len` bytes (or NULL with 0); `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_key_id_derive(
    key: *const u8,
    key_len: usize,
    out: *mut u32,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, key) = unsafe { (out_arg(out, "out")?, key_arg(key, key_len, "key")?) };
        out.write(envelope::derive_key_id(&key));
        Ok(())
    })
}

/// Releases a key ring, wiping its keys. Accepts NULL.
///
/// # Safety
/// `keyring` is NULL or a live handle no other thread is using; it is freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_keyring_free(keyring: *mut CgKeyring) {
    // SAFETY: forwarded caller guarantee.
    unsafe { free_handle(keyring) }
}

/// Seals `payload` (at most 16 MiB) under the ring's sealing key, bound to the
/// conversation and sender ids (each at most 1024 bytes; they are not transmitted and
/// must be given again to open), created at `now`. `options` NULL means the defaults.
/// `out` receives the envelope.
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT` (empty ring, bad content type, expiry not
/// after `now`, binding too long), `CG_STATUS_TOO_LARGE`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `keyring` is NULL or a live handle; buffers are readable for their lengths (or NULL
/// with 0); `options` is NULL or valid; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_envelope_seal(
    keyring: *const CgKeyring,
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
        let (out, ring, payload, conversation_id, sender_id, options) = unsafe {
            (
                bytes_out(out, "out")?,
                ring_arg(keyring)?,
                bytes_arg(payload, payload_len, "payload")?,
                bytes_arg(conversation_id, conversation_id_len, "conversation_id")?,
                bytes_arg(sender_id, sender_id_len, "sender_id")?,
                CgSealOptions::to_core(options)?,
            )
        };
        let ring = ring.read()?;
        let ctx = SealContext {
            binding: Binding::new(conversation_id, sender_id),
            options,
            now: UnixSeconds(now),
        };
        let sealed = envelope::seal(&[&*ring], payload, &ctx, &mut envelope::os_rng())?;
        out.write(CgBytes::copy_from(&sealed));
        Ok(())
    })
}

/// Opens an envelope with the ring's keys, checking it against the conversation and
/// sender ids given at sealing, at `now`. `out_payload` receives the plaintext (free it
/// with `cg_bytes_free`, which wipes it); `out_info` (may be NULL) the authenticated
/// header. Nothing is decrypted for an expired or malformed envelope.
///
/// Errors: `CG_STATUS_EXPIRED`, `CG_STATUS_WRONG_KEY`, `CG_STATUS_WRONG_BINDING`,
/// `CG_STATUS_TAMPERED`, `CG_STATUS_TRUNCATED`, `CG_STATUS_MALFORMED`,
/// `CG_STATUS_UNSUPPORTED_VERSION`, `CG_STATUS_TOO_LARGE`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `keyring` is NULL or a live handle; buffers are readable for their lengths (or NULL
/// with 0); `out_payload` is NULL or writable; `out_info` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_envelope_open(
    keyring: *const CgKeyring,
    envelope: *const u8,
    envelope_len: usize,
    conversation_id: *const u8,
    conversation_id_len: usize,
    sender_id: *const u8,
    sender_id_len: usize,
    now: u64,
    out_payload: *mut CgBytes,
    out_info: *mut CgEnvelopeInfo,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out, ring, sealed, conversation_id, sender_id, info) = unsafe {
            (
                bytes_out(out_payload, "out_payload")?,
                ring_arg(keyring)?,
                bytes_arg(envelope, envelope_len, "envelope")?,
                bytes_arg(conversation_id, conversation_id_len, "conversation_id")?,
                bytes_arg(sender_id, sender_id_len, "sender_id")?,
                out_info.as_mut(),
            )
        };
        let ring = ring.read()?;
        let binding = Binding::new(conversation_id, sender_id);
        let opened = envelope::open(&[&*ring], sealed, &binding, UnixSeconds(now))?;
        if let Some(info) = info {
            *info = envelope_info(&opened.header);
        }
        out.write(CgBytes::copy_from(&opened.payload));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use careguard::DecodeError;
    use careguard::envelope::Error;

    #[test]
    fn every_envelope_error_has_its_status() {
        let cases = [
            (
                Error::Decode(DecodeError::BadMagic { what: "envelope" }),
                CgStatus::Malformed,
            ),
            (
                Error::Decode(DecodeError::Truncated {
                    what: "envelope",
                    needed: 2,
                    got: 1,
                }),
                CgStatus::Truncated,
            ),
            (
                Error::Decode(DecodeError::UnsupportedVersion {
                    what: "envelope",
                    version: 2,
                }),
                CgStatus::UnsupportedVersion,
            ),
            (Error::UnsupportedSuite(2), CgStatus::UnsupportedVersion),
            (Error::Malformed { reason: "x" }, CgStatus::Malformed),
            (Error::TooLarge { len: 2, max: 1 }, CgStatus::TooLarge),
            (
                Error::Expired {
                    expires_at: 1,
                    now: 2,
                },
                CgStatus::Expired,
            ),
            (Error::WrongKey { key_ids: vec![1] }, CgStatus::WrongKey),
            (Error::WrongBinding, CgStatus::WrongBinding),
            (Error::Tampered, CgStatus::Tampered),
            (Error::KeyRevoked, CgStatus::KeyRevoked),
            (
                Error::PayloadTooLarge { len: 2, max: 1 },
                CgStatus::TooLarge,
            ),
            (
                Error::InvalidArgument {
                    argument: "x",
                    reason: "x",
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
    }
}
