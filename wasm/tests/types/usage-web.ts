// Type-checked (never run): the web flavour as an app or extension would use it.
import init, {
  CareguardError, ERROR_CODES, KeyRing, Scanner, Vault, decide, envelopeOpen, envelopeSeal,
  errorCodes, generateKey, hasFindings, keyIdFor, kinds, minimise, scan, version,
} from '../../pkg/web/index.js';
import type {
  Decision, EnvelopeHeader, ErrorCode, ErrorDetails, Finding, Kind, KdfParams, OpenedEnvelope,
  PolicyContext, ScannerOptions, VaultStatus,
} from '../../pkg/web/index.js';

export async function start(wasmUrl: URL): Promise<string> {
  await init({ module_or_path: wasmUrl });
  const codes: ErrorCode[] = errorCodes();
  const first: ErrorCode | undefined = ERROR_CODES[0];
  const all: Kind[] = kinds();
  return `${version()} ${codes.length} ${first} ${all.length}`;
}

export function checkDraft(draft: string): { send: boolean; highlight: Array<[number, number]> } {
  const options: ScannerOptions = { maskStyle: 'partial', hospitalNumberPatterns: ['\\bRX[0-9]{7}\\b'] };
  const scanner = new Scanner(options);
  const context: PolicyContext = { conversation: 'clinical', platformApproved: true };
  const review = scanner.review(draft, context);
  const findings: Finding[] = review.findings;
  const decision: Decision = decide(scan(draft), context);
  const suggestion: string | null = review.suggestion;
  scanner.free();
  return {
    send: decision.verdict === 'allow' && !hasFindings(minimise(draft)) && suggestion === null,
    highlight: findings.map((f) => [f.startUtf16, f.endUtf16]),
  };
}

export function roundTrip(now: number): Uint8Array {
  const ring = new KeyRing();
  const key = generateKey();
  ring.insert(keyIdFor(key), key);
  key.fill(0);
  const sealed: Uint8Array = envelopeSeal(ring, 'bed 4 obs stable', { conversationId: 'ward-7' },
    { contentType: 'text/plain', expiresAt: now + 3600, padding: true }, now);
  const opened: OpenedEnvelope = envelopeOpen(ring, sealed, { conversationId: 'ward-7' }, now);
  const header: EnvelopeHeader = opened.header;
  const sealing: number | undefined = ring.sealingKeyId;
  return header.expiresAt === null || sealing === undefined ? new Uint8Array() : opened.payload;
}

export function unlock(blob: Uint8Array, pin: string, now: number): Vault | ErrorDetails | undefined {
  const status: VaultStatus = Vault.status(blob);
  if (status.state === 'wiped') return undefined;
  const params: KdfParams = status.params;
  const attempt = Vault.beginUnlock(blob, now, { freeAttempts: 5, delays: [30, 60], wipeAfter: 10 });
  const toStore: Uint8Array = attempt.blob;
  try {
    const vault = attempt.persisted().unlock(pin, undefined);
    const ring = new KeyRing();
    vault.addKeyToRing(ring, params.mKib > 0 ? 1 : 2);
    return toStore.length > 0 ? vault : undefined;
  } catch (err) {
    if (err instanceof CareguardError && err.is('wrong_pin')) return err.details;
    throw err;
  }
}

export function create(pin: string): Uint8Array {
  return Vault.create(pin, { params: { mKib: 65536, tCost: 3, pCost: 1 }, minPinLength: 6 }).blob();
}
