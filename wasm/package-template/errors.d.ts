/** Every code a CareguardError can carry (the same names as the C ABI's `cg_status_name`). */
export type ErrorCode =
  | 'invalid_argument'
  | 'invalid_length'
  | 'invalid_utf8'
  | 'invalid_config'
  | 'truncated'
  | 'bad_magic'
  | 'unsupported_version'
  | 'unsupported_suite'
  | 'malformed'
  | 'too_large'
  | 'wrong_key'
  | 'tampered'
  | 'expired'
  | 'weak_pin'
  | 'wrong_pin'
  | 'locked_out'
  | 'wiped'
  | 'internal';

/** Every ErrorCode, in a stable order. */
export declare const ERROR_CODES: readonly ErrorCode[];

/**
 * The one error type careguard-wasm throws. Branch on `code`; `operation` names the
 * call that failed (e.g. `'envelope.open'`); `message` is for logs only and never holds
 * key bytes, a PIN or patient text.
 */
export declare class CareguardError extends Error {
  constructor(code: ErrorCode, operation: string, message: string);
  readonly name: 'CareguardError';
  readonly code: ErrorCode;
  readonly operation: string;
  /** True when this error has the given code. */
  is(code: ErrorCode): boolean;
}
