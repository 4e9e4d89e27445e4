/**
 * Bundle manifest (`manifest.json`) validation: the one check at the edge between `geniza build` and the page.
 * Every field is checked; the first bad one is reported by its path, e.g.
 * `bundle manifest: files.trie.sha256 must be a 64-char hex string (got "x")`.
 */
import { GenizaError } from './errors.ts';
import type { BundleFileName, BundleManifest, BundleRanking, FileEntry, ModelConfig } from './types.ts';

/** Bundle format version written and read by this geniza. */
export const FORMAT_VERSION = 1;

/** The files every bundle lists, in manifest order. */
export const BUNDLE_FILES: readonly BundleFileName[] = ['encoder', 'decoder', 'tokenizer', 'trie', 'docs'];

const HEX64 = /^[0-9a-fA-F]{64}$/;
/** Most models one bundle's graphs may hold (`model.members`). */
export const MAX_MEMBERS = 8;

const MODEL_FIELDS: readonly (keyof ModelConfig)[] = [
  'dModel', 'heads', 'ffn', 'encoderLayers', 'decoderLayers', 'srcVocab', 'tgtVocab', 'maxSrcLen', 'maxTgtLen',
];

type Obj = Record<string, unknown>;

function fail(message: string): never {
  throw new GenizaError('BAD_BUNDLE', `bundle manifest: ${message}`);
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${path} must be an object (got ${show(v)})`);
  return v as Obj;
}

function str(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0) fail(`${path}${key} must be a non-empty string (got ${show(v)})`);
  return v as string;
}

function int(o: Obj, key: string, path: string, min: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    const what = min === 1 ? 'a positive integer' : min === Number.MIN_SAFE_INTEGER ? 'an integer' : `an integer >= ${min}`;
    fail(`${path}${key} must be ${what} (got ${show(v)})`);
  }
  return v as number;
}

function num(o: Obj, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${path}${key} must be a finite number (got ${show(v)})`);
  return v as number;
}

function hex64(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string' || !HEX64.test(v)) fail(`${path}${key} must be a 64-char hex string (got ${show(v)})`);
  return (v as string).toLowerCase();
}

function literal<T extends string>(o: Obj, key: string, path: string, value: T): T {
  return oneOf(o, key, path, [value]);
}

type DocidScheme = BundleManifest['docids']['scheme'];
/** Docid schemes a bundle may use: a record keyed by the type, so adding a scheme to it without listing it here fails to compile. */
const DOCID_SCHEME_SET: Record<DocidScheme, true> = { 'semantic-kmeans': true, atomic: true };
const DOCID_SCHEMES = Object.keys(DOCID_SCHEME_SET) as DocidScheme[];

/** `o[key]`, which must be one of `values` (the message names them all). */
function oneOf<T extends string>(o: Obj, key: string, path: string, values: readonly T[]): T {
  const v = o[key];
  if (!values.includes(v as T)) fail(`${path}${key} must be ${values.map((x) => `"${x}"`).join(' or ')} (got ${show(v)})`);
  return v as T;
}

function fileEntry(v: unknown, name: string): FileEntry {
  const path = `files.${name}.`;
  const o = obj(v, `files.${name}`);
  const p = str(o, 'path', path);
  if (p.startsWith('/') || p.includes('\\') || p.split('/').some((seg) => seg === '..' || seg === '' || seg === '.') || /^[a-z][a-z0-9+.-]*:/i.test(p)) {
    fail(`${path}path must be a plain relative path inside the bundle (got ${show(p)})`);
  }
  return { path: p, bytes: int(o, 'bytes', path, 1), sha256: hex64(o, 'sha256', path) };
}

/**
 * Checks a parsed `manifest.json` and returns it as a BundleManifest (hashes lowercased, unknown fields dropped).
 * GenizaError('BUNDLE_VERSION') for a format version this geniza does not read, GenizaError('BAD_BUNDLE')
 * naming the first bad field otherwise.
 */
export function validateManifest(json: unknown): BundleManifest {
  const m = obj(json, 'manifest.json');
  const version = m.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    fail(`formatVersion must be a positive integer (got ${show(version)})`);
  }
  if (version !== FORMAT_VERSION) {
    throw new GenizaError(
      'BUNDLE_VERSION',
      `bundle format version ${version} is not supported by this geniza (supports ${FORMAT_VERSION}): rebuild the bundle with \`geniza build\` from the same geniza version`,
    );
  }
  const generator = str(m, 'generator', '');
  const createdAt = str(m, 'createdAt', '');
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(createdAt) || Number.isNaN(Date.parse(createdAt))) {
    fail(`createdAt must be an ISO 8601 date-time (got ${show(createdAt)})`);
  }
  const bundleId = hex64(m, 'bundleId', '');
  const corpus = obj(m.corpus, 'corpus');
  const documents = int(corpus, 'documents', 'corpus.', 1);

  const mo = obj(m.model, 'model');
  const model = {} as ModelConfig;
  for (const f of MODEL_FIELDS) model[f] = int(mo, f, 'model.', 1);
  if (mo.members !== undefined) {
    model.members = int(mo, 'members', 'model.', 1);
    if (model.members > MAX_MEMBERS) fail(`model.members must be at most ${MAX_MEMBERS} (got ${model.members})`);
  }
  if (model.dModel % model.heads !== 0) fail(`model.dModel (${model.dModel}) must be divisible by model.heads (${model.heads})`);

  const d = obj(m.docids, 'docids');
  const scheme = oneOf(d, 'scheme', 'docids.', DOCID_SCHEMES);
  const branching = int(d, 'branching', 'docids.', 2);
  const maxLength = int(d, 'maxLength', 'docids.', 1);
  if (model.tgtVocab < 1 + branching * maxLength) {
    fail(`model.tgtVocab (${model.tgtVocab}) must be at least 1 + docids.branching * docids.maxLength (${1 + branching * maxLength})`);
  }
  if (model.maxTgtLen < maxLength) fail(`model.maxTgtLen (${model.maxTgtLen}) must be at least docids.maxLength (${maxLength})`);

  const t = obj(m.tokenizer, 'tokenizer');
  const type = literal(t, 'type', 'tokenizer.', 'wordpiece');
  const vocabSize = int(t, 'vocabSize', 'tokenizer.', 2);
  if (model.srcVocab < vocabSize) fail(`model.srcVocab (${model.srcVocab}) must be at least tokenizer.vocabSize (${vocabSize})`);

  const fo = obj(m.files, 'files');
  const files = {} as Record<BundleFileName, FileEntry>;
  for (const name of BUNDLE_FILES) files[name] = fileEntry(fo[name], name);

  const manifest: BundleManifest = {
    formatVersion: version, generator, createdAt, bundleId,
    corpus: corpusOf(corpus, documents), model, docids: { scheme, branching, maxLength }, tokenizer: { type, vocabSize }, files,
  };
  if (m.training !== undefined) {
    const tr = obj(m.training, 'training');
    manifest.training = {
      examples: int(tr, 'examples', 'training.', 0),
      steps: int(tr, 'steps', 'training.', 0),
      seconds: num(tr, 'seconds', 'training.'),
      finalLoss: num(tr, 'finalLoss', 'training.'),
      seed: int(tr, 'seed', 'training.', Number.MIN_SAFE_INTEGER),
    };
    if (tr.batchSize !== undefined) manifest.training.batchSize = int(tr, 'batchSize', 'training.', 1);
    if (tr.learningRate !== undefined) manifest.training.learningRate = num(tr, 'learningRate', 'training.');
    if (tr.anchorDecay !== undefined) manifest.training.anchorDecay = num(tr, 'anchorDecay', 'training.');
  }
  if (m.ranking !== undefined) manifest.ranking = ranking(m.ranking);
  return manifest;
}

function heldOutKind(v: unknown): 'cloze' | 'pseudo-queries' {
  if (v !== 'cloze' && v !== 'pseudo-queries') fail(`ranking.heldOut.kind must be "cloze" or "pseudo-queries" (got ${show(v)})`);
  return v;
}

/** `ranking` (optional, additive): fusion method, weights, and what the fit measured. */
function ranking(v: unknown): BundleRanking {
  const r = obj(v, 'ranking');
  if (r.fusion !== 'linear' && r.fusion !== 'rrf') fail(`ranking.fusion must be "linear" or "rrf" (got ${show(r.fusion)})`);
  const w = num(r, 'generativeWeight', 'ranking.');
  if (w < 0 || w > 1) fail(`ranking.generativeWeight must be from 0 to 1 (got ${w})`);
  const prior = num(r, 'lexicalPrior', 'ranking.');
  if (prior < 0) fail(`ranking.lexicalPrior must be >= 0 (got ${prior})`);
  const out: BundleRanking = { fusion: r.fusion as BundleRanking['fusion'], generativeWeight: w, lexicalPrior: prior };
  if (r.heldOut !== undefined) {
    const h = obj(r.heldOut, 'ranking.heldOut');
    const mrr = obj(h.mrr, 'ranking.heldOut.mrr');
    out.heldOut = {
      queries: int(h, 'queries', 'ranking.heldOut.', 0),
      seed: int(h, 'seed', 'ranking.heldOut.', Number.MIN_SAFE_INTEGER),
      seconds: num(h, 'seconds', 'ranking.heldOut.'),
      ...(h.kind === undefined ? {} : { kind: heldOutKind(h.kind) }),
      mrr: { lexical: num(mrr, 'lexical', 'ranking.heldOut.mrr.'), generative: num(mrr, 'generative', 'ranking.heldOut.mrr.'), hybrid: num(mrr, 'hybrid', 'ranking.heldOut.mrr.') },
    };
  }
  return out;
}

/** `corpus` with its optional, additive `pages` (an integer >= 1) and `facets` (facet -> array of strings). */
function corpusOf(c: Obj, documents: number): BundleManifest['corpus'] {
  const out: BundleManifest['corpus'] = { documents };
  if (c.pages !== undefined) out.pages = int(c, 'pages', 'corpus.', 1);
  if (c.facets !== undefined) {
    const f = obj(c.facets, 'corpus.facets');
    const facets: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(f)) {
      if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) {
        fail(`corpus.facets.${key} must be an array of strings (got ${show(values)})`);
      }
      facets[key] = values as string[];
    }
    out.facets = facets;
  }
  return out;
}
