// The package as a user gets it: `npm pack` of wasm/pkg, installed from the tarball into
// throwaway projects (Node ES module, CommonJS, TypeScript with nodenext, bundler and
// default settings, esbuild), and every code block of docs/wasm.md run as printed: in
// Node, or in headless Chromium (Debian's, driven by playwright-core) both as native
// ES modules and bundled by esbuild. Needs scripts/build-wasm.sh first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, cp, writeFile, readFile, readdir, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './package/server.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const wasmDir = join(here, '..');
const pkgDir = join(wasmDir, 'pkg');
const bin = (name) => join(wasmDir, 'node_modules', '.bin', name);
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let work;
let tarball;

before(async () => {
  if (!existsSync(join(pkgDir, 'package.json'))) throw new Error('wasm/pkg is missing: run scripts/build-wasm.sh first');
  work = await mkdtemp(join(tmpdir(), 'careguard-npm-'));
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], pkgDir));
  tarball = { path: join(work, packed[0].filename), files: packed[0].files.map((f) => f.path) };
  await cp(join(here, 'package'), join(work, 'app'), { recursive: true });
  await writeFile(join(work, 'app', 'package.json'), JSON.stringify({ name: 'app', private: true }));
  // A local tarball with no dependencies: nothing is fetched.
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', '--loglevel=error', tarball.path], join(work, 'app'));
});

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

test('the tarball carries the licences, one .wasm per feature set, no build leftovers', () => {
  for (const f of ['package.json', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE', 'web/index.js', 'node/index.js', 'node/index.mjs', 'node/index.d.mts']) {
    assert.ok(tarball.files.includes(f), `${f} missing from the tarball`);
  }
  assert.deepEqual(tarball.files.filter((f) => f.endsWith('.wasm')).sort(),
    ['web-e2e/careguard_wasm_bg.wasm', 'web/careguard_wasm_bg.wasm']);
});

test('package.json has what a registry page and bundlers read', async () => {
  const meta = JSON.parse(await readFile(join(work, 'app', 'node_modules', 'careguard-wasm', 'package.json'), 'utf8'));
  assert.match(meta.engines.node, /^>=\d+/);
  assert.ok(meta.repository.url);
  assert.ok(meta.keywords.includes('nhs'));
  assert.ok(meta.license);
  // The web entry patches the generated classes when it loads (argument guards).
  assert.ok(meta.sideEffects.includes('./web/index.js'));
  for (const entry of ['.', './e2e']) {
    const e = meta.exports[entry];
    assert.ok(e.browser && e.node.import && e.node.require && e.default, `${entry}: conditions`);
    for (const c of [e.browser, e.node.import, e.node.require, e.default]) assert.ok(c.types, `${entry}: types`);
  }
});

test('Node ES module project: named imports work', () => {
  assert.match(run('node', ['esm/main.mjs'], join(work, 'app')), /esm ok/);
});

test('CommonJS project: require works and shares the instance with import', () => {
  assert.match(run('node', ['cjs/main.cjs'], join(work, 'app')), /cjs ok/);
});

for (const project of ['ts-nodenext', 'ts-bundler', 'ts-default', 'ts-esnext']) {
  test(`TypeScript (${project}) type-checks against the installed package`, () => {
    try {
      run(bin('tsc'), ['-p', join(project, 'tsconfig.json')], join(work, 'app'));
    } catch (err) {
      assert.fail(`tsc -p ${project}: ${err.stdout}${err.stderr}`);
    }
  });
}

/** Every ```js block of docs/wasm.md with the kind named in its preceding `<!-- snippet: KIND -->`. */
async function docSnippets() {
  const md = await readFile(join(wasmDir, '..', 'docs', 'wasm.md'), 'utf8');
  const blocks = [...md.matchAll(/(?:<!-- snippet: ([\w-]+) -->\n)?```js\n([\s\S]*?)```/g)];
  return blocks.map((m) => ({ kind: m[1], code: m[2] }));
}

test('every code block of docs/wasm.md runs as printed', async (t) => {
  const snippets = await docSnippets();
  assert.ok(snippets.length >= 4, `only ${snippets.length} snippets`);
  const app = join(work, 'app');
  const browserRuns = [];
  for (const [i, { kind, code }] of snippets.entries()) {
    assert.ok(kind, `docs/wasm.md block ${i + 1} has no <!-- snippet: KIND --> marker:\n${code}`);
    const done = '\nglobalThis.snippetDone = true;\n';
    if (kind === 'node-cjs') {
      await writeFile(join(app, `doc-${i}.cjs`), code + done + 'if (!globalThis.snippetDone) process.exit(1);\n');
      await t.test(`snippet ${i + 1} (${kind})`, () => { run('node', [`doc-${i}.cjs`], app); });
    } else if (kind === 'node-esm' || kind === 'node-esm-e2e') {
      const prelude = kind === 'node-esm-e2e'
        ? "import { vault, ring, store, publish, trustKey, fetchRevocations, fetchCard, storedFlags, draft, bobKeys } from './e2e-prelude.mjs';\n"
        : '';
      await writeFile(join(app, `doc-${i}.mjs`), prelude + code + done);
      await t.test(`snippet ${i + 1} (${kind})`, () => { run('node', [`doc-${i}.mjs`], app); });
    } else if (kind === 'browser' || kind === 'esbuild') {
      browserRuns.push({ i, kind, code: code + done });
    } else {
      assert.fail(`docs/wasm.md block ${i + 1}: unknown snippet kind ${kind}`);
    }
  }
  assert.ok(browserRuns.some((r) => r.kind === 'browser') && browserRuns.some((r) => r.kind === 'esbuild'));
  await inChromium(t, app, browserRuns);
});

// Native ES modules: the page maps the bare specifier to the installed package (an
// import map, as a no-build site would); esbuild: bundled for the browser, with the
// build command the snippet's first line gives.
async function inChromium(t, app, runs) {
  const site = join(app, 'site');
  await mkdir(site, { recursive: true });
  await cp(join(app, 'node_modules'), join(site, 'node_modules'), { recursive: true });
  const pages = [];
  for (const { i, kind, code } of runs) {
    const dir = join(site, `doc-${i}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'app.js'), code);
    let script = './app.js';
    if (kind === 'esbuild') {
      const args = code.split('\n')[0].match(/`esbuild (.*)`/);
      assert.ok(args, 'the esbuild snippet starts with its build command');
      await cp(join(app, 'node_modules'), join(dir, 'node_modules'), { recursive: true });
      run(bin('esbuild'), args[1].split(/\s+/), dir);
      script = './dist/app.js';
    }
    const importMap = kind === 'browser'
      ? '<script type="importmap">{ "imports": { "careguard-wasm": "/node_modules/careguard-wasm/web/index.js" } }</script>'
      : '';
    await writeFile(join(dir, 'index.html'), `<!doctype html><link rel="icon" href="data:,">${importMap}<script type="module" src="${script}"></script>`);
    pages.push({ i, kind, path: `/doc-${i}/` });
  }
  const { chromium } = await import('playwright-core');
  const server = await serve(site);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    for (const { i, kind, path } of pages) {
      await t.test(`snippet ${i + 1} (${kind}) in Chromium`, async () => {
        const page = await browser.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        await page.goto(server.url + path.slice(1));
        await page.waitForFunction(() => globalThis.snippetDone === true, null, { timeout: 20000 })
          .catch(() => assert.fail(`did not finish: ${errors.join('; ')}`));
        assert.deepEqual(errors, []);
        await page.close();
      });
    }
    assert.ok(!server.requests.some((p) => p.endsWith('.wasm') && !p.includes('careguard')), 'no stray .wasm fetch');
  } finally {
    await browser.close();
    await server.close();
  }
}
