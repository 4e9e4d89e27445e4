// Recent searches: a search that led to a result is listed when the box is empty, also after a reload;
// each can be removed, and "Clear all" forgets them all (for this bundle).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage } from '../helpers.ts';
import { PLAIN_PAGE, WIDGET_INPUT, WIDGET_OPTIONS, serveWidgetSite, widgetResults, type WidgetSite } from './widget-site.ts';

let browser: Browser;
let site: WidgetSite;
before(async () => { site = await serveWidgetSite(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await site?.close(); });

async function searchAndOpen(page: Page, query: string): Promise<void> {
  await page.goto(site.url + PLAIN_PAGE);
  await page.locator('geniza-search .geniza-trigger').click();
  await page.locator(WIDGET_INPUT).fill(query);
  const titles = await widgetResults(page, query);
  assert.ok(titles.length > 0, `results for "${query}"`);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => !u.pathname.endsWith('plain-page.html'));
}

async function recentQueries(page: Page): Promise<string[]> {
  await page.goto(site.url + PLAIN_PAGE);
  await page.locator('geniza-search .geniza-trigger').click();
  await page.locator(WIDGET_INPUT).waitFor();
  return page.locator(`${WIDGET_OPTIONS} .geniza-option__title`).allTextContents();
}

test('recent searches survive a reload, can be removed one by one or all at once', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    assert.deepEqual(await recentQueries(page), [], 'none at first');
    await searchAndOpen(page, 'offline');
    await searchAndOpen(page, 'tokenizer');
    await page.reload();
    assert.deepEqual(await recentQueries(page), ['tokenizer', 'offline'], 'newest first, after navigating away and reloading');

    // Arrow keys reach them; Enter searches again.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.ok((await widgetResults(page, 'offline')).length > 0);

    await page.locator(WIDGET_INPUT).fill('');
    await page.locator('geniza-search .geniza-recent__remove').first().click();
    assert.deepEqual(await page.locator(`${WIDGET_OPTIONS} .geniza-option__title`).allTextContents(), ['offline']);
    await page.reload();
    assert.deepEqual(await recentQueries(page), ['offline'], 'a removal is stored');
    await page.locator('geniza-search .geniza-recent__clear').click();
    assert.equal(await page.locator(WIDGET_OPTIONS).count(), 0);
    assert.equal(await focusIsInput(page), true, 'focus stays in the box after Clear all');
    assert.deepEqual(await recentQueries(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

function focusIsInput(page: Page): Promise<boolean> {
  return page.evaluate(() => document.querySelector('geniza-search')!.shadowRoot!.activeElement?.getAttribute('role') === 'combobox');
}
