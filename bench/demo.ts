/**
 * Demo benchmark: builds the bundle of the project's own docs (docs/*.md) and measures what a site owner pays
 * and what a visitor gets: build time per stage, bundle size per file (raw and gzip), and query latency in Node
 * (onnxruntime-web wasm, one thread, the same SearchEngine as the worker) and in headless Chromium (through the
 * real page, client and worker, bundle already cached in IndexedDB).
 *
 *   npm run bench:demo                  # build into .cache/bench-demo, measure, print a markdown report
 *   npm run bench:demo -- --skip-build  # reuse the last bench bundle
 *   npm run bench:demo -- --no-browser  # Node numbers only
 *
 * The Chromium part serves dist/ (run `node scripts/e2e-prepare.mjs` first, or `npm start` once); it measures the
 * bundle that dist/ holds, which is the same docs built the same way.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import { build, type BuildResult } from '../src/indexer/build.ts';
import { bundleSizes, latencySummary } from '../src/indexer/measure.ts';
import { openBundle } from '../src/indexer/node-search.ts';
import type { BundleManifest, StoredDoc } from '../src/core/types.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const ROOT = new URL('..', import.meta.url).pathname;
const OUT = join(ROOT, '.cache', 'bench-demo');
const WARMUP = 5;
/** Training budget of the demo bundle, as in scripts/e2e-prepare.mjs. */
const DEMO_TIME_BUDGET = 120;

const summary = latencySummary;

/** Queries a visitor might type: every title, and the first words of a few sentences of every page. */
function benchQueries(docs: StoredDoc[]): string[] {
  const qs: string[] = [];
  for (const d of docs) {
    qs.push(d.title);
    const sentences = d.text.split(/(?<=[.!?])\s+/).filter((s) => s.split(/\s+/).length >= 5).slice(0, 3);
    for (const s of sentences) qs.push(s.split(/\s+/).slice(0, 6).join(' '));
  }
  return qs;
}

async function nodeLatency(dir: string, queries: string[]) {
  const t0 = performance.now();
  const engine = await openBundle(dir, { threads: 1 });
  const loadMs = performance.now() - t0;
  for (const q of queries.slice(0, WARMUP)) await engine.search(q, { k: 10 });
  const ms: number[] = [];
  for (const q of queries) {
    const s = performance.now();
    await engine.search(q, { k: 10 });
    ms.push(performance.now() - s);
  }
  await (engine as unknown as { dispose?: () => Promise<void> }).dispose?.();
  return { loadMs, ...summary(ms) };
}

async function browserLatency(queries: string[]) {
  const { launchBrowser, serveDist, openDemo, newPage } = await import('../e2e/helpers.ts');
  const server = await serveDist({ isolated: false });
  const browser = await launchBrowser();
  try {
    const { page } = await newPage(browser);
    const tFirst = performance.now();
    await openDemo(page, server.url);
    const firstVisitMs = performance.now() - tFirst;
    const tCold = performance.now();
    await page.reload();
    await openDemo(page, server.url);
    const cachedStartMs = performance.now() - tCold;
    const ms = await page.evaluate(async ({ qs, warmup }) => {
      const demo = (globalThis as unknown as { genizaDemo: { search: (q: string, o: { k: number }) => Promise<unknown> } }).genizaDemo;
      for (const q of qs.slice(0, warmup)) await demo.search(q, { k: 10 });
      const out: number[] = [];
      for (const q of qs) {
        const s = performance.now();
        await demo.search(q, { k: 10 });
        out.push(performance.now() - s);
      }
      return out;
    }, { qs: queries, warmup: WARMUP });
    return { firstVisitMs, cachedStartMs, ...summary(ms) };
  } finally {
    await browser.close();
    await server.close();
  }
}

async function fileSizes(dir: string, manifest: BundleManifest) {
  const sizes = await bundleSizes(dir, manifest);
  return Object.entries(sizes.files).map(([file, s]) => ({ file, ...s }));
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main() {
  let result: BuildResult | undefined;
  if (!flag('--skip-build') || !existsSync(join(OUT, 'manifest.json'))) {
    // The demo's recipe (scripts/e2e-prepare.mjs): default settings with a 120 s training budget.
    result = await build({ input: join(ROOT, 'docs'), out: OUT, timeBudget: DEMO_TIME_BUDGET });
  }
  const manifest = JSON.parse(await readFile(join(OUT, 'manifest.json'), 'utf8')) as BundleManifest;
  const docs = JSON.parse(await readFile(join(OUT, manifest.files.docs.path), 'utf8')) as StoredDoc[];
  const queries = benchQueries(docs);
  const sizes = await fileSizes(OUT, manifest);
  const node = await nodeLatency(OUT, queries);
  const browser = flag('--no-browser') ? undefined : await browserLatency(queries);

  let commit = 'unknown';
  try { commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim(); } catch { /* not a checkout */ }
  const lines: string[] = [];
  lines.push(`Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; commit ${commit}; ${new Date().toISOString().slice(0, 10)}`);
  lines.push(`Corpus: docs/*.md, ${manifest.corpus.documents} documents; model d=${manifest.model.dModel}, ${manifest.model.encoderLayers}+${manifest.model.decoderLayers} layers, src vocab ${manifest.model.srcVocab}, docid vocab ${manifest.model.tgtVocab}`);
  if (manifest.training) lines.push(`Training: ${manifest.training.examples} examples, ${manifest.training.steps} steps, ${manifest.training.seconds.toFixed(1)} s, final loss ${manifest.training.finalLoss.toFixed(3)}`);
  if (result) {
    lines.push('', '| stage | seconds |', '|---|---|');
    for (const [stage, s] of Object.entries(result.timings)) lines.push(`| ${stage} | ${s.toFixed(1)} |`);
    lines.push(`| **total** | **${result.seconds.toFixed(1)}** |`);
  }
  lines.push('', '| file | raw | gzip |', '|---|---|---|');
  for (const r of sizes) lines.push(`| ${r.file} | ${kb(r.raw)} | ${kb(r.gzip)} |`);
  lines.push(`| **total** | **${kb(sizes.reduce((a, r) => a + r.raw, 0))}** | **${kb(sizes.reduce((a, r) => a + r.gzip, 0))}** |`);
  lines.push('', `Queries: ${queries.length} (every title + the first 6 words of up to 3 sentences per page), k=10, beam 10, after ${WARMUP} warm-up queries.`);
  lines.push('', '| where | p50 | p95 | max | start |', '|---|---|---|---|---|');
  lines.push(`| Node ${process.version}, onnxruntime-web wasm, 1 thread | ${ms(node.p50)} | ${ms(node.p95)} | ${ms(node.max)} | bundle load + sessions ${ms(node.loadMs)} |`);
  if (browser) {
    lines.push(`| Chromium (headless), page -> Comlink -> worker, wasm 1 thread | ${ms(browser.p50)} | ${ms(browser.p95)} | ${ms(browser.max)} | first visit ${ms(browser.firstVisitMs)}, reload from IndexedDB ${ms(browser.cachedStartMs)} |`);
  }
  console.log(lines.join('\n'));
}

main().catch((e) => { console.error(`bench: ${(e as Error).message}`); process.exit(1); });
