/**
 * Trains the encoder-decoder with @jax-js/jax (wasm): masked cross-entropy with label smoothing, Adam with
 * bias correction, gradient clipping by global norm, linear warmup then cosine decay of the learning rate, and
 * optionally a decoupled decay of the weights towards where they started (`anchorDecay`, for a warm start).
 * Forward + backward + Adam run as one compiled `jit` program per step. Batches are formed by query length
 * (`lengthBatches`) and cut to their longest query's bucket, so short queries do not pay for padding.
 *
 * Example:
 *   const { params } = await trainModel({ n, src, tgt }, { config, epochs: 20,
 *     onProgress: (p) => console.log(p.step, p.loss) });
 */
import type { Array as JaxArray } from '@jax-js/jax';
import { GenizaError } from '../core/errors.ts';
import { parameterShapes, validateConfig } from './config.ts';
import type { ModelConfig, ModelParams } from './config.ts';
import { decoderInput, logProbs, toJaxParams } from './forward.ts';
import type { JaxParams } from './forward.ts';
import { Rng, initParams } from './init.ts';
import { initJax, loadedJax } from './jax-node-shim.ts';

/** Training pairs: n queries (token ids) and their docids (docid tokens). */
export interface TrainingSet {
  /** Number of examples. */
  n: number;
  /** n * maxSrcLen query token ids, PAD 0. */
  src: Int32Array;
  /** n * maxTgtLen docid tokens [t0 .. t_{L-1}], 0-padded (0 = no target at that position). */
  tgt: Int32Array;
}

/** What `onProgress` receives. */
export interface TrainProgress {
  /** Steps done. */
  step: number;
  /** Steps planned (epochs * steps per epoch); a time budget may stop earlier. */
  totalSteps: number;
  /** Examples seen (steps * batch size). */
  examples: number;
  /** Smoothed training loss (exponential moving average). */
  loss: number;
  /** Recent throughput. */
  examplesPerSec: number;
  /** Estimated seconds left (bounded by what remains of the time budget). */
  etaSec: number;
}

/** Options of `trainModel`. */
export interface TrainOptions {
  /** Model architecture (srcVocab/tgtVocab/maxSrcLen/maxTgtLen must match the data). */
  config: ModelConfig;
  /** Seed of initialization and shuffling; default 42. */
  seed?: number;
  /** Passes over the data; default `autoEpochs(n, batchSize)` (one pass, at least AUTO_MIN_STEPS steps). */
  epochs?: number;
  /** Wall-clock budget in seconds (compilation included); stops after the step that reaches it. Default: none. */
  timeBudgetSec?: number;
  /** Examples per step (capped at n); default DEFAULT_BATCH_SIZE. */
  batchSize?: number;
  /** Peak learning rate (after linear warmup, then cosine decay); default 1e-3. */
  learningRate?: number;
  /** Label smoothing of the targets; default 0.1. */
  labelSmoothing?: number;
  /** Gradient clipping by global norm; default 1.0 (0 = off). */
  clipNorm?: number;
  /** jax-js worker threads, effective only on the first jax start of the process; default `defaultThreads()`. */
  threads?: number;
  /** Parameters to start from (same config); default: `initParams(config, seed)`. */
  init?: ModelParams;
  /**
   * Decoupled decay towards the starting parameters: every step moves each weight by
   * lr(t) * anchorDecay * (start - weight) besides Adam's update, so training refines the start instead of
   * drifting from it (with a warm start: keeps what the corpus statistics put there). Default 0 (off).
   */
  anchorDecay?: number;
  /** Parameter names the anchor decay leaves free (e.g. the docid output layer, which must memorize documents); default none. */
  anchorExclude?: readonly string[];
  /**
   * Query lengths batches are cut to (ascending, the last = maxSrcLen); default `lengthBuckets(maxSrcLen)`.
   * `[maxSrcLen]` trains every batch at full length (batches of mixed lengths).
   */
  buckets?: readonly number[];
  /** Called at most ~4 times a second, and once after the last step. */
  onProgress?: (p: TrainProgress) => void;
}

/** What `trainModel` returns. */
export interface TrainResult {
  /** Trained parameters as plain Float32Arrays. */
  params: ModelParams;
  /** Steps done. */
  steps: number;
  /** Examples seen (steps * batch size). */
  examples: number;
  /** Wall-clock seconds, compilation included. */
  seconds: number;
  /** Smoothed training loss at the end. */
  finalLoss: number;
  /** Examples per step used (the option capped at n). */
  batchSize: number;
  /** Peak learning rate used. */
  learningRate: number;
  /** Anchor decay used (0 = off). */
  anchorDecay: number;
  /** Passes planned (the time budget may have stopped earlier). */
  epochs: number;
}

const BETA1 = 0.9;
const BETA2 = 0.98;
const ADAM_EPS = 1e-8;
/** Final learning rate as a fraction of the peak. */
const LR_FLOOR = 0.02;
const PROGRESS_INTERVAL_MS = 250;

/** Examples per step by default (the batch the default preset was measured with; at 2+2 layers it also trains ~25% more examples/s than 64, at 1+1 a few %: BENCHMARKS.md). */
export const DEFAULT_BATCH_SIZE = 128;

/** Fewest steps the default number of passes gives (a small corpus gets more passes than one). */
export const AUTO_MIN_STEPS = 500;

/**
 * Default number of passes over `n` training pairs: one, or as many as make AUTO_MIN_STEPS steps of `batchSize`.
 * One pass is where the model alone scored best on real queries of three collections (1,400-5,200 documents, 50
 * pseudo-queries each): further passes fit the pseudo-queries better and the real queries worse (BENCHMARKS.md).
 * @example autoEpochs(259_150, 128) // 1 (SciFact: 2,025 steps); autoEpochs(6_000, 128) // 11 (a small site)
 */
export function autoEpochs(n: number, batchSize: number): number {
  const perEpoch = Math.ceil(n / Math.max(1, Math.min(batchSize, n)));
  return Math.max(1, Math.ceil(AUTO_MIN_STEPS / perEpoch));
}

/**
 * Default query lengths for length batches: 8, 16, ... below maxSrcLen, then maxSrcLen. A step costs about its
 * batch's length (measured on 2 cores, d=128, 1+1 layers, batch 128: 240 examples/s at 32 tokens, 410 at 16, 460
 * at 8), and most pseudo-queries are short (55-82% have at most 16 tokens on three collections).
 */
export function lengthBuckets(maxSrcLen: number): number[] {
  const out: number[] = [];
  for (let L = 8; L < maxSrcLen; L *= 2) out.push(L);
  out.push(maxSrcLen);
  return out;
}

/** A batch of a pass: the batch size of example indices from `start` of the pass's order, all no longer than `length` (past the end of the pass: filled at random). */
export interface LengthBatch { start: number; length: number }

/**
 * One pass's batches by length. `order` (a shuffled permutation of the examples, rearranged in place) is grouped
 * by bucket, shortest first, keeping the shuffled order within a bucket; full batches of `batchSize` are cut at
 * each bucket's length, and what does not fill a batch moves up to the next bucket (a short query fits a longer
 * batch), so a pass has ceil(n / batchSize) batches as without buckets, the last one possibly partial. The batch
 * order is then shuffled with `rng`.
 */
export function lengthBatches(
  order: Int32Array, lengths: ArrayLike<number>, buckets: readonly number[], batchSize: number,
  rng: Rng,
): LengthBatch[] {
  const n = order.length;
  const byBucket: number[][] = buckets.map(() => []);
  for (let i = 0; i < n; i++) {
    const ex = order[i]!;
    let b = 0;
    while (b < buckets.length - 1 && lengths[ex]! > buckets[b]!) b++;
    byBucket[b]!.push(ex);
  }
  const batches: LengthBatch[] = [];
  let carry: number[] = [];
  let at = 0;
  buckets.forEach((length, b) => {
    const pool = carry.concat(byBucket[b]!);
    const last = b === buckets.length - 1;
    const full = last ? pool.length : pool.length - (pool.length % batchSize);
    for (let i = 0; i < full; i += batchSize) batches.push({ start: at + i, length });
    order.set(pool.slice(0, full), at);
    at += full;
    carry = pool.slice(full);
  });
  rng.shuffle(batches);
  return batches;
}

/** Learning rate after `step` steps at `progress` in [0, 1]: linear warmup, then cosine to LR_FLOOR * peak. */
export function learningRateAt(peak: number, step: number, warmupSteps: number, progress: number): number {
  if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const p = Math.min(1, Math.max(0, progress));
  return peak * (LR_FLOOR + (1 - LR_FLOOR) * 0.5 * (1 + Math.cos(Math.PI * p)));
}

function badOption(name: string, rule: string, value: unknown): never {
  throw new GenizaError('BAD_OPTION', `train: ${name} must be ${rule} (got ${String(value)})`);
}

function checkIds(what: string, ids: Int32Array, limit: number): void {
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (v < 0 || v >= limit) throw new GenizaError('BAD_INPUT', `train: ${what} id ${v} at index ${i} is outside [0, ${limit})`);
  }
}

type StepFn = (p: JaxParams, m: JaxParams, v: JaxParams, src: JaxArray, tin: JaxArray, weights: JaxArray, lr: JaxArray,
  anchor: JaxParams | null, decay: JaxArray | null) => [JaxArray, JaxParams, JaxParams, JaxParams];

/**
 * One compiled training step: loss, gradients, clipping and Adam in a single jit program. When `anchored`, it also
 * takes anchor values (of the parameters to pull; the others are left free) and a decay rate, and pulls each
 * of those parameters towards its anchor.
 */
function makeTrainStep(config: ModelConfig, clipNorm: number, anchored: boolean): StepFn {
  const { jit, numpy: np, tree, valueAndGrad } = loadedJax();
  const names = [...parameterShapes(config).keys()];
  // Loss = -sum(logprobs * weights); weights hold the (smoothed) target distribution of every
  // counted position, already divided by the number of counted positions in the batch.
  const lossFn = (p: JaxParams, src: JaxArray, tin: JaxArray, weights: JaxArray): JaxArray =>
    logProbs(p, src, tin, config).mul(weights).sum().mul(-1);
  const step = (p: JaxParams, m: JaxParams, v: JaxParams, src: JaxArray, tin: JaxArray, weights: JaxArray, lr: JaxArray,
    anchor: JaxParams | null, decay: JaxArray | null) => {
    const [loss, grads] = valueAndGrad(lossFn)(tree.ref(p), src, tin, weights) as [JaxArray, JaxParams];
    let scale: JaxArray | null = null;
    if (clipNorm > 0) {
      let ss: JaxArray | null = null;
      for (const name of names) {
        const sq = np.square(grads[name]!.ref).sum();
        ss = ss ? ss.add(sq) : sq;
      }
      scale = np.minimum(1, np.reciprocal(np.sqrt(ss!).add(1e-6)).mul(clipNorm));
    }
    const np2: JaxParams = {};
    const nm: JaxParams = {};
    const nv: JaxParams = {};
    for (const name of names) {
      const g = scale ? grads[name]!.mul(scale.ref) : grads[name]!;
      const m2 = m[name]!.mul(BETA1).add(g.ref.mul(1 - BETA1));
      const v2 = v[name]!.mul(BETA2).add(np.square(g).mul(1 - BETA2));
      const adam = m2.ref.mul(lr.ref).div(np.sqrt(v2.ref).add(ADAM_EPS));
      const w = p[name]!;
      const a = anchor?.[name];
      np2[name] = a && decay ? w.ref.sub(adam).sub(w.sub(a).mul(decay.ref)) : w.sub(adam);
      nm[name] = m2;
      nv[name] = v2;
    }
    scale?.dispose();
    lr.dispose();
    decay?.dispose();
    return [loss, np2, nm, nv] as [JaxArray, JaxParams, JaxParams, JaxParams];
  };
  if (anchored) return jit(step) as unknown as StepFn;
  return jit((p: JaxParams, m: JaxParams, v: JaxParams, src: JaxArray, tin: JaxArray, weights: JaxArray, lr: JaxArray) =>
    step(p, m, v, src, tin, weights, lr, null, null)) as unknown as StepFn;
}

/**
 * Trains on `data` until `epochs` passes or `timeBudgetSec` seconds, whichever comes first.
 * Deterministic in `seed` (initialization and shuffling) as long as the time budget does not bind
 * (the budget also drives the learning-rate decay, so training fits it).
 * Every step has the same batch shape: the last, partial batch of an epoch is filled with examples
 * drawn at random from the data.
 */
export async function trainModel(data: TrainingSet, opts: TrainOptions): Promise<TrainResult> {
  const t0 = performance.now();
  const config = opts.config;
  validateConfig(config);
  const seed = opts.seed ?? 42;
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const epochs = opts.epochs ?? (data.n >= 1 ? autoEpochs(data.n, batchSize) : 1);
  const peakLr = opts.learningRate ?? 1e-3;
  const smoothing = opts.labelSmoothing ?? 0.1;
  const clipNorm = opts.clipNorm ?? 1.0;
  const anchorDecay = opts.anchorDecay ?? 0;
  const budget = opts.timeBudgetSec;
  if (!Number.isInteger(seed)) badOption('seed', 'an integer', seed);
  if (!Number.isInteger(epochs) || epochs < 1) badOption('epochs', 'an integer >= 1', epochs);
  if (!Number.isInteger(batchSize) || batchSize < 1) badOption('batchSize', 'an integer >= 1', batchSize);
  if (!(peakLr > 0)) badOption('learningRate', '> 0', peakLr);
  if (!(smoothing >= 0 && smoothing < 1)) badOption('labelSmoothing', 'in [0, 1)', smoothing);
  if (!(clipNorm >= 0)) badOption('clipNorm', '>= 0', clipNorm);
  if (!(anchorDecay >= 0)) badOption('anchorDecay', '>= 0', anchorDecay);
  if (budget !== undefined && !(budget > 0)) badOption('timeBudgetSec', '> 0', budget);

  const S = config.maxSrcLen;
  const T = config.maxTgtLen;
  const V = config.tgtVocab;
  const n = data.n;
  if (!Number.isInteger(n) || n < 1) throw new GenizaError('BAD_INPUT', `train: the training set must have >= 1 example (got ${n})`);
  if (data.src.length !== n * S) throw new GenizaError('BAD_INPUT', `train: src must hold n*maxSrcLen = ${n * S} ids (got ${data.src.length})`);
  if (data.tgt.length !== n * T) throw new GenizaError('BAD_INPUT', `train: tgt must hold n*maxTgtLen = ${n * T} ids (got ${data.tgt.length})`);
  checkIds('source', data.src, config.srcVocab);
  checkIds('target', data.tgt, V);

  const { numpy: np, tree } = await initJax(opts.threads === undefined ? {} : { threads: opts.threads });

  const B = Math.min(batchSize, n);
  const stepsPerEpoch = Math.ceil(n / B);
  const totalSteps = epochs * stepsPerEpoch;
  const warmupSteps = Math.max(1, Math.min(500, Math.round(0.06 * totalSteps)));
  const tin = decoderInput(data.tgt, n, T);

  const start = opts.init ?? initParams(config, seed);
  let P = toJaxParams(start, config);
  let M: JaxParams = {};
  let Vs: JaxParams = {};
  for (const [name, shape] of parameterShapes(config)) {
    M[name] = np.zeros(shape);
    Vs[name] = np.zeros(shape);
  }
  const excluded = new Set(opts.anchorExclude ?? []);
  for (const name of excluded) if (!parameterShapes(config).has(name)) badOption('anchorExclude', 'parameter names of the model', name);
  const trainStep = makeTrainStep(config, clipNorm, anchorDecay > 0);
  // The anchor: starting values of the parameters the decay pulls (null when it is off).
  let anchor: JaxParams | null = null;
  if (anchorDecay > 0) {
    anchor = toJaxParams(start, config);
    for (const name of excluded) { anchor[name]!.dispose(); delete anchor[name]; }
  }

  const rng = new Rng(seed ^ 0x5eed);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const buckets = opts.buckets ?? lengthBuckets(S);
  if (buckets.length < 1 || buckets[buckets.length - 1] !== S || buckets.some((L, i) => !Number.isInteger(L) || L < 1 || (i > 0 && L <= buckets[i - 1]!))) {
    badOption('buckets', `ascending integers >= 1 ending at maxSrcLen ${S}`, `[${buckets.join(', ')}]`);
  }
  // Each example's length: up to its last non-PAD token.
  const lengths = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let L = S;
    while (L > 1 && data.src[i * S + L - 1] === 0) L--;
    lengths[i] = L;
  }
  const bSrcOf = new Map(buckets.map((L) => [L, new Int32Array(B * L)]));
  const bTin = new Int32Array(B * T);
  const bW = new Float32Array(B * T * V);
  const onValue = 1 - smoothing + smoothing / V;
  const offValue = smoothing / V;

  /**
   * Fills the batch buffers with examples `order[from .. from+B)` cut to `L` tokens (random examples past the
   * end: only the last batch of a pass is partial, and it has the full length).
   */
  const fillBatch = (from: number, L: number): Int32Array => {
    const bSrc = bSrcOf.get(L)!;
    bW.fill(0);
    let counted = 0;
    for (let r = 0; r < B; r++) {
      const ex = from + r < n ? order[from + r]! : rng.int(n);
      bSrc.set(data.src.subarray(ex * S, ex * S + L), r * L);
      bTin.set(tin.subarray(ex * T, ex * T + T), r * T);
      for (let t = 0; t < T; t++) {
        const y = data.tgt[ex * T + t]!;
        if (y === 0) continue;
        counted++;
        const base = (r * T + t) * V;
        bW.fill(offValue, base, base + V);
        bW[base + y] = onValue;
      }
    }
    if (counted > 0) for (let i = 0; i < bW.length; i++) bW[i]! /= counted;
    return bSrc;
  };

  let step = 0;
  let ema = 0;
  let emaWeight = 0;
  let lastReport = -Infinity;
  const recent: { t: number; step: number }[] = [];
  const elapsed = (): number => (performance.now() - t0) / 1000;
  let reportedStep = -1;
  const report = (force: boolean): void => {
    const now = performance.now();
    if (!opts.onProgress || (force ? reportedStep === step : now - lastReport < PROGRESS_INTERVAL_MS)) return;
    lastReport = now;
    reportedStep = step;
    const first = recent[0];
    const last = recent[recent.length - 1];
    const stepsPerSec = first && last && last.step > first.step
      ? ((last.step - first.step) * 1000) / (last.t - first.t)
      : step / Math.max(1e-3, elapsed());
    let eta = stepsPerSec > 0 ? (totalSteps - step) / stepsPerSec : 0;
    if (budget !== undefined) eta = Math.min(eta, Math.max(0, budget - elapsed()));
    opts.onProgress({
      step, totalSteps, examples: step * B, loss: emaWeight > 0 ? ema / emaWeight : NaN,
      examplesPerSec: stepsPerSec * B, etaSec: eta,
    });
  };

  try {
    outer: for (let epoch = 0; epoch < epochs; epoch++) {
      rng.shuffle(order);
      for (const { start, length } of lengthBatches(order, lengths, buckets, B, rng)) {
        if (budget !== undefined && step > 0 && elapsed() >= budget) break outer;
        const bSrc = fillBatch(start, length);
        const progress = Math.max(step / totalSteps, budget !== undefined ? elapsed() / budget : 0);
        const t = step + 1;
        const scheduled = learningRateAt(peakLr, step, warmupSteps, progress);
        const lr = scheduled * Math.sqrt(1 - BETA2 ** t) / (1 - BETA1 ** t);
        let loss: JaxArray;
        const batch = [
          np.array(bSrc, { shape: [B, length], dtype: np.int32 }),
          np.array(bTin, { shape: [B, T], dtype: np.int32 }),
          np.array(bW, { shape: [B, T, V] }),
          np.array(lr),
        ] as const;
        [loss, P, M, Vs] = anchor
          ? trainStep(P, M, Vs, ...batch, tree.ref(anchor), np.array(scheduled * anchorDecay))
          : (trainStep as (...a: unknown[]) => ReturnType<StepFn>)(P, M, Vs, ...batch);
        const value = (await loss.data())[0]!;
        if (!Number.isFinite(value)) throw new GenizaError('MODEL', `train: the loss became ${value} at step ${t}; lower learningRate (got ${peakLr})`);
        step = t;
        ema = ema * 0.95 + value * 0.05;
        emaWeight = emaWeight * 0.95 + 0.05;
        recent.push({ t: performance.now(), step });
        if (recent.length > 20) recent.shift();
        report(false);
      }
    }
    report(true);
    const params: ModelParams = {};
    for (const [name, shape] of parameterShapes(config)) {
      params[name] = { shape: [...shape], data: new Float32Array(await P[name]!.data()) };
    }
    P = {};
    return {
      params, steps: step, examples: step * B, seconds: elapsed(), finalLoss: ema / emaWeight,
      batchSize: B, learningRate: peakLr, anchorDecay, epochs,
    };
  } finally {
    for (const a of [...Object.values(P), ...Object.values(M), ...Object.values(Vs), ...Object.values(anchor ?? {})]) {
      try { a.dispose(); } catch { /* already consumed by a failed step */ }
    }
  }
}
