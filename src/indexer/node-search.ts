/** Searching a bundle folder from Node: readBundle -> SearchEngine on onnxruntime-web (wasm), as in the browser. */
import { SearchEngine } from '../../workers/engine.ts';
import { readBundle } from './read-bundle.ts';

/** Options of `openBundle`. */
export interface OpenBundleOptions {
  /** ORT wasm threads (default 1: one query at a time gains little from more). */
  threads?: number;
}

/** Loads and verifies the bundle in `dir` and returns a ready SearchEngine (call `dispose()` when done). */
export async function openBundle(dir: string, opts: OpenBundleOptions = {}): Promise<SearchEngine> {
  const files = await readBundle(dir);
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = opts.threads ?? 1;
  ort.env.logLevel = 'error';
  return SearchEngine.create(ort, files, { executionProviders: ['wasm'] });
}
