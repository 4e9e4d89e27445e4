/**
 * SearchEngine: runs a geniza bundle with onnxruntime-web. Shared by the browser worker
 * (workers/search.worker.ts) and Node (tests, benchmarks): the `ort` namespace is passed in.
 *
 * A query is normalized and tokenized (padded to the model's maxSrcLen), encoded ONCE by encoder.onnx, then
 * decoded by trie-constrained beam search (src/core/decode.ts) whose `step` runs decoder.onnx over all live
 * prefixes in one batch. Every ORT run goes through one queue, so runs never overlap.
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
import { DocidTrie, decodeTrie } from '../src/core/trie.ts';
import { beamSearch, type StepFn } from '../src/core/decode.ts';
import { highlightRanges, makeSnippet, queryTerms } from '../src/core/snippet.ts';
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
}

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
   * Drop hits whose title and text contain none of the query's words (the last word also as a typed prefix).
   * The model always writes k docids, even for gibberish; this keeps only pages a reader would accept.
   * Default false (the model's ranking as is).
   */
  requireTermMatch?: boolean;
}

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
  private readonly queue = new RunQueue();

  private constructor(
    private readonly ort: OrtModule,
    manifest: BundleManifest,
    docs: StoredDoc[],
    private readonly tokenizer: WordPieceTokenizer,
    private readonly trie: DocidTrie,
    private readonly encoder: OrtWeb.InferenceSession,
    private readonly decoder: OrtWeb.InferenceSession,
    executionProviders: string[],
  ) {
    this.manifest = manifest;
    this.docs = docs;
    this.executionProviders = executionProviders;
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
    return new SearchEngine(ort, manifest, docs, tokenizer, trie, encoder, decoder, executionProviders);
  }

  /**
   * Searches the bundle. An empty or whitespace-only query, or one whose tokens are all unknown to the
   * tokenizer (e.g. only emoji), gives no hits without running the model.
   */
  async search(query: string, opts: EngineSearchOptions = {}): Promise<SearchResponse> {
    const t0 = performance.now();
    const k = opts.k ?? 10;
    const beams = opts.beams ?? Math.max(k, 10);
    if (!Number.isInteger(k) || k < 1) throw new GenizaError('BAD_OPTION', `search: k must be an integer >= 1 (got ${k})`);
    if (!Number.isInteger(beams) || beams < 1) throw new GenizaError('BAD_OPTION', `search: beams must be an integer >= 1 (got ${beams})`);
    if (typeof query !== 'string') throw new GenizaError('BAD_OPTION', `search: query must be a string (got ${typeof query})`);
    const text = query.length > MAX_QUERY_CHARS ? query.slice(0, MAX_QUERY_CHARS) : query;
    const m = this.manifest.model;
    const ids = text.trim() === '' ? new Int32Array(0) : this.tokenizer.encodePadded(text, m.maxSrcLen);
    // Nothing but padding and unknown pieces (emoji only, an unseen script): the model would only guess.
    const known = ids.some((id) => id !== WordPieceTokenizer.PAD_ID && id !== WordPieceTokenizer.UNK_ID);
    if (!known) return { query, hits: [], elapsedMs: performance.now() - t0 };

    const signal = opts.signal;
    signal?.throwIfAborted();
    const src = new BigInt64Array(m.maxSrcLen);
    for (let i = 0; i < m.maxSrcLen; i++) src[i] = BigInt(ids[i] ?? 0);
    const enc = await this.run(this.encoder, { src: new this.ort.Tensor('int64', src, [1, m.maxSrcLen]) });
    const memory = enc.memory.data as Float32Array;
    const mask = enc.mask.data as Float32Array;

    const step = this.stepFn(memory, mask, signal);
    const decoded = await beamSearch(step, this.trie, { beams, topK: Math.min(k, beams) });
    const terms = queryTerms(text);
    const all: SearchHit[] = decoded.slice(0, k).map((d) => {
      const doc = this.docs[d.docIndex]!;
      return {
        docIndex: d.docIndex,
        id: doc.id,
        title: doc.title,
        url: doc.url,
        score: d.score,
        snippet: makeSnippet(doc.text, terms, { maxChars: opts.snippetChars ?? 180 }),
        titleHighlights: highlightRanges(doc.title, terms),
      };
    });
    const hits = opts.requireTermMatch ? all.filter((h) => h.snippet.highlights.length > 0 || h.titleHighlights.length > 0) : all;
    return { query, hits, elapsedMs: performance.now() - t0 };
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
    const memoryTensor = new this.ort.Tensor('float32', memory, [1, S, D]);
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
