/**
 * Retrieval quality metrics over a ranked list of document ids and graded relevance judgments (qrels).
 * A document is relevant when its grade is > 0; unjudged documents count as grade 0. A document listed twice
 * in a ranking counts once (at its first position).
 *
 * @example
 *   const qrels = new Map([['d1', 2], ['d7', 1]]);
 *   ndcgAtK(['d3', 'd1', 'd7'], qrels, 10); // (2/log2(3) + 1/log2(4)) / (2/log2(2) + 1/log2(3)) = 0.6...
 */
import { GenizaError } from './errors.ts';

/** Relevance grades of one query: document id -> grade (higher is more relevant, 0 = not relevant). */
export type Qrels = Map<string, number>;

function checkK(name: string, k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new GenizaError('BAD_OPTION', `${name}: k must be an integer >= 1 (got ${k})`);
}

/** The first k distinct ids of a ranking. */
function topDistinct(ranked: readonly string[], k: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of ranked) {
    if (out.length >= k) break;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return out;
}

/** nDCG@k with gain = grade and discount log2(rank + 1); the ideal ranking comes from the qrels. 0 when nothing is relevant. */
export function ndcgAtK(ranked: readonly string[], qrels: Qrels, k: number): number {
  checkK('ndcg', k);
  let dcg = 0;
  topDistinct(ranked, k).forEach((id, i) => {
    const rel = qrels.get(id) ?? 0;
    if (rel > 0) dcg += rel / Math.log2(i + 2);
  });
  const ideal = [...qrels.values()].filter((r) => r > 0).sort((a, b) => b - a).slice(0, k);
  let idcg = 0;
  ideal.forEach((rel, i) => (idcg += rel / Math.log2(i + 2)));
  return idcg > 0 ? dcg / idcg : 0;
}

/** Reciprocal rank of the first relevant document within the top k, 0 when none. */
export function mrrAtK(ranked: readonly string[], qrels: Qrels, k: number): number {
  checkK('mrr', k);
  const top = topDistinct(ranked, k);
  for (let i = 0; i < top.length; i++) if ((qrels.get(top[i]) ?? 0) > 0) return 1 / (i + 1);
  return 0;
}

/** Fraction of the relevant documents found in the top k (0 when the query has no relevant document). */
export function recallAtK(ranked: readonly string[], qrels: Qrels, k: number): number {
  checkK('recall', k);
  let relevant = 0;
  for (const r of qrels.values()) if (r > 0) relevant++;
  if (relevant === 0) return 0;
  let found = 0;
  for (const id of topDistinct(ranked, k)) if ((qrels.get(id) ?? 0) > 0) found++;
  return found / relevant;
}

/** Arithmetic mean (0 for an empty list). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Options of evaluateRun. */
export interface EvaluateOptions {
  /** Cut-off of nDCG and MRR (default 10). */
  k?: number;
  /** Cut-off of recall (default 100). */
  recallK?: number;
}

/** Mean metrics of a run over all judged queries. */
export interface RunMetrics {
  /** Judged queries averaged over (a query missing from the run scores 0). */
  queries: number;
  ndcg: number;
  mrr: number;
  recall: number;
}

/** Mean nDCG@k, MRR@k and Recall@recallK over every query of `qrels` (queries the run lacks count as 0). */
export function evaluateRun(run: Map<string, readonly string[]>, qrels: Map<string, Qrels>, opts: EvaluateOptions = {}): RunMetrics {
  const k = opts.k ?? 10;
  const recallK = opts.recallK ?? 100;
  const ndcg: number[] = [];
  const mrr: number[] = [];
  const recall: number[] = [];
  for (const [qid, judged] of qrels) {
    const ranked = run.get(qid) ?? [];
    ndcg.push(ndcgAtK(ranked, judged, k));
    mrr.push(mrrAtK(ranked, judged, k));
    recall.push(recallAtK(ranked, judged, recallK));
  }
  return { queries: qrels.size, ndcg: mean(ndcg), mrr: mean(mrr), recall: mean(recall) };
}

/**
 * Parses TREC/BEIR qrels text: one `query-id <TAB> doc-id <TAB> grade` per line (a 4-column TREC line
 * `qid 0 docid grade` works too; a header line starting with `query-id` is skipped).
 */
export function parseQrels(text: string): Map<string, Qrels> {
  const out = new Map<string, Qrels>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, n) => {
    const cols = line.trim().split(/\s+/);
    if (cols.length === 1 && cols[0] === '') return;
    if (n === 0 && /^query[-_]?id$/i.test(cols[0])) return;
    if (cols.length !== 3 && cols.length !== 4) {
      throw new GenizaError('BAD_INPUT', `qrels line ${n + 1}: expected "query-id doc-id grade" (got ${JSON.stringify(line.slice(0, 80))})`);
    }
    const [qid, docid, grade] = cols.length === 3 ? cols : [cols[0], cols[2], cols[3]];
    const rel = Number(grade);
    if (!Number.isFinite(rel)) throw new GenizaError('BAD_INPUT', `qrels line ${n + 1}: grade must be a number (got ${JSON.stringify(grade)})`);
    let q = out.get(qid);
    if (q === undefined) out.set(qid, (q = new Map()));
    q.set(docid, rel);
  });
  return out;
}
