/**
 * The Vite plugin `geniza/vite`: builds the search bundle with `vite build` (reusing a cached build while its
 * inputs and options are unchanged) and emits it at `base` in the output; serves it at `base` in `vite` dev
 * (built when the dev server starts if stale, rebuilt when an input file changes); with `pwa`, writes a
 * service worker so the site installs as a PWA and searches offline.
 *
 * @example
 *   // vite.config.ts
 *   import { defineConfig } from 'vite';
 *   import geniza from 'geniza/vite';
 *   export default defineConfig({ plugins: [geniza({ input: 'docs', base: 'geniza/', pwa: true })] });
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Plugin, ResolvedConfig, ViteDevServer } from 'vite';
import { GenizaError } from '../core/errors.ts';
import { ensureBundle, type CachedBuildOptions, type CachedBundle } from './bundle-cache.ts';
import { WEB_MANIFEST, pwaHeadTags, writeServiceWorker, type PwaOptions } from './service-worker-build.ts';

export type { PwaOptions } from './service-worker-build.ts';

/** Options of the plugin: where the bundle comes from and goes, plus any `geniza build` option. */
export interface GenizaViteOptions extends Omit<CachedBuildOptions, 'input'> {
  /** Folder of Markdown/HTML files or a .jsonl file, relative to Vite's root. Default none: no bundle is built. */
  input?: string;
  /** Folder of the bundle in the output and on the dev server, relative to the site root. Default `geniza/`. */
  base?: string;
  /** Where built bundles are cached, relative to Vite's root. Default `node_modules/.cache/geniza`. */
  cacheDir?: string;
  /** Dev server: wait this long after the last input change before rebuilding, in ms. Default 1000. */
  debounceMs?: number;
  /** Service worker and web app manifest for offline use (`true` for the defaults). Default off. */
  pwa?: boolean | PwaOptions;
}

const MIME: Record<string, string> = {
  '.json': 'application/json', '.onnx': 'application/octet-stream', '.bin': 'application/octet-stream',
};

/** `base` as a relative folder path ending in `/`, e.g. `geniza/`. */
export function normalizeBase(base: string): string {
  const b = base.replace(/\\/g, '/').replace(/^\.?\/+/, '').replace(/\/*$/, '/');
  if (b === '/' || b.split('/').includes('..')) {
    throw new GenizaError('BAD_OPTION', `geniza/vite: base must be a folder inside the site such as 'geniza/' (got '${base}')`);
  }
  return b;
}

/** The Vite plugin. */
export default function geniza(options: GenizaViteOptions = {}): Plugin {
  const { input, base: rawBase, cacheDir: rawCacheDir, debounceMs = 1000, pwa, ...buildOptions } = options;
  const base = normalizeBase(rawBase ?? 'geniza/');
  const buildsBundle = input !== undefined || buildOptions.docs !== undefined;
  const pwaOptions: PwaOptions | null = pwa ? (pwa === true ? {} : pwa) : null;
  let config: ResolvedConfig;
  let bundleJob: Promise<CachedBundle> | null = null;

  const tag = '[geniza]';
  const log = (line: string) => config.logger.info(`${tag} ${line}`, { timestamp: true });
  const inputPath = () => (input === undefined ? undefined : resolve(config.root, input));
  const slotDir = () => join(resolve(config.root, rawCacheDir ?? join('node_modules', '.cache', 'geniza')), base.replace(/\/$/, '').replace(/[^A-Za-z0-9._-]+/g, '_'));

  function runBuild(): Promise<CachedBundle> {
    const inPath = inputPath();
    if (inPath !== undefined && !existsSync(inPath)) {
      return Promise.reject(new GenizaError('BAD_OPTION', `geniza/vite: input ${inPath} does not exist; set input to the folder of your Markdown/HTML pages or a .jsonl file`));
    }
    const t0 = performance.now();
    return ensureBundle(slotDir(), { ...buildOptions, input: inPath }, log).then((b) => {
      const what = `${b.manifest.corpus.documents} documents, bundle ${b.manifest.bundleId.slice(0, 12)}`;
      log(b.reused
        ? `search bundle up to date (inputs unchanged, reused ${relative(config.root, b.dir) || b.dir}): ${what}`
        : `search bundle built in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${what}`);
      return b;
    });
  }

  /** Dev server: serves the bundle at `<vite base><base>`, rebuilding it when an input file changes. */
  function serveBundle(server: ViteDevServer): void {
    let current = runBuild();
    current.catch((e) => config.logger.error(`${tag} ${e instanceof Error ? e.message : String(e)}`));
    const prefix = `${server.config.base.replace(/\/?$/, '/')}${base}`;
    server.middlewares.use((req, res, next) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (!path.startsWith(prefix)) return next();
      const name = path.slice(prefix.length);
      void current.then(async (b) => {
        const known = name === 'manifest.json' || Object.values(b.manifest.files).some((f) => f.path === name);
        if (!known) { res.statusCode = 404; res.end(`geniza: no file ${name} in the search bundle`); return; }
        const body = await readFile(join(b.dir, name));
        res.setHeader('Content-Type', MIME[extname(name)] ?? 'application/octet-stream');
        res.setHeader('Cache-Control', 'no-cache');
        res.end(body);
      }).catch((e: unknown) => {
        res.statusCode = 503;
        res.end(`geniza: the search bundle could not be built: ${e instanceof Error ? e.message : String(e)}`);
      });
    });

    const inPath = inputPath();
    if (inPath === undefined) return;
    server.watcher.add(inPath);
    let timer: ReturnType<typeof setTimeout> | null = null;
    let building = false;
    let again = false;
    const rebuild = () => {
      if (building) { again = true; return; }
      building = true;
      log('input changed, rebuilding the search bundle...');
      const next = runBuild();
      next.then(() => {
        current = next;
        server.ws.send({ type: 'full-reload' });
      }, (e: unknown) => {
        config.logger.error(`${tag} rebuild failed, still serving the previous bundle: ${e instanceof Error ? e.message : String(e)}`);
      }).finally(() => {
        building = false;
        if (again) { again = false; rebuild(); }
      });
    };
    const inside = (file: string) => file === inPath || file.startsWith(inPath + sep);
    server.watcher.on('all', (_event, file) => {
      const abs = isAbsolute(file) ? file : resolve(config.root, file);
      if (!inside(abs)) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(rebuild, debounceMs);
    });
  }

  return {
    name: 'geniza',
    applyToEnvironment: (env) => env.config.consumer === 'client',
    configResolved(resolved) {
      config = resolved;
    },
    async buildStart() {
      if (config.command !== 'build' || !buildsBundle) return;
      bundleJob = runBuild();
      await bundleJob;
    },
    async generateBundle() {
      if (!bundleJob) return;
      const b = await bundleJob;
      for (const name of ['manifest.json', ...Object.values(b.manifest.files).map((f) => f.path)]) {
        this.emitFile({ type: 'asset', fileName: `${base}${name}`, source: await readFile(join(b.dir, name)) });
      }
    },
    configureServer(server) {
      if (buildsBundle) serveBundle(server);
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        if (!pwaOptions || config.command !== 'build') return;
        const hasWebManifest = existsSync(join(config.publicDir || '', WEB_MANIFEST));
        return pwaHeadTags(ctx.path, config.base, pwaOptions, hasWebManifest);
      },
    },
    async writeBundle(outputOptions) {
      if (!pwaOptions) return;
      const outDir = outputOptions.dir ?? resolve(config.root, config.build.outDir);
      const bundles = (pwaOptions.bundles ?? (buildsBundle ? [base] : [])).map(normalizeBase);
      const sw = await writeServiceWorker(outDir, { ...pwaOptions, bundles });
      log(`service worker ${relative(config.root, sw.file)}: ${sw.precache.length} files precached, bundles ${bundles.join(', ') || 'none'} (version ${sw.version})`);
    },
  };
}
