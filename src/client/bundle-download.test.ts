// Downloading a bundle over real HTTP (a local server): manifest validation, size and SHA-256 checks, and how
// network failures are told apart from HTTP errors (the former allow the offline fallback).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { isGenizaError } from '../core/errors.ts';
import { OfflineError, bundleBase, downloadFile, fetchManifest } from './bundle-download.ts';

const encoder = new Uint8Array(5000).map((_, i) => (i * 7) & 255);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const entry = (path: string, bytes: Uint8Array) => ({ path, bytes: bytes.length, sha256: sha(bytes) });
const manifest = {
  formatVersion: 1,
  generator: 'geniza test',
  createdAt: '2026-01-01T00:00:00Z',
  bundleId: 'a'.repeat(64),
  corpus: { documents: 2 },
  model: { dModel: 8, heads: 2, ffn: 16, encoderLayers: 1, decoderLayers: 1, srcVocab: 10, tgtVocab: 5, maxSrcLen: 4, maxTgtLen: 2 },
  docids: { scheme: 'semantic-kmeans', branching: 2, maxLength: 2 },
  tokenizer: { type: 'wordpiece', vocabSize: 10 },
  files: {
    encoder: entry('encoder.onnx', encoder), decoder: entry('decoder.onnx', encoder), tokenizer: entry('tokenizer.json', encoder),
    trie: entry('trie.bin', encoder), docs: entry('docs.json', encoder),
  },
};

let server: Server;
let base: string;
const routes = new Map<string, { status: number; body: Uint8Array | string }>();

before(async () => {
  server = createServer((req, res) => {
    const r = routes.get(req.url ?? '');
    res.writeHead(r?.status ?? 404).end(r ? Buffer.from(r.body as Uint8Array) : 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/b/`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('bundleBase accepts a folder with or without slash, or the manifest URL itself', () => {
  assert.equal(bundleBase('https://x.org/search'), 'https://x.org/search/');
  assert.equal(bundleBase('https://x.org/search/'), 'https://x.org/search/');
  assert.equal(bundleBase('https://x.org/search/manifest.json?v=2'), 'https://x.org/search/');
});

test('a valid manifest is fetched and validated', async () => {
  routes.set('/b/manifest.json', { status: 200, body: JSON.stringify(manifest) });
  const m = await fetchManifest(base);
  assert.equal(m.bundleId, manifest.bundleId);
});

test('a manifest of another format version is refused with the rebuild hint', async () => {
  routes.set('/b/manifest.json', { status: 200, body: JSON.stringify({ ...manifest, formatVersion: 7 }) });
  await assert.rejects(fetchManifest(base), (e) => isGenizaError(e) && e.code === 'BUNDLE_VERSION' && /geniza build/.test(e.message));
});

test('an HTTP error is a NETWORK error, an unreachable server an OfflineError', async () => {
  routes.delete('/b/manifest.json');
  await assert.rejects(fetchManifest(base), (e) => isGenizaError(e) && e.code === 'NETWORK' && /HTTP 404/.test(e.message) && !(e instanceof OfflineError));
  await assert.rejects(fetchManifest('http://127.0.0.1:9/none/'), (e) => e instanceof OfflineError && e.code === 'NETWORK');
});

test('a file is downloaded with progress and checked against its size and SHA-256', async () => {
  routes.set('/b/encoder.onnx', { status: 200, body: encoder });
  const seen: number[] = [];
  const bytes = await downloadFile(base, manifest.files.encoder, (n) => seen.push(n));
  assert.deepEqual(bytes, encoder);
  assert.equal(seen.at(-1), encoder.length);
});

test('a file with other bytes or another size fails with HASH_MISMATCH naming the file', async () => {
  const changed = encoder.slice();
  changed[100] ^= 1;
  routes.set('/b/encoder.onnx', { status: 200, body: changed });
  await assert.rejects(downloadFile(base, manifest.files.encoder), (e) => isGenizaError(e) && e.code === 'HASH_MISMATCH' && /encoder\.onnx has SHA-256/.test(e.message));
  routes.set('/b/encoder.onnx', { status: 200, body: encoder.slice(0, 100) });
  await assert.rejects(downloadFile(base, manifest.files.encoder), (e) => isGenizaError(e) && e.code === 'HASH_MISMATCH' && /encoder\.onnx has 100 bytes/.test(e.message));
});
