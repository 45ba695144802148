// Wrong-typed arguments from JavaScript: every exported function, method, getter and
// constructor of both flavours (default and -e2e), called with a number, an object,
// null, undefined, a string for bytes, bytes for a string, an instance of another
// class or a freed object, must throw CareguardError('invalid_argument') naming the
// operation, and the module must keep working afterwards (the next valid call
// succeeds). wasm-bindgen's own glue would otherwise read such values as strings or
// arrays and write outside WASM memory ("memory access out of bounds").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cg as plain } from './support.mjs';

const e2e = createRequire(import.meta.url)(
  fileURLToPath(new URL('../pkg/node-e2e/index.js', import.meta.url)),
);

const NOW = 1_780_000_000;
const YEAR = 365 * 86_400;
// The cheapest parameters the shipped package accepts (it has no test-only weaker ones).
const CHEAP = { params: { mKib: 19456, tCost: 2, pCost: 1 } };
const PIN = '482915';
const NHS = 'NHS 943 476 5919';
const BINDING = { conversationId: 'ward-7' };
const CONTEXT = { conversation: 'clinical', platformApproved: true };
const RECIPIENT = { id: 'c1', displayName: 'Dr A', kind: 'contact' };

// Wrong values for each kind of parameter (functions: made fresh for each call).
const BAD = {
  string: (cg) => [42, {}, null, undefined, new Uint8Array([104, 105]), freed(cg)],
  bytes: (cg) => [42, {}, null, undefined, 'not bytes', [1, 2, 3], freed(cg)],
  bytesOrText: (cg) => [42, {}, null, undefined, [1, 2, 3], freed(cg)],
  optBytes: (cg) => [42, {}, 'not bytes', [1, 2, 3]],
  number: (cg) => ['5', {}, null, undefined, new Uint8Array(1), freed(cg), 10n],
  boolean: (cg) => ['yes', 1, {}, null, undefined],
  object: () => [42, 'x', null, undefined],
  optObject: () => [42, 'x', true],
  array: () => [42, 'x', null, {}, new Uint8Array(2)],
};
/** Wrong values for a class-typed parameter: anything but a live instance of `cls`. */
const badInstances = (cg, cls) => [
  {}, 42, null, undefined, 'x', new Uint8Array(2), { __wbg_ptr: 8 },
  cls === cg.Scanner ? new cg.KeyRing() : new cg.Scanner(),
  freedInstance(cls, cg),
];

function freed(cg) {
  const ring = new cg.KeyRing();
  ring.free();
  return ring;
}

/** Makes a live instance of every class, from shared fixtures. */
function fixtures(cg) {
  const f = {};
  f.key = cg.generateKey();
  f.scanner = () => new cg.Scanner();
  f.ring = () => {
    const ring = new cg.KeyRing();
    ring.insert(7, f.key);
    return ring;
  };
  f.vault = () => cg.Vault.create(PIN, CHEAP);
  f.theVault = f.vault();
  f.blob = f.theVault.blob();
  f.attempt = () => cg.Vault.beginUnlock(f.theVault.blob(), NOW);
  f.persisted = () => f.attempt().persisted();
  f.envelope = cg.envelopeSeal(f.ring(), 'hello', BINDING, undefined, NOW);
  f.wrapped = f.theVault.wrapSecret('label', new Uint8Array([1, 2, 3]));
  if (cg.DeviceKeys) {
    f.keys = () => cg.DeviceKeys.generate();
    f.theKeys = f.keys();
    f.cardBytes = f.theKeys.issueCard('a@nhs.net', 'Dr A', NOW - 10, NOW + YEAR);
    f.card = () => cg.verifyCard(f.cardBytes, undefined, NOW);
    f.bobKeys = f.keys();
    f.bobCard = () =>
      cg.verifyCard(f.bobKeys.issueCard('b@nhs.net', 'Nurse B', NOW - 10, NOW + YEAR), undefined, NOW);
    f.cards = () => {
      const list = new cg.CardList();
      list.add(f.bobCard());
      return list;
    };
    f.senders = () => {
      const list = new cg.CardList();
      list.add(f.card());
      return list;
    };
    f.sealed = cg.identitySealKeepingCopy(f.theKeys, f.cards(), f.ring(), 'hi', BINDING, undefined, NOW);
    f.wrappedKeys = f.theKeys.wrapInVault(f.theVault);
    f.qr = cg.safetyNumber(f.card(), f.bobCard()).qr;
  }
  return f;
}

function freedInstance(cls, cg) {
  const f = fixturesOf.get(cg);
  const make = {
    Scanner: f.scanner, KeyRing: f.ring, Vault: f.vault, UnlockAttempt: f.attempt,
    PersistedAttempt: f.persisted, DeviceKeys: f.keys, VerifiedCard: f.card, CardList: f.cards,
  }[cls.name];
  const instance = make();
  instance.free();
  return instance;
}
const fixturesOf = new Map();

/**
 * One entry per callable: `op` (the CareguardError operation), `params` (a kind from
 * BAD, or a class for class-typed parameters), `valid()` (arguments that work),
 * `call(args)` and, for methods and getters, `self()` (a fresh instance, freed for the
 * freed-`this` case).
 */
function api(cg, f) {
  const fn = (name, params, valid) => ({ op: name, params, valid, call: (a) => cg[name](...a) });
  // `freeable`: a fresh instance for the freed-`this` case when `self` is shared.
  const method = (cls, name, self, params, valid, freeable = self) => ({
    op: `${cls.name}.${name}`, params, valid, self, freeable, call: (a, s) => s[name](...a),
  });
  const getter = (cls, name, self) => ({
    op: `${cls.name}.${name}`, params: [], valid: () => [], self, freeable: self, call: (_, s) => s[name],
  });
  const statik = (cls, name, params, valid) => ({
    op: `${cls.name}.${name}`, params, valid, call: (a) => cls[name](...a),
  });
  const ctor = (cls, params, valid, op = `${cls.name}.new`) => ({
    op, params, valid, call: (a) => new cls(...a),
  });
  let id = 100;
  const entries = [
    fn('scan', ['string'], () => [NHS]),
    fn('hasFindings', ['string'], () => [NHS]),
    fn('minimise', ['string'], () => [NHS]),
    fn('decide', ['array', 'object'], () => [cg.scan(NHS), CONTEXT]),
    fn('kinds', [], () => []),
    fn('version', [], () => []),
    fn('errorCodes', [], () => []),
    fn('generateKey', [], () => []),
    fn('keyIdFor', ['bytes'], () => [f.key]),
    fn('envelopeSeal', [cg.KeyRing, 'bytesOrText', 'optObject', 'optObject', 'number'],
      () => [f.ring(), 'hello', BINDING, undefined, NOW]),
    fn('envelopeOpen', [cg.KeyRing, 'bytes', 'optObject', 'number'],
      () => [f.ring(), f.envelope, BINDING, NOW]),
    ctor(cg.Scanner, ['optObject'], () => [{ maskStyle: 'partial' }]),
    method(cg.Scanner, 'scan', f.scanner, ['string'], () => [NHS]),
    method(cg.Scanner, 'hasFindings', f.scanner, ['string'], () => [NHS]),
    method(cg.Scanner, 'minimise', f.scanner, ['string'], () => [NHS]),
    method(cg.Scanner, 'review', f.scanner, ['string', 'object'], () => [NHS, CONTEXT]),
    ctor(cg.KeyRing, [], () => []),
    method(cg.KeyRing, 'insert', f.ring, ['number', 'bytes'], () => [id++, f.key]),
    method(cg.KeyRing, 'remove', f.ring, ['number'], () => [7]),
    method(cg.KeyRing, 'keyIds', f.ring, [], () => []),
    getter(cg.KeyRing, 'sealingKeyId', f.ring),
    statik(cg.Vault, 'create', ['string', 'optObject'], () => [PIN, CHEAP]),
    statik(cg.Vault, 'status', ['bytes'], () => [f.blob]),
    statik(cg.Vault, 'beginUnlock', ['bytes', 'number', 'optObject'], () => [f.theVault.blob(), NOW, undefined]),
    // A valid calibrate call takes seconds; only the wrong types are tried.
    { ...statik(cg.Vault, 'calibrate', ['number', 'number'], null) },
    method(cg.Vault, 'blob', f.vault, [], () => []),
    method(cg.Vault, 'params', f.vault, [], () => []),
    getter(cg.Vault, 'isUnlocked', f.vault),
    method(cg.Vault, 'addKeyToRing', () => f.theVault, [cg.KeyRing, 'number'], () => [f.ring(), id++], f.vault),
    method(cg.Vault, 'wrapSecret', () => f.theVault, ['string', 'bytes'], () => ['label', new Uint8Array(4)], f.vault),
    method(cg.Vault, 'unwrapSecret', () => f.theVault, ['string', 'bytes'], () => ['label', f.wrapped], f.vault),
    method(cg.Vault, 'changePin', f.vault, ['string', 'optObject'], () => ['739164', CHEAP]),
    method(cg.Vault, 'lock', f.vault, [], () => []),
    getter(cg.UnlockAttempt, 'blob', f.attempt),
    method(cg.UnlockAttempt, 'persisted', f.attempt, [], () => []),
    // Bad arguments are refused before the attempt is used, so one attempt serves all.
    method(cg.PersistedAttempt, 'unlock', f.persisted, ['string', 'optBytes'], () => [PIN, undefined]),
  ];
  // notificationText is in the default flavour only (the -e2e package is at its size budget).
  if (!cg.DeviceKeys) {
    return entries.concat([
      fn('notificationText', ['bytes', 'string', 'string', 'string'],
        () => [f.envelope, 'conversation', 'Ward 7', 'Dr A']),
    ]);
  }
  const VerifiedCard = cg.VerifiedCard;
  const cardGetters = ['staffId', 'displayName', 'deviceId', 'createdAt', 'expiresAt', 'attested', 'bytes'];
  return entries.concat([
    statik(cg.DeviceKeys, 'generate', [], () => []),
    method(cg.DeviceKeys, 'rotate', f.keys, [], () => []),
    getter(cg.DeviceKeys, 'deviceId', f.keys),
    method(cg.DeviceKeys, 'wrapInVault', f.keys, [cg.Vault], () => [f.theVault]),
    statik(cg.DeviceKeys, 'unwrapFromVault', [cg.Vault, 'bytes'], () => [f.theVault, f.wrappedKeys]),
    method(cg.DeviceKeys, 'issueCard', f.keys, ['string', 'string', 'number', 'number', 'optBytes'],
      () => ['a@nhs.net', 'Dr A', NOW, NOW + YEAR, undefined]),
    method(cg.DeviceKeys, 'issueRotatedCard', () => f.theKeys.rotate(),
      [cg.DeviceKeys, 'string', 'string', 'number', 'number', 'optBytes'],
      () => [f.theKeys, 'a@nhs.net', 'Dr A', NOW, NOW + YEAR, undefined]),
    fn('organisationPublicKey', ['bytes'], () => [f.key]),
    fn('signRevocationList', ['bytes', 'array', 'number'], () => [f.key, [new Uint8Array(16)], NOW]),
    fn('verifyCard', ['bytes', 'optObject', 'number'], () => [f.cardBytes, undefined, NOW]),
    fn('reviewGroup', ['object', 'number', 'optObject', 'optObject'],
      () => [{ purpose: 'clinical', lastReview: NOW, members: [] }, NOW, undefined, undefined]),
    ctor(cg.AddressBook, ['array'], () => [[RECIPIENT]]),
    method(cg.AddressBook, 'check', () => new cg.AddressBook([RECIPIENT]), ['object', 'boolean', 'boolean'],
      () => [RECIPIENT, true, true]),
    getter(cg.AddressBook, 'size', () => new cg.AddressBook([RECIPIENT])),
    ...cardGetters.map((g) => getter(VerifiedCard, g, f.card)),
    fn('contactTrust', [VerifiedCard, 'boolean', 'boolean'], () => [f.card(), true, false]),
    fn('contactObserve', [VerifiedCard, VerifiedCard, 'object'],
      () => [f.card(), f.card(), { verifiedInPerson: true, keyChanged: false }]),
    fn('safetyNumber', [VerifiedCard, VerifiedCard], () => [f.card(), f.bobCard()]),
    fn('safetyNumberMatchesScanned', [VerifiedCard, VerifiedCard, 'bytes'], () => [f.card(), f.bobCard(), f.qr]),
    ctor(cg.CardList, [], () => []),
    method(cg.CardList, 'add', f.cards, [VerifiedCard], () => [f.card()]),
    getter(cg.CardList, 'length', f.cards),
    fn('identitySeal', [cg.DeviceKeys, cg.CardList, 'bytesOrText', 'optObject', 'optObject', 'number'],
      () => [f.theKeys, f.cards(), 'hi', BINDING, undefined, NOW]),
    fn('identitySealKeepingCopy',
      [cg.DeviceKeys, cg.CardList, cg.KeyRing, 'bytesOrText', 'optObject', 'optObject', 'number'],
      () => [f.theKeys, f.cards(), f.ring(), 'hi', BINDING, undefined, NOW]),
    fn('identityOpen', [cg.DeviceKeys, 'bytes', 'optObject', 'number', cg.CardList],
      () => [f.bobKeys, f.sealed, BINDING, NOW, f.senders()]),
    fn('identityOpenOwnCopy', [cg.DeviceKeys, cg.KeyRing, 'bytes', 'optObject', 'number', cg.CardList],
      () => [f.theKeys, f.ring(), f.sealed, BINDING, NOW, f.senders()]),
  ]);
}

/** The module still works: a scan finds the NHS number, an envelope round-trips. */
function stillWorks(cg, f, after) {
  assert.equal(cg.scan(NHS).length, 1, `scan after ${after}`);
  const ring = f.ring();
  const opened = cg.envelopeOpen(ring, cg.envelopeSeal(ring, 'ok', BINDING, undefined, NOW), BINDING, NOW);
  assert.equal(Buffer.from(opened.payload).toString(), 'ok', `envelope after ${after}`);
}

function expectInvalid(cg, entry, what, run) {
  let error;
  try {
    run();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof cg.CareguardError,
    `${entry.op} with ${what}: expected CareguardError, got ${error === undefined ? 'no error' : `${error?.constructor?.name}: ${error?.message}`}`);
  assert.equal(error.code, 'invalid_argument', `${entry.op} with ${what}: ${error.message}`);
  assert.equal(error.operation, entry.op, `${entry.op} with ${what}: operation`);
}

const describe = (v) => {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'object') return v.constructor?.name ?? 'object';
  return `${typeof v} ${JSON.stringify(v)}`;
};

/** Every callable the module exports, as the names `api` uses. */
function exportedCallables(cg) {
  const names = [];
  for (const [name, value] of Object.entries(cg)) {
    if (name === 'CareguardError' || name === 'ERROR_CODES' || typeof value !== 'function') continue;
    if (!/^class\b/.test(Function.prototype.toString.call(value))) {
      names.push(name);
      continue;
    }
    if (Object.getOwnPropertyNames(value.prototype).includes('free') && value.toString().includes('constructor(')) {
      names.push(`${name}.new`);
    }
    for (const [target, builtIn] of [[value.prototype, ['constructor']], [value, ['prototype', 'length', 'name']]]) {
      for (const key of Object.getOwnPropertyNames(target)) {
        if (builtIn.includes(key) || ['free', '__destroy_into_raw', '__wrap'].includes(key)) continue;
        names.push(`${name}.${key}`);
      }
    }
  }
  return names.sort();
}

for (const [flavour, cg] of [['default', plain], ['e2e', e2e]]) {
  test(`${flavour}: every export is covered by this test`, () => {
    const f = fixtures(cg);
    fixturesOf.set(cg, f);
    const covered = api(cg, f).map((e) => e.op).sort();
    assert.deepEqual(covered, exportedCallables(cg));
  });

  test(`${flavour}: wrong-typed arguments throw invalid_argument and the module keeps working`, () => {
    const f = fixturesOf.get(cg) ?? fixtures(cg);
    fixturesOf.set(cg, f);
    let checked = 0;
    for (const entry of api(cg, f)) {
      if (entry.valid) {
        const self = entry.self?.();
        entry.call(entry.valid(), self);
      }
      const base = entry.valid ? entry.valid : () => entry.params.map((p) => (p === 'number' ? 1 : undefined));
      entry.params.forEach((kind, index) => {
        const bads = typeof kind === 'function' ? badInstances(cg, kind) : BAD[kind](cg);
        for (const bad of bads) {
          const args = base();
          args[index] = bad;
          const self = entry.self?.();
          expectInvalid(cg, entry, `argument ${index} = ${describe(bad)}`, () => entry.call(args, self));
          checked += 1;
          if (entry.valid) entry.call(entry.valid(), entry.self?.());
        }
      });
      if (entry.self) {
        const self = entry.freeable();
        self.free();
        expectInvalid(cg, entry, 'a freed this', () => entry.call(entry.valid(), self));
        checked += 1;
      }
      stillWorks(cg, f, entry.op);
    }
    console.log(`${flavour}: ${checked} bad calls`);
    assert.ok(checked > (cg.DeviceKeys ? 300 : 150), `only ${checked} bad calls`);
  });
}

// The ES module entry (web, web-e2e) guards its exports the same way (guarded
// re-exports appended by scripts/build-wasm.sh, classes patched in place).
for (const flavour of ['web', 'web-e2e']) {
  test(`${flavour} entry: glue and Rust argument errors are CareguardErrors`, async () => {
    const dir = new URL(`../pkg/${flavour}/`, import.meta.url);
    const web = await import(new URL('index.js', dir));
    const { readFileSync } = await import('node:fs');
    web.initSync({ module: readFileSync(new URL('careguard_wasm_bg.wasm', dir)) });
    const ring = new web.KeyRing();
    ring.insert(1, web.generateKey());
    const scanner = new web.Scanner();
    const cases = [
      ['scan', () => web.scan(42)],
      ['minimise', () => web.minimise(scanner)],
      ['envelopeSeal', () => web.envelopeSeal({}, 'x', BINDING, undefined, NOW)],
      ['envelopeOpen', () => web.envelopeOpen(ring, 'not bytes', BINDING, NOW)],
      ['Scanner.scan', () => scanner.scan(null)],
      ['KeyRing.insert', () => ring.insert(2, undefined)],
      ['Scanner.hasFindings', () => {
        const gone = new web.Scanner();
        gone.free();
        gone.hasFindings(NHS);
      }],
    ];
    for (const [op, run] of cases) {
      expectInvalid(web, { op }, 'a wrong type', run);
      assert.equal(web.scan(NHS).length, 1);
    }
    const sealed = web.envelopeSeal(ring, 'ok', BINDING, undefined, NOW);
    assert.equal(Buffer.from(web.envelopeOpen(ring, sealed, BINDING, NOW).payload).toString(), 'ok');
  });
}
