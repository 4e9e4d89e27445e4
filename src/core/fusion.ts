/**
 * Hybrid ranking: fuses the lexical ranking (stemmed BM25) with the generative one (trie-constrained decoding) using
 * weights fitted per corpus at build time (src/indexer/fit-fusion.ts) and stored in `manifest.ranking`.
 *
 * - `linear`: score = (1 - w) * lexical / max lexical + w * generative posterior, where the posterior is the
 *   softmax of the decoded docids' scores over the decoded set (both terms in [0, 1]).
 * - `rrf`: weighted reciprocal rank fusion, score = (1 - w) / (60 + lexical rank) + w / (60 + generative rank).
 * With w = 0 both give the lexical ranking exactly (documents the lexical side did not find come after, by
 * generative score); the engine then skips the model altogether.
 *
 * @example
 *   const hits = fuse(lexicalHits, decoded, { fusion: 'linear', generativeWeight: 0.2, lexicalPrior: 0 }, 10);
 */

/** How the two rankings are combined (`manifest.ranking`). */
export interface RankingParams {
  /** Fusion method: `linear` (normalized scores) or `rrf` (weighted reciprocal ranks). */
  fusion: 'linear' | 'rrf';
  /** Weight of the generative side in [0, 1]; 0 = the lexical ranking alone (the model is not run). */
  generativeWeight: number;
  /** Weight of the lexical prior added to the decoder's log-probs per trie prefix (lexical-guided decoding); 0 = none. */
  lexicalPrior: number;
}

/**
 * Ranking of a bundle without `manifest.ranking` (built before fitting existed): the lexical ranking alone, since an
 * unmeasured generative side must not make results worse than the lexical ones.
 */
export const DEFAULT_RANKING: Readonly<RankingParams> = { fusion: 'linear', generativeWeight: 0, lexicalPrior: 0 };

/** The constant k of reciprocal rank fusion. */
export const RRF_K = 60;

/** A scored document of one side. */
export interface ScoredDoc {
  docIndex: number;
  score: number;
}

/** One fused result. */
export interface FusedHit {
  docIndex: number;
  /** Fused score (higher is better). */
  score: number;
  /** Lexical score (0 = no lexical support: the document shares no query term). */
  lexical: number;
  /** Generative posterior over the decoded set (0 when not decoded). */
  generative: number;
}

/** Softmax of the scores over the list (a posterior over the decoded docids), by docIndex. */
export function posteriors(decoded: readonly ScoredDoc[]): Map<number, number> {
  const out = new Map<number, number>();
  if (decoded.length === 0) return out;
  let max = -Infinity;
  for (const d of decoded) max = Math.max(max, d.score);
  let sum = 0;
  for (const d of decoded) sum += Math.exp(d.score - max);
  for (const d of decoded) out.set(d.docIndex, Math.exp(d.score - max) / sum);
  return out;
}

/**
 * Fuses a lexical ranking (best first, scores > 0) and a generative one (best first, log-prob scores) into the
 * top `k`. Ties go to the higher lexical score, then the lower docIndex.
 */
export function fuse(lexical: readonly ScoredDoc[], generative: readonly ScoredDoc[], params: RankingParams, k: number): FusedHit[] {
  const w = params.generativeWeight;
  const post = posteriors(generative);
  const lexMax = lexical.length > 0 ? lexical[0].score : 1;
  const byDoc = new Map<number, FusedHit>();
  const get = (docIndex: number): FusedHit => {
    let h = byDoc.get(docIndex);
    if (!h) { h = { docIndex, score: 0, lexical: 0, generative: 0 }; byDoc.set(docIndex, h); }
    return h;
  };
  lexical.forEach((l, rank) => {
    const h = get(l.docIndex);
    h.lexical = l.score;
    h.score += params.fusion === 'rrf' ? (1 - w) / (RRF_K + rank + 1) : (1 - w) * (lexMax > 0 ? l.score / lexMax : 0);
  });
  generative.forEach((g, rank) => {
    const h = get(g.docIndex);
    h.generative = post.get(g.docIndex) ?? 0;
    h.score += params.fusion === 'rrf' ? w / (RRF_K + rank + 1) : w * h.generative;
  });
  const all = [...byDoc.values()];
  all.sort((a, b) => b.score - a.score || b.lexical - a.lexical || b.generative - a.generative || a.docIndex - b.docIndex);
  return all.slice(0, k);
}

/** Checks ranking parameters (from a manifest or an option); returns an error message or undefined when valid. */
export function rankingProblem(p: unknown): string | undefined {
  if (typeof p !== 'object' || p === null) return 'must be an object';
  const r = p as Record<string, unknown>;
  if (r.fusion !== 'linear' && r.fusion !== 'rrf') return `fusion must be "linear" or "rrf" (got ${JSON.stringify(r.fusion)})`;
  const w = r.generativeWeight;
  if (typeof w !== 'number' || !(w >= 0 && w <= 1)) return `generativeWeight must be a number from 0 to 1 (got ${JSON.stringify(w)})`;
  const l = r.lexicalPrior;
  if (typeof l !== 'number' || !(l >= 0 && l <= 100)) return `lexicalPrior must be a number from 0 to 100 (got ${JSON.stringify(l)})`;
  return undefined;
}
