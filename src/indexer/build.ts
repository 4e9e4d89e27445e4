/**
 * `geniza build`: the pipeline as named stages, each a function from typed input to typed output:
 *   ingest -> tokenizer -> docids -> pseudo-queries -> encode -> train -> export -> fit -> write.
 * `fit` runs the exported model on held-out queries (src/indexer/fit-fusion.ts) and stores the fitted hybrid ranking
 * in `manifest.ranking`. For a large enough corpus those are sentences taken out of the documents before the
 * pseudo-queries and the warm start are made from them (`learnDocs`), so neither the model nor the fit's lexical index
 * has seen them; the bundle keeps every document whole.
 * `build()` runs them in order with a progress bar per stage and returns what it made with per-stage timings.
 *
 * @example
 *   const result = await build({ input: 'docs', out: 'public/bundle', epochs: 20 });
 *   console.log(result.manifest.bundleId, result.timings);
 */
import { GenizaError } from '../core/errors.ts';
import { WordPieceTokenizer } from '../core/tokenizer.ts';
import { encodeTrie } from '../core/trie.ts';
import type { BundleManifest, ModelConfig, SourceDoc, StoredDoc } from '../core/types.ts';
import type { ModelParams } from '../model/config.ts';
import { DEFAULT_MODEL } from '../model/config.ts';
import { exportOnnx } from '../model/onnx-export.ts';
import { trainModel, type TrainingSet, type TrainResult } from '../model/train.ts';
import { serializeBundle, writeBundle, type BundleParts } from './bundle.ts';
import {
  DEFAULT_FIT_QUERIES, MIN_CLOZE_QUERIES, clozeCount, clozeQueries, describeRanking, fitFusion, heldOutQueries, writeRanking, type FitResult,
} from './fit-fusion.ts';
import { BUILD_OPTIONS, DEFAULT_SETTINGS, HEADS, parseOptionValue, type BuildSettings } from './config.ts';
import { ATOMIC_MAX_DOCS, assignDocids, atomicDocids, type DocidAssignment } from './docids.ts';
import { warmStartParams, type WarmStartInput } from '../model/warm-start.ts';
import { checkDocs, ingest } from './ingest.ts';
import { createProgress, formatBytes, type Progress } from './progress.ts';
import { learnedTitle, makeTrainingPairs, type TrainingPair } from './pseudo-queries.ts';
import { genizaVersion } from './version.ts';

/** Options of `build`: input and output plus any BuildSettings (defaults in config.ts). */
export interface BuildOptions extends Partial<BuildSettings> {
  /** Folder of Markdown/HTML files or a .jsonl file (not read when `docs` is given; then only a label). */
  input?: string;
  /**
   * Documents in memory instead of reading `input` (e.g. an evaluation collection). Checked like ingested ones
   * (unique ids, long texts cut), except that an empty text is allowed. Default: read `input`.
   */
  docs?: readonly SourceDoc[];
  /** Bundle folder to write. */
  out: string;
  /** Progress output (default: a reporter on stderr, silent when `quiet`). */
  progress?: Progress;
  /** Longest stored document text in characters (default 20000). */
  maxChars?: number;
  /** Training batch size (default: the trainer's DEFAULT_BATCH_SIZE, 128). */
  batchSize?: number;
  /** Peak learning rate (default: the trainer's, 1e-3). */
  learningRate?: number;
  /**
   * Decay of the weights towards where training started (TrainOptions.anchorDecay; default 0, off). Measured with
   * the warm start at learning rate 2e-3 (BENCHMARKS.md): Cranfield gained, SciFact and NFCorpus did not.
   */
  anchorDecay?: number;
  /** Parameters the anchor decay leaves free (TrainOptions.anchorExclude; default none). */
  anchorExclude?: readonly string[];
  /**
   * Most held-out queries of the fit stage (default DEFAULT_FIT_QUERIES, 1,000; removed sentences are also limited
   * to CLOZE_SHARE of the documents); 0 skips the fit (the bundle then ranks lexically) and removes no sentence.
   */
  fitQueries?: number;
}

/** Names of the stages, in order. */
export const STAGES = ['ingest', 'tokenizer', 'docids', 'pseudo-queries', 'encode', 'warm start', 'train', 'export', 'fit', 'write'] as const;
/** One stage name. */
export type StageName = (typeof STAGES)[number];

/** What `build` returns. */
export interface BuildResult {
  manifest: BundleManifest;
  /** Folder the bundle was written to. */
  out: string;
  /** Training pairs made. */
  pairs: number;
  /** Seconds per stage. */
  timings: Record<StageName, number>;
  /** Total seconds. */
  seconds: number;
  /** Total bundle size in bytes. */
  bundleBytes: number;
  /** The fit of the hybrid ranking (undefined when skipped). */
  fit?: FitResult;
}

// ---- Stages ---------------------------------------------------------------------------------------------------

/** Stage tokenizer: a WordPiece vocabulary learned from titles, headings and texts. */
export function learnTokenizer(docs: readonly SourceDoc[], vocabSize: number): WordPieceTokenizer {
  function* texts(): Generator<string> {
    for (const d of docs) {
      yield learnedTitle(d);
      if (d.headings?.length) yield d.headings.join('\n');
      yield d.text;
    }
  }
  return WordPieceTokenizer.learn(texts(), { vocabSize });
}

/** Stage encode: pairs -> token id arrays (queries padded to maxSrcLen, docid tokens padded to maxTgtLen). */
export function encodePairs(
  pairs: readonly TrainingPair[], tokenizer: WordPieceTokenizer, docids: DocidAssignment, maxSrcLen: number,
  onProgress?: (done: number) => void,
): TrainingSet {
  const T = docids.maxLength;
  const src = new Int32Array(pairs.length * maxSrcLen);
  const tgt = new Int32Array(pairs.length * T);
  let n = 0;
  for (let i = 0; i < pairs.length; i++) {
    const ids = tokenizer.encodePadded(pairs[i].text, maxSrcLen);
    if (!ids.some((x) => x !== 0)) continue;
    src.set(ids, n * maxSrcLen);
    tgt.set(docids.tokens[pairs[i].docIndex], n * T);
    n++;
    if (onProgress && (i & 1023) === 0) onProgress(i);
  }
  return { n, src: src.subarray(0, n * maxSrcLen), tgt: tgt.subarray(0, n * T) };
}

/** What the warm start is computed from: each document's title and text as token ids, and its docid tokens. */
export function warmStartInput(docs: readonly SourceDoc[], tokenizer: WordPieceTokenizer, docids: DocidAssignment): WarmStartInput {
  return { docTokens: docs.map((d) => tokenizer.encode(`${learnedTitle(d)}\n${d.text}`)), docidTokens: docids.tokens };
}

/** The model architecture for a tokenizer and a docid tree. */
export function modelConfigFor(settings: Pick<BuildSettings, 'dModel' | 'layers'>, srcVocab: number, docids: DocidAssignment): ModelConfig {
  return {
    dModel: settings.dModel,
    heads: HEADS,
    ffn: settings.dModel * (DEFAULT_MODEL.ffn / DEFAULT_MODEL.dModel),
    encoderLayers: settings.layers,
    decoderLayers: settings.layers,
    srcVocab,
    tgtVocab: 1 + docids.branching * docids.maxLength,
    maxSrcLen: DEFAULT_MODEL.maxSrcLen,
    maxTgtLen: docids.maxLength,
  };
}

/** Documents as stored in the bundle. */
export function storedDocs(docs: readonly SourceDoc[]): StoredDoc[] {
  return docs.map((d) => {
    const stored: StoredDoc = { id: d.id, title: d.title, url: d.url ?? '', text: d.text };
    if (d.pageTitle !== undefined) stored.pageTitle = d.pageTitle;
    if (d.filters) stored.filters = d.filters;
    return stored;
  });
}

/** Checks programmatic options with the same rules as the CLI (`build: epochs must be ...`). */
function checkSettings(opts: BuildOptions): BuildSettings {
  const s: BuildSettings = { ...DEFAULT_SETTINGS };
  for (const spec of BUILD_OPTIONS) {
    const v = opts[spec.key];
    if (v !== undefined) (s as unknown as Record<string, unknown>)[spec.key] = parseOptionValue(spec, v, `build: ${spec.key}`);
  }
  if (!opts.docs && (typeof opts.input !== 'string' || !opts.input)) throw new GenizaError('BAD_OPTION', 'build: input must be a path (got nothing)');
  if (opts.docs && opts.docs.length === 0) throw new GenizaError('EMPTY_CORPUS', 'build: docs is empty (no documents to index)');
  if (typeof opts.out !== 'string' || !opts.out) throw new GenizaError('BAD_OPTION', 'build: out must be a folder path (got nothing)');
  return s;
}

const fmtInt = (n: number) => n.toLocaleString('en-US');

/** Runs every stage and writes the bundle. Nothing is written to `out` unless every earlier stage succeeded. */
export async function build(opts: BuildOptions): Promise<BuildResult> {
  const settings = checkSettings(opts);
  const progress = opts.progress ?? createProgress({ quiet: settings.quiet });
  const timings = {} as Record<StageName, number>;
  /** Adds seconds to a stage (the training stages run once per model). */
  const addTime = (stage: StageName, seconds: number) => { timings[stage] = (timings[stage] ?? 0) + seconds; };
  const t0 = performance.now();

  let bar = progress.stage('ingest');
  const ingestOpts = {
    maxChars: opts.maxChars ?? settings.maxChars, sections: settings.sections, baseUrl: settings.baseUrl, onWarning: (m: string) => progress.warn(m),
  };
  const docs = opts.docs
    ? checkDocs(opts.docs.map((d) => ({ ...d })), { ...ingestOpts, allowEmptyText: true })
    : await ingest(opts.input!, ingestOpts);
  timings.ingest = bar.finish(`${fmtInt(docs.length)} documents`);

  bar = progress.stage('tokenizer');
  const tokenizer = learnTokenizer(docs, settings.vocabSize);
  timings.tokenizer = bar.finish(`${fmtInt(tokenizer.vocabSize)} tokens`);

  bar = progress.stage('docids', docs.length, 'docs');
  const atomic = settings.docids === 'atomic' || (settings.docids === 'auto' && docs.length <= ATOMIC_MAX_DOCS);
  const docids = atomic
    ? atomicDocids(docs.length)
    : assignDocids(docs, { branching: settings.branching, seed: settings.seed, onProgress: (d) => bar.update(d) });
  timings.docids = bar.finish(atomic ? `atomic, ${fmtInt(docs.length)} ids` : `K=${docids.branching}, longest ${docids.maxLength} tokens`);

  // The fit's held-out sentences come out of the text the model learns from (see src/indexer/fit-fusion.ts).
  const fitQueries = opts.fitQueries ?? DEFAULT_FIT_QUERIES;
  const cloze = fitQueries > 0 ? clozeQueries(docs, { count: clozeCount(docs.length, fitQueries) }) : undefined;
  const useCloze = cloze !== undefined && cloze.queries.length >= MIN_CLOZE_QUERIES;
  const learnDocs = useCloze ? cloze.learnDocs : docs;

  // One model, or several trained with seeds seed, seed + 1, ... (each on its own pseudo-queries and share of the time
  // budget) whose log-probabilities the exported graphs average.
  const models = settings.models;
  const config: ModelConfig = { ...modelConfigFor(settings, tokenizer.vocabSize, docids), ...(models > 1 ? { members: models } : {}) };
  const warmInput = settings.init === 'warm' ? warmStartInput(learnDocs, tokenizer, docids) : undefined;
  const trainedModels: TrainResult[] = [];
  const trainedTexts = new Set<string>();
  let pairCount = 0;
  for (let member = 0; member < models; member++) {
    const seed = settings.seed + member;
    const which = models > 1 ? ` (model ${member + 1} of ${models})` : '';
    bar = progress.stage('pseudo-queries', docs.length, 'docs');
    const pairs = makeTrainingPairs(learnDocs, { queriesPerDoc: settings.queriesPerDoc, seed, onProgress: (d) => bar.update(d) });
    for (const p of pairs) trainedTexts.add(p.text);
    pairCount += pairs.length;
    addTime('pseudo-queries', bar.finish(`${fmtInt(pairs.length)} pairs${which}`));

    bar = progress.stage('encode', pairs.length, 'pairs');
    const data = encodePairs(pairs, tokenizer, docids, config.maxSrcLen, (i) => bar.update(i));
    addTime('encode', bar.finish(`${fmtInt(data.n)} examples${which}`));

    let init: ModelParams | undefined;
    if (warmInput) {
      bar = progress.stage('warm start');
      init = warmStartParams(config, warmInput, seed);
      addTime('warm start', bar.finish(`${atomic ? 'token vectors, document rows' : 'token vectors'}${which}`));
    }

    bar = progress.stage('train', 0, 'steps');
    const trained: TrainResult = await trainModel(data, {
      config,
      seed,
      init,
      epochs: settings.epochs,
      timeBudgetSec: settings.timeBudget === undefined ? undefined : settings.timeBudget / models,
      batchSize: opts.batchSize,
      learningRate: opts.learningRate,
      anchorDecay: opts.anchorDecay,
      anchorExclude: opts.anchorExclude,
      onProgress: (p) => bar.update(p.step, {
        total: p.totalSteps,
        etaSec: p.etaSec,
        unit: 'steps',
        extra: `loss ${p.loss.toFixed(3)}  ${Math.round(p.examplesPerSec)} ex/s${which}`,
      }),
    });
    trainedModels.push(trained);
    addTime('train', bar.finish(`${fmtInt(trained.steps)} steps, ${fmtInt(trained.examples)} examples (${trained.epochs === 1 ? 'one pass' : `${trained.epochs} passes`} planned), loss ${trained.finalLoss.toFixed(3)}${which}`));
  }
  const sum = (f: (t: TrainResult) => number) => trainedModels.reduce((a, t) => a + f(t), 0);
  const last = trainedModels[trainedModels.length - 1]!;

  bar = progress.stage('export');
  const onnx = exportOnnx(trainedModels.map((t) => t.params), config, { quantize: true, embeddingBits: settings.embeddingBits as 4 | 8 });
  timings.export = bar.finish(`encoder ${formatBytes(onnx.encoder.byteLength)}, decoder ${formatBytes(onnx.decoder.byteLength)}${models > 1 ? ` (${models} models)` : ''}`);

  const parts: BundleParts = {
    docs: storedDocs(docs),
    tokenizer: tokenizer.toJSON(),
    trie: encodeTrie(docids.tokens),
    encoder: onnx.encoder,
    decoder: onnx.decoder,
    model: config,
    docids: { scheme: atomic ? 'atomic' : 'semantic-kmeans', branching: docids.branching, maxLength: docids.maxLength },
    generator: `geniza ${genizaVersion()}`,
    // Several models: examples, steps and seconds of all of them, the mean final loss, the first model's seed.
    training: {
      examples: sum((t) => t.examples),
      steps: sum((t) => t.steps),
      seconds: Math.round(sum((t) => t.seconds) * 10) / 10,
      finalLoss: Math.round((sum((t) => t.finalLoss) / models) * 1e4) / 1e4,
      seed: settings.seed,
      batchSize: last.batchSize,
      learningRate: last.learningRate,
      anchorDecay: last.anchorDecay,
    },
  };

  let fit: FitResult | undefined;
  const queries = fitQueries === 0 ? [] : useCloze ? cloze.queries
    : heldOutQueries(docs, { count: fitQueries, exclude: trainedTexts });
  bar = progress.stage('fit', queries.length, 'queries');
  if (fitQueries > 0) {
    // With removed sentences, the fit's lexical index holds the documents without them, as the model learnt them.
    fit = await fitInMemory({ ...parts, docs: useCloze ? storedDocs(learnDocs) : parts.docs }, queries, (d) => bar.update(d));
    timings.fit = bar.finish(describeRanking(fit.ranking));
  } else {
    timings.fit = bar.finish('skipped (hybrid = lexical)');
  }

  bar = progress.stage('write');
  let manifest = await writeBundle(opts.out, parts);
  if (fit) manifest = await writeRanking(opts.out, manifest, fit.ranking);
  const bundleBytes = Object.values(manifest.files).reduce((s, f) => s + f.bytes, 0);
  timings.write = bar.finish(`${formatBytes(bundleBytes)} in ${opts.out}`);
  return { manifest, out: opts.out, pairs: pairCount, timings, seconds: (performance.now() - t0) / 1000, bundleBytes, fit };
}

/** Runs the fit on the bundle before it is written: the same engine as the browser, on onnxruntime-web (wasm, 1 thread). */
async function fitInMemory(parts: BundleParts, queries: ReturnType<typeof heldOutQueries>, onProgress: (done: number) => void): Promise<FitResult> {
  const { files, manifest } = serializeBundle(parts);
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const { SearchEngine } = await import('../../workers/engine.ts');
  const engine = await SearchEngine.create(ort, { ...files, manifest, docs: parts.docs }, { executionProviders: ['wasm'] });
  try {
    return await fitFusion(engine, queries, { onProgress });
  } finally {
    await engine.dispose();
  }
}
