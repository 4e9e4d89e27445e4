/**
 * Owns the search worker: creates it, wraps it with Comlink, turns errors that crossed the boundary back into
 * GenizaErrors, and notices when the worker crashes (an uncaught error inside it) so it can be restarted.
 */
import * as Comlink from 'comlink';
import { GenizaError, isGenizaError } from '../core/errors.ts';
import type { SearchWorkerApi } from '../../workers/search-worker-api.ts';

/** Creates the default search worker (a module worker bundled by Vite). */
export function defaultWorker(): Worker {
  return new Worker(new URL('../../workers/search.worker.ts', import.meta.url), { type: 'module', name: 'geniza-search' });
}

/** Rebuilds a GenizaError from whatever a worker call threw. */
export function fromWire(e: unknown): GenizaError {
  if (e instanceof GenizaError) return e;
  if (isGenizaError(e)) return new GenizaError(e.code, e.message);
  return new GenizaError('INTERNAL', `search worker: ${e instanceof Error ? e.message : String(e)}`);
}

/** One running worker; calls reject with GenizaError('INTERNAL') once it has crashed. */
export class WorkerHost {
  /** The worker's API. */
  readonly remote: Comlink.Remote<SearchWorkerApi>;
  /** Resolves (never rejects) with the crash error when the worker dies. */
  readonly crashed: Promise<GenizaError>;
  private readonly worker: Worker;
  private dead = false;
  private onCrash!: (e: GenizaError) => void;

  constructor(factory: () => Worker) {
    this.worker = factory();
    this.crashed = new Promise((resolve) => { this.onCrash = resolve; });
    const fail = (message: string) => {
      if (this.dead) return;
      this.dead = true;
      this.worker.terminate();
      this.onCrash(new GenizaError('INTERNAL', `search worker crashed (${message}); it is being restarted`));
    };
    this.worker.addEventListener('error', (ev: ErrorEvent) => {
      ev.preventDefault();
      fail(ev.message || 'script error');
    });
    this.worker.addEventListener('messageerror', () => fail('a message could not be read'));
    this.remote = Comlink.wrap<SearchWorkerApi>(this.worker);
  }

  /** True once the worker has crashed or was terminated. */
  get isDead(): boolean {
    return this.dead;
  }

  /** Calls the worker; rejects with a GenizaError (also when the worker crashes during the call). */
  async call<T>(fn: (api: Comlink.Remote<SearchWorkerApi>) => Promise<T>): Promise<T> {
    if (this.dead) throw new GenizaError('INTERNAL', 'search worker is not running');
    try {
      return await Promise.race([fn(this.remote), this.crashed.then((e) => Promise.reject(e))]);
    } catch (e) {
      throw fromWire(e);
    }
  }

  /** Stops the worker for good. */
  terminate(): void {
    if (this.dead) return;
    this.dead = true;
    this.remote[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
