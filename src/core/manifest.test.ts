import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMAT_VERSION, validateManifest } from './manifest.ts';
import { isGenizaError } from './errors.ts';

const hex = (c: string) => c.repeat(64);

function good(): Record<string, any> {
  return {
    formatVersion: 1,
    generator: 'geniza 0.1.0',
    createdAt: '2025-11-26T08:54:00.000Z',
    bundleId: hex('a'),
    corpus: { documents: 120 },
    model: { dModel: 128, heads: 4, ffn: 512, encoderLayers: 2, decoderLayers: 2, srcVocab: 8000, tgtVocab: 97, maxSrcLen: 32, maxTgtLen: 3 },
    docids: { scheme: 'semantic-kmeans', branching: 32, maxLength: 3 },
    tokenizer: { type: 'wordpiece', vocabSize: 8000 },
    files: {
      encoder: { path: 'encoder.onnx', bytes: 1000, sha256: hex('1') },
      decoder: { path: 'decoder.onnx', bytes: 2000, sha256: hex('2') },
      tokenizer: { path: 'tokenizer.json', bytes: 300, sha256: hex('3') },
      trie: { path: 'trie.bin', bytes: 40, sha256: hex('4') },
      docs: { path: 'docs.json', bytes: 5000, sha256: hex('5') },
    },
    training: { examples: 1000, steps: 16, seconds: 12.5, finalLoss: 0.42, seed: 42 },
  };
}

test('a good manifest is accepted and returned as is', () => {
  assert.equal(FORMAT_VERSION, 1);
  assert.deepEqual(validateManifest(good()), good());
  const noTraining = good();
  delete noTraining.training;
  assert.deepEqual(validateManifest(noTraining), noTraining);
  const withHyper = good();
  Object.assign(withHyper.training, { batchSize: 128, learningRate: 0.002, anchorDecay: 5 });
  assert.deepEqual(validateManifest(withHyper), withHyper);
  const models = good();
  models.model.members = 3;
  assert.deepEqual(validateManifest(models), models);
});

test('hashes are accepted in either case and returned lowercase', () => {
  const m = good();
  m.files.trie.sha256 = hex('A');
  assert.equal(validateManifest(m).files.trie.sha256, hex('a'));
});

test('an unknown format version is refused with BUNDLE_VERSION and how to fix it', () => {
  const m = good();
  m.formatVersion = 2;
  assert.throws(() => validateManifest(m), (e) => isGenizaError(e) && e.code === 'BUNDLE_VERSION'
    && e.message === 'bundle format version 2 is not supported by this geniza (supports 1): rebuild the bundle with `geniza build` from the same geniza version');
});

test('each kind of bad field is refused with BAD_BUNDLE naming the field and value', () => {
  const cases: [string, (m: Record<string, any>) => unknown, string][] = [
    ['not an object', () => [], 'bundle manifest: manifest.json must be an object (got [])'],
    ['version type', (m) => (m.formatVersion = '1'), 'bundle manifest: formatVersion must be a positive integer (got "1")'],
    ['generator', (m) => delete m.generator, 'bundle manifest: generator must be a non-empty string (got nothing)'],
    ['createdAt', (m) => (m.createdAt = 'yesterday'), 'bundle manifest: createdAt must be an ISO 8601 date-time (got "yesterday")'],
    ['bundleId', (m) => (m.bundleId = 'abc'), 'bundle manifest: bundleId must be a 64-char hex string (got "abc")'],
    ['corpus', (m) => (m.corpus = 5), 'bundle manifest: corpus must be an object (got 5)'],
    ['documents', (m) => (m.corpus.documents = 0), 'bundle manifest: corpus.documents must be a positive integer (got 0)'],
    ['model field', (m) => (m.model.heads = 2.5), 'bundle manifest: model.heads must be a positive integer (got 2.5)'],
    ['model missing', (m) => delete m.model.ffn, 'bundle manifest: model.ffn must be a positive integer (got nothing)'],
    ['members', (m) => (m.model.members = 0), 'bundle manifest: model.members must be a positive integer (got 0)'],
    ['members max', (m) => (m.model.members = 9), 'bundle manifest: model.members must be at most 8 (got 9)'],
    ['heads divide', (m) => (m.model.heads = 3), 'bundle manifest: model.dModel (128) must be divisible by model.heads (3)'],
    ['scheme', (m) => (m.docids.scheme = 'titles'), 'bundle manifest: docids.scheme must be "semantic-kmeans" or "atomic" (got "titles")'],
    ['branching', (m) => (m.docids.branching = 1), 'bundle manifest: docids.branching must be an integer >= 2 (got 1)'],
    ['tgtVocab', (m) => (m.model.tgtVocab = 50), 'bundle manifest: model.tgtVocab (50) must be at least 1 + docids.branching * docids.maxLength (97)'],
    ['maxTgtLen', (m) => (m.model.maxTgtLen = 2), 'bundle manifest: model.maxTgtLen (2) must be at least docids.maxLength (3)'],
    ['tokenizer type', (m) => (m.tokenizer.type = 'bpe'), 'bundle manifest: tokenizer.type must be "wordpiece" (got "bpe")'],
    ['srcVocab', (m) => (m.tokenizer.vocabSize = 9000), 'bundle manifest: model.srcVocab (8000) must be at least tokenizer.vocabSize (9000)'],
    ['files', (m) => delete m.files, 'bundle manifest: files must be an object (got nothing)'],
    ['file missing', (m) => delete m.files.docs, 'bundle manifest: files.docs must be an object (got nothing)'],
    ['sha256', (m) => (m.files.trie.sha256 = 'x'), 'bundle manifest: files.trie.sha256 must be a 64-char hex string (got "x")'],
    ['bytes', (m) => (m.files.encoder.bytes = -3), 'bundle manifest: files.encoder.bytes must be a positive integer (got -3)'],
    ['path type', (m) => (m.files.decoder.path = 7), 'bundle manifest: files.decoder.path must be a non-empty string (got 7)'],
    ['path escape', (m) => (m.files.docs.path = '../secret.json'), 'bundle manifest: files.docs.path must be a plain relative path inside the bundle (got "../secret.json")'],
    ['path absolute', (m) => (m.files.docs.path = '/etc/passwd'), 'bundle manifest: files.docs.path must be a plain relative path inside the bundle (got "/etc/passwd")'],
    ['path url', (m) => (m.files.docs.path = 'https://evil.example/docs.json'), 'bundle manifest: files.docs.path must be a plain relative path inside the bundle (got "https://evil.example/docs.json")'],
    ['training', (m) => (m.training.seconds = 'fast'), 'bundle manifest: training.seconds must be a finite number (got "fast")'],
    ['training batch', (m) => (m.training.batchSize = 0), 'bundle manifest: training.batchSize must be a positive integer (got 0)'],
  ];
  for (const [name, mutate, message] of cases) {
    const m = good();
    const replaced = mutate(m);
    const input = name === 'not an object' ? replaced : m;
    assert.throws(() => validateManifest(input), (e) => {
      assert.ok(isGenizaError(e), name);
      assert.equal(e.code, 'BAD_BUNDLE', name);
      assert.equal(e.message, message, name);
      return true;
    });
  }
});
