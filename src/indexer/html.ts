/**
 * HTML page -> title, sections, text and filter facets, on top of the tolerant tree of html-tree.ts.
 * Content is `[data-geniza-body]` elements when the page has any, else `<main>`, else `<article>`, else `<body>`;
 * chrome (nav, header, footer, aside, forms, buttons, scripts, styles) and `[data-geniza-ignore]` subtrees are
 * skipped. Broken markup gives best-effort text, never an exception.
 */
import { findAll, isInside, parseHtmlTree, textContent, walkElements, type HtmlElement } from './html-tree.ts';
import { leadSection, parseFilterSpec, wholePage, type RawSection } from './sections.ts';

/** What `parseHtml` extracts from one HTML page (one document per page). */
export interface ParsedHtml {
  /** The content's first `<h1>`, else `<title>`; undefined when neither has text. */
  title?: string;
  /** Text of the `<h1>`-`<h6>` headings of the content, in order (the title excluded). */
  headings: string[];
  /** Readable text of the content (see the module comment), one line per block. */
  text: string;
}

/** Why a page is not indexed. */
export type SkipReason = 'noindex' | 'redirect';

/** Everything `readHtmlPage` extracts from one page. */
export interface HtmlPage {
  /** The content's first `<h1>`, else the `<title>`; undefined when neither has text. */
  title?: string;
  /** Where `title` came from. */
  titleFrom?: 'h1' | 'title';
  /** Text of `<title>`, if any. */
  documentTitle?: string;
  /** The lead section followed by one section per heading that has an anchor (the title `<h1>` excluded). */
  sections: RawSection[];
  /** Facets from `data-geniza-filter` attributes and `<meta name="geniza-filter">`. */
  filters: Record<string, string[]>;
  /** Set when the page must not be indexed: `<meta name="robots" content="noindex">` or a meta-refresh redirect. */
  skip?: SkipReason;
  /** Problems worth a warning (bad filter tokens, duplicate anchors), without the file name. */
  problems: string[];
}

/** Elements never indexed, wherever they are. */
const ALWAYS_SKIPPED = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'embed', 'canvas', 'video', 'audio',
  'nav', 'aside', 'form', 'button', 'select', 'textarea', 'input', 'dialog', 'head', 'title', 'meta', 'link',
]);
/** Elements that start a new line of text. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'header', 'hr', 'li', 'main', 'ol', 'p', 'pre', 'section', 'table', 'tbody', 'tfoot',
  'thead', 'tr', 'ul', 'caption', 'summary', 'hgroup', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'body', 'html', 'center', 'menu',
]);
const HEADING = /^h([1-6])$/;

const has = (el: HtmlElement, attr: string): boolean => Object.hasOwn(el.attrs, attr);
/** Collapses whitespace and drops zero-width characters. */
const squash = (t: string): string => t.replace(/[\u200b-\u200d\u2060\ufeff]/g, '').replace(/[\s\u00a0]+/g, ' ').trim();

/** Class or id of a table of contents (`toc`, `table-of-contents`, `tableOfContents`, `VPDocOutline`...). */
const TOC = /(?:^|[\s_-])toc(?:$|[\s_-])|table-?of-?contents|outline-?link|doc-?outline/i;

/** A list whose only text is two or more links to `#anchors` of the page: a table of contents. */
function isInPageLinkList(list: HtmlElement): boolean {
  let links = 0;
  let other = false;
  const visit = (e: HtmlElement) => {
    for (const c of e.children) {
      if (other) return;
      if (c.type === 'text') { if (c.text.trim()) other = true; continue; }
      if (c.tag === 'a' && c.attrs.href?.startsWith('#')) { links++; continue; }
      visit(c);
    }
  };
  visit(list);
  return links >= 2 && !other;
}

/** Is `el` chrome to leave out: a skipped tag, `data-geniza-ignore`, `hidden`, `aria-hidden="true"`, page header/footer. */
function skipped(el: HtmlElement): boolean {
  if (ALWAYS_SKIPPED.has(el.tag) || has(el, 'data-geniza-ignore') || has(el, 'hidden')) return true;
  if (el.attrs['aria-hidden']?.toLowerCase() === 'true') return true;
  // Tables of contents: repeat the headings and would blur every page's lead section.
  if (TOC.test(el.attrs.class ?? '') || TOC.test(el.attrs.id ?? '')) return true;
  if ((el.tag === 'ul' || el.tag === 'ol') && isInPageLinkList(el)) return true;
  // Permalink icons next to headings: `<a href="#x">#</a>`, `¶`, `🔗` or a zero-width space.
  if (el.tag === 'a' && el.attrs.href?.startsWith('#') && !/[\p{L}\p{N}]/u.test(textContent(el))) return true;
  if (el.tag === 'header' || el.tag === 'footer') {
    // A <header> inside an <article> is the article's own (Docusaurus puts the page's <h1> there).
    if (el.tag === 'header') for (let p = el.parent; p; p = p.parent) if (p.tag === 'article') return false;
    return true;
  }
  return false;
}

/** Plain text below `el`, without skipped elements, on one line. */
function inlineText(el: HtmlElement): string {
  const parts: string[] = [];
  const visit = (e: HtmlElement) => {
    for (const c of e.children) {
      if (c.type === 'text') parts.push(c.text);
      else if (!skipped(c)) { if (BLOCK.has(c.tag) || c.tag === 'td' || c.tag === 'th') parts.push(' '); visit(c); }
    }
  };
  visit(el);
  return squash(parts.join(''));
}

/** The heading's anchor: its `id`, an `id`/`name` of an `<a>` inside it, or the `id` of a `<section>` it opens. */
function anchorOf(h: HtmlElement): string | undefined {
  const own = h.attrs.id?.trim();
  if (own) return own;
  for (const a of findAll(h, (e) => e.tag === 'a')) {
    const v = (a.attrs.id ?? a.attrs.name)?.trim();
    if (v) return v;
  }
  const p = h.parent;
  if (p && p.tag === 'section' && p.attrs.id?.trim()) {
    const first = findAll(p, (e) => HEADING.test(e.tag))[0];
    if (first === h) return p.attrs.id.trim();
  }
  return undefined;
}

/** The regions to index: `[data-geniza-body]` elements, else `<main>` (or `role="main"`), `<article>`, `<body>`, the document. */
function contentRegions(doc: HtmlElement): HtmlElement[] {
  const marked = findAll(doc, (e) => has(e, 'data-geniza-body'));
  if (marked.length > 0) return marked.filter((e) => !marked.some((o) => o !== e && isInside(e, o)));
  const main = findAll(doc, (e) => e.tag === 'main' || e.attrs.role === 'main')[0];
  if (main) return [main];
  const article = findAll(doc, (e) => e.tag === 'article')[0];
  if (article) return [article];
  const body = findAll(doc, (e) => e.tag === 'body')[0];
  return [body ?? doc];
}

/** Reads one HTML page: title, sections at anchored headings, filter facets, and whether to skip it. */
export function readHtmlPage(source: string): HtmlPage {
  const doc = parseHtmlTree(source);
  const problems: string[] = [];
  const filters: Record<string, string[]> = {};
  let skip: SkipReason | undefined;
  let documentTitle: string | undefined;
  walkElements(doc, (el) => {
    if (el.tag === 'title' && documentTitle === undefined) documentTitle = inlineTextAll(el) || undefined;
    if (el.tag === 'meta') {
      const name = el.attrs.name?.toLowerCase();
      const content = el.attrs.content ?? '';
      if ((name === 'robots' || name === 'geniza') && /\bnoindex\b/i.test(content)) skip ??= 'noindex';
      if (el.attrs['http-equiv']?.toLowerCase() === 'refresh' && /url\s*=/i.test(content)) skip ??= 'redirect';
      if (name === 'geniza-filter') parseFilterSpec(content, filters, (t) => problems.push(`filter "${t}" in <meta name="geniza-filter"> is not key:value`));
    }
    const spec = el.attrs['data-geniza-filter'];
    if (spec !== undefined) parseFilterSpec(spec, filters, (t) => problems.push(`filter "${t}" in data-geniza-filter on <${el.tag}> is not key:value`));
  });

  let title: string | undefined;
  let titleFrom: HtmlPage['titleFrom'];
  let titleH1: HtmlElement | undefined;
  const sections: RawSection[] = [leadSection()];
  const trail: { level: number; heading: string }[] = [];
  const anchors = new Set<string>();
  let line: string[] = [];
  const current = () => sections[sections.length - 1];
  const flush = () => {
    const t = squash(line.join(''));
    if (t) current().lines.push(t);
    line = [];
  };
  const heading = (el: HtmlElement, level: number) => {
    const text = inlineText(el);
    if (!text) return;
    if (level === 1 && !titleH1) { titleH1 = el; title = text; titleFrom = 'h1'; return; }
    const anchor = anchorOf(el);
    if (anchor && anchors.has(anchor)) problems.push(`anchor #${anchor} is used by more than one heading; "${text}" stays in the section above it`);
    if (!anchor || anchors.has(anchor)) {
      current().lines.push(text);
      current().headings.push(text);
      return;
    }
    anchors.add(anchor);
    while (trail.length > 0 && trail[trail.length - 1].level >= level) trail.pop();
    sections.push({ heading: text, anchor, level, trail: trail.map((t) => t.heading), lines: [], headings: [] });
    trail.push({ level, heading: text });
  };
  const visit = (el: HtmlElement) => {
    for (const c of el.children) {
      if (c.type === 'text') { line.push(c.text); continue; }
      if (skipped(c)) continue;
      const h = HEADING.exec(c.tag);
      if (h) { flush(); heading(c, Number(h[1])); continue; }
      const block = BLOCK.has(c.tag);
      if (block) flush();
      else if (c.tag === 'td' || c.tag === 'th') line.push(' '); // table cells: one line per row
      visit(c);
      if (block) flush();
    }
  };
  for (const region of contentRegions(doc)) {
    flush();
    if (skipped(region) && region.tag !== 'header' && region.tag !== 'footer') continue;
    visit(region);
  }
  flush();
  if (!title && documentTitle) { title = documentTitle; titleFrom = 'title'; }
  return { title, titleFrom, documentTitle, sections, filters, skip, problems };
}

/** Text below `el` including everything (for `<title>`). */
function inlineTextAll(el: HtmlElement): string {
  const parts: string[] = [];
  const visit = (e: HtmlElement) => { for (const c of e.children) if (c.type === 'text') parts.push(c.text); else visit(c); };
  visit(el);
  return squash(parts.join(''));
}

/** Parses one HTML page as a single document. Broken markup gives best-effort text, never an exception. */
export function parseHtml(source: string): ParsedHtml {
  const page = readHtmlPage(source);
  const { lines, headings } = wholePage(page.sections);
  return { title: page.title, headings: headings.filter((h) => h !== page.title), text: lines.join('\n') };
}
