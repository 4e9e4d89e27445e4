import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeFilters, parseFilters } from './filters.ts';

test('the filters attribute reads facet:value pairs with comma-separated alternatives', () => {
  assert.deepEqual(parseFilters('version:2.x,3.x  lang:en lang:de'), { version: ['2.x', '3.x'], lang: ['en', 'de'] });
  assert.deepEqual(parseFilters(''), {});
  assert.deepEqual(parseFilters(null), {});
  assert.throws(() => parseFilters('version'), /"version" is not a facet:value pair/);
  assert.throws(() => parseFilters('version:'), /facet:value/);
});

test('a facet chosen in the selector replaces that facet only', () => {
  assert.deepEqual(mergeFilters({ version: ['2.x'], lang: ['en'] }, { version: '3.x', lang: '' }), { version: ['3.x'], lang: ['en'] });
});
