// Type-checked with moduleResolution bundler: the browser build with its init.
import init, { Scanner, KeyRing, CareguardError, initSync } from 'careguard-wasm';
import type { Decision, Finding } from 'careguard-wasm';
import initE2e, { DeviceKeys } from 'careguard-wasm/e2e';

export async function start(): Promise<Decision> {
  await init();
  await initE2e();
  const scanner = new Scanner();
  const findings: Finding[] = scanner.scan('NHS 943 476 5919');
  void [findings, KeyRing.name, CareguardError.name, typeof initSync, DeviceKeys.name];
  return scanner.review('NHS 943 476 5919', { conversation: 'clinical', platformApproved: true });
}
