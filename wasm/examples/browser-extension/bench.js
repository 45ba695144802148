// Measures what the content script does on every send: scanner.review (scan + policy
// + minimised suggestion) on a 2,000-character draft. performance.now() is coarsened in browsers (to 100 µs without
// cross-origin isolation), so time batches of scans and divide.
import init, { Scanner } from './pkg/index.js';

const CHARS = 2000;
const BATCH = 50;
const BATCHES = 40;

export function syntheticDraft(chars = CHARS) {
  const parts = [
    'Handover for bay 3: obs stable overnight, NEWS 2, plan for discharge after ward round. ',
    'Mr John Smith NHS 943 476 5919 needs his warfarin dose checked before 10:00. ',
    'Bed 12 still waiting on bloods, chased the lab twice, will escalate at 14:00 if nothing back. ',
    'Please could someone review the cannula in bed 4, site looks red. Thanks, will do. ',
    'Mrs Priya Patel, DOB 04/07/1956, post-op day 2, pain controlled, mobilising with physio. ',
  ];
  let text = '';
  for (let i = 0; text.length < chars; i++) text += parts[i % parts.length];
  return text.slice(0, chars);
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function run() {
  const wasmStart = performance.now();
  await init({ module_or_path: new URL('./pkg/careguard_wasm_bg.wasm', import.meta.url) });
  const initMs = performance.now() - wasmStart;
  const buildStart = performance.now();
  const scanner = new Scanner();
  const buildMs = performance.now() - buildStart;
  const draft = syntheticDraft();
  const context = { conversation: 'clinical', platformApproved: true };
  const findings = scanner.scan(draft);
  for (let i = 0; i < BATCH; i++) scanner.review(draft, context); // warm up
  const perScan = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    for (let i = 0; i < BATCH; i++) scanner.review(draft, context);
    perScan.push((performance.now() - t0) / BATCH);
  }
  perScan.sort((a, b) => a - b);
  return {
    chars: draft.length,
    findings: findings.length,
    kinds: [...new Set(findings.map((f) => f.kind))].sort(),
    scans: BATCH * BATCHES,
    medianMs: quantile(perScan, 0.5),
    p95Ms: quantile(perScan, 0.95),
    maxBatchMeanMs: perScan[perScan.length - 1],
    initMs,
    scannerBuildMs: buildMs,
    userAgent: navigator.userAgent,
  };
}

const out = document.getElementById('result');
run().then(
  (result) => { out.textContent = JSON.stringify(result, null, 2); document.body.dataset.done = 'ok'; },
  (err) => { out.textContent = `error: ${err?.code ?? ''} ${err?.message ?? err}`; document.body.dataset.done = 'error'; },
);
