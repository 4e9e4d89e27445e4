/**
 * Browser benchmark: a collection's queries in headless Chromium through the real page, client and worker
 * (the demo page of dist/ loading the given bundle with `?bundle=`), served from localhost.
 *
 *   npm run bench:browser -- <bundle-dir> <collection-dir> [--isolated] [--max-queries N] [--dist DIR]
 *
 * Reports, from the page's own clock (navigation start -> the first query's results):
 *   first visit  a fresh browser context (empty HTTP cache and IndexedDB): page, wasm runtime and bundle downloaded;
 *   cold start   the same context reloaded: the bundle comes from IndexedDB;
 * and warm query latency p50/p95 over the collection's queries (k = 10) through `globalThis.genizaDemo.search`.
 * The figures are merged into bench/results/<collection>.json under "browser" when that file exists (then
 * summary.md and the charts are rewritten), and printed. Without --isolated the page is not cross-origin isolated,
 * like most sites, so the model runs on one wasm thread.
 *
 * Needs dist/ (`npm run build`, or `node scripts/e2e-prepare.mjs`) built with the demo's `?bundle=` support;
 * --dist serves another build of the site (e.g. `npx vite build --outDir .cache/dist-bench`).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readCollection } from '../src/indexer/collection.ts';
import { latencySummary } from '../src/indexer/measure.ts';
import { createProgress } from '../src/indexer/progress.ts';
import type { BundleManifest } from '../src/core/types.ts';
import { DIST, launchBrowser, newPage, serveDist } from '../e2e/helpers.ts';
import { RESULTS_DIR, writeSummary, type BrowserResults } from './summary.ts';

const USAGE = 'Usage: npm run bench:browser -- <bundle-dir> <collection-dir> [--isolated] [--max-queries N] [--dist DIR]\n';
const WARMUP = 5;
/** Queries timed per round trip to the page (progress is reported between chunks). */
const CHUNK = 25;
const MOUNT = '/eval-bundle/';

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

/** What the page reports after its first query. */
interface FirstResult {
  /** ms since the navigation started (the page's performance.now()). */
  atMs: number;
  bundleId: string;
  fromCache: boolean;
  executionProvider: string;
  numThreads: number;
  hits: number;
}

type Demo = {
  ready: Promise<{ bundleId: string; fromCache: boolean; executionProvider: string; numThreads: number }>;
  search(q: string, o: { k: number }): Promise<{ hits: unknown[] } | null>;
};

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const pos: string[] = [];
  let isolated = false;
  let maxQueries = Infinity;
  let dist = DIST;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') { process.stdout.write(USAGE); return; }
    if (a === '--isolated') isolated = true;
    else if (a === '--dist') { const v = argv[++i]; if (!v) fail('--dist needs a folder'); dist = resolve(v); }
    else if (a === '--max-queries') {
      maxQueries = Number(argv[++i]);
      if (!Number.isInteger(maxQueries) || maxQueries < 1) fail(`--max-queries must be an integer >= 1 (got ${JSON.stringify(argv[i])})`);
    } else if (a.startsWith('-')) fail(`unknown option ${a}\n${USAGE}`);
    else pos.push(a);
  }
  if (pos.length !== 2) fail(`expected <bundle-dir> <collection-dir>\n${USAGE}`);
  const bundleDir = resolve(pos[0]);
  const collectionDir = resolve(pos[1]);
  if (!existsSync(join(bundleDir, 'manifest.json'))) fail(`${pos[0]} is not a bundle folder (no manifest.json)`);
  if (!existsSync(join(dist, 'index.html'))) fail(`${dist} has no index.html: build the demo site first (npm run build, or node scripts/e2e-prepare.mjs)`);
  const manifest = JSON.parse(await readFile(join(bundleDir, 'manifest.json'), 'utf8')) as BundleManifest;
  const col = await readCollection(collectionDir);
  const queries = col.queries.slice(0, maxQueries).map((q) => q.text);
  const progress = createProgress();

  const server = await serveDist({ isolated, root: dist, mounts: { [MOUNT]: bundleDir } });
  const browser = await launchBrowser();
  let out: BrowserResults;
  try {
    const url = `${server.url}?bundle=.${MOUNT}`;
    const { context, page, errors } = await newPage(browser);
    const firstResult = async (): Promise<FirstResult> => page.evaluate(async (q) => {
      const demo = (globalThis as unknown as { genizaDemo: Demo }).genizaDemo;
      const info = await demo.ready;
      const res = await demo.search(q, { k: 10 });
      return {
        atMs: performance.now(), bundleId: info.bundleId, fromCache: info.fromCache,
        executionProvider: info.executionProvider, numThreads: info.numThreads, hits: res?.hits.length ?? 0,
      };
    }, queries[0]);

    let bar = progress.stage('first visit');
    await page.goto(url);
    const first = await firstResult();
    if (first.bundleId !== manifest.bundleId) {
      throw new Error(`the page loaded bundle ${first.bundleId.slice(0, 12)}, not ${manifest.bundleId.slice(0, 12)}: dist/ predates the demo's ?bundle= support; rebuild it (npm run build)`);
    }
    bar.finish(`${first.atMs.toFixed(0)} ms to the first result (${first.executionProvider} × ${first.numThreads})`);

    bar = progress.stage('cold start');
    await page.reload();
    const cold = await firstResult();
    if (!cold.fromCache) progress.warn('the reloaded page did not load the bundle from IndexedDB');
    bar.finish(`${cold.atMs.toFixed(0)} ms to the first result${cold.fromCache ? ', bundle from IndexedDB' : ''}`);

    bar = progress.stage('warm queries', queries.length, 'queries');
    await page.evaluate(async (qs) => {
      const demo = (globalThis as unknown as { genizaDemo: Demo }).genizaDemo;
      for (const q of qs) await demo.search(q, { k: 10 });
    }, queries.slice(0, WARMUP));
    const ms: number[] = [];
    for (let i = 0; i < queries.length; i += CHUNK) {
      ms.push(...await page.evaluate(async (qs) => {
        const demo = (globalThis as unknown as { genizaDemo: Demo }).genizaDemo;
        const t: number[] = [];
        for (const q of qs) {
          const s = performance.now();
          await demo.search(q, { k: 10 });
          t.push(performance.now() - s);
        }
        return t;
      }, queries.slice(i, i + CHUNK)));
      bar.update(ms.length);
    }
    const warm = latencySummary(ms);
    bar.finish(`p50 ${warm.p50.toFixed(1)} ms, p95 ${warm.p95.toFixed(1)} ms`);
    if (errors.length) progress.warn(`page errors: ${errors.slice(0, 3).join(' | ')}`);
    await context.close();
    out = {
      firstVisitMs: Math.round(first.atMs), coldStartMs: Math.round(cold.atMs), warm,
      threads: first.numThreads, executionProvider: first.executionProvider,
      browser: `Chromium ${browser.version()}`, bundleId: manifest.bundleId, date: new Date().toISOString(),
    };
  } finally {
    await browser.close();
    await server.close();
  }

  console.log(`${col.name}: ${queries.length} queries, ${out.browser} headless, ${out.executionProvider} × ${out.threads} thread${out.threads === 1 ? '' : 's'}${isolated ? ' (cross-origin isolated)' : ''}`);
  console.log(`  first visit (empty cache, localhost) -> first result: ${out.firstVisitMs} ms`);
  console.log(`  cold start (bundle in IndexedDB) -> first result:     ${out.coldStartMs} ms`);
  console.log(`  warm query latency (k=10): p50 ${out.warm.p50.toFixed(1)} ms, p95 ${out.warm.p95.toFixed(1)} ms, max ${out.warm.max.toFixed(1)} ms`);

  const resultsFile = join(RESULTS_DIR, `${col.name}.json`);
  if (existsSync(resultsFile)) {
    const results = JSON.parse(await readFile(resultsFile, 'utf8'));
    if (results.costs?.bundle?.bundleId && results.costs.bundle.bundleId !== manifest.bundleId) {
      process.stderr.write(`bench: warning: ${resultsFile} was measured on bundle ${String(results.costs.bundle.bundleId).slice(0, 12)}, this run on ${manifest.bundleId.slice(0, 12)}\n`);
    }
    results.browser = out;
    const { formatResultsJson } = await import('../src/indexer/eval.ts');
    await writeFile(resultsFile, formatResultsJson(results));
    await writeSummary(RESULTS_DIR);
    console.log(`merged into ${resultsFile} (summary.md and charts rewritten)`);
  }
}

main().catch((e) => fail((e as Error).message.split('\n')[0]));
