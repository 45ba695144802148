//! The PIN vault: `Vault.create`, `Vault.status`, the two-step write-ahead unlock
//! (`Vault.beginUnlock` → persist `attempt.blob` → `attempt.persisted()` →
//! `unlock(pin)`), key derivation into a `KeyRing`, secret wrapping and PIN change.

use careguard::SecretKey;
use careguard::vault::{
    BlobStatus, KdfMemory, KdfParams, LockoutPolicy, PersistedAttempt as CorePersisted, Pin,
    PinPolicy, UnlockAttempt as CoreAttempt, Unlocked, Vault as CoreVault, calibrate,
};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use crate::convert::{
    absent, bytes, get, number, object, opt_bool, opt_bytes, opt_u32, options_object,
    seconds_to_js, secret_key, text, unix_seconds, whole,
};
use crate::envelope::KeyRing;
use crate::error::{Failure, IntoJs};

#[wasm_bindgen(typescript_custom_section)]
const TS_VAULT: &str = r#"
/** Argon2id cost parameters. */
export interface KdfParams {
  /** Memory in KiB (at least 19456). */
  mKib: number;
  /** Passes (at least 2). */
  tCost: number;
  /** Lanes. */
  pCost: number;
}

/** Options for Vault.create and Vault.changePin. */
export interface VaultOptions {
  /** Argon2id parameters. Default: 64 MiB, t=3, p=1 (about 0.3 s in WASM). */
  params?: KdfParams;
  /**
   * Accept params below the production minimum. Only test builds (cargo feature
   * `insecure-test-params`) accept it: the published package throws invalid_argument.
   */
  insecureParamsForTestsOnly?: boolean;
  /** A 32-byte device-bound secret kept by the platform; needed again to unlock. */
  deviceSecret?: Uint8Array;
  /** Minimum PIN digits (4 to 64). Default: 6. */
  minPinLength?: number;
}

/**
 * Failed-attempt policy for Vault.beginUnlock. Leave it out for the default: 5 free
 * attempts, then delays of 30 s, 1 min, 5 min, 15 min and 1 h (the last repeats), and
 * a wipe at the 10th consecutive failure.
 */
export interface LockoutPolicy {
  /** Failures that cost nothing. */
  freeAttempts: number;
  /** Seconds to wait after each further failure; the last repeats. */
  delays: number[];
  /** Failure number that wipes the vault. */
  wipeAfter: number;
}

/** What a blob says without the PIN. */
export type VaultStatus =
  | { state: 'active'; params: KdfParams; deviceBound: boolean; failures: number; lastAttemptAt: number }
  | { state: 'wiped'; reason: 'pin_failures' | 'remote_order' | 'user_request' | string; wipedAt: number };
"#;

fn params_js(params: KdfParams) -> JsValue {
    object(&[
        ("mKib", params.m_kib().into()),
        ("tCost", params.t_cost().into()),
        ("pCost", params.p_cost().into()),
    ])
}

#[cfg(feature = "insecure-test-params")]
fn kdf_params(
    operation: &'static str,
    insecure: bool,
    m_kib: u32,
    t_cost: u32,
    p_cost: u32,
) -> Result<KdfParams, JsValue> {
    if insecure {
        KdfParams::insecure_for_tests_only(m_kib, t_cost, p_cost).js(operation)
    } else {
        KdfParams::new(m_kib, t_cost, p_cost).js(operation)
    }
}

/// Without the feature `vault_options` has already refused `insecure`.
#[cfg(not(feature = "insecure-test-params"))]
fn kdf_params(
    operation: &'static str,
    _insecure: bool,
    m_kib: u32,
    t_cost: u32,
    p_cost: u32,
) -> Result<KdfParams, JsValue> {
    KdfParams::new(m_kib, t_cost, p_cost).js(operation)
}

/// Parsed `VaultOptions`: parameters, device secret and PIN policy.
struct Options {
    params: KdfParams,
    device_secret: Option<SecretKey>,
    pin_policy: PinPolicy,
}

fn vault_options(operation: &'static str, options: &JsValue) -> Result<Options, JsValue> {
    options_object(operation, "options", options)?;
    let insecure = opt_bool(operation, options, "insecureParamsForTestsOnly")?.unwrap_or(false);
    // A run-time switch to guessable PINs must not exist in what apps ship: only builds
    // with the `insecure-test-params` feature (never scripts/build-wasm.sh) have it.
    if insecure && !cfg!(feature = "insecure-test-params") {
        return Err(Failure::new(
            "invalid_argument",
            operation,
            "insecureParamsForTestsOnly is accepted only by test builds \
             (cargo feature insecure-test-params)",
        )
        .into());
    }
    let params_value = get(options, "params");
    let params = if absent(&params_value) {
        KdfParams::DEFAULT
    } else {
        options_object(operation, "params", &params_value)?;
        let field = |key: &str| {
            opt_u32(operation, &params_value, key)?.ok_or_else(|| -> JsValue {
                Failure::new(
                    "invalid_argument",
                    operation,
                    format!("params.{key} is required"),
                )
                .into()
            })
        };
        let (m_kib, t_cost, p_cost) = (field("mKib")?, field("tCost")?, field("pCost")?);
        kdf_params(operation, insecure, m_kib, t_cost, p_cost)?
    };
    let device_secret = device_secret(operation, &get(options, "deviceSecret"))?;
    let pin_policy = match opt_u32(operation, options, "minPinLength")? {
        Some(n) => PinPolicy::with_min_len(n as usize),
        None => PinPolicy::DEFAULT,
    };
    Ok(Options {
        params,
        device_secret,
        pin_policy,
    })
}

fn device_secret(operation: &'static str, value: &JsValue) -> Result<Option<SecretKey>, JsValue> {
    if absent(value) {
        return Ok(None);
    }
    let array = value
        .dyn_ref::<js_sys::Uint8Array>()
        .ok_or_else(|| -> JsValue {
            Failure::new(
                "invalid_argument",
                operation,
                "deviceSecret must be a Uint8Array",
            )
            .into()
        })?;
    secret_key(operation, "deviceSecret", array.to_vec()).map(Some)
}

fn lockout_policy(operation: &'static str, policy: &JsValue) -> Result<LockoutPolicy, JsValue> {
    options_object(operation, "policy", policy)?;
    if absent(policy) {
        return Ok(LockoutPolicy::default());
    }
    let required = |key: &str| {
        opt_u32(operation, policy, key)?.ok_or_else(|| -> JsValue {
            Failure::new(
                "invalid_argument",
                operation,
                format!("policy.{key} is required"),
            )
            .into()
        })
    };
    let (free_attempts, wipe_after) = (required("freeAttempts")?, required("wipeAfter")?);
    let delays = get(policy, "delays");
    let delays = delays
        .dyn_ref::<js_sys::Array>()
        .ok_or_else(|| -> JsValue {
            Failure::new(
                "invalid_argument",
                operation,
                "policy.delays must be an array of seconds",
            )
            .into()
        })?;
    let delays: Vec<u64> = delays
        .iter()
        .map(|d| {
            whole(
                operation,
                "policy.delays[]",
                "seconds",
                d.as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect::<Result<_, _>>()?;
    LockoutPolicy::new(free_attempts, &delays, wipe_after).js(operation)
}

/// An unlocked vault: holds the master key in WASM memory until `lock()` (or
/// `free()`), which wipes it. Get one from `Vault.create` or an unlock.
#[wasm_bindgen]
pub struct Vault {
    inner: Option<Unlocked>,
}

impl Vault {
    pub(crate) fn unlocked(&self, operation: &'static str) -> Result<&Unlocked, JsValue> {
        self.inner
            .as_ref()
            .ok_or_else(|| Failure::new("vault_locked", operation, "the vault was locked").into())
    }
}

#[wasm_bindgen]
impl Vault {
    /// Creates a vault with a random master key wrapped under `pin` (checked against
    /// the PIN policy: weak PINs throw `weak_pin`). Persist `vault.blob()`.
    pub fn create(
        #[wasm_bindgen(unchecked_param_type = "string")] pin: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VaultOptions")] options: JsValue,
    ) -> Result<Vault, JsValue> {
        const OP: &str = "Vault.create";
        let pin = Zeroizing::new(text(OP, "pin", &pin)?);
        let options = vault_options(OP, &options)?;
        let pin = Pin::with_policy(&pin, &options.pin_policy).js(OP)?;
        let (unlocked, _blob) = CoreVault::create(
            &pin,
            options.device_secret.as_ref(),
            &options.params,
            &mut careguard::envelope::os_rng(),
        )
        .js(OP)?;
        Ok(Vault {
            inner: Some(unlocked),
        })
    }

    /// What a blob says without the PIN (for a lock screen).
    #[wasm_bindgen(unchecked_return_type = "VaultStatus")]
    pub fn status(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] blob: JsValue,
    ) -> Result<JsValue, JsValue> {
        let blob = bytes("Vault.status", "blob", &blob)?;
        Ok(match CoreVault::status(&blob).js("Vault.status")? {
            BlobStatus::Active {
                params,
                device_bound,
                failures,
                last_attempt_at,
            } => object(&[
                ("state", "active".into()),
                ("params", params_js(params)),
                ("deviceBound", device_bound.into()),
                ("failures", failures.into()),
                ("lastAttemptAt", seconds_to_js(last_attempt_at).into()),
            ]),
            BlobStatus::Wiped { reason, wiped_at } => object(&[
                ("state", "wiped".into()),
                ("reason", reason.as_str().into()),
                ("wipedAt", seconds_to_js(wiped_at).into()),
            ]),
            _ => return Err(Failure::new("internal", "Vault.status", "unknown blob state").into()),
        })
    }

    /// Step one of an unlock at `now` (Unix seconds): counts the attempt as failed in
    /// advance. Pass the blob just read from storage, never a cached copy. Persist
    /// `attempt.blob` as a compare-and-swap (only if the stored blob still equals the
    /// `blob` given here; otherwise read again and start over), atomically and
    /// durably, then call `attempt.persisted()` and `unlock(pin)`. Throws locked_out while a delay is in
    /// force and wiped once the policy's limit is reached.
    #[wasm_bindgen(js_name = beginUnlock)]
    pub fn begin_unlock(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] blob: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] now: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "LockoutPolicy")] policy: JsValue,
    ) -> Result<UnlockAttempt, JsValue> {
        const OP: &str = "Vault.beginUnlock";
        let now = number(OP, "now", &now)?;
        let blob = bytes(OP, "blob", &blob)?;
        let now = unix_seconds(OP, "now", now)?;
        let policy = lockout_policy(OP, &policy)?;
        let attempt = CoreVault::begin_unlock(&blob, &policy, now).js(OP)?;
        Ok(UnlockAttempt {
            blob: attempt.blob().to_vec(),
            inner: Some(attempt),
        })
    }

    /// Picks Argon2id parameters that take about `targetMs` milliseconds here (never
    /// below the default, at most `maxMKib` KiB of memory), timing real derivations
    /// with `performance.now()`/`Date.now()`. Takes a few seconds.
    #[wasm_bindgen(unchecked_return_type = "KdfParams")]
    pub fn calibrate(
        #[wasm_bindgen(unchecked_param_type = "number")] target_ms: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] max_m_kib: JsValue,
    ) -> Result<JsValue, JsValue> {
        const OP: &str = "Vault.calibrate";
        let target_ms = number(OP, "targetMs", &target_ms)?;
        let max_m_kib = number(OP, "maxMKib", &max_m_kib)?;
        let target_ms = whole(OP, "targetMs", "milliseconds", target_ms)?;
        let max_m_kib = crate::convert::to_u32(OP, "maxMKib", max_m_kib)?;
        let mut memory = KdfMemory::new();
        let params = calibrate(target_ms, max_m_kib, |params| {
            let started = now_ms();
            params.probe(&mut memory)?;
            let took = (now_ms() - started).max(0.0);
            // Milliseconds of one derivation: far below 2^53, so the cast is exact.
            Ok(took.ceil() as u64)
        })
        .js(OP)?;
        Ok(params_js(params))
    }

    /// The blob to persist (failed-attempt counter reset).
    pub fn blob(&self) -> Result<Vec<u8>, JsValue> {
        Ok(self.unlocked("Vault.blob")?.blob())
    }

    /// The Argon2id parameters of the current blob.
    #[wasm_bindgen(unchecked_return_type = "KdfParams")]
    pub fn params(&self) -> Result<JsValue, JsValue> {
        Ok(params_js(self.unlocked("Vault.params")?.params()))
    }

    /// Whether the vault is still unlocked.
    #[wasm_bindgen(getter, js_name = isUnlocked)]
    pub fn is_unlocked(&self) -> bool {
        self.inner.is_some()
    }

    /// Derives the key-encryption key `keyId` from the master key and inserts it into
    /// `ring` (it becomes the sealing key). The key never leaves WASM memory.
    #[wasm_bindgen(js_name = addKeyToRing)]
    pub fn add_key_to_ring(
        &self,
        ring: &mut KeyRing,
        #[wasm_bindgen(unchecked_param_type = "number")] key_id: JsValue,
    ) -> Result<(), JsValue> {
        const OP: &str = "Vault.addKeyToRing";
        let key_id = number(OP, "keyId", &key_id)?;
        let key_id = crate::convert::to_u32(OP, "keyId", key_id)?;
        ring.insert_from_vault(OP, self.unlocked(OP)?, key_id)
    }

    /// Encrypts `secret` under a key derived from the master key and `label` (at most
    /// 64 bytes), so a wipe destroys it too.
    #[wasm_bindgen(js_name = wrapSecret)]
    pub fn wrap_secret(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] label: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] secret: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        const OP: &str = "Vault.wrapSecret";
        let label = text(OP, "label", &label)?;
        let secret = Zeroizing::new(bytes(OP, "secret", &secret)?);
        self.unlocked(OP)?
            .wrap_secret(&label, &secret, &mut careguard::envelope::os_rng())
            .js(OP)
    }

    /// Reverses `wrapSecret` for the same label. Throws `tampered` for another label,
    /// another vault or altered bytes.
    #[wasm_bindgen(js_name = unwrapSecret)]
    pub fn unwrap_secret(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] label: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] wrapped: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        const OP: &str = "Vault.unwrapSecret";
        let label = text(OP, "label", &label)?;
        let wrapped = bytes(OP, "wrapped", &wrapped)?;
        let secret = self.unlocked(OP)?.unwrap_secret(&label, &wrapped).js(OP)?;
        Ok(secret.to_vec())
    }

    /// Re-wraps the master key under a new PIN (and options); returns the new blob to
    /// persist. No message needs re-encrypting.
    #[wasm_bindgen(js_name = changePin)]
    pub fn change_pin(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] new_pin: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VaultOptions")] options: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        const OP: &str = "Vault.changePin";
        let new_pin = Zeroizing::new(text(OP, "newPin", &new_pin)?);
        let options = vault_options(OP, &options)?;
        let pin = Pin::with_policy(&new_pin, &options.pin_policy).js(OP)?;
        let unlocked = self.inner.as_mut().ok_or_else(|| -> JsValue {
            Failure::new("vault_locked", OP, "the vault was locked").into()
        })?;
        unlocked
            .change_pin(
                &pin,
                options.device_secret.as_ref(),
                &options.params,
                &mut careguard::envelope::os_rng(),
            )
            .js(OP)
    }

    /// Locks now: wipes the master key. Later calls throw `vault_locked`.
    pub fn lock(&mut self) {
        self.inner = None;
    }
}

/// Step one's result. Persist `blob` first, then call `persisted()`.
#[wasm_bindgen]
pub struct UnlockAttempt {
    blob: Vec<u8>,
    inner: Option<CoreAttempt>,
}

#[wasm_bindgen]
impl UnlockAttempt {
    /// The blob with this attempt already counted as failed: persist it before
    /// checking the PIN, so a crash during the check never resets the counter.
    #[wasm_bindgen(getter)]
    pub fn blob(&self) -> Vec<u8> {
        self.blob.clone()
    }

    /// Declares that `blob` is durably stored; returns the attempt that may check the
    /// PIN (once).
    pub fn persisted(&mut self) -> Result<PersistedAttempt, JsValue> {
        let attempt = self
            .inner
            .take()
            .ok_or_else(|| used("UnlockAttempt.persisted"))?;
        // The caller has stored the blob (that is what calling this declares).
        match attempt.persist_with(|_, _| Ok::<(), core::convert::Infallible>(())) {
            Ok(persisted) => Ok(PersistedAttempt {
                inner: Some(persisted),
            }),
            Err(never) => match never {},
        }
    }
}

/// An attempt whose counter is stored: `unlock(pin)` may be called once.
#[wasm_bindgen]
pub struct PersistedAttempt {
    inner: Option<CorePersisted>,
}

#[wasm_bindgen]
impl PersistedAttempt {
    /// Checks the PIN (and device secret, if the vault is bound to one). On success
    /// returns the unlocked vault; persist `vault.blob()` (counter reset). Throws
    /// wrong_pin (details: failures, remaining, retryAt) or wiped.
    pub fn unlock(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] pin: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Uint8Array | null")] device_secret: JsValue,
    ) -> Result<Vault, JsValue> {
        const OP: &str = "PersistedAttempt.unlock";
        let pin = Zeroizing::new(text(OP, "pin", &pin)?);
        let device_secret = opt_bytes(OP, "deviceSecret", &device_secret)?
            .map(|s| secret_key(OP, "deviceSecret", s))
            .transpose()?;
        let attempt = self.inner.take().ok_or_else(|| used(OP))?;
        let (unlocked, _blob) = attempt
            .unlock(pin.as_bytes(), device_secret.as_ref())
            .js(OP)?;
        Ok(Vault {
            inner: Some(unlocked),
        })
    }
}

fn used(operation: &'static str) -> JsValue {
    Failure::new(
        "invalid_argument",
        operation,
        "this unlock attempt was already used",
    )
    .into()
}

/// Milliseconds from a monotonic timer when there is one (`performance.now()`),
/// otherwise the wall clock; used only to size Argon2 work.
fn now_ms() -> f64 {
    let global = js_sys::global();
    let performance =
        js_sys::Reflect::get(&global, &"performance".into()).unwrap_or(JsValue::UNDEFINED);
    let now = js_sys::Reflect::get(&performance, &"now".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&performance).ok())
        .and_then(|v| v.as_f64());
    now.unwrap_or_else(js_sys::Date::now)
}
