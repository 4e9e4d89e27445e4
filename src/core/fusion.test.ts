import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuse, posteriors, rankingProblem } from './fusion.ts';

const lexical = [{ docIndex: 3, score: 9 }, { docIndex: 1, score: 6 }, { docIndex: 7, score: 2 }];
const generative = [{ docIndex: 5, score: -0.1 }, { docIndex: 7, score: -2.5 }, { docIndex: 3, score: -4 }];

test('weight 0 gives the lexical ranking exactly, with either method', () => {
  for (const fusion of ['linear', 'rrf'] as const) {
    const out = fuse(lexical, generative, { fusion, generativeWeight: 0, lexicalPrior: 0 }, 3);
    assert.deepEqual(out.map((h) => h.docIndex), [3, 1, 7], fusion);
  }
});

test('weight 1 gives the generative ranking; in between, documents both sides like rise', () => {
  for (const fusion of ['linear', 'rrf'] as const) {
    const out = fuse(lexical, generative, { fusion, generativeWeight: 1, lexicalPrior: 0 }, 3);
    assert.deepEqual(out.map((h) => h.docIndex), [5, 7, 3], fusion);
  }
  const mid = fuse(lexical, generative, { fusion: 'rrf', generativeWeight: 0.5, lexicalPrior: 0 }, 5);
  assert.equal(mid[0].docIndex, 3, 'first lexically and third generatively beats first generatively alone');
  assert.equal(mid.find((h) => h.docIndex === 5)!.lexical, 0, 'a generative-only document has no lexical support');
});

test('posteriors sum to 1 and keep the order', () => {
  const p = posteriors(generative);
  assert.ok(Math.abs([...p.values()].reduce((a, b) => a + b, 0) - 1) < 1e-9);
  assert.ok(p.get(5)! > p.get(7)! && p.get(7)! > p.get(3)!);
});

test('rankingProblem names a bad field', () => {
  assert.equal(rankingProblem({ fusion: 'linear', generativeWeight: 0.3, lexicalPrior: 1 }), undefined);
  assert.match(rankingProblem({ fusion: 'max', generativeWeight: 0.3, lexicalPrior: 0 })!, /fusion/);
  assert.match(rankingProblem({ fusion: 'rrf', generativeWeight: 2, lexicalPrior: 0 })!, /generativeWeight/);
});
