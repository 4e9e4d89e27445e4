import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SearchHit } from '../core/types.ts';
import { flattenGroups, groupHits, pageUrlOf } from './group-hits.ts';

function hit(docIndex: number, title: string, url: string, pageTitle?: string): SearchHit {
  return { docIndex, id: String(docIndex), title, url, score: -docIndex, snippet: { text: '', highlights: [] }, titleHighlights: [], ...(pageTitle ? { pageTitle } : {}) };
}

test('sections of one page are grouped under it, pages in the order of their best hit', () => {
  const hits = [
    hit(3, 'Install', 'guide.html#install', 'Guide'),
    hit(7, 'Offline', 'faq.html#offline', 'FAQ'),
    hit(1, 'Guide', 'guide.html', 'Guide'),
    hit(4, 'Upgrade', 'guide.html#upgrade', 'Guide'),
  ];
  const groups = groupHits(hits);
  assert.deepEqual(groups.map((g) => [g.pageUrl, g.pageTitle]), [['guide.html', 'Guide'], ['faq.html', 'FAQ']]);
  assert.equal(groups[0]!.page?.docIndex, 1, 'the lead section is the page entry');
  assert.deepEqual(groups[0]!.sections.map((h) => h.title), ['Install', 'Upgrade']);
  assert.equal(groups[1]!.page, null, 'a page whose lead section was not found has only sections');
  assert.deepEqual(flattenGroups(groups).map((h) => h.docIndex), [1, 3, 4, 7]);
});

test('whole-page documents of an unsectioned bundle are one group each', () => {
  const groups = groupHits([hit(0, 'A', 'a.html'), hit(1, 'B', 'b.html'), hit(2, 'No url', ''), hit(3, 'Also no url', '')]);
  assert.equal(groups.length, 4);
  assert.ok(groups.every((g) => g.page !== null && g.sections.length === 0));
  assert.equal(pageUrlOf('a.html#x#y'), 'a.html');
});
