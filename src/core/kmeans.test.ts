import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmeans } from './kmeans.ts';
import { seededRandom } from './seeded-random.ts';

/** Points around `centres` (row-major), `per` points each, with Gaussian noise `sigma`; returns data + true labels. */
function blobs(centres: number[][], per: number, sigma: number, seed: number): { data: Float32Array; labels: number[] } {
  const rng = seededRandom(seed);
  const d = centres[0].length;
  const data = new Float32Array(centres.length * per * d);
  const labels: number[] = [];
  let i = 0;
  // Interleave clusters so that order gives no hint.
  for (let p = 0; p < per; p++) {
    for (let c = 0; c < centres.length; c++) {
      for (let j = 0; j < d; j++) data[i * d + j] = centres[c][j] + sigma * rng.normal();
      labels.push(c);
      i++;
    }
  }
  return { data, labels };
}

test('kmeans recovers well-separated clusters exactly', () => {
  const centres = [[0, 0, 0], [10, 0, 0], [0, 10, 0], [0, 0, 10], [10, 10, 10]];
  const { data, labels } = blobs(centres, 40, 0.5, 7);
  const r = kmeans(data, labels.length, 3, 5, { seed: 1 });
  // Same partition up to renaming: a bijection between true labels and found clusters.
  const map = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    const found = r.assignments[i];
    if (!map.has(labels[i])) map.set(labels[i], found);
    assert.equal(map.get(labels[i]), found, `point ${i} of cluster ${labels[i]} was split off`);
  }
  assert.equal(new Set(map.values()).size, 5);
});

test('kmeans is deterministic for a seed', () => {
  const { data, labels } = blobs([[0, 0], [3, 3], [6, 0], [0, 6]], 50, 1.5, 3);
  const a = kmeans(data, labels.length, 2, 4, { seed: 9 });
  const b = kmeans(data, labels.length, 2, 4, { seed: 9 });
  assert.deepEqual(Array.from(a.assignments), Array.from(b.assignments));
  assert.deepEqual(Array.from(a.centroids), Array.from(b.centroids));
});

test('kmeans with k >= n puts every point in its own cluster', () => {
  const data = new Float32Array([0, 0, 1, 1, 5, 5]);
  const r = kmeans(data, 3, 2, 8);
  assert.equal(r.k, 3);
  assert.equal(new Set(r.assignments).size, 3);
});

test('kmeans on identical points does not crash and uses a valid cluster for each point', () => {
  const data = new Float32Array(20).fill(1);
  const r = kmeans(data, 10, 2, 3);
  for (const c of r.assignments) assert.ok(c >= 0 && c < 3);
});

test('kmeans rejects k < 1', () => {
  assert.throws(() => kmeans(new Float32Array(4), 2, 2, 0), /k must be an integer >= 1 \(got 0\)/);
});
