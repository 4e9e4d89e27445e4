import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markdownDocs } from './ingest.ts';
import { leadSection, sectionDocs, Slugger, slugify, type RawSection } from './sections.ts';

test('slugs are GitHub-style and unique within a page', () => {
  assert.equal(slugify('Exit codes'), 'exit-codes');
  assert.equal(slugify('What does `--out <dir>` do?'), 'what-does---out-dir-do');
  assert.equal(slugify('Café & crème_brûlée 2.0'), 'café--crème_brûlée-20');
  const s = new Slugger();
  assert.deepEqual(['Usage', 'Usage', 'Usage', 'Usage 1'].map((h) => s.slug(h)), ['usage', 'usage-1', 'usage-2', 'usage-1-1']);
  assert.equal(s.slug('!!!'), 'section');
});

test('markdown: a page becomes a lead section and one document per heading', () => {
  const docs = markdownDocs([
    '---', 'title: Deploying', 'description: Put the bundle on any static host.', 'filters: version:2.x', '---',
    '# Deploying', '', 'Copy the folder.', '',
    '## Static hosts', '', 'Netlify and Pages work.', '',
    '### Headers', '', 'Set COOP and COEP.', '',
    '## Static hosts', '', 'A second section with the same heading.', '',
    '## Custom anchor {#cdn}', '', 'Use a CDN.', '',
    '## Empty one', '',
    '## Troubleshooting', '', '```sh', 'geniza search out "x"', '```',
  ].join('\n'), 'guide/deploy.md');
  assert.deepEqual(docs.map((d) => [d.id, d.title, d.url]), [
    ['guide/deploy.md', 'Deploying', 'guide/deploy.html'],
    ['guide/deploy.md#static-hosts', 'Static hosts', 'guide/deploy.html#static-hosts'],
    ['guide/deploy.md#headers', 'Headers', 'guide/deploy.html#headers'],
    ['guide/deploy.md#static-hosts-1', 'Static hosts', 'guide/deploy.html#static-hosts-1'],
    ['guide/deploy.md#cdn', 'Custom anchor', 'guide/deploy.html#cdn'],
    ['guide/deploy.md#troubleshooting', 'Troubleshooting', 'guide/deploy.html#troubleshooting'],
  ]);
  assert.equal(docs[0].text, 'Put the bundle on any static host.\nCopy the folder.', 'the description opens the lead section');
  assert.deepEqual(docs[2].headings, ['Static hosts'], 'a subsection carries its parent heading');
  assert.deepEqual(docs[5].headings, ['Empty one'], 'an empty section\'s heading joins the next section');
  assert.equal(docs[5].text, 'geniza search out "x"');
  for (const d of docs) {
    assert.equal(d.pageTitle, 'Deploying');
    assert.deepEqual(d.filters, { version: ['2.x'] });
  }
});

test('markdown: front matter filters as a block; sections off keeps one document', () => {
  const src = ['---', 'filters:', '  version: 1.x', '  platform: [linux, mac]', '---', '# Title', '', 'Lead.', '', '## Part', '', 'Text.'].join('\n');
  const [whole, ...rest] = markdownDocs(src, 'a.md', { sections: false });
  assert.equal(rest.length, 0);
  assert.equal(whole.id, 'a.md');
  assert.equal(whole.text, 'Lead.\nPart\nText.');
  assert.equal(whole.pageTitle, undefined);
  assert.deepEqual(whole.filters, { version: ['1.x'], platform: ['linux', 'mac'] });
});

test('sectionDocs: the lead is dropped when empty; a page of empty headings keeps their text', () => {
  const sec = (heading: string, lines: string[]): RawSection => ({ heading, anchor: heading.toLowerCase(), level: 2, trail: [], lines, headings: [] });
  const docs = sectionDocs({ id: 'p', url: 'p/', title: 'P', sections: [leadSection(), sec('A', ['a text']), sec('B', [])] });
  assert.deepEqual(docs.map((d) => [d.id, d.url, d.text]), [['p#a', 'p/#a', 'a text\nB']]);
  const only = sectionDocs({ id: 'q', url: 'q', title: 'Q', sections: [leadSection(), sec('X', [])] });
  assert.deepEqual(only.map((d) => [d.id, d.text]), [['q', 'X']]);
});
