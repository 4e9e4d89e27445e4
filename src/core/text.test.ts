import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalize, pieces, wordSpans, words } from './text.ts';

test('normalize folds case, compatibility forms and accents', () => {
  assert.equal(normalize('Café NAÏVE Ångström'), 'cafe naive angstrom');
  assert.equal(normalize('ﬁle Ｆｕｌｌ'), 'file full'); // ligature and fullwidth letters (NFKC)
  assert.equal(normalize('東京'), '東京');
});

test('words are runs of letters and digits; each CJK ideograph is its own word', () => {
  assert.deepEqual(words("Héllo, World! Version 2.5 isn't out"), ['hello', 'world', 'version', '2', '5', 'isn', 't', 'out']);
  assert.deepEqual(words('東京タワーへ行く'), ['東', '京', 'タワーへ', '行', 'く']);
  assert.deepEqual(words('emoji 😀 only'), ['emoji', 'only']);
});

test('pieces keeps punctuation and symbols as single characters', () => {
  assert.deepEqual(pieces(normalize('Hi, you (there)! 😀')), ['hi', ',', 'you', '(', 'there', ')', '!', '😀']);
});

test('wordSpans gives offsets into the original text', () => {
  const text = 'Ｆｕｌｌ Café, ﬁne 東京!';
  const spans = wordSpans(text);
  assert.deepEqual(spans.map((s) => s.norm), ['full', 'cafe', 'fine', '東', '京']);
  assert.deepEqual(spans.map((s) => text.slice(s.start, s.end)), ['Ｆｕｌｌ', 'Café', 'ﬁne', '東', '京']);
  // Decomposed accent (e + combining acute) stays inside the word.
  const decomposed = 'cafe\u0301 ok';
  assert.deepEqual(wordSpans(decomposed).map((s) => [s.start, s.end, s.norm]), [[0, 5, 'cafe'], [6, 8, 'ok']]);
});
