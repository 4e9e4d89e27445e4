/**
 * Stage 1, ingest: reads the user's input (a folder of Markdown or HTML pages, or a JSONL file) into SourceDocs.
 * Every problem a user can cause is a GenizaError whose one-line message names the file, line or id.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import { GenizaError } from '../core/errors.ts';
import { eachJsonLine } from './jsonl.ts';
import type { SourceDoc } from '../core/types.ts';
import { parseHtml } from './html.ts';
import { parseMarkdown } from './markdown.ts';

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

/** Reads one Markdown file into a SourceDoc (id = path relative to the input folder, or front matter `id`). */
export function markdownDoc(source: string, relPath: string): SourceDoc {
  const md = parseMarkdown(source);
  const fm = md.frontMatter;
  const fileName = relPath.split('/').pop()!.replace(/\.[^.]+$/, '');
  const title = fm.title || md.firstHeading || fileName;
  const url = fm.url || relPath.replace(/\.(md|markdown)$/i, '.html');
  let text = md.text;
  const headings = md.headings;
  if (md.firstHeading && md.firstHeading !== title) {
    // The front matter title won: keep the `#` heading as an ordinary heading.
    headings.unshift(md.firstHeading);
    text = text ? `${md.firstHeading}\n${text}` : '';
  }
  return { id: fm.id || relPath, title, text, url, headings, source: relPath };
}

/** Reads one HTML page into a SourceDoc (id = url = path relative to the input folder). */
export function htmlDoc(source: string, relPath: string): SourceDoc {
  const h = parseHtml(source);
  const fileName = relPath.split('/').pop()!.replace(/\.[^.]+$/, '');
  return { id: relPath, title: h.title || fileName, text: h.text, url: relPath, headings: h.headings, source: relPath };
}

/**
 * Parses a JSONL corpus: one `{id, title, text, url?, headings?}` object per line; blank lines are skipped.
 * `id` may be a number; an empty `title` falls back to the id; other fields are ignored.
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
    // An empty title (common in research collections) falls back to the id.
    const title = o.title.trim() || id;
    docs.push({ id, title, text: o.text.trim(), url: o.url as string | undefined, headings, source: where });
  }, 'a JSON object {"id", "title", "text"}');
  return docs;
}

/** Checks ids are unique and every document has text (unless `allowEmptyText`); truncates huge texts (with a warning). */
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
    if (!d.text && !opts.allowEmptyText) {
      throw new GenizaError('EMPTY_DOCUMENT', `document "${d.id}"${d.source && d.source !== d.id ? ` (${d.source})` : ''} has no text`);
    }
    if (d.text.length > max) {
      opts.onWarning?.(`document "${d.id}" has ${d.text.length} characters; keeping the first ${max}`);
      d.text = truncate(d.text, max);
    }
  }
  return docs;
}

/**
 * Reads `input` into documents.
 * - a folder: every .md/.markdown and .html/.htm file below it (recursively, hidden entries skipped);
 * - a .jsonl file: one `{"id", "title", "text", "url"?}` object per line;
 * - a single .md/.markdown/.html/.htm file.
 * @example const docs = await ingest('docs'); // [{ id: 'guide.md', title: 'Guide', text: '...', url: 'guide.html' }]
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
    const root = resolve(input);
    const files = await listFiles(root, all);
    docs = [];
    for (const f of files) {
      const rel = toPosix(relative(root, f));
      const content = await readText(f, join(input, rel));
      const isMd = MARKDOWN_EXTENSIONS.includes(extname(f).toLowerCase());
      const doc = isMd ? markdownDoc(content, rel) : htmlDoc(content, rel);
      doc.source = join(input, rel);
      docs.push(doc);
    }
    if (docs.length === 0) throw new GenizaError('EMPTY_CORPUS', `no documents found in ${input} (${looked})`);
  } else {
    const ext = extname(input).toLowerCase();
    const content = await readText(input, input);
    if (ext === '.jsonl' || ext === '.ndjson') {
      docs = jsonlDocs(content, input);
      if (docs.length === 0) throw new GenizaError('EMPTY_CORPUS', `no documents found in ${input} (the file has no JSON lines)`);
    } else if (MARKDOWN_EXTENSIONS.includes(ext) || HTML_EXTENSIONS.includes(ext)) {
      const name = input.split(/[\\/]/).pop()!;
      const doc = MARKDOWN_EXTENSIONS.includes(ext) ? markdownDoc(content, name) : htmlDoc(content, name);
      doc.source = input;
      docs = [doc];
    } else {
      throw new GenizaError('BAD_INPUT', `cannot read input ${input}: expected a folder (${looked}) or a .jsonl file`);
    }
  }
  return checkDocs(docs, opts);
}
