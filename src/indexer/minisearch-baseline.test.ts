import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMiniSearch } from './minisearch-baseline.ts';

const DOCS = [
  { title: 'Apple pie', text: 'A recipe with apples and cinnamon.' },
  { title: 'Car repair', text: 'Changing the oil of a car.' },
  { title: 'Pie crust', text: 'Flour, butter and water.' },
];

test('MiniSearch baseline returns doc indexes by score, OR semantics, no prefix or fuzzy matching by default', () => {
  const ms = buildMiniSearch(DOCS);
  assert.equal(ms.size, 3);
  const pie = ms.search('pie', 10);
  assert.deepEqual(pie.map((h) => h.docIndex).sort(), [0, 2]);
  assert.ok(pie[0].score >= pie[1].score && pie[1].score > 0);
  // OR: either word is enough; the doc with both ranks first.
  assert.deepEqual(ms.search('apple car', 10).map((h) => h.docIndex).sort(), [0, 1]);
  assert.deepEqual(ms.search('apple pie', 1).map((h) => h.docIndex), [0]);
  assert.deepEqual(ms.search('app', 10), []); // no prefix matching
  assert.deepEqual(ms.search('carr', 10), []); // no fuzzy matching
  assert.deepEqual(ms.search('', 10), []);
});
