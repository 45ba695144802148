// The PIN vault through JS: create, the write-ahead unlock, lockouts, device secrets,
// keys for envelopes, wrapped secrets, PIN change and locking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cg, thrown } from './support.mjs';

// The cheapest parameters the shipped package accepts (it has no test-only weaker ones).
const CHEAP = { params: { mKib: 19456, tCost: 2, pCost: 1 } };
const PIN = '730419';
const NOW = 1_700_000_000;

/** The whole unlock dance, storing the attempt's blob first as an app must. */
function unlock(blob, pin, now = NOW, { policy, deviceSecret, store = () => {} } = {}) {
  const attempt = cg.Vault.beginUnlock(blob, now, policy);
  store(attempt.blob);
  return attempt.persisted().unlock(pin, deviceSecret);
}

test('create refuses weak PINs and weak parameters', () => {
  for (const pin of ['123456', '1111', '000000', 'abcdef', '1998']) {
    const err = thrown(() => cg.Vault.create(pin, CHEAP));
    assert.equal(err.code, 'weak_pin', pin);
    assert.ok(!err.message.includes(pin), 'the message never holds the PIN');
  }
  assert.equal(thrown(() => cg.Vault.create(PIN, { params: { mKib: 64, tCost: 1, pCost: 1 } })).code, 'params_too_weak');
  assert.equal(thrown(() => cg.Vault.create(PIN, { params: { mKib: 64 } })).code, 'invalid_argument');
  assert.equal(thrown(() => cg.Vault.create(PIN, 'fast')).code, 'invalid_argument');
  assert.ok(cg.Vault.create('4821', { ...CHEAP, minPinLength: 4 }).isUnlocked);
});

test('the counter is written before the PIN is checked, and reset on success', () => {
  const vault = cg.Vault.create(PIN, CHEAP);
  const blob = vault.blob();
  assert.deepEqual(cg.Vault.status(blob), {
    state: 'active', params: { mKib: 19456, tCost: 2, pCost: 1 }, deviceBound: false, failures: 0, lastAttemptAt: 0,
  });
  const attempt = cg.Vault.beginUnlock(blob, NOW);
  assert.equal(cg.Vault.status(attempt.blob).failures, 1, 'counted as failed in advance');
  const persisted = attempt.persisted();
  assert.equal(thrown(() => attempt.persisted()).code, 'invalid_argument', 'an attempt is used once');
  const wrong = thrown(() => persisted.unlock('999999'));
  assert.equal(wrong.code, 'wrong_pin');
  assert.deepEqual(wrong.details, { failures: 1, remaining: 9, retryAt: null });
  assert.equal(thrown(() => persisted.unlock(PIN)).code, 'invalid_argument', 'one PIN check per attempt');

  let stored = attempt.blob;
  const again = unlock(stored, PIN, NOW + 1, { store: (b) => { stored = b; } });
  assert.equal(cg.Vault.status(stored).failures, 2, 'persisted before the check');
  assert.equal(cg.Vault.status(again.blob()).failures, 0, 'reset after success');
});

test('lockout delays, then a wipe', () => {
  const policy = { freeAttempts: 1, delays: [30], wipeAfter: 3 };
  let blob = cg.Vault.create(PIN, CHEAP).blob();
  const fail = (now) => {
    const attempt = cg.Vault.beginUnlock(blob, now, policy);
    blob = attempt.blob;
    return thrown(() => attempt.persisted().unlock('111222'));
  };
  assert.deepEqual(fail(NOW).details, { failures: 1, remaining: 2, retryAt: NOW + 30 });
  const locked = thrown(() => cg.Vault.beginUnlock(blob, NOW + 5, policy));
  assert.equal(locked.code, 'locked_out');
  assert.deepEqual(locked.details, { failures: 1, retryAt: NOW + 30, now: NOW + 5 });
  assert.equal(fail(NOW + 30).code, 'wrong_pin');
  const wiped = fail(NOW + 60);
  assert.equal(wiped.code, 'wipe_required');
  assert.deepEqual(wiped.details, { reason: 'pin_failures', failures: 3 });
  assert.equal(thrown(() => cg.Vault.beginUnlock(blob, NOW + 999, policy)).code, 'wipe_required');
  assert.equal(thrown(() => cg.Vault.beginUnlock(blob, NOW, { freeAttempts: 1 })).code, 'invalid_argument');
});

test('a device-bound vault needs its device secret', () => {
  const deviceSecret = cg.generateKey();
  const blob = cg.Vault.create(PIN, { ...CHEAP, deviceSecret }).blob();
  assert.equal(cg.Vault.status(blob).deviceBound, true);
  assert.equal(thrown(() => unlock(blob, PIN)).code, 'device_secret_required');
  assert.equal(thrown(() => unlock(blob, PIN, NOW, { deviceSecret: cg.generateKey() })).code, 'wrong_pin');
  const unbound = cg.Vault.create(PIN, CHEAP).blob();
  assert.equal(thrown(() => unlock(unbound, PIN, NOW, { deviceSecret })).code, 'device_secret_unexpected');
  assert.ok(unlock(blob, PIN, NOW, { deviceSecret }).isUnlocked);
  assert.equal(thrown(() => unlock(blob, PIN, NOW, { deviceSecret: new Uint8Array(31) })).code, 'invalid_length');
});

test('vault keys seal envelopes that open after a re-unlock and a PIN change', () => {
  const vault = cg.Vault.create(PIN, CHEAP);
  const ring = new cg.KeyRing();
  vault.addKeyToRing(ring, 1);
  const sealed = cg.envelopeSeal(ring, 'bed 4', { conversationId: 'c' }, {}, NOW);

  const newBlob = vault.changePin('582910', CHEAP);
  assert.equal(thrown(() => unlock(newBlob, PIN)).code, 'wrong_pin');
  const reopened = unlock(newBlob, '582910');
  const ring2 = new cg.KeyRing();
  reopened.addKeyToRing(ring2, 1);
  assert.equal(Buffer.from(cg.envelopeOpen(ring2, sealed, { conversationId: 'c' }, NOW).payload).toString(), 'bed 4');

  const other = new cg.KeyRing();
  const otherVault = cg.Vault.create(PIN, CHEAP);
  otherVault.addKeyToRing(other, 1);
  assert.equal(thrown(() => cg.envelopeOpen(other, sealed, { conversationId: 'c' }, NOW)).code, 'tampered',
    'another vault derives another key under the same id');
  otherVault.lock();
});

test('keys a vault put in a ring stop working when it locks', () => {
  const vault = cg.Vault.create(PIN, CHEAP);
  const ring = new cg.KeyRing();
  vault.addKeyToRing(ring, 1);
  const sealed = cg.envelopeSeal(ring, 'bed 4', { conversationId: 'c' }, {}, NOW);
  vault.lock();
  assert.equal(thrown(() => cg.envelopeSeal(ring, 'bed 5', { conversationId: 'c' }, {}, NOW)).code, 'vault_locked');
  assert.equal(thrown(() => cg.envelopeOpen(ring, sealed, { conversationId: 'c' }, NOW)).code, 'vault_locked');
});

test('wrapped secrets open only under the same vault and label', () => {
  const vault = cg.Vault.create(PIN, CHEAP);
  const secret = cg.generateKey();
  const wrapped = vault.wrapSecret('identity/x25519', secret);
  assert.deepEqual(vault.unwrapSecret('identity/x25519', wrapped), secret);
  assert.equal(thrown(() => vault.unwrapSecret('identity/ed25519', wrapped)).code, 'tampered');
  assert.equal(thrown(() => vault.wrapSecret('x'.repeat(65), secret)).code, 'invalid_length');
  const reopened = unlock(vault.blob(), PIN);
  assert.deepEqual(reopened.unwrapSecret('identity/x25519', wrapped), secret);
});

test('lock wipes the master key; later calls throw vault_locked', () => {
  const vault = cg.Vault.create(PIN, CHEAP);
  vault.lock();
  assert.equal(vault.isUnlocked, false);
  for (const call of [() => vault.blob(), () => vault.addKeyToRing(new cg.KeyRing(), 1), () => vault.wrapSecret('l', new Uint8Array(1))]) {
    const err = thrown(call);
    assert.equal(err.code, 'vault_locked');
  }
});

test('hostile blobs give typed errors', () => {
  const blob = cg.Vault.create(PIN, CHEAP).blob();
  assert.equal(thrown(() => cg.Vault.status(blob.subarray(0, 10))).code, 'truncated');
  const bad = blob.slice();
  bad[0] ^= 0xff;
  assert.equal(thrown(() => cg.Vault.status(bad)).code, 'malformed');
  assert.equal(thrown(() => cg.Vault.beginUnlock(new Uint8Array(), NOW)).code, 'truncated');
});

test('default parameters (64 MiB, t=3): create and unlock timing in WASM', () => {
  let t0 = performance.now();
  const vault = cg.Vault.create(PIN);
  const createMs = performance.now() - t0;
  assert.deepEqual(vault.params(), { mKib: 65536, tCost: 3, pCost: 1 });
  t0 = performance.now();
  assert.ok(unlock(vault.blob(), PIN).isUnlocked);
  const unlockMs = performance.now() - t0;
  console.log(`# vault default params in Node WASM: create ${createMs.toFixed(0)} ms, unlock ${unlockMs.toFixed(0)} ms`);
});

test('calibrate never goes below the default parameters', () => {
  // A 1 ms target is met by the first (default) probe, so this is one Argon2 run.
  assert.deepEqual(cg.Vault.calibrate(1, 65536), { mKib: 65536, tCost: 3, pCost: 1 });
  assert.equal(thrown(() => cg.Vault.calibrate(-1, 65536)).code, 'invalid_argument');
});
