/**
 * Stage fit: the hybrid ranking's weights, fitted per corpus on held-out pseudo-queries (never on test labels).
 * Held-out queries are made like the training ones but with another seed, from a sample of documents, keeping only
 * kinds that resemble typed queries (keyword sets, headings, partial titles, sentences, spans) and dropping any text
 * the model was trained on. Each query is run through the real engine (ORT, as in the browser): the lexical ranking
 * once, the generative one once per lexical-prior weight; then every fusion (linear / RRF) and generative weight is
 * scored by MRR@10 of the query's source document. The generative side must earn its weight: unless the best fusion
 * beats the lexical ranking by MIN_GAIN and wins more queries than it loses, the weight is 0 (hybrid = lexical).
 *
 * @example
 *   const queries = heldOutQueries(docs, { count: 300, exclude: new Set(pairs.map((p) => p.text)) });
 *   const fit = await fitFusion(engine, queries);   // fit.ranking -> manifest.ranking
 */
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fuse, type RankingParams } from '../core/fusion.ts';
import { seededRandom, shuffleInPlace } from '../core/seeded-random.ts';
import type { BundleManifest, BundleRanking, SourceDoc } from '../core/types.ts';
import type { SearchEngine } from '../../workers/engine.ts';
import { MANIFEST_FILE } from './bundle.ts';
import { makeTrainingPairs, type PseudoQueryKind } from './pseudo-queries.ts';

/** Seed of the held-out pseudo-queries (different from any training seed a build uses by default). */
export const HELD_OUT_SEED = 7919;
/**
 * Held-out queries per fit (one per sampled document). The gains the fit looks for are a few thousandths of MRR,
 * about the noise of 300 queries: with 300, a re-fit of the same Cranfield bundle chose linear 0.15 (+0.002 nDCG@10
 * on the test labels), with 1,000 RRF 0.4 (+0.012); SciFact and NFCorpus chose the same (BENCHMARKS.md). A query
 * costs one decode per lexical prior tried: 1,000 take 20 to 45 s on 2 cores.
 */
export const DEFAULT_FIT_QUERIES = 1000;
/** Generative weights tried. */
export const FIT_WEIGHTS = [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1];
/** Lexical-prior weights tried (each costs one decode per query). */
export const FIT_PRIORS = [0, 0.5, 2];
/** Least MRR@10 gain over the lexical ranking for the generative side to get any weight. */
export const MIN_GAIN = 0.005;

const HELD_OUT_KINDS: ReadonlySet<PseudoQueryKind> = new Set(['keywords', 'heading', 'title-part', 'sentence', 'span']);

/** One held-out query and the document it came from. */
export interface HeldOutQuery {
  docIndex: number;
  text: string;
  kind: PseudoQueryKind;
}

const norm = (t: string) => t.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Held-out pseudo-queries: one per sampled document (`count` documents, seeded), of a query-like kind, none equal
 * (case and spacing aside) to a text in `exclude` (the training queries).
 */
export function heldOutQueries(
  docs: readonly SourceDoc[], opts: { count?: number; seed?: number; exclude?: ReadonlySet<string> } = {},
): HeldOutQuery[] {
  const seed = opts.seed ?? HELD_OUT_SEED;
  const rng = seededRandom(seed);
  const order = shuffleInPlace([...docs.keys()], rng).slice(0, Math.min(docs.length, opts.count ?? DEFAULT_FIT_QUERIES));
  const excluded = new Set([...(opts.exclude ?? [])].map(norm));
  const sample = order.map((i) => docs[i]);
  const pairs = makeTrainingPairs(sample, { queriesPerDoc: 12, titleCopies: 0, seed });
  const out: HeldOutQuery[] = [];
  for (let s = 0; s < sample.length; s++) {
    const options = pairs.filter((p) => p.docIndex === s && HELD_OUT_KINDS.has(p.kind) && !excluded.has(norm(p.text)));
    if (options.length === 0) continue;
    const pick = options[rng.int(options.length)];
    out.push({ docIndex: order[s], text: pick.text, kind: pick.kind });
  }
  return out;
}

/** One point of the grid and its held-out score. */
export interface FitPoint extends RankingParams {
  /** Mean MRR@10 of the source document. */
  mrr: number;
}

/** What `fitFusion` returns. */
export interface FitResult {
  /** For manifest.ranking. */
  ranking: BundleRanking;
  /** MRR@10 of every point of the grid. */
  grid: FitPoint[];
  /** Seconds the fit took. */
  seconds: number;
}

function reciprocalRank(ranked: readonly { docIndex: number }[], target: number, k = 10): number {
  const i = ranked.slice(0, k).findIndex((h) => h.docIndex === target);
  return i < 0 ? 0 : 1 / (i + 1);
}

/** Fits the hybrid ranking of `engine` on `queries` (k = 10, beam 10: what the page asks for). */
export async function fitFusion(
  engine: SearchEngine, queries: readonly HeldOutQuery[],
  opts: { seed?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<FitResult> {
  const t0 = performance.now();
  const k = 10;
  const lexical: { docIndex: number; score: number }[][] = [];
  const decoded: { docIndex: number; score: number }[][][] = FIT_PRIORS.map(() => []);
  for (const [i, q] of queries.entries()) {
    lexical.push(engine.lexicalSearch(q.text, { k: 100 }));
    for (const [p, prior] of FIT_PRIORS.entries()) decoded[p].push(await engine.decode(q.text, { k, beams: k, lexicalPrior: prior }));
    opts.onProgress?.(i + 1, queries.length);
  }
  const n = Math.max(1, queries.length);
  const lexRR = queries.map((q, i) => reciprocalRank(lexical[i], q.docIndex));
  const genRR = queries.map((q, i) => reciprocalRank(decoded[0][i], q.docIndex));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / n;
  const grid: FitPoint[] = [];
  let best: { point: FitPoint; rr: number[] } | undefined;
  for (const [p, lexicalPrior] of FIT_PRIORS.entries()) {
    for (const fusion of ['linear', 'rrf'] as const) {
      for (const generativeWeight of FIT_WEIGHTS) {
        if (generativeWeight === 0 && (lexicalPrior > 0 || fusion === 'rrf')) continue; // all equal lexical
        const params = { fusion, generativeWeight, lexicalPrior };
        const rr = queries.map((q, i) => reciprocalRank(fuse(lexical[i], decoded[p][i], params, k), q.docIndex));
        const point = { ...params, mrr: mean(rr) };
        grid.push(point);
        if (!best || point.mrr > best.point.mrr + 1e-12) best = { point, rr };
      }
    }
  }
  const lexMrr = mean(lexRR);
  let chosen: RankingParams = { fusion: 'linear', generativeWeight: 0, lexicalPrior: 0 };
  let hybridRR = lexRR;
  if (best && best.point.generativeWeight > 0) {
    const wins = best.rr.filter((r, i) => r > lexRR[i]).length;
    const losses = best.rr.filter((r, i) => r < lexRR[i]).length;
    if (best.point.mrr >= lexMrr + MIN_GAIN && wins > losses) {
      const { fusion, generativeWeight, lexicalPrior } = best.point;
      chosen = { fusion, generativeWeight, lexicalPrior };
      hybridRR = best.rr;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    ranking: {
      ...chosen,
      heldOut: {
        queries: queries.length, seed: opts.seed ?? HELD_OUT_SEED, seconds: Math.round(seconds * 10) / 10,
        mrr: { lexical: r4(lexMrr), generative: r4(mean(genRR)), hybrid: r4(mean(hybridRR)) },
      },
    },
    grid,
    seconds,
  };
}

/** One line for the build summary, e.g. `linear, generative weight 0.10, prior 0; held-out MRR@10 lexical 0.812 ...`. */
export function describeRanking(r: BundleRanking): string {
  const h = r.heldOut;
  const head = r.generativeWeight === 0
    ? 'generative weight 0 (hybrid = lexical)'
    : `${r.fusion}, generative weight ${r.generativeWeight}, lexical prior ${r.lexicalPrior}`;
  return h
    ? `${head}; held-out MRR@10 (${h.queries} queries) lexical ${h.mrr.lexical.toFixed(3)}, generative ${h.mrr.generative.toFixed(3)}, hybrid ${h.mrr.hybrid.toFixed(3)}`
    : head;
}

/** Rewrites a written bundle's manifest.json with `ranking` added (the manifest is not part of the bundle id). */
export async function writeRanking(outDir: string, manifest: BundleManifest, ranking: BundleRanking): Promise<BundleManifest> {
  const next: BundleManifest = { ...manifest, ranking };
  const path = join(outDir, MANIFEST_FILE);
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(next, null, 2)}\n`);
  await rename(tmp, path);
  return next;
}
