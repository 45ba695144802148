//! Message envelopes: `KeyRing`, `envelopeSeal`, `envelopeOpen`, `keyIdFor`.

use careguard::envelope::{self, Binding, SealOptions};
use careguard::{SealContext, UnixSeconds};
use wasm_bindgen::prelude::*;

use crate::convert::{
    absent, bytes, bytes_or_text, get, number, object, opt_bool, opt_number, opt_string,
    options_object, seconds_to_js, secret_key, to_u32, uint8array, unix_seconds,
};
use crate::error::IntoJs;

#[wasm_bindgen(typescript_custom_section)]
const TS_ENVELOPE: &str = r#"
/** What an envelope is bound to; `open` needs the same values. Strings are UTF-8 encoded. */
export interface EnvelopeBinding {
  conversationId?: Uint8Array | string;
  senderId?: Uint8Array | string;
}

/** How to seal. */
export interface SealOptions {
  /** Declared content type, at most 128 visible ASCII characters. Default: empty. */
  contentType?: string;
  /** Unix seconds from which the envelope no longer opens (after `now`). Default: never. */
  expiresAt?: number;
  /** Pad the payload to a power-of-two bucket (>= 256 bytes) to hide its length. Default: true. */
  padding?: boolean;
}

/** The authenticated header of an opened envelope. */
export interface EnvelopeHeader {
  /** 16 random bytes, for de-duplication. */
  messageId: Uint8Array;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds, or null for never. */
  expiresAt: number | null;
  contentType: string;
  padded: boolean;
  /** Key ids of the `kek` stanzas. */
  keyIds: number[];
}

/** An opened envelope. */
export interface OpenedEnvelope {
  payload: Uint8Array;
  header: EnvelopeHeader;
}
"#;

/// Key-encryption keys by key id (u32). The most recently inserted key seals; all
/// of them open, so keys can rotate. Keys live only in WASM memory and are wiped by
/// `remove` or `free()`.
#[wasm_bindgen]
#[derive(Default)]
pub struct KeyRing {
    inner: careguard::KeyRing,
}

#[wasm_bindgen]
impl KeyRing {
    /// An empty key ring.
    #[wasm_bindgen(constructor)]
    pub fn new() -> KeyRing {
        KeyRing::default()
    }

    /// Adds a 32-byte key under `keyId`; it becomes the sealing key. The copy passed
    /// in is wiped from WASM memory (the caller's own array is the caller's to wipe).
    /// Throws `invalid_length` for a key that is not 32 bytes, `invalid_argument` for
    /// a duplicate id.
    pub fn insert(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] key_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] key: JsValue,
    ) -> Result<(), JsValue> {
        const OP: &str = "KeyRing.insert";
        let key_id = number(OP, "keyId", &key_id)?;
        let key_id = to_u32(OP, "keyId", key_id)?;
        let key = secret_key(OP, "key", bytes(OP, "key", &key)?)?;
        self.inner.insert(key_id, key).js(OP)
    }

    /// Removes (and wipes) the key under `keyId`; returns whether it was there.
    pub fn remove(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] key_id: JsValue,
    ) -> Result<bool, JsValue> {
        let key_id = number("KeyRing.remove", "keyId", &key_id)?;
        Ok(self
            .inner
            .remove(to_u32("KeyRing.remove", "keyId", key_id)?))
    }

    /// The id of the key new envelopes are sealed under, or `undefined` when empty.
    #[wasm_bindgen(getter, js_name = sealingKeyId)]
    pub fn sealing_key_id(&self) -> Option<u32> {
        self.inner.sealing_key_id()
    }

    /// Every key id, oldest first.
    #[wasm_bindgen(js_name = keyIds, unchecked_return_type = "number[]")]
    pub fn key_ids(&self) -> js_sys::Array {
        self.inner.key_ids().map(JsValue::from).collect()
    }
}

impl KeyRing {
    /// Inserts the vault's key-encryption key for `key_id`, made inside WASM so it never
    /// reaches JS, and tied to the vault: once it locks or is wiped the key is refused.
    pub(crate) fn insert_from_vault(
        &mut self,
        operation: &'static str,
        vault: &careguard::vault::Unlocked,
        key_id: u32,
    ) -> Result<(), JsValue> {
        self.inner.insert_from_vault(vault, key_id).js(operation)
    }

    /// The core key ring (for the identity functions).
    #[cfg(feature = "identity")]
    pub(crate) fn core(&self) -> &careguard::KeyRing {
        &self.inner
    }
}

/// The binding fields, UTF-8 encoded if strings.
pub(crate) fn binding_fields(
    operation: &'static str,
    binding: &JsValue,
) -> Result<(Vec<u8>, Vec<u8>), JsValue> {
    options_object(operation, "binding", binding)?;
    let field = |key: &str| {
        let value = get(binding, key);
        if absent(&value) {
            Ok(Vec::new())
        } else {
            bytes_or_text(operation, key, &value)
        }
    };
    Ok((field("conversationId")?, field("senderId")?))
}

/// Seals `payload` (bytes, or a string sealed as UTF-8) to the key ring's sealing key,
/// bound to `binding`, at `now` (Unix seconds). Returns the envelope bytes.
#[wasm_bindgen(js_name = envelopeSeal)]
pub fn envelope_seal(
    ring: &KeyRing,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] payload: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EnvelopeBinding | undefined")] binding: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SealOptions | undefined")] options: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] now: JsValue,
) -> Result<Vec<u8>, JsValue> {
    const OP: &str = "envelopeSeal";
    let now = number(OP, "now", &now)?;
    let now = unix_seconds(OP, "now", now)?;
    let payload = zeroize::Zeroizing::new(bytes_or_text(OP, "payload", &payload)?);
    let (conversation, sender) = binding_fields(OP, &binding)?;
    let ctx = SealContext {
        binding: Binding::new(&conversation, &sender),
        options: seal_options(OP, &options)?,
        now: UnixSeconds(now),
    };
    envelope::seal(&[&ring.inner], &payload, &ctx, &mut envelope::os_rng()).js(OP)
}

/// The JS `SealOptions` (or `undefined`, the defaults) as core options.
pub(crate) fn seal_options(op: &'static str, options: &JsValue) -> Result<SealOptions, JsValue> {
    options_object(op, "options", options)?;
    let mut seal_options = SealOptions::new();
    if let Some(content_type) = opt_string(op, options, "contentType")? {
        seal_options = seal_options.content_type(content_type);
    }
    if let Some(expires_at) = opt_number(op, options, "expiresAt")? {
        seal_options =
            seal_options.expires_at(UnixSeconds(unix_seconds(op, "expiresAt", expires_at)?));
    }
    if let Some(padding) = opt_bool(op, options, "padding")? {
        seal_options = seal_options.padding(padding);
    }
    Ok(seal_options)
}

/// Opens an envelope with the key ring, checking `binding` and expiry at `now` (Unix
/// seconds). Throws `CareguardError` with code malformed (not an envelope, or a bad
/// field), truncated, unsupported_version (a version or suite this build does not
/// know), too_large, expired, wrong_key, wrong_binding, tampered or vault_locked (a
/// key from a vault since locked).
#[wasm_bindgen(js_name = envelopeOpen, unchecked_return_type = "OpenedEnvelope")]
pub fn envelope_open(
    ring: &KeyRing,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] envelope: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EnvelopeBinding | undefined")] binding: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] now: JsValue,
) -> Result<JsValue, JsValue> {
    const OP: &str = "envelopeOpen";
    let now = number(OP, "now", &now)?;
    let envelope = bytes(OP, "envelope", &envelope)?;
    let envelope = envelope.as_slice();
    let now = unix_seconds(OP, "now", now)?;
    let (conversation, sender) = binding_fields(OP, &binding)?;
    let opened = envelope::open(
        &[&ring.inner],
        envelope,
        &Binding::new(&conversation, &sender),
        UnixSeconds(now),
    )
    .js(OP)?;
    Ok(object(&[
        ("payload", uint8array(&opened.payload)),
        ("header", header_to_js(&opened.header)),
    ]))
}

/// An envelope header as the JS `EnvelopeHeader`.
pub(crate) fn header_to_js(header: &envelope::format::Header) -> JsValue {
    let key_ids: js_sys::Array = header
        .stanzas
        .iter()
        .filter_map(envelope::format::Stanza::kek_key_id)
        .map(JsValue::from)
        .collect();
    object(&[
        ("messageId", uint8array(&header.message_id)),
        ("createdAt", seconds_to_js(header.created_at).into()),
        (
            "expiresAt",
            header
                .expires_at
                .map_or(JsValue::NULL, |t| seconds_to_js(t).into()),
        ),
        ("contentType", header.content_type.as_str().into()),
        ("padded", header.padded.into()),
        ("keyIds", key_ids.into()),
    ])
}

/// The stable 32-bit key id careguard derives for a key that has none of its own
/// (e.g. a key file), as the CLI does.
#[wasm_bindgen(js_name = keyIdFor)]
pub fn key_id_for(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] key: JsValue,
) -> Result<u32, JsValue> {
    let key = secret_key("keyIdFor", "key", bytes("keyIdFor", "key", &key)?)?;
    Ok(envelope::derive_key_id(&key))
}
