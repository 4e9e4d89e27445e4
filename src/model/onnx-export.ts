/**
 * Writes the trained model as two ONNX graphs (opset 17, IR 8) for onnxruntime-web:
 *   encoder.onnx: src int64 [N, S] -> memory float32 [N, S, D], mask float32 [N, S] (0 real, MASK_BIAS PAD)
 *   decoder.onnx: memory [N, S, D], mask [N, S], tgt int64 [N, T] -> logprobs float32 [N, T, tgtVocab]
 *     memory and mask may also have batch 1 with tgt of batch N (one query, N beams): they broadcast, with
 *     the same result as tiling them N times, and the cross-attention keys/values are computed once.
 * Same math as src/model/forward.ts (spelled out in src/model/config.ts).
 *
 * With `quantize` (the default) every matmul weight [in, out] is stored int8 with one symmetric scale per
 * output column; activations are quantized at run time (DynamicQuantizeLinear, uint8, one scale per tensor)
 * and multiplied with MatMulInteger, the int32 result cast to float and rescaled by activation scale *
 * column scale. Embedding tables are int8 with one scale per row, dequantized after the Gather; with
 * `embeddingBits: 4` the source token table (`srcEmb`, the largest part of the download with a large vocabulary) is
 * 4-bit instead, one scale per EMBED_INT4_GROUP values of a row (see `quantizeRowsInt4`). Biases,
 * LayerNorm parameters and position tables stay float32. Note: the activation scale is per tensor, so a
 * row's output depends very slightly on the other rows of the batch.
 * The q/k/v projections that read one value are one matmul (weights side by side, split after), and
 * 1/sqrt(head dim) is folded into the q weights and bias.
 *
 * Example:
 *   const { encoder, decoder } = exportOnnx(params, config);   // Uint8Arrays of .onnx files
 */
import { LN_EPS, MASK_BIAS, PAD_ID, parameterShapes, validateConfig } from './config.ts';
import type { ModelConfig, ModelParams, Tensor } from './config.ts';
import { DataType, GraphBuilder } from './onnx-builder.ts';
import { quantizeColumns, quantizeRows, quantizeRowsInt4 } from './quantize.ts';

/** Options of `exportOnnx`. */
export interface ExportOptions {
  /** int8 weights with dynamic activation quantization (smaller, faster); false = plain float32. Default true. */
  quantize?: boolean;
  /**
   * Bits per value of the source token table when quantizing: 8 (default) or 4. Measured at 4 bits (BENCHMARKS.md):
   * SciFact's encoder.onnx 4.25 -> 2.42 MiB; the model alone's nDCG@10 moved -0.015 to +0.005 over ten bundles of
   * three collections, -0.003 on average.
   */
  embeddingBits?: 4 | 8;
}

/** Values of a source token row that share one 4-bit scale (the row's length when it is not a multiple). */
export const EMBED_INT4_GROUP = 64;

/** The two serialized ONNX models. */
export interface ExportedModel {
  encoder: Uint8Array;
  decoder: Uint8Array;
}

/** Name of the dynamic batch dimension in both graphs. */
export const BATCH_DIM = 'batch';
/** Batch dimension of the decoder's memory and mask inputs: N, or 1 to broadcast over tgt's N. */
export const MEMORY_BATCH_DIM = 'memory_batch';

/** Emits one model's layers into a graph. */
class ModelGraph {
  /** DynamicQuantizeLinear outputs by input value name (shared by the matmuls that read one value). */
  private readonly quantized = new Map<string, [string, string, string]>();

  /** Emits into `g`; every initializer name starts with `prefix` (one per model when a graph holds several). */
  constructor(readonly g: GraphBuilder, private readonly params: ModelParams, private readonly c: ModelConfig, private readonly quantize: boolean,
    private readonly prefix = '') {}

  tensor(name: string): Tensor {
    const t = this.params[name];
    if (!t) throw new Error(`onnx export: missing parameter ${name}`);
    return t;
  }

  /** Float32 initializer holding parameter `name`. */
  floatParam(name: string): string {
    const t = this.tensor(name);
    return this.g.initializer(this.prefix + name, DataType.FLOAT, t.shape, t.data);
  }

  /** x @ W + b with W [in, out] given as data (columns of several parameters may be concatenated). */
  linearRaw(x: string, name: string, w: Float32Array, b: Float32Array, inDim: number, outDim: number): string {
    const g = this.g;
    const p = this.prefix;
    const bias = g.initializer(`${p}${name}.b`, DataType.FLOAT, [outDim], b);
    if (!this.quantize) {
      const wName = g.initializer(`${p}${name}.w`, DataType.FLOAT, [inDim, outDim], w);
      return g.op('Add', [g.op('MatMul', [x, wName]), bias]);
    }
    const qm = quantizeColumns(w, inDim, outDim);
    const wq = g.initializer(`${p}${name}.wq`, DataType.INT8, [inDim, outDim], qm.q);
    const colScale = g.initializer(`${p}${name}.wscale`, DataType.FLOAT, [outDim], qm.scale);
    let dq = this.quantized.get(x);
    if (!dq) {
      dq = g.opN('DynamicQuantizeLinear', [x], 3) as [string, string, string];
      this.quantized.set(x, dq);
    }
    const [xq, xScale, xZero] = dq;
    const acc = g.op('MatMulInteger', [xq, wq, xZero]);
    const scale = g.op('Mul', [xScale, colScale]);
    return g.op('Add', [g.op('Mul', [g.op('Cast', [acc], { to: DataType.FLOAT }), scale]), bias]);
  }

  /** x @ p[name.w] + p[name.b]. */
  linear(x: string, name: string): string {
    const w = this.tensor(`${name}.w`);
    const [inDim, outDim] = w.shape as [number, number];
    return this.linearRaw(x, name, w.data, this.tensor(`${name}.b`).data, inDim, outDim);
  }

  /**
   * Several linears of the same input as one matmul whose columns are the parameters' columns side by
   * side (each column scaled by `scales[i]`), split back into one value per parameter.
   */
  fusedLinear(x: string, fused: string, names: string[], scales: number[]): string[] {
    const D = this.c.dModel;
    const outs = names.map((n) => this.tensor(`${n}.w`).shape[1]!);
    const total = outs.reduce((a, b) => a + b, 0);
    const w = new Float32Array(D * total);
    const b = new Float32Array(total);
    let off = 0;
    names.forEach((n, i) => {
      const wi = this.tensor(`${n}.w`).data;
      const bi = this.tensor(`${n}.b`).data;
      const o = outs[i]!;
      const s = scales[i]!;
      for (let r = 0; r < D; r++) for (let k = 0; k < o; k++) w[r * total + off + k] = wi[r * o + k]! * s;
      for (let k = 0; k < o; k++) b[off + k] = bi[k]! * s;
      off += o;
    });
    const y = this.linearRaw(x, fused, w, b, D, total);
    if (names.length === 1) return [y];
    return this.g.opN('Split', [y, this.g.constInt64('split', outs)], names.length, { axis: -1 });
  }

  layerNorm(x: string, name: string): string {
    return this.g.op('LayerNormalization', [x, this.floatParam(`${name}.g`), this.floatParam(`${name}.b`)],
      { axis: -1, epsilon: { float: LN_EPS } });
  }

  /**
   * Embedding lookup of int64 ids in table `name` ([rows, D]); `keepRows` stores only the first rows (ids below it);
   * `bits` 4 stores a quantized table in 4 bits instead of int8.
   */
  embed(ids: string, name: string, opts: { keepRows?: number; bits?: 4 | 8 } = {}): string {
    const { keepRows, bits = 8 } = opts;
    const g = this.g;
    const t = this.tensor(name);
    const D = t.shape[1];
    const rows = Math.min(keepRows ?? t.shape[0], t.shape[0]);
    const data = t.data.subarray(0, rows * D);
    const p = this.prefix;
    if (!this.quantize) return g.op('Gather', [g.initializer(p + name, DataType.FLOAT, [rows, D], data), ids], { axis: 0 });
    if (bits === 4) return this.embedInt4(ids, name, data, rows, D);
    const qm = quantizeRows(data, rows, D);
    const q = g.initializer(`${p}${name}.q`, DataType.INT8, [rows, D], qm.q);
    const s = g.initializer(`${p}${name}.scale`, DataType.FLOAT, [rows, 1], qm.scale);
    const gathered = g.op('Cast', [g.op('Gather', [q, ids], { axis: 0 })], { to: DataType.FLOAT });
    return g.op('Mul', [gathered, g.op('Gather', [s, ids], { axis: 0 })]);
  }

  /**
   * 4-bit lookup: gathers the packed bytes [.., D/2] and the group scales [.., G], unpacks each byte b into
   * b - 16 * floor(b / 16) (low nibble, columns 0 .. D/2-1) and floor(b / 16) (high nibble, columns D/2 .. D-1), minus 8,
   * times the scale of each value's group.
   */
  private embedInt4(ids: string, name: string, data: Float32Array, rows: number, D: number): string {
    const g = this.g;
    const p = this.prefix;
    const group = D % EMBED_INT4_GROUP === 0 ? EMBED_INT4_GROUP : D;
    const G = D / group;
    const m = quantizeRowsInt4(data, rows, D, group);
    const packed = g.initializer(`${p}${name}.q4`, DataType.UINT8, [rows, D / 2], m.packed);
    const scales = g.initializer(`${p}${name}.scale4`, DataType.FLOAT, [rows, G], m.scale);
    const bytes = g.op('Cast', [g.op('Gather', [packed, ids], { axis: 0 })], { to: DataType.FLOAT });
    const sixteen = g.constFloat('sixteen', [], [16]);
    const high = g.op('Floor', [g.op('Div', [bytes, sixteen])]);
    const low = g.op('Sub', [bytes, g.op('Mul', [high, sixteen])]);
    const q = g.op('Sub', [g.op('Concat', [low, high], { axis: -1 }), g.constFloat('eight', [], [8])]);
    const s = g.op('Gather', [scales, ids], { axis: 0 });
    if (G === 1) return g.op('Mul', [q, s]);
    const grouped = g.op('Reshape', [q, g.constInt64('int4_groups', [0, 0, G, group])]);
    const scaled = g.op('Mul', [grouped, g.op('Reshape', [s, g.constInt64('int4_scales', [0, 0, G, 1])])]);
    return g.op('Reshape', [scaled, g.constInt64('int4_rows', [0, 0, D])]);
  }

  /** relu(x @ w1 + b1) @ w2 + b2 of FFN `prefix` (via the `.ffn1`/`.ffn2` aliases of `withAliases`). */
  feedForward(x: string, prefix: string): string {
    return this.linear(this.g.op('Relu', [this.linear(x, `${prefix}.ffn1`)]), `${prefix}.ffn2`);
  }

  /** Splits [N, L, D] into heads: [N, H, L, dh] (or [N, H, dh, L] with `keyLayout`). */
  heads(x: string, keyLayout: boolean): string {
    const H = this.c.heads;
    const shape = this.g.constInt64('heads_shape', [0, 0, H, this.c.dModel / H]);
    return this.g.op('Transpose', [this.g.op('Reshape', [x, shape])], { perm: keyLayout ? [0, 2, 3, 1] : [0, 2, 1, 3] });
  }

  /** softmax(q k^T + bias) v over heads (q already scaled by 1/sqrt(dh)), heads merged, output projection. */
  attend(q: string, k: string, v: string, bias: string, name: string): string {
    const g = this.g;
    const scores = g.op('Add', [g.op('MatMul', [this.heads(q, false), this.heads(k, true)]), bias]);
    const mixed = g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), this.heads(v, false)]);
    const merged = g.op('Reshape', [g.op('Transpose', [mixed], { perm: [0, 2, 1, 3] }), g.constInt64('merge_shape', [0, 0, this.c.dModel])]);
    return this.linear(merged, `${name}.o`);
  }

  selfAttention(x: string, bias: string, name: string): string {
    const qScale = 1 / Math.sqrt(this.c.dModel / this.c.heads);
    const [q, k, v] = this.fusedLinear(x, `${name}.qkv`, [`${name}.q`, `${name}.k`, `${name}.v`], [qScale, 1, 1]);
    return this.attend(q!, k!, v!, bias, name);
  }

  crossAttention(x: string, memory: string, bias: string, name: string): string {
    const qScale = 1 / Math.sqrt(this.c.dModel / this.c.heads);
    const [q] = this.fusedLinear(x, `${name}.q`, [`${name}.q`], [qScale]);
    const [k, v] = this.fusedLinear(memory, `${name}.kv`, [`${name}.k`, `${name}.v`], [1, 1]);
    return this.attend(q!, k!, v!, bias, name);
  }

  /** mask [N, S] -> additive attention bias [N, 1, 1, S]. */
  maskToBias(mask: string): string {
    return this.g.op('Unsqueeze', [mask, this.g.constInt64('axes', [1, 2])]);
  }
}

/** FFN parameter names in config.ts are `<p>.w1/.b1/.w2/.b2`; linear() expects `<name>.w/.b`. */
function ffnView(params: ModelParams, prefix: string): ModelParams {
  const t = (k: string): Tensor => {
    const v = params[`${prefix}.${k}`];
    if (!v) throw new Error(`onnx export: missing parameter ${prefix}.${k}`);
    return v;
  };
  return {
    [`${prefix}.ffn1.w`]: t('w1'), [`${prefix}.ffn1.b`]: t('b1'),
    [`${prefix}.ffn2.w`]: t('w2'), [`${prefix}.ffn2.b`]: t('b2'),
  };
}

function checkParams(params: ModelParams, c: ModelConfig): void {
  for (const [name, shape] of parameterShapes(c)) {
    const t = params[name];
    if (!t) throw new Error(`onnx export: missing parameter ${name}`);
    if (t.shape.join('x') !== shape.join('x') || t.data.length !== shape.reduce((a, b) => a * b, 1)) {
      throw new Error(`onnx export: parameter ${name} must have shape [${shape}] (got [${t.shape}])`);
    }
  }
}

/** The params plus FFN aliases, so every matmul can be emitted by `linear(x, name)`. */
function withAliases(params: ModelParams, c: ModelConfig): ModelParams {
  const out: ModelParams = { ...params };
  for (let i = 0; i < c.encoderLayers; i++) Object.assign(out, ffnView(params, `enc.${i}.ffn`));
  for (let i = 0; i < c.decoderLayers; i++) Object.assign(out, ffnView(params, `dec.${i}.ffn`));
  return out;
}

/** Prefix of model i's initializers in a graph that holds several models ('' for a single one). */
function memberPrefix(i: number, members: number): string {
  return members === 1 ? '' : `m${i}.`;
}

function buildEncoder(models: readonly ModelParams[], c: ModelConfig, quantize: boolean, embeddingBits: 4 | 8): Uint8Array {
  const g = new GraphBuilder('geniza_encoder');
  const N = BATCH_DIM;
  const M = models.length;
  const src = g.input('src', DataType.INT64, [N, c.maxSrcLen]);
  const isPad = g.op('Equal', [src, g.initializer('pad_id', DataType.INT64, [], BigInt64Array.of(BigInt(PAD_ID)))]);
  const mask = g.op('Where', [isPad, g.constFloat('mask_bias', [], [MASK_BIAS]), g.constFloat('zero', [], [0])], {}, 'mask');
  const memories = models.map((params, i) => {
    const m = new ModelGraph(g, params, c, quantize, memberPrefix(i, M));
    const bias = m.maskToBias(mask);
    let x = g.op('Add', [m.embed(src, 'srcEmb', { bits: embeddingBits }), m.floatParam('srcPos')]);
    for (let l = 0; l < c.encoderLayers; l++) {
      x = g.op('Add', [x, m.selfAttention(m.layerNorm(x, `enc.${l}.ln1`), bias, `enc.${l}.self`)]);
      x = g.op('Add', [x, m.feedForward(m.layerNorm(x, `enc.${l}.ln2`), `enc.${l}.ffn`)]);
    }
    return g.op('LayerNormalization', [x, m.floatParam('enc.lnf.g'), m.floatParam('enc.lnf.b')],
      { axis: -1, epsilon: { float: LN_EPS } }, M === 1 ? 'memory' : undefined);
  });
  // Several models: their memories side by side on the last axis (the decoder splits them again).
  const memory = M === 1 ? memories[0]! : g.op('Concat', memories, { axis: -1 }, 'memory');
  g.output(memory, DataType.FLOAT, [N, c.maxSrcLen, c.dModel * M]);
  g.output(mask, DataType.FLOAT, [N, c.maxSrcLen]);
  return g.toModel();
}

/**
 * Rows of tgtEmb the decoder can read: its input is [BOS, t0 .. t(T-2)], and the docid token of value c at level l
 * is 1 + l * K + c (K = (tgtVocab - 1) / T), so the last level's tokens are never an input. With atomic docids
 * (T = 1) only BOS is read: the table would otherwise carry one unused row per document. Any other layout keeps
 * every row.
 */
export function decoderInputRows(c: ModelConfig): number {
  const T = c.maxTgtLen;
  if ((c.tgtVocab - 1) % T !== 0) return c.tgtVocab;
  return 1 + ((c.tgtVocab - 1) / T) * (T - 1);
}

function buildDecoder(models: readonly ModelParams[], c: ModelConfig, quantize: boolean): Uint8Array {
  const g = new GraphBuilder('geniza_decoder');
  const N = BATCH_DIM;
  const T = c.maxTgtLen;
  const M = models.length;
  const memoryIn = g.input('memory', DataType.FLOAT, [MEMORY_BATCH_DIM, c.maxSrcLen, c.dModel * M]);
  const mask = g.input('mask', DataType.FLOAT, [MEMORY_BATCH_DIM, c.maxSrcLen]);
  const tgt = g.input('tgt', DataType.INT64, [N, T]);
  const memories = M === 1 ? [memoryIn] : g.opN('Split', [memoryIn, g.constInt64('split', models.map(() => c.dModel))], M, { axis: -1 });
  const causal = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) causal[i * T + j] = MASK_BIAS;
  const causalBias = g.constFloat('causal_bias', [T, T], causal);
  const logprobs = models.map((params, i) => {
    const m = new ModelGraph(g, params, c, quantize, memberPrefix(i, M));
    const crossBias = m.maskToBias(mask);
    let y = g.op('Add', [m.embed(tgt, 'tgtEmb', { keepRows: decoderInputRows(c) }), m.floatParam('tgtPos')]);
    for (let l = 0; l < c.decoderLayers; l++) {
      y = g.op('Add', [y, m.selfAttention(m.layerNorm(y, `dec.${l}.ln1`), causalBias, `dec.${l}.self`)]);
      y = g.op('Add', [y, m.crossAttention(m.layerNorm(y, `dec.${l}.ln2`), memories[i]!, crossBias, `dec.${l}.cross`)]);
      y = g.op('Add', [y, m.feedForward(m.layerNorm(y, `dec.${l}.ln3`), `dec.${l}.ffn`)]);
    }
    const logits = m.linear(m.layerNorm(y, 'dec.lnf'), 'out');
    return g.op('LogSoftmax', [logits], { axis: -1 }, M === 1 ? 'logprobs' : undefined);
  });
  // Several models: the mean of their log-probabilities (a product of experts, renormalized by nothing: the
  // decoders rank by it and the fusion normalizes over the decoded set).
  const out = M === 1 ? logprobs[0]! : g.op('Mul', [g.op('Sum', logprobs), g.constFloat('inv_models', [], [1 / M])], {}, 'logprobs');
  g.output(out, DataType.FLOAT, [N, T, c.tgtVocab]);
  return g.toModel();
}

/**
 * Serializes `params` as encoder.onnx and decoder.onnx bytes (see the file comment for the contract). Given several
 * models of the same config (trained with different seeds), both graphs hold all of them: the encoder's memory is
 * theirs side by side ([N, S, models * D]) and the decoder's log-probabilities are the mean of theirs.
 */
export function exportOnnx(params: ModelParams | readonly ModelParams[], config: ModelConfig, opts: ExportOptions = {}): ExportedModel {
  validateConfig(config);
  const models = Array.isArray(params) ? params as readonly ModelParams[] : [params as ModelParams];
  if (models.length < 1) throw new Error('onnx export: no model to export');
  for (const m of models) checkParams(m, config);
  const quantize = opts.quantize ?? true;
  const embeddingBits = opts.embeddingBits ?? 8;
  if (embeddingBits !== 4 && embeddingBits !== 8) throw new Error(`onnx export: embeddingBits must be 4 or 8 (got ${embeddingBits})`);
  const all = models.map((m) => withAliases(m, config));
  return { encoder: buildEncoder(all, config, quantize, embeddingBits), decoder: buildDecoder(all, config, quantize) };
}
