// The right recipient (the -e2e package flavour): AddressBook, as the C ABI's
// cg_address_book_* (issue 17). Not in the default flavour: its name folding tables cost
// that package 8 KB gzipped (docs/wasm.md "Size").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cg as plain, thrown } from './support.mjs';

const cg = createRequire(import.meta.url)(
  fileURLToPath(new URL('../pkg/node-e2e/index.js', import.meta.url)),
);

const contact = (id, displayName, more = {}) => ({
  id, displayName, kind: 'contact', attested: true, verification: 'attested_by_organisation',
  identifiersSentBefore: true, ...more,
});
const group = (id, displayName, purpose, more = {}) => ({ id, displayName, kind: 'group', purpose, ...more });

test('confusable names are named, strongest first, never the chosen entry itself', () => {
  const book = new cg.AddressBook([
    contact('1', 'Dr John Smith'), contact('2', 'Dr Joan Smith'), contact('3', 'Zoe Brown'),
    contact('4', 'Zoë Brown'), contact('5', 'Ward 7'), contact('6', 'Ward 17'),
  ]);
  assert.equal(book.size, 6);
  const [smith, ...rest] = book.check(contact('1', 'Dr John Smith'), true, true);
  assert.deepEqual(rest, []);
  assert.equal(smith.code, 'confusable_name');
  assert.equal(smith.alternativeId, '2');
  assert.equal(smith.alternativeName, 'Dr Joan Smith');
  assert.equal(smith.confusion, 'edit_distance');
  assert.equal(smith.distance, 1);
  assert.equal(smith.message,
    '"Dr Joan Smith" in your address book differs by one letter: check this is the right recipient');
  assert.match(smith.guidance, /correct person or group/);

  // Diacritics fold away: the same name.
  const [zoe] = book.check(contact('3', 'Zoe Brown'), true, false);
  assert.deepEqual([zoe.alternativeId, zoe.confusion, zoe.distance], ['4', 'same_name', undefined]);
  // A Cyrillic look-alike letter ("Zое" with Cyrillic о and е) is the same name too.
  const [homoglyph] = book.check(contact('9', 'Z\u043e\u0435 Brown'), false, true);
  assert.equal(homoglyph.confusion, 'same_name');
  assert.deepEqual(book.check(contact('9', 'Z\u043e\u0435 Brown'), false, true).map((w) => w.alternativeId).sort(), ['3', '4']);
});

test('a message with neither identifiers nor clinical content gets no warnings', () => {
  const book = new cg.AddressBook([contact('1', 'Dr John Smith'), contact('2', 'Dr Joan Smith')]);
  assert.deepEqual(book.check(contact('1', 'Dr John Smith', { attested: false }), false, false), []);
});

test('the first message with identifiers to a contact, and a contact outside the Trust', () => {
  const book = new cg.AddressBook([]);
  const first = book.check(contact('1', 'Dr A', { identifiersSentBefore: false }), true, false);
  assert.deepEqual(first.map((w) => w.code), ['first_identifiers_to_contact']);
  assert.equal(first[0].message, 'This is the first time you send patient details to this contact');
  const outside = book.check(contact('1', 'Dr A', { attested: false, verification: undefined }), true, false);
  assert.deepEqual(outside.map((w) => [w.code, w.members]), [['outside_trust', 1]]);
  assert.equal(outside[0].message, 'This recipient has no card attested by the Trust');
  // Clinical without identifiers: neither warning.
  assert.deepEqual(book.check(contact('1', 'Dr A', { attested: false, identifiersSentBefore: false }), false, true), []);
});

test('groups: members outside the Trust, clinical messages to a social group', () => {
  const book = new cg.AddressBook([group('g1', 'Ward 7 nurses', 'clinical')]);
  const social = group('g2', 'Christmas party', 'social', { membersOutsideTrust: 3 });
  assert.deepEqual(book.check(social, true, true).map((w) => [w.code, w.members]), [
    ['outside_trust', 3], ['clinical_to_social_group', undefined],
  ]);
  assert.equal(book.check(social, true, true)[0].message, '3 members have no card attested by the Trust');
  const [w] = book.check(social, false, true);
  assert.equal(w.code, 'clinical_to_social_group');
  assert.match(w.guidance, /separate your social groups/);
  assert.deepEqual(book.check(group('g3', 'Ward 7 rota', 'operational'), false, true), []);
});

test('bad entries and flags throw invalid_argument naming the operation', () => {
  const bad = (fn, operation) => {
    const e = thrown(fn);
    assert.ok(e instanceof cg.CareguardError);
    assert.equal(e.code, 'invalid_argument');
    assert.equal(e.operation, operation);
    return e.message;
  };
  const make = (entry) => () => new cg.AddressBook([entry]);
  assert.match(bad(make({ ...contact('1', 'A'), kind: 'person' }), 'AddressBook.new'), /kind/);
  assert.match(bad(make({ id: '1', kind: 'contact' }), 'AddressBook.new'), /displayName/);
  assert.match(bad(make({ displayName: 'A', kind: 'contact' }), 'AddressBook.new'), /id/);
  assert.match(bad(make(group('g', 'G')), 'AddressBook.new'), /purpose/);
  assert.match(bad(make(group('g', 'G', 'party')), 'AddressBook.new'), /purpose/);
  assert.match(bad(make(contact('1', 'A', { verification: 'maybe' })), 'AddressBook.new'), /verification/);
  assert.match(bad(make(contact('1', 'A', { attested: 'yes' })), 'AddressBook.new'), /attested/);
  assert.match(bad(make(group('g', 'G', 'social', { membersOutsideTrust: -1 })), 'AddressBook.new'),
    /membersOutsideTrust/);
  bad(make(7), 'AddressBook.new');
  bad(() => new cg.AddressBook('not an array'), 'AddressBook.new');
  const book = new cg.AddressBook([contact('1', 'A')]);
  bad(() => book.check(contact('1', 'A'), 'yes', true), 'AddressBook.check');
  bad(() => book.check(contact('1', 'A'), true, undefined), 'AddressBook.check');
  bad(() => book.check({ ...contact('1', 'A'), kind: undefined }, true, true), 'AddressBook.check');
  // The book still works after the errors.
  assert.deepEqual(book.check(contact('2', 'B'), true, true), []);
});

test('the default flavour does not have AddressBook (its size budget)', () => {
  assert.equal(plain.AddressBook, undefined);
});
