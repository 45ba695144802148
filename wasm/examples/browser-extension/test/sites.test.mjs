// The site adapters: for WhatsApp Web, Microsoft Teams, Slack and Google Chat, a local
// page reproducing that site's compose box (demo/sites/), served over HTTPS under the
// site's own host name, and the fallback on a bare contenteditable. On each: the
// warning appears before the send (Enter and the site's send control), what was found
// is highlighted in the draft, Minimise rewrites the draft so that the site's editor
// sends the minimised text, and Send anyway sends the original through the site.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, requirePkg, warning, configure, screenshot, startSites, careguard, SITES, NHS, RISKY, CLEAN } from './harness.mjs';

const ADAPTERS = {
  'web.whatsapp.com': { id: 'whatsapp', editor: 'footer [data-lexical-editor]', send: 'footer button[aria-label="Send"]' },
  'teams.microsoft.com': { id: 'teams', editor: '[data-tid="ckeditor"]', send: '[data-tid="newMessageCommands-send"]' },
  'app.slack.com': { id: 'slack', editor: '.ql-editor', send: '[data-qa="texty_send_button"]' },
  'chat.google.com': { id: 'google-chat', editor: '[role="textbox"]', send: '[role="button"][aria-label="Send message"]' },
  fallback: { id: 'fallback', editor: '[contenteditable]', send: 'button[type="submit"]' },
};

// The highlighted ranges, read from the page's own world: the CSS Custom Highlight
// registry belongs to the document, so the page sees what the content script set.
const highlighted = (page) => page.evaluate(() => {
  const h = globalThis.CSS.highlights.get('careguard-found');
  return h ? [...h].map((range) => range.toString()) : [];
});

test('site adapters: warning before the send, highlight, Minimise, Send anyway', async (t) => {
  await requirePkg();
  const sites = await startSites();
  t.after(() => sites.close());
  const { context, worker, extensionId, logs } = await launch(t);

  await t.test('out of the box a real chat site is not an approved platform: WhatsApp Web blocks', async () => {
    const page = await context.newPage();
    await page.goto(sites.url('web.whatsapp.com'));
    await page.locator(ADAPTERS['web.whatsapp.com'].editor).click();
    await page.keyboard.type(RISKY);
    await page.keyboard.press('Enter');
    await warning(page).locator('.box[data-verdict="block"]').waitFor();
    assert.equal(await warning(page).getByRole('button', { name: 'Send anyway' }).count(), 0);
    assert.deepEqual(sites.sent, []);
    await page.close();
  });

  await configure(context, extensionId, {
    sites: Object.keys(SITES).map((host) => ({ host, conversation: 'clinical', platformApproved: true })),
    otherSites: { conversation: 'clinical', platformApproved: true },
  });

  for (const host of Object.keys(ADAPTERS)) {
    const a = ADAPTERS[host];
    await t.test(`${a.id}: warns before the send, highlights, minimises, sends anyway through the site`, async () => {
      const page = await context.newPage();
      await page.goto(host === 'fallback' ? sites.editableUrl : sites.url(host));
      const editor = page.locator(a.editor);
      const sentHere = () => sites.sent.filter((s) => s.host === new URL(page.url()).hostname).map((s) => s.text);
      const shown = (text) => page.waitForFunction((t) => [...document.querySelectorAll('.message')]
        .some((m) => m.textContent === t), text);

      // Enter in the compose box.
      await editor.click();
      await page.keyboard.type(RISKY);
      await page.keyboard.press('Enter');
      await warning(page).locator('.box[data-verdict="warn"]').waitFor();
      assert.deepEqual((await highlighted(page)).sort(), ['John Smith', NHS].sort(), 'findings highlighted in the draft');
      if (a.id === 'whatsapp') await screenshot(page, 'extension-whatsapp.png');
      assert.equal(await warning(page).locator('.suggestion').textContent(), careguard.minimise(RISKY));
      assert.equal((await editor.innerText()).trim(), RISKY, 'the draft is kept');
      assert.deepEqual(sentHere(), [], 'nothing sent');

      await warning(page).getByRole('button', { name: 'Minimise' }).click();
      await warning(page).waitFor({ state: 'detached' });
      assert.deepEqual(await highlighted(page), [], 'highlight cleared');
      assert.equal((await editor.innerText()).trim(), careguard.minimise(RISKY));
      await editor.press('Enter');
      await shown(careguard.minimise(RISKY));
      assert.deepEqual(sentHere(), [careguard.minimise(RISKY)], "the site's editor sent the minimised text");

      // The site's send control.
      await editor.click();
      await page.keyboard.type(RISKY);
      await page.locator(a.send).click();
      await warning(page).locator('.box').waitFor();
      assert.equal(sentHere().length, 1, 'nothing more sent');
      await warning(page).getByRole('button', { name: 'Send anyway' }).click();
      await warning(page).locator('#cg-reason').fill('Ward round handover');
      await warning(page).getByRole('button', { name: 'Send with reason' }).click();
      await shown(RISKY);
      assert.deepEqual(sentHere(), [careguard.minimise(RISKY), RISKY]);
      const { overrides } = await worker.evaluate(() => chrome.storage.local.get({ overrides: [] }));
      assert.equal(overrides.at(-1).site, a.id, 'the adapter that handled the send');

      // A clean message goes straight through.
      await editor.click();
      await page.keyboard.type(CLEAN);
      await page.keyboard.press('Enter');
      await shown(CLEAN);
      assert.equal(await warning(page).count(), 0);
      assert.equal(sentHere().at(-1), CLEAN);
      await page.close();
    });
  }

  await t.test('google-chat in a frame (as Gmail embeds it): the warning appears in the frame, before the send', async () => {
    const page = await context.newPage();
    await page.goto(sites.url('mail.google.com'));
    const frame = page.frameLocator('iframe[title="Chat"]');
    const before = sites.sent.length;
    await frame.locator('[role="textbox"]').click();
    await page.keyboard.type(RISKY);
    await page.keyboard.press('Enter');
    await frame.locator('#careguard-warning .box[data-verdict="warn"]').waitFor();
    assert.equal(sites.sent.length, before, 'nothing sent from the frame');
    await frame.getByRole('button', { name: 'Minimise' }).click();
    await frame.locator('[role="textbox"]').press('Enter');
    await frame.locator('.message').filter({ hasText: careguard.minimise(RISKY) }).last().waitFor();
    assert.equal(sites.sent.at(-1).text, careguard.minimise(RISKY));
    await page.close();
  });

  await t.test('teams: a draft over several lines (Shift+Enter) is highlighted at the right places', async () => {
    const page = await context.newPage();
    await page.goto(sites.url('teams.microsoft.com'));
    await page.locator(ADAPTERS['teams.microsoft.com'].editor).click();
    await page.keyboard.type('Handover for bed 4:');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type(RISKY);
    await page.keyboard.press('Enter');
    await warning(page).locator('.box').waitFor();
    assert.deepEqual((await highlighted(page)).sort(), ['John Smith', NHS].sort());
    assert.deepEqual((await warning(page).locator('.draft mark').allTextContents()).sort(), ['John Smith', NHS].sort());
    // Minimise keeps the line break, and the editor's own model sends both lines.
    const expected = careguard.minimise(`Handover for bed 4:\n${RISKY}`);
    await warning(page).getByRole('button', { name: 'Minimise' }).click();
    await page.locator(ADAPTERS['teams.microsoft.com'].editor).press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('.message').length > 0);
    assert.equal(await page.locator('.message').textContent(), expected);
    assert.equal(sites.sent.at(-1).text, expected);
    await page.close();
  });

  await t.test("slack: Quill's hidden clipboard (also contenteditable) is not taken for the draft", async () => {
    const page = await context.newPage();
    await page.goto(sites.url('app.slack.com'));
    await page.locator('.ql-clipboard').evaluate((el, text) => { el.textContent = text; }, RISKY);
    await page.locator('.ql-editor').click();
    await page.keyboard.type(CLEAN);
    await page.locator('[data-qa="texty_send_button"]').click();
    await page.waitForFunction((t) => [...document.querySelectorAll('.message')].some((m) => m.textContent === t), CLEAN);
    assert.equal(await warning(page).count(), 0);
    await page.close();
  });

  await t.test('after all that, the extension holds no message text: storage and every console are content-free', async () => {
    const stored = JSON.stringify(await worker.evaluate(async () => ({
      local: await chrome.storage.local.get(null),
      sync: await chrome.storage.sync.get(null),
      session: await chrome.storage.session.get(null),
    })));
    assert.match(stored, /"overrides"/, 'the override log is there');
    for (const piece of [NHS, 'John Smith', 'warfarin', 'cannula', 'Handover']) {
      assert.ok(!stored.includes(piece), `"${piece}" in extension storage: ${stored}`);
      assert.ok(!logs.some((line) => line.includes(piece)), `"${piece}" in a console: ${logs.join('\n')}`);
    }
  });
});
