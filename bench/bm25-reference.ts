/**
 * Reproduces the reference BM25 numbers of the evaluation collections with geniza's own BM25 (src/core/bm25.ts,
 * defaults: k1 0.9, b 0.4, document = title + " " + text), and shows MiniSearch with its default settings beside it
 * (for information). Prints a markdown table and exits 1 when any collection's nDCG@10 differs from the reference
 * by more than 0.01.
 *
 *   node --import tsx bench/bm25-reference.ts /work/shared/evaldata            # scifact, nfcorpus, cranfield
 *   node --import tsx bench/bm25-reference.ts /work/shared/evaldata scifact    # only the named collections
 */
import { join } from 'node:path';
import { Bm25Index } from '../src/core/bm25.ts';
import { evaluateRun, type RunMetrics } from '../src/core/metrics.ts';
import { readCollection, type Collection } from '../src/indexer/collection.ts';
import { buildMiniSearch } from '../src/indexer/minisearch-baseline.ts';
import { exitWith } from './exit-with.ts';

/** Reference plain-BM25 numbers (evaldata README): nDCG@10, MRR@10, R@100. */
const REFERENCE: Record<string, RunMetrics> = {
  scifact: { queries: 300, ndcg: 0.662, mrr: 0.630, recall: 0.886 },
  nfcorpus: { queries: 323, ndcg: 0.316, mrr: 0.527, recall: 0.237 },
  cranfield: { queries: 225, ndcg: 0.329, mrr: 0.505, recall: 0.696 },
};
const TOLERANCE = 0.01;
const DEPTH = 100;

interface Row {
  metrics: RunMetrics;
  buildMs: number;
  queryMs: number;
}

type Searcher = { search(query: string, k: number): { docIndex: number; score: number }[] };

function runAll(c: Collection, build: () => Searcher): Row {
  const t0 = performance.now();
  const s = build();
  const t1 = performance.now();
  const run = new Map<string, string[]>();
  for (const q of c.queries) run.set(q.id, s.search(q.text, DEPTH).map((h) => c.docs[h.docIndex].id));
  const t2 = performance.now();
  return { metrics: evaluateRun(run, c.qrels, { k: 10, recallK: DEPTH }), buildMs: t1 - t0, queryMs: (t2 - t1) / c.queries.length };
}

const f3 = (x: number) => x.toFixed(3);
const signed = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(3);

async function main(): Promise<number> {
  const [root, ...only] = process.argv.slice(2);
  if (!root) {
    console.error('usage: node --import tsx bench/bm25-reference.ts <evaldata folder> [collection ...]');
    return 2;
  }
  const names = only.length > 0 ? only : Object.keys(REFERENCE);
  const lines = [
    '| collection | docs | queries | system | nDCG@10 | MRR@10 | R@100 | index ms | ms/query |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const failures: string[] = [];
  for (const name of names) {
    const ref = REFERENCE[name];
    if (!ref) {
      console.error(`no reference numbers for "${name}" (known: ${Object.keys(REFERENCE).join(', ')})`);
      return 2;
    }
    const c = await readCollection(join(root, name));
    const texts = c.docs.map((d) => `${d.title} ${d.text}`);
    const ours = runAll(c, () => Bm25Index.build(texts));
    const mini = runAll(c, () => buildMiniSearch(c.docs));
    const head = `| ${name} | ${c.docs.length} | ${c.queries.length} |`;
    const m = ours.metrics;
    lines.push(`${head} reference BM25 | ${f3(ref.ndcg)} | ${f3(ref.mrr)} | ${f3(ref.recall)} | | |`);
    lines.push(`${head} geniza BM25 | ${f3(m.ndcg)} (${signed(m.ndcg - ref.ndcg)}) | ${f3(m.mrr)} (${signed(m.mrr - ref.mrr)}) | ${f3(m.recall)} (${signed(m.recall - ref.recall)}) | ${ours.buildMs.toFixed(0)} | ${ours.queryMs.toFixed(2)} |`);
    lines.push(`${head} MiniSearch defaults | ${f3(mini.metrics.ndcg)} | ${f3(mini.metrics.mrr)} | ${f3(mini.metrics.recall)} | ${mini.buildMs.toFixed(0)} | ${mini.queryMs.toFixed(2)} |`);
    if (Math.abs(m.ndcg - ref.ndcg) > TOLERANCE) {
      failures.push(`${name}: nDCG@10 ${f3(m.ndcg)} differs from the reference ${f3(ref.ndcg)} by more than ${TOLERANCE}`);
    }
  }
  console.log(lines.join('\n'));
  if (failures.length > 0) {
    for (const f of failures) console.error(`FAIL ${f}`);
    return 1;
  }
  console.log(`\nOK: every nDCG@10 within ${TOLERANCE} of the reference.`);
  return 0;
}

exitWith(main);
