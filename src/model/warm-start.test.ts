import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WordPieceTokenizer } from '../core/tokenizer.ts';
import { atomicDocids } from '../indexer/docids.ts';
import type { ModelConfig } from './config.ts';
import { forwardLogProbs } from './forward.ts';
import { initParams } from './init.ts';
import { tokenVectors, warmStartParams } from './warm-start.ts';

const topics = [
  ['apple orchard harvest', 'apples ripen in the orchard and the harvest starts in autumn with pickers and ladders'],
  ['violin lessons', 'the violin teacher gives lessons on bowing, tuning the strings and reading music'],
  ['volcano eruption', 'lava and ash from the volcano eruption covered the valley; magma rose under the crater'],
  ['sourdough bread', 'a sourdough starter of flour and water makes the bread rise; bake the loaf in a hot oven'],
  ['chess openings', 'chess players study openings: the pawn, the knight and the bishop move first'],
  ['glacier melting', 'the glacier ice is melting faster; meltwater rivers and retreating ice fields'],
];
// Each topic twice over (a title document and a related one), so word statistics have something to go on.
const docs = topics.flatMap(([title, text]) => [
  { title, text },
  { title: `${title} notes`, text: `${text.split(' ').slice(0, 8).join(' ')} ${title}` },
]);
const tok = WordPieceTokenizer.learn(docs.flatMap((d) => [d.title, d.text]), { vocabSize: 300 });
const docTokens = docs.map((d) => tok.encode(`${d.title}\n${d.text}`));

function cosine(v: Float32Array, a: number, b: number, dims: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < dims; k++) {
    dot += v[a * dims + k] * v[b * dims + k];
    na += v[a * dims + k] ** 2;
    nb += v[b * dims + k] ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

test('tokenVectors: words of the same documents are closer than words of different documents', () => {
  const dims = 8;
  const v = tokenVectors(docTokens, tok.vocabSize, dims);
  const id = (w: string) => tok.encode(w)[0];
  assert.ok(cosine(v, id('volcano'), id('lava'), dims) > cosine(v, id('volcano'), id('violin'), dims) + 0.2);
  assert.ok(cosine(v, id('bread'), id('oven'), dims) > cosine(v, id('bread'), id('chess'), dims) + 0.2);
});

test('warmStartParams: the untrained model already writes the docid of the document a query is about', async () => {
  const docids = atomicDocids(docs.length);
  const config: ModelConfig = {
    dModel: 16, heads: 4, ffn: 32, encoderLayers: 2, decoderLayers: 2,
    srcVocab: tok.vocabSize, tgtVocab: 1 + docids.branching, maxSrcLen: 12, maxTgtLen: 1,
  };
  const queries = [['magma crater', 4], ['bake a loaf', 6], ['ice meltwater', 10], ['knight and bishop', 8]] as const;
  const src = new Int32Array(queries.length * config.maxSrcLen);
  queries.forEach(([q], i) => src.set(tok.encodePadded(q, config.maxSrcLen), i * config.maxSrcLen));
  const tgt = new Int32Array(queries.length); // decoder input: BOS only

  const rank = async (params: ReturnType<typeof initParams>) => {
    const lp = await forwardLogProbs(params, config, src, tgt, queries.length);
    return queries.map((_, i) => {
      const row = lp.subarray(i * config.tgtVocab, (i + 1) * config.tgtVocab);
      let best = 1;
      for (let t = 1; t < config.tgtVocab; t++) if (row[t] > row[best]) best = t;
      return best - 1; // token 1 + i is document i
    });
  };
  const warm = await rank(warmStartParams(config, { docTokens, docidTokens: docids.tokens }));
  // Each query's topic has two documents (2t and 2t + 1); the warm model picks one of them.
  queries.forEach(([q, doc], i) => assert.ok(warm[i] === doc || warm[i] === doc + 1, `${q} -> document ${warm[i]} (${docs[warm[i]].title})`));
  // Random parameters do not (the test can fail): at most one lucky hit.
  const cold = await rank(initParams(config, 42));
  assert.ok(queries.filter(([, doc], i) => cold[i] === doc || cold[i] === doc + 1).length <= 1);
});

test('warmStartParams is deterministic and keeps every parameter shape', () => {
  const docids = atomicDocids(docs.length);
  const config: ModelConfig = {
    dModel: 16, heads: 4, ffn: 32, encoderLayers: 1, decoderLayers: 1,
    srcVocab: tok.vocabSize, tgtVocab: 1 + docids.branching, maxSrcLen: 12, maxTgtLen: 1,
  };
  const a = warmStartParams(config, { docTokens, docidTokens: docids.tokens }, 3);
  const b = warmStartParams(config, { docTokens, docidTokens: docids.tokens }, 3);
  const ref = initParams(config, 3);
  for (const name of Object.keys(ref)) {
    assert.deepEqual(a[name].shape, ref[name].shape, name);
    assert.deepEqual(a[name].data, b[name].data, name);
  }
});
