/**
 * The benchmark's report from the per-collection results (bench/results/<collection>.json, written by
 * `geniza eval --out`): summary.md (a section per collection: quality, build cost, bundle size, latency, machine,
 * commit, command) and two charts, quality-vs-size.svg and latency.svg.
 *
 *   node --import tsx bench/summary.ts [results-dir]   # regenerate the report from the JSON files
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docidsLabel, type EvalResults } from '../src/indexer/eval.ts';
import { AUTO_MIN_STEPS } from '../src/model/train.ts';
import { barSvg, scatterSvg, type BarGroup, type ScatterSeries } from './charts.ts';

/** Default results folder. */
export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

/** What bench/browser.ts adds to a collection's results under `browser`. */
export interface BrowserResults {
  /** Fresh browser context (empty cache): navigation -> first result, ms. */
  firstVisitMs: number;
  /** Same context reloaded (bundle in IndexedDB): navigation -> first result, ms. */
  coldStartMs: number;
  /** Warm query latency through the page's client and worker, k = 10. */
  warm: { n: number; mean: number; p50: number; p95: number; max: number };
  /** wasm threads the worker used. */
  threads: number;
  executionProvider: string;
  /** Browser version. */
  browser: string;
  bundleId: string;
  date: string;
}

/** Results of one collection, with the browser figures when measured. */
export type BenchResults = EvalResults & { browser?: BrowserResults };

/** Reads every `<collection>.json` in `dir` that holds evaluation results, sorted by collection name. */
export async function readResults(dir = RESULTS_DIR): Promise<BenchResults[]> {
  let names: string[];
  try { names = await readdir(dir); } catch { return []; }
  const out: BenchResults[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    try {
      const r = JSON.parse(await readFile(join(dir, name), 'utf8')) as BenchResults;
      if (r && typeof r === 'object' && r.systems && r.costs) out.push(r);
    } catch { /* not a results file */ }
  }
  return out.sort((a, b) => a.collection.name.localeCompare(b.collection.name));
}

const kib = (n: number | undefined) => (n === undefined ? '-' : n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`);
const f3 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(3));
const ms = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : `${x.toFixed(x < 10 ? 2 : 1)} ms`);
const sec = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${x.toFixed(1)} s`);

/** Bytes a page downloads to search with a system: geniza variants the whole bundle, baselines the documents. */
export function payloadBytes(r: BenchResults, system: string): { raw: number; gzip: number } {
  return system.startsWith('geniza') ? r.costs.bundle.total : r.costs.bundle.groups.docs;
}

/** summary.md: one section per collection. */
export function summaryMarkdown(results: readonly BenchResults[]): string {
  const L: string[] = [];
  L.push('# Benchmark results', '');
  L.push('Written by `npm run bench` (bench/run.ts) from the files bench/results/<collection>.json (`geniza eval --out`);');
  L.push('browser rows by `npm run bench:browser`. Charts: [quality vs size](quality-vs-size.svg), [latency](latency.svg).');
  L.push('');
  L.push('geniza: generative only, 100 results decoded per query with beam 100 (quality); `geniza-beam10`: generative only, k = 10 with beam 10,');
  L.push('also the decode whose latency is measured; `geniza-hybrid`: the default ranking (lexical + generative fused with the weights fitted');
  L.push('on held-out queries, `manifest.ranking`); `lexical`: the engine\'s stemmed lexical index alone (src/core/lexical-index.ts).');
  L.push('Node latency: onnxruntime-web wasm, one thread, after warm-up queries.');
  L.push('Baselines search the same title + text; their "size" is the documents (docs.json) a page would download to index them itself.');
  for (const r of results) {
    const c = r.collection;
    L.push('', `## ${c.name}`, '');
    L.push(`${c.documents.toLocaleString('en-US')} documents, ${c.queries} queries${c.queries < c.judgedQueries ? ` (of ${c.judgedQueries} judged)` : ''}, ${c.qrels.toLocaleString('en-US')} judgments. `
      + `Model d=${r.model.dModel}, ${r.model.layers}+${r.model.layers} layers, source vocab ${r.model.srcVocab.toLocaleString('en-US')}, ${docidsLabel(r.model)}.`);
    L.push('');
    L.push(`Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${(r.machine.memoryBytes / 2 ** 30).toFixed(0)} GiB, Node ${r.machine.node}. `
      + `Commit ${r.commit.slice(0, 12)}${r.dirty ? ' (with uncommitted changes)' : ''}, ${r.date.slice(0, 10)}. Command: \`${r.command}\` (${(r.seconds / 60).toFixed(1)} min).`);
    L.push('', '| system | nDCG@10 | MRR@10 | Recall@10 | Recall@100 | download (gzip) |', '|---|---|---|---|---|---|');
    for (const [name, m] of Object.entries(r.systems)) {
      L.push(`| ${name} | ${f3(m['ndcg@10'])} | ${f3(m['mrr@10'])} | ${f3(m['recall@10'])} | ${m.depth >= 100 ? f3(m['recall@100']) : '-'} | ${kib(payloadBytes(r, name).gzip)} |`);
    }
    const rk = r.ranking;
    if (rk) {
      const h = rk.heldOut;
      L.push('', `Hybrid ranking (fitted at ${rk.fittedAt}${rk.fitSeconds !== null && rk.fitSeconds !== undefined ? ` in ${rk.fitSeconds.toFixed(1)} s` : ''}${rk.fittedAt === 'build' && r.costs.build.fitSeconds ? ` in ${r.costs.build.fitSeconds.toFixed(1)} s` : ''}): `
        + `${rk.fusion}, generative weight ${rk.generativeWeight}, lexical prior ${rk.lexicalPrior}`
        + (h ? `; held-out MRR@10 on ${h.queries} ${h.kind === 'cloze' ? 'sentences removed from their documents' : 'pseudo-queries'}: lexical ${f3(h.mrr.lexical)}, generative ${f3(h.mrr.generative)}, hybrid ${f3(h.mrr.hybrid)}.` : '.'));
    }
    const sw = r.fusionSweep;
    if (sw) {
      L.push('', `Fusion sweep on the test judgments (diagnostic only, never used to choose weights; k = 10, beam 10): lexical nDCG@10 ${f3(sw.lexical)}, `
        + `best grid point ${sw.best.fusion}, weight ${sw.best.generativeWeight}, prior ${sw.best.lexicalPrior}: ${f3(sw.best['ndcg@10'])}.`);
    }
    if (r.asTyped) L.push('', `Searched as the page does (default mode, requireTermMatch, last word as a prefix, k = 10): ${r.asTyped.empty} of ${r.asTyped.queries} queries get no result.`);
    if (r.exactTitle) {
      const e = r.exactTitle;
      L.push('', `Exact-title queries (${e.documents} documents sampled of ${e.unique.toLocaleString('en-US')} with a unique title): top-1 `
        + `${Object.entries(e.top1).map(([n, v]) => `${n} ${(v * 100).toFixed(1)}%`).join(', ')}.`);
    } else if (r.exactTitle === null) {
      L.push('', 'Exact-title queries: not measured (the collection\'s titles are document ids).');
    }
    if (r.decoding) {
      L.push('', `Best-first vs beam (generative only, 100 results, first ${r.decoding.queries} queries; best-first budget ${r.decoding.maxExpansions} expansions):`, '',
        '| decoder | Recall@100 | mean | p50 | p95 | model runs / query | proven exact |', '|---|---|---|---|---|---|---|');
      for (const [name, d] of Object.entries(r.decoding.decoders)) {
        L.push(`| ${name} | ${f3(d['recall@100'])} | ${ms(d.meanMs)} | ${ms(d.p50Ms)} | ${ms(d.p95Ms)} | ${d.modelRuns} | ${d.exact === undefined ? '-' : `${(d.exact * 100).toFixed(0)}%`} |`);
      }
    }
    const b = r.costs.build;
    L.push('', '| build | ingest | docids | training | export | fit | total | examples/s | peak RSS |', '|---|---|---|---|---|---|---|---|---|');
    const p = b.phases;
    L.push(`| ${b.reused ? 'reused bundle' : 'this run'} | ${sec(p?.ingest)} | ${sec(p?.docids)} | ${sec(p?.training)} | ${sec(p?.export)} | ${sec(p?.fit)} | ${sec(b.seconds)} | `
      + `${b.training ? b.training.examplesPerSec.toLocaleString('en-US') : '-'} | ${b.peakRssBytes ? kib(b.peakRssBytes) : '-'} |`);
    if (b.training) {
      L.push('', `Training: ${b.training.examples.toLocaleString('en-US')} examples in ${b.training.steps.toLocaleString('en-US')} steps, ${b.training.seconds.toFixed(1)} s, final loss ${b.training.finalLoss.toFixed(3)}`
        + `${b.settings?.timeBudget ? ` (time budget ${b.settings.timeBudget} s, ${b.settings.epochs === undefined ? `one pass over the pairs, at least ${AUTO_MIN_STEPS} steps` : `${b.settings.epochs} epochs at most`})` : ''}.`);
    }
    const g = r.costs.bundle.groups;
    L.push('', '| bundle | model | trie | docs | tokenizer | manifest | total |', '|---|---|---|---|---|---|---|');
    L.push(`| raw | ${kib(g.model.raw)} | ${kib(g.trie.raw)} | ${kib(g.docs.raw)} | ${kib(g.tokenizer.raw)} | ${kib(g.manifest.raw)} | ${kib(r.costs.bundle.total.raw)} |`);
    L.push(`| gzip | ${kib(g.model.gzip)} | ${kib(g.trie.gzip)} | ${kib(g.docs.gzip)} | ${kib(g.tokenizer.gzip)} | ${kib(g.manifest.gzip)} | ${kib(r.costs.bundle.total.gzip)} |`);
    L.push('', '| latency (k=10) | p50 | p95 | max | start |', '|---|---|---|---|---|');
    for (const [name, l] of Object.entries(r.costs.latency)) {
      const where = name === 'geniza' ? 'geniza (generative), Node (onnxruntime-web wasm, 1 thread)' : `${name}, Node`;
      const start = name.startsWith('geniza') ? `bundle load ${ms(r.costs.loadMs)}`
        : name === 'lexical' ? `index build at load ${ms(r.costs.lexicalBuildMs)}` : `index build ${ms(r.costs.baselineIndexMs[name as 'bm25' | 'minisearch'])}`;
      L.push(`| ${where} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.max)} | ${start} |`);
    }
    const br = r.browser;
    if (br) {
      L.push(`| geniza, ${br.browser} (headless), page -> worker, ${br.executionProvider} × ${br.threads} | ${ms(br.warm.p50)} | ${ms(br.warm.p95)} | ${ms(br.warm.max)} | `
        + `first visit ${ms(br.firstVisitMs)}, cold start from IndexedDB ${ms(br.coldStartMs)} (to first result) |`);
    }
  }
  return `${L.join('\n')}\n`;
}

/** nDCG@10 against the bytes a page downloads, one series per system, one point per collection. */
export function qualityChart(results: readonly BenchResults[]): string {
  const systems: string[] = [];
  for (const r of results) for (const s of Object.keys(r.systems)) if (!systems.includes(s)) systems.push(s);
  const series: ScatterSeries[] = systems.map((s) => ({
    name: s,
    points: results.filter((r) => r.systems[s]).map((r) => ({ x: payloadBytes(r, s).gzip, y: r.systems[s]['ndcg@10'], label: r.collection.name })),
  }));
  return scatterSvg({
    title: 'Quality vs download size',
    xLabel: 'gzip bytes downloaded (geniza: bundle; baselines: documents)',
    yLabel: 'nDCG@10',
    xLog: true,
    series,
  });
}

/** Query latency p50 and p95 per collection: geniza in Node and Chromium, the baselines in Node. */
export function latencyChart(results: readonly BenchResults[]): string {
  const groups: BarGroup[] = [];
  for (const r of results) {
    for (const p of ['p50', 'p95'] as const) {
      const bars = Object.entries(r.costs.latency).map(([name, l]) => ({ name: name === 'geniza' ? 'geniza (Node)' : `${name} (Node)`, value: l[p] }));
      if (r.browser) bars.splice(1, 0, { name: 'geniza (Chromium)', value: r.browser.warm[p] });
      groups.push({ label: `${r.collection.name} ${p}`, bars });
    }
  }
  return barSvg({ title: 'Query latency, k = 10 (log scale)', yLabel: 'ms per query', groups, width: Math.max(720, 240 + groups.length * 110) });
}

/** Writes summary.md, quality-vs-size.svg and latency.svg into `dir` from its results files; returns the paths. */
export async function writeSummary(dir = RESULTS_DIR): Promise<string[]> {
  const results = await readResults(dir);
  const files: [string, string][] = [
    ['summary.md', summaryMarkdown(results)],
    ['quality-vs-size.svg', qualityChart(results)],
    ['latency.svg', latencyChart(results)],
  ];
  for (const [name, text] of files) await writeFile(join(dir, name), text);
  return files.map(([name]) => join(dir, name));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeSummary(process.argv[2] ?? RESULTS_DIR).then(
    (paths) => console.log(`wrote ${paths.join(', ')}`),
    (e) => { console.error(`bench: ${(e as Error).message}`); process.exit(1); },
  );
}
