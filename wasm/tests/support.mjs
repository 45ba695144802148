// Loads the built package (wasm/pkg, from scripts/build-wasm.sh) for the node tests.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkgEntry = fileURLToPath(new URL('../pkg/node/index.js', import.meta.url));
if (!existsSync(pkgEntry)) {
  throw new Error('wasm/pkg is missing: run scripts/build-wasm.sh first');
}

/** The whole careguard-wasm API (node flavour) plus CareguardError and ERROR_CODES. */
export const cg = createRequire(import.meta.url)(pkgEntry);

/** Runs fn and returns what it threw (fails if it did not throw). */
export function thrown(fn) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an exception');
}

/** Bytes from a hex string. */
export const fromHex = (hex) => Uint8Array.from(Buffer.from(hex, 'hex'));
/** Hex string from bytes. */
export const toHex = (bytes) => Buffer.from(bytes).toString('hex');
