// The published packages are built without the `insecure-test-params` cargo feature, so
// they refuse to make a vault with Argon2 parameters below the production minimum, even
// when asked to at run time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { thrown } from './support.mjs';

const require = createRequire(import.meta.url);
const PIN = '730419';
const WEAK = { params: { mKib: 64, tCost: 1, pCost: 1 }, insecureParamsForTestsOnly: true };

for (const flavour of ['node', 'node-e2e']) {
  test(`the shipped ${flavour} package refuses insecureParamsForTestsOnly`, () => {
    const cg = require(fileURLToPath(new URL(`../pkg/${flavour}/index.js`, import.meta.url)));
    const err = thrown(() => cg.Vault.create(PIN, WEAK));
    assert.equal(err.code, 'invalid_argument');
    assert.match(err.message, /insecureParamsForTestsOnly/);
    // Even with production parameters the switch itself is refused, and so is changePin.
    const min = { params: { mKib: 19456, tCost: 2, pCost: 1 } };
    assert.equal(thrown(() => cg.Vault.create(PIN, { ...min, insecureParamsForTestsOnly: true })).code, 'invalid_argument');
    const vault = cg.Vault.create(PIN, min);
    assert.equal(thrown(() => vault.changePin('839271', WEAK)).code, 'invalid_argument');
    // Saying false is harmless.
    assert.ok(cg.Vault.create(PIN, { ...min, insecureParamsForTestsOnly: false }).isUnlocked);
  });
}
