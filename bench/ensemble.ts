/**
 * What summing several models would give: decodes every judged query with each bundle's model alone (depth 100,
 * beam 100, the bench's generative setting) and ranks by the mean of the models' log-probabilities (a document that
 * one model did not return gets that model's lowest returned score minus 1). Prints nDCG@10 and Recall@100 of each
 * model and of the sums of the first 2, 3, ... bundles. The bundles must index the same collection (e.g. built with
 * `geniza eval --seed 43 --cache-dir ...`). Diagnostic only: the product ships one model per bundle.
 *
 *   node --import tsx bench/ensemble.ts ../shared/evaldata/scifact .cache/x/s42/bundle .cache/x/s43/bundle .cache/x/s44/bundle
 */
import { readCollection } from '../src/indexer/collection.ts';
import { readBundle } from '../src/indexer/read-bundle.ts';
import { mean, ndcgAtK, recallAtK } from '../src/core/metrics.ts';

const [collectionDir, ...bundleDirs] = process.argv.slice(2);
if (!collectionDir || bundleDirs.length < 2) {
  console.error('usage: node --import tsx bench/ensemble.ts <collection-dir> <bundle-dir> <bundle-dir> [<bundle-dir> ...]');
  process.exit(2);
}
const DEPTH = 100;
const col = await readCollection(collectionDir);
const ort = await import('onnxruntime-web');
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
const { SearchEngine } = await import('../workers/engine.ts');
const engines = [];
for (const dir of bundleDirs) {
  const engine = await SearchEngine.create(ort, await readBundle(dir), { executionProviders: ['wasm'] });
  if (engine.docs.length !== col.docs.length) throw new Error(`${dir} indexes ${engine.docs.length} documents, the collection has ${col.docs.length}`);
  engines.push(engine);
}

const rows: { name: string; ndcg: number[]; recall: number[] }[] = [
  ...bundleDirs.map((dir) => ({ name: `model ${dir}`, ndcg: [] as number[], recall: [] as number[] })),
  ...bundleDirs.slice(1).map((_, i) => ({ name: `sum of the first ${i + 2}`, ndcg: [] as number[], recall: [] as number[] })),
];
for (const q of col.queries) {
  const qrels = col.qrels.get(q.id)!;
  // Each model's returned documents (by id) and log-probabilities, best first.
  const lists: Map<string, number>[] = [];
  for (const engine of engines) {
    const decoded = await engine.decode(q.text, { k: DEPTH, beams: DEPTH });
    lists.push(new Map(decoded.map((d) => [engine.docs[d.docIndex].id, d.score])));
  }
  const record = (row: number, ranked: string[]) => {
    rows[row].ndcg.push(ndcgAtK(ranked, qrels, 10));
    rows[row].recall.push(recallAtK(ranked, qrels, DEPTH));
  };
  lists.forEach((m, i) => record(i, [...m.keys()]));
  for (let n = 2; n <= lists.length; n++) {
    const used = lists.slice(0, n);
    const floor = used.map((m) => (m.size > 0 ? Math.min(...m.values()) - 1 : 0));
    const ids = [...new Set(used.flatMap((m) => [...m.keys()]))];
    const score = (id: string) => used.reduce((a, m, i) => a + (m.get(id) ?? floor[i]), 0) / n;
    record(lists.length + n - 2, ids.map((id) => ({ id, s: score(id) })).sort((a, b) => b.s - a.s).slice(0, DEPTH).map((x) => x.id));
  }
}
console.log(`${col.queries.length} queries of ${collectionDir}`);
for (const r of rows) console.log(`${r.name.padEnd(48)} nDCG@10 ${mean(r.ndcg).toFixed(4)}  Recall@100 ${mean(r.recall).toFixed(4)}`);
for (const e of engines) await e.dispose();
