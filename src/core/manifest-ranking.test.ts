// manifest.ranking: the hybrid ranking fitted at build time (optional; older bundles have none).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateManifest } from './manifest.ts';
import { isGenizaError } from './errors.ts';

const hex = (c: string) => c.repeat(64);
const base = () => ({
  formatVersion: 1, generator: 'geniza 0.1.0', createdAt: '2026-11-26T08:54:00.000Z', bundleId: hex('a'), corpus: { documents: 3 },
  model: { dModel: 8, heads: 2, ffn: 16, encoderLayers: 1, decoderLayers: 1, srcVocab: 50, tgtVocab: 9, maxSrcLen: 32, maxTgtLen: 2 },
  docids: { scheme: 'semantic-kmeans', branching: 4, maxLength: 2 },
  tokenizer: { type: 'wordpiece', vocabSize: 50 },
  files: Object.fromEntries(['encoder', 'decoder', 'tokenizer', 'trie', 'docs'].map((n, i) => [n, { path: `${n}.bin`, bytes: 10, sha256: hex(String(i)) }])),
});

test('a ranking with its held-out scores is kept; a manifest without one has none', () => {
  const ranking = { fusion: 'rrf', generativeWeight: 0.2, lexicalPrior: 0.5, heldOut: { queries: 300, seed: 7919, seconds: 12.5, mrr: { lexical: 0.9, generative: 0.2, hybrid: 0.91 } } };
  assert.deepEqual(validateManifest({ ...base(), ranking }).ranking, ranking);
  const cloze = { ...ranking, heldOut: { ...ranking.heldOut, kind: 'cloze' } };
  assert.deepEqual(validateManifest({ ...base(), ranking: cloze }).ranking, cloze, 'the kind of held-out queries is kept');
  assert.equal(validateManifest(base()).ranking, undefined);
});

test('a bad ranking is refused as BAD_BUNDLE naming the field', () => {
  const cases: [unknown, RegExp][] = [
    [{ fusion: 'max', generativeWeight: 0, lexicalPrior: 0 }, /ranking\.fusion/],
    [{ fusion: 'linear', generativeWeight: 1.5, lexicalPrior: 0 }, /ranking\.generativeWeight/],
    [{ fusion: 'linear', generativeWeight: 0.1, lexicalPrior: -1 }, /ranking\.lexicalPrior/],
    [{ fusion: 'linear', generativeWeight: 0.1, lexicalPrior: 0, heldOut: { queries: 1, seed: 1, seconds: 1, mrr: {} } }, /ranking\.heldOut\.mrr\.lexical/],
    [{ fusion: 'linear', generativeWeight: 0.1, lexicalPrior: 0, heldOut: { queries: 1, seed: 1, seconds: 1, kind: 'titles', mrr: { lexical: 1, generative: 1, hybrid: 1 } } }, /ranking\.heldOut\.kind must be "cloze" or "pseudo-queries" \(got "titles"\)/],
    ['linear', /ranking must be an object/],
  ];
  for (const [ranking, re] of cases) {
    assert.throws(() => validateManifest({ ...base(), ranking }), (e) => isGenizaError(e) && e.code === 'BAD_BUNDLE' && re.test(e.message), JSON.stringify(ranking));
  }
});
