export * from './careguard_wasm.js';
export { CareguardError, ERROR_CODES } from './errors.js';
export type { ErrorCode, ErrorDetails } from './errors.js';
