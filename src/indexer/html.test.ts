import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findAll, parseHtmlTree, textContent } from './html-tree.ts';
import { parseHtml, readHtmlPage } from './html.ts';

test('tree: attributes in any quoting, void elements, implicit closes', () => {
  const doc = parseHtmlTree(`<!doctype html><DIV Class=box data-x='1' data-y="a &amp; b" hidden><img src=a.png alt="a > b"><br/>
    <p>one<p>two<ul><li>x<li>y</ul><table><tr><td>a<td>b<tr><td>c</table><dl><dt>term<dd>def</dl></DIV>`);
  const div = findAll(doc, (e) => e.tag === 'div')[0];
  assert.deepEqual(div.attrs, { class: 'box', 'data-x': '1', 'data-y': 'a & b', hidden: '' });
  assert.equal(findAll(doc, (e) => e.tag === 'img')[0].attrs.alt, 'a > b');
  assert.deepEqual(findAll(doc, (e) => e.tag === 'p').map(textContent), ['one', 'two'], 'a <p> closes the open <p>');
  assert.deepEqual(findAll(doc, (e) => e.tag === 'li').map(textContent), ['x', 'y']);
  assert.deepEqual(findAll(doc, (e) => e.tag === 'td').map(textContent), ['a', 'b', 'c']);
  assert.equal(findAll(doc, (e) => e.tag === 'tr').length, 2);
  assert.deepEqual(findAll(doc, (e) => e.tag === 'dd').map(textContent), ['def']);
  assert.equal(findAll(doc, (e) => e.tag === 'img')[0].children.length, 0, 'void elements have no children');
});

test('tree: raw text, comments and stray end tags', () => {
  const doc = parseHtmlTree('<p>a<!-- <h2>not a heading</h2> -->b</span></p><script>if (a < b) { x("</div>") }</script><style>p{}</style><p>c');
  assert.equal(findAll(doc, (e) => e.tag === 'h2').length, 0);
  assert.deepEqual(findAll(doc, (e) => e.tag === 'p').map(textContent), ['ab', 'c']);
  assert.equal(textContent(findAll(doc, (e) => e.tag === 'script')[0]), 'if (a < b) { x("</div>") }');
});

test('tree: broken markup never throws', () => {
  const inputs = [
    '', '<', '</', '<>', '< p>', '<p', '<p class="x', '<a href=\'x', '<!--', '<!doctype', '<script>', '<![CDATA[x', '</p></div></body>',
    '<div>'.repeat(5000) + 'deep' + '</div>'.repeat(10), '<h1>a<h2>b<h3>c', '<table><td>x<tr>y</table></table>', '\ufeff<p>bom',
    '<p a=1 a=2 b c="3"/>', `<${'x'.repeat(10000)}>`, '&#0; &#xD800; &nosuch; &amp',
  ];
  for (const html of inputs) {
    assert.doesNotThrow(() => parseHtmlTree(html), html.slice(0, 40));
    assert.doesNotThrow(() => readHtmlPage(html), html.slice(0, 40));
  }
  assert.match(parseHtml('<div>'.repeat(5000) + 'deep text').text, /deep text/);
  const h = parseHtml('<html><body><p>Unclosed paragraph <b>bold <i>text <div>more words</span></p><script>never closed');
  assert.match(h.text, /Unclosed paragraph bold text/);
  assert.match(h.text, /more words/);
  assert.ok(!h.text.includes('never closed'));
});

const SITE_PAGE = `<!doctype html><html lang="en" data-geniza-filter="version:2.x">
<head><title>Install | Acme Docs</title><meta name="geniza-filter" content="lang:en"><script>var x = 'script text';</script></head>
<body><header class="site"><nav><a href="/">Home</a><a href="/guide/">Guide menu</a></nav></header>
<div class="layout"><aside>Sidebar links</aside>
<main><article><header><h1>Install <a class="anchor" href="#" aria-hidden="true">#</a></h1></header>
<p>Acme runs on every platform.</p>
<h2 id="requirements">Requirements <a href="#requirements" aria-hidden="true">¶</a></h2><p>Node 20 or later.</p>
<h3 id="windows">Windows</h3><p>Use PowerShell.</p>
<h2>Unanchored heading</h2><p>This text stays in Windows.</p>
<section id="upgrade"><h2>Upgrading</h2><p>Read the changelog first.</p></section>
<h2><a id="faq"></a>FAQ</h2><div data-geniza-ignore><p>Ignored banner</p></div><p>Answers here.</p>
<form><button>Send</button><input value="form value"></form>
<footer>Edit this page</footer></article></main></div>
<footer>Copyright Acme</footer></body></html>`;

test('page: title from the content h1, sections at anchored headings, chrome skipped', () => {
  const page = readHtmlPage(SITE_PAGE);
  assert.equal(page.title, 'Install');
  assert.equal(page.titleFrom, 'h1');
  assert.equal(page.documentTitle, 'Install | Acme Docs');
  assert.deepEqual(page.sections.map((s) => [s.anchor, s.heading, s.lines]), [
    [undefined, undefined, ['Acme runs on every platform.']],
    ['requirements', 'Requirements', ['Node 20 or later.']],
    ['windows', 'Windows', ['Use PowerShell.', 'Unanchored heading', 'This text stays in Windows.']],
    ['upgrade', 'Upgrading', ['Read the changelog first.']],
    ['faq', 'FAQ', ['Answers here.']],
  ]);
  assert.deepEqual(page.sections[2].trail, ['Requirements'], 'an h3 knows the h2 above it');
  const all = JSON.stringify(page.sections);
  for (const bad of ['script text', 'Guide menu', 'Sidebar', 'Ignored banner', 'Send', 'form value', 'Edit this page', 'Copyright', '¶', '#"']) {
    assert.ok(!all.includes(bad), `"${bad}" leaked: ${all}`);
  }
  assert.deepEqual(page.filters, { version: ['2.x'], lang: ['en'] });
  assert.deepEqual(page.problems, []);
});

test('page: permalink icons of generators stay out of headings (VitePress, Docusaurus, Sphinx styles)', () => {
  const page = readHtmlPage(`<main><h1>Page</h1><p>Lead.</p>
    <h2 id="one" tabindex="-1">One <a class="header-anchor" href="#one" aria-label="Permalink to &quot;One&quot;">&#8203;</a></h2><p>a</p>
    <h2 class="anchor" id="two">Two<a href="#two" class="hash-link" title="Direct link">​</a></h2><p>b</p>
    <section id="three"><h2>Three<a class="headerlink" href="#three" title="Link to this heading">¶</a></h2><p>c <a href="#one">see One</a></p></section></main>`);
  assert.deepEqual(page.sections.map((s) => [s.anchor, s.heading, s.lines.join('|')]), [
    [undefined, undefined, 'Lead.'], ['one', 'One', 'a'], ['two', 'Two', 'b'], ['three', 'Three', 'c see One'],
  ]);
});

test('page: tables of contents are left out, lists of ordinary links are kept', () => {
  const page = readHtmlPage(`<main><div class="theme-doc-toc-mobile tocCollapsible"><p>On this page</p></div>
    <h1>Page</h1><ul class="contents"><li><a href="#one">One</a></li><li><a href="#two">Two</a><ul><li><a href="#two-a">Two A</a></li></ul></li></ul>
    <div class="table-of-contents">Jump to a heading</div>
    <p>Lead.</p><ul><li><a href="#one">See one</a> for the basics</li><li><a href="/other.html">Other page</a></li></ul>
    <h2 id="one">One</h2><p>a</p><h2 id="two">Two</h2><p>b</p></main>`);
  assert.deepEqual(page.sections[0].lines, ['Lead.', 'See one for the basics', 'Other page']);
});

test('page: data-geniza-body limits the content to the marked elements', () => {
  const page = readHtmlPage(`<title>T</title><body><main><p>Main text outside.</p>
    <div data-geniza-body><h1>Body title</h1><p>First part.</p><nav>menu</nav></div>
    <p>Between.</p><section data-geniza-body><h2 id="two">Two</h2><p>Second part.</p></section></main>`);
  assert.equal(page.title, 'Body title');
  assert.deepEqual(page.sections.map((s) => s.lines), [['First part.'], ['Second part.']]);
});

test('page: noindex and redirect stubs are recognised; no h1 means the <title>', () => {
  assert.equal(readHtmlPage('<meta name="robots" content="noindex, nofollow"><p>x</p>').skip, 'noindex');
  assert.equal(readHtmlPage('<meta http-equiv="refresh" content="0; url=/new/">').skip, 'redirect');
  assert.equal(readHtmlPage('<p>plain</p>').skip, undefined);
  const p = readHtmlPage('<title>Only &amp; Title</title><main><h2 id="a">A</h2><p>x</p></main>');
  assert.equal(p.title, 'Only & Title');
  assert.equal(p.titleFrom, 'title');
});

test('page: duplicate anchors and bad filters are problems, not crashes', () => {
  const page = readHtmlPage('<body data-geniza-filter="version:1.x nonsense, :x"><h1>P</h1><h2 id="a">A</h2><p>one</p><h2 id="a">Again</h2><p>two</p>');
  assert.deepEqual(page.sections.map((s) => s.anchor), [undefined, 'a']);
  assert.deepEqual(page.sections[1].lines, ['one', 'Again', 'two']);
  assert.deepEqual(page.filters, { version: ['1.x'] });
  assert.equal(page.problems.length, 3);
  assert.match(page.problems.join('\n'), /anchor #a is used by more than one heading/);
  assert.match(page.problems.join('\n'), /filter "nonsense" in data-geniza-filter on <body> is not key:value/);
});
