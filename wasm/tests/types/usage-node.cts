// Type-checked (never run): the node flavour through CommonJS require.
import cg = require('../../pkg/node/index.js');

export function check(): number {
  const err = new cg.CareguardError('tampered', 'envelope.open', 'tampered');
  return cg.generateKey().length + (err.is('tampered') ? 1 : 0) + cg.errorCodes().length;
}
