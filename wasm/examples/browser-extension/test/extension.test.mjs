// Drives Debian's Chromium (headless, extension loaded) with playwright-core against the
// demo chat served from 127.0.0.1, and measures scan latency in the browser.
//   node --test wasm/examples/browser-extension/test/   (after scripts/build-wasm.sh)
// Env: CHROMIUM (default /usr/bin/chromium); CAREGUARD_SCREENSHOT_DIR (where the tests
// save extension-warning.png, extension-warning-390.png, extension-options.png and
// extension-whatsapp.png;
// default target-wasm/, the committed copies are in docs/); CAREGUARD_BENCH_OUT (write
// the latency result as JSON).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { startDemoServer } from '../demo/server.mjs';
import { launch, requirePkg, warning, screenshot, careguard, NHS, RISKY, CLEAN } from './harness.mjs';

const sentMessages = (page) => page.locator('#messages li').allTextContents();

test('the extension warns before a send, minimises, records overrides and scans fast', async (t) => {
  await requirePkg();
  const server = await startDemoServer();
  t.after(() => server.close());
  const { context, worker, extensionId, logs } = await launch(t);
  const page = await context.newPage();
  await page.goto(server.url);
  const draft = page.locator('#draft');

  await t.test('Enter on a draft with an NHS number and a name: warning with the findings marked and the suggestion, nothing sent', async () => {
    await draft.click();
    await page.keyboard.type(RISKY);
    await page.keyboard.press('Enter');
    await warning(page).locator('.box').waitFor({ state: 'visible' });
    const kinds = await warning(page).locator('li[data-kind]').evaluateAll(
      (items) => items.map((li) => li.dataset.kind));
    assert.ok(kinds.includes('nhs_number'), `kinds listed: ${kinds}`);
    assert.ok(kinds.includes('person_name'), `kinds listed: ${kinds}`);
    // What was found is marked in the draft as the warning shows it.
    const marked = await warning(page).locator('.draft mark').allTextContents();
    assert.deepEqual(marked.sort(), ['John Smith', NHS].sort());
    assert.equal(await warning(page).locator('.draft').textContent(), RISKY);
    // ...and over the textarea itself, on a mirror laid exactly on it.
    assert.deepEqual((await warning(page).locator('.mirror mark').allTextContents()).sort(), ['John Smith', NHS].sort());
    const area = await draft.boundingBox();
    for (const mark of await warning(page).locator('.mirror mark').all()) {
      const m = await mark.boundingBox();
      assert.ok(m.x >= area.x && m.y >= area.y && m.x + m.width <= area.x + area.width && m.y + m.height <= area.y + area.height,
        `mark ${JSON.stringify(m)} outside the draft ${JSON.stringify(area)}`);
    }
    // The minimised suggestion is shown before the nurse chooses.
    assert.equal(await warning(page).locator('.suggestion').textContent(), careguard.minimise(RISKY));
    assert.equal(await warning(page).getByRole('button', { name: 'Send anyway' }).count(), 1,
      'a clinical chat on an approved platform warns: send anyway is offered');
    assert.equal(await draft.inputValue(), RISKY, 'the draft is kept');
    assert.deepEqual(await sentMessages(page), []);
    assert.deepEqual(server.sent, []);
    await screenshot(page, 'extension-warning.png');
  });

  await t.test('the keyboard stays in the warning: Tab and Shift+Tab cycle through its buttons', async () => {
    const focused = () => warning(page).evaluate((host) => host.shadowRoot.activeElement?.textContent ?? null);
    assert.equal(await focused(), 'Minimise');
    const seen = [];
    for (let i = 0; i < 4; i++) { await page.keyboard.press('Tab'); seen.push(await focused()); }
    assert.deepEqual(seen, ['Send anyway', 'Cancel', 'Minimise', 'Send anyway']);
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(), 'Minimise');
  });

  await t.test('Minimise puts the suggestion in the draft, which then sends', async () => {
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
    assert.equal(event.site, 'fallback');
    const recorded = JSON.stringify(event);
    assert.ok(!recorded.includes(NHS) && !recorded.includes('John Smith') && !recorded.includes('warfarin'),
      `no message content in the event: ${recorded}`);
    assert.ok(event.reason.startsWith('Urgent: receiving ward needs it for '), event.reason);
  });

  await t.test('the extension keeps no message text: not in storage, not in any console', async () => {
    const stored = JSON.stringify(await worker.evaluate(async () => ({
      local: await chrome.storage.local.get(null),
      sync: await chrome.storage.sync.get(null),
      session: await chrome.storage.session.get(null),
    })));
    for (const piece of [NHS, 'John Smith', 'warfarin', 'cannula']) {
      assert.ok(!stored.includes(piece), `"${piece}" in extension storage: ${stored}`);
      assert.ok(!logs.some((line) => line.includes(piece)), `"${piece}" in a console: ${logs.join('\n')}`);
    }
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
