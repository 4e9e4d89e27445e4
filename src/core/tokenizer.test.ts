import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WordPieceTokenizer } from './tokenizer.ts';
import { normalize } from './text.ts';
import { isGenizaError } from './errors.ts';

const corpus = [
  'The tokenizer splits text into word pieces.',
  'A tokenizer is learned from the corpus: tokenizers learn pieces from words.',
  'Search engines index documents; the search index maps words to documents.',
  'Generative retrieval writes document identifiers token by token.',
  'Café au lait and crème brûlée are French words with accents.',
  '東京 is Tokyo; 東京タワー is a tower in 東京.',
  'Numbers like 2024 and 42 are words too: 2024, 42, 4242.',
  'A quokka smiled.',
];

function learnSmall(opts = {}): WordPieceTokenizer {
  return WordPieceTokenizer.learn(corpus, { vocabSize: 300, minFrequency: 1, ...opts });
}

test('vocabulary starts with [PAD]=0 and [UNK]=1 and holds every frequent character with its ## form', () => {
  const tok = learnSmall({ minFrequency: 2 });
  const vocab = tok.toJSON().vocab;
  assert.equal(vocab[0], '[PAD]');
  assert.equal(vocab[1], '[UNK]');
  for (const ch of 'tokenizrsdw') {
    assert.ok(vocab.includes(ch), `missing ${ch}`);
    assert.ok(vocab.includes('##' + ch), `missing ##${ch}`);
  }
  // 'q' occurs once (quokka), below minFrequency 2: words with it are unknown
  assert.ok(!vocab.includes('q') && !vocab.includes('##q'));
  assert.deepEqual(tok.tokenize('quokka tokenizer'), ['[UNK]', 'tokenizer']);
});

test('round trip: decode(encode(x)) is the normalized text for in-vocabulary words', () => {
  const tok = learnSmall();
  for (const text of ['the tokenizer splits text into word pieces', 'Search Engines INDEX documents', 'café crème brûlée', 'tokenize learned words']) {
    const ids = tok.encode(text);
    assert.ok(!ids.includes(WordPieceTokenizer.UNK_ID), text);
    assert.equal(tok.decode(ids), normalize(text));
  }
});

test('frequent words become single tokens, rarer ones are split into ## pieces', () => {
  const tok = learnSmall();
  assert.deepEqual(tok.tokenize('tokenizer'), ['tokenizer']);
  const pieces = tok.tokenize('tokenizes');
  assert.ok(pieces.length >= 2 && pieces.slice(1).every((p) => p.startsWith('##')), pieces.join(' '));
  assert.equal(tok.decode(tok.encode('tokenizes')), 'tokenizes');
});

test('encoding is greedy longest-match-first with ## continuation pieces', () => {
  const tok = WordPieceTokenizer.fromJSON({
    type: 'wordpiece', version: 1, continuationPrefix: '##', maxWordChars: 10,
    vocab: ['[PAD]', '[UNK]', 'u', 'n', 'un', 'una', '##a', '##f', '##ff', '##aff', '##able', '##b', '##l', '##e', ','],
  });
  assert.deepEqual(tok.tokenize('unaffable'), ['una', '##ff', '##able']);
  assert.deepEqual(tok.tokenize('Unaffable, un'), ['una', '##ff', '##able', ',', 'un']);
  assert.deepEqual(tok.tokenize('unx'), ['[UNK]']); // one uncovered character makes the whole word unknown
  assert.deepEqual(tok.tokenize('unaffableunaffable'), ['[UNK]']); // longer than maxWordChars
});

test('punctuation is one token per character', () => {
  const tok = learnSmall();
  assert.deepEqual(tok.tokenize('words; search: pieces.'), ['words', ';', 'search', ':', 'pieces', '.']);
});

test('Unicode: accents fold, CJK ideographs are single words, unseen emoji and scripts give [UNK] without failing', () => {
  const tok = learnSmall();
  assert.deepEqual(tok.encode('CAFÉ'), tok.encode('cafe'));
  assert.deepEqual(tok.encode('Cafe\u0301'), tok.encode('café'));
  assert.deepEqual(tok.tokenize('東京'), ['東', '京']);
  assert.deepEqual(tok.tokenize('😀 Привет 𠀋'), ['[UNK]', '[UNK]', '[UNK]']);
  assert.deepEqual(tok.encode(''), []);
  assert.deepEqual(tok.encode('\u0000\u200d  \t'), []);
});

test('learning is deterministic and independent of document order', () => {
  const a = JSON.stringify(learnSmall());
  const b = JSON.stringify(learnSmall());
  const c = JSON.stringify(WordPieceTokenizer.learn([...corpus].reverse(), { vocabSize: 300, minFrequency: 1 }));
  assert.equal(a, b);
  assert.equal(a, c);
});

test('vocabSize bounds the vocabulary (unless the alphabet alone is larger)', () => {
  const tok = learnSmall({ vocabSize: 120 });
  assert.equal(tok.vocabSize, 120);
  const tiny = learnSmall({ vocabSize: 2 });
  assert.ok(tiny.vocabSize > 2); // every seen character is still there
  assert.deepEqual(tiny.tokenize('tok'), ['t', '##o', '##k']);
});

test('encodePadded truncates and pads with [PAD] = 0', () => {
  const tok = learnSmall();
  const ids = tok.encode('search index');
  const padded = tok.encodePadded('search index', 8);
  assert.equal(padded.length, 8);
  assert.deepEqual(Array.from(padded.subarray(0, ids.length)), ids);
  assert.ok(padded.subarray(ids.length).every((v) => v === 0));
  assert.deepEqual(Array.from(tok.encodePadded('search index search index search index', 3)), tok.encode('search index search index').slice(0, 3));
  assert.throws(() => tok.encodePadded('x', 0), /length must be an integer >= 1 \(got 0\)/);
});

test('toJSON / fromJSON round trip encodes identically', () => {
  const tok = learnSmall();
  const back = WordPieceTokenizer.fromJSON(JSON.parse(JSON.stringify(tok)));
  assert.equal(back.vocabSize, tok.vocabSize);
  for (const t of corpus) assert.deepEqual(back.encode(t), tok.encode(t));
});

test('fromJSON rejects malformed tokenizer files with BAD_BUNDLE naming the field', () => {
  const good = learnSmall().toJSON();
  const cases: [unknown, RegExp][] = [
    [null, /expected a JSON object/],
    [{ ...good, type: 'bpe' }, /type must be "wordpiece" \(got "bpe"\)/],
    [{ ...good, version: 2 }, /version 2 is not supported/],
    [{ ...good, vocab: 'abc' }, /vocab must be an array/],
    [{ ...good, vocab: ['[UNK]', '[PAD]', 'a'] }, /must start with "\[PAD\]", "\[UNK\]"/],
    [{ ...good, vocab: ['[PAD]', '[UNK]', 'a', 'a'] }, /vocab\[3\] "a" appears twice/],
    [{ ...good, vocab: ['[PAD]', '[UNK]', 7] }, /vocab\[2\] must be a non-empty string \(got 7\)/],
    [{ ...good, maxWordChars: -1 }, /maxWordChars must be a positive integer/],
    [{ ...good, continuationPrefix: '@@' }, /continuationPrefix/],
  ];
  for (const [json, msg] of cases) {
    assert.throws(() => WordPieceTokenizer.fromJSON(json), (e) => isGenizaError(e) && e.code === 'BAD_BUNDLE' && msg.test(e.message) && e.message.startsWith('tokenizer.json: '));
  }
});

test('bad learn options are refused with the name, value and limit', () => {
  assert.throws(() => WordPieceTokenizer.learn(corpus, { vocabSize: 0 }), /tokenizer: vocabSize must be an integer >= 2 \(got 0\)/);
  assert.throws(() => WordPieceTokenizer.learn(corpus, { minFrequency: 0.5 }), /minFrequency must be an integer >= 1 \(got 0.5\)/);
});

test('decode refuses ids outside the vocabulary', () => {
  const tok = learnSmall();
  assert.throws(() => tok.decode([2, 999_999]), (e) => isGenizaError(e) && /id 999999 is out of range/.test(e.message));
});

test('learning ~2 MB of text takes seconds, not minutes', () => {
  // Synthetic Zipf-like corpus from a seeded generator: 40k distinct words.
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const lexicon = Array.from({ length: 40_000 }, () => {
    let w = '';
    const n = 3 + Math.floor(rand() * 9);
    for (let i = 0; i < n; i++) w += letters[Math.floor(rand() * rand() * 26)];
    return w;
  });
  const docs: string[] = [];
  for (let d = 0; d < 1000; d++) {
    const ws: string[] = [];
    for (let i = 0; i < 300; i++) ws.push(lexicon[Math.floor(lexicon.length * rand() ** 3)]);
    docs.push(ws.join(' '));
  }
  const t0 = performance.now();
  const tok = WordPieceTokenizer.learn(docs, { vocabSize: 8000 });
  const learnMs = performance.now() - t0;
  const t1 = performance.now();
  for (const d of docs) tok.encode(d);
  const encodeMs = performance.now() - t1;
  assert.equal(tok.vocabSize, 8000);
  assert.ok(learnMs < 20_000, `learn took ${learnMs.toFixed(0)} ms`);
  assert.ok(encodeMs < 10_000, `encode took ${encodeMs.toFixed(0)} ms`);
});
