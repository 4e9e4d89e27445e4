/**
 * The IndexedDB cache of bundles (via idb). Schema version 1:
 *   bundles  key bundleUrl          -> the last complete bundle stored for that URL (its manifest)
 *   files    key sha256             -> the bytes of a model/tokenizer/trie file (shared between bundles)
 *   docs     key [bundleId, index]  -> one stored document
 * A bundle is written in ONE transaction (bundle record + files + docs), so a bundle record only exists for a
 * complete bundle. Old versions are removed once a new one is complete (`removeUnused`).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { BundleManifest, StoredDoc } from '../core/types.ts';
import type { EngineFiles } from '../../workers/engine.ts';

/** Name of the IndexedDB database. */
export const DB_NAME = 'geniza';
/** Current schema version; migrations live in `upgrade` below, one case per version. */
export const DB_VERSION = 1;

/** The bundle record: the last complete bundle stored for one bundle URL. */
export interface StoredBundle {
  bundleUrl: string;
  bundleId: string;
  manifest: BundleManifest;
  /** When it was stored (ms since epoch). */
  storedAt: number;
}

/** A stored model/tokenizer/trie file. */
export interface StoredFile {
  sha256: string;
  bytes: ArrayBuffer;
}

/** A stored document. */
export interface StoredDocRecord extends StoredDoc {
  bundleId: string;
  docIndex: number;
}

/** The typed schema of the cache database. */
export interface GenizaDB extends DBSchema {
  bundles: { key: string; value: StoredBundle };
  files: { key: string; value: StoredFile };
  docs: { key: [string, number]; value: StoredDocRecord };
}

/** Files of a bundle kept in the `files` store (docs.json is split into `docs` records instead). */
export const BINARY_FILES = ['encoder', 'decoder', 'tokenizer', 'trie'] as const;
/** One of `BINARY_FILES`. */
export type BinaryFile = (typeof BINARY_FILES)[number];

/** Opens (creating or migrating) the cache database. */
export function openBundleDb(name = DB_NAME): Promise<IDBPDatabase<GenizaDB>> {
  return openDB<GenizaDB>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      switch (oldVersion) {
        case 0:
          db.createObjectStore('bundles', { keyPath: 'bundleUrl' });
          db.createObjectStore('files', { keyPath: 'sha256' });
          db.createObjectStore('docs', { keyPath: ['bundleId', 'docIndex'] });
        // falls through to later migrations when they exist
      }
    },
    blocking() {
      // A newer page wants to upgrade the schema: let it.
    },
  });
}

function docRange(bundleId: string): IDBKeyRange {
  return IDBKeyRange.bound([bundleId, 0], [bundleId, Infinity]);
}

/** The cache of bundles in one IndexedDB database. */
export class BundleStore {
  private constructor(private readonly db: IDBPDatabase<GenizaDB>) {}

  /** Opens the store; resolves to null where IndexedDB is unavailable (e.g. some private modes). */
  static async open(name = DB_NAME): Promise<BundleStore | null> {
    try {
      if (typeof indexedDB === 'undefined') return null;
      return new BundleStore(await openBundleDb(name));
    } catch {
      return null;
    }
  }

  /** The bundle record stored for `bundleUrl`, if any. */
  bundleFor(bundleUrl: string): Promise<StoredBundle | undefined> {
    return this.db.get('bundles', bundleUrl);
  }

  /** Files already stored for `manifest` (by content hash), so only missing ones need downloading. */
  async storedFiles(manifest: BundleManifest): Promise<Partial<Record<BinaryFile, Uint8Array>>> {
    const tx = this.db.transaction('files', 'readonly');
    const out: Partial<Record<BinaryFile, Uint8Array>> = {};
    await Promise.all(BINARY_FILES.map(async (name) => {
      const rec = await tx.store.get(manifest.files[name].sha256);
      if (rec) out[name] = new Uint8Array(rec.bytes);
    }));
    await tx.done;
    return out;
  }

  /**
   * Everything needed to run `manifest`'s bundle, read in one transaction, or null unless the bundle is
   * completely stored (all files, all documents).
   */
  async load(manifest: BundleManifest): Promise<EngineFiles | null> {
    const tx = this.db.transaction(['files', 'docs'], 'readonly');
    const files = tx.objectStore('files');
    const [encoder, decoder, tokenizer, trie, docs] = await Promise.all([
      files.get(manifest.files.encoder.sha256),
      files.get(manifest.files.decoder.sha256),
      files.get(manifest.files.tokenizer.sha256),
      files.get(manifest.files.trie.sha256),
      tx.objectStore('docs').getAll(docRange(manifest.bundleId)),
    ]);
    await tx.done;
    if (!encoder || !decoder || !tokenizer || !trie || docs.length !== manifest.corpus.documents) return null;
    return {
      manifest,
      encoder: new Uint8Array(encoder.bytes),
      decoder: new Uint8Array(decoder.bytes),
      tokenizer: new Uint8Array(tokenizer.bytes),
      trie: new Uint8Array(trie.bytes),
      docs: docs.map(({ id, title, url, text }) => ({ id, title, url, text })),
    };
  }

  /** Stores a complete bundle in ONE transaction: files, documents, then the bundle record for `bundleUrl`. */
  async save(bundleUrl: string, manifest: BundleManifest, files: Record<BinaryFile, Uint8Array>, docs: StoredDoc[]): Promise<void> {
    const tx = this.db.transaction(['bundles', 'files', 'docs'], 'readwrite');
    const writes: Promise<unknown>[] = [];
    for (const name of BINARY_FILES) {
      const bytes = files[name];
      const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      writes.push(tx.objectStore('files').put({ sha256: manifest.files[name].sha256, bytes: copy }));
    }
    const docStore = tx.objectStore('docs');
    docs.forEach((d, docIndex) => {
      writes.push(docStore.put({ bundleId: manifest.bundleId, docIndex, id: d.id, title: d.title, url: d.url, text: d.text }));
    });
    writes.push(tx.objectStore('bundles').put({ bundleUrl, bundleId: manifest.bundleId, manifest, storedAt: Date.now() }));
    await Promise.all([...writes, tx.done]);
  }

  /** Records that `bundleUrl` now serves an already stored bundle. */
  async point(bundleUrl: string, manifest: BundleManifest): Promise<void> {
    await this.db.put('bundles', { bundleUrl, bundleId: manifest.bundleId, manifest, storedAt: Date.now() });
  }

  /** Deletes documents and files no stored bundle refers to any more (old bundle versions). */
  async removeUnused(): Promise<{ bundles: number; files: number }> {
    const tx = this.db.transaction(['bundles', 'files', 'docs'], 'readwrite');
    const bundles = await tx.objectStore('bundles').getAll();
    const liveIds = new Set(bundles.map((b) => b.bundleId));
    const liveFiles = new Set(bundles.flatMap((b) => BINARY_FILES.map((n) => b.manifest.files[n].sha256)));
    const deadIds = new Set<string>();
    let cursor = await tx.objectStore('docs').openKeyCursor();
    while (cursor) {
      const id = cursor.key[0];
      if (!liveIds.has(id)) deadIds.add(id);
      // Jump past this bundle's remaining documents (no docIndex equals Infinity).
      cursor = await cursor.continue([id, Infinity]);
    }
    for (const id of deadIds) await tx.objectStore('docs').delete(docRange(id));
    let removedFiles = 0;
    for (const key of await tx.objectStore('files').getAllKeys()) {
      if (!liveFiles.has(key)) { await tx.objectStore('files').delete(key); removedFiles++; }
    }
    await tx.done;
    return { bundles: deadIds.size, files: removedFiles };
  }

  /** Closes the database connection. */
  close(): void {
    this.db.close();
  }
}
