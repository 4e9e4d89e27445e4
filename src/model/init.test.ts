import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parameterCount, parameterShapes } from './config.ts';
import type { ModelConfig } from './config.ts';
import { INIT_STD, Rng, initParams } from './init.ts';

const config: ModelConfig = {
  dModel: 32, heads: 4, ffn: 64, encoderLayers: 2, decoderLayers: 1,
  srcVocab: 200, tgtVocab: 33, maxSrcLen: 12, maxTgtLen: 3,
};

test('initParams gives every parameter of the config with its shape', () => {
  const p = initParams(config, 1);
  const shapes = parameterShapes(config);
  assert.deepEqual(Object.keys(p).sort(), [...shapes.keys()].sort());
  let total = 0;
  for (const [name, shape] of shapes) {
    assert.deepEqual(p[name]!.shape, shape, name);
    assert.equal(p[name]!.data.length, shape.reduce((a, b) => a * b, 1), name);
    total += p[name]!.data.length;
  }
  assert.equal(total, parameterCount(config));
});

test('initParams is deterministic in the seed', () => {
  const a = initParams(config, 7);
  const b = initParams(config, 7);
  const c = initParams(config, 8);
  for (const name of Object.keys(a)) assert.deepEqual(a[name]!.data, b[name]!.data, name);
  assert.notDeepEqual(a['srcEmb']!.data, c['srcEmb']!.data);
});

test('LayerNorm gains are 1, biases 0, matrices ~ normal(0, INIT_STD)', () => {
  const p = initParams(config, 3);
  assert.ok(p['enc.0.ln1.g']!.data.every((v) => v === 1));
  assert.ok(p['enc.0.ln1.b']!.data.every((v) => v === 0));
  assert.ok(p['dec.0.ffn.b1']!.data.every((v) => v === 0));
  assert.ok(p['out.b']!.data.every((v) => v === 0));
  const w = p['srcEmb']!.data;
  const mean = w.reduce((a, b) => a + b, 0) / w.length;
  const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
  assert.ok(Math.abs(mean) < INIT_STD * 0.05, `mean ${mean}`);
  assert.ok(Math.abs(std - INIT_STD) < INIT_STD * 0.05, `std ${std}`);
});

test('Rng shuffles deterministically and uniformly enough', () => {
  const a = new Rng(5).shuffle(Int32Array.from({ length: 10 }, (_, i) => i));
  const b = new Rng(5).shuffle(Int32Array.from({ length: 10 }, (_, i) => i));
  assert.deepEqual(a, b);
  assert.deepEqual([...a].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const rng = new Rng(11);
  const counts = new Array<number>(4).fill(0);
  for (let i = 0; i < 4000; i++) counts[rng.int(4)]!++;
  for (const c of counts) assert.ok(c > 900 && c < 1100, `counts ${counts}`);
});

test('an invalid config is refused', () => {
  assert.throws(() => initParams({ ...config, heads: 3 }, 1), /dModel must be divisible by heads/);
});
