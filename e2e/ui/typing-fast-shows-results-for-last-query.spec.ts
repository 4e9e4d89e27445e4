// Search-as-you-type: typing fast sends a query per keystroke; answers to older queries are dropped, so the
// list ends up showing the results of the text in the box, and stays that way.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { OPTIONS, SEARCH_INPUT, launchBrowser, newPage, openDemo, searchFor, serveDist, waitForResults, type StaticServer } from '../helpers.ts';

let browser: Browser;
let server: StaticServer;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('results after fast typing are those of the final text', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await openDemo(page, server.url);
    const expected = await searchFor(page, 'hash mismatch error');
    await page.locator(SEARCH_INPUT).fill('');

    await page.locator(SEARCH_INPUT).pressSequentially('hash mismatch error', { delay: 5 });
    const titles = await waitForResults(page, 'hash mismatch error');
    assert.deepEqual(titles, expected);
    await page.waitForTimeout(1000);
    assert.deepEqual(await page.locator(`${OPTIONS} .geniza-result__title`).allTextContents(), expected, 'no late answer replaces them');
    assert.match((await page.locator('.geniza-search__status').textContent()) ?? '', /results? in/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
