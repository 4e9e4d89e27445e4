import { test } from 'node:test';
import assert from 'node:assert/strict';
import { truncatedSvd, type CsrMatrix } from './svd.ts';
import { seededRandom } from './seeded-random.ts';

function toCsr(dense: number[][]): CsrMatrix {
  const indptr = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of dense) {
    row.forEach((v, j) => { if (v !== 0) { indices.push(j); values.push(v); } });
    indptr.push(indices.length);
  }
  return { rows: dense.length, cols: dense[0].length, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

test('truncatedSvd finds the singular values of a low-rank matrix', () => {
  // A = 5 * u1 v1^T + 2 * u2 v2^T with orthonormal u, v.
  const rows = 30, cols = 40;
  const u1 = Array.from({ length: rows }, (_, i) => (i < 15 ? 1 : 0) / Math.sqrt(15));
  const u2 = Array.from({ length: rows }, (_, i) => (i >= 15 ? 1 : 0) / Math.sqrt(15));
  const v1 = Array.from({ length: cols }, (_, j) => (j % 2 === 0 ? 1 : 0) / Math.sqrt(20));
  const v2 = Array.from({ length: cols }, (_, j) => (j % 2 === 1 ? 1 : 0) / Math.sqrt(20));
  const dense = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => 5 * u1[i] * v1[j] + 2 * u2[i] * v2[j]));
  const r = truncatedSvd(toCsr(dense), 2, { seed: 3 });
  assert.equal(r.rank, 2);
  assert.ok(Math.abs(r.s[0] - 5) < 1e-6, `s0 = ${r.s[0]}`);
  assert.ok(Math.abs(r.s[1] - 2) < 1e-6, `s1 = ${r.s[1]}`);
  // First left singular vector is +-u1.
  let dot = 0;
  for (let i = 0; i < rows; i++) dot += r.u[i * 2] * u1[i];
  assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-6);
});

test('truncatedSvd matches the exact spectrum of a random sparse matrix and is deterministic', () => {
  const rng = seededRandom(5);
  const dense = Array.from({ length: 25 }, () => Array.from({ length: 18 }, () => (rng.next() < 0.3 ? rng.next() : 0)));
  const m = toCsr(dense);
  const a = truncatedSvd(m, 18, { seed: 1 });
  const b = truncatedSvd(m, 18, { seed: 1 });
  assert.deepEqual(Array.from(a.s), Array.from(b.s));
  // Sum of squared singular values = squared Frobenius norm when the full rank is kept.
  const fro = dense.flat().reduce((s, v) => s + v * v, 0);
  const sum = Array.from(a.s).reduce((s, v) => s + v * v, 0);
  assert.ok(Math.abs(fro - sum) < 1e-6 * fro, `${fro} vs ${sum}`);
  for (let i = 1; i < a.rank; i++) assert.ok(a.s[i] <= a.s[i - 1] + 1e-12);
});
