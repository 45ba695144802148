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
  'superseded_card',
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

// wasm-bindgen's generated glue checks class arguments and freed objects itself and
// throws a plain Error before (or instead of) running any Rust: a plain object where a
// KeyRing is expected, or a Scanner after free(). The entry points (index.js) wrap every
// exported function and class method with `guardFunction` so that these, too, reach
// the caller as a CareguardError('invalid_argument') naming the operation. Every other
// check is in Rust; errors that are not the glue's own pass through unchanged.
const GLUE_ERRORS = [
  [/^expected instance of (\w+)$/, (m) => `expected an instance of ${m[1]}`],
  [/^null pointer passed to rust$/, () => 'the object was freed (or moved)'],
  [/^recursive use of an object detected/, () => 'the object is already in use by this call'],
  [/^attempted to take ownership of Rust value while it was borrowed$/, () => 'the object is in use'],
];

function fromGlue(operation, error) {
  if (error === null || typeof error !== 'object' || error.constructor !== Error) return error;
  for (const [pattern, message] of GLUE_ERRORS) {
    const m = pattern.exec(error.message);
    if (m) return new CareguardError('invalid_argument', operation, message(m));
  }
  return error;
}

/** `f` with the glue's argument errors thrown as CareguardError (internal to the package). */
export function guardFunction(operation, f) {
  const guarded = {
    [f.name](...args) {
      try {
        return f.apply(this, args);
      } catch (error) {
        throw fromGlue(operation, error);
      }
    },
  }[f.name];
  return guarded;
}

/** Wraps, in place, every method, static method and getter of a generated class. */
export function guardClass(cls) {
  for (const [target, builtIn] of [[cls.prototype, ['constructor']], [cls, ['prototype', 'length', 'name']]]) {
    for (const key of Object.getOwnPropertyNames(target)) {
      if (builtIn.includes(key)) continue;
      const d = Object.getOwnPropertyDescriptor(target, key);
      if (typeof d.value === 'function') {
        d.value = guardFunction(`${cls.name}.${key}`, d.value);
      } else if (typeof d.get === 'function') {
        d.get = guardFunction(`${cls.name}.${key}`, d.get);
      } else {
        continue;
      }
      Object.defineProperty(target, key, d);
    }
  }
}

/** Whether an export of the generated glue is one of its classes. */
export function isClass(value) {
  return typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));
}
