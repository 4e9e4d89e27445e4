/** Markdown -> plain text, front matter, title and headings (a tolerant line-based reader, no dependencies). */
import { decodeEntities } from './html-entities.ts';
import { addFilter, leadSection, parseFilterSpec, Slugger, type RawSection } from './sections.ts';

/** What `parseMarkdown` extracts from one Markdown file. */
export interface ParsedMarkdown {
  /** `key: value` pairs of a leading `---` front matter block (quotes removed); empty when there is none. */
  frontMatter: Record<string, string>;
  /** Text of the first level-1 heading, if any (it is left out of `text` and `headings`). */
  firstHeading?: string;
  /** Other headings, in document order, as plain text. */
  headings: string[];
  /** Body as plain text: one line per paragraph, heading, list item, table row or code line. */
  text: string;
  /**
   * The lead section, then one section per heading (level 2-6, and level 1 after the first) with its anchor: an
   * explicit `{#id}` after the heading text, else the GitHub-style slug of the text (`-1`, `-2` for repeats).
   */
  sections: RawSection[];
  /** Facets of the front matter `filters` field (one line `key:value ...`, or an indented block of `key: value`). */
  filters: Record<string, string[]>;
  /** Problems worth a warning (bad filter entries). */
  problems: string[];
}

/** Removes inline Markdown syntax (links, images, emphasis, code spans, HTML tags, escapes) and decodes entities. */
export function inlineToText(s: string): string {
  let t = s;
  t = t.replace(/<!--[\s\S]*?-->/g, ' ');
  t = t.replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1');
  t = t.replace(/!\[([^\]]*)\]\[[^\]]*\]/g, '$1');
  t = t.replace(/\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)/g, '$1');
  t = t.replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1');
  t = t.replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1');
  t = t.replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, '');
  t = t.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_m, _f, code: string) => code.trim());
  t = t.replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2');
  t = t.replace(/(?<![\w*])\*(?=\S)([^*]*?\S)\*(?![\w*])/g, '$1');
  t = t.replace(/(?<![\p{L}\p{N}_])_(?=\S)([^_]*?\S)_(?![\p{L}\p{N}_])/gu, '$1');
  t = t.replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1');
  t = t.replace(/\\([!-/:-@[-`{-~])/g, '$1');
  t = decodeEntities(t);
  return t.replace(/[ \t\u00a0]+/g, ' ').trim();
}

function unquote(v: string): string {
  if ((v.startsWith('"') && v.endsWith('"') && v.length >= 2) || (v.startsWith("'") && v.endsWith("'") && v.length >= 2)) {
    return v.slice(1, -1);
  }
  return v;
}

/** Values of a front matter entry: `[a, b]`, `a, b` or one value. */
function listValues(v: string): string[] {
  const inner = v.startsWith('[') && v.endsWith(']') ? v.slice(1, -1) : v;
  return inner.split(',').map((x) => unquote(x.trim())).filter(Boolean);
}

function parseFrontMatter(lines: string[]): { data: Record<string, string>; filters: Record<string, string[]>; problems: string[]; end: number } {
  const data: Record<string, string> = {};
  const filters: Record<string, string[]> = {};
  const problems: string[] = [];
  if (lines[0]?.trim() !== '---') return { data, filters, problems, end: 0 };
  let block: string | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '---' || line.trim() === '...') return { data, filters, problems, end: i + 1 };
    const nested = /^[ \t]+(?:-[ \t]+)?([A-Za-z_][\w.-]*)\s*:\s*(.*)$/.exec(line);
    if (block === 'filters' && nested) {
      const values = listValues(nested[2].trim());
      if (values.length === 0) problems.push(`front matter filters: "${nested[1]}" has no value`);
      for (const v of values) addFilter(filters, nested[1], v);
      continue;
    }
    const m = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    const v = unquote(m[2].trim());
    block = v === '' ? key : undefined;
    if (key === 'filters' && v !== '') {
      parseFilterSpec(v, filters, (t) => problems.push(`front matter filters: "${t}" is not key:value`));
      continue;
    }
    data[key] = v;
  }
  // No closing line: not front matter after all.
  return { data: {}, filters: {}, problems: [], end: 0 };
}

/** Parses one Markdown file into front matter, first `#` heading, other headings and plain text. */
export function parseMarkdown(source: string): ParsedMarkdown {
  const lines = source.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n').split('\n');
  const { data: frontMatter, filters, problems, end } = parseFrontMatter(lines);
  const out: string[] = [];
  const headings: string[] = [];
  let firstHeading: string | undefined;
  let para: string[] = [];
  let fence: { char: string; len: number } | null = null;
  let inComment = false;
  const sections: RawSection[] = [leadSection()];
  const trail: { level: number; heading: string }[] = [];
  const slugger = new Slugger();
  const lineOut = (t: string) => { out.push(t); sections[sections.length - 1].lines.push(t); };

  const flush = () => {
    if (para.length > 0) {
      const t = inlineToText(para.join(' '));
      if (t) lineOut(t);
    }
    para = [];
  };
  const heading = (level: number, raw: string) => {
    const explicit = /\s*\{#([^\s}]+)\}\s*$/.exec(raw);
    const t = inlineToText(explicit ? raw.slice(0, explicit.index) : raw);
    if (!t) return;
    if (level === 1 && firstHeading === undefined) { firstHeading = t; return; }
    headings.push(t);
    out.push(t);
    const anchor = explicit ? slugger.reserve(explicit[1]) : slugger.slug(t);
    while (trail.length > 0 && trail[trail.length - 1].level >= level) trail.pop();
    sections.push({ heading: t, anchor, level, trail: trail.map((x) => x.heading), lines: [], headings: [] });
    trail.push({ level, heading: t });
  };

  for (let i = end; i < lines.length; i++) {
    const line = lines[i];
    if (fence) {
      const close = new RegExp(`^ {0,3}${fence.char === '`' ? '`' : '~'}{${fence.len},}\\s*$`);
      if (close.test(line)) { fence = null; continue; }
      if (line.trim()) lineOut(line.trimEnd());
      continue;
    }
    if (inComment) {
      if (line.includes('-->')) inComment = false;
      continue;
    }
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open) { flush(); fence = { char: open[1][0], len: open[1].length }; continue; }
    if (/^\s*<!--/.test(line) && !line.includes('-->')) { flush(); inComment = true; continue; }
    if (!line.trim()) { flush(); continue; }
    const atx = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (atx) { flush(); heading(atx[1].length, atx[2] ?? ''); continue; }
    if (para.length > 0 && /^ {0,3}=+[ \t]*$/.test(line)) { const p = para.join(' '); para = []; heading(1, p); continue; }
    if (para.length > 0 && /^ {0,3}-+[ \t]*$/.test(line)) { const p = para.join(' '); para = []; heading(2, p); continue; }
    if (/^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/.test(line)) { flush(); continue; }
    if (/^ {0,3}\[[^\]]+\]:\s*\S+/.test(line)) { flush(); continue; }
    if (/^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)+\|?\s*$/.test(line)) continue;
    let body = line.replace(/^\s*(>\s?)+/, '');
    const item = /^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?/.exec(body);
    if (item) { flush(); body = body.slice(item[0].length); }
    if (/^\s*\|.*\|\s*$/.test(body)) {
      flush();
      const row = body.trim().replace(/^\||\|$/g, '').split('|').map((c) => inlineToText(c)).filter(Boolean).join(' ');
      if (row) lineOut(row);
      continue;
    }
    para.push(body.trim());
  }
  flush();
  return { frontMatter, firstHeading, headings, text: out.join('\n'), sections, filters, problems };
}
