import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, FUZZY_WEIGHT, LexicalIndex, MAX_PREFIX_TERMS } from './lexical-index.ts';
import { isGenizaError } from './errors.ts';

const docs = [
  { title: 'Running shoes', text: 'How to choose shoes for long runs on the road.' },
  { title: 'Swimming', text: 'Swimmers train in pools; a runner may swim to recover.' },
  { title: 'Cooking pasta', text: 'Boil the water, add salt, cook the pasta for ten minutes.' },
  { title: 'Tokenizer', text: 'The tokenizer splits text into tokens before the model reads it.' },
  { title: 'Empty', text: '' },
];
const titles = (hits: { docIndex: number }[], from = docs) => hits.map((h) => from[h.docIndex].title);

test('analyze: normalized words, stop words removed, stemmed unless asked not to', () => {
  assert.deepEqual(analyze('The Runners were RUNNING, in Cafés'), ['runner', 'were', 'run', 'cafe']);
  assert.deepEqual(analyze('The Runners were RUNNING', { stem: false }), ['runners', 'were', 'running']);
  assert.deepEqual(analyze('the and of'), []);
  assert.deepEqual(analyze(''), []);
});

test('a query word matches the other inflections of the word', () => {
  const index = LexicalIndex.build(docs);
  assert.deepEqual(titles(index.search('running')), ['Running shoes']);
  assert.deepEqual(titles(index.search('runs')), ['Running shoes']);
  assert.deepEqual(titles(index.search('shoe')), ['Running shoes']);
  // without stemming only the exact word matches
  const plain = LexicalIndex.build(docs, { stem: false });
  assert.deepEqual(titles(plain.search('shoe', { fuzzy: false })), []);
  assert.deepEqual(titles(plain.search('shoes')), ['Running shoes']);
});

test('a word in the title counts more than the same word in the text, and more with a higher title weight', () => {
  const pair = [
    { title: 'Notes', text: 'The garden has tomatoes and beans and a small pond with fish.' },
    { title: 'Garden', text: 'Tomatoes and beans grow here next to a small pond with fish.' },
  ];
  for (const fieldModel of ['bm25f', 'concat', 'sum'] as const) {
    const w1 = LexicalIndex.build(pair, { titleWeight: 1, fieldModel });
    const w3 = LexicalIndex.build(pair, { titleWeight: 3, fieldModel });
    const s1 = w1.scores('garden');
    const s3 = w3.scores('garden');
    assert.ok(s3[1] > s3[0], `${fieldModel}: title match ranks first`);
    assert.ok(s3[1] / s3[0] > s1[1] / s1[0], `${fieldModel}: a higher title weight widens the gap`);
  }
  // title weight 0: a title-only match scores nothing
  const w0 = LexicalIndex.build(docs, { titleWeight: 0 });
  assert.deepEqual(titles(w0.search('empty')), []);
  assert.deepEqual(titles(LexicalIndex.build(docs).search('empty')), ['Empty']);
});

test('the page title of a section is searchable', () => {
  const sections = [
    { title: 'Install', pageTitle: 'Widget guide', text: 'Run npm install.' },
    { title: 'Install', pageTitle: 'Server guide', text: 'Run npm install.' },
  ];
  const index = LexicalIndex.build(sections);
  assert.deepEqual(index.search('server install').map((h) => h.docIndex), [1, 0]);
  assert.deepEqual(LexicalIndex.build(sections, { pageTitleWeight: 0 }).search('server').length, 0);
});

test('the allowed mask keeps filtered-out documents out of search and scores', () => {
  const index = LexicalIndex.build(docs);
  const allowed = new Uint8Array(docs.length).fill(1);
  allowed[0] = 0;
  assert.deepEqual(titles(index.search('run runner', { allowed })), ['Swimming']);
  const scores = index.scores('run runner', { allowed });
  assert.equal(scores[0], 0);
  assert.ok(scores[1] > 0);
  // the same index without a mask still finds document 0 (the mask left no state behind)
  assert.deepEqual(titles(index.search('run runner')), ['Running shoes', 'Swimming']);
  assert.throws(() => index.search('run', { allowed: new Uint8Array(2) }), (e: unknown) => isGenizaError(e) && /one entry per document \(5\)/.test(e.message));
});

test('the last word matches as a prefix only when asked', () => {
  const index = LexicalIndex.build(docs);
  assert.deepEqual(titles(index.search('tok')), []);
  assert.deepEqual(titles(index.search('tok', { prefixLastWord: true })), ['Tokenizer']);
  assert.deepEqual(titles(index.search('boil pas', { prefixLastWord: true })), ['Cooking pasta']);
  // only the last word is a prefix
  assert.deepEqual(titles(index.search('tok pasta', { prefixLastWord: true })), ['Cooking pasta']);
  // the typed word also matches whole: "swim" finds swim/swimming/swimmers
  assert.deepEqual(titles(index.search('swim', { prefixLastWord: true })), ['Swimming']);
  // a stop word being typed ("to" -> "tokenizer") is a prefix too, and its rarer completion ranks first
  assert.deepEqual(titles(index.search('to', { prefixLastWord: true })).slice(0, 1), ['Tokenizer']);
  assert.deepEqual(titles(index.search('pasta to', { prefixLastWord: true })).slice(0, 2), ['Cooking pasta', 'Tokenizer']);
});

test('a prefix that begins many words is expanded to a bounded number of the most frequent', () => {
  const many = Array.from({ length: 200 }, (_, i) => ({ title: `Item ${i}`, text: `word${'x'.repeat(i % 50)}z${i} common` }));
  many.push({ title: 'Frequent', text: 'wordy' }, { title: 'Frequent too', text: 'wordy' });
  const index = LexicalIndex.build(many);
  const hits = index.search('word', { k: 1000, prefixLastWord: true, feedback: false });
  assert.ok(hits.length > 0 && hits.length <= MAX_PREFIX_TERMS + 1, `${hits.length}`);
  assert.ok(hits.some((h) => many[h.docIndex].title === 'Frequent'), 'the most frequent completion is kept');
});

test('a query of stop words only still finds the documents that contain them', () => {
  const index = LexicalIndex.build([
    { title: 'The Who', text: 'A band.' },
    { title: 'Cats', text: 'Animals that purr.' },
  ]);
  assert.deepEqual(index.search('the who').map((h) => h.docIndex), [0]);
  // in a query with other words, stop words are dropped
  assert.deepEqual(index.search('the cats').map((h) => h.docIndex), [1]);
});

test('odd queries never throw: empty, punctuation, emoji, unknown words, huge', () => {
  const index = LexicalIndex.build(docs);
  for (const q of ['', '   ', '?!', '🙂🙂', 'zzzz qqqq', '🚀 pasta', 'x'.repeat(100_000), 'pasta '.repeat(20_000), 'ÄÖÜ ß 蛋白质']) {
    for (const prefixLastWord of [false, true]) {
      const hits = index.search(q, { prefixLastWord });
      assert.ok(Array.isArray(hits));
      assert.equal(index.scores(q, { prefixLastWord }).length, docs.length);
    }
  }
  assert.deepEqual(titles(index.search('🚀 pasta')), ['Cooking pasta']);
  assert.throws(() => index.search('pasta', { k: 0 }), (e: unknown) => isGenizaError(e) && e.code === 'BAD_OPTION');
  assert.throws(() => LexicalIndex.build(docs, { b: 2 }), (e: unknown) => isGenizaError(e) && /b must be between 0 and 1/.test(e.message));
});

test('an empty collection and empty documents are fine', () => {
  const none = LexicalIndex.build([]);
  assert.equal(none.size, 0);
  assert.deepEqual(none.search('anything', { prefixLastWord: true }), []);
  const index = LexicalIndex.build(docs);
  assert.equal(index.size, docs.length);
  assert.ok(!index.search('empty').some((h) => h.docIndex === 4 && docs[4].text === '' && h.score <= 0));
});

test('ranking is deterministic: scores > 0, best first, ties broken by document order, same result every time', () => {
  const twins = Array.from({ length: 6 }, (_, i) => ({ title: `Doc ${i}`, text: i % 2 === 0 ? 'alpha beta' : 'alpha gamma' }));
  const index = LexicalIndex.build(twins);
  const first = index.search('alpha', { k: 4, feedback: false });
  assert.deepEqual(first.map((h) => h.docIndex), [0, 1, 2, 3]);
  for (let i = 0; i < 3; i++) assert.deepEqual(index.search('alpha', { k: 4, feedback: false }), first);
  const withFeedback = index.search('alpha', { k: 6 });
  for (let i = 0; i < 3; i++) assert.deepEqual(index.search('alpha', { k: 6 }), withFeedback);
  const mixed = index.search('beta alpha', { k: 6, feedback: false });
  assert.deepEqual(mixed.map((h) => h.docIndex), [0, 2, 4, 1, 3, 5]);
  for (let i = 1; i < mixed.length; i++) assert.ok(mixed[i - 1].score >= mixed[i].score && mixed[i].score > 0);
  // scores() agrees with search()
  const scores = index.scores('beta alpha', { feedback: false });
  for (const h of mixed) assert.ok(Math.abs(scores[h.docIndex] - h.score) < 1e-5);
});

test('a query word found in no document matches words one typo away', () => {
  const index = LexicalIndex.build(docs);
  assert.deepEqual(titles(index.search('tokenzier')), ['Tokenizer']); // swapped letters
  assert.deepEqual(titles(index.search('pastta')), ['Cooking pasta']); // an extra letter
  assert.deepEqual(titles(index.search('tokenzier', { fuzzy: false })), []);
  // a word that is in the index is never replaced by its neighbours ("pasta" does not find "paste")
  const near = LexicalIndex.build([{ title: 'A', text: 'pasta' }, { title: 'B', text: 'paste' }]);
  assert.deepEqual(near.search('pasta').map((h) => h.docIndex), [0]);
  // a typo match counts FUZZY_WEIGHT of the word itself
  const fruit = LexicalIndex.build([{ title: 'A', text: 'apple pie' }, { title: 'B', text: 'maple syrup' }, { title: 'C', text: 'pear' }]);
  const exact = fruit.scores('apple', { feedback: false })[0];
  assert.ok(exact > 0);
  assert.ok(Math.abs(fruit.scores('appel', { feedback: false })[0] - FUZZY_WEIGHT * exact) < 1e-6);
});

test('withinOneEdit: one insertion, deletion, substitution or neighbour swap', async () => {
  const { withinOneEdit } = await import('./lexical-index.ts');
  for (const [a, b] of [['abc', 'abc'], ['abc', 'abd'], ['abc', 'acb'], ['abc', 'ab'], ['abc', 'abcd'], ['abc', 'xabc'], ['', 'a']]) {
    assert.ok(withinOneEdit(a, b) && withinOneEdit(b, a), `${a} ${b}`);
  }
  for (const [a, b] of [['abc', 'cba'], ['abc', 'a'], ['abcd', 'abdc1'], ['abcd', 'badc'], ['kitten', 'sitting']]) {
    assert.ok(!withinOneEdit(a, b) && !withinOneEdit(b, a), `${a} ${b}`);
  }
});

test('typoCorrections names the indexed words a typo was matched to, for highlighting', () => {
  const index = LexicalIndex.build(docs);
  assert.deepEqual(index.typoCorrections('tokenzier pasta'), ['tokenizer']);
  assert.deepEqual(index.typoCorrections('pasta'), []);
  assert.deepEqual(index.typoCorrections('tokenzier', { fuzzy: false }), []);
  // the last word, when typed as a prefix, is not corrected
  assert.deepEqual(index.typoCorrections('pasta tokenzier', { prefixLastWord: true }), []);
});

test('searchAll: the hits, every document\'s score and the typo corrections of one query from one pass', () => {
  const index = LexicalIndex.build(docs);
  const cases: [string, Parameters<LexicalIndex['search']>[1]][] = [
    ['running shoes', {}], ['tokenzier text', {}], ['boil wat', { prefixLastWord: true }],
    ['runner swim tokens', { allowed: Uint8Array.from([1, 0, 1, 1, 1]) }], ['zzqx', {}],
  ];
  for (const [q, opts] of cases) {
    const r = index.searchAll(q, { ...opts, k: 2 }, true);
    assert.deepEqual(r.typoCorrections, index.typoCorrections(q, opts), q);
    const scores = r.scores!;
    assert.equal(scores.length, docs.length);
    const best = [...scores.keys()].filter((d) => scores[d] > 0).sort((a, b) => scores[b] - scores[a] || a - b).slice(0, 2);
    assert.deepEqual(r.hits.map((h) => h.docIndex), best, `${q}: the hits are the best scores`);
    for (const h of r.hits) assert.ok(Math.abs(h.score - scores[h.docIndex]) <= 1e-6 * h.score, q);
    if (opts?.allowed) assert.equal(scores[1], 0, `${q}: a filtered-out document scores 0`);
    assert.deepEqual(index.searchAll(q, { ...opts, k: 2 }), { ...r, scores: undefined }, `${q}: the same again, scores only when asked`);
  }
  assert.deepEqual(index.searchAll('tokenzier text').typoCorrections, ['tokenizer']);
});

test('feedback: a document in the vocabulary of the best matches is found without the query word', () => {
  const cafe = [
    { title: 'Espresso', text: 'Espresso needs finely ground coffee beans and a good grinder.' },
    { title: 'Espresso machines', text: 'An espresso machine forces water through ground coffee beans.' },
    { title: 'Grinders', text: 'A burr grinder gives ground coffee beans of even size.' },
    { title: 'Tea', text: 'Green tea leaves steep in hot water.' },
  ];
  const index = LexicalIndex.build(cafe);
  const plain = index.search('espresso water', { feedback: false }).map((h) => h.docIndex);
  assert.deepEqual(plain.slice(0, 1), [1]);
  assert.ok(!plain.includes(2));
  const expanded = index.search('espresso water').map((h) => h.docIndex);
  assert.deepEqual(expanded.slice(0, 2), plain.slice(0, 2), 'documents with the query words stay first');
  assert.ok(expanded.includes(2), 'the grinder page shares their vocabulary');
  // filtered-out documents are neither returned nor used as feedback
  const allowed = Uint8Array.from([1, 1, 0, 1]);
  assert.ok(!index.search('espresso water', { allowed }).some((h) => h.docIndex === 2));
});

test('feedback: a query that is exactly the best document\'s title is not expanded', () => {
  const index = LexicalIndex.build(docs);
  assert.deepEqual([...index.scores('Cooking pasta')], [...index.scores('Cooking pasta', { feedback: false })]);
  assert.notDeepEqual([...index.scores('boil water')], [...index.scores('boil water', { feedback: false })]);
});

test('feedback is off by default while the last word is being typed', () => {
  const index = LexicalIndex.build(docs);
  const typing = { prefixLastWord: true };
  assert.deepEqual([...index.scores('boil wat', typing)], [...index.scores('boil wat', { ...typing, feedback: false })]);
  assert.notDeepEqual([...index.scores('boil wat', { ...typing, feedback: true })], [...index.scores('boil wat', typing)]);
});

test('a query that is exactly a title ranks that document first, above sections that repeat its words', () => {
  const page = 'Offline search and caching';
  const sections = [
    { title: 'Searching offline', pageTitle: page, text: 'Searching offline works from the cache. Offline search reads the cached index; caching keeps search offline. Search offline, search cached.' },
    { title: page, pageTitle: page, text: 'How the page stores what it needs.' },
    { title: 'Caching', pageTitle: 'Another page', text: 'Offline search and caching of search results, offline search again.' },
  ];
  const index = LexicalIndex.build(sections);
  assert.equal(titles(index.search('Offline search and caching'), sections)[0], page);
  assert.equal(titles(index.search('caching and search offline'), sections)[0], page, 'word order does not matter');
  // typed as you go: the last word complete is an exact title too; a half-typed one is not boosted
  assert.equal(titles(index.search('offline search and caching', { prefixLastWord: true }), sections)[0], page);
  // a query with one more word than the title is not an exact title match
  assert.notEqual(titles(index.search('offline search caching cached index'), sections)[0], page);
});

test('a query naming a page lands on that page before a same-named section of another page', () => {
  const docs = [
    { title: 'Troubleshooting', pageTitle: 'Offline search', text: 'Troubleshooting offline search: troubleshooting steps, troubleshooting tips.' },
    { title: 'Troubleshooting', pageTitle: 'Troubleshooting', text: 'What to check first when something goes wrong with the build or the page.' },
    { title: 'Build errors', pageTitle: 'Troubleshooting', text: 'Errors of the build, one by one.' },
  ];
  const index = LexicalIndex.build(docs);
  assert.deepEqual(index.search('troubleshooting').map((h) => h.docIndex).slice(0, 2), [1, 0]);
});
