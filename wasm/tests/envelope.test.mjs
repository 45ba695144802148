// Envelopes: core's vectors open in JS; envelopes sealed in JS are written out for
// the native check (scripts/ci.d/40-wasm.sh runs the open_envelopes example on them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cg, thrown, fromHex, toHex } from './support.mjs';

const repo = (p) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const coreVectors = JSON.parse(readFileSync(repo('core/tests/vectors/envelope-v1.json'), 'utf8')).vectors;

// core::envelope::Error variant (the vectors' `expect`) -> CareguardError code.
const CODE_OF_VARIANT = {
  NotAnEnvelope: 'malformed',
  Truncated: 'truncated',
  UnsupportedVersion: 'unsupported_version',
  UnsupportedSuite: 'unsupported_version',
  Malformed: 'malformed',
  TooLarge: 'too_large',
  Expired: 'expired',
  WrongKey: 'wrong_key',
  WrongBinding: 'wrong_binding',
  Tampered: 'tampered',
};

function ringOf(keys) {
  const ring = new cg.KeyRing();
  for (const { key_id: id, kek } of keys) ring.insert(id, fromHex(kek));
  return ring;
}

const bindingOf = (b) => ({ conversationId: fromHex(b.conversation_id), senderId: fromHex(b.sender_id) });

test('every core envelope vector behaves in JS as its expect says', () => {
  assert.ok(coreVectors.length >= 10);
  for (const v of coreVectors) {
    const ring = ringOf(v.keys);
    if (v.expect === 'ok') {
      const opened = cg.envelopeOpen(ring, fromHex(v.envelope), bindingOf(v.binding), v.now);
      assert.equal(toHex(opened.payload), v.payload, v.name);
      assert.equal(opened.header.messageId.length, 16, v.name);
      assert.ok(opened.header.createdAt <= v.now, v.name);
    } else {
      const err = thrown(() => cg.envelopeOpen(ring, fromHex(v.envelope), bindingOf(v.binding), v.now));
      assert.ok(err instanceof cg.CareguardError, `${v.name}: ${err}`);
      assert.equal(err.code, CODE_OF_VARIANT[v.expect], `${v.name}: ${err.message}`);
      assert.equal(err.operation, 'envelopeOpen');
    }
    ring.free();
  }
});

const NOW = 1_700_000_000;
const KEK1 = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const KEK2 = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const BINDING = { conversationId: 'ward-7-handover', senderId: 'staff-4821' };
const BINDING_HEX = {
  conversation_id: Buffer.from(BINDING.conversationId).toString('hex'),
  sender_id: Buffer.from(BINDING.senderId).toString('hex'),
};

test('seal and open round-trip with header fields, strings and bytes', () => {
  const ring = new cg.KeyRing();
  ring.insert(7, KEK1);
  assert.equal(ring.sealingKeyId, 7);
  const sealed = cg.envelopeSeal(ring, 'Bed 4: obs stable', BINDING,
    { contentType: 'text/plain; charset=utf-8', expiresAt: NOW + 3600, padding: true }, NOW);
  assert.ok(sealed instanceof Uint8Array);
  assert.equal(Buffer.from(sealed.subarray(0, 4)).toString(), 'CGEV');
  const opened = cg.envelopeOpen(ring, sealed, BINDING, NOW + 60);
  assert.equal(Buffer.from(opened.payload).toString(), 'Bed 4: obs stable');
  assert.deepEqual(
    { ...opened.header, messageId: undefined },
    { messageId: undefined, createdAt: NOW, expiresAt: NOW + 3600, contentType: 'text/plain; charset=utf-8', padded: true, keyIds: [7] },
  );
  // Same binding as bytes opens too; padding hides the length.
  const asBytes = { conversationId: Buffer.from(BINDING.conversationId), senderId: Buffer.from(BINDING.senderId) };
  assert.equal(Buffer.from(cg.envelopeOpen(ring, sealed, asBytes, NOW).payload).toString(), 'Bed 4: obs stable');
  const longer = cg.envelopeSeal(ring, 'x'.repeat(200), BINDING, {}, NOW);
  assert.equal(longer.length, sealed.length - 'text/plain; charset=utf-8'.length);
});

test('typed errors: expiry, binding, key, tampering, misuse', () => {
  const ring = new cg.KeyRing();
  ring.insert(1, KEK1);
  const sealed = cg.envelopeSeal(ring, new Uint8Array([1, 2, 3]), BINDING, { expiresAt: NOW + 10 }, NOW);
  const expired = thrown(() => cg.envelopeOpen(ring, sealed, BINDING, NOW + 10));
  assert.equal(expired.code, 'expired');
  assert.deepEqual(expired.details, { expiresAt: NOW + 10, now: NOW + 10 });
  assert.equal(thrown(() => cg.envelopeOpen(ring, sealed, { conversationId: 'elsewhere' }, NOW)).code, 'wrong_binding');
  const other = new cg.KeyRing();
  other.insert(2, KEK2);
  const wrongKey = thrown(() => cg.envelopeOpen(other, sealed, BINDING, NOW));
  assert.equal(wrongKey.code, 'wrong_key');
  assert.deepEqual(wrongKey.details, { keyIds: [1] });
  const flipped = sealed.slice();
  flipped[flipped.length - 1] ^= 1;
  assert.equal(thrown(() => cg.envelopeOpen(ring, flipped, BINDING, NOW)).code, 'tampered');
  assert.equal(thrown(() => cg.envelopeOpen(ring, sealed.subarray(0, 20), BINDING, NOW)).code, 'truncated');
  assert.equal(thrown(() => cg.envelopeOpen(ring, new TextEncoder().encode('hello world, not an envelope at all'), BINDING, NOW)).code, 'malformed');
  // Misuse is told apart from hostile input.
  assert.equal(thrown(() => ring.insert(3, new Uint8Array(16))).code, 'invalid_length');
  assert.equal(thrown(() => ring.insert(1, KEK2)).code, 'invalid_argument');
  assert.equal(thrown(() => ring.insert(-1, KEK2)).code, 'invalid_argument');
  assert.equal(thrown(() => cg.envelopeSeal(ring, 'x', BINDING, { expiresAt: NOW }, NOW)).code, 'invalid_argument');
  assert.equal(thrown(() => cg.envelopeSeal(ring, 'x', BINDING, {}, -5)).code, 'invalid_argument');
  assert.equal(thrown(() => cg.envelopeSeal(ring, 42, BINDING, {}, NOW)).code, 'invalid_argument');
  assert.equal(thrown(() => cg.envelopeSeal(ring, 'x', BINDING, { padding: 'yes' }, NOW)).code, 'invalid_argument');
  assert.equal(thrown(() => cg.envelopeSeal(new cg.KeyRing(), 'x', BINDING, {}, NOW)).code, 'invalid_argument');
  const err = thrown(() => cg.envelopeOpen(ring, flipped, BINDING, NOW));
  assert.ok(err instanceof Error && err instanceof cg.CareguardError && err.is('tampered'));
});

test('key rotation: the newest key seals, old keys still open; remove stops them', () => {
  const ring = new cg.KeyRing();
  ring.insert(1, KEK1);
  const old = cg.envelopeSeal(ring, 'old', BINDING, {}, NOW);
  ring.insert(2, KEK2);
  assert.deepEqual(ring.keyIds(), [1, 2]);
  assert.deepEqual(cg.envelopeOpen(ring, cg.envelopeSeal(ring, 'new', BINDING, {}, NOW), BINDING, NOW).header.keyIds, [2]);
  assert.equal(Buffer.from(cg.envelopeOpen(ring, old, BINDING, NOW).payload).toString(), 'old');
  assert.equal(ring.remove(1), true);
  assert.equal(ring.remove(1), false);
  assert.equal(thrown(() => cg.envelopeOpen(ring, old, BINDING, NOW)).code, 'wrong_key');
});

test('keyIdFor matches the key ids core derives', () => {
  const id = cg.keyIdFor(KEK1);
  assert.ok(Number.isInteger(id) && id >= 0 && id <= 0xffffffff);
  assert.equal(cg.keyIdFor(KEK1), id);
  assert.notEqual(cg.keyIdFor(KEK2), id);
});

test('envelopes sealed in JS, written out for the native Rust check', () => {
  const out = process.env.CAREGUARD_JS_SEALED_OUT ?? repo('target-wasm/js-sealed-envelopes.json');
  const vectors = [];
  const ring = new cg.KeyRing();
  ring.insert(1, KEK1);
  ring.insert(2, KEK2);
  const keys = [{ key_id: 1, kek: toHex(KEK1) }, { key_id: 2, kek: toHex(KEK2) }];
  const add = (name, envelope, payload, expect, now = NOW + 60, k = keys, binding = BINDING_HEX) =>
    vectors.push({ name, comment: 'sealed by careguard-wasm in Node', keys: k, binding, now, envelope: toHex(envelope), payload: toHex(payload), expect });
  const text = new TextEncoder().encode('Handover: bed 4 obs stable, NEWS 2. Bloods due 14:00 — ✓ ünïcödé');
  const padded = cg.envelopeSeal(ring, text, BINDING, { contentType: 'text/plain; charset=utf-8', expiresAt: NOW + 3600 }, NOW);
  add('js_padded_text', padded, text, 'ok');
  add('js_unpadded_empty', cg.envelopeSeal(ring, new Uint8Array(), BINDING, { padding: false }, NOW), new Uint8Array(), 'ok');
  const big = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff);
  add('js_70k_binary', cg.envelopeSeal(ring, big, BINDING, { contentType: 'application/octet-stream' }, NOW), big, 'ok');
  add('js_old_key_only', padded, text, 'ok', NOW + 60, [keys[1]]);
  add('js_expired', padded, text, 'Expired', NOW + 3600);
  add('js_wrong_binding', padded, text, 'WrongBinding', NOW + 60, keys, { ...BINDING_HEX, sender_id: '00' });
  add('js_wrong_key', padded, text, 'WrongKey', NOW + 60, [{ key_id: 9, kek: toHex(KEK1) }]);
  const tampered = padded.slice();
  tampered[tampered.length - 20] ^= 0x40;
  add('js_tampered_payload', tampered, text, 'Tampered');
  // Every JS-sealed vector must also open in JS as it says.
  for (const v of vectors) {
    const r = ringOf(v.keys);
    if (v.expect === 'ok') assert.equal(toHex(cg.envelopeOpen(r, fromHex(v.envelope), bindingOf(v.binding), v.now).payload), v.payload);
    else assert.equal(thrown(() => cg.envelopeOpen(r, fromHex(v.envelope), bindingOf(v.binding), v.now)).code, CODE_OF_VARIANT[v.expect]);
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ format: 'careguard envelope v1 (docs/FORMAT.md)', generator: 'wasm/tests/envelope.test.mjs', vectors }, null, 1));
});
