/**
 * The engine's lexical side: the stemmed, field-aware LexicalIndex (src/core/lexical-index.ts) built over a
 * bundle's documents at load time. Titles that merely repeat the document id (collections without titles, e.g.
 * NFCorpus) are not indexed as text.
 *
 * @example
 *   const lexical = buildLexical(docs);
 *   lexical.search('offline mode', { k: 10 }); // [{ docIndex: 3, score: 7.1 }, ...]
 */
import { LexicalIndex } from '../src/core/lexical-index.ts';
import type { StoredDoc } from '../src/core/types.ts';

/** Builds the lexical index of the documents (title, text and, for sections, the page title). */
export function buildLexical(docs: readonly StoredDoc[]): LexicalIndex {
  return LexicalIndex.build(docs.map((d) => ({
    title: d.title === d.id ? '' : d.title,
    text: d.text,
    ...(d.pageTitle !== undefined && d.pageTitle !== d.title ? { pageTitle: d.pageTitle } : {}),
  })));
}
