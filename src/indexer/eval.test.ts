/**
 * `geniza eval` end to end on a tiny generated BEIR collection: a real (very small, briefly trained) bundle,
 * every query through the engine of the browser and both baselines, results JSON of the documented shape.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureCorpus } from '../../test/fixture-corpus.ts';
import { evaluate, formatEvalTable } from './eval.ts';
import { createProgress } from './progress.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

/** 30 documents (one with empty text, as real collections have), 10 title queries each judging its document. */
async function tinyCollection(dir: string): Promise<void> {
  const docs = fixtureCorpus(30);
  const corpus = docs.map((d, i) => JSON.stringify({ id: `d${i}`, title: d.title, text: i === 29 ? '' : d.text }));
  await writeFile(join(dir, 'corpus.jsonl'), `${corpus.join('\n')}\n`);
  const queries = docs.slice(0, 10).map((d, i) => JSON.stringify({ id: `q${i}`, text: d.title.toLowerCase() }));
  await writeFile(join(dir, 'queries.jsonl'), `${queries.join('\n')}\n`);
  await writeFile(join(dir, 'qrels.tsv'), docs.slice(0, 10).map((_, i) => `q${i}\td${i}\t1\n`).join(''));
}

test('evaluate: builds, runs every query through geniza, BM25 and MiniSearch, writes the results JSON', { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'geniza-eval-'));
  try {
    const col = join(dir, 'tiny');
    await (await import('node:fs/promises')).mkdir(col);
    await tinyCollection(col);
    const out = join(dir, 'results', 'tiny.json');
    const log: string[] = [];
    const results = await evaluate({
      collection: col, out, cacheDir: join(dir, 'cache'),
      dModel: 16, layers: 1, queriesPerDoc: 4, epochs: 3, timeBudget: 5, vocabSize: 200,
      progress: createProgress({ stream: { write: (s: string) => log.push(s) }, delayMs: 0 }),
    });

    const json = JSON.parse(await readFile(out, 'utf8'));
    assert.deepEqual(json.systems, results.systems, 'the file holds what evaluate returned');
    for (const name of ['geniza', 'bm25', 'minisearch']) {
      const m = json.systems[name];
      assert.ok(m, `system ${name}`);
      for (const key of ['ndcg@10', 'mrr@10', 'recall@10', 'recall@100']) {
        assert.ok(typeof m[key] === 'number' && m[key] >= 0 && m[key] <= 1, `${name} ${key} = ${m[key]} in [0, 1]`);
      }
      assert.equal(m.queries, 10);
    }
    // Exact titles as queries: the lexical baselines find nearly all of them first.
    assert.ok(json.systems.bm25['mrr@10'] > 0.5, `bm25 MRR@10 ${json.systems.bm25['mrr@10']}`);
    // geniza decodes 100 results (here: all 30 documents), so every relevant document is within recall@100.
    assert.equal(json.systems.geniza['recall@100'], 1);

    assert.equal(json.perQuery.length, 10);
    for (const row of json.perQuery) {
      assert.match(row.qid, /^q\d$/);
      for (const name of ['geniza', 'bm25', 'minisearch']) {
        assert.ok(row['ndcg@10'][name] >= 0 && row['ndcg@10'][name] <= 1);
        assert.ok(row.firstRelevant[name] === null || row.firstRelevant[name] >= 1);
      }
      assert.ok(row.genizaMs > 0);
    }

    const c = json.costs;
    assert.equal(c.build.reused, false);
    for (const phase of ['ingest', 'docids', 'training', 'export']) assert.ok(c.build.phases[phase] >= 0, `phase ${phase}`);
    assert.ok(c.build.training.examples > 0 && c.build.training.examplesPerSec > 0);
    assert.ok(c.build.peakRssBytes > 10 * 2 ** 20);
    for (const group of ['model', 'trie', 'docs', 'tokenizer']) {
      assert.ok(c.bundle.groups[group].raw > 0 && c.bundle.groups[group].gzip > 0, `bundle ${group} size`);
    }
    assert.equal(c.bundle.total.raw, Object.values(c.bundle.files as Record<string, { raw: number }>).reduce((a, f) => a + f.raw, 0));
    for (const name of ['geniza', 'bm25', 'minisearch']) {
      const l = c.latency[name];
      assert.ok(l.n === 10 && l.p50 <= l.p95 && l.p95 <= l.max, `${name} latency ${JSON.stringify(l)}`);
    }
    assert.ok(json.machine.cores >= 1 && json.machine.cpu);
    assert.match(json.commit, /^([0-9a-f]{40}|unknown)$/);
    assert.ok(log.some((l) => l.includes('geniza k=100')), 'progress reported on the stream');

    const table = formatEvalTable(results);
    assert.match(table, /^system\s+nDCG@10\s+MRR@10\s+R@10\s+R@100/m);
    assert.match(table, /^bm25\s+\d\.\d{3}/m);

    // Reusing the built bundle evaluates the same model, reporting the recorded build cost.
    const again = await evaluate({ collection: col, bundle: join(dir, 'cache', 'bundle'), quiet: true, maxQueries: 3 });
    assert.equal(again.costs.build.reused, true);
    assert.equal(again.costs.build.training?.examples, c.build.training.examples);
    assert.equal(again.collection.queries, 3);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('geniza eval on a missing folder: one line naming it, exit code 1', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/geniza.js'), 'eval', '/no/such/collection'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.trim());
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^geniza: eval: cannot read collection \/no\/such\/collection: no such folder/);
});
