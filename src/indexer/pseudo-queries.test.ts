import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceDoc } from '../core/types.ts';
import { learnedTitle, makeTrainingPairs, sentencesOf } from './pseudo-queries.ts';

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

test('an untitled document (its id shown as the title) is learnt from its text only, never from its id', () => {
  const untitled: SourceDoc[] = [
    { id: 'MED-1017', title: 'MED-1017', untitled: true, text: 'statin use and breast cancer survival in a nationwide cohort. statins lower mortality in women with breast cancer' },
    { id: 'MED-2', title: 'MED-2', untitled: true, text: 'dietary fiber intake and colorectal cancer risk. whole grains reduce the risk of colon cancer' },
    { id: 'MED-3', title: 'MED-3', untitled: true, text: '' },
    { id: 'named', title: 'Soy and hot flashes', text: 'soy isoflavones reduce hot flashes in menopausal women' },
  ];
  assert.equal(learnedTitle(untitled[0]), '');
  assert.equal(learnedTitle(untitled[3]), 'Soy and hot flashes');
  const pairs = makeTrainingPairs(untitled, { queriesPerDoc: 30, seed: 3 });
  for (const i of [0, 1]) {
    const mine = pairs.filter((p) => p.docIndex === i);
    assert.equal(mine.length, 30, 'the title queries\' share goes to the text');
    assert.ok(!mine.some((p) => p.kind === 'title' || p.kind === 'title-part'), 'no title queries');
    assert.ok(!mine.some((p) => /med|\b(1017|2)\b/i.test(p.text)), `no query repeats the id: ${mine.map((p) => p.text).find((t) => /med/i.test(t))}`);
  }
  // With no title and no text, the id it shows is all there is to learn.
  assert.deepEqual(new Set(pairs.filter((p) => p.docIndex === 2).map((p) => p.text)), new Set(['MED-3']));
  assert.equal(pairs.filter((p) => p.docIndex === 3 && p.text === 'Soy and hot flashes').length, 6, 'a titled document keeps its title copies');
});

test('an untitled document with headings learns each heading once, the rest from its text', () => {
  const doc: SourceDoc = {
    id: 'page.html', title: 'page.html', untitled: true,
    headings: ['Installing the plugin', 'Upgrading old versions', 'Removing the cache', 'Reporting a bug'],
    text: 'The plugin installs with one command. Old versions upgrade in place. The cache lives in the profile folder. '
      + 'Bugs go to the tracker with the version and the steps that fail.',
  };
  const pairs = makeTrainingPairs([doc], { queriesPerDoc: 40, seed: 5 });
  const headings = pairs.filter((p) => p.kind === 'heading').map((p) => p.text);
  assert.deepEqual([...headings].sort(), [...doc.headings!].sort(), 'every heading, once');
  assert.ok(!pairs.some((p) => p.kind === 'title-heading'), 'no title to combine with');
});

