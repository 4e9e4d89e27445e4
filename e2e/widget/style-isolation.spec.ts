// Shadow DOM isolation: aggressive page CSS (on *, html, body, inputs, buttons, even !important) does not change
// how the widget's button and search box look, and the widget's CSS does not touch the page's own elements,
// not even those that use the widget's class names.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage } from '../helpers.ts';
import { PLAIN_PAGE, WIDGET_INPUT, serveWidgetSite, type WidgetSite } from './widget-site.ts';

let browser: Browser;
let site: WidgetSite;
before(async () => { site = await serveWidgetSite(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await site?.close(); });

const PROPS = ['font-family', 'font-size', 'font-weight', 'line-height', 'color', 'background-color', 'padding-top', 'padding-left',
  'border-top-width', 'border-top-color', 'border-top-left-radius', 'letter-spacing', 'text-transform', 'height', 'width'];

const AGGRESSIVE = `
  html { font-size: 31px !important; }
  body { font: italic 700 22px/3 Georgia, serif; color: #c00; letter-spacing: 4px; text-transform: uppercase; }
  * { color: #0a0 !important; background: #ff0 !important; padding: 13px !important; border-radius: 0 !important; font-family: monospace !important; }
  input, button, dialog, kbd, a, li, ul, mark { border: 7px dashed #f0f !important; font-size: 40px !important; margin: 9px !important; }
  [role="option"], .geniza-option, .geniza-dialog__input { display: none !important; }
`;

/** Computed styles of elements in the widget's shadow root. */
function widgetStyles(page: Page, selectors: string[]): Promise<Record<string, Record<string, string>>> {
  return page.evaluate(({ selectors, props }) => {
    const root = document.querySelector('geniza-search')!.shadowRoot!;
    return Object.fromEntries(selectors.map((sel) => {
      const cs = getComputedStyle(root.querySelector(sel)!);
      return [sel, Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)]))];
    }));
  }, { selectors, props: PROPS });
}

function pageStyle(page: Page, selector: string): Promise<Record<string, string>> {
  return page.evaluate(({ selector, props }) => {
    const cs = getComputedStyle(document.querySelector(selector)!);
    return Object.fromEntries(props.filter((p) => p !== 'width').map((p) => [p, cs.getPropertyValue(p)]));
  }, { selector, props: PROPS });
}

test('page CSS does not reach into the widget, and the widget CSS does not leak out', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await page.goto(site.url + PLAIN_PAGE);
    await page.locator('geniza-search .geniza-trigger').waitFor();
    // Widget class names on page elements get no widget styling: they look like the page's plain button.
    assert.deepEqual(await pageStyle(page, '#named-button'), await pageStyle(page, '#plain-button'));
    assert.equal(await page.evaluate(() => document.styleSheets.length), 0, 'the widget added no stylesheet to the page');

    await page.keyboard.press('Control+k');
    await page.locator(WIDGET_INPUT).waitFor();
    const selectors = ['.geniza-trigger', '.geniza-dialog__input', '.geniza-dialog', '.geniza-dialog__close'];
    const before = await widgetStyles(page, selectors);
    assert.equal(before['.geniza-dialog__input']!['font-size'], '16.8px', 'the box has the widget\'s own size');

    await page.addStyleTag({ content: AGGRESSIVE });
    const after = await widgetStyles(page, selectors);
    assert.deepEqual(after, before);
    assert.equal(await page.locator('#plain-button').evaluate((el) => getComputedStyle(el).fontFamily), 'monospace', 'the page CSS did apply to the page');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
