/**
 * The contract between the page (src/client) and the search worker (workers/search.worker.ts): one typed
 * interface, used as `Comlink.Remote<SearchWorkerApi>` on the page side.
 */
import type { GenizaErrorCode } from '../src/core/errors.ts';
import type { SearchResponse, StoredDoc } from '../src/core/types.ts';
import type { SearchFilters } from '../src/core/doc-filters.ts';
import type { EngineFiles, SearchMode } from './engine.ts';

/** Which ORT backend to use: `auto` picks WebGPU only for a real (non-fallback) GPU adapter, else wasm. */
export type ExecutionProviderChoice = 'auto' | 'wasm' | 'webgpu';

/** Options of `SearchWorkerApi.load`. */
export interface WorkerLoadOptions {
  /** Backend choice. Default `auto`. */
  executionProvider?: ExecutionProviderChoice;
  /** wasm threads; default 1, or up to 4 when the page is cross-origin isolated. */
  numThreads?: number;
}

/** What the worker reports once a bundle is loaded. */
export interface WorkerLoadInfo {
  bundleId: string;
  documents: number;
  /** Execution provider the sessions run on (`wasm` or `webgpu`). */
  executionProvider: string;
  /** wasm threads in use. */
  numThreads: number;
  /** Milliseconds spent parsing the bundle and creating the sessions. */
  loadMs: number;
}

/** Options of one search. */
export interface WorkerSearchOptions {
  /** Number of hits. Default 10. */
  k?: number;
  /** Beam width. Default `max(k, 10)`. */
  beams?: number;
  /** Keep only hits that contain a query word (see EngineSearchOptions). Default false. */
  requireTermMatch?: boolean;
  /** Ranking: `hybrid` (fitted fusion of model and lexical index), `generative` or `lexical`. Default `hybrid`. */
  mode?: SearchMode;
  /**
   * Only documents that have, for every facet named, one of the given values, e.g. `{ version: '2.x' }` or
   * `{ lang: ['en', 'de'] }`. Unknown facets or values give no hits. Default: no filter.
   */
  filters?: SearchFilters;
  /** The last query word also matches as a typed prefix (search as you type). Default true. */
  prefixLastWord?: boolean;
}

/** An error as it crosses the worker boundary (Comlink keeps only plain data). */
export interface WireError {
  name: string;
  code: GenizaErrorCode;
  message: string;
}

/** The search worker's interface. */
export interface SearchWorkerApi {
  /**
   * Chooses the backend and starts ORT's runtime before the bundle is there (optional; `load` does it
   * otherwise). The first call's options win: ORT cannot change threads or backend once started.
   */
  prepare(options?: WorkerLoadOptions): Promise<void>;
  /** Loads a bundle (buffers should be transferred); replaces any bundle loaded before. */
  load(files: EngineFiles, options?: WorkerLoadOptions): Promise<WorkerLoadInfo>;
  /**
   * Runs a query. `seq` increases with every query the page sends; the answer is `null` when a query with a
   * higher `seq` started meanwhile (stale answers are dropped).
   */
  search(query: string, options: WorkerSearchOptions, seq: number): Promise<SearchResponse | null>;
  /** The stored document at `docIndex`. */
  document(docIndex: number): Promise<StoredDoc>;
  /** Title and url of every document, in doc-index order (for navigation lists). */
  listDocuments(): Promise<DocumentSummary[]>;
}

/** A document without its text. */
export interface DocumentSummary {
  docIndex: number;
  id: string;
  title: string;
  url: string;
}
