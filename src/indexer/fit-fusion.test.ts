// Held-out pseudo-queries of the fit stage: query-like kinds, never a training query, reproducible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceDoc } from '../core/types.ts';
import { describeRanking, heldOutQueries } from './fit-fusion.ts';
import { makeTrainingPairs } from './pseudo-queries.ts';

const docs: SourceDoc[] = Array.from({ length: 40 }, (_, i) => ({
  id: `d${i}`,
  title: `Topic number ${i} of the handbook`,
  headings: [`Setting up part ${i}`, `Troubleshooting part ${i}`],
  text: `Paragraph ${i} explains the widget ${i} in detail. It covers installation, configuration and upgrades of widget ${i}. `
    + `Users of widget ${i} often ask how to reset it. The answer depends on the version of widget ${i} they run.`,
}));

test('one held-out query per sampled document, of a query-like kind, none equal to a training query', () => {
  const training = new Set(makeTrainingPairs(docs, { seed: 42 }).map((p) => p.text));
  const held = heldOutQueries(docs, { count: 25, exclude: training });
  assert.ok(held.length >= 20 && held.length <= 25, `${held.length} queries`);
  assert.equal(new Set(held.map((q) => q.docIndex)).size, held.length, 'one per document');
  for (const q of held) {
    assert.ok(['keywords', 'heading', 'title-part', 'sentence', 'span'].includes(q.kind), q.kind);
    assert.ok(!training.has(q.text), `held-out query is a training query: ${q.text}`);
    assert.ok(q.docIndex >= 0 && q.docIndex < docs.length);
  }
  assert.deepEqual(heldOutQueries(docs, { count: 25, exclude: training }), held, 'same seed, same queries');
  assert.notDeepEqual(heldOutQueries(docs, { count: 25, exclude: training, seed: 1 }), held, 'another seed, other queries');
});

test('the build summary line says when the model got no weight', () => {
  const heldOut = { queries: 300, seed: 7919, seconds: 12, mrr: { lexical: 0.95, generative: 0.2, hybrid: 0.95 } };
  assert.match(describeRanking({ fusion: 'linear', generativeWeight: 0, lexicalPrior: 0, heldOut }), /generative weight 0 \(hybrid = lexical\).*lexical 0\.950, generative 0\.200, hybrid 0\.950/);
  assert.match(describeRanking({ fusion: 'rrf', generativeWeight: 0.2, lexicalPrior: 0.5 }), /^rrf, generative weight 0\.2, lexical prior 0\.5$/);
});
