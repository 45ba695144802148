// Shared by the Playwright tests: launches Debian's Chromium (new headless mode) with the
// extension loaded, and, for the site adapters, serves demo/sites/ on HTTPS under the
// real chat host names (Chromium's --host-resolver-rules maps them to 127.0.0.1, and
// a throw-away self-signed certificate made with openssl is accepted for this run only).
import { createServer as createHttps } from 'node:https';
import { createServer as createHttp } from 'node:http';
import { readFile, mkdtemp, mkdir, rm, access } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const extensionDir = join(here, '..');
export const repoRoot = join(here, '..', '..', '..', '..');
export const careguard = createRequire(import.meta.url)(join(repoRoot, 'wasm', 'pkg', 'node', 'index.js'));

export const NHS = '943 476 5919'; // the NHS's own published example number, not a patient
export const RISKY = `Mr John Smith NHS ${NHS} in bed 4 needs his warfarin checked`;
export const CLEAN = 'Bed 4 cannula site looks red, could someone review it before 14:00? Thanks';

// Host name -> the page in demo/sites/ that reproduces that site's compose box.
export const SITES = {
  'web.whatsapp.com': 'whatsapp.html',
  'teams.microsoft.com': 'teams.html',
  'app.slack.com': 'slack.html',
  'chat.google.com': 'google-chat.html',
  'mail.google.com': 'gmail.html', // frames the chat.google.com page, as Gmail frames Chat
};

export async function requirePkg() {
  await access(join(extensionDir, 'pkg', 'careguard_wasm_bg.wasm')).catch(() => {
    throw new Error('wasm/examples/browser-extension/pkg is missing: run scripts/build-wasm.sh first');
  });
}

/**
 * Starts the site pages: HTTPS for the mapped chat hosts, plain HTTP on 127.0.0.1 for
 * the fallback page (/editable). `sent` records every message that reaches a page's
 * /send, with the host it was sent on.
 */
export async function startSites() {
  const dir = await mkdtemp(join(tmpdir(), 'careguard-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=careguard test sites',
    '-addext', `subjectAltName=${Object.keys(SITES).map((h) => `DNS:${h}`).join(',')}`], { stdio: 'ignore' });
  const sent = [];
  const handler = async (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (req.method === 'POST' && req.url === '/send') {
      let body = '';
      for await (const chunk of req) body += chunk;
      sent.push({ host, text: body });
      res.writeHead(204).end();
      return;
    }
    const file = req.url === '/' ? SITES[host] : { '/editable': 'editable.html', '/editor.js': 'editor.js' }[req.url];
    if (req.method !== 'GET' || !file) { res.writeHead(404).end(); return; }
    const type = file.endsWith('.js') ? 'text/javascript' : 'text/html';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(await readFile(join(here, '..', 'demo', 'sites', file)));
  };
  const tls = createHttps({ key: await readFile(key), cert: await readFile(cert) }, handler);
  const plain = createHttp(handler);
  await Promise.all([tls, plain].map((s) => new Promise((resolve) => s.listen(0, '127.0.0.1', resolve))));
  const tlsPort = tls.address().port;
  return {
    sent,
    url: (host) => `https://${host}:${tlsPort}/`,
    editableUrl: `http://127.0.0.1:${plain.address().port}/editable`,
    close: async () => {
      await Promise.all([tls, plain].map((s) => new Promise((resolve) => { s.close(resolve); s.closeAllConnections(); })));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Chromium with the extension; `t.after` closes it. Console output of pages and the worker is collected in `logs`. */
export async function launch(t, { viewport = { width: 900, height: 620 }, extension = extensionDir } = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), 'careguard-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: false, // the flags below ask for new headless mode; Playwright's own flag would not
    viewport,
    ignoreHTTPSErrors: true, // the test sites' self-signed certificate
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--host-resolver-rules=${Object.keys(SITES).map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`,
      `--disable-extensions-except=${extension}`, `--load-extension=${extension}`,
    ],
  });
  t.after(async () => {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  });
  const worker = context.serviceWorkers()[0] ?? await context.waitForEvent('serviceworker', { timeout: 15000 });
  const logs = [];
  worker.on('console', (m) => logs.push(m.text()));
  context.on('page', (page) => {
    page.on('console', (m) => logs.push(m.text()));
    page.on('pageerror', (err) => logs.push(String(err)));
  });
  return { context, worker, extensionId: new URL(worker.url()).host, logs };
}

export const warning = (page) => page.locator('#careguard-warning');

/** Saves settings through the options page, as a Trust administrator would. */
export async function configure(context, extensionId, { sites, otherSites, staffNames, emergency = false }) {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await page.locator('body[data-ready]').waitFor();
  while (await page.locator('#sites .remove').count()) await page.locator('#sites .remove').first().click();
  for (const site of sites ?? []) {
    await page.getByRole('button', { name: 'Add a site' }).click();
    const row = page.locator('#sites tr').last();
    await row.getByLabel('Host name').fill(site.host);
    await row.getByLabel('Conversations').selectOption(site.conversation);
    await row.getByLabel('Approved platform').setChecked(site.platformApproved);
  }
  if (otherSites) {
    await page.getByLabel('Conversations on every other site').selectOption(otherSites.conversation);
    await page.getByLabel('Every other site is an approved platform').setChecked(otherSites.platformApproved);
  }
  await page.locator('#staff-names').fill((staffNames ?? []).join('\n'));
  await page.getByLabel('Emergency mode').setChecked(emergency);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('#status').filter({ hasText: 'Saved' }).waitFor();
  await page.close();
}

/**
 * Saves a screenshot as NAME in CAREGUARD_SCREENSHOT_DIR (default target-wasm/; the
 * committed copies are docs/extension-*.png: CAREGUARD_SCREENSHOT_DIR=docs refreshes them).
 */
export async function screenshot(page, name) {
  const dir = process.env.CAREGUARD_SCREENSHOT_DIR ?? join(repoRoot, 'target-wasm');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, name) });
}
