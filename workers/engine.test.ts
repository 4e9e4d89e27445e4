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

/** Facets of the test documents (for filters). */
const TOPIC: Record<string, string> = {
  install: 'software', rust: 'software', python: 'software', cats: 'animals', dogs: 'animals', coffee: 'drinks', tea: 'drinks',
  bikes: 'home', bread: 'home', garden: 'home', stars: 'hobbies', chess: 'hobbies',
};
const VERSION: Record<string, string[]> = { install: ['1.x', '2.x'], rust: ['2.x'], python: ['1.x'] };

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
  writeFileSync(join(dir, 'corpus.jsonl'), CORPUS.map(([id, title, text]) => JSON.stringify({ id, title, text, url: `${id}.html`, filters: { topic: [TOPIC[id]], ...(VERSION[id] ? { version: VERSION[id] } : {}) } })).join('\n'));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/geniza.js'), 'build', join(dir, 'corpus.jsonl'), '--out', join(dir, 'bundle'),
    '--docids', 'semantic', '--branching', '4', '--epochs', '30', '--d-model', '32', '--layers', '1', '--quiet'], { cwd: ROOT, encoding: 'utf8' });
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
  const all = await engine.search('tea', { k: CORPUS.length, beams: CORPUS.length, mode: 'generative' });
  assert.equal(all.hits.length, CORPUS.length);
});

test('an empty or blank query, or one of only unknown symbols, gives no hits', async () => {
  for (const q of ['', '   ', '\n\t', '🔥🚀', '🙂 🙃']) assert.deepEqual((await engine.search(q)).hits, [], JSON.stringify(q));
});

test('requireTermMatch keeps only hits that contain a query word', async () => {
  assert.ok((await engine.search('qqzz vvkk', { mode: 'generative' })).hits.length > 0, 'the model alone always answers');
  assert.deepEqual((await engine.search('qqzz vvkk', { mode: 'generative', requireTermMatch: true })).hits, []);
  const { hits } = await engine.search('green tea', { mode: 'generative', requireTermMatch: true });
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
  const pending = engine.search('telescope galaxies', { signal: controller.signal, mode: 'generative' });
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

const ids = (r: { hits: { id: string }[] }) => r.hits.map((h) => h.id);

test('the build fits the hybrid ranking on held-out pseudo-queries and stores it in the manifest', () => {
  const r = files.manifest.ranking;
  assert.ok(r, 'manifest.ranking');
  assert.ok(r.generativeWeight >= 0 && r.generativeWeight <= 1);
  assert.ok(r.heldOut && r.heldOut.queries > 0 && r.heldOut.mrr.lexical > 0);
  assert.deepEqual(engine.ranking, { fusion: r.fusion, generativeWeight: r.generativeWeight, lexicalPrior: r.lexicalPrior });
});

test('filters: every mode returns only documents with one of the values of every named facet', async () => {
  for (const mode of ['generative', 'lexical', 'hybrid'] as const) {
    const drinks = await engine.search('tea coffee water', { k: CORPUS.length, beams: CORPUS.length, mode, filters: { topic: 'drinks' } });
    assert.ok(drinks.hits.length > 0, mode);
    for (const h of drinks.hits) assert.equal(TOPIC[h.id], 'drinks', `${mode}: ${h.id}`);
    const two = await engine.search('language tool', { k: CORPUS.length, beams: CORPUS.length, mode, filters: { topic: ['software', 'hobbies'], version: '2.x' } });
    for (const h of two.hits) assert.ok(VERSION[h.id]?.includes('2.x'), `${mode}: ${h.id}`);
  }
  // The generative decoder writes only matching docids: a wide beam returns exactly the matching documents.
  const all = await engine.search('anything at all', { k: CORPUS.length, beams: CORPUS.length, mode: 'generative', filters: { topic: 'home' } });
  assert.deepEqual(ids(all).sort(), ['bikes', 'bread', 'garden']);
  const narrow = await engine.search('cats purr', { k: 1, beams: 1, mode: 'generative', filters: { topic: 'drinks' } });
  assert.equal(narrow.hits.length, 1);
  assert.equal(TOPIC[narrow.hits[0]!.id], 'drinks', 'even a beam of 1 stays inside the filter');
});

test('filters: an unknown facet or value gives no hits; a malformed one is a BAD_OPTION error', async () => {
  for (const mode of ['generative', 'lexical', 'hybrid'] as const) {
    assert.deepEqual((await engine.search('cats', { mode, filters: { colour: 'red' } })).hits, [], mode);
    assert.deepEqual((await engine.search('cats', { mode, filters: { topic: 'cars' } })).hits, [], mode);
  }
  const bad = [{ topic: 3 }, 'topic:animals', { topic: ['animals', null] }];
  for (const filters of bad) {
    await assert.rejects(engine.search('cats', { filters: filters as never }), (e) => isGenizaError(e) && e.code === 'BAD_OPTION' && /filters/.test(e.message), JSON.stringify(filters));
  }
  assert.equal(ids(await engine.search('cats', { filters: {} })).length > 0, true, 'an empty filter object restricts nothing');
});

test('modes: lexical ranks documents that share a stemmed word; a bad mode is a BAD_OPTION error', async () => {
  const lexical = await engine.search('purring cat', { mode: 'lexical' });
  assert.equal(lexical.hits[0]?.id, 'cats');
  assert.deepEqual((await engine.search('zzqx vvkj', { mode: 'lexical' })).hits, []);
  const typo = await engine.search('cofee', { mode: 'lexical', prefixLastWord: false });
  assert.equal(typo.hits[0]?.id, 'coffee', 'a word one typo away is found');
  const top = typo.hits[0]!;
  assert.deepEqual(top.titleHighlights.map(([s, e]) => top.title.slice(s, e)), ['coffee'], 'and highlighted');
  await assert.rejects(engine.search('cats', { mode: 'fuzzy' as never }), (e) => isGenizaError(e) && e.code === 'BAD_OPTION' && /mode/.test(e.message));
});

test('hybrid with generative weight 0 is the lexical ranking exactly; with weight > 0 it fuses both sides', async () => {
  const lexicalOnly = await SearchEngine.create(ort, files, { ranking: { fusion: 'linear', generativeWeight: 0, lexicalPrior: 0 } });
  const fused = await SearchEngine.create(ort, files, { ranking: { fusion: 'rrf', generativeWeight: 0.5, lexicalPrior: 1 } });
  try {
    for (const q of ['green tea', 'bake bread dough', 'chess', 'how do I fix a flat tire', 'telescope']) {
      const h = await lexicalOnly.search(q, { k: 5 });
      const l = await lexicalOnly.search(q, { k: 5, mode: 'lexical' });
      assert.deepEqual(h.hits.map((x) => [x.id, x.score]), l.hits.map((x) => [x.id, x.score]), q);
    }
    const wide = await fused.search('green tea', { k: CORPUS.length, requireTermMatch: false });
    assert.ok(wide.hits.length > (await fused.search('green tea', { k: CORPUS.length, mode: 'lexical' })).hits.length, 'generative candidates join the lexical ones');
    assert.equal(wide.hits[0]!.id, 'tea');
  } finally {
    await lexicalOnly.dispose();
    await fused.dispose();
  }
});

test('hybrid with requireTermMatch: gibberish gives nothing, a natural-language query gives supported hits', async () => {
  const fused = await SearchEngine.create(ort, files, { ranking: { fusion: 'linear', generativeWeight: 1, lexicalPrior: 0 } });
  try {
    for (const e of [engine, fused]) {
      assert.deepEqual((await e.search('zzqx vvkj', { requireTermMatch: true })).hits, []);
      const { hits } = await e.search('what temperature for green tea?', { requireTermMatch: true });
      assert.ok(hits.length > 0);
      assert.equal(hits[0]!.id, 'tea');
    }
  } finally {
    await fused.dispose();
  }
});

test('hybrid: a query no document has a word of gets the model\'s nearest documents, marked related', async () => {
  const q = 'lighthouse keeper';
  assert.ok((await engine.search(q, { mode: 'generative' })).hits.length > 0, 'the tokenizer knows pieces of the query');
  assert.deepEqual((await engine.search(q, { mode: 'lexical' })).hits, [], 'no document has a word of the query');
  for (const ranking of [
    { fusion: 'linear', generativeWeight: 0, lexicalPrior: 0 },
    { fusion: 'linear', generativeWeight: 0, lexicalPrior: 1 },
    { fusion: 'rrf', generativeWeight: 0.5, lexicalPrior: 1 },
  ] as const) {
    const e = await SearchEngine.create(ort, files, { ranking });
    try {
      const what = JSON.stringify(ranking);
      const res = await e.search(q, { k: 5 });
      assert.equal(res.related, true, what);
      assert.equal(res.hits.length, 5, what);
      for (const h of res.hits) assert.deepEqual([h.titleHighlights, h.snippet.highlights], [[], []], `${what}: nothing to highlight`);
      const drinks = await e.search(q, { k: 5, filters: { topic: 'drinks' } });
      assert.equal(drinks.related, true, what);
      assert.ok(drinks.hits.length > 0 && drinks.hits.every((h) => TOPIC[h.id] === 'drinks'), `${what}: filters still apply`);
      const lexical = await e.search(q, { mode: 'lexical' });
      assert.deepEqual([lexical.hits, lexical.related], [[], undefined], `${what}: lexical mode does not run the model`);
      const strict = await e.search(q, { requireTermMatch: true });
      assert.deepEqual([strict.hits, strict.related], [[], undefined], `${what}: requireTermMatch keeps the empty answer`);
      for (const emoji of ['🔥🚀', '🙂 🙃']) {
        const none = await e.search(emoji);
        assert.deepEqual([none.hits, none.related], [[], undefined], `${what}: ${emoji}`);
      }
      const found = await e.search('green tea', { k: 3 });
      assert.equal(found.hits[0]?.id, 'tea', what);
      assert.equal(found.related, undefined, `${what}: a query the lexical side answers is not marked`);
    } finally {
      await e.dispose();
    }
  }
});

test('the model reads a question without its question words: same documents and scores as the bare words', async () => {
  for (const [question, bare, id] of [
    ['How do I patch a flat tire?', 'patch a flat tire', 'bikes'],
    ['What is the right temperature for green tea?', 'the right temperature for green tea', 'tea'],
  ] as const) {
    const asked = await engine.decode(question, { k: 5 });
    assert.deepEqual(asked, await engine.decode(bare, { k: 5 }), question);
    assert.equal(asked[0]?.docIndex, engine.docs.findIndex((d) => d.id === id), `${question}: ${id} first`);
    assert.equal((await engine.search(question, { mode: 'generative' })).hits[0]?.id, id, `${question}: generative search`);
  }
  // Words that frame a question still count when nothing else is left.
  assert.ok((await engine.decode('what is it', { k: 3 })).length > 0);
});
