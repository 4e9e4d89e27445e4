/**
 * The lexical path: a stemmed, field-aware BM25 index that runs in the browser beside the generative model, built at
 * load time in the worker from the bundle's documents (title, text and the page title of sections).
 *
 * One analyzer (`analyze`) is used for documents, queries and highlights: text.ts normalization and words, minus
 * the BM25 stop words (Lucene's 33), then the Porter2 stem (stem.ts). Stop words are still indexed (they do not
 * count in document lengths) so that a query made only of stop words ("the who") still finds documents; in any
 * other query they are dropped.
 *
 * Fields are combined BM25F-style (Robertson & Zaragoza): per document and term,
 *   ntf = sum over fields f of  w_f * tf_f / (1 - b + b * len_f / avglen_f)
 *   score(q, d) = sum over query terms t of  qtf(t) * idf(t) * ntf * (k1 + 1) / (ntf + k1)
 * with Lucene's idf over documents (bm25.ts), field weights w_text = 1, w_title = titleWeight, w_pageTitle =
 * pageTitleWeight. `fieldModel: 'concat'` instead scores one bag of words (title repeated titleWeight times + text,
 * one length), and 'sum' adds per-field BM25 scores (sum of w_f * saturation per field); bench/lexical.ts measures
 * the three. Every (term, document) impact is computed at build time, so a query only adds idf * impact along
 * the postings of its terms.
 *
 * Search-as-you-type (`prefixLastWord`): the last query word also matches every indexed word it is a prefix of
 * (found by binary search in the sorted vocabulary of unstemmed words; at most MAX_PREFIX_TERMS stems, the most
 * frequent); a document scores the best of those terms, so one that contains several completions is not favoured,
 * and a completion counts sqrt(typed length / word length) of a whole word (measured better than 1, 0.5 or the
 * plain ratio on all three collections with the last word cut short).
 *
 * Pseudo-relevance feedback (`feedback`, on by default): RM3 with 5 feedback documents, 10 expansion terms and the
 * query's own words at 0.8 of the weight (milder than Anserini's 10/10/0.5, which costs SciFact 0.04 nDCG@10);
 * skipped when the query is exactly the best document's title, and off by default while the last word is typed
 * (`prefixLastWord`). Measured on the three collections: NFCorpus and Cranfield gain 0.02-0.03 nDCG@10 and
 * Recall@100, SciFact holds (-0.002 nDCG@10, +0.010 Recall@100); on typed queries it cost SciFact 0.014.
 *
 * Typos (`fuzzy`, on by default): a query word that is in no document matches the indexed words one edit away
 * (insertion, deletion, substitution, swap of neighbours), at FUZZY_WEIGHT; a word that is indexed is never
 * replaced. On the three collections this holds or improves natural queries and recovers most of what one swapped
 * pair of letters in the longest query word costs (bench/lexical.ts).
 *
 * @example
 *   const index = LexicalIndex.build(docs); // [{ title, text, pageTitle? }]
 *   index.search('running shoes', { k: 10 }); // [{ docIndex: 3, score: 11.2 }, ...] ("run", "shoe" match too)
 */
import { BM25_STOPWORDS, bm25Idf } from './bm25.ts';
import { GenizaError } from './errors.ts';
import { stemCached } from './stem.ts';
import { words } from './text.ts';
import { topK } from './top-k.ts';

/** How the title, text and page-title fields are combined. */
export type FieldModel = 'bm25f' | 'concat' | 'sum';

/** Options of `LexicalIndex.build`. */
export interface LexicalOptions {
  /** Porter2-stem every word (default true). */
  stem?: boolean;
  /** Weight of the title field relative to the text (default LEXICAL_DEFAULTS.titleWeight). */
  titleWeight?: number;
  /** Weight of the page-title field of sections relative to the text (default LEXICAL_DEFAULTS.pageTitleWeight). */
  pageTitleWeight?: number;
  /** How fields are combined (default LEXICAL_DEFAULTS.fieldModel). */
  fieldModel?: FieldModel;
  /** Term-frequency saturation (default 0.9). */
  k1?: number;
  /** Length normalization, 0 = none, 1 = full (default 0.4). */
  b?: number;
}

/** One ranked document. */
export interface LexicalHit {
  /** Position of the document in the array given to `LexicalIndex.build`. */
  docIndex: number;
  /** Score (> 0; higher is better). */
  score: number;
}

/** What `searchAll` returns for one query. */
export interface LexicalResult {
  /** The top k documents, as `search` returns them. */
  hits: LexicalHit[];
  /** Every document's score, as `scores` returns them (only when asked for; default undefined). */
  scores: Float32Array | undefined;
  /** The indexed words matched for typos, as `typoCorrections` returns them. */
  typoCorrections: string[];
}

/** Options of `search` and `scores`. */
export interface LexicalSearchOptions {
  /** Number of hits `search` returns at most (default 10). */
  k?: number;
  /** Per document, 1 = may be returned, 0 = filtered out (default: every document); length must be `size`. */
  allowed?: Uint8Array;
  /** The last query word also matches as a typed prefix ("tok" finds "tokenizer"; default false). */
  prefixLastWord?: boolean;
  /**
   * Weight a completion of the typed last word by sqrt(typed length / completed word's length), so "to" counts
   * less toward "tokenizer" than toward "tokens" and less than a whole word (default true; bench/lexical.ts).
   */
  prefixDiscount?: boolean;
  /**
   * A query word that is in no document (at least MIN_FUZZY_CHARS long) matches the indexed words one typo away
   * ("tokenzier" finds "tokenizer"), weighted FUZZY_WEIGHT, for up to MAX_FUZZY_WORDS such words (default true).
   */
  fuzzy?: boolean;
  /**
   * Pseudo-relevance feedback (RM3): add the terms most typical of the best first-pass documents to the query
   * and rank again (default FEEDBACK_DEFAULT, but off with `prefixLastWord`: a word still being typed makes the
   * first pass too unsure; measured in bench/lexical.ts).
   */
  feedback?: boolean;
}

/**
 * The defaults of LexicalOptions, measured with bench/lexical.ts on SciFact, NFCorpus and Cranfield (BENCHMARKS.md,
 * "Lexical path: stemming and fields"): stemming gains on all three (nDCG@10 +0.017/+0.014/+0.021 over plain BM25);
 * BM25F with title weight 3 adds on both collections with titles (the gain plateaus from 3 to 8) and ranks a
 * document first for its exact title most often; a weighted sum of field scores wins on Cranfield but loses on
 * SciFact. k1 and b are Anserini's BEIR values (not tuned here).
 */
/** Field bits of a forward posting: the term is in the title / in the page title. */
const IN_TITLE = 1;
const IN_PAGE_TITLE = 2;

/** Best documents checked for an exact title match of the query (see `boostExactTitles`). */
const EXACT_TITLE_CANDIDATES = 50;

export const LEXICAL_DEFAULTS = {
  stem: true,
  titleWeight: 3,
  pageTitleWeight: 1,
  fieldModel: 'bm25f' as FieldModel,
  k1: 0.9,
  b: 0.4,
} as const;

/** Most stems a typed prefix expands to. */
export const MAX_PREFIX_TERMS = 32;
/** Shortest unknown query word that is matched to words one typo away. */
export const MIN_FUZZY_CHARS = 4;
/** Most terms an unknown query word is matched to. */
export const MAX_FUZZY_TERMS = 8;
/** Most unknown words of one query that are matched to words one typo away (bounds the work on huge queries). */
export const MAX_FUZZY_WORDS = 8;
/** Weight of a match one typo away, relative to the word itself. */
export const FUZZY_WEIGHT = 0.5;
/** Whether `search` and `scores` use pseudo-relevance feedback unless told otherwise. */
export const FEEDBACK_DEFAULT = true;
/** Feedback: how many of the best first-pass documents are read. */
export const FEEDBACK_DOCS = 5;
/** Feedback: how many terms are added to the query. */
export const FEEDBACK_TERMS = 10;
/** Feedback: the share of the query's own words in the expanded query. */
export const FEEDBACK_ORIGINAL_WEIGHT = 0.8;
/** Shortest last word that is expanded as a prefix (one letter would match a large part of the vocabulary). */
export const MIN_PREFIX_CHARS = 2;

const ASCII_TEXT = /^[\x00-\x7f]*$/;
const ASCII_WORD = /[a-z0-9]+/g;

/**
 * text.ts `words()` (normalized words, in order), with a faster path for pure-ASCII text, where a word is exactly a
 * lowercased run of ASCII letters and digits.
 */
export function wordsOf(text: string): string[] {
  if (!ASCII_TEXT.test(text)) return words(text);
  return text.toLowerCase().match(ASCII_WORD) ?? [];
}

/** The index term of one normalized word: its Porter2 stem when stemming, else the word itself. */
export function indexTerm(word: string, stem = true): string {
  return stem ? stemCached(word) : word;
}

/**
 * The analyzer of the lexical path: normalized words (text.ts) minus BM25_STOPWORDS, stemmed unless
 * `stem: false`. `analyze('The runners were running')` -> `['runner', 'were', 'run']`.
 */
export function analyze(text: string, opts: { stem?: boolean } = {}): string[] {
  const stem = opts.stem ?? true;
  const out: string[] = [];
  for (const w of wordsOf(text)) if (!BM25_STOPWORDS.has(w)) out.push(indexTerm(w, stem));
  return out;
}

function checkNumber(name: string, value: number, ok: boolean, limit: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok) {
    throw new GenizaError('BAD_OPTION', `lexical index: ${name} must be ${limit} (got ${value})`);
  }
}

/** `a`, or a copy of it at least `need` long (doubling), zero-filled beyond. */
function growInt32(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** `a`, or a copy of it at least `need` long (doubling), zero-filled beyond. */
function growUint8(a: Uint8Array<ArrayBuffer>, need: number): Uint8Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Uint8Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

const TITLE = 0;
const TEXT = 1;
const PAGE = 2;

/** An immutable lexical index over documents with a title, a text and optionally a page title. */
export class LexicalIndex {
  /** Number of indexed documents. */
  readonly size: number;
  /** The options in use, defaults filled in. */
  readonly options: Required<LexicalOptions>;
  /** Stem (or word) -> term id. */
  private readonly termIds: Map<string, number>;
  /** Per term: 1 when it is a stop word. */
  private readonly stopTerm: Uint8Array;
  /** Per term: Lucene idf. */
  private readonly idf: Float64Array;
  /** CSR postings: documents of term t are postDocs[postStart[t] .. postStart[t+1]) ascending, impacts beside. */
  private readonly postStart: Int32Array;
  private readonly postDocs: Int32Array;
  private readonly postImpact: Float32Array;
  /** Sorted distinct unstemmed words and their term ids (prefix search). */
  private readonly surfaces: string[];
  private readonly surfaceTerm: Int32Array;
  /** Forward index (feedback): terms of document d are fwdTerms[fwdStart[d] .. fwdStart[d+1]), counts in fwdTf. */
  private readonly fwdStart: Int32Array;
  private readonly fwdTerms: Int32Array;
  private readonly fwdTf: Uint16Array;
  /** Per document: words counted in its length (stop words excluded), all fields. */
  private readonly docLen: Float32Array;
  /** Per forward posting: IN_TITLE | IN_PAGE_TITLE bits (exact-title rule; feedback skips queries a title answers). */
  private readonly fwdInTitle: Uint8Array;
  /** Score accumulators reused across searches (all zeros between calls). */
  private readonly acc: Float64Array;
  private readonly prefixAcc: Float64Array;

  private constructor(f: {
    size: number; options: Required<LexicalOptions>; termIds: Map<string, number>; stopTerm: Uint8Array;
    idf: Float64Array; postStart: Int32Array; postDocs: Int32Array; postImpact: Float32Array; surfaces: string[];
    surfaceTerm: Int32Array; fwdStart: Int32Array; fwdTerms: Int32Array; fwdTf: Uint16Array; docLen: Float32Array; fwdInTitle: Uint8Array;
  }) {
    this.size = f.size;
    this.options = f.options;
    this.termIds = f.termIds;
    this.stopTerm = f.stopTerm;
    this.idf = f.idf;
    this.postStart = f.postStart;
    this.postDocs = f.postDocs;
    this.postImpact = f.postImpact;
    this.surfaces = f.surfaces;
    this.surfaceTerm = f.surfaceTerm;
    this.fwdStart = f.fwdStart;
    this.fwdTerms = f.fwdTerms;
    this.fwdTf = f.fwdTf;
    this.docLen = f.docLen;
    this.fwdInTitle = f.fwdInTitle;
    this.acc = new Float64Array(f.size);
    this.prefixAcc = new Float64Array(f.size);
    this.buckets = bucketSurfaces(f.surfaces);
  }

  /** Indexes `docs` (document i = docs[i]); a document without words is kept and matches nothing. */
  static build(docs: readonly { title: string; text: string; pageTitle?: string }[], opts: LexicalOptions = {}): LexicalIndex {
    const options: Required<LexicalOptions> = {
      stem: opts.stem ?? LEXICAL_DEFAULTS.stem,
      titleWeight: opts.titleWeight ?? LEXICAL_DEFAULTS.titleWeight,
      pageTitleWeight: opts.pageTitleWeight ?? LEXICAL_DEFAULTS.pageTitleWeight,
      fieldModel: opts.fieldModel ?? LEXICAL_DEFAULTS.fieldModel,
      k1: opts.k1 ?? LEXICAL_DEFAULTS.k1,
      b: opts.b ?? LEXICAL_DEFAULTS.b,
    };
    const { stem, titleWeight, pageTitleWeight, fieldModel, k1, b } = options;
    checkNumber('titleWeight', titleWeight, titleWeight >= 0, '>= 0');
    checkNumber('pageTitleWeight', pageTitleWeight, pageTitleWeight >= 0, '>= 0');
    checkNumber('k1', k1, k1 >= 0, '>= 0');
    checkNumber('b', b, b >= 0 && b <= 1, 'between 0 and 1');
    if (fieldModel !== 'bm25f' && fieldModel !== 'concat' && fieldModel !== 'sum') {
      throw new GenizaError('BAD_OPTION', `lexical index: fieldModel must be 'bm25f', 'concat' or 'sum' (got ${String(fieldModel)})`);
    }
    const n = docs.length;

    // Pass 1: every field's term ids, concatenated, with field codes; field lengths (stop words excluded); df.
    const termIds = new Map<string, number>();
    const surfaceIds = new Map<string, number>();
    let stopTerm = new Uint8Array(1024);
    let tokens = new Int32Array(1 << 16);
    let fields = new Uint8Array(1 << 16);
    let ntok = 0;
    const docStart = new Int32Array(n + 1);
    const lens = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    let df = new Int32Array(1024);
    let lastDoc = new Int32Array(1024).fill(-1);
    const termOf = (w: string): number => {
      let id = surfaceIds.get(w);
      if (id !== undefined) return id;
      const key = indexTerm(w, stem);
      id = termIds.get(key);
      if (id === undefined) {
        id = termIds.size;
        termIds.set(key, id);
        if (id >= df.length) {
          df = growInt32(df, id + 1);
          stopTerm = growUint8(stopTerm, id + 1);
          const old = lastDoc;
          lastDoc = new Int32Array(df.length).fill(-1);
          lastDoc.set(old);
        }
        if (BM25_STOPWORDS.has(w)) stopTerm[id] = 1;
      }
      surfaceIds.set(w, id);
      return id;
    };
    for (let d = 0; d < n; d++) {
      const doc = docs[d];
      const texts = [doc.title ?? '', doc.text ?? '', doc.pageTitle ?? ''];
      for (let f = 0; f < 3; f++) {
        if (!texts[f]) continue;
        const ws = wordsOf(texts[f]);
        tokens = growInt32(tokens, ntok + ws.length);
        fields = growUint8(fields, ntok + ws.length);
        let len = 0;
        for (const w of ws) {
          const id = termOf(w);
          tokens[ntok] = id;
          fields[ntok++] = f;
          if (stopTerm[id] === 0) len++;
          if (lastDoc[id] !== d) {
            lastDoc[id] = d;
            df[id]++;
          }
        }
        lens[f][d] = len;
      }
      docStart[d + 1] = ntok;
    }
    const nterms = termIds.size;

    // Field length normalizers: per field 1 - b + b * len / avglen (bm25f, sum), or one over the weighted bag (concat).
    const avg = lens.map((l) => (n > 0 ? l.reduce((s, x) => s + x, 0) / n : 0));
    const fieldNorm = (f: number, d: number): number => (avg[f] > 0 ? 1 - b + (b * lens[f][d]) / avg[f] : 1);
    const weight = [titleWeight, 1, pageTitleWeight];
    let concatAvg = 0;
    for (let f = 0; f < 3; f++) concatAvg += weight[f] * avg[f];

    // Pass 2: postings in document order with per-field tf counted in scratch arrays, impacts computed per posting.
    const postStart = new Int32Array(nterms + 1);
    for (let t = 0; t < nterms; t++) postStart[t + 1] = postStart[t] + df[t];
    const npost = postStart[nterms];
    const postDocs = new Int32Array(npost);
    const postImpact = new Float32Array(npost);
    const fill = postStart.slice(0, nterms);
    const tf = [new Int32Array(nterms), new Int32Array(nterms), new Int32Array(nterms)];
    const seen = new Uint8Array(nterms);
    const norm = [0, 0, 0];
    const fwdStart = new Int32Array(n + 1);
    const fwdTerms = new Int32Array(npost);
    const fwdTf = new Uint16Array(npost);
    const fwdInTitle = new Uint8Array(npost);
    const docLen = new Float32Array(n);
    let fwd = 0;
    for (let d = 0; d < n; d++) {
      const s = docStart[d];
      const e = docStart[d + 1];
      docLen[d] = lens[TITLE][d] + lens[TEXT][d] + lens[PAGE][d];
      for (let i = s; i < e; i++) tf[fields[i]][tokens[i]]++;
      for (let f = 0; f < 3; f++) norm[f] = fieldNorm(f, d);
      let concatNorm = 1;
      if (concatAvg > 0) {
        let len = 0;
        for (let f = 0; f < 3; f++) len += weight[f] * lens[f][d];
        concatNorm = 1 - b + (b * len) / concatAvg;
      }
      for (let i = s; i < e; i++) {
        const t = tokens[i];
        if (seen[t]) continue;
        seen[t] = 1;
        const tt = tf[TITLE][t];
        const tx = tf[TEXT][t];
        const tp = tf[PAGE][t];
        let impact: number;
        if (fieldModel === 'bm25f') {
          const ntf = (weight[TITLE] * tt) / norm[TITLE] + tx / norm[TEXT] + (weight[PAGE] * tp) / norm[PAGE];
          impact = (ntf * (k1 + 1)) / (ntf + k1);
        } else if (fieldModel === 'concat') {
          const c = weight[TITLE] * tt + tx + weight[PAGE] * tp;
          impact = (c * (k1 + 1)) / (c + k1 * concatNorm);
        } else {
          const sat = (x: number, nf: number): number => (x > 0 ? (x * (k1 + 1)) / (x + k1 * nf) : 0);
          impact = weight[TITLE] * sat(tt, norm[TITLE]) + sat(tx, norm[TEXT]) + weight[PAGE] * sat(tp, norm[PAGE]);
        }
        const p = fill[t]++;
        postDocs[p] = d;
        postImpact[p] = Number.isFinite(impact) ? impact : 0;
        fwdInTitle[fwd] = (tt > 0 ? IN_TITLE : 0) | (tp > 0 ? IN_PAGE_TITLE : 0);
        fwdTerms[fwd] = t;
        fwdTf[fwd++] = Math.min(65535, tt + tx + tp);
      }
      fwdStart[d + 1] = fwd;
      for (let i = s; i < e; i++) {
        const t = tokens[i];
        seen[t] = 0;
        tf[TITLE][t] = 0;
        tf[TEXT][t] = 0;
        tf[PAGE][t] = 0;
      }
    }

    const idf = new Float64Array(nterms);
    for (let t = 0; t < nterms; t++) idf[t] = bm25Idf(n, df[t]);
    const surfaces = [...surfaceIds.keys()].sort();
    const surfaceTerm = new Int32Array(surfaces.length);
    surfaces.forEach((w, i) => (surfaceTerm[i] = surfaceIds.get(w)!));
    return new LexicalIndex({
      size: n, options, termIds, stopTerm: stopTerm.slice(0, nterms), idf, postStart, postDocs, postImpact, surfaces, surfaceTerm,
      fwdStart, fwdTerms, fwdTf, docLen, fwdInTitle,
    });
  }

  /** Number of distinct index terms (stems). */
  get vocabularySize(): number {
    return this.termIds.size;
  }

  /** Documents containing the index term `term` (already analyzed), 0 when unknown. */
  docFreq(term: string): number {
    const t = this.termIds.get(term);
    return t === undefined ? 0 : this.postStart[t + 1] - this.postStart[t];
  }

  /** The top `k` documents for `query`, best first (ties: lower docIndex first); only documents with score > 0. */
  search(query: string, opts: LexicalSearchOptions = {}): LexicalHit[] {
    return this.searchAll(query, opts).hits;
  }

  /** Every document's score for `query` (0 where it does not match or is not allowed); `k` is ignored. */
  scores(query: string, opts: LexicalSearchOptions = {}): Float32Array {
    return this.run(query, opts, 0, true).scores!;
  }

  /**
   * `search`, and with `withScores` also `scores`, plus `typoCorrections`, of one query from one scoring pass (the
   * hybrid search needs all three): each equals what the separate call with the same options returns.
   */
  searchAll(query: string, opts: LexicalSearchOptions = {}, withScores = false): LexicalResult {
    const k = opts.k ?? 10;
    if (!Number.isInteger(k) || k < 1) throw new GenizaError('BAD_OPTION', `lexical search: k must be an integer >= 1 (got ${k})`);
    return this.run(query, opts, k, withScores);
  }

  /** One scoring pass: the top `k` hits (none for k = 0), every score with `withScores`, the typo corrections. */
  private run(query: string, opts: LexicalSearchOptions, k: number, withScores: boolean): LexicalResult {
    const typoCorrections: string[] = [];
    const touched = this.accumulate(query, opts, typoCorrections);
    const allowed = opts.allowed;
    const docs = allowed ? touched.filter((d) => allowed[d] !== 0) : touched;
    const hits = k > 0 ? topK(this.acc, docs, k) : [];
    const scores = withScores ? new Float32Array(this.size) : undefined;
    if (scores) for (const d of docs) scores[d] = this.acc[d];
    for (const d of touched) this.acc[d] = 0;
    return { hits, scores, typoCorrections };
  }

  /**
   * Adds the query's scores into `acc`; returns the documents touched (acc is non-zero only there). The indexed words
   * matched for typos are appended to `corrections` (as `typoCorrections` lists them).
   */
  private accumulate(query: string, opts: LexicalSearchOptions, corrections: string[]): number[] {
    if (opts.allowed !== undefined && (!(opts.allowed instanceof Uint8Array) || opts.allowed.length !== this.size)) {
      const got = opts.allowed instanceof Uint8Array ? `length ${opts.allowed.length}` : typeof opts.allowed;
      throw new GenizaError('BAD_OPTION', `lexical search: allowed must be a Uint8Array with one entry per document (${this.size}), got ${got}`);
    }
    const stem = this.options.stem;
    const ws = wordsOf(query);
    const prefix = opts.prefixLastWord === true && ws.length > 0 ? ws.pop()! : undefined;
    // A query of stop words only (counting a typed last word) keeps them; otherwise they are dropped.
    const onlyStops = ws.every((w) => BM25_STOPWORDS.has(w)) && (prefix === undefined || BM25_STOPWORDS.has(prefix));
    // Query term ids with their counts, in first-occurrence order (a fixed summation order: deterministic).
    const qtf = new Map<number, number>();
    let qlen = prefix === undefined ? 0 : 1; // query words that count (known or not)
    for (const w of ws) {
      if (!onlyStops && BM25_STOPWORDS.has(w)) continue;
      qlen++;
      const t = this.termIds.get(indexTerm(w, stem));
      if (t !== undefined) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    }
    const { acc, postDocs, postImpact, postStart, idf } = this;
    const touched: number[] = [];
    for (const [t, count] of qtf) {
      const w = idf[t] * count;
      for (let p = postStart[t], e = postStart[t + 1]; p < e; p++) {
        const v = w * postImpact[p];
        if (!(v > 0)) continue; // a zero-weight field: no match
        const d = postDocs[p];
        if (acc[d] === 0) touched.push(d);
        acc[d] += v;
      }
    }
    if (prefix !== undefined) this.addBest(this.prefixTerms(prefix, onlyStops, opts.prefixDiscount ?? true), touched);
    if (opts.fuzzy ?? true) {
      for (const w of this.unknownWords(ws)) {
        const found = this.fuzzyTerms(w);
        for (const [, , surface] of found) if (!corrections.includes(surface)) corrections.push(surface);
        this.addBest(found.map(([t, weight]) => [t, weight]), touched);
      }
    }
    const feedback = opts.feedback ?? (FEEDBACK_DEFAULT && opts.prefixLastWord !== true);
    if (feedback && touched.length > 0) this.feedback(touched, Math.max(1, qlen), opts.allowed, qtf, qlen === qtf.size);
    if (touched.length > 0) {
      // The query's terms, a typed last word included when it is a whole indexed word.
      const want = new Set(qtf.keys());
      let complete = qlen === qtf.size + (prefix === undefined ? 0 : 1);
      if (prefix !== undefined && (onlyStops || !BM25_STOPWORDS.has(prefix))) {
        const t = this.termIds.get(indexTerm(prefix, stem));
        if (t === undefined) complete = false;
        else want.add(t);
      }
      if (complete && want.size > 0) this.boostExactTitles(touched, want, opts.allowed);
    }
    return touched;
  }

  /**
   * A query that is exactly a document's title (the same content words, in any order) asks for that document:
   * such documents among the EXACT_TITLE_CANDIDATES best get the best score added, so they rank above every
   * document whose title differs; a whole page, or a page's lead section (whose page title is the same words),
   * gets it twice, so a query naming a page lands on that page before a same-named section of another page.
   */
  private boostExactTitles(touched: number[], want: Set<number>, allowed: Uint8Array | undefined): void {
    const { acc, fwdStart, fwdTerms, fwdInTitle, stopTerm } = this;
    const top = topK(acc, allowed ? touched.filter((d) => allowed[d] !== 0) : touched, EXACT_TITLE_CANDIDATES);
    if (top.length === 0) return;
    const bonus = top[0].score;
    const boosts: [number, number][] = [];
    for (const { docIndex: d } of top) {
      let titleTerms = 0;
      let matched = 0;
      let pageTerms = 0;
      let pageMatched = 0;
      for (let p = fwdStart[d], e = fwdStart[d + 1]; p < e; p++) {
        if (stopTerm[fwdTerms[p]] === 1) continue;
        const hit = want.has(fwdTerms[p]);
        if (fwdInTitle[p] & IN_TITLE) { titleTerms++; if (hit) matched++; }
        if (fwdInTitle[p] & IN_PAGE_TITLE) { pageTerms++; if (hit) pageMatched++; }
      }
      if (titleTerms !== want.size || matched !== want.size) continue;
      const page = pageTerms === 0 || (pageTerms === want.size && pageMatched === want.size);
      boosts.push([d, page ? 2 * bonus : bonus]);
    }
    for (const [d, b] of boosts) acc[d] += b;
  }

  /**
   * Pseudo-relevance feedback (RM3): the FEEDBACK_TERMS terms most probable in the FEEDBACK_DOCS best documents
   * (term frequency / length, weighted by each document's share of their scores) are added to the query; the
   * query's own words keep FEEDBACK_ORIGINAL_WEIGHT of the mass (each word 1 / number of query words). Skipped when
   * the query is exactly the best document's title, so that title lookups stay exact.
   */
  private feedback(touched: number[], qlen: number, allowed: Uint8Array | undefined, qtf: Map<number, number>, allKnown: boolean): void {
    const { acc, fwdStart, fwdTerms, fwdTf, docLen, stopTerm, postStart, postDocs, postImpact, idf, fwdInTitle } = this;
    const top = topK(acc, allowed ? touched.filter((d) => allowed[d] !== 0) : touched, FEEDBACK_DOCS);
    // A query that is exactly the best document's title (its words, all known) asks for that document: no feedback.
    if (top.length > 0 && allKnown && qtf.size > 0) {
      const d = top[0].docIndex;
      let inTitle = 0;
      let titleTerms = 0;
      for (let p = fwdStart[d], e = fwdStart[d + 1]; p < e; p++) {
        if ((fwdInTitle[p] & IN_TITLE) === 0 || stopTerm[fwdTerms[p]] === 1) continue;
        titleTerms++;
        if (qtf.has(fwdTerms[p])) inTitle++;
      }
      if (inTitle === qtf.size && titleTerms === qtf.size) return;
    }
    let total = 0;
    for (const h of top) total += h.score;
    if (!(total > 0)) return;
    const rel = new Map<number, number>();
    for (const h of top) {
      const share = h.score / total / Math.max(1, docLen[h.docIndex]);
      for (let p = fwdStart[h.docIndex], e = fwdStart[h.docIndex + 1]; p < e; p++) {
        const t = fwdTerms[p];
        if (stopTerm[t] === 0) rel.set(t, (rel.get(t) ?? 0) + share * fwdTf[p]);
      }
    }
    const terms = [...rel].sort((a, c) => c[1] - a[1] || a[0] - c[0]).slice(0, FEEDBACK_TERMS);
    let sum = 0;
    for (const [, r] of terms) sum += r;
    if (!(sum > 0)) return;
    const keep = FEEDBACK_ORIGINAL_WEIGHT / qlen;
    for (const d of touched) acc[d] *= keep;
    for (const [t, r] of terms) {
      const w = ((1 - FEEDBACK_ORIGINAL_WEIGHT) * r * idf[t]) / sum;
      for (let p = postStart[t], e = postStart[t + 1]; p < e; p++) {
        const v = w * postImpact[p];
        if (!(v > 0)) continue;
        const d = postDocs[p];
        if (acc[d] === 0) touched.push(d);
        acc[d] += v;
      }
    }
  }

  /** Adds, per document, the best of `group`'s weighted term scores into `acc` (documents first seen go to `touched`). */
  private addBest(group: [number, number][], touched: number[]): void {
    if (group.length === 0) return;
    const { acc, prefixAcc: best, postDocs, postImpact, postStart, idf } = this;
    const seen: number[] = [];
    for (const [t, weight] of group) {
      const w = idf[t] * weight;
      for (let p = postStart[t], e = postStart[t + 1]; p < e; p++) {
        const v = w * postImpact[p];
        if (!(v > 0)) continue;
        const d = postDocs[p];
        if (best[d] === 0) seen.push(d);
        if (v > best[d]) best[d] = v;
      }
    }
    for (const d of seen) {
      if (acc[d] === 0) touched.push(d);
      acc[d] += best[d];
      best[d] = 0;
    }
  }

  /**
   * The terms of indexed words one typo (insertion, deletion, substitution or swap of neighbours) away from the
   * unknown query word `word`, at most MAX_FUZZY_TERMS (the most frequent), each weighted FUZZY_WEIGHT.
   */
  /** The distinct query words that typo matching applies to: not indexed, not stop words, long enough; bounded. */
  private unknownWords(ws: readonly string[]): string[] {
    const out: string[] = [];
    for (const w of ws) {
      if (out.length >= MAX_FUZZY_WORDS) break;
      if (w.length < MIN_FUZZY_CHARS || BM25_STOPWORDS.has(w) || out.includes(w) || this.termIds.has(indexTerm(w, this.options.stem))) continue;
      out.push(w);
    }
    return out;
  }

  /**
   * The indexed words that `search` matches, with the same options, for query words that are in no document (one
   * typo away): give them to highlighting (snippet.ts `queryTerms(query, extra)`) so that what was found for a
   * typo is marked too. `typoCorrections('tokenzier docs')` -> `['tokenizer']`.
   */
  typoCorrections(query: string, opts: LexicalSearchOptions = {}): string[] {
    if (!(opts.fuzzy ?? true)) return [];
    const ws = wordsOf(query);
    if (opts.prefixLastWord === true) ws.pop();
    const out: string[] = [];
    for (const w of this.unknownWords(ws)) for (const [, , surface] of this.fuzzyTerms(w)) if (!out.includes(surface)) out.push(surface);
    return out;
  }

  /** Typo matches of `word`: [term, weight, the indexed word found]. */
  private fuzzyTerms(word: string): [number, number, string][] {
    const { first, second } = this.buckets;
    const { surfaces, surfaceTerm, stopTerm, postStart } = this;
    const n = word.length;
    const c0 = word.charCodeAt(0);
    const c1 = word.charCodeAt(1);
    // Words one edit away start with word[0] (edit after the first letter), or: deletion of word[0] or swap of the
    // first two letters -> start with word[1]; substitution of word[0] -> second letter word[1]; insertion before
    // word[0] -> second letter word[0].
    const lists = [
      first.get(key(n - 1, c0)), first.get(key(n, c0)), first.get(key(n + 1, c0)),
      first.get(key(n - 1, c1)), first.get(key(n, c1)), second.get(key(n, c1)), second.get(key(n + 1, c0)),
    ];
    const found = new Map<number, string>(); // term -> the first (alphabetical) indexed word found for it
    for (const list of lists) {
      if (list === undefined) continue;
      for (const i of list) {
        const t = surfaceTerm[i];
        if (stopTerm[t] !== 0 || !withinOneEdit(word, surfaces[i])) continue;
        const prev = found.get(t);
        if (prev === undefined || surfaces[i] < prev) found.set(t, surfaces[i]);
      }
    }
    let terms = [...found.keys()];
    const df = (t: number): number => postStart[t + 1] - postStart[t];
    terms.sort((a, c) => df(c) - df(a) || a - c);
    if (terms.length > MAX_FUZZY_TERMS) terms = terms.slice(0, MAX_FUZZY_TERMS);
    return terms.map((t) => [t, FUZZY_WEIGHT, found.get(t)!]);
  }

  /** Positions in `surfaces` by (length, first letter) and (length, second letter): typo candidates. */
  private readonly buckets: { first: Map<number, number[]>; second: Map<number, number[]> };

  /**
   * The terms the typed word `prefix` stands for, with weights: its own term (1) and the terms of the words it
   * begins (bounded), each weighted by sqrt(prefix length / length of its shortest such word) when `discount`.
   */
  private prefixTerms(prefix: string, keepStops: boolean, discount: boolean): [number, number][] {
    const out = new Map<number, number>();
    const own = this.termIds.get(indexTerm(prefix, this.options.stem));
    if (own !== undefined && (keepStops || !BM25_STOPWORDS.has(prefix))) out.set(own, 1);
    if (prefix.length < MIN_PREFIX_CHARS) return [...out];
    const { surfaces, surfaceTerm, stopTerm, postStart } = this;
    let lo = 0;
    let hi = surfaces.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (surfaces[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const found = new Map<number, number>(); // term -> length of its shortest word that begins with the prefix
    for (let i = lo; i < surfaces.length && surfaces[i].startsWith(prefix); i++) {
      const t = surfaceTerm[i];
      if (out.has(t) || (stopTerm[t] === 1 && !keepStops)) continue;
      const len = surfaces[i].length;
      const prev = found.get(t);
      if (prev === undefined || len < prev) found.set(t, len);
    }
    let terms = [...found.keys()];
    const room = MAX_PREFIX_TERMS - out.size;
    if (terms.length > room) {
      const df = (t: number): number => postStart[t + 1] - postStart[t];
      terms.sort((a, c) => df(c) - df(a) || a - c);
      terms = terms.slice(0, Math.max(0, room));
    }
    for (const t of terms) out.set(t, discount ? Math.sqrt(prefix.length / found.get(t)!) : 1);
    return [...out];
  }
}

/** Positions of `surfaces` by (length, first letter) and (length, second letter). */
function bucketSurfaces(surfaces: readonly string[]): { first: Map<number, number[]>; second: Map<number, number[]> } {
  const first = new Map<number, number[]>();
  const second = new Map<number, number[]>();
  const add = (m: Map<number, number[]>, k: number, i: number): void => {
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  };
  for (let i = 0; i < surfaces.length; i++) {
    const w = surfaces[i];
    add(first, key(w.length, w.charCodeAt(0)), i);
    if (w.length > 1) add(second, key(w.length, w.charCodeAt(1)), i);
  }
  return { first, second };
}

/** Bucket key of a word length and a UTF-16 code unit. */
function key(length: number, code: number): number {
  return length * 0x10000 + code;
}

/** True when a and b differ by at most one insertion, deletion, substitution or swap of neighbouring characters. */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (la - lb > 1 || lb - la > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === la && i === lb) return true;
  if (la === lb) {
    return sameTail(a, i + 1, b, i + 1)
      || (i + 1 < la && a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i) && sameTail(a, i + 2, b, i + 2));
  }
  return la > lb ? sameTail(a, i + 1, b, i) : sameTail(a, i, b, i + 1);
}

/** True when a from ia to its end equals b from ib to its end. */
function sameTail(a: string, ia: number, b: string, ib: number): boolean {
  if (a.length - ia !== b.length - ib) return false;
  for (; ia < a.length; ia++, ib++) if (a.charCodeAt(ia) !== b.charCodeAt(ib)) return false;
  return true;
}

