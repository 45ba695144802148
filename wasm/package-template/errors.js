// The one error type careguard-wasm throws. Hand-written (not generated): the Rust
// side constructs it through a wasm-bindgen import of './errors.js'.

/** Every `code` a CareguardError can carry. Codes are stable; messages are not. */
export const ERROR_CODES = Object.freeze([
  'invalid_argument',
  'invalid_length',
  'malformed',
  'truncated',
  'unsupported_version',
  'tampered',
  'too_large',
  'wrong_key',
  'expired',
  'wrong_binding',
  'wrong_pin',
  'weak_pin',
  'locked_out',
  'wipe_required',
  'wiped',
  'vault_locked',
  'device_secret_required',
  'device_secret_unexpected',
  'params_too_weak',
  'kdf_failed',
  'invalid_pattern',
  'bad_device_signature',
  'bad_attestation',
  'not_attested',
  'revoked',
  'not_yet_valid',
  'not_a_recipient',
  'unknown_sender',
  'bad_sender_signature',
  'bad_revocation_signature',
  'internal',
]);

/**
 * A careguard failure. Branch on `code` (one of ERROR_CODES, the same names as the
 * C ABI's `cg_status_name`); `operation` names the call that failed (e.g.
 * 'envelopeOpen'); `message` is for logs only and never holds key bytes, a PIN or
 * patient text. Some codes carry `details` (e.g. wrong_pin: failures, remaining,
 * retryAt; expired: expiresAt, now; wrong_key: keyIds).
 */
export class CareguardError extends Error {
  constructor(code, operation, message, details) {
    super(message);
    this.name = 'CareguardError';
    this.code = code;
    this.operation = operation;
    if (details !== undefined) this.details = details;
  }

  /** True when this error has the given code. */
  is(code) {
    return this.code === code;
  }
}
