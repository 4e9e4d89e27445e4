/**
 * A small tolerant HTML tokenizer and tree builder: enough of the HTML parsing rules to read the pages static
 * site generators write (void elements, raw-text elements, implicitly closed `<p>`/`<li>`/table cells, stray
 * and missing end tags). It never throws: broken markup gives a best-effort tree.
 *
 * @example
 *   const doc = parseHtmlTree('<main><h2 id="x">Install<p>Run it');
 *   findAll(doc, (e) => e.tag === 'h2')[0].attrs.id; // 'x'
 */
import { decodeEntities } from './html-entities.ts';

/** An element: lower-case tag name, attributes (names lower-cased, values decoded) and children. */
export interface HtmlElement {
  type: 'element';
  tag: string;
  attrs: Record<string, string>;
  children: HtmlNode[];
  parent: HtmlElement | null;
}

/** A run of text (entities decoded). */
export interface HtmlText {
  type: 'text';
  text: string;
}

/** One node of the tree. */
export type HtmlNode = HtmlElement | HtmlText;

/** Elements that never have content or an end tag. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen', 'frame', 'basefont', 'bgsound']);
/** Elements whose content is raw text up to their end tag (no tags inside). */
const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'textarea', 'title', 'plaintext']);
/** Raw-text elements whose content has character references decoded. */
const RCDATA = new Set(['textarea', 'title']);
/** Start tags that close an open `<p>`. */
const CLOSES_P = new Set([
  'address', 'article', 'aside', 'blockquote', 'details', 'dialog', 'div', 'dl', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'main', 'menu', 'nav', 'ol', 'p',
  'pre', 'section', 'table', 'ul', 'summary',
]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** For a start tag: the open elements it closes implicitly, and the ones that stop the search for them. */
const IMPLICIT: Record<string, { closes: string[]; scope: string[] }> = {
  li: { closes: ['li'], scope: ['ul', 'ol', 'menu'] },
  dt: { closes: ['dt', 'dd'], scope: ['dl'] },
  dd: { closes: ['dt', 'dd'], scope: ['dl'] },
  tr: { closes: ['tr', 'td', 'th'], scope: ['table', 'thead', 'tbody', 'tfoot'] },
  td: { closes: ['td', 'th'], scope: ['tr', 'table'] },
  th: { closes: ['td', 'th'], scope: ['tr', 'table'] },
  thead: { closes: ['thead', 'tbody', 'tfoot', 'tr', 'td', 'th'], scope: ['table'] },
  tbody: { closes: ['thead', 'tbody', 'tfoot', 'tr', 'td', 'th'], scope: ['table'] },
  tfoot: { closes: ['thead', 'tbody', 'tfoot', 'tr', 'td', 'th'], scope: ['table'] },
  option: { closes: ['option'], scope: ['select', 'datalist'] },
  optgroup: { closes: ['option', 'optgroup'], scope: ['select'] },
  rt: { closes: ['rt', 'rp'], scope: ['ruby'] },
  rp: { closes: ['rt', 'rp'], scope: ['ruby'] },
};
/** Deepest nesting kept; deeper start tags add no level (their content joins the deepest element). */
export const MAX_DEPTH = 256;

/** One token of the input. */
type Token =
  | { kind: 'start'; tag: string; attrs: Record<string, string>; selfClosing: boolean }
  | { kind: 'end'; tag: string }
  | { kind: 'text'; text: string };

const TAG_NAME = /[A-Za-z][^\s/>\0]*/y;
const ATTR = /[\s/]*([^\s"'>/=][^\s"'>/=]*)(?:\s*=\s*(?:"([^"]*)"?|'([^']*)'?|([^\s>]*)))?/y;

/** Splits HTML into start tags, end tags and text (comments, doctypes and processing instructions dropped). */
function* tokenize(html: string): Generator<Token> {
  const n = html.length;
  let i = 0;
  let textStart = 0;
  const flushText = function* (end: number): Generator<Token> {
    if (end > textStart) yield { kind: 'text', text: decodeEntities(html.slice(textStart, end)) };
  };
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    const next = html[lt + 1];
    if (next === '!' || next === '?') {
      yield* flushText(lt);
      let end: number;
      if (html.startsWith('<!--', lt)) {
        end = html.indexOf('-->', lt + 4);
        end = end < 0 ? n : end + 3;
      } else if (html.startsWith('<![CDATA[', lt)) {
        end = html.indexOf(']]>', lt + 9);
        const stop = end < 0 ? n : end;
        yield { kind: 'text', text: html.slice(lt + 9, stop) };
        end = end < 0 ? n : end + 3;
      } else {
        end = html.indexOf('>', lt + 2);
        end = end < 0 ? n : end + 1;
      }
      i = textStart = end;
      continue;
    }
    const isEnd = next === '/';
    TAG_NAME.lastIndex = lt + (isEnd ? 2 : 1);
    const nameMatch = TAG_NAME.exec(html);
    if (!nameMatch) {
      if (isEnd) {
        // `</>` or `</ junk>`: dropped, like a browser does.
        yield* flushText(lt);
        const gt = html.indexOf('>', lt + 2);
        i = textStart = gt < 0 ? n : gt + 1;
      } else {
        i = lt + 1; // a literal `<` in text
      }
      continue;
    }
    yield* flushText(lt);
    const tag = nameMatch[0].toLowerCase();
    let j = TAG_NAME.lastIndex;
    const attrs: Record<string, string> = {};
    let selfClosing = false;
    // Attributes up to the closing `>` (an unclosed tag runs to the end of the input).
    while (j < n) {
      while (j < n && /\s/.test(html[j])) j++;
      if (html[j] === '>') { j++; break; }
      if (html.startsWith('/>', j)) { selfClosing = true; j += 2; break; }
      if (html[j] === '/') { j++; continue; }
      ATTR.lastIndex = j;
      const a = ATTR.exec(html);
      if (!a || a[0].length === 0) { j++; continue; }
      j = ATTR.lastIndex;
      const name = a[1].toLowerCase();
      if (!isEnd && !(name in attrs)) attrs[name] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? '');
    }
    i = textStart = Math.min(j, n);
    if (isEnd) { yield { kind: 'end', tag }; continue; }
    yield { kind: 'start', tag, attrs, selfClosing };
    if (RAW_TEXT.has(tag) && !selfClosing) {
      // Raw text runs to the matching end tag, or to the end of the input.
      const close = new RegExp(`</${tag}(?=[\\s/>])`, 'ig');
      close.lastIndex = i;
      const m = tag === 'plaintext' ? null : close.exec(html);
      const stop = m ? m.index : n;
      const raw = html.slice(i, stop);
      if (raw) yield { kind: 'text', text: RCDATA.has(tag) ? decodeEntities(raw) : raw };
      yield { kind: 'end', tag };
      if (m) {
        const gt = html.indexOf('>', stop);
        i = textStart = gt < 0 ? n : gt + 1;
      } else {
        i = textStart = n;
      }
    }
  }
  yield* flushText(n);
}

/** Parses HTML into a tree whose root is a `#document` element. Never throws. */
export function parseHtmlTree(source: string): HtmlElement {
  const root: HtmlElement = { type: 'element', tag: '#document', attrs: {}, children: [], parent: null };
  const stack: HtmlElement[] = [root];
  const current = () => stack[stack.length - 1];
  /** Index in the stack of the nearest open `tag` not behind a scope boundary, or -1. */
  const openIndex = (tags: string[], scope: string[]): number => {
    for (let k = stack.length - 1; k > 0; k--) {
      if (tags.includes(stack[k].tag)) return k;
      if (scope.includes(stack[k].tag)) return -1;
    }
    return -1;
  };
  for (const tok of tokenize(source.replace(/^\ufeff/, ''))) {
    if (tok.kind === 'text') {
      const parent = current();
      const last = parent.children[parent.children.length - 1];
      if (last?.type === 'text') last.text += tok.text;
      else parent.children.push({ type: 'text', text: tok.text });
      continue;
    }
    if (tok.kind === 'end') {
      if (tok.tag === 'br') { current().children.push({ type: 'element', tag: 'br', attrs: {}, children: [], parent: current() }); continue; }
      const k = openIndex([tok.tag], []);
      if (k > 0) stack.length = k; // closes it and everything opened inside it
      continue;
    }
    const { tag } = tok;
    if (CLOSES_P.has(tag)) {
      const k = openIndex(['p'], ['button', 'table', 'td', 'th', 'li', 'dd', 'dt']);
      if (k > 0) stack.length = k;
    }
    if (HEADINGS.has(tag) && HEADINGS.has(current().tag)) stack.pop();
    const implicit = IMPLICIT[tag];
    if (implicit) {
      const k = openIndex(implicit.closes, implicit.scope);
      if (k > 0) stack.length = k;
    }
    const parent = current();
    const el: HtmlElement = { type: 'element', tag, attrs: tok.attrs, children: [], parent };
    parent.children.push(el);
    if (!VOID.has(tag) && !tok.selfClosing && stack.length < MAX_DEPTH) stack.push(el);
  }
  return root;
}

/** Calls `visit` on every element below `root` in document order (iterative: deep trees are safe). */
export function walkElements(root: HtmlElement, visit: (el: HtmlElement) => void): void {
  const todo: HtmlNode[] = [...root.children].reverse();
  while (todo.length > 0) {
    const node = todo.pop()!;
    if (node.type !== 'element') continue;
    visit(node);
    for (let k = node.children.length - 1; k >= 0; k--) todo.push(node.children[k]);
  }
}

/** Every element below `root` for which `pred` holds, in document order. */
export function findAll(root: HtmlElement, pred: (el: HtmlElement) => boolean): HtmlElement[] {
  const out: HtmlElement[] = [];
  walkElements(root, (el) => { if (pred(el)) out.push(el); });
  return out;
}

/** True when `el` is `ancestor` or inside it. */
export function isInside(el: HtmlElement, ancestor: HtmlElement): boolean {
  for (let e: HtmlElement | null = el; e; e = e.parent) if (e === ancestor) return true;
  return false;
}

/** The concatenated text below `el`, whitespace collapsed. */
export function textContent(el: HtmlElement): string {
  const parts: string[] = [];
  const todo: HtmlNode[] = [el];
  while (todo.length > 0) {
    const node = todo.pop()!;
    if (node.type === 'text') { parts.push(node.text); continue; }
    for (let k = node.children.length - 1; k >= 0; k--) todo.push(node.children[k]);
  }
  return parts.join('').replace(/[\s\u00a0]+/g, ' ').trim();
}
