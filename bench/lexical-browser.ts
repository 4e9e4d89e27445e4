/**
 * The lexical path in Chromium: builds LexicalIndex (defaults) over a collection's documents inside a new Web Worker,
 * as the search worker does at load (first build: cold code), builds it again (warm), and times the collection's
 * queries there (worker timers are coarse, 0.1 ms). Prints one markdown
 * row per collection.
 *
 *   node --import tsx bench/lexical-browser.ts /work/shared/evaldata/scifact /work/shared/evaldata/cranfield
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../e2e/helpers.ts';
import { readCollection } from '../src/indexer/collection.ts';
import { exitWith } from './exit-with.ts';

/** Runs in the worker: build, then every query three times (k = 10), timings with performance.now(). */
const WORKER_MAIN = `
self.onmessage = (e) => {
  const { docs, queries } = e.data;
  const t0 = performance.now();
  let index = Lexical.LexicalIndex.build(docs);
  const buildMs = performance.now() - t0;
  const t1 = performance.now();
  index = Lexical.LexicalIndex.build(docs);
  const secondBuildMs = performance.now() - t1;
  const times = [];
  for (let rep = 0; rep < 3; rep++) for (const q of queries) {
    const t = performance.now();
    index.search(q, { k: 10 });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  self.postMessage({ buildMs, secondBuildMs, p50: at(0.5), p95: at(0.95), userAgent: navigator.userAgent });
};
`;

async function main(): Promise<number> {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    console.error('usage: node --import tsx bench/lexical-browser.ts <collection folder> ...');
    return 2;
  }
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL('../src/core/lexical-index.ts', import.meta.url))],
    bundle: true, format: 'iife', globalName: 'Lexical', write: false, target: 'es2022', minify: true,
  });
  const workerSource = bundled.outputFiles[0].text + WORKER_MAIN;
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto('about:blank');
    console.log('| collection | docs | build ms in a new worker: first / second | query ms p50 / p95 |');
    console.log('|---|---|---|---|');
    let agent = '';
    for (const dir of dirs) {
      const c = await readCollection(dir);
      const docs = c.docs.map((d) => ({ title: d.title === d.id ? '' : d.title, text: d.text }));
      const r = await page.evaluate(async ({ source, docs, queries }) => {
        const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
        const worker = new Worker(url);
        const out = await new Promise<{ buildMs: number; secondBuildMs: number; p50: number; p95: number; userAgent: string }>((resolve, reject) => {
          worker.onmessage = (e) => resolve(e.data);
          worker.onerror = (e) => reject(new Error(e.message));
          worker.postMessage({ docs, queries });
        });
        worker.terminate();
        return out;
      }, { source: workerSource, docs, queries: c.queries.map((q) => q.text) });
      agent = r.userAgent;
      console.log(`| ${c.name} | ${docs.length} | ${r.buildMs.toFixed(0)} / ${r.secondBuildMs.toFixed(0)} | ${r.p50.toFixed(2)} / ${r.p95.toFixed(2)} |`);
    }
    console.log(`\n${agent}`);
  } finally {
    await browser.close();
  }
  return 0;
}

exitWith(main);
