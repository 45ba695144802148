// A CommonJS project: require of the package and of careguard-wasm/e2e.
'use strict';
const assert = require('node:assert/strict');
const { Scanner, KeyRing, CareguardError } = require('careguard-wasm');
const e2e = require('careguard-wasm/e2e');

assert.equal(new Scanner().scan('NHS 943 476 5919')[0].kind, 'nhs_number');
assert.equal(typeof new KeyRing().keyIds, 'function');
assert.throws(() => new KeyRing().insert(1, 'no'), (e) => e instanceof CareguardError && e.code === 'invalid_argument');
assert.equal(typeof e2e.DeviceKeys.generate, 'function');
// The ES module and CommonJS entries share one instance and one error class.
import('careguard-wasm').then((esm) => {
  assert.equal(esm.CareguardError, CareguardError);
  console.log('cjs ok');
});
