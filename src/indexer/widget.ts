/**
 * The standalone `<geniza-search>` element for a site: copies the package's prebuilt `dist/widget/`
 * (`geniza-search.js` plus `assets/`: the search worker and onnxruntime's wasm) into a folder of the site,
 * building it first with Vite's JS API (vite.widget.config.ts) when it is missing or older than its sources.
 * The npm package carries a prebuilt copy (`prepack`), so site owners need no Vite.
 *
 * @example
 *   const { files } = await exportWidget({ out: 'dist/geniza-widget' });
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenizaError } from '../core/errors.ts';

/** The root folder of this geniza package (package.json, dist/, vite.widget.config.ts). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the prebuilt element lives, relative to the package root. */
export const WIDGET_DIR = join('dist', 'widget');

/** The element's script, the file a page loads. */
export const WIDGET_ENTRY = 'geniza-search.js';

/** The Vite config that builds the element, relative to the package root. */
export const WIDGET_CONFIG = 'vite.widget.config.ts';

/** What the element is built from, relative to the package root (test files do not count). */
export const WIDGET_SOURCES: readonly string[] = ['src/element', 'src/ui', 'src/client', 'src/core', 'workers', WIDGET_CONFIG];

/** Options of `exportWidget`. */
export interface ExportWidgetOptions {
  /** Folder to copy the element into; created when missing. Files already in it are overwritten or left alone, never deleted. Required. */
  out: string;
  /** Package root holding dist/widget/, the Vite config and the sources. Default: this package (PACKAGE_ROOT). */
  root?: string;
  /** Build with Vite even when dist/widget/ is current. Default false. */
  rebuild?: boolean;
  /** Receives a line before a build starts and when a stale copy is used. Default: nothing. */
  log?: (line: string) => void;
}

/** What `exportWidget` did. */
export interface ExportWidgetResult {
  /** Absolute path of the folder written. */
  out: string;
  /** Every file written, relative to `out` with `/` separators, sorted, with its size in bytes. */
  files: { path: string; bytes: number }[];
  /** Why the element was built before copying; absent when the prebuilt copy was used as it was. */
  built?: string;
}

/** Every file under `dir`, as paths relative to `base`, sorted. */
async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path, base)));
    else if (entry.isFile()) out.push(relative(base, path));
  }
  return out.sort();
}

/** The most recently modified source of the element (relative path and mtime in ms), or undefined when none exists. */
async function newestSource(root: string): Promise<{ path: string; mtimeMs: number } | undefined> {
  let newest: { path: string; mtimeMs: number } | undefined;
  for (const src of WIDGET_SOURCES) {
    const abs = join(root, src);
    if (!existsSync(abs)) continue;
    const paths = (await stat(abs)).isDirectory() ? (await listFiles(abs)).map((p) => join(src, p)) : [src];
    for (const p of paths) {
      if (/\.(test|spec)\.tsx?$/.test(p)) continue;
      const { mtimeMs } = await stat(join(root, p));
      if (!newest || mtimeMs > newest.mtimeMs) newest = { path: p, mtimeMs };
    }
  }
  return newest;
}

/** Why dist/widget/ must be built, or undefined when it is current. */
async function staleReason(root: string): Promise<string | undefined> {
  const entry = join(root, WIDGET_DIR, WIDGET_ENTRY);
  if (!existsSync(entry)) return `${WIDGET_DIR}/${WIDGET_ENTRY} does not exist`;
  if (!existsSync(join(root, WIDGET_DIR, 'assets'))) return `${WIDGET_DIR}/assets/ does not exist`;
  const built = (await stat(entry)).mtimeMs;
  const newest = await newestSource(root);
  if (newest && newest.mtimeMs > built) return `${newest.path.split(sep).join('/')} changed after ${WIDGET_DIR}/ was built`;
  return undefined;
}

/** Vite's JS API, or why it cannot build here (vite not installed, or the config missing). */
async function loadVite(root: string): Promise<{ build: typeof import('vite').build } | string> {
  if (!existsSync(join(root, WIDGET_CONFIG))) return `${join(root, WIDGET_CONFIG)} is missing`;
  try {
    return await import('vite');
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === 'ERR_MODULE_NOT_FOUND' && /'vite'/.test(err.message ?? '')) return 'vite is not installed (it is a development dependency of geniza)';
    throw e;
  }
}

/** Builds dist/widget/ with Vite (vite.widget.config.ts); throws a GenizaError naming what failed. */
async function buildWidget(root: string, build: typeof import('vite').build): Promise<void> {
  try {
    await build({ root, configFile: join(root, WIDGET_CONFIG), logLevel: 'warn', clearScreen: false });
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new GenizaError('INTERNAL', `widget: building <geniza-search> with Vite (${WIDGET_CONFIG}) failed: ${msg}`);
  }
  if (!existsSync(join(root, WIDGET_DIR, WIDGET_ENTRY))) {
    throw new GenizaError('INTERNAL', `widget: Vite built without error but ${join(root, WIDGET_DIR, WIDGET_ENTRY)} is missing; check ${WIDGET_CONFIG}'s outDir`);
  }
}

/**
 * Copies the built `<geniza-search>` element (geniza-search.js and assets/) into `opts.out`, building it first
 * when dist/widget/ is missing or older than its sources and Vite is installed. A stale copy without Vite is
 * used as it is (logged); no copy and no Vite is an UNREADABLE_FILE error that says how to get one.
 */
export async function exportWidget(opts: ExportWidgetOptions): Promise<ExportWidgetResult> {
  const root = resolve(opts.root ?? PACKAGE_ROOT);
  const src = join(root, WIDGET_DIR);
  const out = resolve(opts.out);
  if (out === src) throw new GenizaError('BAD_OPTION', `widget: --out ${opts.out} is the prebuilt element's own folder; pick a folder of your site`);
  const log = opts.log ?? (() => {});

  const stale = opts.rebuild ? '--rebuild was given' : await staleReason(root);
  let built: string | undefined;
  if (stale) {
    const vite = await loadVite(root);
    const prebuilt = existsSync(join(src, WIDGET_ENTRY));
    if (typeof vite === 'string') {
      if (!prebuilt) {
        throw new GenizaError('UNREADABLE_FILE', `widget: no prebuilt <geniza-search> in ${src} and it cannot be built here: ${vite}. `
          + 'Reinstall geniza from npm (its package carries dist/widget/), or in a checkout of geniza run npm install, which installs Vite');
      }
      log(`warning: using the prebuilt element although ${stale}: cannot rebuild it, ${vite}`);
    } else {
      log(`building <geniza-search> with Vite into ${src} (${stale})`);
      await buildWidget(root, vite.build);
      built = stale;
    }
  }

  const paths = await listFiles(src);
  if (!paths.includes(WIDGET_ENTRY)) throw new GenizaError('UNREADABLE_FILE', `widget: ${join(src, WIDGET_ENTRY)} is missing`);
  const files: ExportWidgetResult['files'] = [];
  for (const p of paths) {
    const to = join(out, p);
    await mkdir(join(to, '..'), { recursive: true });
    await copyFile(join(src, p), to);
    files.push({ path: p.split(sep).join('/'), bytes: (await stat(to)).size });
  }
  return { out, files, built };
}
