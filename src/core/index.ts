/**
 * geniza core: the pure part of the engine (no DOM, no Node, no ORT), shared by the build and the page.
 * Tokenizer, docid trie, trie-constrained decoding, snippets, metrics, bundle manifest, shared types and errors.
 *
 * @example
 *   import { WordPieceTokenizer, DocidTrie, decodeTrie, bestFirstTopK } from 'geniza/core';
 *   const trie = DocidTrie.fromDocids(decodeTrie(trieBytes));
 *   const hits = await bestFirstTopK(step, trie, { topK: 10 });
 */
export * from './types.ts';
export * from './errors.ts';
export * from './text.ts';
export * from './tokenizer.ts';
export * from './trie.ts';
export * from './decode.ts';
export * from './snippet.ts';
export * from './metrics.ts';
export * from './manifest.ts';
export * from './kmeans.ts';
export * from './bm25.ts';
export * from './stem.ts';
export * from './lexical-index.ts';
export * from './fusion.ts';
export * from './doc-filters.ts';
export * from './model-query.ts';
