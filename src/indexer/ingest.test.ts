import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGenizaError } from '../core/errors.ts';
import { checkDocs, ingest } from './ingest.ts';
import { parseHtml } from './html.ts';
import { parseMarkdown } from './markdown.ts';

async function withFiles(files: Record<string, string>, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'geniza-ingest-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), content);
    }
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Asserts that `p` rejects with a GenizaError of `code` whose message matches every pattern. */
async function rejectsWith(p: Promise<unknown>, code: string, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isGenizaError(e), `expected a GenizaError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.ok(!e.message.includes('\n'), 'message is one line');
    for (const re of patterns) assert.match(e.message, re);
    return true;
  });
}

test('markdown: front matter title wins, then the first # heading, then the file name', async () => {
  await withFiles({
    'a.md': '---\ntitle: "Front Matter Title"\nurl: /custom/a\n---\n# Heading A\n\nBody of a.',
    'guide/b.markdown': 'Intro line.\n\n# Heading B\n\nBody of b.\n\n## Install\n\nRun it.',
    'c.md': 'Just text, no heading at all.',
  }, async (dir) => {
    const docs = await ingest(dir, { sections: false });
    assert.deepEqual(docs.map((d) => d.id), ['a.md', 'c.md', 'guide/b.markdown']);
    const [a, c, b] = docs;
    assert.equal(a.title, 'Front Matter Title');
    assert.deepEqual(a.headings, ['Heading A'], 'a # heading other than the title is kept as a heading');
    assert.equal(a.text, 'Heading A\nBody of a.');
    assert.equal(a.url, '/custom/a');
    assert.ok(!a.text.includes('title:'), 'front matter is not body text');
    assert.equal(b.title, 'Heading B');
    assert.equal(b.url, 'guide/b.html');
    assert.deepEqual(b.headings, ['Install']);
    assert.equal(c.title, 'c');
    assert.equal(c.url, 'c.html');
    assert.equal(a.pageTitle, undefined, 'one document per page has no pageTitle');
  });
});

test('markdown syntax is stripped to plain text', () => {
  const md = parseMarkdown([
    '# Title', '',
    'Some **bold**, _italic_ and `code` with a [link](http://x.y/z "t") and ![an image](i.png).',
    '', '- item one', '* item two', '1. numbered', '', '> quoted text', '',
    '| Col A | Col B |', '|---|---|', '| a1 | b1 |', '',
    '```js', 'const snake_case = 1;', '```', '',
    'Setext heading', '--------------', '', 'AT&amp;T &lt;tags&gt; <span>inline html</span> snake_case_name', '',
    '[ref]: http://example.com',
  ].join('\n'));
  assert.equal(md.firstHeading, 'Title');
  assert.deepEqual(md.headings, ['Setext heading']);
  const lines = md.text.split('\n');
  assert.ok(lines.includes('Some bold, italic and code with a link and an image.'), md.text);
  assert.ok(lines.includes('item one') && lines.includes('item two') && lines.includes('numbered'), md.text);
  assert.ok(lines.includes('quoted text'));
  assert.ok(lines.includes('Col A Col B') && lines.includes('a1 b1'), md.text);
  assert.ok(lines.includes('const snake_case = 1;'));
  assert.ok(lines.includes('AT&T <tags> inline html snake_case_name'), md.text);
  assert.ok(!md.text.includes('http://example.com'));
  assert.ok(!md.text.includes('---'));
});

test('html: title from <title>, text from <main> without nav, script, style, header and footer', async () => {
  const page = `<!doctype html><html><head><title>Caching &amp; Offline</title><style>body{color:red}</style>
    <script>var secret = "do not index";</script></head>
    <body><header><nav><a href="/">Home</a> | <a href="/docs">Docs menu</a></nav></header>
    <main><h1>Caching</h1><p>The bundle is stored in <b>IndexedDB</b>&nbsp;after the first visit.</p>
    <h2>Clearing the cache</h2><p>Caf&eacute; &#233; &#x00E9; text.</p><script>alert(1)</script></main>
    <footer>Copyright footer</footer></body></html>`;
  await withFiles({ 'site/caching.html': page, 'other.htm': '<h1>Only H1</h1><p>Body text here.</p>' }, async (dir) => {
    const docs = await ingest(dir, { sections: false });
    const doc = docs.find((d) => d.id === 'site/caching.html')!;
    assert.equal(doc.title, 'Caching', 'the content\'s first <h1> is the title');
    assert.equal(doc.url, 'site/caching.html');
    assert.match(doc.text, /The bundle is stored in IndexedDB after the first visit\./);
    assert.match(doc.text, /Café é é text\./);
    for (const bad of ['secret', 'Docs menu', 'Copyright', 'color:red', 'alert']) assert.ok(!doc.text.includes(bad), `"${bad}" leaked: ${doc.text}`);
    assert.deepEqual(doc.headings, ['Clearing the cache']);
    assert.equal(docs.find((d) => d.id === 'other.htm')!.title, 'Only H1');
  });
});

test('html: broken markup gives best-effort text instead of a crash', () => {
  const h = parseHtml('<html><body><p>Unclosed paragraph <b>bold <i>text <div>more words</span></p><script>never closed');
  assert.match(h.text, /Unclosed paragraph bold text/);
  assert.match(h.text, /more words/);
  assert.ok(!h.text.includes('never closed'));
  const t = parseHtml('<title>T</title><p>ok</p><a href="x"');
  assert.equal(t.title, 'T');
  assert.equal(t.text, 'ok');
});

test('jsonl: one document per line, blank lines skipped, url optional', async () => {
  await withFiles({
    'c.jsonl': '{"id": "a", "title": "Alpha", "text": "First text.", "url": "/a"}\n\n{"id": 7, "title": "Seven", "text": "Number id."}\n',
  }, async (dir) => {
    const docs = await ingest(join(dir, 'c.jsonl'));
    assert.equal(docs.length, 2);
    assert.deepEqual({ id: docs[0].id, title: docs[0].title, text: docs[0].text, url: docs[0].url }, { id: 'a', title: 'Alpha', text: 'First text.', url: '/a' });
    assert.equal(docs[1].id, '7');
    assert.equal(docs[1].source, join(dir, 'c.jsonl') + ':3');
    assert.equal(docs[0].untitled, undefined);
  });
});

test('a document without a title shows its id and is marked untitled (jsonl, and docs passed to build)', async () => {
  await withFiles({ 'c.jsonl': '{"id": "MED-10", "title": " ", "text": "statin breast cancer survival"}\n' }, async (dir) => {
    const [doc] = await ingest(join(dir, 'c.jsonl'));
    assert.equal(doc.title, 'MED-10');
    assert.equal(doc.untitled, true);
  });
  const [doc] = checkDocs([{ id: 'x1', title: '', text: 'some text' }]);
  assert.equal(doc.title, 'x1');
  assert.equal(doc.untitled, true);
});

test('errors: missing input, empty corpus, bad JSONL line, duplicate ids, document without text', async () => {
  await rejectsWith(ingest('/definitely/not/here'), 'UNREADABLE_FILE', /\/definitely\/not\/here/, /no such file/);
  await withFiles({ 'notes.txt': 'not markdown', 'sub/readme.rst': 'x' }, async (dir) => {
    await rejectsWith(ingest(dir), 'EMPTY_CORPUS', new RegExp(dir), /\.md, \.markdown, \.html, \.htm/);
  });
  await withFiles({ 'empty.jsonl': '\n\n' }, async (dir) => {
    await rejectsWith(ingest(join(dir, 'empty.jsonl')), 'EMPTY_CORPUS', /empty\.jsonl/);
  });
  await withFiles({ 'bad.jsonl': '{"id":"a","title":"A","text":"ok"}\n{"id": "b", "title": \n' }, async (dir) => {
    await rejectsWith(ingest(join(dir, 'bad.jsonl')), 'BAD_INPUT', /bad\.jsonl:2: invalid JSON/);
  });
  await withFiles({ 'notitle.jsonl': '{"id":"a","text":"t"}\n' }, async (dir) => {
    await rejectsWith(ingest(join(dir, 'notitle.jsonl')), 'BAD_INPUT', /notitle\.jsonl:1: "title" must be a string \(document "a"\)/);
  });
  await withFiles({ 'notext.jsonl': '{"id":"a","title":"A"}\n' }, async (dir) => {
    await rejectsWith(ingest(join(dir, 'notext.jsonl')), 'BAD_INPUT', /notext\.jsonl:1: "text" must be a string/);
  });
  await withFiles({ 'dup.jsonl': '{"id":"x","title":"A","text":"a"}\n{"id":"y","title":"B","text":"b"}\n{"id":"x","title":"C","text":"c"}\n' }, async (dir) => {
    await rejectsWith(ingest(join(dir, 'dup.jsonl')), 'DUPLICATE_ID', /"x"/, /dup\.jsonl:1/, /dup\.jsonl:3/);
  });
  await withFiles({ 'a.md': '---\nid: same\n---\nText a.', 'b.md': '---\nid: same\n---\nText b.' }, async (dir) => {
    await rejectsWith(ingest(dir), 'DUPLICATE_ID', /"same"/, /a\.md/, /b\.md/);
  });
  await withFiles({ 'ok.md': 'Fine text.', 'empty.md': '# Only A Title\n' }, async (dir) => {
    await rejectsWith(ingest(dir), 'EMPTY_DOCUMENT', /"empty\.md"/, /has no text/);
  });
  await withFiles({ 'e.jsonl': '{"id":"blank","title":"B","text":"   "}\n' }, async (dir) => {
    await rejectsWith(ingest(join(dir, 'e.jsonl')), 'EMPTY_DOCUMENT', /"blank"/, /e\.jsonl:1/);
  });
  await withFiles({ 'script-only.html': '<html><body><script>x()</script></body></html>' }, async (dir) => {
    await rejectsWith(ingest(dir), 'EMPTY_CORPUS', /skipped 1 no text in its content/);
  });
  await withFiles({ 'bin.md': '' }, async (dir) => {
    await writeFile(join(dir, 'bin.md'), Buffer.from([0x66, 0xff, 0xfe, 0x00]));
    await rejectsWith(ingest(dir), 'UNREADABLE_FILE', /bin\.md/, /UTF-8/);
  });
  await withFiles({ 'data.csv': 'a,b' }, async (dir) => {
    await rejectsWith(ingest(join(dir, 'data.csv')), 'BAD_INPUT', /data\.csv/, /\.jsonl/);
  });
});

test('huge documents are truncated with a warning, not a crash', async () => {
  const big = 'word '.repeat(10000);
  await withFiles({ 'big.jsonl': JSON.stringify({ id: 'big', title: 'Big', text: big }) + '\n' }, async (dir) => {
    const warnings: string[] = [];
    const docs = await ingest(join(dir, 'big.jsonl'), { maxChars: 1000, onWarning: (m) => warnings.push(m) });
    assert.ok(docs[0].text.length <= 1000 && docs[0].text.length > 900);
    assert.ok(docs[0].text.endsWith('word'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /"big" \(.*big\.jsonl:1\) has 49999 characters; keeping the first 1000/);
  });
});

test('site folder: urls, sections, skipped pages listed in warnings, shared <title> suffix dropped', async () => {
  const page = (title: string, body: string, head = '') => `<!doctype html><html><head><title>${title}</title>${head}</head><body><nav>Menu</nav><main>${body}</main><footer>Foot</footer></body></html>`;
  await withFiles({
    'index.html': page('Acme Docs', '<h1>Welcome</h1><p>Start here.</p><h2 id="next">Next steps</h2><p>Read the guide.</p>'),
    'guide/index.html': page('Guide | Acme Docs', '<p>No h1 on this page.</p><h2 id="setup">Setup</h2><p>Install it.</p>'),
    'guide/deep.htm': page('Deep - Part 2 | Acme Docs', '<p>Deep text.</p>', '<meta name="geniza-filter" content="version:2.x">'),
    'solo.html': page('Solo - Not Shared', '<p>Solo text.</p>'),
    '404.html': page('Not found', '<p>Page not found.</p>'),
    'private.html': page('Private', '<p>Secret.</p>', '<meta name="robots" content="noindex">'),
    'old.html': '<meta http-equiv="refresh" content="0; url=/guide/">',
    'blank.html': page('Blank', '<script>only()</script>'),
  }, async (dir) => {
    const warnings: string[] = [];
    const docs = await ingest(dir, { onWarning: (m) => warnings.push(m) });
    assert.deepEqual(docs.map((d) => [d.id, d.url, d.title, d.pageTitle]), [
      ['guide/deep.htm', 'guide/deep.htm', 'Deep - Part 2', undefined],
      ['guide/index.html', 'guide/', 'Guide', 'Guide'],
      ['guide/index.html#setup', 'guide/#setup', 'Setup', 'Guide'],
      ['index.html', './', 'Welcome', 'Welcome'],
      ['index.html#next', './#next', 'Next steps', 'Welcome'],
      ['solo.html', 'solo.html', 'Solo - Not Shared', undefined],
    ]);
    assert.deepEqual(docs[0].filters, { version: ['2.x'] });
    assert.equal(docs[1].filters, undefined);
    assert.ok(docs.every((d) => !d.text.includes('Menu') && !d.text.includes('Foot')));
    assert.deepEqual(warnings.sort(), [
      'skipped 1 page (404 page): 404.html',
      'skipped 1 page (marked noindex): private.html',
      'skipped 1 page (no text in its content): blank.html',
      'skipped 1 page (redirect stub (meta refresh)): old.html',
    ]);
    const based = await ingest(dir, { baseUrl: '/docs/', sections: false });
    assert.deepEqual(based.map((d) => d.url), ['/docs/guide/deep.htm', '/docs/guide/', '/docs/', '/docs/solo.html']);
  });
});

test('site folder: a file problem is a warning naming the file; a site of skipped pages is an error saying why', async () => {
  await withFiles({
    'a.html': '<h1>A</h1><h2 id="x">X</h2><p>one</p><h2 id="x">Y</h2><p>two</p>',
    'b.md': '---\nfilters: version:1.x oops\n---\nText.',
  }, async (dir) => {
    const warnings: string[] = [];
    const docs = await ingest(dir, { onWarning: (m) => warnings.push(m) });
    assert.deepEqual(docs.map((d) => d.id), ['a.html#x', 'b.md']);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], new RegExp(`^${join(dir, 'a.html')}: anchor #x is used by more than one heading`));
    assert.match(warnings[1], new RegExp(`^${join(dir, 'b.md')}: front matter filters: "oops" is not key:value`));
  });
  await withFiles({ 'ok.html': '<p>fine</p>', 'latin1.html': '' }, async (dir) => {
    await writeFile(join(dir, 'latin1.html'), Buffer.from([0x3c, 0x70, 0x3e, 0x43, 0x61, 0x66, 0xe9]));
    const warnings: string[] = [];
    assert.deepEqual((await ingest(dir, { onWarning: (m) => warnings.push(m) })).map((d) => d.id), ['ok.html']);
    assert.deepEqual(warnings, ['skipped 1 page (not UTF-8 text): latin1.html']);
  });
  await withFiles({ '404.html': '<p>x</p>', 'n.html': '<meta name="robots" content="noindex"><p>y</p>' }, async (dir) => {
    await rejectsWith(ingest(dir), 'EMPTY_CORPUS', /skipped 1 404 page, 1 marked noindex/);
  });
});

test('jsonl: filters and pageTitle are read and checked', async () => {
  await withFiles({
    'ok.jsonl': '{"id":"a","title":"A","text":"t","pageTitle":"Page","filters":{"version":"2.x","tags":["b","a","b"]}}\n',
    'bad.jsonl': '{"id":"a","title":"A","text":"t","filters":{"version":2}}\n',
    'badpage.jsonl': '{"id":"a","title":"A","text":"t","pageTitle":3}\n',
  }, async (dir) => {
    const [a] = await ingest(join(dir, 'ok.jsonl'));
    assert.equal(a.pageTitle, 'Page');
    assert.deepEqual(a.filters, { version: ['2.x'], tags: ['a', 'b'] });
    await rejectsWith(ingest(join(dir, 'bad.jsonl')), 'BAD_INPUT', /bad\.jsonl:1: "filters" \(document "a"\) must be an object of strings or string arrays/);
    await rejectsWith(ingest(join(dir, 'badpage.jsonl')), 'BAD_INPUT', /"pageTitle" must be a string/);
  });
});

test('a huge, broken page is read with its problems counted, not listed one by one', async () => {
  const parts = ['<html><body><main><h1>Huge</h1>'];
  for (let i = 0; i < 3000; i++) parts.push(`<h2 id="s${i % 100}">Section ${i}</h2><div><p>Paragraph ${i} <b>bold <i>text</p>`);
  await withFiles({ 'huge.html': parts.join('\n') + '<div <p <<< </x <a href="' }, async (dir) => {
    const warnings: string[] = [];
    const docs = await ingest(dir, { onWarning: (m) => warnings.push(m) });
    assert.equal(docs.length, 100, 'one section per distinct anchor');
    const anchors = warnings.filter((w) => /huge\.html: anchor #s\d+ is used by more than one heading/.test(w));
    assert.equal(anchors.length, 5, warnings.join('\n'));
    assert.equal(warnings.filter((w) => /huge\.html: \d+ more problems like these$/.test(w)).length, 1, warnings.join('\n'));
    assert.ok(warnings.some((w) => /document "huge\.html#s\d+" \(.*huge\.html\) has \d+ characters; keeping the first 20000/.test(w)), warnings.join('\n'));
    assert.ok(warnings.length <= 8, 'warnings are bounded');
    assert.equal(docs[0].id, 'huge.html#s0');
    assert.match(docs[0].text, /^Paragraph 0 bold text/);
  });
});
