/**
 * Reads a retrieval test collection in BEIR form from a folder:
 *   corpus.jsonl   one {"id", "title", "text"} object per line (id may be a number; title/text may be empty or absent)
 *   queries.jsonl  one {"id", "text"} object per line
 *   qrels.tsv      `query-id <TAB> doc-id <TAB> grade` lines (BEIR's `qrels/test.tsv` is used when qrels.tsv is absent;
 *                  a `query-id ...` header line is skipped; a 4-column TREC line `qid 0 docid grade` works too)
 * Every document is kept, so an evaluation scores all of them: an empty title becomes the id (SourceDoc needs a
 * title to show), an empty text stays empty. Only queries that have judgments are returned, in file order.
 * Problems are GenizaErrors naming the file and line.
 */
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { GenizaError } from '../core/errors.ts';
import { eachJsonLine } from './jsonl.ts';
import type { SourceDoc } from '../core/types.ts';

/** One query of a collection. */
export interface CollectionQuery {
  /** The query id used by the qrels. */
  id: string;
  /** The query text. */
  text: string;
}

/** A test collection: documents, judged queries and their relevance judgments. */
export interface Collection {
  /** The folder's name (e.g. "scifact"). */
  name: string;
  /** Every document of corpus.jsonl, in file order (doc index = position). */
  docs: SourceDoc[];
  /** The queries that have at least one judgment, in queries.jsonl order. */
  queries: CollectionQuery[];
  /** query id -> (doc id -> grade), for the returned queries only. */
  qrels: Map<string, Map<string, number>>;
}

async function readCollectionFile(path: string, what: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).replace(/^\ufeff/, '');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : (e as Error).message;
    throw new GenizaError('UNREADABLE_FILE', `cannot read the collection's ${what} ${path}: ${why}`);
  }
}


function idField(o: Record<string, unknown>, where: string): string {
  const id = typeof o.id === 'number' ? String(o.id) : typeof o._id === 'number' ? String(o._id) : (o.id ?? o._id);
  if (typeof id !== 'string' || !id.trim()) throw new GenizaError('BAD_INPUT', `${where}: "id" must be a non-empty string or number`);
  return id.trim();
}

/** A string field that may be absent or null (''), else must be a string. */
function textField(o: Record<string, unknown>, name: string, where: string, id: string): string {
  const v = o[name];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new GenizaError('BAD_INPUT', `${where}: "${name}" must be a string (document "${id}")`);
  return v.trim();
}

/** Parses corpus.jsonl (BEIR's `_id` is accepted for `id`). */
export function parseCorpus(content: string, file: string): SourceDoc[] {
  const docs: SourceDoc[] = [];
  const seen = new Map<string, string>();
  eachJsonLine(content, file, (o, where) => {
    const id = idField(o, where);
    const prev = seen.get(id);
    if (prev) throw new GenizaError('DUPLICATE_ID', `duplicate document id "${id}" at ${prev} and ${where}`);
    seen.set(id, where);
    const title = textField(o, 'title', where, id);
    const text = textField(o, 'text', where, id);
    docs.push(title ? { id, title, text, source: where } : { id, title: id, text, source: where, untitled: true });
  });
  return docs;
}

/** Parses queries.jsonl into {id, text} (BEIR's `_id` is accepted for `id`). */
export function parseQueries(content: string, file: string): CollectionQuery[] {
  const out: CollectionQuery[] = [];
  const seen = new Set<string>();
  eachJsonLine(content, file, (o, where) => {
    const id = idField(o, where);
    if (seen.has(id)) throw new GenizaError('DUPLICATE_ID', `${where}: duplicate query id "${id}"`);
    seen.add(id);
    if (typeof o.text !== 'string') throw new GenizaError('BAD_INPUT', `${where}: "text" must be a string (query "${id}")`);
    out.push({ id, text: o.text });
  });
  return out;
}

/** Parses a qrels file: `qid <TAB> docid <TAB> grade` (or TREC `qid 0 docid grade`); header line skipped. */
export function parseQrelsFile(content: string, file: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const cols = line.split(/\s+/);
    if (i === 0 && /^query[-_]?id$/i.test(cols[0])) continue;
    const where = `${file}:${i + 1}`;
    if (cols.length !== 3 && cols.length !== 4) {
      throw new GenizaError('BAD_INPUT', `${where}: expected "query-id <TAB> doc-id <TAB> grade" (got ${JSON.stringify(line.slice(0, 80))})`);
    }
    const [qid, docid, grade] = cols.length === 3 ? cols : [cols[0], cols[2], cols[3]];
    const rel = Number(grade);
    if (!Number.isFinite(rel)) throw new GenizaError('BAD_INPUT', `${where}: grade must be a number (got ${JSON.stringify(grade)})`);
    let q = out.get(qid);
    if (q === undefined) out.set(qid, (q = new Map()));
    q.set(docid, rel);
  }
  return out;
}

/**
 * Reads the BEIR-form collection in `dir` (see the file comment).
 * @example const { docs, queries, qrels } = await readCollection('/data/scifact');
 */
export async function readCollection(dir: string): Promise<Collection> {
  const corpusPath = join(dir, 'corpus.jsonl');
  const queriesPath = join(dir, 'queries.jsonl');
  let qrelsPath = join(dir, 'qrels.tsv');
  const corpusText = await readCollectionFile(corpusPath, 'corpus');
  const queriesText = await readCollectionFile(queriesPath, 'queries');
  let qrelsText: string;
  try {
    qrelsText = await readCollectionFile(qrelsPath, 'judgments');
  } catch (e) {
    const beir = join(dir, 'qrels', 'test.tsv');
    try {
      qrelsText = await readCollectionFile(beir, 'judgments');
      qrelsPath = beir;
    } catch {
      throw e;
    }
  }
  const docs = parseCorpus(corpusText, corpusPath);
  if (docs.length === 0) throw new GenizaError('EMPTY_CORPUS', `no documents in ${corpusPath}`);
  const allQueries = parseQueries(queriesText, queriesPath);
  const allQrels = parseQrelsFile(qrelsText, qrelsPath);
  const queries = allQueries.filter((q) => allQrels.has(q.id));
  if (queries.length === 0) {
    throw new GenizaError('BAD_INPUT', `no query of ${queriesPath} has judgments in ${qrelsPath} (check that the query ids match)`);
  }
  const qrels = new Map<string, Map<string, number>>();
  for (const q of queries) qrels.set(q.id, allQrels.get(q.id)!);
  return { name: basename(resolve(dir)), docs, queries, qrels };
}
