/**
 * The content hash that decides whether a cached bundle can be reused: the input files (paths and bytes), the
 * build options and the geniza version + bundle format. Anything that changes the bundle changes the hash.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { FORMAT_VERSION } from '../core/manifest.ts';
import { genizaVersion } from '../indexer/version.ts';

/** Folders never read as input (dependencies, VCS data, caches). */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.cache']);

/** Every file under `path` (or `path` itself when it is a file), as sorted paths relative to it. */
export async function listInputFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [''];
  const out: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') && entry.isDirectory()) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(full);
      } else if (entry.isFile()) {
        out.push(relative(path, full).split(sep).join('/'));
      }
    }
  }
  await walk(path);
  return out.sort();
}

/** JSON with object keys sorted, so equal options always give the same text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/** Hex SHA-256 of the input at `input` (a folder or a file; absent when `docs` are given) and `options`. */
export async function inputsHash(input: string | undefined, options: Record<string, unknown>): Promise<string> {
  const h = createHash('sha256');
  h.update(`geniza ${genizaVersion()} format ${FORMAT_VERSION}\0`);
  h.update(`${stableJson(options)}\0`);
  if (input !== undefined) {
    for (const rel of await listInputFiles(input)) {
      h.update(`${rel}\0`);
      h.update(await readFile(rel ? join(input, rel) : input));
      h.update('\0');
    }
  }
  return h.digest('hex');
}
