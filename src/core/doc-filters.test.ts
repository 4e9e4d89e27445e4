import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterKey, filterMask, normalizeFilters } from './doc-filters.ts';
import { isGenizaError } from './errors.ts';

const docs: { filters?: Record<string, string[]> }[] = [
  { filters: { version: ['1.x'], lang: ['en'] } },
  { filters: { version: ['2.x'], lang: ['en', 'de'] } },
  { filters: { version: ['2.x'] } },
  {},
];

test('a document matches when it has one of the values of every named facet', () => {
  assert.deepEqual([...filterMask(docs, normalizeFilters({ version: '2.x' })!)], [0, 1, 1, 0]);
  assert.deepEqual([...filterMask(docs, normalizeFilters({ version: ['1.x', '2.x'], lang: 'en' })!)], [1, 1, 0, 0]);
  assert.deepEqual([...filterMask(docs, normalizeFilters({ lang: 'de' })!)], [0, 1, 0, 0]);
});

test('an unknown facet or value, or no values, matches nothing', () => {
  assert.deepEqual([...filterMask(docs, normalizeFilters({ colour: 'red' })!)], [0, 0, 0, 0]);
  assert.deepEqual([...filterMask(docs, normalizeFilters({ version: '9.x' })!)], [0, 0, 0, 0]);
  assert.deepEqual([...filterMask(docs, normalizeFilters({ version: [] })!)], [0, 0, 0, 0]);
});

test('no filters, or an empty object, means no restriction; equal filters have equal keys', () => {
  assert.equal(normalizeFilters(undefined), undefined);
  assert.equal(normalizeFilters({}), undefined);
  assert.equal(filterKey(normalizeFilters({ b: ['y', 'x'], a: 'z' })!), filterKey(normalizeFilters({ a: ['z'], b: ['x', 'y', 'x'] })!));
});

test('malformed filters fail with BAD_OPTION naming the facet and the value', () => {
  for (const bad of ['version:2', 3, ['a'], { version: 2 }, { version: ['2.x', 3] }, { version: { a: 1 } }]) {
    assert.throws(() => normalizeFilters(bad), (e) => isGenizaError(e) && e.code === 'BAD_OPTION' && /filters/.test(e.message), JSON.stringify(bad));
  }
  assert.throws(() => normalizeFilters({ version: 2 }), /filters\.version must be a string or a list of strings \(got 2\)/);
});
