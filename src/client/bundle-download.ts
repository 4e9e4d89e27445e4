/**
 * Downloading a bundle over HTTP: the manifest (always revalidated), then each file with its byte size and
 * SHA-256 checked against the manifest.
 */
import { GenizaError } from '../core/errors.ts';
import { validateManifest } from '../core/manifest.ts';
import type { BundleManifest, FileEntry } from '../core/types.ts';
import { sha256Hex } from './sha256.ts';

/** The bundle folder URL, absolute and ending in `/` (relative URLs resolve against the page). */
export function bundleBase(bundleUrl: string): string {
  const base = typeof location !== 'undefined' ? location.href : undefined;
  const url = new URL(bundleUrl, base);
  if (url.pathname.endsWith('/manifest.json')) url.pathname = url.pathname.slice(0, -'manifest.json'.length);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url.href;
}

/** Thrown (as `cause` of a NETWORK GenizaError) when the manifest could not be fetched at all. */
export class OfflineError extends GenizaError {
  constructor(message: string) {
    super('NETWORK', message);
  }
}

/**
 * Fetches and validates `manifest.json`, bypassing stale HTTP caches. Throws OfflineError when the network
 * fails (no HTTP answer), GenizaError('NETWORK') for an HTTP error, and validateManifest's errors.
 */
export async function fetchManifest(base: string, fetchFn: typeof fetch = fetch): Promise<BundleManifest> {
  return (await fetchManifestFrom(base, fetchFn)).manifest;
}

/** Header a service worker sets on a manifest it served from its cache because the network failed. */
export const OFFLINE_HEADER = 'X-Geniza-Offline';

/** `fetchManifest`, also telling whether the answer is a service worker's offline copy (`OFFLINE_HEADER`). */
export async function fetchManifestFrom(base: string, fetchFn: typeof fetch = fetch): Promise<{ manifest: BundleManifest; offline: boolean }> {
  const url = new URL('manifest.json', base).href;
  let res: Response;
  try {
    res = await fetchFn(url, { cache: 'no-cache' });
  } catch (e) {
    throw new OfflineError(`bundle: cannot fetch ${url} (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!res.ok) {
    throw new GenizaError('NETWORK', `bundle: ${url} answered HTTP ${res.status}; build the bundle with \`geniza build <input> --out <dir>\` and serve that folder`);
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new GenizaError('BAD_BUNDLE', `bundle: ${url} is not valid JSON`);
  }
  return { manifest: validateManifest(json), offline: res.headers.get(OFFLINE_HEADER) === '1' };
}

/**
 * Downloads one bundle file and checks it against its manifest entry: size, then SHA-256
 * (GenizaError 'HASH_MISMATCH' naming the file). `onBytes` is called with the bytes received so far.
 */
export async function downloadFile(
  base: string,
  entry: FileEntry,
  onBytes: (received: number) => void = () => {},
  fetchFn: typeof fetch = fetch,
): Promise<Uint8Array> {
  const url = new URL(entry.path, base).href;
  let res: Response;
  try {
    res = await fetchFn(url, { cache: 'no-cache' });
  } catch (e) {
    throw new GenizaError('NETWORK', `bundle: cannot fetch ${url} (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!res.ok) throw new GenizaError('NETWORK', `bundle: ${url} answered HTTP ${res.status}`);
  const bytes = await readBody(res, entry.bytes, onBytes);
  if (bytes.byteLength !== entry.bytes) {
    throw new GenizaError('HASH_MISMATCH', `bundle: ${entry.path} has ${bytes.byteLength} bytes but the manifest says ${entry.bytes}; the bundle changed while loading or is corrupt (rebuild it with \`geniza build\`)`);
  }
  const sha = await sha256Hex(bytes);
  if (sha !== entry.sha256) {
    throw new GenizaError('HASH_MISMATCH', `bundle: ${entry.path} has SHA-256 ${sha} but the manifest says ${entry.sha256}; the bundle changed while loading or is corrupt (rebuild it with \`geniza build\`)`);
  }
  return bytes;
}

async function readBody(res: Response, expected: number, onBytes: (received: number) => void): Promise<Uint8Array> {
  if (!res.body) {
    const bytes = new Uint8Array(await res.arrayBuffer());
    onBytes(bytes.byteLength);
    return bytes;
  }
  const reader = res.body.getReader();
  let buffer = new Uint8Array(expected);
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (received + value.byteLength > buffer.byteLength) {
      const bigger = new Uint8Array(Math.max(buffer.byteLength * 2, received + value.byteLength));
      bigger.set(buffer.subarray(0, received));
      buffer = bigger;
    }
    buffer.set(value, received);
    received += value.byteLength;
    onBytes(received);
  }
  return received === buffer.byteLength ? buffer : buffer.slice(0, received);
}
