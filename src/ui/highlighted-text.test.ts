import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitHighlights } from './highlighted-text.tsx';

test('highlight ranges split text into plain and marked pieces', () => {
  assert.deepEqual(splitHighlights('install the cli', [[0, 7], [12, 15]]), [
    { text: 'install', mark: true }, { text: ' the ', mark: false }, { text: 'cli', mark: true },
  ]);
});

test('unsorted, overlapping and out-of-range highlight ranges are merged and clipped', () => {
  assert.deepEqual(splitHighlights('abcdef', [[4, 99], [1, 3], [2, 4], [-5, 0]]), [
    { text: 'a', mark: false }, { text: 'bcdef', mark: true },
  ]);
  assert.deepEqual(splitHighlights('<b>x</b>', []), [{ text: '<b>x</b>', mark: false }]);
});
