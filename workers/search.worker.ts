/**
 * The search worker: holds one SearchEngine and exposes `SearchWorkerApi` through Comlink. onnxruntime-web's
 * wasm build is loaded up front; the WebGPU build is imported lazily, only when `navigator.gpu` gives a real
 * (non-fallback) adapter. Errors cross the boundary as plain `{ name, code, message }`.
 */
import * as Comlink from 'comlink';
import * as ortWasm from 'onnxruntime-web/wasm';
import { GenizaError, isGenizaError } from '../src/core/errors.ts';
import { SearchEngine, type EngineFiles, type OrtModule } from './engine.ts';
import { LatestOnly } from './latest-only.ts';
import { warmUpRuntime } from './ort-warmup.ts';
import type {
  ExecutionProviderChoice, SearchWorkerApi, WireError, WorkerLoadInfo, WorkerLoadOptions, WorkerSearchOptions,
} from './search-worker-api.ts';

/** The parts of WebGPU's `navigator.gpu` the worker looks at (not in TypeScript's DOM lib). */
interface GpuLike {
  requestAdapter(): Promise<{ isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean } } | null>;
}

let engine: SearchEngine | null = null;
const queries = new LatestOnly();

/** Converts anything thrown into the plain error shape that survives Comlink. */
function toWire(e: unknown): WireError {
  if (isGenizaError(e)) return { name: 'GenizaError', code: e.code, message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  return { name: 'GenizaError', code: 'INTERNAL', message: `search worker: ${message}` };
}

/** True when WebGPU has an adapter that is a real GPU (SwiftShader and other fallbacks are refused). */
async function hasRealGpu(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: GpuLike }).gpu;
  if (!gpu) return false;
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return false;
    return !(adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false);
  } catch {
    return false;
  }
}

function threadsFor(options: WorkerLoadOptions): number {
  if (options.numThreads !== undefined) return Math.max(1, Math.floor(options.numThreads));
  if (!self.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
}

async function pickBackend(choice: ExecutionProviderChoice): Promise<{ ort: OrtModule & typeof ortWasm; providers: string[] }> {
  if (choice === 'webgpu' || (choice === 'auto' && await hasRealGpu())) {
    const ortGpu = await import('onnxruntime-web/webgpu');
    return { ort: ortGpu, providers: ['webgpu', 'wasm'] };
  }
  return { ort: ortWasm, providers: ['wasm'] };
}

interface Backend { ort: OrtModule & typeof ortWasm; providers: string[]; numThreads: number }

/** The backend chosen by the first `prepare` (ORT's settings cannot change once its runtime is started). */
let backend: Promise<Backend> | null = null;

function prepareBackend(options: WorkerLoadOptions): Promise<Backend> {
  backend ??= (async () => {
    const numThreads = threadsFor(options);
    const { ort, providers } = await pickBackend(options.executionProvider ?? 'auto');
    ort.env.wasm.numThreads = numThreads;
    ort.env.logLevel = 'error';
    await warmUpRuntime(ort);
    return { ort, providers, numThreads };
  })();
  return backend;
}

const api: SearchWorkerApi = {
  async prepare(options: WorkerLoadOptions = {}): Promise<void> {
    try {
      await prepareBackend(options);
    } catch (e) {
      backend = null;
      throw toWire(e);
    }
  },

  async load(files: EngineFiles, options: WorkerLoadOptions = {}): Promise<WorkerLoadInfo> {
    try {
      const t0 = performance.now();
      let { ort, providers, numThreads } = await prepareBackend(options).catch((e) => { backend = null; throw e; });
      let next: SearchEngine;
      try {
        next = await SearchEngine.create(ort, files, { executionProviders: providers });
      } catch (e) {
        if (providers[0] === 'wasm' || (options.executionProvider ?? 'auto') !== 'auto') throw e;
        ({ ort, providers } = { ort: ortWasm, providers: ['wasm'] });
        ort.env.wasm.numThreads = numThreads;
        next = await SearchEngine.create(ort, files, { executionProviders: providers });
      }
      // One throwaway query compiles the decode and snippet code paths, so the first real query is fast.
      await next.search(next.docs[0]?.title || 'a', { k: 1 }).catch(() => undefined);
      const previous = engine;
      engine = next;
      await previous?.dispose();
      return {
        bundleId: next.manifest.bundleId,
        documents: next.docs.length,
        executionProvider: providers[0]!,
        numThreads: ort.env.wasm.numThreads ?? numThreads,
        loadMs: performance.now() - t0,
      };
    } catch (e) {
      throw toWire(e);
    }
  },

  async search(query: string, options: WorkerSearchOptions, seq: number) {
    const signal = queries.begin(seq);
    if (!signal) return null;
    try {
      if (!engine) throw new GenizaError('NOT_LOADED', 'search: no bundle loaded yet (call load first)');
      const res = await engine.search(query, { ...options, signal });
      return queries.isLatest(seq) ? res : null;
    } catch (e) {
      if (signal.aborted) return null;
      throw toWire(e);
    }
  },

  async document(docIndex: number) {
    if (!engine) throw toWire(new GenizaError('NOT_LOADED', 'document: no bundle loaded yet (call load first)'));
    const doc = engine.docs[docIndex];
    if (!doc) throw toWire(new GenizaError('BAD_OPTION', `document: docIndex must be in 0..${engine.docs.length - 1} (got ${docIndex})`));
    return doc;
  },

  async listDocuments() {
    if (!engine) throw toWire(new GenizaError('NOT_LOADED', 'listDocuments: no bundle loaded yet (call load first)'));
    return engine.docs.map((d, docIndex) => ({ docIndex, id: d.id, title: d.title, url: d.url }));
  },
};

// onnxruntime-web's wasm threads start this same script as workers named `em-pthread...`: only the search
// worker itself exposes the API.
if (!self.name?.startsWith('em-pthread')) Comlink.expose(api);
