import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocidTrie, decodeTrie, docidToTokens, encodeTrie, tokensToDocid } from './trie.ts';
import { isGenizaError } from './errors.ts';
import { Rng } from './seeded-random.ts';

/** Seeded PRNG so failures reproduce. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

/** Docids of a random k-means-like tree: every node has 1..K children; leaves at depth 1..maxDepth. */
function randomDocids(seed: number, K: number, maxDepth: number): number[][] {
  const r = rng(seed);
  const out: number[][] = [];
  const grow = (path: number[]) => {
    const kids = 1 + Math.floor(r() * K);
    for (let c = 0; c < kids; c++) {
      const p = [...path, c];
      if (p.length < maxDepth && r() < 0.4) grow(p);
      else out.push(p);
    }
  };
  grow([]);
  // shuffle document order
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out.map((p) => docidToTokens(p, K));
}

const code = (c: string) => (e: unknown) => isGenizaError(e) && e.code === c;

test('next lists allowed tokens ascending; docAt finds complete docids only', () => {
  const trie = DocidTrie.fromDocids([[2, 40], [1, 34], [1, 33, 66], [1, 33, 65]]);
  assert.equal(trie.size, 4);
  assert.equal(trie.maxLength, 3);
  assert.deepEqual(trie.next([]), [1, 2]);
  assert.deepEqual(trie.next([1]), [33, 34]);
  assert.deepEqual(trie.next([1, 33]), [65, 66]);
  assert.deepEqual(trie.next([1, 34]), []); // complete
  assert.deepEqual(trie.next([3]), []); // off the trie
  assert.deepEqual(trie.next([1, 35, 1]), []);
  assert.equal(trie.docAt([1, 34]), 1);
  assert.equal(trie.docAt([1, 33, 65]), 3);
  assert.equal(trie.docAt([1, 33]), -1); // a prefix is not a document
  assert.equal(trie.docAt([]), -1);
  assert.equal(trie.docAt([9, 9]), -1);
  assert.deepEqual(trie.docidOf(2), [1, 33, 66]);
});

test('duplicate and prefix-conflicting docids are refused with a clear message', () => {
  assert.throws(() => DocidTrie.fromDocids([[1, 2], [3], [1, 2]]), (e) => code('BAD_INPUT')(e) && /document 2 has the same docid \[1, 2\] as document 0/.test((e as Error).message));
  assert.throws(() => DocidTrie.fromDocids([[1, 2, 3], [1, 2]]), /docid \[1, 2\] of document 1 is a prefix of the docid of document 0/);
  assert.throws(() => DocidTrie.fromDocids([[1, 2], [1, 2, 3]]), /docid \[1, 2, 3\] of document 1 extends the docid \[1, 2\] of document 0/);
  assert.throws(() => DocidTrie.fromDocids([[1], []]), /docid of document 1 is empty/);
  assert.throws(() => DocidTrie.fromDocids([[1.5]]), /bad token 1.5 at position 0/);
  assert.throws(() => DocidTrie.fromDocids([[-1]]), /bad token -1/);
});

test('restrict keeps only chosen documents and their original indices', () => {
  const docids = [[1, 33], [1, 34], [2, 33], [2, 34]];
  const trie = DocidTrie.fromDocids(docids).restrict((i) => i % 2 === 1);
  assert.equal(trie.size, 2);
  assert.deepEqual(trie.next([]), [1, 2]);
  assert.deepEqual(trie.next([1]), [34]);
  assert.equal(trie.docAt([2, 34]), 3);
  assert.equal(trie.docAt([2, 33]), -1);
  assert.equal(DocidTrie.fromDocids(docids).restrict(() => false).next([]).length, 0);
});

test('every docid is a trie path, every trie path leads to a docid', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const docids = randomDocids(seed, 5, 4);
    const trie = DocidTrie.fromDocids(docids);
    docids.forEach((d, i) => {
      assert.equal(trie.docAt(d), i);
      for (let l = 0; l < d.length; l++) assert.ok(trie.next(d.slice(0, l)).includes(d[l]));
    });
    // Walk the whole trie: the leaves are exactly the docids.
    const found: number[] = [];
    const walk = (p: number[]) => {
      const next = trie.next(p);
      if (next.length === 0) found.push(trie.docAt(p));
      for (const t of next) walk([...p, t]);
    };
    walk([]);
    assert.deepEqual(found.sort((a, b) => a - b), docids.map((_, i) => i));
  }
});

test('encodeTrie / decodeTrie round trip', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const docids = randomDocids(seed, 8, 4);
    assert.deepEqual(decodeTrie(encodeTrie(docids)), docids);
  }
  assert.deepEqual(decodeTrie(encodeTrie([])), []);
  const big = [[1, 2_000_000_000], [300, 5]];
  assert.deepEqual(decodeTrie(encodeTrie(big)), big);
});

test('the binary form is compact (a few bytes per document)', () => {
  // 5,000 documents in a K=32 tree of depth 3, in cluster order as the indexer writes them.
  const docids: number[][] = [];
  for (let i = 0; i < 5000; i++) docids.push(docidToTokens([Math.floor(i / 1024), Math.floor(i / 32) % 32, i % 32], 32));
  const bytes = encodeTrie(docids);
  assert.ok(bytes.length < 5000 * 4, `${bytes.length} bytes`);
});

test('corrupt or foreign bytes are refused with BAD_BUNDLE naming the trie', () => {
  const bytes = encodeTrie(randomDocids(7, 6, 3));
  const isBad = (e: unknown) => code('BAD_BUNDLE')(e) && (e as Error).message.startsWith('trie.bin: ');
  // Any single flipped bit anywhere.
  for (let i = 0; i < bytes.length; i++) {
    for (const bit of [0x01, 0x80]) {
      const copy = bytes.slice();
      copy[i] ^= bit;
      assert.throws(() => decodeTrie(copy), isBad, `byte ${i} bit ${bit}`);
    }
  }
  // Truncated or extended.
  for (const n of [0, 3, 5, 9, bytes.length - 1]) assert.throws(() => decodeTrie(bytes.subarray(0, n)), isBad);
  const longer = new Uint8Array(bytes.length + 1);
  longer.set(bytes);
  assert.throws(() => decodeTrie(longer), isBad);
  assert.throws(() => decodeTrie(new TextEncoder().encode('{"not":"a trie"}')), /bad magic bytes/);
  const v2 = bytes.slice();
  v2[4] = 2;
  assert.throws(() => decodeTrie(v2), /version 2 is not supported/);
});

test('docidToTokens maps value c at level l to 1 + l*K + c, and back', () => {
  assert.deepEqual(docidToTokens([0, 5, 31], 32), [1, 38, 96]);
  assert.deepEqual(tokensToDocid([1, 38, 96], 32), [0, 5, 31]);
  assert.throws(() => docidToTokens([32], 32), /path value 32 at level 0 is outside 0..31/);
  assert.throws(() => docidToTokens([0], 0), /branching must be an integer >= 1 \(got 0\)/);
  assert.throws(() => tokensToDocid([40], 32), /token 40 is not a level-0 token/);
});
