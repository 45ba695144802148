// The warning on a phone-sized window (390 px wide, as an iPhone 12-15 in portrait): it
// must sit beside the draft, never over it, and keep its buttons in view, also for a
// long draft and when the window changes size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoServer } from '../demo/server.mjs';
import { launch, requirePkg, warning, screenshot, RISKY } from './harness.mjs';

const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function assertBesideDraft(page) {
  const viewport = page.viewportSize();
  const draft = await page.locator('#draft').boundingBox();
  const box = await warning(page).locator('.box').boundingBox();
  assert.ok(!overlap(box, draft), `warning ${JSON.stringify(box)} covers the draft ${JSON.stringify(draft)}`);
  assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `warning wider than the window: ${JSON.stringify(box)}`);
  assert.ok(box.y >= 0, `warning starts above the window: ${JSON.stringify(box)}`);
  // The draft is what the page shows at its centre, not the warning.
  const onTop = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.id,
    { x: draft.x + draft.width / 2, y: draft.y + draft.height / 2 });
  assert.equal(onTop, 'draft');
  for (const name of ['Minimise', 'Send anyway', 'Cancel']) {
    const b = await warning(page).getByRole('button', { name }).boundingBox();
    assert.ok(b && b.y >= 0 && b.y + b.height <= viewport.height && b.x >= 0 && b.x + b.width <= viewport.width,
      `${name} is out of view: ${JSON.stringify(b)}`);
  }
}

test('the warning at 390 px wide leaves the draft visible', async (t) => {
  await requirePkg();
  const server = await startDemoServer();
  t.after(() => server.close());
  const { context } = await launch(t, { viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(server.url);
  const draft = page.locator('#draft');

  await t.test('a short draft', async () => {
    await draft.fill(RISKY);
    await draft.press('Enter');
    await warning(page).locator('.box').waitFor({ state: 'visible' });
    await assertBesideDraft(page);
    await screenshot(page, 'extension-warning-390.png');
    await warning(page).getByRole('button', { name: 'Cancel' }).click();
    await warning(page).waitFor({ state: 'detached' });
  });

  await t.test('a long draft: the warning scrolls inside, the buttons stay in view', async () => {
    // Chats grow the compose box with the draft (WhatsApp and Teams to about eight lines).
    await draft.evaluate((el) => { el.rows = 8; });
    await draft.fill(Array.from({ length: 30 }, () => RISKY).join('\n'));
    await draft.press('Enter');
    await warning(page).locator('.box').waitFor({ state: 'visible' });
    await assertBesideDraft(page);
    const scrolls = await warning(page).locator('.draft').evaluate((el) => el.scrollHeight > el.clientHeight);
    assert.ok(scrolls, 'the long draft scrolls inside the warning');
  });

  await t.test('landscape (844 x 390): still beside the draft after the window changes size', async () => {
    await page.setViewportSize({ width: 844, height: 390 });
    await page.waitForTimeout(100);
    await assertBesideDraft(page);
  });
});
