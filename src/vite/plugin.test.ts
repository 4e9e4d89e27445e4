// `geniza/vite` in a consumer project: a real `vite build` (plain Node, no tsx set up by the consumer) of a tiny
// site whose vite.config.mjs imports the plugin writes a verified bundle and a service worker into the output;
// a second build reuses the cached bundle, an edited page rebuilds it; the dev server serves and rebuilds it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { validateManifest } from '../core/manifest.ts';
import type { BundleManifest } from '../core/types.ts';
import geniza from './plugin.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VITE_BIN = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

const PAGES: Record<string, string> = {
  'sourdough.md': '# Sourdough starter\n\nFeed the starter with flour and water every day. A lively starter doubles in size and smells sour.',
  'croissants.md': '# Laminated croissants\n\nFold cold butter into the dough three times. Rest the dough in the fridge between the folds.',
  'rye.md': '# Dense rye bread\n\nRye flour holds little gluten, so rye bread is dense. Use a pan and a long proof.',
  'pizza.md': '# Neapolitan pizza\n\nA very hot oven bakes the pizza in ninety seconds. Stretch the dough by hand.',
  'bagels.md': '# Boiled bagels\n\nBoil the bagels in water with malt before baking for a shiny, chewy crust.',
  'focaccia.md': '# Olive oil focaccia\n\nDimple the focaccia dough with oily fingers and add rosemary and salt.',
};

/** A consumer project in a temp folder whose node_modules/geniza links to this repository. */
function makeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'geniza-vite-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'geniza'), 'dir');
  mkdirSync(join(dir, 'docs'));
  for (const [name, text] of Object.entries(PAGES)) writeFileSync(join(dir, 'docs', name), text);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>Bakery</title></head><body><script type="module" src="./main.js"></script></body></html>\n');
  writeFileSync(join(dir, 'main.js'), "document.body.append('bakery');\n");
  writeFileSync(join(dir, 'vite.config.mjs'), [
    "import geniza from 'geniza/vite';",
    "export default { base: './', plugins: [geniza({ input: 'docs', base: 'search/', epochs: 1, timeBudget: 2, vocabSize: 200, quiet: false, pwa: true })] };",
    '',
  ].join('\n'));
  return dir;
}

/** Runs `vite build` in `dir` with plain Node (no tsx loader of the test runner). */
function viteBuild(dir: string): string {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, [VITE_BIN, 'build'], { cwd: dir, env, encoding: 'utf8', timeout: 240_000 });
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, `vite build failed:\n${out}`);
  return out;
}

/** Reads the bundle at `dir` and checks every file against the manifest's size and SHA-256. */
function verifiedBundle(dir: string): BundleManifest {
  const manifest = validateManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  for (const entry of Object.values(manifest.files)) {
    const bytes = readFileSync(join(dir, entry.path));
    assert.equal(bytes.byteLength, entry.bytes, `${entry.path} size`);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), entry.sha256, `${entry.path} sha256`);
  }
  return manifest;
}

test('vite build emits the bundle and a service worker, and reuses the cached bundle while inputs are unchanged', { timeout: 600_000 }, (t) => {
  const dir = makeProject();
  try {
    const first = viteBuild(dir);
    assert.match(first, /\[geniza\] search bundle built in/);
    const manifest = verifiedBundle(join(dir, 'dist', 'search'));
    assert.equal(manifest.corpus.documents, Object.keys(PAGES).length);

    const html = readFileSync(join(dir, 'dist', 'index.html'), 'utf8');
    assert.match(html, /<meta name="geniza-service-worker" content="\.\/sw\.js">/);
    const sw = readFileSync(join(dir, 'dist', 'sw.js'), 'utf8');
    const config = JSON.parse(/const GENIZA_SW_CONFIG = (.*);\n/.exec(sw)?.[1] ?? 'null') as { precache: string[]; bundles: string[] };
    assert.deepEqual(config.bundles, ['search/']);
    assert.ok(config.precache.includes('index.html'), `precache: ${config.precache.join(', ')}`);
    assert.ok(config.precache.some((f) => /^assets\/.*\.js$/.test(f)), 'the page script is precached');
    assert.ok(!config.precache.some((f) => f.startsWith('search/')), 'bundle files are cached by version, not precached');
    assert.doesNotMatch(sw, /^\s*(import|export)\b/m, 'the worker is a classic script');

    const second = viteBuild(dir);
    assert.match(second, /\[geniza\] search bundle up to date/);
    assert.doesNotMatch(second, /search bundle built in/);
    assert.equal(verifiedBundle(join(dir, 'dist', 'search')).bundleId, manifest.bundleId);

    writeFileSync(join(dir, 'docs', 'pretzels.md'), '# Lye pretzels\n\nDip the pretzels in a lye bath for a deep brown crust.');
    const third = viteBuild(dir);
    assert.match(third, /search bundle built in/);
    const rebuilt = verifiedBundle(join(dir, 'dist', 'search'));
    assert.equal(rebuilt.corpus.documents, Object.keys(PAGES).length + 1);
    t.diagnostic(`bundle ${manifest.bundleId.slice(0, 12)} -> ${rebuilt.bundleId.slice(0, 12)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('vite dev serves the bundle at base and rebuilds it when a page changes', { timeout: 600_000 }, async () => {
  const dir = makeProject();
  const server = await createServer({
    root: dir, configFile: false, logLevel: 'silent', server: { port: 0, host: '127.0.0.1' },
    plugins: [geniza({ input: 'docs', base: 'search/', epochs: 1, timeBudget: 2, vocabSize: 200, quiet: true, debounceMs: 200 })],
  });
  try {
    await server.listen();
    const url = server.resolvedUrls!.local[0]!;
    const manifestOf = async () => validateManifest(await (await fetch(`${url}search/manifest.json`)).json());
    const before = await manifestOf();
    assert.equal(before.corpus.documents, Object.keys(PAGES).length);
    const trie = await fetch(`${url}search/${before.files.trie.path}`);
    assert.equal(trie.status, 200);
    assert.equal((await trie.arrayBuffer()).byteLength, before.files.trie.bytes);
    assert.equal((await fetch(`${url}search/nothing.bin`)).status, 404);

    writeFileSync(join(dir, 'docs', 'pretzels.md'), '# Lye pretzels\n\nDip the pretzels in a lye bath for a deep brown crust.');
    let after = before;
    for (let i = 0; i < 600 && after.bundleId === before.bundleId; i++) {
      await new Promise((r) => setTimeout(r, 250));
      after = await manifestOf();
    }
    assert.notEqual(after.bundleId, before.bundleId, 'the bundle was rebuilt');
    assert.equal(after.corpus.documents, Object.keys(PAGES).length + 1);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
