/** Top-k selection of scored documents, shared by the BM25 baseline and the lexical index. */

/** A document and its score. */
export interface ScoredDoc {
  docIndex: number;
  score: number;
}

/** True when document a ranks before document b (higher score, then lower index). */
function before(acc: Float64Array, a: number, b: number): boolean {
  return acc[a] > acc[b] || (acc[a] === acc[b] && a < b);
}

/**
 * The k best of `docs` by their score `acc[doc]` (best first; ties: lower index first), documents with a score <= 0
 * left out, with a bounded min-heap whose root is the worst kept: O(n log k).
 */
export function topK(acc: Float64Array, docs: readonly number[], k: number): ScoredDoc[] {
  const heap: number[] = [];
  const down = (i: number): void => {
    const m = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < m && before(acc, heap[w], heap[l])) w = l;
      if (r < m && before(acc, heap[w], heap[r])) w = r;
      if (w === i) return;
      [heap[i], heap[w]] = [heap[w], heap[i]];
      i = w;
    }
  };
  for (const d of docs) {
    if (!(acc[d] > 0)) continue;
    if (heap.length < k) {
      heap.push(d);
      let i = heap.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!before(acc, heap[p], heap[i])) break;
        [heap[i], heap[p]] = [heap[p], heap[i]];
        i = p;
      }
    } else if (before(acc, d, heap[0])) {
      heap[0] = d;
      down(0);
    }
  }
  heap.sort((a, b) => (before(acc, a, b) ? -1 : 1));
  return heap.map((d) => ({ docIndex: d, score: acc[d] }));
}
