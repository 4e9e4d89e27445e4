import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BM25_STOPWORDS, Bm25Index, bm25Idf, bm25Tokens } from './bm25.ts';
import { GenizaError } from './errors.ts';

// Tokens after the stop list: d0 = cat sat mat (3), d1 = dog chased cat (3), d2 = dog dog dog barked (4).
// N = 3, avgdl = 10/3; df(cat) = df(dog) = 2, every other term df 1.
const CORPUS = ['The cat sat on the mat', 'the dog chased the cat', 'Dog, dog, DOG barked!'];

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);

test('bm25Tokens lowercases, splits on non-alphanumerics and drops stop words, without stemming', () => {
  assert.deepEqual(bm25Tokens("The T-cell's IL-2 responses, in vivo"), ['t', 'cell', 's', 'il', '2', 'responses', 'vivo']);
  assert.deepEqual(bm25Tokens('it is what it is'), ['what']);
  assert.deepEqual(bm25Tokens(''), []);
  assert.ok(BM25_STOPWORDS.has('the') && BM25_STOPWORDS.has('with') && !BM25_STOPWORDS.has('what'));
});

test('scores equal the hand-computed Okapi BM25 values (k1 0.9, b 0.4, Lucene idf)', () => {
  const index = Bm25Index.build(CORPUS);
  assert.equal(index.size, 3);
  close(index.avgdl, 10 / 3);
  // idf(df=2) = ln(1 + 1.5/2.5) = ln 1.6; length-3 doc: k1*(1 - b + b*3/(10/3)) = 0.9*0.96 = 0.864.
  const cat = Math.log(1.6) * (1 * 1.9) / (1 + 0.864);
  const hits = index.search('cat', 10);
  assert.deepEqual(hits.map((h) => h.docIndex), [0, 1]); // equal scores: the lower index first
  close(hits[0].score, cat);
  close(hits[1].score, cat);
  // "dog": d2 has tf 3 and length 4: k1*(0.6 + 0.4*4*3/10) = 0.9*1.08 = 0.972.
  const dog = index.search('dog', 10);
  assert.deepEqual(dog.map((h) => h.docIndex), [2, 1]);
  close(dog[0].score, Math.log(1.6) * (3 * 1.9) / (3 + 0.972));
  close(dog[1].score, Math.log(1.6) * 1.9 / (1 + 0.864));
  // "cat mat": d0 gets both terms; idf(df=1) = ln(1 + 2.5/1.5) = ln(8/3).
  const both = index.search('cat mat', 10);
  assert.deepEqual(both.map((h) => h.docIndex), [0, 1]);
  close(both[0].score, cat + Math.log(8 / 3) * 1.9 / (1 + 0.864));
  close(bm25Idf(3, 1), Math.log(8 / 3));
});

test('a rarer term weighs more than a common one at the same tf and length', () => {
  const index = Bm25Index.build(CORPUS);
  const mat = index.search('mat', 1)[0];
  const cat = index.search('cat', 1)[0];
  assert.equal(mat.docIndex, 0);
  assert.equal(cat.docIndex, 0);
  assert.ok(mat.score > cat.score);
  assert.ok(bm25Idf(100, 1) > bm25Idf(100, 10) && bm25Idf(100, 10) > bm25Idf(100, 100) && bm25Idf(100, 100) > 0);
});

test('k1 controls how much repeated terms count: k1 = 0 ignores tf', () => {
  const ratio = (k1: number) => {
    const [d2, d1] = Bm25Index.build(CORPUS, { k1 }).search('dog', 10);
    assert.deepEqual([d2.docIndex, d1.docIndex], [2, 1]);
    return d2.score / d1.score;
  };
  const flat = Bm25Index.build(CORPUS, { k1: 0 }).search('dog', 10);
  assert.equal(flat[0].score, flat[1].score);
  assert.deepEqual(flat.map((h) => h.docIndex), [1, 2]); // a tie goes to the lower index
  assert.ok(ratio(2) > ratio(0.9) && ratio(0.9) > 1);
});

test('b controls length normalization: b = 0 ignores length, larger b favours short documents more', () => {
  const texts = ['apple pie', 'apple pie crust recipe oven sugar butter flour'];
  const scores = (b: number) => Bm25Index.build(texts, { b }).search('apple', 10);
  const none = scores(0);
  assert.equal(none[0].score, none[1].score);
  const ratio = (b: number) => {
    const [short, long] = scores(b);
    assert.deepEqual([short.docIndex, long.docIndex], [0, 1]);
    return short.score / long.score;
  };
  assert.ok(ratio(1) > ratio(0.4) && ratio(0.4) > 1);
});

test('a repeated query word counts once per occurrence', () => {
  const index = Bm25Index.build(CORPUS);
  close(index.search('dog dog', 1)[0].score, 2 * index.search('dog', 1)[0].score);
});

test('an empty query, a query of stop words or of unknown words returns []', () => {
  const index = Bm25Index.build(CORPUS);
  assert.deepEqual(index.search('', 10), []);
  assert.deepEqual(index.search('  the of and ... ', 10), []);
  assert.deepEqual(index.search('zebra', 10), []);
});

test('empty documents are counted but never returned; an empty corpus searches to []', () => {
  const index = Bm25Index.build(['', 'cat', '   ']);
  assert.equal(index.size, 3);
  close(index.avgdl, 1 / 3);
  assert.deepEqual(index.search('cat', 10).map((h) => h.docIndex), [1]);
  assert.deepEqual(Bm25Index.build([]).search('cat', 10), []);
});

test('k limits the results; bad k, k1 or b is a BAD_OPTION error', () => {
  const index = Bm25Index.build(CORPUS);
  // d1 has both words (2 x 1.9/1.864 x ln 1.6), beating d2's three dogs (5.7/3.972 x ln 1.6).
  assert.deepEqual(index.search('cat dog', 1).map((h) => h.docIndex), [1]);
  assert.deepEqual(index.search('cat dog', 2).map((h) => h.docIndex), [1, 2]);
  assert.throws(() => index.search('cat', 0), (e: unknown) => e instanceof GenizaError && e.code === 'BAD_OPTION' && /k must be/.test(e.message));
  assert.throws(() => Bm25Index.build(CORPUS, { b: 1.5 }), /b must be between 0 and 1 \(got 1.5\)/);
  assert.throws(() => Bm25Index.build(CORPUS, { k1: -1 }), /k1 must be >= 0/);
});

test('a custom tokenizer is used for documents and queries', () => {
  const index = Bm25Index.build(['the the', 'of'], { tokenize: (t) => t.split(/\s+/).filter(Boolean) });
  assert.deepEqual(index.search('the', 10).map((h) => h.docIndex), [0]);
});

/** Deterministic pseudo-random corpus over a small vocabulary (so terms repeat and scores tie). */
function randomCorpus(n: number, seed: number): string[] {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const vocab = Array.from({ length: 40 }, (_, i) => `w${i}`);
  return Array.from({ length: n }, () => Array.from({ length: 1 + Math.floor(rnd() * 30) }, () => vocab[Math.floor(rnd() ** 2 * vocab.length)]).join(' '));
}

test('the inverted index ranks exactly like a direct evaluation of the formula, deterministically', () => {
  const texts = randomCorpus(300, 7);
  const index = Bm25Index.build(texts);
  const docs = texts.map(bm25Tokens);
  const avgdl = docs.reduce((s, d) => s + d.length, 0) / docs.length;
  const df = (t: string) => docs.filter((d) => d.includes(t)).length;
  for (const query of ['w0', 'w3 w17', 'w1 w1 w39 w25', 'w38 nothing']) {
    const qt = bm25Tokens(query);
    const expected = docs
      .map((d, i) => {
        let score = 0;
        for (const t of qt) {
          const tf = d.filter((w) => w === t).length;
          if (tf > 0) score += (bm25Idf(docs.length, df(t)) * tf * 1.9) / (tf + 0.9 * (0.6 + (0.4 * d.length) / avgdl));
        }
        return { docIndex: i, score };
      })
      .filter((h) => h.score > 0)
      .sort((a, b) => b.score - a.score || a.docIndex - b.docIndex)
      .slice(0, 25);
    const got = index.search(query, 25);
    assert.equal(got.length, expected.length, query);
    got.forEach((h, r) => close(h.score, expected[r].score));
    // Same order up to floating-point ties, and the same answer every time (also from a rebuilt index).
    assert.deepEqual(index.search(query, 25), got);
    assert.deepEqual(Bm25Index.build(texts).search(query, 25), got);
  }
});
