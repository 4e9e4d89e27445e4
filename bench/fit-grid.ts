/**
 * The build's fit stage re-run on a built bundle of a BEIR-form collection, printing its held-out grid next to the
 * test-label fusion sweep of the collection's bench results: shows where the held-out pseudo-queries and the real
 * queries disagree about the generative weight. Diagnostic only; the build never sees test labels.
 *
 *   node --import tsx bench/fit-grid.ts .cache/eval/scifact/bundle ../shared/evaldata/scifact bench/results/scifact.json [queries] [drop]
 *
 * `queries`: how many held-out pseudo-queries (default the build's, DEFAULT_FIT_QUERIES).
 * `drop`: an experiment (default 0): remove this share of each held-out query's words, its most specific ones (highest
 * idf in the corpus), keeping at least 2 words, so that the queries share fewer rare terms with their document, as
 * real queries often do.
 */
import { readFileSync } from 'node:fs';
import { readCollection } from '../src/indexer/collection.ts';
import { checkDocs } from '../src/indexer/ingest.ts';
import { DEFAULT_QUERIES_PER_DOC, makeTrainingPairs } from '../src/indexer/pseudo-queries.ts';
import { DEFAULT_FIT_QUERIES, corpusDocumentFrequency, fitFusion, heldOutQueries, mostSpecific } from '../src/indexer/fit-fusion.ts';
import { readBundle } from '../src/indexer/read-bundle.ts';
import { wordSpans } from '../src/core/text.ts';

const [bundleDir, collectionDir, resultsFile, countArg, dropArg] = process.argv.slice(2);
if (!bundleDir || !collectionDir || !resultsFile) {
  console.error('usage: node --import tsx bench/fit-grid.ts <bundle-dir> <collection-dir> <bench/results/<c>.json>');
  process.exit(2);
}
const files = await readBundle(bundleDir);
const col = await readCollection(collectionDir);
const docs = checkDocs(col.docs.map((d) => ({ ...d })), { allowEmptyText: true });
// The held-out queries exclude the training texts, as in the build (its seed and queries per document).
const seed = files.manifest.training?.seed ?? 42;
const perDoc = DEFAULT_QUERIES_PER_DOC; // what the bench's builds used
const pairs = makeTrainingPairs(docs, { queriesPerDoc: perDoc, seed });
const drop = Number(dropArg ?? 0);
const df = corpusDocumentFrequency(docs);
/** The query without its `drop` share of most specific words (highest idf), at least 2 words kept. */
const withoutSpecific = (text: string): string => {
  const spans = wordSpans(text);
  const n = Math.floor(spans.length * drop);
  if (n === 0 || spans.length - n < 2) return text;
  const gone = mostSpecific(spans, df, n);
  return spans.filter((_, i) => !gone.has(i)).map((s) => text.slice(s.start, s.end)).join(' ');
};
const queries = heldOutQueries(docs, { count: Number(countArg ?? DEFAULT_FIT_QUERIES), exclude: new Set(pairs.map((p) => p.text)) })
  .map((q) => (drop > 0 ? { ...q, text: withoutSpecific(q.text) } : q));
const ort = await import('onnxruntime-web');
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
const { SearchEngine } = await import('../workers/engine.ts');
const engine = await SearchEngine.create(ort, files, { executionProviders: ['wasm'] });
const fit = await fitFusion(engine, queries);
await engine.dispose();

interface SweepPoint { fusion: string; generativeWeight: number; lexicalPrior: number; 'ndcg@10': number }
const sweep = (JSON.parse(readFileSync(resultsFile, 'utf8')) as { fusionSweep: { lexical: number; points: SweepPoint[] } }).fusionSweep;
const test = new Map(sweep.points.map((p) => [`${p.fusion}/${p.generativeWeight}/${p.lexicalPrior}`, p['ndcg@10']]));
const lex = fit.ranking.heldOut!.mrr.lexical;
const sign = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
console.log(`fitted: ${fit.ranking.fusion}, weight ${fit.ranking.generativeWeight}, prior ${fit.ranking.lexicalPrior}; held-out MRR@10 lexical ${lex.toFixed(3)}, test nDCG@10 lexical ${sweep.lexical.toFixed(3)}`);
console.log('difference from the lexical ranking, held-out MRR@10 / test nDCG@10:');
for (const fusion of ['rrf', 'linear']) {
  for (const prior of [...new Set(fit.grid.map((p) => p.lexicalPrior))]) {
    const row = fit.grid.filter((p) => p.fusion === fusion && p.lexicalPrior === prior && p.generativeWeight > 0).map((p) => {
      const t = test.get(`${fusion}/${p.generativeWeight}/${prior}`);
      return `${p.generativeWeight}: ${sign(p.mrr - lex)} / ${t === undefined ? '-' : sign(t - sweep.lexical)}`;
    });
    console.log(`  ${fusion}, prior ${prior}: ${row.join('  ')}`);
  }
}
