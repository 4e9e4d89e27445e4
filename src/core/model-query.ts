/**
 * What the model reads of a query. The model learns from text of the documents (titles, sentences, spans), where
 * questions are rare; people type questions ("how do I configure the cache?", "what is the role of p53 in ...").
 * The words that frame a question (interrogatives, auxiliary and modal verbs, personal pronouns) then pull the
 * model towards documents that happen to use them, so the model reads the query without them, and without
 * punctuation. Negations, prepositions and every content word stay. The lexical side is unaffected (it has its own
 * stop words).
 * Measured in BENCHMARKS.md ("Questions: the model reads the query without its question words").
 *
 * @example
 *   modelQuery('How do I configure the cache?') // 'configure the cache'
 *   modelQuery('what is it')                    // 'what is it' (nothing else left: unchanged)
 */
import { wordSpans, type WordSpan } from './text.ts';

/** Interrogatives, auxiliary and modal verbs and personal pronouns (normalized: lowercase, no accents). */
export const QUESTION_WORDS: ReadonlySet<string> = new Set([
  'what', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how',
  'do', 'does', 'did', 'is', 'are', 'was', 'were', 'am', 'be', 'been', 'being', 'has', 'have', 'had', 'having',
  'can', 'could', 'should', 'would', 'will', 'shall', 'may', 'might', 'must',
  'i', 'me', 'my', 'mine', 'you', 'your', 'yours', 'we', 'us', 'our', 'ours', 'they', 'them', 'their', 'theirs',
  'he', 'him', 'his', 'she', 'her', 'hers', 'it', 'its',
]);

/** What follows the apostrophe of a contraction ("what's", "you're", "I'm", "they've", "I'll", "I'd"). */
const CONTRACTION_TAILS: ReadonlySet<string> = new Set(['s', 're', 'm', 've', 'll', 'd']);
const APOSTROPHE = /^\s*['\u2019]\s*$/;

/**
 * The query as the model reads it: its words (as typed) without QUESTION_WORDS (nor the tail of a contraction of
 * one, the "s" of "what's"), joined by single spaces, so without punctuation. A query with no word, or made only of
 * such words, is returned unchanged.
 */
export function modelQuery(text: string): string {
  const spans = wordSpans(text);
  const kept: string[] = [];
  let dropped: WordSpan | undefined;
  for (const s of spans) {
    const tail = dropped !== undefined && CONTRACTION_TAILS.has(s.norm) && APOSTROPHE.test(text.slice(dropped.end, s.start));
    if (QUESTION_WORDS.has(s.norm) || tail) {
      dropped = s;
    } else {
      kept.push(text.slice(s.start, s.end));
      dropped = undefined;
    }
  }
  return kept.length === 0 ? text : kept.join(' ');
}
