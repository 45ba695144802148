// Trust hospital-number patterns in the two flavours: the default one compiles them with
// core's own matcher (a subset of the regex-lite syntax, the same matches), the -e2e one
// with regex-lite (docs/DETECT.md "Trust patterns").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cg, thrown } from './support.mjs';

const e2e = createRequire(import.meta.url)(
  fileURLToPath(new URL('../pkg/node-e2e/index.js', import.meta.url)),
);

const spans = (lib, patterns, text) =>
  new lib.Scanner({ hospitalNumberPatterns: patterns, kinds: ['hospital_number'] })
    .scan(text).map((f) => [f.start, f.end]);

test('patterns in the documented subset find the same numbers in both flavours', () => {
  const text = 'RX1234567, rx7654321, K123456Z and AB12345678; H12345 x RY7654321';
  for (const patterns of [
    ['\\bRX[0-9]{7}\\b'],
    ['[A-Z]{1,3}\\d{6,8}'],
    ['(?:RX|RY)\\d{7}|K\\d{6}[A-Z]?', '\\bH\\d{5}\\b'],
    ['[^\\s,;]+\\d{5}'],
  ]) {
    const ours = spans(cg, patterns, text);
    assert.ok(ours.length > 0, patterns.join());
    assert.deepEqual(ours, spans(e2e, patterns, text), patterns.join());
  }
});

test('the default flavour refuses what is outside the subset; -e2e takes regex-lite syntax', () => {
  for (const pattern of ['(?i)rx\\d{7}', 'RX\\d{7}?', 'RX\\d+?', '(?P<n>RX)\\d{7}', '[[:upper:]]{2}\\d{7}']) {
    assert.equal(thrown(() => new cg.Scanner({ hospitalNumberPatterns: [pattern] })).code,
      'invalid_pattern', pattern);
    assert.equal(new e2e.Scanner({ hospitalNumberPatterns: [pattern] }).hasFindings('ref RX1234567'),
      true, pattern);
  }
});
