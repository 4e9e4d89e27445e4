// Decoding restricted to some documents (filters) and guided by a prior over documents (lexical-guided decoding).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { beamSearch, bestFirstTopK, priorProcessor, restrictConstraint, type StepFn } from './decode.ts';
import { DocidTrie, docidToTokens } from './trie.ts';
import { Rng } from './seeded-random.ts';

/** 64 documents in a 4 x 4 x 4 tree; a "model" with a fixed random log-softmax row per prefix. */
function setup(seed: number) {
  const K = 4;
  const docids: number[][] = [];
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) for (let c = 0; c < K; c++) docids.push(docidToTokens([a, b, c], K));
  const trie = DocidTrie.fromDocids(docids);
  const r = new Rng(seed);
  const vocab = 1 + K * 3;
  const rows = new Map<string, Float32Array>();
  const row = (p: readonly number[]) => {
    const key = p.join(',');
    let lp = rows.get(key);
    if (!lp) {
      const logits = Array.from({ length: vocab }, () => (r.next() * 2 - 1) * 3);
      const lse = Math.log(logits.reduce((s, x) => s + Math.exp(x), 0));
      lp = Float32Array.from(logits, (x) => x - lse);
      rows.set(key, lp);
    }
    return lp;
  };
  const step: StepFn = async (prefixes) => prefixes.map((p) => row(p).slice());
  const modelScore = (doc: number) => docids[doc].reduce((s, t, l) => s + row(docids[doc].slice(0, l))[t], 0);
  return { trie, step, modelScore, n: docids.length };
}

test('subtreeSums counts the allowed documents under every prefix', () => {
  const { trie } = setup(1);
  const mask = new Uint8Array(64);
  mask[0] = 1; mask[5] = 1; mask[63] = 1;
  const under = trie.subtreeSums(mask);
  assert.equal(under[0], 3);
  assert.equal(under[trie.nodeOf(docidToTokens([0], 4))], 2); // documents 0 and 5 share the first cluster
  assert.equal(under[trie.nodeOf(docidToTokens([3, 3], 4))], 1);
  assert.equal(under[trie.nodeOf(docidToTokens([2], 4))], 0);
});

test('restricted decoding writes only allowed docids, and finds the best allowed ones', async () => {
  for (const seed of [1, 2, 3]) {
    const { trie, step, modelScore, n } = setup(seed);
    const r = new Rng(seed * 7);
    const mask = new Uint8Array(n);
    for (let d = 0; d < n; d++) mask[d] = r.next() < 0.15 ? 1 : 0;
    mask[17] = 1;
    const allowed = [...mask.keys()].filter((d) => mask[d]);
    const processors = [restrictConstraint(trie, trie.subtreeSums(mask))];
    const expected = allowed.sort((a, b) => modelScore(b) - modelScore(a)).slice(0, 3);
    const exact = await bestFirstTopK(step, trie, { topK: 3, processors });
    assert.deepEqual(exact.map((d) => d.docIndex), expected, `seed ${seed}`);
    const wide = await beamSearch(step, trie, { beams: n, topK: n, processors });
    assert.deepEqual(wide.map((d) => d.docIndex).sort((a, b) => a - b), allowed.sort((a, b) => a - b), 'every allowed document, nothing else');
    const narrow = await beamSearch(step, trie, { beams: 2, topK: 2, processors });
    for (const d of narrow) assert.equal(mask[d.docIndex], 1);
  }
});

test('a prior adds weight * log P_prior(doc) to each docid, so a strong prior decides the top', async () => {
  const { trie, step, modelScore, n } = setup(4);
  const mass = new Float64Array(n).fill(0.01);
  mass[42] = 5;
  const under = trie.subtreeSums(mass);
  const total = under[0];
  for (const weight of [0.5, 2]) {
    const all = await bestFirstTopK(step, trie, { topK: n, maxExpansions: 10_000, processors: [priorProcessor(trie, under, weight)] });
    for (const d of all) assert.ok(Math.abs(d.score - (modelScore(d.docIndex) + weight * Math.log(mass[d.docIndex] / total))) < 1e-4);
  }
  const guided = await beamSearch(step, trie, { beams: 2, topK: 1, processors: [priorProcessor(trie, under, 5)] });
  assert.equal(guided[0].docIndex, 42);
  const plain = await beamSearch(step, trie, { beams: 2, topK: 1, processors: [priorProcessor(trie, under, 0)] });
  assert.equal(plain[0].docIndex, (await beamSearch(step, trie, { beams: 2, topK: 1 }))[0].docIndex, 'weight 0 changes nothing');
});
