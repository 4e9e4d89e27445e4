/**
 * The lexical path, measured: plain BM25 (src/core/bm25.ts) against LexicalIndex (src/core/lexical-index.ts) without
 * and with stemming, with title weights 1/2/3 under each field model, on BEIR-form collections. Also: queries with
 * no result, search-as-you-type (each query's last word cut to its first 3-5 characters, prefix matching off/on),
 * build time, index memory and query latency of the defaults. Prints a markdown table; writes
 * bench/results/lexical.json.
 *
 *   node --expose-gc --import tsx bench/lexical.ts /work/shared/evaldata/scifact /work/shared/evaldata/nfcorpus /work/shared/evaldata/cranfield
 *
 * A document whose title is empty in the corpus (the collection reader then shows its id as the title) is indexed
 * with an empty title, by every system alike, so ids never count as title words.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bm25Index } from '../src/core/bm25.ts';
import { LexicalIndex, LEXICAL_DEFAULTS, type LexicalOptions } from '../src/core/lexical-index.ts';
import { evaluateRun, type RunMetrics } from '../src/core/metrics.ts';
import { isGenizaError } from '../src/core/errors.ts';
import { readCollection, type Collection } from '../src/indexer/collection.ts';

const DEPTH = 100;

interface Searcher {
  search(query: string, k: number): { docIndex: number }[];
}

interface System {
  name: string;
  build(docs: { title: string; text: string }[]): Searcher;
}

const lexical = (opts: LexicalOptions): System['build'] => (docs) => {
  const index = LexicalIndex.build(docs, opts);
  return { search: (q, k) => index.search(q, { k }) };
};

const SYSTEMS: System[] = [
  { name: 'BM25 plain (bm25.ts, title+text)', build: (docs) => { const i = Bm25Index.build(docs.map((d) => `${d.title} ${d.text}`)); return { search: (q, k) => i.search(q, k) }; } },
  { name: 'lexical, no stem, concat w=1', build: lexical({ stem: false, fieldModel: 'concat', titleWeight: 1 }) },
  { name: 'lexical, stem, concat w=1', build: lexical({ stem: true, fieldModel: 'concat', titleWeight: 1 }) },
  { name: 'lexical, stem, concat w=2', build: lexical({ stem: true, fieldModel: 'concat', titleWeight: 2 }) },
  { name: 'lexical, stem, concat w=3', build: lexical({ stem: true, fieldModel: 'concat', titleWeight: 3 }) },
  { name: 'lexical, stem, bm25f w=1', build: lexical({ stem: true, fieldModel: 'bm25f', titleWeight: 1 }) },
  { name: 'lexical, stem, bm25f w=2', build: lexical({ stem: true, fieldModel: 'bm25f', titleWeight: 2 }) },
  { name: 'lexical, stem, bm25f w=3', build: lexical({ stem: true, fieldModel: 'bm25f', titleWeight: 3 }) },
  { name: 'lexical, stem, sum w=1', build: lexical({ stem: true, fieldModel: 'sum', titleWeight: 1 }) },
  { name: 'lexical, stem, sum w=2', build: lexical({ stem: true, fieldModel: 'sum', titleWeight: 2 }) },
  { name: 'lexical, stem, sum w=3', build: lexical({ stem: true, fieldModel: 'sum', titleWeight: 3 }) },
  { name: 'lexical, no stem, defaults otherwise', build: lexical({ stem: false }) },
  { name: 'lexical, defaults', build: lexical({}) },
];

interface Row extends RunMetrics {
  system: string;
  zeroResults: number;
  /** Share of documents (with a title) that rank first when their title is the query; null without titles. */
  titleTop1?: number | null;
}

/**
 * Exact-title queries: the share of documents with a title that rank first when their title is the query (a
 * document with the same title as the one that should be first counts as first too: they cannot be told apart).
 */
function titleTop1(docs: { title: string }[], s: Searcher): number | null {
  let n = 0;
  let first = 0;
  const key = (t: string) => t.toLowerCase().replace(/\s+/g, ' ').trim();
  for (let d = 0; d < docs.length; d++) {
    if (!docs[d].title) continue;
    n++;
    const top = s.search(docs[d].title, 1)[0];
    if (top !== undefined && (top.docIndex === d || key(docs[top.docIndex].title) === key(docs[d].title))) first++;
  }
  return n > 0 ? first / n : null;
}

function evaluate(c: Collection, s: Searcher, queryText: (q: string) => string = (q) => q): Row & { run: Map<string, string[]> } {
  const run = new Map<string, string[]>();
  let zero = 0;
  for (const q of c.queries) {
    const ids = s.search(queryText(q.text), DEPTH).map((h) => c.docs[h.docIndex].id);
    if (ids.length === 0) zero++;
    run.set(q.id, ids);
  }
  return { system: '', ...evaluateRun(run, c.qrels, { k: 10, recallK: DEPTH }), zeroResults: zero, run };
}

/** The query with its last word cut to its first 3-5 characters (half its length, at least 3): a word being typed. */
function typed(q: string): string {
  const m = /^(.*?)([\p{L}\p{N}]+)([^\p{L}\p{N}]*)$/u.exec(q);
  if (!m) return q;
  const w = m[2];
  const keep = Math.max(3, Math.min(5, Math.ceil(w.length / 2)));
  return m[1] + w.slice(0, Math.min(w.length, keep));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

const gc = (globalThis as { gc?: () => void }).gc;
/** JS heap plus typed-array memory (postings live in ArrayBuffers, outside the heap). */
function heapUsed(): number {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

interface Cost {
  buildMs: number;
  heapMB: number | null;
  p50ms: number;
  p95ms: number;
  p50PrefixMs: number;
  p95PrefixMs: number;
}

function measureCost(c: Collection, docs: { title: string; text: string }[]): Cost {
  LexicalIndex.build(docs.slice(0, 200)); // warm up the code paths
  const before = heapUsed();
  const t0 = performance.now();
  const index = LexicalIndex.build(docs);
  const buildMs = performance.now() - t0;
  const heapMB = gc ? (heapUsed() - before) / 2 ** 20 : null;
  const lat = (prefix: boolean): number[] => {
    const times: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      for (const q of c.queries) {
        const text = prefix ? typed(q.text) : q.text;
        const t = performance.now();
        index.search(text, { k: 10, prefixLastWord: prefix });
        times.push(performance.now() - t);
      }
    }
    return times.sort((a, b) => a - b);
  };
  const plain = lat(false);
  const pre = lat(true);
  return { buildMs, heapMB, p50ms: percentile(plain, 0.5), p95ms: percentile(plain, 0.95), p50PrefixMs: percentile(pre, 0.5), p95PrefixMs: percentile(pre, 0.95) };
}

const f3 = (x: number) => x.toFixed(3);

async function main(): Promise<number> {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    console.error('usage: node --expose-gc --import tsx bench/lexical.ts <collection folder> ...');
    return 2;
  }
  const results: Record<string, unknown> = {};
  const quality: string[] = [];
  const typing: string[] = [];
  const costs: string[] = [];
  const collections: Collection[] = [];
  for (const dir of dirs) collections.push(await readCollection(dir));
  const names = collections.map((c) => c.name);
  quality.push(`| system | ${names.map((n) => `${n} nDCG@10 / R@100 / MRR@10 / no result / title@1`).join(' | ')} |`);
  quality.push(`|---|${names.map(() => '---').join('|')}|`);
  const perSystem = new Map<string, string[]>();
  for (const c of collections) {
    const docs = c.docs.map((d) => ({ title: d.title === d.id ? '' : d.title, text: d.text }));
    const rows: Row[] = [];
    for (const s of SYSTEMS) {
      const searcher = s.build(docs);
      const { run: _run, ...row } = evaluate(c, searcher);
      row.system = s.name;
      row.titleTop1 = titleTop1(docs, searcher);
      rows.push(row);
      const cells = perSystem.get(s.name) ?? [];
      const top1 = row.titleTop1 === null ? 'n/a' : (100 * row.titleTop1).toFixed(1) + '%';
      cells.push(`${f3(row.ndcg)} / ${f3(row.recall)} / ${f3(row.mrr)} / ${row.zeroResults} / ${top1}`);
      perSystem.set(s.name, cells);
    }
    // Search as you type: the last word cut short, prefix matching off and on (defaults otherwise).
    const index = LexicalIndex.build(docs);
    const off = evaluate(c, { search: (q, k) => index.search(q, { k }) }, typed);
    const on = evaluate(c, { search: (q, k) => index.search(q, { k, prefixLastWord: true }) }, typed);
    const flat = evaluate(c, { search: (q, k) => index.search(q, { k, prefixLastWord: true, prefixDiscount: false }) }, typed);
    const full = evaluate(c, { search: (q, k) => index.search(q, { k, prefixLastWord: true }) });
    typing.push(`| ${c.name} | ${f3(off.ndcg)} / ${off.zeroResults} | ${f3(flat.ndcg)} / ${flat.zeroResults} | ${f3(on.ndcg)} / ${on.zeroResults} | ${f3(full.ndcg)} / ${full.zeroResults} |`);
    const cost = measureCost(c, docs);
    costs.push(`| ${c.name} | ${docs.length} | ${cost.buildMs.toFixed(0)} | ${cost.heapMB === null ? 'n/a (run with --expose-gc)' : cost.heapMB.toFixed(1)} | ${cost.p50ms.toFixed(3)} / ${cost.p95ms.toFixed(3)} | ${cost.p50PrefixMs.toFixed(3)} / ${cost.p95PrefixMs.toFixed(3)} |`);
    results[c.name] = {
      docs: docs.length, queries: c.queries.length, systems: rows,
      typing: { prefixOff: strip(off), prefixOnNoDiscount: strip(flat), prefixOn: strip(on), wholeQueryPrefixOn: strip(full) },
      cost,
    };
  }
  for (const [name, cells] of perSystem) quality.push(`| ${name} | ${cells.join(' | ')} |`);
  const out = [
    `Defaults: ${JSON.stringify(LEXICAL_DEFAULTS)}`,
    '',
    quality.join('\n'),
    '',
    'Search as you type (defaults; last query word cut to its first 3-5 characters): nDCG@10 / queries with no result',
    '',
    '| collection | typed, prefix off | typed, prefix on, no discount | typed, prefix on (default discount) | whole query, prefix on |',
    '|---|---|---|---|---|',
    typing.join('\n'),
    '',
    'Cost of the defaults (Node, one thread): build ms, heap MB of the built index, query ms p50 / p95 (k = 10)',
    '',
    '| collection | docs | build ms | index heap MB | query ms p50 / p95 | typed query, prefix on, ms p50 / p95 |',
    '|---|---|---|---|---|---|',
    costs.join('\n'),
  ].join('\n');
  console.log(out);
  const file = join(dirname(fileURLToPath(import.meta.url)), 'results', 'lexical.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ defaults: LEXICAL_DEFAULTS, node: process.version, collections: results }, null, 2) + '\n');
  console.log(`\nwrote ${file}`);
  return 0;
}

function strip(r: Row & { run: Map<string, string[]> }): Row {
  const { run: _run, ...row } = r;
  return row;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(isGenizaError(e) ? `error: ${e.message}` : e);
    process.exit(2);
  },
);
