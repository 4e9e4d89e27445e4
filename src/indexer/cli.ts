/**
 * The `geniza` command line: parses arguments and options (config file < GENIZA_* environment < flags),
 * then calls the build, search, eval or widget stages. Errors print as one line `geniza: <message>` and exit with code 1.
 *
 * @example
 *   geniza build docs --out public/bundle --epochs 30
 *   geniza search public/bundle "offline caching" --k 5 --mode lexical --filter version:2.x
 *   geniza widget --out dist/geniza-widget
 *   geniza eval ../shared/evaldata/scifact --out scifact.json --time-budget 600
 */
import { GenizaError, isGenizaError } from '../core/errors.ts';
import type { SearchMode } from '../../workers/engine.ts';
import {
  BUILD_OPTIONS, CONFIG_FILE_NAMES, DEFAULT_EVAL_TIME_BUDGET, DEFAULT_SETTINGS, envName, findConfigFile, loadConfigFile, parseOptionValue,
  readEnv, resolveSettings, type BuildSettings, type OptionSpec,
} from './config.ts';
import { basename } from 'node:path';
import { createProgress, formatBytes, formatDuration, type Progress } from './progress.ts';
import { genizaVersion } from './version.ts';

/** Where the CLI writes. */
export interface CliIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
}

/** Config file read from the working folder when `--config` is not given (or `geniza.config.ts`, ...). */
export const DEFAULT_CONFIG_FILE = CONFIG_FILE_NAMES[0];

/** How an option's default reads in help. */
function shownDefault(spec: OptionSpec, def: unknown): string {
  if (spec.key === 'input') return 'the <input> argument';
  if (spec.defaultHelp !== undefined && def === undefined) return spec.defaultHelp;
  if (spec.kind === 'boolean') return def ? 'on' : 'off';
  return def === undefined ? 'none' : String(def);
}

const USAGE = `geniza: in-page search by generative retrieval

Usage:
  geniza build <input> --out <dir> [options]   train a search bundle from a built site, a folder of .md/.html files or a .jsonl file
  geniza search <bundle-dir> <query> [options] search a bundle from the terminal (--k, --mode, --filter)
  geniza eval <collection-dir> [options]       quality and cost on a BEIR-form test collection, vs BM25 and MiniSearch
  geniza widget --out <dir>                    copy the standalone <geniza-search> element to your site
  geniza --help                                this help (geniza <command> --help: that command's options)
  geniza --version                             print the version
`;

function buildHelp(): string {
  const rows: [string, string][] = [];
  for (const spec of BUILD_OPTIONS) {
    const flag = spec.kind === 'boolean' && DEFAULT_SETTINGS[spec.key] === true ? `--no-${spec.flag}` : `--${spec.flag}`;
    const def = spec.key === 'out' ? 'required' : `default ${shownDefault(spec, DEFAULT_SETTINGS[spec.key])}`;
    rows.push([`${flag}${spec.arg ? ` ${spec.arg}` : ''}`, `${spec.help} (${def}; env ${envName(spec)}; config ${spec.key})`]);
  }
  rows.push(['--config <file>', `config file: JSON, or a .ts/.mjs/.js module whose default export is the options object (default ./${CONFIG_FILE_NAMES.join(' or ./')} if one exists)`]);
  rows.push(['-h, --help', 'this help']);
  const w = Math.max(...rows.map(([a]) => a.length)) + 2;
  return `Usage: geniza build <input> --out <dir> [options]

Reads <input>: a built static site or any folder of .html/.htm/.md/.markdown files (pages are split into one
document per section at headings with anchors), or a .jsonl file of {"id","title","text","url"?} lines;
trains a model that maps queries to documents, and writes a bundle folder for in-page search.
Pages marked noindex, redirect stubs and 404 pages are skipped; warnings are listed at the end.

Options (precedence: config file < GENIZA_* environment < flags; boolean flags also take --no-<flag>):
${rows.map(([a, b]) => `  ${a.padEnd(w)}${b}`).join('\n')}
`;
}

/** Ranking modes of the engine, as `--mode` takes them; the first is the default. */
const SEARCH_MODES: readonly SearchMode[] = ['hybrid', 'generative', 'lexical'];

const SEARCH_HELP = `Usage: geniza search <bundle-dir> <query> [--k N] [--mode M] [--filter facet:value ...]

Loads the bundle (verifying every file's SHA-256), runs the same engine as the browser (onnxruntime-web,
trie-constrained beam search and the lexical index) and prints the ranked results: page title › section
title, url and score.

Options:
  --k <n>                number of results (default 10)
  --mode <mode>          ranking: hybrid (the bundle's fitted fusion), generative (the model alone) or
                         lexical (the lexical index alone) (default hybrid)
  --filter <facet:value> only documents with this value of the facet; repeat it to filter on several facets
                         (all must match), or give one facet several values (any may match); the facets and
                         values are the ones geniza build listed (manifest.json corpus.facets)
  --beams <n>            beam width of the model's search (default max(k, 10))
  -h, --help             this help
`;

const WIDGET_HELP = `Usage: geniza widget --out <dir> [--url <path>] [--bundle-url <url>]

Copies the standalone <geniza-search> element (geniza-search.js and assets/: its search worker and
onnxruntime's wasm) into <dir>, a folder of your site, and prints the HTML that loads it. The npm package
carries a prebuilt copy; in a checkout of geniza it is built with Vite (vite.widget.config.ts) into
dist/widget/ first when that is missing or older than its sources. Files already in <dir> are overwritten
or left alone, never deleted.

Options:
  --out <dir>          folder to copy the element into (required; created when missing)
  --url <path>         URL the folder is served at, for the printed <script> tag (default /<name of --out>/)
  --bundle-url <url>   URL of the search bundle from geniza build, for the printed element (default /geniza/)
  --rebuild            build dist/widget/ with Vite even when it is current
  -h, --help           this help
`;

function evalHelp(): string {
  const rows: [string, string][] = [
    ['--bundle <dir>', 'evaluate this bundle instead of building one (it must index the same corpus)'],
    ['--out <file>', 'write the results as JSON (systems, costs, per-query rows, machine, commit)'],
    ['--cache-dir <dir>', 'where a fresh bundle is built (default .cache/eval/<collection name>)'],
    ['--max-queries <n>', 'evaluate only the first n judged queries (default all)'],
  ];
  for (const spec of EVAL_BUILD_OPTIONS) {
    const def = spec.key === 'timeBudget' ? DEFAULT_EVAL_TIME_BUDGET : DEFAULT_SETTINGS[spec.key];
    rows.push([`--${spec.flag}${spec.arg ? ` ${spec.arg}` : ''}`, `${spec.help} (default ${shownDefault(spec, def)})`]);
  }
  rows.push(['--config <file>', `config file of build options (default ./${DEFAULT_CONFIG_FILE} or ./geniza.config.ts if one exists)`]);
  rows.push(['-h, --help', 'this help']);
  const w = Math.max(...rows.map(([a]) => a.length)) + 2;
  return `Usage: geniza eval <collection-dir> [--bundle <dir>] [--out <results.json>] [options]

<collection-dir> holds a test collection in BEIR form: corpus.jsonl ({"id","title","text"} per line),
queries.jsonl ({"id","text"} per line) and qrels.tsv (query-id <TAB> doc-id <TAB> grade).
Builds a bundle of the corpus (unless --bundle), runs every judged query through the browser's engine
(tokenizer, onnxruntime-web encoder and decoder, trie-constrained beam search; 100 results, beam 100) and
through BM25 and MiniSearch, and prints nDCG@10, MRR@10, Recall@10, Recall@100, query latency (k=10, one
wasm thread), build time by stage, training examples/s, peak memory and bundle size by file.

Options (build options as for geniza build; GENIZA_* environment variables apply too):
${rows.map(([a, b]) => `  ${a.padEnd(w)}${b}`).join('\n')}
`;
}

/** Build options that also apply to `geniza eval` (not the input, output and page reading ones). */
const EVAL_BUILD_OPTIONS = BUILD_OPTIONS.filter((s) => !['input', 'out', 'sections', 'baseUrl', 'maxChars'].includes(s.key));

/** Flags of one command: name -> takes a value, takes no value, or takes a value and may be given several times. */
type FlagTable = Record<string, 'value' | 'boolean' | 'repeated'>;

interface ParsedArgs {
  positionals: string[];
  /** Flags given once (the last one wins when given again). */
  flags: Map<string, string | true>;
  /** Values of `repeated` flags, in the order given. */
  lists: Map<string, string[]>;
  help: boolean;
}

/** Splits argv into positionals and `--flag value` / `--flag=value` / `--bool`; unknown flags are errors. */
function parseArgs(argv: string[], table: FlagTable, command: string): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (a === '-h' || a === '--help') { help = true; continue; }
    if (!a.startsWith('-') || a === '-' || /^-\d/.test(a)) { positionals.push(a); continue; }
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    const name = m?.[1];
    const negated = name?.startsWith('no-') ? name.slice(3) : undefined;
    if (m && negated && table[negated] === 'boolean' && m[2] === undefined) { flags.set(negated, 'false'); continue; }
    if (!m || !name || !(name in table)) {
      throw new GenizaError('BAD_OPTION', `unknown option ${a.split('=')[0]} for geniza ${command} (see geniza ${command} --help)`);
    }
    if (table[name] === 'boolean') {
      flags.set(name, m[2] ?? true);
    } else {
      const v = m[2] ?? argv[++i];
      if (v === undefined || (m[2] === undefined && v.startsWith('--'))) {
        throw new GenizaError('BAD_OPTION', `--${name} needs a value`);
      }
      if (table[name] === 'repeated') lists.set(name, [...(lists.get(name) ?? []), v]);
      else flags.set(name, v);
    }
  }
  return { positionals, flags, lists, help };
}

/** Resolves build settings from the config file (`--config` or the working folder's), the environment and flags. */
export async function resolveBuildSettings(flags: Map<string, string | true>, env: Record<string, string | undefined>, cwd = '.'): Promise<BuildSettings> {
  const configFlag = flags.get('config');
  if (configFlag === true) throw new GenizaError('BAD_OPTION', '--config needs a value');
  const configFile = configFlag ?? findConfigFile(cwd);
  const fromFile = configFile ? await loadConfigFile(configFile) : {};
  const fromEnv = readEnv(env);
  const fromFlags: Partial<BuildSettings> = {};
  for (const spec of BUILD_OPTIONS) {
    const v = flags.get(spec.flag);
    if (v === undefined) continue;
    (fromFlags as Record<string, unknown>)[spec.key] = parseOptionValue(spec, v, `--${spec.flag}`);
  }
  return resolveSettings(fromFile, fromEnv, fromFlags);
}

/** A progress reporter that also keeps every warning, to list them again under the build summary. */
function collectingProgress(base: Progress): Progress & { warnings: string[] } {
  const warnings: string[] = [];
  return { stage: base.stage, info: base.info, warn: (m) => { warnings.push(m); base.warn(m); }, warnings };
}

function intFlag(flags: Map<string, string | true>, name: string, def: number, min: number, max: number): number {
  const v = flags.get(name);
  if (v === undefined) return def;
  return parseOptionValue({ kind: 'int', min, max }, v, `--${name}`) as number;
}

async function runBuild(argv: string[], io: CliIO): Promise<number> {
  const table: FlagTable = { config: 'value' };
  for (const s of BUILD_OPTIONS) table[s.flag] = s.kind === 'boolean' ? 'boolean' : 'value';
  const args = parseArgs(argv, table, 'build');
  if (args.help) { io.stdout.write(buildHelp()); return 0; }
  if (args.positionals.length > 1) {
    throw new GenizaError('BAD_OPTION', `build: expected one <input>, got ${args.positionals.length} (${args.positionals.map((p) => JSON.stringify(p)).join(', ')})`);
  }
  if (args.flags.get('out') === '') throw new GenizaError('BAD_OPTION', '--out needs a value');
  const settings = await resolveBuildSettings(args.flags, io.env);
  const input = args.positionals[0] ?? settings.input;
  if (!input) {
    throw new GenizaError('BAD_OPTION', 'build: missing <input> (a site folder, a folder of .md/.html files or a .jsonl file; or "input" in the config file); see geniza build --help');
  }
  const out = settings.out;
  if (!out) throw new GenizaError('BAD_OPTION', 'build: --out <dir> is required (the folder to write the bundle to; or "out" in the config file)');
  // Loaded only for a build: the trainer and exporter are heavy.
  const { build } = await import('./build.ts');
  const progress = collectingProgress(createProgress({ quiet: settings.quiet, stream: io.stderr }));
  const result = await build({ ...settings, input, out, progress });
  if (!settings.quiet) {
    const m = result.manifest;
    const plural = (n: number, w: string) => `${n.toLocaleString('en-US')} ${w}${n === 1 ? '' : 's'}`;
    io.stderr.write(
      `built ${out}: ${plural(m.corpus.documents, 'document')}${m.corpus.pages !== undefined ? ` (sections of ${plural(m.corpus.pages, 'page')})` : ''}, `
      + `${plural(result.pairs, 'training pair')}, ${formatBytes(result.bundleBytes)}, ${formatDuration(result.seconds)} (bundle ${m.bundleId.slice(0, 12)})\n`,
    );
    if (m.corpus.facets) {
      io.stderr.write(`filters: ${Object.entries(m.corpus.facets).map(([k, v]) => `${k} (${v.join(', ')})`).join('; ')}\n`);
    }
    if (progress.warnings.length > 0) {
      io.stderr.write(`${plural(progress.warnings.length, 'warning')}:\n${progress.warnings.map((w) => `  - ${w}\n`).join('')}`);
    }
  }
  return 0;
}

/** `--mode`: one of SEARCH_MODES (default the first, the engine's default). */
function modeFlag(flags: Map<string, string | true>): SearchMode {
  const v = flags.get('mode');
  if (v === undefined) return SEARCH_MODES[0];
  const mode = SEARCH_MODES.find((m) => m === v);
  if (!mode) throw new GenizaError('BAD_OPTION', `--mode must be one of ${SEARCH_MODES.join(', ')} (got ${JSON.stringify(v)})`);
  return mode;
}

/** `--filter facet:value` flags -> the engine's `filters` (facet -> values; several values of one facet: any of them). */
function parseFilterFlags(values: readonly string[]): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  for (const v of values) {
    const at = v.indexOf(':');
    const facet = at > 0 ? v.slice(0, at).trim() : '';
    const value = at > 0 ? v.slice(at + 1).trim() : '';
    if (!facet || !value) {
      throw new GenizaError('BAD_OPTION', `--filter must be facet:value, e.g. --filter version:2.x (got ${JSON.stringify(v)})`);
    }
    const list = (filters[facet] ??= []);
    if (!list.includes(value)) list.push(value);
  }
  return filters;
}

/** Refuses filters on facets or values the bundle does not have, listing the ones it has (manifest `corpus.facets`). */
function checkFilters(filters: Record<string, string[]>, facets: Record<string, string[]> | undefined, dir: string): void {
  const named = Object.keys(filters);
  if (named.length === 0) return;
  if (!facets || Object.keys(facets).length === 0) {
    throw new GenizaError('BAD_OPTION', `--filter: the bundle in ${dir} has no filters (its documents have no facets; see data-geniza-filter in docs/input-formats.md)`);
  }
  const known = Object.keys(facets).sort();
  for (const facet of named) {
    const values = facets[facet];
    if (!values) {
      throw new GenizaError('BAD_OPTION', `--filter ${facet}:${filters[facet][0]}: the bundle has no facet ${JSON.stringify(facet)} (facets: ${known.join(', ')})`);
    }
    const unknown = filters[facet].find((v) => !values.includes(v));
    if (unknown !== undefined) {
      throw new GenizaError('BAD_OPTION', `--filter ${facet}:${unknown}: no document has this value (values of ${facet}: ${values.join(', ')})`);
    }
  }
}

/** How a hit's title reads in the listing: `page title › section title` for a section of a page. */
function hitTitle(h: { title: string; pageTitle?: string }): string {
  return h.pageTitle && h.pageTitle !== h.title ? `${h.pageTitle} › ${h.title}` : h.title;
}

async function runSearch(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { k: 'value', beams: 'value', mode: 'value', filter: 'repeated' }, 'search');
  if (args.help) { io.stdout.write(SEARCH_HELP); return 0; }
  if (args.positionals.length < 2) {
    throw new GenizaError('BAD_OPTION', 'search: usage geniza search <bundle-dir> <query> [--k N] [--mode M] [--filter facet:value]');
  }
  const [dir, ...rest] = args.positionals;
  const query = rest.join(' ');
  const k = intFlag(args.flags, 'k', 10, 1, 1000);
  const beams = intFlag(args.flags, 'beams', Math.max(k, 10), 1, 1000);
  const mode = modeFlag(args.flags);
  const filters = parseFilterFlags(args.lists.get('filter') ?? []);
  const { openBundle } = await import('./node-search.ts');
  const engine = await openBundle(dir);
  try {
    checkFilters(filters, engine.manifest.corpus.facets, dir);
    const filtered = Object.keys(filters).length > 0;
    const res = await engine.search(query, { k, beams, mode, filters: filtered ? filters : undefined });
    if (res.hits.length === 0) {
      const shown = Object.entries(filters).flatMap(([f, vs]) => vs.map((v) => `${f}:${v}`)).join(' ');
      io.stdout.write(`no results for ${JSON.stringify(query)}${filtered ? ` (filter ${shown})` : ''}\n`);
      return 0;
    }
    if (res.related) io.stdout.write(`no document contains the words of ${JSON.stringify(query)}; related documents (the model's nearest):\n`);
    const w = String(res.hits.length).length;
    for (const [i, h] of res.hits.entries()) {
      io.stdout.write(`${String(i + 1).padStart(w)}. ${hitTitle(h)}  ${h.url ? `(${h.url})  ` : ''}score ${h.score.toFixed(3)}\n`);
    }
    io.stdout.write(`${res.hits.length} result${res.hits.length === 1 ? '' : 's'} in ${res.elapsedMs.toFixed(0)} ms (${mode})\n`);
  } finally {
    await engine.dispose();
  }
  return 0;
}

/** A URL path of a folder as the HTML lines use it: ends with `/`. */
function folderUrl(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

async function runWidget(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { out: 'value', url: 'value', 'bundle-url': 'value', rebuild: 'boolean' }, 'widget');
  if (args.help) { io.stdout.write(WIDGET_HELP); return 0; }
  if (args.positionals.length > 0) {
    throw new GenizaError('BAD_OPTION', `widget: takes no arguments (got ${args.positionals.map((p) => JSON.stringify(p)).join(', ')}); the folder goes in --out <dir>`);
  }
  const str = (name: string): string | undefined => {
    const v = args.flags.get(name);
    if (v === true || v === '') throw new GenizaError('BAD_OPTION', `--${name} needs a value`);
    return v;
  };
  const out = str('out');
  if (!out) throw new GenizaError('BAD_OPTION', 'widget: --out <dir> is required (the folder of your site to copy <geniza-search> into, e.g. --out dist/geniza-widget)');
  const rebuild = args.flags.has('rebuild') ? parseOptionValue({ kind: 'boolean' }, args.flags.get('rebuild') as string | true, '--rebuild') as boolean : false;
  const { exportWidget, WIDGET_ENTRY } = await import('./widget.ts');
  const res = await exportWidget({ out, rebuild, log: (line) => io.stderr.write(`${line}\n`) });
  const total = res.files.reduce((n, f) => n + f.bytes, 0);
  const w = Math.max(...res.files.map((f) => f.path.length)) + 2;
  io.stdout.write(`wrote ${res.files.length} files (${formatBytes(total)}) to ${out}:\n`);
  for (const f of res.files) io.stdout.write(`  ${f.path.padEnd(w)}${formatBytes(f.bytes)}\n`);
  const url = folderUrl(str('url') ?? `/${basename(res.out)}/`);
  const bundleUrl = folderUrl(str('bundle-url') ?? '/geniza/');
  io.stdout.write(`\nAdd to your pages (the script at ${url} as served; the bundle from geniza build at ${bundleUrl}):\n`
    + `  <script type="module" src="${url}${WIDGET_ENTRY}"></script>\n`
    + `  <geniza-search bundle="${bundleUrl}"></geniza-search>\n`);
  return 0;
}

async function runEval(argv: string[], io: CliIO): Promise<number> {
  const table: FlagTable = { bundle: 'value', out: 'value', 'cache-dir': 'value', 'max-queries': 'value', config: 'value' };
  for (const s of EVAL_BUILD_OPTIONS) table[s.flag] = s.kind === 'boolean' ? 'boolean' : 'value';
  const args = parseArgs(argv, table, 'eval');
  if (args.help) { io.stdout.write(evalHelp()); return 0; }
  if (args.positionals.length === 0) {
    throw new GenizaError('BAD_OPTION', 'eval: missing <collection-dir> (a folder with corpus.jsonl, queries.jsonl and qrels.tsv); see geniza eval --help');
  }
  if (args.positionals.length > 1) {
    throw new GenizaError('BAD_OPTION', `eval: expected one <collection-dir>, got ${args.positionals.length} (${args.positionals.map((p) => JSON.stringify(p)).join(', ')})`);
  }
  const str = (name: string): string | undefined => {
    const v = args.flags.get(name);
    if (v === true || v === '') throw new GenizaError('BAD_OPTION', `--${name} needs a value`);
    return v;
  };
  const { input: _input, out: _out, sections: _sections, baseUrl: _baseUrl, maxChars: _maxChars, ...settings } = await resolveBuildSettings(args.flags, io.env);
  const maxQueries = args.flags.has('max-queries') ? intFlag(args.flags, 'max-queries', 0, 1, 1e9) : undefined;
  const { evaluate, formatEvalTable } = await import('./eval.ts');
  const results = await evaluate({
    ...settings,
    timeBudget: settings.timeBudget ?? DEFAULT_EVAL_TIME_BUDGET,
    collection: args.positionals[0],
    bundle: str('bundle'),
    out: str('out'),
    cacheDir: str('cache-dir'),
    maxQueries,
    command: ['geniza', 'eval', ...argv].map((a) => (/^[\w./@:=,+-]+$/.test(a) ? a : JSON.stringify(a))).join(' '),
  });
  io.stdout.write(formatEvalTable(results));
  const out = str('out');
  if (out && !settings.quiet) io.stderr.write(`wrote ${out}\n`);
  return 0;
}

/** Runs the CLI; returns the exit code. Never throws: errors are printed as one line. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') { io.stdout.write(USAGE); return 0; }
    if (cmd === '-v' || cmd === '--version' || cmd === 'version') { io.stdout.write(`${genizaVersion()}\n`); return 0; }
    if (cmd === 'build') return await runBuild(rest, io);
    if (cmd === 'search') return await runSearch(rest, io);
    if (cmd === 'eval') return await runEval(rest, io);
    if (cmd === 'widget') return await runWidget(rest, io);
    throw new GenizaError('BAD_OPTION', `unknown command ${JSON.stringify(cmd)} (commands: build, search, eval, widget; see geniza --help)`);
  } catch (e) {
    const msg = isGenizaError(e) ? e.message : e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
    // On a terminal, first clear a progress bar that may be drawn on the current line.
    io.stderr.write(`${io.stderr.isTTY ? '\r\x1b[K' : ''}geniza: ${msg.split('\n')[0]}\n`);
    if (!isGenizaError(e) && io.env.GENIZA_DEBUG && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    return 1;
  }
}
