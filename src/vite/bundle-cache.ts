/**
 * Cached bundle builds for the Vite plugin: a bundle is built once per content hash of its inputs and options
 * (see input-hash.ts) into `<cacheDir>/<hash>/`, and reused while the hash is the same. A build goes to a
 * temporary folder that is renamed into place only when complete, so a cache folder is always a whole bundle.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundleManifest } from '../core/types.ts';
import type { BuildOptions } from '../indexer/build.ts';
import { createProgress } from '../indexer/progress.ts';
import { inputsHash } from './input-hash.ts';

/** Build options the cache passes through to `build` (everything but where to write and how to report). */
export type CachedBuildOptions = Omit<BuildOptions, 'out' | 'progress'>;

/** A bundle ready to serve or copy. */
export interface CachedBundle {
  /** Folder holding manifest.json and the bundle files. */
  dir: string;
  /** Its manifest. */
  manifest: BundleManifest;
  /** True when an earlier build was reused (nothing was trained). */
  reused: boolean;
  /** Seconds the build took (0 when reused). */
  seconds: number;
}

/** Length of the hash prefix that names a cache folder. */
const KEY_LENGTH = 16;

/** The manifest in `dir` when it and every file it lists are there with the right sizes, else null. */
export function completeBundle(dir: string): BundleManifest | null {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BundleManifest;
    for (const entry of Object.values(manifest.files)) {
      const file = join(dir, entry.path);
      if (!existsSync(file) || statSync(file).size !== entry.bytes) return null;
    }
    return manifest;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

let tmpCounter = 0;

/**
 * Returns the bundle for `options`, building it into `cacheDir` unless a build with the same inputs hash is
 * there. Progress lines go to `log`. Older cached builds in `cacheDir` are deleted after a new build.
 */
export async function ensureBundle(cacheDir: string, options: CachedBuildOptions, log: (line: string) => void): Promise<CachedBundle> {
  const { input, ...rest } = options;
  const hash = await inputsHash(options.docs ? undefined : input, rest as Record<string, unknown>);
  const key = hash.slice(0, KEY_LENGTH);
  const dir = join(cacheDir, key);
  const cached = completeBundle(dir);
  if (cached) return { dir, manifest: cached, reused: true, seconds: 0 };

  await mkdir(cacheDir, { recursive: true });
  const tmp = join(cacheDir, `.tmp-${process.pid}-${++tmpCounter}`);
  await rm(tmp, { recursive: true, force: true });
  let pendingLine = '';
  const progress = createProgress({
    quiet: options.quiet,
    tty: false,
    stream: {
      write(chunk: string) {
        const lines = (pendingLine + chunk).split('\n');
        pendingLine = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) log(line.trimEnd());
      },
    },
  });
  try {
    // Loaded on demand: the trainer's modules are not needed while cached bundles are reused.
    const { build } = await import('../indexer/build.ts');
    const result = await build({ ...options, out: tmp, progress });
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    for (const name of await readdir(cacheDir)) {
      if (name === key) continue;
      const pid = /^\.tmp-(\d+)-\d+$/.exec(name)?.[1];
      if (pid && isRunning(Number(pid))) continue;
      await rm(join(cacheDir, name), { recursive: true, force: true });
    }
    return { dir, manifest: result.manifest, reused: false, seconds: result.seconds };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
