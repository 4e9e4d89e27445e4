/**
 * Which held-out queries should the fit use? Re-runs the build's fit on a bench bundle with several query sets and
 * prints, for each, the ranking it chooses and that ranking's nDCG@10 on the test judgments (from the bench results'
 * fusion sweep). Diagnostic only; the build never sees test labels. The bundle must have been built with the
 * removed-sentence (cloze) fit, as `npm run bench` builds it now, so that the sentences are reconstructed exactly.
 *
 *   node --import tsx bench/fit-queries.ts .cache/eval/scifact/bundle ../shared/evaldata/scifact bench/results/scifact.json
 *
 * Sets: `cloze` (what the build uses: each removed sentence cut to its 2 to 5 most specific words), `cloze-sentence`
 * (the removed sentence itself, up to 16 words: what the build used first), `copied` (held-out pseudo-queries: text
 * the documents contain), `cloze+copied`.
 */
import { readFileSync } from 'node:fs';
import { readCollection } from '../src/indexer/collection.ts';
import { checkDocs } from '../src/indexer/ingest.ts';
import { storedDocs } from '../src/indexer/build.ts';
import { DEFAULT_FIT_QUERIES, clozeCount, clozeQueries, fitFusion, heldOutQueries, type HeldOutQuery } from '../src/indexer/fit-fusion.ts';
import { DEFAULT_QUERIES_PER_DOC, makeTrainingPairs } from '../src/indexer/pseudo-queries.ts';
import { readBundle } from '../src/indexer/read-bundle.ts';
import { wordSpans } from '../src/core/text.ts';

const [bundleDir, collectionDir, resultsFile] = process.argv.slice(2);
if (!bundleDir || !collectionDir || !resultsFile) {
  console.error('usage: node --import tsx bench/fit-queries.ts <bundle-dir> <collection-dir> <bench/results/<c>.json>');
  process.exit(2);
}
const files = await readBundle(bundleDir);
const col = await readCollection(collectionDir);
const docs = checkDocs(col.docs.map((d) => ({ ...d })), { allowEmptyText: true });
const cloze = clozeQueries(docs, { count: clozeCount(docs.length) });
const seed = files.manifest.training?.seed ?? 42;
const pairs = makeTrainingPairs(cloze.learnDocs, { queriesPerDoc: DEFAULT_QUERIES_PER_DOC, seed });
const copied = heldOutQueries(cloze.learnDocs, { count: DEFAULT_FIT_QUERIES, exclude: new Set(pairs.map((p) => p.text)) });

/** The first 16 words of a text. */
const first16 = (text: string): string => {
  const spans = wordSpans(text);
  return spans.length > 16 ? text.slice(spans[0].start, spans[15].end) : text;
};
const sets: [string, HeldOutQuery[]][] = [
  ['cloze', cloze.queries],
  ['cloze-sentence', cloze.queries.map((q, i) => ({ ...q, text: first16(cloze.removed[i]).replace(/\s+/g, ' ') }))],
  ['copied', copied],
  ['cloze+copied', [...cloze.queries, ...copied]],
];

const ort = await import('onnxruntime-web');
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
const { SearchEngine } = await import('../workers/engine.ts');
// The fit's lexical index holds the documents as the model learnt them: without the removed sentences.
const engine = await SearchEngine.create(ort, { ...files, docs: storedDocs(cloze.learnDocs) }, { executionProviders: ['wasm'] });

interface SweepPoint { fusion: string; generativeWeight: number; lexicalPrior: number; 'ndcg@10': number }
const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { fusionSweep: { lexical: number; best: SweepPoint; points: SweepPoint[] }; ranking: unknown };
const sweep = results.fusionSweep;
const test = new Map(sweep.points.map((p) => [`${p.fusion}/${p.generativeWeight}/${p.lexicalPrior}`, p['ndcg@10']]));
console.log(`bundle's ranking: ${JSON.stringify(results.ranking)}`);
console.log(`test nDCG@10: lexical ${sweep.lexical.toFixed(4)}, best fusion point ${sweep.best['ndcg@10'].toFixed(4)} (${sweep.best.fusion} ${sweep.best.generativeWeight} prior ${sweep.best.lexicalPrior})`);
for (const [name, queries] of sets) {
  const fit = await fitFusion(engine, queries);
  const r = fit.ranking;
  const h = r.heldOut!.mrr;
  const t = r.generativeWeight === 0 ? sweep.lexical : test.get(`${r.fusion}/${r.generativeWeight}/${r.lexicalPrior}`);
  console.log(`${name.padEnd(14)} ${String(queries.length).padStart(5)} queries, e.g. "${queries[0]?.text}"`);
  console.log(`${''.padEnd(14)} MRR@10 lexical ${h.lexical.toFixed(3)}, generative ${h.generative.toFixed(3)}, hybrid ${h.hybrid.toFixed(3)}; chooses ${r.fusion} ${r.generativeWeight} prior ${r.lexicalPrior}: test nDCG@10 ${t?.toFixed(4) ?? '-'}`);
}
await engine.dispose();
