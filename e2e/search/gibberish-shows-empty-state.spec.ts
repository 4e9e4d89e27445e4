// A query with no word of the docs shows the empty state (the model alone would always name some pages).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { OPTIONS, SEARCH_INPUT, launchBrowser, newPage, openDemo, searchFor, serveDist, type StaticServer } from '../helpers.ts';

let browser: Browser;
let server: StaticServer;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('gibberish shows "No results" and a real word afterwards shows results again', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await openDemo(page, server.url);
    assert.deepEqual(await searchFor(page, 'zzqx vvkj'), []);
    assert.match((await page.locator('.geniza-search__status').textContent()) ?? '', /No results for “zzqx vvkj”/);
    assert.equal(await page.locator(SEARCH_INPUT).getAttribute('aria-expanded'), 'false');
    const titles = await searchFor(page, 'offline');
    assert.ok(titles.length > 0);
    assert.equal(await page.locator(OPTIONS).count(), titles.length);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
