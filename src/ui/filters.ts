/** The `filters` attribute of the widget: `"version:2.x,3.x lang:en"` <-> `{ version: ['2.x', '3.x'], lang: ['en'] }`. */
import { GenizaError } from '../core/errors.ts';

/** Facet -> accepted values (a document matches when it has one of the values of every facet named). */
export type Filters = Record<string, string[]>;

/**
 * Parses `facet:value` pairs separated by whitespace; a facet's values are separated by commas, and a facet
 * named twice accumulates values. Empty or missing text gives `{}`. Throws GenizaError('BAD_OPTION') on a pair
 * without a `:`, naming the pair.
 */
export function parseFilters(text: string | null | undefined): Filters {
  const out: Filters = {};
  for (const pair of (text ?? '').trim().split(/\s+/)) {
    if (pair === '') continue;
    const colon = pair.indexOf(':');
    if (colon <= 0 || colon === pair.length - 1) {
      throw new GenizaError('BAD_OPTION', `filters: "${pair}" is not a facet:value pair; write e.g. filters="version:2.x lang:en"`);
    }
    const facet = pair.slice(0, colon);
    const values = pair.slice(colon + 1).split(',').filter((v) => v !== '');
    const list = (out[facet] ??= []);
    for (const v of values) if (!list.includes(v)) list.push(v);
  }
  return out;
}

/** `base` with the facets of `chosen` replaced (a facet chosen as '' keeps `base`'s values). */
export function mergeFilters(base: Filters, chosen: Record<string, string>): Filters {
  const out: Filters = { ...base };
  for (const [facet, value] of Object.entries(chosen)) if (value !== '') out[facet] = [value];
  return out;
}

/** True when `filters` names no facet. */
export function isEmptyFilters(filters: Filters): boolean {
  return Object.keys(filters).length === 0;
}
