/**
 * The exported ONNX graphs, run by onnxruntime-web, give the log-probs of the jax-js forward pass:
 * float32 to rounding error, int8 within a measured bound.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-web';
import type { ModelConfig, ModelParams } from './config.ts';
import { decoderInput, forwardLogProbs } from './forward.ts';
import { Rng, initParams } from './init.ts';
import { exportOnnx } from './onnx-export.ts';
import { dequantizeInt4, quantizeRowsInt4 } from './quantize.ts';
import { trainModel } from './train.ts';

ort.env.wasm.numThreads = 1;

const config: ModelConfig = {
  dModel: 64, heads: 4, ffn: 128, encoderLayers: 2, decoderLayers: 2,
  srcVocab: 300, tgtVocab: 129, maxSrcLen: 16, maxTgtLen: 4,
};
const S = config.maxSrcLen;
const T = config.maxTgtLen;
const V = config.tgtVocab;

/** Tolerances. fp32: rounding only. int8 (measured on these models: max 0.03-0.21 over all entries,
 * 0.01-0.09 over entries with log-prob > -4): bounds with margin. The 4-bit source token table (`embeddingBits: 4`)
 * adds its own error (measured: max 0.07-0.24, 0.04-0.13 where log-prob > -4), checked with INT4_* bounds. */
const FP32_MAX_ABS = 1e-4;
const INT8_MAX_ABS_ALL = 0.35;
const INT8_MAX_ABS_LIKELY = 0.15;
const LIKELY = -4;
const INT8_ARGMAX_AGREEMENT = 0.9;
const INT4_MAX_ABS_ALL = 0.45;
const INT4_MAX_ABS_LIKELY = 0.25;

/** n rows of queries (lengths 1..S, one full row, one all-PAD row) and 0-padded docid targets. */
function batch(n: number, seed: number): { src: Int32Array; tgt: Int32Array } {
  const rng = new Rng(seed);
  const src = new Int32Array(n * S);
  const tgt = new Int32Array(n * T);
  for (let r = 0; r < n; r++) {
    const len = r === 0 ? S : r === 1 ? 0 : 1 + rng.int(S - 1);
    for (let j = 0; j < len; j++) src[r * S + j] = 1 + rng.int(config.srcVocab - 1);
    const docLen = 2 + rng.int(T - 1);
    for (let t = 0; t < docLen; t++) tgt[r * T + t] = 1 + t * 32 + rng.int(32);
  }
  return { src, tgt };
}

async function runOnnx(params: ModelParams, quantize: boolean, src: Int32Array, tin: Int32Array, n: number, c = config,
  embeddingBits: 4 | 8 = 8): Promise<Float32Array> {
  const { encoder, decoder } = exportOnnx(params, c, { quantize, embeddingBits });
  const enc = await ort.InferenceSession.create(encoder);
  const dec = await ort.InferenceSession.create(decoder);
  try {
    const e = await enc.run({ src: new ort.Tensor('int64', BigInt64Array.from(src, BigInt), [n, S]) });
    const memory = e['memory']!;
    const mask = e['mask']!;
    assert.deepEqual(memory.dims, [n, S, c.dModel]);
    assert.deepEqual(mask.dims, [n, S]);
    const maskData = mask.data as Float32Array;
    for (let i = 0; i < n * S; i++) assert.equal(maskData[i], src[i] === 0 ? -1e9 : 0, `mask[${i}]`);
    const d = await dec.run({ memory, mask, tgt: new ort.Tensor('int64', BigInt64Array.from(tin, BigInt), [n, T]) });
    const lp = d['logprobs']!;
    assert.deepEqual(lp.dims, [n, T, V]);
    return lp.data as Float32Array;
  } finally {
    await enc.release();
    await dec.release();
  }
}

interface Comparison { maxAbs: number; maxAbsLikely: number; argmaxAgreement: number }

function compare(ref: Float32Array, got: Float32Array): Comparison {
  assert.equal(got.length, ref.length);
  let maxAbs = 0;
  let maxAbsLikely = 0;
  let agree = 0;
  const positions = ref.length / V;
  for (let p = 0; p < positions; p++) {
    let a = 0;
    let b = 0;
    for (let v = 0; v < V; v++) {
      const i = p * V + v;
      assert.ok(Number.isFinite(got[i]!), `logprob ${i} is ${got[i]}`);
      const d = Math.abs(got[i]! - ref[i]!);
      maxAbs = Math.max(maxAbs, d);
      if (ref[i]! > LIKELY) maxAbsLikely = Math.max(maxAbsLikely, d);
      if (ref[i]! > ref[p * V + a]!) a = v;
      if (got[i]! > got[p * V + b]!) b = v;
    }
    if (a === b) agree++;
  }
  return { maxAbs, maxAbsLikely, argmaxAgreement: agree / positions };
}

/** Random parameters of a realistic spread (biases and LayerNorm parameters too). */
function randomParams(seed: number, c = config): ModelParams {
  const params = initParams(c, seed);
  const rng = new Rng(seed + 100);
  for (const [name, t] of Object.entries(params)) {
    const spread = name.endsWith('.g') ? 0.2 : name.includes('Emb') || name.includes('Pos') ? 0.5 : 0.1;
    for (let i = 0; i < t.data.length; i++) t.data[i]! += rng.normal() * spread;
  }
  return params;
}

async function checkParity(t: { diagnostic: (m: string) => void }, label: string, params: ModelParams, seed: number, c = config): Promise<void> {
  const n = 8;
  const { src, tgt } = batch(n, seed);
  const tin = decoderInput(tgt, n, T);
  const ref = await forwardLogProbs(params, c, src, tin, n);
  // sanity: the reference is a distribution at every position, and not a flat one
  let spread = 0;
  for (let p = 0; p < n * T; p++) {
    let sum = 0;
    for (let v = 0; v < V; v++) sum += Math.exp(ref[p * V + v]!);
    assert.ok(Math.abs(sum - 1) < 1e-3, `sum of probabilities ${sum}`);
  }
  for (const x of ref) spread = Math.min(spread, x);

  const fp32 = compare(ref, await runOnnx(params, false, src, tin, n, c));
  const int8 = compare(ref, await runOnnx(params, true, src, tin, n, c));
  const int4 = compare(ref, await runOnnx(params, true, src, tin, n, c, 4));
  t.diagnostic(`${label}: min log-prob ${spread.toFixed(2)}; fp32 max abs diff ${fp32.maxAbs.toExponential(2)}; ` +
    `int8 max abs diff ${int8.maxAbs.toFixed(4)} (log-prob > ${LIKELY}: ${int8.maxAbsLikely.toFixed(4)}), ` +
    `argmax agreement ${(int8.argmaxAgreement * 100).toFixed(0)}%; with 4-bit token table ${int4.maxAbs.toFixed(4)} ` +
    `(${int4.maxAbsLikely.toFixed(4)}), ${(int4.argmaxAgreement * 100).toFixed(0)}%`);
  assert.ok(fp32.maxAbs < FP32_MAX_ABS, `fp32 max abs diff ${fp32.maxAbs}`);
  assert.equal(fp32.argmaxAgreement, 1);
  assert.ok(int8.maxAbs < INT8_MAX_ABS_ALL, `int8 max abs diff ${int8.maxAbs}`);
  assert.ok(int8.maxAbsLikely < INT8_MAX_ABS_LIKELY, `int8 max abs diff where log-prob > ${LIKELY}: ${int8.maxAbsLikely}`);
  assert.ok(int8.argmaxAgreement >= INT8_ARGMAX_AGREEMENT, `int8 argmax agreement ${int8.argmaxAgreement}`);
  assert.ok(int4.maxAbs < INT4_MAX_ABS_ALL, `int4 max abs diff ${int4.maxAbs}`);
  assert.ok(int4.maxAbsLikely < INT4_MAX_ABS_LIKELY, `int4 max abs diff where log-prob > ${LIKELY}: ${int4.maxAbsLikely}`);
  assert.ok(int4.argmaxAgreement >= INT8_ARGMAX_AGREEMENT, `int4 argmax agreement ${int4.argmaxAgreement}`);
}

test('ONNX matches the jax forward pass on random parameters (fp32 and int8)', async (t) => {
  await checkParity(t, 'random params A', randomParams(1), 11);
  await checkParity(t, 'random params B', randomParams(2), 12);
});

test('ONNX matches the jax forward pass after training steps (fp32 and int8)', async (t) => {
  const n = 64;
  const { src, tgt } = batch(n, 21);
  const { params } = await trainModel({ n, src, tgt }, { config, epochs: 8, batchSize: 32, learningRate: 1e-2, seed: 3 });
  await checkParity(t, 'trained 16 steps', params, 22);
});

test('4-bit token table: the encoder reads both nibbles and both group scales of every row', async () => {
  // Width 128: two groups of 64 values per row. With every residual branch at zero (its int8 output projection is
  // exactly 0) the encoder's memory is LayerNorm(token row + position), so the 4-bit graph's memory must be that of
  // the dequantized 4-bit rows to float rounding: a swapped nibble or a wrong group scale would show.
  const c: ModelConfig = { ...config, dModel: 128, ffn: 256, encoderLayers: 1 };
  const D = c.dModel;
  const params = initParams(c, 7);
  const rng = new Rng(8);
  for (let i = 0; i < params.srcEmb!.data.length; i++) params.srcEmb!.data[i] = rng.normal() * (1 + (i % D) / 64);
  for (let i = 0; i < params.srcPos!.data.length; i++) params.srcPos!.data[i] = rng.normal() * 0.1;
  for (const name of ['enc.0.self.o.w', 'enc.0.self.o.b', 'enc.0.ffn.w2', 'enc.0.ffn.b2']) params[name]!.data.fill(0);
  const rows = dequantizeInt4(quantizeRowsInt4(params.srcEmb!.data, c.srcVocab, D, 64));
  const n = 3;
  const src = Int32Array.from({ length: n * S }, (_, i) => 1 + ((i * 37) % (c.srcVocab - 1)));
  const { encoder } = exportOnnx(params, c, { embeddingBits: 4 });
  const enc = await ort.InferenceSession.create(encoder);
  const memory = (await enc.run({ src: new ort.Tensor('int64', BigInt64Array.from(src, BigInt), [n, S]) }))['memory']!.data as Float32Array;
  await enc.release();
  let max = 0;
  for (let p = 0; p < n * S; p++) {
    const x = Float64Array.from({ length: D }, (_, k) => rows[src[p]! * D + k]! + params.srcPos!.data[(p % S) * D + k]!);
    const mean = x.reduce((a, v) => a + v, 0) / D;
    const sd = Math.sqrt(x.reduce((a, v) => a + (v - mean) ** 2, 0) / D + 1e-5);
    for (let k = 0; k < D; k++) max = Math.max(max, Math.abs(memory[p * D + k]! - (x[k]! - mean) / sd));
  }
  assert.ok(max < 1e-4, `memory vs LayerNorm of the 4-bit rows: max abs diff ${max}`);
  const { encoder: encoder8 } = exportOnnx(params, c);
  const table = c.srcVocab * D;
  assert.ok(encoder8.byteLength - encoder.byteLength > table / 2 - table / 16, `encoder ${encoder.byteLength} vs ${encoder8.byteLength} bytes`);
});

test('the decoder broadcasts a memory of batch 1 over N beams, as if it were tiled', async () => {
  const params = randomParams(4);
  const n = 5;
  const { src, tgt } = batch(n, 13);
  const tin = BigInt64Array.from(decoderInput(tgt, n, T), BigInt);
  const { encoder, decoder } = exportOnnx(params, config);
  const enc = await ort.InferenceSession.create(encoder);
  const dec = await ort.InferenceSession.create(decoder);
  const e = await enc.run({ src: new ort.Tensor('int64', BigInt64Array.from(src.subarray(0, S), BigInt), [1, S]) });
  const memory = e['memory']!.data as Float32Array;
  const mask = e['mask']!.data as Float32Array;
  const tiledMemory = new Float32Array(n * memory.length);
  const tiledMask = new Float32Array(n * mask.length);
  for (let i = 0; i < n; i++) { tiledMemory.set(memory, i * memory.length); tiledMask.set(mask, i * mask.length); }
  const run = async (m: Float32Array, k: Float32Array, rows: number) => (await dec.run({
    memory: new ort.Tensor('float32', m, [rows, S, config.dModel]),
    mask: new ort.Tensor('float32', k, [rows, S]),
    tgt: new ort.Tensor('int64', tin, [n, T]),
  }))['logprobs']!;
  const tiled = await run(tiledMemory, tiledMask, n);
  const broadcast = await run(memory, mask, 1);
  assert.deepEqual(broadcast.dims, [n, T, V]);
  const a = broadcast.data as Float32Array;
  const b = tiled.data as Float32Array;
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-5, `logprob ${i}: ${a[i]} vs ${b[i]}`);
  await enc.release();
  await dec.release();
});

test('the int8 export is at most a third of the float32 one', () => {
  const params = initParams(config, 1);
  const fp = exportOnnx(params, config, { quantize: false });
  const q = exportOnnx(params, config);
  assert.ok(q.encoder.length < fp.encoder.length / 3, `encoder ${q.encoder.length} vs ${fp.encoder.length}`);
  assert.ok(q.decoder.length < fp.decoder.length / 3, `decoder ${q.decoder.length} vs ${fp.decoder.length}`);
});

test('atomic docids: the decoder stores only the start token row of tgtEmb and still matches jax', async () => {
  const c: ModelConfig = { ...config, tgtVocab: 1 + 500, maxTgtLen: 1 };
  const params = initParams(c, 5);
  const n = 3;
  const rng = new Rng(9);
  const src = Int32Array.from({ length: n * S }, (_, i) => (i % S < 5 ? 1 + rng.int(c.srcVocab - 1) : 0));
  const tin = new Int32Array(n); // BOS only
  const ref = await forwardLogProbs(params, c, src, tin, n);
  const { encoder, decoder } = exportOnnx(params, c, { quantize: false });
  // The whole table would be 501 x 64 floats (128 KB); only its first row is stored.
  const decoderFloats = Object.entries(params).filter(([k]) => /^(dec\.|out\.|tgt)/.test(k)).reduce((a, [, t]) => a + t.data.length, 0);
  // Without the trim the file is larger than all decoder parameters as float32 (graph overhead); with it, 128 KB less.
  assert.ok(decoder.byteLength < decoderFloats * 4 - 64_000, `decoder ${decoder.byteLength} bytes, parameters ${decoderFloats * 4}`);
  const enc = await ort.InferenceSession.create(encoder);
  const dec = await ort.InferenceSession.create(decoder);
  const e = await enc.run({ src: new ort.Tensor('int64', BigInt64Array.from(src, BigInt), [n, S]) });
  const d = await dec.run({ memory: e['memory']!, mask: e['mask']!, tgt: new ort.Tensor('int64', BigInt64Array.from(tin, BigInt), [n, 1]) });
  const got = d['logprobs']!.data as Float32Array;
  assert.equal(got.length, ref.length);
  let max = 0;
  for (let i = 0; i < ref.length; i++) max = Math.max(max, Math.abs(ref[i] - got[i]));
  assert.ok(max < FP32_MAX_ABS, `max abs diff ${max}`);
  await enc.release();
  await dec.release();
});

test('several models in one export: memories side by side, log-probs the mean of each model\'s (fp32 and int8)', async () => {
  const models = [randomParams(6), randomParams(7), randomParams(8)];
  const n = 6;
  const { src, tgt } = batch(n, 14);
  const tin = decoderInput(tgt, n, T);
  const refs = await Promise.all(models.map((p) => forwardLogProbs(p, config, src, tin, n)));
  const mean = refs[0]!.map((_, i) => refs.reduce((a, r) => a + r[i]!, 0) / models.length);
  for (const quantize of [false, true]) {
    const { encoder, decoder } = exportOnnx(models, config, { quantize });
    const enc = await ort.InferenceSession.create(encoder);
    const dec = await ort.InferenceSession.create(decoder);
    const e = await enc.run({ src: new ort.Tensor('int64', BigInt64Array.from(src, BigInt), [n, S]) });
    assert.deepEqual(e['memory']!.dims, [n, S, 3 * config.dModel]);
    const got = (await dec.run({ memory: e['memory']!, mask: e['mask']!, tgt: new ort.Tensor('int64', BigInt64Array.from(tin, BigInt), [n, T]) }))['logprobs']!;
    assert.deepEqual(got.dims, [n, T, V]);
    const c = compare(mean, got.data as Float32Array);
    if (quantize) {
      assert.ok(c.maxAbsLikely < INT8_MAX_ABS_LIKELY, `int8 max abs diff where log-prob > ${LIKELY}: ${c.maxAbsLikely}`);
      assert.ok(c.argmaxAgreement >= INT8_ARGMAX_AGREEMENT, `int8 argmax agreement ${c.argmaxAgreement}`);
    } else {
      assert.ok(c.maxAbs < FP32_MAX_ABS, `fp32 max abs diff ${c.maxAbs}`);
      // ... and not what any one model gives.
      for (const r of refs) assert.ok(compare(r, got.data as Float32Array).maxAbs > 0.1);
    }
    await enc.release();
    await dec.release();
  }
});
