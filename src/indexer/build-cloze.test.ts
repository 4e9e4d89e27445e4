// A build of a corpus large enough for the fit on removed sentences: the fit uses them, and the bundle loses nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildResult } from './build.ts';
import { createProgress } from './progress.ts';
import { seededRandom } from '../core/seeded-random.ts';
import type { SourceDoc } from '../core/types.ts';

const WORDS = ['valve', 'pump', 'seal', 'gasket', 'pressure', 'flow', 'sensor', 'relay', 'filter', 'bearing', 'shaft', 'motor',
  'coolant', 'torque', 'nozzle', 'manifold', 'piston', 'spring', 'thermostat', 'circuit'];

function corpus(n: number): SourceDoc[] {
  const rng = seededRandom(3);
  return Array.from({ length: n }, (_, i) => {
    const pick = () => WORDS[rng.int(WORDS.length)];
    const sentences = Array.from({ length: 5 }, (_, s) => `The ${pick()} of unit ${i}x${s} needs the ${pick()} and the ${pick()} checked before each ${pick()} service.`);
    return { id: `doc-${i}`, title: `Unit ${i} ${pick()} manual`, text: sentences.join(' ') };
  });
}

/** Builds `n` generated documents with small, fast settings and checks the result, then removes the bundle. */
async function withBuild(n: number, check: (docs: SourceDoc[], result: BuildResult, out: string) => Promise<void>): Promise<void> {
  const docs = corpus(n);
  const out = await mkdtemp(join(tmpdir(), 'geniza-cloze-'));
  try {
    const result = await build({
      docs, out, dModel: 32, queriesPerDoc: 4, epochs: 1, timeBudget: 20, vocabSize: 1500, progress: createProgress({ quiet: true }),
    });
    await check(docs, result, out);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

test('a 1,000-document build fits on removed sentences, and its bundle keeps every document whole', { timeout: 5 * 60_000 }, () =>
  withBuild(1000, async (docs, result, out) => {
    const held = result.manifest.ranking?.heldOut;
    assert.ok(held, 'the bundle records its fit');
    assert.equal(held.kind, 'cloze', 'fitted on removed sentences');
    assert.equal(held.queries, 200, 'a fifth of the documents give one');
    assert.equal(result.pairs, 4000, 'every document still gets its pseudo-queries');
    // The fit chooses among reciprocal rank fusions (and the lexical ranking), never a linear fusion.
    const grid = result.fit?.grid ?? [];
    assert.equal(grid.filter((p) => p.generativeWeight === 0).length, 1, 'one lexical point');
    assert.ok(grid.length > 1 && grid.every((p) => p.fusion === 'rrf' || p.generativeWeight === 0), JSON.stringify(grid.map((p) => p.fusion)));
    assert.ok(result.manifest.ranking?.fusion === 'rrf' || result.manifest.ranking?.generativeWeight === 0);
    const stored = JSON.parse(await readFile(join(out, 'docs.json'), 'utf8')) as { id: string; text: string }[];
    assert.equal(stored.length, docs.length);
    stored.forEach((d, i) => assert.equal(d.text, docs[i].text, `document ${d.id} is stored whole`));
  }));

test('a build under 1,000 documents fits on held-out pseudo-queries', { timeout: 5 * 60_000 }, () =>
  withBuild(300, async (_docs, result) => {
    assert.equal(result.manifest.ranking?.heldOut?.kind, 'pseudo-queries');
  }));
