// Typing a documentation page's title lists that page first, with its url and a highlighted snippet,
// and choosing it shows the page in the reader.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { OPTIONS, demoBundle, launchBrowser, newPage, openDemo, searchFor, serveDist, type StaticServer } from '../helpers.ts';

let browser: Browser;
let server: StaticServer;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('a page title typed in the search box finds that page first and opens it', async (t) => {
  const { docs } = await demoBundle();
  const target = docs.find((d) => d.url === 'offline-and-caching.html') ?? docs[0]!;
  const { context, page, errors } = await newPage(browser);
  try {
    await openDemo(page, server.url);
    const titles = await searchFor(page, target.title);
    assert.equal(titles[0], target.title, `first result for "${target.title}"`);

    const first = page.locator(OPTIONS).first();
    assert.equal(await first.locator('.geniza-result__url').textContent(), target.url);
    assert.ok(((await first.locator('.geniza-result__snippet').textContent()) ?? '').length > 20, 'a snippet is shown');
    assert.ok(await first.locator('.geniza-result__title mark').count() > 0, 'title words are highlighted');
    t.diagnostic(`status: ${await page.locator('.geniza-search__status').textContent()}`);

    await first.click();
    await page.locator('.demo-reader h1').filter({ hasText: target.title }).waitFor();
    assert.match(decodeURIComponent(new URL(page.url()).hash), new RegExp(target.url.replace(/\./g, '\\.')));
    assert.equal(await page.locator('[role="listbox"]').isVisible(), false, 'the list closes once a result is opened');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('most page titles rank their own page first', async (t) => {
  const { docs } = await demoBundle();
  const { context, page, errors } = await newPage(browser);
  try {
    await openDemo(page, server.url);
    const misses: string[] = [];
    // One document per page (its lead section when the bundle split pages at headings): a result for any
    // section of the page counts as the page.
    const pages = docs.filter((d) => !d.url.includes('#'));
    for (const doc of pages) {
      const titles = await searchFor(page, doc.title);
      const urls = await page.locator(`${OPTIONS} .geniza-result__url`).allTextContents();
      if (urls[0]?.split('#')[0] !== doc.url) misses.push(`"${doc.title}" -> ${JSON.stringify(titles.slice(0, 3))}`);
    }
    t.diagnostic(`${pages.length - misses.length}/${pages.length} page titles ranked their page first${misses.length ? `; misses: ${misses.join('; ')}` : ''}`);
    assert.ok(misses.length <= Math.floor(pages.length * 0.2), `too many titles not ranked first: ${misses.join('; ')}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
