import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cg } from './support.mjs';

test('version is the crate version', () => {
  assert.match(cg.version(), /^\d+\.\d+\.\d+$/);
});

test('generateKey gives 32 fresh random bytes each call', () => {
  const a = cg.generateKey();
  const b = cg.generateKey();
  assert.ok(a instanceof Uint8Array);
  assert.equal(a.length, 32);
  assert.notDeepEqual(a, b);
});

test('the error codes Rust can produce are exactly ERROR_CODES', () => {
  assert.deepEqual(cg.errorCodes(), [...cg.ERROR_CODES]);
  assert.ok(Object.isFrozen(cg.ERROR_CODES));
});

test('CareguardError is an Error with code and operation', () => {
  const err = new cg.CareguardError('wrong_key', 'envelope.open', 'no stanza opens');
  assert.ok(err instanceof Error);
  assert.ok(err instanceof cg.CareguardError);
  assert.equal(err.name, 'CareguardError');
  assert.equal(err.code, 'wrong_key');
  assert.equal(err.operation, 'envelope.open');
  assert.equal(err.message, 'no stanza opens');
  assert.ok(err.is('wrong_key'));
  assert.ok(!err.is('tampered'));
  assert.match(String(err.stack), /CareguardError/);
});
