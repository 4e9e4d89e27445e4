import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../core/seeded-random.ts';
import type { SourceDoc } from '../core/types.ts';
import { assignDocids, atomicDocids, docidPathsFromVectors } from './docids.ts';

const TOPICS: Record<string, string[]> = {
  cooking: ['recipe', 'oven', 'flour', 'butter', 'simmer', 'garlic', 'onion', 'bake', 'sauce', 'pepper'],
  astronomy: ['telescope', 'galaxy', 'orbit', 'nebula', 'planet', 'comet', 'stellar', 'eclipse', 'lunar', 'quasar'],
  sailing: ['boat', 'sail', 'harbor', 'wind', 'anchor', 'keel', 'mast', 'tide', 'knot', 'rudder'],
  finance: ['budget', 'interest', 'loan', 'invest', 'stock', 'bond', 'savings', 'tax', 'credit', 'dividend'],
};

function corpus(n: number, seed = 1): { docs: SourceDoc[]; topic: string[] } {
  const rng = seededRandom(seed);
  const names = Object.keys(TOPICS);
  const docs: SourceDoc[] = [];
  const topic: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = names[i % names.length];
    const w = TOPICS[t];
    const text = Array.from({ length: 30 }, () => w[rng.int(w.length)]).join(' ');
    docs.push({ id: `d${i}`, title: `${t} ${i}`, text });
    topic.push(t);
  }
  return { docs, topic };
}

function checkValid(paths: number[][], K: number): void {
  const seen = new Set<string>();
  for (const p of paths) {
    assert.ok(p.length >= 1);
    for (const c of p) assert.ok(Number.isInteger(c) && c >= 0 && c < K, `value ${c} outside 0..${K - 1}`);
    seen.add(p.join(','));
  }
  assert.equal(seen.size, paths.length, 'docids are unique');
  // Prefix-free: no docid is a proper prefix of another.
  for (const p of paths) {
    for (let l = 1; l < p.length; l++) assert.ok(!seen.has(p.slice(0, l).join(',')), `docid ${p} extends another docid`);
  }
}

test('docids are unique, prefix-free, within the branching factor, and tokens follow 1 + l*K + c', () => {
  const { docs } = corpus(300);
  for (const K of [4, 8, 32]) {
    const a = assignDocids(docs, { branching: K });
    assert.equal(a.branching, K);
    assert.equal(a.paths.length, docs.length);
    checkValid(a.paths, K);
    assert.equal(a.maxLength, Math.max(...a.paths.map((p) => p.length)));
    a.paths.forEach((p, i) => assert.deepEqual(a.tokens[i], p.map((c, l) => 1 + l * K + c)));
    if (K === 4) assert.ok(a.maxLength >= 4, 'a small K gives a deeper tree');
  }
});

test('docids are deterministic for a seed', () => {
  const { docs } = corpus(200);
  assert.deepEqual(assignDocids(docs, { branching: 8, seed: 3 }).paths, assignDocids(docs, { branching: 8, seed: 3 }).paths);
});

test('docids are semantic: documents of one topic share their first docid token', () => {
  const { docs, topic } = corpus(200);
  const a = assignDocids(docs, { branching: 4 });
  // Each first-level cluster should be (almost) pure in topic.
  const byCluster = new Map<number, Map<string, number>>();
  a.paths.forEach((p, i) => {
    const m = byCluster.get(p[0]) ?? new Map<string, number>();
    m.set(topic[i], (m.get(topic[i]) ?? 0) + 1);
    byCluster.set(p[0], m);
  });
  let majority = 0;
  for (const m of byCluster.values()) majority += Math.max(...m.values());
  assert.ok(majority / docs.length >= 0.95, `topic purity of the first level is ${majority / docs.length}`);
});

test('a small corpus gets one-token docids; identical documents still get distinct docids', () => {
  const few = corpus(5).docs;
  const a = assignDocids(few, { branching: 32 });
  assert.deepEqual(a.paths, [[0], [1], [2], [3], [4]]);
  const same: SourceDoc[] = Array.from({ length: 100 }, (_, i) => ({ id: `s${i}`, title: 'Same', text: 'identical text' }));
  const b = assignDocids(same, { branching: 8 });
  checkValid(b.paths, 8);
});

test('degenerate vectors (all identical) are split evenly instead of recursing forever', () => {
  const n = 1000;
  const data = new Float32Array(n * 4).fill(0.5);
  const paths = docidPathsFromVectors(data, n, 4, { branching: 10 });
  checkValid(paths, 10);
  assert.ok(Math.max(...paths.map((p) => p.length)) <= 3, 'balanced depth: 1000 docs, K=10 -> 3 levels');
});

test('docids for 5,000 documents take seconds, not minutes', () => {
  const rng = seededRandom(9);
  const vocab = Array.from({ length: 3000 }, (_, i) => `w${i}`);
  const docs: SourceDoc[] = Array.from({ length: 5000 }, (_, i) => {
    const base = (i % 50) * 60;
    return { id: `d${i}`, title: `doc ${i}`, text: Array.from({ length: 80 }, () => vocab[(base + rng.int(120)) % vocab.length]).join(' ') };
  });
  const t0 = performance.now();
  const a = assignDocids(docs);
  const sec = (performance.now() - t0) / 1000;
  checkValid(a.paths, 32);
  assert.ok(sec < 30, `took ${sec.toFixed(1)} s`);
});

test('atomic docids: one token per document, distinct, and a one-level trie of every document', () => {
  const a = atomicDocids(5);
  assert.equal(a.maxLength, 1);
  assert.equal(a.branching, 5);
  assert.deepEqual(a.tokens, [[1], [2], [3], [4], [5]]);
  const one = atomicDocids(1);
  assert.deepEqual(one.tokens, [[1]]);
  assert.ok(one.branching >= 2, 'the manifest needs K >= 2');
});
