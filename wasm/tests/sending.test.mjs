// Lock-screen notification text (default flavour): only the header and the app's labels
// reach it, never the payload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cg, thrown } from './support.mjs';

const e2e = createRequire(import.meta.url)(
  fileURLToPath(new URL('../pkg/node-e2e/index.js', import.meta.url)),
);
const NOW = 1_780_000_000;
const PATIENT = 'Mr John Smith NHS 943 476 5919';

test('notification text names only what the detail level allows, never the payload', () => {
  const ring = new cg.KeyRing();
  ring.insert(1, cg.generateKey());
  const binding = { conversationId: 'w7', senderId: 'a' };
  const sealed = cg.envelopeSeal(ring, PATIENT, binding, undefined, NOW);
  assert.equal(cg.notificationText(sealed, 'generic', 'Ward 7', 'Dr A'), 'New message');
  assert.equal(cg.notificationText(sealed, 'conversation', 'Ward 7', 'Dr A'), 'New message in Ward 7');
  const full = cg.notificationText(sealed, 'conversation_and_sender', 'Ward 7', 'Dr A');
  assert.equal(full, 'New message from Dr A in Ward 7');
  for (const word of ['John', 'Smith', '943', '476', '5919']) assert.ok(!full.includes(word), word);
  assert.equal(cg.notificationText(sealed, 'conversation', '', ''), 'New message');
  const photo = cg.envelopeSeal(ring, 'x', binding, { contentType: 'image/jpeg; name=John Smith' }, NOW);
  assert.equal(cg.notificationText(photo, 'conversation', 'Ward 7', ''), 'New photo in Ward 7');
  assert.equal(thrown(() => cg.notificationText(sealed, 'everything', '', '')).code, 'invalid_argument');
  assert.equal(thrown(() => cg.notificationText(sealed.slice(0, 3), 'generic', '', '')).code, 'truncated');
});

test('the -e2e flavour does not have notificationText (its package is at its size budget)', () => {
  assert.equal(e2e.notificationText, undefined);
});
