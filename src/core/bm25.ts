/**
 * Okapi BM25 over an in-memory inverted index: the lexical baseline geniza is measured against.
 *
 * Scoring (standard Okapi BM25 with Lucene's idf, summed over the query's terms):
 *   score(q, d) = sum over query terms t of  qtf(t) * idf(t) * tf(t,d) * (k1 + 1) / (tf(t,d) + k1 * (1 - b + b * |d| / avgdl))
 *   idf(t) = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))
 * where tf is the term's count in the document, |d| the document's token count (stop words excluded), avgdl the
 * mean |d| over all N documents (empty ones included), and qtf the term's count in the query (a repeated query
 * word counts again, as in Anserini/Pyserini). Lengths are exact (no Lucene byte quantization).
 *
 * Tokenization (`bm25Tokens`): lowercase, then maximal runs of ASCII letters and digits `[a-z0-9]+` (everything
 * else, including accented letters, separates tokens), minus `BM25_STOPWORDS` (Lucene's 33-word English stop
 * set); no stemming. With k1 = 0.9, b = 0.4 and document text = title + " " + text, this reproduces the
 * reference BM25 numbers of the evaluation collections within 0.01 nDCG@10 (bench/bm25-reference.ts checks it;
 * measured nDCG@10 / MRR@10 / R@100: SciFact 0.663/0.631/0.886, NFCorpus 0.316/0.521/0.239, Cranfield
 * 0.331/0.490/0.687 vs the reference 0.662/0.630/0.886, 0.316/0.527/0.237, 0.329/0.505/0.696). The reference's exact
 * stop list is not published; of the lists tried (none, Lucene's 33, a 26-word list, NLTK's 179) Lucene's is the
 * only one within 0.003 nDCG@10 on all three (no stop list: NFCorpus -0.010; NLTK: Cranfield +0.022). Tokenizing
 * Unicode letters instead of ASCII changes nothing on these collections; using the text without the title does.
 *
 * @example
 *   const index = Bm25Index.build(docs.map((d) => `${d.title} ${d.text}`));
 *   index.search('statin breast cancer', 10); // [{ docIndex: 42, score: 17.3 }, ...]
 */
import { GenizaError } from './errors.ts';
import { topK } from './top-k.ts';

/** Options of `Bm25Index.build`. */
export interface Bm25Options {
  /** Term-frequency saturation (default 0.9). */
  k1?: number;
  /** Document-length normalization, 0 = none, 1 = full (default 0.4). */
  b?: number;
  /** Splits a text into index terms; used for documents and queries alike (default `bm25Tokens`). */
  tokenize?: (text: string) => string[];
}

/** One search result: the document's position in the indexed texts and its BM25 score (> 0). */
export interface Bm25Hit {
  /** Index of the document in the array given to `Bm25Index.build`. */
  docIndex: number;
  /** BM25 score (higher is better). */
  score: number;
}

/** Default k1 (Anserini/Pyserini's BEIR setting). */
export const BM25_DEFAULT_K1 = 0.9;
/** Default b (Anserini/Pyserini's BEIR setting). */
export const BM25_DEFAULT_B = 0.4;

/**
 * The stop list of `bm25Tokens`: Lucene's classic English stop set (33 words), what Lucene's and
 * Elasticsearch's `english`/`stop` analyzers remove.
 */
export const BM25_STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not',
  'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was',
  'will', 'with',
]);

const TOKEN = /[a-z0-9]+/g;

/**
 * BM25's default tokenizer: lowercase ASCII alphanumeric runs minus `BM25_STOPWORDS`, no stemming.
 * `bm25Tokens("The T-cell's IL-2 response")` -> `["t", "cell", "s", "il", "2", "response"]`.
 */
export function bm25Tokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(TOKEN)) {
    const w = m[0];
    if (!BM25_STOPWORDS.has(w)) out.push(w);
  }
  return out;
}

function checkParam(name: string, value: number, ok: boolean, limit: string): void {
  if (!Number.isFinite(value) || !ok) {
    throw new GenizaError('BAD_OPTION', `bm25: ${name} must be ${limit} (got ${value})`);
  }
}

/** Grows an Int32Array to at least `need` elements (doubling). */
function grow(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/**
 * An immutable BM25 inverted index. Postings are stored CSR-style in typed arrays: for term id t, documents
 * `postDocs[postStart[t] .. postStart[t+1])` (ascending) with counts `postTfs[...]`.
 */
export class Bm25Index {
  /** Number of indexed documents. */
  readonly size: number;
  /** k1 in use. */
  readonly k1: number;
  /** b in use. */
  readonly b: number;
  /** Mean document length in tokens. */
  readonly avgdl: number;
  private readonly tokenize: (text: string) => string[];
  private readonly termIds: Map<string, number>;
  private readonly postStart: Int32Array;
  private readonly postDocs: Int32Array;
  private readonly postTfs: Int32Array;
  /** Per document: k1 * (1 - b + b * |d| / avgdl). */
  private readonly norms: Float64Array;
  /** Per term: idf * (k1 + 1). */
  private readonly weights: Float64Array;
  /** Score accumulator reused across searches (all zeros between calls). */
  private readonly acc: Float64Array;

  private constructor(fields: {
    size: number; k1: number; b: number; avgdl: number; tokenize: (text: string) => string[];
    termIds: Map<string, number>; postStart: Int32Array; postDocs: Int32Array; postTfs: Int32Array;
    norms: Float64Array; weights: Float64Array;
  }) {
    this.size = fields.size;
    this.k1 = fields.k1;
    this.b = fields.b;
    this.avgdl = fields.avgdl;
    this.tokenize = fields.tokenize;
    this.termIds = fields.termIds;
    this.postStart = fields.postStart;
    this.postDocs = fields.postDocs;
    this.postTfs = fields.postTfs;
    this.norms = fields.norms;
    this.weights = fields.weights;
    this.acc = new Float64Array(fields.size);
  }

  /** Indexes `texts` (document i = texts[i]); an empty text is a document that matches nothing. */
  static build(texts: readonly string[], opts: Bm25Options = {}): Bm25Index {
    const k1 = opts.k1 ?? BM25_DEFAULT_K1;
    const b = opts.b ?? BM25_DEFAULT_B;
    checkParam('k1', k1, k1 >= 0, '>= 0');
    checkParam('b', b, b >= 0 && b <= 1, 'between 0 and 1');
    const tokenize = opts.tokenize ?? bm25Tokens;
    const n = texts.length;

    // Pass 1: every document's token ids, concatenated, and document frequencies.
    const termIds = new Map<string, number>();
    let tokens = new Int32Array(1 << 16);
    let ntok = 0;
    const docStart = new Int32Array(n + 1);
    let df = new Int32Array(1024);
    let lastDoc = new Int32Array(1024).fill(-1);
    for (let d = 0; d < n; d++) {
      const words = tokenize(texts[d]);
      tokens = grow(tokens, ntok + words.length);
      for (const w of words) {
        let id = termIds.get(w);
        if (id === undefined) {
          id = termIds.size;
          termIds.set(w, id);
          if (id >= df.length) {
            df = grow(df, id + 1);
            const old = lastDoc;
            lastDoc = new Int32Array(df.length).fill(-1);
            lastDoc.set(old);
          }
        }
        tokens[ntok++] = id;
        if (lastDoc[id] !== d) {
          lastDoc[id] = d;
          df[id]++;
        }
      }
      docStart[d + 1] = ntok;
    }
    const nterms = termIds.size;

    // Pass 2: postings in document order (so each list is ascending), counting tf with a scratch array.
    const postStart = new Int32Array(nterms + 1);
    for (let t = 0; t < nterms; t++) postStart[t + 1] = postStart[t] + df[t];
    const npost = postStart[nterms];
    const postDocs = new Int32Array(npost);
    const postTfs = new Int32Array(npost);
    const fill = postStart.slice(0, nterms);
    const tf = new Int32Array(nterms);
    for (let d = 0; d < n; d++) {
      const s = docStart[d];
      const e = docStart[d + 1];
      for (let i = s; i < e; i++) tf[tokens[i]]++;
      for (let i = s; i < e; i++) {
        const t = tokens[i];
        const c = tf[t];
        if (c === 0) continue; // already written for this document
        const p = fill[t]++;
        postDocs[p] = d;
        postTfs[p] = c;
        tf[t] = 0;
      }
    }

    const avgdl = n > 0 ? ntok / n : 0;
    const norms = new Float64Array(n);
    for (let d = 0; d < n; d++) {
      const len = docStart[d + 1] - docStart[d];
      norms[d] = k1 * (1 - b + (avgdl > 0 ? (b * len) / avgdl : 0));
    }
    const weights = new Float64Array(nterms);
    for (let t = 0; t < nterms; t++) weights[t] = bm25Idf(n, df[t]) * (k1 + 1);
    return new Bm25Index({ size: n, k1, b, avgdl, tokenize, termIds, postStart, postDocs, postTfs, norms, weights });
  }

  /** Number of distinct index terms. */
  get vocabularySize(): number {
    return this.termIds.size;
  }

  /** Documents containing `term` (an index term, i.e. already tokenized), 0 when unknown. */
  docFreq(term: string): number {
    const t = this.termIds.get(term);
    return t === undefined ? 0 : this.postStart[t + 1] - this.postStart[t];
  }

  /**
   * The top `k` documents for `query` by BM25 score, best first; ties go to the lower docIndex. Only documents
   * sharing at least one term with the query are returned, so a query of unknown or stop words gives [].
   */
  search(query: string, k: number): Bm25Hit[] {
    if (!Number.isInteger(k) || k < 1) throw new GenizaError('BAD_OPTION', `bm25 search: k must be an integer >= 1 (got ${k})`);
    // Query term ids with their counts, in first-occurrence order (a fixed summation order: deterministic).
    const qtf = new Map<number, number>();
    for (const w of this.tokenize(query)) {
      const t = this.termIds.get(w);
      if (t !== undefined) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    }
    if (qtf.size === 0) return [];
    const { acc, norms, postDocs, postTfs, postStart, weights } = this;
    const touched: number[] = [];
    for (const [t, count] of qtf) {
      const w = weights[t] * count;
      for (let p = postStart[t], e = postStart[t + 1]; p < e; p++) {
        const d = postDocs[p];
        const f = postTfs[p];
        if (acc[d] === 0) touched.push(d);
        acc[d] += w * (f / (f + norms[d]));
      }
    }
    const hits = topK(acc, touched, k);
    for (const d of touched) acc[d] = 0;
    return hits;
  }
}

/** Lucene's BM25 idf: ln(1 + (N - df + 0.5) / (df + 0.5)); always > 0. */
export function bm25Idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

