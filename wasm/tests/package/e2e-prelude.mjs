// What docs/wasm.md's end-to-end snippet leaves to the app (storage, a directory of
// cards, the Trust's key, another device), so that the snippet runs as printed.
import { DeviceKeys, Vault, KeyRing, generateKey, organisationPublicKey, verifyCard } from 'careguard-wasm/e2e';

const weak = { params: { mKib: 19456, tCost: 2, pCost: 1 } };
const stored = new Map();
const directory = new Map();
export const vault = Vault.create('730419', weak);
export const ring = new KeyRing();
ring.insert(1, generateKey());
export const store = async (name, bytes) => { stored.set(name, bytes); };
export const publish = async (card) => { directory.set('a.clinician@nhs.net', card); };
const seed = new Uint8Array(32).fill(9);
export const trustKey = organisationPublicKey(seed);
export const fetchRevocations = async () => undefined;
const now = Math.floor(Date.now() / 1000);
export const bobKeys = DeviceKeys.generate();
directory.set('b.nurse@nhs.net', bobKeys.issueCard('b.nurse@nhs.net', 'B Nurse', now, now + 86400, seed));
export const fetchCard = async (id) => directory.get(id);
export const storedFlags = { verifiedInPerson: false, keyChanged: false };
export const draft = 'Bed 4 needs a review before 14:00';
export { stored, directory };

// Cards the snippet names as the app's records: the contact's card stored at the last
// contact (here: the same card, so contactObserve says 'unchanged') and the sender's.
Object.defineProperty(globalThis, 'storedBob', {
  get: () => verifyCard(directory.get('b.nurse@nhs.net'), { organisationKeys: [trustKey] }, now),
});
Object.defineProperty(globalThis, 'aliceCard', {
  get: () => verifyCard(directory.get('a.clinician@nhs.net'), {}, now),
});
