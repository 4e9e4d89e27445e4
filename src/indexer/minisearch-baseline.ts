/**
 * MiniSearch (npm `minisearch` 7.2.0) with its DEFAULT settings, as a baseline: "the in-page search library
 * users reach for today". Nothing is tuned:
 *   index:  fields `title` and `text`, the default tokenizer (split on runs of whitespace, line breaks and Unicode
 *           punctuation `[\n\r\p{Z}\p{P}]+`), terms lowercased, no stop words, no stemming;
 *   search: default options: OR combination, no prefix matching, no fuzzy matching, no field boosts,
 *           MiniSearch's BM25+ scoring (k = 1.2, b = 0.7, d = 0.5, per field, summed over fields and terms).
 * Results are ordered by score, ties by lower docIndex (MiniSearch itself leaves ties in insertion order).
 *
 * @example
 *   const ms = buildMiniSearch(docs);
 *   ms.search('statin breast cancer', 10); // [{ docIndex: 3, score: 12.1 }, ...]
 */
import MiniSearch from 'minisearch';

/** One MiniSearch result: the document's position in the input and MiniSearch's score. */
export interface MiniSearchHit {
  /** Index of the document in the array given to `buildMiniSearch`. */
  docIndex: number;
  /** MiniSearch's BM25+ score (higher is better). */
  score: number;
}

/** A built MiniSearch baseline. */
export interface MiniSearchBaseline {
  /** The top `k` documents for `query` (MiniSearch default search options), best first. */
  search(query: string, k: number): MiniSearchHit[];
  /** Number of indexed documents. */
  readonly size: number;
}

/** Indexes `docs` with MiniSearch's defaults (fields title and text; doc i gets id i). */
export function buildMiniSearch(docs: readonly { title: string; text: string }[]): MiniSearchBaseline {
  const ms = new MiniSearch<{ id: number; title: string; text: string }>({ fields: ['title', 'text'] });
  ms.addAll(docs.map((d, i) => ({ id: i, title: d.title, text: d.text })));
  return {
    size: docs.length,
    search(query: string, k: number): MiniSearchHit[] {
      const hits = ms.search(query).map((r) => ({ docIndex: r.id as number, score: r.score }));
      hits.sort((a, b) => b.score - a.score || a.docIndex - b.docIndex);
      return hits.slice(0, k);
    },
  };
}
