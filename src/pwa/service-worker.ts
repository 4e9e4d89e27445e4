/**
 * geniza's service worker (no dependencies; compiled and configured by the Vite plugin, `geniza({ pwa: true })`).
 *
 * App shell: every file of the site build listed in `GENIZA_SW_CONFIG.precache` is fetched at install into the
 * cache `geniza-app-<version>`, and served cache-first. A new site build is a new `version`: the new worker
 * installs its own cache next to the old one, takes over only when no tab uses the old worker any more (no
 * skipWaiting), and then deletes the old cache. Files of the build left out of the precache (`lazy`, e.g. the
 * WebGPU runtime) are added to the app cache on first use; any other request goes to the network untouched.
 *
 * Bundles (search indexes) at the folders in `GENIZA_SW_CONFIG.bundles`: each version is cached whole under
 * `geniza-bundle-<bundleId>`: every file downloaded, checked against the manifest's size and SHA-256, and only
 * then written, `manifest.json` last (a cache holding manifest.json is complete).
 *   - `manifest.json` is network-first. Online, the page gets the server's manifest, and the worker caches that
 *     bundle version in the background. Offline, it gets the manifest of the last complete cached version.
 *   - Every other bundle file is served from the cache of the version whose manifest THIS page was given,
 *     so a page never gets files of two versions (old trie, new documents), even when the server switches
 *     versions while it is open. Files not cached (yet) come from the network; the page checks their hashes.
 *   - A version's cache is deleted once it is neither the newest complete one nor in use by an open page.
 */

/** Configuration written by the Vite plugin in front of this script. */
interface SwConfig {
  /** Content hash of the site build (names the app cache). */
  version: string;
  /** Files of the site build to cache at install, relative to the worker's scope (`index.html`, `assets/...`). */
  precache: string[];
  /** Files of the site build cached on first use instead of at install, relative to the worker's scope. */
  lazy: string[];
  /** Bundle folders, relative to the worker's scope, ending in `/` (e.g. `geniza/`). */
  bundles: string[];
}

/** Bundle versions in use, persisted in the `geniza-sw-state` cache (the worker may be stopped at any time). */
interface SwState {
  /** Bundle folder URL -> bundleId of the newest completely cached version. */
  current: Record<string, string>;
  /** Client (page) id -> bundle folder URL -> bundleId of the manifest that page was given. */
  clients: Record<string, Record<string, string>>;
}

interface ManifestLike {
  bundleId: string;
  files: Record<string, { path: string; bytes: number; sha256: string }>;
}

declare const GENIZA_SW_CONFIG: SwConfig;

const sw = self as unknown as ServiceWorkerGlobalScope;
const config = GENIZA_SW_CONFIG;
const scope = sw.registration.scope;
const APP_PREFIX = 'geniza-app-';
const APP_CACHE = `${APP_PREFIX}${config.version}`;
const BUNDLE_PREFIX = 'geniza-bundle-';
const STATE_CACHE = 'geniza-sw-state';
const STATE_KEY = new URL('__geniza-sw-state.json', scope).href;
const MANIFEST = 'manifest.json';
const bundleBases = config.bundles.map((b) => new URL(b, scope).href);
const precacheUrls = new Set(config.precache.map((p) => new URL(p, scope).href));
const lazyUrls = new Set(config.lazy.map((p) => new URL(p, scope).href));

/** Bundle versions being downloaded by this worker, by bundleId. */
const pending = new Map<string, Promise<boolean>>();
/** State updates run one after another (each reads the stored state afresh: an old and a new worker share it). */
let stateChain: Promise<unknown> = Promise.resolve();

// ---- State ----------------------------------------------------------------------------------------------------

async function readState(): Promise<SwState> {
  try {
    const res = await (await caches.open(STATE_CACHE)).match(STATE_KEY);
    const s = res ? (await res.json()) as SwState : null;
    if (s && typeof s.current === 'object' && typeof s.clients === 'object') return s;
  } catch { /* start afresh */ }
  return { current: {}, clients: {} };
}

/** Reads the state, lets `change` modify it, and stores it; queued behind earlier updates. */
function updateState<T>(change: (s: SwState) => T | Promise<T>): Promise<T> {
  const run = stateChain.then(async () => {
    const s = await readState();
    const out = await change(s);
    await (await caches.open(STATE_CACHE)).put(STATE_KEY, new Response(JSON.stringify(s), { headers: { 'Content-Type': 'application/json' } }));
    return out;
  });
  stateChain = run.catch(() => {});
  return run;
}

// ---- Bundles --------------------------------------------------------------------------------------------------

/** Key of a bundle file inside its version's cache (the version is the cache, so the key is the path alone). */
function fileKey(path: string): string {
  return new URL(`__geniza-bundle/${path}`, scope).href;
}

function bundleCacheName(bundleId: string): string {
  return `${BUNDLE_PREFIX}${bundleId}`;
}

/** The manifest if `json` looks like one (the page validates it fully), else null. */
function asManifest(json: unknown): ManifestLike | null {
  const m = json as ManifestLike | null;
  if (!m || typeof m !== 'object' || typeof m.bundleId !== 'string' || !/^[0-9a-f]{16,128}$/.test(m.bundleId)) return null;
  if (!m.files || typeof m.files !== 'object') return null;
  for (const f of Object.values(m.files)) {
    if (!f || typeof f.path !== 'string' || typeof f.bytes !== 'number' || typeof f.sha256 !== 'string') return null;
    if (f.path.startsWith('/') || f.path.split('/').includes('..') || f.path === MANIFEST) return null;
  }
  return m;
}

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

async function isComplete(bundleId: string): Promise<boolean> {
  if (!(await caches.has(bundleCacheName(bundleId)))) return false;
  return Boolean(await (await caches.open(bundleCacheName(bundleId))).match(fileKey(MANIFEST)));
}

/**
 * Caches the bundle version described by `manifestText` (served at `base`) unless it is cached already: downloads
 * every file, checks size and SHA-256, then writes them and manifest.json last. Resolves to false when a file
 * could not be fetched or did not match (nothing is marked complete then).
 */
function cacheBundle(base: string, manifest: ManifestLike, manifestText: string): Promise<boolean> {
  const id = manifest.bundleId;
  const running = pending.get(id);
  if (running) return running;
  const job = (async () => {
    if (!(await isComplete(id))) {
      const got: { path: string; body: ArrayBuffer; type: string }[] = [];
      try {
        for (const entry of Object.values(manifest.files)) {
          const res = await fetch(new URL(entry.path, base).href, { cache: 'no-cache' });
          if (!res.ok) return false;
          const body = await res.arrayBuffer();
          if (body.byteLength !== entry.bytes || (await sha256Hex(body)) !== entry.sha256) return false;
          got.push({ path: entry.path, body, type: res.headers.get('Content-Type') ?? 'application/octet-stream' });
        }
      } catch {
        return false;
      }
      const cache = await caches.open(bundleCacheName(id));
      for (const f of got) {
        await cache.put(fileKey(f.path), new Response(f.body, { headers: { 'Content-Type': f.type, 'Content-Length': String(f.body.byteLength) } }));
      }
      await cache.put(fileKey(MANIFEST), new Response(manifestText, { headers: { 'Content-Type': 'application/json' } }));
    }
    await updateState((state) => { state.current[base] = id; });
    await removeUnusedBundles();
    return true;
  })();
  const tracked = job.catch(() => false).finally(() => pending.delete(id));
  pending.set(id, tracked);
  return tracked;
}

/** Fetches `base`'s manifest from the network and caches that version (at install). */
async function refreshBundle(base: string): Promise<void> {
  const res = await fetch(new URL(MANIFEST, base).href, { cache: 'no-cache' });
  if (!res.ok) return;
  const text = await res.text();
  let manifest: ManifestLike | null = null;
  try { manifest = asManifest(JSON.parse(text)); } catch { /* not JSON */ }
  if (manifest) await cacheBundle(base, manifest, text);
}

/** Deletes bundle caches that are neither a folder's newest complete version nor in use by an open page. */
async function removeUnusedBundles(): Promise<void> {
  const open = new Set((await sw.clients.matchAll({ includeUncontrolled: true, type: 'all' })).map((c) => c.id));
  const keep = await updateState((state) => {
    for (const id of Object.keys(state.clients)) if (!open.has(id)) delete state.clients[id];
    const ids = new Set<string>([...Object.values(state.current), ...pending.keys()]);
    for (const byBase of Object.values(state.clients)) for (const id of Object.values(byBase)) ids.add(id);
    return ids;
  });
  for (const name of await caches.keys()) {
    if (name.startsWith(BUNDLE_PREFIX) && !keep.has(name.slice(BUNDLE_PREFIX.length))) await caches.delete(name);
  }
}

async function remember(clientId: string, base: string, bundleId: string): Promise<void> {
  if (!clientId) return;
  await updateState((state) => { (state.clients[clientId] ??= {})[base] = bundleId; });
}

/** manifest.json: network first; offline, the newest complete cached version. */
async function serveManifest(event: FetchEvent, base: string): Promise<Response> {
  const clientId = event.clientId || event.resultingClientId;
  let res: Response;
  try {
    res = await fetch(event.request);
  } catch {
    const id = (await readState()).current[base];
    const cached = id ? await (await caches.open(bundleCacheName(id))).match(fileKey(MANIFEST)) : undefined;
    if (!cached || !id) return Response.error();
    await remember(clientId, base, id);
    // Marked, so that the page reports that it searches an offline copy (src/client/bundle-download.ts).
    const headers = new Headers(cached.headers);
    headers.set('X-Geniza-Offline', '1');
    return new Response(cached.body, { status: cached.status, headers });
  }
  if (!res.ok) return res;
  const text = await res.clone().text();
  let manifest: ManifestLike | null = null;
  try { manifest = asManifest(JSON.parse(text)); } catch { /* the page reports it */ }
  if (manifest) {
    await remember(clientId, base, manifest.bundleId);
    event.waitUntil(cacheBundle(base, manifest, text));
  }
  return res;
}

/** Any other bundle file: from the version this page's manifest named (waiting if it is being cached). */
async function serveBundleFile(event: FetchEvent, base: string, path: string): Promise<Response> {
  const state = await readState();
  const id = state.clients[event.clientId]?.[base] ?? state.current[base];
  if (id) {
    await pending.get(id);
    const cached = await (await caches.open(bundleCacheName(id))).match(fileKey(path));
    if (cached) return cached;
  }
  return fetch(event.request);
}

// ---- App shell ------------------------------------------------------------------------------------------------

async function precacheApp(): Promise<void> {
  const cache = await caches.open(APP_CACHE);
  await cache.addAll([...precacheUrls].map((url) => new Request(url, { cache: 'reload' })));
}

/** Site files: cache-first; navigations to a folder get its index.html; `lazy` files are cached on first use. */
async function serveApp(event: FetchEvent, url: URL): Promise<Response> {
  const cache = await caches.open(APP_CACHE);
  const navigate = event.request.mode === 'navigate';
  let key = url.origin + url.pathname;
  if (navigate && key.endsWith('/')) key += 'index.html';
  const hit = await cache.match(key, { ignoreSearch: true });
  if (hit) return hit;
  const res = await fetch(event.request);
  if (res.ok && lazyUrls.has(key)) event.waitUntil(cache.put(key, res.clone()));
  return res;
}

// ---- Events ---------------------------------------------------------------------------------------------------

sw.addEventListener('install', (event) => {
  event.waitUntil(Promise.all([
    precacheApp(),
    ...bundleBases.map((base) => refreshBundle(base).catch(() => {})),
  ]));
});

sw.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(APP_PREFIX) && name !== APP_CACHE) await caches.delete(name);
    }
    await removeUnusedBundles();
  })());
});

sw.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== location.origin || !url.href.startsWith(scope)) return;
  const plain = url.origin + url.pathname;
  const base = bundleBases.find((b) => plain.startsWith(b));
  if (base) {
    const path = plain.slice(base.length);
    event.respondWith(path === MANIFEST ? serveManifest(event, base) : serveBundleFile(event, base, path));
    return;
  }
  event.respondWith(serveApp(event, url));
});

export {};
