// The options page: the Trust's per-site context decides between warn (Send anyway
// with a reason) and block (no Send anyway), and staff names keep a colleague's name
// from warning in a clinical chat on an approved platform. Against the demo chat on
// 127.0.0.1, configured through the options page as an administrator would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoServer } from '../demo/server.mjs';
import { launch, requirePkg, warning, configure, screenshot, careguard, RISKY } from './harness.mjs';

const COLLEAGUE = 'Sarah Jones asked about bed 4';

test('the Trust configures the context per site on the options page', async (t) => {
  await requirePkg();
  const server = await startDemoServer();
  t.after(() => server.close());
  const { context, worker, extensionId } = await launch(t);
  const page = await context.newPage();
  await page.goto(server.url);
  const draft = page.locator('#draft');
  const host = new URL(server.url).hostname;
  const send = async (text) => {
    await draft.fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
  };
  const sentNow = (text) => page.waitForFunction((t) => [...document.querySelectorAll('#messages li')]
    .some((li) => li.textContent === t), text);

  await t.test('the defaults: the demo host is a clinical chat on an approved platform, every other site is not approved', async () => {
    const { settings } = await worker.evaluate(() => chrome.storage.local.get('settings'));
    assert.equal(settings, undefined, 'nothing stored before the Trust saves');
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await options.locator('body[data-ready]').waitFor();
    const hosts = await options.locator('#sites [name="host"]').evaluateAll((els) => els.map((e) => e.value));
    assert.deepEqual(hosts, ['127.0.0.1', 'localhost']);
    assert.equal(await options.getByLabel('Every other site is an approved platform').isChecked(), false);
    await options.close();
  });

  await t.test('a social group blocks: no Send anyway, and only the minimised draft can go', async () => {
    await configure(context, extensionId, { sites: [{ host, conversation: 'social', platformApproved: true }] });
    await send(RISKY);
    const box = warning(page).locator('.box');
    await box.waitFor({ state: 'visible' });
    assert.equal(await box.getAttribute('data-verdict'), 'block');
    assert.match(await box.locator('h2').textContent(), /cannot be sent here/);
    assert.match(await box.locator('.advice').textContent(), /social group/);
    assert.equal(await warning(page).getByRole('button', { name: 'Send anyway' }).count(), 0);
    assert.equal(await warning(page).locator('[data-action="confirm"]').count(), 1, 'the reason form is there but unreachable');
    assert.equal(await warning(page).locator('.reason').isVisible(), false);
    await page.keyboard.press('Enter'); // on the focused Minimise button
    await warning(page).waitFor({ state: 'detached' });
    assert.equal(await draft.inputValue(), careguard.minimise(RISKY));
    assert.deepEqual(server.sent, []);
    await page.getByRole('button', { name: 'Send' }).click();
    await sentNow(careguard.minimise(RISKY));
    assert.deepEqual(server.sent, [careguard.minimise(RISKY)]);
  });

  await t.test('an unapproved platform blocks too, and the change applies to an open chat without a reload', async () => {
    await configure(context, extensionId, { sites: [{ host, conversation: 'clinical', platformApproved: false }] });
    await send(RISKY);
    await warning(page).locator('.box[data-verdict="block"]').waitFor();
    assert.match(await warning(page).locator('.advice').textContent(), /not approved/);
    assert.equal(await warning(page).getByRole('button', { name: 'Send anyway' }).count(), 0);
    await warning(page).getByRole('button', { name: 'Cancel' }).click();
    await warning(page).waitFor({ state: 'detached' });
  });

  await t.test('emergency mode: an unapproved platform warns instead of blocking, a social group still blocks', async () => {
    await configure(context, extensionId, { sites: [{ host, conversation: 'clinical', platformApproved: false }], emergency: true });
    await send(RISKY);
    await warning(page).locator('.box[data-verdict="warn"]').waitFor();
    assert.match(await warning(page).locator('.advice').textContent(), /network outage/);
    assert.equal(await warning(page).getByRole('button', { name: 'Send anyway' }).count(), 1);
    await warning(page).getByRole('button', { name: 'Cancel' }).click();
    await warning(page).waitFor({ state: 'detached' });
    await configure(context, extensionId, { sites: [{ host, conversation: 'social', platformApproved: false }], emergency: true });
    await send(RISKY);
    await warning(page).locator('.box[data-verdict="block"]').waitFor();
    await warning(page).getByRole('button', { name: 'Cancel' }).click();
    await warning(page).waitFor({ state: 'detached' });
  });

  await t.test('a site not listed takes the "every other site" context', async () => {
    await configure(context, extensionId, { sites: [], otherSites: { conversation: 'clinical', platformApproved: true } });
    await send(RISKY);
    await warning(page).locator('.box[data-verdict="warn"]').waitFor();
    assert.equal(await warning(page).getByRole('button', { name: 'Send anyway' }).count(), 1);
    await warning(page).getByRole('button', { name: 'Cancel' }).click();
    await warning(page).waitFor({ state: 'detached' });
  });

  await t.test("a colleague's name alone does not warn in a clinical chat on an approved platform once listed as staff", async () => {
    await configure(context, extensionId, { sites: [{ host, conversation: 'clinical', platformApproved: true }] });
    await send(COLLEAGUE);
    await warning(page).locator('.box[data-verdict="warn"]').waitFor();
    assert.equal(await warning(page).locator('li[data-kind="person_name"]').count(), 1, 'unknown name: warns as a patient name');
    await warning(page).getByRole('button', { name: 'Cancel' }).click();
    await warning(page).waitFor({ state: 'detached' });

    await configure(context, extensionId, {
      sites: [{ host, conversation: 'clinical', platformApproved: true }],
      staffNames: ['Sarah Jones', '  ', 'Sarah Jones'],
    });
    const { settings } = await worker.evaluate(() => chrome.storage.local.get('settings'));
    assert.deepEqual(settings.staffNames, ['Sarah Jones'], 'blank and repeated lines dropped');
    await page.getByRole('button', { name: 'Send' }).click();
    await sentNow(COLLEAGUE);
    assert.equal(await warning(page).count(), 0);
    assert.equal(server.sent.at(-1), COLLEAGUE);
  });

  await t.test("a patient's name next to a colleague's still warns, and the colleague is marked apart", async () => {
    const text = 'Sarah Jones please review Mr John Smith in bed 4';
    await send(text);
    await warning(page).locator('.box[data-verdict="warn"]').waitFor();
    assert.deepEqual(await warning(page).locator('.draft mark.staff').allTextContents(), ['Sarah Jones']);
    assert.deepEqual(await warning(page).locator('.draft mark:not(.staff)').allTextContents(), ['John Smith']);
    assert.equal(await warning(page).locator('li[data-kind="person_name"]').textContent(), 'name');
    assert.equal(await warning(page).locator('li[data-subject="staff"]').count(), 1);
    await warning(page).getByRole('button', { name: 'Cancel' }).click();
    await warning(page).waitFor({ state: 'detached' });
  });

  await t.test("a social group blocks even a colleague's name", async () => {
    await configure(context, extensionId, {
      sites: [{ host, conversation: 'social', platformApproved: true }],
      staffNames: ['Sarah Jones'],
    });
    await send(COLLEAGUE);
    await warning(page).locator('.box[data-verdict="block"]').waitFor();
    assert.equal(await warning(page).locator('li[data-subject="staff"]').count(), 1);
    await warning(page).getByRole('button', { name: 'Cancel' }).click();
  });

  await t.test('the options page keeps what was saved, reduces a pasted address to its host, and stores no message text', async () => {
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await options.locator('body[data-ready]').waitFor();
    await options.getByRole('button', { name: 'Add a site' }).click();
    await options.locator('#sites tr').last().getByLabel('Host name').fill('https://App.Slack.com/client/T0/C1');
    await options.getByRole('button', { name: 'Save' }).click();
    await options.locator('#status').filter({ hasText: 'Saved' }).waitFor();
    await options.reload();
    await options.locator('body[data-ready]').waitFor();
    const rows = await options.locator('#sites tr').evaluateAll((trs) => trs.map((tr) => [
      tr.querySelector('[name="host"]').value, tr.querySelector('[name="conversation"]').value,
      tr.querySelector('[name="platformApproved"]').checked]));
    assert.deepEqual(rows, [[host, 'social', true], ['app.slack.com', 'clinical', false]]);
    // Which rows careguard can act on: a host outside the manifest's matches is never checked.
    assert.equal(await options.locator('#sites tr').nth(1).locator('.coverage').textContent(), 'checked (Slack)');
    await options.getByRole('button', { name: 'Add a site' }).click();
    const extra = options.locator('#sites tr').last();
    await extra.getByLabel('Host name').fill('chat.example.org');
    assert.equal(await extra.locator('.coverage').textContent(), 'not checked: not a supported chat');
    await extra.getByLabel('Host name').fill('teams.microsoft.com');
    assert.equal(await extra.locator('.coverage').textContent(), 'checked (Microsoft Teams)');
    assert.match(await options.locator('#supported').textContent(), /web\.whatsapp\.com.*app\.slack\.com.*chat\.google\.com/);
    assert.equal(await options.locator('#staff-names').inputValue(), 'Sarah Jones');
    const stored = JSON.stringify(await worker.evaluate(() => chrome.storage.local.get(null)));
    for (const piece of ['John Smith', 'bed 4', '943']) assert.ok(!stored.includes(piece), stored);
  });

  await t.test('a Trust configuration as the docs show it', async () => {
    await configure(context, extensionId, {
      sites: [
        { host: 'teams.microsoft.com', conversation: 'clinical', platformApproved: true },
        { host: 'web.whatsapp.com', conversation: 'social', platformApproved: false },
        { host: 'app.slack.com', conversation: 'clinical', platformApproved: false },
        { host: 'chat.google.com', conversation: 'clinical', platformApproved: false },
      ],
      otherSites: { conversation: 'clinical', platformApproved: false },
      staffNames: ['Sarah Jones', 'Tom Okafor'],
    });
    const options = await context.newPage();
    await options.setViewportSize({ width: 800, height: 760 });
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await options.locator('body[data-ready]').waitFor();
    assert.equal(await options.locator('#sites tr').count(), 4);
    await screenshot(options, 'extension-options.png');
  });
});
