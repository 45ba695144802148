// Opens `careguard scan --format html` in Debian's headless Chromium (playwright-core):
// the report renders its charts, loads nothing from anywhere (no network, no file but
// itself), keeps every identifier masked, and prints. Saves a screenshot.
//   node --test cli/tests/reports/   (scripts/ci.d/45-cli-reports.sh runs it)
// Env: CAREGUARD_BIN (default target/release/careguard); CHROMIUM (default
// /usr/bin/chromium); CAREGUARD_SCREENSHOT (default target/reports/html-report.png; the
// committed copy is docs/cli-html-report.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, mkdir, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const bin = process.env.CAREGUARD_BIN ?? join(repoRoot, 'target', 'release', 'careguard');
const shot = process.env.CAREGUARD_SCREENSHOT ?? join(repoRoot, 'target', 'reports', 'html-report.png');

function scanHtml(args) {
  try {
    return execFileSync(bin, ['scan', ...args, '--format', 'html'], { cwd: repoRoot, encoding: 'utf8' });
  } catch (e) {
    // Exit status 1 means findings: the report is still on stdout.
    if (e.status === 1) return e.stdout;
    throw e;
  }
}

test('the html report is self-contained, masked, charted and printable', async (t) => {
  const html = scanHtml(['examples/whatsapp-ward-group.txt', 'examples/WhatsApp Chat - Ward 7 Nurses.zip']);
  // Masked: no full NHS number, phone number or patient name in the file.
  for (const secret of ['443 464 0976', '07700 900456', 'Margaret Holloway', 'RXF1234567', 'LS6 2QT']) {
    assert.ok(!html.includes(secret), `unmasked ${secret} in the report`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'careguard-html-'));
  const userDataDir = join(dir, 'profile');
  const file = join(dir, 'report.html');
  await writeFile(file, html);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: false, // the flags below ask for new headless mode
    viewport: { width: 1100, height: 900 },
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  t.after(async () => {
    await context.close();
    await rm(dir, { recursive: true, force: true });
  });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  await page.goto(url);
  assert.deepEqual(requests, [url], 'the report must load nothing but itself');
  assert.equal(await page.title(), 'careguard audit report');
  assert.equal(await page.locator('svg').count(), 4, 'charts by kind, month, sender and group');
  assert.ok((await page.locator('svg rect').count()) >= 8, 'bars drawn');
  assert.ok((await page.locator('table tbody tr').count()) >= 5, 'masked examples listed');
  const kinds = await page.locator('figure').first().textContent();
  assert.match(kinds, /nhs_number/);
  // The charts are drawn at a readable size.
  const box = await page.locator('svg').first().boundingBox();
  assert.ok(box.width > 300 && box.height > 50, JSON.stringify(box));
  await mkdir(dirname(shot), { recursive: true });
  await page.screenshot({ path: shot, fullPage: true });
  // Print layout: a PDF renders, and the charts stay on the page.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('svg').first().isVisible(), true);
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  assert.ok(pdf.length > 10000 && pdf.subarray(0, 5).toString() === '%PDF-');
  assert.deepEqual(requests, [url], 'printing must load nothing either');
});
