// What the pwa option adds to built pages and which files the worker precaches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeBase } from './plugin.ts';
import { pwaHeadTags, writeServiceWorker } from './service-worker-build.ts';

const swUrl = (tags: ReturnType<typeof pwaHeadTags>) => tags.find((t) => t.tag === 'meta')?.attrs?.content;

test('pages at any depth name the worker at the site root', () => {
  assert.equal(swUrl(pwaHeadTags('/index.html', './', {}, false)), './sw.js');
  assert.equal(swUrl(pwaHeadTags('/guide/install.html', './', {}, false)), '../sw.js');
  assert.equal(swUrl(pwaHeadTags('/a/b/c.html', '/docs/', {}, false)), '/docs/sw.js');
  const tags = pwaHeadTags('/index.html', '/', { register: 'manual' }, true);
  assert.deepEqual(tags.map((t) => t.tag), ['meta', 'link'], 'manual: no registration script');
  assert.equal(tags[1]!.attrs!.href, '/manifest.webmanifest');
  assert.match(pwaHeadTags('/index.html', './', {}, false).find((t) => t.tag === 'script')!.children!, /serviceWorker\.register\("\.\/sw\.js"\)/);
});

test('base must be a folder inside the site', () => {
  assert.equal(normalizeBase('geniza'), 'geniza/');
  assert.equal(normalizeBase('/search/'), 'search/');
  assert.equal(normalizeBase('./a/b'), 'a/b/');
  assert.throws(() => normalizeBase('/'), /base must be a folder inside the site/);
  assert.throws(() => normalizeBase('../up/'), /base must be a folder inside the site/);
});

test('the worker precaches the site but not the bundle, source maps or the WebGPU wasm; its version follows the content', async () => {
  const out = mkdtempSync(join(tmpdir(), 'geniza-sw-'));
  try {
    mkdirSync(join(out, 'assets'));
    mkdirSync(join(out, 'geniza'));
    for (const f of ['index.html', 'assets/app.js', 'assets/app.js.map', 'assets/ort-wasm-simd-threaded.wasm', 'assets/ort-wasm-simd-threaded.asyncify.wasm', 'geniza/manifest.json']) {
      writeFileSync(join(out, f), f);
    }
    const first = await writeServiceWorker(out, { bundles: ['geniza/'] });
    assert.deepEqual(first.precache, ['assets/app.js', 'assets/ort-wasm-simd-threaded.wasm', 'index.html']);
    assert.deepEqual(first.lazy, ['assets/app.js.map', 'assets/ort-wasm-simd-threaded.asyncify.wasm'], 'cached on first use');
    assert.match(readFileSync(first.file, 'utf8'), /"bundles":\["geniza\/"\]/);
    const same = await writeServiceWorker(out, { bundles: ['geniza/'] });
    assert.equal(same.version, first.version, 'rewriting sw.js does not change the version');
    writeFileSync(join(out, 'index.html'), 'changed');
    assert.notEqual((await writeServiceWorker(out, { bundles: ['geniza/'] })).version, first.version);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
