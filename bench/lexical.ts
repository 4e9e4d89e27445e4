/**
 * The lexical path, measured: plain BM25 (src/core/bm25.ts) against LexicalIndex (src/core/lexical-index.ts) without
 * and with stemming, with title weights 1/2/3 under each field model, with and without typo matching and
 * pseudo-relevance feedback, on BEIR-form collections. Also: queries with
 * no result, exact-title queries (share of documents ranked first for their own title), search-as-you-type (each
 * query's last word cut to its first 3-5 characters, prefix matching off/on), build time, index memory and query
 * latency of the defaults. Prints a markdown table; writes
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
import { readCollection, type Collection } from '../src/indexer/collection.ts';
import { exitWith } from './exit-with.ts';

const DEPTH = 100;

interface Searcher {
  search(query: string, k: number): { docIndex: number }[];
}

interface System {
  name: string;
  build(docs: { title: string; text: string }[]): Searcher;
}

/** A LexicalIndex system; typo matching and feedback are off unless asked, so that rows isolate stemming and fields. */
const lexical = (opts: LexicalOptions, search: { fuzzy?: boolean; feedback?: boolean } = {}): System['build'] => (docs) => {
  const index = LexicalIndex.build(docs, opts);
  const fuzzy = search.fuzzy ?? false;
  const feedback = search.feedback ?? false;
  return { search: (q, k) => index.search(q, { k, fuzzy, feedback }) };
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
  { name: 'lexical, defaults, typo matching and feedback off', build: lexical({}) },
  { name: 'lexical, defaults, feedback off', build: lexical({}, { fuzzy: true }) },
  { name: 'lexical, defaults, typo matching off', build: lexical({}, { feedback: true }) },
  { name: 'lexical, defaults (typo matching and feedback on)', build: lexical({}, { fuzzy: true, feedback: true }) },
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

/** The query with two neighbouring letters swapped in the middle of its longest word (>= 5 letters): a typo. */
function typo(q: string): string {
  const ws = q.match(/[A-Za-z]+/g) ?? [];
  const w = ws.reduce((a, b) => (b.length > a.length ? b : a), '');
  if (w.length < 5) return q;
  const m = Math.floor(w.length / 2);
  return q.replace(w, w.slice(0, m - 1) + w[m] + w[m - 1] + w.slice(m + 1));
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
  /** Wall and CPU time of the first build in this process (cold code, as in a fresh worker). */
  firstBuildMs: number;
  firstBuildCpuMs: number;
  /** Best wall time of three more builds (warm code). */
  buildMs: number;
  /** CPU time (user + system) of the best build: less sensitive to other processes on a shared machine. */
  buildCpuMs: number;
  heapMB: number | null;
  /** Query latency, wall clock and CPU time (user + system), milliseconds. */
  p50ms: number;
  p95ms: number;
  p50CpuMs: number;
  p95CpuMs: number;
  p50PrefixMs: number;
  p95PrefixMs: number;
  p50PrefixCpuMs: number;
  p95PrefixCpuMs: number;
}

function timed<T>(f: () => T): { value: T; ms: number; cpuMs: number } {
  const u0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const ms = performance.now() - t0;
  const u = process.cpuUsage(u0);
  return { value, ms, cpuMs: (u.user + u.system) / 1000 };
}

function measureCost(c: Collection, docs: { title: string; text: string }[], first: { ms: number; cpuMs: number }): Cost {
  const before = heapUsed();
  const built = timed(() => LexicalIndex.build(docs));
  const index = built.value;
  const heapMB = gc ? (heapUsed() - before) / 2 ** 20 : null;
  let best = built;
  for (let i = 0; i < 3; i++) {
    const again = timed(() => LexicalIndex.build(docs));
    if (again.ms < best.ms) best = again;
  }
  const lat = (prefix: boolean): { wall: number[]; cpu: number[] } => {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      for (const q of c.queries) {
        const text = prefix ? typed(q.text) : q.text;
        const t = timed(() => index.search(text, { k: 10, prefixLastWord: prefix }));
        wall.push(t.ms);
        cpu.push(t.cpuMs);
      }
    }
    return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
  };
  const plain = lat(false);
  const pre = lat(true);
  return {
    firstBuildMs: first.ms, firstBuildCpuMs: first.cpuMs, buildMs: best.ms, buildCpuMs: best.cpuMs, heapMB,
    p50ms: percentile(plain.wall, 0.5), p95ms: percentile(plain.wall, 0.95),
    p50CpuMs: percentile(plain.cpu, 0.5), p95CpuMs: percentile(plain.cpu, 0.95),
    p50PrefixMs: percentile(pre.wall, 0.5), p95PrefixMs: percentile(pre.wall, 0.95),
    p50PrefixCpuMs: percentile(pre.cpu, 0.5), p95PrefixCpuMs: percentile(pre.cpu, 0.95),
  };
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
  const typos: string[] = [];
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
    const firstBuild = timed(() => LexicalIndex.build(docs)); // before anything warms the code up
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
    const typedFeedback = evaluate(c, { search: (q, k) => index.search(q, { k, prefixLastWord: true, feedback: true }) }, typed);
    const full = evaluate(c, { search: (q, k) => index.search(q, { k, prefixLastWord: true }) });
    // Typos: natural queries and queries with one swapped pair of letters, typo matching off and on.
    const fz = (fuzzy: boolean, text?: (q: string) => string) => evaluate(c, { search: (q, k) => index.search(q, { k, fuzzy }) }, text);
    const fzRuns = { naturalOff: strip(fz(false)), naturalOn: strip(fz(true)), typoOff: strip(fz(false, typo)), typoOn: strip(fz(true, typo)) };
    const cell = (r: Row) => `${f3(r.ndcg)} / ${f3(r.recall)} / ${r.zeroResults}`;
    typos.push(`| ${c.name} | ${cell(fzRuns.naturalOff)} | ${cell(fzRuns.naturalOn)} | ${cell(fzRuns.typoOff)} | ${cell(fzRuns.typoOn)} |`);
    typing.push(`| ${c.name} | ${f3(off.ndcg)} / ${off.zeroResults} | ${f3(flat.ndcg)} / ${flat.zeroResults} | ${f3(on.ndcg)} / ${on.zeroResults} | ${f3(typedFeedback.ndcg)} / ${typedFeedback.zeroResults} | ${f3(full.ndcg)} / ${full.zeroResults} |`);
    const cost = measureCost(c, docs, firstBuild);
    costs.push(`| ${c.name} | ${docs.length} | ${cost.firstBuildMs.toFixed(0)} / ${cost.firstBuildCpuMs.toFixed(0)} | ${cost.buildMs.toFixed(0)} / ${cost.buildCpuMs.toFixed(0)} | ${cost.heapMB === null ? 'n/a (run with --expose-gc)' : cost.heapMB.toFixed(1)} | ${cost.p50ms.toFixed(2)} / ${cost.p95ms.toFixed(2)} (CPU ${cost.p50CpuMs.toFixed(2)} / ${cost.p95CpuMs.toFixed(2)}) | ${cost.p50PrefixMs.toFixed(2)} / ${cost.p95PrefixMs.toFixed(2)} (CPU ${cost.p50PrefixCpuMs.toFixed(2)} / ${cost.p95PrefixCpuMs.toFixed(2)}) |`);
    results[c.name] = {
      docs: docs.length, queries: c.queries.length, systems: rows,
      typos: fzRuns,
      typing: { prefixOff: strip(off), prefixOnNoDiscount: strip(flat), prefixOn: strip(on), prefixOnFeedback: strip(typedFeedback), wholeQueryPrefixOn: strip(full) },
      cost,
    };
  }
  for (const [name, cells] of perSystem) quality.push(`| ${name} | ${cells.join(' | ')} |`);
  const out = [
    `Defaults: ${JSON.stringify(LEXICAL_DEFAULTS)}`,
    '',
    quality.join('\n'),
    '',
    'Search as you type (defaults; last query word cut to its first 3-5 characters; feedback is off with prefixLastWord unless asked): nDCG@10 / queries with no result',
    '',
    '| collection | typed, prefix off | typed, prefix on, no discount | typed, prefix on (default) | typed, prefix on, with feedback | whole query, prefix on |',
    '|---|---|---|---|---|---|',
    typing.join('\n'),
    '',
    'Typos (defaults otherwise): nDCG@10 / R@100 / queries with no result; "typo" = two neighbouring letters swapped in the longest query word',
    '',
    '| collection | natural, fuzzy off | natural, fuzzy on (default) | typo, fuzzy off | typo, fuzzy on |',
    '|---|---|---|---|---|',
    typos.join('\n'),
    '',
    'Cost of the defaults (Node, one thread): first build (cold), best of 3 more (wall / CPU), memory of the built index (JS heap + typed arrays), query latency p50 / p95, wall (CPU) (k = 10)',
    '',
    '| collection | docs | first build ms wall / CPU | next builds, best ms wall / CPU | index MB | query ms p50 / p95 | typed query, prefix on, ms p50 / p95 |',
    '|---|---|---|---|---|---|---|',
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

exitWith(main);
