// The scanner and policy through JS: findings with UTF-16 offsets (JS string indices),
// minimise, the default-scanner functions, options, decide and review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cg, thrown } from './support.mjs';

const NHS = '943 476 5919'; // the NHS's published example number
const MSG = `Mr John Smith NHS ${NHS} in bed 4 needs his warfarin checked`;
const KINDS = ['nhs_number', 'chi_number', 'hc_number', 'date_of_birth', 'date', 'person_name',
  'postcode', 'phone_number', 'email', 'ni_number', 'hospital_number'];
const CLINICAL = { conversation: 'clinical', platformApproved: true };

test('kinds are DESIGN.md names', () => {
  assert.deepEqual([...cg.kinds()].sort(), [...KINDS].sort());
});

test('findings carry kind, byte and UTF-16 ranges, confidence, rule and subject', () => {
  const findings = cg.scan(MSG);
  const kinds = findings.map((f) => f.kind);
  assert.ok(kinds.includes('nhs_number') && kinds.includes('person_name'), kinds.join());
  for (const f of findings) {
    assert.deepEqual(Object.keys(f).sort(),
      ['confidence', 'end', 'endUtf16', 'kind', 'rule', 'start', 'startUtf16', 'subject']);
    // core's f32 confidences arrive rounded, not as 0.8999999761581421
    assert.equal(f.confidence, Math.round(f.confidence * 1000) / 1000);
    assert.ok(['patient', 'staff', 'unknown'].includes(f.subject));
    if (f.kind !== 'person_name') assert.equal(f.subject, 'unknown');
    assert.ok(KINDS.includes(f.kind));
    assert.ok(f.confidence > 0 && f.confidence <= 1);
    assert.equal(typeof f.rule, 'string');
    assert.ok(f.rule.length > 0);
  }
  const nhs = findings.find((f) => f.kind === 'nhs_number');
  assert.equal(MSG.slice(nhs.startUtf16, nhs.endUtf16), NHS);
});

test('UTF-16 offsets index JS strings past emoji and accents; byte offsets are UTF-8', () => {
  const text = `😷🏥 Café ✓ — ${MSG} — Zoë`;
  const findings = cg.scan(text);
  const nhs = findings.find((f) => f.kind === 'nhs_number');
  assert.ok(nhs, 'found after non-BMP characters');
  assert.equal(text.slice(nhs.startUtf16, nhs.endUtf16), NHS);
  for (const f of findings) {
    const match = text.slice(f.startUtf16, f.endUtf16);
    assert.equal(Buffer.byteLength(text.slice(0, f.startUtf16)), f.start);
    assert.equal(Buffer.byteLength(match), f.end - f.start);
  }
  // Lone surrogates (possible in JS strings) are scanned without an exception and the
  // offsets still index the original string.
  const odd = `\uD800 ${MSG}`;
  const f2 = cg.scan(odd).find((f) => f.kind === 'nhs_number');
  assert.equal(odd.slice(f2.startUtf16, f2.endUtf16), NHS);
});

test('minimise replaces identifiers; hasFindings agrees with scan', () => {
  const out = cg.minimise(MSG);
  assert.ok(!out.includes(NHS) && !out.includes('John Smith'), out);
  assert.match(out, /\[NHS number\]/);
  assert.equal(cg.hasFindings(out), false);
  assert.equal(cg.hasFindings(MSG), true);
  for (const text of ['', 'obs stable', MSG, 'Parkinson\'s clinic on Florence Nightingale ward, will do']) {
    assert.equal(cg.hasFindings(text), cg.scan(text).length > 0, text);
  }
});

test('classic false positives stay quiet', () => {
  for (const text of [
    "Bed 6 has Parkinson's, started on Hartmann's solution",
    'Moved to Florence Nightingale ward at James Cook',
    'Will do. Temp rose to 39, frank haematuria noted',
  ]) {
    assert.deepEqual(cg.scan(text).filter((f) => f.kind === 'person_name'), [], text);
  }
});

test('Scanner options: kinds, partial masks, Trust patterns, allow-list, names', () => {
  const onlyNhs = new cg.Scanner({ kinds: ['nhs_number'] });
  assert.deepEqual(onlyNhs.scan(MSG).map((f) => f.kind), ['nhs_number']);
  const partial = new cg.Scanner({ maskStyle: 'partial' });
  assert.match(partial.minimise(`NHS ${NHS}`), /5919/);
  assert.ok(!partial.minimise(`NHS ${NHS}`).includes(NHS));
  const trust = new cg.Scanner({ hospitalNumberPatterns: ['\\bRX[0-9]{7}\\b'] });
  assert.deepEqual(trust.scan('ref RX1234567 please').map((f) => f.kind), ['hospital_number']);
  const allow = new cg.Scanner({ allow: ['Ward Beaumont'] });
  assert.equal(allow.hasFindings('moved to Ward Beaumont'), false);
  const names = new cg.Scanner({ extraGivenNames: ['Zyphora'], extraSurnames: ['Quennell'] });
  assert.ok(names.scan('please call Zyphora Quennell back').some((f) => f.kind === 'person_name'));
});

test('whose name it is: staff names pass in a clinical group, patients warn', () => {
  const [doctor] = cg.scan('can Dr Okafor review bay 4 please');
  assert.equal(doctor.kind, 'person_name');
  assert.equal(doctor.subject, 'staff');
  const [patient] = cg.scan('Mrs Okoro in bed 4 is NBM');
  assert.equal(patient.subject, 'patient');
  const rota = new cg.Scanner({ staffNames: ['Bronwen Pugh'] });
  assert.equal(rota.scan('Bronwen Pugh is NIC today')[0].subject, 'staff');
  assert.equal(rota.review('Bronwen Pugh is NIC today', CLINICAL).verdict, 'allow');
  // a social group is no place for any name, a colleague's included
  assert.equal(rota.review('Bronwen Pugh is NIC today', { conversation: 'social', platformApproved: true }).verdict,
    'block');
  assert.equal(rota.review('Mrs Okoro in bed 4 is NBM', CLINICAL).verdict, 'warn');
  const ctx = { ...CLINICAL, staffNames: ['Tomasz Nowak'] };
  assert.equal(new cg.Scanner().review('Tomasz Nowak is on nights', ctx).verdict, 'allow');
  // decide() reads the subject back; one it does not know counts as a patient's name
  const staffOnly = rota.scan('Bronwen Pugh is NIC today');
  assert.equal(cg.decide(staffOnly, CLINICAL).verdict, 'allow');
  assert.equal(cg.decide(staffOnly.map((f) => ({ ...f, subject: 'nobody' })), CLINICAL).verdict, 'warn');
});

test('bad options throw CareguardError with stable codes', () => {
  const bad = (options) => thrown(() => new cg.Scanner(options));
  assert.equal(bad({ hospitalNumberPatterns: ['(unclosed'] }).code, 'invalid_pattern');
  assert.equal(bad({ kinds: ['nhs'] }).code, 'invalid_argument');
  assert.equal(bad({ maskStyle: 'blur' }).code, 'invalid_argument');
  assert.equal(bad({ confidenceThreshold: 2 }).code, 'invalid_argument');
  assert.equal(bad({ allow: [''] }).code, 'invalid_length');
  assert.equal(bad({ allow: 'Ward 7' }).code, 'invalid_argument');
  assert.equal(bad('strict').code, 'invalid_argument');
  // The regex-lite syntax ScannerOptions documents: no Unicode classes, no look-around,
  // ASCII-only \d.
  assert.equal(bad({ hospitalNumberPatterns: ['\\p{L}[0-9]{6}'] }).code, 'invalid_pattern');
  assert.equal(bad({ hospitalNumberPatterns: ['(?=RX)[A-Z0-9]{9}'] }).code, 'invalid_pattern');
  const ascii = new cg.Scanner({ hospitalNumberPatterns: ['\\bRX\\d{7}\\b'] });
  assert.equal(ascii.hasFindings('ref RX1234567'), true);
  assert.equal(ascii.hasFindings('ref RX\u0661\u0662\u0663\u0664\u0665\u0666\u0667'), false);
  // Options may be left out (undefined or null: the defaults).
  assert.equal(new cg.Scanner(undefined).hasFindings(`NHS ${NHS}`), true);
  assert.equal(new cg.Scanner(null).hasFindings(`NHS ${NHS}`), true);
  const err = bad({ hospitalNumberPatterns: ['ok', '(unclosed'] });
  assert.ok(err instanceof cg.CareguardError);
  assert.equal(err.operation, 'Scanner.new');
  assert.match(err.message, /pattern 1/);
});

test('decide follows the policy table', () => {
  const findings = cg.scan(MSG);
  const clinical = cg.decide(findings, CLINICAL);
  assert.equal(clinical.verdict, 'warn');
  assert.equal(clinical.reasons[0].code, 'high_risk');
  assert.ok(clinical.reasons[0].kinds.includes('nhs_number'));
  assert.match(clinical.reasons[0].guidance, /NHS England/);
  assert.equal(clinical.suggestion, null);
  assert.equal(cg.decide(findings, { conversation: 'social', platformApproved: true }).verdict, 'block');
  assert.equal(cg.decide(findings, { conversation: 'broadcast', platformApproved: true }).verdict, 'block');
  assert.equal(cg.decide(findings, { conversation: 'clinical', platformApproved: false }).verdict, 'block');
  const emergency = cg.decide(findings, { conversation: 'clinical', platformApproved: false, emergency: true });
  assert.equal(emergency.verdict, 'warn');
  assert.equal(emergency.reasons[0].code, 'emergency_minimal');
  assert.deepEqual(cg.decide([], CLINICAL), { verdict: 'allow', reasons: [], suggestion: null });
  assert.equal(thrown(() => cg.decide(findings, { conversation: 'group', platformApproved: true })).code, 'invalid_argument');
  assert.equal(thrown(() => cg.decide(findings, { conversation: 'clinical' })).code, 'invalid_argument');
  assert.equal(thrown(() => cg.decide([{ kind: 'shoe_size' }], CLINICAL)).code, 'invalid_argument');
  // Recipients' verification state (identity): unverified or changed keys warn.
  const unverified = cg.decide(findings, { ...CLINICAL, recipients: [{ verification: 'unverified', keyChanged: false }] });
  assert.ok(unverified.reasons.some((r) => r.code === 'unverified_recipient'), JSON.stringify(unverified));
  const changed = cg.decide(findings, { ...CLINICAL, recipients: [{ verification: 'verified_in_person', keyChanged: true }] });
  assert.ok(changed.reasons.some((r) => r.code === 'recipient_key_changed'), JSON.stringify(changed));
  assert.ok(changed.reasons.every((r) => r.kinds.length > 0));
  const verified = cg.decide(findings, { ...CLINICAL, recipients: [{ verification: 'attested_by_organisation', keyChanged: false }] });
  assert.deepEqual(verified.reasons.map((r) => r.code), ['high_risk']);
  assert.equal(thrown(() => cg.decide(findings, { ...CLINICAL, recipients: [{ verification: 'trusted' }] })).code, 'invalid_argument');
  // Findings built by hand (e.g. stored from an earlier scan) work too.
  assert.equal(cg.decide([{ kind: 'nhs_number' }], CLINICAL).verdict, 'warn');
});

test('review = scan + decide + the minimised suggestion', () => {
  const scanner = new cg.Scanner();
  const r = scanner.review(MSG, CLINICAL);
  assert.equal(r.verdict, 'warn');
  assert.equal(r.suggestion, scanner.minimise(MSG));
  assert.deepEqual(r.findings, scanner.scan(MSG));
  const clean = scanner.review('obs stable, NEWS 2', CLINICAL);
  assert.deepEqual(clean, { verdict: 'allow', reasons: [], suggestion: null, findings: [] });
});

test('a 2,000-character draft scans well under 1 ms in Node', () => {
  const scanner = new cg.Scanner();
  let draft = '';
  while (draft.length < 2000) draft += `${MSG}. Obs stable overnight, plan for discharge after ward round. `;
  draft = draft.slice(0, 2000);
  for (let i = 0; i < 50; i++) scanner.review(draft, CLINICAL);
  const n = 300;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) scanner.review(draft, CLINICAL);
  const ms = (performance.now() - t0) / n;
  console.log(`# scanner.review of 2,000 chars in Node WASM: ${ms.toFixed(3)} ms`);
  assert.ok(ms < 1, `${ms} ms`);
});
