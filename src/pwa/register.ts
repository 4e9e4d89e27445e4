/**
 * Registers geniza's service worker (built by the Vite plugin with `geniza({ pwa: true })`) from page code.
 * The plugin marks pages with `<meta name="geniza-service-worker" content="<url of sw.js>">` in `vite build`
 * only, so in `vite` dev, or on a page built without the option, this does nothing.
 *
 * @example
 *   import { createSearch } from 'geniza';
 *   import { registerGenizaServiceWorker } from 'geniza/pwa';
 *   const search = createSearch({ bundleUrl: './geniza/' });
 *   registerGenizaServiceWorker({ after: search.ready });   // install once the page has its index
 */

/** Name of the meta tag the Vite plugin writes into built pages (content: the service worker's URL). */
export const SERVICE_WORKER_META = 'geniza-service-worker';

/** Options of `registerGenizaServiceWorker`. */
export interface RegisterOptions {
  /** URL of the service worker script. Default: the page's `geniza-service-worker` meta tag (none: no-op). */
  url?: string;
  /**
   * Register only after this settles successfully (e.g. `search.ready`), so the worker's downloads do not
   * compete with the page's own; a rejection skips registering. Default: the window's `load` event.
   */
  after?: Promise<unknown>;
}

/** Registers the service worker; resolves to its registration, or null when there is none to register. */
export async function registerGenizaServiceWorker(options: RegisterOptions = {}): Promise<ServiceWorkerRegistration | null> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return null;
  const url = options.url ?? document.querySelector<HTMLMetaElement>(`meta[name="${SERVICE_WORKER_META}"]`)?.content;
  if (!url) return null;
  if (options.after) {
    try { await options.after; } catch { return null; }
  } else if (document.readyState !== 'complete') {
    await new Promise((resolve) => addEventListener('load', resolve, { once: true }));
  }
  try {
    return await navigator.serviceWorker.register(url);
  } catch (e) {
    console.warn(`geniza: could not register the service worker ${url} (${e instanceof Error ? e.message : String(e)}); the page works, but not offline`);
    return null;
  }
}
