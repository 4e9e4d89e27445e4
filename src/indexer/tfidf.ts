/** TF-IDF document-term matrix over normalized words (src/core/text.ts), as a sparse CSR matrix. */
import type { CsrMatrix } from '../core/svd.ts';

/** Options of `buildTfIdf`. */
export interface TfIdfOptions {
  /** Keep only terms in at least this many documents (default 1). */
  minDf?: number;
  /** Keep at most this many terms, the most frequent by document frequency (default 50000). */
  maxTerms?: number;
  /** Scale each row to unit length (default true). */
  normalizeRows?: boolean;
}

/** A TF-IDF model of a corpus. */
export interface TfIdf {
  /** Term of each column. */
  terms: string[];
  /** Column of each term. */
  index: Map<string, number>;
  /** Document frequency of each column. */
  df: Int32Array;
  /** Inverse document frequency of each column: ln((1 + n) / (1 + df)) + 1. */
  idf: Float64Array;
  /** Rows = documents, weights = (1 + ln tf) * idf, optionally L2-normalized. */
  matrix: CsrMatrix;
}

/** Number of documents each word occurs in, from each document's list of (normalized) words. */
export function documentFrequency(docWords: Iterable<readonly string[]>): Map<string, number> {
  const df = new Map<string, number>();
  for (const ws of docWords) {
    for (const w of new Set(ws)) df.set(w, (df.get(w) ?? 0) + 1);
  }
  return df;
}

/** Builds a TF-IDF matrix from each document's list of (normalized) words. Deterministic. */
export function buildTfIdf(docWords: readonly (readonly string[])[], opts: TfIdfOptions = {}): TfIdf {
  const n = docWords.length;
  const dfAll = documentFrequency(docWords);
  const minDf = opts.minDf ?? 1;
  let kept = [...dfAll.entries()].filter(([, d]) => d >= minDf);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  kept = kept.slice(0, opts.maxTerms ?? 50000);
  const terms = kept.map(([t]) => t);
  const index = new Map(terms.map((t, i) => [t, i]));
  const df = Int32Array.from(kept.map(([, d]) => d));
  const idf = Float64Array.from(df, (d) => Math.log((1 + n) / (1 + d)) + 1);

  const indptr = new Int32Array(n + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  for (let r = 0; r < n; r++) {
    const tf = new Map<number, number>();
    for (const w of docWords[r]) {
      const c = index.get(w);
      if (c !== undefined) tf.set(c, (tf.get(c) ?? 0) + 1);
    }
    const entries = [...tf.entries()].sort((a, b) => a[0] - b[0]);
    let norm = 0;
    const start = cols.length;
    for (const [c, f] of entries) {
      const v = (1 + Math.log(f)) * idf[c];
      cols.push(c);
      vals.push(v);
      norm += v * v;
    }
    if ((opts.normalizeRows ?? true) && norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let i = start; i < vals.length; i++) vals[i] *= inv;
    }
    indptr[r + 1] = cols.length;
  }
  return {
    terms, index, df, idf,
    matrix: { rows: n, cols: terms.length, indptr, indices: Int32Array.from(cols), values: Float32Array.from(vals) },
  };
}
