/**
 * Build settings: the one table of options with their defaults, and how they are read from a config file
 * (`geniza.config.json` or `geniza.config.ts`), the environment (`GENIZA_*`) and command-line flags. Later sources
 * win: config file < environment < flags. Every bad value fails with the option's name, the rule and the value.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GenizaError } from '../core/errors.ts';
import { MAX_MEMBERS } from '../core/manifest.ts';
import { DEFAULT_VOCAB_SIZE } from '../core/tokenizer.ts';
import { DEFAULT_MODEL } from '../model/config.ts';
import { AUTO_MIN_STEPS } from '../model/train.ts';
import { ATOMIC_MAX_DOCS } from './docids.ts';
import { DEFAULT_QUERIES_PER_DOC } from './pseudo-queries.ts';

/** Settings of `geniza build` (all have defaults except where noted). */
export interface BuildSettings {
  /**
   * Passes over the training pairs (default: auto, `autoEpochs`: one pass, or as many as make AUTO_MIN_STEPS steps
   * on a small corpus; more passes fit the pseudo-queries better and real queries worse: BENCHMARKS.md).
   */
  epochs?: number;
  /** Stop training after this many seconds (default 1080, 18 minutes). */
  timeBudget?: number;
  /** Seed of every random choice (default 42). */
  seed: number;
  /** Model width (default 128; divisible by 4 heads). */
  dModel: number;
  /** Encoder layers = decoder layers (default 1: at a fixed time budget twice the training examples of 2, which pays more; BENCHMARKS.md). */
  layers: number;
  /** Children per docid tree node, K (default 32). */
  branching: number;
  /** Docid scheme: `atomic` (one token per document), `semantic` (k-means tree) or `auto` (atomic up to ATOMIC_MAX_DOCS documents; default). */
  docids: string;
  /** Initial parameters: `warm` (the untrained model already retrieves, src/model/warm-start.ts) or `random` (default warm). */
  init: string;
  /** Pseudo-queries per document (default 50; with one pass over them, every training pair is fresh). */
  queriesPerDoc: number;
  /**
   * Models trained (seeds seed, seed + 1, ...) whose scores the bundle's graphs average (default 1). Each costs its own
   * training (the time budget is shared) and adds its weights to the download; two or three gained nDCG@10 on every
   * collection measured (BENCHMARKS.md).
   */
  models: number;
  /**
   * Bits per value of the exported query-token table: 8 (default, int8 like every other weight) or 4 (a fifth to a
   * quarter less download with a full vocabulary, for about 0.003 nDCG@10 of the model alone; BENCHMARKS.md).
   */
  embeddingBits: number;
  /** Target WordPiece vocabulary size (default DEFAULT_VOCAB_SIZE, 32000; smaller corpora get a smaller one). */
  vocabSize: number;
  /** Print nothing but errors (default false). */
  quiet: boolean;
  /** Folder, .jsonl or single file to index (default: the command's <input> argument; required somewhere). */
  input?: string;
  /** Folder the bundle is written to (default: none; required by `geniza build`). */
  out?: string;
  /** Split Markdown and HTML pages into one document per section at their headings (default true). */
  sections: boolean;
  /** Prefix of every url derived from a file path, e.g. `/` or `/docs/` (default none: paths relative to the site root). */
  baseUrl?: string;
  /** Longest stored text per document in characters; longer ones are cut with a warning (default 20000). */
  maxChars: number;
}

type Kind = 'int' | 'number' | 'boolean' | 'string';

/** One option of `geniza build`. */
export interface OptionSpec {
  /** Key in BuildSettings and in the config file (camelCase). */
  key: keyof BuildSettings;
  /** Command-line flag without dashes (kebab-case). */
  flag: string;
  kind: Kind;
  /** Placeholder in help, e.g. `<n>`. */
  arg?: string;
  min?: number;
  max?: number;
  /** Extra rule checked after the range, returning a message fragment when broken. */
  check?: (v: number) => string | undefined;
  /** The values a string option may take. */
  choices?: readonly string[];
  /** One line of help. */
  help: string;
  /** How the default reads in help when it is not a plain value (e.g. computed at build time). */
  defaultHelp?: string;
}

/** What a value must be: the part of an OptionSpec that `parseOptionValue` checks. */
export type ValueRule = Pick<OptionSpec, 'kind' | 'min' | 'max' | 'check' | 'choices'>;

/** Default settings. */
export const DEFAULT_SETTINGS: Readonly<BuildSettings> = {
  epochs: undefined,
  timeBudget: 1080,
  seed: 42,
  dModel: DEFAULT_MODEL.dModel,
  layers: DEFAULT_MODEL.encoderLayers,
  branching: 32,
  docids: 'auto',
  init: 'warm',
  queriesPerDoc: DEFAULT_QUERIES_PER_DOC,
  models: 1,
  embeddingBits: 8,
  vocabSize: DEFAULT_VOCAB_SIZE,
  quiet: false,
  input: undefined,
  out: undefined,
  sections: true,
  baseUrl: undefined,
  maxChars: 20_000,
};

/** Training time budget of `geniza eval` when none is given, in seconds: the build's. */
export const DEFAULT_EVAL_TIME_BUDGET = DEFAULT_SETTINGS.timeBudget!;

/** Number of attention heads (fixed): dModel must be a multiple of it. */
export const HEADS = 4;

/** Every build option, in help order. */
export const BUILD_OPTIONS: readonly OptionSpec[] = [
  { key: 'out', flag: 'out', kind: 'string', arg: '<dir>', help: 'folder the bundle is written to' },
  { key: 'input', flag: 'input', kind: 'string', arg: '<path>', help: 'what to index, instead of the <input> argument: a site or docs folder, a .jsonl file' },
  { key: 'sections', flag: 'sections', kind: 'boolean', help: 'split pages into one document per section at headings with anchors; --no-sections keeps one per page' },
  { key: 'baseUrl', flag: 'base-url', kind: 'string', arg: '<prefix>', help: 'prefix of urls made from file paths, e.g. / or /docs/ (none: relative to the site root)' },
  { key: 'maxChars', flag: 'max-chars', kind: 'int', arg: '<n>', min: 100, max: 10_000_000, help: 'longest stored text per document; longer ones are cut with a warning' },
  { key: 'epochs', flag: 'epochs', kind: 'int', arg: '<n>', min: 1, max: 100000, help: 'passes over the training pairs', defaultHelp: `auto: one pass, at least ${AUTO_MIN_STEPS} steps` },
  { key: 'timeBudget', flag: 'time-budget', kind: 'number', arg: '<seconds>', min: 1, help: 'stop training after this many seconds (the model so far is exported)' },
  { key: 'seed', flag: 'seed', kind: 'int', arg: '<n>', min: 0, max: 2 ** 31 - 1, help: 'seed of every random choice (k-means, pseudo-queries, init, batch order)' },
  { key: 'dModel', flag: 'd-model', kind: 'int', arg: '<n>', min: 8, max: 1024, check: (v) => (v % HEADS === 0 ? undefined : `divisible by ${HEADS}`), help: 'model width (hidden size)' },
  { key: 'layers', flag: 'layers', kind: 'int', arg: '<n>', min: 1, max: 12, help: 'encoder layers and decoder layers' },
  { key: 'branching', flag: 'branching', kind: 'int', arg: '<n>', min: 2, max: 256, help: 'children per node of the docid tree (K)' },
  { key: 'docids', flag: 'docids', kind: 'string', arg: '<scheme>', choices: ['auto', 'atomic', 'semantic'], help: `docid scheme: atomic (one token per document), semantic (k-means tree of K children) or auto (atomic up to ${ATOMIC_MAX_DOCS.toLocaleString('en-US')} documents)` },
  { key: 'init', flag: 'init', kind: 'string', arg: '<how>', choices: ['warm', 'random'], help: 'initial model: warm (retrieves before training, from the corpus\'s token statistics) or random' },
  { key: 'queriesPerDoc', flag: 'queries-per-doc', kind: 'int', arg: '<n>', min: 1, max: 10000, help: 'pseudo-queries generated per document' },
  { key: 'models', flag: 'models', kind: 'int', arg: '<n>', min: 1, max: MAX_MEMBERS, help: 'models trained with different seeds whose scores are averaged (each adds its training time and its weights; 2-3 rank better)' },
  { key: 'embeddingBits', flag: 'embedding-bits', kind: 'int', arg: '<4|8>', min: 4, max: 8, check: (v) => (v % 4 === 0 ? undefined : 'a multiple of 4'), help: 'bits per value of the exported query-token table: 8 (int8, like the other weights) or 4 (a smaller download, slightly less exact)' },
  { key: 'vocabSize', flag: 'vocab-size', kind: 'int', arg: '<n>', min: 100, max: 100000, help: 'target WordPiece vocabulary size' },
  { key: 'quiet', flag: 'quiet', kind: 'boolean', help: 'print nothing but errors (no progress, no summary)' },
];

/** Environment variable of an option: `GENIZA_` + flag in upper case with `_` for `-`. */
export function envName(spec: OptionSpec): string {
  return `GENIZA_${spec.flag.toUpperCase().replace(/-/g, '_')}`;
}

/** Describes the rule of an option, e.g. `an integer >= 1`. */
function ruleOf(spec: ValueRule): string {
  const base = spec.kind === 'int' ? 'an integer' : spec.kind === 'number' ? 'a number' : spec.kind === 'string' ? 'a non-empty string' : 'true or false';
  if (spec.choices) return `one of ${spec.choices.map((c) => JSON.stringify(c)).join(', ')}`;
  if (spec.kind === 'boolean' || spec.kind === 'string') return base;
  if (spec.min !== undefined && spec.max !== undefined) return `${base} from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return `${base} >= ${spec.min}`;
  return base;
}

/** Parses and checks one value of an option; `name` is how the user wrote it (e.g. `--epochs`, `GENIZA_EPOCHS`). */
export function parseOptionValue(spec: ValueRule, raw: unknown, name: string): number | boolean | string {
  const shown = typeof raw === 'string' ? JSON.stringify(raw) : String(raw);
  const bad = (rule = ruleOf(spec)): never => {
    throw new GenizaError('BAD_OPTION', `${name} must be ${rule} (got ${shown})`);
  };
  if (spec.kind === 'string') {
    if (typeof raw !== 'string' || raw.trim() === '') return bad();
    return spec.choices && !spec.choices.includes(raw) ? bad() : raw;
  }
  if (spec.kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === '1' || raw === '') return true;
    if (raw === 'false' || raw === '0') return false;
    return bad();
  }
  let v: number;
  if (typeof raw === 'number') v = raw;
  else if (typeof raw === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(raw)) v = Number(raw);
  else return bad();
  if (!Number.isFinite(v)) return bad();
  if (spec.kind === 'int' && !Number.isInteger(v)) return bad();
  if (spec.min !== undefined && v < spec.min) return bad();
  if (spec.max !== undefined && v > spec.max) return bad();
  const extra = spec.check?.(v);
  if (extra) return bad(`${ruleOf(spec)} and ${extra}`);
  return v;
}

/** Config files looked for in the working folder, in this order, when `--config` is not given. */
export const CONFIG_FILE_NAMES = ['geniza.config.json', 'geniza.config.ts', 'geniza.config.mjs', 'geniza.config.js'];

/** The config file of folder `dir`, if it has one; two of them is an error (which one counts would be a guess). */
export function findConfigFile(dir = '.'): string | undefined {
  const found = CONFIG_FILE_NAMES.filter((n) => existsSync(join(dir, n)));
  if (found.length > 1) throw new GenizaError('BAD_OPTION', `found ${found.join(' and ')} in ${resolve(dir)}: keep one config file (or pick one with --config)`);
  return found.length === 1 ? join(dir, found[0]) : undefined;
}

/** Checks the options object of a config file: unknown keys and bad values are errors naming the key and the file. */
export function checkConfigObject(json: unknown, file: string): Partial<BuildSettings> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new GenizaError('BAD_OPTION', `config file ${file} must hold an object of options (got ${Array.isArray(json) ? 'an array' : json === null ? 'null' : typeof json})`);
  }
  const out: Partial<BuildSettings> = {};
  for (const [key, value] of Object.entries(json)) {
    if (key.startsWith('$') || key === '//') continue;
    const spec = BUILD_OPTIONS.find((s) => s.key === key);
    if (!spec) {
      const known = BUILD_OPTIONS.map((s) => s.key).join(', ');
      throw new GenizaError('BAD_OPTION', `config file ${file}: unknown option "${key}" (known: ${known})`);
    }
    if (value === undefined) continue;
    (out as Record<string, unknown>)[key] = parseOptionValue(spec, value, `${file}: ${key}`);
  }
  return out;
}

/** Reads a JSON config file (camelCase option names); unknown keys and bad values are errors naming the file. */
export function readConfigFile(file: string): Partial<BuildSettings> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new GenizaError('UNREADABLE_FILE', `cannot read config file ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new GenizaError('BAD_OPTION', `config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return checkConfigObject(json, file);
}

/**
 * Reads a config file: JSON (`.json`), or a module (`.ts`, `.mts`, `.js`, `.mjs`) whose default export is the
 * options object (TypeScript runs through tsx, as the CLI does).
 * @example // geniza.config.ts
 *   export default { out: 'dist/geniza', epochs: 30, baseUrl: '/' };
 */
export async function loadConfigFile(file: string): Promise<Partial<BuildSettings>> {
  const ext = extname(file).toLowerCase();
  if (!['.ts', '.mts', '.js', '.mjs'].includes(ext)) return readConfigFile(file);
  if (!existsSync(file)) throw new GenizaError('UNREADABLE_FILE', `cannot read config file ${file}: no such file`);
  let mod: { default?: unknown };
  try {
    mod = await import(pathToFileURL(resolve(file)).href) as { default?: unknown };
  } catch (e) {
    throw new GenizaError('BAD_OPTION', `config file ${file} failed to load: ${(e as Error).message?.split('\n')[0] ?? String(e)}`);
  }
  if (mod.default === undefined) throw new GenizaError('BAD_OPTION', `config file ${file} has no default export (write: export default { ... })`);
  return checkConfigObject(mod.default, file);
}

/** Reads the `GENIZA_*` variables of known options from `env`. */
export function readEnv(env: Record<string, string | undefined>): Partial<BuildSettings> {
  const out: Partial<BuildSettings> = {};
  for (const spec of BUILD_OPTIONS) {
    const name = envName(spec);
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    (out as Record<string, unknown>)[spec.key] = parseOptionValue(spec, raw, name);
  }
  return out;
}

/** Merges sources in precedence order: defaults < config file < environment < flags. */
export function resolveSettings(...sources: Partial<BuildSettings>[]): BuildSettings {
  const s: BuildSettings = { ...DEFAULT_SETTINGS };
  for (const src of sources) {
    for (const [k, v] of Object.entries(src)) if (v !== undefined) (s as unknown as Record<string, unknown>)[k] = v;
  }
  return s;
}
