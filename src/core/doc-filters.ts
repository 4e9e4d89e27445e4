/**
 * Search filters over document facets: `{ version: '2.x', lang: ['en', 'de'] }` keeps the documents that, for every
 * facet named, have at least one of the given values (StoredDoc.filters). A facet or value no document has simply
 * matches nothing; a malformed filters value is a GenizaError('BAD_OPTION').
 *
 * @example
 *   const f = normalizeFilters({ version: '2.x' });        // { version: ['2.x'] }
 *   const mask = filterMask(docs, f!);                      // Uint8Array, 1 = document matches
 */
import { GenizaError } from './errors.ts';

/** The `filters` search option: facet -> one value or any of several values. */
export type SearchFilters = Record<string, string | string[]>;

/** Filters in canonical form: facets sorted, each with its distinct values sorted. */
export type NormalizedFilters = Record<string, string[]>;

function bad(message: string): GenizaError {
  return new GenizaError('BAD_OPTION', `search: ${message}`);
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Checks the `filters` option and returns it in canonical form; undefined when it is absent or names no facet
 * (no restriction). An empty list of values matches no document.
 */
export function normalizeFilters(filters: unknown): NormalizedFilters | undefined {
  if (filters === undefined || filters === null) return undefined;
  if (typeof filters !== 'object' || Array.isArray(filters)) {
    throw bad(`filters must be an object of facet -> value or list of values, e.g. { version: '2.x' } (got ${show(filters)})`);
  }
  const out: NormalizedFilters = {};
  for (const facet of Object.keys(filters).sort()) {
    const v = (filters as Record<string, unknown>)[facet];
    const values = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(values) || values.some((x) => typeof x !== 'string')) {
      throw bad(`filters.${facet} must be a string or a list of strings (got ${show(v)})`);
    }
    out[facet] = [...new Set(values as string[])].sort();
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A stable key of normalized filters (equal filters give equal keys), e.g. for caching their mask. */
export function filterKey(filters: NormalizedFilters): string {
  return JSON.stringify(filters);
}

/** Per document, 1 when it matches every facet of `filters` (has at least one of its values), else 0. */
export function filterMask(docs: readonly { filters?: Record<string, string[]> }[], filters: NormalizedFilters): Uint8Array {
  const facets = Object.entries(filters).map(([facet, values]) => [facet, new Set(values)] as const);
  const mask = new Uint8Array(docs.length);
  for (let i = 0; i < docs.length; i++) {
    const f = docs[i].filters;
    let ok = true;
    for (const [facet, wanted] of facets) {
      const have = f?.[facet];
      if (!Array.isArray(have) || !have.some((v) => wanted.has(v))) { ok = false; break; }
    }
    mask[i] = ok ? 1 : 0;
  }
  return mask;
}
