/**
 * `geniza eval`: retrieval quality and cost of geniza on a test collection in BEIR form (corpus.jsonl,
 * queries.jsonl, qrels.tsv), side by side with lexical baselines in the same run: our plain BM25 (src/core/bm25.ts)
 * and MiniSearch with default settings.
 *
 * Every geniza system is measured through the code path of the browser (workers/engine.ts: the bundle's tokenizer,
 * the ONNX encoder and decoder on onnxruntime-web, wasm, one thread), with no term-match filter:
 * - `geniza`: generative only, trie-constrained beam search, 100 results with beam 100 (quality);
 * - `geniza-beam10`: generative only, k = 10 with the default beam (what the latency run decodes);
 * - `geniza-hybrid`: the shipped default (mode `hybrid`, 100 results) with the bundle's fitted `manifest.ranking`;
 *   a bundle built before fitting existed is fitted here first, the same way the build does (src/indexer/fit-fusion.ts);
 * - `lexical`: the engine's own lexical index alone (mode `lexical`).
 * Also: exact-title queries (each sampled document's title as the query: top-1 rate per system) and best-first vs
 * beam decoding (Recall@100 and latency on a sample of queries).
 *
 * @example
 *   const results = await evaluate({ collection: '../shared/evaldata/scifact', timeBudget: 600, out: 'scifact.json' });
 *   console.log(formatEvalTable(results));
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bm25Index } from '../core/bm25.ts';
import { GenizaError } from '../core/errors.ts';
import { mean, mrrAtK, ndcgAtK, recallAtK, type Qrels } from '../core/metrics.ts';
import type { BundleManifest, BundleRanking } from '../core/types.ts';
import { compareDecoders, type DecodingComparison } from './decoder-comparison.ts';
import { exactTitles, type ExactTitleResults } from './exact-title.ts';
import { fitFusion, heldOutQueries } from './fit-fusion.ts';
import { fusionSweep, type FusionSweep } from './fusion-sweep.ts';
import { makeTrainingPairs } from './pseudo-queries.ts';
import { readCollection } from './collection.ts';
import { DEFAULT_EVAL_TIME_BUDGET, DEFAULT_SETTINGS, type BuildSettings } from './config.ts';

export { DEFAULT_EVAL_TIME_BUDGET };
import {
  bundleSizes, gitCommit, latencySummary, machineInfo, peakRssBytes,
  type BundleSizes, type LatencySummary, type MachineInfo,
} from './measure.ts';
import { buildMiniSearch } from './minisearch-baseline.ts';
import { createProgress, formatBytes, formatDuration, type Progress } from './progress.ts';

/** Results decoded (and beam width) per query for the quality metrics. */
export const DEFAULT_DEPTH = 100;
/** Results per query of the latency run (what a user sees). */
export const DEFAULT_LATENCY_K = 10;

/** Options of `evaluate`: the collection, where the bundle comes from, and build settings for a fresh bundle. */
export interface EvaluateOptions extends Partial<BuildSettings> {
  /** Folder holding corpus.jsonl, queries.jsonl and qrels.tsv. */
  collection: string;
  /** Evaluate this existing bundle instead of building one (default: build into `cacheDir`/bundle). */
  bundle?: string;
  /** Write the results as JSON to this file (default: not written). */
  out?: string;
  /** Folder for the built bundle and its build record (default `.cache/eval/<collection name>`). */
  cacheDir?: string;
  /** Progress output (default: bars on stderr; silent when `quiet`). */
  progress?: Progress;
  /** Results decoded per query for quality, and the beam width of that decode (default 100). */
  depth?: number;
  /** Results per query of the latency run (default 10, default beam max(k, 10)). */
  latencyK?: number;
  /** Queries run before timing starts (default 5). */
  warmup?: number;
  /** Evaluate only the first n judged queries (default: all). */
  maxQueries?: number;
  /** Training batch size (default: the trainer's). */
  batchSize?: number;
  /** Peak learning rate (default: the build's). */
  learningRate?: number;
  /** Decay towards the starting weights and the parameters it leaves free (default: the build's, off). */
  anchorDecay?: number;
  anchorExclude?: readonly string[];
  /** The command line recorded in the results (default: this process's arguments). */
  command?: string;
  /** Documents whose title is run as a query for the exact-title metric (default 500; 0 skips it). */
  titleSample?: number;
  /** Queries of the best-first vs beam comparison (default 50; 0 skips it). */
  decodeSample?: number;
}

/** Default of `EvaluateOptions.titleSample`. */
export const DEFAULT_TITLE_SAMPLE = 500;
/** Default of `EvaluateOptions.decodeSample`. */
export const DEFAULT_DECODE_SAMPLE = 50;

/** The hybrid ranking evaluated and where it came from. */
export interface RankingInfo extends BundleRanking {
  /** `build`: read from the manifest; `eval`: the bundle had none, fitted in this run. */
  fittedAt: 'build' | 'eval';
  /** Seconds the fit took in this run (eval-time fits only). */
  fitSeconds: number | null;
}

/** Quality of one system, averaged over the judged queries. */
export interface SystemMetrics {
  'ndcg@10': number;
  'mrr@10': number;
  'recall@10': number;
  'recall@100': number;
  /** Queries averaged over. */
  queries: number;
  /** Results asked of the system per query. */
  depth: number;
}

/** One query of the per-query breakdown. */
export interface PerQueryRow {
  /** Query id (the text stays in the collection's queries.jsonl: results files do not redistribute the data). */
  qid: string;
  /** Relevant documents (grade > 0). */
  relevant: number;
  /** nDCG@10 per system. */
  'ndcg@10': Record<string, number>;
  /** 1-based rank of the first relevant document per system, null when none was returned. */
  firstRelevant: Record<string, number | null>;
  /** geniza's latency for this query (k = latencyK), ms. */
  genizaMs: number;
}

/** Build cost of the bundle (null fields when a reused bundle has no build record). */
export interface BuildCost {
  /** True when an existing bundle was evaluated (figures come from its build record, if any). */
  reused: boolean;
  /** Total build seconds. */
  seconds: number | null;
  /** Seconds per build stage (ingest, tokenizer, docids, pseudo-queries, encode, train, export, write). */
  stages: Record<string, number> | null;
  /** Seconds per phase: ingest (+ tokenizer), docids, training (pseudo-queries + encode + train), export (+ write). */
  phases: { ingest: number; docids: number; training: number; export: number; fit?: number } | null;
  /** Training run, from the manifest. */
  training: {
    examples: number; steps: number; seconds: number; examplesPerSec: number; finalLoss: number;
    /** As the manifest records them (absent in older bundles). */
    batchSize?: number; learningRate?: number; anchorDecay?: number;
  } | null;
  /** Peak resident memory of the build process, bytes. */
  peakRssBytes: number | null;
  /** Seconds of the fit stage (held-out pseudo-queries), null when the bundle was not fitted at build time. */
  fitSeconds?: number | null;
  /** Build settings used. */
  settings: Partial<BuildSettings> | null;
}

/** Everything `evaluate` measured. */
export interface EvalResults {
  /** Results format version. */
  version: 1;
  collection: { name: string; path: string; documents: number; queries: number; judgedQueries: number; qrels: number };
  /** Quality per system: geniza, geniza-beam10, geniza-hybrid, lexical, bm25, minisearch. */
  systems: Record<string, SystemMetrics>;
  /** The hybrid ranking used by geniza-hybrid. */
  ranking?: RankingInfo;
  /**
   * Queries searched as the page does (default mode, requireTermMatch, last word as a prefix, k = 10): how many got
   * no result at all.
   */
  asTyped?: { queries: number; empty: number };
  /** Exact-title top-1 rates; null when the collection's titles are only ids (or skipped). */
  exactTitle?: ExactTitleResults | null;
  /** Best-first vs beam decoding; null when skipped. */
  decoding?: DecodingComparison | null;
  /** Diagnostic only (uses the test judgments, never the shipped weights): nDCG@10 over the fusion grid. */
  fusionSweep?: FusionSweep;
  costs: {
    build: BuildCost;
    bundle: BundleSizes & { path: string; bundleId: string };
    /** Per-query latency in ms per system (k = latencyK; geniza in Node, onnxruntime-web wasm, one thread). */
    latency: Record<string, LatencySummary>;
    /** Bundle load (read + verify + ORT sessions + lexical index) in Node, ms. */
    loadMs: number;
    /** Of loadMs: building the engine's lexical index, ms. */
    lexicalBuildMs?: number;
    /** Index build time of the baselines, ms. */
    baselineIndexMs: { bm25: number; minisearch: number };
    /** Peak resident memory of the whole evaluation process, bytes. */
    peakRssBytes: number;
  };
  model: {
    dModel: number; layers: number; /** Models averaged (`--models`). */ models: number; srcVocab: number; tgtVocab: number; docidLength: number; branching: number;
    /** manifest.docids.scheme (absent in results written before it was recorded). */
    docidScheme?: BundleManifest['docids']['scheme'];
  };
  settings: { depth: number; beams: number; latencyK: number; latencyBeams: number; warmup: number; threads: 1; maxQueries: number | null };
  perQuery: PerQueryRow[];
  machine: MachineInfo;
  commit: string;
  /** True when the checkout had uncommitted changes. */
  dirty: boolean;
  date: string;
  command: string;
  /** Seconds the evaluation took in all (build included). */
  seconds: number;
  /** Browser figures, added by bench/browser.ts. */
  browser?: unknown;
}

/** The systems in table order. */
export const SYSTEMS = ['geniza', 'geniza-beam10', 'geniza-hybrid', 'lexical', 'bm25', 'minisearch'] as const;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A name safe as a folder name. */
function safeName(name: string): string {
  return name.replace(/[^\w.-]+/g, '_') || 'collection';
}

function checkCollectionDir(dir: string): void {
  let isDir = false;
  try { isDir = statSync(dir).isDirectory(); } catch { /* reported below */ }
  if (!isDir) {
    throw new GenizaError('UNREADABLE_FILE', `eval: cannot read collection ${dir}: ${existsSync(dir) ? 'not a folder' : 'no such folder'} (expected a folder with corpus.jsonl, queries.jsonl and qrels.tsv)`);
  }
  for (const f of ['corpus.jsonl', 'queries.jsonl', 'qrels.tsv']) {
    if (!existsSync(join(dir, f))) throw new GenizaError('UNREADABLE_FILE', `eval: collection ${dir} has no ${f} (expected BEIR form: corpus.jsonl, queries.jsonl, qrels.tsv)`);
  }
}

function checkInt(name: string, v: number | undefined, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  if (!Number.isInteger(v) || v < min || v > max) throw new GenizaError('BAD_OPTION', `eval: ${name} must be an integer from ${min} to ${max} (got ${v})`);
  return v;
}

/** Build record kept beside a bundle built by `evaluate`, so a later run reusing the bundle can report its cost. */
interface BuildRecord { bundleId: string; build: BuildCost }

const BUILD_RECORD = 'build.json';

async function readBuildRecord(bundleDir: string, bundleId: string): Promise<BuildCost | null> {
  try {
    const rec = JSON.parse(await readFile(join(dirname(resolve(bundleDir)), BUILD_RECORD), 'utf8')) as BuildRecord;
    return rec.bundleId === bundleId ? { ...rec.build, reused: true } : null;
  } catch {
    return null;
  }
}

function trainingOf(m: BundleManifest): BuildCost['training'] {
  const t = m.training;
  if (!t) return null;
  return {
    examples: t.examples, steps: t.steps, seconds: t.seconds, examplesPerSec: t.seconds > 0 ? Math.round(t.examples / t.seconds) : 0,
    finalLoss: t.finalLoss, batchSize: t.batchSize, learningRate: t.learningRate, anchorDecay: t.anchorDecay,
  };
}

/** `, batch 128, peak lr 0.002, anchor 5` from what a bundle recorded ('' for older bundles). */
function hyper(t: NonNullable<BuildCost['training']>): string {
  const parts = [
    t.batchSize !== undefined ? `batch ${t.batchSize}` : '',
    t.learningRate !== undefined ? `peak lr ${t.learningRate}` : '',
    t.anchorDecay ? `anchor decay ${t.anchorDecay}` : '',
  ].filter(Boolean);
  return parts.length ? `, ${parts.join(', ')}` : '';
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
const r2 = (x: number) => Math.round(x * 100) / 100;

/** 1-based rank of the first relevant id, null when none. */
function firstRelevantRank(ranked: readonly string[], qrels: Qrels): number | null {
  const i = ranked.findIndex((id) => (qrels.get(id) ?? 0) > 0);
  return i < 0 ? null : i + 1;
}

/** Runs the whole evaluation (building the bundle unless `bundle` is given) and returns, and optionally writes, the results. */
export async function evaluate(opts: EvaluateOptions): Promise<EvalResults> {
  const t0 = performance.now();
  if (typeof opts.collection !== 'string' || !opts.collection) throw new GenizaError('BAD_OPTION', 'eval: collection must be a folder path (got nothing)');
  checkCollectionDir(opts.collection);
  if (opts.bundle !== undefined && !existsSync(join(opts.bundle, 'manifest.json'))) {
    throw new GenizaError('BAD_BUNDLE', `eval: ${opts.bundle} is not a bundle folder (no manifest.json); build one with geniza build or leave out --bundle`);
  }
  const depth = checkInt('depth', opts.depth, DEFAULT_DEPTH, 1, 1000);
  const latencyK = checkInt('latencyK', opts.latencyK, DEFAULT_LATENCY_K, 1, 1000);
  const warmup = checkInt('warmup', opts.warmup, 5, 0, 1000);
  const maxQueries = opts.maxQueries === undefined ? undefined : checkInt('maxQueries', opts.maxQueries, 0, 1, 1e9);
  const progress = opts.progress ?? createProgress({ quiet: opts.quiet ?? false });

  let bar = progress.stage('collection');
  const col = await readCollection(opts.collection);
  const judged = col.queries.filter((q) => [...(col.qrels.get(q.id)?.values() ?? [])].some((g) => g > 0));
  const queries = maxQueries === undefined ? judged : judged.slice(0, maxQueries);
  if (queries.length === 0) throw new GenizaError('BAD_INPUT', `eval: collection ${opts.collection} has no query with a relevant document in qrels.tsv`);
  let qrelCount = 0;
  for (const q of col.qrels.values()) qrelCount += q.size;
  bar.finish(`${col.name}: ${col.docs.length.toLocaleString('en-US')} documents, ${queries.length} of ${col.queries.length} queries judged${maxQueries !== undefined ? ` (first ${maxQueries})` : ''}`);

  // ---- The bundle: built here, or reused. ----
  const cacheDir = opts.cacheDir ?? join('.cache', 'eval', safeName(col.name));
  let bundleDir: string;
  let buildCost: BuildCost;
  if (opts.bundle) {
    bundleDir = opts.bundle;
    const manifest = JSON.parse(await readFile(join(bundleDir, 'manifest.json'), 'utf8')) as BundleManifest;
    buildCost = (await readBuildRecord(bundleDir, manifest.bundleId)) ?? {
      reused: true, seconds: null, stages: null, phases: null, training: trainingOf(manifest), peakRssBytes: null, settings: null,
    };
  } else {
    bundleDir = join(cacheDir, 'bundle');
    const settings: Partial<BuildSettings> = {};
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof BuildSettings)[]) {
      if (opts[key] !== undefined) (settings as Record<string, unknown>)[key] = opts[key];
    }
    settings.timeBudget ??= DEFAULT_EVAL_TIME_BUDGET;
    const { build } = await import('./build.ts');
    const result = await build({
      ...settings, docs: col.docs, input: opts.collection, out: bundleDir, progress,
      batchSize: opts.batchSize, learningRate: opts.learningRate, anchorDecay: opts.anchorDecay, anchorExclude: opts.anchorExclude,
    });
    const st = result.timings;
    buildCost = {
      reused: false,
      seconds: r2(result.seconds),
      stages: Object.fromEntries(Object.entries(st).map(([k, v]) => [k, r2(v)])),
      phases: {
        ingest: r2(st.ingest + st.tokenizer),
        docids: r2(st.docids),
        training: r2(st['pseudo-queries'] + st.encode + st.train),
        export: r2(st.export + st.write),
        fit: r2(st.fit),
      },
      training: trainingOf(result.manifest),
      peakRssBytes: peakRssBytes(),
      settings: { ...DEFAULT_SETTINGS, ...settings },
      fitSeconds: result.fit ? r2(result.fit.seconds) : null,
    };
    await writeFile(join(cacheDir, BUILD_RECORD), `${JSON.stringify({ bundleId: result.manifest.bundleId, build: buildCost } satisfies BuildRecord, null, 2)}\n`);
  }

  // ---- Baselines. ----
  bar = progress.stage('baselines');
  let t = performance.now();
  // The corpus titles as written: readCollection gives an untitled document its id as title, not text to match.
  const titles = col.docs.map((d) => (d.title === d.id ? '' : d.title));
  const bm25 = Bm25Index.build(col.docs.map((d, i) => `${titles[i]} ${d.text}`));
  const bm25Ms = performance.now() - t;
  t = performance.now();
  const mini = buildMiniSearch(col.docs.map((d, i) => ({ title: titles[i], text: d.text })));
  const miniMs = performance.now() - t;
  bar.finish(`BM25 index ${bm25Ms.toFixed(0)} ms, MiniSearch index ${miniMs.toFixed(0)} ms`);

  // ---- geniza: the engine of the browser, in Node. ----
  bar = progress.stage('load bundle');
  t = performance.now();
  const { openBundle } = await import('./node-search.ts');
  const engine = await openBundle(bundleDir, { threads: 1 });
  const loadMs = performance.now() - t;
  bar.finish(`${engine.docs.length.toLocaleString('en-US')} documents, ${loadMs.toFixed(0)} ms`);
  const colIds = new Set(col.docs.map((d) => d.id));
  const missing = engine.docs.filter((d) => !colIds.has(d.id)).length;
  if (missing === engine.docs.length) {
    await engine.dispose();
    throw new GenizaError('BAD_BUNDLE', `eval: bundle ${bundleDir} indexes none of the documents of ${opts.collection} (built from another corpus?)`);
  }
  if (missing > 0 || engine.docs.length !== col.docs.length) {
    progress.warn(`bundle ${bundleDir} has ${engine.docs.length} documents, ${missing} of them not in the collection (${col.docs.length} documents)`);
  }

  const runs: Record<string, string[][]> = { geniza: [], 'geniza-beam10': [], 'geniza-hybrid': [], lexical: [], bm25: [], minisearch: [] };
  const times: Record<string, number[]> = { geniza: [], 'geniza-hybrid': [], lexical: [], bm25: [], minisearch: [] };
  const depthOf: Record<string, number> = { geniza: depth, 'geniza-beam10': latencyK, 'geniza-hybrid': depth, lexical: depth, bm25: depth, minisearch: depth };
  let ranking: RankingInfo;
  let exactTitle: ExactTitleResults | null = null;
  let decoding: DecodingComparison | null = null;
  let sweep: FusionSweep | undefined;
  let asTyped: EvalResults['asTyped'];
  try {
    // ---- The hybrid ranking: the manifest's, or fitted now for a bundle built before fitting existed. ----
    if (engine.manifest.ranking) {
      ranking = { ...engine.manifest.ranking, fittedAt: 'build', fitSeconds: null };
    } else {
      bar = progress.stage('fit (bundle has no ranking)', 0, 'queries');
      const tf = performance.now();
      const seed = engine.manifest.training?.seed ?? DEFAULT_SETTINGS.seed;
      const queriesPerDoc = buildCost.settings?.queriesPerDoc ?? DEFAULT_SETTINGS.queriesPerDoc;
      const trained = new Set(makeTrainingPairs(col.docs, { queriesPerDoc, seed }).map((p) => p.text));
      const indexOf = new Map(engine.docs.map((d, i) => [d.id, i]));
      const held = heldOutQueries(col.docs, { exclude: trained })
        .map((q) => ({ ...q, docIndex: indexOf.get(col.docs[q.docIndex].id) ?? -1 }))
        .filter((q) => q.docIndex >= 0);
      const fit = await fitFusion(engine, held, { onProgress: (d, n) => bar.update(d, { total: n }) });
      engine.setRanking(fit.ranking);
      const secs = (performance.now() - tf) / 1000;
      ranking = { ...fit.ranking, fittedAt: 'eval', fitSeconds: r2(secs) };
      bar.finish(`${ranking.fusion} w=${ranking.generativeWeight} prior ${ranking.lexicalPrior}; held-out MRR@10 lexical ${fit.ranking.heldOut!.mrr.lexical.toFixed(3)}, `
        + `generative ${fit.ranking.heldOut!.mrr.generative.toFixed(3)}, hybrid ${fit.ranking.heldOut!.mrr.hybrid.toFixed(3)} (${held.length} queries, ${secs.toFixed(1)} s incl. training-pair regeneration)`);
    }

    bar = progress.stage(`geniza k=${depth}`, queries.length, 'queries');
    for (const [i, q] of queries.entries()) {
      const res = await engine.search(q.text, { k: depth, beams: depth, mode: 'generative', requireTermMatch: false });
      runs.geniza.push(res.hits.map((h) => h.id));
      bar.update(i + 1);
    }
    bar.finish(`${queries.length} queries, beam ${depth}`);

    bar = progress.stage(`geniza k=${latencyK}`, queries.length, 'queries');
    for (const q of queries.slice(0, warmup)) await engine.search(q.text, { k: latencyK, mode: 'generative' });
    for (const [i, q] of queries.entries()) {
      const s = performance.now();
      const res = await engine.search(q.text, { k: latencyK, mode: 'generative', requireTermMatch: false });
      times.geniza.push(performance.now() - s);
      runs['geniza-beam10'].push(res.hits.map((h) => h.id));
      bar.update(i + 1);
    }
    const lat = latencySummary(times.geniza);
    bar.finish(`p50 ${lat.p50.toFixed(1)} ms, p95 ${lat.p95.toFixed(1)} ms`);

    for (const mode of ['hybrid', 'lexical'] as const) {
      const name = mode === 'hybrid' ? 'geniza-hybrid' : 'lexical';
      bar = progress.stage(`${name} k=${depth}`, queries.length * 2, 'queries');
      const base = { mode, requireTermMatch: false, prefixLastWord: false } as const;
      for (const q of queries) {
        runs[name].push((await engine.search(q.text, { ...base, k: depth })).hits.map((h) => h.id));
        bar.tick();
      }
      for (const q of queries.slice(0, warmup)) await engine.search(q.text, { ...base, k: latencyK });
      for (const q of queries) {
        const s = performance.now();
        await engine.search(q.text, { ...base, k: latencyK });
        times[name].push(performance.now() - s);
        bar.tick();
      }
      const l = latencySummary(times[name]);
      bar.finish(`p50 ${l.p50.toFixed(2)} ms, p95 ${l.p95.toFixed(2)} ms (k=${latencyK})`);
    }

    bar = progress.stage('as the page searches', queries.length, 'queries');
    let empty = 0;
    for (const q of queries) {
      if ((await engine.search(q.text, { k: latencyK, requireTermMatch: true })).hits.length === 0) empty++;
      bar.tick();
    }
    asTyped = { queries: queries.length, empty };
    bar.finish(`${empty} of ${queries.length} queries without a result`);

    exactTitle = await exactTitles(engine, col.docs, checkInt('titleSample', opts.titleSample, DEFAULT_TITLE_SAMPLE, 0, 1e6), progress);
    sweep = await fusionSweep(engine, queries, col.qrels, progress);
    decoding = await compareDecoders(engine, queries, col.qrels, checkInt('decodeSample', opts.decodeSample, DEFAULT_DECODE_SAMPLE, 0, 1e6), progress);
  } finally {
    await engine.dispose();
  }

  bar = progress.stage('bm25 + minisearch', queries.length * 2, 'queries');
  const baselines = { bm25, minisearch: mini };
  for (const [name, index] of Object.entries(baselines)) {
    for (const q of queries) runs[name].push(index.search(q.text, depth).map((h) => col.docs[h.docIndex].id));
    for (const q of queries.slice(0, warmup)) index.search(q.text, latencyK);
    for (const q of queries) {
      const s = performance.now();
      index.search(q.text, latencyK);
      times[name].push(performance.now() - s);
      bar.tick();
    }
  }
  bar.finish();

  // ---- Metrics. ----
  const systems: Record<string, SystemMetrics> = {};
  for (const name of SYSTEMS) {
    const per = queries.map((q, i) => {
      const qrels = col.qrels.get(q.id)!;
      const ranked = runs[name][i];
      return { ndcg: ndcgAtK(ranked, qrels, 10), mrr: mrrAtK(ranked, qrels, 10), r10: recallAtK(ranked, qrels, 10), r100: recallAtK(ranked, qrels, 100) };
    });
    systems[name] = {
      'ndcg@10': r4(mean(per.map((p) => p.ndcg))),
      'mrr@10': r4(mean(per.map((p) => p.mrr))),
      'recall@10': r4(mean(per.map((p) => p.r10))),
      'recall@100': r4(mean(per.map((p) => p.r100))),
      queries: queries.length,
      depth: depthOf[name],
    };
  }
  const perQuery: PerQueryRow[] = queries.map((q, i) => {
    const qrels = col.qrels.get(q.id)!;
    const ndcg: Record<string, number> = {};
    const first: Record<string, number | null> = {};
    for (const name of SYSTEMS) {
      ndcg[name] = r4(ndcgAtK(runs[name][i], qrels, 10));
      first[name] = firstRelevantRank(runs[name][i], qrels);
    }
    return {
      qid: q.id, relevant: [...qrels.values()].filter((g) => g > 0).length,
      'ndcg@10': ndcg, firstRelevant: first, genizaMs: r2(times.geniza[i]),
    };
  });

  const manifest = engine.manifest;
  const sizes = await bundleSizes(bundleDir, manifest);
  const git = gitCommit(ROOT);
  const results: EvalResults = {
    version: 1,
    collection: { name: col.name, path: opts.collection, documents: col.docs.length, queries: queries.length, judgedQueries: judged.length, qrels: qrelCount },
    systems,
    ranking,
    exactTitle,
    decoding,
    fusionSweep: sweep,
    asTyped,
    costs: {
      build: buildCost,
      bundle: { path: bundleDir, bundleId: manifest.bundleId, ...sizes },
      latency: Object.fromEntries(Object.entries(times).map(([name, t]) => [name, latencySummary(t)])),
      loadMs: r2(loadMs),
      lexicalBuildMs: r2(engine.lexicalBuildMs),
      baselineIndexMs: { bm25: r2(bm25Ms), minisearch: r2(miniMs) },
      peakRssBytes: peakRssBytes(),
    },
    model: {
      dModel: manifest.model.dModel, layers: manifest.model.encoderLayers, models: manifest.model.members ?? 1, srcVocab: manifest.model.srcVocab,
      tgtVocab: manifest.model.tgtVocab, docidLength: manifest.docids.maxLength, branching: manifest.docids.branching,
      docidScheme: manifest.docids.scheme,
    },
    settings: { depth, beams: depth, latencyK, latencyBeams: Math.max(latencyK, 10), warmup, threads: 1, maxQueries: maxQueries ?? null },
    perQuery,
    machine: machineInfo(),
    commit: git.commit,
    dirty: git.dirty,
    date: new Date().toISOString(),
    command: opts.command ?? process.argv.slice(1).map((a) => (/^[\w./@:=,+-]+$/.test(a) ? a : JSON.stringify(a))).join(' '),
    seconds: 0,
  };
  results.seconds = r2((performance.now() - t0) / 1000);
  if (opts.out) await writeResults(opts.out, results);
  return results;
}

/** Writes results as JSON: pretty at the top, one line per per-query row (diffable, compact). */
export async function writeResults(file: string, results: EvalResults): Promise<void> {
  await mkdir(dirname(resolve(file)), { recursive: true });
  await writeFile(file, formatResultsJson(results));
}

/** Results as JSON text: indented, with each per-query row on one line. */
export function formatResultsJson(results: EvalResults): string {
  const { perQuery, ...rest } = results;
  const head = JSON.stringify({ ...rest, perQuery: '\u0000' }, null, 2);
  const rows = perQuery.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  return `${head.replace('"perQuery": "\\u0000"', `"perQuery": [\n${rows}\n  ]`)}\n`;
}

const num = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const ms1 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(x < 10 ? 2 : 1));

/** The docids of an evaluated bundle in words: `atomic docids (one token per document, 5,183)` or `docids K=32 up to 3 tokens`. */
export function docidsLabel(m: EvalResults['model']): string {
  // Results written before docidScheme was recorded: every atomic bundle had one-token docids.
  const atomic = m.docidScheme ? m.docidScheme === 'atomic' : m.docidLength === 1;
  return atomic ? `atomic docids (one token per document, ${m.branching.toLocaleString('en-US')})` : `docids K=${m.branching} up to ${m.docidLength} tokens`;
}

/** The results as a plain-text table with the cost lines (what `geniza eval` prints). */
export function formatEvalTable(r: EvalResults): string {
  const lines: string[] = [];
  lines.push(`${r.collection.name}: ${r.collection.documents.toLocaleString('en-US')} documents, ${r.collection.queries} queries (${r.collection.path})`);
  const header = ['system', 'nDCG@10', 'MRR@10', 'R@10', 'R@100', 'p50 ms', 'p95 ms'];
  const rows = Object.entries(r.systems).map(([name, m]) => {
    // geniza-beam10 is the latency run itself; both geniza rows show its timings.
    const lat = r.costs.latency[name] ?? (name.startsWith('geniza') ? r.costs.latency.geniza : undefined);
    return [name, num(m['ndcg@10']), num(m['mrr@10']), num(m['recall@10']), m.depth >= 100 ? num(m['recall@100']) : '-', ms1(lat?.p50), ms1(lat?.p95)];
  });
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  lines.push(fmt(header), ...rows.map(fmt));
  lines.push(`(geniza: generative only, ${r.settings.depth} results, beam ${r.settings.beams}; geniza-beam10: k=${r.settings.latencyK}, beam ${r.settings.latencyBeams}; geniza-hybrid: the default ranking; lexical: the engine's lexical index; latency k=${r.settings.latencyK} in Node, onnxruntime-web wasm, 1 thread)`);
  const rk = r.ranking;
  if (rk) {
    const h = rk.heldOut;
    lines.push(`ranking (fitted at ${rk.fittedAt}${rk.fitSeconds !== null ? `, ${rk.fitSeconds.toFixed(1)} s` : ''}): ${rk.fusion}, generative weight ${rk.generativeWeight}, lexical prior ${rk.lexicalPrior}`
      + (h ? `; held-out MRR@10 (${h.queries} ${h.kind === 'cloze' ? 'removed sentences' : 'pseudo-queries'}) lexical ${h.mrr.lexical.toFixed(3)}, generative ${h.mrr.generative.toFixed(3)}, hybrid ${h.mrr.hybrid.toFixed(3)}` : ''));
  }
  if (r.asTyped) lines.push(`as the page searches (hybrid, requireTermMatch, k=${r.settings.latencyK}): ${r.asTyped.empty} of ${r.asTyped.queries} queries without a result`);
  if (r.exactTitle) {
    lines.push(`exact titles (${r.exactTitle.documents} documents, top-1): ${Object.entries(r.exactTitle.top1).map(([n, v]) => `${n} ${(v * 100).toFixed(1)}%`).join(', ')}`);
  }
  if (r.fusionSweep) {
    const b = r.fusionSweep.best;
    lines.push(`fusion sweep on the test judgments (diagnostic, not used for the weights): lexical nDCG@10 ${r.fusionSweep.lexical.toFixed(3)}, best ${b.fusion} w=${b.generativeWeight} prior ${b.lexicalPrior} ${b['ndcg@10'].toFixed(3)}`);
  }
  if (r.decoding) {
    lines.push(`decoding (${r.decoding.queries} queries, 100 results): ${Object.entries(r.decoding.decoders).map(([n, d]) => `${n} R@100 ${d['recall@100'].toFixed(3)}, p50 ${d.p50Ms.toFixed(1)} ms, ${d.modelRuns} runs${d.exact !== undefined ? `, exact ${(d.exact * 100).toFixed(0)}%` : ''}`).join('; ')}`);
  }
  const b = r.costs.build;
  const tr = b.training;
  if (b.phases && b.seconds !== null) {
    const p = b.phases;
    lines.push(`build: ${formatDuration(b.seconds)} (ingest ${p.ingest.toFixed(1)} s, docids ${p.docids.toFixed(1)} s, training ${p.training.toFixed(1)} s, export ${p.export.toFixed(1)} s)${b.reused ? ' [reused bundle]' : ''}`
      + `${b.peakRssBytes ? `, peak RSS ${formatBytes(b.peakRssBytes)}` : ''}`);
  } else {
    lines.push('build: reused bundle (no build record)');
  }
  if (tr) lines.push(`training: ${tr.examples.toLocaleString('en-US')} examples, ${tr.steps.toLocaleString('en-US')} steps, ${tr.seconds.toFixed(1)} s, ${tr.examplesPerSec.toLocaleString('en-US')} examples/s, final loss ${tr.finalLoss.toFixed(3)}${hyper(tr)}`);
  const g = r.costs.bundle.groups;
  const pair = (s: { raw: number; gzip: number }) => `${formatBytes(s.raw)}/${formatBytes(s.gzip)}`;
  lines.push(`bundle (raw/gzip): ${pair(r.costs.bundle.total)}: model ${pair(g.model)}, trie ${pair(g.trie)}, docs ${pair(g.docs)}, tokenizer ${pair(g.tokenizer)}, manifest ${pair(g.manifest)}`);
  const m = r.model;
  lines.push(`model: ${m.models > 1 ? `${m.models} models of ` : ''}d=${m.dModel}, ${m.layers}+${m.layers} layers, src vocab ${m.srcVocab}, ${docidsLabel(m)}; bundle load ${r.costs.loadMs.toFixed(0)} ms`);
  lines.push(`machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${(r.machine.memoryBytes / 2 ** 30).toFixed(0)} GiB, Node ${r.machine.node}; commit ${r.commit.slice(0, 12)}${r.dirty ? ' (uncommitted changes)' : ''}; ${formatDuration(r.seconds)} in all`);
  return `${lines.join('\n')}\n`;
}
