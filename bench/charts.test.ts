import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barSvg, compactNumber, escapeXml, scatterSvg } from './charts.ts';

/** Checks that every tag is closed in order (a small well-formedness check, enough for our own output). */
function assertWellFormed(svg: string): void {
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)([^>]*?)(\/?)>/g)) {
    const [, close, name, attrs, self] = m;
    assert.ok(!/[<&](?!amp;|lt;|gt;|quot;|apos;)/.test(attrs), `attribute text escaped: ${attrs}`);
    if (self) continue;
    if (close) assert.equal(stack.pop(), name, `closing </${name}>`);
    else stack.push(name);
  }
  assert.deepEqual(stack, [], 'every element closed');
  const text = svg.replace(/<[^>]*>/g, '');
  assert.ok(!/&(?!amp;|lt;|gt;|quot;|apos;)/.test(text) && !text.includes('<'), 'text content escaped');
}

test('scatter: one circle per point, placed by value, labels and legend escaped', () => {
  const svg = scatterSvg({
    title: 'nDCG@10 vs bundle size', xLabel: 'gzip bytes', yLabel: 'nDCG@10', xLog: true,
    series: [
      { name: 'geniza', points: [{ x: 1_200_000, y: 0.4, label: 'scifact' }, { x: 800_000, y: 0.2, label: 'a<b & c' }] },
      { name: 'bm25', points: [{ x: 300_000, y: 0.66, label: 'scifact' }, { x: NaN, y: 1 }] },
    ],
  });
  assertWellFormed(svg);
  const points = [...svg.matchAll(/<g class="point" data-series="([^"]+)" transform="translate\(([\d.]+) ([\d.]+)\)">/g)];
  assert.equal(points.length, 3, 'three finite points drawn');
  const byLabel = (series: string) => points.filter((c) => c[1] === series).map((c) => ({ x: Number(c[2]), y: Number(c[3]) }));
  const [g1, g2] = byLabel('geniza');
  const [b1] = byLabel('bm25');
  assert.ok(g1.x > g2.x && g2.x > b1.x, 'bigger bundle further right');
  assert.ok(b1.y < g1.y && g1.y < g2.y, 'higher nDCG higher up (smaller y)');
  assert.ok(svg.includes('a&lt;b &amp; c'), 'label escaped');
  assert.ok(svg.includes('>geniza</text>') && svg.includes('>bm25</text>'), 'legend names both series');
});

test('bars: one rect per bar with its value label; log axis keeps small values visible', () => {
  const svg = barSvg({
    title: 'latency', yLabel: 'ms',
    groups: [
      { label: 'scifact p50', bars: [{ name: 'geniza', value: 45.2 }, { name: 'bm25', value: 0.31 }] },
      { label: 'scifact p95', bars: [{ name: 'geniza', value: 120 }, { name: 'bm25', value: 0 }] },
    ],
  });
  assertWellFormed(svg);
  const bars = [...svg.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="[^"]+" data-bar="([^"]+)"/g)];
  assert.deepEqual(bars.map((b) => b[3]), ['scifact p50/geniza', 'scifact p50/bm25', 'scifact p95/geniza', 'scifact p95/bm25']);
  const h = Object.fromEntries(bars.map((b) => [b[3], Number(b[2])]));
  assert.ok(h['scifact p50/bm25'] > 0, 'a 0.31 ms bar is visible');
  assert.ok(h['scifact p95/geniza'] > h['scifact p50/geniza'] && h['scifact p50/geniza'] > h['scifact p50/bm25']);
  assert.equal(h['scifact p95/bm25'], 0, 'a zero value on a log axis is drawn empty');
  assert.ok(svg.includes('>45.2</text>') && svg.includes('>0.31</text>'), 'values written on the bars');
});

test('helpers', () => {
  assert.equal(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  assert.equal(compactNumber(1_234_567), '1.2M');
  assert.equal(compactNumber(12_000), '12k');
  assert.equal(compactNumber(0.456), '0.456');
});
