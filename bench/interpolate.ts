/**
 * Research tool, not part of the product: does a model between the warm start and the trained weights retrieve
 * better on real queries than the trained model itself? (Weight interpolation, as in WiSE-FT: the warm start is a
 * "zero-shot" retriever from corpus statistics, the pseudo-queries are a shifted distribution.) Trains one default
 * model (one pass, atomic docids, warm start) exactly as `geniza build` does, keeps its weights in a cache file,
 * then for each a exports theta = start + a (trained - start) to int8 ONNX and ranks the collection's queries with
 * the model alone through the engine (k 100, beam 100), printing nDCG@10, MRR@10 and Recall@100 per a.
 *
 *   node --import tsx bench/interpolate.ts ../shared/evaldata/cranfield 0,0.25,0.5,0.75,1,1.25 [seed] [cacheDir]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { evaluateRun } from '../src/core/metrics.ts';
import { encodeTrie } from '../src/core/trie.ts';
import { encodePairs, learnTokenizer, modelConfigFor, storedDocs, warmStartInput } from '../src/indexer/build.ts';
import { serializeBundle, type BundleParts } from '../src/indexer/bundle.ts';
import { readCollection } from '../src/indexer/collection.ts';
import { DEFAULT_SETTINGS } from '../src/indexer/config.ts';
import { atomicDocids } from '../src/indexer/docids.ts';
import { checkDocs } from '../src/indexer/ingest.ts';
import { makeTrainingPairs } from '../src/indexer/pseudo-queries.ts';
import type { ModelParams } from '../src/model/config.ts';
import { exportOnnx } from '../src/model/onnx-export.ts';
import { trainModel } from '../src/model/train.ts';
import { warmStartParams } from '../src/model/warm-start.ts';

const [dir, alphasArg = '0,0.5,1', seedArg = '42', cacheDir = '.cache/interpolate'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node --import tsx bench/interpolate.ts <collection> [a,a,...] [seed] [cacheDir]');
  process.exit(2);
}
const seed = Number(seedArg);
const alphas = alphasArg.split(',').map(Number);
const col = await readCollection(dir);
const docs = checkDocs(col.docs.map((d) => ({ ...d })), { allowEmptyText: true });
const s = DEFAULT_SETTINGS;
const tokenizer = learnTokenizer(docs, s.vocabSize);
const docids = atomicDocids(docs.length);
const config = modelConfigFor(s, tokenizer.vocabSize, docids);
const start = warmStartParams(config, warmStartInput(docs, tokenizer, docids), seed);
const names = Object.keys(start);

/** The trained weights: from the cache, or trained now (the build's defaults) and cached. */
async function trained(): Promise<ModelParams> {
  const file = join(cacheDir, `${basename(dir)}-seed${seed}.f32`);
  const out: ModelParams = {};
  if (existsSync(file)) {
    const flat = new Float32Array(new Uint8Array(readFileSync(file)).buffer);
    let o = 0;
    for (const n of names) {
      out[n] = { shape: start[n].shape, data: flat.slice(o, o + start[n].data.length) };
      o += start[n].data.length;
    }
    return out;
  }
  const pairs = makeTrainingPairs(docs, { queriesPerDoc: s.queriesPerDoc, seed });
  const data = encodePairs(pairs, tokenizer, docids, config.maxSrcLen);
  const res = await trainModel(data, {
    config, seed, init: start, epochs: s.epochs, timeBudgetSec: s.timeBudget,
  });
  console.log(`trained ${res.steps} steps, ${res.examples} examples in ${res.seconds.toFixed(0)} s`);
  mkdirSync(cacheDir, { recursive: true });
  const flat = new Float32Array(names.reduce((a, n) => a + start[n].data.length, 0));
  let o = 0;
  for (const n of names) {
    flat.set(res.params[n].data, o);
    o += res.params[n].data.length;
  }
  writeFileSync(file, flat);
  return res.params;
}

const end = await trained();
const ort = await import('onnxruntime-web');
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
const { SearchEngine } = await import('../workers/engine.ts');
for (const a of alphas) {
  const mixed: ModelParams = {};
  for (const n of names) {
    const s0 = start[n].data;
    mixed[n] = { shape: start[n].shape, data: end[n].data.map((x, k) => s0[k] + a * (x - s0[k])) };
  }
  const onnx = exportOnnx(mixed, config, { quantize: true });
  const parts: BundleParts = {
    docs: storedDocs(docs), tokenizer: tokenizer.toJSON(), trie: encodeTrie(docids.tokens), encoder: onnx.encoder, decoder: onnx.decoder,
    model: config, docids: { scheme: 'atomic', branching: docids.branching, maxLength: docids.maxLength }, generator: 'bench/interpolate',
  };
  const { files, manifest } = serializeBundle(parts);
  const engine = await SearchEngine.create(ort, { ...files, manifest, docs: parts.docs }, { executionProviders: ['wasm'] });
  const run = new Map<string, string[]>();
  for (const q of col.queries) {
    const res = await engine.search(q.text, { k: 100, beams: 100, mode: 'generative', requireTermMatch: false });
    run.set(q.id, res.hits.map((h) => h.id));
  }
  await engine.dispose();
  const m = evaluateRun(run, col.qrels);
  console.log(JSON.stringify({ collection: basename(dir), seed, a, 'ndcg@10': +m.ndcg.toFixed(4), 'mrr@10': +m.mrr.toFixed(4), 'recall@100': +m.recall.toFixed(4) }));
}
