/**
 * Trie-constrained decoding of docids over a `step` function that is passed in (the model in the worker,
 * a hand-written log-probability table in tests).
 *
 * - beamSearch: keeps the `beams` best unfinished prefixes per step; fast, but may miss the best docid when a
 *   good docid hides behind a weak prefix (see decode.test.ts).
 * - bestFirstTopK: exact top-k: a priority queue on the partial log-probability; since log-probs are <= 0 a
 *   prefix never scores above its parent, so the first k complete docids popped are the k best.
 *
 * @example
 *   const step: StepFn = async (prefixes) => prefixes.map((p) => logProbsOfNextToken(p));
 *   const hits = await beamSearch(step, trie, { beams: 10 }); // [{ docIndex, tokens, score }, ...]
 */
import { GenizaError } from './errors.ts';
import type { DocidTrie } from './trie.ts';

/** Log-probabilities (over the target vocabulary) of the next token for each docid prefix (without BOS). */
export type StepFn = (prefixes: number[][]) => Promise<Float32Array[]>;

/** Rewrites the next-token log-probs of a prefix in place (e.g. sets forbidden tokens to -Infinity). */
export type LogitsProcessor = (prefix: readonly number[], logprobs: Float32Array) => void;

/** One decoded docid. */
export interface Decoded {
  /** Document index (position in the document store). */
  docIndex: number;
  /** The docid's tokens. */
  tokens: number[];
  /** Sum of the log-probs of the docid's tokens (higher is better, <= 0). */
  score: number;
}

/** Counters a decoder fills in when given a `stats` object. */
export interface DecodeStats {
  /** Calls of `step`. */
  steps: number;
  /** Prefixes given to `step` in all. */
  expansions: number;
  /** bestFirstTopK: false when `maxExpansions` stopped the search (results are then the best found, not proven best). */
  exact: boolean;
}

/** Options of beamSearch. */
export interface BeamSearchOptions {
  /** Unfinished prefixes kept after each step (default 10). */
  beams?: number;
  /** Results returned (default = beams). */
  topK?: number;
  /** Extra logits processors, applied after the trie constraint (default none). */
  processors?: LogitsProcessor[];
  /** Filled with counters when given. */
  stats?: DecodeStats;
}

/** Options of bestFirstTopK. */
export interface BestFirstOptions {
  /** Results returned (default 10). */
  topK?: number;
  /** Most prefixes expanded (given to `step`) before giving up exactness (default 1000). */
  maxExpansions?: number;
  /** Most prefixes expanded in one `step` call (default = topK); any value gives the same, exact, results. */
  batchSize?: number;
  /** Extra logits processors, applied after the trie constraint (default none). */
  processors?: LogitsProcessor[];
  /** Filled with counters when given. */
  stats?: DecodeStats;
}

/** Logits processor that sets every token that leaves the trie to -Infinity. */
export function trieConstraint(trie: DocidTrie): LogitsProcessor {
  return (prefix, logprobs) => {
    const allowed = trie.next(prefix);
    const kept = allowed.map((t) => (t < logprobs.length ? logprobs[t] : -Infinity));
    logprobs.fill(-Infinity);
    for (let i = 0; i < allowed.length; i++) if (allowed[i] < logprobs.length) logprobs[allowed[i]] = kept[i];
  };
}

/**
 * Logits processor that restricts decoding to some documents (e.g. those matching a filter): a token is kept only
 * when at least one allowed document lies under it, so every docid written is an allowed one.
 * `allowedUnder` is `trie.subtreeSums(mask)` for a 0/1 mask over documents (compute it once per mask and reuse it).
 */
export function restrictConstraint(trie: DocidTrie, allowedUnder: Float64Array): LogitsProcessor {
  return (prefix, logprobs) => {
    const node = trie.nodeOf(prefix);
    if (node < 0) return;
    const { tokens, nodes } = trie.children(node);
    for (let i = 0; i < tokens.length; i++) {
      if (!(allowedUnder[nodes[i]] > 0) && tokens[i] < logprobs.length) logprobs[tokens[i]] = -Infinity;
    }
  };
}

/**
 * Logits processor adding a prior over documents to the decoder: token t after a prefix gets
 * `weight * log(mass(prefix + t) / mass(prefix))`, where `massUnder` is `trie.subtreeSums(perDocMass)`. Over a
 * whole docid the added terms telescope to `weight * log(mass(doc) / mass(all))`, so the decoder ranks by
 * log P_model(doc) + weight * log P_prior(doc) while the beam explores what either side favours.
 */
export function priorProcessor(trie: DocidTrie, massUnder: Float64Array, weight: number): LogitsProcessor {
  return (prefix, logprobs) => {
    if (weight === 0) return;
    const node = trie.nodeOf(prefix);
    if (node < 0) return;
    const parent = massUnder[node];
    const { tokens, nodes } = trie.children(node);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t >= logprobs.length || !(logprobs[t] > -Infinity)) continue;
      const m = massUnder[nodes[i]];
      logprobs[t] = m > 0 && parent > 0 ? logprobs[t] + weight * Math.log(m / parent) : -Infinity;
    }
  };
}

interface Hyp {
  tokens: number[];
  score: number;
  /** Document index when the tokens are a complete docid, else -1. */
  doc: number;
}

/** Trie-constrained beam search; results sorted by score, best first. One `step` call per docid position. */
export async function beamSearch(step: StepFn, trie: DocidTrie, opts: BeamSearchOptions = {}): Promise<Decoded[]> {
  const beams = opts.beams ?? 10;
  checkCount('beams', beams);
  const topK = opts.topK ?? beams;
  checkCount('topK', topK);
  const processors = [trieConstraint(trie), ...(opts.processors ?? [])];
  const stats = opts.stats;
  if (stats) Object.assign(stats, { steps: 0, expansions: 0, exact: false });

  const finished: Hyp[] = [];
  let live: Hyp[] = trie.size > 0 ? [{ tokens: [], score: 0, doc: -1 }] : [];
  while (live.length > 0) {
    const rows = await callStep(step, live, stats);
    const candidates: Hyp[] = [];
    for (let i = 0; i < live.length; i++) expand(live[i], rows[i], trie, processors, candidates);
    candidates.sort(compareHyps);
    live = [];
    for (const c of candidates) {
      if (c.doc >= 0) finished.push(c);
      else if (live.length < beams) live.push(c);
    }
    // Log-probs are <= 0: a prefix scoring below the k-th finished docid cannot enter the top k.
    if (finished.length >= topK) {
      finished.sort(compareHyps);
      finished.length = topK;
      const kth = finished[topK - 1].score;
      live = live.filter((h) => h.score >= kth);
    }
  }
  finished.sort(compareHyps);
  return finished.slice(0, topK).map(toDecoded);
}

/** Exact top-k docids by best-first search (expands prefixes in order of their log-prob); sorted best first. */
export async function bestFirstTopK(step: StepFn, trie: DocidTrie, opts: BestFirstOptions = {}): Promise<Decoded[]> {
  const topK = opts.topK ?? 10;
  checkCount('topK', topK);
  const maxExpansions = opts.maxExpansions ?? 1000;
  checkCount('maxExpansions', maxExpansions);
  const batchSize = opts.batchSize ?? topK;
  checkCount('batchSize', batchSize);
  const processors = [trieConstraint(trie), ...(opts.processors ?? [])];
  const stats = opts.stats;
  if (stats) Object.assign(stats, { steps: 0, expansions: 0, exact: true });

  const queue = new Heap<Hyp>(compareHyps);
  if (trie.size > 0) queue.push({ tokens: [], score: 0, doc: -1 });
  const results: Hyp[] = [];
  let expansions = 0;
  for (;;) {
    // A complete docid on top of the queue beats every prefix left, and so every docid below them.
    while (results.length < topK && queue.size > 0 && queue.peek()!.doc >= 0) results.push(queue.pop()!);
    if (results.length >= topK || queue.size === 0) break;
    if (expansions >= maxExpansions) {
      if (stats) stats.exact = false;
      // Out of budget: fill up with the best complete docids found so far (no longer provably the best).
      while (results.length < topK && queue.size > 0) {
        const h = queue.pop()!;
        if (h.doc >= 0) results.push(h);
      }
      break;
    }
    const batch: Hyp[] = [];
    const room = Math.min(batchSize, maxExpansions - expansions);
    while (batch.length < room && queue.size > 0 && queue.peek()!.doc < 0) batch.push(queue.pop()!);
    expansions += batch.length;
    const rows = await callStep(step, batch, stats);
    const children: Hyp[] = [];
    for (let i = 0; i < batch.length; i++) expand(batch[i], rows[i], trie, processors, children);
    for (const c of children) queue.push(c);
  }
  return results.map(toDecoded);
}

/** Calls `step` once for the prefixes of `hyps` and checks its answer's shape. */
async function callStep(step: StepFn, hyps: Hyp[], stats: DecodeStats | undefined): Promise<Float32Array[]> {
  const prefixes = hyps.map((h) => h.tokens.slice());
  const rows = await step(prefixes);
  if (!Array.isArray(rows) || rows.length !== prefixes.length) {
    throw new GenizaError('MODEL', `decode: step returned ${Array.isArray(rows) ? rows.length : typeof rows} rows for ${prefixes.length} prefixes`);
  }
  for (let i = 0; i < rows.length; i++) {
    if (!(rows[i] instanceof Float32Array)) throw new GenizaError('MODEL', `decode: step row ${i} is not a Float32Array`);
  }
  if (stats) {
    stats.steps++;
    stats.expansions += prefixes.length;
  }
  return rows;
}

/** Applies the processors to a copy of `row` and appends every allowed continuation of `h` to `out`. */
function expand(h: Hyp, row: Float32Array, trie: DocidTrie, processors: LogitsProcessor[], out: Hyp[]): void {
  const allowed = trie.next(h.tokens);
  const max = allowed.length > 0 ? allowed[allowed.length - 1] : -1;
  if (max >= row.length) {
    throw new GenizaError('MODEL', `decode: step gave ${row.length} log-probs but the docid trie uses token ${max} (model and trie do not match)`);
  }
  const lp = row.slice();
  for (const p of processors) p(h.tokens, lp);
  for (const t of allowed) {
    const v = lp[t];
    if (!(v > -Infinity)) continue; // -Infinity (forbidden) or NaN
    const tokens = [...h.tokens, t];
    out.push({ tokens, score: h.score + v, doc: trie.docAt(tokens) });
  }
}

/** Score descending, then tokens ascending (deterministic order for ties). */
function compareHyps(a: Hyp, b: Hyp): number {
  if (a.score !== b.score) return b.score - a.score;
  const n = Math.min(a.tokens.length, b.tokens.length);
  for (let i = 0; i < n; i++) if (a.tokens[i] !== b.tokens[i]) return a.tokens[i] - b.tokens[i];
  return a.tokens.length - b.tokens.length;
}

function toDecoded(h: Hyp): Decoded {
  return { docIndex: h.doc, tokens: h.tokens, score: h.score };
}

function checkCount(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new GenizaError('BAD_OPTION', `search: ${name} must be >= 1 (got ${String(value)})`);
  }
}

/** Binary heap; `compare(a, b) < 0` means a comes out first. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.compare(a[i], a[p]) >= 0) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < a.length && this.compare(a[l], a[best]) < 0) best = l;
        if (r < a.length && this.compare(a[r], a[best]) < 0) best = r;
        if (best === i) break;
        [a[i], a[best]] = [a[best], a[i]];
        i = best;
      }
    }
    return top;
  }
}
