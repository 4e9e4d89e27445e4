/**
 * Stage pseudo-queries: training pairs (query text -> document) made from each document's own text, since
 * real queries do not exist at build time. Per document: its title (several times: titles are what users
 * type for known-item search), a shortened title, its first words, sets of its top TF-IDF keywords, its
 * headings and title + heading combinations (for a section of a page: page title + section heading), its
 * sentences and random spans of 4-16 words.
 * Deterministic for a seed; exactly `queriesPerDoc` pairs per document.
 */
import { seededRandom, shuffleInPlace, type Rng } from '../core/seeded-random.ts';
import { wordSpans, words } from '../core/text.ts';
import type { SourceDoc } from '../core/types.ts';
import { buildTfIdf, type TfIdf } from './tfidf.ts';

/** Options of `makeTrainingPairs`. */
export interface PseudoQueryOptions {
  /** Pairs per document (default 20). */
  queriesPerDoc?: number;
  /** Seed of every sampling choice (default 42). */
  seed?: number;
  /** Copies of the exact title per document (default: max(2, 20% of queriesPerDoc)). */
  titleCopies?: number;
  /** Longest pseudo-query in words (default 16). */
  maxWords?: number;
  /** Called after each document: (documents done, all documents). */
  onProgress?: (done: number, total: number) => void;
}

/** One training pair: a query and the index of the document it should find. */
export interface TrainingPair {
  docIndex: number;
  text: string;
  /** Which generator made it (title, heading, sentence, span, keywords, ...), for statistics. */
  kind: PseudoQueryKind;
}

/** Generators of pseudo-queries. */
export type PseudoQueryKind = 'title' | 'title-part' | 'first-words' | 'keywords' | 'heading' | 'title-heading' | 'sentence' | 'span';

/** Default of `PseudoQueryOptions.queriesPerDoc`. */
export const DEFAULT_QUERIES_PER_DOC = 50;

const STOPWORDS = new Set(
  ('a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its '
    + 'may me more most my no not of on or our out over she should so some such than that the their them then there these '
    + 'they this those to too up us was we were what when where which while who why will with would you your also each '
    + 'other only any all both just about after before between through during under very own same few here').split(' '),
);

/** Top keywords of a document by TF-IDF: no stopwords, no single characters, not in most documents. */
function keywordsOf(tfidf: TfIdf, docIndex: number, nDocs: number, limit: number): string[] {
  const m = tfidf.matrix;
  const scored: [string, number][] = [];
  for (let p = m.indptr[docIndex]; p < m.indptr[docIndex + 1]; p++) {
    const c = m.indices[p];
    const term = tfidf.terms[c];
    if (term.length < 2 || STOPWORDS.has(term)) continue;
    if (nDocs >= 10 && tfidf.df[c] > nDocs * 0.5) continue;
    scored.push([term, m.values[p]]);
  }
  scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return scored.slice(0, limit).map(([t]) => t);
}

/** Sentences of a text (split at . ! ? followed by space, and at line breaks), trimmed, with >= 3 words. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => wordSpans(s).length >= 3);
}

/** The original text of words [from, to) of `text` (punctuation between them kept). */
function slice(text: string, spans: { start: number; end: number }[], from: number, to: number): string {
  return text.slice(spans[from].start, spans[to - 1].end);
}

/** A window of at most `maxWords` words of `text` (random start when longer). */
function window(text: string, maxWords: number, rng: Rng): string {
  const spans = wordSpans(text);
  if (spans.length <= maxWords) return text;
  const start = rng.int(spans.length - maxWords + 1);
  return slice(text, spans, start, start + maxWords);
}

/** The title the build learns from: '' for a document whose input had none (its shown title is its id). */
export function learnedTitle(doc: SourceDoc): string {
  return doc.untitled ? '' : doc.title.trim();
}

/**
 * Pseudo-queries of one document (exactly `count`, cycling through the candidates if it has few). An untitled
 * document gets no title queries: their share goes to its text.
 */
export function pseudoQueriesForDoc(
  doc: SourceDoc, keywords: string[], count: number, rng: Rng, opts: { titleCopies: number; maxWords: number },
): { text: string; kind: PseudoQueryKind }[] {
  const out: { text: string; kind: PseudoQueryKind }[] = [];
  const title = learnedTitle(doc);
  const maxWords = opts.maxWords;
  const push = (text: string, kind: PseudoQueryKind) => {
    const t = text.replace(/\s+/g, ' ').trim();
    if (t && out.length < count) out.push({ text: t, kind });
  };

  // Fixed part: title copies, a shortened title, first words, keyword sets.
  if (title) for (let i = 0; i < opts.titleCopies; i++) push(window(title, maxWords, rng), 'title');
  const titleSpans = wordSpans(title);
  if (titleSpans.length >= 3) {
    // Drop one word (users often type titles partly), or keep the first words.
    const drop = rng.int(titleSpans.length);
    const kept = titleSpans.filter((_, i) => i !== drop).map((s) => title.slice(s.start, s.end));
    push(kept.join(' '), 'title-part');
  }
  // A section of a split page: users also type the page title with the section heading.
  const pageTitle = doc.pageTitle?.trim();
  if (title && pageTitle && pageTitle !== title) push(window(`${pageTitle} ${title}`, maxWords, rng), 'title-heading');
  const textSpans = wordSpans(doc.text);
  if (textSpans.length > 0) push(slice(doc.text, textSpans, 0, Math.min(textSpans.length, 6 + rng.int(7))), 'first-words');
  if (keywords.length > 0) {
    for (let i = 0; i < 2; i++) {
      const pool = shuffleInPlace(keywords.slice(0, 10), rng);
      push(pool.slice(0, Math.min(pool.length, 2 + rng.int(4))).join(' '), 'keywords');
    }
  }

  // Candidates: headings, title + heading, sentences, random spans.
  const headings = (doc.headings ?? []).map((h) => h.trim()).filter((h) => h && h !== title);
  const sentences = sentencesOf(doc.text);
  const candidates: { text: string; kind: PseudoQueryKind }[] = [];
  for (const h of headings) candidates.push({ text: window(h, maxWords, rng), kind: 'heading' });
  // Title + heading (an untitled document has its headings once, above).
  if (title) for (const h of shuffleInPlace(headings.slice(), rng).slice(0, 4)) candidates.push({ text: window(`${title} ${h}`, maxWords, rng), kind: 'title-heading' });
  for (const s of sentences) candidates.push({ text: window(s, maxWords, rng), kind: 'sentence' });
  shuffleInPlace(candidates, rng);
  // Headings first (they are short, user-like queries), then sentences and spans interleaved.
  candidates.sort((a, b) => Number(b.kind === 'heading') - Number(a.kind === 'heading'));
  const headingQuota = Math.ceil((count - out.length) / 4);
  let used = 0;
  const rest: { text: string; kind: PseudoQueryKind }[] = [];
  for (const c of candidates) {
    if (c.kind === 'heading' && used < headingQuota) { push(c.text, c.kind); used++; } else rest.push(c);
  }
  const span = (): string | undefined => {
    if (textSpans.length === 0) return undefined;
    const len = Math.min(textSpans.length, 4 + rng.int(13));
    const start = rng.int(textSpans.length - len + 1);
    return slice(doc.text, textSpans, start, start + len);
  };
  let r = 0;
  while (out.length < count && (r < rest.length || textSpans.length > 0)) {
    if (r < rest.length && (rng.next() < 0.5 || textSpans.length === 0)) {
      push(rest[r].text, rest[r].kind);
      r++;
    } else {
      const s = span();
      if (s) push(s, 'span');
    }
  }
  // A document with no title and no text: its id (the title it shows) is all there is.
  if (out.length === 0) push(window(doc.title, maxWords, rng), 'title');
  // A document with (almost) no text: cycle through what it has.
  const base = out.length;
  for (let i = 0; out.length < count && base > 0; i++) push(out[i % base].text, out[i % base].kind);
  return out;
}

/**
 * Training pairs for all documents, in document order, `queriesPerDoc` per document.
 * @example makeTrainingPairs(docs, { queriesPerDoc: 40, seed: 42 }) // [{ docIndex: 0, text: 'Getting started', kind: 'title' }, ...]
 */
export function makeTrainingPairs(docs: readonly SourceDoc[], opts: PseudoQueryOptions = {}): TrainingPair[] {
  const count = opts.queriesPerDoc ?? DEFAULT_QUERIES_PER_DOC;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`pseudo-queries: queriesPerDoc must be an integer >= 1 (got ${count})`);
  const seed = opts.seed ?? 42;
  const titleCopies = Math.min(count, opts.titleCopies ?? Math.max(2, Math.round(count * 0.2)));
  const maxWords = opts.maxWords ?? 16;
  const tfidf = buildTfIdf(docs.map((d) => words([learnedTitle(d), ...(d.headings ?? []), d.text].join('\n'))), { normalizeRows: false });
  const pairs: TrainingPair[] = [];
  docs.forEach((doc, docIndex) => {
    const rng = seededRandom((seed + Math.imul(docIndex + 1, 0x9e3779b1)) | 0);
    const kw = keywordsOf(tfidf, docIndex, docs.length, 12);
    for (const q of pseudoQueriesForDoc(doc, kw, count, rng, { titleCopies, maxWords })) {
      pairs.push({ docIndex, text: q.text, kind: q.kind });
    }
    opts.onProgress?.(docIndex + 1, docs.length);
  });
  return pairs;
}
