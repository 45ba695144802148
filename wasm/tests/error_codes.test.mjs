// The error codes as documented: every code in ERROR_CODES is in docs/wasm.md's error
// table and among the C ABI's status names (ffi/src/status.rs), the table names no
// other code, and no doc comment of the generated types promises a code after "Throws"
// that the package cannot throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repo = (path) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const { ERROR_CODES, errorCodes } = createRequire(import.meta.url)(repo('wasm/pkg/node-e2e/index.js'));
const SNAKE = /\b[a-z]+(?:_[a-z0-9]+)+\b/g;

function docsErrorTable() {
  const md = readFileSync(repo('docs/wasm.md'), 'utf8');
  const section = md.slice(md.indexOf('\n## Errors'), md.indexOf('\n### Wrong-typed arguments'));
  assert.ok(section.includes('| code | when |'), 'docs/wasm.md: the Errors table moved');
  return section.split('\n').filter((l) => l.startsWith('| `'))
    .flatMap((row) => [...row.split('|')[1].matchAll(/`([a-z_]+)`/g)].map((m) => m[1]));
}

test('every code is documented in docs/wasm.md and is a C ABI status name', () => {
  assert.deepEqual([...ERROR_CODES], errorCodes());
  const documented = docsErrorTable();
  const ffi = [...readFileSync(repo('ffi/src/status.rs'), 'utf8').matchAll(/=> c"([a-z_]+)"/g)].map((m) => m[1]);
  for (const code of ERROR_CODES) {
    assert.ok(documented.includes(code), `${code} is missing from docs/wasm.md's error table`);
    assert.ok(ffi.includes(code), `${code} is not one of ffi's cg_status_name names`);
  }
  for (const code of documented) assert.ok(ERROR_CODES.includes(code), `docs/wasm.md documents unknown code ${code}`);
});

test('doc comments promise only codes that exist', () => {
  for (const file of ['wasm/pkg/web-e2e/careguard_wasm.d.ts', 'wasm/pkg/web/careguard_wasm.d.ts']) {
    const dts = readFileSync(repo(file), 'utf8');
    for (const comment of dts.match(/\/\*\*[\s\S]*?\*\//g)) {
      const at = comment.search(/\bthrows?\b/i);
      if (at < 0) continue;
      for (const word of comment.slice(at).match(SNAKE) ?? []) {
        assert.ok(ERROR_CODES.includes(word), `${file}: "${word}" is no error code, in ${comment}`);
      }
    }
  }
});
