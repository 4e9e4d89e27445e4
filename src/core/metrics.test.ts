import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateRun, mean, mrrAtK, ndcgAtK, parseQrels, recallAtK } from './metrics.ts';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

test('nDCG@k with graded relevance, computed by hand', () => {
  const qrels = new Map([['a', 3], ['b', 2], ['c', 1], ['z', 0]]);
  // ranking: b (2), x (0), a (3); ideal: a, b, c
  const dcg = 2 / Math.log2(2) + 0 + 3 / Math.log2(4);
  const idcg = 3 / Math.log2(2) + 2 / Math.log2(3) + 1 / Math.log2(4);
  close(ndcgAtK(['b', 'x', 'a'], qrels, 10), dcg / idcg);
  close(ndcgAtK(['a', 'b', 'c'], qrels, 10), 1);
  // cut at k = 2: ideal is a, b only
  close(ndcgAtK(['b', 'x', 'a'], qrels, 2), 2 / (3 + 2 / Math.log2(3)));
  // a judged-irrelevant (0) document gains nothing
  close(ndcgAtK(['z'], qrels, 10), 0);
});

test('nothing relevant retrieved, or nothing relevant at all, gives 0', () => {
  const qrels = new Map([['a', 1]]);
  assert.equal(ndcgAtK(['x', 'y'], qrels, 10), 0);
  assert.equal(mrrAtK(['x', 'y'], qrels, 10), 0);
  assert.equal(recallAtK(['x', 'y'], qrels, 10), 0);
  assert.equal(ndcgAtK([], qrels, 10), 0);
  assert.equal(ndcgAtK(['a'], new Map(), 10), 0);
  assert.equal(recallAtK(['a'], new Map([['a', 0]]), 10), 0);
});

test('MRR@k is the reciprocal rank of the first relevant document within k', () => {
  const qrels = new Map([['a', 1], ['b', 2]]);
  assert.equal(mrrAtK(['x', 'y', 'b', 'a'], qrels, 10), 1 / 3);
  assert.equal(mrrAtK(['a'], qrels, 1), 1);
  assert.equal(mrrAtK(['x', 'y', 'b'], qrels, 2), 0);
});

test('Recall@k counts relevant (grade > 0) documents found in the top k', () => {
  const qrels = new Map([['a', 1], ['b', 2], ['c', 1], ['d', 0]]);
  assert.equal(recallAtK(['a', 'd', 'x', 'c'], qrels, 10), 2 / 3);
  assert.equal(recallAtK(['a', 'd', 'x', 'c'], qrels, 3), 1 / 3);
});

test('a document listed twice counts once', () => {
  const qrels = new Map([['a', 1], ['b', 1]]);
  assert.equal(recallAtK(['a', 'a', 'a'], qrels, 10), 0.5);
  assert.ok(ndcgAtK(['a', 'a', 'a'], qrels, 10) < 1);
  close(ndcgAtK(['a', 'a', 'b'], qrels, 10), ndcgAtK(['a', 'b'], qrels, 10));
});

test('bad k is refused', () => {
  assert.throws(() => ndcgAtK([], new Map(), 0), /ndcg: k must be an integer >= 1 \(got 0\)/);
});

test('evaluateRun averages over all judged queries; missing queries count as 0', () => {
  const qrels = parseQrels('q1\td1\t1\nq1\td2\t2\nq2\td9\t1\n');
  assert.deepEqual([...qrels.keys()], ['q1', 'q2']);
  assert.equal(qrels.get('q1')!.get('d2'), 2);
  const run = new Map([['q1', ['d2', 'd1']]]);
  const m = evaluateRun(run, qrels, { k: 10, recallK: 100 });
  assert.equal(m.queries, 2);
  close(m.ndcg, 0.5);
  close(m.mrr, 0.5);
  close(m.recall, 0.5);
  assert.equal(mean([]), 0);
});

test('parseQrels reads BEIR and TREC forms and rejects malformed lines', () => {
  const q = parseQrels('query-id\tcorpus-id\tscore\nq1\td1\t1\nq2 0 d5 3\n\n');
  assert.equal(q.get('q1')!.get('d1'), 1);
  assert.equal(q.get('q2')!.get('d5'), 3);
  assert.throws(() => parseQrels('q1 d1\n'), /qrels line 1: expected/);
  assert.throws(() => parseQrels('q1 d1 high\n'), /qrels line 1: grade must be a number \(got "high"\)/);
});
