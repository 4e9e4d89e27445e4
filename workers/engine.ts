/**
 * SearchEngine: runs a geniza bundle with onnxruntime-web. Shared by the browser worker
 * (workers/search.worker.ts) and Node (tests, benchmarks): the `ort` namespace is passed in.
 *
 * Three rankings (option `mode`):
 * - `generative`: the query is normalized and tokenized (padded to the model's maxSrcLen), encoded ONCE by
 *   encoder.onnx, then decoded by trie-constrained beam search (src/core/decode.ts) whose `step` runs decoder.onnx
 *   over all live prefixes in one batch. Every ORT run goes through one queue, so runs never overlap.
 * - `lexical`: the lexical index built over the documents at load (workers/lexical-source.ts).
 * - `hybrid` (default): both, fused with the bundle's fitted `manifest.ranking` (src/core/fusion.ts): optionally a
 *   lexical prior added to the decoder's log-probs per trie prefix, then a weighted fusion of the two rankings.
 *   With a fitted generative weight of 0 (or a bundle without `ranking`) it is the lexical ranking exactly and the
 *   model is not run, except for a query no document has a word of: then (unless `requireTermMatch`) the answer is
 *   the model's decoding alone, marked `related: true`, instead of nothing.
 * Filters (`filters: { facet: value | values }`) restrict the docid trie to the matching documents, so decoding only
 * ever writes their docids, and mask the lexical side alike.
 *
 * @example
 *   import * as ort from 'onnxruntime-web';
 *   const engine = await SearchEngine.create(ort, files);
 *   const { hits } = await engine.search('install the cli', { k: 5 });
 */
import type * as OrtWeb from 'onnxruntime-web';
import { GenizaError } from '../src/core/errors.ts';
import type { BundleManifest, SearchHit, SearchResponse, StoredDoc } from '../src/core/types.ts';
import { validateManifest } from '../src/core/manifest.ts';
import { WordPieceTokenizer } from '../src/core/tokenizer.ts';
import { modelQuery } from '../src/core/model-query.ts';
import { DocidTrie, decodeTrie } from '../src/core/trie.ts';
import { beamSearch, bestFirstTopK, priorProcessor, restrictConstraint, type Decoded, type DecodeStats, type LogitsProcessor, type StepFn } from '../src/core/decode.ts';
import { filterKey, filterMask, normalizeFilters, type SearchFilters } from '../src/core/doc-filters.ts';
import { DEFAULT_RANKING, fuse, rankingProblem, type RankingParams } from '../src/core/fusion.ts';
import { highlightRanges, makeSnippet, queryTerms } from '../src/core/snippet.ts';
import type { LexicalIndex } from '../src/core/lexical-index.ts';
import { buildLexical } from './lexical-source.ts';
import { RunQueue } from './run-queue.ts';
import { parseDocs, parseJson } from './parse-docs.ts';

/** The onnxruntime-web namespace (`import * as ort from 'onnxruntime-web'` or `/wasm`, `/webgpu`). */
export type OrtModule = Pick<typeof OrtWeb, 'InferenceSession' | 'Tensor'>;

/** The bytes of every file of a bundle, plus its parsed manifest. */
export interface BundleFiles {
  manifest: BundleManifest;
  encoder: Uint8Array;
  decoder: Uint8Array;
  tokenizer: Uint8Array;
  trie: Uint8Array;
  /** `docs.json` bytes. */
  docs: Uint8Array;
}

/** Bundle files as the engine accepts them: `docs` may also be the already parsed documents. */
export type EngineFiles = Omit<BundleFiles, 'docs'> & { docs: Uint8Array | StoredDoc[] };

/** Options of `SearchEngine.create`. */
export interface EngineOptions {
  /** ORT execution providers, in order of preference. Default `['wasm']`. */
  executionProviders?: string[];
  /** Hybrid ranking parameters instead of the manifest's (e.g. fitted after the build). Default `manifest.ranking`, else DEFAULT_RANKING. */
  ranking?: RankingParams;
}

/** Which ranking a search uses. */
export type SearchMode = 'hybrid' | 'generative' | 'lexical';

/** Options of one search. */
export interface EngineSearchOptions {
  /** Number of hits to return. Default 10. */
  k?: number;
  /** Beam width of the constrained beam search. Default `max(k, 10)`. */
  beams?: number;
  /** Aborts the search between model runs; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Longest snippet in characters. Default 180. */
  snippetChars?: number;
  /**
   * Drop hits without support in the query's words. `generative`: hits whose title and text contain none of the
   * query's words (the last word also as a typed prefix); the model always writes k docids, even for gibberish.
   * `hybrid`: hits the lexical side did not find, unless the lexical side found something and the model gives the
   * document probability >= CONFIDENT_PROBABILITY; without it, a query the lexical side finds nothing for gets the
   * model's hits (`related: true`). `lexical`: no effect (every hit matches). Default false.
   */
  requireTermMatch?: boolean;
  /** Ranking: `hybrid` (fitted fusion), `generative` (model only) or `lexical` (index only). Default `hybrid`. */
  mode?: SearchMode;
  /**
   * Only documents that, for every facet named, have at least one of the given values (`StoredDoc.filters`),
   * e.g. `{ version: '2.x', lang: ['en', 'de'] }`. An unknown facet or value gives no hits. Default: no filter.
   */
  filters?: SearchFilters;
  /** The last query word also matches as a typed prefix on the lexical side (search as you type). Default true. */
  prefixLastWord?: boolean;
}

/** Options of `SearchEngine.decode` (the generative side alone). */
export interface DecodeOptions {
  /** Docids returned. Default 10. */
  k?: number;
  /** Beam width (beam search). Default `max(k, 10)`. */
  beams?: number;
  /** `beam` (beam search) or `best-first` (exact top-k by best-first search). Default `beam`. */
  algorithm?: 'beam' | 'best-first';
  /** best-first: most prefixes expanded before giving up exactness. Default 1000. */
  maxExpansions?: number;
  /** Weight of the lexical prior per trie prefix (lexical-guided decoding). Default 0 (none). */
  lexicalPrior?: number;
  /** 1 = the document may be decoded. Default: all. */
  allowed?: Uint8Array;
  /** Lexical prior: the last word also matches as a prefix. Default false. */
  prefixLastWord?: boolean;
  /** Aborts between model runs. */
  signal?: AbortSignal;
  /** Filled with decoder counters when given. */
  stats?: DecodeStats;
}

/** A decoded docid with the model's own log-probability (without the lexical prior). */
export interface DecodedDoc extends Decoded {
  /** log P_model(docid): `score` minus the lexical prior's contribution. */
  modelScore: number;
}

/** Lexical candidates a hybrid search fuses (at least k). */
export const HYBRID_LEXICAL_DEPTH = 100;
/** Hybrid + requireTermMatch: a document without lexical support is kept only from this model probability up. */
export const CONFIDENT_PROBABILITY = 0.5;
/** Lexical prior: every allowed document's mass is its normalized lexical score plus this floor. */
export const PRIOR_FLOOR = 0.05;

/** Longest query (in characters) looked at; longer input is cut (the model sees maxSrcLen tokens anyway). */
export const MAX_QUERY_CHARS = 2000;

/** A search engine over one loaded bundle. */
export class SearchEngine {
  /** The bundle's manifest. */
  readonly manifest: BundleManifest;
  /** The documents, in doc-index order. */
  readonly docs: StoredDoc[];
  /** Execution providers the sessions were created with. */
  readonly executionProviders: string[];
  private rankingParams: RankingParams;
  /** Milliseconds spent building the lexical index at load. */
  readonly lexicalBuildMs: number;
  private readonly queue = new RunQueue();
  private readonly lexical: LexicalIndex;
  /** Filter masks and their per-node allowed counts, by filter key (most recent last). */
  private readonly filterCache = new Map<string, { mask: Uint8Array; under: Float64Array }>();
  /** Allowed-document counts per trie node of each cached mask (so decoding does not recount them). */
  private readonly underByMask = new WeakMap<Uint8Array, Float64Array>();

  private constructor(
    private readonly ort: OrtModule,
    manifest: BundleManifest,
    docs: StoredDoc[],
    private readonly tokenizer: WordPieceTokenizer,
    private readonly trie: DocidTrie,
    private readonly encoder: OrtWeb.InferenceSession,
    private readonly decoder: OrtWeb.InferenceSession,
    executionProviders: string[],
    ranking: RankingParams,
  ) {
    this.manifest = manifest;
    this.docs = docs;
    this.executionProviders = executionProviders;
    this.rankingParams = ranking;
    const t0 = performance.now();
    this.lexical = buildLexical(docs);
    this.lexicalBuildMs = performance.now() - t0;
  }

  /** Parses tokenizer, trie and documents, checks them against the manifest, and creates both ORT sessions. */
  static async create(ort: OrtModule, files: EngineFiles, opts: EngineOptions = {}): Promise<SearchEngine> {
    const manifest = validateManifest(files.manifest);
    const tokenizer = WordPieceTokenizer.fromJSON(parseJson(files.tokenizer, 'tokenizer.json'));
    const docs = Array.isArray(files.docs) ? files.docs : parseDocs(files.docs);
    const trie = DocidTrie.fromDocids(decodeTrie(files.trie));
    const m = manifest.model;
    if (docs.length !== manifest.corpus.documents) {
      throw new GenizaError('BAD_BUNDLE', `bundle: docs.json has ${docs.length} documents but manifest.corpus.documents is ${manifest.corpus.documents}`);
    }
    if (trie.size !== docs.length) {
      throw new GenizaError('BAD_BUNDLE', `bundle: trie.bin has ${trie.size} docids but there are ${docs.length} documents`);
    }
    if (trie.maxLength > m.maxTgtLen) {
      throw new GenizaError('BAD_BUNDLE', `bundle: trie.bin has docids of ${trie.maxLength} tokens but model.maxTgtLen is ${m.maxTgtLen}`);
    }
    if (tokenizer.vocabSize > m.srcVocab) {
      throw new GenizaError('BAD_BUNDLE', `bundle: tokenizer has ${tokenizer.vocabSize} tokens but model.srcVocab is ${m.srcVocab}`);
    }
    const ranking = opts.ranking ?? manifest.ranking ?? DEFAULT_RANKING;
    const problem = rankingProblem(ranking);
    if (problem) throw new GenizaError('BAD_OPTION', `engine: ranking.${problem}`);
    const executionProviders = opts.executionProviders ?? ['wasm'];
    const sessionOptions: OrtWeb.InferenceSession.SessionOptions = {
      executionProviders,
      graphOptimizationLevel: 'all',
      // Errors only: ORT's placement warnings under WebGPU are not problems of the page.
      logSeverityLevel: 3,
    };
    let encoder: OrtWeb.InferenceSession | undefined;
    let decoder: OrtWeb.InferenceSession;
    try {
      encoder = await ort.InferenceSession.create(files.encoder, sessionOptions);
      decoder = await ort.InferenceSession.create(files.decoder, sessionOptions);
    } catch (e) {
      await encoder?.release().catch(() => undefined);
      const which = encoder ? 'decoder.onnx' : 'encoder.onnx';
      throw new GenizaError('MODEL', `bundle: cannot load ${which} with ${executionProviders.join(', ')}: ${messageOf(e)}`);
    }
    const params = { fusion: ranking.fusion, generativeWeight: ranking.generativeWeight, lexicalPrior: ranking.lexicalPrior };
    return new SearchEngine(ort, manifest, docs, tokenizer, trie, encoder, decoder, executionProviders, params);
  }

  /**
   * Searches the bundle. An empty or whitespace-only query, or one whose tokens are all unknown to the
   * tokenizer (e.g. only emoji), gives no hits without running the model.
   */
  async search(query: string, opts: EngineSearchOptions = {}): Promise<SearchResponse> {
    const t0 = performance.now();
    const k = opts.k ?? 10;
    const beams = opts.beams ?? Math.max(k, 10);
    const mode = opts.mode ?? 'hybrid';
    if (!Number.isInteger(k) || k < 1) throw new GenizaError('BAD_OPTION', `search: k must be an integer >= 1 (got ${k})`);
    if (!Number.isInteger(beams) || beams < 1) throw new GenizaError('BAD_OPTION', `search: beams must be an integer >= 1 (got ${beams})`);
    if (mode !== 'hybrid' && mode !== 'generative' && mode !== 'lexical') {
      throw new GenizaError('BAD_OPTION', `search: mode must be "hybrid", "generative" or "lexical" (got ${JSON.stringify(mode)})`);
    }
    if (typeof query !== 'string') throw new GenizaError('BAD_OPTION', `search: query must be a string (got ${typeof query})`);
    const filters = normalizeFilters(opts.filters);
    const none = (): SearchResponse => ({ query, hits: [], elapsedMs: performance.now() - t0 });
    const text = query.length > MAX_QUERY_CHARS ? query.slice(0, MAX_QUERY_CHARS) : query;
    if (text.trim() === '') return none();
    const restriction = filters ? this.restriction(filterKey(filters), filters) : undefined;
    if (restriction && !(restriction.under[0] > 0)) return none();
    const allowed = restriction?.mask;
    const prefixLastWord = opts.prefixLastWord ?? true;
    const signal = opts.signal;

    let ranked: { docIndex: number; score: number }[];
    let termFilter = false;
    let related = false;
    // Words found for a typo ("cofee" -> "coffee") are highlighted too, where the lexical side took part.
    let corrections: string[] = [];
    if (mode === 'lexical') {
      ({ hits: ranked, typoCorrections: corrections } = this.lexical.searchAll(text, { k, allowed, prefixLastWord }));
    } else if (mode === 'generative') {
      ranked = await this.decode(text, { k: Math.min(k, beams), beams, allowed, signal });
      termFilter = opts.requireTermMatch ?? false;
    } else {
      const p = this.ranking;
      const decodeOpts: DecodeOptions = { k: Math.min(k, beams), beams, allowed, signal, lexicalPrior: p.lexicalPrior, prefixLastWord };
      const runsModel = p.generativeWeight > 0;
      // One scoring pass gives the lexical hits, the prior's per-document scores and the typo corrections.
      const res = this.lexical.searchAll(text, { k: Math.max(k, HYBRID_LEXICAL_DEPTH), allowed, prefixLastWord }, runsModel && p.lexicalPrior > 0);
      const lex = res.hits;
      corrections = res.typoCorrections;
      if (lex.length === 0 && !opts.requireTermMatch) {
        // No document contains the query's words: rather than nothing, the model's nearest documents, marked as such
        // (decoded as the fused ranking would; with no lexical hit every allowed document's lexical score is 0).
        ranked = await this.decodeWith(text, decodeOpts, res.scores ?? new Float32Array(this.docs.length));
        related = ranked.length > 0;
      } else if (!runsModel) {
        ranked = lex.slice(0, k);
      } else {
        const decoded = await this.decodeWith(text, decodeOpts, res.scores);
        const modelScore = new Map(decoded.map((d) => [d.docIndex, d.modelScore]));
        let fused = fuse(lex, decoded, p, Math.max(k, HYBRID_LEXICAL_DEPTH));
        if (opts.requireTermMatch) {
          const minLog = Math.log(CONFIDENT_PROBABILITY);
          fused = lex.length === 0 ? [] : fused.filter((f) => f.lexical > 0 || (modelScore.get(f.docIndex) ?? -Infinity) >= minLog);
        }
        ranked = fused.slice(0, k);
      }
    }
    const terms = queryTerms(text, corrections);
    const all = ranked.slice(0, k).map((d) => this.hit(d.docIndex, d.score, terms, opts.snippetChars ?? 180));
    const hits = termFilter ? all.filter((h) => h.snippet.highlights.length > 0 || h.titleHighlights.length > 0) : all;
    if (related) return { query, hits, elapsedMs: performance.now() - t0, related: true };
    return { query, hits, elapsedMs: performance.now() - t0 };
  }

  /** Hybrid ranking in use (EngineOptions.ranking, else manifest.ranking, else DEFAULT_RANKING). */
  get ranking(): RankingParams {
    return this.rankingParams;
  }

  /** Replaces the hybrid ranking (e.g. with one fitted after the bundle was built); BAD_OPTION when invalid. */
  setRanking(ranking: RankingParams): void {
    const problem = rankingProblem(ranking);
    if (problem) throw new GenizaError('BAD_OPTION', `engine: ranking.${problem}`);
    this.rankingParams = { fusion: ranking.fusion, generativeWeight: ranking.generativeWeight, lexicalPrior: ranking.lexicalPrior };
  }

  /** The lexical side alone: ranked documents for a query (best first, score > 0). */
  lexicalSearch(query: string, opts: { k?: number; filters?: SearchFilters; prefixLastWord?: boolean } = {}): { docIndex: number; score: number }[] {
    const filters = normalizeFilters(opts.filters);
    const allowed = filters ? this.restriction(filterKey(filters), filters).mask : undefined;
    return this.lexical.search(query.slice(0, MAX_QUERY_CHARS), { k: opts.k ?? 10, allowed, prefixLastWord: opts.prefixLastWord ?? false });
  }

  /**
   * The generative side alone: the query encoded once, then trie-constrained decoding (beam search or exact
   * best-first), restricted to `allowed` documents and optionally guided by the lexical prior. [] for a query
   * whose tokens are all unknown.
   */
  async decode(query: string, opts: DecodeOptions = {}): Promise<DecodedDoc[]> {
    return this.decodeWith(query, opts, undefined);
  }

  /** `decode`, with the lexical prior's per-document scores already computed (else scored here when needed). */
  private async decodeWith(query: string, opts: DecodeOptions, lexicalScores: Float32Array | undefined): Promise<DecodedDoc[]> {
    const k = opts.k ?? 10;
    const beams = opts.beams ?? Math.max(k, 10);
    const text = query.length > MAX_QUERY_CHARS ? query.slice(0, MAX_QUERY_CHARS) : query;
    const m = this.manifest.model;
    // The model reads the query without the words that frame a question (src/core/model-query.ts).
    const ids = text.trim() === '' ? new Int32Array(0) : this.tokenizer.encodePadded(modelQuery(text), m.maxSrcLen);
    // Nothing but padding and unknown pieces (emoji only, an unseen script): the model would only guess.
    const known = ids.some((id) => id !== WordPieceTokenizer.PAD_ID && id !== WordPieceTokenizer.UNK_ID);
    if (!known) return [];
    const processors: LogitsProcessor[] = [];
    if (opts.allowed) {
      const under = this.underByMask.get(opts.allowed) ?? this.trie.subtreeSums(opts.allowed);
      if (!(under[0] > 0)) return [];
      processors.push(restrictConstraint(this.trie, under));
    }
    const lambda = opts.lexicalPrior ?? 0;
    let mass: Float64Array | undefined;
    let massUnder: Float64Array | undefined;
    if (lambda > 0) {
      const scores = lexicalScores ?? this.lexical.scores(text, { allowed: opts.allowed, prefixLastWord: opts.prefixLastWord ?? false });
      let max = 0;
      for (const v of scores) if (v > max) max = v;
      mass = new Float64Array(scores.length);
      for (let d = 0; d < scores.length; d++) {
        mass[d] = opts.allowed && !opts.allowed[d] ? 0 : (max > 0 ? scores[d] / max : 0) + PRIOR_FLOOR;
      }
      massUnder = this.trie.subtreeSums(mass);
      processors.push(priorProcessor(this.trie, massUnder, lambda));
    }

    const signal = opts.signal;
    signal?.throwIfAborted();
    const src = new BigInt64Array(m.maxSrcLen);
    for (let i = 0; i < m.maxSrcLen; i++) src[i] = BigInt(ids[i] ?? 0);
    const enc = await this.run(this.encoder, { src: new this.ort.Tensor('int64', src, [1, m.maxSrcLen]) });
    const step = this.stepFn(enc.memory.data as Float32Array, enc.mask.data as Float32Array, signal);
    const decoded = opts.algorithm === 'best-first'
      ? await bestFirstTopK(step, this.trie, { topK: k, maxExpansions: opts.maxExpansions, processors, stats: opts.stats })
      : await beamSearch(step, this.trie, { beams, topK: k, processors, stats: opts.stats });
    return decoded.map((d) => ({
      ...d,
      modelScore: mass && massUnder ? d.score - lambda * Math.log(mass[d.docIndex] / massUnder[0]) : d.score,
    }));
  }

  /** A search hit for a document: title, url, snippet and highlights. */
  private hit(docIndex: number, score: number, terms: string[], snippetChars: number): SearchHit {
    const doc = this.docs[docIndex]!;
    const hit: SearchHit = {
      docIndex,
      id: doc.id,
      title: doc.title,
      url: doc.url,
      score,
      snippet: makeSnippet(doc.text, terms, { maxChars: snippetChars }),
      titleHighlights: highlightRanges(doc.title, terms),
    };
    if (doc.pageTitle !== undefined) hit.pageTitle = doc.pageTitle;
    return hit;
  }

  /** The mask of a filter and the allowed-document count under each trie node, cached per filter key. */
  private restriction(key: string, filters: Record<string, string[]>): { mask: Uint8Array; under: Float64Array } {
    let r = this.filterCache.get(key);
    if (r) {
      this.filterCache.delete(key);
    } else {
      const mask = filterMask(this.docs, filters);
      r = { mask, under: this.trie.subtreeSums(mask) };
      this.underByMask.set(mask, r.under);
      if (this.filterCache.size >= 32) this.filterCache.delete(this.filterCache.keys().next().value!);
    }
    this.filterCache.set(key, r);
    return r;
  }

  /** Releases both ORT sessions. */
  async dispose(): Promise<void> {
    await this.queue.run(async () => {
      await this.encoder.release();
      await this.decoder.release();
    });
  }

  /**
   * The decoder step: log-probs of the next docid token for each prefix, from one batched decoder run. The query's
   * memory and mask are passed once (batch 1); the decoder broadcasts them over the prefixes.
   */
  private stepFn(memory: Float32Array, mask: Float32Array, signal?: AbortSignal): StepFn {
    const { maxSrcLen: S, maxTgtLen: T, dModel: D, tgtVocab: V } = this.manifest.model;
    // A bundle of several models: their memories side by side (src/model/onnx-export.ts).
    const memoryTensor = new this.ort.Tensor('float32', memory, [1, S, D * (this.manifest.model.members ?? 1)]);
    const maskTensor = new this.ort.Tensor('float32', mask, [1, S]);
    return async (prefixes) => {
      const n = prefixes.length;
      if (n === 0) return [];
      if (signal) {
        await yieldToEventLoop();
        signal.throwIfAborted();
      }
      const tgt = new BigInt64Array(n * T);
      prefixes.forEach((prefix, i) => {
        if (prefix.length >= T) throw new GenizaError('INTERNAL', `search: docid prefix of ${prefix.length} tokens has no next position (maxTgtLen ${T})`);
        for (let j = 0; j < prefix.length; j++) tgt[i * T + 1 + j] = BigInt(prefix[j]!);
      });
      const out = await this.run(this.decoder, { memory: memoryTensor, mask: maskTensor, tgt: new this.ort.Tensor('int64', tgt, [n, T]) });
      const logprobs = out.logprobs.data as Float32Array;
      return prefixes.map((prefix, i) => {
        const at = (i * T + prefix.length) * V;
        return logprobs.slice(at, at + V);
      });
    };
  }

  private run(session: OrtWeb.InferenceSession, feeds: Record<string, OrtWeb.Tensor>): Promise<OrtWeb.InferenceSession.OnnxValueMapType> {
    return this.queue.run(async () => {
      try {
        return await session.run(feeds);
      } catch (e) {
        throw new GenizaError('MODEL', `search: model run failed: ${messageOf(e)}`);
      }
    });
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Resolves on a later task, so that messages queued meanwhile (e.g. a newer query) are handled first. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      channel.port2.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
