/**
 * Best-first vs beam decoding for `geniza eval`: the generative side alone (100 results) decoded by beam search of
 * width 10 and 100 and by exact best-first top-k (src/core/decode.ts), on a sample of queries: Recall@100 against
 * the judgments, latency, decoder runs per query, and how often best-first finished within its expansion budget
 * (proven exact).
 */
import type { DecodeStats } from '../core/decode.ts';
import { recallAtK, type Qrels } from '../core/metrics.ts';
import type { DecodeOptions, SearchEngine } from '../../workers/engine.ts';
import { latencySummary } from './measure.ts';
import type { Progress } from './progress.ts';

/** One decoder's figures. */
export interface DecoderFigures {
  'recall@100': number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  /** Mean decoder (model) runs per query. */
  modelRuns: number;
  /** best-first: share of queries whose top 100 is proven exact (within the expansion budget). */
  exact?: number;
}

/** Best-first vs beam decoding on a sample of queries. */
export interface DecodingComparison {
  queries: number;
  /** best-first's expansion budget. */
  maxExpansions: number;
  decoders: Record<string, DecoderFigures>;
}

const DECODERS: [string, DecodeOptions][] = [
  ['beam-10', { algorithm: 'beam', beams: 10 }],
  ['beam-100', { algorithm: 'beam', beams: 100 }],
  ['best-first', { algorithm: 'best-first', maxExpansions: 2000 }],
];

/** Runs the comparison on the first `sample` queries; null when `sample` is 0. */
export async function compareDecoders(
  engine: SearchEngine, queries: readonly { id: string; text: string }[], qrels: ReadonlyMap<string, Qrels>, sample: number, progress: Progress,
): Promise<DecodingComparison | null> {
  if (sample <= 0) return null;
  const picked = queries.slice(0, sample);
  const bar = progress.stage('best-first vs beam', picked.length * DECODERS.length, 'queries');
  const decoders: Record<string, DecoderFigures> = {};
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  for (const [name, opts] of DECODERS) {
    for (const q of picked.slice(0, 2)) await engine.decode(q.text, { ...opts, k: 100 });
    const ms: number[] = [];
    let recall = 0;
    let runs = 0;
    let exact = 0;
    for (const q of picked) {
      const stats = {} as DecodeStats;
      const t = performance.now();
      const decoded = await engine.decode(q.text, { ...opts, k: 100, stats });
      ms.push(performance.now() - t);
      recall += recallAtK(decoded.map((d) => engine.docs[d.docIndex].id), qrels.get(q.id)!, 100);
      runs += stats.steps ?? 0;
      if (stats.exact) exact++;
      bar.tick();
    }
    const l = latencySummary(ms);
    decoders[name] = { 'recall@100': r4(recall / picked.length), meanMs: l.mean, p50Ms: l.p50, p95Ms: l.p95, modelRuns: Math.round((runs / picked.length) * 10) / 10 };
    if (opts.algorithm === 'best-first') decoders[name].exact = r4(exact / picked.length);
  }
  bar.finish(Object.entries(decoders).map(([n, d]) => `${n} R@100 ${d['recall@100'].toFixed(3)} ${d.p50Ms.toFixed(0)} ms`).join(', '));
  return { queries: picked.length, maxExpansions: 2000, decoders };
}
