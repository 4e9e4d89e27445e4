// Sections in the demo: the docs are split at their headings, the page list shows pages (not sections), and
// opening a section result shows its whole page, assembled from its sections in order, scrolled to the
// section's heading (whose id is the anchor of the result's url).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { OPTIONS, demoBundle, launchBrowser, newPage, openDemo, searchFor, serveDist, type StaticServer } from '../helpers.ts';

let browser: Browser;
let server: StaticServer;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('a section result opens its page at the section heading', async () => {
  const { docs, manifest } = await demoBundle();
  const pages = docs.filter((d) => !d.url.includes('#'));
  const section = docs.find((d) => d.url.startsWith('offline-and-caching.html#')) ?? docs.find((d) => d.url.includes('#'));
  assert.ok(section, 'the demo bundle splits pages into sections');
  const pageUrl = section.url.split('#')[0]!;
  const anchor = section.url.split('#')[1]!;
  const siblings = docs.filter((d) => d.url.startsWith(`${pageUrl}#`));
  const { context, page, errors } = await newPage(browser);
  try {
    const info = await openDemo(page, server.url);
    assert.match(info, new RegExp(`^${(manifest.corpus as { pages?: number }).pages ?? pages.length} pages · ${docs.length} sections · `));
    assert.equal(await page.locator('.demo-nav a').count(), pages.length, 'one entry per page');

    await searchFor(page, section.title);
    const option = page.locator(OPTIONS).filter({ has: page.locator('.geniza-result__url', { hasText: new RegExp(`^${section.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
    assert.equal(await option.count(), 1, `"${section.title}" finds its section ${section.url}`);
    await option.click();

    const heading = page.locator(`.demo-reader h2[id="${anchor}"]`);
    await heading.waitFor();
    assert.equal((await heading.textContent())?.trim(), section.title);
    assert.equal(await page.locator('.demo-reader h1').textContent(), (section as { pageTitle?: string }).pageTitle);
    assert.deepEqual(await page.locator('.demo-reader h2').evaluateAll((els) => els.map((e) => e.id)), siblings.map((d) => d.url.split('#')[1]), 'every section, in order');
    await page.waitForFunction((id) => {
      const r = document.getElementById(id)!.getBoundingClientRect();
      return r.top >= 0 && r.top < innerHeight / 2;
    }, anchor);
    assert.match(decodeURIComponent(new URL(page.url()).hash), new RegExp(`#${anchor}`));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
