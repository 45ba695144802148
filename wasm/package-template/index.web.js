// Browser / bundler entry: call the default export (init) once before anything else.
// scripts/build-wasm.sh appends a guarded re-export of each generated function
// (guardFunction in errors.js); those shadow the plain ones from `export *`.
import * as glue from './careguard_wasm.js';
import { guardClass, guardFunction, isClass } from './errors.js';

for (const value of Object.values(glue)) if (isClass(value)) guardClass(value);

export * from './careguard_wasm.js';
export { default } from './careguard_wasm.js';
export { CareguardError, ERROR_CODES } from './errors.js';
