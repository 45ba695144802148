// Drives Debian's Chromium (headless, extension loaded) with playwright-core against the
// demo chat served from 127.0.0.1, and measures scan latency in the browser.
//   node --test wasm/examples/browser-extension/test/   (after scripts/build-wasm.sh)
// Env: CHROMIUM (default /usr/bin/chromium); CAREGUARD_SCREENSHOT (where to save the
// warning screenshot; default target-wasm/extension-warning.png, the committed copy is
// docs/extension-warning.png); CAREGUARD_BENCH_OUT (write the latency result as JSON).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, mkdir, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { startDemoServer } from '../demo/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const extensionDir = join(here, '..');
const repoRoot = join(here, '..', '..', '..', '..');
const careguard = createRequire(import.meta.url)(join(repoRoot, 'wasm', 'pkg', 'node', 'index.js'));

const NHS = '943 476 5919'; // the NHS's own published example number, not a patient
const RISKY = `Mr John Smith NHS ${NHS} in bed 4 needs his warfarin checked`;
const CLEAN = 'Bed 4 cannula site looks red, could someone review it before 14:00? Thanks';

async function launch(userDataDir) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: false, // the flags below ask for new headless mode; Playwright's own flag would not
    viewport: { width: 900, height: 620 },
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`,
    ],
  });
}

async function extensionWorker(context) {
  return context.serviceWorkers()[0] ?? context.waitForEvent('serviceworker', { timeout: 15000 });
}

const warning = (page) => page.locator('#careguard-warning');
const sentMessages = (page) => page.locator('#messages li').allTextContents();

test('the extension warns before a send, minimises, records overrides and scans fast', async (t) => {
  await access(join(extensionDir, 'pkg', 'careguard_wasm_bg.wasm')).catch(() => {
    throw new Error('wasm/examples/browser-extension/pkg is missing: run scripts/build-wasm.sh first');
  });
  const server = await startDemoServer();
  const userDataDir = await mkdtemp(join(tmpdir(), 'careguard-chromium-'));
  const context = await launch(userDataDir);
  t.after(async () => {
    await context.close();
    await server.close();
    await rm(userDataDir, { recursive: true, force: true });
  });
  const worker = await extensionWorker(context);
  const extensionId = new URL(worker.url()).host;
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err));
  await page.goto(server.url);
  const draft = page.locator('#draft');

  await t.test('Enter on a draft with an NHS number and a name: warning, nothing sent', async () => {
    await draft.click();
    await page.keyboard.type(RISKY);
    await page.keyboard.press('Enter');
    await warning(page).locator('.box').waitFor({ state: 'visible' });
    const kinds = await warning(page).locator('li[data-kind]').evaluateAll(
      (items) => items.map((li) => li.dataset.kind));
    assert.ok(kinds.includes('nhs_number'), `kinds listed: ${kinds}`);
    assert.ok(kinds.includes('person_name'), `kinds listed: ${kinds}`);
    assert.equal(await draft.inputValue(), RISKY, 'the draft is kept');
    assert.deepEqual(await sentMessages(page), []);
    assert.deepEqual(server.sent, []);
    const shot = process.env.CAREGUARD_SCREENSHOT ?? join(repoRoot, 'target-wasm', 'extension-warning.png');
    await mkdir(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot });
  });

  await t.test('Minimise puts placeholders in the draft, which then sends', async () => {
    await warning(page).getByRole('button', { name: 'Minimise' }).click();
    await warning(page).waitFor({ state: 'detached' });
    const minimised = await draft.inputValue();
    assert.equal(minimised, careguard.minimise(RISKY), 'the same text the package produces');
    assert.ok(!minimised.includes(NHS) && !minimised.includes('John Smith'), minimised);
    assert.ok(!careguard.hasFindings(minimised), 'a minimised draft is clean');
    await page.keyboard.press('Enter');
    await page.locator('#messages li').first().waitFor();
    assert.deepEqual(server.sent, [minimised]);
  });

  await t.test('a clean message sends without a warning (Send button)', async () => {
    await draft.fill(CLEAN);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('#messages li').nth(1).waitFor();
    assert.equal(await warning(page).count(), 0);
    assert.equal(server.sent.at(-1), CLEAN);
  });

  await t.test('Cancel keeps the draft and sends nothing', async () => {
    const before = server.sent.length;
    await draft.fill(RISKY);
    await page.getByRole('button', { name: 'Send' }).click();
    await warning(page).getByRole('button', { name: 'Cancel' }).click();
    await warning(page).waitFor({ state: 'detached' });
    assert.equal(await draft.inputValue(), RISKY);
    assert.equal(server.sent.length, before);
  });

  await t.test('Send anyway asks for a reason and records an event without the message', async () => {
    await page.getByRole('button', { name: 'Send' }).click();
    await warning(page).getByRole('button', { name: 'Send anyway' }).click();
    await warning(page).getByRole('button', { name: 'Send with reason' }).click();
    assert.equal(await warning(page).count(), 1, 'no send without a reason');
    await warning(page).locator('#cg-reason').fill('Urgent: receiving ward needs it for John Smith');
    await warning(page).getByRole('button', { name: 'Send with reason' }).click();
    await page.waitForFunction((text) => [...document.querySelectorAll('#messages li')]
      .some((li) => li.textContent === text), RISKY);
    assert.equal(server.sent.at(-1), RISKY, 'sent as written, as the user chose');
    const { overrides } = await worker.evaluate(() => chrome.storage.local.get({ overrides: [] }));
    assert.equal(overrides.length, 1);
    const [event] = overrides;
    assert.deepEqual([...event.kinds].sort(), ['nhs_number', 'person_name']);
    assert.equal(event.origin, new URL(server.url).origin);
    const recorded = JSON.stringify(event);
    assert.ok(!recorded.includes(NHS) && !recorded.includes('John Smith') && !recorded.includes('warfarin'),
      `no message content in the event: ${recorded}`);
    assert.ok(event.reason.startsWith('Urgent: receiving ward needs it for '), event.reason);
  });

  await t.test('scan + decide of a 2,000-character draft takes under 1 ms in Chromium', async () => {
    const bench = await context.newPage();
    await bench.goto(`chrome-extension://${extensionId}/bench.html`);
    await bench.waitForSelector('body[data-done]', { timeout: 60000 });
    const text = await bench.locator('#result').textContent();
    assert.equal(await bench.getAttribute('body', 'data-done'), 'ok', text);
    const result = JSON.parse(text);
    console.log(`# chromium scan latency: ${JSON.stringify(result)}`);
    if (process.env.CAREGUARD_BENCH_OUT) await writeFile(process.env.CAREGUARD_BENCH_OUT, text);
    assert.equal(result.chars, 2000);
    assert.ok(result.findings > 0, 'the synthetic draft has identifiers to find');
    assert.ok(result.medianMs < 1, `median ${result.medianMs} ms`);
  });
});
