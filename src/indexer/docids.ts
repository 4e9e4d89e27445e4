/**
 * Stage docids: semantic hierarchical docids. Documents become vectors (TF-IDF -> truncated SVD -> L2 norm),
 * then a seeded recursive k-means builds a tree with at most K children per node. A node with <= K documents
 * is a leaf and each document's last docid value is its position in the leaf, so docids are prefix-free.
 */
import { kmeans } from '../core/kmeans.ts';
import { truncatedSvd } from '../core/svd.ts';
import { words } from '../core/text.ts';
import { docidToTokens } from '../core/trie.ts';
import type { SourceDoc } from '../core/types.ts';
import { learnedTitle } from './pseudo-queries.ts';
import { buildTfIdf } from './tfidf.ts';

/** Options of `assignDocids`. */
export interface DocidOptions {
  /** Children per node, K (default 32, at least 2). */
  branching?: number;
  /** Dimensions of the SVD document vectors (default 64). */
  dims?: number;
  /** Seed of the SVD and k-means (default 42). */
  seed?: number;
  /** Deepest level split by k-means; deeper nodes are split evenly in document order (default 8). */
  maxDepth?: number;
  /** Called as documents get their docid: (documents placed, all documents). */
  onProgress?: (done: number, total: number) => void;
}

/** Docids of a corpus: doc i has cluster path `paths[i]` and decoder tokens `tokens[i]`. */
export interface DocidAssignment {
  /** Cluster path of each document: values in [0, branching), last value = position in the leaf. */
  paths: number[][];
  /** Docid tokens (value c at level l -> 1 + l * K + c), what the model writes. */
  tokens: number[][];
  /** Longest docid, in tokens. */
  maxLength: number;
  /** K. */
  branching: number;
}

/** Largest corpus that `auto` gives atomic docids (its output layer has one row per document). */
export const ATOMIC_MAX_DOCS = 20_000;

/**
 * Atomic docids: document i is the one-token docid [i] (a tree of one level with K = n). The model then scores
 * every document in one decoder step, and beam search over one level is an exact top-k.
 */
export function atomicDocids(n: number): DocidAssignment {
  const branching = Math.max(2, n);
  const paths = Array.from({ length: n }, (_, i) => [i]);
  return { paths, tokens: paths.map((p) => docidToTokens(p, branching)), maxLength: 1, branching };
}

/** Default branching factor K. */
export const DEFAULT_BRANCHING = 32;

/** Document vectors: TF-IDF of title, headings and text, truncated SVD to `dims`, rows L2-normalized (n x dims). */
export function documentVectors(docs: readonly SourceDoc[], dims = 64, seed = 42): { data: Float32Array; dims: number } {
  const docWords = docs.map((d) => words([learnedTitle(d), learnedTitle(d), ...(d.headings ?? []), d.text].join('\n')));
  // Terms seen in one document do not help to group documents (unless the corpus is tiny).
  const tfidf = buildTfIdf(docWords, { minDf: docs.length >= 50 ? 2 : 1, maxTerms: 30000 });
  const rank = Math.max(1, Math.min(dims, docs.length, tfidf.matrix.cols));
  if (tfidf.matrix.cols === 0) return { data: new Float32Array(docs.length), dims: 1 };
  const svd = truncatedSvd(tfidf.matrix, rank, { seed, powerIterations: 2 });
  const r = svd.rank;
  const data = new Float32Array(docs.length * r);
  for (let i = 0; i < docs.length; i++) {
    let norm = 0;
    for (let k = 0; k < r; k++) {
      const v = svd.u[i * r + k] * svd.s[k];
      data[i * r + k] = v;
      norm += v * v;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let k = 0; k < r; k++) data[i * r + k] *= inv;
    }
  }
  return { data, dims: r };
}

/** Splits `items` into `k` consecutive groups of near-equal size. */
function evenSplit(items: number[], k: number): number[][] {
  const groups: number[][] = [];
  const size = Math.ceil(items.length / k);
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}

/**
 * Builds the docid tree from `n` row-major vectors of `dims` dimensions (the k-means part of `assignDocids`).
 * Degenerate splits (all documents in one cluster, e.g. identical vectors) fall back to an even split by order.
 */
export function docidPathsFromVectors(data: Float32Array, n: number, dims: number, opts: DocidOptions = {}): number[][] {
  const K = opts.branching ?? DEFAULT_BRANCHING;
  if (!Number.isInteger(K) || K < 2) throw new RangeError(`docids: branching must be an integer >= 2 (got ${K})`);
  const maxDepth = opts.maxDepth ?? 8;
  const seed = opts.seed ?? 42;
  const paths: number[][] = new Array(n);
  let node = 0;
  let placed = 0;
  const sub = new Float32Array(n * dims);

  const visit = (members: number[], depth: number, prefix: number[]): void => {
    if (members.length <= K) {
      members.forEach((doc, pos) => { paths[doc] = [...prefix, pos]; });
      placed += members.length;
      opts.onProgress?.(placed, n);
      return;
    }
    node++;
    let groups: number[][] = [];
    if (depth < maxDepth) {
      const m = members.length;
      for (let i = 0; i < m; i++) sub.set(data.subarray(members[i] * dims, members[i] * dims + dims), i * dims);
      const res = kmeans(sub.subarray(0, m * dims), m, dims, K, { seed: (seed + Math.imul(node, 0x9e3779b1)) | 0 });
      const byCluster: number[][] = Array.from({ length: res.k }, () => []);
      for (let i = 0; i < m; i++) byCluster[res.assignments[i]].push(members[i]);
      groups = byCluster.filter((g) => g.length > 0);
    }
    if (groups.length <= 1) groups = evenSplit(members, Math.min(K, Math.ceil(members.length / K)) || 2);
    if (groups.length === 1) groups = evenSplit(members, 2);
    groups.forEach((g, c) => visit(g, depth + 1, [...prefix, c]));
  };
  visit(Array.from({ length: n }, (_, i) => i), 0, []);
  return paths;
}

/**
 * Assigns every document a semantic hierarchical docid. Deterministic for a seed.
 * @example assignDocids(docs, { branching: 32 }) // { paths: [[3, 0], [3, 1], [17, 0], ...], tokens: [[4, 33], ...], maxLength: 2, branching: 32 }
 */
export function assignDocids(docs: readonly SourceDoc[], opts: DocidOptions = {}): DocidAssignment {
  const branching = opts.branching ?? DEFAULT_BRANCHING;
  const seed = opts.seed ?? 42;
  const { data, dims } = documentVectors(docs, opts.dims ?? 64, seed);
  const paths = docidPathsFromVectors(data, docs.length, dims, { ...opts, branching, seed });
  const tokens = paths.map((p) => docidToTokens(p, branching));
  const maxLength = paths.reduce((m, p) => Math.max(m, p.length), 0);
  return { paths, tokens, maxLength, branching };
}
