/**
 * Measures the model code on this machine: training throughput of the default architecture and the
 * ONNX export's sizes and onnxruntime-web latencies (int8 and float32).
 *
 *   node --import tsx src/model/model-bench.ts [train|onnx|all] [--steps 30] [--batch 128] [--layers 1] [--threads 2]
 *     [--src-vocab 8000] [--tgt-vocab 129] [--tgt-len 4]   (atomic docids of 5,000 documents: --tgt-vocab 5001 --tgt-len 1)
 */
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as ort from 'onnxruntime-web';
import { DEFAULT_MODEL, parameterCount } from './config.ts';
import type { ModelConfig } from './config.ts';
import { Rng, initParams } from './init.ts';
import { exportOnnx } from './onnx-export.ts';
import { DEFAULT_BATCH_SIZE, trainModel } from './train.ts';
import type { TrainProgress } from './train.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    steps: { type: 'string', default: '30' },
    batch: { type: 'string', default: String(DEFAULT_BATCH_SIZE) },
    layers: { type: 'string', default: String(DEFAULT_MODEL.encoderLayers) },
    threads: { type: 'string', default: '2' },
    'src-vocab': { type: 'string', default: '8000' },
    'tgt-vocab': { type: 'string', default: '129' },
    'tgt-len': { type: 'string', default: '4' },
  },
});
const what = positionals[0] ?? 'all';
const config: ModelConfig = {
  ...DEFAULT_MODEL, srcVocab: Number(values['src-vocab']), tgtVocab: Number(values['tgt-vocab']), maxTgtLen: Number(values['tgt-len']),
  encoderLayers: Number(values.layers), decoderLayers: Number(values.layers),
};

async function benchTrain(): Promise<void> {
  const B = Number(values.batch);
  const n = B * Number(values.steps);
  const S = config.maxSrcLen;
  const T = config.maxTgtLen;
  const K = Math.floor((config.tgtVocab - 1) / T);
  const rng = new Rng(1);
  const src = new Int32Array(n * S);
  const tgt = new Int32Array(n * T);
  for (let i = 0; i < n; i++) {
    const len = 4 + rng.int(S - 4);
    for (let j = 0; j < len; j++) src[i * S + j] = 1 + rng.int(config.srcVocab - 1);
    for (let t = 0; t < T; t++) tgt[i * T + t] = 1 + t * K + rng.int(K);
  }
  const reports: { p: TrainProgress; at: number; rss: number; cpu: number }[] = [];
  const r = await trainModel({ n, src, tgt }, {
    config, epochs: 1, batchSize: B, threads: Number(values.threads),
    onProgress: (p) => {
      const u = process.cpuUsage();
      reports.push({ p, at: performance.now(), rss: process.memoryUsage().rss, cpu: (u.user + u.system) / 1000 });
    },
  });
  // steady throughput: from the first report after step 3 (compilation done) to the last one
  const from = reports.find((x) => x.p.step >= 3) ?? reports[0]!;
  const to = reports[reports.length - 1]!;
  const steps = Math.max(1, to.p.step - from.p.step);
  const steady = (steps * B * 1000) / Math.max(1, to.at - from.at);
  // CPU time of all threads per step: less sensitive than wall time to other processes on the machine
  const cpuPerStep = (to.cpu - from.cpu) / steps;
  const mib = (b: number) => (b / 2 ** 20).toFixed(0);
  console.log(`train: ${parameterCount(config)} params, batch ${B}, ${r.steps} steps in ${r.seconds.toFixed(1)} s ` +
    `(compilation included: ${(r.examples / r.seconds).toFixed(0)} examples/s); steady ${steady.toFixed(0)} examples/s, ` +
    `${cpuPerStep.toFixed(0)} CPU-ms per step (all threads); ` +
    `RSS ${mib(from.rss)} -> ${mib(to.rss)} MiB`);
}

async function benchOnnx(): Promise<void> {
  ort.env.wasm.numThreads = 1;
  const params = initParams(config, 1);
  const N = 10;
  const S = config.maxSrcLen;
  const T = config.maxTgtLen;
  const srcData = BigInt64Array.from({ length: N * S }, (_, i) => BigInt(i % S < 8 ? 1 + ((i * 37) % (config.srcVocab - 1)) : 0));
  const time = async (f: () => Promise<unknown>, reps = 40): Promise<number> => {
    for (let i = 0; i < 5; i++) await f();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await f();
    return (performance.now() - t0) / reps;
  };
  for (const quantize of [true, false]) {
    const { encoder, decoder } = exportOnnx(params, config, { quantize });
    const enc = await ort.InferenceSession.create(encoder);
    const dec = await ort.InferenceSession.create(decoder);
    const src10 = new ort.Tensor('int64', srcData, [N, S]);
    const src1 = new ort.Tensor('int64', srcData.slice(0, S), [1, S]);
    const e = await enc.run({ src: src10 });
    const tgt = new ort.Tensor('int64', new BigInt64Array(N * T), [N, T]);
    const enc10 = await time(() => enc.run({ src: src10 }));
    const enc1 = await time(() => enc.run({ src: src1 }));
    const dec10 = await time(() => dec.run({ memory: e['memory']!, mask: e['mask']!, tgt }));
    const e1 = await enc.run({ src: src1 });
    const dec10b = await time(() => dec.run({ memory: e1['memory']!, mask: e1['mask']!, tgt }));
    const kib = (b: Uint8Array) => `${(b.length / 1024).toFixed(0)} KiB (gzip ${(gzipSync(b).length / 1024).toFixed(0)})`;
    console.log(`onnx ${quantize ? 'int8' : 'fp32'}: encoder.onnx ${kib(encoder)}, decoder.onnx ${kib(decoder)}; ` +
      `ORT wasm 1 thread: encoder N=10 ${enc10.toFixed(2)} ms, ` +
      `N=1 ${enc1.toFixed(2)} ms; decoder N=10 ${dec10.toFixed(2)} ms (memory of batch 1 broadcast: ${dec10b.toFixed(2)} ms)`);
    await enc.release();
    await dec.release();
  }
}

if (what === 'train' || what === 'all') await benchTrain();
if (what === 'onnx' || what === 'all') await benchOnnx();
