/**
 * Sections: a page split at its headings into documents (like DocSearch records), shared by the HTML and Markdown
 * readers. Also the heading slugs of Markdown anchors and the `key:value` filter syntax.
 *
 * @example
 *   sectionDocs({ id: 'guide.html', url: 'guide.html', title: 'Guide', sections }, { split: true })
 *   // [{ id: 'guide.html', title: 'Guide', ... }, { id: 'guide.html#install', title: 'Install', url: 'guide.html#install', pageTitle: 'Guide', ... }]
 */
import type { SourceDoc } from '../core/types.ts';

/** One part of a page: the lead (before the first split heading) or a heading and what follows it. */
export interface RawSection {
  /** Heading text; undefined for the lead section. */
  heading?: string;
  /** Anchor (fragment without `#`) of the heading; undefined for the lead section. */
  anchor?: string;
  /** Heading level 1-6; 0 for the lead section. */
  level: number;
  /** Headings of the enclosing sections, outermost first (e.g. `['Configuration']` for an h3 under that h2). */
  trail: string[];
  /** Lines of plain text (paragraphs, list items, table rows, headings that did not split). */
  lines: string[];
  /** Headings inside the section that did not start a section of their own. */
  headings: string[];
}

/** A page before splitting. */
export interface PageInput {
  /** Id of the page (its relative path); section ids are `id#anchor`. */
  id: string;
  /** Url of the page; section urls are `url#anchor`. */
  url: string;
  /** Title of the page. */
  title: string;
  /** The page's sections in order; the first is the lead section. */
  sections: RawSection[];
  /** Facets of the page, applied to every section. */
  filters?: Record<string, string[]>;
  /** Where the page came from, for messages. */
  source?: string;
}

/** Options of `sectionDocs`. */
export interface SectionOptions {
  /** One document per section (true) or one per page (false). Default true. */
  split?: boolean;
}

/** Starts a fresh lead section. */
export function leadSection(): RawSection {
  return { level: 0, trail: [], lines: [], headings: [] };
}

function clean(lines: string[]): string {
  return lines.map((l) => l.trim()).filter(Boolean).join('\n');
}

function unique(items: string[]): string[] {
  return [...new Set(items.filter(Boolean))];
}

/** A page's sections joined back into one: its lines (each section's heading first) and every heading, in order. */
export function wholePage(sections: readonly RawSection[]): { lines: string[]; headings: string[] } {
  const lines: string[] = [];
  const headings: string[] = [];
  for (const s of sections) {
    if (s.heading) { lines.push(s.heading); headings.push(s.heading); }
    lines.push(...s.lines);
    headings.push(...s.headings);
  }
  return { lines, headings };
}

/**
 * Turns a page into documents. With `split` (default), the lead section keeps the page's id, url and title and
 * every other section becomes `id#anchor` / `url#anchor` titled by its heading, all with `pageTitle` (except a
 * lead section that is the page's only document: that is a whole page). A section
 * without text is not a document: its heading joins the next section's headings (or, at the end of the page,
 * the previous section's text). Without `split`, one document holds the whole page (headings as text lines).
 */
export function sectionDocs(page: PageInput, opts: SectionOptions = {}): SourceDoc[] {
  const split = opts.split ?? true;
  const filters = page.filters && Object.keys(page.filters).length > 0 ? page.filters : undefined;
  const base = (d: SourceDoc): SourceDoc => {
    if (filters) d.filters = filters;
    if (page.source) d.source = page.source;
    return d;
  };
  if (!split) {
    const { lines, headings } = wholePage(page.sections);
    return [base({ id: page.id, title: page.title, text: clean(lines), url: page.url, headings: unique(headings) })];
  }
  const kept: { s: RawSection; extra: string[] }[] = [];
  let pending: string[] = [];
  for (const s of page.sections) {
    if (clean(s.lines) === '') {
      if (s.heading) pending.push(s.heading);
      continue;
    }
    kept.push({ s, extra: pending });
    pending = [];
  }
  if (pending.length > 0) {
    // Trailing empty headings: keep their text in the last section rather than losing it.
    if (kept.length > 0) kept[kept.length - 1].s.lines.push(...pending);
    else kept.push({ s: { ...leadSection(), lines: pending.slice() }, extra: [] });
  }
  const docs = kept.map(({ s, extra }) => {
    const headings = unique([...s.trail, ...extra, ...s.headings]).filter((h) => h !== page.title && h !== s.heading);
    if (s.anchor === undefined || s.heading === undefined) {
      return base({ id: page.id, title: page.title, text: clean(s.lines), url: page.url, headings, pageTitle: page.title });
    }
    return base({
      id: `${page.id}#${s.anchor}`,
      title: s.heading,
      text: clean(s.lines),
      url: `${page.url}#${s.anchor}`,
      headings,
      pageTitle: page.title,
    });
  });
  // A page that is only its lead section is a whole page: no pageTitle.
  if (docs.length === 1 && docs[0].id === page.id) delete docs[0].pageTitle;
  return docs;
}

/** GitHub-style heading slug: lower case, punctuation removed (except `-` and `_`), spaces to `-`. */
export function slugify(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Gives each heading of one page a unique slug: the second `Install` becomes `install-1`, then `install-2`. */
export class Slugger {
  private readonly used = new Set<string>();
  private readonly counts = new Map<string, number>();
  /** The next unique slug for `heading`. */
  slug(heading: string): string {
    return this.reserve(slugify(heading) || 'section');
  }
  /** Reserves `base` itself if free, else `base-1`, `base-2`, ... (for ids written by hand, too). */
  reserve(base: string): string {
    let slug = base;
    let n = this.counts.get(base) ?? 0;
    while (this.used.has(slug)) slug = `${base}-${++n}`;
    this.counts.set(base, n);
    this.used.add(slug);
    return slug;
  }
}

/**
 * Parses filter facets written as `key:value` tokens separated by spaces or commas (`version:2.x lang:en`) into
 * `into`. A token without a key or a value is reported through `onBad` and skipped.
 */
export function parseFilterSpec(spec: string, into: Record<string, string[]>, onBad: (token: string) => void): void {
  for (const token of spec.split(/[\s,]+/)) {
    if (!token) continue;
    const colon = token.indexOf(':');
    const key = colon > 0 ? token.slice(0, colon).trim() : '';
    const value = colon > 0 ? token.slice(colon + 1).trim() : '';
    if (!key || !value) { onBad(token); continue; }
    addFilter(into, key, value);
  }
}

/** Adds one facet value (kept once, in sorted order). */
export function addFilter(into: Record<string, string[]>, key: string, value: string): void {
  const values = into[key] ?? (into[key] = []);
  if (!values.includes(value)) {
    values.push(value);
    values.sort();
  }
}
