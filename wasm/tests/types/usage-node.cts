// Type-checked (never run): the node flavour through CommonJS require.
import cg = require('../../pkg/node/index.js');

export function check(): number {
  const err = new cg.CareguardError('tampered', 'envelopeOpen', 'tampered');
  const findings: cg.Finding[] = cg.scan('Mr John Smith NHS 943 476 5919');
  const vault: cg.Vault = cg.Vault.create('730419', { params: { mKib: 64, tCost: 1, pCost: 1 }, insecureParamsForTestsOnly: true });
  vault.lock();
  return cg.generateKey().length + (err.is('tampered') ? 1 : 0) + cg.errorCodes().length + findings.length;
}
