/**
 * The model's forward pass in jax-js: the one definition used by the training loss (src/model/train.ts)
 * and by `forwardLogProbs`, the reference the ONNX export is tested against. Math: src/model/config.ts.
 *
 * jax-js ownership rules apply to every function here: each call consumes its array arguments (every
 * parameter array is used exactly once per pass); pass `x.ref` to keep using `x`.
 */
import type { Array as JaxArray } from '@jax-js/jax';
import { BOS_ID, LN_EPS, MASK_BIAS, PAD_ID, parameterShapes, validateConfig } from './config.ts';
import type { ModelConfig, ModelParams } from './config.ts';
import { initJax, loadedJax } from './jax-node-shim.ts';

/** Parameters as jax arrays, by the names of `parameterShapes`. */
export type JaxParams = Record<string, JaxArray>;

/** Takes parameter `name` (consumed by the caller's use). */
function param(p: JaxParams, name: string): JaxArray {
  const a = p[name];
  if (!a) throw new Error(`model: missing parameter ${name}`);
  return a;
}

/** y = x @ p[name.w] + p[name.b]. */
function linear(x: JaxArray, p: JaxParams, name: string): JaxArray {
  const { numpy: np } = loadedJax();
  return np.matmul(x, param(p, `${name}.w`)).add(param(p, `${name}.b`));
}

/** LayerNorm over the last axis with gain `name.g` and bias `name.b`. */
function layerNorm(x: JaxArray, p: JaxParams, name: string): JaxArray {
  const { nn } = loadedJax();
  return nn.standardize(x, -1, { epsilon: LN_EPS }).mul(param(p, `${name}.g`)).add(param(p, `${name}.b`));
}

/** relu(x @ w1 + b1) @ w2 + b2. */
function feedForward(x: JaxArray, p: JaxParams, name: string): JaxArray {
  const { numpy: np, nn } = loadedJax();
  const h = nn.relu(np.matmul(x, param(p, `${name}.w1`)).add(param(p, `${name}.b1`)));
  return np.matmul(h, param(p, `${name}.w2`)).add(param(p, `${name}.b2`));
}

/**
 * Multi-head attention of `qIn` [B, Tq, D] over `kvIn` [B, Tk, D] with additive `bias`
 * (broadcastable to [B, heads, Tq, Tk]).
 */
function attention(qIn: JaxArray, kvIn: JaxArray, bias: JaxArray, p: JaxParams, name: string, c: ModelConfig): JaxArray {
  const { numpy: np, nn } = loadedJax();
  const [B, Tq] = qIn.shape as [number, number];
  const Tk = kvIn.shape[1] as number;
  const H = c.heads;
  const dh = c.dModel / H;
  const q = linear(qIn, p, `${name}.q`).reshape([B, Tq, H, dh]).transpose([0, 2, 1, 3]);
  const k = linear(kvIn.ref, p, `${name}.k`).reshape([B, Tk, H, dh]).transpose([0, 2, 3, 1]);
  const v = linear(kvIn, p, `${name}.v`).reshape([B, Tk, H, dh]).transpose([0, 2, 1, 3]);
  const scores = np.matmul(q, k).mul(1 / Math.sqrt(dh)).add(bias);
  const heads = np.matmul(nn.softmax(scores, -1), v).transpose([0, 2, 1, 3]).reshape([B, Tq, c.dModel]);
  return linear(heads, p, `${name}.o`);
}

/**
 * Encoder: `src` int32 [B, S] -> { memory [B, S, D], maskBias [B, S] (MASK_BIAS at PAD, else 0) }.
 * Consumes the encoder's parameters and `src`.
 */
export function encode(p: JaxParams, src: JaxArray, c: ModelConfig): { memory: JaxArray; maskBias: JaxArray } {
  const { numpy: np } = loadedJax();
  const [B, S] = src.shape as [number, number];
  const maskBias = np.equal(src.ref, PAD_ID).astype(np.float32).mul(MASK_BIAS);
  const bias4 = maskBias.ref.reshape([B, 1, 1, S]);
  // A batch may be cut shorter than maxSrcLen (the trainer's length batches): positions 0..S-1 are used.
  const pos = param(p, 'srcPos');
  let x = np.take(param(p, 'srcEmb'), src, 0).add(S < (pos.shape[0] as number) ? pos.slice([0, S], []) : pos);
  for (let i = 0; i < c.encoderLayers; i++) {
    const h = layerNorm(x.ref, p, `enc.${i}.ln1`);
    x = x.add(attention(h.ref, h, bias4.ref, p, `enc.${i}.self`, c));
    x = x.add(feedForward(layerNorm(x.ref, p, `enc.${i}.ln2`), p, `enc.${i}.ffn`));
  }
  bias4.dispose();
  return { memory: layerNorm(x, p, 'enc.lnf'), maskBias };
}

/** Causal attention bias [T, T]: MASK_BIAS above the diagonal. */
function causalBias(T: number): JaxArray {
  const { numpy: np } = loadedJax();
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = MASK_BIAS;
  return np.array(m, { shape: [T, T] });
}

/**
 * Decoder: memory [B, S, D], maskBias [B, S], decoder input `tin` int32 [B, T] ([BOS, t0 .. t_{T-2}])
 * -> log-probs [B, T, tgtVocab]. Consumes the decoder's parameters and all three arrays.
 */
export function decode(p: JaxParams, memory: JaxArray, maskBias: JaxArray, tin: JaxArray, c: ModelConfig): JaxArray {
  const { numpy: np, nn } = loadedJax();
  const [B, T] = tin.shape as [number, number];
  const S = memory.shape[1] as number;
  const cross = maskBias.reshape([B, 1, 1, S]);
  const causal = causalBias(T);
  let y = np.take(param(p, 'tgtEmb'), tin, 0).add(param(p, 'tgtPos'));
  for (let i = 0; i < c.decoderLayers; i++) {
    const h = layerNorm(y.ref, p, `dec.${i}.ln1`);
    y = y.add(attention(h.ref, h, causal.ref, p, `dec.${i}.self`, c));
    y = y.add(attention(layerNorm(y.ref, p, `dec.${i}.ln2`), memory.ref, cross.ref, p, `dec.${i}.cross`, c));
    y = y.add(feedForward(layerNorm(y.ref, p, `dec.${i}.ln3`), p, `dec.${i}.ffn`));
  }
  memory.dispose();
  cross.dispose();
  causal.dispose();
  return nn.logSoftmax(linear(layerNorm(y, p, 'dec.lnf'), p, 'out'), -1);
}

/** Whole model: src [B, S] and decoder input tin [B, T] (int32) -> log-probs [B, T, tgtVocab]. Consumes all. */
export function logProbs(p: JaxParams, src: JaxArray, tin: JaxArray, c: ModelConfig): JaxArray {
  const { memory, maskBias } = encode(p, src, c);
  return decode(p, memory, maskBias, tin, c);
}

/**
 * Decoder input from docid targets: row [t0 .. t_{T-1}] (0-padded) -> [BOS, t0 .. t_{T-2}].
 * `tgt` holds n rows of length T.
 */
export function decoderInput(tgt: Int32Array, n: number, T: number): Int32Array {
  if (tgt.length !== n * T) throw new Error(`model: tgt must hold n*maxTgtLen = ${n * T} ids (got ${tgt.length})`);
  const out = new Int32Array(n * T);
  for (let r = 0; r < n; r++) {
    out[r * T] = BOS_ID;
    for (let t = 1; t < T; t++) out[r * T + t] = tgt[r * T + t - 1]!;
  }
  return out;
}

/** Copies plain parameters into jax arrays (checking names and shapes against the config). */
export function toJaxParams(params: ModelParams, c: ModelConfig): JaxParams {
  const { numpy: np } = loadedJax();
  const out: JaxParams = {};
  for (const [name, shape] of parameterShapes(c)) {
    const t = params[name];
    if (!t) throw new Error(`model: missing parameter ${name}`);
    const size = shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== size || t.shape.join('x') !== shape.join('x')) {
      throw new Error(`model: parameter ${name} must have shape [${shape}] (got [${t.shape}] with ${t.data.length} values)`);
    }
    out[name] = np.array(t.data, { shape });
  }
  return out;
}

/**
 * Log-probs [n, T, tgtVocab] (row-major) of the jax-js forward pass: the reference for the ONNX export.
 * `src`: n*maxSrcLen token ids (PAD 0); `tgt`: n*maxTgtLen DECODER INPUT ids ([BOS = 0, t0, ...], the
 * ONNX decoder's `tgt`; build it from docid targets with `decoderInput`).
 */
export async function forwardLogProbs(params: ModelParams, config: ModelConfig, src: Int32Array, tgt: Int32Array, n: number): Promise<Float32Array> {
  validateConfig(config);
  const S = config.maxSrcLen;
  const T = config.maxTgtLen;
  if (!Number.isInteger(n) || n < 1) throw new Error(`model: n must be an integer >= 1 (got ${n})`);
  if (src.length !== n * S) throw new Error(`model: src must hold n*maxSrcLen = ${n * S} ids (got ${src.length})`);
  if (tgt.length !== n * T) throw new Error(`model: tgt must hold n*maxTgtLen = ${n * T} ids (got ${tgt.length})`);
  const { numpy: np } = await initJax();
  const p = toJaxParams(params, config);
  const out = logProbs(p, np.array(src, { shape: [n, S], dtype: np.int32 }), np.array(tgt, { shape: [n, T], dtype: np.int32 }), config);
  return new Float32Array(await out.data());
}
