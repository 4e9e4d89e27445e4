// Keyboard-only use of <geniza-search>: Ctrl+K (and `/` outside text fields) opens the dialog with focus in the
// box, Tab stays inside it, Escape closes and gives focus back to the button; arrows, Home and End move the
// active result (aria-activedescendant follows) and Enter goes to that result's page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage } from '../helpers.ts';
import {
  PLAIN_PAGE, WIDGET_INPUT, WIDGET_OPTIONS, dialogOpen, focusInWidget, serveWidgetSite, settle, widgetResults, type WidgetSite,
} from './widget-site.ts';

let browser: Browser;
let site: WidgetSite;
before(async () => { site = await serveWidgetSite(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await site?.close(); });

async function selected(page: Page): Promise<number[]> {
  return page.locator(WIDGET_OPTIONS).evaluateAll((els) => els.flatMap((el, i) => (el.getAttribute('aria-selected') === 'true' ? [i] : [])));
}

test('open with Ctrl+K or /, stay inside with Tab, close with Escape, pick a result with arrows and Enter', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await page.goto(site.url + PLAIN_PAGE);
    await page.locator('geniza-search .geniza-trigger').waitFor();

    // Ctrl+K works even while typing in a field of the page.
    await page.locator('#page-field').focus();
    await page.keyboard.press('Control+k');
    await page.locator(WIDGET_INPUT).waitFor();
    assert.equal(await dialogOpen(page), true);
    assert.equal(await focusInWidget(page), 'input', 'focus moves to the search box');
    assert.equal(await page.locator('#page-field').inputValue(), '', 'the shortcut typed nothing into the page');

    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      assert.doesNotMatch(await focusInWidget(page), /^page:/, `Tab ${i + 1} keeps focus in the dialog`);
    }
    await page.keyboard.press('Shift+Tab');
    assert.doesNotMatch(await focusInWidget(page), /^page:/);

    // The dialog closes on the next render (a Preact effect), not inside the key event: give it up to 5 s.
    await page.keyboard.press('Escape');
    await settle(() => dialogOpen(page), false);
    assert.equal(await dialogOpen(page), false, 'Escape closes');
    await settle(() => focusInWidget(page), 'trigger');
    assert.equal(await focusInWidget(page), 'trigger', 'focus returns to the button');

    // `/` types a slash in a text field, and opens the search elsewhere.
    await page.locator('#page-field').focus();
    await page.keyboard.press('/');
    assert.equal(await page.locator('#page-field').inputValue(), '/');
    assert.equal(await dialogOpen(page), false);
    await page.locator('#plain-button').focus();
    await page.keyboard.press('/');
    await page.locator('geniza-search dialog[open]').waitFor();
    assert.equal(await focusInWidget(page), 'input');

    await page.keyboard.type('bundle');
    const titles = await widgetResults(page, 'bundle');
    assert.ok(titles.length >= 3, `several results, got ${titles.length}`);
    const input = page.locator(WIDGET_INPUT);
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    assert.deepEqual(await selected(page), []);
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(await selected(page), [0]);
    assert.equal(await input.getAttribute('aria-activedescendant'), await page.locator(WIDGET_OPTIONS).nth(0).getAttribute('id'));
    await page.keyboard.press('End');
    assert.deepEqual(await selected(page), [titles.length - 1]);
    await page.keyboard.press('Home');
    assert.deepEqual(await selected(page), [0]);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    assert.deepEqual(await selected(page), [1]);
    const url = await page.locator(WIDGET_OPTIONS).nth(1).getAttribute('data-url');
    assert.ok(url);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${site.url}site/${url}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
