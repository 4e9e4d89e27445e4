/**
 * The page-side API of geniza: load a bundle (from IndexedDB when it is already stored, else over the network,
 * checking every file's size and SHA-256) into a search worker, and query it.
 *
 * @example
 *   import { createSearch } from 'geniza';
 *   const search = createSearch({ bundleUrl: './bundle/' });
 *   const { documents, fromCache } = await search.ready;
 *   const res = await search.search('install the cli', { k: 5 });   // null when a newer query superseded it
 *   for (const hit of res?.hits ?? []) console.log(hit.title, hit.url);
 */
import * as Comlink from 'comlink';
import { GenizaError } from '../core/errors.ts';
import type { BundleManifest, SearchResponse, StoredDoc } from '../core/types.ts';
import type { EngineFiles } from '../../workers/engine.ts';
import type { DocumentSummary, ExecutionProviderChoice, WorkerLoadInfo, WorkerSearchOptions } from '../../workers/search-worker-api.ts';

export type { DocumentSummary };
import { BINARY_FILES, BundleStore, type BinaryFile } from './bundle-store.ts';
import { OfflineError, bundleBase, downloadFile, fetchManifestFrom } from './bundle-download.ts';
import { WorkerHost, defaultWorker, fromWire } from './worker-host.ts';
import { parseDocs } from '../../workers/parse-docs.ts';

export { GenizaError, isGenizaError } from '../core/errors.ts';
export type { GenizaErrorCode } from '../core/errors.ts';
export type { SearchHit, SearchResponse, Snippet, HighlightRange, StoredDoc, BundleManifest } from '../core/types.ts';

/** Where loading stands, for progress bars. */
export interface LoadProgress {
  /** `manifest`: fetching manifest.json; `cache`: reading IndexedDB; `download`: fetching files;
   *  `store`: writing IndexedDB; `model`: creating the model sessions; `ready`: done. */
  phase: 'manifest' | 'cache' | 'download' | 'store' | 'model' | 'ready';
  /** Bytes received so far (download phase), else 0. */
  loadedBytes: number;
  /** Bytes to download in all (download phase), else 0. */
  totalBytes: number;
}

/** Options of `createSearch`. */
export interface CreateSearchOptions {
  /** URL of the bundle folder (the one holding manifest.json), relative to the page. */
  bundleUrl: string;
  /** Creates the search worker. Default: the bundled `workers/search.worker.ts` as a module worker. */
  worker?: () => Worker;
  /** Cache the bundle in IndexedDB for fast repeat visits and offline use. Default true. */
  cache?: boolean;
  /** ORT backend: `auto` (WebGPU only on a real GPU adapter, else wasm), `wasm` or `webgpu`. Default `auto`. */
  executionProvider?: ExecutionProviderChoice;
  /** Called as loading progresses. */
  onProgress?: (progress: LoadProgress) => void;
  /** fetch to use. Default the global fetch. */
  fetch?: typeof fetch;
}

/** What `ready` resolves to. */
export interface ReadyInfo {
  /** Number of searchable documents. */
  documents: number;
  /** True when the bundle came from IndexedDB (no bundle file was downloaded). */
  fromCache: boolean;
  /** True when the manifest could not be fetched and the last stored bundle is used (offline). */
  offline: boolean;
  /** Content id of the loaded bundle. */
  bundleId: string;
  /** The bundle's manifest. */
  manifest: BundleManifest;
  /** ORT execution provider in use (`wasm` or `webgpu`). */
  executionProvider: string;
  /** wasm threads the model runs on (more than 1 only when the page is cross-origin isolated). */
  numThreads: number;
  /** Milliseconds from createSearch to ready. */
  loadMs: number;
  /** Where the load time went, in ms: manifest.json, bundle files (IndexedDB or network, incl. storing), model start. */
  timings: { manifestMs: number; filesMs: number; modelMs: number };
}

/** Options of one query. */
export type SearchOptions = WorkerSearchOptions;

/** A search over one bundle. */
export interface GenizaSearch {
  /** Resolves once the bundle is loaded; rejects with a GenizaError (e.g. BUNDLE_VERSION, HASH_MISMATCH, NETWORK). */
  ready: Promise<ReadyInfo>;
  /** Runs a query (waiting for `ready`); resolves to null when a newer query was sent meanwhile. */
  search(query: string, options?: SearchOptions): Promise<SearchResponse | null>;
  /** The stored document at `docIndex` (full text, for a reader view). */
  getDocument(docIndex: number): Promise<StoredDoc>;
  /** Title and url of every document, in doc-index order. */
  listDocuments(): Promise<DocumentSummary[]>;
  /** Subscribes to loading progress; returns the unsubscribe function. */
  onProgress(listener: (progress: LoadProgress) => void): () => void;
  /** Stops the worker and closes the cache. */
  close(): void;
}

/** Worker restarts allowed in a row without one successful load in between. */
const MAX_RESTARTS = 3;

/** Creates a search over the bundle at `options.bundleUrl` and starts loading it at once. */
export function createSearch(options: CreateSearchOptions): GenizaSearch {
  const t0 = performance.now();
  const base = bundleBase(options.bundleUrl);
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const factory = options.worker ?? defaultWorker;
  const listeners = new Set<(p: LoadProgress) => void>();
  if (options.onProgress) listeners.add(options.onProgress);
  const emit = (p: LoadProgress) => { for (const l of listeners) l(p); };

  let closed = false;
  let seq = 0;
  let store: BundleStore | null = null;
  let manifest: BundleManifest | null = null;
  let host: WorkerHost | null = null;
  let restarts = 0;
  /** Resolves to a loaded, live worker; replaced when the worker is restarted. */
  let loaded: Promise<WorkerHost>;

  /** Gets the bundle's files: from IndexedDB when complete there, else from the network (then stores them). */
  async function acquire(m: BundleManifest): Promise<{ files: EngineFiles; fromCache: boolean }> {
    if (store) {
      emit({ phase: 'cache', loadedBytes: 0, totalBytes: 0 });
      const cached = await store.load(m).catch(() => null);
      if (cached) return { files: cached, fromCache: true };
    }
    const have: Partial<Record<BinaryFile, Uint8Array>> = store ? await store.storedFiles(m).catch(() => ({})) : {};
    const wanted = [...BINARY_FILES.filter((n) => !have[n]), 'docs' as const];
    const totalBytes = wanted.reduce((sum, n) => sum + m.files[n].bytes, 0);
    const received = new Map<string, number>();
    const progress = () => emit({ phase: 'download', loadedBytes: [...received.values()].reduce((a, b) => a + b, 0), totalBytes });
    progress();
    const got = await Promise.all(wanted.map((name) => downloadFile(base, m.files[name], (n) => { received.set(name, n); progress(); }, fetchFn)));
    const bytes = Object.fromEntries(wanted.map((n, i) => [n, got[i]!])) as Record<BinaryFile | 'docs', Uint8Array>;
    const binary = { ...have, ...bytes } as Record<BinaryFile, Uint8Array>;
    const docs = parseDocs(bytes.docs);
    if (store) {
      emit({ phase: 'store', loadedBytes: totalBytes, totalBytes });
      try {
        await store.save(base, m, binary, docs);
        store.removeUnused().catch(() => {});
      } catch (e) {
        console.warn(`geniza: could not store the bundle in IndexedDB (${e instanceof Error ? e.message : String(e)}); it will be downloaded again next time`);
      }
    }
    return { files: { manifest: m, ...binary, docs }, fromCache: false };
  }

  /** Loads `files` into a worker (`fresh`, or a new one); their buffers are transferred. */
  async function start(files: EngineFiles, fresh?: WorkerHost): Promise<{ host: WorkerHost; info: WorkerLoadInfo }> {
    emit({ phase: 'model', loadedBytes: 0, totalBytes: 0 });
    const h = fresh && !fresh.isDead ? fresh : new WorkerHost(factory);
    const buffers = new Set<ArrayBuffer>();
    for (const name of BINARY_FILES) buffers.add(files[name].buffer as ArrayBuffer);
    try {
      const info = await h.call((api) => api.load(Comlink.transfer(files, [...buffers]), { executionProvider: options.executionProvider }));
      return { host: h, info };
    } catch (e) {
      h.terminate();
      throw e;
    }
  }

  /** Restarts a crashed worker from the stored (or re-downloaded) bundle. */
  function watch(h: WorkerHost): void {
    void h.crashed.then((err) => {
      if (closed || host !== h) return;
      console.warn(`geniza: ${err.message}`);
      if (++restarts > MAX_RESTARTS) {
        loaded = Promise.reject(new GenizaError('INTERNAL', `search worker crashed ${restarts} times in a row; giving up (reload the page)`));
        loaded.catch(() => {});
        return;
      }
      loaded = (async () => {
        const { files } = await acquire(manifest!);
        const { host: next } = await start(files);
        if (closed) { next.terminate(); throw new GenizaError('INTERNAL', 'search was closed'); }
        host = next;
        watch(next);
        return next;
      })();
      loaded.catch(() => {});
    });
  }

  const ready: Promise<ReadyInfo> = (async () => {
    // The worker starts while the manifest and bundle files are fetched...
    const early = new WorkerHost(factory);
    // ...and starts onnxruntime (fetching and compiling its wasm) meanwhile; errors surface in `load`.
    early.call((api) => api.prepare({ executionProvider: options.executionProvider })).catch(() => {});
    try {
      return await load(early);
    } catch (e) {
      early.terminate();
      throw e;
    }
  })();

  async function load(early: WorkerHost): Promise<ReadyInfo> {
    if (options.cache !== false) store = await BundleStore.open();
    emit({ phase: 'manifest', loadedBytes: 0, totalBytes: 0 });
    const tManifest = performance.now();
    let offline = false;
    try {
      // A service worker answers offline with its cached copy, marked so that the page can say it is offline.
      ({ manifest, offline } = await fetchManifestFrom(base, fetchFn));
    } catch (e) {
      if (!(e instanceof OfflineError)) throw e;
      const last = await store?.bundleFor(base).catch(() => undefined);
      if (!last) throw new GenizaError('NETWORK', `${e.message}, and no copy of this bundle is stored for offline use`);
      manifest = last.manifest;
      offline = true;
    }
    const tFiles = performance.now();
    const { files, fromCache } = await acquire(manifest);
    if (fromCache && !offline && store) {
      const pointed = await store.bundleFor(base).catch(() => undefined);
      if (pointed?.bundleId !== manifest.bundleId) {
        await store.point(base, manifest).catch(() => {});
        store.removeUnused().catch(() => {});
      }
    }
    if (closed) throw new GenizaError('INTERNAL', 'search was closed before it was ready');
    const tModel = performance.now();
    const started = await start(files, early);
    if (closed) { started.host.terminate(); throw new GenizaError('INTERNAL', 'search was closed before it was ready'); }
    host = started.host;
    watch(host);
    emit({ phase: 'ready', loadedBytes: 0, totalBytes: 0 });
    return {
      documents: started.info.documents,
      fromCache,
      offline,
      bundleId: started.info.bundleId,
      manifest,
      executionProvider: started.info.executionProvider,
      numThreads: started.info.numThreads,
      loadMs: performance.now() - t0,
      timings: { manifestMs: tFiles - tManifest, filesMs: tModel - tFiles, modelMs: performance.now() - tModel },
    };
  }
  loaded = ready.then(() => host!);
  // Callers observe failures through `ready` or `search`; avoid an unhandled rejection here.
  loaded.catch(() => {});

  /** Runs `fn` on the live worker; once more after a restart if the worker crashed during the call. */
  async function withWorker<T>(fn: (h: WorkerHost) => Promise<T>): Promise<T> {
    const h = await loaded;
    try {
      const out = await fn(h);
      restarts = 0;
      return out;
    } catch (e) {
      if (!h.isDead || closed) throw e;
      return fn(await loaded);
    }
  }

  return {
    ready,
    async search(query, opts = {}) {
      const mySeq = ++seq;
      if (closed) throw new GenizaError('NOT_LOADED', 'search: this search was closed');
      const res = await withWorker((h) => h.call((api) => api.search(query, opts, mySeq)));
      return mySeq === seq ? res : null;
    },
    getDocument(docIndex) {
      return withWorker((h) => h.call((api) => api.document(docIndex)));
    },
    listDocuments() {
      return withWorker((h) => h.call((api) => api.listDocuments()));
    },
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      host?.terminate();
      store?.close();
    },
  };
}

export { fromWire };
