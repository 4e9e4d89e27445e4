/**
 * Stage write: the bundle folder. Writes encoder.onnx, decoder.onnx, tokenizer.json, trie.bin, docs.json and
 * last manifest.json (sizes + SHA-256 of every file, bundleId = SHA-256 over the sorted file hashes).
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FORMAT_VERSION } from '../core/manifest.ts';
import type { WordPieceJSON } from '../core/tokenizer.ts';
import type { BundleFileName, BundleManifest, FileEntry, ModelConfig, StoredDoc } from '../core/types.ts';

/** File name of each bundle file inside the bundle folder. */
export const BUNDLE_FILE_NAMES: Readonly<Record<BundleFileName, string>> = {
  encoder: 'encoder.onnx',
  decoder: 'decoder.onnx',
  tokenizer: 'tokenizer.json',
  trie: 'trie.bin',
  docs: 'docs.json',
};

/** Name of the manifest file. */
export const MANIFEST_FILE = 'manifest.json';

/** Everything a bundle is made of. */
export interface BundleParts {
  /** Documents in doc-index order (docid i belongs to doc i). */
  docs: StoredDoc[];
  tokenizer: WordPieceJSON;
  /** `trie.bin` bytes (encodeTrie of the docid tokens). */
  trie: Uint8Array;
  encoder: Uint8Array;
  decoder: Uint8Array;
  model: ModelConfig;
  docids: BundleManifest['docids'];
  /** Tool that wrote the bundle, e.g. `geniza 0.1.0`. */
  generator: string;
  training?: BundleManifest['training'];
  /** Build time (default: now). */
  createdAt?: Date;
}

/** Lowercase hex SHA-256 of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Content id of a bundle: SHA-256 of its files' hashes, sorted, one per line. */
export function computeBundleId(hashes: Iterable<string>): string {
  return sha256Hex(new TextEncoder().encode([...hashes].sort().join('\n')));
}

/** Writes a file through a temporary name, so a reader never sees half a file. */
async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

/** One document as written to docs.json: `pageTitle` and `filters` only when present. */
function storedDocJson(d: StoredDoc): StoredDoc {
  const out: StoredDoc = { id: d.id, title: d.title, url: d.url, text: d.text };
  if (d.pageTitle !== undefined) out.pageTitle = d.pageTitle;
  if (d.filters && Object.keys(d.filters).length > 0) out.filters = d.filters;
  return out;
}

/** The page a document belongs to: its url without `#fragment`, or for a document without url its id without it. */
export function pageKey(d: Pick<StoredDoc, 'id' | 'url'>): string {
  return (d.url || d.id).replace(/#.*$/, '');
}

/**
 * `manifest.corpus`: documents; `pages` when documents are sections of pages (some have `pageTitle`); `facets`
 * (every facet's sorted values) when some have filters.
 */
export function corpusSummary(docs: readonly StoredDoc[]): BundleManifest['corpus'] {
  const corpus: BundleManifest['corpus'] = { documents: docs.length };
  if (docs.some((d) => d.pageTitle !== undefined)) corpus.pages = new Set(docs.map(pageKey)).size;
  const facets = new Map<string, Set<string>>();
  for (const d of docs) {
    for (const [key, values] of Object.entries(d.filters ?? {})) {
      const set = facets.get(key) ?? new Set<string>();
      for (const v of values) set.add(v);
      facets.set(key, set);
    }
  }
  if (facets.size > 0) {
    corpus.facets = Object.fromEntries([...facets.keys()].sort().map((k) => [k, [...facets.get(k)!].sort()]));
  }
  return corpus;
}

/** Serialises the bundle files (bytes by file name) and the manifest that describes them. */
export function serializeBundle(parts: BundleParts): { files: Record<BundleFileName, Uint8Array>; manifest: BundleManifest } {
  const enc = new TextEncoder();
  const files: Record<BundleFileName, Uint8Array> = {
    encoder: parts.encoder,
    decoder: parts.decoder,
    tokenizer: enc.encode(JSON.stringify(parts.tokenizer)),
    trie: parts.trie,
    docs: enc.encode(JSON.stringify(parts.docs.map(storedDocJson))),
  };
  const entries = {} as Record<BundleFileName, FileEntry>;
  for (const name of Object.keys(BUNDLE_FILE_NAMES) as BundleFileName[]) {
    entries[name] = { path: BUNDLE_FILE_NAMES[name], bytes: files[name].byteLength, sha256: sha256Hex(files[name]) };
  }
  const manifest: BundleManifest = {
    formatVersion: FORMAT_VERSION,
    generator: parts.generator,
    createdAt: (parts.createdAt ?? new Date()).toISOString(),
    bundleId: computeBundleId(Object.values(entries).map((e) => e.sha256)),
    corpus: corpusSummary(parts.docs),
    model: parts.model,
    docids: parts.docids,
    tokenizer: { type: 'wordpiece', vocabSize: parts.tokenizer.vocab.length },
    files: entries,
  };
  if (parts.training) manifest.training = parts.training;
  return { files, manifest };
}

/**
 * Writes a bundle into `outDir` (created if missing; existing bundle files replaced) and returns its manifest.
 * @example const manifest = await writeBundle('public/bundle', parts); // manifest.bundleId === 'c0ffee...'
 */
export async function writeBundle(outDir: string, parts: BundleParts): Promise<BundleManifest> {
  const { files, manifest } = serializeBundle(parts);
  await mkdir(outDir, { recursive: true });
  for (const name of Object.keys(files) as BundleFileName[]) {
    await writeAtomic(join(outDir, BUNDLE_FILE_NAMES[name]), files[name]);
  }
  await writeAtomic(join(outDir, MANIFEST_FILE), new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
  return manifest;
}
