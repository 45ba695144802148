// Type-checked with module/moduleResolution nodenext: the CommonJS require.
import cg = require('careguard-wasm');
import e2e = require('careguard-wasm/e2e');

const findings: cg.Finding[] = new cg.Scanner().scan('NHS 943 476 5919');
export const checks = [findings.length, e2e.DeviceKeys.name, new cg.CareguardError('tampered', 'x', 'y').is('tampered')];
