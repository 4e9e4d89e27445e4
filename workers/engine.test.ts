// SearchEngine on a real bundle: built by the CLI from a small corpus in a temp folder, run by onnxruntime-web.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { isGenizaError } from '../src/core/errors.ts';
import { readBundle } from '../src/indexer/read-bundle.ts';
import { SearchEngine, type BundleFiles } from './engine.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const CORPUS = [
  ['install', 'Installing the command line tool', 'Install the command line tool with npm, then run it from a terminal to build bundles.'],
  ['cats', 'Cats', 'Cats are small furry animals that purr, sleep all day and chase mice at night.'],
  ['dogs', 'Dogs', 'Dogs bark at strangers, fetch sticks, and guard the house and garden.'],
  ['rust', 'Rust programming', 'Rust is a systems programming language with ownership, borrowing and lifetimes.'],
  ['python', 'Python scripting', 'Python is a dynamic language popular for scripting, notebooks and data science.'],
  ['coffee', 'Brewing coffee', 'Grind the beans, heat the water to 93 degrees and pour it slowly over the grounds.'],
  ['tea', 'Green tea', 'Green tea is steeped at a lower temperature than black tea, for about two minutes.'],
  ['bikes', 'Bicycle repair', 'Fix a flat tire by patching the inner tube, then inflate it to the right pressure.'],
  ['bread', 'Baking bread', 'Knead the dough, let it rise for an hour, shape the loaf and bake it until golden.'],
  ['garden', 'Growing tomatoes', 'Tomatoes need sun, regular watering and stakes to hold the heavy fruit.'],
  ['stars', 'Watching the stars', 'A dark sky, a telescope and patience show planets, nebulae and distant galaxies.'],
  ['chess', 'Chess openings', 'The Sicilian defence and the Queen’s gambit are popular chess openings.'],
] as const;

let dir: string;
let files: BundleFiles;
let engine: SearchEngine;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'geniza-engine-'));
  writeFileSync(join(dir, 'corpus.jsonl'), CORPUS.map(([id, title, text]) => JSON.stringify({ id, title, text, url: `${id}.html` })).join('\n'));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/geniza.js'), 'build', join(dir, 'corpus.jsonl'), '--out', join(dir, 'bundle'),
    '--branching', '4', '--epochs', '30', '--d-model', '32', '--layers', '1', '--quiet'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `geniza build failed: ${r.stderr}`);
  files = await readBundle(join(dir, 'bundle'));
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  engine = await SearchEngine.create(ort, files);
});

after(async () => {
  await engine?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a query returns ranked hits with title, url, snippet and highlights', async () => {
  assert.ok(files.manifest.docids.maxLength >= 2, 'the test corpus has multi-token docids');
  const res = await engine.search('brewing coffee beans', { k: 5 });
  assert.equal(res.query, 'brewing coffee beans');
  assert.ok(res.hits.length > 0 && res.hits.length <= 5);
  assert.ok(res.elapsedMs >= 0);
  const top = res.hits[0]!;
  assert.equal(top.id, 'coffee');
  assert.equal(top.url, 'coffee.html');
  assert.equal(top.title, 'Brewing coffee');
  assert.ok(top.snippet.text.includes('beans'));
  const marked = top.snippet.highlights.map(([s, e]) => top.snippet.text.slice(s, e).toLowerCase());
  assert.ok(marked.includes('beans'), `highlights: ${JSON.stringify(marked)}`);
  assert.ok(top.titleHighlights.length > 0);
  for (let i = 1; i < res.hits.length; i++) assert.ok(res.hits[i - 1]!.score >= res.hits[i]!.score, 'sorted by score');
  assert.equal(new Set(res.hits.map((h) => h.docIndex)).size, res.hits.length, 'no document twice');
});

test('most documents are found first by their own title', async () => {
  let first = 0;
  for (const [id, title] of CORPUS) {
    const { hits } = await engine.search(title, { k: 3 });
    if (hits[0]?.id === id) first++;
  }
  assert.ok(first >= CORPUS.length - 2, `${first}/${CORPUS.length} titles found first`);
});

test('k bounds the hits and a wide beam can return every document', async () => {
  assert.equal((await engine.search('tea', { k: 1 })).hits.length, 1);
  const all = await engine.search('tea', { k: CORPUS.length, beams: CORPUS.length });
  assert.equal(all.hits.length, CORPUS.length);
});

test('an empty or blank query, or one of only unknown symbols, gives no hits', async () => {
  for (const q of ['', '   ', '\n\t', '🔥🚀', '🙂 🙃']) assert.deepEqual((await engine.search(q)).hits, [], JSON.stringify(q));
});

test('requireTermMatch keeps only hits that contain a query word', async () => {
  assert.ok((await engine.search('qqzz vvkk')).hits.length > 0, 'the model alone always answers');
  assert.deepEqual((await engine.search('qqzz vvkk', { requireTermMatch: true })).hits, []);
  const { hits } = await engine.search('green tea', { requireTermMatch: true });
  assert.ok(hits.length > 0 && hits.length < CORPUS.length);
  assert.equal(hits[0]!.id, 'tea');
  for (const h of hits) assert.match(`${h.title} ${h.snippet.text}`, /green|tea/i);
});

test('strange queries do not throw', async () => {
  const queries = ['🔥🚀', '<script>alert(1)</script> cats', 'مرحبا بالعالم', 'שלום עולם dogs', 'x'.repeat(10_000),
    'word '.repeat(2_000), '\u0000\uffff\ud800', '日本語のテキスト', 'ÉCOLE Ｗｅｂ'];
  for (const q of queries) {
    const res = await engine.search(q, { k: 3 });
    assert.ok(Array.isArray(res.hits), `query ${JSON.stringify(q.slice(0, 20))}`);
    for (const h of res.hits) assert.equal(typeof h.snippet.text, 'string');
  }
});

test('bad k or beams fail with a BAD_OPTION error naming the value', async () => {
  await assert.rejects(engine.search('cats', { k: 0 }), (e) => isGenizaError(e) && e.code === 'BAD_OPTION' && /k must be .* \(got 0\)/.test(e.message));
  await assert.rejects(engine.search('cats', { beams: -1 }), (e) => isGenizaError(e) && e.code === 'BAD_OPTION' && /beams/.test(e.message));
});

test('concurrent searches give the same results as one at a time', async () => {
  const queries = ['cats purr', 'rust ownership', 'flat tire', 'bake a loaf'];
  const sequential = [];
  for (const q of queries) sequential.push((await engine.search(q)).hits.map((h) => h.id));
  const concurrent = await Promise.all(queries.map((q) => engine.search(q)));
  assert.deepEqual(concurrent.map((r) => r.hits.map((h) => h.id)), sequential);
});

test('an aborted search rejects with the abort reason', async () => {
  const controller = new AbortController();
  const pending = engine.search('telescope galaxies', { signal: controller.signal });
  controller.abort();
  await assert.rejects(pending, (e) => (e as Error).name === 'AbortError');
});

test('a bundle whose documents do not match its trie is refused as BAD_BUNDLE', async () => {
  const docs = JSON.parse(new TextDecoder().decode(files.docs)).slice(1);
  const manifest = { ...files.manifest, corpus: { documents: docs.length } };
  await assert.rejects(
    SearchEngine.create(ort, { ...files, manifest, docs }),
    (e) => isGenizaError(e) && e.code === 'BAD_BUNDLE' && /trie\.bin has 12 docids/.test(e.message),
  );
});

test('model bytes ORT cannot read fail with a MODEL error naming the file', async () => {
  await assert.rejects(
    SearchEngine.create(ort, { ...files, decoder: new Uint8Array([1, 2, 3, 4]) }),
    (e) => isGenizaError(e) && e.code === 'MODEL' && /decoder\.onnx/.test(e.message),
  );
});
