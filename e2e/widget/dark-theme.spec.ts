// Themes: theme="dark" switches the widget's --geniza-* custom properties (and what they paint) to the dark
// set; theme="auto" follows the system's prefers-color-scheme; a page rule on the element overrides a property.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers.ts';
import { PLAIN_PAGE, serveWidgetSite, type WidgetSite } from './widget-site.ts';

let browser: Browser;
let site: WidgetSite;
before(async () => { site = await serveWidgetSite(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await site?.close(); });

/** The host's --geniza-bg and --geniza-text, and the button's painted background colour. */
function colours(page: Page): Promise<{ bg: string; text: string; button: string }> {
  return page.evaluate(() => {
    const host = document.querySelector('geniza-search')!;
    const cs = getComputedStyle(host);
    const button = host.shadowRoot!.querySelector('.geniza-trigger')!;
    return { bg: cs.getPropertyValue('--geniza-bg').trim(), text: cs.getPropertyValue('--geniza-text').trim(), button: getComputedStyle(button).backgroundColor };
  });
}

test('light by default, dark with theme="dark", auto follows the system, page rules override', async () => {
  const context = await browser.newContext({ colorScheme: 'light' });
  const page = await context.newPage();
  try {
    await page.goto(site.url + PLAIN_PAGE);
    await page.locator('geniza-search .geniza-trigger').waitFor();
    const light = await colours(page);
    assert.deepEqual(light, { bg: '#ffffff', text: '#1d2330', button: 'rgb(255, 255, 255)' });

    await page.evaluate(() => document.querySelector('geniza-search')!.setAttribute('theme', 'dark'));
    const dark = await colours(page);
    assert.deepEqual(dark, { bg: '#1b1f29', text: '#e6e9f0', button: 'rgb(27, 31, 41)' });

    await page.evaluate(() => document.querySelector('geniza-search')!.setAttribute('theme', 'auto'));
    assert.deepEqual(await colours(page), light);
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.deepEqual(await colours(page), dark, 'auto follows prefers-color-scheme: dark');
    await page.evaluate(() => document.querySelector('geniza-search')!.setAttribute('theme', 'light'));
    assert.deepEqual(await colours(page), light, 'theme="light" wins over the system');

    await page.addStyleTag({ content: 'geniza-search { --geniza-bg: #123456; }' });
    assert.equal((await colours(page)).button, 'rgb(18, 52, 86)', 'a page rule on the element overrides the default');
  } finally {
    await context.close();
  }
});
