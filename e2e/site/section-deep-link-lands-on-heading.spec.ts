// A built multi-page site (e2e/fixtures/site) indexed with geniza build: searching the words of one section of a
// long page gives a hit whose url is `page.html#anchor`, and following it lands on that heading, in view.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { SearchResponse } from '../../src/core/types.ts';
import { build, type BuildOptions } from '../../src/indexer/build.ts';
import { ROOT, launchBrowser, newPage, serveDist, type StaticServer } from '../helpers.ts';

const SITE = join(ROOT, 'e2e', 'fixtures', 'site');

let browser: Browser;
let server: StaticServer;
let bundleDir: string;
let documents = 0;
let pages = 0;
let buildSeconds = 0;

before(async () => {
  bundleDir = await mkdtemp(join(tmpdir(), 'geniza-site-bundle-'));
  // A small, quick model: the point is the links, not the ranking quality.
  const options: BuildOptions & Record<string, unknown> = {
    input: SITE, out: bundleDir, dModel: 64, layers: 1, queriesPerDoc: 16, epochs: 40, timeBudget: 25, seed: 7, quiet: true, fitQueries: 40,
  };
  const t0 = performance.now();
  const result = await build(options);
  buildSeconds = (performance.now() - t0) / 1000;
  documents = result.manifest.corpus.documents;
  pages = result.manifest.corpus.pages ?? 0;
  server = await serveDist({ mounts: { '/site/': SITE, '/site-bundle/': bundleDir } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
});

/** Sections to look for: distinctive words of the section, and the url the hit must have. */
const CASES = [
  { query: 'poison message max_deliveries dead-letter queue', url: 'guide/consumers.html#dead-letter', heading: 'Dead-letter queues' },
  { query: 'purge jobs older than thirty days, irreversible', url: 'reference/cli.html#kestrel-purge', heading: 'kestrel purge' },
];

test('a section hit links to page.html#anchor and opening it shows that heading', async (t) => {
  t.diagnostic(`bundle: ${documents} documents from ${pages} pages, built in ${buildSeconds.toFixed(1)} s`);
  assert.ok(pages >= 9 && documents > pages, `pages are split into sections (${documents} documents, ${pages} pages)`);
  const { context, page, errors } = await newPage(browser);
  try {
    await page.goto(`${server.url}?bundle=/site-bundle/`);
    await page.waitForFunction(() => 'genizaDemo' in globalThis, undefined, { timeout: 30_000 });
    for (const c of CASES) {
      const res = await page.evaluate(async (q) => {
        const demo = (globalThis as unknown as { genizaDemo: { ready: Promise<unknown>; search(q: string, o: { k: number }): Promise<SearchResponse | null> } }).genizaDemo;
        await demo.ready;
        return demo.search(q, { k: 10 });
      }, c.query);
      assert.ok(res, `an answer for "${c.query}"`);
      const urls = res.hits.map((h) => h.url);
      t.diagnostic(`"${c.query}" -> ${urls.slice(0, 5).join(', ')}`);
      const rank = urls.indexOf(c.url);
      // A small model trained for seconds: the section must be among the first hits, not necessarily the first.
      assert.ok(rank >= 0 && rank < 5, `"${c.query}": ${c.url} in the top 5 (got ${urls.join(', ')})`);
      const hit = res.hits[rank];
      assert.equal(hit.title, c.heading, 'the hit is titled by its section heading');

      const site = await context.newPage();
      try {
        await site.goto(new URL(hit.url, `${server.url}site/`).href);
        const anchor = hit.url.split('#')[1];
        const target = await site.evaluate(() => {
          const el = document.querySelector(':target');
          if (!el) return null;
          const r = el.getBoundingClientRect();
          return { id: el.id, tag: el.tagName, text: el.textContent?.trim() ?? '', top: r.top, bottom: r.bottom, height: innerHeight, scrolled: scrollY };
        });
        assert.ok(target, `${hit.url}: the fragment names an element`);
        assert.equal(target.id, anchor);
        assert.match(target.tag, /^H[1-6]$/, 'the target is a heading');
        assert.ok(target.text.startsWith(c.heading), `heading text "${target.text}"`);
        assert.ok(target.top >= 0 && target.bottom <= target.height, `heading in the viewport (top ${target.top}, bottom ${target.bottom}, viewport ${target.height})`);
        assert.ok(target.scrolled > 0, 'the page scrolled down to a heading below the fold');
      } finally {
        await site.close();
      }
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
