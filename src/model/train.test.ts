import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-web';
import { isGenizaError } from '../core/errors.ts';
import type { ModelConfig } from './config.ts';
import { Rng, initParams } from './init.ts';
import { initJax } from './jax-node-shim.ts';
import { exportOnnx } from './onnx-export.ts';
import { logProbs, toJaxParams } from './forward.ts';
import { AUTO_MIN_STEPS, autoEpochs, learningRateAt, lengthBatches, lengthBuckets, trainModel } from './train.ts';
import type { TrainProgress, TrainingSet } from './train.ts';

ort.env.wasm.numThreads = 1;
// These models are tiny: one thread beats the worker pool's per-kernel messaging (and is kinder to a
// shared machine). The pool is exercised by parity.test.ts and jax-node-shim.test.ts.
const { numpy: np } = await initJax({ threads: 1 });

const K = 8; // docid branching
const L = 2; // docid length
const tiny: ModelConfig = {
  dModel: 32, heads: 2, ffn: 64, encoderLayers: 1, decoderLayers: 1,
  srcVocab: 60, tgtVocab: 1 + K * L, maxSrcLen: 8, maxTgtLen: L,
};

/** n random token sequences (3..7 tokens), example r -> docid [1 + r / K, 1 + K + r % K]. */
function syntheticTask(n: number, seed: number): TrainingSet {
  const rng = new Rng(seed);
  const S = tiny.maxSrcLen;
  const src = new Int32Array(n * S);
  const tgt = new Int32Array(n * L);
  for (let r = 0; r < n; r++) {
    const len = 3 + rng.int(5);
    for (let j = 0; j < len; j++) src[r * S + j] = 1 + rng.int(tiny.srcVocab - 1);
    tgt[r * L] = 1 + Math.floor(r / K);
    tgt[r * L + 1] = 1 + K + (r % K);
  }
  return { n, src, tgt };
}

/** Greedy decoding with the exported ONNX graphs: the docid each query is mapped to. */
async function greedyDocids(encoder: Uint8Array, decoder: Uint8Array, data: TrainingSet): Promise<number[][]> {
  const { n } = data;
  const S = tiny.maxSrcLen;
  const V = tiny.tgtVocab;
  const enc = await ort.InferenceSession.create(encoder);
  const dec = await ort.InferenceSession.create(decoder);
  try {
    const e = await enc.run({ src: new ort.Tensor('int64', BigInt64Array.from(data.src, BigInt), [n, S]) });
    const tin = new BigInt64Array(n * L); // [BOS = 0, ...]
    const out: number[][] = Array.from({ length: n }, () => []);
    for (let t = 0; t < L; t++) {
      const d = await dec.run({ memory: e['memory']!, mask: e['mask']!, tgt: new ort.Tensor('int64', tin.slice(), [n, L]) });
      const lp = d['logprobs']!.data as Float32Array;
      for (let r = 0; r < n; r++) {
        let best = 1;
        for (let v = 1; v < V; v++) if (lp[(r * L + t) * V + v]! > lp[(r * L + t) * V + best]!) best = v;
        out[r]!.push(best);
        if (t + 1 < L) tin[r * L + t + 1] = BigInt(best);
      }
    }
    return out;
  } finally {
    await enc.release();
    await dec.release();
  }
}

test('training learns a 40-document synthetic task; the int8 ONNX model finds the documents', async (t) => {
  const data = syntheticTask(40, 5);
  const reports: TrainProgress[] = [];
  const result = await trainModel(data, {
    config: tiny, epochs: 80, batchSize: 40, learningRate: 5e-3, seed: 1, onProgress: (p) => reports.push(p),
  });
  const first = reports[0]!;
  t.diagnostic(`loss ${first.loss.toFixed(3)} at step ${first.step} -> ${result.finalLoss.toFixed(3)} after ${result.steps} steps, ` +
    `${result.seconds.toFixed(1)} s`);
  assert.equal(result.steps, 80);
  assert.ok(result.finalLoss < first.loss * 0.4, `loss fell from ${first.loss} to ${result.finalLoss}`);

  const { encoder, decoder } = exportOnnx(result.params, tiny);
  const found = await greedyDocids(encoder, decoder, data);
  let hits = 0;
  for (let r = 0; r < data.n; r++) if (found[r]!.join() === [...data.tgt.subarray(r * L, r * L + L)].join()) hits++;
  t.diagnostic(`int8 ONNX greedy decoding maps ${hits}/${data.n} training queries to their docid`);
  assert.ok(hits >= 36, `only ${hits}/${data.n} queries mapped to their docid`);
});

test('same seed, same model; another seed, another model', async () => {
  const data = syntheticTask(16, 2);
  const run = (seed: number) => trainModel(data, { config: tiny, epochs: 3, batchSize: 8, seed });
  const a = await run(7);
  const b = await run(7);
  const c = await run(8);
  for (const name of Object.keys(a.params)) assert.deepEqual(a.params[name]!.data, b.params[name]!.data, name);
  assert.equal(a.finalLoss, b.finalLoss);
  assert.notDeepEqual(a.params['enc.0.self.q.w']!.data, c.params['enc.0.self.q.w']!.data);
});

test('anchor decay keeps the weights near where training started, and the model still learns', async (t) => {
  const data = syntheticTask(24, 6);
  const start = (await trainModel(data, { config: tiny, epochs: 1, batchSize: 24, seed: 3 })).params;
  const run = (anchorDecay: number) => trainModel(data, {
    config: tiny, init: start, epochs: 60, batchSize: 24, learningRate: 5e-3, seed: 3, anchorDecay,
  });
  const drift = (params: Partial<typeof start>): number => {
    let ss = 0;
    for (const [name, p] of Object.entries(params) as [string, NonNullable<(typeof start)[string]>][]) {
      const s0 = start[name]!.data;
      for (let i = 0; i < p.data.length; i++) ss += (p.data[i]! - s0[i]!) ** 2;
    }
    return Math.sqrt(ss);
  };
  const free = await run(0);
  const anchored = await run(20);
  const [dFree, dAnchored] = [drift(free.params), drift(anchored.params)];
  t.diagnostic(`distance from the start: free ${dFree.toFixed(3)} (loss ${free.finalLoss.toFixed(3)}), ` +
    `anchored ${dAnchored.toFixed(3)} (loss ${anchored.finalLoss.toFixed(3)})`);
  assert.ok(dAnchored < 0.8 * dFree, `distance from the start: anchored ${dAnchored.toFixed(3)}, free ${dFree.toFixed(3)}`);
  assert.ok(anchored.finalLoss < free.finalLoss * 3, `anchored loss ${anchored.finalLoss} vs free ${free.finalLoss}`);
  // The output layer left free moves as far as without any anchor, the rest stays put.
  const outFree = await trainModel(data, {
    config: tiny, init: start, epochs: 60, batchSize: 24, learningRate: 5e-3, seed: 3, anchorDecay: 20, anchorExclude: ['out.w', 'out.b'],
  });
  const part = (params: typeof start, name: string) => drift({ [name]: params[name]! });
  t.diagnostic(`out.w moved ${part(outFree.params, 'out.w').toFixed(3)} (fully anchored: ${part(anchored.params, 'out.w').toFixed(3)})`);
  assert.ok(part(outFree.params, 'out.w') > 1.5 * part(anchored.params, 'out.w'));
  assert.ok(outFree.finalLoss < anchored.finalLoss, `loss with a free output layer ${outFree.finalLoss} vs ${anchored.finalLoss}`);
  await assert.rejects(trainModel(data, { config: tiny, anchorDecay: -1 }), /anchorDecay must be >= 0 \(got -1\)/);
  await assert.rejects(trainModel(data, { config: tiny, anchorDecay: 1, anchorExclude: ['nope'] }),
    /anchorExclude must be parameter names of the model \(got nope\)/);
});

test('a partial last batch is filled; progress is throttled and ends on the last step', async () => {
  const data = syntheticTask(10, 3);
  const reports: TrainProgress[] = [];
  const result = await trainModel(data, { config: tiny, epochs: 10, batchSize: 4, onProgress: (p) => reports.push(p) });
  assert.equal(result.steps, 10 * 3); // ceil(10 / 4) steps per epoch
  assert.equal(result.examples, result.steps * 4);
  assert.ok(reports.length <= result.seconds * 4 + 2, `${reports.length} reports in ${result.seconds} s`);
  const last = reports[reports.length - 1]!;
  assert.equal(last.step, result.steps);
  assert.equal(last.totalSteps, 30);
  assert.equal(last.examples, result.examples);
  assert.equal(last.etaSec, 0);
  for (const p of reports) {
    assert.ok(p.examplesPerSec > 0 && Number.isFinite(p.examplesPerSec), `examples/s ${p.examplesPerSec}`);
    assert.ok(p.etaSec >= 0 && Number.isFinite(p.etaSec), `eta ${p.etaSec}`);
    assert.ok(Number.isFinite(p.loss));
  }
  assert.equal(result.params['srcEmb']!.data.length, tiny.srcVocab * tiny.dModel);
  assert.ok(result.params['srcEmb']!.data instanceof Float32Array);
});

test('a time budget stops training early', async () => {
  const data = syntheticTask(16, 4);
  const reports: TrainProgress[] = [];
  const result = await trainModel(data, { config: tiny, epochs: 100000, batchSize: 8, timeBudgetSec: 2, onProgress: (p) => reports.push(p) });
  assert.ok(result.steps >= 1 && result.steps < 200000, `steps ${result.steps}`);
  assert.ok(result.seconds >= 2 && result.seconds < 4, `stopped after ${result.seconds} s`);
  assert.ok(reports.every((p) => p.etaSec <= 2), 'ETA bounded by the budget');
});

test('bad options and bad data are refused with the name, value and limit', async () => {
  const data = syntheticTask(4, 1);
  const refused = async (p: Promise<unknown>, code: string, message: RegExp) => {
    await assert.rejects(p, (e: unknown) => isGenizaError(e) && e.code === code && message.test(e.message));
  };
  await refused(trainModel(data, { config: tiny, epochs: 0 }), 'BAD_OPTION', /train: epochs must be an integer >= 1 \(got 0\)/);
  await refused(trainModel(data, { config: tiny, batchSize: 2.5 }), 'BAD_OPTION', /batchSize must be an integer >= 1 \(got 2.5\)/);
  await refused(trainModel(data, { config: tiny, learningRate: -1 }), 'BAD_OPTION', /learningRate must be > 0 \(got -1\)/);
  await refused(trainModel(data, { config: tiny, timeBudgetSec: 0 }), 'BAD_OPTION', /timeBudgetSec must be > 0/);
  const badTgt = { ...data, tgt: data.tgt.map((v, i) => (i === 3 ? 99 : v)) };
  await refused(trainModel(badTgt, { config: tiny }), 'BAD_INPUT', /target id 99 at index 3 is outside \[0, 17\)/);
  await refused(trainModel({ ...data, n: 5 }, { config: tiny }), 'BAD_INPUT', /src must hold n\*maxSrcLen = 40 ids \(got 32\)/);
});

test('learning rate: linear warmup to the peak, cosine decay to 2% of it', () => {
  assert.equal(learningRateAt(1e-3, 0, 10, 0), 1e-4);
  assert.equal(learningRateAt(1e-3, 9, 10, 0.1), 1e-3);
  assert.ok(Math.abs(learningRateAt(1e-3, 50, 10, 0.5) - 0.51e-3) < 1e-12);
  assert.ok(Math.abs(learningRateAt(1e-3, 100, 10, 1) - 0.02e-3) < 1e-12);
});

test('default passes: one over a large training set, enough for AUTO_MIN_STEPS steps over a small one', async () => {
  assert.equal(autoEpochs(259_150, 128), 1, 'SciFact-sized: one pass (2,025 steps)');
  assert.equal(autoEpochs(70_000, 128), 1, '1,400 documents: one pass (547 steps)');
  assert.equal(autoEpochs(6_000, 128), Math.ceil(AUTO_MIN_STEPS / 47), 'a small site: passes for the minimum steps');
  assert.equal(autoEpochs(10, 128), AUTO_MIN_STEPS, 'fewer pairs than a batch: one step per pass');
  // The trainer uses it when no epochs are given: 24 examples in batches of 8 -> 3 steps per pass.
  const data = syntheticTask(24, 2);
  const result = await trainModel(data, { config: tiny, batchSize: 8, timeBudgetSec: 1 });
  assert.equal(result.epochs, Math.ceil(AUTO_MIN_STEPS / 3));
});

test('length batches: each pass holds every example once, in ceil(n / B) batches no example is cut by', () => {
  assert.deepEqual(lengthBuckets(32), [8, 16, 32]);
  assert.deepEqual(lengthBuckets(8), [8]);
  assert.deepEqual(lengthBuckets(12), [8, 12]);
  const rng = new Rng(7);
  const n = 103;
  const B = 8;
  const lengths = Array.from({ length: n }, () => 1 + rng.int(32));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  rng.shuffle(order);
  const batches = lengthBatches(order, lengths, [8, 16, 32], B, rng);
  assert.equal(batches.length, Math.ceil(n / B));
  assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i), 'a permutation');
  const starts = batches.map((b) => b.start).sort((a, b) => a - b);
  assert.deepEqual(starts, Array.from({ length: batches.length }, (_, i) => i * B), 'batches tile the pass');
  for (const { start, length } of batches) {
    for (let r = start; r < Math.min(n, start + B); r++) assert.ok(lengths[order[r]!]! <= length, `example ${order[r]} (length ${lengths[order[r]!]}) in a batch of ${length}`);
    if (start + B > n) assert.equal(length, 32, 'only a full-length batch is partial');
  }
  assert.ok(batches.filter((b) => b.length === 8).length >= 1 && batches.filter((b) => b.length === 16).length >= 1);
});

test('a batch cut to its longest query scores like the full-length batch', async () => {
  const config: ModelConfig = { ...tiny, maxSrcLen: 16 };
  const params = initParams(config, 3);
  const n = 4;
  const src = new Int32Array(n * 16);
  for (let r = 0; r < n; r++) for (let j = 0; j < 3 + r; j++) src[r * 16 + j] = 2 + ((r * 7 + j * 5) % 50);
  const cut = new Int32Array(n * 8);
  for (let r = 0; r < n; r++) cut.set(src.subarray(r * 16, r * 16 + 8), r * 8);
  const tin = new Int32Array(n * L);
  const score = async (ids: Int32Array, S: number) => new Float32Array(await
    logProbs(toJaxParams(params, config), np.array(ids, { shape: [n, S], dtype: np.int32 }), np.array(tin, { shape: [n, L], dtype: np.int32 }), config).data());
  const full = await score(src, 16);
  const short = await score(cut, 8);
  assert.equal(short.length, full.length);
  for (let i = 0; i < full.length; i++) assert.ok(Math.abs(full[i]! - short[i]!) < 1e-4, `logprob ${i}: ${full[i]} vs ${short[i]}`);
});

test('training in length batches learns the synthetic task', async (t) => {
  const config: ModelConfig = { ...tiny, maxSrcLen: 16 };
  const data8 = syntheticTask(40, 11);
  const src = new Int32Array(40 * 16);
  for (let r = 0; r < 40; r++) src.set(data8.src.subarray(r * 8, r * 8 + 8), r * 16);
  const data = { ...data8, src };
  const opts = { config, epochs: 150, batchSize: 8, learningRate: 3e-3 };
  const cut = await trainModel(data, { ...opts, buckets: [4, 8, 16] });
  const full = await trainModel(data, { ...opts, buckets: [16] });
  t.diagnostic(`final loss ${cut.finalLoss.toFixed(3)} in length batches, ${full.finalLoss.toFixed(3)} at full length`);
  assert.ok(cut.finalLoss < 1.0 && cut.finalLoss < full.finalLoss * 1.5, `final loss ${cut.finalLoss} (full length: ${full.finalLoss})`);
  await assert.rejects(trainModel(data, { ...opts, buckets: [8, 12] }), (e: unknown) => isGenizaError(e) && /buckets must be ascending integers >= 1 ending at maxSrcLen 16 \(got \[8, 12\]\)/.test(e.message));
});
