import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGenizaError } from '../core/errors.ts';
import { validateManifest } from '../core/manifest.ts';
import { WordPieceTokenizer } from '../core/tokenizer.ts';
import { encodeTrie } from '../core/trie.ts';
import type { StoredDoc } from '../core/types.ts';
import { writeBundle, type BundleParts } from './bundle.ts';
import { readBundle } from './read-bundle.ts';

function parts(over: Partial<BundleParts> = {}): BundleParts {
  const tok = WordPieceTokenizer.learn(['hello world', 'hello there world'], { vocabSize: 50, minFrequency: 1 });
  return {
    docs: [
      { id: 'a', title: 'A', url: 'a.html', text: 'hello world' },
      { id: 'b', title: 'B', url: 'b.html', text: 'hello there' },
    ],
    tokenizer: tok.toJSON(),
    trie: encodeTrie([[1], [2]]),
    encoder: new Uint8Array([1, 2, 3]),
    decoder: new Uint8Array([4, 5, 6, 7]),
    model: { dModel: 8, heads: 4, ffn: 16, encoderLayers: 1, decoderLayers: 1, srcVocab: tok.vocabSize, tgtVocab: 3, maxSrcLen: 8, maxTgtLen: 1 },
    docids: { scheme: 'semantic-kmeans', branching: 2, maxLength: 1 },
    generator: 'geniza test',
    training: { examples: 10, steps: 1, seconds: 0.1, finalLoss: 1, seed: 42 },
    createdAt: new Date('2026-01-01T00:00:00Z'),
    ...over,
  };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'geniza-bundle-'));
  try { await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

test('writeBundle writes every file with sizes and hashes that readBundle verifies', async () => {
  await withDir(async (dir) => {
    const manifest = await writeBundle(join(dir, 'out'), parts());
    assert.equal(manifest.formatVersion, 1);
    assert.equal(manifest.corpus.documents, 2);
    assert.match(manifest.bundleId, /^[0-9a-f]{64}$/);
    const onDisk = JSON.parse(await readFile(join(dir, 'out', 'manifest.json'), 'utf8'));
    assert.deepEqual(validateManifest(onDisk), manifest);
    const files = await readBundle(join(dir, 'out'));
    assert.deepEqual(Array.from(files.encoder), [1, 2, 3]);
    assert.deepEqual(Array.from(files.decoder), [4, 5, 6, 7]);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(files.docs)).map((d: { id: string }) => d.id), ['a', 'b']);
    assert.equal(files.manifest.bundleId, manifest.bundleId);
  });
});

test('bundleId is a content id: same content, same id; any changed file, new id', async () => {
  await withDir(async (dir) => {
    const a = await writeBundle(join(dir, 'a'), parts());
    const b = await writeBundle(join(dir, 'b'), parts({ createdAt: new Date('2027-01-01T00:00:00Z') }));
    const c = await writeBundle(join(dir, 'c'), parts({ decoder: new Uint8Array([4, 5, 6, 8]) }));
    assert.equal(a.bundleId, b.bundleId);
    assert.notEqual(a.bundleId, c.bundleId);
  });
});

test('readBundle refuses a changed, truncated or missing file, naming it', async () => {
  await withDir(async (dir) => {
    await writeBundle(dir, parts());
    await writeFile(join(dir, 'decoder.onnx'), new Uint8Array([4, 5, 6, 9]));
    await assert.rejects(readBundle(dir), (e: unknown) => isGenizaError(e) && e.code === 'HASH_MISMATCH' && /decoder\.onnx has SHA-256/.test(e.message));
    await writeFile(join(dir, 'decoder.onnx'), new Uint8Array([4, 5]));
    await assert.rejects(readBundle(dir), (e: unknown) => isGenizaError(e) && e.code === 'HASH_MISMATCH' && /decoder\.onnx has 2 bytes but the manifest says 4/.test(e.message));
    await unlink(join(dir, 'trie.bin'));
    await writeBundle(join(dir, 'x'), parts());
    await unlink(join(dir, 'x', 'trie.bin'));
    await assert.rejects(readBundle(join(dir, 'x')), (e: unknown) => isGenizaError(e) && e.code === 'BAD_BUNDLE' && /trie\.bin: no such file/.test(e.message));
  });
});

test('readBundle refuses an unknown format version with the rebuild hint', async () => {
  await withDir(async (dir) => {
    await writeBundle(dir, parts());
    const m = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    m.formatVersion = 99;
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(m));
    await assert.rejects(readBundle(dir), (e: unknown) => isGenizaError(e) && e.code === 'BUNDLE_VERSION' && /geniza build/.test(e.message));
    await writeFile(join(dir, 'manifest.json'), '{ not json');
    await assert.rejects(readBundle(dir), (e: unknown) => isGenizaError(e) && e.code === 'BAD_BUNDLE' && /manifest\.json is not valid JSON/.test(e.message));
  });
});

test('sections and filters: docs.json keeps pageTitle and filters; the manifest counts pages and lists facets', async () => {
  await withDir(async (dir) => {
    const docs: StoredDoc[] = [
      { id: 'g.html', title: 'Guide', url: 'g.html', text: 'lead', pageTitle: 'Guide', filters: { version: ['2.x'] } },
      { id: 'g.html#a', title: 'A', url: 'g.html#a', text: 'a', pageTitle: 'Guide', filters: { version: ['2.x'], lang: ['en'] } },
      { id: 'v1.html#a', title: 'A', url: 'v1.html#a', text: 'old a', pageTitle: 'Old guide', filters: { version: ['1.x'] } },
      { id: 'plain', title: 'Plain', url: '', text: 'no page' },
    ];
    const manifest = await writeBundle(dir, parts({ docs, trie: encodeTrie([[1], [2], [3], [4]]) }));
    assert.deepEqual(manifest.corpus, { documents: 4, pages: 3, facets: { lang: ['en'], version: ['1.x', '2.x'] } });
    const onDisk = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    assert.deepEqual(validateManifest(onDisk).corpus, manifest.corpus, 'the validator keeps pages and facets');
    const stored = JSON.parse(new TextDecoder().decode((await readBundle(dir)).docs));
    assert.deepEqual(stored[1], docs[1]);
    assert.deepEqual(Object.keys(stored[3]), ['id', 'title', 'url', 'text'], 'no empty pageTitle or filters');
    onDisk.corpus.facets = { version: [2] };
    assert.throws(() => validateManifest(onDisk), /corpus\.facets\.version must be an array of strings/);
  });
  await withDir(async (dir) => {
    const plain = await writeBundle(dir, parts());
    assert.deepEqual(plain.corpus, { documents: 2 }, 'whole-page corpora have neither pages nor facets');
  });
});
