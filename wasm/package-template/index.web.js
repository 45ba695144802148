// Browser / bundler entry: call the default export (init) once before anything else.
export * from './careguard_wasm.js';
export { default } from './careguard_wasm.js';
export { CareguardError, ERROR_CODES } from './errors.js';
