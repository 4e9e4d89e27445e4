/**
 * An experiment on the fit's held-out queries: inverse-cloze queries (a sentence taken out of its document) instead of
 * text the document still contains. The build's held-out pseudo-queries are copied text, which the lexical index finds
 * almost always (MRR@10 0.92 to 0.95, against 0.55 to 0.65 for real queries), so the fit rarely sees what the model
 * adds. A sentence removed from the document before anything is built from it is related text that neither side has
 * seen: closer to a real query, and fair to both.
 *
 *   node --import tsx bench/ict-fit.ts prepare ../shared/evaldata/cranfield .devexp/ict/cranfield [count]
 *   node bin/geniza.js eval .devexp/ict/cranfield --cache-dir .devexp/ict-build/cranfield --out .devexp/ict/cranfield.json
 *   node --import tsx bench/ict-fit.ts grid .devexp/ict-build/cranfield/bundle .devexp/ict/cranfield .devexp/ict/cranfield.json
 *
 * `prepare` writes the collection with one sentence (or, in text without sentence breaks, a 12-word window) removed
 * from each of `count` sampled documents (default 1,000) and the removed texts in heldout.json. `grid` runs the
 * build's fit with those texts as the queries and prints its grid beside the test-label fusion sweep.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCollection } from '../src/indexer/collection.ts';
import { checkDocs } from '../src/indexer/ingest.ts';
import { DEFAULT_FIT_QUERIES, fitFusion, heldOutQueries, type HeldOutQuery } from '../src/indexer/fit-fusion.ts';
import { DEFAULT_QUERIES_PER_DOC, makeTrainingPairs, sentencesOf } from '../src/indexer/pseudo-queries.ts';
import { readBundle } from '../src/indexer/read-bundle.ts';
import { seededRandom, shuffleInPlace } from '../src/core/seeded-random.ts';
import { wordSpans } from '../src/core/text.ts';

const [mode, ...args] = process.argv.slice(2);
/** Longest query kept (words): the removed sentence is cut to its first words. */
const MAX_QUERY_WORDS = 16;
const WINDOW = 12;

if (mode === 'prepare') {
  const [from, to, countArg] = args;
  const col = await readCollection(from);
  const rng = seededRandom(1234);
  const order = shuffleInPlace([...col.docs.keys()], rng);
  const want = Number(countArg ?? 1000);
  const heldOut: { docIndex: number; id: string; text: string }[] = [];
  const docs = col.docs.map((d) => ({ ...d }));
  for (const i of order) {
    if (heldOut.length >= want) break;
    const d = docs[i];
    const spans = wordSpans(d.text);
    if (spans.length < 40) continue;
    const sentences = sentencesOf(d.text).filter((s) => { const n = wordSpans(s).length; return n >= 5 && n <= 40; });
    let removed: string;
    if (sentencesOf(d.text).length >= 3 && sentences.length > 0) {
      removed = sentences[rng.int(sentences.length)];
    } else {
      const start = rng.int(spans.length - WINDOW + 1);
      removed = d.text.slice(spans[start].start, spans[start + WINDOW - 1].end);
    }
    const at = d.text.indexOf(removed);
    d.text = `${d.text.slice(0, at)} ${d.text.slice(at + removed.length)}`.replace(/\s+/g, ' ').trim();
    const qs = wordSpans(removed);
    const query = qs.length > MAX_QUERY_WORDS ? removed.slice(qs[0].start, qs[MAX_QUERY_WORDS - 1].end) : removed;
    heldOut.push({ docIndex: i, id: d.id, text: query });
  }
  mkdirSync(to, { recursive: true });
  writeFileSync(join(to, 'corpus.jsonl'), docs.map((d) => JSON.stringify({ id: d.id, title: d.untitled ? '' : d.title, text: d.text })).join('\n') + '\n');
  copyFileSync(join(from, 'queries.jsonl'), join(to, 'queries.jsonl'));
  copyFileSync(join(from, 'qrels.tsv'), join(to, 'qrels.tsv'));
  writeFileSync(join(to, 'heldout.json'), JSON.stringify(heldOut, null, 1));
  console.log(`${heldOut.length} texts removed from ${docs.length} documents -> ${to}`);
} else if (mode === 'grid') {
  const [bundleDir, collectionDir, resultsFile] = args;
  const files = await readBundle(bundleDir);
  const col = await readCollection(collectionDir);
  const docs = checkDocs(col.docs.map((d) => ({ ...d })), { allowEmptyText: true });
  const held = JSON.parse(readFileSync(join(collectionDir, 'heldout.json'), 'utf8')) as { docIndex: number; id: string; text: string }[];
  const queries: HeldOutQuery[] = held.map((h) => {
    if (docs[h.docIndex].id !== h.id) throw new Error(`heldout.json does not match the collection at ${h.id}`);
    return { docIndex: h.docIndex, text: h.text, kind: 'sentence' };
  });
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const { SearchEngine } = await import('../workers/engine.ts');
  const engine = await SearchEngine.create(ort, files, { executionProviders: ['wasm'] });
  const fit = await fitFusion(engine, queries);
  // The build's own held-out queries (copied text) on the same bundle, and both sets together.
  const pairs = makeTrainingPairs(docs, { queriesPerDoc: DEFAULT_QUERIES_PER_DOC, seed: files.manifest.training?.seed ?? 42 });
  const copied = heldOutQueries(docs, { count: DEFAULT_FIT_QUERIES, exclude: new Set(pairs.map((p) => p.text)) });
  const fitCopied = await fitFusion(engine, copied);
  const fitBoth = await fitFusion(engine, [...copied, ...queries]);
  await engine.dispose();
  interface SweepPoint { fusion: string; generativeWeight: number; lexicalPrior: number; 'ndcg@10': number }
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { fusionSweep: { lexical: number; points: SweepPoint[] }; ranking: unknown };
  const sweep = results.fusionSweep;
  const test = new Map(sweep.points.map((p) => [`${p.fusion}/${p.generativeWeight}/${p.lexicalPrior}`, p['ndcg@10']]));
  const sign = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
  console.log(`build's own fit: ${JSON.stringify(results.ranking)}; test nDCG@10 lexical ${sweep.lexical.toFixed(4)}`);
  for (const [name, f] of [['inverse-cloze', fit], ['copied', fitCopied], ['both', fitBoth]] as const) {
    const h = f.ranking.heldOut!;
    const chosen = test.get(`${f.ranking.fusion}/${f.ranking.generativeWeight}/${f.ranking.lexicalPrior}`);
    console.log(`${name} fit (${h.queries} queries): ${f.ranking.fusion}, weight ${f.ranking.generativeWeight}, prior ${f.ranking.lexicalPrior}; MRR@10 lexical ${h.mrr.lexical.toFixed(3)}, generative ${h.mrr.generative.toFixed(3)}, hybrid ${h.mrr.hybrid.toFixed(3)}; chosen point's test nDCG@10 ${chosen === undefined ? sweep.lexical.toFixed(4) : chosen.toFixed(4)}`);
  }
  for (const [name, f] of [['inverse-cloze', fit], ['both', fitBoth]] as const) {
  const h = f.ranking.heldOut!.mrr;
  console.log(`difference from the lexical ranking, ${name} MRR@10 / test nDCG@10:`);
  for (const fusion of ['rrf', 'linear']) {
    for (const prior of [...new Set(fit.grid.map((p) => p.lexicalPrior))]) {
      const row = f.grid.filter((p) => p.fusion === fusion && p.lexicalPrior === prior && p.generativeWeight > 0).map((p) => {
        const t = test.get(`${fusion}/${p.generativeWeight}/${prior}`);
        return `${p.generativeWeight}: ${sign(p.mrr - h.lexical)} / ${t === undefined ? '-' : sign(t - sweep.lexical)}`;
      });
      console.log(`  ${fusion}, prior ${prior}: ${row.join('  ')}`);
    }
  }
  }
} else {
  console.error('usage: bench/ict-fit.ts prepare <collection> <out-dir> [count] | grid <bundle> <prepared-collection> <eval-results.json>');
  process.exit(2);
}
