/**
 * exportWidget on a package root that cannot build the element (no vite.widget.config.ts, as in an installed
 * package): a prebuilt copy is used, even a stale one (with a warning); no copy at all is an error saying how
 * to get one. The real build and copy are tested through the CLI in test/cli-widget.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportWidget } from './widget.ts';

/** A package root with the given files (paths relative to it). */
function packageRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'geniza-widget-root-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const PREBUILT = {
  'dist/widget/geniza-search.js': 'import "./assets/search.worker-abc.js";',
  'dist/widget/assets/search.worker-abc.js': 'worker',
  'dist/widget/assets/ort-wasm-abc.wasm': 'wasm',
};

test('no prebuilt element and no way to build one: an error naming the folder and the fix', async () => {
  const root = packageRoot({ 'src/element/index.ts': 'export {};' });
  try {
    await assert.rejects(exportWidget({ root, out: join(root, 'out') }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'UNREADABLE_FILE');
      assert.match(e.message, /no prebuilt <geniza-search> in .*dist\/widget and it cannot be built here: .*vite\.widget\.config\.ts is missing/);
      assert.match(e.message, /Reinstall geniza from npm/);
      return true;
    });
    assert.ok(!existsSync(join(root, 'out')), 'nothing written');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('a current prebuilt copy is copied as it is, every file', async () => {
  const root = packageRoot({ 'src/element/index.ts': 'export {};', ...PREBUILT });
  try {
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(root, 'src/element/index.ts'), past, past);
    const logged: string[] = [];
    const res = await exportWidget({ root, out: join(root, 'site/w'), log: (l) => logged.push(l) });
    assert.deepEqual(res.files.map((f) => f.path), ['assets/ort-wasm-abc.wasm', 'assets/search.worker-abc.js', 'geniza-search.js']);
    assert.equal(res.built, undefined);
    assert.deepEqual(logged, []);
    for (const [path, text] of Object.entries(PREBUILT)) {
      assert.equal(readFileSync(join(root, 'site/w', path.slice('dist/widget/'.length)), 'utf8'), text);
    }
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('a stale prebuilt copy that cannot be rebuilt is used, with a warning naming the changed source', async () => {
  const root = packageRoot({ ...PREBUILT, 'src/ui/search-dialog.tsx': 'export {};', 'src/ui/search-dialog.test.ts': '' });
  try {
    const past = new Date(Date.now() - 60_000);
    for (const p of Object.keys(PREBUILT)) utimesSync(join(root, p), past, past);
    const logged: string[] = [];
    const res = await exportWidget({ root, out: join(root, 'w'), log: (l) => logged.push(l) });
    assert.equal(res.files.length, 3);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /^warning: using the prebuilt element although src\/ui\/search-dialog\.tsx changed after dist\/widget\/ was built: cannot rebuild it/);
  } finally { rmSync(root, { recursive: true, force: true }); }
});
