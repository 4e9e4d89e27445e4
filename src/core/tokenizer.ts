/**
 * WordPiece tokenizer learned from the corpus.
 *
 * Learning: text is normalized (see text.ts) and split into words and punctuation; the vocabulary starts with
 * [PAD] = 0, [UNK] = 1 and every character seen at least `minFrequency` times (plus its `##` continuation
 * form for letters/digits), then grows by BPE-style merges of the most frequent adjacent pair of symbols
 * inside words (ties broken by the lexicographic order of the pair) until `vocabSize` is reached.
 * Encoding: greedy longest-match-first per word with `##` continuation pieces; a word that cannot be covered,
 * or is longer than `maxWordChars`, becomes [UNK].
 *
 * @example
 *   const tok = WordPieceTokenizer.learn(docs.map((d) => d.text), { vocabSize: 32000 });
 *   tok.encodePadded('how do I install it?', 32); // Int32Array(32) [412, 96, 15, ..., 0, 0]
 */
import { GenizaError } from './errors.ts';
import { isWordPiece, normalize, pieces } from './text.ts';

/** Serialized tokenizer (`tokenizer.json` in a bundle). */
export interface WordPieceJSON {
  type: 'wordpiece';
  version: 1;
  /** Tokens by id: vocab[0] = '[PAD]', vocab[1] = '[UNK]'. */
  vocab: string[];
  /** Marks a piece that continues a word. */
  continuationPrefix: '##';
  /** Words longer than this (in code points) encode as [UNK]. */
  maxWordChars: number;
}

/** Options of `WordPieceTokenizer.learn`. */
export interface LearnOptions {
  /**
   * Target vocabulary size, specials included (default DEFAULT_VOCAB_SIZE). May be exceeded when the corpus has more
   * distinct characters; a corpus with fewer words seen twice gets fewer.
   */
  vocabSize?: number;
  /** Minimum count for a character to enter the vocabulary and for a pair to be merged (default 2). */
  minFrequency?: number;
  /** Words longer than this many code points encode as [UNK] (default 100). */
  maxWordChars?: number;
}

/**
 * Default target vocabulary size: large enough that a corpus of a few thousand documents keeps every word it uses
 * twice as one token (SciFact, 5,183 abstracts: 36,357 such tokens; NFCorpus 24,545; Cranfield 8,398). Whole words
 * give the model exact terms to match: at 8,000 tokens, where SciFact's rarer words were split into pieces, its model
 * alone scored nDCG@10 0.646; at 16,000 0.669 and at 32,000 0.678 (BENCHMARKS.md). Costs one byte per token and
 * model dimension of download (int8): 3.9 MiB at 32,000 x 128.
 */
export const DEFAULT_VOCAB_SIZE = 32000;

const PAD = '[PAD]';
const UNK = '[UNK]';
const CONT = '##';
const CACHE_LIMIT = 200_000;

/** WordPiece tokenizer: text -> token ids for the model's encoder. */
export class WordPieceTokenizer {
  /** Id of [PAD] (padding). */
  static readonly PAD_ID = 0;
  /** Id of [UNK] (unknown word). */
  static readonly UNK_ID = 1;

  /** Number of tokens in the vocabulary (the model's srcVocab). */
  readonly vocabSize: number;
  /** Words longer than this (in code points) encode as [UNK]. */
  readonly maxWordChars: number;
  private readonly vocab: readonly string[];
  private readonly ids: Map<string, number>;
  private readonly maxPieceChars: number;
  private readonly cache = new Map<string, number[]>();

  private constructor(vocab: string[], maxWordChars: number) {
    this.vocab = vocab;
    this.vocabSize = vocab.length;
    this.maxWordChars = maxWordChars;
    this.ids = new Map(vocab.map((t, i) => [t, i]));
    let longest = 1;
    for (let i = 2; i < vocab.length; i++) {
      const t = vocab[i];
      const body = t.startsWith(CONT) && t.length > CONT.length ? t.slice(CONT.length) : t;
      longest = Math.max(longest, codePointLength(body));
    }
    this.maxPieceChars = longest;
  }

  /** Learns a vocabulary from the texts (deterministic: the same texts and options give the same vocabulary). */
  static learn(texts: Iterable<string>, opts: LearnOptions = {}): WordPieceTokenizer {
    const vocabSize = opts.vocabSize ?? DEFAULT_VOCAB_SIZE;
    const minFrequency = opts.minFrequency ?? 2;
    const maxWordChars = opts.maxWordChars ?? 100;
    checkInt('vocabSize', vocabSize, 2);
    checkInt('minFrequency', minFrequency, 1);
    checkInt('maxWordChars', maxWordChars, 1);

    const wordCounts = new Map<string, number>();
    for (const text of texts) {
      for (const p of pieces(normalize(text))) wordCounts.set(p, (wordCounts.get(p) ?? 0) + 1);
    }
    return new WordPieceTokenizer(learnVocab(wordCounts, vocabSize, minFrequency, maxWordChars), maxWordChars);
  }

  /** Restores a tokenizer from `toJSON()` output; GenizaError('BAD_BUNDLE') naming the problem if malformed. */
  static fromJSON(json: unknown): WordPieceTokenizer {
    const bad = (what: string): never => {
      throw new GenizaError('BAD_BUNDLE', `tokenizer.json: ${what}`);
    };
    if (typeof json !== 'object' || json === null || Array.isArray(json)) bad('expected a JSON object');
    const j = json as Record<string, unknown>;
    if (j.type !== 'wordpiece') bad(`type must be "wordpiece" (got ${show(j.type)})`);
    if (j.version !== 1) bad(`version ${show(j.version)} is not supported (supports 1): rebuild the bundle with \`geniza build\``);
    if (j.continuationPrefix !== CONT) bad(`continuationPrefix must be "##" (got ${show(j.continuationPrefix)})`);
    const mwc = j.maxWordChars;
    if (typeof mwc !== 'number' || !Number.isInteger(mwc) || mwc < 1) bad(`maxWordChars must be a positive integer (got ${show(mwc)})`);
    if (!Array.isArray(j.vocab)) bad(`vocab must be an array of strings (got ${show(j.vocab)})`);
    const vocab = j.vocab as unknown[];
    if (vocab.length < 2 || vocab[0] !== PAD || vocab[1] !== UNK) bad('vocab must start with "[PAD]", "[UNK]"');
    const seen = new Set<string>();
    for (let i = 0; i < vocab.length; i++) {
      const t = vocab[i];
      if (typeof t !== 'string' || t.length === 0) bad(`vocab[${i}] must be a non-empty string (got ${show(t)})`);
      if (seen.has(t as string)) bad(`vocab[${i}] ${show(t)} appears twice`);
      seen.add(t as string);
    }
    return new WordPieceTokenizer(vocab as string[], mwc as number);
  }

  /** The serializable form (`tokenizer.json`). */
  toJSON(): WordPieceJSON {
    return { type: 'wordpiece', version: 1, vocab: [...this.vocab], continuationPrefix: CONT, maxWordChars: this.maxWordChars };
  }

  /** Token strings of a text (continuation pieces start with `##`; uncovered words are `[UNK]`). */
  tokenize(text: string): string[] {
    return this.encode(text).map((id) => this.vocab[id]);
  }

  /** Token ids of a text (no padding, no truncation). */
  encode(text: string): number[] {
    const out: number[] = [];
    for (const p of pieces(normalize(text))) {
      const ids = this.encodeWord(p);
      for (let i = 0; i < ids.length; i++) out.push(ids[i]);
    }
    return out;
  }

  /** Token ids truncated or padded with [PAD] = 0 to exactly `length` (the model's maxSrcLen). */
  encodePadded(text: string, length: number): Int32Array {
    checkInt('length', length, 1, 'tokenizer');
    const ids = this.encode(text);
    const out = new Int32Array(length);
    out.set(ids.length > length ? ids.slice(0, length) : ids);
    return out;
  }

  /** Text of token ids: continuation pieces are glued to the previous piece, others separated by a space; [PAD] skipped. */
  decode(ids: ArrayLike<number>): string {
    let out = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === WordPieceTokenizer.PAD_ID) continue;
      const t = this.idToToken(id);
      if (t.startsWith(CONT) && t.length > CONT.length && out.length > 0) out += t.slice(CONT.length);
      else out += (out.length > 0 ? ' ' : '') + t;
    }
    return out;
  }

  /** The token string of an id; GenizaError('BAD_INPUT') when out of range. */
  idToToken(id: number): string {
    const t = Number.isInteger(id) ? this.vocab[id] : undefined;
    if (t === undefined) {
      throw new GenizaError('BAD_INPUT', `tokenizer: id ${id} is out of range (vocabulary has ${this.vocabSize} tokens)`);
    }
    return t;
  }

  /** The id of a token string, or -1 when not in the vocabulary. */
  tokenToId(token: string): number {
    return this.ids.get(token) ?? -1;
  }

  /** Greedy longest-match-first WordPiece of one pre-tokenized piece (cached). */
  private encodeWord(word: string): number[] {
    const hit = this.cache.get(word);
    if (hit !== undefined) return hit;
    const ids = this.encodeWordUncached(word);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(word, ids);
    return ids;
  }

  private encodeWordUncached(word: string): number[] {
    const unk = [WordPieceTokenizer.UNK_ID];
    const whole = this.ids.get(word);
    if (whole !== undefined) return codePointLength(word) > this.maxWordChars ? unk : [whole];
    if (!isWordPiece(word)) return unk;
    const offsets = codePointOffsets(word);
    const n = offsets.length - 1;
    if (n > this.maxWordChars) return unk;
    const out: number[] = [];
    let start = 0;
    while (start < n) {
      let end = Math.min(n, start + this.maxPieceChars);
      let found = -1;
      while (end > start) {
        const sub = word.slice(offsets[start], offsets[end]);
        const id = this.ids.get(start > 0 ? CONT + sub : sub);
        if (id !== undefined) {
          found = id;
          break;
        }
        end--;
      }
      if (found < 0) return unk;
      out.push(found);
      start = end;
    }
    return out;
  }
}

function checkInt(name: string, value: number, min: number, scope = 'tokenizer'): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new GenizaError('BAD_OPTION', `${scope}: ${name} must be an integer >= ${min} (got ${show(value)})`);
  }
}

function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** UTF-16 offsets of every code point boundary, including 0 and s.length. */
function codePointOffsets(s: string): number[] {
  const out = [0];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    out.push(i + 1);
  }
  return out;
}

/**
 * The merge loop. Symbols are ids into `symbols` (strings such as "t", "##h", "##he"); each distinct word is a
 * sequence of symbols with its corpus count. Pair counts are kept incrementally: a merge only revisits the
 * words that contain the merged pair (found through `pairWords`), and a lazy max-heap picks the next pair.
 */
function learnVocab(wordCounts: Map<string, number>, vocabSize: number, minFrequency: number, maxWordChars: number): string[] {
  // 1. Alphabet: characters seen at least minFrequency times.
  const charCounts = new Map<string, number>();
  const wordChars = new Set<string>();
  for (const [w, c] of wordCounts) {
    const isWord = isWordPiece(w);
    for (const ch of w) {
      charCounts.set(ch, (charCounts.get(ch) ?? 0) + c);
      if (isWord) wordChars.add(ch);
    }
  }
  const alphabet = [...charCounts].filter(([, c]) => c >= minFrequency).map(([ch]) => ch).sort(compareStrings);
  const symbols: string[] = [PAD, UNK, ...alphabet, ...alphabet.filter((ch) => wordChars.has(ch)).map((ch) => CONT + ch)];
  const symbolIds = new Map(symbols.map((s, i) => [s, i]));

  // 2. Words to learn merges from: words (not punctuation) of 2+ characters, all in the alphabet.
  const words: number[][] = [];
  const counts: number[] = [];
  const sortedWords = [...wordCounts.keys()].filter((w) => isWordPiece(w)).sort(compareStrings);
  for (const w of sortedWords) {
    const chars = Array.from(w);
    if (chars.length < 2 || chars.length > maxWordChars) continue;
    const syms: number[] = [];
    for (let i = 0; i < chars.length; i++) {
      const id = symbolIds.get(i === 0 ? chars[i] : CONT + chars[i]);
      if (id === undefined) break;
      syms.push(id);
    }
    if (syms.length !== chars.length) continue;
    words.push(syms);
    counts.push(wordCounts.get(w)!);
  }

  // Pair key: a * SHIFT + b (small integers while the vocabulary is below 32k symbols).
  let shift = 1;
  while (shift < vocabSize + symbols.length + 2) shift *= 2;
  const SHIFT = shift;
  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, number[]>();
  for (let w = 0; w < words.length; w++) {
    const s = words[w];
    const c = counts[w];
    for (let i = 0; i + 1 < s.length; i++) {
      const key = s[i] * SHIFT + s[i + 1];
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + c);
      const list = pairWords.get(key);
      if (list === undefined) pairWords.set(key, [w]);
      else if (list[list.length - 1] !== w) list.push(w);
    }
  }

  const heap = new PairHeap(symbols, SHIFT);
  for (const [key, c] of pairCounts) if (c >= minFrequency) heap.push(c, key);

  const stamp = new Int32Array(words.length).fill(-1);
  const delta = new Map<number, number>();
  let round = 0;
  while (symbols.length < vocabSize && heap.size > 0) {
    const [count, key] = heap.pop();
    if (pairCounts.get(key) !== count) continue; // stale heap entry
    if (count < minFrequency) break;
    round++;
    const a = Math.floor(key / SHIFT);
    const b = key - a * SHIFT;
    const merged = symbols[a] + symbols[b].slice(CONT.length);
    let m = symbolIds.get(merged);
    if (m === undefined) {
      m = symbols.length;
      symbols.push(merged);
      symbolIds.set(merged, m);
    }
    delta.clear();
    const affected = pairWords.get(key) ?? [];
    pairWords.delete(key);
    for (const w of affected) {
      if (stamp[w] === round) continue;
      stamp[w] = round;
      const old = words[w];
      const c = counts[w];
      const next: number[] = [];
      let changed = false;
      for (let i = 0; i < old.length; i++) {
        if (i + 1 < old.length && old[i] === a && old[i + 1] === b) {
          next.push(m);
          i++;
          changed = true;
        } else next.push(old[i]);
      }
      if (!changed) continue;
      for (let i = 0; i + 1 < old.length; i++) {
        const k = old[i] * SHIFT + old[i + 1];
        delta.set(k, (delta.get(k) ?? 0) - c);
      }
      for (let i = 0; i + 1 < next.length; i++) {
        const k = next[i] * SHIFT + next[i + 1];
        delta.set(k, (delta.get(k) ?? 0) + c);
        if (next[i] === m || next[i + 1] === m) {
          const list = pairWords.get(k);
          if (list === undefined) pairWords.set(k, [w]);
          else if (list[list.length - 1] !== w) list.push(w);
        }
      }
      words[w] = next;
    }
    for (const [k, d] of delta) {
      if (d === 0) continue;
      const c = (pairCounts.get(k) ?? 0) + d;
      if (c <= 0) {
        pairCounts.delete(k);
        pairWords.delete(k);
      } else {
        pairCounts.set(k, c);
        if (c >= minFrequency) heap.push(c, k);
      }
    }
  }
  return symbols;
}

/** Code-unit order (deterministic, locale independent). */
function compareStrings(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Max-heap of (count, pair) ordered by count, then by the pair's (left, right) strings ascending. */
class PairHeap {
  private counts: number[] = [];
  private keys: number[] = [];
  constructor(private readonly symbols: string[], private readonly shift: number) {}

  get size(): number {
    return this.counts.length;
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.counts.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): [number, number] {
    const top: [number, number] = [this.counts[0], this.keys[0]];
    const lastCount = this.counts.pop()!;
    const lastKey = this.keys.pop()!;
    const n = this.counts.length;
    if (n > 0) {
      this.counts[0] = lastCount;
      this.keys[0] = lastKey;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < n && this.before(l, best)) best = l;
        if (r < n && this.before(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }

  /** True when entry i should come out before entry j. */
  private before(i: number, j: number): boolean {
    const ci = this.counts[i];
    const cj = this.counts[j];
    if (ci !== cj) return ci > cj;
    const ki = this.keys[i];
    const kj = this.keys[j];
    if (ki === kj) return false;
    const ai = Math.floor(ki / this.shift);
    const aj = Math.floor(kj / this.shift);
    if (ai !== aj) return this.symbols[ai] < this.symbols[aj];
    return this.symbols[ki - ai * this.shift] < this.symbols[kj - aj * this.shift];
  }

  private swap(i: number, j: number): void {
    const c = this.counts[i];
    this.counts[i] = this.counts[j];
    this.counts[j] = c;
    const k = this.keys[i];
    this.keys[i] = this.keys[j];
    this.keys[j] = k;
  }
}
