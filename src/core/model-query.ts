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
import { wordSpans } from './text.ts';

/** Interrogatives, auxiliary and modal verbs and personal pronouns (normalized: lowercase, no accents). */
export const QUESTION_WORDS: ReadonlySet<string> = new Set([
  'what', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how',
  'do', 'does', 'did', 'is', 'are', 'was', 'were', 'am', 'be', 'been', 'being', 'has', 'have', 'had', 'having',
  'can', 'could', 'should', 'would', 'will', 'shall', 'may', 'might', 'must',
  'i', 'me', 'my', 'mine', 'you', 'your', 'yours', 'we', 'us', 'our', 'ours', 'they', 'them', 'their', 'theirs',
  'he', 'him', 'his', 'she', 'her', 'hers', 'it', 'its',
]);

/**
 * The query as the model reads it: its words (as typed) without QUESTION_WORDS, joined by single spaces, so without
 * punctuation. A query with no word, or made only of such words, is returned unchanged.
 */
export function modelQuery(text: string): string {
  const spans = wordSpans(text);
  const kept = spans.filter((s) => !QUESTION_WORDS.has(s.norm));
  if (kept.length === 0) return text;
  return kept.map((s) => text.slice(s.start, s.end)).join(' ');
}
