// The demo's header carries the <geniza-search> widget: Ctrl+K opens it over the page, results are grouped by
// page, Enter shows the chosen result in the demo's reader (no page load), and focus returns to the button.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, openDemo, serveDist, type StaticServer } from '../helpers.ts';
import { WIDGET_INPUT, WIDGET_OPTIONS, dialogOpen, focusInWidget, settle, widgetResults } from '../widget/widget-site.ts';

let browser: Browser;
let server: StaticServer;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('Ctrl+K in the demo opens the widget, and Enter opens the hit in the reader', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await openDemo(page, server.url);
    await page.evaluate(() => { (window as { marker?: number }).marker = 1; });
    await page.keyboard.press('Control+k');
    await page.locator(WIDGET_INPUT).waitFor();
    assert.equal(await focusInWidget(page), 'input');
    await page.keyboard.type('offline');
    const titles = await widgetResults(page, 'offline');
    assert.ok(titles.length > 0);
    const groups = await page.locator('geniza-search .geniza-group__title').allTextContents();
    assert.ok(groups.length > 0 && groups.length <= titles.length, 'results are grouped by page');
    const url = (await page.locator(WIDGET_OPTIONS).first().getAttribute('data-url'))!;
    await page.keyboard.press('Enter');
    await page.waitForFunction((u) => decodeURIComponent(location.hash).startsWith(`#/${u}`), url);
    // The hash changes inside the key event; the dialog closes and focus returns on the next render.
    await settle(() => dialogOpen(page), false);
    assert.equal(await page.locator('geniza-search dialog[open]').count(), 0, 'the dialog closes');
    assert.equal(await page.locator('.demo-reader').getAttribute('data-doc-url'), url.split('#')[0]);
    assert.equal(await page.evaluate(() => (window as { marker?: number }).marker), 1, 'no page load');
    await settle(() => focusInWidget(page), 'trigger');
    assert.equal(await focusInWidget(page), 'trigger');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
