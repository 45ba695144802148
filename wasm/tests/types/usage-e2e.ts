// Type-checked (never run): the web-e2e flavour (identity) as a messaging app would use it.
import init, {
  AddressBook,
  CardList, DeviceKeys, KeyRing, Vault, contactObserve, contactTrust, decide, identityOpen,
  identityOpenOwnCopy, identitySeal, identitySealKeepingCopy, organisationPublicKey, safetyNumber,
  safetyNumberMatchesScanned, scan, signRevocationList, verifyCard,
} from '../../pkg/web-e2e/index.js';
import type {
  ContactFlags, ContactObservation, Decision, OpenedSigned, RecipientEntry, RecipientTrust,
  RecipientWarning, SafetyNumberResult,
  TrustOptions, VerifiedCard,
} from '../../pkg/web-e2e/index.js';

export async function conversation(wasmUrl: URL, vault: Vault, wrappedKeys: Uint8Array, contactCard: Uint8Array, orgKey: Uint8Array, now: number): Promise<string> {
  await init({ module_or_path: wasmUrl });
  const me: DeviceKeys = DeviceKeys.unwrapFromVault(vault, wrappedKeys);
  const myCard: VerifiedCard = verifyCard(me.issueCard('a@nhs.net', 'A', now, now + 86_400), undefined, now);
  const trust: TrustOptions = { organisationKeys: [orgKey], requireAttestation: false };
  const bob: VerifiedCard = verifyCard(contactCard, trust, now);
  const flags: ContactFlags = { verifiedInPerson: false, keyChanged: false };
  const seen: ContactObservation = contactObserve(bob, bob, flags);
  const recipient: RecipientTrust = contactTrust(bob, seen.verifiedInPerson, seen.keyChanged);
  const decision: Decision = decide(scan('bed 4'), { conversation: 'clinical', platformApproved: true, recipients: [recipient] });
  const number: SafetyNumberResult = safetyNumber(myCard, bob);
  const scanned: boolean = safetyNumberMatchesScanned(myCard, bob, number.qr);
  const recipients = new CardList();
  recipients.add(bob);
  const ring = new KeyRing();
  vault.addKeyToRing(ring, 1);
  const sealed: Uint8Array = identitySeal(me, recipients, 'hello', { conversationId: 'c' }, { padding: true }, now);
  const copy: Uint8Array = identitySealKeepingCopy(me, recipients, ring, 'hello', undefined, undefined, now);
  const senders = new CardList();
  senders.add(myCard);
  const opened: OpenedSigned = identityOpenOwnCopy(me, ring, copy, undefined, now, senders);
  const other: OpenedSigned = identityOpen(me, sealed, { conversationId: 'c' }, now, senders);
  const next: DeviceKeys = me.rotate();
  const rotated: Uint8Array = next.issueRotatedCard(me, 'a@nhs.net', 'A', now, now + 86_400, undefined);
  const list: Uint8Array = signRevocationList(new Uint8Array(32), [bob.deviceId], now);
  const pub: Uint8Array = organisationPublicKey(new Uint8Array(32));
  return `${decision.verdict} ${number.groups} ${scanned} ${opened.sender.staffId} ${other.header.contentType} ${me.wrapInVault(vault).length} ${rotated.length} ${list.length} ${pub.length} ${bob.attested} ${bob.createdAt + bob.expiresAt} ${bob.displayName} ${bob.bytes.length} ${senders.length}`;
}

// The right recipient (issue 17): AddressBook, its entries and warnings.
export function rightRecipient(): string {
  const entries: RecipientEntry[] = [
    { id: '1', displayName: 'Dr John Smith', kind: 'contact', attested: true, verification: 'attested_by_organisation' },
    { id: 'g', displayName: 'Ward 7', kind: 'group', purpose: 'clinical', membersOutsideTrust: 0 },
  ];
  const book = new AddressBook(entries);
  const warnings: RecipientWarning[] = book.check(entries[0], true, false);
  return `${book.size} ${warnings.map((w) => `${w.code} ${w.alternativeName ?? ''} ${w.distance ?? 0}`).join()}`;
}
