/**
 * Result snippets and highlight ranges. Offsets are character (UTF-16) offsets into the text given; matching
 * is on normalized words (text.ts), so "Café" highlights for the query "cafe", and on their Porter2 stems (stem.ts,
 * the lexical index's analyzer), so "running" highlights "runs". Plain text only: the UI renders ranges as marks
 * around text nodes, never as HTML.
 *
 * @example
 *   const terms = queryTerms('tokenizer docs');
 *   makeSnippet(doc.text, terms, { maxChars: 180 }); // { text: '… the tokenizer is learned …', highlights: [[6, 15]] }
 */
import { GenizaError } from './errors.ts';
import type { HighlightRange, Snippet } from './types.ts';
import { stemCached } from './stem.ts';
import { words, wordSpans, type WordSpan } from './text.ts';

/** Options of highlightRanges and makeSnippet. */
export interface HighlightOptions {
  /** Treat the last term as a prefix (the word being typed: "tok" highlights "tokenizer"); default true. */
  prefixLast?: boolean;
  /**
   * Match words by their Porter2 stems (stem.ts), as the lexical path's analyzer does, so "running" highlights
   * "runs" and "run" as the index matched them; false: exact normalized words only (default true).
   */
  stem?: boolean;
}

/** Options of makeSnippet. */
export interface SnippetOptions extends HighlightOptions {
  /** Longest snippet in characters, not counting the "…" marks (default 180). */
  maxChars?: number;
}

const ELLIPSIS = '…';
/** Shortest last term that prefix-matches (a single letter would light up half the text). */
const MIN_PREFIX = 2;

/**
 * Function words that are not highlighted (nor count as a match) when the query has other words: "how do I work
 * offline" highlights "work" and "offline", not every "how", "do" and "I" of the page.
 */
export const HIGHLIGHT_STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'can', 'could', 'did', 'do', 'does', 'for', 'from', 'had',
  'has', 'have', 'how', 'i', 'if', 'in', 'into', 'is', 'it', 'its', 'me', 'my', 'no', 'not', 'of', 'on', 'or',
  'should', 'so', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'we', 'were',
  'what', 'when', 'where', 'which', 'who', 'why', 'will', 'with', 'would', 'you', 'your',
]);

/**
 * The distinct normalized words of a query, in order, without function words (HIGHLIGHT_STOPWORDS) unless the
 * query has nothing else; the last word is always kept, since it may be the start of a word still being typed.
 * `extra` words (e.g. the lexical index's `typoCorrections`) are added before the last word, so that they are
 * highlighted as whole words and the last word stays the one matched as a prefix.
 */
export function queryTerms(query: string, extra: readonly string[] = []): string[] {
  const all = [...new Set(words(query))];
  const last = all[all.length - 1];
  const content = all.filter((w) => w === last || !HIGHLIGHT_STOPWORDS.has(w));
  const terms = content.some((w) => !HIGHLIGHT_STOPWORDS.has(w)) ? content : all;
  const more = [...new Set(extra.flatMap((e) => words(e)))].filter((w) => !terms.includes(w));
  if (more.length === 0 || terms.length === 0) return terms;
  return [...terms.slice(0, -1), ...more, terms[terms.length - 1]];
}

/**
 * Returns, for a normalized word, the index of the query term it matches (same word, same analyzer stem, or the
 * typed last term as a prefix), or -1.
 */
function termMatcher(terms: readonly string[], prefixLast: boolean, stem: boolean): (norm: string) => number {
  const exact = new Map<string, number>();
  const stems = new Map<string, number>();
  terms.forEach((t, i) => {
    if (!exact.has(t)) exact.set(t, i);
    const s = stemCached(t);
    if (stem && !stems.has(s)) stems.set(s, i);
  });
  const lastIndex = terms.length - 1;
  const last = prefixLast && lastIndex >= 0 && terms[lastIndex].length >= MIN_PREFIX ? terms[lastIndex] : undefined;
  return (norm) => {
    const e = exact.get(norm);
    if (e !== undefined) return e;
    const s = stem ? stems.get(stemCached(norm)) : undefined;
    if (s !== undefined) return s;
    if (last !== undefined && norm.startsWith(last)) return lastIndex;
    return -1;
  };
}

interface Match extends WordSpan {
  term: number;
}

function findMatches(spans: readonly WordSpan[], terms: readonly string[], opts: HighlightOptions): Match[] {
  if (terms.length === 0) return [];
  const match = termMatcher(terms, opts.prefixLast ?? true, opts.stem ?? true);
  const out: Match[] = [];
  for (const s of spans) {
    const term = match(s.norm);
    if (term >= 0) out.push({ ...s, term });
  }
  return out;
}

/** Ranges [start, end) of the words of `text` that match a query term (exact, same stem, or typed prefix); sorted, disjoint. */
export function highlightRanges(text: string, terms: readonly string[], opts: HighlightOptions = {}): HighlightRange[] {
  return mergeRanges(findMatches(wordSpans(text), terms, opts).map((m) => [m.start, m.end]));
}

/** Sorts ranges and merges overlapping ones (words split into several normalized words share a span). */
function mergeRanges(ranges: HighlightRange[]): HighlightRange[] {
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: HighlightRange[] = [];
  for (const r of ranges) {
    const prev = out[out.length - 1];
    if (prev !== undefined && r[0] < prev[1]) prev[1] = Math.max(prev[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/**
 * Excerpt of `text` of at most `maxChars` characters around the passage with the most distinct query terms,
 * cut at word boundaries, "…" where text was cut, whitespace runs collapsed; highlights are offsets into the
 * snippet's text.
 */
export function makeSnippet(text: string, terms: readonly string[], opts: SnippetOptions = {}): Snippet {
  const maxChars = opts.maxChars ?? 180;
  if (!Number.isInteger(maxChars) || maxChars < 1) {
    throw new GenizaError('BAD_OPTION', `snippet: maxChars must be an integer >= 1 (got ${maxChars})`);
  }
  const spans = wordSpans(text);
  const matches = findMatches(spans, terms, opts);
  if (text.length <= maxChars) return excerpt(text, 0, text.length, matches);

  // Best window: most distinct terms, then most matches, then earliest (two pointers over the matches).
  let bestI = -1;
  let bestJ = -1;
  let bestDistinct = 0;
  let bestCount = 0;
  const perTerm = new Array<number>(terms.length).fill(0);
  let distinct = 0;
  let j = 0;
  for (let i = 0; i < matches.length; i++) {
    if (j <= i) {
      // window is empty: start it with match i
      j = i;
      perTerm.fill(0);
      distinct = 0;
    }
    while (j < matches.length && (j === i || matches[j].end - matches[i].start <= maxChars)) {
      if (perTerm[matches[j].term]++ === 0) distinct++;
      j++;
    }
    if (distinct > bestDistinct || (distinct === bestDistinct && j - i > bestCount)) {
      bestI = i;
      bestJ = j;
      bestDistinct = distinct;
      bestCount = j - i;
    }
    if (--perTerm[matches[i].term] === 0) distinct--;
  }

  let start: number;
  let end: number;
  if (bestI < 0) {
    start = 0;
    end = maxChars;
  } else {
    const s = matches[bestI].start;
    const e = matches[bestJ - 1].end;
    const slack = Math.max(0, maxChars - (e - s));
    start = Math.max(0, s - Math.floor(slack / 3));
    end = Math.min(text.length, start + maxChars);
    if (end - start < maxChars) start = Math.max(0, end - maxChars);
    if (e - s > maxChars) {
      start = s;
      end = s + maxChars;
    }
  }
  // Cut at word boundaries: start at a word, end after a word (dropping partial words and stray punctuation).
  if (start > 0) {
    const i = firstSpanFrom(spans, start);
    if (i < spans.length && spans[i].start < end) start = spans[i].start;
  }
  if (end < text.length) {
    const i = firstSpanFrom(spans, end + 1) - 1; // spans[i].start <= end
    let k = i;
    while (k >= 0 && spans[k].end > end) k--;
    if (k >= 0 && spans[k].end > start) end = spans[k].end;
  }
  // Never split a surrogate pair (emoji, rare ideographs).
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start++;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end--;
  return excerpt(text, start, end, matches);
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Index of the first word span starting at or after `offset` (spans.length if none). */
function firstSpanFrom(spans: WordSpan[], offset: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** text[start, end) with whitespace runs collapsed and trimmed, "…" where cut, highlights of matches inside. */
function excerpt(text: string, start: number, end: number, matches: Match[]): Snippet {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  const lead = start > 0 ? ELLIPSIS : '';
  let out = lead;
  const pos = new Int32Array(end - start);
  let inSpace = false;
  for (let i = start; i < end; i++) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      if (!inSpace) out += ' ';
      inSpace = true;
      pos[i - start] = out.length - 1;
    } else {
      inSpace = false;
      pos[i - start] = out.length;
      out += ch;
    }
  }
  if (end < text.length) out += ELLIPSIS;
  const ranges: HighlightRange[] = [];
  for (const m of matches) {
    if (m.start >= start && m.end <= end && m.end > m.start) ranges.push([pos[m.start - start], pos[m.end - 1 - start] + 1]);
  }
  return { text: out, highlights: mergeRanges(ranges) };
}
