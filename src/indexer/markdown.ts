/** Markdown -> plain text, front matter, title and headings (a tolerant line-based reader, no dependencies). */
import { decodeEntities } from './html-entities.ts';

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

function parseFrontMatter(lines: string[]): { data: Record<string, string>; end: number } {
  const data: Record<string, string> = {};
  if (lines[0]?.trim() !== '---') return { data, end: 0 };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '---' || line.trim() === '...') return { data, end: i + 1 };
    const m = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2].trim();
    if ((v.startsWith('"') && v.endsWith('"') && v.length >= 2) || (v.startsWith("'") && v.endsWith("'") && v.length >= 2)) {
      v = v.slice(1, -1);
    }
    data[m[1].toLowerCase()] = v;
  }
  // No closing line: not front matter after all.
  return { data: {}, end: 0 };
}

/** Parses one Markdown file into front matter, first `#` heading, other headings and plain text. */
export function parseMarkdown(source: string): ParsedMarkdown {
  const lines = source.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n').split('\n');
  const { data: frontMatter, end } = parseFrontMatter(lines);
  const out: string[] = [];
  const headings: string[] = [];
  let firstHeading: string | undefined;
  let para: string[] = [];
  let fence: { char: string; len: number } | null = null;
  let inComment = false;

  const flush = () => {
    if (para.length > 0) {
      const t = inlineToText(para.join(' '));
      if (t) out.push(t);
    }
    para = [];
  };
  const heading = (level: number, raw: string) => {
    const t = inlineToText(raw);
    if (!t) return;
    if (level === 1 && firstHeading === undefined) { firstHeading = t; return; }
    headings.push(t);
    out.push(t);
  };

  for (let i = end; i < lines.length; i++) {
    const line = lines[i];
    if (fence) {
      const close = new RegExp(`^ {0,3}${fence.char === '`' ? '`' : '~'}{${fence.len},}\\s*$`);
      if (close.test(line)) { fence = null; continue; }
      if (line.trim()) out.push(line.trimEnd());
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
      if (row) out.push(row);
      continue;
    }
    para.push(body.trim());
  }
  flush();
  return { frontMatter, firstHeading, headings, text: out.join('\n') };
}
