// Type-checked with module/moduleResolution nodenext: the ES module import.
import init, { Scanner, KeyRing, CareguardError, Vault } from 'careguard-wasm';
import type { Finding, ErrorCode, ScannerOptions } from 'careguard-wasm';
import { DeviceKeys } from 'careguard-wasm/e2e';

await init();
const options: ScannerOptions = { staffNames: ['Dr A Clinician'] };
const findings: Finding[] = new Scanner().scan('NHS 943 476 5919').concat(new Scanner(options).scan('x'));
const ring: KeyRing = new KeyRing();
const code: ErrorCode = 'wrong_pin';
export const checks = [findings.length, ring.keyIds().length, code, CareguardError.name, Vault.name, DeviceKeys.name];
// `[Symbol.dispose]` type-checks without lib esnext.disposable (`using` itself needs it).
new Scanner()[Symbol.dispose]();
