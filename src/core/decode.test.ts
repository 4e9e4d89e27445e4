import { test } from 'node:test';
import assert from 'node:assert/strict';
import { beamSearch, bestFirstTopK, trieConstraint, type DecodeStats, type Decoded, type StepFn } from './decode.ts';
import { DocidTrie, docidToTokens } from './trie.ts';
import { isGenizaError } from './errors.ts';
import { Rng } from './seeded-random.ts';

/** Seeded PRNG so failures reproduce. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

/** A random docid tree (1..K children per node, variable depth), as semantic docid tokens. */
function randomTrie(r: () => number, K: number, maxDepth: number): DocidTrie {
  const docids: number[][] = [];
  const grow = (path: number[]) => {
    const kids = 1 + Math.floor(r() * K);
    for (let c = 0; c < kids; c++) {
      const p = [...path, c];
      if (p.length < maxDepth && r() < 0.5) grow(p);
      else docids.push(docidToTokens(p, K));
    }
  };
  grow([]);
  return DocidTrie.fromDocids(docids);
}

/**
 * A "model" as a table: for each prefix a fixed random log-softmax row over the vocabulary (the same prefix
 * always gets the same row). `sharpness` spreads the logits. Records every call.
 */
function tableModel(r: () => number, vocab: number, sharpness = 3) {
  const rows = new Map<string, Float32Array>();
  const calls: number[][][] = [];
  const row = (prefix: readonly number[]): Float32Array => {
    const key = prefix.join(',');
    let lp = rows.get(key);
    if (lp === undefined) {
      const logits = Array.from({ length: vocab }, () => (r() * 2 - 1) * sharpness);
      const max = Math.max(...logits);
      const lse = max + Math.log(logits.reduce((a, x) => a + Math.exp(x - max), 0));
      lp = Float32Array.from(logits, (x) => x - lse);
      rows.set(key, lp);
    }
    return lp;
  };
  const step: StepFn = async (prefixes) => {
    calls.push(prefixes.map((p) => [...p]));
    return prefixes.map((p) => row(p).slice());
  };
  return { step, row, calls };
}

/** The oracle: score every docid in the trie (sum of its tokens' log-probs), best first. */
function exhaustive(trie: DocidTrie, row: (p: readonly number[]) => Float32Array): Decoded[] {
  const out: Decoded[] = [];
  for (const { docid, docIndex } of trie.docids()) {
    let score = 0;
    for (let l = 0; l < docid.length; l++) score += row(docid.slice(0, l))[docid[l]];
    out.push({ docIndex, tokens: docid, score });
  }
  return out.sort((a, b) => b.score - a.score);
}

function assertSameRanking(actual: Decoded[], expected: Decoded[], what: string): void {
  assert.deepEqual(actual.map((d) => d.docIndex), expected.map((d) => d.docIndex), what);
  actual.forEach((d, i) => assert.ok(Math.abs(d.score - expected[i].score) < 1e-9, `${what}: score ${d.score} vs ${expected[i].score}`));
}

test('trieConstraint sets every token that leaves the trie to -Infinity (six-token vocabulary)', () => {
  const trie = DocidTrie.fromDocids([[1, 3], [1, 4], [2, 5]]);
  const constrain = trieConstraint(trie);
  const lp = Float32Array.from([-1, -2, -3, -4, -5, -6]);
  constrain([], lp);
  assert.deepEqual(Array.from(lp), [-Infinity, -2, -3, -Infinity, -Infinity, -Infinity]);
  const lp2 = Float32Array.from([-1, -2, -3, -4, -5, -6]);
  constrain([1], lp2);
  assert.deepEqual(Array.from(lp2), [-Infinity, -Infinity, -Infinity, -4, -5, -Infinity]);
  const lp3 = Float32Array.from([-1, -2, -3, -4, -5, -6]);
  constrain([1, 3], lp3); // complete docid: nothing may follow
  assert.ok(lp3.every((v) => v === -Infinity));
});

test('beam search as wide as the trie equals exhaustive search (random tries and log-prob tables)', async () => {
  const r = rng(1);
  for (let c = 0; c < 150; c++) {
    const K = 2 + Math.floor(r() * 4);
    const depth = 1 + Math.floor(r() * 4);
    const trie = randomTrie(r, K, depth);
    const model = tableModel(r, 1 + K * depth, 1 + r() * 4);
    const truth = exhaustive(trie, model.row);
    const topK = 1 + Math.floor(r() * trie.size);
    const got = await beamSearch(model.step, trie, { beams: trie.size, topK });
    assertSameRanking(got, truth.slice(0, topK), `case ${c}`);
  }
});

test('bestFirstTopK always equals exhaustive top-k, whatever the batch size', async () => {
  const r = rng(2);
  for (let c = 0; c < 200; c++) {
    const K = 2 + Math.floor(r() * 5);
    const depth = 1 + Math.floor(r() * 4);
    const trie = randomTrie(r, K, depth);
    const model = tableModel(r, 1 + K * depth, 1 + r() * 4);
    const truth = exhaustive(trie, model.row);
    const topK = 1 + Math.floor(r() * Math.min(12, trie.size + 2));
    const batchSize = 1 + Math.floor(r() * 8);
    const stats = {} as DecodeStats;
    const got = await bestFirstTopK(model.step, trie, { topK, batchSize, maxExpansions: 100_000, stats });
    assertSameRanking(got, truth.slice(0, topK), `case ${c} (topK ${topK}, batch ${batchSize})`);
    assert.equal(stats.exact, true);
  }
});

test('every beam result is a complete docid of the trie, never a prefix, and scores are sorted', async () => {
  const r = rng(3);
  for (let c = 0; c < 100; c++) {
    const trie = randomTrie(r, 4, 4);
    const model = tableModel(r, 1 + 4 * 4);
    const beams = 1 + Math.floor(r() * 4);
    const got = await beamSearch(model.step, trie, { beams });
    assert.ok(got.length >= 1 && got.length <= beams);
    const seen = new Set<number>();
    for (let i = 0; i < got.length; i++) {
      const d = got[i];
      assert.equal(trie.docAt(d.tokens), d.docIndex, 'result is a complete docid');
      assert.ok(d.docIndex >= 0);
      assert.equal(trie.next(d.tokens).length, 0, 'nothing continues a result');
      assert.ok(!seen.has(d.docIndex), 'no duplicates');
      seen.add(d.docIndex);
      if (i > 0) assert.ok(got[i - 1].score >= d.score, 'sorted');
    }
  }
});

test('beam search calls step once per position with all live prefixes (batched)', async () => {
  const r = rng(4);
  const trie = randomTrie(r, 5, 4);
  const model = tableModel(r, 1 + 5 * 4);
  await beamSearch(model.step, trie, { beams: 3 });
  assert.ok(model.calls.length <= trie.maxLength);
  assert.deepEqual(model.calls[0], [[]]);
  model.calls.forEach((prefixes, t) => {
    assert.ok(prefixes.length <= 3);
    for (const p of prefixes) {
      assert.equal(p.length, t, 'call t holds prefixes of length t');
      assert.ok(trie.has(p) && trie.docAt(p) < 0, 'live prefixes are unfinished trie paths');
    }
  });
});

/**
 * Why bestFirstTopK exists: the best docid can hide behind a weaker first token. Here the first token
 * prefers 1 (0.6) over 2 (0.4), but document [1, *] spreads its 0.6 over five leaves (0.12 each), while
 * document [2, 40] takes all of 0.4. A one-beam search commits to 1 and never sees [2, 40].
 */
test('a narrow beam can miss the best docid; best-first finds it', async () => {
  const docids = [[1, 33], [1, 34], [1, 35], [1, 36], [1, 37], [2, 40]];
  const trie = DocidTrie.fromDocids(docids);
  const V = 41;
  const row = (probs: Record<number, number>) => {
    const lp = new Float32Array(V).fill(Math.log(1e-9));
    for (const [t, p] of Object.entries(probs)) lp[Number(t)] = Math.log(p);
    return lp;
  };
  const step: StepFn = async (prefixes) => prefixes.map((p) => {
    if (p.length === 0) return row({ 1: 0.6, 2: 0.4 });
    if (p[0] === 1) return row({ 33: 0.2, 34: 0.2, 35: 0.2, 36: 0.2, 37: 0.2 });
    return row({ 40: 1 });
  });
  const narrow = await beamSearch(step, trie, { beams: 1 });
  assert.notEqual(narrow[0].docIndex, 5);
  assert.ok(Math.abs(Math.exp(narrow[0].score) - 0.12) < 1e-6);
  const exact = await bestFirstTopK(step, trie, { topK: 1 });
  assert.equal(exact[0].docIndex, 5);
  assert.ok(Math.abs(Math.exp(exact[0].score) - 0.4) < 1e-6);
  const wide = await beamSearch(step, trie, { beams: 2, topK: 1 });
  assert.equal(wide[0].docIndex, 5);
});

test('bestFirstTopK stops at maxExpansions and says the result is no longer exact', async () => {
  const r = rng(5);
  const trie = randomTrie(r, 6, 4);
  const model = tableModel(r, 1 + 6 * 4, 0.5); // flat: best-first must expand a lot
  const stats = {} as DecodeStats;
  const got = await bestFirstTopK(model.step, trie, { topK: 5, maxExpansions: 3, batchSize: 1, stats });
  assert.equal(stats.exact, false);
  assert.ok(stats.expansions <= 3);
  for (const d of got) assert.equal(trie.docAt(d.tokens), d.docIndex);
});

test('a restricted trie only yields documents that pass the filter', async () => {
  const r = rng(6);
  const trie = randomTrie(r, 4, 3);
  const model = tableModel(r, 1 + 4 * 3);
  const even = trie.restrict((i) => i % 2 === 0);
  for (const got of [await beamSearch(model.step, even, { beams: 5 }), await bestFirstTopK(model.step, even, { topK: 5 })]) {
    assert.ok(got.length > 0);
    for (const d of got) assert.equal(d.docIndex % 2, 0);
  }
});

test('an empty trie gives no results without calling the model', async () => {
  const trie = DocidTrie.fromDocids([]);
  const step: StepFn = async () => assert.fail('step called');
  assert.deepEqual(await beamSearch(step, trie), []);
  assert.deepEqual(await bestFirstTopK(step, trie), []);
});

test('bad options and malformed model output are refused with clear errors', async () => {
  const trie = DocidTrie.fromDocids([[1, 3], [2, 4]]);
  const model = tableModel(rng(7), 5);
  const badOption = (msg: string) => (e: unknown) => isGenizaError(e) && e.code === 'BAD_OPTION' && e.message === msg;
  await assert.rejects(beamSearch(model.step, trie, { beams: 0 }), badOption('search: beams must be >= 1 (got 0)'));
  await assert.rejects(beamSearch(model.step, trie, { beams: 2, topK: 1.5 }), badOption('search: topK must be >= 1 (got 1.5)'));
  await assert.rejects(bestFirstTopK(model.step, trie, { topK: -1 }), badOption('search: topK must be >= 1 (got -1)'));
  await assert.rejects(bestFirstTopK(model.step, trie, { maxExpansions: 0 }), badOption('search: maxExpansions must be >= 1 (got 0)'));
  const model_ = (e: unknown) => isGenizaError(e) && e.code === 'MODEL';
  await assert.rejects(beamSearch(async () => [], trie), model_);
  await assert.rejects(beamSearch(async (p) => p.map(() => new Float32Array(3)), trie), /model and trie do not match/);
});
