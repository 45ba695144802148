// Identity (the -e2e package flavour): device keys, cards, attestation, revocation,
// contacts, safety numbers and end-to-end envelopes. Core's hpke-envelope vectors open
// in JS; envelopes sealed here are written out for the native Rust check
// (scripts/ci.d/40-wasm.sh runs the open_identity example on them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cg as plain, thrown, fromHex, toHex } from './support.mjs';

const repo = (p) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const cg = createRequire(import.meta.url)(repo('wasm/pkg/node-e2e/index.js'));
const hpke = JSON.parse(readFileSync(repo('core/tests/vectors/hpke-envelope-v1.json'), 'utf8'));

const NOW = 1_780_000_000;
const YEAR = 365 * 86_400;
// The cheapest parameters the shipped package accepts (it has no test-only weaker ones).
const CHEAP = { params: { mKib: 19456, tCost: 2, pCost: 1 } };
const PIN = '482915';
const VAULT_LABEL = 'careguard/v1/identity/device-keys';
const BINDING = { conversationId: 'ward-7', senderId: 'a.clinician@nhs.net' };
const ORG_SEED = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const ORG = cg.organisationPublicKey(ORG_SEED);

const CODE_OF_VARIANT = {
  NotARecipient: 'not_a_recipient',
  UnknownSender: 'unknown_sender',
  MessageExpired: 'expired',
  Tampered: 'tampered',
  BadSenderSignature: 'bad_sender_signature',
  StanzaCountMismatch: 'tampered',
};

function person(staffId, name, { attest = false } = {}) {
  const keys = cg.DeviceKeys.generate();
  const bytes = keys.issueCard(staffId, name, NOW, NOW + YEAR, attest ? ORG_SEED : undefined);
  const card = cg.verifyCard(bytes, { organisationKeys: [ORG] }, NOW);
  return { keys, bytes, card };
}

const list = (...cards) => {
  const l = new cg.CardList();
  for (const c of cards) l.add(c);
  return l;
};

// Device keys from a vector's secret bytes, through the vault (the only way in).
function keysFromSecret(vault, secretHex) {
  return cg.DeviceKeys.unwrapFromVault(vault, vault.wrapSecret(VAULT_LABEL, fromHex(secretHex)));
}

test('identity is only in the -e2e flavour; the error codes include the identity ones', () => {
  assert.equal(plain.DeviceKeys, undefined);
  assert.equal(typeof cg.DeviceKeys, 'function');
  assert.deepEqual(cg.errorCodes(), [...cg.ERROR_CODES]);
  for (const code of ['bad_device_signature', 'bad_attestation', 'not_attested', 'revoked', 'not_yet_valid', 'not_a_recipient', 'unknown_sender', 'bad_sender_signature', 'bad_revocation_signature']) {
    assert.ok(cg.ERROR_CODES.includes(code), code);
  }
});

test('device keys: generate, wrap in the vault, unwrap; locked and other vaults fail', () => {
  const keys = cg.DeviceKeys.generate();
  assert.equal(keys.deviceId.length, 16);
  const vault = cg.Vault.create(PIN, CHEAP);
  const wrapped = keys.wrapInVault(vault);
  const back = cg.DeviceKeys.unwrapFromVault(vault, wrapped);
  assert.deepEqual(back.deviceId, keys.deviceId);
  // The unwrapped keys are the same keys: they issue a card with the same public keys.
  const a = cg.verifyCard(keys.issueCard('x@nhs.net', 'X', NOW, NOW + YEAR), {}, NOW);
  const b = cg.verifyCard(back.issueCard('x@nhs.net', 'X', NOW, NOW + YEAR), {}, NOW);
  assert.equal(cg.contactObserve(a, b, { verifiedInPerson: true, keyChanged: false }).change, 'unchanged');
  const other = cg.Vault.create(PIN, CHEAP);
  assert.equal(thrown(() => cg.DeviceKeys.unwrapFromVault(other, wrapped)).code, 'tampered');
  const cut = thrown(() => cg.DeviceKeys.unwrapFromVault(vault, wrapped.slice(0, 5)));
  assert.ok(['truncated', 'tampered', 'malformed'].includes(cut.code), cut.code);
  vault.lock();
  const locked = thrown(() => keys.wrapInVault(vault));
  assert.equal(locked.code, 'vault_locked');
  assert.equal(locked.operation, 'DeviceKeys.wrapInVault');
  assert.equal(thrown(() => cg.DeviceKeys.unwrapFromVault(vault, wrapped)).code, 'vault_locked');
});

test('issue and verify cards: info, attestation, time window, tampering, bad arguments', () => {
  const { keys, bytes } = person('a.clinician@nhs.net', 'Dr A Clinician', { attest: true });
  const card = cg.verifyCard(bytes, { organisationKeys: [ORG], requireAttestation: true }, NOW + 10);
  assert.equal(card.staffId, 'a.clinician@nhs.net');
  assert.equal(card.displayName, 'Dr A Clinician');
  assert.deepEqual(card.deviceId, keys.deviceId);
  assert.equal(card.createdAt, NOW);
  assert.equal(card.expiresAt, NOW + YEAR);
  assert.equal(card.attested, true);
  assert.deepEqual(card.bytes, bytes);
  // Without the organisation key it still verifies, but is not attested.
  assert.equal(cg.verifyCard(bytes, undefined, NOW).attested, false);
  const plainCard = keys.issueCard('a.clinician@nhs.net', 'Dr A Clinician', NOW, NOW + YEAR);
  assert.equal(thrown(() => cg.verifyCard(plainCard, { organisationKeys: [ORG], requireAttestation: true }, NOW)).code, 'not_attested');
  const otherOrg = cg.organisationPublicKey(new Uint8Array(32).fill(9));
  // Attested, but by a key the verifier does not trust.
  assert.equal(thrown(() => cg.verifyCard(bytes, { organisationKeys: [otherOrg], requireAttestation: true }, NOW)).code, 'bad_attestation');
  const early = thrown(() => cg.verifyCard(bytes, {}, NOW - 100_000));
  assert.equal(early.code, 'not_yet_valid');
  assert.equal(early.details.createdAt, NOW);
  const late = thrown(() => cg.verifyCard(bytes, {}, NOW + YEAR + 1));
  assert.equal(late.code, 'expired');
  assert.equal(late.details.expiresAt, NOW + YEAR);
  // Flip a byte of the display name: the device signature no longer holds.
  const tampered = plainCard.slice();
  tampered[Buffer.from(tampered).indexOf('Dr A Clinician')] ^= 0x01; // 'D' -> 'E'
  assert.equal(thrown(() => cg.verifyCard(tampered, {}, NOW)).code, 'bad_device_signature');
  // Flip a byte of the attestation signature (the card's last bytes).
  const badAtt = bytes.slice();
  badAtt[badAtt.length - 3] ^= 0x01;
  assert.equal(thrown(() => cg.verifyCard(badAtt, { organisationKeys: [ORG] }, NOW)).code, 'bad_attestation');
  assert.equal(thrown(() => cg.verifyCard(bytes.slice(0, 10), {}, NOW)).code, 'truncated');
  assert.equal(thrown(() => cg.verifyCard(new TextEncoder().encode('not a card at all, clearly not'), {}, NOW)).code, 'malformed');
  assert.equal(thrown(() => cg.verifyCard(bytes, { organisationKeys: [new Uint8Array(31)] }, NOW)).code, 'invalid_length');
  assert.equal(thrown(() => cg.verifyCard(bytes, { organisationKeys: 'key' }, NOW)).code, 'invalid_argument');
  assert.equal(thrown(() => cg.verifyCard(bytes, {}, -1)).code, 'invalid_argument');
  assert.equal(thrown(() => keys.issueCard('', 'X', NOW, NOW + YEAR)).code, 'invalid_argument');
  assert.equal(thrown(() => keys.issueCard('x'.repeat(129), 'X', NOW, NOW + YEAR)).code, 'invalid_argument');
  assert.equal(thrown(() => keys.issueCard('x@nhs.net', 'X', NOW, NOW + YEAR, new Uint8Array(3))).code, 'invalid_length');
  assert.equal(thrown(() => cg.organisationPublicKey(new Uint8Array(5))).code, 'invalid_length');
});

test('revocation lists: a revoked device is refused; a forged list is refused', () => {
  const { bytes, card } = person('b@nhs.net', 'B', { attest: true });
  const list1 = cg.signRevocationList(ORG_SEED, [card.deviceId, new Uint8Array(16)], NOW);
  const trust = { organisationKeys: [ORG], revocationList: list1 };
  const err = thrown(() => cg.verifyCard(bytes, trust, NOW));
  assert.equal(err.code, 'revoked');
  assert.deepEqual(err.details.deviceId, card.deviceId);
  const clean = cg.signRevocationList(ORG_SEED, [new Uint8Array(16)], NOW);
  assert.equal(cg.verifyCard(bytes, { organisationKeys: [ORG], revocationList: clean }, NOW).attested, true);
  const forged = cg.signRevocationList(new Uint8Array(32).fill(7), [], NOW);
  assert.equal(thrown(() => cg.verifyCard(bytes, { organisationKeys: [ORG], revocationList: forged }, NOW)).code, 'bad_revocation_signature');
  const altered = list1.slice();
  altered[altered.length - 1] ^= 1;
  assert.equal(thrown(() => cg.verifyCard(bytes, { organisationKeys: [ORG], revocationList: altered }, NOW)).code, 'bad_revocation_signature');
  assert.equal(thrown(() => cg.signRevocationList(ORG_SEED, [new Uint8Array(15)], NOW)).code, 'invalid_length');
  assert.equal(thrown(() => cg.signRevocationList(ORG_SEED, 'ids', NOW)).code, 'invalid_argument');
  assert.equal(thrown(() => cg.verifyCard(bytes, { organisationKeys: [ORG], revocationList: 'x' }, NOW)).code, 'invalid_argument');
});

test('contacts: trust for the policy; rotation keeps verification, a key change drops it', () => {
  const alice = person('alice@nhs.net', 'Alice', { attest: true });
  assert.deepEqual(cg.contactTrust(alice.card, false, false), { verification: 'attested_by_organisation', keyChanged: false });
  assert.deepEqual(cg.contactTrust(alice.card, true, false), { verification: 'verified_in_person', keyChanged: false });
  const unattested = person('u@nhs.net', 'U');
  assert.deepEqual(cg.contactTrust(unattested.card, false, false), { verification: 'unverified', keyChanged: false });
  // Rotation: new keys, card also signed by the old ones.
  const rotated = alice.keys.rotate();
  assert.deepEqual(rotated.deviceId, alice.keys.deviceId);
  const rotatedCard = cg.verifyCard(rotated.issueRotatedCard(alice.keys, 'alice@nhs.net', 'Alice', NOW + 5, NOW + YEAR), {}, NOW + 10);
  assert.deepEqual(cg.contactObserve(alice.card, rotatedCard, { verifiedInPerson: true, keyChanged: false }),
    { change: 'rotated', verifiedInPerson: true, keyChanged: false });
  // Key change: a card for the same person from unrelated keys.
  const impostor = cg.verifyCard(cg.DeviceKeys.generate().issueCard('alice@nhs.net', 'Alice', NOW, NOW + YEAR), {}, NOW);
  const seen = cg.contactObserve(alice.card, impostor, { verifiedInPerson: true, keyChanged: false });
  assert.deepEqual(seen, { change: 'key_changed', verifiedInPerson: false, keyChanged: true });
  const trust = cg.contactTrust(impostor, seen.verifiedInPerson, seen.keyChanged);
  assert.deepEqual(trust, { verification: 'unverified', keyChanged: true });
  // The send policy warns about identifiers to that recipient.
  const findings = cg.scan('NHS number 943 476 5919');
  assert.ok(findings.length > 0);
  const ctx = { conversation: 'clinical', platformApproved: true };
  const ok = cg.decide(findings, { ...ctx, recipients: [cg.contactTrust(alice.card, true, false)] });
  const warned = cg.decide(findings, { ...ctx, recipients: [trust] });
  assert.notDeepEqual(warned, ok);
  assert.equal(thrown(() => cg.contactObserve(alice.card, unattested.card, { verifiedInPerson: true, keyChanged: false })).code, 'invalid_argument');
  assert.equal(thrown(() => cg.contactObserve(alice.card, rotatedCard, { verifiedInPerson: true })).code, 'invalid_argument');
  assert.equal(thrown(() => cg.contactObserve(alice.card, rotatedCard, 3)).code, 'invalid_argument');
});

test('safety numbers: both sides agree, QR matches, a key change changes it', () => {
  const alice = person('alice@nhs.net', 'Alice');
  const bob = person('bob@nhs.net', 'Bob');
  const ab = cg.safetyNumber(alice.card, bob.card);
  const ba = cg.safetyNumber(bob.card, alice.card);
  assert.match(ab.digits, /^\d{60}$/);
  assert.equal(ab.digits, ba.digits);
  assert.equal(ab.groups, ab.digits.match(/\d{5}/g).join(' '));
  assert.ok(ab.qr instanceof Uint8Array && ab.qr.length === 69);
  assert.equal(cg.safetyNumberMatchesScanned(bob.card, alice.card, ab.qr), true);
  const mallory = person('bob@nhs.net', 'Bob');
  assert.notEqual(cg.safetyNumber(alice.card, mallory.card).digits, ab.digits);
  assert.equal(cg.safetyNumberMatchesScanned(alice.card, mallory.card, ab.qr), false);
  assert.equal(thrown(() => cg.safetyNumberMatchesScanned(alice.card, bob.card, new Uint8Array(10))).code, 'malformed');
});

test('core hpke-envelope vectors behave in JS as their expect says', () => {
  const vault = cg.Vault.create(PIN, CHEAP);
  const devices = {};
  for (const [name, d] of Object.entries(hpke.devices)) {
    devices[name] = { keys: keysFromSecret(vault, d.device_keys_secret), card: cg.verifyCard(fromHex(d.card), {}, NOW) };
  }
  const binding = { conversationId: fromHex(hpke.binding.conversation_id), senderId: fromHex(hpke.binding.sender_id) };
  assert.ok(hpke.envelopes.length >= 9);
  for (const e of hpke.envelopes) {
    const me = devices[e.opener].keys;
    const senders = list(...e.senders.map((s) => devices[s].card));
    if (e.expect === 'ok') {
      const opened = cg.identityOpen(me, fromHex(e.envelope), binding, e.now, senders);
      assert.equal(toHex(opened.payload), hpke.payload, e.name);
      assert.equal(opened.sender.staffId, devices[e.senders[0]].card.staffId);
    } else {
      const err = thrown(() => cg.identityOpen(me, fromHex(e.envelope), binding, e.now, senders));
      assert.equal(err.code, CODE_OF_VARIANT[e.expect], `${e.name}: ${err.message}`);
      assert.equal(err.operation, 'identityOpen');
    }
  }
});

test('seal to several cards and open; own copy; errors', () => {
  const alice = person('alice@nhs.net', 'Alice');
  const bob = person('bob@nhs.net', 'Bob');
  const carol = person('carol@nhs.net', 'Carol');
  const eve = person('eve@nhs.net', 'Eve');
  const ring = new cg.KeyRing();
  ring.insert(7, new Uint8Array(32).fill(3));
  const text = 'Bed 4: obs stable, for review at 14:00';
  const sealed = cg.identitySealKeepingCopy(alice.keys, list(bob.card, carol.card), ring, text, BINDING, { contentType: 'text/plain', expiresAt: NOW + 3600 }, NOW);
  const senders = list(alice.card);
  for (const who of [bob, carol]) {
    const opened = cg.identityOpen(who.keys, sealed, BINDING, NOW + 1, senders);
    assert.equal(new TextDecoder().decode(opened.payload), text);
    assert.equal(opened.header.contentType, 'text/plain');
    assert.equal(opened.header.expiresAt, NOW + 3600);
    assert.deepEqual(opened.sender.deviceId, alice.card.deviceId);
  }
  const own = cg.identityOpenOwnCopy(alice.keys, ring, sealed, BINDING, NOW + 1, senders);
  assert.equal(new TextDecoder().decode(own.payload), text);
  assert.deepEqual(own.header.keyIds, [7]);
  assert.equal(senders.length, 1);
  assert.equal(thrown(() => cg.identityOpen(alice.keys, sealed, BINDING, NOW + 1, senders)).code, 'not_a_recipient');
  assert.equal(thrown(() => cg.identityOpen(eve.keys, sealed, BINDING, NOW + 1, senders)).code, 'not_a_recipient');
  assert.equal(thrown(() => cg.identityOpen(bob.keys, sealed, BINDING, NOW + 1, list(carol.card))).code, 'unknown_sender');
  assert.equal(thrown(() => cg.identityOpen(bob.keys, sealed, BINDING, NOW + 1, new cg.CardList())).code, 'unknown_sender');
  assert.equal(thrown(() => cg.identityOpen(bob.keys, sealed, BINDING, NOW + 3600, senders)).code, 'expired');
  assert.equal(thrown(() => cg.identityOpen(bob.keys, sealed, { ...BINDING, senderId: 'x' }, NOW + 1, senders)).code, 'wrong_binding');
  const tampered = sealed.slice();
  tampered[tampered.length - 5] ^= 1;
  assert.equal(thrown(() => cg.identityOpen(bob.keys, tampered, BINDING, NOW + 1, senders)).code, 'tampered');
  assert.equal(thrown(() => cg.identityOpen(bob.keys, sealed.slice(0, 8), BINDING, NOW + 1, senders)).code, 'truncated');
  // Only a seal without the own copy cannot be reopened by the sender.
  const noCopy = cg.identitySeal(alice.keys, list(bob.card), new Uint8Array([1, 2, 3]), BINDING, undefined, NOW);
  assert.deepEqual(cg.identityOpen(bob.keys, noCopy, BINDING, NOW, senders).payload, new Uint8Array([1, 2, 3]));
  assert.equal(thrown(() => cg.identityOpenOwnCopy(alice.keys, ring, noCopy, BINDING, NOW, senders)).code, 'not_a_recipient');
  // Misuse.
  assert.equal(thrown(() => cg.identitySeal(alice.keys, new cg.CardList(), text, BINDING, undefined, NOW)).code, 'invalid_argument');
  assert.equal(thrown(() => cg.identitySeal(alice.keys, list(bob.card), text, BINDING, { contentType: 'bad\n' }, NOW)).code, 'invalid_argument');
  assert.equal(thrown(() => cg.identitySeal(alice.keys, list(bob.card), text, BINDING, 'opts', NOW)).code, 'invalid_argument');
  assert.equal(thrown(() => cg.identitySeal(alice.keys, list(bob.card), 42, BINDING, undefined, NOW)).code, 'invalid_argument');
});

test('envelopes sealed in JS, written out for the native Rust check', () => {
  const out = process.env.CAREGUARD_JS_SEALED_IDENTITY_OUT ?? repo('target-wasm/js-sealed-identity.json');
  const vault = cg.Vault.create(PIN, CHEAP);
  const people = { alice: person('alice@nhs.net', 'Alice'), bob: person('bob@nhs.net', 'Bob'), carol: person('carol@nhs.net', 'Carol'), eve: person('eve@nhs.net', 'Eve') };
  const devices = {};
  for (const [name, p] of Object.entries(people)) {
    // The secret bytes leave WASM only here, through the vault, for the test.
    devices[name] = { card: toHex(p.bytes), device_keys_secret: toHex(vault.unwrapSecret(VAULT_LABEL, p.keys.wrapInVault(vault))) };
  }
  const payload = new TextEncoder().encode('Handover: bed 4 obs stable — ✓');
  const bindingHex = { conversation_id: toHex(new TextEncoder().encode(BINDING.conversationId)), sender_id: toHex(new TextEncoder().encode(BINDING.senderId)) };
  const sealed = toHex(cg.identitySeal(people.alice.keys, list(people.bob.card, people.carol.card), payload, BINDING, { expiresAt: NOW + 3600 }, NOW));
  const envelopes = [
    { name: 'js: alice to bob and carol, opened by bob', opener: 'bob', senders: ['alice'], now: NOW + 10, envelope: sealed, expect: 'ok' },
    { name: 'js: opened by carol', opener: 'carol', senders: ['alice'], now: NOW + 10, envelope: sealed, expect: 'ok' },
    { name: 'js: not a recipient', opener: 'eve', senders: ['alice'], now: NOW + 10, envelope: sealed, expect: 'NotARecipient' },
    { name: 'js: unknown sender', opener: 'bob', senders: ['carol'], now: NOW + 10, envelope: sealed, expect: 'UnknownSender' },
    { name: 'js: expired', opener: 'bob', senders: ['alice'], now: NOW + 3600, envelope: sealed, expect: 'MessageExpired' },
  ];
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ comment: 'sealed by careguard-wasm in Node (wasm/tests/identity.test.mjs), the format of core/tests/vectors/hpke-envelope-v1.json', binding: bindingHex, payload: toHex(payload), devices, envelopes }, null, 1));
});
