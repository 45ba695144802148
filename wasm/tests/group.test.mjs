// Group hygiene (the -e2e package flavour): reviewGroup, as the C ABI's cg_group_review
// (issue 17). The default flavour has no card verification, so no reviewGroup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cg as plain, thrown } from './support.mjs';

const cg = createRequire(import.meta.url)(
  fileURLToPath(new URL('../pkg/node-e2e/index.js', import.meta.url)),
);
const NOW = 1_780_000_000;
const DAY = 86_400;
const ORG_SEED = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const ORG = cg.organisationPublicKey(ORG_SEED);

const alice = cg.DeviceKeys.generate();
const bob = cg.DeviceKeys.generate();
const attested = alice.issueCard('alice@nhs.net', 'Dr Alice', NOW, NOW + 365 * DAY, ORG_SEED);
const unattested = bob.issueCard('bob@nhs.net', 'Nurse Bob', NOW, NOW + 365 * DAY);

test('a group review lists member and group findings', () => {
  const group = {
    name: 'Ward 7', purpose: 'social', lastReview: NOW + DAY, clinicalMessagesSinceReview: 3,
    members: [{ card: attested, joinedAt: NOW }, { card: unattested, joinedAt: NOW + 10 * DAY }],
  };
  const findings = cg.reviewGroup(group, NOW + 200 * DAY, { organisationKeys: [ORG] }, {
    reviewIntervalSecs: 90 * DAY, maxMembers: 1,
  });
  assert.deepEqual(findings.map((f) => f.code), [
    'member_not_attested', 'member_unverified', 'member_joined_since_review', 'review_overdue',
    'social_and_clinical_mixed', 'too_large',
  ]);
  assert.equal(findings[0].staffId, 'bob@nhs.net');
  assert.equal(findings[2].at, NOW + 10 * DAY);
  assert.equal(findings[3].at, NOW + 91 * DAY);
  assert.equal(findings[3].staffId, undefined);
  assert.equal(findings[4].count, 3);
  assert.deepEqual([findings[5].count, findings[5].max], [2, 1]);

  const clinical = { ...group, purpose: 'clinical', lastReview: NOW, members: [{ card: attested, joinedAt: NOW }] };
  assert.deepEqual(cg.reviewGroup(clinical, NOW + DAY, { organisationKeys: [ORG] }), []);
  const revoked = cg.signRevocationList(ORG_SEED, [alice.deviceId], NOW);
  const [r] = cg.reviewGroup(clinical, NOW + DAY, { organisationKeys: [ORG], revocationList: revoked });
  assert.equal(r.code, 'member_revoked');
  assert.deepEqual([...r.deviceId], [...alice.deviceId]);
  const [e] = cg.reviewGroup(clinical, NOW + 400 * DAY, { organisationKeys: [ORG] });
  assert.deepEqual([e.code, e.at], ['member_card_expired', NOW + 365 * DAY]);
});

test('bad groups are refused with the documented codes', () => {
  const good = { purpose: 'clinical', lastReview: NOW, members: [{ card: attested, joinedAt: NOW }] };
  const code = (group, trust, rules) => thrown(() => cg.reviewGroup(group, NOW, trust, rules)).code;
  assert.equal(code(null), 'invalid_argument');
  assert.equal(code({ ...good, purpose: 'party' }), 'invalid_argument');
  assert.equal(code({ ...good, members: 'everyone' }), 'invalid_argument');
  assert.equal(code({ ...good, lastReview: -1 }), 'invalid_argument');
  assert.equal(code({ ...good, members: [{ card: 'x', joinedAt: NOW }] }), 'invalid_argument');
  assert.equal(code({ ...good, members: [{ card: new Uint8Array(80), joinedAt: NOW }] }), 'malformed');
  assert.equal(code({ ...good, members: [{ card: attested.slice(0, 20), joinedAt: NOW }] }), 'truncated');
  assert.equal(code(good, { organisationKeys: [new Uint8Array(31)] }), 'invalid_length');
  assert.equal(code(good, undefined, { reviewIntervalSecs: DAY }), 'invalid_argument');
  assert.equal(thrown(() => cg.reviewGroup(good, 'now')).operation, 'reviewGroup');
});

test('the default flavour does not have reviewGroup (it has no card verification)', () => {
  assert.equal(plain.reviewGroup, undefined);
});
