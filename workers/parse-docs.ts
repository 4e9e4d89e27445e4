/** Parsing of a bundle's JSON files (docs.json, tokenizer.json) from bytes, with errors that name the file. */
import { GenizaError } from '../src/core/errors.ts';
import type { StoredDoc } from '../src/core/types.ts';

const utf8 = new TextDecoder();

/** Parses JSON bytes; GenizaError('BAD_BUNDLE') naming `file` when they are not JSON. */
export function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch (e) {
    throw new GenizaError('BAD_BUNDLE', `bundle: ${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Parses `docs.json` bytes into documents, checking that each has string id, title, url and text. */
export function parseDocs(bytes: Uint8Array): StoredDoc[] {
  const json = parseJson(bytes, 'docs.json');
  if (!Array.isArray(json)) throw new GenizaError('BAD_BUNDLE', 'bundle: docs.json must be an array of documents');
  json.forEach((d: unknown, i) => {
    const doc = d as Partial<StoredDoc> | null;
    for (const field of ['id', 'title', 'url', 'text'] as const) {
      if (typeof doc?.[field] !== 'string') {
        throw new GenizaError('BAD_BUNDLE', `bundle: docs.json document ${i} has no string field "${field}"`);
      }
    }
  });
  return json as StoredDoc[];
}
