/** Groups search hits by page (the url without its `#fragment`), for results shown as pages with sections. */
import type { SearchHit } from '../core/types.ts';

/** One page of results: its title and its hits (sections), best first. */
export interface PageGroup {
  /** The page's url (the hits' url without `#fragment`). */
  pageUrl: string;
  /** The page's title (`hit.pageTitle`, else the title of its first hit). */
  pageTitle: string;
  /** The hit for the page itself (its lead section or the whole-page document), when it is among the hits. */
  page: SearchHit | null;
  /** Hits for sections of the page other than its lead, in rank order. */
  sections: SearchHit[];
}

/** The url of `url`'s page: everything before the first `#`. */
export function pageUrlOf(url: string): string {
  const i = url.indexOf('#');
  return i < 0 ? url : url.slice(0, i);
}

/** True when `hit` stands for its whole page (no section of it, or the lead section titled like the page). */
export function isPageHit(hit: SearchHit): boolean {
  return hit.pageTitle === undefined || hit.pageTitle === hit.title || !hit.url.includes('#');
}

/** Groups hits by page, keeping rank order: pages in the order of their best hit, sections in rank order. */
export function groupHits(hits: readonly SearchHit[]): PageGroup[] {
  const groups = new Map<string, PageGroup>();
  for (const hit of hits) {
    // Hits without a url cannot be grouped with anything: each gets its own group.
    const key = hit.url === '' ? `\0${hit.docIndex}` : pageUrlOf(hit.url);
    let g = groups.get(key);
    if (!g) {
      g = { pageUrl: pageUrlOf(hit.url), pageTitle: hit.pageTitle ?? hit.title, page: null, sections: [] };
      groups.set(key, g);
    }
    if (g.page === null && isPageHit(hit)) g.page = hit;
    else g.sections.push(hit);
  }
  return [...groups.values()];
}

/** The hits of `groups` in display order (page hit first, then its sections): the order arrow keys move in. */
export function flattenGroups(groups: readonly PageGroup[]): SearchHit[] {
  return groups.flatMap((g) => (g.page ? [g.page, ...g.sections] : g.sections));
}
