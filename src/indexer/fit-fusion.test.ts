// Held-out pseudo-queries of the fit stage: query-like kinds, never a training query, reproducible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceDoc } from '../core/types.ts';
import { chooseRanking, clozeQueries, describeRanking, heldOutQueries, type ScoredPoint } from './fit-fusion.ts';
import { wordSpans } from '../core/text.ts';
import { makeTrainingPairs } from './pseudo-queries.ts';

const docs: SourceDoc[] = Array.from({ length: 40 }, (_, i) => ({
  id: `d${i}`,
  title: `Topic number ${i} of the handbook`,
  headings: [`Setting up part ${i}`, `Troubleshooting part ${i}`],
  text: `Paragraph ${i} explains the widget ${i} in detail. It covers installation, configuration and upgrades of widget ${i}. `
    + `Users of widget ${i} often ask how to reset it. The answer depends on the version of widget ${i} they run.`,
}));

test('one held-out query per sampled document, of a query-like kind, none equal to a training query', () => {
  const training = new Set(makeTrainingPairs(docs, { seed: 42 }).map((p) => p.text));
  const held = heldOutQueries(docs, { count: 25, exclude: training });
  assert.ok(held.length >= 20 && held.length <= 25, `${held.length} queries`);
  assert.equal(new Set(held.map((q) => q.docIndex)).size, held.length, 'one per document');
  for (const q of held) {
    assert.ok(['keywords', 'heading', 'title-part', 'sentence', 'span'].includes(q.kind), q.kind);
    assert.ok(!training.has(q.text), `held-out query is a training query: ${q.text}`);
    assert.ok(q.docIndex >= 0 && q.docIndex < docs.length);
  }
  assert.deepEqual(heldOutQueries(docs, { count: 25, exclude: training }), held, 'same seed, same queries');
  assert.notDeepEqual(heldOutQueries(docs, { count: 25, exclude: training, seed: 1 }), held, 'another seed, other queries');
});

test('the build summary line says when the model got no weight', () => {
  const heldOut = { queries: 300, seed: 7919, seconds: 12, mrr: { lexical: 0.95, generative: 0.2, hybrid: 0.95 } };
  assert.match(describeRanking({ fusion: 'linear', generativeWeight: 0, lexicalPrior: 0, heldOut }), /generative weight 0 \(hybrid = lexical\).*lexical 0\.950, generative 0\.200, hybrid 0\.950/);
  assert.match(describeRanking({ fusion: 'rrf', generativeWeight: 0.2, lexicalPrior: 0.5 }), /^rrf, generative weight 0\.2, lexical prior 0\.5$/);
});

const longDocs: SourceDoc[] = Array.from({ length: 30 }, (_, i) => ({
  id: `L${i}`,
  title: `Long topic ${i}`,
  text: i % 3 === 0
    ? `short text ${i} without enough words to give one`
    : i % 3 === 1
      ? Array.from({ length: 8 }, (_, s) => `Sentence ${s} of document ${i} talks about the valve number ${i * 10 + s} and its seal.`).join(' ')
      : Array.from({ length: 60 }, (_, w) => `word${i}x${w}`).join(' '), // no sentence breaks (a preprocessed corpus)
}));

test('cloze queries: a sentence or window taken out of the documents the model learns from, reproducibly', () => {
  const before = JSON.stringify(longDocs);
  const { learnDocs, queries, removed } = clozeQueries(longDocs, { count: 12 });
  assert.equal(JSON.stringify(longDocs), before, 'the input documents are not modified');
  assert.equal(queries.length, 12);
  assert.equal(learnDocs.length, longDocs.length);
  assert.equal(new Set(queries.map((q) => q.docIndex)).size, queries.length, 'one per document');
  const touched = new Set(queries.map((q) => q.docIndex));
  const lengths = new Set<number>();
  for (const [k, q] of queries.entries()) {
    const full = longDocs[q.docIndex].text;
    const left = learnDocs[q.docIndex].text;
    const gone = removed[k];
    assert.equal(q.kind, 'cloze');
    assert.notEqual(q.docIndex % 3, 0, 'short documents give no sentence');
    assert.ok(full.includes(gone), `the removed text comes from the document: ${gone}`);
    assert.ok(!left.includes(gone), `the learnt text no longer holds it: ${gone}`);
    assert.equal(wordSpans(left).length, wordSpans(full).length - wordSpans(gone).length, 'only that text is removed');
    const removedWords = wordSpans(gone).map((w) => w.norm);
    if (q.docIndex % 3 === 2) assert.equal(removedWords.length, 12, 'a 12-word window where the text has no sentence breaks');
    // The query: 2 to 5 of the removed words, in their order, the most specific ones (a sentence's own valve
    // number, not "the", "of" or "document", which every document of its kind has).
    const qw = wordSpans(q.text).map((w) => w.norm);
    assert.ok(qw.length >= 2 && qw.length <= 5, q.text);
    lengths.add(qw.length);
    let at = 0;
    for (const w of qw) { at = removedWords.indexOf(w, at); assert.ok(at >= 0, `${w} in order in ${gone}`); at++; }
    if (q.docIndex % 3 === 1) assert.ok(qw.some((w) => /^\d+$/.test(w) && Number(w) >= 10), `the sentence's own number is kept: ${q.text}`);
    for (const common of ['the', 'of', 'document', 'talks', 'about', 'and', 'its', 'seal']) assert.ok(!qw.includes(common) || qw.length > 4, `${common} in ${q.text}`);
  }
  assert.ok(lengths.size >= 2, 'query lengths vary');
  longDocs.forEach((d, i) => { if (!touched.has(i)) assert.equal(learnDocs[i], d, 'other documents are the same objects'); });
  assert.deepEqual(clozeQueries(longDocs, { count: 12 }), { learnDocs, queries, removed }, 'same seed, same split');
  assert.notDeepEqual(clozeQueries(longDocs, { count: 12, seed: 1 }).queries, queries, 'another seed, another split');
  assert.equal(clozeQueries(longDocs, { count: 100 }).queries.length, 20, 'at most one per long document');
});

test('the build summary line names removed sentences as the held-out queries', () => {
  const heldOut = { queries: 1000, seed: 7919, seconds: 30, kind: 'cloze' as const, mrr: { lexical: 0.65, generative: 0.58, hybrid: 0.67 } };
  assert.match(describeRanking({ fusion: 'rrf', generativeWeight: 0.5, lexicalPrior: 2, heldOut }), /\(1000 removed sentences\) lexical 0\.650, generative 0\.580, hybrid 0\.670/);
});

// chooseRanking: reciprocal ranks of 200 held-out queries per grid point.
const lexRR = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 1 : 0.25));
const point = (fusion: 'linear' | 'rrf', generativeWeight: number, lexicalPrior: number, rr: number[]): ScoredPoint =>
  ({ params: { fusion, generativeWeight, lexicalPrior }, rr });
/** lexRR with the first `better` queries raised to rank 1 and the next `worse` lowered to rank 10. */
const shifted = (better: number, worse = 0): number[] =>
  lexRR.map((r, i) => (i < better ? 1 : i < better + worse ? 0.1 : r));

test('chooseRanking: a fusion that gains clearly over every rival is chosen', () => {
  const points = [point('linear', 0.2, 0, shifted(10)), point('rrf', 0.6, 2, shifted(60)), point('linear', 0.8, 0, shifted(20))];
  assert.deepEqual(chooseRanking(points, lexRR).ranking, { fusion: 'rrf', generativeWeight: 0.6, lexicalPrior: 2 });
});

test('chooseRanking: the first of equal best points is chosen, and the lexical point of the grid can win', () => {
  const points = [point('linear', 0.1, 0, shifted(40)), point('rrf', 0.6, 2, shifted(40))];
  const { ranking, rr } = chooseRanking(points, lexRR);
  assert.deepEqual(ranking, { fusion: 'linear', generativeWeight: 0.1, lexicalPrior: 0 });
  assert.deepEqual(rr, shifted(40));
  // The grid's weight-0 point scores like the lexical ranking; a fusion that loses beside it is not chosen.
  const worse = lexRR.map((r, i) => (i % 2 === 0 && i < 40 ? 0.5 : r));
  assert.deepEqual(chooseRanking([point('linear', 0, 0, lexRR), point('linear', 0.2, 0, worse)], lexRR).ranking,
    { fusion: 'linear', generativeWeight: 0, lexicalPrior: 0 });
});

test('chooseRanking: the generative side gets no weight unless it gains MIN_GAIN and wins more queries than it loses', () => {
  const lexical = { fusion: 'linear', generativeWeight: 0, lexicalPrior: 0 };
  // +1 query to rank 1 (MRR +0.0019): too small.
  assert.deepEqual(chooseRanking([point('linear', 0.3, 0, shifted(1))], lexRR).ranking, lexical);
  // Higher MRR but more queries lost than won.
  const mixed = lexRR.map((r, i) => (i < 30 && i % 2 === 1 ? 1 : i >= 30 && i < 80 && i % 2 === 0 ? 0.9 : r));
  assert.deepEqual(chooseRanking([point('rrf', 0.5, 0, mixed)], lexRR).ranking, lexical);
  // The best point at weight 0 is the lexical ranking, and so is an empty grid.
  assert.deepEqual(chooseRanking([point('linear', 0, 0, shifted(50))], lexRR).ranking, lexical);
  assert.deepEqual(chooseRanking([], lexRR), { ranking: lexical, rr: lexRR });
});
