/**
 * The retrieval benchmark: `geniza eval` on every collection (a subfolder holding corpus.jsonl) of a folder, one
 * process per collection (so each build's peak memory is its own), then the report: bench/results/<collection>.json,
 * bench/results/summary.md, bench/results/quality-vs-size.svg and bench/results/latency.svg.
 *
 *   npm run bench -- ../shared/evaldata                      # every collection, the build's training budget (1080 s) each
 *   npm run bench -- ../shared/evaldata --only scifact --time-budget 900
 *   npm run bench -- ../shared/evaldata --reuse              # evaluate the bundles built by the last run again
 *                                                            # (a bundle without manifest.ranking is fitted first)
 *   npm run bench -- --summary                               # only rewrite summary.md and the charts
 *
 * Other options (e.g. --d-model 96, --max-queries 50) are passed on to `geniza eval`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatResultsJson } from '../src/indexer/eval.ts';
import { RESULTS_DIR, writeSummary, type BenchResults } from './summary.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const USAGE = `Usage: npm run bench -- <folder> [--time-budget S] [--only name[,name]] [--reuse] [geniza eval options]
       npm run bench -- --summary

Runs geniza eval on every subfolder of <folder> that holds corpus.jsonl (and on <folder> itself if it does),
writes bench/results/<collection>.json, bench/results/summary.md and the charts quality-vs-size.svg, latency.svg.
  --time-budget S   training seconds per collection (default: the build's, 1080)
  --only names      only these collections (comma-separated or repeated)
  --reuse           evaluate the bundle the last run built (.cache/eval/<collection>/bundle) when there is one
                    (one built before the fit stage existed gets its hybrid ranking fitted at eval time)
  --summary         do not evaluate; rewrite summary.md and the charts from the results files
`;

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

interface Args { folder?: string; only: string[]; reuse: boolean; summaryOnly: boolean; pass: string[] }

function parse(argv: string[]): Args {
  const a: Args = { only: [], reuse: false, summaryOnly: false, pass: [] };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === '-h' || x === '--help') { process.stdout.write(USAGE); process.exit(0); }
    else if (x === '--only') { const v = argv[++i]; if (!v) fail('--only needs a collection name'); a.only.push(...v.split(',')); }
    else if (x.startsWith('--only=')) a.only.push(...x.slice(7).split(','));
    else if (x === '--reuse') a.reuse = true;
    else if (x === '--summary') a.summaryOnly = true;
    else if (x.startsWith('-')) {
      a.pass.push(x);
      // A flag of geniza eval with its value (every eval option but --quiet takes one).
      if (!x.includes('=') && x !== '--quiet' && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) a.pass.push(argv[++i]);
    } else if (a.folder === undefined) a.folder = x;
    else fail(`expected one folder, got ${JSON.stringify(a.folder)} and ${JSON.stringify(x)}`);
  }
  return a;
}

/** Collection folders under `folder` (itself included when it is one), sorted by name. */
function collections(folder: string): string[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) fail(`cannot read ${folder}: no such folder`);
  if (existsSync(join(folder, 'corpus.jsonl'))) return [folder];
  return readdirSync(folder).sort()
    .map((n) => join(folder, n))
    .filter((d) => statSync(d).isDirectory() && existsSync(join(d, 'corpus.jsonl')));
}

async function readJson(file: string): Promise<BenchResults | undefined> {
  try { return JSON.parse(await readFile(file, 'utf8')) as BenchResults; } catch { return undefined; }
}

function runEval(args: string[]): Promise<number> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/geniza.js'), 'eval', ...args], { cwd: ROOT, stdio: 'inherit' });
    child.on('error', rej);
    child.on('close', (code) => res(code ?? 1));
  });
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  await mkdir(RESULTS_DIR, { recursive: true });
  if (!args.summaryOnly) {
    if (!args.folder) { process.stderr.write(USAGE); process.exit(1); }
    let dirs = collections(resolve(args.folder));
    if (args.only.length) {
      const unknown = args.only.filter((n) => !dirs.some((d) => basename(d) === n));
      if (unknown.length) fail(`no collection ${unknown.join(', ')} in ${args.folder} (found: ${dirs.map((d) => basename(d)).join(', ') || 'none'})`);
      dirs = dirs.filter((d) => args.only.includes(basename(d)));
    }
    if (dirs.length === 0) fail(`no collection in ${args.folder} (a collection is a folder holding corpus.jsonl, queries.jsonl and qrels.tsv)`);
    const failed: string[] = [];
    for (const [i, dir] of dirs.entries()) {
      const name = basename(dir);
      process.stderr.write(`\nbench: [${i + 1}/${dirs.length}] ${name}\n`);
      const evalArgs = [dir, '--out', join(RESULTS_DIR, `${name}.json`), ...args.pass];
      const cached = join(ROOT, '.cache', 'eval', name, 'bundle');
      if (args.reuse && existsSync(join(cached, 'manifest.json'))) evalArgs.push('--bundle', cached);
      const resultsFile = join(RESULTS_DIR, `${name}.json`);
      const previous = await readJson(resultsFile);
      const t0 = performance.now();
      const code = await runEval(evalArgs);
      // Browser figures of the same bundle stay valid (e.g. with --reuse): carry them over.
      const fresh = code === 0 ? await readJson(resultsFile) : undefined;
      if (previous?.browser && fresh && previous.browser.bundleId === fresh.costs.bundle.bundleId) {
        await writeFile(resultsFile, formatResultsJson({ ...fresh, browser: previous.browser }));
      }
      process.stderr.write(`bench: ${name} ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${((performance.now() - t0) / 60_000).toFixed(1)} min\n`);
      if (code !== 0) failed.push(name);
    }
    if (failed.length) process.exitCode = 1;
  }
  const paths = await writeSummary(RESULTS_DIR);
  process.stderr.write(`bench: wrote ${paths.map((p) => p.slice(ROOT.length)).join(', ')}\n`);
}

main().catch((e) => fail((e as Error).message));
