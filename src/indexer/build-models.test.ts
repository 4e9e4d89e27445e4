// A build of several models (--models): one bundle whose model scores every document by the mean of the models'
// log-probabilities, each model exactly the one a single-model build with its seed would train.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { build } from './build.ts';
import { createProgress } from './progress.ts';
import { readBundle } from './read-bundle.ts';
import { SearchEngine } from '../../workers/engine.ts';
import type { SourceDoc } from '../core/types.ts';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const TOPICS = ['boiler', 'chimney', 'gutter', 'roof', 'window', 'garden', 'fence', 'garage', 'cellar', 'attic', 'porch', 'stairs'];
const docs: SourceDoc[] = Array.from({ length: 48 }, (_, i) => {
  const a = TOPICS[i % TOPICS.length];
  const b = TOPICS[(i * 5 + 3) % TOPICS.length];
  return {
    id: `job-${i}`,
    title: `Repairing the ${a} ${i}`,
    text: `How to repair the ${a} of house ${i}. Check the ${b} first, then the ${a}. Call a builder if the ${b} leaks.`,
  };
});

/** Builds `docs` with small settings and returns each document's model score for `query` (by id). */
async function scores(dir: string, opts: { seed: number; models: number; embeddingBits?: number }, query: string): Promise<{
  members?: number; steps: number; encoderBytes: number; srcVocab: number; byId: Map<string, number>;
}> {
  const out = join(dir, `seed${opts.seed}-models${opts.models}-bits${opts.embeddingBits ?? 'default'}`);
  const result = await build({
    docs, out, ...opts, dModel: 32, queriesPerDoc: 6, epochs: 1, timeBudget: 600, vocabSize: 400, fitQueries: 0,
    progress: createProgress({ quiet: true }),
  });
  const engine = await SearchEngine.create(ort, await readBundle(out), { executionProviders: ['wasm'] });
  try {
    const decoded = await engine.decode(query, { k: docs.length, beams: docs.length });
    assert.equal(decoded.length, docs.length, 'atomic docids: every document is scored');
    return {
      members: result.manifest.model.members, steps: result.manifest.training!.steps, encoderBytes: result.manifest.files.encoder.bytes,
      srcVocab: result.manifest.model.srcVocab,
      byId: new Map(decoded.map((d) => [engine.docs[d.docIndex].id, d.score])),
    };
  } finally {
    await engine.dispose();
  }
}

test('--models 2: the bundle scores each document by the mean of the two seeds\' models', { timeout: 5 * 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'geniza-models-'));
  try {
    const query = 'leaking chimney repair';
    const one = await scores(dir, { seed: 7, models: 1 }, query);
    const other = await scores(dir, { seed: 8, models: 1 }, query);
    const both = await scores(dir, { seed: 7, models: 2 }, query);
    assert.equal(one.members, undefined, 'a single model is not marked');
    assert.equal(both.members, 2);
    assert.equal(both.steps, one.steps + other.steps, 'training adds up');
    let differs = 0;
    for (const [id, s] of both.byId) {
      const mean = (one.byId.get(id)! + other.byId.get(id)!) / 2;
      assert.ok(Math.abs(s - mean) < 1e-3, `${id}: ${s} vs mean ${mean}`);
      if (Math.abs(s - one.byId.get(id)!) > 1e-3) differs++;
    }
    assert.ok(differs > docs.length / 2, 'the second model changes the scores');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--embedding-bits 4 stores the query-token table in 4 bits: a smaller encoder, the same scores within rounding', { timeout: 5 * 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'geniza-bits-'));
  try {
    const query = 'leaking chimney repair';
    const four = await scores(dir, { seed: 7, models: 1, embeddingBits: 4 }, query);
    const eight = await scores(dir, { seed: 7, models: 1 }, query);
    // The table is srcVocab x 32 values, one scale per row either way: 16 bytes less per token in 4 bits, less the
    // few hundred bytes of the unpacking nodes.
    const saved = eight.encoderBytes - four.encoderBytes;
    assert.ok(saved > 16 * four.srcVocab - 600, `encoder ${four.encoderBytes} (4 bits) vs ${eight.encoderBytes} (8 bits) bytes, ${four.srcVocab} tokens`);
    const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    assert.deepEqual(rank(four.byId).slice(0, 3), rank(eight.byId).slice(0, 3), 'the same best documents');
    for (const [id, s] of four.byId) assert.ok(Math.abs(s - eight.byId.get(id)!) < 1, `${id}: ${s} vs ${eight.byId.get(id)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
