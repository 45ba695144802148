// Node entry (CommonJS): the module is instantiated synchronously on require. Every
// generated function and class method is guarded (guardFunction in errors.js).
'use strict';
const glue = require('./careguard_wasm.js');
const { CareguardError, ERROR_CODES, guardClass, guardFunction, isClass } = require('./errors.js');

const api = {};
for (const [name, value] of Object.entries(glue)) {
  if (isClass(value)) guardClass(value);
  api[name] = typeof value === 'function' && !isClass(value) ? guardFunction(name, value) : value;
}
module.exports = { ...api, CareguardError, ERROR_CODES };
