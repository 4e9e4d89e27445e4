/**
 * Writes what a default build trains on for one BEIR-form collection, for the PyTorch mirror of the trainer
 * (bench/gpu/mirror.py, run on a lent GPU machine): the pseudo-query pairs as token ids (with their generator),
 * the warm-start parameters, the judged queries with their judgments and the lexical index's top 100, and the
 * fit stage's held-out pseudo-queries. Gzipped raw arrays plus meta.json (shapes, dtypes, model config).
 * Not part of the product: a research tool (README.md beside this file).
 *
 *   node --import tsx bench/gpu/dump.ts ../shared/evaldata/cranfield .cache/gpu/cranfield [queriesPerDoc]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { readCollection } from '../../src/indexer/collection.ts';
import { checkDocs } from '../../src/indexer/ingest.ts';
import { learnTokenizer, encodePairs, modelConfigFor, storedDocs, warmStartInput } from '../../src/indexer/build.ts';
import { atomicDocids } from '../../src/indexer/docids.ts';
import { DEFAULT_QUERIES_PER_DOC, makeTrainingPairs } from '../../src/indexer/pseudo-queries.ts';
import { warmStartParams } from '../../src/model/warm-start.ts';
import { DEFAULT_SETTINGS } from '../../src/indexer/config.ts';
import { buildLexical } from '../../workers/lexical-source.ts';
import { heldOutQueries } from '../../src/indexer/fit-fusion.ts';

const [dir, out, qpdArg] = process.argv.slice(2);
const qpd = Number(qpdArg ?? DEFAULT_QUERIES_PER_DOC);
mkdirSync(out, { recursive: true });
const col = await readCollection(dir);
const docs = checkDocs(col.docs.map((d) => ({ ...d })), { allowEmptyText: true });
const s = DEFAULT_SETTINGS;
const tokenizer = learnTokenizer(docs, s.vocabSize);
const docids = atomicDocids(docs.length);
const pairs = makeTrainingPairs(docs, { queriesPerDoc: qpd, seed: s.seed });
const config = modelConfigFor(s, tokenizer.vocabSize, docids);
const S = config.maxSrcLen;
const meta: Record<string, unknown> = { config, nDocs: docs.length, qpd };
const put = (name: string, arr: ArrayBufferView, dtype: string, shape: number[]) => {
  writeFileSync(join(out, `${name}.gz`), gzipSync(Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength)));
  (meta.arrays ??= {} as Record<string, unknown>);
  (meta.arrays as Record<string, unknown>)[name] = { dtype, shape };
};
// Training pairs (all, with kinds), token ids as uint16.
const kinds = [...new Set(pairs.map((p) => p.kind))];
meta.kinds = kinds;
const data = encodePairs(pairs, tokenizer, docids, S);
// encodePairs drops all-padding pairs; recompute kind/doc per kept pair.
const keptKind: number[] = [];
const keptDoc: number[] = [];
for (const p of pairs) {
  const ids = tokenizer.encodePadded(p.text, S);
  if (!ids.some((x) => x !== 0)) continue;
  keptKind.push(kinds.indexOf(p.kind));
  keptDoc.push(p.docIndex);
}
if (keptDoc.length !== data.n) throw new Error('mismatch');
put('src', Uint16Array.from(data.src), 'uint16', [data.n, S]);
put('tgt', Int32Array.from(data.tgt), 'int32', [data.n]);
put('doc', Int32Array.from(keptDoc), 'int32', [data.n]);
put('kind', Uint8Array.from(keptKind), 'uint8', [data.n]);
// Warm start.
const wsIn = warmStartInput(docs, tokenizer, docids);
const init = warmStartParams(config, wsIn, s.seed);
const pnames = Object.keys(init);
meta.params = pnames.map((n) => ({ name: n, shape: init[n].shape }));
const total = pnames.reduce((a, n) => a + init[n].data.length, 0);
const flat = new Float32Array(total);
let o = 0;
for (const n of pnames) { flat.set(init[n].data, o); o += init[n].data.length; }
put('params', flat, 'float32', [total]);
// Document token ids (title and text, as the warm start reads them), flattened with offsets: for token-level
// teachers (BM25) in the mirror.
const dOff = new Int32Array(docs.length + 1);
wsIn.docTokens.forEach((t, i) => { dOff[i + 1] = dOff[i] + t.length; });
const dTok = new Uint16Array(dOff[docs.length]);
wsIn.docTokens.forEach((t, i) => dTok.set(t, dOff[i]));
put('dtok', dTok, 'uint16', [dTok.length]);
put('doff', dOff, 'int32', [dOff.length]);
// Test queries, qrels, lexical top-100.
const docIndex = new Map(docs.map((d, i) => [d.id, i]));
const lexical = buildLexical(storedDocs(docs));
const K = 100;
const qsrc = new Uint16Array(col.queries.length * S);
const lexDocs = new Int32Array(col.queries.length * K).fill(-1);
const lexScores = new Float32Array(col.queries.length * K);
const qrels: [number, number, number][] = [];
col.queries.forEach((q, i) => {
  qsrc.set(tokenizer.encodePadded(q.text, S), i * S);
  const hits = lexical.search(q.text, { k: K });
  hits.forEach((h, r) => { lexDocs[i * K + r] = h.docIndex; lexScores[i * K + r] = h.score; });
  for (const [d, g] of col.qrels.get(q.id) ?? []) {
    const di = docIndex.get(d);
    if (di !== undefined) qrels.push([i, di, g]);
  }
});
put('qsrc', qsrc, 'uint16', [col.queries.length, S]);
put('lexdocs', lexDocs, 'int32', [col.queries.length, K]);
put('lexscores', lexScores, 'float32', [col.queries.length, K]);
put('qrels', Int32Array.from(qrels.flat()), 'int32', [qrels.length, 3]);
// Held-out pseudo-queries (the fit set) with their source document.
const held = heldOutQueries(docs, { count: 300, exclude: new Set(pairs.map((p) => p.text)) });
meta.heldOut = held.length;
const hsrc = new Uint16Array(held.length * S);
const hdoc = new Int32Array(held.length);
const hlexDocs = new Int32Array(held.length * K).fill(-1);
const hlexScores = new Float32Array(held.length * K);
held.forEach((q, i) => {
  hsrc.set(tokenizer.encodePadded(q.text, S), i * S);
  hdoc[i] = q.docIndex;
  lexical.search(q.text, { k: K }).forEach((x, r) => { hlexDocs[i * K + r] = x.docIndex; hlexScores[i * K + r] = x.score; });
});
put('hsrc', hsrc, 'uint16', [held.length, S]);
put('hdoc', hdoc, 'int32', [held.length]);
put('hlexdocs', hlexDocs, 'int32', [held.length, K]);
put('hlexscores', hlexScores, 'float32', [held.length, K]);
writeFileSync(join(out, 'meta.json'), JSON.stringify(meta, null, 1));
console.log(`${dir}: ${docs.length} docs, ${data.n} pairs, ${col.queries.length} queries, ${qrels.length} qrels, vocab ${tokenizer.vocabSize}`);
