/**
 * Stage fit: the hybrid ranking's weights, fitted per corpus on held-out queries (never on test labels).
 *
 * The held-out queries are, for a corpus large enough, made from sentences taken out of their documents before
 * anything is built from them (`clozeQueries`, after the inverse cloze task of Lee et al., 2019): each query is 2 to 5
 * of the sentence's most specific words; the model never trains on the sentence and the fit's lexical index does not
 * contain it, so a query is related text that neither side has seen in its document, as a real query is. Text copied from the documents is a poor stand-in: the lexical index finds it almost always (MRR@10
 * 0.92 to 0.95, against 0.55 to 0.65 for real queries), and on it the fit gave the model no weight where real queries
 * gained from one (BENCHMARKS.md). Only the model and the fit's lexical index lose the sentence: the bundle's
 * documents, snippets and lexical index keep it.
 * For a smaller corpus (fewer than MIN_CLOZE_QUERIES such sentences at a CLOZE_SHARE of the documents) the fit uses
 * held-out pseudo-queries (`heldOutQueries`): made like the training ones but with another seed, from a sample of
 * documents, keeping only kinds that resemble typed queries (keyword sets, headings, partial titles, sentences, spans)
 * and dropping any text the model was trained on.
 *
 * Each query is run through the real engine (ORT, as in the browser): the lexical ranking
 * once, the generative one once per lexical-prior weight; then reciprocal rank fusion at every generative weight is
 * scored by MRR@10 of the query's source document (the grid has no linear fusion: see FIT_FUSIONS). The generative
 * side must earn its weight: unless the best fusion beats the lexical ranking by MIN_GAIN and wins more queries than
 * it loses, the weight is 0 (hybrid = lexical).
 *
 * @example
 *   const queries = heldOutQueries(docs, { count: 300, exclude: new Set(pairs.map((p) => p.text)) });
 *   const fit = await fitFusion(engine, queries);   // fit.ranking -> manifest.ranking
 */
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_RANKING, fuse, type RankingParams } from '../core/fusion.ts';
import { mean } from '../core/metrics.ts';
import { seededRandom, shuffleInPlace } from '../core/seeded-random.ts';
import type { BundleManifest, BundleRanking, SourceDoc } from '../core/types.ts';
import type { SearchEngine } from '../../workers/engine.ts';
import { MANIFEST_FILE } from './bundle.ts';
import { learnedTitle, makeTrainingPairs, sentencesOf, type PseudoQueryKind } from './pseudo-queries.ts';
import { wordSpans, words, type WordSpan } from '../core/text.ts';
import { documentFrequency } from './tfidf.ts';

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
/**
 * Fusions the fit chooses among: reciprocal rank fusion only. The linear fusion adds the model's posterior to the
 * normalized lexical score, so it relies on the model's probability telling its right answers from its wrong ones,
 * and it does so on the held-out sentences better than on real queries (Cranfield, top-1 posterior when right /
 * wrong: 0.67 / 0.37 on held-out sentences, 0.35 / 0.40 on the test queries); RRF uses ranks alone. Re-fitted on
 * 17 bundles of the three test collections (seeds, vocabularies, several models), the grid without linear points
 * chose a ranking with a better test nDCG@10 on 10, a worse one on 1 (-0.0014), +0.003 on average (up to +0.013);
 * the grid with both had chosen linear on 12 of 17, each time where an RRF point was best on the test labels
 * (BENCHMARKS.md). Linear rankings are still searched as any manifest or caller asks.
 */
export const FIT_FUSIONS = ['rrf'] as const;
/** Lexical-prior weights tried (each costs one decode per query). */
export const FIT_PRIORS = [0, 0.5, 2];
/** Least MRR@10 gain over the lexical ranking for the generative side to get any weight. */
export const MIN_GAIN = 0.005;

const HELD_OUT_KINDS: ReadonlySet<PseudoQueryKind> = new Set(['keywords', 'heading', 'title-part', 'sentence', 'span']);

/** Most documents that give a sentence to the fit, as a share of all: the model does not learn those sentences. */
export const CLOZE_SHARE = 0.2;
/** Fewest removed sentences the fit uses; a corpus that yields fewer is fitted on held-out pseudo-queries. */
export const MIN_CLOZE_QUERIES = 200;
/** Least words a document needs to give a sentence (it keeps most of its text). */
const CLOZE_MIN_DOC_WORDS = 40;
/** Words removed from a text without sentence breaks (lowercased, unpunctuated corpora). */
const CLOZE_WINDOW = 12;
/** Words of a removed sentence kept as the query: its 2 to 5 most specific (a short typed query). */
const CLOZE_QUERY_WORDS = [2, 5] as const;

/** One held-out query and the document it came from. */
export interface HeldOutQuery {
  docIndex: number;
  text: string;
  /** The pseudo-query kind, or `cloze`: a sentence removed from the document. */
  kind: PseudoQueryKind | 'cloze';
}

/** What `clozeQueries` returns. */
export interface ClozeSplit {
  /** The documents the model learns from and the fit's lexical index holds: each query's sentence removed. */
  learnDocs: SourceDoc[];
  /** One query per document that gave a sentence. */
  queries: HeldOutQuery[];
  /** The whole text removed for each query (same order). */
  removed: string[];
}

/** How many sentences a build of `documents` documents takes out for the fit: `wanted`, at most CLOZE_SHARE of them. */
export function clozeCount(documents: number, wanted = DEFAULT_FIT_QUERIES): number {
  return Math.min(wanted, Math.floor(documents * CLOZE_SHARE));
}

/** Number of documents each word occurs in, over the text the build learns from (learned title and text). */
export function corpusDocumentFrequency(docs: readonly SourceDoc[]): Map<string, number> {
  return documentFrequency(docs.map((d) => words(`${learnedTitle(d)} ${d.text}`)));
}

/** Indices of the `n` most specific of `spans` (in fewest documents by `df`; the earlier first on a tie). */
export function mostSpecific(spans: readonly WordSpan[], df: ReadonlyMap<string, number>, n: number): Set<number> {
  return new Set(spans.map((w, i) => [df.get(w.norm) ?? 0, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, n).map(([, i]) => i));
}

/**
 * Takes one sentence (5 to 40 words) out of each of up to `count` sampled documents of at least
 * CLOZE_MIN_DOC_WORDS words and 3 sentences, or a CLOZE_WINDOW-word window from a long text without sentence breaks,
 * and returns the documents without it and, as queries, the removed texts cut to their 2 to 5 most specific words
 * (fewest documents containing them; kept in their order), as people type short queries. Deterministic in `seed`;
 * `docs` is not modified.
 */
export function clozeQueries(docs: readonly SourceDoc[], opts: { count: number; seed?: number }): ClozeSplit {
  const rng = seededRandom(opts.seed ?? HELD_OUT_SEED);
  const order = shuffleInPlace([...docs.keys()], rng);
  const learnDocs = docs.slice();
  const removedTexts: { docIndex: number; text: string }[] = [];
  for (const i of order) {
    if (removedTexts.length >= opts.count) break;
    const doc = docs[i];
    const spans = wordSpans(doc.text);
    if (spans.length < CLOZE_MIN_DOC_WORDS) continue;
    const all = sentencesOf(doc.text);
    const fit = all.filter((s) => { const n = wordSpans(s).length; return n >= 5 && n <= 40; });
    let removed: string;
    if (all.length >= 3 && fit.length > 0) {
      removed = fit[rng.int(fit.length)];
    } else if (all.length <= 1) {
      const start = rng.int(spans.length - CLOZE_WINDOW + 1);
      removed = doc.text.slice(spans[start].start, spans[start + CLOZE_WINDOW - 1].end);
    } else {
      continue;
    }
    const at = doc.text.indexOf(removed);
    if (at < 0) continue;
    learnDocs[i] = { ...doc, text: `${doc.text.slice(0, at).trimEnd()} ${doc.text.slice(at + removed.length).trimStart()}`.trim() };
    removedTexts.push({ docIndex: i, text: removed });
  }
  if (removedTexts.length === 0) return { learnDocs, queries: [], removed: [] };
  const df = corpusDocumentFrequency(docs);
  const lengths = seededRandom((opts.seed ?? HELD_OUT_SEED) + 1);
  const [least, most] = CLOZE_QUERY_WORDS;
  const queries = removedTexts.map(({ docIndex, text }): HeldOutQuery => {
    const spans = wordSpans(text);
    const n = Math.min(spans.length, least + lengths.int(most - least + 1));
    const kept = mostSpecific(spans, df, n);
    return { docIndex, text: spans.filter((_, i) => kept.has(i)).map((w) => text.slice(w.start, w.end)).join(' '), kind: 'cloze' };
  });
  return { learnDocs, queries, removed: removedTexts.map((r) => r.text) };
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

/** A grid point with its reciprocal rank on every held-out query (same order for every point). */
export interface ScoredPoint {
  params: RankingParams;
  rr: readonly number[];
}

/**
 * Picks the ranking from the scored grid (`lexRR`: the lexical ranking's reciprocal ranks on the same queries): the
 * point of best MRR@10 (the first in grid order on a tie), if the generative side earns its weight there: a weight
 * above 0, an MRR at least MIN_GAIN above the lexical ranking's, and more queries won than lost. Otherwise the
 * lexical ranking (weight 0). Measured and not kept: the smallest weight within one standard error of the best
 * (gained on Cranfield, lost 0.006 nDCG@10 on SciFact; BENCHMARKS.md).
 */
export function chooseRanking(points: readonly ScoredPoint[], lexRR: readonly number[]): { ranking: RankingParams; rr: readonly number[] } {
  let best: { point: ScoredPoint; mrr: number } | undefined;
  for (const point of points) {
    const mrr = mean(point.rr);
    if (!best || mrr > best.mrr + 1e-12) best = { point, mrr };
  }
  if (best && best.point.params.generativeWeight > 0) {
    const { rr } = best.point;
    const wins = rr.filter((r, i) => r > lexRR[i]).length;
    const losses = rr.filter((r, i) => r < lexRR[i]).length;
    if (best.mrr >= mean(lexRR) + MIN_GAIN && wins > losses) {
      const { fusion, generativeWeight, lexicalPrior } = best.point.params;
      return { ranking: { fusion, generativeWeight, lexicalPrior }, rr };
    }
  }
  return { ranking: { ...DEFAULT_RANKING }, rr: lexRR };
}

/** 1 / rank of `target` among the first `k` of `ranked`, 0 when it is not there (the fit's score of one query). */
export function reciprocalRank(ranked: readonly { docIndex: number }[], target: number, k = 10): number {
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
  const lexRR = queries.map((q, i) => reciprocalRank(lexical[i], q.docIndex));
  const genRR = queries.map((q, i) => reciprocalRank(decoded[0][i], q.docIndex));
  // The lexical ranking first (every fusion at weight 0 is that ranking), then the fusions at every other weight.
  const scored: ScoredPoint[] = [{ params: { ...DEFAULT_RANKING }, rr: lexRR }];
  for (const [p, lexicalPrior] of FIT_PRIORS.entries()) {
    for (const fusion of FIT_FUSIONS) {
      for (const generativeWeight of FIT_WEIGHTS) {
        if (generativeWeight === 0) continue;
        const params = { fusion, generativeWeight, lexicalPrior };
        scored.push({ params, rr: queries.map((q, i) => reciprocalRank(fuse(lexical[i], decoded[p][i], params, k), q.docIndex)) });
      }
    }
  }
  const grid: FitPoint[] = scored.map((s) => ({ ...s.params, mrr: mean(s.rr) }));
  const { ranking: chosen, rr: hybridRR } = chooseRanking(scored, lexRR);
  const seconds = (performance.now() - t0) / 1000;
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    ranking: {
      ...chosen,
      heldOut: {
        queries: queries.length, seed: opts.seed ?? HELD_OUT_SEED, seconds: Math.round(seconds * 10) / 10,
        kind: queries.length > 0 && queries.every((q) => q.kind === 'cloze') ? 'cloze' : 'pseudo-queries',
        mrr: { lexical: r4(mean(lexRR)), generative: r4(mean(genRR)), hybrid: r4(mean(hybridRR)) },
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
    ? `${head}; held-out MRR@10 (${h.queries} ${h.kind === 'cloze' ? 'removed sentences' : 'queries'}) lexical ${h.mrr.lexical.toFixed(3)}, generative ${h.mrr.generative.toFixed(3)}, hybrid ${h.mrr.hybrid.toFixed(3)}`
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
