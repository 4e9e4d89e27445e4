/** HTML -> title, headings and readable text: a tolerant regex-based reader that never throws on broken markup. */
import { decodeEntities } from './html-entities.ts';

/** What `parseHtml` extracts from one HTML page. */
export interface ParsedHtml {
  /** `<title>`, else the first `<h1>`; undefined when neither has text. */
  title?: string;
  /** Text of the `<h1>`-`<h6>` headings of the content, in order (the title excluded). */
  headings: string[];
  /** Readable text of `<main>`, else `<article>`, else `<body>`, without nav/header/footer/script/style. */
  text: string;
}

const BLOCK = /^(?:address|article|aside|blockquote|br|dd|details|dialog|div|dl|dt|fieldset|figcaption|figure|form|h[1-6]|hr|li|main|ol|p|pre|section|summary|table|tbody|td|tfoot|th|thead|tr|ul|caption|option|label)$/i;

/** Removes `<tag ...>...</tag>` elements (an unclosed one runs to the end of the input). */
function dropElements(html: string, tags: string): string {
  const re = new RegExp(`<(${tags})\\b[^>]*>[\\s\\S]*?(?:</\\1\\s*>|$)`, 'gi');
  let prev: string;
  let out = html;
  // Repeat for simply nested elements (e.g. <nav> inside <header>).
  do { prev = out; out = out.replace(re, ' '); } while (out !== prev);
  return out;
}

/** Inner HTML of the first `<tag>` element, or undefined. An unclosed element runs to the end. */
function firstElement(html: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)(?:</${tag}\\s*>|$)`, 'i').exec(html);
  return m ? m[1] : undefined;
}

/** Converts an HTML fragment to plain text: block elements become line breaks, entities are decoded. */
export function htmlToText(fragment: string): string {
  const withBreaks = fragment.replace(/<\/?([A-Za-z][A-Za-z0-9-]*)\b[^>]*>/g, (_m, tag: string) => (BLOCK.test(tag) ? '\n' : ''));
  const text = decodeEntities(withBreaks.replace(/<[^>]*$/, ''));
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t\r\f\v\u00a0]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** Parses one HTML page. Broken markup gives best-effort text, never an exception. */
export function parseHtml(source: string): ParsedHtml {
  let html = source.replace(/^\ufeff/, '').replace(/<!--[\s\S]*?(?:-->|$)/g, ' ');
  html = dropElements(html, 'script|style|noscript|template|svg|iframe|object|canvas');
  const rawTitle = firstElement(html, 'title');
  let title = rawTitle !== undefined ? htmlToText(rawTitle).replace(/\n/g, ' ') : '';
  let region = firstElement(html, 'main') ?? firstElement(html, 'article') ?? firstElement(html, 'body') ?? html;
  region = region.replace(/<head\b[\s\S]*?(?:<\/head\s*>|$)/i, ' ').replace(/<title\b[\s\S]*?(?:<\/title\s*>|$)/i, ' ');
  region = dropElements(region, 'nav|header|footer|form|button|select');
  const headings: string[] = [];
  const headingRe = /<h([1-6])\b[^>]*>([\s\S]*?)(?:<\/h\1\s*>|$)/gi;
  let firstH1: string | undefined;
  for (let m = headingRe.exec(region); m; m = headingRe.exec(region)) {
    const t = htmlToText(m[2]).replace(/\n/g, ' ');
    if (!t) continue;
    if (m[1] === '1' && firstH1 === undefined) firstH1 = t;
    headings.push(t);
  }
  if (!title) title = firstH1 ?? '';
  if (!firstH1) {
    // Fall back to an h1 anywhere (e.g. in a header outside the content region).
    const h1 = firstElement(html, 'h1');
    if (!title && h1) title = htmlToText(h1).replace(/\n/g, ' ');
  }
  return { title: title || undefined, headings: headings.filter((h) => h !== title), text: htmlToText(region) };
}
