/**
 * Research tool, not part of the product: how much better could a query-time change make the rankings of one built
 * bundle, before any retraining? Two diagnostics on a BEIR-form collection (test judgments; the build never sees them):
 *
 * 1. Query variants for the model (depth 100, beam 100, as the bench measures quality): the query with each word left
 *    out in turn (log-probabilities averaged with the query's own), and feedback, where the first 40 words of the
 *    model's own (or the lexical side's) m best documents are decoded as queries and their log-probabilities added
 *    with weight b. Printed for the model alone and for the hybrid (the bundle's fitted ranking, fused as the engine
 *    does).
 * 2. Fusion families (as the page searches: k 10, beam 10): for the shipped grid (the lexical ranking and
 *    FIT_FUSIONS x FIT_WEIGHTS x FIT_PRIORS), the linear fusion the fit leaves out, and wider families (linear with a
 *    temperature on the posterior, RRF with another constant, log-linear = normalized lexical score + beta x
 *    log-probability, RRF whose weight follows the model's confidence, the overlap of the two sides' first 10 or the
 *    lexical side's second score over its first), the best point on the test judgments, and the point the build's
 *    fit would choose on its held-out removed sentences (arg max of MRR@10, rebuilt exactly as in the build) with its
 *    test nDCG@10. Plus the per-query oracle over the shipped grid (the best weight for each query: an upper bound
 *    no fit reaches).
 *
 *   node --import tsx bench/headroom.ts ../shared/evaldata/scifact .cache/eval/scifact/bundle
 */
import { readCollection } from '../src/indexer/collection.ts';
import { checkDocs } from '../src/indexer/ingest.ts';
import { storedDocs } from '../src/indexer/build.ts';
import { FIT_FUSIONS, FIT_PRIORS, FIT_WEIGHTS, clozeCount, clozeQueries, reciprocalRank } from '../src/indexer/fit-fusion.ts';
import { readBundle } from '../src/indexer/read-bundle.ts';
import { mean, ndcgAtK, recallAtK } from '../src/core/metrics.ts';
import { RRF_K, fuse, posteriors, type ScoredDoc } from '../src/core/fusion.ts';
import { wordSpans } from '../src/core/text.ts';

const [collectionDir, bundleDir] = process.argv.slice(2);
if (!collectionDir || !bundleDir) {
  console.error('usage: node --import tsx bench/headroom.ts <collection-dir> <bundle-dir>');
  process.exit(2);
}
const DEPTH = 100;
const PAGE = 10;
const col = await readCollection(collectionDir);
const files = await readBundle(bundleDir);
const ort = await import('onnxruntime-web');
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
const { SearchEngine } = await import('../workers/engine.ts');
type Engine = Awaited<ReturnType<typeof SearchEngine.create>>;
const engine = await SearchEngine.create(ort, files, { executionProviders: ['wasm'] });
const ranking = engine.ranking;
const idsOf = (e: Engine, r: readonly ScoredDoc[]) => r.map((d) => e.docs[d.docIndex]!.id);
const byScore = (m: Map<number, number>, k: number): ScoredDoc[] =>
  [...m].map(([docIndex, score]) => ({ docIndex, score })).sort((a, b) => b.score - a.score || a.docIndex - b.docIndex).slice(0, k);

/** Weighted sum of log-probability lists; a document missing from a list gets that list's lowest score minus 1. */
function sumLists(lists: readonly ScoredDoc[][], weights: readonly number[], k: number): ScoredDoc[] {
  const floors = lists.map((l) => (l.length > 0 ? l[l.length - 1]!.score - 1 : 0));
  const maps = lists.map((l) => new Map(l.map((d) => [d.docIndex, d.score])));
  const all = new Map<number, number>();
  for (const l of lists) for (const d of l) all.set(d.docIndex, 0);
  for (const doc of all.keys()) all.set(doc, maps.reduce((a, m, i) => a + weights[i]! * (m.get(doc) ?? floors[i]!), 0));
  return byScore(all, k);
}

/** The first `n` words of a document (title first), as a query. */
function docAsQuery(e: Engine, docIndex: number, n = 40): string {
  const d = e.docs[docIndex]!;
  const text = `${d.title ?? ''} ${d.text}`;
  const spans = wordSpans(text).slice(0, n);
  return spans.length > 0 ? text.slice(spans[0]!.start, spans[spans.length - 1]!.end) : text;
}

// 1. Query variants and feedback (depth 100).
const rows = new Map<string, { ndcg: number[]; recall: number[] }>();
function record(name: string, ranked: readonly ScoredDoc[], qrels: Map<string, number>): void {
  let r = rows.get(name);
  if (!r) rows.set(name, (r = { ndcg: [], recall: [] }));
  const ids = idsOf(engine, ranked);
  r.ndcg.push(ndcgAtK(ids, qrels, 10));
  r.recall.push(recallAtK(ids, qrels, DEPTH));
}
const decode = async (text: string, prior: number) => (await engine.decode(text, { k: DEPTH, beams: DEPTH, lexicalPrior: prior }))
  .map((d) => ({ docIndex: d.docIndex, score: d.score }));
const FEEDBACK_DOCS = [1, 3, 5];
const FEEDBACK_WEIGHTS = [0.5, 1, 2];
for (const q of col.queries) {
  const qrels = col.qrels.get(q.id)!;
  const lex = engine.lexicalSearch(q.text, { k: DEPTH });
  const model = await decode(q.text, 0);
  const guided = await decode(q.text, ranking.lexicalPrior);
  const hybrid = (gen: ScoredDoc[]) => fuse(lex, gen, ranking, DEPTH);
  record('lexical', lex, qrels);
  record('model', model, qrels);
  record('hybrid', hybrid(guided), qrels);
  const spans = wordSpans(q.text);
  const drops: ScoredDoc[][] = [];
  const dropsGuided: ScoredDoc[][] = [];
  if (spans.length >= 3) {
    for (let i = 0; i < Math.min(spans.length, 16); i++) {
      const t = spans.filter((_, j) => j !== i).map((s) => q.text.slice(s.start, s.end)).join(' ');
      drops.push(await decode(t, 0));
      dropsGuided.push(await decode(t, ranking.lexicalPrior));
    }
  }
  const dropWeights = [1, ...drops.map(() => 1 / Math.max(1, drops.length))];
  record('model, words left out', sumLists([model, ...drops], dropWeights, DEPTH), qrels);
  record('hybrid, words left out', hybrid(sumLists([guided, ...dropsGuided], dropWeights, DEPTH)), qrels);
  for (const m of FEEDBACK_DOCS) {
    const self: ScoredDoc[][] = [];
    for (const d of model.slice(0, m)) self.push(await decode(docAsQuery(engine, d.docIndex), 0));
    const fromLex: ScoredDoc[][] = [];
    for (const d of lex.slice(0, m)) fromLex.push(await decode(docAsQuery(engine, d.docIndex), 0));
    for (const b of FEEDBACK_WEIGHTS) {
      const w = (n: number) => [1, ...Array.from({ length: n }, () => b / n)];
      record(`model, own feedback m ${m} b ${b}`, sumLists([model, ...self], w(self.length), DEPTH), qrels);
      record(`hybrid, own feedback m ${m} b ${b}`, hybrid(sumLists([guided, ...self], w(self.length), DEPTH)), qrels);
      record(`hybrid, lexical feedback m ${m} b ${b}`, hybrid(sumLists([guided, ...fromLex], w(fromLex.length), DEPTH)), qrels);
    }
  }
}
console.log(`${col.queries.length} queries of ${collectionDir}, bundle ${bundleDir}; fitted ranking ${JSON.stringify(ranking)}`);
console.log('\n1. Query variants (depth 100, beam 100): nDCG@10 / Recall@100');
for (const [name, r] of rows) console.log(`  ${name.padEnd(40)} ${mean(r.ndcg).toFixed(4)} / ${mean(r.recall).toFixed(4)}`);

// 2. Fusion families (page: k 10, beam 10), test optimum and the fit's choice.
interface Sides { lex: ScoredDoc[]; gen: ScoredDoc[][] }
async function sides(e: Engine, texts: readonly string[]): Promise<Sides[]> {
  const out: Sides[] = [];
  for (const t of texts) {
    const gen: ScoredDoc[][] = [];
    for (const prior of FIT_PRIORS) gen.push((await e.decode(t, { k: PAGE, beams: PAGE, lexicalPrior: prior })).map((d) => ({ docIndex: d.docIndex, score: d.score })));
    out.push({ lex: e.lexicalSearch(t, { k: DEPTH }), gen });
  }
  return out;
}
function linearT(lex: readonly ScoredDoc[], gen: readonly ScoredDoc[], w: number, t: number): ScoredDoc[] {
  const s = new Map<number, number>();
  const top = lex.length > 0 ? lex[0]!.score : 1;
  for (const l of lex) s.set(l.docIndex, (1 - w) * (l.score / top));
  const post = posteriors(gen.map((g) => ({ docIndex: g.docIndex, score: g.score / t })));
  for (const [d, p] of post) s.set(d, (s.get(d) ?? 0) + w * p);
  return byScore(s, PAGE);
}
function rrfK(lex: readonly ScoredDoc[], gen: readonly ScoredDoc[], w: number, k: number): ScoredDoc[] {
  const s = new Map<number, number>();
  lex.forEach((l, r) => s.set(l.docIndex, (1 - w) / (k + r + 1)));
  gen.forEach((g, r) => s.set(g.docIndex, (s.get(g.docIndex) ?? 0) + w / (k + r + 1)));
  return byScore(s, PAGE);
}
function logLinear(lex: readonly ScoredDoc[], gen: readonly ScoredDoc[], beta: number): ScoredDoc[] {
  const top = lex.length > 0 ? lex[0]!.score : 1;
  const best = gen.length > 0 ? gen[0]!.score : 0;
  const floor = gen.length > 0 ? gen[gen.length - 1]!.score - 1 : 0;
  const g = new Map(gen.map((d) => [d.docIndex, d.score]));
  const s = new Map<number, number>();
  for (const l of lex) s.set(l.docIndex, l.score / top);
  for (const d of g.keys()) if (!s.has(d)) s.set(d, 0);
  for (const [d, v] of s) s.set(d, v + beta * ((g.get(d) ?? floor) - best));
  return byScore(s, PAGE);
}
const confidence = (gen: readonly ScoredDoc[]) => (gen.length > 0 ? posteriors(gen).get(gen[0]!.docIndex)! : 0);
/** Documents the two sides share in their first 10. */
const overlap = (lex: readonly ScoredDoc[], gen: readonly ScoredDoc[]) => {
  const top = new Set(lex.slice(0, 10).map((d) => d.docIndex));
  return gen.slice(0, 10).filter((d) => top.has(d.docIndex)).length;
};
/** The lexical side's second score over its first (near 1: no clear winner). */
const lexicalGap = (lex: readonly ScoredDoc[]) => (lex.length > 1 ? lex[1]!.score / lex[0]!.score : 0);
interface Point { family: string; name: string; rank: (x: Sides) => ScoredDoc[] }
const points: Point[] = [];
for (const [p, lexicalPrior] of FIT_PRIORS.entries()) {
  for (const fusion of ['linear', 'rrf'] as const) {
    for (const generativeWeight of FIT_WEIGHTS) {
      if (generativeWeight === 0 && (lexicalPrior > 0 || fusion === 'rrf')) continue;
      // The fit's grid: the lexical ranking (linear 0, prior 0) and the fusions of FIT_FUSIONS.
      const shipped = generativeWeight === 0 || (FIT_FUSIONS as readonly string[]).includes(fusion);
      points.push({ family: shipped ? 'shipped grid' : `${fusion} (not fitted)`, name: `${fusion} ${generativeWeight} prior ${lexicalPrior}`, rank: (x) => fuse(x.lex, x.gen[p]!, { fusion, generativeWeight, lexicalPrior }, PAGE) });
    }
    for (const w of [...FIT_WEIGHTS.slice(1), 0.9, 0.95, 0.98]) {
      if (fusion === 'linear') for (const t of [2, 4, 8, 16]) points.push({ family: 'linear, temperature', name: `${w} T ${t} prior ${lexicalPrior}`, rank: (x) => linearT(x.lex, x.gen[p]!, w, t) });
      else for (const k of [10, 30, 100]) points.push({ family: 'rrf, constant', name: `${w} k ${k} prior ${lexicalPrior}`, rank: (x) => rrfK(x.lex, x.gen[p]!, w, k) });
    }
  }
  for (const beta of [0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.5]) points.push({ family: 'log-linear', name: `beta ${beta} prior ${lexicalPrior}`, rank: (x) => logLinear(x.lex, x.gen[p]!, beta) });
  for (const tau of [0.2, 0.3, 0.5, 0.7]) for (const w0 of [0, 0.2, 0.4]) for (const w1 of [0.5, 0.7, 0.9]) {
    points.push({ family: 'rrf, weight by confidence', name: `${w0} below ${tau}, else ${w1}, prior ${lexicalPrior}`, rank: (x) => rrfK(x.lex, x.gen[p]!, confidence(x.gen[p]!) >= tau ? w1 : w0, RRF_K) });
  }
  for (const th of [1, 2, 3, 4, 5, 6]) for (const w0 of [0, 0.2, 0.4, 0.5]) for (const w1 of [0.4, 0.5, 0.6, 0.7, 0.8]) {
    points.push({ family: 'rrf, weight by overlap', name: `${w0} below ${th} shared, else ${w1}, prior ${lexicalPrior}`, rank: (x) => rrfK(x.lex, x.gen[p]!, overlap(x.lex, x.gen[p]!) >= th ? w1 : w0, RRF_K) });
  }
  for (const th of [0.5, 0.7, 0.8, 0.9, 0.95]) for (const w0 of [0.2, 0.4, 0.5, 0.6]) for (const w1 of [0, 0.2, 0.4, 0.5, 0.6, 0.8]) {
    points.push({ family: 'rrf, weight by lexical gap', name: `${w0} below ${th}, else ${w1}, prior ${lexicalPrior}`, rank: (x) => rrfK(x.lex, x.gen[p]!, lexicalGap(x.lex) >= th ? w1 : w0, RRF_K) });
  }
}
const docs = checkDocs(col.docs.map((d) => ({ ...d })), { allowEmptyText: true });
const cloze = clozeQueries(docs, { count: clozeCount(docs.length) });
// The fit's lexical index holds the documents as the model learnt them: without the removed sentences.
const fitEngine = await SearchEngine.create(ort, { ...files, docs: storedDocs(cloze.learnDocs) }, { executionProviders: ['wasm'] });
const held = await sides(fitEngine, cloze.queries.map((q) => q.text));
await fitEngine.dispose();
const test = await sides(engine, col.queries.map((q) => q.text));
const qrelsOf = col.queries.map((q) => col.qrels.get(q.id)!);
const scored = points.map((pt) => ({
  ...pt,
  heldOut: mean(held.map((x, i) => reciprocalRank(pt.rank(x), cloze.queries[i]!.docIndex))),
  perQuery: test.map((x, i) => ndcgAtK(idsOf(engine, pt.rank(x)), qrelsOf[i]!, 10)),
})).map((s) => ({ ...s, test: mean(s.perQuery) }));
const lexical = scored[0]!; // linear 0, prior 0: the lexical ranking
console.log(`\n2. Fusion families (k ${PAGE}, beam ${PAGE}); ${held.length} held-out removed sentences. Lexical: test nDCG@10 ${lexical.test.toFixed(4)}, held-out MRR@10 ${lexical.heldOut.toFixed(4)}`);
console.log(`  ${'family'.padEnd(28)} ${'best on the test judgments'.padEnd(52)} fit's choice (held-out MRR@10) -> test nDCG@10`);
for (const family of [...new Set(scored.map((s) => s.family))]) {
  const members = scored.filter((s) => s.family === family);
  const best = members.reduce((a, b) => (b.test > a.test ? b : a));
  const fit = members.reduce((a, b) => (b.heldOut > a.heldOut ? b : a));
  console.log(`  ${family.padEnd(28)} ${`${best.test.toFixed(4)} (${best.name})`.padEnd(52)} ${fit.name} (${fit.heldOut.toFixed(4)}) -> ${fit.test.toFixed(4)}`);
}
const grid = scored.filter((s) => s.family === 'shipped grid');
console.log(`  per-query oracle over the shipped grid: ${mean(test.map((_, i) => Math.max(...grid.map((s) => s.perQuery[i]!)))).toFixed(4)}`);
await engine.dispose();
