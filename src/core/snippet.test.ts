import { test } from 'node:test';
import assert from 'node:assert/strict';
import { highlightRanges, makeSnippet, queryTerms } from './snippet.ts';
import type { HighlightRange } from './types.ts';

const marked = (text: string, ranges: HighlightRange[]) => ranges.map(([a, b]) => text.slice(a, b));

test('queryTerms gives distinct normalized words in order', () => {
  assert.deepEqual(queryTerms('  Tokenizer, DOCS tokenizer café?'), ['tokenizer', 'docs', 'cafe']);
  assert.deepEqual(queryTerms('?!'), []);
});

test('highlights cover the words of the original text, matched on normalized forms', () => {
  const text = 'The CAFÉ serves café au lait; a Café-bar.';
  assert.deepEqual(marked(text, highlightRanges(text, queryTerms('cafe'))), ['CAFÉ', 'café', 'Café']);
});

test('function words are not highlighted when the query has other words', () => {
  assert.deepEqual(queryTerms('How do I work offline'), ['work', 'offline']);
  const text = 'How do I search? Search works offline: I do nothing.';
  assert.deepEqual(marked(text, highlightRanges(text, queryTerms('how do I work offline'))), ['works', 'offline']);
  // a query made only of function words still highlights them; the last word may be a prefix being typed
  assert.deepEqual(queryTerms('how to'), ['how', 'to']);
  assert.deepEqual(queryTerms('offline how'), ['offline', 'how']);
});

test('the last query word matches as a prefix while typing', () => {
  const text = 'The tokenizer and the tokens; a tok.';
  assert.deepEqual(marked(text, highlightRanges(text, queryTerms('tok'))), ['tokenizer', 'tokens', 'tok']);
  // only the last word is a prefix; earlier words match whole
  assert.deepEqual(marked(text, highlightRanges(text, queryTerms('tok the'))), ['The', 'the', 'tok']);
  assert.deepEqual(marked(text, highlightRanges(text, queryTerms('tok'), { prefixLast: false })), ['tok']);
});

test('plural and singular forms match each other', () => {
  const text = 'One doc, many docs. A query or two queries. A box, some boxes. Class status.';
  assert.deepEqual(marked(text, highlightRanges(text, queryTerms('docs'), { prefixLast: false })), ['doc', 'docs']);
  assert.deepEqual(marked(text, highlightRanges(text, queryTerms('query'), { prefixLast: false })), ['query', 'queries']);
  assert.deepEqual(marked(text, highlightRanges(text, queryTerms('box'), { prefixLast: false })), ['box', 'boxes']);
  assert.deepEqual(marked(text, highlightRanges(text, queryTerms('clas statu'), { prefixLast: false })), []);
});

test('words with the same stem as a query word are highlighted, as the lexical index matched them', () => {
  const text = 'She runs; he ran; they run. Running is fun. A runner studies; one study was studied.';
  const opts = { prefixLast: false };
  assert.deepEqual(marked(text, highlightRanges(text, queryTerms('running'), opts)), ['runs', 'run', 'Running']);
  assert.deepEqual(marked(text, highlightRanges(text, queryTerms('studies'), opts)), ['studies', 'study', 'studied']);
  assert.deepEqual(marked(text, highlightRanges(text, queryTerms('running'), { ...opts, stem: false })), ['Running']);
  // titles follow the same rule
  assert.deepEqual(marked('Run a study', highlightRanges('Run a study', queryTerms('running studies'))), ['Run', 'study']);
  // function words are still skipped when the query has other words
  assert.deepEqual(marked(text, highlightRanges(text, queryTerms('how is running'), opts)), ['runs', 'run', 'Running']);
});

test('extra words (typo corrections) are highlighted whole, and the last query word stays the prefix', () => {
  assert.deepEqual(queryTerms('tokenzier doc', ['tokenizer']), ['tokenzier', 'tokenizer', 'doc']);
  assert.deepEqual(queryTerms('tokenzier', ['tokenizer', 'tokenizer']), ['tokenizer', 'tokenzier']);
  assert.deepEqual(queryTerms('', ['tokenizer']), []);
  const text = 'The tokenizer splits documents; tokens follow.';
  assert.deepEqual(marked(text, highlightRanges(text, queryTerms('tokenzier doc', ['tokenizer']))), ['tokenizer', 'documents', 'tokens']);
});

test('no terms, no highlights', () => {
  assert.deepEqual(highlightRanges('some text', []), []);
});

test('a short text is the snippet, whitespace collapsed, with highlights in snippet offsets', () => {
  const s = makeSnippet('Install   the\n\npackage,  then run it.', queryTerms('package run'));
  assert.equal(s.text, 'Install the package, then run it.');
  assert.deepEqual(marked(s.text, s.highlights), ['package', 'run']);
});

const long = [
  'Geniza is a search engine that runs inside the page.',
  'It has no server and needs no API key.',
  'The index is a small model trained at build time on the documents of the site.',
  'Queries are encoded by the tokenizer, then the decoder writes docids.',
  'Results come with snippets and highlights, computed in the worker.',
  'Offline use works once the bundle is cached.',
].join(' ');

test('a long text is cut around the passage with the most distinct query terms, with ellipses', () => {
  const terms = queryTerms('tokenizer decoder');
  const s = makeSnippet(long, terms, { maxChars: 90 });
  assert.ok(s.text.startsWith('…') && s.text.endsWith('…'), s.text);
  assert.ok(s.text.length <= 92, `${s.text.length}`);
  assert.deepEqual(marked(s.text, s.highlights), ['tokenizer', 'decoder']);
});

test('a window with two different terms beats one with the same term repeated', () => {
  const text = `server server server server. ${'filler words here. '.repeat(10)}The server has an index of pages. ${'more filler. '.repeat(10)}`;
  const s = makeSnippet(text, queryTerms('server index'), { maxChars: 60 });
  assert.deepEqual(new Set(marked(s.text, s.highlights).map((w) => w.toLowerCase())), new Set(['server', 'index']));
});

test('snippets never start or end in the middle of a word', () => {
  const clean = (w: string) => w.replace(/[^\p{L}\p{N}]/gu, '');
  const words = long.split(' ').map(clean);
  for (let maxChars = 30; maxChars <= 120; maxChars += 7) {
    for (const q of ['model', 'worker', 'offline cached', 'nothing matches']) {
      const s = makeSnippet(long, queryTerms(q), { maxChars });
      const body = s.text.replace(/^…/, '').replace(/…$/, '');
      assert.ok(body.length <= maxChars, `${body.length} > ${maxChars}`);
      const first = clean(body.split(' ')[0]);
      const last = clean(body.split(' ').at(-1)!);
      assert.ok(words.includes(first), `starts with a partial word: "${first}" (${maxChars}, ${q})`);
      assert.ok(words.includes(last), `ends with a partial word: "${last}" (${maxChars}, ${q})`);
    }
  }
});

test('without a match the snippet is the start of the text', () => {
  const s = makeSnippet(long, queryTerms('zebra'), { maxChars: 60 });
  assert.ok(s.text.startsWith('Geniza is a search engine'));
  assert.ok(s.text.endsWith('…') && !s.text.startsWith('…'));
  assert.deepEqual(s.highlights, []);
});

test('snippet at the end of a text has only a leading ellipsis', () => {
  const s = makeSnippet(long, queryTerms('cached'), { maxChars: 60 });
  assert.ok(s.text.startsWith('…') && s.text.endsWith('cached.'), s.text);
  assert.deepEqual(marked(s.text, s.highlights), ['cached']);
});

test('snippets are plain text: markup in the document stays literal text', () => {
  const s = makeSnippet('Use <b>bold</b> & <script>x</script> tags', queryTerms('bold'));
  assert.equal(s.text, 'Use <b>bold</b> & <script>x</script> tags');
  assert.deepEqual(marked(s.text, s.highlights), ['bold']);
});
