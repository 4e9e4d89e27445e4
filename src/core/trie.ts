/**
 * Prefix tree of docids (token sequences), the constraint of generative decoding: the decoder may only write
 * tokens that continue some docid. Docids are prefix-free, so a complete docid is a leaf.
 * Also the compact binary form stored in a bundle (`trie.bin`).
 *
 * @example
 *   const trie = DocidTrie.fromDocids([[1, 33], [1, 34], [2, 33]]);
 *   trie.next([1]);      // [33, 34]
 *   trie.docAt([1, 34]); // 1
 */
import { GenizaError } from './errors.ts';

/** Trie over docid token sequences; docid i (in construction order) belongs to document i. */
export class DocidTrie {
  /** Number of documents (docids) in the trie. */
  readonly size: number;
  /** Length of the longest docid in tokens (0 for an empty trie). */
  readonly maxLength: number;
  /** Per node: child tokens ascending. */
  private readonly childTokens: Int32Array[];
  /** Per node: child node index, parallel to childTokens. */
  private readonly childNodes: Int32Array[];
  /** Per node: document index of a complete docid, -1 for inner nodes. */
  private readonly nodeDoc: Int32Array;
  private readonly entries: readonly (readonly [docid: readonly number[], docIndex: number])[];
  private readonly byDoc = new Map<number, readonly number[]>();

  private constructor(entries: (readonly [readonly number[], number])[]) {
    const children: Map<number, number>[] = [new Map()];
    const docs: number[] = [-1];
    let maxLength = 0;
    for (const [docid, docIndex] of entries) {
      checkDocid(docid, docIndex);
      maxLength = Math.max(maxLength, docid.length);
      let node = 0;
      for (let i = 0; i < docid.length; i++) {
        if (docs[node] >= 0) {
          throw conflict(`docid ${fmt(docid)} of document ${docIndex} extends the docid ${fmt(docid.slice(0, i))} of document ${docs[node]} (docids must be prefix-free)`);
        }
        let child = children[node].get(docid[i]);
        if (child === undefined) {
          child = children.length;
          children.push(new Map());
          docs.push(-1);
          children[node].set(docid[i], child);
        }
        node = child;
      }
      if (docs[node] >= 0) throw conflict(`document ${docIndex} has the same docid ${fmt(docid)} as document ${docs[node]}`);
      if (children[node].size > 0) {
        let below = node;
        while (docs[below] < 0) below = children[below].values().next().value!;
        throw conflict(`docid ${fmt(docid)} of document ${docIndex} is a prefix of the docid of document ${docs[below]} (docids must be prefix-free)`);
      }
      docs[node] = docIndex;
      this.byDoc.set(docIndex, docid);
    }
    this.childTokens = children.map((m) => Int32Array.from([...m.keys()]).sort());
    this.childNodes = children.map((m, i) => this.childTokens[i].map((t) => m.get(t)!));
    this.nodeDoc = Int32Array.from(docs);
    this.size = entries.length;
    this.maxLength = maxLength;
    this.entries = entries;
  }

  /** Builds the trie; docids[i] belongs to document i. Throws GenizaError('BAD_INPUT') on empty, duplicate or prefix-conflicting docids. */
  static fromDocids(docids: readonly (readonly number[])[]): DocidTrie {
    return new DocidTrie(docids.map((d, i) => [d, i] as const));
  }

  /** Allowed next tokens after a prefix, ascending; [] when the prefix is a complete docid or leaves the trie. O(depth). */
  next(prefix: readonly number[]): number[] {
    const node = this.walk(prefix);
    return node < 0 ? [] : Array.from(this.childTokens[node]);
  }

  /** Document index of a complete docid, else -1 (also for a proper prefix or a path off the trie). O(depth). */
  docAt(prefix: readonly number[]): number {
    const node = this.walk(prefix);
    return node < 0 ? -1 : this.nodeDoc[node];
  }

  /** True when the prefix is a path of the trie (a complete docid or a prefix of one). */
  has(prefix: readonly number[]): boolean {
    return this.walk(prefix) >= 0;
  }

  /** Docid of a document, or undefined when the document is not in this trie. */
  docidOf(docIndex: number): number[] | undefined {
    const docid = this.byDoc.get(docIndex);
    return docid === undefined ? undefined : [...docid];
  }

  /** All (docid, docIndex) pairs, in construction order. */
  docids(): { docid: number[]; docIndex: number }[] {
    return this.entries.map(([docid, docIndex]) => ({ docid: [...docid], docIndex }));
  }

  /** Number of nodes (the root is node 0). */
  get nodeCount(): number {
    return this.nodeDoc.length;
  }

  /** Node reached by a prefix (the root, 0, for []), or -1 when the prefix leaves the trie. O(depth). */
  nodeOf(prefix: readonly number[]): number {
    return this.walk(prefix);
  }

  /** Child tokens (ascending) of a node and the child node of each, parallel; empty for a leaf. */
  children(node: number): { tokens: Int32Array; nodes: Int32Array } {
    return { tokens: this.childTokens[node], nodes: this.childNodes[node] };
  }

  /**
   * Per node, the sum of `perDoc[docIndex]` over the documents under it (a leaf: its own document's value).
   * With a 0/1 mask this counts the allowed documents below each node; with scores it is their mass.
   */
  subtreeSums(perDoc: ArrayLike<number>): Float64Array {
    const sums = new Float64Array(this.nodeDoc.length);
    // Children always have larger node indices than their parent (nodes are numbered as they are created).
    for (let node = this.nodeDoc.length - 1; node >= 0; node--) {
      const d = this.nodeDoc[node];
      if (d >= 0) sums[node] = perDoc[d] ?? 0;
      else {
        let s = 0;
        for (const c of this.childNodes[node]) s += sums[c];
        sums[node] = s;
      }
    }
    return sums;
  }

  /** A trie with only the documents for which `keep(docIndex)` is true (document indices are kept). */
  restrict(keep: (docIndex: number) => boolean): DocidTrie {
    return new DocidTrie(this.entries.filter(([, i]) => keep(i)));
  }

  /** Node index reached by the prefix, or -1 when it leaves the trie. */
  private walk(prefix: readonly number[]): number {
    let node = 0;
    for (let i = 0; i < prefix.length; i++) {
      const tokens = this.childTokens[node];
      const t = prefix[i];
      let lo = 0;
      let hi = tokens.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const v = tokens[mid];
        if (v === t) {
          found = mid;
          break;
        }
        if (v < t) lo = mid + 1;
        else hi = mid - 1;
      }
      if (found < 0) return -1;
      node = this.childNodes[node][found];
    }
    return node;
  }
}

const MAX_TOKEN = 0x7fffffff;

function checkDocid(docid: readonly number[], docIndex: number): void {
  if (!Array.isArray(docid) || docid.length === 0) throw conflict(`docid of document ${docIndex} is empty`);
  for (let i = 0; i < docid.length; i++) {
    const t = docid[i];
    if (!Number.isInteger(t) || t < 0 || t > MAX_TOKEN) {
      throw conflict(`docid of document ${docIndex} has a bad token ${String(t)} at position ${i} (tokens must be integers in 0..${MAX_TOKEN})`);
    }
  }
}

function conflict(message: string): GenizaError {
  return new GenizaError('BAD_INPUT', `docid trie: ${message}`);
}

function fmt(docid: readonly number[]): string {
  return `[${docid.join(', ')}]`;
}

/** Docid tokens of a cluster path: value c at level l becomes token 1 + l*K + c (token 0 is BOS). */
export function docidToTokens(path: readonly number[], branching: number): number[] {
  if (!Number.isInteger(branching) || branching < 1) {
    throw new GenizaError('BAD_OPTION', `docids: branching must be an integer >= 1 (got ${branching})`);
  }
  return path.map((c, l) => {
    if (!Number.isInteger(c) || c < 0 || c >= branching) {
      throw new GenizaError('BAD_INPUT', `docids: path value ${c} at level ${l} is outside 0..${branching - 1}`);
    }
    return 1 + l * branching + c;
  });
}

/** Inverse of docidToTokens: token 1 + l*K + c at level l gives c. */
export function tokensToDocid(tokens: readonly number[], branching: number): number[] {
  return tokens.map((t, l) => {
    const c = t - 1 - l * branching;
    if (!Number.isInteger(c) || c < 0 || c >= branching) {
      throw new GenizaError('BAD_INPUT', `docids: token ${t} is not a level-${l} token for branching ${branching}`);
    }
    return c;
  });
}

// ---- Binary form --------------------------------------------------------------------------------------------
// "GZTR" | version u8 = 1 | varint docCount | per docid: varint shared-prefix length with the previous docid,
// varint suffix length, suffix tokens as varints | CRC-32 (little endian) of all preceding bytes.
// Docids that share cluster paths with their predecessor cost a few bytes each.

const MAGIC = [0x47, 0x5a, 0x54, 0x52];
/** Version of the binary trie format written by encodeTrie. */
export const TRIE_FORMAT_VERSION = 1;

/** Encodes docids (docids[i] belongs to document i) into the compact binary `trie.bin`. Validates them first. */
export function encodeTrie(docids: readonly (readonly number[])[]): Uint8Array {
  DocidTrie.fromDocids(docids); // validation: non-empty, integer tokens, prefix-free
  const out: number[] = [...MAGIC, TRIE_FORMAT_VERSION];
  writeVarint(out, docids.length);
  let prev: readonly number[] = [];
  for (const d of docids) {
    let shared = 0;
    while (shared < prev.length && shared < d.length && prev[shared] === d[shared]) shared++;
    writeVarint(out, shared);
    writeVarint(out, d.length - shared);
    for (let i = shared; i < d.length; i++) writeVarint(out, d[i]);
    prev = d;
  }
  const crc = crc32(out, out.length);
  out.push(crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, (crc >>> 24) & 0xff);
  return Uint8Array.from(out);
}

/** Decodes `trie.bin` into docids; GenizaError('BAD_BUNDLE', 'trie.bin: ...') if the bytes are corrupt. */
export function decodeTrie(bytes: Uint8Array): number[][] {
  const bad = (what: string): never => {
    throw new GenizaError('BAD_BUNDLE', `trie.bin: ${what}; rebuild the bundle with \`geniza build\``);
  };
  if (!(bytes instanceof Uint8Array)) bad('expected bytes');
  if (bytes.length < MAGIC.length + 1 + 1 + 4 || MAGIC.some((b, i) => bytes[i] !== b)) bad('not a geniza docid trie (bad magic bytes)');
  if (bytes[4] !== TRIE_FORMAT_VERSION) bad(`trie format version ${bytes[4]} is not supported (supports ${TRIE_FORMAT_VERSION})`);
  const end = bytes.length - 4;
  const stored = (bytes[end] | (bytes[end + 1] << 8) | (bytes[end + 2] << 16) | (bytes[end + 3] << 24)) >>> 0;
  if (crc32(bytes, end) !== stored) bad('checksum mismatch (the file is corrupt or truncated)');
  const pos = { i: 5 };
  const read = (): number => {
    const v = readVarint(bytes, pos, end);
    if (v < 0) bad(`malformed number at byte ${pos.i}`);
    return v;
  };
  const count = read();
  if (count > end - pos.i) bad(`document count ${count} exceeds the file size`);
  const docids: number[][] = [];
  let prev: number[] = [];
  for (let n = 0; n < count; n++) {
    const shared = read();
    const suffix = read();
    if (shared > prev.length) bad(`docid ${n} shares ${shared} tokens with a docid of ${prev.length}`);
    if (suffix > end - pos.i) bad(`docid ${n} is longer than the file`);
    const d = prev.slice(0, shared);
    for (let i = 0; i < suffix; i++) d.push(read());
    docids.push(d);
    prev = d;
  }
  if (pos.i !== end) bad(`${end - pos.i} unexpected trailing bytes`);
  try {
    DocidTrie.fromDocids(docids);
  } catch (e) {
    bad(e instanceof Error ? e.message : String(e));
  }
  return docids;
}

function writeVarint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** Reads an unsigned LEB128 varint below 2^31; -1 when malformed or past `end`. */
function readVarint(bytes: Uint8Array, pos: { i: number }, end: number): number {
  let v = 0;
  let mul = 1;
  for (let k = 0; k < 5; k++) {
    if (pos.i >= end) return -1;
    const b = bytes[pos.i++];
    v += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return v <= MAX_TOKEN ? v : -1;
    mul *= 128;
  }
  return -1;
}

let CRC_TABLE: Uint32Array | undefined;

/** CRC-32 (IEEE) of the first `length` bytes. */
function crc32(bytes: ArrayLike<number>, length: number): number {
  if (CRC_TABLE === undefined) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
