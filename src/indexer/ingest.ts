/**
 * Stage 1, ingest: reads the user's input (a folder of Markdown or HTML pages, or a JSONL file) into SourceDocs.
 * Every problem a user can cause is a GenizaError whose one-line message names the file, line or id.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import { GenizaError, isGenizaError } from '../core/errors.ts';
import { eachJsonLine } from './jsonl.ts';
import type { SourceDoc } from '../core/types.ts';
import { readHtmlPage, type HtmlPage } from './html.ts';
import { parseMarkdown } from './markdown.ts';
import { sectionDocs } from './sections.ts';

/** Extensions read from a folder, by kind. */
export const MARKDOWN_EXTENSIONS = ['.md', '.markdown'];
export const HTML_EXTENSIONS = ['.html', '.htm'];

/** Options of `ingest`. */
export interface IngestOptions {
  /** Longest stored text per document in characters; longer ones are cut with a warning (default 20000). */
  maxChars?: number;
  /** Receives warnings (e.g. truncated documents); default: ignore. */
  onWarning?: (message: string) => void;
  /** Keep documents whose text is empty (evaluation collections have a few; they are found by title). Default false. */
  allowEmptyText?: boolean;
  /** Split Markdown and HTML pages into one document per section at their headings (default true). */
  sections?: boolean;
  /** Prefix of every url derived from a file path, e.g. `/` or `https://example.com/docs/` (default none). */
  baseUrl?: string;
}

/** Default of `IngestOptions.maxChars`. */
export const DEFAULT_MAX_CHARS = 20_000;

function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a folder, not a file';
    case 'ENOTDIR': return 'not a folder';
    default: return err?.message ?? String(e);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

async function readText(file: string, shown: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new GenizaError('UNREADABLE_FILE', `cannot read ${shown}: ${describeFsError(e)}`);
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new GenizaError('UNREADABLE_FILE', `cannot read ${shown}: not valid UTF-8 text`);
  }
}

/** All files under `dir` (recursively, sorted, skipping hidden entries and node_modules) with one of `exts`. */
async function listFiles(dir: string, exts: string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      throw new GenizaError('UNREADABLE_FILE', `cannot read folder ${d}: ${describeFsError(e)}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      if (ent.name.startsWith('.') || ent.name === 'node_modules') continue;
      const p = join(d, ent.name);
      if (ent.isDirectory()) await walk(p);
      else if ((ent.isFile() || ent.isSymbolicLink()) && exts.includes(extname(ent.name).toLowerCase())) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

/** Cuts `text` to at most `max` characters at a word boundary. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.search(/\s\S*$/);
  return (space > max * 0.8 ? cut.slice(0, space) : cut).trimEnd();
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/** Options of the one-file readers. */
export interface PageOptions {
  /** One document per section (default true). */
  sections?: boolean;
  /** Prefix of urls derived from the path (default none). */
  baseUrl?: string;
  /** Receives problems found in the file (the file name is added by the caller). */
  onProblem?: (message: string) => void;
}

/**
 * Reads one Markdown file into documents: one per section (ids `path#slug`) or one per page. The page id is the
 * front matter `id` or the relative path; its url the front matter `url` or the path with `.html` for `.md`.
 * A front matter `description` opens the lead section; `filters` become the facets of every section.
 */
export function markdownDocs(source: string, relPath: string, opts: PageOptions = {}): SourceDoc[] {
  const md = parseMarkdown(source);
  const fm = md.frontMatter;
  const fileName = relPath.split('/').pop()!.replace(/\.[^.]+$/, '');
  const title = fm.title || md.firstHeading || fileName;
  const url = fm.url || `${opts.baseUrl ?? ''}${relPath.replace(/\.(md|markdown)$/i, '.html')}`;
  const sections = md.sections;
  const lead = sections[0];
  if (md.firstHeading && md.firstHeading !== title) {
    // The front matter title won: keep the `#` heading as an ordinary heading of the lead section.
    lead.lines.unshift(md.firstHeading);
    lead.headings.unshift(md.firstHeading);
  }
  if (fm.description && lead.lines[0] !== fm.description) lead.lines.unshift(fm.description);
  for (const p of md.problems) opts.onProblem?.(p);
  return sectionDocs({ id: fm.id || relPath, url, title, sections, filters: md.filters }, { split: opts.sections });
}

/** The url of an HTML file: its relative path, `dir/index.html` as `dir/` (the root index as the base url or `./`). */
export function htmlUrl(relPath: string, baseUrl = ''): string {
  if (relPath === 'index.html' || relPath === 'index.htm') return baseUrl || './';
  return `${baseUrl}${relPath.replace(/(^|\/)index\.html?$/i, '$1')}`;
}

/** Reads one HTML page (already parsed) into documents: one per section (ids `path#anchor`) or one per page. */
export function htmlDocs(page: HtmlPage, relPath: string, title: string, opts: PageOptions = {}): SourceDoc[] {
  for (const p of page.problems) opts.onProblem?.(p);
  return sectionDocs({ id: relPath, url: htmlUrl(relPath, opts.baseUrl), title, sections: page.sections, filters: page.filters }, { split: opts.sections });
}

/**
 * A `<title>` suffix shared by several pages, like ` | My Site` or ` - Docs`: the text after the last ` | `, ` - `,
 * ` – ` or ` — ` of each title, counted over `titles`; the suffix of at least two titles, else undefined.
 */
export function commonTitleSuffix(titles: string[]): ((title: string) => string) {
  const suffixOf = (t: string): string | undefined => {
    const m = /\s[|\-\u2013\u2014\u00b7]\s(?!.*\s[|\-\u2013\u2014\u00b7]\s)/.exec(t);
    return m ? t.slice(m.index) : undefined;
  };
  const counts = new Map<string, number>();
  for (const t of titles) {
    const s = suffixOf(t);
    if (s) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return (title) => {
    const s = suffixOf(title);
    return s && (counts.get(s) ?? 0) >= 2 && title.length > s.length ? title.slice(0, -s.length).trim() : title;
  };
}

/** Most problems reported one by one per file; the rest are counted in one more warning. */
export const MAX_PROBLEMS_PER_FILE = 5;

/** Passes a file's problems on as warnings `file: problem`, at most MAX_PROBLEMS_PER_FILE of them plus a count. */
function reportProblems(shown: string, problems: string[], onWarning?: (m: string) => void): void {
  for (const p of problems.slice(0, MAX_PROBLEMS_PER_FILE)) onWarning?.(`${shown}: ${p}`);
  const rest = problems.length - MAX_PROBLEMS_PER_FILE;
  if (rest > 0) onWarning?.(`${shown}: ${rest} more problem${rest === 1 ? '' : 's'} like these`);
}

/** Is this the 404 page of a site (`404.html`, `404/index.html`)? */
function isNotFoundPage(relPath: string): boolean {
  return /(^|\/)404(\.html?|\/index\.html?)$/i.test(relPath);
}

/** Checks a JSONL `filters` value: an object whose values are strings or arrays of strings. */
function jsonlFilters(v: unknown, where: string): Record<string, string[]> {
  const bad = (): never => { throw new GenizaError('BAD_INPUT', `${where} must be an object of strings or string arrays, e.g. {"version": "2.x", "tags": ["a", "b"]}`); };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad();
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(v)) {
    const values = typeof value === 'string' ? [value] : Array.isArray(value) && value.every((x) => typeof x === 'string') ? value as string[] : bad();
    const kept = [...new Set(values.map((x) => x.trim()).filter(Boolean))].sort();
    if (key.trim() && kept.length > 0) out[key.trim()] = kept;
  }
  return out;
}

/**
 * Parses a JSONL corpus: one `{id, title, text, url?, headings?, pageTitle?, filters?}` object per line; blank lines
 * are skipped.
 * `id` may be a number; an empty `title` stays empty (checkDocs gives it the id); other fields are ignored.
 */
export function jsonlDocs(content: string, shown: string): SourceDoc[] {
  const docs: SourceDoc[] = [];
  eachJsonLine(content, shown, (o, where) => {
    const id = typeof o.id === 'number' ? String(o.id) : o.id;
    if (typeof id !== 'string' || !id.trim()) throw new GenizaError('BAD_INPUT', `${where}: "id" must be a non-empty string or number`);
    if (typeof o.title !== 'string') throw new GenizaError('BAD_INPUT', `${where}: "title" must be a string (document "${id}")`);
    if (typeof o.text !== 'string') throw new GenizaError('BAD_INPUT', `${where}: "text" must be a string (document "${id}")`);
    if (o.url !== undefined && typeof o.url !== 'string') throw new GenizaError('BAD_INPUT', `${where}: "url" must be a string (document "${id}")`);
    let headings: string[] | undefined;
    if (o.headings !== undefined) {
      if (!Array.isArray(o.headings) || o.headings.some((h) => typeof h !== 'string')) {
        throw new GenizaError('BAD_INPUT', `${where}: "headings" must be an array of strings (document "${id}")`);
      }
      headings = o.headings as string[];
    }
    if (o.pageTitle !== undefined && typeof o.pageTitle !== 'string') {
      throw new GenizaError('BAD_INPUT', `${where}: "pageTitle" must be a string (document "${id}")`);
    }
    const filters = o.filters === undefined ? undefined : jsonlFilters(o.filters, `${where}: "filters" (document "${id}")`);
    // An empty title (common in research collections) is left to checkDocs: it shows the id and is marked untitled.
    const doc: SourceDoc = { id, title: o.title.trim(), text: o.text.trim(), url: o.url as string | undefined, headings, source: where };
    if (typeof o.pageTitle === 'string' && o.pageTitle.trim()) doc.pageTitle = o.pageTitle.trim();
    if (filters && Object.keys(filters).length > 0) doc.filters = filters;
    docs.push(doc);
  }, 'a JSON object {"id", "title", "text"}');
  return docs;
}

/**
 * Checks ids are unique and every document has text (unless `allowEmptyText`); truncates huge texts (with a warning);
 * a document without a title shows its id (marked `untitled`).
 */
export function checkDocs(docs: SourceDoc[], opts: IngestOptions = {}): SourceDoc[] {
  const max = opts.maxChars ?? DEFAULT_MAX_CHARS;
  const seen = new Map<string, SourceDoc>();
  for (const d of docs) {
    const prev = seen.get(d.id);
    if (prev) {
      throw new GenizaError('DUPLICATE_ID', `duplicate document id "${d.id}" in ${prev.source ?? '?'} and ${d.source ?? '?'}`);
    }
    seen.set(d.id, d);
    d.text = d.text.trim();
    if (typeof d.title !== 'string' || !d.title.trim()) {
      d.title = d.id;
      d.untitled = true;
    }
    if (!d.text && !opts.allowEmptyText) {
      throw new GenizaError('EMPTY_DOCUMENT', `document "${d.id}"${d.source && d.source !== d.id ? ` (${d.source})` : ''} has no text`);
    }
    if (d.text.length > max) {
      const where = d.source && d.source !== d.id ? ` (${d.source})` : '';
      opts.onWarning?.(`document "${d.id}"${where} has ${d.text.length} characters; keeping the first ${max}`);
      d.text = truncate(d.text, max);
    }
  }
  return docs;
}

/** One file of a folder, read. */
type ReadFile = { rel: string; shown: string } & ({ kind: 'md'; content: string } | { kind: 'html'; page: HtmlPage });

/**
 * Reads a folder: Markdown files and HTML pages (404 pages, `noindex` pages and redirect stubs skipped, with one
 * warning per reason listing them). An HTML page with no text is skipped with a warning; a `<title>` suffix that
 * several pages share (` | Site`) is dropped from titles that come from `<title>`.
 */
async function ingestFolder(input: string, opts: IngestOptions): Promise<SourceDoc[]> {
  const root = resolve(input);
  const all = [...MARKDOWN_EXTENSIONS, ...HTML_EXTENSIONS];
  const files = await listFiles(root, all);
  const skipped: Record<string, string[]> = {};
  const skip = (why: string, rel: string) => { (skipped[why] ??= []).push(rel); };
  const read: ReadFile[] = [];
  for (const f of files) {
    const rel = toPosix(relative(root, f));
    const shown = join(input, rel);
    if (MARKDOWN_EXTENSIONS.includes(extname(f).toLowerCase())) { read.push({ rel, shown, kind: 'md', content: await readText(f, shown) }); continue; }
    if (isNotFoundPage(rel)) { skip('404 page', rel); continue; }
    let content: string;
    try {
      content = await readText(f, shown);
    } catch (e) {
      // One page of a built site in a legacy encoding should not stop the build: skip it, with a warning.
      if (isGenizaError(e) && /not valid UTF-8/.test(e.message)) { skip('not UTF-8 text', rel); continue; }
      throw e;
    }
    const page = readHtmlPage(content);
    if (page.skip === 'noindex') { skip('marked noindex', rel); continue; }
    if (page.skip === 'redirect') { skip('redirect stub (meta refresh)', rel); continue; }
    read.push({ rel, shown, kind: 'html', page });
  }
  const stripSuffix = commonTitleSuffix(read.flatMap((r) => (r.kind === 'html' && r.page.documentTitle ? [r.page.documentTitle] : [])));
  const docs: SourceDoc[] = [];
  for (const r of read) {
    const problems: string[] = [];
    const pageOpts = { sections: opts.sections, baseUrl: opts.baseUrl, onProblem: (m: string) => problems.push(m) };
    let made: SourceDoc[];
    if (r.kind === 'md') {
      made = markdownDocs(r.content, r.rel, pageOpts);
    } else {
      const fileName = r.rel.split('/').pop()!.replace(/\.[^.]+$/, '');
      const title = (r.page.titleFrom === 'title' ? stripSuffix(r.page.title!) : r.page.title) || fileName;
      made = htmlDocs(r.page, r.rel, title, pageOpts);
      if (made.length === 0 || made.every((d) => !d.text.trim())) { skip('no text in its content', r.rel); continue; }
    }
    reportProblems(r.shown, problems, opts.onWarning);
    for (const d of made) d.source = r.shown;
    if (made.length === 0) made = [{ id: r.rel, title: r.rel, text: '', source: r.shown }];
    docs.push(...made);
  }
  for (const [why, rels] of Object.entries(skipped)) {
    const shownRels = rels.length > 8 ? `${rels.slice(0, 8).join(', ')} and ${rels.length - 8} more` : rels.join(', ');
    opts.onWarning?.(`skipped ${rels.length} page${rels.length === 1 ? '' : 's'} (${why}): ${shownRels}`);
  }
  if (docs.length === 0) {
    const why = Object.entries(skipped).map(([w, r]) => `${r.length} ${w}`).join(', ');
    throw new GenizaError('EMPTY_CORPUS', `no documents found in ${input} (looked for ${all.join(', ')} files${why ? `; skipped ${why}` : ''})`);
  }
  return docs;
}

/**
 * Reads `input` into documents.
 * - a folder: every .md/.markdown and .html/.htm file below it (recursively, hidden entries skipped), each page
 *   split into sections at its headings unless `sections: false`;
 * - a .jsonl file: one `{"id", "title", "text", "url"?, "pageTitle"?, "filters"?}` object per line;
 * - a single .md/.markdown/.html/.htm file.
 * @example const docs = await ingest('docs'); // [{ id: 'guide.md', title: 'Guide', text: '...', url: 'guide.html', pageTitle: 'Guide' }, ...]
 */
export async function ingest(input: string, opts: IngestOptions = {}): Promise<SourceDoc[]> {
  let info;
  try {
    info = await stat(input);
  } catch (e) {
    throw new GenizaError('UNREADABLE_FILE', `cannot read input ${input}: ${describeFsError(e)}`);
  }
  const all = [...MARKDOWN_EXTENSIONS, ...HTML_EXTENSIONS];
  const looked = `looked for ${all.join(', ')} files`;
  let docs: SourceDoc[];
  if (info.isDirectory()) {
    docs = await ingestFolder(input, opts);
  } else {
    const ext = extname(input).toLowerCase();
    const content = await readText(input, input);
    const name = input.split(/[\\/]/).pop()!;
    const problems: string[] = [];
    const pageOpts = { sections: opts.sections, baseUrl: opts.baseUrl, onProblem: (m: string) => problems.push(m) };
    if (ext === '.jsonl' || ext === '.ndjson') {
      docs = jsonlDocs(content, input);
      if (docs.length === 0) throw new GenizaError('EMPTY_CORPUS', `no documents found in ${input} (the file has no JSON lines)`);
    } else if (MARKDOWN_EXTENSIONS.includes(ext) || HTML_EXTENSIONS.includes(ext)) {
      if (MARKDOWN_EXTENSIONS.includes(ext)) {
        docs = markdownDocs(content, name, pageOpts);
      } else {
        const page = readHtmlPage(content);
        docs = htmlDocs(page, name, page.title || name.replace(/\.[^.]+$/, ''), pageOpts);
      }
      reportProblems(input, problems, opts.onWarning);
      if (docs.length === 0) docs = [{ id: name, title: name, text: '' }];
      for (const d of docs) d.source = input;
    } else {
      throw new GenizaError('BAD_INPUT', `cannot read input ${input}: expected a folder (${looked}) or a .jsonl file`);
    }
  }
  return checkDocs(docs, opts);
}
