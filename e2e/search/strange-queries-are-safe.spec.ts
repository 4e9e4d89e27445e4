// Markup, emoji, right-to-left text and very long input neither break the page nor inject HTML; results
// render document text as text, with highlights in <mark> elements only.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { OPTIONS, SEARCH_INPUT, launchBrowser, newPage, openDemo, searchFor, serveDist, type StaticServer } from '../helpers.ts';

let browser: Browser;
let server: StaticServer;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('strange queries give results or the empty state, never an error or injected markup', async (t) => {
  const { context, page, errors } = await newPage(browser);
  try {
    await openDemo(page, server.url);
    const queries = [
      '<img src=x onerror="window.__pwned=1"><b>bundle</b>',
      '🔍🔥🚀',
      'مرحبا بالعالم search',
      '   ',
      'cache '.repeat(2000),
      '\u0000\u200b\ufeff offline',
      'ÉCOLE Ｗｅｂ　ｗｏｒｋｅｒ',
    ];
    for (const q of queries) {
      if (q.trim() === '') {
        await page.locator(SEARCH_INPUT).fill(q);
        assert.equal(await page.locator(OPTIONS).count(), 0, 'a blank query shows no results');
        continue;
      }
      const titles = await searchFor(page, q);
      t.diagnostic(`${JSON.stringify(q.slice(0, 30))}: ${titles.length} results`);
      assert.equal(await page.locator('[role="alert"]').count(), 0, `no error for ${JSON.stringify(q.slice(0, 40))}`);
    }
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.locator('.geniza-search img, .geniza-search b').count(), 0, 'query markup is never rendered');
    const tags = await page.locator(`${OPTIONS} .geniza-result__snippet *, ${OPTIONS} .geniza-result__title *`)
      .evaluateAll((els) => [...new Set(els.map((el) => el.tagName))]);
    assert.ok(tags.every((tag) => tag === 'MARK'), `only <mark> inside titles and snippets (got ${tags.join(', ')})`);
    assert.ok((await searchFor(page, 'offline')).length > 0, 'search still works afterwards');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
