// Fail closed: with a WebAssembly file that does not load (a copy of the extension with
// a truncated careguard_wasm_bg.wasm), a send is stopped and the warning says the draft
// could not be checked, with no way to send it unchecked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoServer } from '../demo/server.mjs';
import { launch, requirePkg, warning, extensionDir, RISKY, CLEAN } from './harness.mjs';

test('a scanner that does not load stops every send and says so', async (t) => {
  await requirePkg();
  const copy = await mkdtemp(join(tmpdir(), 'careguard-broken-ext-'));
  t.after(() => rm(copy, { recursive: true, force: true }));
  await cp(extensionDir, copy, { recursive: true, filter: (src) => !src.includes(`${extensionDir}/test`) });
  await truncate(join(copy, 'pkg', 'careguard_wasm_bg.wasm'), 1000);
  const server = await startDemoServer();
  t.after(() => server.close());
  const { context, logs } = await launch(t, { extension: copy });
  const page = await context.newPage();
  await page.goto(server.url);
  const draft = page.locator('#draft');

  for (const text of [RISKY, CLEAN]) {
    await draft.fill(text);
    await draft.press('Enter');
    const box = warning(page).locator('.box[data-verdict="unchecked"]');
    await box.waitFor();
    assert.equal(await box.locator('h2').textContent(), 'careguard could not check this draft');
    const buttons = await warning(page).getByRole('button').allTextContents();
    assert.deepEqual(buttons.filter((b) => b !== 'Send with reason'), ['Cancel'], 'no way to send it unchecked');
    assert.equal(await warning(page).locator('.reason').isVisible(), false);
    await warning(page).getByRole('button', { name: 'Cancel' }).click();
    await warning(page).waitFor({ state: 'detached' });
    assert.equal(await draft.inputValue(), text, 'the draft is kept');
  }
  assert.deepEqual(server.sent, []);
  assert.ok(logs.some((line) => line.includes('careguard: could not load the scanner')), logs.join('\n'));
  assert.ok(!logs.some((line) => line.includes('943 476') || line.includes('cannula')), logs.join('\n'));
});
