/** Every code a CareguardError can carry (the same names as the C ABI's `cg_status_name`). */
export type ErrorCode =
  | 'invalid_argument'
  | 'invalid_length'
  | 'malformed'
  | 'truncated'
  | 'unsupported_version'
  | 'tampered'
  | 'too_large'
  | 'wrong_key'
  | 'expired'
  | 'wrong_binding'
  | 'wrong_pin'
  | 'weak_pin'
  | 'locked_out'
  | 'wipe_required'
  | 'wiped'
  | 'vault_locked'
  | 'device_secret_required'
  | 'device_secret_unexpected'
  | 'params_too_weak'
  | 'kdf_failed'
  | 'invalid_pattern'
  | 'bad_device_signature'
  | 'bad_attestation'
  | 'not_attested'
  | 'revoked'
  | 'not_yet_valid'
  | 'not_a_recipient'
  | 'unknown_sender'
  | 'bad_sender_signature'
  | 'bad_revocation_signature'
  | 'superseded_card'
  | 'internal';

/** Every ErrorCode, in a stable order. */
export declare const ERROR_CODES: readonly ErrorCode[];

/**
 * Numbers a UI can use, present for some codes only:
 * - wrong_pin: failures, remaining (attempts before a wipe), retryAt (Unix seconds or null)
 * - locked_out: failures, retryAt, now
 * - wiped: reason ('pin_failures' | 'remote_order' | 'user_request'), wipedAt
 * - wipe_required: reason ('pin_failures'), failures
 * - expired: expiresAt, now
 * - wrong_key: keyIds (the envelope's kek stanza key ids)
 * - truncated: needed, got; too_large: len, max
 * - not_yet_valid: createdAt, now; revoked, unknown_sender, superseded_card: deviceId (Uint8Array)
 * - expired and not_yet_valid for a sender's or recipient's card also carry deviceId; an
 *   expired card gives expiresAt and at (the clock or the envelope's createdAt checked)
 */
export interface ErrorDetails {
  readonly failures?: number;
  readonly remaining?: number;
  readonly retryAt?: number | null;
  readonly now?: number;
  readonly reason?: string;
  readonly wipedAt?: number;
  readonly expiresAt?: number;
  readonly keyIds?: readonly number[];
  readonly needed?: number;
  readonly got?: number;
  readonly len?: number;
  readonly max?: number;
  readonly createdAt?: number;
  readonly deviceId?: Uint8Array;
  readonly at?: number;
}

/**
 * The one error type careguard-wasm throws. Branch on `code`; `operation` names the
 * call that failed (e.g. `'envelopeOpen'`, `'Vault.create'`); `message` is for logs
 * only and never holds key bytes, a PIN or patient text.
 */
export declare class CareguardError extends Error {
  constructor(code: ErrorCode, operation: string, message: string, details?: ErrorDetails);
  readonly name: 'CareguardError';
  readonly code: ErrorCode;
  readonly operation: string;
  readonly details?: ErrorDetails;
  /** True when this error has the given code. */
  is(code: ErrorCode): boolean;
}

// wasm-bindgen gives every class a `[Symbol.dispose]()` (for `using`). TypeScript's
// default libs before ES2025/esnext lack `SymbolConstructor.dispose`; declaring it here
// (as @types/node does) lets the package type-check under any `lib` setting.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}
