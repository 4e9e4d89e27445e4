/**
 * Shared helpers of the browser specs: launch Debian's Chromium through playwright-core, serve the built demo
 * (dist/) on a free port, collect console errors, and drive the demo's search box.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type ConsoleMessage, type Page } from 'playwright-core';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The built demo site. */
export const DIST = join(ROOT, 'dist');

/** Chromium flags measured to work headless on this kind of machine (STACK-NOTES). */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Launches Chromium (CHROMIUM_PATH or /usr/bin/chromium). */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
  '.onnx': 'application/octet-stream', '.bin': 'application/octet-stream', '.png': 'image/png', '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/** A running static server. */
export interface StaticServer {
  /** Base URL, ending in `/`. */
  url: string;
  /** Paths requested so far (URL path without query), in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Options of `serveDist`. */
export interface ServeOptions {
  /** Send COOP/COEP so the page is cross-origin isolated (multi-threaded wasm). Default true. */
  isolated?: boolean;
  /** Folder to serve. Default dist/. */
  root?: string;
  /** More folders, by URL path prefix (e.g. `{ '/eval-bundle/': '/path/to/bundle' }`). Default none. */
  mounts?: Record<string, string>;
}

/** Serves dist/ (or `root`) on 127.0.0.1 at a free port, like a plain static host. */
export async function serveDist(opts: ServeOptions = {}): Promise<StaticServer> {
  const root = opts.root ?? DIST;
  const isolated = opts.isolated ?? true;
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      requests.push(path);
      const headers: Record<string, string> = { 'Cache-Control': 'no-cache' };
      if (isolated) {
        headers['Cross-Origin-Opener-Policy'] = 'same-origin';
        headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
        headers['Cross-Origin-Resource-Policy'] = 'same-origin';
      }
      const mount = Object.entries(opts.mounts ?? {}).find(([prefix]) => path.startsWith(prefix));
      const base = mount ? normalize(mount[1]) : root;
      let file = normalize(join(base, mount ? path.slice(mount[0].length) : path));
      if (!file.startsWith(base + sep) && file !== base) { res.writeHead(403, headers).end(); return; }
      try {
        let info = await stat(file);
        if (info.isDirectory()) { file = join(file, 'index.html'); info = await stat(file); }
        // Revalidation like a real static host, so the browser's HTTP cache works on repeat visits.
        const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
        headers.ETag = etag;
        if (req.headers['if-none-match'] === etag) { res.writeHead(304, headers).end(); return; }
        const body = await readFile(file);
        res.writeHead(200, { ...headers, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Length': String(body.length) });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The one console error that ORT logs under WebGPU and that is not an error of ours (STACK-NOTES). */
const IGNORED = [/VerifyEachNodeIsAssignedToAnEp/];

/** Collects console errors and uncaught exceptions of a page and its workers. */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  const seen = new WeakSet<ConsoleMessage>();
  const onConsole = (msg: ConsoleMessage) => {
    if (seen.has(msg)) return;
    seen.add(msg);
    if (msg.type() !== 'error') return;
    const text = msg.text();
    if (IGNORED.some((re) => re.test(text))) return;
    errors.push(`${msg.location().url || 'console'}: ${text}`);
  };
  page.on('console', onConsole);
  page.on('worker', (w) => w.on('console', onConsole));
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

/** The demo's search box. */
export const SEARCH_INPUT = 'input.geniza-search__input[role="combobox"]';
/** The demo's result options. */
export const OPTIONS = '[role="listbox"] [role="option"]';

/** Opens the demo and waits until its search index is loaded; returns the footer's index info text. */
export async function openDemo(page: Page, url: string, timeoutMs = 60_000): Promise<string> {
  await page.goto(url);
  const footer = page.getByTestId('index-info');
  await footer.filter({ hasText: /pages (\(\d+ sections\) )?·/ }).waitFor({ timeout: timeoutMs });
  return (await footer.textContent()) ?? '';
}

/** Types a query into the demo's search box and waits for the results list (or the empty state). */
export async function searchFor(page: Page, query: string, timeoutMs = 30_000): Promise<string[]> {
  await page.locator(SEARCH_INPUT).fill(query);
  return waitForResults(page, query, timeoutMs);
}

/** Waits until the search box holds `query` and its answer is shown; returns the result titles. */
export async function waitForResults(page: Page, query: string, timeoutMs = 30_000): Promise<string[]> {
  await page.waitForFunction(
    (q) => {
      const status = document.querySelector('.geniza-search__status')?.textContent ?? '';
      const input = document.querySelector('input[role="combobox"]') as HTMLInputElement | null;
      return input?.value === q && /result|No results/.test(status);
    },
    query,
    { timeout: timeoutMs },
  );
  return page.locator(`${OPTIONS} .geniza-result__title`).allTextContents();
}

/**
 * A fresh browser context (own IndexedDB) with a page that records console errors. `options` go to
 * `browser.newContext` (e.g. `{ serviceWorkers: 'block' }` to test the page without the demo's service worker).
 */
export async function newPage(browser: Browser, options?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = collectConsoleErrors(page);
  return { context, page, errors };
}

/** What the page's IndexedDB cache holds. */
export interface CacheSummary {
  bundles: { bundleUrl: string; bundleId: string }[];
  /** sha256 keys of stored files. */
  files: string[];
  /** Stored documents per bundleId. */
  docs: Record<string, number>;
}

/** Reads the `geniza` IndexedDB database of the page's origin. */
export function cacheSummary(page: Page): Promise<CacheSummary> {
  return page.evaluate(() => new Promise<CacheSummary>((resolve, reject) => {
    const open = indexedDB.open('geniza');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(['bundles', 'files', 'docs'], 'readonly');
      const out: CacheSummary = { bundles: [], files: [], docs: {} };
      const b = tx.objectStore('bundles').getAll();
      b.onsuccess = () => { out.bundles = b.result.map((r: { bundleUrl: string; bundleId: string }) => ({ bundleUrl: r.bundleUrl, bundleId: r.bundleId })); };
      const f = tx.objectStore('files').getAllKeys();
      f.onsuccess = () => { out.files = f.result as string[]; };
      const d = tx.objectStore('docs').getAllKeys();
      d.onsuccess = () => { for (const [id] of d.result as [string, number][]) out.docs[id] = (out.docs[id] ?? 0) + 1; };
      tx.oncomplete = () => { db.close(); resolve(out); };
      tx.onerror = () => reject(tx.error);
    };
  }));
}

/** The demo bundle's manifest and documents, as built into dist/. */
export async function demoBundle(): Promise<{ manifest: { bundleId: string; corpus: { documents: number }; files: Record<string, { path: string }> }; docs: { id: string; title: string; url: string; text: string }[] }> {
  const manifest = JSON.parse(await readFile(join(DIST, 'bundle', 'manifest.json'), 'utf8'));
  const docs = JSON.parse(await readFile(join(DIST, 'bundle', manifest.files.docs.path), 'utf8'));
  return { manifest, docs };
}
