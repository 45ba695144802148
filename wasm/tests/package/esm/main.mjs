// A Node ES module project: named imports from the package and from careguard-wasm/e2e.
import assert from 'node:assert/strict';
import init, { Scanner, KeyRing, CareguardError, envelopeSeal, envelopeOpen, generateKey } from 'careguard-wasm';
import { DeviceKeys, Scanner as E2eScanner } from 'careguard-wasm/e2e';

await init();
const scanner = new Scanner();
const [finding] = scanner.scan('NHS 943 476 5919');
assert.equal(finding.kind, 'nhs_number');
assert.equal(finding.confidence, 0.99);
const ring = new KeyRing();
ring.insert(7, generateKey());
const binding = { conversationId: 'ward-7' };
const sealed = envelopeSeal(ring, 'hello', binding, undefined, 1_800_000_000);
assert.equal(new TextDecoder().decode(envelopeOpen(ring, sealed, binding, 1_800_000_000).payload), 'hello');
assert.throws(() => scanner.scan(42), (e) => e instanceof CareguardError && e.code === 'invalid_argument');
assert.equal(typeof DeviceKeys.generate, 'function');
assert.equal(new E2eScanner().hasFindings('NHS 943 476 5919'), true);
console.log('esm ok');
