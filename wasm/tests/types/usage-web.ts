// Type-checked (never run): the web flavour as an app or extension would use it.
import init, { CareguardError, ERROR_CODES, errorCodes, generateKey, version } from '../../pkg/web/index.js';
import type { ErrorCode } from '../../pkg/web/index.js';

export async function start(wasmUrl: URL): Promise<string> {
  await init({ module_or_path: wasmUrl });
  const key: Uint8Array = generateKey();
  const codes: ErrorCode[] = errorCodes();
  const first: ErrorCode | undefined = ERROR_CODES[0];
  return `${version()} ${key.length} ${codes.length} ${first}`;
}

export function describe(err: unknown): string {
  if (err instanceof CareguardError) {
    const code: ErrorCode = err.code;
    return err.is('wrong_key') ? 'wrong key' : `${err.operation}: ${code}`;
  }
  return 'not careguard';
}
