/**
 * Known-item search end to end: generate a documentation-like corpus, run the real `geniza build` CLI on it,
 * then search every document's exact title through the same path as the browser (readBundle -> SearchEngine
 * on onnxruntime-web -> trie-constrained beam search). Users type titles: each page must come back in the top 3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { readBundle } from '../src/indexer/read-bundle.ts';
import { SearchEngine } from '../workers/engine.ts';
import { fixtureCorpus } from './fixture-corpus.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const DOCS = 120;
/** Small, fast settings: a narrow one-layer model; at most 14 epochs or 150 s of training. */
const BUILD_FLAGS = ['--d-model', '64', '--layers', '1', '--queries-per-doc', '20', '--epochs', '14', '--time-budget', '150', '--quiet'];

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/geniza.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test('every document is found in the top 3 by its exact title (>= 90%)', { timeout: 10 * 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'geniza-known-item-'));
  try {
    const docs = fixtureCorpus(DOCS);
    assert.equal(new Set(docs.map((d) => d.title)).size, DOCS, 'titles are distinct');
    await mkdir(join(dir, 'docs'));
    for (const d of docs) await writeFile(join(dir, 'docs', `${d.id}.md`), `# ${d.title}\n\n${d.text}\n`);

    const t0 = performance.now();
    const built = await run(['build', join(dir, 'docs'), '--out', join(dir, 'bundle'), ...BUILD_FLAGS]);
    const buildSec = (performance.now() - t0) / 1000;
    assert.equal(built.code, 0, `geniza build failed: ${built.stderr}`);

    ort.env.wasm.numThreads = 1;
    const engine = await SearchEngine.create(ort, await readBundle(join(dir, 'bundle')));
    assert.equal(engine.docs.length, DOCS);
    let top1 = 0;
    let top3 = 0;
    const misses: string[] = [];
    for (const d of docs) {
      const { hits } = await engine.search(d.title, { k: 3, mode: 'generative' }); // the model itself (hybrid may not run it)
      const rank = hits.findIndex((h) => h.id === `${d.id}.md`);
      if (rank === 0) top1++;
      if (rank >= 0) top3++;
      else misses.push(`"${d.title}" -> ${hits.map((h) => `"${h.title}"`).join(', ')}`);
    }
    const rate3 = top3 / DOCS;
    const tr = engine.manifest.training;
    console.log(`known-item: ${DOCS} documents, build ${buildSec.toFixed(1)} s (${BUILD_FLAGS.join(' ')}; `
      + `${tr?.steps} steps, ${tr?.seconds} s of training); `
      + `title in top 3: ${(rate3 * 100).toFixed(1)}%, top 1: ${((top1 / DOCS) * 100).toFixed(1)}%`);
    if (misses.length) console.log(`misses:\n  ${misses.join('\n  ')}`);
    await engine.dispose();
    assert.ok(rate3 >= 0.9, `only ${(rate3 * 100).toFixed(1)}% of titles found in the top 3`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
