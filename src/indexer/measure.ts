/**
 * Measurements shared by `geniza eval` and the benchmark scripts: latency percentiles, bundle size per file
 * (raw and gzip), the machine and the git commit a run came from.
 *
 * @example
 *   latencySummary([12, 8, 30]);            // { n: 3, mean: 16.7, p50: 12, p95: 30, max: 30 }
 *   await bundleSizes('public/bundle');     // { files: { 'encoder.onnx': { raw, gzip }, ... }, groups, total }
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BundleFileName, BundleManifest } from '../core/types.ts';
import { MANIFEST_FILE } from './bundle.ts';

/** Nearest-rank percentile `p` (0..100) of an ascending list; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Latency figures of a list of timings in ms. */
export interface LatencySummary {
  /** Timings measured. */
  n: number;
  mean: number;
  p50: number;
  p95: number;
  max: number;
}

/** Count, mean, p50, p95 and max of timings (ms, rounded to 0.01 ms). */
export function latencySummary(ms: readonly number[]): LatencySummary {
  const s = [...ms].sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 100) / 100;
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN;
  return { n: s.length, mean: r(mean), p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), max: r(s[s.length - 1] ?? NaN) };
}

/** Raw and gzip (level 6) size of some bytes. */
export interface SizePair {
  raw: number;
  gzip: number;
}

/** Bundle size by file, by kind (model = encoder + decoder) and in total. */
export interface BundleSizes {
  /** By file name (manifest.json included). */
  files: Record<string, SizePair>;
  /** By kind: model (encoder.onnx + decoder.onnx), trie, docs, tokenizer, manifest. */
  groups: { model: SizePair; trie: SizePair; docs: SizePair; tokenizer: SizePair; manifest: SizePair };
  total: SizePair;
}

const GROUP_OF: Record<BundleFileName, keyof BundleSizes['groups']> = {
  encoder: 'model', decoder: 'model', trie: 'trie', docs: 'docs', tokenizer: 'tokenizer',
};

/** Reads every file of the bundle in `dir` and measures it raw and gzipped. */
export async function bundleSizes(dir: string, manifest?: BundleManifest): Promise<BundleSizes> {
  const manifestBytes = await readFile(join(dir, MANIFEST_FILE));
  const m = manifest ?? (JSON.parse(manifestBytes.toString('utf8')) as BundleManifest);
  const pair = (bytes: Uint8Array): SizePair => ({ raw: bytes.byteLength, gzip: gzipSync(bytes, { level: 6 }).byteLength });
  const zero = (): SizePair => ({ raw: 0, gzip: 0 });
  const out: BundleSizes = {
    files: { [MANIFEST_FILE]: pair(manifestBytes) },
    groups: { model: zero(), trie: zero(), docs: zero(), tokenizer: zero(), manifest: pair(manifestBytes) },
    total: pair(manifestBytes),
  };
  for (const [name, entry] of Object.entries(m.files) as [BundleFileName, { path: string }][]) {
    const size = pair(await readFile(join(dir, entry.path)));
    out.files[entry.path] = size;
    const g = out.groups[GROUP_OF[name] ?? 'model'];
    g.raw += size.raw;
    g.gzip += size.gzip;
    out.total.raw += size.raw;
    out.total.gzip += size.gzip;
  }
  return out;
}

/** The machine a run happened on. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryBytes: number;
  node: string;
  platform: string;
  arch: string;
}

/** CPU model, core count, memory, Node version and platform of this machine. */
export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryBytes: totalmem(),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
  };
}

/** The git commit of the checkout at `cwd` (`unknown` outside one) and whether it has uncommitted changes. */
export function gitCommit(cwd: string): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

/** Peak resident memory of this process so far, in bytes (threads included). */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}
