/**
 * Starts @jax-js/jax's wasm backend on Node with a worker pool of `threads` threads.
 *
 * jax-js runs its wasm kernels on a pool of browser `Worker`s made from a `blob:` URL, and only when
 * `Worker` and `SharedArrayBuffer` exist when the backend starts; Node 20 has neither a global `Worker`
 * nor `navigator`. This module gives jax-js a `Worker` on top of `node:worker_threads` (the part of the
 * browser API jax-js uses: `onmessage`, `onerror`, `postMessage`, `terminate`; `installWorkerGlobal`
 * says why only jax-js sees it) and sets `navigator.hardwareConcurrency` only while the backend starts.
 * Worker threads are unref'd while idle, so a process whose work is done exits by itself.
 *
 * jax-js creates its wasm backend (and reads `Worker`/`navigator`) when its module is first EVALUATED,
 * so nothing may import '@jax-js/jax' as a value before `initJax` ran: code in src/model only uses
 * `import type` from it and gets the module from `initJax()` / `loadedJax()`.
 *
 * Example:
 *   const jax = await initJax({ threads: 2 });
 *   const x = jax.numpy.array([1, 2, 3]);
 */
import { Worker as NodeWorker } from 'node:worker_threads';
import { resolveObjectURL } from 'node:buffer';
import os from 'node:os';

/** The @jax-js/jax module namespace. */
export type Jax = typeof import('@jax-js/jax');

/** Options of `initJax`. */
export interface InitJaxOptions {
  /** Worker threads for wasm kernels; default: env GENIZA_THREADS, else min(available cores, 4). 1 = no pool. */
  threads?: number;
}

let workersStarted = 0;

/** Number of worker threads jax-js has started (0 until its first kernel runs on the pool). */
export function jaxWorkerCount(): number {
  return workersStarted;
}

type MessageHandler = ((ev: { data: unknown }) => void) | null;
type ErrorHandler = ((ev: { message: string; error: unknown }) => void) | null;

/** Prelude run inside each worker thread: the browser worker globals jax-js's worker source expects. */
const WORKER_PRELUDE = `const { parentPort } = require('node:worker_threads');
globalThis.self = globalThis;
globalThis.postMessage = (m) => parentPort.postMessage(m);
parentPort.on('message', (data) => { if (typeof self.onmessage === 'function') self.onmessage({ data }); });
`;

/**
 * A browser-style Worker on `node:worker_threads`, for sources given as `blob:` URLs of script text.
 * jax-js sends one message per job and gets exactly one reply, so a worker is ref'd from a
 * `postMessage` until its reply arrives and unref'd while idle.
 */
class BlobWorker {
  onmessage: MessageHandler = null;
  onerror: ErrorHandler = null;
  private worker: NodeWorker | null = null;
  private queue: unknown[] = [];
  private pending = 0;
  private terminated = false;

  constructor(url: string | URL) {
    workersStarted++;
    const blob = resolveObjectURL(String(url));
    if (!blob) throw new Error(`jax-node-shim: no blob for worker URL ${String(url)}`);
    // The blob is read asynchronously; messages posted before the thread exists wait in `queue`.
    this.pending++;
    this.hold();
    blob.text().then((src) => {
      this.pending--;
      if (this.terminated) return;
      // execArgv []: the parent's flags (e.g. --input-type=module, loaders) must not turn this script into ESM.
      const w = new NodeWorker(WORKER_PRELUDE + src, { eval: true, execArgv: [] });
      this.worker = w;
      w.on('message', (data: unknown) => {
        this.pending = Math.max(0, this.pending - 1);
        this.release();
        this.onmessage?.({ data });
      });
      w.on('error', (error: Error) => {
        // jax-js has no recovery for a dead worker (its next kernel would wait forever): say so loudly.
        console.error(`jax-node-shim: a jax-js worker thread failed: ${error.stack ?? error.message}`);
        this.onerror?.({ message: error.message, error });
      });
      for (const m of this.queue) w.postMessage(m);
      this.queue = [];
      this.release();
    }, (error: unknown) => {
      this.onerror?.({ message: `jax-node-shim: cannot read worker source: ${String(error)}`, error });
    });
  }

  postMessage(message: unknown): void {
    this.pending++;
    if (this.worker) { this.worker.postMessage(message); this.hold(); } else this.queue.push(message);
  }

  terminate(): void {
    this.terminated = true;
    void this.worker?.terminate();
    this.worker = null;
    clearInterval(this.keepAlive);
    this.keepAlive = undefined;
  }

  /** Keeps the event loop alive while a reply is awaited (an unref'd worker would not). */
  private keepAlive: ReturnType<typeof setInterval> | undefined;
  private hold(): void {
    if (this.worker) this.worker.ref();
    else if (!this.keepAlive) this.keepAlive = setInterval(() => {}, 1 << 30);
  }
  private release(): void {
    if (this.pending > 0) { this.worker?.ref(); return; }
    this.worker?.unref();
    if (this.keepAlive) { clearInterval(this.keepAlive); this.keepAlive = undefined; }
  }
}

/** Where jax-js's code lives: calls from there see jax's Worker, everyone else the usual global. */
const JAX_PATH = /[\\/]@jax-js[\\/]jax[\\/]/;

/**
 * Defines the global `Worker` so that jax-js sees `workerForJax` (our shim, or undefined: no pool) and
 * everyone else sees whatever they set. jax-js checks `typeof Worker` at every kernel compile to decide
 * whether its wasm memory is shared, so the answer must never change; but onnxruntime-web's Node glue
 * assigns `global.Worker = worker_threads.Worker` when it loads, which would flip that answer (and
 * break jax with "memory import 0 has no maximum limit"). The getter tells the callers apart by stack.
 */
let workerForJax: typeof BlobWorker | undefined;
let jaxAskedForWorker = false;

function calledFromJax(): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 12;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return JAX_PATH.test(stack);
}

function installWorkerGlobal(): void {
  let others: unknown = (globalThis as Record<string, unknown>).Worker;
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    enumerable: false,
    get() {
      if (!calledFromJax()) return others;
      jaxAskedForWorker = true;
      return workerForJax;
    },
    set(value: unknown) {
      others = value;
    },
  });
}

let started: Promise<Jax> | null = null;
let startedThreads = 0;
let loaded: Jax | null = null;

/** The jax-js module once `initJax` has resolved; throws before. */
export function loadedJax(): Jax {
  if (!loaded) throw new Error('jax: call `await initJax()` before using the model code');
  return loaded;
}

/** Default thread count: env GENIZA_THREADS, else the machine's cores capped at 4. */
export function defaultThreads(): number {
  const env = Number(process.env.GENIZA_THREADS);
  if (Number.isInteger(env) && env >= 1) return env;
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

/** Thread count of the started backend (0 before `initJax`). */
export function jaxThreads(): number {
  return startedThreads;
}

/**
 * Installs the Worker shim, starts jax-js's wasm backend and makes it the default device. Idempotent:
 * later calls return the same module and ignore `threads` (the pool size is fixed at the first start).
 */
export function initJax(opts: InitJaxOptions = {}): Promise<Jax> {
  if (started) return started;
  const threads = opts.threads ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`jax: threads must be an integer >= 1 (got ${threads})`);
  startedThreads = threads;
  started = (async () => {
    const g = globalThis as Record<string, unknown>;
    workerForJax = threads > 1 ? BlobWorker : undefined;
    installWorkerGlobal();
    // jax-js sizes its pool from navigator.hardwareConcurrency when the backend starts; Node 20 has no
    // navigator. Set it for the start only, so other libraries (onnxruntime-web) see the usual Node.
    const hadNavigator = typeof g.navigator !== 'undefined';
    if (!hadNavigator) g.navigator = { hardwareConcurrency: threads };
    else Object.defineProperty(g.navigator as object, 'hardwareConcurrency', { value: threads, configurable: true });
    try {
      jaxAskedForWorker = false;
      const jax = await import('@jax-js/jax');
      if (!jaxAskedForWorker && workerForJax) {
        // jax-js was evaluated before this call, without our Worker: its memory is not shared, and the
        // kernels it compiles must agree. Run single-threaded rather than fail at the first kernel.
        workerForJax = undefined;
        startedThreads = 1;
        console.error('jax-node-shim: @jax-js/jax was imported before initJax(); training runs on 1 thread');
      }
      await jax.init('wasm');
      jax.defaultDevice('wasm');
      loaded = jax;
      return jax;
    } finally {
      if (!hadNavigator) delete g.navigator;
      else delete (g.navigator as Record<string, unknown>).hardwareConcurrency;
    }
  })();
  return started;
}
