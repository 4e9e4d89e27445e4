// ArrowDown/ArrowUp move the active result (aria-selected + aria-activedescendant), Enter opens it, Escape clears.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { OPTIONS, SEARCH_INPUT, launchBrowser, newPage, openDemo, searchFor, serveDist, type StaticServer } from '../helpers.ts';

let browser: Browser;
let server: StaticServer;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

async function selected(page: Page): Promise<number[]> {
  return page.locator(OPTIONS).evaluateAll((els) => els.flatMap((el, i) => (el.getAttribute('aria-selected') === 'true' ? [i] : [])));
}

test('arrow keys move the active result, Enter opens it and Escape clears the search', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await openDemo(page, server.url);
    const input = page.locator(SEARCH_INPUT);
    assert.equal(await input.evaluate((el) => el === document.activeElement), true, 'the search box has focus on load');
    const titles = await searchFor(page, 'bundle');
    assert.ok(titles.length >= 3, `expected several results, got ${titles.length}`);
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    assert.deepEqual(await selected(page), []);

    await input.press('ArrowDown');
    assert.deepEqual(await selected(page), [0]);
    const firstId = await page.locator(OPTIONS).nth(0).getAttribute('id');
    assert.equal(await input.getAttribute('aria-activedescendant'), firstId);
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    assert.deepEqual(await selected(page), [2]);
    await input.press('ArrowUp');
    assert.deepEqual(await selected(page), [1]);

    await input.press('Enter');
    // The reader shows the page; a section hit is a heading in it (h2), a page hit its title (h1).
    await page.locator('.demo-reader').getByRole('heading', { name: titles[1]! }).first().waitFor();
    assert.equal(await input.getAttribute('aria-expanded'), 'false');

    await input.focus();
    await searchFor(page, 'offline');
    assert.equal(await page.locator('[role="listbox"]').isVisible(), true);
    await input.press('Escape');
    assert.equal(await input.inputValue(), '');
    assert.equal(await page.locator(OPTIONS).count(), 0);
    assert.equal(await input.getAttribute('aria-expanded'), 'false');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
