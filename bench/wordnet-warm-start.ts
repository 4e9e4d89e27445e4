/**
 * Research tool, not part of the product: would general-English knowledge from WordNet make the warm start's token
 * vectors better? The warm start factors the corpus's token x document TF-IDF matrix (src/model/warm-start.ts).
 * Here every WordNet synset becomes one more column (its words, its gloss and the words of the synsets it points
 * to: hypernyms, similar, pertainyms, derivations, see-also, members), tokenized by the corpus's tokenizer and
 * weighted by the corpus idf times `a`. Measured before any training, the way the untrained model ranks: the
 * cosine between the mean of a query's normalized token vectors and each document's TF-IDF-weighted mean;
 * nDCG@10 and Recall@100 per `a` (a = 0 is the shipped warm start).
 *
 * Needs Debian's wordnet-base package (WordNet 3.0 in /usr/share/wordnet; `apt-get install wordnet-base`).
 *
 *   node --import tsx bench/wordnet-warm-start.ts ../shared/evaldata/cranfield 0,0.1,0.3,1
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { evaluateRun } from '../src/core/metrics.ts';
import { truncatedSvd, type CsrMatrix } from '../src/core/svd.ts';
import { learnTokenizer, warmStartInput } from '../src/indexer/build.ts';
import { readCollection } from '../src/indexer/collection.ts';
import { DEFAULT_MODEL } from '../src/model/config.ts';
import { DEFAULT_SETTINGS } from '../src/indexer/config.ts';
import { atomicDocids } from '../src/indexer/docids.ts';
import { checkDocs } from '../src/indexer/ingest.ts';

const WORDNET = '/usr/share/wordnet';
const POINTERS = new Set(['@', '@i', '&', '\\', '+', '=', '^', '#m', '%m']);
const [dir, alphasArg = '0,0.1,0.3'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node --import tsx bench/wordnet-warm-start.ts <collection> [a,a,...]');
  process.exit(2);
}
const col = await readCollection(dir);
const docs = checkDocs(col.docs.map((d) => ({ ...d })), { allowEmptyText: true });
const tok = learnTokenizer(docs, DEFAULT_SETTINGS.vocabSize);
const V = tok.vocabSize;
const D = DEFAULT_MODEL.dModel;
const docTokens = warmStartInput(docs, tok, atomicDocids(docs.length)).docTokens;

/** Synsets of WordNet's data files: "words ; gloss ; words of the synsets it points to". */
function synsetTexts(): string[] {
  const syns = new Map<string, { lemmas: string; gloss: string; ptrs: string[] }>();
  const key = (pos: string, off: string) => `${pos === 's' ? 'a' : pos}${off}`;
  for (const file of ['noun', 'verb', 'adj', 'adv']) {
    for (const line of readFileSync(`${WORDNET}/data.${file}`, 'latin1').split('\n')) {
      if (!line || line.startsWith('  ')) continue; // licence header
      const bar = line.indexOf(' | ');
      const f = line.slice(0, bar < 0 ? undefined : bar).trim().split(' ');
      const gloss = bar < 0 ? '' : line.slice(bar + 3).split(/;\s*"/)[0]!;
      const lemmas: string[] = [];
      let i = 4;
      for (let k = 0; k < parseInt(f[3]!, 16); k++, i += 2) lemmas.push(f[i]!.replace(/\(.*\)$/, '').replace(/_/g, ' '));
      const ptrs: string[] = [];
      const count = parseInt(f[i]!, 10);
      i++;
      for (let k = 0; k < count; k++, i += 4) if (POINTERS.has(f[i]!)) ptrs.push(key(f[i + 2]!, f[i + 1]!));
      syns.set(key(f[2]!, f[0]!), { lemmas: lemmas.join(' , '), gloss, ptrs });
    }
  }
  return [...syns.values()].map((s) => `${s.lemmas} ; ${s.gloss} ; ${s.ptrs.map((k) => syns.get(k)?.lemmas ?? '').join(' , ')}`);
}

const tfOf = (toks: readonly number[]): Map<number, number> => {
  const tf = new Map<number, number>();
  for (const t of toks) if (t >= 2 && t < V) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
};
const perDoc = docTokens.map(tfOf);
const df = new Float64Array(V);
for (const tf of perDoc) for (const t of tf.keys()) df[t]++;
const n = docs.length;
const idf = Float64Array.from(df, (x) => Math.log((n + 1) / (x + 1)) + 1);
const perSyn = synsetTexts().map((t) => tfOf(tok.encode(t)));
console.log(`${basename(dir)}: ${n} documents, vocabulary ${V}, ${perSyn.length} WordNet synsets as extra columns`);

/** Unit token vectors (rows of corpus tokens only) from the corpus columns plus `alpha` times the synset columns. */
function tokenVectors(alpha: number): Float32Array {
  const cols = alpha > 0 ? [...perDoc, ...perSyn] : perDoc;
  const indptr = new Int32Array(V + 1);
  for (const tf of cols) for (const t of tf.keys()) indptr[t + 1]++;
  for (let t = 0; t < V; t++) indptr[t + 1] += indptr[t]!;
  const fill = indptr.slice(0, V);
  const indices = new Int32Array(indptr[V]!);
  const values = new Float32Array(indptr[V]!);
  cols.forEach((tf, c) => {
    const w = c < n ? 1 : alpha;
    for (const [t, k] of tf) {
      indices[fill[t]!] = c;
      values[fill[t]!++] = w * (1 + Math.log(k)) * idf[t]!;
    }
  });
  const m: CsrMatrix = { rows: V, cols: cols.length, indptr, indices, values };
  const svd = truncatedSvd(m, D, { seed: 42, powerIterations: 3 });
  const out = new Float32Array(V * D);
  for (let t = 0; t < V; t++) {
    if (df[t] === 0) continue; // as in the warm start, a token the corpus never uses gets no vector
    let norm = 0;
    for (let k = 0; k < svd.rank; k++) {
      const v = svd.u[t * svd.rank + k]! * Math.sqrt(svd.s[k]!);
      out[t * D + k] = v;
      norm += v * v;
    }
    if (norm > 0) for (let k = 0; k < D; k++) out[t * D + k]! /= Math.sqrt(norm);
  }
  return out;
}

/** Centred, unit-length copy of one vector (the warm start's LayerNorm, then normalization). */
function unitCentred(v: Float32Array): Float64Array {
  let mean = 0;
  for (const x of v) mean += x;
  mean /= v.length;
  const u = Float64Array.from(v, (x) => x - mean);
  let norm = 0;
  for (const x of u) norm += x * x;
  if (norm > 0) for (let k = 0; k < u.length; k++) u[k]! /= Math.sqrt(norm);
  return u;
}

/** The untrained model's ranking under these token vectors: nDCG@10 and Recall@100 on the test queries. */
function evaluate(vec: Float32Array): { 'ndcg@10': number; 'recall@100': number } {
  const unit = Array.from({ length: V }, (_, t) => unitCentred(vec.subarray(t * D, t * D + D)));
  const rows = perDoc.map((tf) => {
    const acc = new Float64Array(D);
    for (const [t, c] of tf) {
      const w = (1 + Math.log(c)) * idf[t]!;
      for (let k = 0; k < D; k++) acc[k]! += w * unit[t]![k]!;
    }
    let norm = 0;
    for (const x of acc) norm += x * x;
    return acc.map((x) => x / Math.sqrt(norm || 1));
  });
  const run = new Map<string, string[]>();
  for (const q of col.queries) {
    const acc = new Float64Array(D);
    for (const t of tok.encode(q.text)) if (t >= 2) for (let k = 0; k < D; k++) acc[k]! += unit[t]![k]!;
    const scored = rows.map((r, i) => {
      let s = 0;
      for (let k = 0; k < D; k++) s += r[k]! * acc[k]!;
      return [s, i] as const;
    });
    scored.sort((a, b) => b[0] - a[0]);
    run.set(q.id, scored.slice(0, 100).map(([, i]) => docs[i]!.id));
  }
  const m = evaluateRun(run, col.qrels);
  return { 'ndcg@10': +m.ndcg.toFixed(4), 'recall@100': +m.recall.toFixed(4) };
}

for (const a of alphasArg.split(',').map(Number)) {
  const t0 = Date.now();
  console.log(JSON.stringify({ collection: basename(dir), a, ...evaluate(tokenVectors(a)), seconds: Math.round((Date.now() - t0) / 1000) }));
}
