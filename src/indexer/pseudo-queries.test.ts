import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceDoc } from '../core/types.ts';
import { makeTrainingPairs, sentencesOf } from './pseudo-queries.ts';

const docs: SourceDoc[] = [
  {
    id: 'a', title: 'Offline search and caching',
    headings: ['Clearing the cache', 'Storage limits'],
    text: 'After the first visit the bundle is stored in IndexedDB. Later visits load it from there without a network. '
      + 'Browsers may evict storage under pressure! The client notices and downloads the bundle again. '
      + 'Each file is keyed by its SHA-256 hash, so unchanged files are never downloaded twice.',
  },
  { id: 'b', title: 'Exit codes', text: 'The CLI exits with 0 on success and 1 on failure. Usage errors are reported on one line.' },
  { id: 'c', title: 'Tiny', text: 'Short.' },
];

test('pseudo-queries are deterministic for a seed and change with it', () => {
  const a = makeTrainingPairs(docs, { queriesPerDoc: 20, seed: 5 });
  const b = makeTrainingPairs(docs, { queriesPerDoc: 20, seed: 5 });
  const c = makeTrainingPairs(docs, { queriesPerDoc: 20, seed: 6 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('every document gets exactly queriesPerDoc pairs, including its exact title several times', () => {
  const pairs = makeTrainingPairs(docs, { queriesPerDoc: 20 });
  assert.equal(pairs.length, 60);
  docs.forEach((d, i) => {
    const mine = pairs.filter((p) => p.docIndex === i);
    assert.equal(mine.length, 20, `doc ${d.id}`);
    assert.ok(mine.filter((p) => p.text === d.title).length >= 2, `doc ${d.id} has its title at least twice`);
    for (const p of mine) assert.ok(p.text.trim().length > 0);
  });
});

test('pseudo-queries draw on headings, title + heading, sentences and keywords of the document itself', () => {
  const pairs = makeTrainingPairs(docs, { queriesPerDoc: 40 }).filter((p) => p.docIndex === 0);
  const texts = pairs.map((p) => p.text);
  assert.ok(texts.includes('Clearing the cache') && texts.includes('Storage limits'));
  assert.ok(pairs.some((p) => p.kind === 'title-heading' && p.text.startsWith('Offline search and caching ')));
  assert.ok(texts.includes('Browsers may evict storage under pressure!'));
  const kinds = new Set(pairs.map((p) => p.kind));
  for (const k of ['title', 'heading', 'sentence', 'span', 'keywords', 'first-words']) assert.ok(kinds.has(k as never), `has ${k}`);
  // Every query word comes from the document.
  const vocab = new Set(`${docs[0].title} ${docs[0].headings!.join(' ')} ${docs[0].text}`.toLowerCase().match(/[\p{L}\p{N}]+/gu));
  for (const t of texts) for (const w of t.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) assert.ok(vocab.has(w), `"${w}" of "${t}"`);
  // Queries are short: at most 16 words.
  for (const t of texts) assert.ok(t.split(/\s+/).length <= 16, t);
});

test('sentences are split at end punctuation and line breaks', () => {
  assert.deepEqual(sentencesOf('One two three. Four five six!\nSeven eight nine? Ten'), ['One two three.', 'Four five six!', 'Seven eight nine?']);
});

test('a section of a page is also found by its page title with its heading', () => {
  const docs = [
    { id: 'g.html#install', title: 'Install', pageTitle: 'Getting started', text: 'Run npm install geniza in the project folder.', url: 'g.html#install' },
    { id: 'g.html', title: 'Getting started', pageTitle: 'Getting started', text: 'What geniza is and how to add it.', url: 'g.html' },
  ];
  const pairs = makeTrainingPairs(docs, { queriesPerDoc: 8, seed: 1 });
  const texts = pairs.filter((p) => p.docIndex === 0).map((p) => p.text);
  assert.ok(texts.includes('Install'), texts.join(' | '));
  assert.ok(texts.includes('Getting started Install'), texts.join(' | '));
  assert.ok(!pairs.some((p) => p.docIndex === 1 && p.text === 'Getting started Getting started'));
});
