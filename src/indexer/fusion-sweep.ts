/**
 * A diagnostic of `geniza eval`, never used to choose the shipped weights: nDCG@10 on the collection's TEST judgments
 * for every point of the fusion grid (src/indexer/fit-fusion.ts), to show what the held-out fit leaves on the table.
 * k = 10, lexical candidates 100, generative beam 10 (as the page searches).
 */
import { fuse } from '../core/fusion.ts';
import { ndcgAtK, type Qrels } from '../core/metrics.ts';
import type { SearchEngine } from '../../workers/engine.ts';
import { FIT_PRIORS, FIT_WEIGHTS } from './fit-fusion.ts';
import type { Progress } from './progress.ts';

/** One grid point and its test nDCG@10. */
export interface SweepPoint {
  fusion: 'linear' | 'rrf';
  generativeWeight: number;
  lexicalPrior: number;
  'ndcg@10': number;
}

/** The sweep: the lexical point (weight 0) and the best point on the test judgments. */
export interface FusionSweep {
  queries: number;
  lexical: number;
  best: SweepPoint;
  points: SweepPoint[];
}

/** Runs the sweep over `queries` (all judged ones). */
export async function fusionSweep(
  engine: SearchEngine, queries: readonly { id: string; text: string }[], qrels: ReadonlyMap<string, Qrels>, progress: Progress,
): Promise<FusionSweep> {
  const bar = progress.stage('fusion sweep (test labels, diagnostic)', queries.length, 'queries');
  const lexical: { docIndex: number; score: number }[][] = [];
  const decoded: { docIndex: number; score: number }[][][] = FIT_PRIORS.map(() => []);
  for (const q of queries) {
    lexical.push(engine.lexicalSearch(q.text, { k: 100 }));
    for (const [p, prior] of FIT_PRIORS.entries()) decoded[p].push(await engine.decode(q.text, { k: 10, beams: 10, lexicalPrior: prior }));
    bar.tick();
  }
  const ndcg = (ranked: readonly { docIndex: number }[], q: number) => ndcgAtK(ranked.slice(0, 10).map((h) => engine.docs[h.docIndex].id), qrels.get(queries[q].id)!, 10);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  const lex = r4(mean(queries.map((_, i) => ndcg(lexical[i], i))));
  const points: SweepPoint[] = [];
  for (const [p, lexicalPrior] of FIT_PRIORS.entries()) {
    for (const fusion of ['linear', 'rrf'] as const) {
      for (const generativeWeight of FIT_WEIGHTS) {
        if (generativeWeight === 0) continue;
        const params = { fusion, generativeWeight, lexicalPrior };
        const v = mean(queries.map((_, i) => ndcg(fuse(lexical[i], decoded[p][i], params, 10), i)));
        points.push({ ...params, 'ndcg@10': r4(v) });
      }
    }
  }
  const best = points.reduce((a, b) => (b['ndcg@10'] > a['ndcg@10'] ? b : a));
  bar.finish(`lexical ${lex.toFixed(3)}; best ${best.fusion} w=${best.generativeWeight} prior ${best.lexicalPrior}: ${best['ndcg@10'].toFixed(3)}`);
  return { queries: queries.length, lexical: lex, best, points };
}
