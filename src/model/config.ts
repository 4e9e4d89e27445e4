/**
 * The model's architecture: configuration, defaults and parameter layout. Trainer (jax-js) and ONNX
 * exporter both read parameters by the names defined here, so the two cannot drift.
 *
 * Architecture (pre-LayerNorm Transformer encoder-decoder, ReLU feed-forward, learned positions):
 *
 *   Encoder, src: int [N, S] (PAD = 0), S = maxSrcLen
 *     maskBias[n, s] = src[n, s] == 0 ? -1e9 : 0
 *     x = srcEmb[src] + srcPos[0..S)
 *     per layer i:  x = x + Attn(LN(x; enc.i.ln1), x, maskBias; enc.i.self)
 *                   x = x + FFN(LN(x; enc.i.ln2); enc.i.ffn)
 *     memory = LN(x; enc.lnf)
 *   Decoder, tgt: int [N, T] = [BOS = 0, docid tokens ..., padding 0], T = maxTgtLen
 *     y = tgtEmb[tgt] + tgtPos[0..T)
 *     per layer i:  y = y + Attn(LN(y; dec.i.ln1), y, causal; dec.i.self)
 *                   y = y + Attn(LN(y; dec.i.ln2), memory, maskBias; dec.i.cross)
 *                   y = y + FFN(LN(y; dec.i.ln3); dec.i.ffn)
 *     logprobs = logSoftmax(LN(y; dec.lnf) @ out.w + out.b)      -> [N, T, tgtVocab]
 *   LN(x; p)  = (x - mean) / sqrt(var + LN_EPS) * p.g + p.b   (over the last axis, biased variance)
 *   Attn(q_in, kv_in, bias; p): q = q_in @ p.q.w + p.q.b, k = kv_in @ p.k.w + p.k.b, v = kv_in @ p.v.w + p.v.b,
 *     split into `heads` heads of dModel/heads, softmax(q k^T / sqrt(dh) + bias) v, heads concatenated,
 *     then @ p.o.w + p.o.b.  (causal bias: -1e9 above the diagonal)
 *   FFN(x; p) = relu(x @ p.w1 + p.b1) @ p.w2 + p.b2
 * Weights are stored [in, out] (y = x @ w).
 */
import type { ModelConfig } from '../core/types.ts';

export type { ModelConfig };

/** LayerNorm epsilon, shared by the jax forward pass and the ONNX graph. */
export const LN_EPS = 1e-5;
/** Additive attention bias for masked positions. */
export const MASK_BIAS = -1e9;
/** Source padding token (tokenizer id 0). */
export const PAD_ID = 0;
/** Decoder start token (target id 0). */
export const BOS_ID = 0;

/** Architecture defaults (a site-sized model that trains in minutes on 2 cores). */
export const DEFAULT_MODEL = {
  dModel: 128,
  heads: 4,
  ffn: 512,
  encoderLayers: 1,
  decoderLayers: 1,
  maxSrcLen: 32,
} as const;

/** A parameter tensor: row-major float32 data with its shape. */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/** All parameters of a model, by the names of `parameterShapes`. */
export type ModelParams = Record<string, Tensor>;

/** Checks a config, throwing `model: <field> must be ... (got x)` on the first bad field. */
export function validateConfig(c: ModelConfig): void {
  const positive: (keyof ModelConfig)[] = ['dModel', 'heads', 'ffn', 'encoderLayers', 'decoderLayers', 'srcVocab', 'tgtVocab', 'maxSrcLen', 'maxTgtLen'];
  for (const k of positive) {
    const v = c[k];
    if (v === undefined || !Number.isInteger(v) || v < 1) throw new Error(`model: ${k} must be an integer >= 1 (got ${v})`);
  }
  if (c.dModel % c.heads !== 0) throw new Error(`model: dModel must be divisible by heads (got ${c.dModel} and ${c.heads})`);
}

/** Name -> shape of every parameter, in a fixed order (the order of the trainer's flat list). */
export function parameterShapes(c: ModelConfig): Map<string, number[]> {
  const D = c.dModel;
  const m = new Map<string, number[]>();
  const ln = (p: string) => { m.set(`${p}.g`, [D]); m.set(`${p}.b`, [D]); };
  const lin = (p: string, i: number, o: number) => { m.set(`${p}.w`, [i, o]); m.set(`${p}.b`, [o]); };
  const attn = (p: string) => { for (const x of ['q', 'k', 'v', 'o']) lin(`${p}.${x}`, D, D); };
  const ffn = (p: string) => { m.set(`${p}.w1`, [D, c.ffn]); m.set(`${p}.b1`, [c.ffn]); m.set(`${p}.w2`, [c.ffn, D]); m.set(`${p}.b2`, [D]); };
  m.set('srcEmb', [c.srcVocab, D]);
  m.set('srcPos', [c.maxSrcLen, D]);
  for (let i = 0; i < c.encoderLayers; i++) { ln(`enc.${i}.ln1`); attn(`enc.${i}.self`); ln(`enc.${i}.ln2`); ffn(`enc.${i}.ffn`); }
  ln('enc.lnf');
  m.set('tgtEmb', [c.tgtVocab, D]);
  m.set('tgtPos', [c.maxTgtLen, D]);
  for (let i = 0; i < c.decoderLayers; i++) {
    ln(`dec.${i}.ln1`); attn(`dec.${i}.self`); ln(`dec.${i}.ln2`); attn(`dec.${i}.cross`); ln(`dec.${i}.ln3`); ffn(`dec.${i}.ffn`);
  }
  ln('dec.lnf');
  lin('out', D, c.tgtVocab);
  return m;
}

/** Number of scalar parameters. */
export function parameterCount(c: ModelConfig): number {
  let n = 0;
  for (const s of parameterShapes(c).values()) n += s.reduce((a, b) => a * b, 1);
  return n;
}
